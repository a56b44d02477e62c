"""What `[expect]` in mailauth.toml asks of a domain, as plain data (issue 13).

Kept apart from the stage that evaluates it (domain/expect.py) so that reading a
configuration file — which every reporting command does — does not import the whole domain
check pipeline (verify's start-up, issue 10).
"""

from __future__ import annotations

from mailauth.frozen import frozen

# DMARC policies from the weakest; an expectation is met by it or anything stricter.
POLICY_ORDER: tuple[str, ...] = ("none", "quarantine", "reject")


@frozen
class Expectations:
    """`[expect]`: `dmarc.policy`, `spf.max_lookups`, `dkim.selectors_required`."""

    dmarc_policy: str | None = None
    spf_max_lookups: int | None = None
    dkim_selectors_required: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return (
            self.dmarc_policy is not None
            or self.spf_max_lookups is not None
            or bool(self.dkim_selectors_required)
        )

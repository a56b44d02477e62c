"""What one domain check returns: `CheckReport`, whose subclasses add each check's typed data,
and the two reports of a check that gave no verdict (`CheckFailed`, `CheckSkipped`).

Part of the shared vocabulary of model.py and imported from there (`from mailauth.model
import CheckReport`): it lives in a module of its own because only `check` builds these, and
creating dataclasses is a measurable part of a `mailauth verify` start (issue 10).
"""

from __future__ import annotations

from mailauth.frozen import frozen
from mailauth.model import Finding, Status


@frozen(kw_only=True)
class CheckReport:
    """What one domain check returns. Subclasses add their typed data fields.

    Renderers take the closed union of the subclasses (`mailauth.domain.results.CheckResult`)
    and match on it exhaustively: a new check gets its JSON projection and text view in
    `render/`, and mypy fails until it has both.
    """

    check: str
    status: Status
    findings: tuple[Finding, ...] = ()

    @property
    def complete(self) -> bool:
        """Whether the check saw everything it needed. False when it gave no verdict (ERROR)
        or reports a finding that says part of it could not be evaluated (catalogue
        `scored=False`); a check that can be partial in other ways (an SPF include that could
        not be fetched) says so by overriding this. An incomplete check's findings may miss
        some, so a score built on them is only an upper bound."""
        from mailauth.findings.catalogue import is_scored

        return self.status is not Status.ERROR and all(is_scored(f.id) for f in self.findings)

    @property
    def ran(self) -> bool:
        """Whether the check looked at anything. False for an opt-in check the user did not
        ask for (`--smtp`): its NONE status is no verdict on the domain."""
        return True


@frozen(kw_only=True)
class CheckFailed(CheckReport):
    """A check that raised instead of returning its report: no data, status ERROR, and the
    `core.internal-error` finding. The other checks' reports still reach the user."""

    status: Status = Status.ERROR


@frozen(kw_only=True)
class CheckSkipped(CheckReport):
    """A check the user left out (`mailauth check --checks spf,dmarc,mx`): no data, no
    findings, status SKIPPED. It keeps its JSON key (the schema requires every check) and
    looked at nothing, so it says nothing about the domain: `ran` is False (like `smtp`
    without `--smtp`) and it is not `complete`, so the report's score is an upper bound and
    its grade provisional instead of silently counting the check as clean."""

    status: Status = Status.SKIPPED

    @property
    def complete(self) -> bool:
        return False

    @property
    def ran(self) -> bool:
        return False

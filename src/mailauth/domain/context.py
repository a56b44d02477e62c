"""What every domain check receives: the DNS source, the user's options and the seams of the
steps beyond DNS (fetchers, probes, a clock), in one object.

A check is `async def check_x(ctx: CheckContext, domain: str) -> XReport`; a new seam is one
more field here, never one more parameter on every check.
"""

from __future__ import annotations

from dataclasses import field
from typing import TYPE_CHECKING

from mailauth.dns.interface import DnsSource
from mailauth.frozen import frozen

if TYPE_CHECKING:
    from mailauth.dns.trust_anchor import TrustAnchors
    from mailauth.domain.bimi import BimiAssetChecker
    from mailauth.fetch.interface import Fetcher


@frozen
class SmtpOptions:
    """`--smtp`: probe each MX host on `port` (25; `--smtp-port` is for tests), each within
    `timeout` seconds, judging certificates against `ca_file` (None: the system bundle)."""

    port: int = 25
    timeout: float = 10.0
    ca_file: str | None = None


@frozen
class CheckOptions:
    """User choices that change what a check looks at (not how results are judged).

    `selectors` are DKIM selectors the user named (`--selector`); when empty only the
    probes are tried and "none found" is not a failure. `dkim_probes` are the selectors
    guessed besides them, in groups (a group's later members are tried only when its first
    has no key): None means the built-in common list (`--dkim-selectors common`), `()` no
    guessing at all (`none`).
    """

    selectors: tuple[str, ...] = ()
    dkim_probes: tuple[tuple[str, ...], ...] | None = None
    bimi_selector: str = "default"
    # PEM roots trusted for BIMI mark certificates besides the shipped Mark Verifying
    # Authority roots (tests, private pilots); see records/mark_roots.py.
    mark_roots: tuple[bytes, ...] = ()
    # DNSSEC and DANE (issue 11): the anchors to validate from (None: the built-in root
    # KSKs) or, with `trust_resolver`, the AD flag of the resolver instead of validating.
    trust_anchors: TrustAnchors | None = None
    trust_resolver: bool = False
    smtp: SmtpOptions | None = None  # None: no SMTP probe (`--smtp` not given)
    # Selectors seen signing each domain's mail in stored DMARC reports (`check --db`):
    # (domain, selectors) pairs, checked like named ones for that domain only.
    reported_selectors: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # Stop the DKIM probes when `_domainkey.<domain>` is NXDOMAIN (RFC 8020; domain/dkim.py
    # `_probe`). Off for a single-domain `check`: there a DNS host that wrongly answers
    # NXDOMAIN for the empty non-terminal would hide a key, and 34 queries cost nothing.
    dkim_cut: bool = True

    def selectors_for(self, domain: str) -> tuple[str, ...]:
        """The named selectors, then those the reports saw for `domain`."""
        seen = [s for d, sels in self.reported_selectors if d == domain for s in sels]
        return (*self.selectors, *seen)


@frozen
class CheckContext:
    """Everything a check may use besides the domain name.

    `bimi_assets` is the seam of the BIMI logo/certificate step (None: not fetched).
    `fetcher` answers every https fetch of a URL found in DNS (live and guarded, the
    `--https-dir` directory, or disabled); None: the run was not set up to fetch at all.
    `eager`: start a lookup before its turn when that saves a round trip (the PTR of an MX
    host's volunteered address): a domain checked alone waits for its round trips (issue
    10). False when many domains share the run: then CPU, not latency, bounds it, and each
    early start costs a task.
    """

    dns: DnsSource
    options: CheckOptions = field(default_factory=CheckOptions)
    bimi_assets: BimiAssetChecker | None = None
    fetcher: Fetcher | None = None
    eager: bool = True

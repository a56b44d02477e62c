"""TLSA records (RFC 6698) as SMTP uses them (RFC 7672): parsed, with what is wrong.

Pure: no I/O. dnspython already refuses a digest whose length does not fit its matching type
(such a record never reaches here from a zone file or the wire), so what is left to judge
is the meaning of the three numbers.
"""

from __future__ import annotations

from enum import Enum

from mailauth.frozen import frozen

# RFC 6698 §7.2-7.4 registries.
USAGES = {0: "PKIX-TA", 1: "PKIX-EE", 2: "DANE-TA", 3: "DANE-EE"}
SELECTORS = {0: "Cert", 1: "SPKI"}
MATCHING = {0: "Full", 1: "SHA2-256", 2: "SHA2-512"}


class TlsaProblem(str, Enum):
    """What makes a record unusable for SMTP (RFC 7672 §3.1.3 and §3.1)."""

    UNPARSEABLE = "unparseable"
    UNKNOWN_USAGE = "unknown-usage"
    UNKNOWN_SELECTOR = "unknown-selector"
    UNKNOWN_MATCHING = "unknown-matching"
    PKIX_USAGE = "pkix-usage"


@frozen
class TlsaRecord:
    text: str
    usage: int | None = None
    selector: int | None = None
    matching: int | None = None
    data: str = ""
    problems: tuple[TlsaProblem, ...] = ()

    @property
    def usable(self) -> bool:
        """Usable by a DANE SMTP client: DANE-TA(2) or DANE-EE(3) with known parameters."""
        return not self.problems

    @property
    def mnemonic(self) -> str:
        """`DANE-EE SPKI SHA2-256`, or the numbers where a value is not registered."""
        parts = (
            USAGES.get(self.usage, str(self.usage)) if self.usage is not None else "?",
            SELECTORS.get(self.selector, str(self.selector)) if self.selector is not None else "?",
            MATCHING.get(self.matching, str(self.matching)) if self.matching is not None else "?",
        )
        return " ".join(parts)


def parse_tlsa(text: str) -> TlsaRecord:
    """A presentation-form TLSA rdata (`3 1 1 <hex>`)."""
    fields = text.split()
    try:
        usage, selector, matching = (int(f) for f in fields[:3])
    except ValueError:
        return TlsaRecord(text, problems=(TlsaProblem.UNPARSEABLE,))
    if len(fields) < 4:
        return TlsaRecord(text, problems=(TlsaProblem.UNPARSEABLE,))
    problems: list[TlsaProblem] = []
    if usage in (0, 1):
        problems.append(TlsaProblem.PKIX_USAGE)  # RFC 7672 §3.1.3: SHOULD NOT be published
    elif usage not in USAGES:
        problems.append(TlsaProblem.UNKNOWN_USAGE)
    if selector not in SELECTORS:
        problems.append(TlsaProblem.UNKNOWN_SELECTOR)
    if matching not in MATCHING:
        problems.append(TlsaProblem.UNKNOWN_MATCHING)
    data = "".join(fields[3:]).lower()
    return TlsaRecord(text, usage, selector, matching, data, tuple(problems))


def rollover_safe(records: list[TlsaRecord]) -> bool:
    """RFC 7671 §8.1 / RFC 7672 §3.1: a key or certificate change does not break DANE when
    two usable records are published (the next key's next to the current one's, or a
    DANE-TA record next to the DANE-EE one)."""
    return sum(1 for r in records if r.usable) >= 2

"""Finding one protocol's record among the TXT records published at a name.

SPF (RFC 7208 §4.5), DMARC (RFC 9989 §4.10 step 2), BIMI (draft §7.2), MTA-STS (RFC 8461
§3.1) and TLS-RPT (RFC 8460 §3) each publish a TXT record that starts with a version tag,
next to whatever else lives at the name. All of them discard the TXT records that do not
start with it and treat several that do as none. What "starts with" means differs (SPF:
`v=spf1` in any case followed by a space or the end; MTA-STS: exactly `v=STSv1` first;
DMARC: `v` in any case but exactly `DMARC1`), so each caller passes its own test, and the
DNS outcome (failed, nothing published, other TXT only, one, several) is decided here once.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum

from mailauth.dns.interface import DnsAnswer, DnsSource
from mailauth.frozen import frozen

IsRecord = Callable[[str], bool]


class Found(str, Enum):
    """What a TXT lookup yielded for one protocol."""

    LOOKUP_FAILED = "lookup-failed"  # no verdict: the check reports `<check>.lookup-failed`
    NO_TXT = "no-txt"  # NXDOMAIN or NODATA: nothing at all is published at the name
    OTHER_TXT = "other-txt"  # TXT records, none of them this protocol's
    ONE = "one"
    MULTIPLE = "multiple"  # every protocol here discards them all


@frozen
class VersionedTxt:
    """The TXT records at `answer.qname`, split into this protocol's `records` and the
    `others`, each in answer order. `strings` holds the character-strings of each record
    (RFC 7208 §3.3 checks their length) and `texts` every TXT record, joined."""

    answer: DnsAnswer
    texts: tuple[str, ...] = ()
    records: tuple[str, ...] = ()
    others: tuple[str, ...] = ()
    strings: tuple[tuple[bytes, ...], ...] = ()

    @property
    def found(self) -> Found:
        if self.answer.is_error:
            return Found.LOOKUP_FAILED
        if not self.texts:
            return Found.NO_TXT
        if not self.records:
            return Found.OTHER_TXT
        return Found.ONE if len(self.records) == 1 else Found.MULTIPLE

    @property
    def record(self) -> str | None:
        """The record when exactly one was published."""
        return self.records[0] if len(self.records) == 1 else None


def select_versioned(answer: DnsAnswer, is_record: IsRecord) -> VersionedTxt:
    """Split a TXT answer already fetched (the SPF walker batches its queries)."""
    texts = tuple(answer.texts())
    chosen = [is_record(t) for t in texts]
    return VersionedTxt(
        answer,
        texts,
        records=tuple(t for t, keep in zip(texts, chosen, strict=True) if keep),
        others=tuple(t for t, keep in zip(texts, chosen, strict=True) if not keep),
        strings=tuple(s for s, keep in zip(answer.txt, chosen, strict=True) if keep),
    )


async def find_versioned_txt(dns: DnsSource, name: str, is_record: IsRecord) -> VersionedTxt:
    """Query TXT at `name` and split the answer with `is_record`. Never raises."""
    return select_versioned(await dns.query(name, "TXT"), is_record)

"""DNSSEC answers: an RRset with the RRSIGs that cover it, asked with the DO bit.

`DnsSource.query` stays as it is (every check uses it, and the parity and cache tests pin it
down); a source that can also hand out signatures implements `SignedSource.query_signed`
beside it. Live DNS asks with DO=1 and AD=1 and keeps the reply's AD flag; zone files serve
the RRSIG records they hold. The DNSSEC and DANE checks use it when the run's source has it
and say "not checkable" otherwise.

A signed query asks for exactly one name: it does not follow CNAMEs (a validator checks each
link of a chain on its own; the DNSSEC and DANE checks ask apex and `_25._tcp` names).
Records are kept in full presentation form (absolute names, trailing dot), so they can be
turned back into the RRset that was signed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol, cast, runtime_checkable

from mailauth.dns.interface import DnsAnswer, DnsSource, Rcode
from mailauth.frozen import frozen

if TYPE_CHECKING:  # imported where used: a live run without DNSSEC never needs dnspython
    import dns.name
    import dns.rdata
    import dns.rrset

# The TTL the rebuilt RRsets carry: validation uses the RRSIG's original TTL (RFC 4034
# §3.1.8.1), so the value here never matters.
_TTL = 300


@frozen
class SignedAnswer:
    """One DNSSEC query's answer.

    `records`: the RRset's rdata in presentation form; `rrsigs`: the RRSIGs covering it.
    `authenticated`: the AD flag of a live reply (a validating resolver vouches for it);
    None where no resolver was asked (zone files).
    """

    qname: str
    rdtype: str
    rcode: Rcode
    records: tuple[str, ...] = ()
    rrsigs: tuple[str, ...] = ()
    authenticated: bool | None = None
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.rcode is Rcode.NOERROR

    @property
    def is_error(self) -> bool:
        return self.rcode not in (Rcode.NOERROR, Rcode.NXDOMAIN)

    @property
    def signed(self) -> bool:
        return bool(self.rrsigs)

    def rrset(self) -> dns.rrset.RRset:
        import dns.rdataclass
        import dns.rrset

        return dns.rrset.from_text_list(
            _name(self.qname), _TTL, dns.rdataclass.IN, self.rdtype, list(self.records)
        )

    def sigset(self) -> dns.rrset.RRset:
        import dns.rdataclass
        import dns.rdatatype
        import dns.rrset

        return dns.rrset.from_text_list(
            _name(self.qname), _TTL, dns.rdataclass.IN, dns.rdatatype.RRSIG, list(self.rrsigs)
        )

    def rdatas(self) -> list[dns.rdata.Rdata]:
        """The records as dnspython rdata (a record that does not parse is left out)."""
        import dns.rdata
        import dns.rdataclass

        out: list[dns.rdata.Rdata] = []
        for text in self.records:
            try:
                out.append(dns.rdata.from_text(dns.rdataclass.IN, self.rdtype, text))
            except Exception:  # dnspython raises several types for junk
                continue
        return out


@runtime_checkable
class SignedSource(Protocol):
    """A `DnsSource` that can also answer with DNSSEC signatures."""

    async def query(self, name: str, rdtype: str) -> DnsAnswer: ...

    async def query_signed(self, name: str, rdtype: str) -> SignedAnswer: ...


# The detail of the ERROR answer a source without DNSSEC support gives (through a wrapper).
NO_SIGNED = "this DNS source cannot answer with DNSSEC signatures"


def signed_source(source: DnsSource) -> SignedSource | None:
    """`source` when it can answer signed queries, else None. A wrapper (the run cache, the
    deadline: anything with an `inner` source) can only when what it wraps can."""
    # Plain attribute tests, not isinstance with the runtime-checkable protocols: those walk
    # the protocol's members on every call (~1 % of a bulk check's CPU, issue 10).
    if not callable(getattr(source, "query_signed", None)):
        return None
    inner: DnsSource | None = getattr(source, "inner", None)
    wrapped = inner is not None and callable(getattr(inner, "query", None))
    if wrapped and signed_source(inner) is None:  # type: ignore[arg-type]
        return None
    return cast(SignedSource, source)


def make_signed(
    qname: str,
    rdtype: str,
    rdatas: Iterable[dns.rdata.Rdata],
    sigs: Iterable[dns.rdata.Rdata],
    authenticated: bool | None = None,
) -> SignedAnswer:
    """A NOERROR answer, records sorted (servers rotate RRsets; output must be stable)."""
    return SignedAnswer(
        qname,
        rdtype,
        Rcode.NOERROR,
        records=tuple(sorted(str(rd.to_text()) for rd in rdatas)),
        rrsigs=tuple(sorted(str(rd.to_text()) for rd in sigs)),
        authenticated=authenticated,
    )


def from_answer(answer: DnsAnswer) -> SignedAnswer:
    """A failed or negative plain answer as a signed one (no records, no signatures)."""
    return SignedAnswer(answer.qname, answer.rdtype, answer.rcode, detail=answer.detail)


def _name(qname: str) -> dns.name.Name:
    import dns.name

    return dns.name.from_text(qname or ".")

"""DNSSEC validation with dnspython's `dns.dnssec`: from a trust anchor down the chain of
DS -> DNSKEY links to the zone that signs a name, then that name's RRset (RFC 4035 §5).

Over any `SignedSource`, so it runs the same on live DNS, on a signed zone file offline and
against knotd in tests. The verdicts are RFC 4035 §4.3's: secure, insecure (a delegation
without DS: the chain ends, nothing is claimed), bogus (a signature or a DS link fails),
indeterminate (the chain could not be followed: a lookup failed, the anchor's zone is not
reachable offline, no anchor covers the name).

What is not done, on purpose for a linter: negative answers are not validated (NSEC/NSEC3
proofs of a missing DS or record are taken on trust, so "no DS" is reported from the answer,
not proved), and a DNSKEY set is trusted through any DS that matches a key which signs it.
"""

from __future__ import annotations

import asyncio
import time
import warnings
from enum import Enum
from typing import TYPE_CHECKING

from mailauth.dns.answer import name_text
from mailauth.dns.dnssec_names import ancestry, owner, strict_owner
from mailauth.dns.dnssec_reasons import ChainProblem, why
from mailauth.dns.interface import Rcode
from mailauth.dns.signed import SignedAnswer, SignedSource
from mailauth.dns.trust_anchor import TrustAnchors
from mailauth.frozen import frozen
from mailauth.model import Phrase

if TYPE_CHECKING:  # imported where used: `check --checks spf,dmarc` never validates
    import dns.dnssec
    import dns.name
    import dns.rdata
    import dns.rrset


def _load_dnssec() -> None:
    """Import `dns.dnssec` (and the crypto behind it, ~30 ms) on first use, not with this
    module: a check of an unsigned domain never validates a signature (start-up time)."""
    with warnings.catch_warnings():
        # dnspython's DSA module uses key classes cryptography 50+ marks deprecated; a user
        # running `mailauth check` must not see a library's warning on every run.
        warnings.simplefilter("ignore")
        import dns.dnssec  # noqa: F401  (binds dns.dnssec on the package)


class Security(str, Enum):
    """RFC 4035 §4.3."""

    SECURE = "secure"
    INSECURE = "insecure"
    BOGUS = "bogus"
    INDETERMINATE = "indeterminate"


@frozen
class ZoneLink:
    """One zone of the chain: how its keys were reached (`via`: trust-anchor or ds) and
    the verdict. `key_tags`: the DNSKEYs a DS or the anchor pointed at."""

    zone: str
    via: str
    status: Security
    key_tags: tuple[int, ...] = ()
    reason: Phrase | None = None


@frozen
class Validation:
    """The verdict on one RRset. `signer`: the zone whose keys signed it."""

    name: str
    rdtype: str
    status: Security
    answer: SignedAnswer
    chain: tuple[ZoneLink, ...] = ()
    signer: str | None = None
    reason: Phrase | None = None


@frozen
class _ZoneState:
    zone: str  # as `answer.name_text` spells it: the root is ""
    status: Security
    keys: dns.rrset.RRset | None
    chain: tuple[ZoneLink, ...]
    reason: Phrase | None = None


class Validator:
    """Validates names against `anchors` over `source`; zone verdicts are kept for the
    validator's life (one per domain run), so MX hosts in one zone share the work."""

    def __init__(
        self,
        source: SignedSource,
        anchors: TrustAnchors,
        now: float | None = None,
        *,
        eager: bool = False,
    ) -> None:
        self.source = source
        self.anchors = anchors
        self.now = now
        self.eager = eager
        self._zones: dict[str, asyncio.Future[_ZoneState]] = {}

    async def validate(self, name: str, rdtype: str) -> Validation:
        """Validate the RRset `name`/`rdtype` (asked with `query_signed`). The chain of
        trust down to the name is walked while the RRset is being asked, not after: its
        first step (the anchor's DNSKEY) needs nothing from the answer, so it costs no round
        trip of its own (issue 10), when the validator is `eager` (a domain checked alone: in
        a bulk run the two tasks this takes cost more than the round trip). Should the
        answer's owner not be the name asked (it always is with this project's sources),
        the chain to the answer's owner is used."""
        guess = owner(name) if self.eager else None
        if guess is None:
            answer = await self.source.query_signed(name, rdtype)
        else:
            answer, _ = await asyncio.gather(
                self.source.query_signed(name, rdtype), self.zone_state(guess)
            )
        state = await self.zone_state(strict_owner(answer.qname))  # memoized: as above
        base = Validation(name, answer.rdtype, state.status, answer, state.chain)
        if answer.is_error:
            return _with(base, Security.INDETERMINATE, _lookup_failed(answer))
        if not answer.records:
            # No RRset: nothing signed to check (NSEC proofs are not validated).
            return _with(base, state.status, state.reason)
        if state.status is not Security.SECURE or state.keys is None:
            return _with(base, state.status, state.reason, signer=None)
        zone = state.zone
        if not answer.rrsigs:
            return _with(base, Security.BOGUS, why(ChainProblem.NO_RRSIG), signer=zone)
        reason = self._check(answer.rrset(), answer.sigset(), state.zone, state.keys)
        status = Security.BOGUS if reason is not None else Security.SECURE
        return _with(base, status, reason, signer=zone)

    async def zone_state(self, name: str) -> _ZoneState:
        """The deepest zone at or above `name` (an `owner`) that the chain reaches, with its
        verdict."""
        above = ancestry(name)
        anchor = self.anchors.closest(above)
        if anchor is None:
            reason = why(ChainProblem.NO_ANCHOR, name=name or ".")
            return _ZoneState(name, Security.INDETERMINATE, None, (), reason)
        state = await self._memo(anchor, None)
        for child in reversed(above[: above.index(anchor)]):  # top first, below the anchor
            if state.status is not Security.SECURE:
                return state
            state = await self._memo(child, state)
        return state

    async def _memo(self, zone: str, parent: _ZoneState | None) -> _ZoneState:
        fut = self._zones.get(zone)
        if fut is None:
            work = self._anchored(zone) if parent is None else self._delegated(zone, parent)
            fut = asyncio.ensure_future(work)
            self._zones[zone] = fut
        return await asyncio.shield(fut)

    async def _anchored(self, zone: str) -> _ZoneState:
        """The anchor's own zone: its DNSKEY RRset signed by a key the anchor names."""
        keys = await self.source.query_signed(zone or ".", "DNSKEY")
        zt = zone or "."
        if keys.is_error or not keys.records:
            # Offline, the anchor's zone (the root) is seldom loaded: say that, not "UNRESOLVABLE".
            unreachable = not keys.is_error or keys.rcode is Rcode.UNRESOLVABLE
            because = (
                why(ChainProblem.ANCHOR_UNREACHABLE, zone=zt)
                if unreachable
                else _lookup_failed(keys)
            )
            link = ZoneLink(zt, "trust-anchor", Security.INDETERMINATE, reason=because)
            return _ZoneState(zone, Security.INDETERMINATE, None, (link,), because)
        rrset = keys.rrset()
        if zone in self.anchors.dnskey:
            wanted = set(self.anchors.dnskey_rrset(zone))
            trusted = [k for k in rrset if k in wanted]
        else:
            trusted = _matching_ds(zone, rrset, self.anchors.ds_rrset(zone))
        return self._keys_state(zone, "trust-anchor", keys, trusted, ())

    async def _delegated(self, child: str, parent: _ZoneState) -> _ZoneState:
        """One label below a secure zone: a zone cut with DS, one without, or no cut."""
        ct = child
        ds, keys = await asyncio.gather(
            self.source.query_signed(ct, "DS"), self.source.query_signed(ct, "DNSKEY")
        )
        if ds.records:
            assert parent.keys is not None
            reason = self._check(ds.rrset(), ds.sigset(), parent.zone, parent.keys)
            if not ds.rrsigs:
                parent_zone = parent.zone or "."
                reason = why(ChainProblem.DS_NOT_SIGNED, zone=ct, parent=parent_zone)
            if reason is not None:
                link = ZoneLink(ct, "ds", Security.BOGUS, reason=reason)
                return _ZoneState(child, Security.BOGUS, None, (*parent.chain, link), reason)
            if keys.is_error or not keys.records:
                because = why(ChainProblem.DS_WITHOUT_DNSKEY, zone=ct, rcode=keys.rcode.value)
                status = Security.INDETERMINATE if keys.is_error else Security.BOGUS
                link = ZoneLink(ct, "ds", status, reason=because)
                return _ZoneState(child, status, None, (*parent.chain, link), because)
            trusted = _matching_ds(child, keys.rrset(), ds.rrset())
            return self._keys_state(child, "ds", keys, trusted, parent.chain)
        if keys.records:  # a zone apex without DS: an insecure delegation (RFC 4035 §5.2)
            because = why(ChainProblem.NO_DS, zone=ct)
            link = ZoneLink(ct, "ds", Security.INSECURE, reason=because)
            return _ZoneState(child, Security.INSECURE, None, (*parent.chain, link), because)
        soa = await self.source.query_signed(ct, "SOA")
        if soa.records:  # an unsigned zone below a signed one, without DS: insecure
            because = why(ChainProblem.UNSIGNED_ZONE, zone=ct)
            link = ZoneLink(ct, "ds", Security.INSECURE, reason=because)
            return _ZoneState(child, Security.INSECURE, None, (*parent.chain, link), because)
        if ds.is_error and ds.rcode is not Rcode.UNRESOLVABLE:
            because = _lookup_failed(ds)
            link = ZoneLink(ct, "ds", Security.INDETERMINATE, reason=because)
            return _ZoneState(child, Security.INDETERMINATE, None, (*parent.chain, link), because)
        return parent  # no zone cut here: the parent's keys sign this name

    def _keys_state(
        self,
        zone: str,
        via: str,
        keys: SignedAnswer,
        trusted: list[dns.rdata.Rdata],
        chain: tuple[ZoneLink, ...],
    ) -> _ZoneState:
        _load_dnssec()
        import dns.rdataclass
        import dns.rdatatype
        import dns.rrset

        zt = zone or "."
        tags = tuple(sorted(dns.dnssec.key_id(k) for k in trusted))  # type: ignore[arg-type]
        if not trusted:
            code = ChainProblem.NO_KEY_FOR_DS if via == "ds" else ChainProblem.NO_KEY_FOR_ANCHOR
            because = why(code, zone=zt)
            link = ZoneLink(zt, via, Security.BOGUS, reason=because)
            return _ZoneState(zone, Security.BOGUS, None, (*chain, link), because)
        anchor_keys = dns.rrset.RRset(_name(zone), dns.rdataclass.IN, dns.rdatatype.DNSKEY)
        for k in trusted:
            anchor_keys.add(k)
        reason = self._check(keys.rrset(), keys.sigset(), zone, anchor_keys)
        if not keys.rrsigs:
            reason = why(ChainProblem.DNSKEY_NOT_SIGNED, zone=zt)
        if reason is not None:
            link = ZoneLink(zt, via, Security.BOGUS, tags, reason)
            return _ZoneState(zone, Security.BOGUS, None, (*chain, link), reason)
        link = ZoneLink(zt, via, Security.SECURE, tags)
        return _ZoneState(zone, Security.SECURE, keys.rrset(), (*chain, link))

    def _check(
        self,
        rrset: dns.rrset.RRset,
        sigs: dns.rrset.RRset,
        zone: str,
        keys: dns.rrset.RRset,
    ) -> Phrase | None:
        """None when some RRSIG by `zone`'s `keys` validates `rrset`, else why not."""
        _load_dnssec()
        import dns.exception

        now = self.now if self.now is not None else time.time()
        signer = _name(zone)
        try:
            dns.dnssec.validate(rrset, sigs, {signer: keys}, now=now)
        except dns.exception.ValidationFailure:
            return _explain(sigs, signer, now)
        except (dns.exception.DNSException, ValueError, TypeError):
            return why(ChainProblem.CANNOT_VALIDATE, zone=zone or ".")
        return None


def _explain(sigs: dns.rrset.RRset, zone: dns.name.Name, now: float) -> Phrase:
    """A reason a person can act on: expired or not yet valid signatures say so. dnspython's
    own message ("no RRSIGs validated") adds nothing to the code and is English only."""
    ours = [s for s in sigs if s.signer == zone]
    zt = name_text(zone) or "."
    if ours and all(s.expiration < now for s in ours):
        when = time.strftime("%Y-%m-%d", time.gmtime(max(s.expiration for s in ours)))
        return why(ChainProblem.SIGNATURE_EXPIRED, date=when)
    if ours and all(s.inception > now for s in ours):
        return why(ChainProblem.SIGNATURE_NOT_YET_VALID)
    if not ours:
        return why(ChainProblem.NO_RRSIG_BY_ZONE, zone=zt)
    return why(ChainProblem.SIGNATURE_INVALID, zone=zt)


def _lookup_failed(answer: SignedAnswer) -> Phrase:
    """A failed query as a reason: the name, type and rcode (the DnsAnswer's `detail` is the
    resolver library's English and stays out of the report)."""
    return why(
        ChainProblem.LOOKUP_FAILED,
        name=answer.qname or ".",
        rdtype=answer.rdtype,
        rcode=answer.rcode.value,
    )


def _matching_ds(
    zone: str, keys: dns.rrset.RRset, ds_set: dns.rrset.RRset
) -> list[dns.rdata.Rdata]:
    """The DNSKEYs some DS record matches (RFC 4034 §5.1.4 digest over owner + key)."""
    _load_dnssec()
    import dns.exception

    out: list[dns.rdata.Rdata] = []
    owner_name = _name(zone)
    for key in keys:
        for ds in ds_set:
            try:
                made = dns.dnssec.make_ds(owner_name, key, ds.digest_type)
            except (ValueError, dns.exception.DNSException):
                continue
            if made == ds:
                out.append(key)
                break
    return out


def _name(zone: str) -> dns.name.Name:
    """A chain name (`dnssec_names`) as dnspython's, for the code that checks signatures."""
    import dns.name

    return dns.name.from_text(zone or ".")


def _with(
    base: Validation, status: Security, reason: Phrase | None, signer: str | None = None
) -> Validation:
    return Validation(base.name, base.rdtype, status, base.answer, base.chain, signer, reason)

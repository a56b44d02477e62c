"""Turn authentication outcomes (DKIM, SPF, DMARC, ARC, FCrDNS, earlier results) into findings.

Kept apart from the evaluation code so each protocol module only says what happened, and all
"is this a problem, how bad" decisions sit in one readable place.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from mailauth.dns.reverse import ReverseDns, ReverseStatus
from mailauth.make_finding import finding
from mailauth.message.arc import ArcOutcome, ArcReason
from mailauth.message.authresults import Difference
from mailauth.message.dkim import MAX_SIGNATURES, MAX_SIGNED_HEADERS, DkimReason, DkimSignature
from mailauth.message.dmarc import DmarcOutcome
from mailauth.message.spf import SpfOutcome
from mailauth.model import Finding, Phrase, Result, Severity
from mailauth.names import to_unicode
from mailauth.records.dkim_key import RSA_MAX_BITS
from mailauth.records.dmarc import Policy

# Hostile values (a 100 kB DKIM-Signature) are shown cut to this many characters.
MAX_SHOWN = 300
# Params that stand for "nothing to show": words, so in the report's language.
_NO_RECORD = Phrase("verify.param.no-record")
_NONE = Phrase("verify.param.none")
_UNKNOWN_REASON = Phrase("verify.arc-reason.unknown")

_BY_REASON: dict[DkimReason, str] = {
    DkimReason.BODY_HASH_MISMATCH: "msg_dkim.body-hash-mismatch",
    DkimReason.SIGNATURE_MISMATCH: "msg_dkim.signature-mismatch",
    DkimReason.KEY_NOT_FOUND: "msg_dkim.key-not-found",
    DkimReason.KEY_LOOKUP_FAILED: "msg_dkim.lookup-failed",
    DkimReason.KEY_REVOKED: "msg_dkim.key-revoked",
    DkimReason.KEY_INVALID: "msg_dkim.key-invalid",
    DkimReason.KEY_ALGORITHM_MISMATCH: "msg_dkim.key-invalid",
    DkimReason.UNSUPPORTED: "msg_dkim.key-invalid",
    DkimReason.KEY_TOO_SHORT: "msg_dkim.key-too-short",
    DkimReason.SHA1: "msg_dkim.sha1",
    DkimReason.EXPIRED: "msg_dkim.expired",
    DkimReason.FUTURE_TIMESTAMP: "msg_dkim.malformed",
    DkimReason.MALFORMED: "msg_dkim.malformed",
    DkimReason.FROM_NOT_SIGNED: "msg_dkim.from-not-signed",
    DkimReason.KEY_TOO_LONG: "msg_dkim.key-too-long",
    DkimReason.TOO_MANY_SIGNED_HEADERS: "msg_dkim.too-many-signed-headers",
}


def dkim_findings(sigs: Sequence[DkimSignature], total: int, dmarc: DmarcOutcome) -> list[Finding]:
    from_domain = dmarc.from_domain
    if total == 0:
        # Without one From domain no signature could align and DMARC cannot be evaluated:
        # the From finding is the one to fix first, and there is no domain to advise on.
        return [finding("msg_dkim.missing", from_domain=from_domain)] if from_domain else []
    out: list[Finding] = []
    if total > MAX_SIGNATURES:
        out.append(finding("msg_dkim.too-many-signatures", count=total, limit=MAX_SIGNATURES))
    for sig in sigs:
        fid = _BY_REASON.get(sig.reason)
        if fid is not None:
            out.append(finding(fid, **_params(sig)))
        if sig.result is Result.PASS and sig.domain in dmarc.dkim_aligned:
            if sig.body_length is not None:
                fid = "msg_dkim.body-not-signed" if sig.body_length == 0 else "msg_dkim.length-tag"
                out.append(finding(fid, **_params(sig)))
            if not sig.from_oversigned:
                out.append(finding("msg_dkim.from-not-oversigned", **_params(sig)))
        if sig.result is Result.PASS and sig.key is not None and sig.key.testing:
            out.append(finding("msg_dkim.key-testing", **_params(sig)))
    passing = [s for s in sigs if s.result is Result.PASS]
    aligned = [s for s in passing if s.domain in dmarc.dkim_aligned]
    # "Not aligned" only when that is known for every passing signature: a domain whose
    # alignment hangs on a failed lookup is not known (msg_dmarc.lookup-failed says why).
    unknown = [s for s in passing if dmarc.dkim_alignment(s.domain) is None]
    if passing and not aligned and not unknown and from_domain:
        out.append(
            finding(
                "msg_dkim.not-aligned",
                domains=", ".join(dict.fromkeys(s.domain for s in passing)),
                from_domain=from_domain,
                mode=dmarc.dkim_mode.value,
            )
        )
    # RFC 8463 §6: a verifier without Ed25519 ignores these signatures; RSA next to them
    # keeps the message authenticated there.
    if from_domain and aligned and all(s.algorithm.startswith("ed25519-") for s in aligned):
        selectors = ", ".join(dict.fromkeys(s.selector for s in aligned))
        out.append(finding("msg_dkim.ed25519-only", from_domain=from_domain, selectors=selectors))
    return out


def _params(sig: DkimSignature) -> dict[str, Any]:
    """The values the msg_dkim.* templates use: data from the signature, its key and DNS."""
    params: dict[str, Any] = {
        "domain": sig.domain,
        "selector": sig.selector,
        "key_name": sig.key_name,
        "canonicalization": sig.canonicalization,
        "algorithm": sig.algorithm,
        "index": sig.index + 1,
    }
    match sig.reason:
        case DkimReason.KEY_NOT_FOUND | DkimReason.KEY_LOOKUP_FAILED:
            params["rcode"] = sig.key_rcode
        case DkimReason.KEY_INVALID | DkimReason.KEY_ALGORITHM_MISMATCH | DkimReason.UNSUPPORTED:
            params["record"] = sig.key.record if sig.key else _NONE
        case DkimReason.MALFORMED | DkimReason.FUTURE_TIMESTAMP:
            params["signature"] = sig.header_value[:MAX_SHOWN]
        case DkimReason.KEY_TOO_SHORT:
            params["bits"] = sig.key.key_bits if sig.key and sig.key.key_bits else sig.detail
        case DkimReason.EXPIRED:
            params["expiration"] = _expiration(sig.expiration)
        case DkimReason.KEY_TOO_LONG:
            params["bits"] = sig.key.key_bits if sig.key and sig.key.key_bits else sig.detail
            params["limit"] = RSA_MAX_BITS
        case DkimReason.TOO_MANY_SIGNED_HEADERS:
            params["count"] = sig.signed_header_count
            params["limit"] = MAX_SIGNED_HEADERS
        case DkimReason.VALID if sig.body_length is not None:
            params["length"] = sig.body_length
            params["unsigned"] = sig.unsigned_body_bytes
    return params


def _expiration(x: int | None) -> str:
    """x= as written, with the UTC time it stands for when that is a sane timestamp."""
    if x is None or x >= 2**33:
        return str(x)
    import datetime as dt  # only for an expired signature's finding (start-up, issue 10)

    return f"{x} ({dt.datetime.fromtimestamp(x, dt.timezone.utc).isoformat()})"


def spf_findings(spf: SpfOutcome, dmarc: DmarcOutcome) -> list[Finding]:
    ident = spf.identity
    if ident.ip is None:
        return [finding("msg_spf.no-ip")]
    domain = spf.domain
    if domain is None:  # no MAIL FROM or HELO domain: check_host had nothing to authorize
        return []
    common: dict[str, Any] = {"domain": domain, "ip": ident.ip}
    if spf.result in (Result.FAIL, Result.SOFTFAIL, Result.NEUTRAL):
        return [
            finding(
                "msg_spf.fail",
                result=spf.result.value,
                mail_from=ident.mail_from or "<>",
                record=spf.record or _NO_RECORD,
                **common,
            )
        ]
    if spf.result is Result.NONE and spf.domain:
        return [finding("msg_spf.none", **common)]
    if spf.result is Result.PERMERROR:
        return [finding("msg_spf.permerror", problem=spf.problem_phrase() or "", **common)]
    if spf.result is Result.TEMPERROR:
        return [finding("msg_spf.lookup-failed", problem=spf.problem_phrase() or "", **common)]
    if spf.result is Result.PASS and dmarc.from_domain and dmarc.spf_alignment is False:
        return [
            finding(
                "msg_spf.not-aligned",
                from_domain=dmarc.from_domain,
                mode=dmarc.spf_mode.value,
                **common,
            )
        ]
    return []


def dmarc_findings(dmarc: DmarcOutcome) -> list[Finding]:
    if not dmarc.from_addresses:
        return [finding("msg_dmarc.from-missing")]
    if len(dmarc.from_addresses) > 1:
        shown = ", ".join(dmarc.from_addresses[:5])
        multi = finding("msg_dmarc.from-multiple", count=len(dmarc.from_addresses), addresses=shown)
        if dmarc.authors:  # several domains: why the strictest applies, then each one's own
            each = [f for author in dmarc.authors for f in dmarc_findings(_single(author))]
            return [multi, _authors_finding(dmarc), *each]
        if dmarc.from_domain is None:
            return [multi]
        return [multi, *dmarc_findings(_single(dmarc))]
    domain = dmarc.from_domain
    if domain is None:  # one address whose domain is unusable: nothing was evaluated
        return []
    if dmarc.result is Result.TEMPERROR and dmarc.failure is not None:
        f = dmarc.failure
        return [
            finding("msg_dmarc.lookup-failed", from_domain=domain, name=f.name, rcode=f.rcode.value)
        ]
    if dmarc.result is Result.NONE:
        org = dmarc.org_domain or domain
        found = [finding("msg_dmarc.none", from_domain=domain, org_domain=org)]
        if "xn--" in domain:  # an IDN: say which name receivers query (issue 14)
            shown = to_unicode(domain)
            found.append(
                finding(
                    "msg_dmarc.idn-no-policy",
                    from_alabel=domain,
                    unicode_domain=shown,
                    org_alabel=org,
                )
            )
        return found
    if dmarc.result is Result.FAIL:
        policy = (dmarc.policy or Policy.NONE).value
        disposition = dmarc.disposition.value
        if dmarc.spf_unknown:  # the FAIL rests on DKIM alone: say so, do not claim SPF failed
            return [
                finding(
                    "msg_dmarc.spf-unknown",
                    from_domain=domain,
                    policy=policy,
                    disposition=disposition,
                )
            ]
        # The catalogue's severity rule: critical where the failure costs delivery.
        enforced = dmarc.disposition in (Policy.REJECT, Policy.QUARANTINE)
        return [
            finding(
                "msg_dmarc.fail",
                severity=Severity.CRITICAL if enforced else None,
                from_domain=domain,
                policy=policy,
                disposition=disposition,
            )
        ]
    return []


def _single(dmarc: DmarcOutcome) -> DmarcOutcome:
    return replace(dmarc, from_addresses=dmarc.from_addresses[:1])


def _authors_finding(dmarc: DmarcOutcome) -> Finding:
    """msg_dmarc.multiple-author-domains: each author domain's result, and which decides."""
    results = ", ".join(
        f"{a.from_domain} {a.result.value}" + (f" (p={a.policy.value})" if a.policy else "")
        for a in dmarc.authors
    )
    if dmarc.authors_total > len(dmarc.authors):
        results += ", …"
    return finding(
        "msg_dmarc.multiple-author-domains",
        count=dmarc.authors_total,
        results=results,
        disposition=dmarc.disposition.value,
        domain=dmarc.decided_by,
    )


def arc_findings(arc: ArcOutcome, dmarc: DmarcOutcome) -> list[Finding]:
    if arc.reason_code is ArcReason.KEY_LOOKUP_FAILED:  # not known to be broken: say why
        return [finding("msg_arc.lookup-failed", **arc.reason_params)]
    if arc.result is Result.FAIL:
        return [finding("msg_arc.fail", reason=arc.reason_phrase() or _UNKNOWN_REASON)]
    sealer = arc.sealer
    if arc.result is Result.PASS and dmarc.result is Result.FAIL and sealer is not None:
        return [
            finding(
                "msg_arc.may-override",
                sealer=sealer.seal_domain,
                instances=arc.instances,
                results=sealer.results[:300],
            )
        ]
    return []


def fcrdns_findings(reverse: ReverseDns | None) -> list[Finding]:
    if reverse is None or reverse.status is ReverseStatus.CONFIRMED:
        return []
    f = reverse.failure
    if f is not None:  # UNKNOWN: a lookup failed, so nothing is known about the records
        return [
            finding(
                "msg_transport.lookup-failed",
                ip=reverse.address,
                name=f.name,
                rdtype=f.rdtype,
                rcode=f.rcode.value,
            )
        ]
    names = ", ".join(reverse.names) or _NONE
    return [finding("msg_transport.fcrdns-fail", ip=reverse.address, names=names)]


def authres_findings(diffs: Sequence[Difference]) -> list[Finding]:
    """Differences from the receiver's results on arrival. Those where verifying now gave
    temperror are our own failed lookups, not a changed message or key: one finding per
    receiver says so (and, as a lookup failure, leaves the score marked incomplete)."""
    out: list[Finding] = []
    unchecked: dict[str, list[str]] = {}
    for d in diffs:
        method = d.method + (f" ({d.identifier})" if d.identifier else "")
        if d.now is Result.TEMPERROR:
            unchecked.setdefault(d.authserv_id, []).append(f"{method}={d.then}")
            continue
        out.append(
            finding(
                "msg_authres.differs",
                authserv_id=d.authserv_id,
                method=method,
                then=d.then,
                now=d.now.value,
            )
        )
    for authserv_id, results in unchecked.items():
        shown = ", ".join(dict.fromkeys(results))
        out.append(finding("msg_authres.lookup-failed", authserv_id=authserv_id, results=shown))
    return out

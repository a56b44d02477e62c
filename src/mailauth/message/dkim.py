"""Verify every DKIM-Signature of a message (RFC 6376, RFC 8463 ed25519, RFC 8301) with dkimpy.

dkimpy's `DKIM.verify()` checks one signature (the first, unless told `idx=`) and answers
True/False or raises; a known pitfall of dkimpy-based tools is to stop at the first. Here every
signature is verified in turn, and "False" is turned into a reason a mail admin understands by
looking at what DNS returned for the key (through `SyncDns.answers`) and at the signature tags.

Result words are RFC 8601 §2.7.1's: pass; fail (body or header hash mismatch); neutral (the
signature has syntax errors); policy (valid, but not acceptable: an RSA key under 1024 bits or
rsa-sha1, RFC 8301); temperror (the key lookup failed); permerror (no key, revoked or unusable
key, expired, From not signed).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace
from enum import Enum

import dkim
from dkim.util import InvalidTagValueList, parse_tag_value

from mailauth.dns.interface import DnsSource
from mailauth.message.dnsbridge import SyncDns
from mailauth.message.parse import ParsedMessage
from mailauth.model import Result
from mailauth.records.dkim_key import DkimKey, parse_dkim_key

# RFC 6376 §6.1: verifiers MAY limit the number of signatures they try; 1,000 signatures
# (a hostile message) would otherwise cost 1,000 body hashes and key lookups.
MAX_SIGNATURES = 50
RSA_MIN_BITS = 1024  # RFC 8301 §3.2


class DkimReason(str, Enum):
    """Why a signature got its result. Plain-words text: `findings.message.DKIM_REASON_TEXT`."""

    VALID = "valid"
    BODY_HASH_MISMATCH = "body-hash-mismatch"
    SIGNATURE_MISMATCH = "signature-mismatch"
    KEY_NOT_FOUND = "key-not-found"
    KEY_LOOKUP_FAILED = "key-lookup-failed"
    KEY_REVOKED = "key-revoked"
    KEY_INVALID = "key-invalid"
    KEY_ALGORITHM_MISMATCH = "key-algorithm-mismatch"
    KEY_TOO_SHORT = "key-too-short"
    SHA1 = "sha1"
    EXPIRED = "expired"
    FUTURE_TIMESTAMP = "future-timestamp"
    FROM_NOT_SIGNED = "from-not-signed"
    MALFORMED = "malformed"
    UNSUPPORTED = "unsupported"


@dataclass(frozen=True)
class DkimSignature:
    """One DKIM-Signature header field and its verification outcome."""

    index: int  # 0 = topmost (newest) signature
    domain: str
    selector: str
    algorithm: str
    canonicalization: str
    result: Result
    reason: DkimReason
    detail: str = ""  # the library's own words, for --debug and bug reports
    identity: str | None = None
    signed_headers: tuple[str, ...] = ()
    body_length: int | None = None  # l=
    unsigned_body_bytes: int = 0  # body bytes after l= (not covered by the signature)
    timestamp: int | None = None
    expiration: int | None = None
    key: DkimKey | None = None
    from_oversigned: bool = False

    @property
    def key_name(self) -> str:
        return f"{self.selector}._domainkey.{self.domain}"


async def verify_dkim(
    message: ParsedMessage, dns: DnsSource, timeout: float
) -> tuple[list[DkimSignature], int]:
    """Verify up to MAX_SIGNATURES signatures; return them and the total number present."""
    total = len(message.all("DKIM-Signature"))
    if total == 0:
        return [], 0
    bridge = SyncDns.for_running_loop(dns, timeout)
    count = min(total, MAX_SIGNATURES)
    from_count = len(message.all("From"))
    results = await asyncio.to_thread(_verify_all, message.dkim_bytes, bridge, count, from_count)
    return results, total


def _verify_all(raw: bytes, bridge: SyncDns, count: int, from_count: int) -> list[DkimSignature]:
    """Runs in a worker thread: dkimpy is synchronous and looks keys up through `bridge`."""
    verifier = dkim.DKIM(raw, minkey=0)  # key size is judged below, with a reason
    signatures = [(n, v) for n, v in verifier.headers if n.lower() == b"dkim-signature"]
    return [_verify_one(verifier, i, signatures[i][1], bridge, from_count) for i in range(count)]


def _verify_one(
    verifier: dkim.DKIM, idx: int, value: bytes, bridge: SyncDns, from_count: int
) -> DkimSignature:
    try:
        tags = parse_tag_value(value)
    except InvalidTagValueList as exc:
        return _bare(idx, Result.NEUTRAL, DkimReason.MALFORMED, str(exc))
    sig = _describe(idx, tags, from_count)
    if not sig.domain or not sig.selector or not tags.get(b"h"):
        return _with(sig, Result.NEUTRAL, DkimReason.MALFORMED, "missing d=, s= or h=")
    if "from" not in sig.signed_headers:  # RFC 6376 §5.4, §6.1.1: PERMFAIL
        return _with(sig, Result.PERMERROR, DkimReason.FROM_NOT_SIGNED, "h= has no From")
    try:
        ok = verifier.verify(idx=idx, dnsfunc=bridge.dkim_txt)
    except dkim.ValidationError as exc:
        return _from_validation_error(sig, str(exc))
    except dkim.NaClNotFoundError as exc:
        return _with(sig, Result.PERMERROR, DkimReason.UNSUPPORTED, str(exc))
    except (dkim.KeyFormatError, dkim.UnknownKeyTypeError) as exc:
        return _with(sig, Result.PERMERROR, DkimReason.KEY_INVALID, str(exc), _key(sig, bridge))
    except dkim.DKIMException as exc:
        return _with(sig, Result.NEUTRAL, DkimReason.MALFORMED, str(exc))
    except Exception as exc:  # a dkimpy bug on hostile input must not end the run
        return _with(sig, Result.PERMERROR, DkimReason.MALFORMED, f"{type(exc).__name__}: {exc}")
    return _judge(sig, bool(ok), verifier, bridge)


def _judge(sig: DkimSignature, ok: bool, verifier: dkim.DKIM, bridge: SyncDns) -> DkimSignature:
    answer = bridge.answer_for(sig.key_name, "TXT")
    key = _key(sig, bridge)
    if ok:
        body_len = len(verifier.body) if sig.body_length is not None else 0
        sig = _with(sig, Result.PASS, DkimReason.VALID, "", key)
        if sig.body_length is not None:
            sig = _replace(sig, unsigned_body_bytes=max(0, body_len - sig.body_length))
        if key and key.key_type == "rsa" and (verifier.keysize or 0) < RSA_MIN_BITS:
            return _with(sig, Result.POLICY, DkimReason.KEY_TOO_SHORT, str(verifier.keysize), key)
        if sig.algorithm == "rsa-sha1":  # RFC 8301 §3.1
            return _with(sig, Result.POLICY, DkimReason.SHA1, "", key)
        return sig
    if answer is not None and answer.is_error:
        detail = f"{answer.rcode.value} {answer.detail}".strip()
        return _with(sig, Result.TEMPERROR, DkimReason.KEY_LOOKUP_FAILED, detail)
    if key is None:
        rcode = answer.rcode.value if answer else "no answer"
        return _with(sig, Result.PERMERROR, DkimReason.KEY_NOT_FOUND, rcode)
    if key.revoked:
        return _with(sig, Result.PERMERROR, DkimReason.KEY_REVOKED, "", key)
    if not key.usable:
        problems = ", ".join(i.problem.value for i in key.problems)
        return _with(sig, Result.PERMERROR, DkimReason.KEY_INVALID, problems, key)
    if not sig.algorithm.startswith(key.key_type + "-"):
        detail = f"a={sig.algorithm} k={key.key_type}"
        return _with(sig, Result.PERMERROR, DkimReason.KEY_ALGORITHM_MISMATCH, detail, key)
    return _with(sig, Result.FAIL, DkimReason.SIGNATURE_MISMATCH, "", key)


def _from_validation_error(sig: DkimSignature, text: str) -> DkimSignature:
    if text.startswith("body hash mismatch"):
        return _with(sig, Result.FAIL, DkimReason.BODY_HASH_MISMATCH, text)
    if text.startswith("x= value is past"):
        return _with(sig, Result.PERMERROR, DkimReason.EXPIRED, text)
    if text.startswith("t= value is in the future"):
        return _with(sig, Result.PERMERROR, DkimReason.FUTURE_TIMESTAMP, text)
    return _with(sig, Result.NEUTRAL, DkimReason.MALFORMED, text)


def _key(sig: DkimSignature, bridge: SyncDns) -> DkimKey | None:
    answer = bridge.answer_for(sig.key_name, "TXT")
    if answer is None or answer.is_error or not answer.txt:
        return None
    texts = answer.texts()
    keyish = [t for t in texts if "p=" in t]
    return parse_dkim_key((keyish or texts)[0])


def _describe(idx: int, tags: dict[bytes, bytes], from_count: int) -> DkimSignature:
    def text(name: bytes) -> str:
        return tags.get(name, b"").decode("utf-8", "replace").strip()

    signed = tuple(h.strip().lower() for h in text(b"h").split(":") if h.strip())
    return DkimSignature(
        index=idx,
        domain=text(b"d").lower().rstrip("."),
        selector=text(b"s").lower(),
        algorithm=text(b"a").lower(),
        canonicalization=text(b"c").lower() or "simple/simple",
        result=Result.NONE,
        reason=DkimReason.VALID,
        identity=text(b"i") or None,
        signed_headers=signed,
        body_length=_int(text(b"l")),
        timestamp=_int(text(b"t")),
        expiration=_int(text(b"x")),
        # RFC 6376 §8.15: listing From once more than it occurs stops a second From being added.
        from_oversigned=signed.count("from") > from_count,
    )


def _int(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) <= 20 else None


def _bare(idx: int, result: Result, reason: DkimReason, detail: str) -> DkimSignature:
    return DkimSignature(idx, "", "", "", "", result, reason, detail)


def _with(
    sig: DkimSignature, result: Result, reason: DkimReason, detail: str, key: DkimKey | None = None
) -> DkimSignature:
    return _replace(sig, result=result, reason=reason, detail=detail, key=key or sig.key)


def _replace(sig: DkimSignature, **changes: object) -> DkimSignature:
    return replace(sig, **changes)  # type: ignore[arg-type]

"""Verify every DKIM-Signature of a message (RFC 6376, RFC 8463 ed25519, RFC 8301).

Each signature is checked by the native verifier (message/dkimverify.py: bytes-based
canonicalization streamed through the hash and shared between signatures, RSA in Python
(message/rsapkcs1.py), Ed25519 through libsodium (PyNaCl)), which gives dkimpy's verdict for the
same bytes; dkimpy stays the reference it is tested against. Every signature is verified in
turn (a known pitfall of dkimpy-based tools is to stop at the first), and "does not verify"
is turned into a reason a mail admin understands by looking at what DNS returned for the key
(through `SyncDns.answers`) and at the signature tags.

Result words are RFC 8601 §2.7.1's: pass; fail (body or header hash mismatch); neutral (the
signature has syntax errors); policy (valid, but not acceptable: an RSA key under 1024 bits or
rsa-sha1, RFC 8301); temperror (the key lookup failed); permerror (no key, revoked or unusable
key, expired, From not signed).
"""

from __future__ import annotations

import contextlib
import functools
import time
from collections.abc import Mapping
from dataclasses import replace
from enum import Enum

from mailauth.dns.interface import DnsSource
from mailauth.frozen import frozen
from mailauth.message.dkimsyntax import (
    InvalidTagValueList,
    parse_tag_value,
    validate_signature_fields,
)
from mailauth.message.dkimverify import DkimMessage, KeyLookup, Verdict
from mailauth.message.dnsbridge import NotPrefetched, SyncDns, key_record, run_verifier
from mailauth.message.parse import ParsedMessage
from mailauth.model import Result
from mailauth.records.dkim_key import RSA_MAX_BITS, DkimKey, KeyProblem, parse_dkim_key

# RFC 6376 §6.1: verifiers MAY limit the number of signatures they try; 1,000 signatures
# (a hostile message) would otherwise cost 1,000 body hashes and key lookups.
MAX_SIGNATURES = 50
RSA_MIN_BITS = 1024  # RFC 8301 §3.2
# Real signers list a few dozen names in h= (over-signing doubles some); more than this is
# not verified (RFC 6376 §6.1: verifiers MAY limit their work). dkimpy, which ARC still
# uses, scans the whole header section per name: 15,000 names cost seconds per signature.
MAX_SIGNED_HEADERS = 100
# RFC 6376 §3.5: t= and x= are 1*12DIGIT, l= is 1*76DIGIT. Longer values are syntax errors
# (and past 4,300 digits Python's int() refuses them inside dkimpy).
_MAX_DIGITS = {b"t": 12, b"x": 12, b"l": 76}


_Tags = tuple[tuple[bytes, bytes], ...]  # a signature's tags, as `_key_names` noted them

# A key record read once (its RSA key's DER included) for every message signed with
# it: a folder of mail is signed by a few keys. DkimKey is frozen and never changed.
key_from_record = functools.lru_cache(maxsize=256)(parse_dkim_key)


class DkimReason(str, Enum):
    """Why a signature got its result. Plain words: the UI catalogue's `verify.dkim-reason.*`."""

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
    KEY_TOO_LONG = "key-too-long"  # RSA over RSA_MAX_BITS: not verified (RFC 8301 §3.2)
    TOO_MANY_SIGNED_HEADERS = "too-many-signed-headers"  # h= over MAX_SIGNED_HEADERS


@frozen
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
    # The key query's outcome when it gave no key: NXDOMAIN, NODATA, or the failure's rcode
    # (SERVFAIL, TIMEOUT...). A value for findings, unlike `detail`.
    key_rcode: str = ""
    header_value: str = ""  # the field's value, whitespace collapsed (evidence when malformed)
    identity: str | None = None
    signed_headers: tuple[str, ...] = ()
    signed_header_count: int = 0  # names in h= as dkimpy counts them (empty ones too)
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
    """Verify up to MAX_SIGNATURES signatures; return them and the total number present.

    The keys are looked up first, all at once, on the event loop; verification then finds
    them in the bridge instead of waiting for one round trip per signature. It runs on the
    loop's thread (`run_verifier`), or in a worker thread for a large message or when it
    needs a lookup the prefetch missed (which then goes through the bridge).
    """
    fields = [h.raw.partition(b":")[2] for h in message.all("DKIM-Signature")]
    total = len(fields)
    if total == 0:
        return [], 0
    fields = fields[:MAX_SIGNATURES]
    bridge = SyncDns.for_running_loop(dns, timeout)
    validated: dict[tuple[tuple[bytes, bytes], ...], int] = {}
    await bridge.prefetch((name, "TXT") for name in _key_names(fields, validated))
    from_count = len(message.all("From"))
    _split_once(message)
    results = await run_verifier(
        len(message.dkim_bytes),
        lambda: _verify_all(message, fields, bridge, from_count, validated),
    )
    return results, total


def _split_once(message: ParsedMessage) -> None:
    """Split the message for the verifiers here, on the event loop, before the DKIM and ARC
    worker threads both ask for it (`ParsedMessage.dkim_message` keeps the one answer)."""
    with contextlib.suppress(Exception):  # kept, and raised again to the verifier that asks
        message.dkim_message()


def _key_names(fields: list[bytes], validated: dict[_Tags, int] | None = None) -> list[str]:
    """The key records verification will ask for: those of signatures that get as far as the
    key lookup (well-formed tags, From signed, dkimpy's field checks passed). `validated`
    receives the tags of each field whose checks passed here, with the second of the clock
    they read (t= and x=, in whole seconds): the checks are a function of the tags and that
    second, so verification does not run them again on the same tags within it (issue 10;
    keyed by the tags, not the field's bytes: the verifier reads the field from its own
    split of the message, with a final CRLF)."""
    names: list[str] = []
    for value in fields:
        try:
            tags = parse_tag_value(value)
            if _tag_problem(tags) is not None:
                continue
            validate_signature_fields(tags)
        except Exception:  # InvalidTagValueList, DKIMException, or a dkimpy bug: no lookup
            continue
        if validated is not None:
            validated[tuple(tags.items())] = int(time.time())
        signed = {h.strip().lower() for h in tags[b"h"].split(b":")}
        if tags[b"s"] and tags[b"d"] and b"from" in signed:
            names.append((tags[b"s"] + b"._domainkey." + tags[b"d"]).decode("utf-8", "replace"))
    return names


def _verify_all(
    parsed: ParsedMessage,
    fields: list[bytes],
    bridge: SyncDns,
    from_count: int,
    validated: Mapping[_Tags, int] | None = None,
) -> list[DkimSignature]:
    """Runs in a worker thread: verification is CPU work, and looks keys up through `bridge`."""
    try:
        message = parsed.dkim_message()  # shared with ARC: one body hash for both
    except Exception as exc:
        # A header section dkimpy's reading refuses (obsolete "Name : value", RFC 5322
        # §4.5.3, that a simple-canonicalization signature keeps): no signature can be
        # checked, which is a permanent error for each.
        detail = f"{type(exc).__name__}: {exc}"
        return [_unverifiable(i, value, from_count, detail) for i, value in enumerate(fields)]
    lookup = _key_lookup(bridge)
    keys: dict[str, DkimKey | None] = {}
    done: dict[tuple[bytes, bytes], DkimSignature] = {}
    out: list[DkimSignature] = []
    for idx, (name, value) in enumerate(message.signatures()[: len(fields)]):
        # A byte-identical signature field verifies identically wherever it stands: the
        # header hash covers the h= fields, picked bottom-up by name (RFC 6376 §5.4.2), and
        # this field itself; the body hash ignores position. 1,000 copies cost one check.
        same = done.get((name, value))
        if same is not None:
            out.append(replace(same, index=idx))
            continue
        try:
            sig = _verify_one(message, idx, value, bridge, lookup, from_count, keys, validated)
        except NotPrefetched:  # run inline, a key not prefetched: verify_dkim retries in a thread
            raise
        except Exception as exc:  # the library boundary: one signature's result, not a crash
            sig = _unverifiable(idx, value, from_count, f"{type(exc).__name__}: {exc}")
        done[(name, value)] = sig
        out.append(sig)
    return out


def _key_lookup(bridge: SyncDns) -> KeyLookup:
    """The verifier's key lookup over the bridge: the record (`key_record`), None when there
    is none or the lookup failed (`_judge` tells those apart from `bridge.answers`)."""

    def lookup(name: bytes) -> bytes | None:
        answer = bridge.query(name.decode("utf-8", "replace"), "TXT")
        return None if answer.is_error else key_record(answer)

    return lookup


def _verify_one(
    message: DkimMessage,
    idx: int,
    value: bytes,
    bridge: SyncDns,
    lookup: KeyLookup,
    from_count: int,
    keys: dict[str, DkimKey | None],
    validated: Mapping[_Tags, int] | None = None,
) -> DkimSignature:
    try:
        tags = parse_tag_value(value)
    except InvalidTagValueList as exc:
        return _bare(idx, value, Result.NEUTRAL, DkimReason.MALFORMED, str(exc))
    sig = _describe(idx, value, tags, from_count)
    if not sig.domain or not sig.selector or not tags.get(b"h"):
        return _with(sig, Result.NEUTRAL, DkimReason.MALFORMED, "missing d=, s= or h=")
    if "from" not in sig.signed_headers:  # RFC 6376 §5.4, §6.1.1: PERMFAIL
        return _with(sig, Result.PERMERROR, DkimReason.FROM_NOT_SIGNED, "h= has no From")
    problem = _tag_problem(tags)
    if problem is not None:
        return _with(sig, Result.NEUTRAL, DkimReason.MALFORMED, problem)
    if sig.signed_header_count > MAX_SIGNED_HEADERS:
        detail = f"h= names {sig.signed_header_count} header fields (limit {MAX_SIGNED_HEADERS})"
        return _with(sig, Result.NEUTRAL, DkimReason.TOO_MANY_SIGNED_HEADERS, detail)
    # Checked once (`_key_names`), unless the clock has moved to another second since.
    checked = validated.get(tuple(tags.items())) if validated else None
    valid = checked == int(time.time()) or _fields_valid(tags)
    refused = _refuse_key(sig, bridge, keys) if valid else None
    if refused is not None:
        return refused
    outcome = message.verify(idx, lookup, validated=valid)
    match outcome.verdict:
        case Verdict.PASS | Verdict.FAIL:
            ok = outcome.verdict is Verdict.PASS
            return _judge(sig, ok, outcome.key_bits, message.body_length, bridge, keys)
        case Verdict.BODY_HASH_MISMATCH | Verdict.INVALID_TAG:
            return _from_validation_error(sig, outcome.detail)
        case Verdict.KEY_UNUSABLE:
            key = _key(sig, bridge, keys)
            return _with(sig, Result.PERMERROR, DkimReason.KEY_INVALID, outcome.detail, key)
        case Verdict.FORMAT_ERROR:
            return _with(sig, Result.NEUTRAL, DkimReason.MALFORMED, outcome.detail)
        case Verdict.ERROR:  # a Python error on hostile input, as dkimpy would raise it
            return _with(sig, Result.PERMERROR, DkimReason.MALFORMED, outcome.detail)


def _tag_problem(tags: dict[bytes, bytes]) -> str | None:
    """A number tag longer than RFC 6376 §3.5 allows, in words; None when all are fine."""
    for name, limit in _MAX_DIGITS.items():
        value = tags.get(name, b"").strip()
        if len(value) > limit:
            tag = name.decode()
            return f"{tag}= has {len(value):,} characters; RFC 6376 §3.5 allows {limit} digits"
    return None


def _fields_valid(tags: dict[bytes, bytes]) -> bool:
    """Whether dkimpy's field checks pass; when they fail, verification meets the same
    error, which gives the result."""
    try:
        validate_signature_fields(tags)
    except Exception:
        return False
    return True


def _refuse_key(
    sig: DkimSignature, bridge: SyncDns, keys: dict[str, DkimKey | None]
) -> DkimSignature | None:
    """A key we do not verify with (`DkimKey.refused_by_verifier`: over 4,096 bits, a huge
    exponent). The key is looked up here if the prefetch did not get it (verification would
    ask the same question next, and find this answer); only for a signature whose fields
    pass dkimpy's checks (others are refused before their key is looked up)."""
    if bridge.answer_for(sig.key_name, "TXT") is None:
        bridge.query(sig.key_name, "TXT")
    key = _key(sig, bridge, keys)
    refused = key.refused_by_verifier() if key is not None else None
    if refused is None:
        return None
    if refused is KeyProblem.KEY_TOO_LONG:
        detail = f"{key.key_bits if key else '?'} bits (limit {RSA_MAX_BITS})"
        return _with(sig, Result.PERMERROR, DkimReason.KEY_TOO_LONG, detail, key)
    return _with(sig, Result.PERMERROR, DkimReason.KEY_INVALID, refused.value, key)


def _unverifiable(idx: int, value: bytes, from_count: int, detail: str) -> DkimSignature:
    try:
        sig = _describe(idx, value, parse_tag_value(value), from_count)
    except Exception:  # InvalidTagValueList, or anything else hostile input provokes
        return _bare(idx, value, Result.PERMERROR, DkimReason.MALFORMED, detail)
    return _with(sig, Result.PERMERROR, DkimReason.MALFORMED, detail)


def _judge(
    sig: DkimSignature,
    ok: bool,
    key_bits: int | None,
    body_len: int,
    bridge: SyncDns,
    keys: dict[str, DkimKey | None],
) -> DkimSignature:
    answer = bridge.answer_for(sig.key_name, "TXT")
    key = _key(sig, bridge, keys)
    if ok:
        sig = _with(sig, Result.PASS, DkimReason.VALID, "", key)
        if sig.body_length is not None:
            sig = replace(sig, unsigned_body_bytes=max(0, body_len - sig.body_length))
        if key and key.key_type == "rsa" and (key_bits or 0) < RSA_MIN_BITS:
            return _with(sig, Result.POLICY, DkimReason.KEY_TOO_SHORT, str(key_bits), key)
        if sig.algorithm == "rsa-sha1":  # RFC 8301 §3.1
            return _with(sig, Result.POLICY, DkimReason.SHA1, "", key)
        return sig
    if answer is not None and answer.is_error:
        detail = f"{answer.rcode.value} {answer.detail}".strip()
        failed = _with(sig, Result.TEMPERROR, DkimReason.KEY_LOOKUP_FAILED, detail)
        return replace(failed, key_rcode=answer.rcode.value)
    if key is None:
        # No TXT record at all (key_record takes any): NXDOMAIN or NODATA.
        rcode = "NODATA" if answer is None or answer.ok else answer.rcode.value
        return replace(
            _with(sig, Result.PERMERROR, DkimReason.KEY_NOT_FOUND, rcode), key_rcode=rcode
        )
    if key.revoked:
        return _with(sig, Result.PERMERROR, DkimReason.KEY_REVOKED, "", key)
    if not key.usable:
        problems = ", ".join(p.code.value for p in key.problems)
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


def _key(sig: DkimSignature, bridge: SyncDns, keys: dict[str, DkimKey | None]) -> DkimKey | None:
    """The key record verification was given, as we read it (for the reasons a "does not
    verify" does not give),
    parsed once per name: many signatures usually share one selector."""
    name = sig.key_name
    if name not in keys:
        answer = bridge.answer_for(name, "TXT")
        record = key_record(answer) if answer is not None and not answer.is_error else None
        keys[name] = key_from_record(record.decode("utf-8", "replace")) if record else None
    return keys[name]


def _describe(idx: int, value: bytes, tags: dict[bytes, bytes], from_count: int) -> DkimSignature:
    def text(name: bytes) -> str:
        return tags.get(name, b"").decode("utf-8", "replace").strip()

    signed = tuple(h.strip().lower() for h in text(b"h").split(":") if h.strip())
    # DkimSignature(...) without its frozen `__init__` (19 `object.__setattr__` calls, ~8 us
    # per signature, issue 10): every field, in the order the class declares them, as the
    # constructor sets them; DkimSignature has no `__post_init__`.
    # tests/unit/message/test_dkim_describe.py holds the result to the constructor's.
    sig = object.__new__(DkimSignature)
    sig.__dict__.update(
        index=idx,
        domain=text(b"d").lower().rstrip("."),
        selector=text(b"s").lower(),
        algorithm=text(b"a").lower(),
        canonicalization=text(b"c").lower() or "simple/simple",
        result=Result.NONE,
        reason=DkimReason.VALID,
        detail="",
        key_rcode="",
        header_value=_unfolded(value),
        identity=text(b"i") or None,
        signed_headers=signed,
        signed_header_count=len(tags[b"h"].split(b":")) if tags.get(b"h") else 0,
        body_length=_int(text(b"l")),
        unsigned_body_bytes=0,
        timestamp=_int(text(b"t")),
        expiration=_int(text(b"x")),
        key=None,
        # RFC 6376 §8.15: listing From once more than it occurs stops a second From being added.
        from_oversigned=signed.count("from") > from_count,
    )
    return sig


def _int(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) <= 20 else None


def _unfolded(value: bytes) -> str:
    return " ".join(value.decode("utf-8", "replace").split())


def _bare(idx: int, value: bytes, result: Result, reason: DkimReason, detail: str) -> DkimSignature:
    return DkimSignature(idx, "", "", "", "", result, reason, detail, header_value=_unfolded(value))


def _with(
    sig: DkimSignature, result: Result, reason: DkimReason, detail: str, key: DkimKey | None = None
) -> DkimSignature:
    return _changed(sig, result=result, reason=reason, detail=detail, key=key or sig.key)


def _changed(sig: DkimSignature, **changes: object) -> DkimSignature:
    """`dataclasses.replace(sig, **changes)` for the result fields, without its walk over
    the ~20 fields and the generated `__init__` (one per signature and result: ~1.5 % of a
    small message's verify, issue 10). The copy's attributes are the original's with
    `changes` over them, which is what `replace` builds; DkimSignature has no
    `__post_init__` and no derived field (a test holds the two to the same result)."""
    new = object.__new__(DkimSignature)
    state = new.__dict__
    state.update(sig.__dict__)
    state.update(changes)
    return new

"""Verify an ARC chain natively (RFC 8617): the ARC-Message-Signatures and ARC-Seals checked
with our own header canonicalization and RSA (message/rsapkcs1.py), over the same
`DkimMessage` as the DKIM signatures, so an AMS's body hash is the DKIM body-hash cache's (one
hash per canonicalization, algorithm and l= for every DKIM-Signature and AMS of the message).

Why not dkimpy's `arc_verify` any more: it parses the message again, canonicalizes every
header field again for every seal and signature, hashes the body again with regular
expressions; bench/verify_native.py measures the difference.

The answer is dkimpy's, for the same bytes: `arc_verify` returns what `dkim.arc_verify`
returns (cv, one result dict per instance, newest first, the reason in dkimpy's words) and
raises what it raises (a Python error dkimpy does not catch, the `_KeyRefused` of the key
lookup). message/arc.py maps those words to our reason codes, as it did with dkimpy, and
dkimpy stays the oracle: tests/unit/message/test_arc_native_body.py and
tests/unit/message/test_verify_differential.py hold the two to the same answer on the ARC
conformance suite and on generated chains, broken ones included. So the rules and their order
are dkimpy's reading of RFC 8617 §5.2:
- the ARC header fields are read in relaxed form; each one's instance is the first `i=` in
  its value; sets are taken from the highest instance down;
- for each instance: exactly one AAR, AMS and AS, else the chain fails with a format error;
  the AMS's tags (dkimpy's syntax rules, rsa-sha256 only) and that it does not sign
  ARC-Seal; the AMS checked like a DKIM signature (relaxed/relaxed when c= is absent, the
  raw field found by `" i=N;"` as dkimpy finds it); the seal's tags (cv= exactly pass, fail
  or none; no h=), then the seal over every ARC field of instances up to its own, oldest
  first, itself last with b= emptied (RFC 8617 §5.1.1);
- then: the newest AMS must validate; walking from the newest set down, a seal with cv=fail
  ends the chain (no verdict, cv None: an earlier sealer already found it broken), an
  invalid seal fails it, instance 1 must say cv=none and every later one must not.
An RSA key under 1,024 bits does not validate (dkimpy's `minkey` as `arc_verify` sets it).
"""

from __future__ import annotations

import base64
import re
from typing import Any

from mailauth.message.dkimsyntax import (
    CV_Fail,
    CV_None,
    CV_Pass,
    DKIMException,
    DnsTimeoutError,
    InvalidTagValueList,
    MessageFormatError,
    ParameterError,
    ValidationError,
    parse_tag_value,
    validate_signature_fields,
)
from mailauth.message.dkimverify import (
    HASHES,
    DkimMessage,
    KeyLookup,
    Outcome,
    Verdict,
    canonicalization,
    check_signature,
    without_space,
)

ARC_HEADERS = (b"arc-seal", b"arc-message-signature", b"arc-authentication-results")
# dkimpy's reading of an ARC field's instance: the first i= anywhere in the relaxed value.
_INSTANCE = re.compile(rb"[\s;]?i\s*=\s*(\d+)", re.MULTILINE | re.IGNORECASE)
_H_SPLIT = re.compile(rb"\s*:\s*")
MIN_KEY_BITS = 1024  # dkimpy's `arc_verify(minkey=1024)`
_AMS_TAGS = [b"i", b"a", b"b", b"bh", b"d", b"h", b"s"]
_AS_TAGS = [b"i", b"a", b"b", b"cv", b"d", b"s"]

ArcField = tuple[int, tuple[bytes, bytes]]  # (instance, (lower-case name, relaxed value))
ArcAnswer = tuple["bytes | None", list[dict[str, Any]], str]


def arc_fields(message: DkimMessage) -> list[ArcField]:
    """The ARC header fields with a readable instance, highest instance first (dkimpy's
    `sorted_arc_headers`: sorted by instance, name, value, then reversed)."""
    found: list[ArcField] = []
    positions = sorted(i for name in ARC_HEADERS for i in message.field_positions(name))
    for index in positions:  # in header order, as a walk over every field would meet them
        lname, value = message.relaxed_field(index)
        match = _INSTANCE.search(value)
        if match is None:
            continue
        try:
            instance = int(match.group(1))
        except ValueError:  # over Python's 4,300 digits: dkimpy skips the field too
            continue
        found.append((instance, (lname, value)))
    found = sorted(found, key=lambda f: (f[0], f[1][0].lower(), f[1][1].lower()))
    found.reverse()  # not sort(reverse=True): equal keys keep dkimpy's order
    return found


def arc_verify(message: DkimMessage, lookup: KeyLookup) -> ArcAnswer:
    """What `dkim.arc_verify(message.data, dnsfunc=...)` returns for the same message."""
    fields = arc_fields(message)
    max_instance = fields[0][0] if fields else 0
    results: list[dict[str, Any]] = []
    if max_instance == 0:
        return CV_None, results, "Message is not ARC signed"
    for instance in range(max_instance, 0, -1):
        try:
            results.append(_verify_instance(message, fields, instance, lookup))
        except DKIMException as exc:
            return CV_Fail, results, f"{exc}"
    return _chain(results)


def _chain(results: list[dict[str, Any]]) -> ArcAnswer:
    """RFC 8617 §5.2 steps 5-6 over the validated sets, newest first."""
    if not results[0]["ams-valid"]:
        return CV_Fail, results, "Most recent ARC-Message-Signature did not validate"
    for result in results:
        instance, cv = result["instance"], result["cv"]
        if cv == CV_Fail:
            return None, results, f"ARC-Seal[{instance}] reported failure, the chain is terminated"
        if not result["as-valid"]:
            return CV_Fail, results, f"ARC-Seal[{instance}] did not validate"
        if (instance == 1) != (cv == CV_None):
            return CV_Fail, results, f"ARC-Seal[{instance}] reported invalid status {cv}"
    return CV_Pass, results, "success"


def _verify_instance(
    message: DkimMessage, fields: list[ArcField], instance: int, lookup: KeyLookup
) -> dict[str, Any]:
    """One ARC set (RFC 8617 §5.2 steps 3-4 for this instance), as dkimpy's
    `ARC.verify_instance`: raises DKIMException for a set that is malformed."""
    aar = ams = seal = None
    signed: list[tuple[bytes, bytes]] = []  # every ARC field of instances up to this one
    output: dict[str, Any] = {"instance": instance}
    for i, (name, value) in fields:
        if i > instance:
            continue
        signed.append((name, value))
        if i != instance:
            continue
        lname = name.lower()
        if lname == b"arc-authentication-results":
            if aar is not None:
                raise MessageFormatError(
                    f"Duplicate ARC-Authentication-Results for instance {instance}"
                )
            aar = value
        elif lname == b"arc-message-signature":
            if ams is not None:
                raise MessageFormatError(f"Duplicate ARC-Message-Signature for instance {instance}")
            ams = value
        elif lname == b"arc-seal":
            if seal is not None:
                raise MessageFormatError(f"Duplicate ARC-Seal for instance {instance}")
            seal = value
    if aar is None or ams is None or seal is None:
        raise MessageFormatError(f"Incomplete ARC set for instance {instance}")
    output["aar-value"] = aar

    sig = _tags(ams)
    validate_signature_fields(sig, _AMS_TAGS, True)
    output["ams-domain"], output["ams-selector"] = sig[b"d"], sig[b"s"]
    include = [x.lower() for x in _H_SPLIT.split(sig[b"h"])]
    if b"arc-seal" in include:
        raise ParameterError("The Arc-Message-Signature MUST NOT sign ARC-Seal")
    # The AMS is hashed as it stands in the message (its own c=), found as dkimpy finds it;
    # IndexError when no field has " i=N;" (dkimpy's, uncaught: message/arc.py inserts the
    # space where it cannot change a hash).
    marker = b" i=" + sig[b"i"] + b";"
    found = [
        message.headers[i]
        for i in message.field_positions(b"arc-message-signature")
        if marker in message.headers[i][1].lower()
    ]
    raw_ams = found[0]  # IndexError when none, as dkimpy's (not next()'s StopIteration)
    sig.setdefault(b"c", b"relaxed/relaxed")  # RFC 8617 §4.1.2 / dkimpy
    output["ams-valid"] = _signature_valid(message, sig, include, raw_ams, lookup)

    sig = _tags(seal)
    validate_signature_fields(sig, _AS_TAGS, True)
    if b"h" in sig:
        raise ValidationError("h= tag not permitted in ARC-Seal header field")
    output["as-domain"], output["as-selector"] = sig[b"d"], sig[b"s"]
    output["cv"] = sig[b"cv"]
    names = [name.lower() for name, _ in signed]
    names.reverse()  # oldest first; the last is this seal itself, hashed as the signature
    sig.setdefault(b"c", b"relaxed/relaxed")
    seal_field = (b"ARC-Seal", b" " + seal)
    output["as-valid"] = _signature_valid(message, sig, names[:-1], seal_field, lookup)
    return output


def _tags(value: bytes) -> dict[bytes, bytes]:
    try:
        tags: dict[bytes, bytes] = parse_tag_value(value)
    except InvalidTagValueList as exc:
        raise MessageFormatError(exc) from None
    return tags


def _signature_valid(
    message: DkimMessage,
    sig: dict[bytes, bytes],
    include: list[bytes],
    field: tuple[bytes, bytes],
    lookup: KeyLookup,
) -> bool:
    """One AMS or AS, in dkimpy's steps (`verify_sig`, `verify_sig_process`): the key, the
    body hash if the field has bh=, the header hash, the signature. A key or field dkimpy
    refuses with a DKIMException is False; other errors propagate, as from dkimpy."""
    name = sig[b"s"] + b"._domainkey." + sig[b"d"] + b"."
    try:
        record = lookup(name)  # first: a refused key (message/arc.py) ends the whole chain
    except DnsTimeoutError:  # the lookup failed: does not validate, as in dkimpy
        return False
    key = message.key(name, lambda _: record)
    if isinstance(key, Outcome) or key.tlsrpt:  # no usable record; a TLS-reports-only key
        return False
    canon = canonicalization(sig[b"c"])
    if isinstance(canon, Outcome):
        return False
    relaxed_head, relaxed_body = canon
    algorithm = HASHES[sig[b"a"]]
    if b"bh" in sig:
        limit = int(sig[b"l"]) if b"l" in sig else None
        body_hash = message.bodies.digest(relaxed_body, algorithm, limit)
        if body_hash != base64.b64decode(without_space(sig[b"bh"])):
            return False
    if b"from" in include:  # dkimpy hashes one From more than h= lists (its bug #644046)
        include = [*include, b"from"]
    digest = message.header_hash(include, relaxed_head, field[0], field[1], algorithm)
    signature = base64.b64decode(without_space(sig[b"b"]))
    outcome = check_signature(key, algorithm, digest, signature)
    if outcome.verdict is Verdict.ERROR:  # PyNaCl's ValueError, which dkimpy lets through
        raise ValueError(outcome.detail.removeprefix("ValueError: "))
    if outcome.verdict is not Verdict.PASS:
        return False
    return key.rsa is None or (key.bits or 0) >= MIN_KEY_BITS

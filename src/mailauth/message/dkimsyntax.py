"""The pieces of dkimpy the verifiers used to import from it: the tag-list parser (RFC 6376
§3.2), the signature tag rules, the RSA key reader (a lenient DER reading of
SubjectPublicKeyInfo or RSAPublicKey), the ARC cv= words and the exception names.

Why our own copy: importing dkimpy costs more than the rest of a `mailauth verify` start
(it imports dnspython's whole resolver, PyNaCl and authres at import time), and these are a
hundred lines. The behaviour is dkimpy's on purpose, quirks included (the bh= check reads
b=, `%s` of bytes in the messages, an AssertionError on a NULL with a length), because the
native verifiers must give dkimpy's verdict for the same bytes: dkimpy stays the oracle in
tests/unit/message/test_dkim_syntax.py (these functions against dkimpy's on the same inputs)
and in the differential tests of the verifiers. The exception class names are dkimpy's too:
a verdict's `detail` shows them.
"""

from __future__ import annotations

import functools
import re
import time
from typing import Any

CV_Pass = b"pass"
CV_Fail = b"fail"
CV_None = b"none"

# dkimpy's HASH_ALGORITHMS and ARC_HASH_ALGORITHMS, by name.
HASH_ALGORITHMS = (b"rsa-sha1", b"rsa-sha256", b"ed25519-sha256")
ARC_HASH_ALGORITHMS = (b"rsa-sha256",)
_DKIM_MANDATORY = (b"v", b"a", b"b", b"bh", b"d", b"h", b"s")
_TAG_NAME = re.compile(rb"^[a-zA-Z](\w)*")
_BASE64 = re.compile(rb"[\s0-9A-Za-z+/]+[\s=]*$")
_SPACES = re.compile(rb"\s+")
_SPECIALS = re.compile(rb"[\(\)<>\[\]:;@\\,]")
_LENGTH = re.compile(rb"\d{,76}$")
_DIGITS = re.compile(rb"\d+$")
_CLOCK_SLOP = 36000  # dkimpy's 10 hours of leeway for t= and x=


class DKIMException(Exception):
    """dkimpy's base class of the errors it raises on purpose."""


class MessageFormatError(DKIMException):
    pass


class ParameterError(DKIMException):
    pass


class ValidationError(DKIMException):
    pass


class DnsTimeoutError(DKIMException):
    """A key lookup that failed (not: found nothing); the signature does not verify."""


class InvalidTagValueList(Exception):
    pass


class DuplicateTag(InvalidTagValueList):
    pass


class InvalidTagSpec(InvalidTagValueList):
    pass


class UnparsableKeyError(Exception):
    pass


class _ASN1FormatError(Exception):
    pass


# Fields up to this size are remembered (`_parsed`): verify reads each DKIM-Signature three
# times (key names, the result's tags, the verifier), issue 10. Larger ones are not kept.
_CACHED_FIELD_BYTES = 4096


def parse_tag_value(tag_list: bytes) -> dict[bytes, bytes]:
    """A DKIM tag=value list (RFC 6376 §3.2), folding already unfolded, read as dkimpy's
    `dkim.util.parse_tag_value` reads it. Raises InvalidTagSpec / DuplicateTag. Each call
    returns its own dict (callers may change it)."""
    if len(tag_list) > _CACHED_FIELD_BYTES:
        return _parse_tag_value(tag_list)
    return dict(_parsed(bytes(tag_list)))


@functools.lru_cache(maxsize=256)
def _parsed(tag_list: bytes) -> dict[bytes, bytes]:
    """`_parse_tag_value`, remembered; never handed out itself (a copy is)."""
    return _parse_tag_value(tag_list)


def _parse_tag_value(tag_list: bytes) -> dict[bytes, bytes]:
    tags: dict[bytes, bytes] = {}
    tag_specs = tag_list.strip().split(b";")
    if not tag_specs[-1]:  # a final ";" is allowed
        tag_specs.pop()
    for tag_spec in tag_specs:
        parts = [x.strip() for x in tag_spec.split(b"=", 1)]
        if len(parts) != 2:
            raise InvalidTagSpec(tag_spec)
        key, value = parts
        if _TAG_NAME.match(key) is None:
            raise InvalidTagSpec(tag_spec)
        if key in tags:
            raise DuplicateTag(key)
        tags[key] = value
    return tags


def validate_signature_fields(
    sig: dict[bytes, bytes],
    mandatory_fields: tuple[bytes, ...] | list[bytes] = _DKIM_MANDATORY,
    arc: bool = False,
) -> None:
    """dkimpy's `validate_signature_fields`: the tags a DKIM signature or ARC field must
    have and their syntax, t= and x= against the clock. Raises ValidationError; other
    errors (an IndexError from a short i=, a KeyError without d=) propagate, as in dkimpy."""
    hashes = ARC_HASH_ALGORITHMS if arc else HASH_ALGORITHMS
    for field in mandatory_fields:
        if field not in sig:
            raise ValidationError(f"missing {field!r}=")
    if b"a" in sig and sig[b"a"] not in hashes:
        raise ValidationError(f"unknown signature algorithm: {sig[b'a']!r}")
    if b"b" in sig and _base64_shape(sig[b"b"]) != (True, 0):
        raise ValidationError(f"b= value is not valid base64 ({sig[b'b']!r})")
    # dkimpy checks b='s alphabet for bh= too (KeyError without b=): kept, same verdicts
    if b"bh" in sig and (not _base64_shape(sig[b"b"])[0] or _base64_shape(sig[b"bh"])[1]):
        raise ValidationError(f"bh= value is not valid base64 ({sig[b'bh']!r})")
    if b"cv" in sig and sig[b"cv"] not in (CV_Pass, CV_Fail, CV_None):
        raise ValidationError(f"cv= value is not valid ({sig[b'cv']!r})")
    try:
        str(sig[b"d"], "ascii")
        if _SPECIALS.findall(sig[b"d"]):
            raise ValidationError(f"d= value is not valid ({sig[b'd']!r})")
    except UnicodeDecodeError:
        pass  # dkimpy checks ASCII domains only
    if (
        not arc
        and b"i" in sig
        and (
            not sig[b"i"].lower().endswith(sig[b"d"].lower())
            or sig[b"i"][-len(sig[b"d"]) - 1] not in (64, 46)  # "@", "."
        )
    ):
        raise ValidationError(
            f"i= domain is not a subdomain of d= (i={sig[b'i']!r} d={sig[b'd']!r})"
        )
    if b"l" in sig and _LENGTH.match(sig[b"l"]) is None:
        raise ValidationError(f"l= value is not a decimal integer ({sig[b'l']!r})")
    if b"q" in sig and sig[b"q"] != b"dns/txt":
        raise ValidationError(f"q= value is not dns/txt ({sig[b'q']!r})")
    t_sign = None
    if b"t" in sig:
        if _DIGITS.match(sig[b"t"]) is None:
            raise ValidationError(f"t= value is not a decimal integer ({sig[b't']!r})")
        t_sign = int(sig[b"t"])
        if t_sign > int(time.time()) + _CLOCK_SLOP:
            raise ValidationError(f"t= value is in the future ({sig[b't']!r})")
    if b"v" in sig and sig[b"v"] != b"1":
        raise ValidationError(f"v= value is not 1 ({sig[b'v']!r})")
    if b"x" in sig:
        if _DIGITS.match(sig[b"x"]) is None:
            raise ValidationError(f"x= value is not a decimal integer ({sig[b'x']!r})")
        x_sign = int(sig[b"x"])
        if x_sign < int(time.time()) - _CLOCK_SLOP:
            raise ValidationError(f"x= value is past ({sig[b'x']!r})")
        if t_sign and x_sign < t_sign:
            raise ValidationError(
                f"x= value is less than t= value (x={sig[b'x']!r} t={sig[b't']!r})"
            )


def _base64_shape(value: bytes) -> tuple[bool, int]:
    """(whether `value` matches dkimpy's base64 pattern, its length without white space
    mod 4): what the b= and bh= checks ask. Remembered for values up to
    _CACHED_FIELD_BYTES: verify checks each signature's fields twice (key names, then the
    signature) and b= twice each time, a regex walk over ~350 characters (issue 10)."""
    if len(value) > _CACHED_FIELD_BYTES:
        return _measured_base64(value)
    return _remembered_base64(value)


def _measured_base64(value: bytes) -> tuple[bool, int]:
    return _BASE64.match(value) is not None, len(_SPACES.sub(b"", value)) % 4


_remembered_base64 = functools.lru_cache(maxsize=512)(_measured_base64)


# ASN.1 templates as dkimpy's (dkim/crypto.py): tag, and for a SEQUENCE its members.
_INTEGER, _BIT_STRING, _OCTET_STRING, _NULL, _OID, _SEQUENCE = 0x02, 0x03, 0x04, 0x05, 0x06, 0x30
_Template = list[tuple[int, "_Template"] | tuple[int]]
_SPKI: _Template = [(_SEQUENCE, [(_SEQUENCE, [(_OID,), (_NULL,)]), (_BIT_STRING,)])]
_RSA_PUBLIC_KEY: _Template = [(_SEQUENCE, [(_INTEGER,), (_INTEGER,)])]


def _asn1_parse(template: _Template, raw: bytes | bytearray) -> list[Any]:
    """dkimpy's `asn1_parse`: the template's elements in order, lengths read as given (a
    short read is an error only where an index runs out)."""
    data = bytearray(raw)
    out: list[Any] = []
    i = 0
    try:
        for spec in template:
            tag = data[i]
            i += 1
            if tag != spec[0]:
                raise _ASN1FormatError(f"Unexpected tag (got {tag:02x}, expecting {spec[0]:02x})")
            length = data[i]
            i += 1
            if length & 0x80:
                count = length & 0x7F
                length = 0
                for _ in range(count):
                    length = (length << 8) | data[i]
                    i += 1
            if tag == _INTEGER:
                n = 0
                for _ in range(length):
                    n = (n << 8) | data[i]
                    i += 1
                out.append(n)
            elif tag == _NULL:
                if length != 0:
                    raise AssertionError  # dkimpy's `assert length == 0`, uncaught there too
                out.append(None)
            elif tag == _SEQUENCE:
                members = spec[1] if len(spec) > 1 else []
                out.append(_asn1_parse(members, data[i : i + length]))
                i += length
            else:  # BIT STRING, OBJECT IDENTIFIER, OCTET STRING
                out.append(data[i : i + length])
                i += length
        return out
    except IndexError:
        raise _ASN1FormatError(f"Data truncated at byte {i}") from None


def parse_public_key(data: bytes) -> tuple[int, int]:
    """An RSA public key's (modulus, public exponent) as dkimpy's `parse_public_key` reads
    it: a SubjectPublicKeyInfo (the algorithm not checked), else a bare RSAPublicKey.
    Raises UnparsableKeyError."""
    try:
        spki = _asn1_parse(_SPKI, data)
        bits = spki[0][1]
        numbers = _asn1_parse(_RSA_PUBLIC_KEY, bits[1:])
    except _ASN1FormatError as e_spki:
        try:
            numbers = _asn1_parse(_RSA_PUBLIC_KEY, data)
        except _ASN1FormatError as e_rsa:
            raise UnparsableKeyError(
                f"Unparsable public key; SubjectPublicKeyInfo: {e_spki}; RSAPublicKey: {e_rsa}"
            ) from None
    modulus: int = numbers[0][0]
    exponent: int = numbers[0][1]
    return modulus, exponent

"""The logotype extension (RFC 3709, OID 1.3.6.1.5.5.7.1.12) of a mark certificate: where a
VMC or CMC carries the logo it vouches for.

A small bounded DER reader rather than a full ASN.1 compiler: only the path BIMI uses is read
(subjectLogo [2] -> direct [0] LogotypeData -> image SEQUENCE OF LogotypeImage ->
LogotypeDetails {mediaType, logotypeHash, logotypeURI}), every length is checked against
the bytes that are there, and nesting is capped. Anything else (community or issuer logos,
indirect references, audio, image info) is skipped, never an error. Malformed input raises
`LogotypeError`, which the certificate check turns into a finding.

The logo itself is a `data:image/svg+xml;base64,` URL of gzip-compressed SVG
(MC Guidelines, BIMI draft §5.3); `decode_data_url` inflates it with a hard cap, so a gzip
bomb in a certificate costs at most `MAX_INFLATED` bytes of memory.
"""

from __future__ import annotations

import base64
import binascii
import zlib
from urllib.parse import unquote_to_bytes

from mailauth.frozen import frozen

MAX_INFLATED = 1024 * 1024  # the same cap as a fetched logo (fetch.interface.MAX_SVG_BYTES)

# Hash algorithms a LogotypeDetails may name: OID -> hashlib name.
HASH_OIDS = {
    "1.3.14.3.2.26": "sha1",
    "2.16.840.1.101.3.4.2.1": "sha256",
    "2.16.840.1.101.3.4.2.2": "sha384",
    "2.16.840.1.101.3.4.2.3": "sha512",
}


class LogotypeError(ValueError):
    """The extension (or its data: URL) is not what RFC 3709 / the MC Guidelines describe."""


@frozen
class LogotypeImage:
    media_type: str
    hashes: tuple[tuple[str, bytes], ...]  # (algorithm OID, digest)
    uris: tuple[str, ...]


@frozen
class _Tlv:
    tag: int
    content: bytes


def _read(data: bytes, offset: int) -> tuple[_Tlv, int]:
    """One DER TLV at `offset` (single-byte tags only; definite lengths only)."""
    if offset + 2 > len(data):
        raise LogotypeError("truncated DER")
    tag = data[offset]
    if tag & 0x1F == 0x1F:
        raise LogotypeError("multi-byte tag")
    first = data[offset + 1]
    pos = offset + 2
    if first < 0x80:
        length = first
    else:
        count = first & 0x7F
        if count == 0 or count > 4 or pos + count > len(data):
            raise LogotypeError("bad DER length")
        length = int.from_bytes(data[pos : pos + count], "big")
        pos += count
    if pos + length > len(data):
        raise LogotypeError("DER length beyond the data")
    return _Tlv(tag, data[pos : pos + length]), pos + length


def _children(data: bytes) -> list[_Tlv]:
    out, offset = [], 0
    while offset < len(data):
        tlv, offset = _read(data, offset)
        out.append(tlv)
    return out


def _one(data: bytes, tag: int) -> bytes:
    tlv, end = _read(data, 0)
    if tlv.tag != tag or end != len(data):
        raise LogotypeError(f"expected tag {tag:#x}, found {tlv.tag:#x}")
    return tlv.content


def _oid(content: bytes) -> str:
    if not content:
        raise LogotypeError("empty OID")
    parts: list[int] = []
    value = 0
    for byte in content:
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            parts.append(value)
            value = 0
    if content[-1] & 0x80:
        raise LogotypeError("truncated OID")
    first = parts[0]
    head = [min(first // 40, 2), first - 40 * min(first // 40, 2)]
    return ".".join(str(p) for p in [*head, *parts[1:]])


def _ia5(content: bytes) -> str:
    try:
        return content.decode("ascii")
    except UnicodeDecodeError as exc:
        raise LogotypeError("IA5String is not ASCII") from exc


def _details(content: bytes) -> LogotypeImage:
    parts = _children(content)
    if len(parts) < 3 or parts[0].tag != 0x16 or parts[1].tag != 0x30 or parts[2].tag != 0x30:
        raise LogotypeError("LogotypeDetails is not {mediaType, logotypeHash, logotypeURI}")
    hashes = []
    for item in _children(parts[1].content):
        pair = _children(item.content) if item.tag == 0x30 else []
        if len(pair) != 2 or pair[0].tag != 0x30 or pair[1].tag != 0x04:
            raise LogotypeError("HashAlgAndValue malformed")
        alg = _children(pair[0].content)
        if not alg or alg[0].tag != 0x06:
            raise LogotypeError("hash AlgorithmIdentifier malformed")
        hashes.append((_oid(alg[0].content), pair[1].content))
    uris = tuple(_ia5(u.content) for u in _children(parts[2].content) if u.tag == 0x16)
    return LogotypeImage(_ia5(parts[0].content), tuple(hashes), uris)


def subject_logo_images(extension_der: bytes) -> tuple[LogotypeImage, ...]:
    """The images of the subjectLogo of a LogotypeExtn (its DER value). Empty when the
    extension has no direct subject logo. Raises LogotypeError on malformed DER."""
    out: list[LogotypeImage] = []
    for field in _children(_one(extension_der, 0x30)):
        if field.tag != 0xA2:  # [2] EXPLICIT subjectLogo; others are not BIMI's
            continue
        info = _children(field.content)
        if len(info) != 1:
            raise LogotypeError("subjectLogo is not one LogotypeInfo")
        if info[0].tag != 0xA0:  # indirect [1]: a reference, not an embedded logo
            continue
        data = _children(info[0].content)  # LogotypeData (IMPLICIT SEQUENCE)
        if data and data[0].tag == 0x30:  # image SEQUENCE OF LogotypeImage
            for image in _children(data[0].content):
                if image.tag != 0x30:
                    raise LogotypeError("LogotypeImage is not a SEQUENCE")
                inner = _children(image.content)
                if not inner or inner[0].tag != 0x30:
                    raise LogotypeError("LogotypeImage has no LogotypeDetails")
                out.append(_details(inner[0].content))
    return tuple(out)


def decode_data_url(url: str, limit: int = MAX_INFLATED) -> bytes:
    """The bytes of a `data:` URL, gunzipped when they are gzip (the MC Guidelines require
    gzip; a plain SVG is accepted too). Raises LogotypeError, also when inflating would
    exceed `limit` bytes."""
    if not url[:5].lower() == "data:" or "," not in url:
        raise LogotypeError("not a data: URL")
    meta, payload = url[5:].split(",", 1)
    try:
        if meta.lower().endswith(";base64"):
            raw = base64.b64decode("".join(payload.split()), validate=True)
        else:
            raw = unquote_to_bytes(payload)
    except (binascii.Error, ValueError) as exc:
        raise LogotypeError("data: URL is not valid base64") from exc
    if raw[:2] != b"\x1f\x8b":
        return raw[: limit + 1] if len(raw) > limit else raw
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(raw, limit + 1)
    except zlib.error as exc:
        raise LogotypeError(f"gzip data is corrupt: {exc}") from exc
    if len(out) > limit or inflater.unconsumed_tail:
        raise LogotypeError(f"the embedded logo inflates to more than {limit} bytes")
    return out

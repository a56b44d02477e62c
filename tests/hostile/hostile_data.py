"""Building hostile messages and zones for the issue 9 tests: a zone file written beside the
test (loaded with `--zone` next to samples/zones/), a message from that zone's domain, and RSA
public keys of any size (a random odd modulus: a key no one can sign with, which is all a
verifier's cost needs).
"""

from __future__ import annotations

import base64
import random
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicNumbers

REPO = Path(__file__).resolve().parents[2]
SAMPLE_ZONES = REPO / "samples" / "zones"
GOOD_SAMPLE = REPO / "samples" / "messages" / "good.eml"  # passes DKIM, SPF, DMARC offline
DOMAIN = "hostile.test"
IP = "192.0.2.30"


def txt(text: str) -> str:
    """`text` as zone-file TXT data: quoted strings of at most 255 characters."""
    chunks = [text[i : i + 250] for i in range(0, len(text), 250)] or [""]
    return "( " + " ".join(f'"{c}"' for c in chunks) + " )"


def write_zone(directory: Path, records: str, origin: str = DOMAIN) -> Path:
    """A zone file for `origin` with SOA and NS, then `records` (zone-file lines)."""
    path = directory / f"{origin}.zone"
    path.write_text(
        f"$ORIGIN {origin}.\n$TTL 300\n"
        f"@ IN SOA ns1 hostmaster 1 3600 900 1209600 300\n@ IN NS ns1\nns1 IN A 192.0.2.53\n"
        + records
        + "\n",
        encoding="utf-8",
    )
    return path


def message(*extra_headers: bytes, body: bytes = b"Hello.\r\n", domain: str = DOMAIN) -> bytes:
    """A plain message from `domain`, received from IP with Return-Path in `domain`;
    `extra_headers` (whole lines with CRLF) go on top, where signatures are."""
    d = domain.encode()
    return (
        b"".join(extra_headers)
        + b"Return-Path: <bounce@" + d + b">\r\n"
        + b"Received: from mail." + d + b" (mail." + d + b" [" + IP.encode() + b"])\r\n"
        + b"\tby mx.example.net with ESMTPS; Mon, 3 Nov 2025 10:00:00 +0900\r\n"
        + b"From: Alice <alice@" + d + b">\r\n"
        + b"To: bob@example.net\r\n"
        + b"Subject: hello\r\n"
        + b"Date: Mon, 3 Nov 2025 10:00:00 +0900\r\n"
        + b"Message-ID: <hostile@" + d + b">\r\n"
        + b"\r\n"
        + body
    )  # fmt: skip


def rsa_key_record(bits: int, exponent_bits: int = 17, seed: int = 9) -> str:
    """A DKIM key record whose RSA modulus has `bits` bits and exponent `exponent_bits`."""
    rng = random.Random(seed)
    n = rng.getrandbits(bits) | (1 << (bits - 1)) | 1
    e = 65537
    if exponent_bits != 17:
        e = rng.getrandbits(exponent_bits) | (1 << (exponent_bits - 1)) | 1
    key = RSAPublicNumbers(e, n).public_key()
    der = key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return "v=DKIM1; k=rsa; p=" + base64.b64encode(der).decode()


def signature(
    selector: str, *, domain: str = DOMAIN, h: str = "from:to:subject", more: str = ""
) -> bytes:
    """A DKIM-Signature whose body hash is right for the default body (so a verifier gets as
    far as the key and the RSA step) and whose b= is not a real signature."""
    return (
        f"DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d={domain}; s={selector};{more}\r\n"
        f"\th={h}; bh=yZQq1c8wjBl0fZ4Wc/oraMCAG1mZJv5v/hlvyFy+t6A=;\r\n"
        "\tb=dGVzdHRlc3R0ZXN0dGVzdA==\r\n"
    ).encode()

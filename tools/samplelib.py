"""Building blocks for tools/make_sample_messages.py: message text, DKIM signing with fixed
tags, and what a receiving server adds on delivery.

Deterministic: every timestamp is fixed (t=, x=, Date, ARC t=), RSA PKCS#1 v1.5 and Ed25519
signatures are deterministic, so running this twice gives byte-identical files (a test checks
it). Each message is built as CRLF text, signed, then changed the way real systems change
mail (a list footer, a Subject tag, headers added after signing) to produce each scenario.
The expectations live in samples/messages/manifest.yaml, written by hand.
"""

# ruff: noqa: E501  (message text and header values are data: long lines are clearer)
from __future__ import annotations

import base64
import re
from pathlib import Path

import dkim
import nacl.signing
from cryptography.hazmat.primitives import serialization
from dkim.canonicalization import CanonicalizationPolicy
from dkim.crypto import HASH_ALGORITHMS, parse_pem_private_key

ROOT = Path(__file__).resolve().parent.parent
KEYS = ROOT / "samples" / "keys"
T0 = 1790812800  # 2026-10-01T00:00:00Z: every signature's t=
DATE = "Thu, 01 Oct 2026 09:00:00 +0900"
RCVD_DATE = "Thu, 01 Oct 2026 09:00:03 +0900"
SIGNED = (
    "from",
    "to",
    "cc",
    "subject",
    "date",
    "message-id",
    "mime-version",
    "content-type",
    "content-transfer-encoding",
    "list-id",
    "list-unsubscribe",
    "list-unsubscribe-post",
    "feedback-id",
    "reply-to",
)


def key(name: str) -> object:
    """A test private key in the form dkimpy's signing code takes (nacl for ed25519)."""
    if name.endswith(".ed25519.pem"):
        private = serialization.load_pem_private_key((KEYS / name).read_bytes(), password=None)
        raw = private.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
        return nacl.signing.SigningKey(raw)
    return parse_pem_private_key(pkcs1(name))


def pkcs1(name: str) -> bytes:
    """An RSA test key as PKCS#1 PEM, the form dkimpy reads."""
    private = serialization.load_pem_private_key((KEYS / name).read_bytes(), password=None)
    return private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )


S1, S2 = "example.jp.s1.rsa2048.pem", "example.jp.s2.ed25519.pem"
ESP = "esp.example.esp1.rsa2048.pem"
ARC1 = "lists.example.arc1.rsa2048.pem"
WEAK = "broken.example.default.rsa512.pem"


def message(headers: list[tuple[str, str]], body: str, charset: str = "utf-8") -> bytes:
    head = "".join(f"{n}: {v}\r\n" for n, v in headers)
    return head.encode("utf-8") + b"\r\n" + body.replace("\n", "\r\n").encode(charset)


def sign(
    msg: bytes,
    domain: str,
    selector: str,
    keyfile: str,
    *,
    alg: str = "rsa-sha256",
    canon: str = "relaxed/relaxed",
    oversign: bool = True,
    with_from: bool = True,
    expires: int | None = None,
    length: bool = False,
) -> bytes:
    """Prepend a DKIM-Signature built with dkimpy's own signing primitives, with full control
    over the tags (t= fixed, x=, l=, rsa-sha1, h= without From) for the scenarios."""
    algorithm = b"ed25519-sha256" if keyfile.endswith("ed25519.pem") else alg.encode()
    signer = dkim.DKIM(msg, signature_algorithm=algorithm)
    present = [n.decode().lower() for n, _ in signer.headers]
    include = [h.encode() for h in SIGNED if h in present and (with_from or h != "from")]
    if oversign and with_from:
        include.append(b"from")
    policy = CanonicalizationPolicy.from_c_value(canon.encode())
    signer.hasher = HASH_ALGORITHMS[algorithm]
    body = policy.canonicalize_body(signer.body)
    fields = [
        (b"v", b"1"),
        (b"a", algorithm),
        (b"c", canon.encode()),
        (b"d", domain.encode()),
        (b"s", selector.encode()),
        (b"t", str(T0).encode()),
    ]
    if expires is not None:
        fields.append((b"x", str(expires).encode()))
    if length:
        fields.append((b"l", str(len(body)).encode()))
    fields += [
        (b"h", b" : ".join(include)),  # spaces: dkimpy folds only at white space
        (b"bh", base64.b64encode(signer.hasher(body).digest())),
        (b"b", b"0" * 60),
    ]
    header = signer.gen_header(fields, include, policy, b"DKIM-Signature", key(keyfile))
    return b"DKIM-Signature: " + bytes(header) + msg


def mboxrd(msg: bytes) -> bytes:
    """Quote the body the way an mboxrd writer stores it: one more ">" on every body line
    matching >*From (RFC 4155 describes the convention)."""
    head, sep, body = msg.partition(b"\n\n")
    return head + sep + re.sub(rb"^(>*From )", rb">\1", body, flags=re.MULTILINE)


def prepend(msg: bytes, *headers: tuple[str, str]) -> bytes:
    return "".join(f"{n}: {v}\r\n" for n, v in headers).encode("utf-8") + msg


def received(
    helo: str, ip: str, rdns: str, proto: str = "ESMTPS", by: str = "mx.recipient.example"
) -> tuple[str, str]:
    return (
        "Received",
        f"from {helo} ({rdns} [{ip}])\r\n\tby {by} (Postfix) with {proto} id 4Xk2Lq0abcz1\r\n"
        f"\tfor <taro@recipient.example>; {RCVD_DATE}",
    )


def delivered(
    msg: bytes,
    ip: str,
    helo: str,
    rdns: str,
    return_path: str,
    proto: str = "ESMTPS",
    ar: str | None = None,
) -> bytes:
    """What the recipient's server adds on delivery: Received (and Authentication-Results),
    then Return-Path on top (RFC 5321 §4.4)."""
    out = prepend(msg, received(helo, ip, rdns, proto))
    if ar is not None:
        out = prepend(out, ("Authentication-Results", ar))
    return prepend(out, ("Return-Path", f"<{return_path}>"))


def base(
    frm: str,
    subject: str,
    mid: str,
    extra: list[tuple[str, str]] | None = None,
    to: str = "Taro Yamada <taro@recipient.example>",
) -> list[tuple[str, str]]:
    return [
        ("From", frm),
        ("To", to),
        ("Subject", subject),
        ("Date", DATE),
        ("Message-ID", f"<{mid}>"),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=utf-8"),
        ("Content-Transfer-Encoding", "7bit"),
        *(extra or []),
    ]


NEWSLETTER = [
    (
        "List-Unsubscribe",
        "<https://example.jp/unsubscribe?u=8f2a91>,\r\n <mailto:unsubscribe@example.jp?subject=unsubscribe-8f2a91>",
    ),
    ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
]
BODY = "Hello Taro,\n\nYour order 10423 has shipped and will arrive on Saturday.\n\nExample Shop\n"
NEWS_BODY = "This month at Example Shop: autumn sale, new arrivals, and a recipe.\n\nUnsubscribe: https://example.jp/unsubscribe?u=8f2a91\n"
OK_HOP = {"ip": "192.0.2.30", "helo": "mail.example.jp", "rdns": "mail.example.jp"}


def from_example_jp(
    name: str, extra: list[tuple[str, str]] | None = None, body: str = BODY
) -> bytes:
    frm = "Example Shop <news@example.jp>" if extra else "Example Shop <orders@example.jp>"
    return message(base(frm, "Your order has shipped", f"{name}@example.jp", extra), body)

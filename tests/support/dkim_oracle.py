"""dkimpy as the reference for the native DKIM verifier (message/dkimverify.py), and a
generator of signed messages to compare the two on.

`dkimpy_checks` and `native_checks` check every DKIM-Signature of the same bytes with the
same key records and return one `Check` per signature (or the error that refused the whole
header section), in the native verifier's vocabulary: dkimpy's True/False/exception is
translated the way message/dkim.py translated it when dkimpy was the path.

`generate` builds a message with dkimpy's own signer: random header sets (folded, odd
white space, 8-bit), random bodies (bare LF, CRLF, lone CR, runs of white space, trailing
empty lines, no final line ending), h= with absent and over-signed names, l=, every
canonicalization pair, rsa-sha256, rsa-sha1 and ed25519-sha256, one to three signatures
(a later one may sign an earlier one), then changes a signer's transit could make.
"""

from __future__ import annotations

import base64
import random
from collections.abc import Callable
from dataclasses import dataclass, field

import dkim
import nacl.encoding
import nacl.signing
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from mailauth.message.dkimverify import DkimMessage, Verdict

Lookup = Callable[[bytes], "bytes | None"]
DOMAIN = b"example.test"


@dataclass(frozen=True)
class Check:
    verdict: Verdict
    detail: str = ""
    key_bits: int | None = None  # compared for a pass only: what message/dkim.py reads


def dkimpy_checks(raw: bytes, lookup: Lookup) -> list[Check] | str:
    try:
        verifier = dkim.DKIM(raw, minkey=0)
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    count = sum(1 for name, _ in verifier.headers if name.lower() == b"dkim-signature")
    out = []
    for idx in range(count):
        try:
            ok = verifier.verify(idx=idx, dnsfunc=lambda name, timeout=5: lookup(name))
        except dkim.ValidationError as exc:
            text = str(exc)
            body = text.startswith("body hash mismatch")
            out.append(Check(Verdict.BODY_HASH_MISMATCH if body else Verdict.INVALID_TAG, text))
        except (dkim.KeyFormatError, dkim.UnknownKeyTypeError) as exc:
            out.append(Check(Verdict.KEY_UNUSABLE, str(exc)))
        except dkim.DKIMException as exc:
            out.append(Check(Verdict.FORMAT_ERROR, str(exc)))
        except Exception as exc:
            out.append(Check(Verdict.ERROR, f"{type(exc).__name__}: {exc}"))
        else:
            out.append(Check(Verdict.PASS, "", verifier.keysize) if ok else Check(Verdict.FAIL))
    return out


def native_checks(raw: bytes, lookup: Lookup, crlf_only: bool = False) -> list[Check] | str:
    try:
        message = DkimMessage(raw, crlf_only)
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    out = []
    for idx in range(len(message.signatures())):
        outcome = message.verify(idx, lookup)
        bits = outcome.key_bits if outcome.verdict is Verdict.PASS else None
        detail = "" if outcome.verdict in (Verdict.PASS, Verdict.FAIL) else outcome.detail
        out.append(Check(outcome.verdict, detail, bits))
    return out


# --- keys ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Signer:
    selector: bytes
    algorithm: bytes
    private: bytes  # what dkimpy's sign() takes
    record: bytes  # the TXT record


def rsa_signer(selector: bytes, bits: int, algorithm: bytes = b"rsa-sha256") -> Signer:
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    der = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return Signer(selector, algorithm, pem, b"v=DKIM1; k=rsa; p=" + base64.b64encode(der))


def ed25519_signer(selector: bytes) -> Signer:
    key = nacl.signing.SigningKey.generate()
    seed = key.encode(nacl.encoding.Base64Encoder)
    public = key.verify_key.encode(nacl.encoding.Base64Encoder)
    return Signer(selector, b"ed25519-sha256", seed, b"v=DKIM1; k=ed25519; p=" + public)


@dataclass
class Keys:
    """The signers of the generated corpus and their records, plus broken records."""

    signers: list[Signer]
    records: dict[bytes, bytes] = field(default_factory=dict)

    @classmethod
    def make(cls) -> Keys:
        signers = [
            rsa_signer(b"r1024", 1024),
            rsa_signer(b"r2048", 2048),
            rsa_signer(b"sha1", 1024, b"rsa-sha1"),
            ed25519_signer(b"ed"),
        ]
        keys = cls(signers)
        for s in signers:
            keys.records[s.selector] = s.record
        return keys

    def lookup(self, overrides: dict[bytes, bytes | None]) -> Lookup:
        def find(name: bytes) -> bytes | None:
            selector = name.split(b".", 1)[0]
            if selector in overrides:
                return overrides[selector]
            return self.records.get(selector)

        return find


def broken_records(signer: Signer) -> list[bytes | None]:
    """Key records a signer's key could be replaced with in DNS (each a different way of not
    being usable, or of being read leniently)."""
    p = signer.record.split(b"p=", 1)[1]
    kind = b"ed25519" if signer.algorithm.startswith(b"ed") else b"rsa"
    other = b"rsa" if kind == b"ed25519" else b"ed25519"
    return [
        None,
        b"",
        b"v=DKIM1; k=" + kind + b"; p=",
        b"v=DKIM1; k=" + kind + b"; p=" + p[:-8],
        b"v=DKIM1; k=" + kind + b"; p=" + p + b"!",
        b"v=DKIM2; k=" + kind + b"; p=" + p,
        b"v=DKIM1; k=" + kind + b"; s=tlsrpt; p=" + p,
        b"v=DKIM1; k=" + kind + b"; s=email:*; p=" + p,
        b"v=DKIM1; k=" + kind + b"; s=*; p=" + p,
        b"v=DKIM1; k=" + other + b"; p=" + p,
        b"v=DKIM1; k=" + kind.upper() + b"; p=" + p,
        b"k=" + kind + b"; p=" + p + b"; k=" + kind,
        b"v=DKIM1;; k=" + kind + b"; p=" + p,
        b"v=DKIM1; k=" + kind + b"; h=sha1; t=y:s; n=note; p=" + p[:20] + b" \t" + p[20:],
        b"p=" + p,
    ]


# --- messages --------------------------------------------------------------------------------

_NAMES = [
    b"To", b"Cc", b"Subject", b"Date", b"Message-ID", b"Received", b"Reply-To", b"List-Id",
    b"X-Mailer", b"MIME-Version", b"Content-Type", b"Sender", b"In-Reply-To", b"Comments",
]  # fmt: skip
_WORDS = [b"hello", b"world", b"caf\xc3\xa9", b"\xe6\x97\xa5\xe6\x9c\xac", b"a", b"=?utf-8?q?x?="]
_SPACES = [b" ", b"  ", b"\t", b" \t ", b"\t\t", b""]
_BODY_PARTS = [
    b"line", b"text with words", b" ", b"  ", b"\t", b" \t", b"\r\n", b"\n", b"\r\n\r\n",
    b"\n\n", b"\r", b".", b"--boundary", b"\xff\xfe", b"caf\xc3\xa9", b"x" * 200, b"\r\r\n",
    b" \r\n", b"\t\n", b"    indented", b"trailing   \r\n",
]  # fmt: skip


@dataclass
class Generated:
    raw: bytes
    overrides: dict[bytes, bytes | None]
    note: str


def _value(rng: random.Random) -> bytes:
    out = [rng.choice(_SPACES)]
    for _ in range(rng.randint(0, 6)):
        out.append(rng.choice(_WORDS))
        out.append(rng.choice([b" ", b" ", *_SPACES]))
        if rng.random() < 0.15:
            out.append(b"\r\n" + rng.choice([b" ", b"\t", b"   "]))  # folded
    return b"".join(out)


def _name(rng: random.Random, name: bytes) -> bytes:
    return rng.choice([name, name.lower(), name.upper()])


def _headers(rng: random.Random) -> list[bytes]:
    fields = [_name(rng, b"From") + b":" + _value(rng) + b" <a@example.test>"]
    for _ in range(rng.randint(1, 10)):
        fields.append(_name(rng, rng.choice(_NAMES)) + b":" + _value(rng))
    rng.shuffle(fields)
    return fields


def _body(rng: random.Random) -> bytes:
    size = rng.choice([0, 1, 3, 10, 40, 200])
    body = b"".join(rng.choice(_BODY_PARTS) for _ in range(rng.randint(0, size)))
    if rng.random() < 0.3:
        body += rng.choice([b"\r\n", b"\n", b" \r\n"]) * rng.randint(1, 5)
    if rng.random() < 0.2:
        body += rng.choice([b" ", b"\t ", b"no final line ending"])
    return body


def _include(rng: random.Random, fields: list[bytes]) -> list[bytes]:
    present = [f.split(b":", 1)[0].lower() for f in fields]
    names = [n for n in present if n != b"from" and rng.random() < 0.7]
    names += [b"from"] * rng.choice([1, 1, 2, 3])
    names += rng.sample([b"x-absent", b"reply-to", b"cc", b"subject", b"to"], rng.randint(0, 2))
    rng.shuffle(names)
    return names


def _sign(rng: random.Random, keys: Keys, message: bytes, fields: list[bytes]) -> bytes:
    signer = rng.choice(keys.signers)
    canon = (rng.choice([b"simple", b"relaxed"]), rng.choice([b"simple", b"relaxed"]))
    verifier = dkim.DKIM(message, signature_algorithm=signer.algorithm)
    verifier.should_not_sign = set()  # sign Received, Comments, DKIM-Signature too
    include = _include(rng, fields)
    if rng.random() < 0.3 and message.lower().startswith(b"dkim-signature"):
        include.append(b"dkim-signature")
    length = rng.random() < 0.25
    field_ = verifier.sign(
        signer.selector, DOMAIN, signer.private, canonicalize=canon,
        include_headers=include, length=length,
    )  # fmt: skip
    return bytes(field_)


def _mutate(rng: random.Random, raw: bytes) -> tuple[bytes, str]:
    head, sep, body = raw.partition(b"\r\n\r\n")
    if not sep:
        return raw, "none"
    choice = rng.randrange(11)
    if choice == 0:
        return head + sep + body + rng.choice(
            [b"appended\r\n", b"\r\n\r\n", b"  \r\n", b"x"]
        ), "body+"
    if choice == 1:
        return head.replace(b": ", b":  \t", 1) + sep + body, "header-space"
    if choice == 2:
        return head.replace(b"rom:", b"ROM:", 1) + sep + body, "header-case"
    if choice == 3:
        return b"From: <evil@example.test>\r\n" + raw, "second-from"
    if choice == 4:
        lines = head.split(b"\r\n")
        lines.pop(rng.randrange(len(lines)))
        return b"\r\n".join(lines) + sep + body, "header-removed"
    if choice == 5:
        i = raw.find(b" b=")
        if i > 0:
            j = i + 3 + rng.randrange(10)
            flipped = b"A" if raw[j : j + 1] != b"A" else b"B"
            return raw[:j] + flipped + raw[j + 1 :], "b-flipped"
    if choice == 6:
        return raw.replace(b"\r\n", b"\n"), "bare-lf"
    if choice == 7:
        return raw.replace(b"bh=", b"bh=AAAA", 1), "bh-changed"
    if choice == 8 and b" l=" in raw:
        return raw.replace(b" l=", b" l=1", 1), "l-changed"
    if choice == 9:
        return head + sep + body.replace(b" ", b"  "), "body-spaces"
    return raw, "none"


def generate(rng: random.Random, keys: Keys) -> bytes:
    """One message, signed one to three times."""
    fields = _headers(rng)
    eol = b"\r\n" if rng.random() < 0.8 else b"\n"
    message = eol.join(fields) + eol + eol + _body(rng)
    for _ in range(rng.choice([1, 1, 2, 3])):
        message = _sign(rng, keys, message, fields) + message
    return message


def variant(rng: random.Random, keys: Keys, message: bytes) -> Generated:
    """The signed message perhaps changed, perhaps with a key record replaced by a broken one."""
    overrides: dict[bytes, bytes | None] = {}
    notes = []
    if rng.random() < 0.2:
        signer = rng.choice(keys.signers)
        overrides[signer.selector] = rng.choice(broken_records(signer))
        notes.append(f"key {signer.selector.decode()}={overrides[signer.selector]!r:.40}")
    if rng.random() < 0.8:
        message, what = _mutate(rng, message)
        notes.append(what)
    return Generated(message, overrides, "; ".join(notes))

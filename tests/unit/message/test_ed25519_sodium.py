"""Ed25519 (RFC 8463) is verified by libsodium through PyNaCl, the verifier dkimpy itself uses
(`nacl.signing.VerifyKey.verify`), instead of OpenSSL through `cryptography` (issue 10: about
twice as fast per signature). The verdict must be dkimpy's on every input: valid
signatures, every kind of damage, and the inputs where OpenSSL and libsodium disagree
(libsodium refuses small-order keys and points; OpenSSL accepts the identity key, whose
"signature" R = identity, S = 0 holds for every message)."""

from __future__ import annotations

import random

import nacl.exceptions
import nacl.signing
import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ed25519

from mailauth.message.dkimverify import _ed25519_verify, _public_sodium_verifier

IDENTITY = bytes([1]) + bytes(31)  # the neutral point, encoded (order 1)


def dkimpy_verdict(public: bytes, signature: bytes, data: bytes) -> bool:
    """What dkimpy's `DKIM.verify_sig_process` answers for an Ed25519 key and signature."""
    try:
        nacl.signing.VerifyKey(public).verify(data, signature)
    except nacl.exceptions.BadSignatureError:
        return False
    return True


def openssl_verdict(public: bytes, signature: bytes, data: bytes) -> bool:
    try:
        ed25519.Ed25519PublicKey.from_public_bytes(public).verify(signature, data)
    except (InvalidSignature, ValueError):
        return False
    return True


def cases() -> list[tuple[str, bytes, bytes, bytes]]:
    rng = random.Random(8463)
    out = []
    for n in range(40):
        private = ed25519.Ed25519PrivateKey.from_private_bytes(rng.randbytes(32))
        public = private.public_key().public_bytes_raw()
        data = rng.randbytes(32)  # DKIM signs the SHA-256 of the header: 32 bytes
        signature = private.sign(data)
        out.append((f"valid {n}", public, signature, data))
        bit = 1 << rng.randrange(8)
        at = rng.randrange(64)
        broken = signature[:at] + bytes([signature[at] ^ bit]) + signature[at + 1 :]
        out.append((f"signature bit {n}", public, broken, data))
        out.append((f"other data {n}", public, signature, data[::-1]))
        at = rng.randrange(32)
        other = public[:at] + bytes([public[at] ^ bit]) + public[at + 1 :]
        out.append((f"key bit {n}", other, signature, data))
        out.append((f"random {n}", public, rng.randbytes(64), data))
    out.append(("identity key, R identity, S 0", IDENTITY, IDENTITY + bytes(32), b"x" * 32))
    out.append(("zero key", bytes(32), bytes(64), b"x" * 32))
    out.append(("S not reduced", IDENTITY, IDENTITY + b"\xff" * 32, b"x" * 32))
    return out


@pytest.mark.parametrize(("name", "public", "signature", "data"), cases(), ids=lambda v: "")
def test_verdict_is_dkimpys(name: str, public: bytes, signature: bytes, data: bytes) -> None:
    assert _ed25519_verify(public, signature, data) is dkimpy_verdict(public, signature, data)


def test_valid_and_damaged_signatures_agree_with_openssl() -> None:
    """Outside the small-order corner, OpenSSL (the verifier before) answers the same."""
    normal = [c for c in cases() if not c[0].startswith(("identity", "zero", "S not"))]
    for _name, public, signature, data in normal:
        assert _ed25519_verify(public, signature, data) is openssl_verdict(public, signature, data)
    assert sum(_ed25519_verify(*c[1:]) for c in normal) == 40  # each valid one, no other


def test_the_identity_key_forgery_is_refused_as_dkimpy_refuses_it() -> None:
    """The case where the two libraries differ: OpenSSL accepts it, dkimpy does not."""
    forged = (IDENTITY, IDENTITY + bytes(32), b"any header hash, really any")
    assert openssl_verdict(*forged)
    assert not dkimpy_verdict(*forged)
    assert not _ed25519_verify(*forged)


def test_the_detached_check_answers_as_pynacls_public_binding() -> None:
    """`nacl._sodium`'s crypto_sign_verify_detached (what verify calls) against PyNaCl's
    public crypto_sign_open (what dkimpy calls) on every case, and on wrong lengths."""
    public_path = _public_sodium_verifier()
    for _name, public, signature, data in cases():
        assert _ed25519_verify(public, signature, data) is public_path(public, signature, data)
    key, sig = bytes(32), bytes(64)
    for public, signature in (
        (key[:31], sig),
        (key + b"x", sig),
        (key, sig[:63]),
        (key, sig + b"x"),
    ):
        assert _ed25519_verify(public, signature, b"data") is False

"""message/rsapkcs1.py's pure-Python RSASSA-PKCS1-v1_5 check against OpenSSL's (through
`cryptography`), on many keys and signatures: valid ones, corrupted ones, the wrong hash,
SHA-1 and SHA-256, keys from 1,024 to 4,096 bits and e = 3, signatures of the wrong length,
and forgeries of the shape that fools a verifier parsing the padding (Bleichenbacher 2006).
Both paths of `verify` (pow() first, OpenSSL after PURE_VERIFICATIONS) must answer as
OpenSSL does. dkimpy's arithmetic is the other oracle (tests/unit/message/test_dkim_native.py,
`test_rsa_step_is_dkimpys`)."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa, utils

from mailauth.message import rsapkcs1

HASHES = {"sha1": hashes.SHA1(), "sha256": hashes.SHA256()}


@pytest.fixture(scope="module")
def keys() -> list[rsa.RSAPrivateKey]:
    sizes = [1024, 1024, 2048, 2048, 2048, 3072, 4096]
    out = [rsa.generate_private_key(public_exponent=65537, key_size=s) for s in sizes]
    out.append(rsa.generate_private_key(public_exponent=3, key_size=2048))
    return out


def openssl(key: rsa.RSAPublicKey, signature: bytes, algorithm: str, digest: bytes) -> bool:
    """OpenSSL's verdict on the signature as an integer mod n (how DKIM reads it, as dkimpy
    does), at the modulus' length."""
    n = key.public_numbers().n
    size = rsapkcs1.modulus_bytes(n)
    s = (int.from_bytes(signature, "big") % n).to_bytes(size, "big")
    try:
        key.verify(s, digest, padding.PKCS1v15(), utils.Prehashed(HASHES[algorithm]))
    except InvalidSignature:
        return False
    return True


def _forgery(n: int, size: int, algorithm: str, digest: bytes) -> bytes:
    """A cube root of 00 01 FF 00 DigestInfo digest GARBAGE (Bleichenbacher 2006): valid to
    a verifier that parses the padding and the DigestInfo and ignores what follows."""
    info = rsapkcs1.DIGEST_INFO[algorithm] + digest
    prefix = b"\x00\x01\xff\x00" + info
    target = int.from_bytes(prefix + b"\xff" * (size - len(prefix)), "big")
    root = round(target ** (1 / 3)) if target < 2**1000 else _icbrt(target)
    return (root % n).to_bytes(size, "big")


def _icbrt(x: int) -> int:
    lo, hi = 0, 1 << (x.bit_length() // 3 + 1)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if mid**3 <= x:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _cases(key: rsa.RSAPrivateKey, rng: random.Random) -> Iterator[tuple[str, bytes, str, bytes]]:
    """(name, signature, algorithm, digest) to check under `key`."""
    n = key.public_key().public_numbers().n
    size = rsapkcs1.modulus_bytes(n)
    for algorithm, chosen in HASHES.items():
        digest = hashlib.new(algorithm, rng.randbytes(20)).digest()
        good = key.sign(digest, padding.PKCS1v15(), utils.Prehashed(chosen))
        s = int.from_bytes(good, "big")
        yield "valid", good, algorithm, digest
        yield "leading zero", b"\x00" + good, algorithm, digest
        yield "s + n", (s + n).to_bytes(size + 1, "big"), algorithm, digest
        yield "no leading zeros", s.to_bytes((s.bit_length() + 7) // 8, "big"), algorithm, digest
        other = "sha1" if algorithm == "sha256" else "sha256"
        yield "other hash named", good, other, hashlib.new(other, b"x").digest()
        yield "other digest", good, algorithm, hashlib.new(algorithm, b"other").digest()
        for _ in range(3):
            corrupted = bytearray(good)
            corrupted[rng.randrange(size)] ^= 1 << rng.randrange(8)
            yield "corrupted", bytes(corrupted), algorithm, digest
        yield "truncated", good[:-1], algorithm, digest
        yield "zeros", bytes(size), algorithm, digest
        yield "empty", b"", algorithm, digest
        yield "random", rng.randbytes(size), algorithm, digest
        yield "one", b"\x01", algorithm, digest
        yield "forgery", _forgery(n, size, algorithm, digest), algorithm, digest


@pytest.mark.parametrize("path", ["pow", "openssl"])
def test_both_paths_answer_as_openssl(
    keys: list[rsa.RSAPrivateKey], path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rsapkcs1, "PURE_VERIFICATIONS", 10**9 if path == "pow" else 0)
    calls: list[int] = []
    real = rsapkcs1._openssl_verify
    monkeypatch.setattr(rsapkcs1, "_openssl_verify", lambda *a: calls.append(1) or real(*a))
    rng = random.Random(10)
    seen: dict[str, set[bool]] = {}
    for key in keys:
        public = key.public_key()
        numbers = public.public_numbers()
        for name, signature, algorithm, digest in _cases(key, rng):
            expected = openssl(public, signature, algorithm, digest)
            got = rsapkcs1.verify(numbers.n, numbers.e, signature, algorithm, digest)
            assert got is expected, (numbers.n.bit_length(), numbers.e, name, algorithm)
            seen.setdefault(name, set()).add(expected)
    assert seen["valid"] == seen["leading zero"] == seen["s + n"] == {True}
    assert seen["forgery"] == seen["corrupted"] == seen["other digest"] == {False}
    assert bool(calls) is (path == "openssl")  # the path under test was the one taken


def test_a_key_too_short_for_the_digest_is_unusable() -> None:
    n = 2**400 + 1  # 51 bytes: no room for a SHA-256 DigestInfo and 8 bytes of padding
    assert rsapkcs1.verify(n, 65537, b"\x01", "sha256", hashlib.sha256().digest()) is None
    assert rsapkcs1.encoded("sha256", hashlib.sha256().digest(), 51) is None
    assert rsapkcs1.encoded("sha256", hashlib.sha256().digest(), 62) is not None


def test_openssl_takes_over_after_the_pure_budget(
    keys: list[rsa.RSAPrivateKey], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rsapkcs1, "_verified", 0)
    calls: list[int] = []
    real = rsapkcs1._openssl_verify
    monkeypatch.setattr(rsapkcs1, "_openssl_verify", lambda *a: calls.append(1) or real(*a))
    key = keys[2]
    digest = hashlib.sha256(b"m").digest()
    signature = key.sign(digest, padding.PKCS1v15(), utils.Prehashed(hashes.SHA256()))
    numbers = key.public_key().public_numbers()
    for _ in range(rsapkcs1.PURE_VERIFICATIONS):
        assert rsapkcs1.verify(numbers.n, numbers.e, signature, "sha256", digest)
    assert not calls
    assert rsapkcs1.verify(numbers.n, numbers.e, signature, "sha256", digest)
    assert calls == [1]

"""records/rsa_der.py against cryptography's `load_der_public_key`, which it replaces on the
common path (issue 10, start-up): wherever the reader gives an answer, it is cryptography's
(the same modulus and exponent, or a refusal where cryptography raises or loads a key of
another type). Where it is unsure, records/dkim_key.py asks cryptography, so an unsure
answer is never wrong; but real keys of both shapes must get an answer (else the reader
saves nothing).

Inputs: real keys of many sizes in both shapes, fabricated moduli and exponents (odd, even,
tiny, huge), hand-made DER variants (BER lengths, padded and negative INTEGERs, trailing
bytes, other algorithms, RSASSA-PSS, unused bits) and thousands of random mutations."""

from __future__ import annotations

import base64
import random
from collections.abc import Iterator

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    PublicFormat,
    load_der_public_key,
)

from mailauth.records import dkim_key, rsa_der
from mailauth.records.dkim_key import parse_dkim_key
from mailauth.records.rsa_der import read_rsa_public_key

RSA_OID = bytes.fromhex("06092a864886f70d010101")
PSS_OID = bytes.fromhex("06092a864886f70d01010a")
NULL = b"\x05\x00"


def _len(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(raw)]) + raw


def tlv(tag: int, content: bytes) -> bytes:
    return bytes([tag]) + _len(len(content)) + content


def integer(value: int) -> bytes:
    return tlv(2, value.to_bytes(value.bit_length() // 8 + 1, "big", signed=value < 0))


def seq(*parts: bytes) -> bytes:
    return tlv(0x30, b"".join(parts))


def pkcs1(n: int, e: int) -> bytes:
    return seq(integer(n), integer(e))


def spki(inner: bytes, algorithm: bytes | None = None, unused: int = 0) -> bytes:
    return seq(
        seq(RSA_OID, NULL) if algorithm is None else algorithm, tlv(3, bytes([unused]) + inner)
    )


def theirs(data: bytes) -> tuple[int, int] | bool:
    """cryptography's reading: (n, e) of an RSA key, False for anything else."""
    try:
        key = load_der_public_key(data)
    except Exception:
        return False
    if not isinstance(key, RSAPublicKey):
        return False
    numbers = key.public_numbers()
    return numbers.n, numbers.e


def agree(data: bytes) -> bool:
    """The reader agrees with cryptography; True when it gave an answer (not unsure)."""
    ours = read_rsa_public_key(data)
    if ours is rsa_der.UNSURE:
        return False
    assert ours == theirs(data), data.hex()
    return True


@pytest.fixture(scope="module")
def real_keys() -> list[RSAPublicKey]:
    sizes = [1024, 1024, 1280, 2048, 2048, 3072, 4096]
    keys = [rsa.generate_private_key(public_exponent=65537, key_size=s).public_key() for s in sizes]
    keys.append(rsa.generate_private_key(public_exponent=3, key_size=1024).public_key())
    rng = random.Random(5)  # shorter than cryptography generates: any odd n is a public key
    keys += [
        rsa.RSAPublicNumbers(65537, rng.getrandbits(b) | 1 | 1 << (b - 1)).public_key()
        for b in (512, 768)
    ]
    return keys


def _shapes(key: RSAPublicKey) -> Iterator[bytes]:
    yield key.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    yield key.public_bytes(Encoding.DER, PublicFormat.PKCS1)


def test_real_keys_in_both_shapes_are_read_as_cryptography_reads_them(
    real_keys: list[RSAPublicKey],
) -> None:
    for key in real_keys:
        for der in _shapes(key):
            assert agree(der), "a real key must not be left to cryptography"
            numbers = key.public_numbers()
            assert read_rsa_public_key(der) == (numbers.n, numbers.e)


def _numbers(rng: random.Random) -> Iterator[tuple[int, int]]:
    """Moduli and exponents cryptography takes and refuses (its checks of the numbers)."""
    for bits in (2, 3, 8, 16, 17, 64, 127, 128, 129, 1024, 2048, 4097, 8192, 16385):
        n = rng.getrandbits(bits) | (1 << (bits - 1))
        for candidate in (n | 1, n & ~1):
            for e in (
                0,
                1,
                2,
                3,
                4,
                65537,
                65538,
                candidate - 1,
                candidate,
                candidate + 2,
                2**64 + 1,
                2**80 + 1,
            ):
                yield candidate, e
    yield 0, 65537
    yield 5, 3
    yield 3, 3


def test_fabricated_numbers_are_judged_as_cryptography_judges_them() -> None:
    rng = random.Random(7)
    answered = 0
    for n, e in _numbers(rng):
        for der in (spki(pkcs1(n, e)), pkcs1(n, e)):
            answered += agree(der)
    assert answered > 300


def _handmade(n: int, e: int) -> Iterator[bytes]:
    inner = pkcs1(n, e)
    good = spki(inner)
    yield good
    yield spki(inner, seq(RSA_OID))  # parameters absent: cryptography takes it
    yield spki(inner, seq(PSS_OID))  # RSASSA-PSS: cryptography takes it; left to it
    yield spki(inner, seq(PSS_OID, seq()))
    yield spki(inner, seq(RSA_OID, integer(0)))
    yield spki(inner, seq(RSA_OID, NULL, NULL))
    yield spki(inner, seq(RSA_OID, b"\x05\x01\x00"))
    yield spki(inner, seq(tlv(6, bytes.fromhex("2a8648ce3d0201")), NULL))  # id-ecPublicKey
    yield spki(inner, unused=1)
    yield spki(inner) + b"\x00"
    yield spki(inner + b"\x00")
    yield inner + b"\x00"
    yield spki(spki(inner))
    yield spki(seq(integer(n), integer(e), integer(1)))
    yield seq(integer(n), integer(e), integer(1))
    yield seq(integer(n))
    yield spki(seq(integer(-n), integer(e)))
    yield spki(seq(integer(n), integer(-e)))
    yield spki(seq(tlv(2, b"\x00" + integer(n)[4:]), integer(e)))  # a padded INTEGER
    yield spki(seq(tlv(2, b""), integer(e)))
    yield spki(seq(integer(n), b"\x02\x81\x03\x01\x00\x01"))  # long form for a short length
    yield spki(seq(integer(n), b"\x02\x82\x00\x03\x01\x00\x01"))  # a zero length octet
    yield b"\x30\x80" + inner[4:] + b"\x00\x00"  # indefinite length
    yield tlv(0x31, good[4:])
    yield seq(seq(RSA_OID, NULL), tlv(3, b""))
    yield seq(seq(RSA_OID, NULL), tlv(4, b"\x00" + inner))  # OCTET STRING
    yield b""
    yield b"\x30"
    yield b"\x30\x00"
    yield b"\x1f\x30\x00"
    yield b"\x30\x84\xff\xff\xff\xff"
    yield b"\x30\x85\x00\x00\x00\x00\x01\x00"
    other = ed25519.Ed25519PrivateKey.generate().public_key()
    yield other.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    curve = ec.generate_private_key(ec.SECP256R1()).public_key()
    yield curve.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)


def test_handmade_variants(real_keys: list[RSAPublicKey]) -> None:
    numbers = real_keys[1].public_numbers()
    answered = sum(agree(der) for der in _handmade(numbers.n, numbers.e))
    assert answered >= 3


def _mutations(der: bytes, rng: random.Random) -> Iterator[bytes]:
    for _ in range(400):
        data = bytearray(der)
        match rng.randrange(5):
            case 0:  # a byte changed, often in the headers
                i = (
                    rng.randrange(min(len(data), 40))
                    if rng.random() < 0.7
                    else rng.randrange(len(data))
                )
                data[i] = rng.randrange(256)
            case 1:
                del data[rng.randrange(len(data)) :]
            case 2:
                data.insert(rng.randrange(len(data) + 1), rng.randrange(256))
            case 3:
                del data[rng.randrange(len(data))]
            case 4:
                i = rng.randrange(len(data))
                data[i] ^= 1 << rng.randrange(8)
        yield bytes(data)


def test_random_mutations(real_keys: list[RSAPublicKey]) -> None:
    rng = random.Random(2026)
    checked = 0
    for key in real_keys[:4]:
        for der in _shapes(key):
            for mutated in _mutations(der, rng):
                agree(mutated)
                checked += 1
    assert checked == 3200


def test_dkim_key_records_are_judged_as_with_cryptography_alone(
    real_keys: list[RSAPublicKey], monkeypatch: pytest.MonkeyPatch
) -> None:
    """parse_dkim_key with the reader gives what it gave when cryptography read every key."""
    rng = random.Random(11)
    records = []
    for key in real_keys:
        for der in _shapes(key):
            records.append(der)
            records.extend(list(_mutations(der, rng))[:40])
    numbers = real_keys[1].public_numbers()
    records.extend(_handmade(numbers.n, numbers.e))
    records.extend(spki(pkcs1(n, e)) for n, e in _numbers(random.Random(3)))
    texts = [f"v=DKIM1; k=rsa; p={base64.b64encode(der).decode()}" for der in records]
    ours = [parse_dkim_key(text) for text in texts]
    monkeypatch.setattr(dkim_key, "read_rsa_public_key", lambda data: rsa_der.UNSURE)
    for text, mine in zip(texts, ours, strict=True):
        assert parse_dkim_key(text) == mine, text

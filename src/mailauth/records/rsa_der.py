"""Read an RSA public key from DER without importing `cryptography` (issue 10, start-up).

A DKIM p= holds an ASN.1 DER SubjectPublicKeyInfo (RFC 6376 §3.6.1, RFC 5280 §4.1.2.7) or,
from some signers, the bare PKCS#1 RSAPublicKey (RFC 8017 §A.1.1). records/dkim_key.py
judged both with cryptography's `load_der_public_key`, whose import cost every `verify` and
`check` start several ms. `read_rsa_public_key` reads the two common shapes in strict DER:

    SubjectPublicKeyInfo ::= SEQUENCE { SEQUENCE { rsaEncryption OID, NULL (or absent) },
                                        BIT STRING (no unused bits) { RSAPublicKey } }
    RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }

and makes cryptography's checks of the numbers (n >= 3, e odd, 3 <= e < n). Its answer is
cryptography's by construction only where it is sure: any input it does not accept as one of
those shapes (another algorithm, RSASSA-PSS, BER lengths, trailing bytes, a negative or
padded INTEGER...) is `UNSURE`, and the caller asks cryptography. tests/unit/records/
test_rsa_der.py holds the reader to cryptography on generated, mutated and hand-made keys.

Bounded: one pass over the input with no recursion; an INTEGER is read in linear time
whatever its length, so a key over the size limits is still measured (and refused by
the caller, as before).
"""

from __future__ import annotations

from typing import Final

# 1.2.840.113549.1.1.1 rsaEncryption, as its DER content octets
_RSA_ENCRYPTION = bytes.fromhex("2a864886f70d010101")
_SEQUENCE, _INTEGER, _BIT_STRING, _NULL, _OID = 0x30, 0x02, 0x03, 0x05, 0x06


class _Unsure(Exception):
    """Not one of the shapes this reader vouches for."""


UNSURE: Final = None  # the answer "ask cryptography"


def read_rsa_public_key(data: bytes) -> tuple[int, int] | bool | None:
    """(modulus, public exponent) of a key cryptography's `load_der_public_key` loads as an
    RSA public key; False for an RSA key of these shapes that cryptography refuses for its
    numbers (e even, e < 3, e >= n, n < 3); None (`UNSURE`) for anything else."""
    try:
        numbers = _spki(data) if data[:1] == b"\x30" and _is_spki(data) else _pkcs1(data)
    except (_Unsure, IndexError):
        return UNSURE
    n, e = numbers
    if n < 3 or not 3 <= e < n or e % 2 == 0:  # cryptography's "n must be >= 3" etc.
        return False
    return n, e


def _is_spki(data: bytes) -> bool:
    """Whether the outer SEQUENCE starts with a SEQUENCE (AlgorithmIdentifier), not an
    INTEGER (RSAPublicKey's modulus)."""
    _, start, _ = _header(data, 0)
    return data[start : start + 1] == b"\x30"


def _spki(data: bytes) -> tuple[int, int]:
    tag, start, end = _header(data, 0)
    _expect(tag == _SEQUENCE and end == len(data))
    tag, alg_start, alg_end = _header(data, start)
    _expect(tag == _SEQUENCE)
    tag, oid_start, oid_end = _header(data, alg_start)
    _expect(tag == _OID and data[oid_start:oid_end] == _RSA_ENCRYPTION)
    if oid_end != alg_end:  # the parameters: NULL (RFC 3279 §2.3.1), or absent
        tag, null_start, null_end = _header(data, oid_end)
        _expect(tag == _NULL and null_start == null_end == alg_end)
    tag, bits_start, bits_end = _header(data, alg_end)
    _expect(tag == _BIT_STRING and bits_end == end and data[bits_start] == 0)
    return _rsa_public_key(data, bits_start + 1, bits_end)


def _pkcs1(data: bytes) -> tuple[int, int]:
    return _rsa_public_key(data, 0, len(data))


def _rsa_public_key(data: bytes, start: int, end: int) -> tuple[int, int]:
    tag, seq_start, seq_end = _header(data, start)
    _expect(tag == _SEQUENCE and seq_end == end)
    n, pos = _integer(data, seq_start)
    e, pos = _integer(data, pos)
    _expect(pos == seq_end)
    return n, e


def _integer(data: bytes, pos: int) -> tuple[int, int]:
    """A non-negative INTEGER in minimal two's complement (X.690 §8.3.2), and where it ends."""
    tag, start, end = _header(data, pos)
    _expect(tag == _INTEGER and end > start)
    first = data[start]
    _expect(first < 0x80)  # negative: not a modulus or exponent cryptography takes
    if end - start > 1:
        _expect(first != 0 or data[start + 1] >= 0x80)  # no superfluous leading zero
    return int.from_bytes(data[start:end], "big"), end


def _header(data: bytes, pos: int) -> tuple[int, int, int]:
    """Tag, content start and content end of the TLV at `pos`, in DER (X.690 §10.1): the
    short form below 128, else the long form in the fewest octets; never indefinite."""
    tag = data[pos]
    _expect(tag & 0x1F != 0x1F)  # a multi-octet tag is none of ours
    length = data[pos + 1]
    pos += 2
    if length & 0x80:
        count = length & 0x7F
        _expect(1 <= count <= 4 and data[pos] != 0)
        length = int.from_bytes(data[pos : pos + count], "big")
        _expect(len(data) >= pos + count and length >= 0x80)
        pos += count
    end = pos + length
    _expect(end <= len(data))
    return tag, pos, end


def _expect(condition: bool) -> None:
    if not condition:
        raise _Unsure

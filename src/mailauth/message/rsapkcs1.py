"""RSASSA-PKCS1-v1_5 signature verification (RFC 8017 §8.2.2) without importing `cryptography`.

With e = 65537, verifying is one `pow(s, e, n)`: ~0.1 ms for a 2,048-bit key in Python,
where importing cryptography's RSA modules costs a `mailauth verify` start several ms (issue
10, start-up). The check is the one RFC 8017 §8.2.2 step 3 and dkimpy make: the whole
expected encoding EM = 0x00 0x01 FF..FF 0x00 DigestInfo digest (EMSA-PKCS1-v1_5, §9.2) is
built from the digest and compared with the bytes of s^e mod n. Nothing of the signature
is parsed: reading its padding or DigestInfo instead is the Bleichenbacher 2006 forgery.

OpenSSL is ~10 times faster per signature, which matters to a run over many messages and
not to one: after PURE_VERIFICATIONS signatures in a process, keys OpenSSL accepts are
verified by `cryptography` (imported then). Both give the same answer for every input
(tests/unit/message/test_rsa_pkcs1.py holds them to it); only the cost differs.
"""

from __future__ import annotations

import functools
import hmac
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

# RFC 8017 §9.2 note 1: the DER DigestInfo before the digest, parameters NULL.
DIGEST_INFO = {
    "sha1": bytes.fromhex("3021300906052b0e03021a05000414"),
    "sha256": bytes.fromhex("3031300d060960864801650304020105000420"),
}
# Signatures verified by pow() before OpenSSL takes over (see above): importing cryptography's
# RSA modules costs about as much as this many pure-Python verifications of a 2,048-bit key.
PURE_VERIFICATIONS = 32
# OpenSSL refuses some RSA keys dkimpy's arithmetic accepts (an even modulus, e < 3 or even,
# e >= n, an exponent over 64 bits with a modulus over 3,072 bits, a modulus over 16,384
# bits); those keys are always verified with pow(), as dkimpy does.
_OPENSSL_SMALL_MODULUS_BITS = 3072
_OPENSSL_MAX_EXP_BITS = 64
_OPENSSL_MAX_MODULUS_BITS = 16384

_verified = 0  # pure-Python verifications so far in this process


def modulus_bytes(n: int) -> int:
    """k in RFC 8017: the modulus' length in bytes (at least 1, as dkimpy counts it)."""
    return max(1, (n.bit_length() + 7) // 8)


def encoded(algorithm: str, digest: bytes, size: int) -> bytes | None:
    """EMSA-PKCS1-v1_5 (RFC 8017 §9.2) of `digest` for a `size`-byte modulus; None when the
    modulus is too short for it (§9.2 step 5: "intended encoded message length too short")."""
    digest_info = DIGEST_INFO[algorithm] + digest
    if len(digest_info) + 11 > size:
        return None
    return b"\x00\x01" + b"\xff" * (size - len(digest_info) - 3) + b"\x00" + digest_info


def verify(n: int, e: int, signature: bytes, algorithm: str, digest: bytes) -> bool | None:
    """Whether `signature` is a valid RSASSA-PKCS1-v1_5 signature of `digest` (the hash by
    `algorithm`, "sha1" or "sha256") under the key (n, e); None when the key is too short for
    this digest (the caller's "key unusable"). The signature is read as an integer whatever
    its length, as dkimpy's arithmetic reads it (s and s mod n are the same signature to
    pow()). The caller bounds n and e: pow() costs grow with their size."""
    global _verified
    size = modulus_bytes(n)
    if len(DIGEST_INFO[algorithm]) + len(digest) + 11 > size:  # `encoded`'s refusal
        return None
    s = int.from_bytes(signature, "big") % n
    if _verified >= PURE_VERIFICATIONS:
        key = _openssl_key(n, e)
        if key is not None:
            answer = _openssl_verify(key, s.to_bytes(size, "big"), algorithm, digest)
            if answer is not None:
                return answer
    else:
        _verified += 1
    # RFC 8017 §8.2.2 step 2c-3: compare the whole encoding, in constant time. Built here,
    # not before OpenSSL's answer, which does not need it (issue 10).
    expected = encoded(algorithm, digest, size)  # not None: the length was checked above
    return expected is not None and hmac.compare_digest(
        pow(s, e, n).to_bytes(size, "big"), expected
    )


@functools.lru_cache(maxsize=256)
def _openssl_key(n: int, e: int) -> RSAPublicKey | None:
    """The key for OpenSSL, None for one it refuses (verified with pow() instead)."""
    if not (n % 2 and 3 <= e < n and e % 2) or n.bit_length() > _OPENSSL_MAX_MODULUS_BITS:
        return None
    if n.bit_length() > _OPENSSL_SMALL_MODULUS_BITS and e.bit_length() > _OPENSSL_MAX_EXP_BITS:
        return None
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicNumbers

    try:
        return RSAPublicNumbers(e, n).public_key()
    except ValueError:
        return None


def _openssl_verify(
    key: RSAPublicKey, signature: bytes, algorithm: str, digest: bytes
) -> bool | None:
    """OpenSSL's verdict; None when OpenSSL refuses the key after all (pow() decides)."""
    invalid, pkcs1, prehashed = _openssl_arguments(algorithm)
    try:
        key.verify(signature, digest, pkcs1, prehashed)
    except invalid:
        return False
    except Exception:  # OpenSSL refusing a key after all: decide by arithmetic
        return None
    return True


@functools.lru_cache(maxsize=2)
def _openssl_arguments(algorithm: str) -> tuple[type[Exception], Any, Any]:
    """cryptography's InvalidSignature, PKCS#1 v1.5 padding and the prehashed digest type
    for `algorithm`, imported and made once (they hold no state), not for every signature."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding, utils

    chosen = hashes.SHA1() if algorithm == "sha1" else hashes.SHA256()
    return InvalidSignature, padding.PKCS1v15(), utils.Prehashed(chosen)

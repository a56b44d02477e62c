"""Parser for DKIM public-key records (`<selector>._domainkey.<domain>` TXT).

RFC 6376 §3.6.1 defines the tags, RFC 8463 adds `k=ed25519`, RFC 8301 retires SHA-1 and keys
under 1024 bits. The parser is pure and never raises: anything wrong becomes a `Problem` with
a `KeyProblem` code,
and `DkimKey.usable` says whether a verifier could use the key at all. The domain check turns
problems into findings; the message verifier reuses the same object to explain a failure
("key revoked", "key too short", "testing mode").
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable
from dataclasses import field
from enum import Enum
from typing import Any

from mailauth.frozen import frozen
from mailauth.records.problem import Problem
from mailauth.records.rsa_der import read_rsa_public_key
from mailauth.records.taglist import split_tag_list

# RFC 6376 §3.2: tag-name = ALPHA *ALNUMPUNC. Verifiers (dkimpy, OpenDKIM) only insist on the
# leading letter, so a name like `x-future` is tolerated here too rather than called fatal.
_TAG_NAME = re.compile(r"[A-Za-z]")
_SPACES = re.compile(r"\s+")  # p= may be folded over several lines: base64 ignores them
# RFC 6376 §3.6.1 / RFC 8301 / RFC 8463: the key types and hashes verifiers implement today.
KNOWN_KEY_TYPES = ("rsa", "ed25519")
KNOWN_HASHES = ("sha256", "sha1")
ED25519_KEY_BYTES = 32  # RFC 8463 §4.2: the raw 32-byte public key, base64-encoded.
# RFC 8301 §3.2: signers MUST use RSA keys of at least 1024 bits, SHOULD use 2048.
RSA_MIN_BITS = 1024
RSA_GOOD_BITS = 2048
# RFC 8301 §3.2: verifiers MUST validate keys of 1024 to 4096 bits and MAY refuse larger
# ones. We refuse them (pure-Python RSA on a 32,768-bit key takes minutes), and exponents
# over 64 bits, as OpenSSL does for large moduli (RSA_MAX_PUBEXP_BITS): real keys use 65537.
RSA_MAX_BITS = 4096
RSA_MAX_EXPONENT_BITS = 64
# A key this parser cannot read may still be read by a verifier's own, more lenient parser
# (dkimpy's); but not one larger than any key within the limits can be (its DER is ~550 bytes).
_MAX_UNREAD_KEY_BYTES = 1024


class KeyProblem(str, Enum):
    """What can be wrong with a key record. `fatal` ones make the key unusable."""

    MALFORMED_TAG = "malformed-tag"  # RFC 6376 §3.2: not `name=value`, or a bad tag name
    EMPTY_TAG = "empty-tag"  # `;;` inside the list: tolerated by some verifiers, not dkimpy
    DUPLICATE_TAG = "duplicate-tag"  # RFC 6376 §3.2: duplicate tags make the list invalid
    BAD_VERSION = "bad-version"  # RFC 6376 §3.6.1: v= other than DKIM1 → discard the record
    VERSION_NOT_FIRST = "version-not-first"  # RFC 6376 §3.6.1: v= MUST be first when present
    MISSING_KEY = "missing-key"  # p= is REQUIRED
    UNKNOWN_KEY_TYPE = "unknown-key-type"  # k= not rsa / ed25519
    BAD_BASE64 = "bad-base64"
    BAD_KEY_DATA = "bad-key-data"  # base64 fine but not an RSA public key in DER
    BAD_ED25519_LENGTH = "bad-ed25519-length"  # RFC 8463 §4: exactly 32 bytes
    SHA1_ONLY = "sha1-only"  # RFC 8301 §3.1: verifiers MUST NOT accept rsa-sha1
    NO_KNOWN_HASH = "no-known-hash"  # h= names no algorithm a verifier implements
    NOT_FOR_EMAIL = "not-for-email"  # s= has neither "*" nor "email"
    KEY_TOO_LONG = "key-too-long"  # RSA over RSA_MAX_BITS: RFC 8301 §3.2 lets verifiers refuse
    EXPONENT_TOO_LARGE = "exponent-too-large"  # RSA exponent over RSA_MAX_EXPONENT_BITS

    @property
    def fatal(self) -> bool:
        return self not in (KeyProblem.EMPTY_TAG, KeyProblem.VERSION_NOT_FIRST)


class KeyStrength(str, Enum):
    """How receivers judge the key's size (RFC 8301 §3.2; Gmail ignores keys under 1024 bits)."""

    TOO_SHORT = "too-short"
    WEAK = "weak"
    GOOD = "good"
    UNKNOWN = "unknown"


# One problem: `subject` is the tag it is about, `value` the offending text.
DkimKeyProblem = Problem[KeyProblem]


@frozen
class DkimKey:
    """A parsed key record. `key_bits` is the RSA modulus size, 256 for Ed25519, None when
    the key could not be decoded; judge size with `strength`, not with `key_bits` alone."""

    record: str
    tags: dict[str, str] = field(default_factory=dict)
    version: str | None = None
    key_type: str = "rsa"
    key_bits: int | None = None
    exponent_bits: int | None = None  # the RSA public exponent's size (65537: 17 bits)
    revoked: bool = False
    testing: bool = False
    strict: bool = False
    hash_algorithms: tuple[str, ...] = ()
    service_types: tuple[str, ...] = ("*",)
    notes: str | None = None
    problems: tuple[DkimKeyProblem, ...] = ()

    @property
    def usable(self) -> bool:
        """A verifier could check signatures with this key (it may still be weak or testing)."""
        return not self.revoked and not any(p.code.fatal for p in self.problems)

    @property
    def strength(self) -> KeyStrength:
        if self.key_bits is None:
            return KeyStrength.UNKNOWN
        if self.key_type == "ed25519":
            return KeyStrength.GOOD
        if self.key_bits < RSA_MIN_BITS:
            return KeyStrength.TOO_SHORT
        if self.key_bits < RSA_GOOD_BITS:
            return KeyStrength.WEAK
        return KeyStrength.GOOD

    def has(self, problem: KeyProblem) -> bool:
        return any(p.code is problem for p in self.problems)

    def refused_by_verifier(self) -> KeyProblem | None:
        """Why mailauth does not verify signatures with this RSA key (pure-Python RSA on a
        32,768-bit key costs minutes per signature), None when it does: over RSA_MAX_BITS,
        an exponent over RSA_MAX_EXPONENT_BITS, or unreadable and larger than such a key."""
        if self.key_type != "rsa":
            return None
        for problem in (KeyProblem.KEY_TOO_LONG, KeyProblem.EXPONENT_TOO_LARGE):
            if self.has(problem):
                return problem
        data = "".join(self.tags.get("p", "").split())
        if self.key_bits is None and len(data) * 3 // 4 > _MAX_UNREAD_KEY_BYTES:
            return KeyProblem.BAD_KEY_DATA
        return None


def split_tags(text: str) -> tuple[list[tuple[str, str]], list[DkimKeyProblem]]:
    """Split an RFC 6376 §3.2 tag-list into (name, value) pairs, in order, keeping duplicates.

    Whitespace around names and values is folding white space and is dropped; one trailing
    `;` is allowed, an empty tag elsewhere is reported. Returns the pairs and the syntax
    issues found on the way, in record order.
    """
    pairs: list[tuple[str, str]] = []
    issues: list[DkimKeyProblem] = []
    for spec in split_tag_list(text, whitespace=None):
        if not spec.text:
            issues.append(Problem(KeyProblem.EMPTY_TAG, None, ";;"))
        elif not spec.has_equals or not _TAG_NAME.match(spec.name):
            issues.append(Problem(KeyProblem.MALFORMED_TAG, spec.name or None, spec.text))
        else:
            pairs.append((spec.name, spec.value))
    return pairs, issues


def looks_like_key(text: str) -> bool:
    """Whether a TXT record is meant as a DKIM key at all (not a wildcard SPF or site token):
    it starts with v=DKIM1 or carries a p= or k= tag."""
    pairs, _ = split_tags(text)
    names = {n for n, _ in pairs}
    return text.lstrip().startswith("v=DKIM") or "p" in names or "k" in names


def parse_dkim_key(text: str) -> DkimKey:
    """Parse one key record (TXT strings already joined). Never raises."""
    pairs, issues = split_tags(text)
    tags: dict[str, str] = {}
    for name, value in pairs:
        if name in tags:
            issues.append(Problem(KeyProblem.DUPLICATE_TAG, name, value))
            continue
        tags[name] = value

    version = tags.get("v")
    if version is not None:
        if version != "DKIM1":
            issues.append(Problem(KeyProblem.BAD_VERSION, "v", version))
        elif pairs[0][0] != "v":
            issues.append(Problem(KeyProblem.VERSION_NOT_FIRST, "v", version))

    key_type = tags.get("k", "rsa").strip().lower() or "rsa"
    hashes = _colon_list(tags.get("h"))
    services = _colon_list(tags.get("s")) or ("*",)
    flags = _colon_list(tags.get("t"))
    # RFC 8301 §3.1: sha1 is no longer acceptable; RFC 6376 §3.6.1: unknown hashes are ignored.
    if hashes:
        known = [h for h in hashes if h in KNOWN_HASHES]
        if not known:
            issues.append(Problem(KeyProblem.NO_KNOWN_HASH, "h", tags["h"]))
        elif all(h == "sha1" for h in known):
            issues.append(Problem(KeyProblem.SHA1_ONLY, "h", tags["h"]))
    if "*" not in services and "email" not in services:
        issues.append(Problem(KeyProblem.NOT_FOR_EMAIL, "s", tags["s"]))

    revoked = False
    key_bits: int | None = None
    exponent_bits: int | None = None
    if "p" not in tags:
        issues.append(Problem(KeyProblem.MISSING_KEY, "p"))
    else:
        p = _SPACES.sub("", tags["p"])
        revoked = p == ""  # RFC 6376 §3.6.1: an empty p= means the key has been revoked
        if key_type not in KNOWN_KEY_TYPES:
            issues.append(Problem(KeyProblem.UNKNOWN_KEY_TYPE, "k", key_type))
        elif not revoked:
            key_bits, exponent_bits, problem = _key_size(key_type, p)
            if problem is not None:
                issues.append(Problem(problem, "p", _shorten(p)))

    return DkimKey(
        record=text,
        tags=tags,
        version=version,
        key_type=key_type,
        key_bits=key_bits,
        exponent_bits=exponent_bits,
        revoked=revoked,
        testing="y" in flags,
        strict="s" in flags,
        hash_algorithms=hashes,
        service_types=services,
        notes=tags.get("n"),
        problems=tuple(issues),
    )


def _colon_list(value: str | None) -> tuple[str, ...]:
    """`h=`, `s=` and `t=` are colon-separated lists (RFC 6376 §3.6.1)."""
    if value is None:
        return ()
    return tuple(v.strip().lower() for v in value.split(":") if v.strip())


def _key_size(key_type: str, p: str) -> tuple[int | None, int | None, KeyProblem | None]:
    """Decode p= and measure the key: (bits, RSA exponent bits, None), or the problem, with
    the sizes when they are known (a key over the limits verifiers must accept)."""
    try:
        raw = base64.b64decode(p, validate=True)
    except (binascii.Error, ValueError):
        return None, None, KeyProblem.BAD_BASE64
    if key_type == "ed25519":
        if len(raw) != ED25519_KEY_BYTES:
            return None, None, KeyProblem.BAD_ED25519_LENGTH
        return 8 * ED25519_KEY_BYTES, None, None
    # RFC 6376 §3.6.1: an ASN.1 DER SubjectPublicKeyInfo; some signers publish the bare
    # PKCS#1 RSAPublicKey instead, which verifiers (dkimpy, OpenDKIM) also accept. Read as
    # cryptography reads it: by records/rsa_der.py, or by cryptography when that is unsure.
    numbers = read_rsa_public_key(raw)
    if numbers is None:
        numbers = _read_with_cryptography(raw)
    if not isinstance(numbers, tuple):
        return None, None, KeyProblem.BAD_KEY_DATA
    n, e = numbers
    bits, exponent = n.bit_length(), e.bit_length()
    if bits > RSA_MAX_BITS:
        return bits, exponent, KeyProblem.KEY_TOO_LONG
    if exponent > RSA_MAX_EXPONENT_BITS:
        return bits, exponent, KeyProblem.EXPONENT_TOO_LARGE
    return bits, exponent, None


def _shorten(value: str, limit: int = 40) -> str:
    return value if len(value) <= limit else value[:limit] + "…"


def _read_with_cryptography(raw: bytes) -> tuple[int, int] | bool:
    """(n, e) of the key if cryptography's `load_der_public_key` loads `raw` as an RSA public
    key, else False: for the keys records/rsa_der.py does not vouch for."""
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

    try:
        key = load_der_public_key()(raw)
    except Exception:  # cryptography raises several types for malformed DER
        return False
    if not isinstance(key, RSAPublicKey):
        return False
    numbers = key.public_numbers()
    return numbers.n, numbers.e


def load_der_public_key() -> Callable[[bytes], Any]:
    """cryptography's `load_der_public_key`, taken from the binding that
    `cryptography.hazmat.primitives.serialization` re-exports it from: importing that
    package imports its SSH key and cipher modules too, ~25 ms of CPU on every `verify` and
    `check` start for nothing (bench/startup.py). The same function object (a test holds the
    two to it); the public import if a cryptography release moves it."""
    try:
        from cryptography.hazmat.bindings._rust import openssl as rust_openssl

        load: Callable[[bytes], Any] = rust_openssl.keys.load_der_public_key
    except (ImportError, AttributeError):  # pragma: no cover - another cryptography layout
        from cryptography.hazmat.primitives.serialization import load_der_public_key as load
    return load

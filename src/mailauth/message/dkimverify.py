"""Verify DKIM signatures natively: canonicalization and hashing over bytes (message/dkimcanon),
RSA (PKCS#1 v1.5, RFC 8017 §8.2) in Python (message/rsapkcs1.py) and Ed25519 (RFC 8463)
through libsodium (PyNaCl, as dkimpy), imported only when an Ed25519 signature is verified.

dkimpy re-reads the message, canonicalizes and hashes the body again for every signature and
does RSA in pure Python. Here the message is split once (`DkimMessage`), the header fields
are indexed by name once, every body hash is computed once per (canonicalization, hash, l=)
and shared by the signatures that need it, and the body is streamed (bounded memory).

The verdict is the one dkimpy's `DKIM.verify(idx=)` gives for the same bytes: dkimpy stays
the reference, and tests/unit/message/test_dkim_native.py holds the two to the same result on
every vector, sample and thousands of generated messages. So the steps and their order are
dkimpy's (the key is fetched before the body hash is checked; a key record dkimpy cannot read
is a plain "does not verify"), and so are two pieces reused from it: the tag syntax rules
(`dkim.validate_signature_fields`: what is a syntax error, t=/x= against its clock) and its
lenient reading of the RSA key's DER (`dkim.crypto.parse_public_key`). Neither is costly.

`Verdict` says how a check ended, in the terms message/dkim.py turns into a result and reason.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import re
from collections.abc import Callable
from dataclasses import replace
from enum import Enum
from typing import Any

from mailauth.frozen import frozen
from mailauth.message.dkimcanon import BodyHashes, relaxed_header, without_b_value
from mailauth.message.dkimsyntax import (
    InvalidTagValueList,
    MessageFormatError,
    UnparsableKeyError,
    ValidationError,
    parse_public_key,
    parse_tag_value,
    validate_signature_fields,
)
from mailauth.message.rsapkcs1 import verify as rsa_verify

# dkimpy's reading of a header line: the shortest run of visible characters before a colon.
_FIELD_NAME = re.compile(rb"([\x21-\x7e]+?):")
_H_SPLIT = re.compile(rb"\s*:\s*")
HASHES = {b"rsa-sha1": "sha1", b"rsa-sha256": "sha256", b"ed25519-sha256": "sha256"}
_ED25519_SIGNATURE_BYTES = 64
_ED25519_KEY_BYTES = 32

KeyLookup = Callable[[bytes], "bytes | None"]  # key name -> TXT record; None: none or failed


class LookupDeferred(Exception):
    """Raised by a KeyLookup that cannot answer now (message/dnsbridge.py `NotPrefetched`):
    the check is abandoned, not judged, and the caller runs it again where it can."""


class Verdict(str, Enum):
    """How the check of one signature ended (dkimpy's outcome for the same input in brackets)."""

    PASS = "pass"  # the signature verifies (True)
    FAIL = "fail"  # no usable key record, or the signature does not match (False)
    BODY_HASH_MISMATCH = "body-hash-mismatch"  # (ValidationError "body hash mismatch ...")
    INVALID_TAG = "invalid-tag"  # a tag value refused; `detail` says which (ValidationError)
    FORMAT_ERROR = "format-error"  # an unreadable tag list, an unknown c= (MessageFormatError)
    KEY_UNUSABLE = "key-unusable"  # digest longer than the modulus, no key type (KeyFormatError)
    ERROR = "error"  # the input makes a Python error dkimpy does not catch either


@frozen
class Outcome:
    verdict: Verdict
    detail: str = ""  # dkimpy's words for the same outcome (bug reports, --debug)
    key_bits: int | None = None  # the key's size, when the key was read


@frozen
class _Key:
    """A key record as dkimpy reads it (`dkim.evaluate_pk`). `kind` None: a key whose s= names
    no known service, which dkimpy keeps reading and then refuses as of unknown type."""

    kind: bytes | None
    bits: int | None
    rsa: tuple[int, int] | None = None  # (n, e)
    ed25519: bytes | None = None
    tlsrpt: bool = False


class DkimMessage:
    """A message split the way dkimpy splits it (`dkim.rfc822_parse`), without copying the body.

    Header fields: (name, value) with the value as dkimpy keeps it, every line ending CRLF.
    Raises MessageFormatError for a header line dkimpy refuses, as dkimpy does.
    `crlf_only`: the caller promises that every LF follows a CR (`ParsedMessage.dkim_bytes`
    does), which spares counting line endings over the whole body.
    """

    def __init__(
        self,
        data: bytes,
        crlf_only: bool = False,
        split: tuple[list[tuple[bytes, bytes]], int] | None = None,
    ) -> None:
        """`split`: the fields and body start `_split(data)` would give, when the caller
        already has them (`ParsedMessage.dkim_message`: the header is then read once)."""
        self.data = data
        self.headers, self.body_start = _split(data) if split is None else split
        self._by_name: dict[bytes, list[int]] = {}
        for i, (name, _) in enumerate(self.headers):
            self._by_name.setdefault(name.lower(), []).append(i)
        self.bodies = BodyHashes(data, self.body_start, crlf_only)
        self._relaxed: dict[int, tuple[bytes, bytes]] = {}
        self._keys: dict[bytes, _Key | Outcome] = {}

    @property
    def body_length(self) -> int:
        """The body's length with every line ending CRLF (dkimpy's `len(DKIM.body)`)."""
        return len(self.data) - self.body_start + self.bodies.lone_lfs

    def field_positions(self, lname: bytes) -> list[int]:
        """Where the fields named `lname` (lower case) stand in `headers`, top first."""
        return self._by_name.get(lname, [])

    def signatures(self) -> list[tuple[bytes, bytes]]:
        return [self.headers[i] for i in self._by_name.get(b"dkim-signature", [])]

    def verify(self, idx: int, lookup: KeyLookup, validated: bool = False) -> Outcome:
        """Check the idx-th DKIM-Signature (0 = topmost), in dkimpy's order of steps.
        `validated`: the caller has just had `validate_signature_fields` pass on this very
        field (its checks of t= and x= read the clock in whole seconds), so it is not run
        a second time."""
        name, value = self.signatures()[idx]
        try:
            tags = parse_tag_value(value)
        except InvalidTagValueList as exc:
            return Outcome(Verdict.FORMAT_ERROR, str(exc))
        try:
            if not validated:
                validate_signature_fields(tags)
            return self._verify(name, value, tags, lookup)
        except ValidationError as exc:
            return Outcome(Verdict.INVALID_TAG, str(exc))
        except LookupDeferred:
            raise
        except Exception as exc:  # as dkimpy on the same input: a Python error, not a verdict
            return Outcome(Verdict.ERROR, f"{type(exc).__name__}: {exc}")

    def _verify(
        self, name: bytes, value: bytes, tags: dict[bytes, bytes], lookup: KeyLookup
    ) -> Outcome:
        include = [h.lower() for h in _H_SPLIT.split(tags[b"h"])]
        key = self.key(tags[b"s"] + b"._domainkey." + tags[b"d"] + b".", lookup)
        if isinstance(key, Outcome):
            return key
        if key.tlsrpt:  # RFC 8460 §3: a key for TLS reports only
            return Outcome(Verdict.INVALID_TAG, "Message is not tlsrpt and Service Type is tlsrpt")
        canon = canonicalization(tags.get(b"c", b"simple/simple"))
        if isinstance(canon, Outcome):
            return canon
        relaxed_head, relaxed_body = canon
        algorithm = HASHES[tags[b"a"]]
        # RFC 6376 §3.7: the body hash, over the first l= bytes of the canonical body.
        limit = int(tags[b"l"]) if b"l" in tags else None
        body_hash = self.bodies.digest(relaxed_body, algorithm, limit)
        expected = base64.b64decode(without_space(tags[b"bh"]))
        if body_hash != expected:
            got = base64.b64encode(body_hash)
            return Outcome(
                Verdict.BODY_HASH_MISMATCH,
                f"body hash mismatch (got {got!r}, expected {tags[b'bh']!r})",
            )
        if b"from" in include:  # dkimpy hashes one From more than h= lists (its bug #644046)
            include.append(b"from")
        digest = self.header_hash(include, relaxed_head, name, value, algorithm)
        signature = base64.b64decode(without_space(tags[b"b"]))
        return check_signature(key, algorithm, digest, signature)

    def header_hash(
        self, include: list[bytes], relaxed: bool, name: bytes, value: bytes, algorithm: str
    ) -> bytes:
        """RFC 6376 §3.7: the hash of the fields `include` names (`signed_fields`), then of
        the signature field itself (`name`, `value`) with b= emptied and no final CRLF. The
        pieces are joined and hashed at once (a few hundred bytes: one call, not one per
        field)."""
        own = without_b_value(value)
        sig_name, sig_value = relaxed_header(name, own) if relaxed else (name, own)
        pieces = [x + b":" + y for x, y in self.signed_fields(include, relaxed)]
        pieces.append(sig_name + b":" + sig_value.rstrip())  # this field: no final CRLF
        digest: bytes = _hasher(algorithm)(b"".join(pieces)).digest()
        return digest

    def signed_fields(self, include: list[bytes], relaxed: bool) -> list[tuple[bytes, bytes]]:
        """RFC 6376 §5.4.2: each name in h= takes the lowest instance of that field not taken
        yet; a name with no instance left adds nothing (over-signing)."""
        taken: dict[bytes, int] = {}
        out = []
        for name in include:
            positions = self._by_name.get(name, [])
            left = taken.get(name, len(positions))
            if left == 0:
                continue
            taken[name] = left - 1
            index = positions[left - 1]
            out.append(self.relaxed_field(index) if relaxed else self.headers[index])
        return out

    def relaxed_field(self, index: int) -> tuple[bytes, bytes]:
        if index not in self._relaxed:
            self._relaxed[index] = relaxed_header(*self.headers[index])
        return self._relaxed[index]

    def key(self, name: bytes, lookup: KeyLookup) -> _Key | Outcome:
        """The key at `name`, read once per message (many signatures share one selector)."""
        if name not in self._keys:
            try:
                self._keys[name] = _read_key(lookup(name))
            except (_NoKey, binascii.Error):
                self._keys[name] = Outcome(Verdict.FAIL)
        return self._keys[name]


def without_space(value: bytes) -> bytes:
    """`value` without its white space, as dkimpy's `re.sub(rb"\\s+", b"", value)` gives it
    before decoding b= and bh= (the same bytes: `bytes.split()` splits on exactly the six
    ASCII white space bytes `\\s` matches), without the regex machinery (issue 10)."""
    return b"".join(value.split())


def _hasher(algorithm: str) -> Callable[[bytes], Any]:
    """hashlib's constructor for `algorithm` ("sha256", "sha1"): the named constructors skip
    `hashlib.new`'s lookup by name."""
    return _HASHERS.get(algorithm) or functools.partial(hashlib.new, algorithm)


_HASHERS: dict[str, Callable[[bytes], Any]] = {"sha256": hashlib.sha256, "sha1": hashlib.sha1}


class _NoKey(Exception):
    """dkimpy's KeyFormatError while reading a key record: `verify()` answers False."""


def _split(data: bytes) -> tuple[list[tuple[bytes, bytes]], int]:
    """dkimpy's `rfc822_parse`: lines end at LF or CRLF; a line starting with SP or HTAB
    continues the field before it; a `From ` line is skipped; the first empty line ends the
    header section. Returns the fields and where the body starts (the end: no body)."""
    fields: list[tuple[bytes, list[bytes]]] = []
    pos, end = 0, len(data)
    while True:
        nl = data.find(b"\n", pos)
        stop = end if nl < 0 else nl - 1 if nl > pos and data[nl - 1] == 13 else nl
        line = data[pos:stop]
        if not line:
            return _joined(fields), end if nl < 0 else nl + 1
        if line[0] in (9, 32):
            fields[-1][1].append(line)  # IndexError on a first line that continues: as dkimpy
        else:
            match = _FIELD_NAME.match(line)
            if match is not None:
                fields.append((match.group(1), [line[match.end() :]]))
            elif not line.startswith(b"From "):
                raise MessageFormatError(f"Unexpected characters in RFC822 header: {line!r}")
        if nl < 0:
            return _joined(fields), end
        pos = nl + 1


def _joined(fields: list[tuple[bytes, list[bytes]]]) -> list[tuple[bytes, bytes]]:
    return [
        (name, lines[0] + b"\r\n" if len(lines) == 1 else b"\r\n".join(lines) + b"\r\n")
        for name, lines in fields
    ]


def canonicalization(c: bytes) -> tuple[bool, bool] | Outcome:
    """c= as (relaxed header, relaxed body); only the exact words, as dkimpy reads them."""
    parts = c.split(b"/")
    if len(parts) not in (1, 2):
        return Outcome(Verdict.FORMAT_ERROR, f"invalid c= value: {c!r}")
    if len(parts) == 1:
        parts.append(b"simple")
    for part in parts:
        if part not in (b"simple", b"relaxed"):
            return Outcome(Verdict.FORMAT_ERROR, f"invalid c= value: {part!r}")
    return parts[0] == b"relaxed", parts[1] == b"relaxed"


@functools.lru_cache(maxsize=256)
def _read_key(record: bytes | None) -> _Key:
    """A key record read as `dkim.evaluate_pk` reads it, refusals included (_NoKey). Kept
    for the next messages: a folder of mail is signed by a few keys, read once each."""
    if not record:
        raise _NoKey
    try:
        tags = parse_tag_value(record)
    except InvalidTagValueList as exc:
        raise _NoKey from exc
    if tags.get(b"v", b"DKIM1") != b"DKIM1":
        raise _NoKey
    kind = tags.get(b"k", b"rsa")
    if b"p" not in tags:
        raise _NoKey
    data = base64.b64decode(tags[b"p"])  # binascii.Error: no key, as in dkimpy
    if kind == b"ed25519":
        if len(data) != _ED25519_KEY_BYTES:
            raise _NoKey
        key = _Key(kind, 256, ed25519=data)
    elif kind == b"rsa":
        try:
            n, e = parse_public_key(data)
        except (UnparsableKeyError, TypeError, KeyError) as exc:
            raise _NoKey from exc
        key = _Key(kind, len(bin(n)) - 2, rsa=(n, e))
    else:
        raise _NoKey
    service = tags.get(b"s")
    if service is not None and service not in (b"*", b"email", b"tlsrpt"):
        return _Key(None, None)  # RFC 6376 §3.6.1 says ignore; dkimpy then refuses the key
    return replace(key, tlsrpt=service == b"tlsrpt")


def check_signature(key: _Key, algorithm: str, digest: bytes, signature: bytes) -> Outcome:
    """RFC 6376 §3.7 step 4 / RFC 8463 §3: the signature over the header hash. RSA in
    Python (message/rsapkcs1.py); PyNaCl is imported for an Ed25519 signature only."""
    if key.rsa is not None:
        n, e = key.rsa
        ok = rsa_verify(n, e, signature, algorithm, digest)
        if ok is None:  # RFC 8017 §9.2 step 5
            return Outcome(Verdict.KEY_UNUSABLE, "digest too large for modulus: ", key.bits)
        return Outcome(Verdict.PASS if ok else Verdict.FAIL, "", key.bits)
    if key.ed25519 is not None:
        if len(signature) != _ED25519_SIGNATURE_BYTES:  # PyNaCl's refusal, uncaught by dkimpy
            detail = f"The signature must be exactly {_ED25519_SIGNATURE_BYTES} bytes long"
            return Outcome(Verdict.ERROR, f"ValueError: {detail}", key.bits)
        ok = _ed25519_verify(key.ed25519, signature, digest)
        return Outcome(Verdict.PASS if ok else Verdict.FAIL, "", key.bits)
    return Outcome(Verdict.KEY_UNUSABLE, str(key.kind), key.bits)


def _ed25519_verify(public: bytes, signature: bytes, data: bytes) -> bool:
    """RFC 8032 verification by libsodium's `crypto_sign_open`, the call dkimpy's
    `VerifyKey.verify` makes, through PyNaCl's cffi module, imported here: a message with no
    Ed25519 signature does not load it (issue 10, start-up). So the verdict is dkimpy's,
    strictness included: libsodium refuses small-order keys and points that OpenSSL
    accepts (tests/unit/message/test_ed25519_sodium.py). About twice as fast per signature
    as OpenSSL's through `cryptography` (~65 against ~150 us here: most of what a second
    signature cost), and its import ~1 ms instead of ~4 (`sodium_verifier`)."""
    return sodium_verifier()(public, signature, data)


@functools.cache
def sodium_verifier() -> Callable[[bytes, bytes, bytes], bool]:
    """`(key, signature, data) -> valid?` by libsodium's `crypto_sign_open`, through
    PyNaCl's cffi module alone (`nacl._sodium`, ~1 ms to import): the public
    `nacl.bindings` imports every binding PyNaCl has (~4 ms) to make the same call.
    libsodium is initialized first, as `nacl.bindings` does on import. PyNaCl's public
    binding if a release moves that module (a test holds the two to one answer)."""
    try:
        from nacl._sodium import ffi, lib
    except ImportError:  # pragma: no cover - another PyNaCl layout
        return _public_sodium_verifier()

    def init() -> None:
        if lib.sodium_init() == -1:  # pragma: no cover - libsodium cannot start
            raise RuntimeError("Could not initialize sodium")

    ffi.init_once(init, "libsodium")
    sign_open = lib.crypto_sign_open

    def verify(public: bytes, signature: bytes, data: bytes) -> bool:
        if len(public) != _ED25519_KEY_BYTES or len(signature) != _ED25519_SIGNATURE_BYTES:
            return False  # libsodium reads exactly 32 and 64 bytes (callers check both)
        signed = signature + data
        opened = ffi.new("unsigned char[]", len(signed))
        length = ffi.new("unsigned long long *")
        return bool(sign_open(opened, length, signed, len(signed), public) == 0)

    return verify


def _public_sodium_verifier() -> Callable[[bytes, bytes, bytes], bool]:
    """The same check through PyNaCl's public binding (`crypto_sign_open`)."""
    from nacl.bindings import crypto_sign_open
    from nacl.exceptions import BadSignatureError

    def verify(public: bytes, signature: bytes, data: bytes) -> bool:
        try:
            crypto_sign_open(signature + data, public)
        except (BadSignatureError, ValueError):
            return False
        return True

    return verify

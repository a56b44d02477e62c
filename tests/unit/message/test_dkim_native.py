"""The native DKIM verifier (message/dkimverify.py) against dkimpy, signature by signature.

dkimpy is the reference: for the same bytes and key records, every DKIM-Signature must get
the same verdict from both (pass, does not verify, body hash mismatch, which tag error,
unusable key, the same Python error on hostile input), with the same words where dkimpy has
words, and the same key size on a pass. Compared on:
- every DKIM vector of tests/data/conformance (dkimpy, RFC 8463, Stalwart, Mail::DKIM), as
  the verifier sees them (`ParsedMessage.dkim_bytes`) and as stored;
- every message of the ARC suites, and each with its ARC-Message-Signatures read as
  DKIM-Signatures (real bodies, real body hashes);
- every sample in samples/messages/ with samples/zones;
- 3,000 generated messages (tests/support/dkim_oracle.py): 1,000 that dkimpy signs, one to
  three times, with random headers, bodies, h=, l=, canonicalizations and algorithms, each
  verified as signed and in two variants where the message or a key record was changed the
  ways transit and DNS change them;
- hand-made hostile signatures (51 tag edits), message layouts (10) and key records (12);
- the RSA step alone against dkimpy's arithmetic (valid signatures, their variants, junk;
  keys OpenSSL takes and keys only pow() takes), by pow() and by OpenSSL.
Each message is checked as given and as message/dkim.py hands it over (dkim_bytes, with the
promise that every line ends CRLF): 7,331 checks, 11,554 signature verdicts in all.
"""

from __future__ import annotations

import base64
import hashlib
import math
import random
import re
import types
from collections.abc import Callable
from pathlib import Path

import dkim
import dkim.crypto
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import load_der_public_key
from dkim.util import parse_tag_value
from tests.conformance.test_arc import CASES as ARC_CASES
from tests.conformance.test_dkim import VECTORS
from tests.support.dkim_oracle import (
    DOMAIN,
    Keys,
    Lookup,
    dkimpy_checks,
    generate,
    native_checks,
    variant,
)

from mailauth.dns.zonefile import ZoneSource
from mailauth.message import dkimsyntax, dkimverify, rsapkcs1
from mailauth.message.dkimverify import Verdict
from mailauth.message.dnsbridge import key_record
from mailauth.message.parse import MessageInputError, parse_message

REPO = Path(__file__).resolve().parents[3]
SAMPLES = sorted((REPO / "samples" / "messages").glob("*.eml"))
GENERATED_BATCHES = 20
PER_BATCH = 50  # signed messages; each is verified three times (as signed, two variants)


def _txt_lookup(txt: dict[str, list[list[str]]]) -> Lookup:
    """Key records by name from a vector's TXT table, chosen as `key_record` chooses."""
    table = {name.lower().rstrip("."): records for name, records in txt.items()}

    def lookup(name: bytes) -> bytes | None:
        records = [
            "".join(parts).encode() for parts in table.get(name.decode().lower().rstrip("."), [])
        ]
        chosen = [r for r in records if b"p=" in r] or records
        return chosen[0] if chosen else None

    return lookup


def _agree(raw: bytes, lookup: Lookup) -> None:
    """The message as given, and as message/dkim.py gives it to the verifier (dkim_bytes,
    with the promise that every line ends CRLF), checked by both."""
    reference = dkimpy_checks(raw, lookup)
    assert native_checks(raw, lookup) == reference
    try:
        sent = parse_message(raw).dkim_bytes
    except MessageInputError:
        return
    assert sent.count(b"\n") == sent.count(b"\r\n")  # what crlf_only promises
    if sent != raw:
        reference = dkimpy_checks(sent, lookup)
    assert native_checks(sent, lookup, crlf_only=True) == reference


@pytest.mark.parametrize("vector", VECTORS, ids=[f"{v.set}/{v.name}" for v in VECTORS])
def test_conformance_vectors(vector: object, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = getattr(vector, "clock", None)
    if clock is not None:  # the suite's verification time (tests/conformance/test_dkim.py)
        monkeypatch.setattr(dkim, "time", types.SimpleNamespace(time=lambda: clock))
        monkeypatch.setattr(dkimsyntax, "time", types.SimpleNamespace(time=lambda: clock))
    _agree(vector.raw, _txt_lookup(vector.txt))  # type: ignore[attr-defined]


_AMS_INSTANCE = re.compile(rb"(^|[;\s])i\s*=\s*\d+\s*(;|$)")


def _ams_as_dkim(raw: bytes) -> bytes:
    """Every ARC-Message-Signature renamed DKIM-Signature, its instance tag (i=) replaced
    by v=1: the AMS is a DKIM-Signature with i= for an instance and no v= (RFC 8617
    §4.1.2). The header hash no longer matches (the field's name is hashed); the body
    hash must."""
    lines = raw.split(b"\n")
    out, in_ams = [], False
    for line in lines:
        if line[:1] in (b" ", b"\t") and in_ams:
            out[-1] += b"\n" + line
            continue
        in_ams = line.lower().startswith(b"arc-message-signature:")
        out.append(b"DKIM-Signature:" + line[22:] if in_ams else line)
    return b"\n".join(
        _AMS_INSTANCE.sub(rb"\1v=1\2", field, count=1)
        if field.startswith(b"DKIM-Signature:")
        else field
        for field in out
    )


@pytest.mark.parametrize("case", ARC_CASES, ids=[c[1] for c in ARC_CASES])
def test_arc_suite_messages(case: tuple[str, str, bytes, dict[str, str], str]) -> None:
    _, _, raw, txt, _ = case
    lookup = _txt_lookup({name: [[value]] for name, value in txt.items()})
    _agree(raw, lookup)
    _agree(_ams_as_dkim(raw), lookup)


@pytest.fixture(scope="module")
def sample_zone() -> ZoneSource:
    return ZoneSource.from_paths([REPO / "samples" / "zones"])


@pytest.mark.parametrize("path", SAMPLES, ids=[p.name for p in SAMPLES])
def test_samples(path: Path, sample_zone: ZoneSource) -> None:
    def lookup(name: bytes) -> bytes | None:
        answer = sample_zone.lookup(name.decode("utf-8", "replace"), "TXT")
        return None if answer.is_error else key_record(answer)

    _agree(path.read_bytes(), lookup)


@pytest.fixture(scope="module")
def keys() -> Keys:
    return Keys.make()


@pytest.mark.parametrize("batch", range(GENERATED_BATCHES))
def test_generated_messages(batch: int, keys: Keys) -> None:
    rng = random.Random(f"dkim-native-{batch}")
    for n in range(PER_BATCH):
        signed = generate(rng, keys)
        _agree(signed, keys.lookup({}))
        for _ in range(2):
            case = variant(rng, keys, signed)
            try:
                _agree(case.raw, keys.lookup(case.overrides))
            except AssertionError as exc:
                raise AssertionError(f"batch {batch} message {n}: {case.note}") from exc


# --- hand-made hostile signatures and key records --------------------------------------------


def _first_field(raw: bytes) -> tuple[bytes, bytes]:
    """The first header field (the newest DKIM-Signature) and the rest of the message."""
    end = 0
    while True:
        end = raw.index(b"\r\n", end) + 2
        if raw[end : end + 1] not in (b" ", b"\t"):
            return raw[:end], raw[end:]


def _retagged(raw: bytes, changes: dict[bytes, bytes | None], extra: bytes = b"") -> bytes:
    """The message with its first DKIM-Signature's tags changed (None: removed; new ones
    last), plus `extra` text appended to the field."""
    first, rest = _first_field(raw)
    tags = parse_tag_value(first.partition(b":")[2])
    for name, value in changes.items():
        if value is None:
            tags.pop(name, None)
        else:
            tags[name] = value
    value = b"; ".join(name + b"=" + value for name, value in tags.items())
    return b"DKIM-Signature: " + value + extra + b"\r\n" + rest


TAG_EDITS: list[tuple[str, dict[bytes, bytes | None], bytes]] = [
    ("l-empty", {b"l": b""}, b""),
    ("l-0", {b"l": b"0"}, b""),
    ("l-5", {b"l": b"5"}, b""),
    ("l-huge", {b"l": b"9" * 76}, b""),
    ("bh-junk", {b"bh": b"!!!!"}, b""),
    ("bh-bad-padding", {b"bh": b"a!!!"}, b""),
    ("bh-other", {b"bh": b"AAAA"}, b""),
    ("bh-empty", {b"bh": b""}, b""),
    ("b-bad-padding", {b"b": b"A==="}, b""),
    ("b-empty", {b"b": b""}, b""),
    ("b-48-bytes", {b"b": base64.b64encode(bytes(48))}, b""),
    ("b-folded", {b"b": None}, b"; b=\r\n\tAAAA\r\n\tBBBB"),
    ("i-is-d", {b"i": b"example.test"}, b""),
    ("i-subdomain", {b"i": b"@sub.example.test"}, b""),
    ("i-other", {b"i": b"@other.test"}, b""),
    ("c-relaxed", {b"c": b"relaxed"}, b""),
    ("c-capital", {b"c": b"Relaxed/simple"}, b""),
    ("c-three", {b"c": b"simple/relaxed/x"}, b""),
    ("c-empty", {b"c": b""}, b""),
    ("c-slash", {b"c": b"relaxed/"}, b""),
    ("c-absent", {b"c": None}, b""),
    ("h-empty-name", {b"h": b"from::to"}, b""),
    ("h-spaces", {b"h": b" From : To "}, b""),
    ("h-folded", {b"h": b"from\r\n\t:to"}, b""),
    ("h-over-signed", {b"h": b"from:from:from:from:to:to"}, b""),
    ("h-no-from", {b"h": b"to:subject"}, b""),
    ("h-colon", {b"h": b":"}, b""),
    ("h-signature", {b"h": b"from:dkim-signature"}, b""),
    ("z", {b"z": b"From:a|To:b"}, b""),
    ("q-dns-txt", {b"q": b"dns/txt"}, b""),
    ("q-dns", {b"q": b"dns"}, b""),
    ("x-past", {b"x": b"1"}, b""),
    ("x-before-t", {b"t": b"1000", b"x": b"999"}, b""),
    ("t-future", {b"t": b"99999999999"}, b""),
    ("t-letters", {b"t": b"abc"}, b""),
    ("x-empty", {b"x": b""}, b""),
    ("a-sha512", {b"a": b"rsa-sha512"}, b""),
    ("a-ed25519", {b"a": b"ed25519-sha256"}, b""),
    ("a-rsa-sha1", {b"a": b"rsa-sha1"}, b""),
    ("a-rsa-sha256", {b"a": b"rsa-sha256"}, b""),
    ("a-capital", {b"a": b"RSA-SHA256"}, b""),
    ("v-2", {b"v": b"2"}, b""),
    ("v-absent", {b"v": None}, b""),
    ("d-specials", {b"d": b"exa(mple).test"}, b""),
    ("d-capital", {b"d": b"EXAMPLE.TEST"}, b""),
    ("d-8bit", {b"d": "例え.test".encode()}, b""),
    ("duplicate-tag", {}, b"; d=example.test"),
    ("unknown-tag", {}, b"; foo=bar"),
    ("bad-tag-name", {}, b"; 1x=y"),
    ("no-equals", {}, b"; novalue"),
    ("trailing-semicolon", {}, b";"),
]
MESSAGE_EDITS: list[tuple[str, Callable[[bytes, bytes], bytes]]] = [
    ("from-space-colon", lambda sig, rest: sig + b"From : x\r\n" + rest),
    ("continuation-first", lambda sig, rest: b" folded\r\n" + sig + rest),
    ("not-a-field", lambda sig, rest: sig + b"garbage line\r\n" + rest),
    ("mbox-line", lambda sig, rest: b"From sender date\r\n" + sig + rest),
    ("no-body", lambda sig, rest: sig + rest.partition(b"\r\n\r\n")[0] + b"\r\n"),
    ("no-final-crlf", lambda sig, rest: sig + rest.partition(b"\r\n\r\n")[0]),
    ("empty-values", lambda sig, rest: sig + b"X-A:\r\nX-B: \t \r\n" + rest),
    ("lone-cr", lambda sig, rest: sig + rest.replace(b"\r\n", b"\r\r\n", 3)),
    ("8bit-header", lambda sig, rest: sig + b"X-8: caf\xc3\xa9 \xff\r\n" + rest),
    ("lf-only", lambda sig, rest: (sig + rest).replace(b"\r\n", b"\n")),
]


@pytest.fixture(scope="module")
def hostile_base(keys: Keys) -> list[tuple[str, bytes]]:
    """Messages signed by each signer, relaxed/simple and simple/relaxed, one with l=."""
    message = (
        b"From: <a@example.test>\r\nTo: <b@example.test>\r\nSubject:  hello\t there \r\n"
        b"\r\nbody  line \r\n\r\n"
    )
    out = []
    for n, signer in enumerate(keys.signers):
        canon = (b"relaxed", b"simple") if n % 2 else (b"simple", b"relaxed")
        sig = dkim.sign(
            message, signer.selector, DOMAIN, signer.private, canonicalize=canon,
            include_headers=[b"from", b"to", b"subject", b"from"], length=n == 1,
            signature_algorithm=signer.algorithm,
        )  # fmt: skip
        out.append((signer.selector.decode(), sig + message))
    return out


@pytest.mark.parametrize(("name", "changes", "extra"), TAG_EDITS, ids=[e[0] for e in TAG_EDITS])
def test_tag_edits(
    name: str,
    changes: dict[bytes, bytes | None],
    extra: bytes,
    keys: Keys,
    hostile_base: list[tuple[str, bytes]],
) -> None:
    for _, raw in hostile_base:
        _agree(_retagged(raw, changes, extra), keys.lookup({}))


@pytest.mark.parametrize(("name", "edit"), MESSAGE_EDITS, ids=[e[0] for e in MESSAGE_EDITS])
def test_message_edits(
    name: str,
    edit: Callable[[bytes, bytes], bytes],
    keys: Keys,
    hostile_base: list[tuple[str, bytes]],
) -> None:
    for _, raw in hostile_base:
        _agree(edit(*_first_field(raw)), keys.lookup({}))


def _der(tag: int, body: bytes) -> bytes:
    size = len(body)
    length = bytes([size]) if size < 0x80 else bytes([0x80 | 2]) + size.to_bytes(2, "big")
    return bytes([tag]) + length + body


def _integer(n: int) -> bytes:
    return _der(0x02, n.to_bytes(n.bit_length() // 8 + 1, "big"))


def _rsa_record(
    n: int, e: int, spki: bool = True, oid: bytes = b"", null: bytes = b"\x05\x00"
) -> bytes:
    """A key record for (n, e): SubjectPublicKeyInfo, or a bare PKCS#1 RSAPublicKey."""
    key = _der(0x30, _integer(n) + _integer(e))
    if spki:
        algorithm = _der(0x30, _der(0x06, oid or bytes.fromhex("2a864886f70d010101")) + null)
        key = _der(0x30, algorithm + _der(0x03, b"\x00" + key))
    return b"v=DKIM1; k=rsa; p=" + base64.b64encode(key)


def _weird_keys(keys: Keys) -> list[tuple[str, bytes]]:
    """Records for the r1024 signer's modulus written other ways (the first two still pass),
    and broken or odd RSA keys."""
    der = base64.b64decode(keys.records[b"r1024"].split(b"p=")[1])
    public = load_der_public_key(der)
    assert isinstance(public, rsa.RSAPublicKey)
    n = public.public_numbers().n
    p = rsa.generate_private_key(public_exponent=65537, key_size=1024).private_numbers().p
    return [
        ("pkcs1", _rsa_record(n, 65537, spki=False)),
        ("ec-oid", _rsa_record(n, 65537, oid=bytes.fromhex("2a8648ce3d0201"))),
        ("tiny", _rsa_record(p * 3, 65537)),
        ("even", _rsa_record(2 * p, 65537)),
        ("e-1", _rsa_record(n, 1)),
        ("e-2", _rsa_record(n, 2)),
        ("e-3", _rsa_record(n, 3)),
        ("e-n", _rsa_record(n, n)),
        ("e-big", _rsa_record(n, 2**80 + 1)),
        ("n-0", _rsa_record(0, 65537)),
        ("truncated", _rsa_record(n, 65537)[:-20]),
        ("null-with-content", _rsa_record(n, 65537, null=b"\x05\x01\x00")),  # dkimpy asserts
    ]


@pytest.mark.parametrize("selector", ["r1024", "ed"])
def test_weird_key_records(
    selector: str, keys: Keys, hostile_base: list[tuple[str, bytes]]
) -> None:
    raw = next(raw for name, raw in hostile_base if name == selector)
    for _, record in _weird_keys(keys):
        _agree(raw, keys.lookup({selector.encode(): record}))


# --- the RSA step alone, against dkimpy's arithmetic -----------------------------------------


def _signatures(n: int, d: int, digest_info: bytes) -> list[bytes]:
    size = (n.bit_length() + 7) // 8
    good = b"\x00\x01" + b"\xff" * (size - len(digest_info) - 3) + b"\x00" + digest_info
    no_null = digest_info.replace(b"\x05\x00", b"", 1)
    no_null = bytes([digest_info[0], digest_info[1] - 2]) + no_null[2:]  # outer length fixed
    other = b"\x00\x01" + b"\xff" * (size - len(no_null) - 3) + b"\x00" + no_null
    short = b"\x00\x01" + b"\xff" * (size - len(digest_info) - 4) + b"\x00\x00" + digest_info
    s = pow(int.from_bytes(good, "big"), d, n)
    return [
        s.to_bytes(size, "big"),
        s.to_bytes((s.bit_length() + 7) // 8, "big"),  # leading zero bytes dropped
        b"\x00" + s.to_bytes(size, "big"),
        (s + n).to_bytes(size + 1, "big"),
        pow(int.from_bytes(other, "big"), d, n).to_bytes(size, "big"),
        pow(int.from_bytes(short, "big"), d, n).to_bytes(size, "big"),
        good,  # a valid signature only for e = 1
        bytes(size),
        b"",
        random.Random(n).randbytes(size),
    ]


def _keys_with_d() -> list[tuple[str, int, int, int]]:
    """(name, n, e, d): ordinary keys, and keys OpenSSL refuses that dkimpy's pow() accepts."""
    k1024 = rsa.generate_private_key(public_exponent=65537, key_size=1024).private_numbers()
    k3 = rsa.generate_private_key(public_exponent=3, key_size=1024).private_numbers()
    k4096 = rsa.generate_private_key(public_exponent=65537, key_size=4096).private_numbers()
    q = k1024.q
    big_e = 2**80 + 1
    phi = (k4096.p - 1) * (k4096.q - 1)
    while math.gcd(big_e, phi) != 1:
        big_e += 2
    return [
        ("1024", k1024.public_numbers.n, 65537, k1024.d),
        ("e=3", k3.public_numbers.n, 3, k3.d),
        ("n=2q", 2 * q, 65537, pow(65537, -1, q - 1)),
        ("e=1", k1024.public_numbers.n, 1, 1),
        ("4096, 81-bit e", k4096.public_numbers.n, big_e, pow(big_e, -1, phi)),
        ("tiny", 3 * 1_000_003, 65537, 1),  # no room for the DigestInfo
    ]


@pytest.mark.parametrize("path", ["pow", "openssl"])
@pytest.mark.parametrize("algorithm", ["sha256", "sha1"])
def test_rsa_step_is_dkimpys(algorithm: str, path: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """message/dkimverify.py's RSA check (message/rsapkcs1.py: pow(), or OpenSSL through
    `cryptography` once a process has verified many signatures, pow() for keys OpenSSL
    refuses) decides as dkimpy's `RSASSA_PKCS1_v1_5_verify` on valid signatures, on their
    variants (leading zeros, s + n, DigestInfo without NULL, short padding) and junk."""
    monkeypatch.setattr(rsapkcs1, "PURE_VERIFICATIONS", 10**9 if path == "pow" else 0)
    digest = hashlib.new(algorithm, b"header hash input").digest()
    for name, n, e, d in _keys_with_d():
        key = dkimverify._Key(b"rsa", n.bit_length(), rsa=(n, e))
        info = rsapkcs1.DIGEST_INFO[algorithm] + digest
        verdicts = []
        for signature in (
            _signatures(n, d, info) if len(info) + 11 <= n.bit_length() // 8 else [b"x"]
        ):
            try:
                ok = dkim.crypto.RSASSA_PKCS1_v1_5_verify(
                    hashlib.new(algorithm, b"header hash input"),
                    signature,
                    {"modulus": n, "publicExponent": e},
                )
            except dkim.crypto.DigestTooLargeError:
                expected = Verdict.KEY_UNUSABLE
            else:
                expected = Verdict.PASS if ok else Verdict.FAIL
            got = dkimverify.check_signature(key, algorithm, digest, signature).verdict
            assert got is expected, (name, signature[:8])
            verdicts.append(got)
        # The valid signature verifies (the tiny key has no room for one).
        assert verdicts[0] is (Verdict.KEY_UNUSABLE if name == "tiny" else Verdict.PASS)


def test_changed_signature_equals_dataclasses_replace() -> None:
    """dkim.py's `_changed` (a copy of the fields with the result fields over them) builds
    what `dataclasses.replace` builds: equal, same hash and repr, the original untouched,
    still frozen."""
    import dataclasses

    from mailauth.message.dkim import DkimReason, DkimSignature, _changed
    from mailauth.model import Result

    sig = DkimSignature(
        3, "example.com", "s1", "rsa-sha256", "relaxed/simple", Result.NONE, DkimReason.VALID,
        signed_headers=("from", "to"), body_length=10, timestamp=5,
    )  # fmt: skip
    changes = {"result": Result.PASS, "reason": DkimReason.SHA1, "detail": "x", "key": None}
    ours = _changed(sig, **changes)
    theirs = dataclasses.replace(sig, **changes)  # type: ignore[arg-type]
    assert ours == theirs and hash(ours) == hash(theirs) and repr(ours) == repr(theirs)
    assert vars(ours) == vars(theirs)
    assert sig.result is Result.NONE and sig.detail == ""
    with pytest.raises(dataclasses.FrozenInstanceError):
        ours.detail = "changed"  # type: ignore[misc]

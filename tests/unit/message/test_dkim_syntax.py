"""message/dkimsyntax.py is our copy of the dkimpy pieces the verifiers need (so that `verify`
never imports dkimpy); dkimpy is the oracle: the same inputs must give the same tags, the same
exception (class name and words) and the same key numbers."""

from __future__ import annotations

import base64
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import dkim
import dkim.crypto
import dkim.util
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from hypothesis import given, settings
from hypothesis import strategies as st

from mailauth.message import dkimsyntax

DATA = Path(__file__).resolve().parents[2] / "data"


def outcome(call: Callable[[], Any]) -> tuple[str, Any]:
    try:
        return "ok", call()
    except Exception as exc:  # the class name and words are what a verdict's detail shows
        return type(exc).__name__, str(exc)


def same(ours: Callable[[], Any], theirs: Callable[[], Any]) -> None:
    assert outcome(ours) == outcome(theirs)


def _signature_values() -> list[bytes]:
    """Every DKIM-Signature, ARC-Seal and ARC-Message-Signature value in the test data."""
    values: list[bytes] = []
    for path in sorted(DATA.rglob("*.eml")) + sorted(
        (DATA.parent.parent / "samples").rglob("*.eml")
    ):
        raw = path.read_bytes().replace(b"\r\n", b"\n")
        head = raw.split(b"\n\n", 1)[0]
        fields = head.replace(b"\n ", b" ").replace(b"\n\t", b" ").split(b"\n")
        for field in fields:
            name, _, value = field.partition(b":")
            if name.lower() in (b"dkim-signature", b"arc-seal", b"arc-message-signature"):
                values.append(value)
    return values


SIGNATURES = _signature_values()
NOW = int(time.time())
TRICKY = [
    b"",
    b";",
    b";;",
    b"v=1",
    b" v = 1 ; a=rsa-sha256 ;",
    b"v=1; v=1",
    b"=x",
    b"1a=x",
    b"a_b=c",
    b"a-b=c",
    b"novalue",
    b"a=b=c",
    b"\xff=1",
    b"a=\xff",
    b"v=1; a=rsa-sha256; b=abc; bh=abcd; d=example.com; h=from; s=sel",
    b"v=1; a=rsa-sha256; b=abcd; bh=ab!d; d=example.com; h=from; s=sel",
    b"v=1; a=rsa-sha256; b=ab!d; bh=abcd; d=example.com; h=from; s=sel",
    b"v=1; a=rsa-md5; b=abcd; bh=abcd; d=example.com; h=from; s=sel",
    b"v=2; a=rsa-sha256; b=abcd; bh=abcd; d=example.com; h=from; s=sel",
    b"v=1; a=rsa-sha256; b=abcd; bh=abcd; d=exa(mple.com; h=from; s=sel",
    b"v=1; a=rsa-sha256; b=abcd; bh=abcd; d=\xc3\xa9x.com; h=from; s=sel",
    b"v=1; a=rsa-sha256; b=abcd; bh=abcd; d=example.com; h=from; s=sel; i=@example.com",
    b"v=1; a=rsa-sha256; b=abcd; bh=abcd; d=example.com; h=from; s=sel; i=example.com",
    b"v=1; a=rsa-sha256; b=abcd; bh=abcd; d=example.com; h=from; s=sel; i=a@xexample.com",
    b"v=1; a=rsa-sha256; b=abcd; bh=abcd; d=example.com; h=from; s=sel; i=a@sub.example.com",
    b"v=1; a=rsa-sha256; b=abcd; bh=abcd; d=example.com; h=from; s=sel; l=12a",
    b"v=1; a=rsa-sha256; b=abcd; bh=abcd; d=example.com; h=from; s=sel; l=" + b"1" * 77,
    b"v=1; a=rsa-sha256; b=abcd; bh=abcd; d=example.com; h=from; s=sel; q=dns",
    b"v=1; a=rsa-sha256; b=abcd; bh=abcd; d=example.com; h=from; s=sel; t=x",
    b"v=1; a=rsa-sha256; b=abcd; bh=abcd; d=example.com; h=from; s=sel; t=%d" % (NOW + 99999),
    b"v=1; a=rsa-sha256; b=abcd; bh=abcd; d=example.com; h=from; s=sel; x=1",
    b"v=1; a=rsa-sha256; b=abcd; bh=abcd; d=example.com; h=from; s=sel; x=y",
    b"v=1; a=rsa-sha256; b=abcd; bh=abcd; d=example.com; h=from; s=sel; t=%d; x=%d"
    % (NOW, NOW - 5),
    b"i=1; a=rsa-sha256; b=abcd; cv=maybe; d=example.com; s=sel",
    b"i=1; a=rsa-sha256; b=abcd; cv=pass; d=example.com; s=sel",
    b"i=1; a=rsa-sha1; b=abcd; cv=none; d=example.com; s=sel",
    b"a=rsa-sha256; b=abcd; bh=abcd; h=from; s=sel",  # no d=: KeyError in both
]
ARC_TAGS = ([b"i", b"a", b"b", b"bh", b"d", b"h", b"s"], [b"i", b"a", b"b", b"cv", b"d", b"s"])


@pytest.mark.parametrize("value", TRICKY + SIGNATURES)
def test_tag_lists_and_their_rules_read_as_dkimpy_reads_them(value: bytes) -> None:
    same(lambda: dkimsyntax.parse_tag_value(value), lambda: dkim.util.parse_tag_value(value))
    tags = outcome(lambda: dkim.util.parse_tag_value(value))
    if tags[0] != "ok":
        return
    same(
        lambda: dkimsyntax.validate_signature_fields(dict(tags[1])),
        lambda: dkim.validate_signature_fields(dict(tags[1])),
    )
    for mandatory in ARC_TAGS:
        same(
            lambda m=mandatory: dkimsyntax.validate_signature_fields(dict(tags[1]), m, True),
            lambda m=mandatory: dkim.validate_signature_fields(dict(tags[1]), m, True),
        )


def test_the_test_data_has_signatures_to_compare() -> None:
    assert len(SIGNATURES) >= 20


@settings(max_examples=300, deadline=None)
@given(
    st.binary(max_size=80)
    | st.lists(st.sampled_from([b"a", b"=", b";", b" ", b"1", b"_"])).map(b"".join)
)
def test_any_bytes_parse_as_in_dkimpy(value: bytes) -> None:
    same(lambda: dkimsyntax.parse_tag_value(value), lambda: dkim.util.parse_tag_value(value))


def _theirs_key(data: bytes) -> Callable[[], Any]:
    def read() -> tuple[int, int]:
        numbers = dkim.crypto.parse_public_key(data)
        return numbers["modulus"], numbers["publicExponent"]

    return read


KEY = rsa.generate_private_key(public_exponent=65537, key_size=1024).public_key()
SPKI = KEY.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
PKCS1 = KEY.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.PKCS1)
KEYS = [
    SPKI,
    PKCS1,
    b"",
    b"\x30",
    SPKI[:40],
    PKCS1[:-3],
    SPKI[:16] + b"\x05\x01" + SPKI[18:],  # a NULL with a length: AssertionError in both
    b"\x02\x01\x05",
    b"\x30\x06\x02\x01\x05\x02\x01\x03",
    b"\x30\x82\xff\xff\x02\x01\x05\x02\x01\x03",
    b"\x30\x84\x00\x00\x00\x06\x02\x01\x05\x02\x01\x03",
    base64.b64decode(b"MA0GCSqGSIb3DQEBAQUAAxQAMBECCgDKl2wS0aqWlQUCAwEAAQ=="),
]


@pytest.mark.parametrize("data", KEYS)
def test_rsa_keys_read_as_dkimpy_reads_them(data: bytes) -> None:
    same(lambda: dkimsyntax.parse_public_key(data), _theirs_key(data))


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=64))
def test_any_key_bytes_read_as_in_dkimpy(data: bytes) -> None:
    same(lambda: dkimsyntax.parse_public_key(data), _theirs_key(data))
    same(lambda: dkimsyntax.parse_public_key(SPKI[:24] + data), _theirs_key(SPKI[:24] + data))


def test_the_names_are_dkimpys() -> None:
    assert (dkimsyntax.CV_Pass, dkimsyntax.CV_Fail, dkimsyntax.CV_None) == (
        dkim.CV_Pass,
        dkim.CV_Fail,
        dkim.CV_None,
    )
    assert set(dkimsyntax.HASH_ALGORITHMS) == set(dkim.HASH_ALGORITHMS)
    assert set(dkimsyntax.ARC_HASH_ALGORITHMS) == set(dkim.ARC_HASH_ALGORITHMS)
    for name in ("MessageFormatError", "ParameterError", "ValidationError", "DnsTimeoutError"):
        assert issubclass(getattr(dkimsyntax, name), dkimsyntax.DKIMException)
        assert issubclass(getattr(dkim, name), dkim.DKIMException)

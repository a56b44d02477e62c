"""DKIM key record parser (RFC 6376 §3.6.1, RFC 8463, RFC 8301): tables, the vendored key
records of dkimpy and Mail::DKIM, and a property test that no input makes it raise."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from hypothesis import given, settings
from hypothesis import strategies as st

from mailauth.records.dkim_key import (
    KeyProblem,
    KeyStrength,
    looks_like_key,
    parse_dkim_key,
    split_tags,
)

CONFORMANCE = Path(__file__).resolve().parents[2] / "data" / "conformance" / "dkim"


def _rsa_p(bits: int, fmt: PublicFormat = PublicFormat.SubjectPublicKeyInfo) -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits).public_key()
    return base64.b64encode(key.public_bytes(Encoding.DER, fmt)).decode()


@pytest.fixture(scope="module")
def p2048() -> str:
    return _rsa_p(2048)


def test_good_rsa_key(p2048: str) -> None:
    key = parse_dkim_key(f"v=DKIM1; k=rsa; p={p2048}")
    assert (key.key_type, key.key_bits, key.strength) == ("rsa", 2048, KeyStrength.GOOD)
    assert key.usable and not key.problems and not key.revoked and not key.testing


def test_defaults_without_v_and_k(p2048: str) -> None:
    key = parse_dkim_key(f"p={p2048}")
    assert key.key_type == "rsa" and key.version is None and key.usable
    assert key.service_types == ("*",) and key.hash_algorithms == ()


def test_raw_pkcs1_rsa_public_key_is_tolerated() -> None:
    key = parse_dkim_key("k=rsa; p=" + _rsa_p(1024, PublicFormat.PKCS1))
    assert key.key_bits == 1024 and key.strength is KeyStrength.WEAK and key.usable


# cryptography will not generate keys under 1024 bits: this is broken.example's sample key.
RSA512 = (
    "MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBAKba72rAL6NHM/MLmorZmsUPzzXowHPMC1tZq9M0v81YWr3mq9gqMIJF"
    "Tx3sfzp4uTKgoFFlB0cABQenXuBmzSMCAwEAAQ=="
)


@pytest.mark.parametrize(
    ("p", "bits", "strength"),
    [(RSA512, 512, KeyStrength.TOO_SHORT), (None, 1024, KeyStrength.WEAK)],
)
def test_short_keys(p: str | None, bits: int, strength: KeyStrength) -> None:
    key = parse_dkim_key("v=DKIM1; p=" + (p or _rsa_p(bits)))
    assert key.key_bits == bits and key.strength is strength
    assert key.usable  # a short key still verifies; judging it is the check's job


def test_tag_names_need_only_a_leading_letter() -> None:
    # RFC 6376 §3.2 says ALPHA *ALNUMPUNC, but verifiers only reject a non-letter start
    assert not parse_dkim_key("v=DKIM1; x-future=1; p=").problems
    assert parse_dkim_key("v=DKIM1; -x=1; p=").has(KeyProblem.MALFORMED_TAG)


def test_ed25519_key() -> None:
    raw = ed25519.Ed25519PrivateKey.generate().public_key().public_bytes_raw()
    key = parse_dkim_key("v=DKIM1; k=ed25519; p=" + base64.b64encode(raw).decode())
    assert key.key_type == "ed25519" and key.key_bits == 256 and key.strength is KeyStrength.GOOD
    assert key.usable


def test_split_txt_and_folding_whitespace_inside_p(p2048: str) -> None:
    # TXT strings are joined with no separator; some publishers put spaces inside p=.
    spaced = " ".join(p2048[i : i + 60] for i in range(0, len(p2048), 60))
    key = parse_dkim_key(f"v=DKIM1;\tk=rsa;\r\n p={spaced} ;")
    assert key.key_bits == 2048 and not key.problems


@pytest.mark.parametrize(
    ("record", "problem"),
    [
        ("v=DKIM1; k=rsa; p=", None),
        ("v=DKIM1; k=rsa", KeyProblem.MISSING_KEY),
        ("", KeyProblem.MISSING_KEY),
        ("v=DKIM2; p=AAAA", KeyProblem.BAD_VERSION),
        ("k=rsa; v=DKIM1; p=", KeyProblem.VERSION_NOT_FIRST),
        ("v=DKIM1; k=dsa; p=AAAA", KeyProblem.UNKNOWN_KEY_TYPE),
        ("v=DKIM1; p=!!!notbase64", KeyProblem.BAD_BASE64),
        ("v=DKIM1; p=bm90IGEga2V5", KeyProblem.BAD_KEY_DATA),
        ("v=DKIM1; k=ed25519; p=AAAA", KeyProblem.BAD_ED25519_LENGTH),
        ("v=DKIM1; h=sha1; p=", KeyProblem.SHA1_ONLY),
        ("v=DKIM1; h=md5:foo; p=", KeyProblem.NO_KNOWN_HASH),
        ("v=DKIM1; s=tlsrpt; p=", KeyProblem.NOT_FOR_EMAIL),
        ("v=DKIM1; garbage; p=", KeyProblem.MALFORMED_TAG),
        ("v=DKIM1; 1x=2; p=", KeyProblem.MALFORMED_TAG),
        ("v=DKIM1; p=; p=", KeyProblem.DUPLICATE_TAG),
        ("v=DKIM1;; p=", KeyProblem.EMPTY_TAG),
    ],
)
def test_problems(record: str, problem: KeyProblem | None) -> None:
    key = parse_dkim_key(record)
    if problem is None:
        assert not key.problems
    else:
        assert key.has(problem), key.problems


def test_revoked_and_flags() -> None:
    key = parse_dkim_key("v=DKIM1; t=y:s; h=sha1:sha256; s=email:*; n=note; p=")
    assert key.revoked and not key.usable and key.testing and key.strict
    assert key.hash_algorithms == ("sha1", "sha256") and key.notes == "note"
    assert not key.problems  # sha256 is allowed alongside sha1


def test_unknown_tags_are_ignored(p2048: str) -> None:
    key = parse_dkim_key(f"v=DKIM1; g=*; x_future=1; p={p2048}")
    assert key.usable and key.tags["g"] == "*"


def test_split_tags_allows_one_trailing_semicolon() -> None:
    assert split_tags("a=1; b=2;")[0] == [("a", "1"), ("b", "2")]
    assert split_tags("a=1; b=2;")[1] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("v=DKIM1; p=", True),
        ("k=rsa; p=abc", True),
        ("p=abc", True),
        ("v=spf1 -all", False),
        ("google-site-verification=abc", False),
    ],
)
def test_looks_like_key(text: str, expected: bool) -> None:
    assert looks_like_key(text) is expected


# Vendored key records with what their upstream tests expect of them.
@pytest.mark.parametrize(
    ("file", "usable", "problem", "bits"),
    [
        ("badk.txt", False, KeyProblem.UNKNOWN_KEY_TYPE, None),  # k=ed25519-sha256
        ("badversion.txt", False, KeyProblem.BAD_VERSION, 1024),  # "v=DKIM1:"
        ("test_bad.txt", False, KeyProblem.BAD_KEY_DATA, None),  # corrupt DER
        ("test_tlsrpt.txt", False, KeyProblem.NOT_FOR_EMAIL, 1024),  # s=tlsrpt
    ],
)
def test_dkimpy_key_records(file: str, usable: bool, problem: KeyProblem, bits: int | None) -> None:
    text = (CONFORMANCE / "dkimpy" / "data" / file).read_text().strip()
    key = parse_dkim_key(text)
    assert key.usable is usable and key.has(problem) and key.key_bits == bits


def test_mail_dkim_ed25519_records() -> None:
    records = {}
    for line in (CONFORMANCE / "mail-dkim-perl" / "FAKE_DNS.dat.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, value = line.split(None, 1)
            records[name.split(".")[0]] = "" if value.strip() == '""' else value.strip()
    assert parse_dkim_key(records["2023-05-ed25519"]).usable
    assert parse_dkim_key(records["2023-05-ed25519-empty"]).has(KeyProblem.MISSING_KEY)
    # an SPKI-wrapped Ed25519 key (44 bytes): RFC 8463 §4.2 wants the raw 32 bytes
    assert parse_dkim_key(records["invalid"]).has(KeyProblem.BAD_ED25519_LENGTH)


def test_rfc8463_keys() -> None:
    import json

    dns = json.loads((CONFORMANCE / "rfc8463" / "dns.json").read_text())
    brisbane = "".join(dns["brisbane._domainkey.football.example.com"]["TXT"][0])
    test = "".join(dns["test._domainkey.football.example.com"]["TXT"][0])
    assert parse_dkim_key(brisbane).key_type == "ed25519" and parse_dkim_key(brisbane).usable
    assert parse_dkim_key(test).key_bits == 1024


_TAG_TEXT = st.lists(
    st.tuples(
        st.sampled_from(["v", "k", "p", "h", "s", "t", "n", "g", "x", "", " ", "1"]),
        st.text(max_size=40),
    ),
    max_size=8,
).map(lambda pairs: ";".join(f"{n}={v}" for n, v in pairs))


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=300), _TAG_TEXT))
def test_parser_never_raises(text: str) -> None:
    key = parse_dkim_key(text)
    assert isinstance(key.usable, bool)
    assert key.strength in KeyStrength
    looks_like_key(text)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=600), st.sampled_from(["rsa", "ed25519", "RSA", "unknown"]))
def test_arbitrary_key_bytes_never_raise(raw: bytes, k: str) -> None:
    key = parse_dkim_key(f"v=DKIM1; k={k}; p={base64.b64encode(raw).decode()}")
    assert key.usable in (True, False)

"""DMARC record parser tables (RFC 9989 §4.7, §4.8) and a property test that it never raises."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mailauth.records.dmarc import (
    AlignmentMode,
    Policy,
    ProblemCode,
    PsdFlag,
    looks_like_dmarc,
    parse_dmarc,
    parse_report_uri,
    policy_set,
)


@pytest.mark.parametrize(
    ("text", "is_dmarc", "code"),
    [
        ("v=DMARC1; p=reject", True, None),
        ("v = DMARC1; p=reject", True, None),
        ("V=DMARC1; p=reject", True, None),
        ("v=DMARC1", True, ProblemCode.MISSING_POLICY),
        ("v=DMARC1;", True, ProblemCode.MISSING_POLICY),
        ("v=dmarc1; p=reject", False, ProblemCode.BAD_VERSION),
        ("v=DMARC1x; p=reject", False, ProblemCode.BAD_VERSION),
        ("v=DMARC1 p=reject", False, ProblemCode.BAD_VERSION),
        ("p=reject; v=DMARC1", False, ProblemCode.VERSION_NOT_FIRST),
        ("v=spf1 -all", False, ProblemCode.BAD_VERSION),
        ("some other txt", False, ProblemCode.NOT_DMARC),
        ("", False, ProblemCode.NOT_DMARC),
    ],
)
def test_version(text: str, is_dmarc: bool, code: ProblemCode | None) -> None:
    r = parse_dmarc(text)
    assert r.is_dmarc is is_dmarc
    codes = {p.code for p in r.problems}
    assert (code in codes) if code else not codes


def test_all_tags() -> None:
    r = parse_dmarc(
        "v=DMARC1; p=quarantine; sp=reject; np=reject; adkim=s; aspf=r; "
        "rua=mailto:agg@example.com,mailto:x@thirdparty.example!10m; ruf=mailto:f@example.com; "
        "fo=1:d:s; psd=n; t=y"
    )
    assert r.is_dmarc and r.v == "DMARC1"
    assert (r.p, r.sp, r.np) == (Policy.QUARANTINE, Policy.REJECT, Policy.REJECT)
    assert (r.adkim, r.aspf) == (AlignmentMode.STRICT, AlignmentMode.RELAXED)
    assert [u.domain for u in r.rua] == ["example.com", "thirdparty.example"]
    assert r.rua[1].size_limit == "10m"
    assert r.ruf[0].address == "f@example.com"
    assert r.fo == ("1", "d", "s")
    assert r.psd is PsdFlag.NO
    assert r.testing
    assert [p.code for p in r.problems] == [ProblemCode.OBSOLETE_SIZE]


def test_defaults() -> None:
    r = parse_dmarc("v=DMARC1; p=none")
    assert r.dkim_mode is AlignmentMode.RELAXED
    assert r.spf_mode is AlignmentMode.RELAXED
    assert r.psd_flag is PsdFlag.UNKNOWN
    assert not r.testing
    assert r.failure_options == ("0",)
    assert policy_set(r) is not None


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("v=DMARC1; p=block", "p"),
        ("v=DMARC1; p=", "p"),
        ("v=DMARC1; p=none; sp=maybe", "sp"),
        ("v=DMARC1; p=none; np=x", "np"),
        ("v=DMARC1; p=none; adkim=strict", "adkim"),
        ("v=DMARC1; p=none; aspf=1", "aspf"),
        ("v=DMARC1; p=none; psd=yes", "psd"),
        ("v=DMARC1; p=none; t=true", "t"),
        ("v=DMARC1; p=none; fo=0:1", "fo"),
        ("v=DMARC1; p=none; fo=d:d", "fo"),
        ("v=DMARC1; p=none; fo=2", "fo"),
        ("v=DMARC1; p=none; rua=", "rua"),
    ],
)
def test_invalid_values_are_noted_and_defaulted(text: str, tag: str) -> None:
    r = parse_dmarc(text)
    assert r.invalid(tag)
    assert getattr(r, tag) in (None, ())


@pytest.mark.parametrize(
    ("text", "code", "tag"),
    [
        ("v=DMARC1; p=none; pct=50", ProblemCode.HISTORIC_TAG, "pct"),
        ("v=DMARC1; p=none; rf=afrf", ProblemCode.HISTORIC_TAG, "rf"),
        ("v=DMARC1; p=none; ri=86400", ProblemCode.HISTORIC_TAG, "ri"),
        ("v=DMARC1; p=none; foo=bar", ProblemCode.UNKNOWN_TAG, "foo"),
        ("v=DMARC1; p=none; p=reject", ProblemCode.DUPLICATE_TAG, "p"),
        ("v=DMARC1; p=none; v=DMARC1", ProblemCode.DUPLICATE_TAG, "v"),
        ("v=DMARC1; p=none; garbage", ProblemCode.MALFORMED_TAG, "garbage"),
        ("v=DMARC1; p=none; 1x=2", ProblemCode.MALFORMED_TAG, "1x"),
        ("v=DMARC1; P=reject", ProblemCode.TAG_NAME_CASE, "P"),
    ],
)
def test_noted_problems(text: str, code: ProblemCode, tag: str | None) -> None:
    r = parse_dmarc(text)
    assert any(p.code is code and p.subject == tag for p in r.problems), r.problems


def test_historic_tags_are_not_typed_fields() -> None:
    r = parse_dmarc("v=DMARC1; p=reject; pct=0")
    assert r.historic == {"pct": "0"}
    assert "pct" not in r.tags
    assert not hasattr(r, "pct")


def test_duplicate_keeps_first() -> None:
    assert parse_dmarc("v=DMARC1; p=none; p=reject").p is Policy.NONE


def test_value_case() -> None:
    r = parse_dmarc("v=DMARC1; p=Reject; adkim=S; rua=mailto:DMARC-Reports@Example.COM")
    assert r.p is Policy.REJECT
    assert r.adkim is AlignmentMode.STRICT
    assert r.rua[0].address == "DMARC-Reports@Example.COM"
    assert r.rua[0].domain == "example.com"


@pytest.mark.parametrize(
    ("raw", "domain", "problem"),
    [
        ("mailto:dmarc@example.com", "example.com", None),
        ("MAILTO:dmarc@Example.com", "example.com", None),
        ("mailto:dmarc%40x@example.com", "example.com", None),
        ("mailto:a@example.com?subject=x", "example.com", None),
        ("mailto:a@example.com!20k", "example.com", None),
        ("dmarc@example.com", None, ProblemCode.BAD_URI),
        ("mailto:", None, ProblemCode.BAD_URI),
        ("mailto:nobody", None, ProblemCode.BAD_URI),
        ("mailto:a@-bad-.com", None, ProblemCode.BAD_URI),
        ("mailto:a@localhost", None, ProblemCode.BAD_URI),
        ("https://reports.example.com/dmarc", None, ProblemCode.UNSUPPORTED_URI_SCHEME),
        ("1http://x", None, ProblemCode.BAD_URI),
    ],
)
def test_report_uri(raw: str, domain: str | None, problem: ProblemCode | None) -> None:
    u = parse_report_uri(raw)
    assert u.domain == domain
    assert u.problem is problem


def test_looks_like_dmarc() -> None:
    assert looks_like_dmarc("v=dmarc1; p=none")
    assert looks_like_dmarc(" V = DMARC1 p=reject")
    assert not looks_like_dmarc("v=spf1 -all")
    assert not looks_like_dmarc("google-site-verification=abc")


@given(st.text(max_size=400))
@settings(max_examples=400, deadline=None)
def test_parser_never_raises(text: str) -> None:
    r = parse_dmarc(text)
    policy_set(r)
    assert r.text == text


_tag = st.sampled_from(
    ["v", "p", "sp", "np", "adkim", "aspf", "rua", "ruf", "fo", "psd", "t", "pct", "X", ""]
)
_val = st.one_of(
    st.sampled_from(["DMARC1", "reject", "none", "y", "n", "s", "0:d", "mailto:a@b.example"]),
    st.text(max_size=30),
)


@given(st.lists(st.tuples(_tag, _val), max_size=12), st.sampled_from([";", "; ", " ;", ";;"]))
@settings(max_examples=400, deadline=None)
def test_parser_never_raises_on_tag_soup(pairs: list[tuple[str, str]], sep: str) -> None:
    text = sep.join(f"{k}={v}" for k, v in pairs)
    parse_dmarc("v=DMARC1" + sep + text)
    parse_dmarc(text)

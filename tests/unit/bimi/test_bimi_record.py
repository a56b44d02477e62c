"""BIMI record parsing and discovery against the vendored Mail::BIMI cases
(tests/data/conformance/bimi/record-discovery/), plus URL judgement tables and a property
test that the parser never raises."""

from __future__ import annotations

import asyncio
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from mailauth.dns.interface import Rcode
from mailauth.dns.memory import MemorySource
from mailauth.domain.bimi import check_bimi
from mailauth.domain.context import CheckContext, CheckOptions
from mailauth.model import Status
from mailauth.records.bimi import UrlProblem, check_url, parse_bimi

DATA = Path(__file__).parents[2] / "data" / "conformance" / "bimi" / "record-discovery"
CASES = yaml.safe_load((DATA / "mail-bimi-cases.yaml").read_text(encoding="utf-8"))

# Where we follow the BIMI draft rather than Mail::BIMI's test expectation.
DIVERGENT = {
    # draft -10 §4.3.1: l= empty and a= absent (absent a= means empty) is a Declination to
    # Publish, a valid record that says "no logo"; Mail::BIMI reports EMPTY_L_TAG instead.
    "v=bimi1; l=": "declination",
}


@pytest.mark.parametrize(
    "case", CASES["record_syntax"], ids=[f"bimi-syntax-{i}" for i in range(12)]
)
def test_mail_bimi_record_syntax(case: dict[str, Any]) -> None:
    record = parse_bimi(case["record"])
    if DIVERGENT.get(case["record"]) == "declination":
        assert record.valid and record.declined
        return
    assert record.valid is case["valid"], record.problems


def _zone() -> MemorySource:
    records: dict[str, dict[str, list[str]]] = {}
    for line in (DATA / "zonefile.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        name, rdtype, rdata = line.split(" ", 2)
        value = shlex.split(rdata)[0] if rdtype == "TXT" else rdata
        records.setdefault(name, {}).setdefault(rdtype, []).append(value)
    return MemorySource(records)


def _discovery_cases() -> list[Any]:
    out = []
    for case in CASES["discovery"]:
        if "record" in case or "option" in case:
            continue  # inline records / DMARC results given as input / SPF options: verify's job
        out.append(pytest.param(case, id=f"bimi-{case['test']}-{case['selector']}"))
    return out


@pytest.mark.parametrize("case", _discovery_cases())
def test_mail_bimi_discovery(case: dict[str, Any]) -> None:
    src = _zone()
    if "die_on" in case:
        name, rdtype = case["die_on"].split()
        src = MemorySource(src.records, failures={(name, rdtype): Rcode.SERVFAIL})
    report = asyncio.run(
        check_bimi(CheckContext(src, CheckOptions(bimi_selector=case["selector"])), case["domain"])
    )
    ids = {f.id for f in report.findings}
    expected = case.get("expected", "")
    if "expected_retrieved" in case:
        want = case["expected_retrieved"]
        assert report.location == f"{want['selector']}._bimi.{want['domain']}"
    elif expected.startswith("bimi=pass"):
        d = expected.split("header.d=")[1].split()[0]
        s = expected.split("header.selector=")[1].split()[0]
        assert report.location == f"{s}._bimi.{d}"
        assert report.record is not None and report.record.valid
        assert report.dmarc is not None and report.dmarc.enforced
    elif expected.startswith("bimi=temperror"):
        assert report.status is Status.ERROR and "bimi.lookup-failed" in ids
    elif expected.startswith("bimi=fail (Multiple"):
        assert "bimi.multiple-records" in ids
    elif expected.startswith("bimi=none"):
        assert report.status is Status.NONE and "bimi.missing" in ids
    else:  # pragma: no cover - a new case shape
        pytest.fail(f"unhandled case {case}")


@pytest.mark.parametrize(
    ("url", "logo", "problems"),
    [
        ("https://brand.example.com/logo.svg", True, set()),
        ("https://brand.example.com/logo.SVGZ", True, set()),
        ("https://brand.example.com/vmc.pem", False, set()),
        ("HTTPS://Brand.Example.com./logo.svg", True, set()),
        ("http://brand.example.com/logo.svg", True, {UrlProblem.NOT_HTTPS}),
        ("ftp://brand.example.com/logo.svg", True, {UrlProblem.NOT_HTTPS}),
        ("https://u@brand.example.com/logo.svg", True, {UrlProblem.USERINFO}),
        ("https://[2001:db8::1]/logo.svg", True, {UrlProblem.IP_LITERAL}),
        ("https://127.0.0.1/logo.svg", True, {UrlProblem.IP_LITERAL}),
        ("https://localhost/logo.svg", True, {UrlProblem.PRIVATE_HOST}),
        ("https://printer.local/logo.svg", True, {UrlProblem.PRIVATE_HOST}),
        ("https://brand.example.com/logo.png", True, {UrlProblem.NOT_SVG}),
        ("https://brand.example.com/vmc.crt", False, {UrlProblem.NOT_PEM}),
        ("https:///logo.svg", True, {UrlProblem.MALFORMED}),
        ("https://[::1/logo.svg", True, {UrlProblem.MALFORMED}),
        ("https://brand.example.com:x/logo.svg", True, {UrlProblem.MALFORMED}),
        ("https://bränd.example/logo.svg", True, {UrlProblem.MALFORMED}),
        ("logo.svg", True, {UrlProblem.NOT_HTTPS, UrlProblem.MALFORMED}),
        ("https://brand.example.com/" + "a" * 2100 + ".svg", True, {UrlProblem.TOO_LONG}),
        # §4.3 bimi-uri: commas inside a URI must be encoded; a bare one makes a list.
        ("https://a.example.com/x.pem,https://b.example.com/y.pem", False, {UrlProblem.MALFORMED}),
        ("https://a.example.com/x%2Cy.pem", False, set()),
    ],
)
def test_url_judgement(url: str, logo: bool, problems: set[UrlProblem]) -> None:
    assert {p.code for p in check_url(url, logo=logo).problems} == problems


def test_authority_takes_a_single_uri() -> None:
    """§4.3 a=: "MUST have an empty value or its value MUST be a single URI" (Mail::BIMI:
    MULTIPLE_AUTHORITIES fails the record). Regression: a comma-joined pair was taken as
    one URL on the first host and the record called valid."""
    r = parse_bimi(
        "v=BIMI1; l=https://b.example.com/l.svg; "
        "a=https://a.example.com/x.pem,https://b.example.com/y.pem"
    )
    assert r.authority is not None and r.authority.has(UrlProblem.MALFORMED)
    assert not r.valid


def test_declination_variants() -> None:
    assert parse_bimi("v=BIMI1; l=; a=;").declined
    assert parse_bimi("v=BIMI1; l=; a=; lps=true").lps is True
    assert not parse_bimi("v=BIMI1; l=; a=https://x.example/vmc.pem").declined
    assert not parse_bimi("v=BIMI1; a=;").declined  # no l= tag at all: invalid, not declined


@given(st.text(max_size=400))
@settings(max_examples=400, deadline=None)
def test_parser_never_raises(text: str) -> None:
    record = parse_bimi(text)
    _ = (record.valid, record.declined, record.url_problems, record.logo_url)


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["v", "l", "a", "lps", "avp", "x", ""]),
            st.one_of(
                st.sampled_from(["BIMI1", "https://a.example/l.svg", "true", "brand", ""]),
                st.text(max_size=40),
            ),
        ),
        max_size=8,
    )
)
@settings(max_examples=300, deadline=None)
def test_parser_never_raises_on_tag_soup(pairs: list[tuple[str, str]]) -> None:
    parse_bimi("v=BIMI1; " + "; ".join(f"{k}={v}" for k, v in pairs))

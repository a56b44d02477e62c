"""MTA-STS TXT record and policy-file parsers (RFC 8461 §3.1, §3.2), including the vendored
postfix-mta-sts-resolver cases, and property tests that no input makes them raise."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from mailauth.records.mta_sts import (
    MAX_AGE_LIMIT,
    PolicyProblem,
    RecordProblem,
    parse_mta_sts_policy,
    parse_mta_sts_record,
    policy_url,
)
from mailauth.records.taglist import begins_with_version, split_fields

SUITE = Path(__file__).resolve().parents[2] / "data" / "conformance" / "mta-sts"
CASES: dict[str, Any] = yaml.safe_load((SUITE / "resolver-cases.yaml").read_text())


@pytest.mark.parametrize("case", CASES["record_parse_cases"], ids=lambda c: repr(c["record"]))
def test_mta_sts_record_parse_cases(case: dict[str, Any]) -> None:
    """postfix-mta-sts-resolver test_utils.py::test_parse_mta_sts_record (tags only)."""
    assert parse_mta_sts_record(case["record"]).tags == {k: str(v) for k, v in case["tags"].items()}


def _scenario_txt() -> list[tuple[str, bool]]:
    """(TXT, usable) from the discovery scenarios: `none` with a TXT means the record is
    rejected; every other TXT is a valid record (failures there are in the policy fetch)."""
    out = []
    for case in CASES["cases"]:
        txt = case.get("txt")
        if txt:
            out.append((txt, case["expected"] != "none"))
    return out


@pytest.mark.parametrize(("txt", "usable"), _scenario_txt())
def test_mta_sts_discovery_records(txt: str, usable: bool) -> None:
    record = parse_mta_sts_record(txt)
    assert (begins_with_version(txt, "STSv1") and record.valid) is usable


def test_rfc8461_example_record() -> None:
    text = (SUITE / "rfc8461-example-txt-record.txt").read_text().strip()
    record = parse_mta_sts_record(text)
    assert record.valid and record.id == "20160831085700Z"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("v=STSv1; id=abc123", None),
        ("v=STSv1; id=abc123; ext_1=x.y", None),
        ("id=1; v=STSv1", RecordProblem.NOT_STS),
        ("v=STSv12; id=1", RecordProblem.NOT_STS),
        ("V=STSv1; id=1", RecordProblem.NOT_STS),
        ("v=STSv1;", RecordProblem.MISSING_ID),
        ("v=STSv1; id=", RecordProblem.BAD_ID),
        ("v=STSv1; id=2026-11-01", RecordProblem.BAD_ID),
        ("v=STSv1; id=" + "a" * 33, RecordProblem.BAD_ID),
        ("v=STSv1; id=1; junk", RecordProblem.MALFORMED_FIELD),
        ("v=STSv1; id=1; -x=1", RecordProblem.MALFORMED_FIELD),
        ("v=STSv1; id=1; id=2", RecordProblem.DUPLICATE_FIELD),
    ],
)
def test_record_problems(text: str, problem: RecordProblem | None) -> None:
    record = parse_mta_sts_record(text)
    found = [p.code for p in record.problems]
    if problem is None:
        assert not found and record.valid
    else:
        assert problem in found


def test_extensions_are_kept() -> None:
    assert parse_mta_sts_record("v=STSv1; id=1; foo=bar").extensions == {"foo": "bar"}


def test_split_fields_skips_empty_fields() -> None:
    assert split_fields(" ; a=1 ;; b = 2 ; ") == ([("a", "1"), ("b", "2")], [])


def test_policy_url() -> None:
    assert policy_url("example.jp") == "https://mta-sts.example.jp/.well-known/mta-sts.txt"


# --- policy files ---------------------------------------------------------------------


def test_rfc8461_example_policy() -> None:
    policy = parse_mta_sts_policy((SUITE / "rfc8461-example-policy.txt").read_text())
    assert policy.valid and not policy.problems
    assert (policy.version, policy.mode, policy.max_age) == ("STSv1", "enforce", 604800)
    assert policy.mx == ("mail.example.com", "*.example.net", "backupmx.example.com")


def _policy_bodies() -> list[tuple[str, str, bool]]:
    """Scenario bodies that are real policy text (not a description of an oversized one)."""
    out = []
    for case in CASES["cases"]:
        http = case.get("http") or {}
        body = http.get("body")
        if not body or "bytes" in body or "same oversized" in body:
            continue
        # A body is wrong for the parser when the case fails and the HTTP side is fine.
        http_ok = http.get("status") == 200 and http.get("content_type") == "text/plain"
        cert_ok = "bad-cert" not in case["domain"]
        parser_valid = case["expected"] == "valid" or not (http_ok and cert_ok)
        out.append((case["domain"], body, parser_valid))
    return out


@pytest.mark.parametrize(("domain", "body", "valid"), _policy_bodies(), ids=lambda x: str(x)[:30])
def test_mta_sts_scenario_policy_bodies(domain: str, body: str, valid: bool) -> None:
    assert parse_mta_sts_policy(body).valid is valid


def test_scenario_policy_values() -> None:
    for case in CASES["cases"]:
        expected = case.get("policy")
        if not expected:
            continue
        policy = parse_mta_sts_policy(case["http"]["body"])
        assert policy.mode == expected["mode"]
        assert list(policy.mx) == expected["mx"]
        assert policy.max_age == expected["max_age"]


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 86400", None),
        ("version: STSv1\r\nmode: testing\r\nmx: *.example\r\nmax_age: 604800\r\n", None),
        ("mode: enforce\nmx: a.example\nmax_age: 86400", PolicyProblem.MISSING_VERSION),
        ("version: STSv2\nmode: enforce\nmx: a.example\nmax_age: 86400", PolicyProblem.BAD_VERSION),
        ("version: STSv1\nmx: a.example\nmax_age: 86400", PolicyProblem.MISSING_MODE),
        ("version: STSv1\nmode: strict\nmx: a\nmax_age: 86400", PolicyProblem.BAD_MODE),
        ("version: STSv1\nmode: enforce\nmx: a.example", PolicyProblem.MISSING_MAX_AGE),
        ("version: STSv1\nmode: enforce\nmx: a\nmax_age: -1", PolicyProblem.BAD_MAX_AGE),
        (
            f"version: STSv1\nmode: enforce\nmx: a\nmax_age: {MAX_AGE_LIMIT + 1}",
            PolicyProblem.BAD_MAX_AGE,
        ),
        ("version: STSv1\nmode: enforce\nmx: a\nmax_age: 12345678901", PolicyProblem.BAD_MAX_AGE),
        ("version: STSv1\nmode: testing\nmax_age: 86400", PolicyProblem.MISSING_MX),
        ("version: STSv1\nmode: enforce\nmx: a b\nmax_age: 86400", PolicyProblem.BAD_MX),
        ("version: STSv1\nmode: enforce\nmx: a\nmax_age: 60", PolicyProblem.SHORT_MAX_AGE),
        (
            "version: STSv1\nmode: enforce\nmode: none\nmx: a\nmax_age: 86400",
            PolicyProblem.DUPLICATE_FIELD,
        ),
        ("version: STSv1\nmode: none\nmax_age: 86400\njunk", PolicyProblem.MALFORMED_LINE),
    ],
)
def test_policy_problems(body: str, problem: PolicyProblem | None) -> None:
    policy = parse_mta_sts_policy(body)
    found = [p.code for p in policy.problems]
    if problem is None:
        assert not found and policy.valid
    else:
        assert problem in found
        assert policy.valid is not problem.fatal


@pytest.mark.parametrize(
    ("host", "matches"),
    [
        ("mail.example.com", True),
        ("MAIL.example.com.", True),
        ("mx1.example.net", True),
        ("a.b.example.net", False),  # a wildcard matches one label only (RFC 8461 §4.1)
        ("example.net", False),
        ("other.example.com", False),
    ],
)
def test_policy_mx_matching(host: str, matches: bool) -> None:
    policy = parse_mta_sts_policy((SUITE / "rfc8461-example-policy.txt").read_text())
    assert policy.matches_mx(host) is matches


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_record_parser_never_raises(text: str) -> None:
    record = parse_mta_sts_record(text)
    assert isinstance(record.valid, bool)


_POLICY_LINES = st.lists(
    st.tuples(
        st.sampled_from(["version", "mode", "mx", "max_age", "x", "", " "]),
        st.one_of(
            st.sampled_from(["STSv1", "enforce", "none", "86400", "*.a.b"]), st.text(max_size=30)
        ),
    ),
    max_size=10,
).map(lambda lines: "\n".join(f"{k}: {v}" for k, v in lines))


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=500), _POLICY_LINES), st.text(max_size=40))
def test_policy_parser_never_raises(text: str, host: str) -> None:
    policy = parse_mta_sts_policy(text)
    assert isinstance(policy.valid, bool)
    policy.matches_mx(host)

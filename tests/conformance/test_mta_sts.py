"""MTA-STS cases (postfix-mta-sts-resolver's integration set-up, RFC 8461) through our parsers.

The upstream scenarios exercise discovery *and* the HTTPS policy fetch. mailauth checks the
`_mta-sts` TXT record and parses policy files; fetching the policy over HTTPS is a later step
(issue 2: "fetching the MTA-STS policy comes later"). So each scenario is run at the level
that decides its outcome:
- TXT level: the record must parse as valid (scenarios expected `valid` or `fetch_error`
  with a good record) or invalid (bad-record*: expected `none`, RFC 8461 §3.1);
- policy level: a body served with 200 text/plain by a trusted server must parse as a valid
  policy with the expected mode/mx/max_age (`valid`) or be rejected (`fetch_error`, RFC 8461
  §3.2);
- the `record_parse_cases` (tag splitting) go through `parse_mta_sts_record`.
Scenarios decided by HTTP status, media type, body size, certificate or DNS reachability, and
the `content_type_cases`, belong to the fetch step; `FETCH_STEP` lists them and a test keeps
that list exact, so nothing is dropped silently.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from mailauth.records.mta_sts import parse_mta_sts_policy, parse_mta_sts_record

SUITE = "mta-sts"
_DIR = Path(__file__).resolve().parents[1] / "data" / "conformance" / "mta-sts"
DATA: dict[str, Any] = yaml.safe_load((_DIR / "resolver-cases.yaml").read_text("utf-8"))
CASES: list[dict[str, Any]] = DATA["cases"]

FETCH_STEP = {
    "good.loc.": "same scenario as good.loc with a trailing dot on the queried name",
    ".good.loc": "not a domain: refused by input normalisation before any lookup",
    "no-record.loc": "no TXT record: discovery, not parsing",
    "no-data.loc": "NODATA: discovery, not parsing",
    "bad-policy3.loc": "text/html media type: HTTP fetch",
    "bad-policy4.loc": "HTTP 404: HTTP fetch",
    "static-overlength.loc": "body over the size cap: HTTP fetch",
    "chunked-overlength.loc": "chunked body over the size cap: HTTP fetch",
    "bad-cert1.loc": "untrusted CA: HTTPS fetch",
    "bad-cert2.loc": "certificate name mismatch: HTTPS fetch",
    "blackhole.loc": "DNS server never answers: covered by tests/hostile/test_dns_faults.py",
}


def _policy_body(case: dict[str, Any]) -> str | None:
    http = case.get("http") or {}
    if case["domain"] in FETCH_STEP or http.get("status") != 200:
        return None
    return str(http["body"])


TXT_CASES = [c for c in CASES if c.get("txt") is not None and c["domain"] not in FETCH_STEP]


@pytest.mark.parametrize("case", TXT_CASES, ids=[f"mta-sts-txt/{c['domain']}" for c in TXT_CASES])
def test_mta_sts_record(case: dict[str, Any]) -> None:
    record = parse_mta_sts_record(case["txt"])
    assert record.valid is (case["expected"] != "none")


POLICY_CASES = [c for c in CASES if _policy_body(c)]


@pytest.mark.parametrize(
    "case", POLICY_CASES, ids=[f"mta-sts-policy/{c['domain']}" for c in POLICY_CASES]
)
def test_mta_sts_policy(case: dict[str, Any]) -> None:
    policy = parse_mta_sts_policy(_policy_body(case) or "")
    assert policy.valid is (case["expected"] == "valid"), policy.problems
    want = case.get("policy") or {}
    if "mode" in want:
        assert policy.mode == want["mode"]
    if "mx" in want:
        assert list(policy.mx) == want["mx"]
    if "max_age" in want:
        assert policy.max_age == want["max_age"]


def test_every_scenario_is_run_or_left_to_the_fetch_step() -> None:
    run = {c["domain"] for c in TXT_CASES + POLICY_CASES}
    assert run | set(FETCH_STEP) == {c["domain"] for c in CASES}
    assert not run & set(FETCH_STEP)


@pytest.mark.parametrize(
    "case",
    DATA["record_parse_cases"],
    ids=[f"mta-sts-tags/{i}" for i in range(len(DATA["record_parse_cases"]))],
)
def test_mta_sts_record_tags(case: dict[str, Any]) -> None:
    assert parse_mta_sts_record(case["record"]).tags == case["tags"]


def test_rfc8461_examples() -> None:
    record = parse_mta_sts_record((_DIR / "rfc8461-example-txt-record.txt").read_text().strip())
    assert record.valid and record.id == "20160831085700Z"
    policy = parse_mta_sts_policy((_DIR / "rfc8461-example-policy.txt").read_text())
    assert policy.valid and policy.mode == "enforce" and policy.max_age == 604800
    assert policy.matches_mx("mail.example.com") and policy.matches_mx("a.example.net")
    assert not policy.matches_mx("a.b.example.net")  # RFC 8461 §4.1: one label only

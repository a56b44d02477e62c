"""The policy-discovery half of the vendored DMARC cases (tests/data/conformance/dmarc/,
transcribed from postalsys/mailauth, RFC 9989 cases included): for every case, run
`discover_policy` over the case's DNS data and check the portable assertions that do not
need SPF/DKIM results — the policy that applies, the Organizational Domain (mailauth's
`domain`, mapped as tests/conformance/test_dmarc.py maps it), the exact `_dmarc` query
sequence, and none/temperror outcomes. The conformance runner runs the same cases through
`verify`'s `evaluate_dmarc`, alignment included; this module pins a failure there down to
the tree walk itself.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
import yaml
from tests.support.dmarc_cases import case_dns

from mailauth.dns.orgdomain import DiscoveryStatus, PolicyDiscovery, discover_policy

CASES_FILE = (
    Path(__file__).parents[2] / "data" / "conformance" / "dmarc" / "mailauth-dmarc-cases.yaml"
)
_CHECKED = {"policy", "domain", "status.result", "(result)"}


def _author(header_from: Any) -> str | None:
    if isinstance(header_from, list):
        if len(header_from) != 1:
            return None
        header_from = header_from[0]
    return str(header_from).rpartition("@")[2].lower()


def _cases() -> list[Any]:
    docs = list(yaml.safe_load_all(CASES_FILE.read_text(encoding="utf-8")))
    out = []
    for case in next(d for d in docs if d and "cases" in d)["cases"]:
        expects = [
            e
            for e in case["expect"]
            if e.get("portable") and (e.get("path") in _CHECKED or "dmarc_txt_query_sequence" in e)
        ]
        if expects and _author(case["calls"][0]["input"]["headerFrom"]) is not None:
            out.append(pytest.param(case, expects, id=f"dmarc-{case['id'][:60]}"))
    return out


def _check(expect: dict[str, Any], result: PolicyDiscovery, queries: list[str]) -> None:
    if "dmarc_txt_query_sequence" in expect:
        assert queries == expect["dmarc_txt_query_sequence"]
        return
    path, op, value = expect["path"], expect["op"], expect["value"]
    if path == "policy":
        assert result.applied_policy is not None and result.applied_policy.value == value
    elif path == "domain":
        assert result.org.org_domain == value
    elif path == "(result)" and op == "not.property" and value == "policy":
        assert result.policy is None
    elif path == "(result)" and op == "not.property":
        assert value not in {"p", "sp", "np", "policy"}  # e.g. pct: we never expose it
    elif path == "status.result":
        expected = {
            "none": DiscoveryStatus.NONE,
            "temperror": DiscoveryStatus.TEMPERROR,
            "pass": DiscoveryStatus.FOUND,
            "fail": DiscoveryStatus.FOUND,
        }[value]
        assert result.status is expected


@pytest.mark.parametrize(("case", "expects"), _cases())
def test_policy_discovery_case(case: dict[str, Any], expects: list[dict[str, Any]]) -> None:
    for index, call in enumerate(case["calls"]):
        mine = [e for e in expects if e.get("call", 0) == index]
        if not mine:
            continue
        src = case_dns(call["dns"])
        result = asyncio.run(discover_policy(src, _author(call["input"]["headerFrom"]) or ""))
        queries = [name for name, rdtype in src.log if rdtype == "TXT"]
        for expect in mine:
            _check(expect, result, queries)

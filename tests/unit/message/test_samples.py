"""Every sample message verifies to the RFC 8601 results and finding ids its manifest entry
records, offline (zone files) and against the real loopback DNS server (knotd)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
import yaml

from mailauth.dns.interface import DnsSource
from mailauth.findings import CATALOGUE
from mailauth.message import verify_message

MESSAGES = Path(__file__).resolve().parents[3] / "samples" / "messages"
MANIFEST: dict[str, Any] = yaml.safe_load((MESSAGES / "manifest.yaml").read_text("utf-8"))
ENTRIES: list[dict[str, Any]] = MANIFEST["messages"]


def sample(name: str) -> bytes:
    return (MESSAGES / name).read_bytes()


def _check(report: Any, entry: dict[str, Any]) -> None:
    expect = entry["expect"]
    assert report.dmarc.result.value == expect["dmarc"]
    assert report.dmarc.disposition == expect["disposition"]
    assert report.spf.result.value == expect["spf"]
    assert report.arc.result.value == expect["arc"]
    got = [
        {
            "domain": s.domain,
            "selector": s.selector,
            "result": s.result.value,
            "reason": s.reason.value,
        }
        for s in report.dkim
    ]
    want = expect["dkim"] * expect.get("dkim_repeat", 1)
    assert got == want
    assert sorted({f.id for f in report.findings}) == entry["triggers"]


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["file"] for e in ENTRIES])
def test_sample_offline(entry: dict[str, Any], zone_dns: DnsSource) -> None:
    report = asyncio.run(verify_message(sample(entry["file"]), zone_dns, file=entry["file"]))
    _check(report, entry)


@pytest.mark.knot
@pytest.mark.parametrize("entry", ENTRIES, ids=[e["file"] for e in ENTRIES])
def test_sample_live(entry: dict[str, Any], live_dns: DnsSource) -> None:
    report = asyncio.run(verify_message(sample(entry["file"]), live_dns, file=entry["file"]))
    _check(report, entry)


def test_every_message_finding_id_has_a_scenario() -> None:
    triggered = {i for e in ENTRIES for i in e["triggers"]} | set(MANIFEST["triggered_elsewhere"])
    ours = {i for i in CATALOGUE if i.startswith("msg_")}
    assert ours - triggered == set()
    assert triggered - ours == set()


def test_manifest_lists_every_sample_file() -> None:
    on_disk = {p.name for p in MESSAGES.glob("*.eml")}
    assert on_disk == {e["file"] for e in ENTRIES}

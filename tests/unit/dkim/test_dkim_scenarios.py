"""Every dkim scenario zone (tests/data/zones/dkim/) reports exactly the finding ids its
`; triggers:` line names, offline (zone files) and over the wire (knotd)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from mailauth.dns.interface import DnsSource
from mailauth.dns.zonefile import zone_origin
from mailauth.domain.context import CheckOptions
from mailauth.domain.dkim import check_dkim
from mailauth.findings import CATALOGUE

ZONES = Path(__file__).resolve().parents[2] / "data" / "zones" / "dkim"
# Reverse zones only support the other scenarios.
SCENARIOS = sorted(p for p in ZONES.glob("*.zone") if not p.name.endswith(".arpa.zone"))


def header(path: Path) -> dict[str, list[str]]:
    """The leading `; key: words` comment lines (`triggers`, `selectors`)."""
    out: dict[str, list[str]] = {}
    for line in path.read_text().splitlines():
        if not line.startswith(";"):
            break
        key, colon, words = line[1:].partition(":")
        if colon and key.strip().isidentifier():
            out[key.strip()] = words.split()
    return out


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name.removesuffix(".zone"))
def test_scenario(path: Path, any_dns: DnsSource) -> None:
    meta = header(path)
    options = CheckOptions(selectors=tuple(meta.get("selectors", ())))
    report = asyncio.run(check_dkim(any_dns, zone_origin(path), options))
    assert sorted({f.id for f in report.findings}) == sorted(meta["triggers"])
    for f in report.findings:
        f.text()  # every template field is filled


UNTRIGGERABLE: set[str] = set()


def test_every_dkim_id_has_a_scenario() -> None:
    covered = {i for p in SCENARIOS for i in header(p).get("triggers", [])}
    ids = {i for i in CATALOGUE if i.startswith("dkim.")}
    assert ids - covered == UNTRIGGERABLE
    assert covered <= ids

"""Every BIMI scenario zone triggers the finding ids its first line names (offline)."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest

from mailauth.dns.interface import DnsSource
from mailauth.domain.bimi import check_bimi
from mailauth.domain.context import CheckOptions
from mailauth.findings import CATALOGUE

ZONES = Path(__file__).parents[2] / "data" / "zones" / "bimi"
FILES = sorted(ZONES.glob("*.zone"))
_TRIGGERS = re.compile(r";\s*triggers:(.*)")


def triggers(path: Path) -> set[str]:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    m = _TRIGGERS.match(first)
    assert m, f"{path} lacks a '; triggers:' first line"
    return set(m.group(1).split())


def origin(path: Path) -> str:
    return path.name.removesuffix(".zone")


@pytest.mark.parametrize("path", FILES, ids=[origin(f) for f in FILES])
def test_scenario_triggers(path: Path, any_dns: DnsSource) -> None:
    """Offline (zone files) and over the wire (knotd), via the shared `any_dns` fixture."""
    report = asyncio.run(check_bimi(any_dns, origin(path), CheckOptions()))
    found = {f.id for f in report.findings}
    assert triggers(path) <= found, (found, report.data())
    for f in report.findings:
        f.text()


def test_every_bimi_id_has_a_scenario() -> None:
    covered = set().union(*(triggers(f) for f in FILES))
    ids = {i for i in CATALOGUE if i.startswith("bimi.")}
    assert ids <= covered, sorted(ids - covered)

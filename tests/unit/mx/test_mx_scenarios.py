"""Every mx scenario zone (tests/data/zones/mx/) reports exactly the finding ids its
`; triggers:` line names, offline (zone files) and over the wire (knotd)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from mailauth.dns.interface import DnsSource
from mailauth.dns.zonefile import zone_origin
from mailauth.domain.context import CheckOptions
from mailauth.domain.mx import check_mx

SCENARIOS = sorted((Path(__file__).resolve().parents[2] / "data" / "zones" / "mx").glob("*.zone"))


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
    if "in-addr.arpa" in path.name:
        pytest.skip("support zone (reverse DNS for the other scenarios)")
    options = CheckOptions(selectors=tuple(meta.get("selectors", ())))
    report = asyncio.run(check_mx(any_dns, zone_origin(path), options))
    assert sorted({f.id for f in report.findings}) == sorted(meta["triggers"])

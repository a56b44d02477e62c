"""Every SPF scenario zone (tests/data/zones/spf/) through check_spf, offline (ZoneSource) and
over the wire from knotd (`any_dns`): the finding ids must be exactly the ones its
`; triggers:` line names. A `; scenario NAME triggers: ...` line covers a name that cannot
be its own zone (spf.lookup-failed needs the apex lookup itself to fail: a delegation to
a server that does not answer, kept in the parent zone spf.test)."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest

from mailauth.dns.interface import DnsSource
from mailauth.domain.context import CheckOptions
from mailauth.domain.spf import check_spf
from mailauth.findings.catalogue import CATALOGUE

SCENARIOS = Path(__file__).resolve().parents[2] / "data" / "zones" / "spf"
_FIRST = re.compile(r";\s*triggers:(.*)")
_EXTRA = re.compile(r";\s*scenario\s+(\S+)\s+triggers:(.*)")


def scenarios() -> list[tuple[str, list[str]]]:
    out: list[tuple[str, list[str]]] = []
    for path in sorted(SCENARIOS.glob("*.zone")):
        lines = path.read_text().splitlines()
        first = _FIRST.match(lines[0])
        assert first, f"{path.name}: first line must be '; triggers: ...'"
        out.append((path.name.removesuffix(".zone"), first.group(1).split()))
        for line in lines[1:]:
            extra = _EXTRA.match(line)
            if extra:
                out.append((extra.group(1), extra.group(2).split()))
    return out


@pytest.mark.parametrize(("domain", "expected"), scenarios(), ids=[d for d, _ in scenarios()])
def test_scenario_triggers_exactly_its_ids(
    any_dns: DnsSource, domain: str, expected: list[str]
) -> None:
    report = asyncio.run(check_spf(any_dns, domain, CheckOptions()))
    assert sorted({f.id for f in report.findings}) == sorted(expected), report.findings


def test_every_spf_finding_id_has_a_scenario() -> None:
    covered = {fid for _, ids in scenarios() for fid in ids}
    defined = {fid for fid in CATALOGUE if fid.startswith("spf.")}
    assert defined - covered == set()
    assert covered - defined == set()

"""Fake domain reports for renderer tests: real catalogue findings, no DNS.

Imported by the tests of this folder (`from render_fakes import ...`) and re-exported as
fixtures by conftest.py."""

from __future__ import annotations

import asyncio
import io
import string
from dataclasses import dataclass
from typing import Any

from mailauth.dns.memory import MemorySource
from mailauth.domain.context import CheckContext
from mailauth.domain.registry import caps
from mailauth.domain.runner import CheckFunction, CheckSpec, DomainReport, check_domain
from mailauth.findings import CATALOGUE
from mailauth.model import CheckReport, Finding, Status
from mailauth.render.environment import Environment

SPF_RECORD = "v=spf1 ip4:192.0.2.0/25 include:_spf.esp.example ?all"
LONG_RECORD = "v=spf1 " + " ".join(f"ip4:198.51.100.{n}" for n in range(40)) + " -all"


@dataclass(frozen=True, kw_only=True)
class FakeReport(CheckReport):
    payload: dict[str, Any]

    def data(self) -> dict[str, Any]:
        return dict(self.payload)


def fake(name: str, status: Status, payload: dict[str, Any], *findings: Finding) -> CheckFunction:
    async def run(ctx: CheckContext, domain: str) -> CheckReport:
        return FakeReport(check=name, status=status, findings=findings, payload=payload)

    return run


def catalogued(fid: str, fix_record: str | None = None) -> Finding:
    """A finding of a real catalogue id with every template field filled with 'X'."""
    entry = CATALOGUE[fid]
    names = {
        n.split(".")[0].split("[")[0]
        for t in (entry.title, entry.detail, entry.consequence, entry.fix)
        for _, n, _, _ in string.Formatter().parse(t)
        if n
    }
    return Finding(fid, entry.severity, {n: "X" for n in names}, fix_record)


def build(domain: str = "example.jp", **checks: CheckFunction) -> DomainReport:
    specs = [
        CheckSpec(n, run, cap=caps().get(n, 30), report_type=FakeReport)
        for n, run in checks.items()
    ]
    return asyncio.run(check_domain(MemorySource(), domain, checks=specs))


def sample_report() -> DomainReport:
    return build(
        spf=fake(
            "spf",
            Status.WARN,
            {
                "record": SPF_RECORD,
                "dns_lookups": 1,
                "dns_lookup_limit": 10,
                "void_lookups": 0,
                "includes": [{"term": "include:_spf.esp.example", "cost": 1, "children": []}],
            },
            catalogued("core.internal-error", fix_record=LONG_RECORD),
        ),
        dmarc=fake(
            "dmarc",
            Status.PASS,
            {
                "record": "v=DMARC1; p=reject",
                "policy": "reject",
                "location": "_dmarc.example.jp",
                "org_domain": "example.jp",
            },
        ),
        dkim=fake(
            "dkim",
            Status.PASS,
            {
                "selectors": [
                    {"selector": "s1", "status": "pass", "key_type": "rsa", "key_bits": 2048}
                ],
                "tried": ["s1", "s2"],
            },
        ),
        mx=fake(
            "mx",
            Status.PASS,
            {
                "hosts": [
                    {
                        "name": "mx1.example.jp",
                        "preference": 10,
                        "addresses": [{"address": "192.0.2.25"}],
                    }
                ]
            },
        ),
    )


def plain_env() -> Environment:
    return Environment(io.StringIO(), io.StringIO(), colors=False)


def color_env() -> Environment:
    return Environment(io.StringIO(), io.StringIO(), colors=True, width=100)


def output(env: Environment) -> str:
    stream = env.stdout
    assert isinstance(stream, io.StringIO)
    return stream.getvalue()

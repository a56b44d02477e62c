"""check_bimi over in-memory DNS: the DMARC prerequisite, fallback errors, the asset seam."""

from __future__ import annotations

import asyncio

import pytest

from mailauth.dns.interface import Rcode
from mailauth.dns.memory import MemorySource
from mailauth.domain.bimi import BimiReport, check_bimi
from mailauth.domain.context import CheckOptions
from mailauth.findings.catalogue import finding
from mailauth.model import Finding, Status

GOOD = "v=BIMI1; l=https://brand.example.com/logo.svg; a=https://brand.example.com/vmc.pem"


def run(
    records: dict[str, dict[str, list[str]]], domain: str = "example.com", **kw: object
) -> BimiReport:
    src = MemorySource(records, **kw)  # type: ignore[arg-type]
    return asyncio.run(check_bimi(src, domain, CheckOptions()))


@pytest.mark.parametrize(
    ("dmarc", "enforced", "setting"),
    [
        ("v=DMARC1; p=reject", True, None),
        ("v=DMARC1; p=quarantine; pct=50", True, None),  # pct is historic (RFC 9989)
        ("v=DMARC1; p=none", False, "p=none"),
        ("v=DMARC1; p=reject; t=y", False, "t=y"),
        ("v=DMARC1; p=reject; sp=none", False, "sp=none"),
        ("v=DMARC1; p=reject; np=none", False, "np=none"),
        ("v=DMARC1; rua=mailto:d@example.com", False, "p=none"),
    ],
)
def test_dmarc_gate(dmarc: str, enforced: bool, setting: str | None) -> None:
    r = run({"_dmarc.example.com": {"TXT": [dmarc]}, "default._bimi.example.com": {"TXT": [GOOD]}})
    assert r.dmarc is not None
    assert (r.dmarc.enforced, r.dmarc.setting) == (enforced, setting)
    assert ("bimi.dmarc-not-enforced" in {f.id for f in r.findings}) is (not enforced)


def test_org_domain_policy_none_blocks_subdomain_with_own_reject() -> None:
    r = run(
        {
            "_dmarc.mail.example.com": {"TXT": ["v=DMARC1; p=reject"]},
            "_dmarc.example.com": {"TXT": ["v=DMARC1; p=none"]},
            "default._bimi.mail.example.com": {"TXT": [GOOD]},
        },
        "mail.example.com",
    )
    assert r.dmarc is not None and r.dmarc.enforced is False
    assert r.dmarc.location == "_dmarc.example.com"


def test_dmarc_lookup_failure_is_unknown() -> None:
    r = run(
        {"default._bimi.example.com": {"TXT": [GOOD]}},
        failures={("_dmarc.example.com", "TXT"): Rcode.TIMEOUT},
    )
    assert r.dmarc is not None and r.dmarc.enforced is None
    assert r.status is Status.PASS


def test_lookup_failed() -> None:
    r = run({}, failures={("default._bimi.example.com", "TXT"): Rcode.SERVFAIL})
    assert r.status is Status.ERROR
    (f,) = r.findings
    assert f.id == "bimi.lookup-failed"
    assert f.params["rcode"] == "SERVFAIL"


def test_fallback_lookup_failed() -> None:
    r = run(
        {"_dmarc.example.com": {"TXT": ["v=DMARC1; p=reject"]}},
        "sub.example.com",
        failures={("default._bimi.example.com", "TXT"): Rcode.TIMEOUT},
    )
    assert r.status is Status.ERROR
    assert [f.id for f in r.findings] == ["bimi.lookup-failed"]


def test_data_shape() -> None:
    r = run(
        {
            "_dmarc.example.com": {"TXT": ["v=DMARC1; p=reject"]},
            "default._bimi.example.com": {"TXT": [GOOD]},
        }
    )
    data = r.data()
    assert data["record"] == GOOD
    assert data["selector"] == "default"
    assert data["location"] == "default._bimi.example.com"
    assert data["logo_url"] == "https://brand.example.com/logo.svg"
    assert data["authority_url"] == "https://brand.example.com/vmc.pem"
    assert data["declined"] is False
    assert r.status is Status.PASS


def test_custom_selector_falls_back_to_same_selector_at_org() -> None:
    src = MemorySource(
        {
            "_dmarc.example.com": {"TXT": ["v=DMARC1; p=reject"]},
            "brand2._bimi.example.com": {"TXT": [GOOD]},
        }
    )
    r = asyncio.run(check_bimi(src, "news.example.com", CheckOptions(bimi_selector="Brand2")))
    assert r.location == "brand2._bimi.example.com"
    assert r.fallback


class _Assets:
    def __init__(self) -> None:
        self.seen: list[BimiReport] = []

    async def check(self, report: BimiReport) -> tuple[Finding, ...]:
        self.seen.append(report)
        return (finding("bimi.no-authority", name="(asset checker)"),)


def test_asset_checker_seam() -> None:
    src = MemorySource(
        {
            "_dmarc.example.com": {"TXT": ["v=DMARC1; p=reject"]},
            "default._bimi.example.com": {"TXT": [GOOD]},
        }
    )
    assets = _Assets()
    r = asyncio.run(check_bimi(src, "example.com", CheckOptions(), assets=assets))
    assert assets.seen and assets.seen[0].logo_url == "https://brand.example.com/logo.svg"
    assert r.findings[-1].params["name"] == "(asset checker)"
    assert r.status is Status.WARN


def test_asset_checker_not_called_for_unsafe_urls() -> None:
    src = MemorySource(
        {
            "_dmarc.example.com": {"TXT": ["v=DMARC1; p=reject"]},
            "default._bimi.example.com": {"TXT": ["v=BIMI1; l=https://127.0.0.1/l.svg; a="]},
        }
    )
    assets = _Assets()
    asyncio.run(check_bimi(src, "example.com", CheckOptions(), assets=assets))
    assert not assets.seen

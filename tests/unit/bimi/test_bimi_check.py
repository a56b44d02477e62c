"""check_bimi over in-memory DNS: the DMARC prerequisite, fallback errors, the asset seam."""

from __future__ import annotations

import asyncio

import pytest

from mailauth.dns.interface import Rcode
from mailauth.dns.memory import MemorySource
from mailauth.domain.bimi import BimiReport, check_bimi
from mailauth.domain.bimi_asset_model import (
    NOT_FETCHED_CERTIFICATE,
    NOT_FETCHED_LOGO,
    AssetStatus,
)
from mailauth.domain.bimi_assets import BimiAssets
from mailauth.domain.context import CheckContext, CheckOptions
from mailauth.fetch.interface import FetchOutcome, FetchResult
from mailauth.findings.catalogue import finding
from mailauth.model import Status
from mailauth.render.check_json import bimi_json

GOOD = "v=BIMI1; l=https://brand.example.com/logo.svg; a=https://brand.example.com/vmc.pem"


def run(
    records: dict[str, dict[str, list[str]]], domain: str = "example.com", **kw: object
) -> BimiReport:
    src = MemorySource(records, **kw)  # type: ignore[arg-type]
    return asyncio.run(check_bimi(CheckContext(src, CheckOptions()), domain))


@pytest.mark.parametrize(
    ("dmarc", "enforced", "setting"),
    [
        ("v=DMARC1; p=reject", True, None),
        ("v=DMARC1; p=quarantine; pct=50", True, None),  # pct is historic (RFC 9989)
        ("v=DMARC1; p=none", False, "p=none"),
        ("v=DMARC1; p=reject; t=y", False, "t=y"),
        ("v=DMARC1; p=reject; sp=none", False, "sp=none"),
        # np applies only to non-existent subdomains, never to example.com itself; draft
        # §7.1 lists p=none and sp=none only (see test_np_none_blocks_only_where_it_applies).
        ("v=DMARC1; p=reject; np=none", True, None),
        ("v=DMARC1; p=quarantine; t=y", False, "t=y"),
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


def test_org_domain_p_none_blocks_subdomain_inheriting_sp_reject() -> None:
    """Draft §7.1 step 7: the Author Organizational Domain's own policy counts. The
    subdomain inherits sp=reject from the same record, but example.com itself is at
    p=none, so no logo is shown (regression: the shared record was judged by sp only)."""
    r = run(
        {
            "_dmarc.example.com": {"TXT": ["v=DMARC1; p=none; sp=reject"]},
            "sub.example.com": {"A": ["192.0.2.1"]},
            "default._bimi.sub.example.com": {"TXT": [GOOD]},
        },
        "sub.example.com",
    )
    assert r.dmarc is not None
    assert (r.dmarc.enforced, r.dmarc.setting) == (False, "p=none")
    assert (r.dmarc.location, r.dmarc.domain) == ("_dmarc.example.com", "example.com")
    assert [f.id for f in r.findings] == ["bimi.dmarc-not-enforced"]


def test_subdomain_inheriting_enforcing_policy_passes() -> None:
    r = run(
        {
            "_dmarc.example.com": {"TXT": ["v=DMARC1; p=reject; sp=quarantine"]},
            "sub.example.com": {"A": ["192.0.2.1"]},
            "default._bimi.sub.example.com": {"TXT": [GOOD]},
        },
        "sub.example.com",
    )
    assert r.dmarc is not None and r.dmarc.enforced is True
    assert r.status is Status.PASS


def test_org_record_sp_none_blocks_subdomain_with_own_reject() -> None:
    """Draft §7.1 step 8: sp=none in the Author Organizational Domain's record blocks BIMI
    even for a subdomain that publishes its own p=reject (Mail::BIMI does the same)."""
    r = run(
        {
            "_dmarc.mail.example.com": {"TXT": ["v=DMARC1; p=reject"]},
            "_dmarc.example.com": {"TXT": ["v=DMARC1; p=reject; sp=none"]},
            "default._bimi.mail.example.com": {"TXT": [GOOD]},
        },
        "mail.example.com",
    )
    assert r.dmarc is not None
    assert (r.dmarc.enforced, r.dmarc.setting) == (False, "sp=none")
    assert r.dmarc.location == "_dmarc.example.com"


def test_np_none_blocks_only_where_it_applies() -> None:
    """np is the policy of non-existent subdomains (RFC 9989 §4.7, §3.2.13). For mail from
    a name that does not exist (NXDOMAIN) with the organizational domain's BIMI record,
    np=none is the policy that applies (§7.1 step 7); for the domain itself it is not."""
    records = {
        "_dmarc.example.com": {"TXT": ["v=DMARC1; p=reject; np=none"]},
        "default._bimi.example.com": {"TXT": [GOOD]},
    }
    ghost = run(records, "ghost.example.com")
    assert ghost.fallback
    assert ghost.dmarc is not None
    assert (ghost.dmarc.enforced, ghost.dmarc.setting) == (False, "np=none")
    apex = run(records, "example.com")
    assert apex.dmarc is not None and apex.dmarc.enforced is True


def test_missing_org_policy_names_the_org_domain() -> None:
    """The subdomain has its own policy; the organizational domain's record has no usable
    policy (no p, no rua: RFC 9989 §4.10.1 says no DMARC processing), so the finding (and
    its fix) must point at the organizational domain."""
    r = run(
        {
            "_dmarc.mail.example.com": {"TXT": ["v=DMARC1; p=reject"]},
            "_dmarc.example.com": {"TXT": ["v=DMARC1; adkim=s"]},
            "default._bimi.mail.example.com": {"TXT": [GOOD]},
        },
        "mail.example.com",
    )
    assert r.dmarc is not None and r.dmarc.enforced is False
    (f,) = [f for f in r.findings if f.id == "bimi.dmarc-missing"]
    assert f.params["domain"] == "example.com"


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
    data = bimi_json(r)
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
    r = asyncio.run(
        check_bimi(CheckContext(src, CheckOptions(bimi_selector="Brand2")), "news.example.com")
    )
    assert r.location == "brand2._bimi.example.com"
    assert r.fallback


class _Assets:
    def __init__(self) -> None:
        self.seen: list[BimiReport] = []

    async def check(self, report: BimiReport) -> BimiAssets:
        self.seen.append(report)
        found = (finding("bimi.no-authority", name="(asset checker)"),)
        return BimiAssets(NOT_FETCHED_LOGO, NOT_FETCHED_CERTIFICATE, found)


def test_asset_checker_seam() -> None:
    src = MemorySource(
        {
            "_dmarc.example.com": {"TXT": ["v=DMARC1; p=reject"]},
            "default._bimi.example.com": {"TXT": [GOOD]},
        }
    )
    assets = _Assets()
    r = asyncio.run(
        check_bimi(CheckContext(src, CheckOptions(), bimi_assets=assets), "example.com")
    )
    assert assets.seen and assets.seen[0].logo_url == "https://brand.example.com/logo.svg"
    assert r.findings[-1].params["name"] == "(asset checker)"
    assert r.status is Status.WARN


class _Recording:
    """Records what would be fetched (an edge case: the real fetchers are tested elsewhere)."""

    def __init__(self) -> None:
        self.urls: list[str] = []

    @property
    def offline(self) -> bool:
        return True

    async def fetch(
        self,
        url: str,
        *,
        max_bytes: int,
        allow_redirects: bool = False,
        allow_http: bool = False,
    ) -> FetchResult:
        self.urls.append(url)
        return FetchResult(url=url, outcome=FetchOutcome.NOT_AVAILABLE_OFFLINE, offline=True)


def test_flagged_urls_are_never_fetched() -> None:
    src = MemorySource(
        {
            "_dmarc.example.com": {"TXT": ["v=DMARC1; p=reject"]},
            "default._bimi.example.com": {
                "TXT": ["v=BIMI1; l=https://127.0.0.1/l.svg; a=https://localhost/a.pem"]
            },
        }
    )
    fetcher = _Recording()
    r = asyncio.run(check_bimi(CheckContext(src, CheckOptions(), fetcher=fetcher), "example.com"))
    assert fetcher.urls == []
    assert r.logo.status is AssetStatus.NOT_FETCHED
    assert r.certificate.status is AssetStatus.NOT_FETCHED


def test_usable_urls_are_fetched_with_their_caps() -> None:
    src = MemorySource(
        {
            "_dmarc.example.com": {"TXT": ["v=DMARC1; p=reject"]},
            "default._bimi.example.com": {"TXT": [GOOD]},
        }
    )
    fetcher = _Recording()
    r = asyncio.run(check_bimi(CheckContext(src, CheckOptions(), fetcher=fetcher), "example.com"))
    assert sorted(fetcher.urls) == [
        "https://brand.example.com/logo.svg",
        "https://brand.example.com/vmc.pem",
    ]
    assert r.logo.status is AssetStatus.NOT_AVAILABLE_OFFLINE
    assert r.certificate.status is AssetStatus.NOT_AVAILABLE_OFFLINE
    assert r.findings == ()  # not available offline is not a failure
    assert {v.shown for v in r.receivers} == {None}

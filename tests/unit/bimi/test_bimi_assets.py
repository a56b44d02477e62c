"""The BIMI asset step end to end through the runner: samples/zones + samples/https (a
DirectoryFetcher, as `--https-dir` uses), fetching disabled, and the receiver verdicts."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jsonschema
import pytest
from tests.support.bimi_https import GOOD_SVG
from tests.support.mark_certs import make_mark_cert, make_mva

from mailauth.dns.zonefile import ZoneSource
from mailauth.domain.bimi import BimiReport
from mailauth.domain.bimi_asset_model import (
    AssetStatus,
    CertificateAsset,
    LogoAsset,
    Receiver,
    receiver_verdicts,
)
from mailauth.domain.context import CheckOptions
from mailauth.domain.runner import DomainReport, check_domain
from mailauth.fetch.directory import DirectoryFetcher
from mailauth.fetch.interface import DisabledFetcher, Fetcher
from mailauth.records.mark_roots import MarkRoot
from mailauth.records.vmc import check_mark_certificate
from mailauth.render.json import domain_json
from mailauth.schema import DOMAIN_REPORT, load_schema

REPO = Path(__file__).resolve().parents[3]
ZONES = ZoneSource.from_paths([REPO / "samples" / "zones"])
HTTPS = REPO / "samples" / "https"


def run(domain: str, fetcher: Fetcher | None, selector: str = "default") -> DomainReport:
    options = CheckOptions(bimi_selector=selector)
    return asyncio.run(check_domain(ZONES, domain, options, fetcher=fetcher))


def bimi(report: DomainReport) -> BimiReport:
    result = report.checks["bimi"]
    assert isinstance(result, BimiReport)
    return result


def test_sample_example_jp_valid_logo_and_vmc_from_the_sample_root() -> None:
    r = bimi(run("example.jp", DirectoryFetcher(HTTPS)))
    assert r.logo.status is AssetStatus.VALID and r.logo.offline
    assert r.certificate.status is AssetStatus.UNTRUSTED
    assert [f.id for f in r.findings] == ["bimi.certificate-untrusted"]
    mark = r.certificate.mark
    assert mark is not None and mark.logo_matches and mark.mark_type == "Registered Mark"
    assert r.certificate.revocation is not None
    assert r.certificate.revocation.status.value == "good"
    shown = {v.receiver: (v.shown, v.reason) for v in r.receivers}
    assert shown[Receiver.GMAIL] == (False, "certificate-untrusted")
    assert shown[Receiver.YAHOO] == (True, "self-asserted")


def test_sample_vmc_is_valid_once_its_root_is_trusted() -> None:
    root = (HTTPS / "sample-mark-root.pem").read_bytes()
    options = CheckOptions(mark_roots=(root,))
    report = asyncio.run(
        check_domain(ZONES, "example.jp", options, fetcher=DirectoryFetcher(HTTPS))
    )
    r = bimi(report)
    assert r.certificate.status is AssetStatus.VALID and r.findings == ()
    assert {v.shown for v in r.receivers} == {True}


@pytest.mark.parametrize(
    ("selector", "ids"),
    [
        (
            "script",
            {
                "bimi.svg-forbidden-element",
                "bimi.svg-not-tiny-ps",
                "bimi.svg-not-square",
                "bimi.no-authority",
                "bimi.dmarc-not-enforced",
            },
        ),
        (
            "expired",
            {"bimi.certificate-expired", "bimi.certificate-untrusted", "bimi.dmarc-not-enforced"},
        ),
        (
            "otherdomain",
            {
                "bimi.certificate-domain-mismatch",
                "bimi.certificate-untrusted",
                "bimi.dmarc-not-enforced",
            },
        ),
        (
            "mismatch",
            {
                "bimi.certificate-logo-mismatch",
                "bimi.certificate-untrusted",
                "bimi.dmarc-not-enforced",
            },
        ),
    ],
)
def test_sample_broken_example_variants(selector: str, ids: set[str]) -> None:
    report = run("broken.example", DirectoryFetcher(HTTPS), selector)
    assert {f.id for f in bimi(report).findings} == ids
    assert all(v.shown is False for v in bimi(report).receivers)
    # BIMI stays a small part of the score: the check is capped.
    lost = sum(d.points for d in report.score.deductions if d.finding_id.startswith("bimi."))
    assert 0 < lost <= 6
    without = run("broken.example", None, selector)
    assert report.score.score >= without.score.score - 6


def test_no_fetch_and_offline_gaps_are_reported_as_such() -> None:
    r = bimi(run("example.jp", DisabledFetcher()))
    assert (r.logo.status, r.certificate.status) == (AssetStatus.DISABLED, AssetStatus.DISABLED)
    assert r.findings == ()
    empty = bimi(run("example.jp", DirectoryFetcher(REPO / "samples" / "zones")))
    assert empty.logo.status is AssetStatus.NOT_AVAILABLE_OFFLINE
    assert empty.findings == ()
    assert {v.reason for v in empty.receivers} == {"logo-not-checked"}


def test_json_has_logo_certificate_and_receivers_and_validates() -> None:
    report = run("example.jp", DirectoryFetcher(HTTPS))
    doc = json.loads(json.dumps(domain_json(report)))
    jsonschema.validate(doc, load_schema(DOMAIN_REPORT))
    assert doc["bimi"]["logo"]["status"] == "valid"
    assert doc["bimi"]["certificate"]["kind"] == "vmc"
    assert doc["bimi"]["certificate"]["revocation"]["status"] == "good"
    assert [v["receiver"] for v in doc["bimi"]["receivers"]] == ["gmail", "apple", "yahoo"]


NOW = datetime.now(UTC)


def _certificate(mark_type: str, root: MarkRoot | None = None) -> CertificateAsset:
    mva = make_mva(now=NOW)
    pem = make_mark_cert(
        mva,
        domains=("example.jp",),
        svg=GOOD_SVG,
        not_before=NOW - timedelta(days=1),
        not_after=NOW + timedelta(days=90),
        mark_type=mark_type,
    )
    trusted = root or mva.mark_root
    trusted = dataclasses.replace(trusted, certificate=mva.root)
    mark = check_mark_certificate(
        pem, domains=("example.jp",), logo=GOOD_SVG, now=NOW, roots=(trusted,)
    )
    return CertificateAsset(AssetStatus.VALID, mark=mark)


@pytest.mark.parametrize(
    ("mark_type", "distrusted", "gmail", "apple"),
    [
        ("Registered Mark", False, (True, "certificate-valid"), (True, "certificate-valid")),
        ("Prior Use Mark", False, (True, "certificate-valid"), (False, "cmc-not-accepted")),
        ("Registered Mark", True, (True, "certificate-valid"), (False, "root-distrusted")),
    ],
)
def test_receiver_rules(
    mark_type: str, distrusted: bool, gmail: tuple[bool, str], apple: tuple[bool, str]
) -> None:
    mva_root = make_mva(now=NOW).mark_root
    root = dataclasses.replace(mva_root, apple_distrusted=distrusted)
    cert = _certificate(mark_type, root)
    verdicts = receiver_verdicts(
        usable=True,
        declined=False,
        enforced=True,
        logo=LogoAsset(AssetStatus.VALID),
        certificate=cert,
        has_certificate_url=True,
    )
    got = {v.receiver: (v.shown, v.reason) for v in verdicts}
    assert got == {
        Receiver.GMAIL: gmail,
        Receiver.APPLE: apple,
        Receiver.YAHOO: (True, "self-asserted"),
    }


def test_receivers_need_dmarc_and_a_valid_logo_first() -> None:
    cert = CertificateAsset(AssetStatus.NOT_FETCHED)
    for enforced, logo, reason in [
        (False, AssetStatus.VALID, "dmarc-not-enforced"),
        (True, AssetStatus.INVALID, "logo-invalid"),
        (True, AssetStatus.FETCH_FAILED, "logo-unavailable"),
    ]:
        verdicts = receiver_verdicts(
            usable=True,
            declined=False,
            enforced=enforced,
            logo=LogoAsset(logo),
            certificate=cert,
            has_certificate_url=True,
        )
        assert {(v.shown, v.reason) for v in verdicts} == {(False, reason)}
    no_cert = receiver_verdicts(
        usable=True,
        declined=False,
        enforced=True,
        logo=LogoAsset(AssetStatus.VALID),
        certificate=cert,
        has_certificate_url=False,
    )
    assert [(v.shown, v.reason) for v in no_cert] == [
        (False, "no-certificate"),
        (False, "no-certificate"),
        (True, "self-asserted"),
    ]

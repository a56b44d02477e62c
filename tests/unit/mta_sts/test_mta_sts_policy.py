"""The MTA-STS policy step over in-memory DNS and a real `--https-dir` directory: how each
policy, MX set and fetch outcome becomes findings and JSON. The live web server's side
(redirects, Content-Type, TLS, refusal) is tested against a real HTTPS server in
tests/integration/test_mta_sts_live.py and tests/unit/fetch/test_safe_fetcher.py."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from mailauth.dns.interface import Rcode
from mailauth.dns.memory import MemorySource
from mailauth.domain.context import CheckContext
from mailauth.domain.mta_sts import MtaStsReport, check_mta_sts
from mailauth.fetch.directory import DirectoryFetcher
from mailauth.fetch.interface import (
    DISABLED_OFFLINE,
    DisabledFetcher,
    Fetcher,
    FetchOutcome,
    FetchResult,
)
from mailauth.model import Severity, Status
from mailauth.render.check_json import mta_sts_json

DOMAIN = "example.com"
RECORD = {"_mta-sts.example.com": {"TXT": ["v=STSv1; id=1"]}}
HOST = {"mta-sts.example.com": {"A": ["192.0.2.80"]}}
TWO_MX = {"example.com": {"MX": ["10 mx1.example.com", "20 mx2.example.com"]}}


def dns(**extra: Any) -> MemorySource:
    failures = extra.pop("failures", {})
    return MemorySource({**RECORD, **HOST, **extra.pop("data", TWO_MX)}, failures=failures)


def site(tmp_path: Path, text: str | bytes) -> DirectoryFetcher:
    path = tmp_path / "mta-sts.example.com" / ".well-known" / "mta-sts.txt"
    path.parent.mkdir(parents=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return DirectoryFetcher(tmp_path)


def run(source: MemorySource, fetcher: Fetcher | None) -> MtaStsReport:
    return asyncio.run(check_mta_sts(CheckContext(source, fetcher=fetcher), DOMAIN))


def ids(report: MtaStsReport) -> list[str]:
    return [f.id for f in report.findings]


GOOD = "version: STSv1\r\nmode: enforce\r\nmx: *.example.com\r\nmax_age: 604800\r\n"


def test_a_valid_policy_offline(tmp_path: Path) -> None:
    report = run(dns(), site(tmp_path, GOOD))
    assert ids(report) == [] and report.status is Status.PASS
    data = mta_sts_json(report)["policy"]
    assert data["status"] == "valid" and data["server_checked"] is False
    assert data["fetch"]["offline"] is True and data["fetch"]["content_type"] is None
    assert data["mx_hosts"] == ["mx1.example.com", "mx2.example.com"]
    assert report.policy is not None and report.policy.mode == "enforce"


def test_lf_line_ends_too(tmp_path: Path) -> None:
    assert ids(run(dns(), site(tmp_path, GOOD.replace("\r\n", "\n")))) == []


def test_each_uncovered_mx_is_named(tmp_path: Path) -> None:
    data = {"example.com": {"MX": ["10 a.example.com", "20 b.example.net", "30 c.example.org"]}}
    text = GOOD.replace("*.example.com", "a.example.com")
    report = run(dns(data=data), site(tmp_path, text))
    mismatches = [f for f in report.findings if f.id == "mta_sts.policy-mx-mismatch"]
    assert [f.params["mx"] for f in mismatches] == ["b.example.net", "c.example.org"]
    assert all(f.severity is Severity.HIGH for f in mismatches)
    assert report.status is Status.FAIL


def test_in_testing_mode_a_mismatch_is_medium(tmp_path: Path) -> None:
    text = GOOD.replace("enforce", "testing").replace("*.example.com", "mx1.example.com")
    report = run(dns(), site(tmp_path, text))
    assert ids(report) == ["mta_sts.policy-testing", "mta_sts.policy-mx-mismatch"]
    assert report.findings[1].severity is Severity.MEDIUM


def test_a_wildcard_matches_one_label_only(tmp_path: Path) -> None:
    data = {"example.com": {"MX": ["10 deep.mx.example.com"]}}
    report = run(dns(data=data), site(tmp_path, GOOD))
    assert ids(report) == ["mta_sts.policy-mx-mismatch", "mta_sts.policy-mx-unused"]


def test_no_mx_means_the_domain_itself(tmp_path: Path) -> None:
    text = GOOD.replace("*.example.com", "example.com")
    report = run(dns(data={}), site(tmp_path, text))
    assert ids(report) == []
    assert mta_sts_json(report)["policy"]["mx_hosts"] == ["example.com"]


def test_a_failed_mx_lookup_leaves_the_match_undone(tmp_path: Path) -> None:
    source = dns(failures={("example.com", "MX"): Rcode.SERVFAIL})
    report = run(source, site(tmp_path, GOOD))
    assert ids(report) == []
    assert mta_sts_json(report)["policy"]["mx_hosts"] is None
    assert not report.complete


@pytest.mark.parametrize(
    ("text", "severity"),
    [
        ("version: STSv2\nmode: enforce\nmx: *.example.com\nmax_age: 604800\n", Severity.MEDIUM),
        ("version: STSv1\nmode: enforced\nmx: *.example.com\nmax_age: 604800\n", Severity.MEDIUM),
        ("version: STSv1\nmode: enforce\nmax_age: 604800\n", Severity.MEDIUM),
        ("version: STSv1\nmode: enforce\nmx: *.example.com\nmax_age: soon\n", Severity.MEDIUM),
        (GOOD + "no colon here\n", Severity.LOW),
    ],
)
def test_syntax_problems(tmp_path: Path, text: str, severity: Severity) -> None:
    report = run(dns(), site(tmp_path, text))
    syntax = [f for f in report.findings if f.id == "mta_sts.policy-syntax"]
    assert [f.severity for f in syntax] == [severity]
    assert syntax[0].text().detail  # the problem is worded, not a code


@pytest.mark.parametrize(
    ("mode", "max_age", "expected"),
    [
        ("enforce", 3600, [("mta_sts.policy-max-age", Severity.LOW)]),
        ("testing", 3600, [("mta_sts.policy-testing", Severity.LOW)]),
        ("enforce", 31557600, []),
        ("enforce", 31557601, [("mta_sts.policy-max-age", Severity.MEDIUM)]),
    ],
)
def test_max_age(
    tmp_path: Path, mode: str, max_age: int, expected: list[tuple[str, Severity]]
) -> None:
    text = f"version: STSv1\nmode: {mode}\nmx: *.example.com\nmax_age: {max_age}\n"
    report = run(dns(), site(tmp_path, text))
    assert [(f.id, f.severity) for f in report.findings] == expected


def test_mode_none_needs_no_mx(tmp_path: Path) -> None:
    report = run(dns(), site(tmp_path, "version: STSv1\nmode: none\nmax_age: 86400\n"))
    assert ids(report) == ["mta_sts.policy-none"]


def test_a_missing_file_offline_is_not_a_missing_policy(tmp_path: Path) -> None:
    report = run(dns(), DirectoryFetcher(tmp_path))
    assert ids(report) == ["mta_sts.policy-not-available-offline"]
    assert report.findings[0].params["path"] == "mta-sts.example.com/.well-known/mta-sts.txt"
    assert not report.complete


def test_an_oversized_file_offline(tmp_path: Path) -> None:
    report = run(dns(), site(tmp_path, b"x" * (64 * 1024 + 1)))
    assert ids(report) == ["mta_sts.policy-fetch-failed"]
    assert "limit of 65536 bytes" in report.findings[0].text().detail


@pytest.mark.parametrize(
    ("fetcher", "reason"),
    [
        (DisabledFetcher(), "no-fetch"),
        (DisabledFetcher(DISABLED_OFFLINE), "offline"),
        (None, "no-fetcher"),
    ],
)
def test_not_fetched_says_why(fetcher: Fetcher | None, reason: str) -> None:
    report = run(dns(), fetcher)
    assert ids(report) == [] and report.complete
    policy = mta_sts_json(report)["policy"]
    assert (policy["status"], policy["reason"]) == ("not-fetched", reason)


def test_no_policy_host_is_not_fetched_live(tmp_path: Path) -> None:
    class Live:
        """A live fetcher that must not be asked (the host has no address)."""

        offline = False

        async def fetch(
            self,
            url: str,
            *,
            max_bytes: int,
            allow_redirects: bool = False,
            allow_http: bool = False,
        ) -> FetchResult:
            raise AssertionError("fetched")

    source = MemorySource({**RECORD, **TWO_MX})
    report = run(source, Live())
    assert ids(report) == ["mta_sts.no-policy-host"]
    assert mta_sts_json(report)["policy"]["reason"] == "no-policy-host"
    # Offline, the admin's draft is linted even before the host has an address.
    assert ids(run(source, site(tmp_path, GOOD))) == ["mta_sts.no-policy-host"]


class Served:
    """The answer of a live server, as the live fetcher reports it (content type only; the
    real server's version of this is in tests/integration/test_mta_sts_live.py)."""

    offline = False

    def __init__(self, content_type: str | None) -> None:
        self.content_type = content_type

    async def fetch(
        self,
        url: str,
        *,
        max_bytes: int,
        allow_redirects: bool = False,
        allow_http: bool = False,
    ) -> FetchResult:
        assert allow_redirects is False  # RFC 8461 §3.3
        assert max_bytes == 64 * 1024
        return FetchResult(
            url, FetchOutcome.OK, GOOD.encode(), 200, self.content_type, address="192.0.2.80"
        )


@pytest.mark.parametrize(
    ("content_type", "flagged"),
    [
        ("text/plain", False),
        ("Text/Plain; charset=utf-8", False),
        ("text/html", True),
        (None, True),
    ],
)
def test_content_type_live(content_type: str | None, flagged: bool) -> None:
    report = run(dns(), Served(content_type))
    assert ids(report) == (["mta_sts.policy-content-type"] if flagged else [])
    assert mta_sts_json(report)["policy"]["server_checked"] is True

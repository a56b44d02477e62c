"""`--https-dir`: URL -> DIR/<host>/<path>, offline outcomes, and nothing outside DIR."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from mailauth.fetch.directory import DirectoryFetcher
from mailauth.fetch.interface import DisabledFetcher, FetchOutcome, FetchResult


def fetch(root: Path, url: str, max_bytes: int = 1000) -> FetchResult:
    return asyncio.run(DirectoryFetcher(root).fetch(url, max_bytes=max_bytes))


@pytest.fixture
def site(tmp_path: Path) -> Path:
    policy = tmp_path / "https" / "mta-sts.example.jp" / ".well-known" / "mta-sts.txt"
    policy.parent.mkdir(parents=True)
    policy.write_bytes(b"version: STSv1\r\nmode: enforce\r\n")
    (tmp_path / "https" / "bimi.example.jp").mkdir()
    (tmp_path / "https" / "bimi.example.jp" / "logo.svg").write_bytes(b"<svg/>" * 100)
    (tmp_path / "secret.txt").write_text("outside")
    return tmp_path / "https"


def test_file_is_served_with_offline_flag(site: Path) -> None:
    result = fetch(site, "https://MTA-STS.example.jp./.well-known/mta-sts.txt")
    assert result.outcome is FetchOutcome.OK and result.ok
    assert result.body.startswith(b"version: STSv1")
    assert result.offline and result.status is None and result.content_type is None


def test_missing_file_is_not_available_offline_never_not_found(site: Path) -> None:
    result = fetch(site, "https://bimi.example.jp/other.svg")
    assert result.outcome is FetchOutcome.NOT_AVAILABLE_OFFLINE
    assert fetch(site, "https://bimi.example.jp/").outcome is FetchOutcome.BAD_URL
    # A directory at the path is not a document either.
    assert fetch(site, "https://mta-sts.example.jp/.well-known").outcome is (
        FetchOutcome.NOT_AVAILABLE_OFFLINE
    )


def test_size_cap_applies_offline(site: Path) -> None:
    assert fetch(site, "https://bimi.example.jp/logo.svg", max_bytes=599).outcome is (
        FetchOutcome.TOO_LARGE
    )
    assert fetch(site, "https://bimi.example.jp/logo.svg", max_bytes=600).ok


@pytest.mark.parametrize(
    ("url", "outcome"),
    [
        ("http://bimi.example.jp/logo.svg", FetchOutcome.NOT_HTTPS),
        ("https://bimi.example.jp/../secret.txt", FetchOutcome.BAD_URL),
        ("https://bimi.example.jp/%2e%2e/%2e%2e/secret.txt", FetchOutcome.BAD_URL),
        ("https://user@bimi.example.jp/logo.svg", FetchOutcome.BAD_URL),
        ("https://bimi.example.jp:8443/logo.svg", FetchOutcome.BAD_URL),
        ("https://bimi.example.jp:99999/logo.svg", FetchOutcome.BAD_URL),
        ("https://../secret.txt", FetchOutcome.BAD_URL),
    ],
)
def test_urls_that_could_escape_or_are_not_https_are_refused(
    site: Path, url: str, outcome: FetchOutcome
) -> None:
    result = fetch(site, url)
    assert result.outcome is outcome and result.body == b""


def test_symlink_out_of_the_tree_is_refused(site: Path) -> None:
    os.symlink(site.parent / "secret.txt", site / "bimi.example.jp" / "link.svg")
    assert fetch(site, "https://bimi.example.jp/link.svg").outcome is FetchOutcome.BAD_URL


def test_disabled_fetcher_says_so() -> None:
    result = asyncio.run(DisabledFetcher().fetch("https://x.example/", max_bytes=1))
    assert result.outcome is FetchOutcome.DISABLED and not result.ok


def test_http_url_is_answered_only_for_a_crl(site: Path) -> None:
    """A CRL over http (allow_http) is read from the same DIR/<host>/<path> layout; any
    other http:// fetch stays refused, and only port 80 (the http default) maps to the tree."""
    (site / "bimi.example.jp" / "mva.crl").write_bytes(b"crl")
    directory = DirectoryFetcher(site)
    url = "http://bimi.example.jp/mva.crl"
    crl = asyncio.run(directory.fetch(url, max_bytes=100, allow_http=True))
    assert (crl.outcome, crl.body, crl.offline) == (FetchOutcome.OK, b"crl", True)
    assert fetch(site, url).outcome is FetchOutcome.NOT_HTTPS
    on_80 = asyncio.run(
        directory.fetch(url.replace(".jp/", ".jp:80/"), max_bytes=100, allow_http=True)
    )
    assert on_80.outcome is FetchOutcome.OK
    on_443 = asyncio.run(
        directory.fetch(url.replace(".jp/", ".jp:443/"), max_bytes=100, allow_http=True)
    )
    assert on_443.outcome is FetchOutcome.BAD_URL
    ftp = asyncio.run(
        directory.fetch("ftp://bimi.example.jp/mva.crl", max_bytes=9, allow_http=True)
    )
    assert ftp.outcome is FetchOutcome.NOT_HTTPS

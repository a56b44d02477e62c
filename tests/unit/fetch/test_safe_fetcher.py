"""The live fetcher against a real HTTPS server on 127.0.0.1 (trustme certificate), with the
names resolved from tests/data/zones/fetch/fetch.test.zone, offline and through knotd.

No mocks of httpx or ssl: each outcome comes from what the server really did.
"""

from __future__ import annotations

import asyncio
import ipaddress
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.support.https import HttpsServer, Reply, https_server

from mailauth import __version__
from mailauth.dns.cache import CachingSource
from mailauth.dns.interface import DnsAnswer, DnsSource
from mailauth.fetch.interface import MAX_POLICY_BYTES, FetchOutcome, FetchResult
from mailauth.fetch.safe import SafeFetcher

POLICY = b"version: STSv1\r\nmode: enforce\r\nmx: *.sts.fetch.test\r\nmax_age: 604800\r\n"
NAMES = ["web.fetch.test", "alias.fetch.test", "v6web.fetch.test", "mapped.fetch.test"]
P = "/.well-known/mta-sts.txt"


def routes() -> dict[tuple[str, str], Reply]:
    web = "web.fetch.test"
    return {
        (web, P): Reply(POLICY, headers=(("Set-Cookie", "track=1"),)),
        ("alias.fetch.test", P): Reply(POLICY),
        (web, "/moved"): Reply(status=301, headers=(("Location", "/final"),)),
        (web, "/final"): Reply(b"arrived"),
        (web, "/loop"): Reply(status=302, headers=(("Location", "/loop"),)),
        (web, "/downgrade"): Reply(status=302, headers=(("Location", "http://web.fetch.test/"),)),
        (web, "/html"): Reply(b"<html></html>", content_type="text/html; charset=utf-8"),
        (web, "/big"): Reply(b"x" * (MAX_POLICY_BYTES + 10)),
        (web, "/big-unannounced"): Reply(b"y" * (MAX_POLICY_BYTES + 10), send_length=False),
        (web, "/slow"): Reply(POLICY, delay=6),
        (web, "/trickle"): Reply(b"z" * 40, trickle=1),
        (web, "/error"): Reply(b"oops", status=500),
        (web, "/gzip"): Reply(b"\x1f\x8b", headers=(("Content-Encoding", "gzip"),)),
    }


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HttpsServer]:
    with https_server(NAMES, routes(), tmp_path_factory.mktemp("https")) as running:
        yield running


class Counting:
    """A DnsSource that counts the questions it passes on (to prove one resolution)."""

    def __init__(self, inner: DnsSource) -> None:
        self.inner = inner
        self.asked: list[tuple[str, str]] = []

    async def query(self, name: str, rdtype: str) -> DnsAnswer:
        self.asked.append((name, rdtype))
        return await self.inner.query(name, rdtype)


def fetch(
    dns: DnsSource,
    server: HttpsServer,
    url: str,
    *,
    allow_private: bool = True,
    max_bytes: int = MAX_POLICY_BYTES,
    allow_redirects: bool = False,
    timeout: float = 5.0,
    ca: bool = True,
) -> FetchResult:
    fetcher = SafeFetcher(
        dns,
        allow_private=allow_private,
        ca_file=server.ca_file if ca else None,
        port=server.port,
        timeout=timeout,
    )
    return asyncio.run(fetcher.fetch(url, max_bytes=max_bytes, allow_redirects=allow_redirects))


def test_a_policy_is_fetched_from_the_vetted_address(
    any_dns: CachingSource, server: HttpsServer
) -> None:
    counting = Counting(any_dns)
    result = fetch(counting, server, f"https://web.fetch.test{P}")
    assert result.outcome is FetchOutcome.OK, result
    assert result.body == POLICY
    assert result.content_type == "text/plain"
    assert (result.status, result.address, result.offline) == (200, "127.0.0.1", False)
    # One resolution (A and AAAA), none by httpx: the request went to the address we vetted.
    assert sorted(counting.asked) == [("web.fetch.test", "A"), ("web.fetch.test", "AAAA")]
    seen = server.requests[-1]
    assert seen["host"] == "web.fetch.test"
    assert seen["user-agent"] == f"mailauth/{__version__}"
    assert "cookie" not in seen


def test_no_cookie_is_sent_back(zone_dns: CachingSource, server: HttpsServer) -> None:
    fetcher = SafeFetcher(zone_dns, allow_private=True, ca_file=server.ca_file, port=server.port)

    async def twice() -> None:
        for _ in range(2):
            await fetcher.fetch(f"https://web.fetch.test{P}", max_bytes=MAX_POLICY_BYTES)

    asyncio.run(twice())
    assert [r.get("cookie") for r in server.requests[-2:]] == [None, None]


def test_a_cname_is_followed_by_the_dns_source(
    zone_dns: CachingSource, server: HttpsServer
) -> None:
    result = fetch(zone_dns, server, f"https://alias.fetch.test{P}")
    assert result.outcome is FetchOutcome.OK
    assert server.requests[-1]["host"] == "alias.fetch.test"


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("web.fetch.test", "127.0.0.1"),
        ("v6web.fetch.test", "::1"),
        ("mapped.fetch.test", "::ffff:127.0.0.1"),
        ("linklocal.fetch.test", "169.254.169.254"),
        ("private.fetch.test", "10.0.0.5"),
        ("docnet.fetch.test", "192.0.2.10"),
        ("mixed.fetch.test", "127.0.0.1"),
    ],
)
def test_non_public_addresses_are_refused_without_the_flag(
    any_dns: CachingSource, server: HttpsServer, host: str, address: str
) -> None:
    before = len(server.requests)
    result = fetch(any_dns, server, f"https://{host}{P}", allow_private=False)
    assert result.outcome is FetchOutcome.REFUSED_ADDRESS
    shown = str(ipaddress.ip_address(address))  # ::ffff:7f00:1 before Python 3.13
    assert (result.detail, result.address) == (shown, shown)
    assert len(server.requests) == before  # nothing was sent


def test_an_ip_literal_is_vetted_too(zone_dns: CachingSource, server: HttpsServer) -> None:
    result = fetch(zone_dns, server, f"https://127.0.0.1{P}", allow_private=False)
    assert (result.outcome, result.detail) == (FetchOutcome.REFUSED_ADDRESS, "127.0.0.1")


def test_a_redirect_is_reported_not_followed(zone_dns: CachingSource, server: HttpsServer) -> None:
    result = fetch(zone_dns, server, "https://web.fetch.test/moved")
    assert result.outcome is FetchOutcome.REDIRECT
    assert (result.status, result.location) == (301, "/final")
    assert result.url == "https://web.fetch.test/moved"


def test_a_redirect_is_followed_only_when_allowed(
    zone_dns: CachingSource, server: HttpsServer
) -> None:
    result = fetch(zone_dns, server, "https://web.fetch.test/moved", allow_redirects=True)
    assert (result.outcome, result.body) == (FetchOutcome.OK, b"arrived")
    looped = fetch(zone_dns, server, "https://web.fetch.test/loop", allow_redirects=True)
    assert (looped.outcome, looped.detail) == (FetchOutcome.REDIRECT, "too many redirects")
    # Each hop is vetted like the first URL: no downgrade to http.
    down = fetch(zone_dns, server, "https://web.fetch.test/downgrade", allow_redirects=True)
    assert down.outcome is FetchOutcome.NOT_HTTPS


def test_the_content_type_is_reported_as_served(
    zone_dns: CachingSource, server: HttpsServer
) -> None:
    result = fetch(zone_dns, server, "https://web.fetch.test/html")
    assert result.outcome is FetchOutcome.OK
    assert result.content_type == "text/html; charset=utf-8"


@pytest.mark.parametrize("path", ["/big", "/big-unannounced"])
def test_a_body_over_the_cap_is_abandoned(
    zone_dns: CachingSource, server: HttpsServer, path: str
) -> None:
    result = fetch(zone_dns, server, f"https://web.fetch.test{path}")
    assert result.outcome is FetchOutcome.TOO_LARGE
    assert result.body == b""


@pytest.mark.parametrize("path", ["/slow", "/trickle"])
def test_one_budget_bounds_the_whole_fetch(
    zone_dns: CachingSource, server: HttpsServer, path: str
) -> None:
    start = time.monotonic()
    result = fetch(zone_dns, server, f"https://web.fetch.test{path}", timeout=1.0)
    elapsed = time.monotonic() - start
    assert result.outcome is FetchOutcome.TIMEOUT
    assert elapsed < 4.0  # the server takes 6 s (slow) or 8 s (trickle)


def test_status_errors(zone_dns: CachingSource, server: HttpsServer) -> None:
    missing = fetch(zone_dns, server, "https://web.fetch.test/nothing")
    assert (missing.outcome, missing.status) == (FetchOutcome.NOT_FOUND, 404)
    failed = fetch(zone_dns, server, "https://web.fetch.test/error")
    assert (failed.outcome, failed.detail) == (FetchOutcome.HTTP_ERROR, "500")
    packed = fetch(zone_dns, server, "https://web.fetch.test/gzip")
    assert (packed.outcome, packed.detail) == (FetchOutcome.HTTP_ERROR, "content-encoding gzip")


def test_a_certificate_for_another_name_is_a_tls_error(
    zone_dns: CachingSource, server: HttpsServer
) -> None:
    result = fetch(zone_dns, server, f"https://wrongcert.fetch.test{P}")
    assert result.outcome is FetchOutcome.TLS_ERROR
    assert "mismatch" in (result.detail or "").lower() or "match" in (result.detail or "")


def test_an_untrusted_ca_is_a_tls_error(zone_dns: CachingSource, server: HttpsServer) -> None:
    result = fetch(zone_dns, server, f"https://web.fetch.test{P}", ca=False)
    assert result.outcome is FetchOutcome.TLS_ERROR


@pytest.mark.parametrize(
    ("url", "outcome", "detail"),
    [
        ("http://web.fetch.test/x", FetchOutcome.NOT_HTTPS, None),
        ("ftp://web.fetch.test/x", FetchOutcome.NOT_HTTPS, None),
        ("https://user:pw@web.fetch.test/x", FetchOutcome.BAD_URL, None),
        ("https://web.fetch.test:99999/x", FetchOutcome.BAD_URL, None),
        ("https:///x", FetchOutcome.BAD_URL, None),
        ("https://nx.fetch.test/x", FetchOutcome.DNS_FAILED, "NXDOMAIN"),
        ("https://noaddress.fetch.test/x", FetchOutcome.DNS_FAILED, "NODATA"),
    ],
)
def test_urls_that_are_never_requested(
    zone_dns: CachingSource,
    server: HttpsServer,
    url: str,
    outcome: FetchOutcome,
    detail: str | None,
) -> None:
    before = len(server.requests)
    result = fetch(zone_dns, server, url)
    assert (result.outcome, result.detail) == (outcome, detail)
    assert len(server.requests) == before


def test_a_closed_port_is_a_connect_failure(zone_dns: CachingSource, tmp_path: Path) -> None:
    from tests.support.knot import free_port

    fetcher = SafeFetcher(zone_dns, allow_private=True, port=free_port())
    result = asyncio.run(fetcher.fetch(f"https://web.fetch.test{P}", max_bytes=100))
    assert result.outcome is FetchOutcome.CONNECT_FAILED
    assert result.address == "127.0.0.1"

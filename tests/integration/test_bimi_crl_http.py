"""Mark certificate revocation through a CRL served over plain http (RFC 5280 distribution
points), end to end: the logo and certificate come from a real HTTPS server on 127.0.0.1
(trustme), the CRL from a real plain-HTTP server on 127.0.0.1 (http.server), both reached
through the guarded SafeFetcher. No mocks of httpx.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from tests.support.bimi_https import GOOD_SVG
from tests.support.https import HttpsServer, Reply, http_server, https_server
from tests.support.mark_certs import TestMva as Mva
from tests.support.mark_certs import make_crl, make_mark_cert, make_mva

from mailauth.dns.memory import MemorySource
from mailauth.domain.bimi import BimiReport, check_bimi
from mailauth.domain.bimi_assets import FetchingAssetChecker
from mailauth.domain.context import CheckContext, CheckOptions
from mailauth.fetch.interface import MAX_CRL_BYTES, FetchOutcome
from mailauth.fetch.safe import SafeFetcher
from mailauth.records.vmc import RevocationStatus

NOW = datetime.now(UTC)
REVOKED, GOOD = 0x5EED, 0x600D
WEB, CRL_HOST = "brand.crl.test", "crl.crl.test"


@pytest.fixture(scope="module")
def mva() -> Mva:
    return make_mva(now=NOW)


@pytest.fixture(scope="module")
def crl_server(mva: Mva) -> Iterator[HttpsServer]:
    crl = make_crl(mva, (REVOKED,), NOW)
    routes = {
        (CRL_HOST, "/mva.crl"): Reply(crl, content_type="application/pkix-crl"),
        (CRL_HOST, "/moved.crl"): Reply(status=302, headers=(("Location", "/mva.crl"),)),
        (CRL_HOST, "/huge.crl"): Reply(b"0" * (MAX_CRL_BYTES + 1)),
    }
    with http_server(routes) as running:
        yield running


def _cert(mva: Mva, crl_url: str, serial: int) -> bytes:
    return make_mark_cert(
        mva,
        domains=("example.com",),
        svg=GOOD_SVG,
        not_before=NOW - timedelta(days=30),
        not_after=NOW + timedelta(days=300),
        crl_url=crl_url,
        serial=serial,
    )


@pytest.fixture(scope="module")
def web(
    mva: Mva, crl_server: HttpsServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[HttpsServer]:
    base = f"http://{CRL_HOST}:{crl_server.port}"
    routes = {(WEB, "/logo.svg"): Reply(GOOD_SVG, content_type="image/svg+xml")}
    for name, path, serial in [
        ("good", "/mva.crl", GOOD),
        ("revoked", "/mva.crl", REVOKED),
        ("moved", "/moved.crl", REVOKED),
        ("huge", "/huge.crl", REVOKED),
    ]:
        routes[(WEB, f"/{name}.pem")] = Reply(_cert(mva, base + path, serial))
    with https_server([WEB], routes, tmp_path_factory.mktemp("crl-web")) as running:
        yield running


def _run(mva: Mva, web: HttpsServer, pem: str, *, allow_private: bool) -> BimiReport:
    record = f"v=BIMI1; l=https://{WEB}/logo.svg; a=https://{WEB}/{pem}.pem"
    dns = MemorySource(
        {
            "_dmarc.example.com": {"TXT": ["v=DMARC1; p=reject"]},
            "default._bimi.example.com": {"TXT": [record]},
            WEB: {"A": ["127.0.0.1"]},
            CRL_HOST: {"A": ["127.0.0.1"]},
        }
    )
    fetcher = SafeFetcher(
        dns, allow_private=allow_private, ca_file=web.ca_file, port=web.port, timeout=5.0
    )
    assets = FetchingAssetChecker.with_pem_roots(fetcher, (mva.root_pem,))
    context = CheckContext(dns, CheckOptions(), bimi_assets=assets, fetcher=fetcher)
    return asyncio.run(check_bimi(context, "example.com"))


def test_good_certificate_is_checked_against_the_http_crl(
    mva: Mva, web: HttpsServer, crl_server: HttpsServer
) -> None:
    r = _run(mva, web, "good", allow_private=True)
    revocation = r.certificate.revocation
    assert revocation is not None, r.certificate
    assert revocation.status is RevocationStatus.GOOD, revocation
    assert revocation.url == f"http://{CRL_HOST}:{crl_server.port}/mva.crl"
    assert "bimi.certificate-revoked" not in {f.id for f in r.findings}
    assert any(
        q["path"] == "/mva.crl" and q["host"].startswith(CRL_HOST) for q in crl_server.requests
    )


def test_revoked_certificate_is_found_through_the_http_crl(mva: Mva, web: HttpsServer) -> None:
    r = _run(mva, web, "revoked", allow_private=True)
    assert r.certificate.revocation is not None
    assert r.certificate.revocation.status is RevocationStatus.REVOKED
    assert "bimi.certificate-revoked" in {f.id for f in r.findings}


def test_loopback_crl_host_is_refused_without_the_flag(
    mva: Mva, web: HttpsServer, crl_server: HttpsServer
) -> None:
    """Without --allow-private-fetch the logo and certificate are refused too; the CRL step
    itself is shown refused by fetching it directly with the same vetting."""
    fetcher = SafeFetcher(
        MemorySource({CRL_HOST: {"A": ["127.0.0.1"]}}), allow_private=False, port=web.port
    )
    url = f"http://{CRL_HOST}:{crl_server.port}/mva.crl"
    before = len(crl_server.requests)
    result = asyncio.run(fetcher.fetch(url, max_bytes=MAX_CRL_BYTES, allow_http=True))
    assert (result.outcome, result.address) == (FetchOutcome.REFUSED_ADDRESS, "127.0.0.1")
    assert len(crl_server.requests) == before  # nothing reached the server
    r = _run(mva, web, "revoked", allow_private=False)
    assert "bimi.certificate-revoked" not in {f.id for f in r.findings}


def test_http_is_only_for_the_caller_that_asks(web: HttpsServer, crl_server: HttpsServer) -> None:
    fetcher = SafeFetcher(MemorySource({CRL_HOST: {"A": ["127.0.0.1"]}}), allow_private=True)
    url = f"http://{CRL_HOST}:{crl_server.port}/mva.crl"
    plain = asyncio.run(fetcher.fetch(url, max_bytes=MAX_CRL_BYTES))
    assert plain.outcome is FetchOutcome.NOT_HTTPS
    ok = asyncio.run(fetcher.fetch(url, max_bytes=MAX_CRL_BYTES, allow_http=True))
    assert ok.outcome is FetchOutcome.OK and ok.body.startswith(b"0")  # DER SEQUENCE
    moved = asyncio.run(
        fetcher.fetch(
            url.replace("mva", "moved"),
            max_bytes=MAX_CRL_BYTES,
            allow_http=True,
            allow_redirects=True,
        )
    )
    assert moved.outcome is FetchOutcome.REDIRECT  # never followed over http
    huge = asyncio.run(
        fetcher.fetch(url.replace("mva", "huge"), max_bytes=MAX_CRL_BYTES, allow_http=True)
    )
    assert huge.outcome is FetchOutcome.TOO_LARGE


def test_revocation_via_http_crl_in_a_directory(mva: Mva, tmp_path: Path) -> None:
    """--https-dir answers the http CRL URL from DIR/<host>/<path>, like an https one."""
    from mailauth.fetch.directory import DirectoryFetcher

    (tmp_path / WEB).mkdir()
    (tmp_path / CRL_HOST).mkdir()
    (tmp_path / WEB / "logo.svg").write_bytes(GOOD_SVG)
    (tmp_path / WEB / "revoked.pem").write_bytes(_cert(mva, f"http://{CRL_HOST}/mva.crl", REVOKED))
    (tmp_path / CRL_HOST / "mva.crl").write_bytes(make_crl(mva, (REVOKED,), NOW))
    dns = MemorySource(
        {
            "_dmarc.example.com": {"TXT": ["v=DMARC1; p=reject"]},
            "default._bimi.example.com": {
                "TXT": [f"v=BIMI1; l=https://{WEB}/logo.svg; a=https://{WEB}/revoked.pem"]
            },
        }
    )
    fetcher = DirectoryFetcher(tmp_path)
    assets = FetchingAssetChecker.with_pem_roots(fetcher, (mva.root_pem,))
    r = asyncio.run(
        check_bimi(
            CheckContext(dns, CheckOptions(), bimi_assets=assets, fetcher=fetcher), "example.com"
        )
    )
    assert r.certificate.revocation is not None
    assert r.certificate.revocation.status is RevocationStatus.REVOKED

"""The fetch seam: what a check asks for and what it gets back.

A fetch never raises. Every way it can go wrong is a `FetchOutcome`, so a check turns it into
a finding with the reason, and the offline directory and the live fetcher are
interchangeable: "not available offline" and "fetching is off" are outcomes of their own,
never confused with "missing" (a 404 from the real host).
"""

from __future__ import annotations

from enum import Enum
from typing import Protocol

from mailauth.frozen import frozen

# Response caps per kind of document (issue 11): a logo, a PEM chain, a policy file.
MAX_SVG_BYTES = 1024 * 1024
MAX_CERTIFICATE_BYTES = 200 * 1024
MAX_POLICY_BYTES = 64 * 1024
# A mark certificate's CRL (fetched over http when its distribution point says so, RFC 5280).
MAX_CRL_BYTES = 1024 * 1024
# Wall-clock budget of one fetch, connection and body included.
FETCH_TIMEOUT_SECONDS = 5.0


class FetchOutcome(str, Enum):
    OK = "ok"
    NOT_FOUND = "not-found"  # HTTP 404/410 from the real host
    HTTP_ERROR = "http-error"  # any other non-2xx status
    REDIRECT = "redirect"  # a 3xx where the spec allows none (location kept)
    TOO_LARGE = "too-large"  # the body exceeded max_bytes
    TIMEOUT = "timeout"
    NOT_HTTPS = "not-https"  # only https:// URLs are fetched
    BAD_URL = "bad-url"  # unparseable, userinfo, odd port, path escaping the directory
    DNS_FAILED = "dns-failed"  # the host did not resolve (the DNS detail is kept)
    REFUSED_ADDRESS = "refused-address"  # private/loopback/... without --allow-private-fetch
    CONNECT_FAILED = "connect-failed"
    TLS_ERROR = "tls-error"  # handshake or certificate verification failed
    NOT_AVAILABLE_OFFLINE = "not-available-offline"  # --https-dir has no file for the URL
    READ_FAILED = "read-failed"  # --https-dir has the file but it cannot be read
    DISABLED = "disabled"  # --no-fetch


@frozen
class FetchResult:
    """What came back for one URL.

    `offline` is True when the answer came from `--https-dir`: the body is the admin's file,
    and anything about the web server itself (its certificate, status, Content-Type) was not
    checked. `detail` is a short machine-oriented reason (an errno name, a status line, the
    refused address), never a sentence: the catalogue words it.
    """

    url: str
    outcome: FetchOutcome
    body: bytes = b""
    status: int | None = None
    content_type: str | None = None
    location: str | None = None
    address: str | None = None
    detail: str | None = None
    offline: bool = False

    @property
    def ok(self) -> bool:
        return self.outcome is FetchOutcome.OK


class Fetcher(Protocol):
    """Fetch one https URL with a size cap. `allow_redirects` is for the few documents whose
    spec allows them (never the MTA-STS policy, RFC 8461 §3.3).

    `allow_http` also accepts a plain http:// URL, with the same address vetting and caps and
    never a redirect. It exists for one caller only: a mark certificate's CRL, which RFC 5280
    distribution points serve over http (the CRL is signed, so transport security adds
    nothing to it). Everything else stays https only."""

    @property
    def offline(self) -> bool: ...

    async def fetch(
        self,
        url: str,
        *,
        max_bytes: int,
        allow_redirects: bool = False,
        allow_http: bool = False,
    ) -> FetchResult: ...


# `FetchResult.detail` of a DISABLED answer: why nothing was fetched.
DISABLED_BY_USER = "no-fetch"  # --no-fetch
DISABLED_OFFLINE = "offline"  # --zone without --https-dir: an offline run reaches no server


class DisabledFetcher:
    """`--no-fetch`: every URL is answered DISABLED, so the report says it was skipped.

    Also the fetcher of an offline run (`--zone`) without `--https-dir`: such a run must not
    go to the network, so it says "not fetched (offline)" (`reason=DISABLED_OFFLINE`, the
    answer's `detail`) rather than fetching."""

    def __init__(self, reason: str = DISABLED_BY_USER) -> None:
        self.reason = reason

    @property
    def offline(self) -> bool:
        return False

    async def fetch(
        self,
        url: str,
        *,
        max_bytes: int,
        allow_redirects: bool = False,
        allow_http: bool = False,
    ) -> FetchResult:
        return FetchResult(url=url, outcome=FetchOutcome.DISABLED, detail=self.reason)

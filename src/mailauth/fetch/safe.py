"""The live fetcher: one guarded https GET of a URL found in DNS.

What it guards against, and how (issue 11, "Safe fetching"):
- other schemes: only https:// (NOT_HTTPS), save plain http:// when the caller passes
  `allow_http` (a mark certificate's CRL only: same vetting and caps, never a redirect);
- SSRF: the host is resolved through the run's DnsSource and a private, loopback,
  link-local, multicast or reserved address is refused (REFUSED_ADDRESS, detail = the
  address) unless `allow_private` (`--allow-private-fetch`);
- DNS rebinding: the request goes to the vetted address itself, with the original name as
  TLS SNI, for certificate checking and in the Host header (httpx `sni_hostname`), so nothing
  resolves the name a second time;
- slow or huge answers: one wall-clock budget for the whole fetch (5 s), the body read as a
  stream and abandoned at `max_bytes + 1`, no compression (a small gzip body can inflate to
  gigabytes before any cap sees it);
- being steered: redirects are not followed unless the caller's spec allows them (REDIRECT
  with the location), and a followed one is vetted like the first URL; no cookies, no proxy
  or .netrc from the environment, a fixed User-Agent.
It never raises: every failure is a `FetchOutcome` with a short machine-oriented detail.

httpx and the public roots are loaded at the first connection, not when the fetcher is made
(issue 10, start-up): they cost ~140 ms of CPU, and most runs connect nowhere (no MTA-STS or
BIMI record, `--no-fetch` aside; a host with a refused address or no address at all).
"""

from __future__ import annotations

import asyncio
import ipaddress
import ssl
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from mailauth import __version__
from mailauth.dns.interface import DnsSource, Rcode
from mailauth.fetch.addresses import IPAddress, first_refused, resolve
from mailauth.fetch.interface import FETCH_TIMEOUT_SECONDS, FetchOutcome, FetchResult
from mailauth.names import to_alabel

if TYPE_CHECKING:
    import httpx

USER_AGENT = f"mailauth/{__version__}"
# Redirects followed where a spec allows them at all (never for the MTA-STS policy).
MAX_REDIRECTS = 3
_NOT_FOUND = (404, 410)


def ssl_context(ca_file: Path | None = None) -> ssl.SSLContext:
    """Verification against `ca_file` (PEM: tests, intranets) or certifi's public roots,
    the same everywhere whatever the machine's own store holds."""
    if ca_file is None:
        import certifi

        return ssl.create_default_context(cafile=certifi.where())
    return ssl.create_default_context(cafile=str(ca_file))


class _Target:
    """A URL taken apart: the name to resolve and to present (SNI, Host), or an IP literal."""

    def __init__(
        self,
        host: str,
        port: int | None,
        path: str,
        literal: IPAddress | None,
        scheme: str = "https",
    ):
        self.host, self.port, self.path, self.literal = host, port, path, literal
        self.scheme = scheme

    @property
    def default_port(self) -> int:
        return 443 if self.scheme == "https" else 80

    @property
    def host_header(self) -> str:
        shown = f"[{self.host}]" if ":" in self.host else self.host
        return shown if self.port in (None, self.default_port) else f"{shown}:{self.port}"


def _target(url: str, allow_http: bool = False) -> _Target | FetchOutcome:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return FetchOutcome.BAD_URL
    scheme = parts.scheme.lower()
    if scheme != "https" and not (allow_http and scheme == "http"):
        return FetchOutcome.NOT_HTTPS
    raw = (parts.hostname or "").rstrip(".")
    if not raw or parts.username is not None or parts.password is not None:
        return FetchOutcome.BAD_URL
    try:
        literal: IPAddress | None = ipaddress.ip_address(raw)
    except ValueError:
        literal = None
    if literal is None:
        try:
            raw = to_alabel(raw)
        except UnicodeError:
            return FetchOutcome.BAD_URL
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    if any(c in path for c in "\r\n\x00 ") or any(c in raw for c in "/\\@ "):
        return FetchOutcome.BAD_URL
    return _Target(raw, port, path, literal, scheme)


class SafeFetcher:
    """The `Fetcher` of a live run. `port` replaces 443 for URLs that name no port: for
    tests only (`--https-port`), where a local server cannot listen on 443.

    A `ca_file` is read at once, so that a file that is not PEM certificates is an input
    error before any query; the public roots (certifi's bundle, ~25 ms to load) are read
    at the first connection."""

    def __init__(
        self,
        dns: DnsSource,
        *,
        allow_private: bool = False,
        ca_file: Path | None = None,
        port: int | None = None,
        timeout: float = FETCH_TIMEOUT_SECONDS,
    ) -> None:
        self._dns = dns
        self._allow_private = allow_private
        self._ssl = ssl_context(ca_file) if ca_file is not None else None
        self._port = port
        self._timeout = timeout

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
        try:
            result = await asyncio.wait_for(
                self._follow(url, max_bytes, allow_redirects and not allow_http, allow_http),
                self._timeout,
            )
        except asyncio.TimeoutError:
            return FetchResult(url=url, outcome=FetchOutcome.TIMEOUT, detail=f"{self._timeout:g}s")
        except Exception as exc:  # never raises: an unforeseen failure is still an outcome
            return FetchResult(url=url, outcome=FetchOutcome.CONNECT_FAILED, detail=_name(exc))
        return replace(result, url=url)

    async def _follow(
        self, url: str, max_bytes: int, allow_redirects: bool, allow_http: bool = False
    ) -> FetchResult:
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            result = await self._once(current, max_bytes, allow_http)
            if result.outcome is not FetchOutcome.REDIRECT or not allow_redirects:
                return result
            current = urljoin(current, result.location or "")
        return replace(result, detail="too many redirects")

    async def _once(self, url: str, max_bytes: int, allow_http: bool = False) -> FetchResult:
        target = _target(url, allow_http)
        if isinstance(target, FetchOutcome):
            return FetchResult(url=url, outcome=target)
        if target.literal is not None:
            addresses: tuple[IPAddress, ...] = (target.literal,)
        else:
            resolved = await resolve(self._dns, target.host)
            if not resolved.addresses:
                rcode = resolved.rcode
                detail = "NODATA" if rcode is Rcode.NOERROR else rcode.value
                return FetchResult(url=url, outcome=FetchOutcome.DNS_FAILED, detail=detail)
            addresses = resolved.addresses
        if not self._allow_private:
            refused = first_refused(addresses)
            if refused is not None:
                return FetchResult(
                    url=url,
                    outcome=FetchOutcome.REFUSED_ADDRESS,
                    address=str(refused),
                    detail=str(refused),
                )
        last: FetchResult | None = None
        for address in addresses:
            last = await self._get(url, target, address, max_bytes)
            if last.outcome is not FetchOutcome.CONNECT_FAILED:
                return last
        assert last is not None  # addresses is never empty
        return last

    async def _get(
        self, url: str, target: _Target, address: IPAddress, max_bytes: int
    ) -> FetchResult:
        secure = target.scheme == "https"
        # The test-only port override (`--https-port`) stands in for 443, never for 80.
        default = (self._port or 443) if secure else 80
        port = target.port if target.port is not None else default
        shown = f"[{address}]" if address.version == 6 else str(address)
        direct = f"{target.scheme}://{shown}:{port}{target.path}"
        headers = {
            "Host": target.host_header,
            "User-Agent": USER_AGENT,
            "Accept-Encoding": "identity",
        }
        # SNI and certificate checking on the name; None for an IP literal (httpcore then
        # checks the certificate against the address).
        extensions = {"sni_hostname": target.host} if secure and target.literal is None else {}
        base = FetchResult(url=url, outcome=FetchOutcome.OK, address=str(address))
        import httpx  # here, not at the top: see the module docstring

        if self._ssl is None:
            self._ssl = ssl_context()
        try:
            async with (
                httpx.AsyncClient(
                    verify=self._ssl,
                    trust_env=False,
                    follow_redirects=False,
                    timeout=httpx.Timeout(self._timeout),
                ) as client,
                client.stream("GET", direct, headers=headers, extensions=extensions) as response,
            ):
                return await _read(base, response, max_bytes)
        except httpx.TimeoutException:
            return replace(base, outcome=FetchOutcome.TIMEOUT, detail=f"{self._timeout:g}s")
        except httpx.TransportError as exc:
            tls = _tls_error(exc)
            if tls is not None:
                return replace(base, outcome=FetchOutcome.TLS_ERROR, detail=tls)
            return replace(base, outcome=FetchOutcome.CONNECT_FAILED, detail=_name(exc))


async def _read(base: FetchResult, response: httpx.Response, max_bytes: int) -> FetchResult:
    status = response.status_code
    content_type = response.headers.get("content-type")
    got = replace(base, status=status, content_type=content_type)
    if 300 <= status < 400:
        location = response.headers.get("location")
        return replace(got, outcome=FetchOutcome.REDIRECT, location=location, detail=str(status))
    if status in _NOT_FOUND:
        return replace(got, outcome=FetchOutcome.NOT_FOUND, detail=str(status))
    if not 200 <= status < 300:
        return replace(got, outcome=FetchOutcome.HTTP_ERROR, detail=str(status))
    encoding = response.headers.get("content-encoding", "identity").strip().lower()
    if encoding not in ("", "identity"):
        return replace(got, outcome=FetchOutcome.HTTP_ERROR, detail=f"content-encoding {encoding}")
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        return replace(got, outcome=FetchOutcome.TOO_LARGE, detail=declared)
    body = bytearray()
    async for chunk in response.aiter_raw():
        body += chunk
        if len(body) > max_bytes:
            return replace(got, outcome=FetchOutcome.TOO_LARGE, detail=f">{max_bytes}")
    return replace(got, body=bytes(body))


def _tls_error(exc: BaseException) -> str | None:
    """The TLS failure under an httpx transport error (handshake, certificate), or None."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError):
            return seen.verify_message or "certificate verify failed"
        if isinstance(seen, ssl.SSLError):
            return seen.reason or type(seen).__name__
        seen = seen.__cause__ or seen.__context__
    text = str(exc)
    return text[:120] if "SSL" in text or "CERTIFICATE" in text else None


def _name(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0][:100]}" if text else type(exc).__name__

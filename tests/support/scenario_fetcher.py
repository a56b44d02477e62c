"""The fetcher every finding scenario runs with: tests/data/https/ through `DirectoryFetcher`,
plus a sidecar for what no file can say.

A scenario's policy or logo lives at `tests/data/https/<host>/<path>` and is read by the real
`--https-dir` code. A few findings are about the web server, not the file (a redirect, a
Content-Type, an address mailauth refuses); for those a sidecar `<path>.http` says what the
server answered, as `key: value` lines:

    status: 301                      a redirect (with location:), or an error status (404)
    location: https://elsewhere/...
    content-type: text/html          the file is served live with this media type
    refused: 127.0.0.1               the host resolves to this non-public address

This is a stand-in for an edge case of the scenario tables only: the same outcomes come from
a real HTTPS server on loopback in tests/unit/fetch/test_safe_fetcher.py and
tests/integration/test_mta_sts_live.py.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from mailauth.fetch.directory import DirectoryFetcher
from mailauth.fetch.interface import FetchOutcome, FetchResult

HTTPS_DATA = Path(__file__).resolve().parents[1] / "data" / "https"


class ScenarioFetcher:
    def __init__(self, root: Path = HTTPS_DATA) -> None:
        self._directory = DirectoryFetcher(root)

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
        where = self._directory.path_for(url, allow_http=allow_http)
        sidecar = where.with_name(where.name + ".http") if isinstance(where, Path) else None
        if sidecar is None or not sidecar.is_file():
            return await self._directory.fetch(url, max_bytes=max_bytes, allow_http=allow_http)
        said = _fields(sidecar)
        if "refused" in said:
            address = said["refused"]
            return FetchResult(
                url=url, outcome=FetchOutcome.REFUSED_ADDRESS, address=address, detail=address
            )
        status = int(said.get("status", "200"))
        if 300 <= status < 400:
            return FetchResult(
                url=url,
                outcome=FetchOutcome.REDIRECT,
                status=status,
                location=said.get("location"),
                detail=str(status),
            )
        if status >= 400:
            outcome = FetchOutcome.NOT_FOUND if status in (404, 410) else FetchOutcome.HTTP_ERROR
            return FetchResult(url=url, outcome=outcome, status=status, detail=str(status))
        result = await self._directory.fetch(url, max_bytes=max_bytes)
        # Served "live": the web server's answer (its Content-Type) is part of the result.
        return replace(result, offline=False, status=status, content_type=said.get("content-type"))


def _fields(path: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        key, _, value = line.partition(":")
        if key.strip():
            out[key.strip().lower()] = value.strip()
    return out

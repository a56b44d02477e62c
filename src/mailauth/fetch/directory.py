"""`--https-dir DIR`: answer https fetches from `DIR/<host>/<path>`, like `--zone` for DNS.

An admin lints the logo, the mark certificate and the MTA-STS policy before uploading them,
and CI runs with no network. A URL without a file is NOT_AVAILABLE_OFFLINE (the file may well
exist on the real server), never "missing". Only regular files strictly inside DIR are read:
`..`, symlinks out of the tree, device files and over-size files are refused.
"""

from __future__ import annotations

import errno
import stat
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from mailauth.fetch.interface import FetchOutcome, FetchResult


class DirectoryFetcher:
    def __init__(self, root: Path) -> None:
        self._root = root.resolve()

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
        return self.read(url, max_bytes=max_bytes, allow_http=allow_http)

    def path_for(self, url: str, *, allow_http: bool = False) -> Path | FetchOutcome:
        """The file that answers `url`, or why there can be none. An http:// URL (a CRL,
        `allow_http`) is looked up in the same `DIR/<host>/<path>` layout as https."""
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError:
            return FetchOutcome.BAD_URL
        scheme = parts.scheme.lower()
        if scheme != "https" and not (allow_http and scheme == "http"):
            return FetchOutcome.NOT_HTTPS
        default_port = 443 if scheme == "https" else 80
        host = (parts.hostname or "").rstrip(".").lower()
        if not host or parts.username or parts.password or port not in (None, default_port):
            return FetchOutcome.BAD_URL
        relative = PurePosixPath(unquote(parts.path or "/"))
        pieces = [p for p in relative.parts if p not in ("/", "")]
        if not pieces or any(p in (".", "..") or "\x00" in p for p in pieces) or "/" in host:
            return FetchOutcome.BAD_URL
        candidate = self._root.joinpath(host, *pieces)
        try:
            resolved = candidate.resolve()
        except (OSError, RuntimeError):
            return FetchOutcome.BAD_URL
        if not resolved.is_relative_to(self._root):
            return FetchOutcome.BAD_URL
        return resolved

    def read(self, url: str, *, max_bytes: int, allow_http: bool = False) -> FetchResult:
        where = self.path_for(url, allow_http=allow_http)
        if isinstance(where, FetchOutcome):
            return FetchResult(url=url, outcome=where, offline=True)
        try:
            info = where.stat()
        except FileNotFoundError:
            return FetchResult(url=url, outcome=FetchOutcome.NOT_AVAILABLE_OFFLINE, offline=True)
        except OSError as exc:
            return _error(url, exc)
        if not stat.S_ISREG(info.st_mode):
            # A directory at the path or a device: nothing an admin would upload.
            return FetchResult(url=url, outcome=FetchOutcome.NOT_AVAILABLE_OFFLINE, offline=True)
        if info.st_size > max_bytes:
            return FetchResult(
                url=url, outcome=FetchOutcome.TOO_LARGE, detail=str(info.st_size), offline=True
            )
        try:
            with where.open("rb") as handle:
                body = handle.read(max_bytes + 1)
        except OSError as exc:
            return _error(url, exc)
        if len(body) > max_bytes:
            return FetchResult(url=url, outcome=FetchOutcome.TOO_LARGE, offline=True)
        return FetchResult(url=url, outcome=FetchOutcome.OK, body=body, offline=True)


def _error(url: str, exc: OSError) -> FetchResult:
    name = errno.errorcode.get(exc.errno or 0, type(exc).__name__)
    return FetchResult(url=url, outcome=FetchOutcome.READ_FAILED, detail=name, offline=True)

"""`check`'s options for https fetches (issue 11): where the BIMI logo, the mark certificate
and the MTA-STS policy come from, handed to the command as ONE `fetch: FetchSettings`.

Which fetcher a run gets:
- `--no-fetch`: none is fetched, and the report says so;
- `--https-dir DIR`: files from `DIR/<host>/<path>` (offline, like --zone for DNS);
- `--zone` without `--https-dir`: an offline run reaches no server, so nothing is fetched
  and the report says "not fetched (offline)";
- otherwise the live, guarded fetcher: names resolved through the run's DnsSource, private
  addresses refused unless `--allow-private-fetch`, certificates checked against the public
  roots or `--fetch-ca-file`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

import click

from mailauth.cli.localize import language, option
from mailauth.cli.options import F, _grouped
from mailauth.frozen import frozen
from mailauth.i18n import label

if TYPE_CHECKING:
    from mailauth.dns.interface import DnsSource
    from mailauth.fetch.interface import Fetcher


@frozen
class FetchSettings:
    https_dir: Path | None = None
    allow_private: bool = False
    no_fetch: bool = False
    ca_file: Path | None = None
    port: int | None = None
    mark_roots: tuple[bytes, ...] = ()

    def build(self, dns: DnsSource, *, offline: bool) -> Fetcher:
        """The run's fetcher; `offline`: DNS answers come from zone files (--zone)."""
        from mailauth.fetch.interface import (
            DISABLED_BY_USER,
            DISABLED_OFFLINE,
            DisabledFetcher,
        )

        if self.no_fetch:
            return DisabledFetcher(DISABLED_BY_USER)
        if self.https_dir is not None:
            from mailauth.fetch.directory import DirectoryFetcher

            return DirectoryFetcher(self.https_dir)
        if offline:
            return DisabledFetcher(DISABLED_OFFLINE)
        import ssl

        from mailauth.fetch.safe import SafeFetcher

        try:
            return SafeFetcher(
                dns, allow_private=self.allow_private, ca_file=self.ca_file, port=self.port
            )
        except (ssl.SSLError, OSError) as exc:  # not PEM, no certificate in it, unreadable
            message = label("error.fetch-ca-file", language(), path=str(self.ca_file))
            raise click.BadParameter(message, param_hint="--fetch-ca-file") from exc


def _settings(
    https_dir: Path | None,
    allow_private_fetch: bool,
    no_fetch: bool,
    fetch_ca_file: Path | None,
    https_port: int | None,
    mark_root: tuple[Path, ...],
) -> FetchSettings:
    if no_fetch and https_dir is not None:
        raise click.UsageError(label("error.no-fetch-with-https-dir", language()))
    roots = tuple(_mark_root(path) for path in mark_root)
    return FetchSettings(https_dir, allow_private_fetch, no_fetch, fetch_ca_file, https_port, roots)


def _mark_root(path: Path) -> bytes:
    """A PEM certificate to trust as a Mark Verifying Authority root: refused at once when
    it is not one, rather than silently trusting nothing."""
    from cryptography import x509

    pem = path.read_bytes()
    try:
        x509.load_pem_x509_certificate(pem)
    except ValueError as exc:
        message = label("error.mark-root", language(), path=str(path))
        raise click.BadParameter(message, param_hint="--mark-root") from exc
    return pem


_OPTIONS = (
    option(
        "--https-dir",
        metavar="DIR",
        type=click.Path(exists=True, file_okay=False, readable=True, path_type=Path),
        help_key="cli.option.https-dir",
    ),
    option("--allow-private-fetch", is_flag=True, help_key="cli.option.allow-private-fetch"),
    option("--no-fetch", is_flag=True, help_key="cli.option.no-fetch"),
    option(
        "--fetch-ca-file",
        metavar="PEM",
        type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path),
        help_key="cli.option.fetch-ca-file",
    ),
    option(
        "--https-port",
        type=click.IntRange(1, 65535),
        default=None,
        metavar="PORT",
        help_key="cli.option.https-port",
    ),
    option(
        "--mark-root",
        multiple=True,
        metavar="PEM",
        type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path),
        help_key="cli.option.mark-root",
    ),
)

_fetch_options = _grouped("fetch", _settings, _OPTIONS)


def fetch_options(command: F) -> F:
    """--https-dir, --allow-private-fetch, --no-fetch, --fetch-ca-file, --https-port,
    --mark-root -> `fetch: FetchSettings`."""
    return cast(F, _fetch_options(command))

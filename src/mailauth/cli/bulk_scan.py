"""What `mailauth check` adds for a scan over a list: --shard, --resume, --qps and the
manifest beside the output (issue 13, bulk scans; docs/bulk.md).

`check` stays the command it was; this module takes its parsed options and the list of
names and returns a `BulkScan`: the names still to do (this shard's, minus those the output
file already holds), the output plan adjusted to append, the manifest, and the hooks the
report loop calls. Validation happens here, before any query: `--resume` without an output
file, with a format that cannot be resumed or with several outputs is an exit-2 error, as
is a file that is not a scan's output.
"""

from __future__ import annotations

import hashlib
import math
import signal
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import replace
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from mailauth.cli.exit_status import INTERRUPTED
from mailauth.cli.localize import language
from mailauth.cli.options import DnsSettings, OutputSettings
from mailauth.dns.interface import DnsSource
from mailauth.errors import InputError
from mailauth.frozen import mutable
from mailauth.i18n import label
from mailauth.render.environment import Environment
from mailauth.render.interface import Format
from mailauth.render.output import Destination, Opener
from mailauth.scan.runner import StopSignal, graceful_stop

if TYPE_CHECKING:  # a scan's files (--resume, --shard, -o FILE): imported when used
    from mailauth.scan.manifest import Manifest
    from mailauth.scan.shard import Shard

# With --qps, domains in flight are capped at qps / 4: a domain asks ~5-45 queries in a few
# rounds, so this keeps the rate busy while a domain's queries wait at most a few seconds
# for their turn (the wait counts against --domain-deadline).
QPS_PER_DOMAIN_IN_FLIGHT = 4.0
TERM_EXIT = 143  # 128 + SIGTERM


def line_outputs(output: OutputSettings) -> list[tuple[Format, Path]]:
    """The outputs written in place, a line per report (jsonl, csv to a file)."""
    files = [(f, p) for f, p in output.outputs if p is not None]
    if not files:  # the report goes to stdout: no scan file to read (start-up, issue 10)
        return []
    from mailauth.scan.resume import RESUMABLE

    return [(f, p) for f, p in files if f in RESUMABLE]


@mutable
class BulkScan:
    """One scan over a list, as `bulk_scan` set it up: the names to do, the outputs, the
    manifest, and the hooks the report loop calls. (A docstring also spares `@mutable`
    writing one from the signature, which would compile `__init__` at import: issue 10.)"""

    todo: list[str]  # the names to check in this run
    total: int  # this shard's domains (done before plus to do)
    done_before: int  # reports already in the output file (--resume)
    plan: list[tuple[Opener[Any], Destination]]
    manifest: Manifest | None
    target: Path | None  # the file --resume continues (the first line output)
    emitted: int = 0

    @property
    def graceful(self) -> bool:
        """A scan whose results survive an interrupt: Ctrl-C stops it gracefully."""
        return self.target is not None

    def begin(self, source: object) -> None:
        """The run starts (its DNS source built): write the manifest's first version."""
        if self.manifest is not None:
            self.manifest.dns["resolvers"] = resolvers_of(source)
            try:
                self.manifest.begin(self.done_before)
            except OSError as exc:
                self._manifest_error(exc)

    def interrupted(self, env: Environment, stop: StopSignal) -> int:
        """After a graceful stop: the manifest says so, one line says how to go on, and the
        exit status is the signal's (130 for Ctrl-C, 143 for SIGTERM)."""
        from mailauth.cli.errors import print_error

        self.end(interrupted=True)
        done = self.done_before + self.emitted
        message = label(
            "error.scan-interrupted",
            env.lang,
            done=done,
            total=self.total,
            path=str(self.target),
        )
        print_error(env, message)
        return TERM_EXIT if stop.signum == signal.SIGTERM else INTERRUPTED

    def advance(self) -> None:
        self.emitted += 1
        if self.manifest is not None:
            self.manifest.progress(self.done_before + self.emitted)

    def end(self, *, interrupted: bool) -> None:
        if self.manifest is not None:
            self.manifest.progress(self.done_before + self.emitted)
            try:
                self.manifest.end(interrupted=interrupted)
            except OSError as exc:
                self._manifest_error(exc)

    def _manifest_error(self, exc: OSError) -> None:
        from mailauth.errors import os_reason

        assert self.manifest is not None
        path = str(self.manifest.path)
        raise InputError("error.manifest", path=path, reason=os_reason(exc)) from None


class ScanStopped(Exception):
    """The scan stopped on a signal after writing what had finished."""


@asynccontextmanager
async def stopping(scan: BulkScan, stop: StopSignal) -> AsyncIterator[None]:
    """Around the report loop of a scan that writes in place: Ctrl-C and SIGTERM stop it
    gracefully; then ScanStopped leaves the outputs (files written in place keep every
    report, others are discarded as on any interrupt)."""
    if not scan.graceful:
        yield
        return
    with graceful_stop(stop):
        yield
    if stop.stopped:
        raise ScanStopped


def prepare(
    names: Sequence[str],
    *,
    output: OutputSettings,
    plan: list[tuple[Opener[Any], Destination]],
    resume: bool,
    shard: Shard | None,
    domains_file: str | None,
    file_digest: str | None,
    dns: DnsSettings,
    params: Mapping[str, Any],
) -> BulkScan:
    """Shard, resume and the manifest for a run over `names` (A-labels, duplicates gone)."""
    lang = language()
    lines = line_outputs(output)
    if resume:
        if not any(p is not None for _, p in output.outputs):
            raise click.UsageError(label("error.resume.no-output", lang))
        if len(output.outputs) != 1 or not lines:
            raise click.UsageError(label("error.resume.format", lang))
    chosen = shard.select(names) if shard is not None else list(names)
    target = lines[0][1] if lines else None
    done_before, todo = 0, chosen
    if resume and target is not None:
        from mailauth.scan.resume import read_done

        point = read_done(target, lines[0][0])
        done_before = point.reports
        if point.done:
            todo = [n for n in chosen if n not in point.done]
        if point.existed and point.reports + int(point.has_header) > 0:
            opener, dest = plan[0]
            plan = [(opener, replace(dest, append=True, skip_first_line=point.has_header))]
    manifest = None
    if target is not None:
        from mailauth.scan.manifest import Manifest, ScanInput, manifest_path

        digest = hashlib.sha256("".join(f"{n}\n" for n in names).encode()).hexdigest()
        mpath = manifest_path(target)
        runs, old = Manifest.previous_runs(mpath) if resume else ([], {})
        if resume and old and old.get("shard") != (str(shard) if shard else None):
            raise InputError(
                "error.resume.shard",
                path=str(mpath),
                old=str(old.get("shard")),
                new=str(shard) if shard else "None",
            )
        then_options = old.get("options") if old else None
        checks_then = then_options.get("checks") if isinstance(then_options, dict) else None
        checks_now = _jsonable(params.get("checks"))
        if resume and old and _checks_words(checks_then) != _checks_words(checks_now):
            raise InputError(
                "error.resume.checks",
                path=str(mpath),
                old=_checks_words(checks_then),
                new=_checks_words(checks_now),
            )
        from mailauth import __version__

        manifest = Manifest(
            path=mpath,
            output=target,
            output_format=lines[0][0].value,
            scan_input=ScanInput(domains_file, file_digest, len(names), digest),
            domains=len(chosen),
            shard=str(shard) if shard is not None else None,
            dns=_dns_facts(dns),
            options=_jsonable(params),
            version=__version__,
            runs=runs,
        )
        if isinstance(old.get("started_at"), str):
            manifest.started_at = old["started_at"]
    return BulkScan(todo, len(chosen), done_before, plan, manifest, target)


def limit_rate(source: DnsSource, qps: float | None) -> DnsSource:
    """Put the --qps limiter under the run's answer cache (cached answers send nothing)."""
    if qps is None:
        return source
    from mailauth.dns.cache import CachingSource
    from mailauth.dns.ratelimit import RateLimitedSource

    if isinstance(source, CachingSource):
        source.inner = RateLimitedSource(source.inner, qps)
        return source
    return RateLimitedSource(source, qps)


def concurrency_for(concurrency: int, qps: float | None) -> int:
    if qps is None:
        return concurrency
    return max(1, min(concurrency, math.ceil(qps / QPS_PER_DOMAIN_IN_FLIGHT)))


def resolvers_of(source: object) -> list[str]:
    """The nameservers a live source asks ("host:port"), found down the wrappers."""
    seen = 0
    while source is not None and seen < 20:
        servers = getattr(source, "nameservers", None)
        if isinstance(servers, list):
            return [f"[{h}]:{p}" if ":" in str(h) else f"{h}:{p}" for h, p in servers]
        source = getattr(source, "inner", None)
        seen += 1
    return []


def _dns_facts(dns: DnsSettings) -> dict[str, Any]:
    return {
        "zones": [str(z) for z in dns.zones],
        "nameservers": list(dns.nameservers),
        "system_resolvers": not dns.zones and not dns.nameservers,
        "timeout": dns.timeout,
        "retries": dns.retries,
    }


def _checks_words(value: Any) -> str:
    """A manifest's `--checks` (a sorted list; None: not given) as one comparable word list:
    `all` for every check, as `--checks all` and no option both mean."""
    from mailauth.domain.profile import check_names

    if not isinstance(value, list) or not value or set(value) >= set(check_names()):
        return "all"
    return ",".join(str(v) for v in value)


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (set, frozenset)):  # --checks: in a stable order
        return sorted(str(v) for v in value)
    if isinstance(value, Enum):
        return _jsonable(value.value)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)

"""`mailauth report INPUT...`: read DMARC aggregate and failure reports, keep them
(`--db`), and say who sends as the domain, what fails, and whether p=reject is safe.

Thin on purpose: options in, `mailauth.report.run.run_report` does the work, the writers
render. Parsers, SQLite and rich are imported when the command runs (start-up stays fast).
"""

from __future__ import annotations

import re
import time
from datetime import datetime, timezone
from pathlib import Path

import click

from mailauth.cli.command import run
from mailauth.cli.exit_status import ExitStatus
from mailauth.cli.localize import LocalizedCommand, language, option
from mailauth.cli.options import DnsSettings, OutputSettings, dns_options, unjudged_output_options
from mailauth.errors import MailauthError
from mailauth.i18n import label
from mailauth.render.environment import Environment
from mailauth.render.registry import report_formats

_DURATION = re.compile(r"^\s*(\d+)\s*([hdw])\s*$", re.IGNORECASE)
_UNIT = {"h": 3600, "d": 86400, "w": 7 * 86400}


class ReportStoreError(MailauthError):
    key = "error.report-store"


class NothingReadError(MailauthError):
    key = "error.report-nothing-read"


def parse_since(value: str, now: float | None = None) -> int:
    """--since: a duration back from now (30d, 12h, 2w) or a UTC date (YYYY-MM-DD)."""
    match = _DURATION.match(value)
    if match:
        now = time.time() if now is None else now
        return int(now - int(match.group(1)) * _UNIT[match.group(2).lower()])
    try:
        day = datetime.strptime(value.strip(), "%Y-%m-%d").replace(tzinfo=timezone.utc)
    except ValueError:
        raise click.BadParameter(label("error.report-since", language(), value=value)) from None
    return int(day.timestamp())


def _freeze_at_exit() -> None:
    """What `cli.asyncrun.run_async` does for a command with an event loop: the objects
    left at exit are frozen, so the interpreter's last collections do not walk them."""
    import atexit
    import gc

    atexit.register(gc.freeze)


def _since(ctx: click.Context, param: click.Parameter, value: str | None) -> int | None:
    return None if value is None else parse_since(value)


def _domain(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    from mailauth.names import to_alabel

    try:
        return to_alabel(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@click.command(cls=LocalizedCommand)  # help: cli.report.help, .short-help, .epilog
@click.argument("inputs", nargs=-1, metavar="[INPUT]...")
@option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help_key="cli.option.report-db",
)
@option("--since", callback=_since, metavar="WHEN", help_key="cli.option.report-since")
@option("--domain", callback=_domain, metavar="DOMAIN", help_key="cli.option.report-domain")
@option("--no-resolve", is_flag=True, help_key="cli.option.no-resolve")
@dns_options
@unjudged_output_options(report_formats)
@click.pass_context
def report(
    ctx: click.Context,
    inputs: tuple[str, ...],
    db: Path | None,
    since: int | None,
    domain: str | None,
    no_resolve: bool,
    dns: DnsSettings,
    output: OutputSettings,
) -> None:
    if not inputs and db is None:
        raise click.UsageError(label("error.report-no-input", language(ctx)))

    def work(env: Environment) -> int:
        from mailauth.render.output import Outputs
        from mailauth.report.run import run_report, run_report_offline
        from mailauth.report.store import SqliteStore, StoreError

        output.refuse_inputs([*inputs, *dns.zones, *([db] if db else [])])
        source = None if no_resolve else dns.build()
        try:
            store = SqliteStore(db)
        except StoreError as exc:
            reason = label(f"report.store.{exc.key}", env.lang, value=exc.value)
            raise ReportStoreError(path=str(db), reason=reason) from None
        try:
            stdin = click.get_binary_stream("stdin") if "-" in inputs else None
            if source is None:  # --no-resolve: no event loop, no asyncio import
                _freeze_at_exit()
                analysis, summary = run_report_offline(
                    store, inputs, since=since, domain=domain, stdin=stdin
                )
            else:
                from mailauth.cli.asyncrun import run_async

                analysis, summary = run_async(
                    run_report(store, inputs, source, since=since, domain=domain, stdin=stdin)
                )
        finally:
            store.close()
        with Outputs(env, output.plan(report_formats), 1) as out:
            out.emit(analysis)
        if inputs and not summary.anything_read:
            raise NothingReadError(count=len(inputs))
        return ExitStatus.OK

    run(ctx, output, work)

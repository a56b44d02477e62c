"""`mailauth check DOMAIN...`: the domain report.

Reports stream: each domain's report is written (to every --format/-o output) as soon as it
and the ones before it are done, and is not kept afterwards, so a run over thousands of
domains shows its first report at once and holds flat memory. The exit status is judged as
the reports go by.

The checks, the DNS code and the renderers are imported when the command runs, not when the
CLI starts: `mailauth --help` and `--version` stay fast (bench/startup.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from mailauth.cli.command import run
from mailauth.cli.exit_status import decide
from mailauth.cli.fetch_options import FetchSettings, fetch_options
from mailauth.cli.localize import LocalizedCommand, option
from mailauth.cli.options import (
    DEFAULT_DEADLINE,
    DnsSettings,
    OutputSettings,
    dns_options,
    output_options,
)
from mailauth.render.environment import Environment
from mailauth.render.registry import domain_formats

if TYPE_CHECKING:
    from mailauth.domain.context import SmtpOptions


@click.command(cls=LocalizedCommand)  # help: cli.check.help, .short-help, .epilog
@click.argument("domains", nargs=-1, required=True, metavar="DOMAIN...")
@option(
    "--selector",
    "selectors",
    multiple=True,
    metavar="SELECTOR",
    help_key="cli.option.selector",
)
@option(
    "--bimi-selector",
    default="default",
    show_default=True,
    metavar="SELECTOR",
    help_key="cli.option.bimi-selector",
)
@option(
    "--db",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    metavar="FILE",
    help_key="cli.option.check-db",
)
@option(
    "--domain-deadline",
    type=click.FloatRange(min=0),
    default=DEFAULT_DEADLINE,
    show_default=True,
    metavar="SECONDS",
    help_key="cli.option.domain-deadline",
)
@option(
    "--trust-anchor",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="FILE",
    help_key="cli.option.trust-anchor",
)
@option("--trust-resolver-ad", is_flag=True, help_key="cli.option.trust-resolver-ad")
@option("--smtp", is_flag=True, help_key="cli.option.smtp")
@option(
    "--smtp-port",
    type=click.IntRange(1, 65535),
    default=25,
    show_default=True,
    metavar="PORT",
    help_key="cli.option.smtp-port",
)
@option(
    "--smtp-timeout",
    type=click.FloatRange(min=0.1),
    default=10.0,
    show_default=True,
    metavar="SECONDS",
    help_key="cli.option.smtp-timeout",
)
@option(
    "--ca-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="FILE",
    help_key="cli.option.ca-file",
)
@dns_options
@fetch_options
@output_options(domain_formats)
@click.pass_context
def check(
    ctx: click.Context,
    domains: tuple[str, ...],
    selectors: tuple[str, ...],
    bimi_selector: str,
    db: Path | None,
    domain_deadline: float,
    trust_anchor: Path | None,
    trust_resolver_ad: bool,
    smtp: bool,
    smtp_port: int,
    smtp_timeout: float,
    ca_file: Path | None,
    dns: DnsSettings,
    fetch: FetchSettings,
    output: OutputSettings,
) -> None:
    def work(env: Environment) -> int:
        from mailauth.cli.asyncrun import run_async
        from mailauth.dns.trust_anchor import load_anchors
        from mailauth.domain.context import CheckOptions
        from mailauth.domain.runner import iter_domain_reports
        from mailauth.render.output import Outputs

        inputs = [*dns.zones, *([trust_anchor] if trust_anchor else [])]
        output.refuse_inputs([*inputs, *([db] if db is not None else [])])
        anchors = load_anchors(trust_anchor) if trust_anchor is not None else None
        probe = _smtp_options(smtp, smtp_port, smtp_timeout, ca_file)
        reported = _reported_selectors(db, domains) if db is not None else ()
        options = CheckOptions(
            selectors=selectors,
            bimi_selector=bimi_selector,
            trust_anchors=anchors,
            trust_resolver=trust_resolver_ad,
            smtp=probe,
            mark_roots=fetch.mark_roots,
            reported_selectors=reported,
        )
        failed = no_verdict = False

        # Zone files load before the loop starts: Ctrl-C during a long load ends the run
        # at once (issue 9, item 12).
        source = dns.build()
        fetcher = fetch.build(source, offline=bool(dns.zones))

        async def stream() -> None:
            nonlocal failed, no_verdict
            deadline = domain_deadline or None  # 0: no deadline per domain
            reports = iter_domain_reports(
                source, domains, options, deadline=deadline, fetcher=fetcher
            )
            with Outputs(env, output.plan(domain_formats), len(domains)) as out:
                async for report in reports:
                    out.emit(report)
                    judged = output.threshold.fails(
                        report.score, report.findings, complete=report.complete
                    )
                    failed = failed or judged
                    no_verdict = no_verdict or bool(report.errors)

        run_async(stream())
        return decide(no_verdict=no_verdict, threshold_failed=failed)

    run(ctx, output, work)


def _smtp_options(
    smtp: bool, port: int, timeout: float, ca_file: Path | None
) -> SmtpOptions | None:
    """`--smtp` settings; a CA file that does not load is an input error before any probe."""
    from mailauth.domain.context import SmtpOptions
    from mailauth.domain.smtp_cert import load_roots
    from mailauth.errors import InputError

    if not smtp:
        return None
    if ca_file is not None:
        try:
            roots = load_roots(str(ca_file))
        except (OSError, ValueError) as exc:
            raise InputError("error.ca-file", path=str(ca_file), reason=str(exc)) from None
        if not roots:
            raise InputError("error.ca-file", path=str(ca_file), reason="no certificate in it")
    return SmtpOptions(port=port, timeout=timeout, ca_file=str(ca_file) if ca_file else None)


def _reported_selectors(
    db: Path, domains: tuple[str, ...]
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """DKIM selectors that signed each domain's mail in the report store `db` (issue 12)."""
    from mailauth.cli.report import ReportStoreError
    from mailauth.domain.names import normalize_domain
    from mailauth.errors import MailauthError
    from mailauth.i18n import label
    from mailauth.report.store import SqliteStore, StoreError

    try:
        store = SqliteStore(db)
    except StoreError as exc:
        reason = label(f"report.store.{exc.key}", "en", value=exc.value)
        raise ReportStoreError(path=str(db), reason=reason) from None
    try:
        out = []
        for name in domains:
            try:
                domain = normalize_domain(name)
            except (ValueError, MailauthError):
                continue  # the runner reports the invalid name
            out.append((domain, tuple(store.selectors(domain))))
        return tuple(out)
    finally:
        store.close()

"""`mailauth check DOMAIN...`: the domain report.

Reports stream: each domain's report is written (to every --format/-o output) as soon as it
and the ones before it are done, and is not kept afterwards, so a run over thousands of
domains shows its first report at once and holds flat memory. The exit status is judged as
the reports go by.

Bulk runs (issue 10): `--domains-file FILE` adds a list of domains (docs/bulk.md), at most
`--concurrency` domains are in flight at once over one shared DNS source (whose sockets and
queries in flight are capped, so a list of 10,000 runs under `ulimit -n 1024`), and a
progress bar is drawn on a terminal (`cli/progress.py`). `--dkim-selectors` chooses the DKIM
selectors guessed for each domain: the common list, none (SPF/DMARC surveys), or a file.

The checks, the DNS code and the renderers are imported when the command runs, not when the
CLI starts: `mailauth --help` and `--version` stay fast (bench/startup.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from mailauth.cli.bulk_options import shard_option
from mailauth.cli.ci_options import (
    CiSettings,
    chosen_domains,
    chosen_selectors,
    ci_options,
    final_status,
)
from mailauth.cli.command import run, with_run
from mailauth.cli.entry import start_up_done
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
from mailauth.cli.profile_option import checks_option
from mailauth.render.environment import Environment
from mailauth.render.registry import domain_formats

if TYPE_CHECKING:
    from mailauth.domain.context import SmtpOptions
    from mailauth.domain.first_round import StartedCheck
    from mailauth.scan.shard import Shard

# Domains in flight at once (`--concurrency`). Each domain's checks ask ~10-50 queries, all
# sharing one source whose queries in flight are capped (dns/live.py), so this is about
# keeping the resolver busy, not about sockets. 100 keeps ~500 queries in flight at a 50 ms
# round trip (bench/README.md); more mostly queues behind that cap.
DEFAULT_CONCURRENCY = 100
MAX_CONCURRENCY = 10_000
MAX_QPS = 1_000_000.0
# Turns of the event loop given to the lead chains of a single check before each module of
# the other checks loads: enough for an answer already read to reach its check and the
# next lookups to leave (~6 turns), a fraction of a millisecond when nothing has arrived.
LEAD_TURNS = 8


@click.command(cls=LocalizedCommand)  # help: cli.check.help, .short-help, .epilog
@click.argument("domains", nargs=-1, required=False, metavar="DOMAIN...")
@option(
    "--domains-file",
    "domains_file",
    metavar="FILE",
    help_key="cli.option.domains-file",
)
@option(
    "--concurrency",
    type=click.IntRange(min=1, max=MAX_CONCURRENCY),
    default=DEFAULT_CONCURRENCY,
    show_default=True,
    metavar="N",
    help_key="cli.option.concurrency",
)
@option(
    "--dkim-selectors",
    "dkim_selectors",
    default="common",
    show_default=True,
    metavar="common|none|FILE",
    help_key="cli.option.dkim-selectors",
)
@option(
    "--checks",
    "checks",
    default=None,
    metavar="LIST",
    callback=checks_option,
    help_key="cli.option.checks",
)
@option(
    "--shard",
    metavar="K/N",
    callback=shard_option,
    help_key="cli.option.shard",
)
@option("--resume", is_flag=True, help_key="cli.option.resume")
@option(
    "--qps",
    type=click.FloatRange(min=0, min_open=True, max=MAX_QPS),
    default=None,
    metavar="N",
    help_key="cli.option.qps",
)
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
@ci_options
@click.pass_context
def check(
    ctx: click.Context,
    domains: tuple[str, ...],
    domains_file: str | None,
    concurrency: int,
    dkim_selectors: str,
    checks: frozenset[str] | None,
    shard: Shard | None,
    resume: bool,
    qps: float | None,
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
    ci: CiSettings,
) -> None:
    def work(env: Environment) -> int:
        # Not the checks themselves: they load once a single domain's first lookups are out
        # (`stream` below).
        import asyncio

        from mailauth.cli import bulk_scan, quick_exit
        from mailauth.cli.asyncrun import run_async
        from mailauth.cli.check_early import hand_over
        from mailauth.cli.ci_run import CiRun
        from mailauth.cli.progress import DomainProgress, NoProgress, wanted
        from mailauth.dns.trust_anchor import load_anchors
        from mailauth.domain.context import CheckOptions
        from mailauth.domain.first_round import head_start
        from mailauth.domain.prefetch import settle
        from mailauth.names import normalize_domain
        from mailauth.render.output import Outputs
        from mailauth.scan.runner import StopSignal, scan_reports

        # Every file of the run (-o outputs, the --db store, zone files) is closed before
        # `work` returns: the process may end without the interpreter's teardown.
        quick_exit.allow()

        # mailauth.toml, --config or pyproject.toml under the command line; --ignore
        config, settings, policy = ci.settle(output)
        listed: list[str] = []
        digest: str | None = None
        if domains_file is not None:  # the list reader (csv): only with --domains-file
            from mailauth.cli.domain_list import read_domains_digest

            listed, digest = read_domains_digest(domains_file, env.lang)
        given = chosen_domains((*domains, *listed), config)
        names = list(dict.fromkeys(normalize_domain(d) for d in given))
        inputs = [*dns.zones, *([trust_anchor] if trust_anchor else [])]
        lists = [
            p for p in (domains_file, dkim_selectors) if p not in (None, "-", "common", "none")
        ]
        settings.refuse_inputs([*inputs, *lists, *([db] if db is not None else [])])
        scan = bulk_scan.prepare(  # reads (and repairs) the output with --resume
            names,
            output=settings,
            plan=settings.plan(domain_formats),
            resume=resume,
            shard=shard,
            domains_file=domains_file,
            file_digest=digest,
            dns=dns,
            params=ctx.params,
        )
        names = scan.todo
        chosen = chosen_selectors(selectors, config)
        anchors = load_anchors(trust_anchor) if trust_anchor is not None else None
        probe = _smtp_options(smtp, smtp_port, smtp_timeout, ca_file)
        reported = _reported_selectors(db, tuple(names)) if db is not None else ()
        options = CheckOptions(
            selectors=chosen,
            bimi_selector=bimi_selector,
            dkim_probes=_dkim_probes(dkim_selectors, env.lang),
            trust_anchors=anchors,
            trust_resolver=trust_resolver_ad,
            smtp=probe,
            mark_roots=fetch.mark_roots,
            reported_selectors=reported,
            dkim_cut=len(names) > 1,  # one domain: probe every selector (domain/dkim.py)
        )
        failed = no_verdict = False
        on_stdout = any(path is None for _, path in output.outputs)
        show = wanted(env.stderr, env.stdout, on_stdout, len(names))
        stop = StopSignal()
        bar = DomainProgress(env.stderr, len(names), env.lang) if show else NoProgress()

        # Zone files load before the loop starts: Ctrl-C during a long load ends the run
        # at once (issue 9, item 12).
        judge = CiRun.start(ci, config, policy, settings.threshold, dns)
        source = bulk_scan.limit_rate(judge.source(dns.build), qps)
        # The lookups the process entry point sent before the CLI loaded (cli/entry.py):
        # the in-loop first round below takes them over.
        hand_over(source, single_live=len(names) == 1 and not dns.zones)
        env = with_run(env, "check", source, judge.changes)
        fetcher = fetch.build(source, offline=bool(dns.zones))

        chosen_checks = checks if checks is not None else _config_checks(config.checks)

        async def stream() -> None:
            nonlocal failed, no_verdict
            # One domain, live: its first lookups (already sent by the process entry point,
            # taken over here; else they leave now) travel while the check code loads
            # (issue 10: ~100 ms of imports against a round trip of the user's wait).
            # The chains that set the round trips (MX hosts, SPF includes) then go on from
            # the answers already in before the other checks load (domain/first_round.py).
            # Each check starts as soon as its code is loaded, with the context the runner
            # would give it; the runner awaits it instead of running it again.
            early: list[asyncio.Task[Any]] = []
            started: dict[str, StartedCheck] = {}
            deadline = domain_deadline or None  # 0: no deadline per domain
            if len(names) == 1 and not dns.zones:
                early, started = await head_start(
                    source,
                    names[0],
                    options,
                    chosen_checks,
                    LEAD_TURNS,
                    fetcher=fetcher,
                    deadline=deadline,
                )
            from mailauth.domain.profile import select

            reports = scan_reports(
                source,
                names,
                options,
                stop,
                policy=policy,
                deadline=deadline,
                concurrency=bulk_scan.concurrency_for(concurrency, qps),
                fetcher=fetcher,
                checks=select(chosen_checks),
                started=started,
            )
            try:
                with Outputs(env, scan.plan, len(names)) as out, bar:
                    # The checks and the writers are loaded: the garbage collector is back
                    # on (cli/entry.py).
                    start_up_done()
                    async with bulk_scan.stopping(scan, stop):
                        async for found in reports:
                            report = judge.prepare(found)
                            out.emit(report)
                            bar.advance()
                            scan.advance()
                            failed = judge.fails(report) or failed
                            no_verdict = no_verdict or bool(report.errors)
            finally:
                await settle(early)

        scan.begin(source)
        try:
            run_async(stream())
        except bulk_scan.ScanStopped:
            return scan.interrupted(env, stop)
        except BaseException:
            scan.end(interrupted=True)
            raise
        scan.end(interrupted=False)
        judge.finish()
        status = decide(no_verdict=no_verdict, threshold_failed=failed)
        return final_status(status, settings)

    run(ctx, output, work, start_up_in_work=True)


def _config_checks(names: tuple[str, ...]) -> frozenset[str] | None:
    """The configuration file's `checks` (validated when it was read), None for all. The
    check registry is imported only when the file names some (domain/profile.py)."""
    if not names:
        return None
    from mailauth.domain.profile import parse_checks

    return parse_checks(names)


def _smtp_options(
    smtp: bool, port: int, timeout: float, ca_file: Path | None
) -> SmtpOptions | None:
    """`--smtp` settings; a CA file that does not load is an input error before any probe."""
    from mailauth.domain.context import SmtpOptions
    from mailauth.errors import InputError, os_reason
    from mailauth.model import Phrase

    if not smtp:
        return None
    from mailauth.domain.smtp_cert import load_roots  # cryptography.x509: only for --smtp

    if ca_file is not None:
        try:
            roots = load_roots(str(ca_file))
        except OSError as exc:
            reason = os_reason(exc)
            raise InputError("error.ca-file", path=str(ca_file), reason=reason) from None
        except ValueError:  # cryptography's words: the file is not PEM certificates
            reason = Phrase("error.reason.not-pem")
            raise InputError("error.ca-file", path=str(ca_file), reason=reason) from None
        if not roots:
            reason = Phrase("error.reason.no-certificate")
            raise InputError("error.ca-file", path=str(ca_file), reason=reason)
    return SmtpOptions(port=port, timeout=timeout, ca_file=str(ca_file) if ca_file else None)


def _dkim_probes(choice: str, lang: str) -> tuple[tuple[str, ...], ...] | None:
    """`--dkim-selectors`: `common` (None: the built-in groups), `none` (no probes), or a
    file of selectors, each probed on its own (a file named `common` is `./common`)."""
    if choice == "common":
        return None
    if choice == "none":
        return ()
    from mailauth.cli.domain_list import read_selectors

    return tuple((selector,) for selector in read_selectors(choice, lang))


def _reported_selectors(
    db: Path, domains: tuple[str, ...]
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """DKIM selectors that signed each domain's mail in the report store `db` (issue 12)."""
    from mailauth.cli.report import ReportStoreError
    from mailauth.domain.names import normalize_domain
    from mailauth.errors import MailauthError
    from mailauth.model import Phrase
    from mailauth.report.store import SqliteStore, StoreError

    try:
        store = SqliteStore(db)
    except StoreError as exc:
        # Words, shown in the language the error is printed in (not English: issue 14).
        reason = Phrase(f"report.store.{exc.key}", {"value": exc.value})
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

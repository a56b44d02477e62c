"""`mailauth check DOMAIN...`: the domain report.

The checks, the DNS code and the renderers are imported when the command runs, not when the
CLI starts: `mailauth --help` and `--version` stay fast (bench/startup.py).
"""

from __future__ import annotations

import click

from mailauth.cli.command import run
from mailauth.cli.exit_status import judge
from mailauth.cli.localize import LocalizedCommand, option
from mailauth.cli.options import DnsSettings, OutputSettings, dns_options, output_options
from mailauth.render.environment import Environment


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
@dns_options
@output_options
@click.pass_context
def check(
    ctx: click.Context,
    domains: tuple[str, ...],
    selectors: tuple[str, ...],
    bimi_selector: str,
    dns: DnsSettings,
    output: OutputSettings,
) -> None:
    def work(env: Environment) -> int:
        import asyncio

        from mailauth.domain.context import CheckOptions
        from mailauth.domain.names import normalize_domain
        from mailauth.domain.runner import check_domains
        from mailauth.render.registry import DOMAIN_REPORTS

        names = [normalize_domain(d) for d in domains]  # every name, before any query (exit 2)
        options = CheckOptions(selectors=selectors, bimi_selector=bimi_selector)
        reports = asyncio.run(check_domains(dns.build(), names, options))
        DOMAIN_REPORTS.for_format(output.format)(reports, env)
        return judge(reports, output.threshold, no_verdict=any(r.errors for r in reports))

    run(ctx, output, work)

"""`mailauth check DOMAIN...`: the domain report."""

from __future__ import annotations

import asyncio
import logging

import click

from mailauth.cli.errors import reported_errors
from mailauth.cli.exit_status import decide
from mailauth.cli.options import DnsSettings, OutputSettings, dns_options, output_options
from mailauth.domain.context import CheckOptions
from mailauth.domain.names import normalize_domain
from mailauth.domain.runner import check_domains
from mailauth.i18n import label
from mailauth.render.registry import domain_renderer


@click.command(help=label("cli.check.help"), short_help=label("cli.check.short-help"))
@click.argument("domains", nargs=-1, required=True, metavar="DOMAIN...")
@click.option(
    "--selector",
    "selectors",
    multiple=True,
    metavar="SELECTOR",
    help=label("cli.option.selector"),
)
@click.option(
    "--bimi-selector",
    default="default",
    show_default=True,
    metavar="SELECTOR",
    help=label("cli.option.bimi-selector"),
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
    env = output.environment(ctx)
    if output.debug:
        logging.basicConfig(level=logging.DEBUG)
    with reported_errors(env, debug=output.debug):
        names = [normalize_domain(d) for d in domains]  # before any query (exit 2)
        source = dns.build()
        options = CheckOptions(selectors=selectors, bimi_selector=bimi_selector)
        reports = asyncio.run(check_domains(source, names, options))
        domain_renderer(output.format)(reports, env)
        status = decide(
            no_verdict=any(r.errors for r in reports),
            threshold_failed=any(output.threshold.fails(r.score, r.findings) for r in reports),
        )
    ctx.exit(status)

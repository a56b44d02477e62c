"""`mailauth spf --ip IP --mail-from ADDR [--helo NAME]`: SPF alone, with the trace.

Answers "will this forwarding server / new ESP pass SPF for us?" before any mail is sent.
Exit status: 0 pass, 1 any other result, 3 temperror (no verdict), 2 usage errors.
"""

from __future__ import annotations

import asyncio
import logging

import click

from mailauth.cli.errors import reported_errors
from mailauth.cli.exit_status import ExitStatus
from mailauth.cli.options import DnsSettings, OutputSettings, dns_options, output_options
from mailauth.cli.verify import _ip
from mailauth.message.spf import SpfIdentity, evaluate_spf
from mailauth.model import Result
from mailauth.render.message_labels import mlabel
from mailauth.render.message_registry import spf_renderer


@click.command(help=mlabel("cli.spf.help"), short_help=mlabel("cli.spf.short-help"))
@click.option("--ip", required=True, callback=_ip, metavar="ADDRESS", help=mlabel("cli.option.ip"))
@click.option("--mail-from", default="", metavar="ADDRESS", help=mlabel("cli.option.spf-mail-from"))
@click.option("--helo", metavar="NAME", help=mlabel("cli.option.helo"))
@dns_options
@output_options
@click.pass_context
def spf(
    ctx: click.Context,
    ip: str,
    mail_from: str,
    helo: str | None,
    dns: DnsSettings,
    output: OutputSettings,
) -> None:
    env = output.environment(ctx)
    if output.debug:
        logging.basicConfig(level=logging.DEBUG)
    sender = mail_from.strip().strip("<>")
    if sender and "@" not in sender:
        sender = f"postmaster@{sender}"  # RFC 7208 §2.4: a bare domain is postmaster@domain
    if not sender and not helo:
        raise click.UsageError("give --mail-from ADDRESS or --helo NAME (or both)")
    identity = SpfIdentity(ip, helo, sender, "option", "option" if helo else "none", "option")
    with reported_errors(env, debug=output.debug):
        source = dns.build()
        outcome = asyncio.run(evaluate_spf(source, identity, dns.timeout))
        spf_renderer(output.format)([outcome], env)
    if outcome.result is Result.TEMPERROR:
        ctx.exit(ExitStatus.NO_VERDICT)
    ctx.exit(ExitStatus.OK if outcome.result is Result.PASS else ExitStatus.THRESHOLD_FAILED)

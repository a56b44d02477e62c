"""`mailauth spf --ip IP --mail-from ADDR [--helo NAME]`: SPF alone, with the trace.

Answers "will this forwarding server / new ESP pass SPF for us?" before any mail is sent.
There is no score to hold against a threshold: the exit status is the result (0 pass,
1 any other result, 3 temperror, 2 usage errors). pyspf and dnspython are imported when the
command runs, not when the CLI starts (bench/startup.py).
"""

from __future__ import annotations

from dataclasses import replace

import click

from mailauth.cli.command import run
from mailauth.cli.exit_status import spf_status
from mailauth.cli.localize import LocalizedCommand, language, option
from mailauth.cli.options import (
    DEFAULT_DEADLINE,
    DnsSettings,
    OutputSettings,
    dns_options,
    ip_address,
    unjudged_output_options,
)
from mailauth.i18n import label
from mailauth.render.environment import Environment
from mailauth.render.registry import spf_formats


@click.command(cls=LocalizedCommand)  # help: cli.spf.help, .short-help, .epilog
@option("--ip", required=True, callback=ip_address, metavar="ADDRESS", help_key="cli.option.spf-ip")
@option("--mail-from", default="", metavar="ADDRESS", help_key="cli.option.spf-mail-from")
@option("--helo", metavar="NAME", help_key="cli.option.spf-helo")
@dns_options
@unjudged_output_options(spf_formats)
@click.pass_context
def spf(
    ctx: click.Context,
    ip: str,
    mail_from: str,
    helo: str | None,
    dns: DnsSettings,
    output: OutputSettings,
) -> None:
    sender = mail_from.strip().strip("<>")
    if sender and "@" not in sender:
        sender = f"postmaster@{sender}"  # RFC 7208 §2.4: a bare domain is postmaster@domain
    if not sender and not helo:
        raise click.UsageError(label("error.spf-identity", language(ctx)))

    from mailauth.message.spf import SpfIdentity, evaluate_spf

    identity = SpfIdentity(ip, helo, sender, "option", "option" if helo else "none", "option")

    def work(env: Environment) -> int:
        from mailauth.cli.asyncrun import run_async
        from mailauth.render.output import Outputs

        output.refuse_inputs(dns.zones)
        with Outputs(env, output.plan(spf_formats), 1) as out:
            # Without --deadline, the default: one evaluation never runs for minutes.
            settings = dns if dns.deadline is not None else replace(dns, deadline=DEFAULT_DEADLINE)
            source = settings.build()  # before the loop: see cli/asyncrun.py
            outcome = run_async(evaluate_spf(source, identity, dns.timeout))
            out.emit(outcome)
        return spf_status(outcome.result)

    run(ctx, output, work)

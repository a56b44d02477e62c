"""`mailauth verify FILE... | -`: authenticate saved messages and explain the verdict.

A file that is not a message (or cannot be read) gets one line on stderr and makes the exit
status 2, but the other files on the command line are still verified and reported.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
from typing import BinaryIO

import click

from mailauth.cli.errors import print_error, reported_errors
from mailauth.cli.exit_status import ExitStatus, decide
from mailauth.cli.options import DnsSettings, OutputSettings, dns_options, output_options
from mailauth.dns.interface import DnsSource
from mailauth.message import MessageInputError, MessageReport, VerifyOptions, verify_message
from mailauth.message.parse import MAX_MESSAGE_BYTES
from mailauth.render.environment import Environment
from mailauth.render.message_labels import mlabel
from mailauth.render.message_registry import message_renderer


def _ip(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return str(ipaddress.ip_address(value.strip().strip("[]")))
    except ValueError:
        raise click.BadParameter(mlabel("error.ip", "en", value=value)) from None


@click.command(help=mlabel("cli.verify.help"), short_help=mlabel("cli.verify.short-help"))
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option("--ip", callback=_ip, metavar="ADDRESS", help=mlabel("cli.option.ip"))
@click.option("--helo", metavar="NAME", help=mlabel("cli.option.helo"))
@click.option("--mail-from", metavar="ADDRESS", help=mlabel("cli.option.mail-from"))
@click.option(
    "--authserv-id",
    default="mailauth",
    show_default=True,
    metavar="ID",
    help=mlabel("cli.option.authserv-id"),
)
@click.option(
    "--authentication-results",
    "header_only",
    is_flag=True,
    help=mlabel("cli.option.authentication-results"),
)
@dns_options
@output_options
@click.pass_context
def verify(
    ctx: click.Context,
    files: tuple[str, ...],
    ip: str | None,
    helo: str | None,
    mail_from: str | None,
    authserv_id: str,
    header_only: bool,
    dns: DnsSettings,
    output: OutputSettings,
) -> None:
    env = output.environment(ctx)
    if output.debug:
        logging.basicConfig(level=logging.DEBUG)
    options = VerifyOptions(
        ip=ip, helo=helo, mail_from=mail_from, authserv_id=authserv_id, timeout=dns.timeout
    )
    with reported_errors(env, debug=output.debug):
        source = dns.build()
        reports, bad = asyncio.run(_verify_files(files, source, options, env, output.debug))
        if header_only:
            for report in reports:
                env.stdout.write(report.authentication_results.replace("\r\n", "\n") + "\n")
            env.stdout.flush()
        elif reports:
            message_renderer(output.format)(reports, env)
        status = decide(
            no_verdict=any(r.no_verdict for r in reports),
            threshold_failed=any(output.threshold.fails(r.score, r.findings) for r in reports),
        )
    ctx.exit(ExitStatus.USAGE_ERROR if bad else status)


async def _verify_files(
    files: tuple[str, ...],
    source: DnsSource,
    options: VerifyOptions,
    env: Environment,
    debug: bool,
) -> tuple[list[MessageReport], int]:
    reports: list[MessageReport] = []
    bad = 0
    for name in files:
        try:
            raw = _read(name)
            reports.append(await verify_message(raw, source, options, file=name))
        except MessageInputError as exc:
            bad += 1
            print_error(env, mlabel("error.file", env.lang, file=name, reason=exc.reason))
        except OSError as exc:
            if debug:
                raise
            bad += 1
            reason = exc.strerror or str(exc)
            print_error(env, mlabel("error.file", env.lang, file=name, reason=reason))
    return reports, bad


def _read(name: str) -> bytes:
    """At most MAX_MESSAGE_BYTES + 1 bytes: enough to tell "too large" without holding a
    huge file in memory. Bytes, never text: signatures cover the bytes."""
    if name == "-":
        return _read_limited(click.get_binary_stream("stdin"))
    with open(name, "rb") as handle:
        return _read_limited(handle)


def _read_limited(stream: BinaryIO) -> bytes:
    return stream.read(MAX_MESSAGE_BYTES + 1)

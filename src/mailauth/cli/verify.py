"""`mailauth verify FILE... | -`: authenticate saved messages and explain the verdict.

A file that is not a message (or cannot be read) gets one line on stderr and makes the exit
status 2, but the other files on the command line are still verified and reported. So does a
file whose verification fails unexpectedly (a bug, on hostile input): its own error line,
exit status 3 unless another file already made it 2, and the other files' reports.
The verification code (dkimpy, pyspf, dnspython) is imported when the command runs, not when
the CLI starts: `mailauth --help` and `--version` stay fast (bench/startup.py).

One message (the usual command, and the one a mail filter runs per delivery) is verified
without an event loop: its lookups leave on blocking sockets and overlap in lockstep rounds
(`concurrency.run_blocking`, `LiveSource.blocking`, dns/blocking.py), and the process never
imports asyncio, which was ~12 % of the command (issue 10, against dkimverify). Several
messages run on the event loop as before.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Coroutine
from dataclasses import replace
from typing import TYPE_CHECKING, Any, BinaryIO, TypeVar

import click

from mailauth.cli.ci_options import CiSettings, final_status, policy_options
from mailauth.cli.command import run, with_run
from mailauth.cli.errors import print_error
from mailauth.cli.exit_status import ExitStatus, judge
from mailauth.cli.localize import LocalizedCommand, option
from mailauth.cli.options import (
    DEFAULT_DEADLINE,
    DnsSettings,
    OutputSettings,
    dns_options,
    header_token,
    ip_address,
    output_options,
)
from mailauth.errors import InputError, MailauthError, os_reason_text
from mailauth.i18n import label
from mailauth.render.environment import Environment
from mailauth.render.interface import Format
from mailauth.render.registry import message_formats
from mailauth.render.sanitize import display_path

_T = TypeVar("_T")

if TYPE_CHECKING:
    from mailauth.dns.interface import DnsSource
    from mailauth.domain.policy import Policy
    from mailauth.message import MessageReport, VerifyOptions


@click.command(cls=LocalizedCommand)  # help: cli.verify.help, .short-help, .epilog
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@option("--ip", callback=ip_address, metavar="ADDRESS", help_key="cli.option.ip")
@option("--helo", metavar="NAME", help_key="cli.option.helo")
@option("--mail-from", metavar="ADDRESS", help_key="cli.option.mail-from")
@option(
    "--authserv-id",
    default="mailauth",
    show_default=True,
    metavar="ID",
    callback=header_token,
    help_key="cli.option.authserv-id",
)
@option(
    "--authentication-results",
    "header_only",
    is_flag=True,
    help_key="cli.option.authentication-results",
)
@dns_options
@output_options(message_formats)
@policy_options
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
    ci: CiSettings,
) -> None:
    from mailauth.message import VerifyOptions

    options = VerifyOptions(
        ip=ip, helo=helo, mail_from=mail_from, authserv_id=authserv_id, timeout=dns.timeout
    )

    if header_only:  # the older spelling of --format authentication-results
        target = output.outputs[0][1]
        output = replace(output, outputs=((Format.AUTHENTICATION_RESULTS, target),))

    def work(env: Environment) -> int:
        from mailauth.render.output import Outputs

        # mailauth.toml, --config or pyproject.toml under the command line; --ignore
        settings, policy = ci.settle_message(output)
        settings.refuse_inputs([*files, *dns.zones])
        env = with_run(env, "verify")
        with Outputs(env, settings.plan(message_formats), len(files)) as out:
            blocking = len(files) == 1  # (see the module docstring)
            source = dns.build(blocking=blocking)  # before the loop: see cli/asyncrun.py
            # Without --deadline (the whole run), each message gets DEFAULT_DEADLINE.
            per_message = DEFAULT_DEADLINE if dns.deadline is None else None
            verified = _verify_files(
                files, source, options, env, output.debug, out.emit, per_message, policy
            )
            reports, bad, failed = _run(verified, blocking)
        if bad:
            return ExitStatus.USAGE_ERROR
        no_verdict = failed > 0 or any(r.no_verdict for r in reports)
        return final_status(judge(reports, settings.threshold, no_verdict=no_verdict), settings)

    run(ctx, output, work)


def _run(work: Coroutine[Any, Any, _T], blocking: bool) -> _T:
    """`work` without an event loop (one message) or on one (several)."""
    if blocking:
        from mailauth.cli.entry import freeze_at_exit
        from mailauth.concurrency import run_blocking

        freeze_at_exit()
        return run_blocking(work)
    from mailauth.cli.entry import asyncio_for_verify

    asyncio_for_verify()
    from mailauth.cli.asyncrun import run_async

    return run_async(work)


async def _verify_files(
    files: tuple[str, ...],
    source: DnsSource,
    options: VerifyOptions,
    env: Environment,
    debug: bool,
    emit: Callable[[MessageReport], None],
    deadline: float | None = None,
    policy: Policy | None = None,
) -> tuple[list[MessageReport], int, int]:
    """Reports of the files that are messages, each handed to `emit` as soon as it is ready;
    how many files were not messages, and how many failed unexpectedly (each told on stderr).
    `deadline`: seconds of lookups for each message (its own clock, like `check`'s per
    domain), after which its lookups fail and its result is incomplete. `policy`: the
    findings to leave out (`--ignore`), before the report is emitted or judged.
    """
    from mailauth.dns.deadline import DeadlineSource
    from mailauth.message import verify_message

    reports: list[MessageReport] = []
    bad = failed = 0
    for name in files:
        shown = display_path(name)
        try:
            raw = _read(name)
            dns = DeadlineSource(source, deadline) if deadline is not None else source
            report = await verify_message(raw, dns, options, file=shown)
            if policy is not None:  # only then is the policy stage imported
                from mailauth.message.policy import apply_policy

                report = apply_policy(report, policy)
        except MailauthError as exc:  # MessageInputError: not a message
            bad += 1
            # The reason alone (the line already names the file), in the user's language.
            reason = exc.diagnostics(env.lang)
            print_error(env, label("error.file", env.lang, file=shown, reason=reason))
        except OSError as exc:
            if debug:
                raise
            bad += 1
            reason = os_reason_text(exc, env.lang)
            print_error(env, label("error.file", env.lang, file=shown, reason=reason))
        except Exception as exc:  # a bug on this file must not lose the others' reports
            if debug:
                raise
            failed += 1
            reason = label("error.internal", env.lang, error=type(exc).__name__)
            print_error(env, label("error.file", env.lang, file=shown, reason=reason))
        else:  # outside the try: a closed stdout (EPIPE) is not an unreadable message
            reports.append(report)
            emit(report)
    return reports, bad, failed


def _read(name: str) -> bytes:
    """At most MAX_MESSAGE_BYTES + 1 bytes: enough to tell "too large" without holding a
    huge file in memory. Bytes, never text: signatures cover the bytes.

    Opened without waiting for a writer (O_NONBLOCK): a named pipe that nothing writes to
    (a FIFO among the files of `verify *.eml`) must not hold up the run forever (issue 9,
    item 12); it is one file that is not a message, and the others are still verified. A
    pipe that has a writer (`verify <(ssh host cat msg.eml)`) is read to its end as before.
    """
    if name == "-":
        return _read_limited(click.get_binary_stream("stdin"))
    fd = os.open(name, os.O_RDONLY | _NONBLOCK)
    try:
        fifo = stat.S_ISFIFO(os.fstat(fd).st_mode)
        if _NONBLOCK:
            os.set_blocking(fd, True)  # wait for the data of a writer that is there
    except BaseException:
        os.close(fd)
        raise
    with open(fd, "rb") as handle:
        data = _read_limited(handle)
    if fifo and not data:  # no writer, or one that wrote nothing: say which file is odd
        raise InputError("error.fifo-no-writer")
    return data


_NONBLOCK: int = getattr(os, "O_NONBLOCK", 0)


def _read_limited(stream: BinaryIO) -> bytes:
    from mailauth.message.parse import MAX_MESSAGE_BYTES

    return stream.read(MAX_MESSAGE_BYTES + 1)

"""What every command does around its own work, in one place: find the output environment,
turn on debug logging, run the work under the one error policy (`reported_errors`), and exit
with the status the work decided.

A command module parses its own arguments and supplies `work(env) -> exit status`; it never
prints an error or calls `exit` itself, so a new command cannot get the policy wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any, NoReturn

import click

from mailauth.cli.entry import start_up_done
from mailauth.cli.errors import reported_errors
from mailauth.cli.exit_status import ExitStatus
from mailauth.cli.options import OutputSettings
from mailauth.render.environment import Environment

Work = Callable[[Environment], int]


def run(
    ctx: click.Context, output: OutputSettings, work: Work, *, start_up_in_work: bool = False
) -> NoReturn:
    """`work` under the error policy. `start_up_in_work`: `work` itself says when its
    start-up is over (`cli.entry.start_up_done`; `check`: once its first lookups are out)."""
    if not start_up_in_work:
        start_up_done()
    env = output.environment(ctx)
    if output.debug:
        # Imported only for --debug: a command without an event loop (`report
        # --no-resolve`) imports logging nowhere else, and it was 18 M instructions of the
        # report command's start-up (bench/README.md, "fifth pass").
        import logging

        logging.basicConfig(level=logging.DEBUG)
    with reported_errors(env, debug=output.debug):
        status = work(env)
    if output.exit_zero and status == ExitStatus.THRESHOLD_FAILED:
        status = ExitStatus.OK  # --exit-zero: findings never fail the run; errors still do
    ctx.exit(status)


def with_run(
    env: Environment, command: str, source: object = None, changes: Any = None
) -> Environment:
    """`env` carrying what the CI formats need to know about the run: the command, the
    zone files' record origins when the DNS source reads zone files, and the changes since
    --baseline as they are found (render/run_context.py). `verify` gives no source: no
    record of a message is located in a zone file, so dns/origins.py is not even imported."""
    locator = None
    if source is not None:
        from mailauth.dns.origins import find_locator

        locator = find_locator(source)
    run_context = replace(env.run, command=command, locator=locator, changes=changes)
    return replace(env, run=run_context)

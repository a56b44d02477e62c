"""The process's entry point: the `mailauth` script and `python -m mailauth` (issue 10).

Two things only a whole process may do, kept out of `cli.main.main` (which tests call
in-process through click's CliRunner):

- **No garbage collection during start-up.** A command imports ~300 modules before its
  work starts; CPython's collector runs every 700 allocations meanwhile and walks objects
  that all stay alive (modules, classes, functions): ~5 ms of a `mailauth check`'s CPU
  before its first query. `entry` turns the collector off before the CLI is imported;
  `start_up_done` (called by `cli.command.run` before a command's work, or by the work
  itself once it is under way: `check`, after its first lookups are sent) freezes what
  start-up made (`gc.freeze`: never examined again, as the objects of a forking server)
  and turns it back on. A run is collected as before; only start-up is not.
- **A quick exit** when the command allowed it (cli/quick_exit.py).
- **What start-up compiles kept between runs** (startup_cache.py: regular expressions and
  `@frozen`'s generated methods), as `.pyc` files keep modules.
- **A single check's first lookups sent first** (cli/check_early.py): before the CLI loads,
  so its answers travel while it does.
- **Libraries imported lighter** (cli/lean_imports.py): click without `uuid` and
  `datetime`; asyncio, when `verify` needs it at all (`asyncio_for_verify`), without TLS.
"""

from __future__ import annotations

import atexit
import functools
import gc
import sys

_paused = [False]
_verify_process = [False]  # this process runs `mailauth verify` (`asyncio_for_verify`)


def entry() -> None:
    if gc.isenabled():
        gc.disable()
        _paused[0] = True
    from mailauth.startup_cache import install

    install()
    if "check" in sys.argv[1:4]:  # `mailauth [--lang X] check ...`
        from mailauth.cli.check_early import launch

        launch(sys.argv[1:])
    elif command_word(sys.argv[1:]) == "verify":
        _verify_process[0] = True
    from mailauth.cli.lean_imports import click_without_unused_types

    click_without_unused_types()
    from mailauth.cli.main import main

    try:
        main()
    except SystemExit as exc:
        quick = sys.modules.get("mailauth.cli.quick_exit")  # imported by a command allowing it
        if quick is not None:
            quick.leave(exc.code)
        raise


def command_word(args: list[str]) -> str | None:
    """COMMAND of `mailauth [--lang X] COMMAND ...` (--lang is the group's one option that
    takes a value); None when something else comes first (--help, --version, a typo)."""
    rest = list(args)
    while rest and rest[0].startswith("--lang"):
        del rest[: 2 if rest[0] == "--lang" else 1]
    return rest[0] if rest and not rest[0].startswith("-") else None


def asyncio_for_verify() -> None:
    """Called by `verify` before it imports asyncio (several messages; one runs without an
    event loop): in the process of a `mailauth verify`, asyncio is imported without TLS
    (`lean_imports.asyncio_without_tls`); anywhere else (a library caller, a test's
    CliRunner) as is."""
    if _verify_process[0]:
        from mailauth.cli.lean_imports import asyncio_without_tls

        asyncio_without_tls()


@functools.cache
def freeze_at_exit() -> None:
    """Register `gc.freeze` to run at interpreter exit, once per process: the last garbage
    collections at exit walk every object the run made and every module it imported
    (70-150 ms of a `mailauth check` command's ~0.7 s, issue 10), after the report was
    written. Registered first, so it runs after every other exit handler (`-o` clean-up and
    socket finalizers still run). In-process callers (tests, CliRunner) only get it when
    their process ends."""
    atexit.register(gc.freeze)


def start_up_done() -> None:
    """The command's start-up is over: what it made is frozen and the collector is back on
    (nothing to do in a process that did not start through `entry`, or the second time)."""
    if _paused[0]:
        _paused[0] = False
        gc.freeze()
        gc.enable()

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
- **asyncio without TLS for `verify`** (`_asyncio_without_tls`).
"""

from __future__ import annotations

import gc
import sys

_paused = [False]


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
        _asyncio_without_tls()
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


def _asyncio_without_tls() -> None:
    """Import asyncio as if Python had no `ssl` module: a verification speaks DNS over UDP
    and plain TCP, never TLS, but asyncio imports `ssl` when it loads, and with it OpenSSL's
    TLS library and ssl's enums: ~27 M instructions, ~6 % of `mailauth verify` as a command
    (issue 10, against dkimverify). asyncio is written for a Python without ssl (each of its
    modules imports it under `try`, and a TLS request then fails with "Python ssl module is
    not available"), so it loads unchanged but for that. Only asyncio's own modules see the
    gap: `ssl` is importable again as soon as asyncio is in, for anyone else in the process.
    Only in the process of a `verify` (never a library import); a test holds that a
    verification loads no `ssl`.
    """
    if "asyncio" in sys.modules or "ssl" in sys.modules:
        return  # too late, or nothing to save
    sys.modules["ssl"] = None  # type: ignore[assignment]  # `import ssl` raises ImportError
    try:
        import asyncio  # noqa: F401
    except Exception:  # not expected; the command imports asyncio again and says why
        for name in [m for m in sys.modules if m == "asyncio" or m.startswith("asyncio.")]:
            del sys.modules[name]
    finally:
        if sys.modules.get("ssl", 0) is None:
            del sys.modules["ssl"]


def start_up_done() -> None:
    """The command's start-up is over: what it made is frozen and the collector is back on
    (nothing to do in a process that did not start through `entry`, or the second time)."""
    if _paused[0]:
        _paused[0] = False
        gc.freeze()
        gc.enable()

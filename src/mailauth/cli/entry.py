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
    from mailauth.cli.main import main

    try:
        main()
    except SystemExit as exc:
        quick = sys.modules.get("mailauth.cli.quick_exit")  # imported by a command allowing it
        if quick is not None:
            quick.leave(exc.code)
        raise


def start_up_done() -> None:
    """The command's start-up is over: what it made is frozen and the collector is back on
    (nothing to do in a process that did not start through `entry`, or the second time)."""
    if _paused[0]:
        _paused[0] = False
        gc.freeze()
        gc.enable()

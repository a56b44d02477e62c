"""The process entry point keeps the garbage collector off while a command starts
(cli/entry.py; issue 10: ~5-8 ms of a single check's CPU went to collections that only
walked the modules being imported) and turns it back on, with start-up's objects frozen,
once the command's work is under way. In-process callers of `main` are left alone."""

from __future__ import annotations

import ast

import pytest
from tests.support.fresh_python import SRC, run

REPO = SRC.parent
ZONES = str(REPO / "samples/zones")
PROGRAM = """
import atexit, gc, sys
seen = {{}}
class Spy:
    def find_spec(self, name, path=None, target=None):
        if name in ("click", "mailauth.domain.registry", "mailauth.message"):
            seen.setdefault(name, gc.isenabled())
sys.meta_path.insert(0, Spy())
def report():
    state = {{"loading": seen, "at exit": gc.isenabled(), "frozen": gc.get_freeze_count() > 0}}
    print("gc-state", repr(state), file=sys.stderr)
atexit.register(report)
sys.argv = ["mailauth", *{args!r}]
from mailauth.cli.{module} import {entry}
{entry}()
"""


def gc_state(args: list[str], module: str = "entry", entry: str = "entry") -> dict[str, object]:
    done = run(PROGRAM.format(args=args, module=module, entry=entry), exit_codes=(0, 1))
    line = next(x for x in done.stderr.splitlines() if x.startswith("gc-state "))
    state: dict[str, object] = ast.literal_eval(line.split(" ", 1)[1])
    return state


def test_a_check_starts_without_collections_and_runs_with_them() -> None:
    state = gc_state(["check", "example.jp", "--zone", ZONES])
    # off while the CLI and the checks load, on (start-up frozen) for the run
    assert state == {
        "loading": {"click": False, "mailauth.domain.registry": False},
        "at exit": True,
        "frozen": True,
    }


@pytest.mark.parametrize("command", ["verify", "spf"])
def test_other_commands_run_with_the_collector_on(command: str) -> None:
    args = {
        "verify": ["verify", str(REPO / "samples/messages/good.eml"), "--zone", ZONES],
        "spf": ["spf", "--ip", "192.0.2.1", "--mail-from", "a@example.jp", "--zone", ZONES],
    }[command]
    state = gc_state(args)
    assert state["at exit"] is True and state["frozen"] is True
    loading = state["loading"]
    assert isinstance(loading, dict) and loading["click"] is False


def test_main_in_process_leaves_the_collector_alone() -> None:
    state = gc_state(["check", "example.jp", "--zone", ZONES], module="main", entry="main")
    # ("frozen" at exit: cli/asyncrun.py's own gc.freeze at exit ran first)
    assert state["loading"] == {"click": True, "mailauth.domain.registry": True}
    assert state["at exit"] is True

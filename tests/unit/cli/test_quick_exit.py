"""The process entry point ends a finished `check` without the interpreter's teardown
(cli/quick_exit.py; issue 10: ~5-10 ms of a single check's wall time), and only then:
exit handlers still run, output and status are the same as `main`'s, and other commands,
non-daemon threads and in-process callers keep the normal exit."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from tests.support.fresh_python import SRC

REPO = SRC.parent
ZONES = str(REPO / "samples/zones")
# `python -v` reports the teardown of modules ("# cleanup[2] removing sys", ...) after the
# exit handlers; the quick exit runs the handlers and skips the teardown.
TEARDOWN = "# cleanup["
PROGRAM = """
import atexit, sys, threading
atexit.register(lambda: print("exit handler", file=sys.stderr))
def wait():  # until the normal exit starts (it marks the main thread stopped, then joins)
    while threading.main_thread().is_alive():
        threading.Event().wait(0.01)
if {thread!r}:
    threading.Thread(target=wait).start()
sys.argv = ["mailauth", *{args!r}]
from mailauth.cli.{entry} import {entry}
{entry}()
"""


def _run(
    args: list[str], *, entry: str = "entry", thread: bool = False, verbose: bool = True
) -> tuple[int, str, str]:
    code = PROGRAM.format(args=args, entry=entry, thread=thread)
    env = {**os.environ, "PYTHONPATH": str(SRC), "MAILAUTH_LANG": "en"}
    flags = ["-v"] if verbose else []
    done = subprocess.run(
        [sys.executable, *flags, "-c", code],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    return done.returncode, done.stdout, done.stderr


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_check_ends_without_teardown_and_with_the_same_result(fmt: str) -> None:
    args = ["check", "example.jp", "broken.example", "--zone", ZONES, "--format", fmt]
    args += ["--fail-under", "90"]
    status, out, err = _run(args)
    assert "exit handler" in err
    assert TEARDOWN not in err
    # the same report (but its time) and status through `main`, which exits normally
    normal_status, normal_out, normal_err = _run(args, entry="main")
    assert TEARDOWN in normal_err and "exit handler" in normal_err
    assert status == normal_status == 1  # broken.example fails --fail-under 90
    assert _timeless(out) == _timeless(normal_out) and out.strip()


def test_a_usage_error_of_check_keeps_its_status_and_message() -> None:
    args = ["check", "no..domain", "--zone", ZONES]
    quick = _run(args, verbose=False)
    assert quick == _run(args, entry="main", verbose=False)
    assert quick[0] == 2 and "no..domain" in quick[2]


def test_a_non_daemon_thread_gets_the_normal_exit() -> None:
    _, _, err = _run(["check", "example.jp", "--zone", ZONES], thread=True)
    assert TEARDOWN in err and "exit handler" in err


def test_other_commands_exit_normally() -> None:
    message = str(REPO / "samples/messages/good.eml")
    _, _, err = _run(["verify", message, "--zone", ZONES])
    assert TEARDOWN in err and "exit handler" in err


def test_a_report_written_to_a_file_is_complete(tmp_path: Path) -> None:
    args = ["check", "example.jp", "--zone", ZONES, "--format", "json", "-o"]
    _, _, err = _run([*args, str(tmp_path / "quick.json")])
    assert TEARDOWN not in err
    _run([*args, str(tmp_path / "normal.json")], entry="main", verbose=False)
    quick = (tmp_path / "quick.json").read_text()
    assert _timeless(quick) == _timeless((tmp_path / "normal.json").read_text())
    assert quick.rstrip().endswith("}")


def _timeless(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if "checked_at" not in line)

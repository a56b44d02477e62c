"""`run_async` skips the interpreter's last cycle search at exit (issue 10: 70-150 ms of a
`check` command after its report was written) without losing what exit handlers do."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

SRC = Path(__file__).resolve().parents[3] / "src"

SCRIPT = textwrap.dedent(
    """
    import atexit, gc, sys

    # Registered before run_async's handler, so it runs after it (atexit is LIFO).
    atexit.register(lambda: print("frozen at exit:", gc.get_freeze_count() > 0, flush=True))

    from mailauth.cli.asyncrun import run_async

    async def work() -> int:
        return 7

    print("result:", run_async(work()), run_async(work()))
    print("frozen before exit:", gc.get_freeze_count() > 0, flush=True)
    atexit.register(lambda: print("later handler ran", flush=True))
    """
)


def test_objects_are_frozen_only_at_exit_after_other_handlers() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        env={"PYTHONPATH": str(SRC)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "result: 7 7",
        "frozen before exit: False",
        "later handler ran",
        "frozen at exit: True",
    ]

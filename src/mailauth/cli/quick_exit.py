"""Leaving the process without the interpreter's teardown once a command is done (issue 10).

After `mailauth check DOMAIN` has written its report, CPython's finalization still clears
every module and frees what the run built, object by object: ~5-10 ms of a single check's
~270 ms at 50 ms RTT (bench/README.md, "check as a command: the first round sooner and a
quick exit"), after the user already has the answer. The process's entry point
(`cli.entry.entry`: the `mailauth` script and `python -m mailauth`) ends such a run with
`os._exit`, after what a normal exit does that anyone could see:

- standard output and error are flushed first; if that fails (a reader that left, a full
  disk) nothing changes: the interpreter's own exit reports it as it always did;
- every exit handler runs (`atexit`: logging's flush, `weakref.finalize` clean-ups such as
  temporary directories, `cli/asyncrun.py`'s `gc.freeze`);
- only when no thread but daemon ones is left (a live non-daemon thread is waited for by a
  normal exit, so then the normal exit happens).

What is skipped is the teardown of modules and of objects still referenced, i.e. their
`__del__`: only a command whose files are all closed by then says so (`allow`), and tests
calling `main` in-process (click's CliRunner) never reach this: it is the entry point's.
"""

from __future__ import annotations

import atexit
import os
import sys
import threading

_allowed = [False]


def allow() -> None:
    """The running command closes everything it opens before it returns: its process may
    end without the interpreter's teardown."""
    _allowed[0] = True


def leave(code: object) -> None:
    """End the process now with `code` (a `SystemExit`'s) when the command allowed it and
    nothing would be lost; otherwise return, and the caller lets the exit go on as usual."""
    if not _allowed[0] or not (code is None or isinstance(code, int)):
        return  # a message as exit code: the interpreter prints it
    main = threading.main_thread()
    if any(t is not main and not t.daemon and t.is_alive() for t in threading.enumerate()):
        return
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):
            return  # the normal exit reports the lost output as before (status 120)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):
            pass  # an exit handler's last words; the status stays the command's
    os._exit(int(code or 0))

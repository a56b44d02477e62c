"""The rich console every text renderer writes through (made by `Environment.console()`).

A module of its own so that rich is imported when something is rendered, not when the CLI
starts: `mailauth --help` and `--version` never need it (bench/startup.py).
"""

from __future__ import annotations

import errno
import os

from rich.console import Console

from mailauth.render import linebreak

linebreak.install()  # Japanese breaks between characters, not only at spaces


class PipeSafeConsole(Console):
    """Rich's console, except that a closed pipe is reported like any other write error.
    Rich's own handling exits the process with status 1, the code for "threshold failed";
    the CLI's error policy gives it its own status instead (cli/errors.py)."""

    def on_broken_pipe(self) -> None:
        raise BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE))

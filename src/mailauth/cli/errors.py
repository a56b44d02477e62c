"""Turning anything that goes wrong into one clear line on stderr and the right exit code.

User errors (every `MailauthError`: an invalid domain, a zone file that does not load, a file
that is not a message) and unreadable paths are exit 2 with their own diagnostics. A reader
that stops early (`| head`) ends the run quietly with 141, as a shell reports a process killed
by SIGPIPE. Anything else is a bug: one line saying so, exit 3 (no verdict), and the traceback
only with --debug (re-raised, so Python prints it in full).
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

import click

from mailauth.cli.exit_status import BROKEN_PIPE, ExitStatus
from mailauth.errors import MailauthError, os_reason_text
from mailauth.i18n import label
from mailauth.render.environment import Environment
from mailauth.render.sanitize import printable


def print_error(env: Environment, message: str) -> None:
    """One line, control characters made visible (the message may quote user input). With
    stderr closed (`2>&-`) the line is lost, not the exit status: it must not become Python's
    exit 1 for an unhandled error, which is the "threshold failed" status."""
    line = label("error.line", env.lang, message=printable(message))
    try:
        env.stderr.write(line + "\n")
        env.stderr.flush()
    except (OSError, ValueError):  # EBADF, EPIPE; ValueError: a closed file object
        pass


@contextmanager
def reported_errors(env: Environment, *, debug: bool) -> Iterator[None]:
    """Wrap a command body; exits with the status matching what went wrong."""
    try:
        yield
    except (click.exceptions.Exit, click.ClickException, click.Abort):
        raise
    except BrokenPipeError:
        # Python ignores SIGPIPE, so a closed pipe arrives here as EPIPE. Stop quietly; point
        # stdout at /dev/null so the interpreter's last flush cannot complain either.
        _silence(env.stdout)
        raise click.exceptions.Exit(BROKEN_PIPE) from None
    except OSError as exc:
        if _closed_output(exc):  # stdout closed (`>&-`): the same as a reader that left
            _silence(env.stdout)
            raise click.exceptions.Exit(BROKEN_PIPE) from None
        if debug:
            raise
        path = exc.filename if exc.filename is not None else "?"
        reason = os_reason_text(exc, env.lang)
        print_error(env, label("error.path", env.lang, path=path, reason=reason))
        raise click.exceptions.Exit(ExitStatus.USAGE_ERROR) from None
    except MailauthError as exc:
        if debug:
            raise
        print_error(env, exc.diagnostics(env.lang))
        raise click.exceptions.Exit(ExitStatus.USAGE_ERROR) from None
    except Exception as exc:
        if debug:
            raise
        error = type(exc).__name__  # the message is English; --debug shows it in full
        print_error(env, label("error.internal", env.lang, error=error))
        raise click.exceptions.Exit(ExitStatus.NO_VERDICT) from None


def _closed_output(exc: OSError) -> bool:
    """A write to a standard stream that is not open (EBADF), or not read (EPIPE): an
    error about no file, unlike every error of a path the run was given."""
    return exc.filename is None and exc.errno in (errno.EBADF, errno.EPIPE)


def _silence(stream: TextIO) -> None:
    """Redirect the file descriptor behind `stream` to /dev/null (the pattern of the Python
    documentation's note on SIGPIPE). Streams without one (tests' StringIO) need nothing."""
    try:
        fd = stream.fileno()
    except (AttributeError, OSError, ValueError):
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fd)
    finally:
        os.close(devnull)

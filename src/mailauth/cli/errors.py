"""Turning anything that goes wrong into one clear line on stderr and the right exit code.

User errors (`MailauthError`, a zone file that does not load, an unreadable path) are exit 2
with their own diagnostics. Anything else is a bug: one line saying so, exit 3 (no verdict),
and the traceback only with --debug (re-raised, so Python prints it in full).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click

from mailauth.cli.exit_status import ExitStatus
from mailauth.dns.zonefile import ZoneLoadError
from mailauth.errors import MailauthError
from mailauth.i18n import label
from mailauth.render.environment import Environment
from mailauth.render.sanitize import printable


def print_error(env: Environment, message: str) -> None:
    """One line, control characters made visible (the message may quote user input)."""
    line = label("error.line", env.lang, message=printable(message))
    env.stderr.write(line + "\n")
    env.stderr.flush()


@contextmanager
def reported_errors(env: Environment, *, debug: bool) -> Iterator[None]:
    """Wrap a command body; exits with the status matching what went wrong."""
    try:
        yield
    except (click.exceptions.Exit, click.ClickException, click.Abort):
        raise
    except MailauthError as exc:
        if debug:
            raise
        print_error(env, exc.diagnostics(env.lang))
        raise click.exceptions.Exit(ExitStatus.USAGE_ERROR) from None
    except ZoneLoadError as exc:
        if debug:
            raise
        print_error(env, label("error.zone", env.lang, detail=str(exc)))
        raise click.exceptions.Exit(ExitStatus.USAGE_ERROR) from None
    except OSError as exc:
        if debug:
            raise
        path = exc.filename if exc.filename is not None else "?"
        reason = exc.strerror or str(exc)
        print_error(env, label("error.path", env.lang, path=path, reason=reason))
        raise click.exceptions.Exit(ExitStatus.USAGE_ERROR) from None
    except Exception as exc:
        if debug:
            raise
        error = f"{type(exc).__name__}: {exc}"
        print_error(env, label("error.internal", env.lang, error=error))
        raise click.exceptions.Exit(ExitStatus.NO_VERDICT) from None

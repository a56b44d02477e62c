"""Errors reach the user as one line; tracebacks only with --debug."""

from __future__ import annotations

import io

import click
import pytest

from mailauth.cli.errors import reported_errors
from mailauth.cli.exit_status import BROKEN_PIPE, ExitStatus
from mailauth.dns.zonefile import ZoneLoadError
from mailauth.errors import InputError, MailauthError
from mailauth.render.environment import Environment


def run(exc: BaseException, debug: bool = False) -> tuple[int, str]:
    env = Environment(io.StringIO(), io.StringIO())
    with pytest.raises(click.exceptions.Exit) as info, reported_errors(env, debug=debug):
        raise exc
    err = env.stderr
    assert isinstance(err, io.StringIO)
    return info.value.exit_code, err.getvalue()


def test_input_error_is_exit_2() -> None:
    code, err = run(InputError("error.domain.empty"))
    assert code == ExitStatus.USAGE_ERROR
    assert err == "mailauth: error: the domain name is empty\n"


def test_zone_load_error_is_exit_2() -> None:
    code, err = run(ZoneLoadError("x.zone", 3, "bad record"))
    assert code == ExitStatus.USAGE_ERROR
    assert "x.zone:3: bad record" in err
    assert err.count("\n") == 1


def test_zone_load_error_is_a_mailauth_error() -> None:
    exc = ZoneLoadError("x.zone", None, "no such zone file or directory")
    assert isinstance(exc, MailauthError)
    assert exc.diagnostics() == "cannot load zone file: x.zone: no such zone file or directory"


def test_a_closed_pipe_ends_quietly_with_141() -> None:
    code, err = run(BrokenPipeError(32, "Broken pipe"))
    assert code == BROKEN_PIPE == 141
    assert err == ""


def test_a_closed_pipe_is_not_turned_into_a_traceback_by_debug() -> None:
    code, err = run(BrokenPipeError(32, "Broken pipe"), debug=True)
    assert (code, err) == (BROKEN_PIPE, "")


def test_unreadable_file_is_exit_2() -> None:
    code, err = run(PermissionError(13, "Permission denied", "/root/secret.zone"))
    assert code == ExitStatus.USAGE_ERROR
    assert "/root/secret.zone" in err and "Permission denied" in err


def test_a_bug_is_one_line_and_no_verdict() -> None:
    code, err = run(RuntimeError("kaput"))
    assert code == ExitStatus.NO_VERDICT
    # The exception's name, not its (English) message: --debug shows that (issue 14).
    assert "internal error: RuntimeError." in err and "kaput" not in err
    assert "--debug" in err
    assert err.count("\n") == 1


def test_debug_lets_the_traceback_through() -> None:
    env = Environment(io.StringIO(), io.StringIO())
    with pytest.raises(RuntimeError), reported_errors(env, debug=True):
        raise RuntimeError("kaput")


def test_control_characters_in_messages_are_made_visible() -> None:
    _, err = run(InputError("error.domain.invalid-character", name="a\nb\x1b[2J"))
    assert err.count("\n") == 1
    assert "\x1b" not in err

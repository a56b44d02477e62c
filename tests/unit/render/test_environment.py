"""Colour decisions (NO_COLOR, TTY, FORCE_COLOR, --no-color) and the plain console."""

from __future__ import annotations

import io

import pytest

from mailauth.render.environment import Environment


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("stream", "environ", "no_color", "expected"),
    [
        (Tty(), {}, False, True),
        (io.StringIO(), {}, False, False),  # piped
        (Tty(), {"NO_COLOR": "1"}, False, False),
        (Tty(), {"NO_COLOR": ""}, False, True),  # no-color.org: only a non-empty value counts
        (Tty(), {}, True, False),  # --no-color
        (Tty(), {"TERM": "dumb"}, False, False),
        (io.StringIO(), {"FORCE_COLOR": "1"}, False, True),
        (io.StringIO(), {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False, False),
    ],
)
def test_colour_decision(
    stream: io.StringIO, environ: dict[str, str], no_color: bool, expected: bool
) -> None:
    env = Environment.detect(
        no_color=no_color, stdout=stream, stderr=io.StringIO(), environ=environ
    )
    assert env.colors is expected


def test_plain_console_writes_no_escape_codes_even_with_force_color_in_environ(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    out = io.StringIO()
    env = Environment(out, io.StringIO(), colors=False)
    env.console().print("[bold]x[/bold]", style="bold red")
    assert out.getvalue() == "[bold]x[/bold]\n"  # no markup interpretation, no ANSI


def test_detect_reads_the_streams_at_call_time(monkeypatch: pytest.MonkeyPatch) -> None:
    out = io.StringIO()
    monkeypatch.setattr("sys.stdout", out)
    assert Environment.detect(environ={}).stdout is out

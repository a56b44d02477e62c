"""Where output goes and how it may look: one injectable object (httpie's `Environment`).

The CLI builds it from the real process (streams, TTY, NO_COLOR); tests build it around
StringIO, so every command runs in-process with no global state to patch. Colour is on only
for a terminal, and off whenever NO_COLOR is set (https://no-color.org), `--no-color` is
given or TERM=dumb; FORCE_COLOR turns it on for a pipe (CI logs that render ANSI).
"""

from __future__ import annotations

import errno
import os
import re
import sys
from collections.abc import Mapping
from dataclasses import field
from typing import TYPE_CHECKING, TextIO, cast

from mailauth.frozen import mutable
from mailauth.render.run_context import RunContext

if TYPE_CHECKING:
    from rich.console import Console

    from mailauth.render.ink import Canvas


@mutable
class Environment:
    """Where the output of one run goes and how it may look (see the module docstring):
    `detect` reads it from this process, a test builds it around StringIO."""

    stdout: TextIO
    stderr: TextIO
    colors: bool = False
    width: int | None = None  # None: the terminal's width, or 100 columns when piped
    lang: str = "en"
    # What the run knows beyond its reports (record origins, baseline changes): the formats
    # that need it read it here (render/run_context.py).
    run: RunContext = field(default_factory=RunContext)

    @classmethod
    def detect(
        cls,
        *,
        no_color: bool = False,
        stdout: TextIO | None = None,
        stderr: TextIO | None = None,
        environ: Mapping[str, str] | None = None,
        lang: str = "en",
    ) -> Environment:
        """The environment of this process, read now (not at import: CliRunner swaps streams).
        A stream the process was started without (`>&-`: Python sets it to None) becomes a
        closed one: stdout raises EPIPE like a pipe nobody reads (exit 141, quietly); stderr
        drops what is written, so an error that cannot be told still gets its exit status."""
        out = stdout if stdout is not None else sys.stdout
        err = stderr if stderr is not None else sys.stderr
        out = out if out is not None else cast(TextIO, _Closed(broken=True))
        err = err if err is not None else cast(TextIO, _Closed(broken=False))
        env = os.environ if environ is None else environ
        return cls(out, err, colors=_wants_color(out, env, no_color), lang=lang)

    def console(self, *, stderr: bool = False) -> Console:
        """A rich console bound to this environment. Without colour it emits no escape codes
        at all (not even bold), so piped output is plain text a script can read."""
        stream = self.stderr if stderr else self.stdout
        from mailauth.render.console import PipeSafeConsole  # rich loads on first output

        return PipeSafeConsole(
            file=stream if self.colors else cast(TextIO, _TrimmedLines(stream)),
            force_terminal=self.colors,
            no_color=not self.colors,
            color_system="auto" if self.colors else None,
            width=self.width if self.width or self.colors else 100,
            highlight=False,
            emoji=False,
            markup=False,
            legacy_windows=False,
            soft_wrap=False,
        )

    def canvas(self) -> Canvas:
        """Where a text report built from render/ink.py is printed: this rich `console()`
        when the output shows colour, else a `PlainCanvas` that writes the same bytes as
        that console would, without importing rich's console (render/plain_canvas.py). A
        stream that cannot take UTF-8 keeps rich (it draws rules and tables in ASCII)."""
        encoding = (getattr(self.stdout, "encoding", None) or "utf-8").lower()
        if self.colors or not encoding.startswith("utf"):
            return self.console()
        from mailauth.render.plain_canvas import PlainCanvas

        return PlainCanvas(self.stdout, self.width or 100, self.console)


class _Closed:
    """A standard stream the process does not have. Writing to it fails like a closed pipe
    (`broken`) or does nothing; it has no file descriptor, so nothing is ever redirected onto
    the descriptor number, which may now belong to a file the run opened."""

    encoding = "utf-8"

    def __init__(self, *, broken: bool) -> None:
        self._broken = broken

    def write(self, text: str) -> int:
        if self._broken:
            raise BrokenPipeError(errno.EPIPE, "standard output is closed")
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        raise OSError(errno.EBADF, "standard stream is closed")


class _TrimmedLines:
    """A write-through stream that drops the trailing blanks rich pads lines with, so plain
    output diffs and greps cleanly. Rich writes whole lines per print, so a per-write pass
    is enough."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self.encoding: str = getattr(stream, "encoding", None) or "utf-8"

    def write(self, text: str) -> int:
        self._stream.write(_TRAILING_BLANKS.sub("\n", text))
        return len(text)

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return False


_TRAILING_BLANKS = re.compile(r"[ \t]+\n")


def _wants_color(stream: TextIO, environ: Mapping[str, str], no_color: bool) -> bool:
    if no_color or environ.get("NO_COLOR") or environ.get("TERM") == "dumb":
        return False
    if environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False

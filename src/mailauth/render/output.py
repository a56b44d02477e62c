"""The output seam: a format writes reports, one at a time, to a sink the CLI chose.

A *sink* is an `Environment` (its stream, colour setting, width and language): standard output,
or a file given with `-o FILE`. A *writer* is one format opened on one sink for one run:
`emit(report)` as each report is ready, `close()` at the end. Streaming formats (text, and
JSON when the number of reports is known up front) write as they go, so `mailauth check`
over 100,000 domains shows the first report at once and holds no finished report in memory;
a document format (one that needs every report, such as SARIF) is a `render(reports) -> str`
function wrapped by `DocumentWriter`.

`Outputs` fans one stream of reports out to several writers (`--format F -o FILE` repeated).
A file is written next to its destination and renamed into place only when the run ends,
so an interrupted run never leaves half a report where a previous one was.
"""

from __future__ import annotations

import os
import stat
import tempfile
import textwrap
from collections.abc import Callable, Sequence
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, Protocol, TextIO, TypeVar, cast

from mailauth.errors import MailauthError, os_reason
from mailauth.frozen import frozen
from mailauth.render.environment import Environment

if TYPE_CHECKING:  # rich loads with the first report written, not with the CLI
    from rich.console import Console

    from mailauth.render.ink import Canvas

R = TypeVar("R")
R_contra = TypeVar("R_contra", contravariant=True)


class ReportWriter(Protocol[R_contra]):
    """One format writing to one sink for one run."""

    def emit(self, report: R_contra) -> None: ...

    def close(self) -> None: ...


# How a format is opened: on a sink, knowing how many reports will come (None: unknown).
Opener = Callable[[Environment, "int | None"], ReportWriter[R]]


class TextWriter(Generic[R]):
    """The human-readable reports, each printed as soon as it is emitted, a blank line
    between two."""

    def __init__(self, sink: Environment, print_one: Callable[[Console, R, str], None]) -> None:
        self._console = sink.console()
        self._lang = sink.lang
        self._print_one = print_one
        self._count = 0

    def emit(self, report: R) -> None:
        if self._count:
            self._console.print()
        self._print_one(self._console, report, self._lang)
        self._count += 1

    def close(self) -> None:
        self._console.file.flush()


class CanvasWriter(Generic[R]):
    """`TextWriter` for the reports built from render/ink.py (`check`, `verify`): printed
    on the sink's canvas, which is rich's console only when the output can show colour
    (`Environment.canvas`)."""

    def __init__(self, sink: Environment, print_one: Callable[[Canvas, R, str], None]) -> None:
        self._canvas = sink.canvas()
        self._stream = sink.stdout
        self._lang = sink.lang
        self._print_one = print_one
        self._count = 0

    def emit(self, report: R) -> None:
        if self._count:
            self._canvas.print()
        self._print_one(self._canvas, report, self._lang)
        self._count += 1

    def close(self) -> None:
        self._stream.flush()


class JsonWriter(Generic[R]):
    """One JSON object for one report, an array for several: a script asking about one thing
    gets that thing, not a list of one. When the number of reports is known (`expected`),
    objects are written as they come, byte for byte what `dumps(list)` would give; when it is
    not (messages that may turn out not to be messages), they are collected and written at
    `close`."""

    def __init__(
        self, sink: Environment, project: Callable[[R, str], Any], expected: int | None
    ) -> None:
        self._out = sink.stdout
        self._lang = sink.lang
        self._project = project
        self._expected = expected
        self._held: list[Any] = []
        self._written = 0

    def emit(self, report: R) -> None:
        obj = self._project(report, self._lang)
        if self._expected is None:
            self._held.append(obj)
        elif self._expected == 1:
            self._out.write(dumps(obj) + "\n")
        else:
            self._out.write(("[\n" if not self._written else ",\n") + _indent(dumps(obj)))
        self._written += 1
        self._out.flush()

    def close(self) -> None:
        if self._expected is None:
            if self._held:
                payload = self._held[0] if len(self._held) == 1 else self._held
                self._out.write(dumps(payload) + "\n")
        elif self._expected != 1:
            self._out.write("\n]\n" if self._written else "[]\n")
        self._out.flush()


class DocumentWriter(Generic[R]):
    """A format that needs every report before it can write anything (SARIF, JUnit)."""

    def __init__(self, sink: Environment, render: Callable[[Sequence[R], str], str]) -> None:
        self._out = sink.stdout
        self._lang = sink.lang
        self._render = render
        self._reports: list[R] = []

    def emit(self, report: R) -> None:
        self._reports.append(report)

    def close(self) -> None:
        self._out.write(self._render(self._reports, self._lang))
        self._out.flush()


def dumps(payload: Any) -> str:
    """Stable, readable JSON; non-ASCII kept as is (日本語 domains stay legible). `json` is
    imported here: a text report needs no JSON encoder (issue 10, start-up)."""
    import json

    return json.dumps(payload, indent=2, ensure_ascii=False, default=_fallback)


def _indent(text: str) -> str:
    # JSON escapes newlines inside strings, so every line break is structure.
    return textwrap.indent(text, "  ")


def _fallback(value: Any) -> Any:
    """Enums (`.value`) and sets still serialise; anything else as its string."""
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    if hasattr(value, "value"):
        return value.value
    return str(value)


@frozen
class Destination:
    """Where one format goes: `path` None is the sink the command was given (stdout).

    `in_place`: a line-per-report format (jsonl, csv) written straight to `path`, a whole
    line at a time, so an interrupted run leaves every finished report there
    (`render/line_file.py`); `append` and `skip_first_line` continue such a file (--resume).
    """

    path: Path | None = None
    in_place: bool = False
    append: bool = False
    skip_first_line: bool = False


class OutputWriteError(MailauthError):
    """A report file that cannot be written (a read-only directory, a full disk): said as
    such, with the destination's name, not as "cannot read" a temporary file."""

    key = "error.output-write"


class _FileSink:
    """A report file. A regular file (or a new one) is written beside its destination and
    renamed into place on success, so an interrupted run leaves the previous report as it
    was. Anything else that exists at the path (a device such as /dev/null, a FIFO, a
    terminal, /dev/stdout) is written in place: renaming over it would replace the device
    node itself with a file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._temp: Path | None = None
        try:
            if _special(path):
                self._file = open(path, "w", encoding="utf-8", newline="\n")  # noqa: SIM115
            else:
                directory = path.parent if str(path.parent) else Path(".")
                fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
                self._temp = Path(temp)
                self._file = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        except OSError as exc:
            raise self._error(exc) from exc
        self.stream: TextIO = cast(TextIO, _Checked(self._file, self._error))

    def _error(self, exc: OSError) -> OutputWriteError:
        return OutputWriteError(path=str(self.path), reason=os_reason(exc))

    def commit(self) -> None:
        try:
            self._file.close()
            if self._temp is not None:
                os.replace(self._temp, self.path)
        except OSError as exc:
            raise self._error(exc) from exc

    def discard(self) -> None:
        with suppress(OSError):
            self._file.close()
        if self._temp is not None:
            with suppress(OSError):
                self._temp.unlink()


def _special(path: Path) -> bool:
    """Something other than a regular file already exists at `path` (following links)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode)


class _Checked:
    """A file stream whose write errors (ENOSPC, EIO) are `OutputWriteError`s."""

    def __init__(self, stream: TextIO, error: Callable[[OSError], OutputWriteError]) -> None:
        self._stream = stream
        self._error = error
        self.encoding = stream.encoding

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except OSError as exc:
            raise self._error(exc) from exc

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as exc:
            raise self._error(exc) from exc

    def isatty(self) -> bool:
        return False


class _Sink(Protocol):
    stream: TextIO

    def commit(self) -> None: ...

    def discard(self) -> None: ...


def _open_sink(dest: Destination, path: Path) -> _Sink:
    if dest.in_place and not _special(path):
        from mailauth.render.line_file import LineFileSink

        line_file = LineFileSink(path, append=dest.append, skip_first_line=dest.skip_first_line)
        return cast(_Sink, line_file)
    return _FileSink(path)


class Outputs(Generic[R]):
    """Every writer of one run; `emit` feeds them all. Use as a context manager: on success
    every writer is closed and every file moved into place; on an error the files are
    discarded (an existing file at the destination is left as it was), except a file
    written in place, which keeps every whole report written before the error."""

    def __init__(
        self,
        env: Environment,
        plan: Sequence[tuple[Opener[R], Destination]],
        expected: int | None = None,
    ) -> None:
        self._env = env
        self._plan = plan
        self.expected = expected  # how many reports will be emitted, when known
        self._writers: list[ReportWriter[R]] = []
        self._files: list[_Sink] = []

    def __enter__(self) -> Outputs[R]:
        try:
            for opener, dest in self._plan:
                sink = self._env
                if dest.path is not None:
                    file = _open_sink(dest, dest.path)
                    self._files.append(file)
                    sink = Environment(
                        file.stream,
                        self._env.stderr,
                        colors=False,
                        lang=self._env.lang,
                        run=self._env.run,
                    )
                self._writers.append(opener(sink, self.expected))
        except BaseException:
            self._discard()
            raise
        return self

    def emit(self, report: R) -> None:
        for writer in self._writers:
            writer.emit(report)

    def __exit__(self, kind: object, exc: object, tb: object) -> None:
        if exc is not None:
            self._discard()
            return
        try:
            for writer in self._writers:
                writer.close()
            for file in self._files:
                file.commit()
        except BaseException:
            self._discard()
            raise

    def _discard(self) -> None:
        for file in self._files:
            file.discard()


def write_all(env: Environment, opener: Opener[R], reports: Sequence[R]) -> None:
    """Every report of a finished list, in one format, to `env` (library and test use)."""
    with Outputs(env, [(opener, Destination())], len(reports)) as out:
        for report in reports:
            out.emit(report)

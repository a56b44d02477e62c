"""A progress bar for bulk `check` runs: on a terminal only, never in a pipe or a log.

It is drawn on standard error, and only when standard error is a terminal and the reports
do not go to that same terminal (every report goes to a file with -o, or standard output is
not a terminal): a bar redrawn between streamed text reports would garble both. A pipe, a
CI log or a redirected run gets no extra byte. rich is imported only when a bar is shown.
"""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING, TextIO

from mailauth.i18n import label

if TYPE_CHECKING:
    from rich.progress import Progress, Task, TaskID
    from rich.text import Text


def wanted(stderr: TextIO, stdout: TextIO, reports_on_stdout: bool, total: int) -> bool:
    """Whether to draw a bar for `total` domains."""
    if total < 2 or not _is_tty(stderr):
        return False
    return not (reports_on_stdout and _is_tty(stdout))


def _is_tty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


class DomainProgress:
    """`with DomainProgress(stream, total, lang) as bar: bar.advance()` per finished domain.
    Shows done/total, domains per second and the time left."""

    def __init__(self, stream: TextIO, total: int, lang: str) -> None:
        self._stream = stream
        self._total = total
        self._lang = lang
        self._progress: Progress | None = None
        self._task: TaskID | None = None

    def __enter__(self) -> DomainProgress:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            ProgressColumn,
            TextColumn,
            TimeRemainingColumn,
        )
        from rich.text import Text

        lang = self._lang

        class RateColumn(ProgressColumn):
            def render(self, task: Task) -> Text:
                speed = task.finished_speed or task.speed
                rate = f"{speed:,.1f}" if speed else "-"
                return Text(label("cli.progress.rate", lang, rate=rate))

        console = Console(file=self._stream, stderr=True)
        self._progress = Progress(
            TextColumn(label("cli.progress.domains", lang)),
            BarColumn(),
            MofNCompleteColumn(),
            RateColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=False,
        )
        self._progress.start()
        self._task = self._progress.add_task("check", total=self._total)
        return self

    def advance(self) -> None:
        if self._progress is not None and self._task is not None:
            self._progress.advance(self._task)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._progress is not None:
            self._progress.stop()


class NoProgress:
    """The same interface, drawing nothing (piped, or one domain)."""

    def __enter__(self) -> NoProgress:
        return self

    def advance(self) -> None:
        pass

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        pass

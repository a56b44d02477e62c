"""A report file written in place, one whole line at a time (`--format jsonl|csv -o FILE`).

Other formats are written beside their destination and renamed into place at the end
(`render/output.py`), so an interrupted run leaves the previous report untouched. A scan
of 100,000 domains wants the opposite: whatever finished before Ctrl-C, SIGTERM or SIGKILL
must be in the file, and `--resume` must be able to continue from it. So these formats,
whose every line is a complete report, go straight to the destination:

- what a writer writes is held until its `flush()` (writers flush after each report), then
  everything up to the last line end goes to the file in `os.write` calls on an O_APPEND
  descriptor: no line is ever split across two writes by a buffer boundary, and the file
  never holds a partial report except when the process dies inside that one system call
  (`--resume` cuts such a torn tail off);
- on an error or an interrupt the file is kept, with every whole line written so far;
- resuming appends (`append`), and drops the CSV header the writer repeats when the file
  already has one (`skip_first_line`).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from mailauth.errors import os_reason
from mailauth.render.output import OutputWriteError


class LineFileSink:
    """The file at `path`, written in whole lines. `stream` is what a writer writes to."""

    def __init__(self, path: Path, *, append: bool = False, skip_first_line: bool = False) -> None:
        self.path = path
        self._pending = ""
        self._skip = skip_first_line
        flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if append else os.O_TRUNC)
        try:
            self._fd: int | None = os.open(path, flags | getattr(os, "O_CLOEXEC", 0), 0o666)
        except OSError as exc:
            raise self._error(exc) from exc
        self.stream = self
        self.encoding = "utf-8"

    def _error(self, exc: OSError) -> OutputWriteError:
        return OutputWriteError(path=str(self.path), reason=os_reason(exc))

    # -- the stream a writer sees ------------------------------------------------------

    def write(self, text: str) -> int:
        self._pending += text
        return len(text)

    def flush(self) -> None:
        """Write every whole line held."""
        cut = self._pending.rfind("\n") + 1
        if cut:
            lines, self._pending = self._pending[:cut], self._pending[cut:]
            self._write(lines)

    def isatty(self) -> bool:
        return False

    # -- the sink's end ----------------------------------------------------------------

    def commit(self) -> None:
        """The run ended: write what is held (a writer always ends its last line)."""
        self.flush()
        if self._pending:
            text, self._pending = self._pending, ""
            self._write(text)
        self._close()

    def discard(self) -> None:
        """The run failed or was interrupted: keep every whole line, drop a partial one."""
        with contextlib.suppress(OutputWriteError):
            self.flush()
        self._pending = ""
        self._close()

    def _write(self, text: str) -> None:
        if self._skip:
            end = text.find("\n") + 1
            if not end:
                self._pending = text + self._pending
                return
            text, self._skip = text[end:], False
        data = memoryview(text.encode("utf-8"))
        try:
            while data:
                if self._fd is None:
                    raise OSError(9, "file closed")
                written = os.write(self._fd, data)
                data = data[written:]
        except OSError as exc:
            raise self._error(exc) from exc

    def _close(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            try:
                os.close(fd)
            except OSError as exc:
                raise self._error(exc) from exc

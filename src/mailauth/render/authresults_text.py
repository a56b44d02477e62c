"""`mailauth verify --format authentication-results` (also `--authentication-results`): only the
Authentication-Results header each message would get, ready to paste or to compare.

When several files were given, each header is preceded by the file's name, like `head` and
`tail` do, and a blank line separates them.
"""

from __future__ import annotations

from mailauth.i18n import label
from mailauth.message.report import MessageReport
from mailauth.render.environment import Environment
from mailauth.render.sanitize import printable


class AuthResultsWriter:
    def __init__(self, sink: Environment, expected: int | None) -> None:
        self._out = sink.stdout
        self._lang = sink.lang
        self._named = expected is None or expected > 1
        self._count = 0

    def emit(self, report: MessageReport) -> None:
        if self._named:
            if self._count:
                self._out.write("\n")
            name = printable(report.file)
            self._out.write(label("verify.header-only.file", self._lang, file=name) + "\n")
        self._out.write(report.authentication_results.replace("\r\n", "\n") + "\n")
        self._out.flush()
        self._count += 1

    def close(self) -> None:
        self._out.flush()

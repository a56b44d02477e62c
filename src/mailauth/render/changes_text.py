"""The text report of `mailauth check`, followed for each domain by what changed since
`--baseline` when one was given (new and resolved findings, score delta, changed records).
Without a baseline it is exactly `render.text`'s writer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mailauth.i18n import label
from mailauth.render.environment import Environment
from mailauth.render.output import ReportWriter
from mailauth.render.sanitize import printable

if TYPE_CHECKING:  # --baseline only (issue 10, start-up)
    from mailauth.baseline import Changes
    from mailauth.domain.runner import DomainReport


class ChangesTextWriter:
    def __init__(self, sink: Environment, inner: ReportWriter[DomainReport]) -> None:
        self._sink = sink
        self._inner = inner

    def emit(self, report: DomainReport) -> None:
        self._inner.emit(report)
        changes = self._sink.run.changes
        if changes is not None and report.target in changes:
            out = self._sink.stdout
            out.write("\n" + "\n".join(change_lines(changes[report.target], self._sink.lang)))
            out.write("\n")
            out.flush()

    def close(self) -> None:
        self._inner.close()


def change_lines(c: Changes, lang: str) -> list[str]:
    """The changes of one domain as plain lines (text and GitHub log)."""
    lines = [label("markdown.changes", lang, target=printable(c.target))]
    if not c.known:
        lines.append("  " + label("baseline.added", lang))
    if c.score_delta:
        lines.append("  " + label("baseline.score-delta", lang, delta=f"{c.score_delta:+d}"))
    for key, ids in (("baseline.new", c.new), ("baseline.resolved", c.resolved)):
        if ids:
            lines.append("  " + label(key, lang, ids=", ".join(ids)))
    for r in c.records:
        text = label(
            "baseline.record", lang, check=r.check, before=r.before or "-", after=r.after or "-"
        )
        lines.append("  " + printable(text))
    if len(lines) == 1:
        lines.append("  " + label("baseline.unchanged", lang))
    return lines


def text_writer(sink: Environment, expected: int | None) -> ChangesTextWriter:
    from mailauth.render.text import text_writer as plain

    return ChangesTextWriter(sink, plain(sink, expected))

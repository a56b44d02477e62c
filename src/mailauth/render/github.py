"""`--format github`: GitHub Actions workflow commands, one annotation per finding
(`::error file=zones/example.jp.zone,line=19,title=…::…`), shown on the run and, with a file
location, on the pull request's diff.

GitHub shows at most 10 annotations of each level per step, so this writes at most
`PER_LEVEL` of each (worst first within each report) and ends with one plain line counting
the rest, pointing at the full report. Levels: critical/high are errors, medium warnings,
low/info notices. A finding gets a file and line when its record came from a zone file.
With `--baseline`, each report's changes are listed first and a finding that is new since
the baseline says so in its title (what a reviewer of the pull request looks for).

Workflow commands are parsed from the log, so every value is escaped as the Actions toolkit
does (`%`, CR, LF; in properties also `:` and `,`): a TXT record cannot forge a command.
"""

from __future__ import annotations

from mailauth.i18n import label
from mailauth.render.environment import Environment
from mailauth.render.interface import Reportable
from mailauth.render.places import level, located, workspace_path
from mailauth.render.sanitize import printable

PER_LEVEL = 10
_COMMAND = {"error": "error", "warning": "warning", "note": "notice"}


class GithubWriter:
    def __init__(self, sink: Environment, expected: int | None) -> None:
        self._out = sink.stdout
        self._lang = sink.lang
        self._run = sink.run
        self._shown = dict.fromkeys(_COMMAND.values(), 0)
        self._hidden = dict.fromkeys(_COMMAND.values(), 0)

    def emit(self, report: Reportable) -> None:
        lang = self._lang
        card = report.score
        self._out.write(
            label(
                "github.report",
                lang,
                target=_data(printable(report.target)),
                score=card.score,
                grade=card.grade,
                count=len(report.findings),
            )
            + "\n"
        )
        changes = self._run.changes
        found = changes.get(report.target) if changes is not None else None
        if found is not None:
            from mailauth.render.changes_text import change_lines

            for line in change_lines(found, lang):
                self._out.write(_data(line) + "\n")
        for item in located(report, self._run.locator):
            command = _COMMAND[level(item.finding.severity)]
            if self._shown[command] >= PER_LEVEL:
                self._hidden[command] += 1
                continue
            self._shown[command] += 1
            text = item.finding.text(lang)
            props: list[tuple[str, str]] = []
            origin = item.place.origin
            path = workspace_path(origin.path) if origin is not None else None
            if origin is not None:
                props += [("file", path or origin.path), ("line", str(origin.line))]
            new = found is not None and found.state(item.finding.id, item.check) == "new"
            title = label(
                "github.title-new" if new else "github.title",
                lang,
                target=item.target,
                title=text.title,
                id=item.finding.id,
            )
            props.append(("title", title))
            body = [text.detail, f"{label('finding.fix', lang)}: {text.fix}"]
            if item.finding.fix_record:
                body.append(item.finding.fix_record)
            if item.place.logical:
                body.append(item.place.logical)
            fields = ",".join(f"{k}={_property(printable(v))}" for k, v in props)
            message = "\n".join(printable(part) for part in body)
            self._out.write(f"::{command} {fields}::{_data(message)}\n")
        self._out.flush()

    def close(self) -> None:
        if any(self._hidden.values()):
            line = label(
                "github.more",
                self._lang,
                errors=self._hidden["error"],
                warnings=self._hidden["warning"],
                notices=self._hidden["notice"],
                limit=PER_LEVEL,
            )
            self._out.write(line + "\n")
        self._out.flush()


def _data(text: str) -> str:
    """A command's message, escaped like @actions/core's `escapeData`."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    """A command property, escaped like @actions/core's `escapeProperty`."""
    return _data(text).replace(":", "%3A").replace(",", "%2C")

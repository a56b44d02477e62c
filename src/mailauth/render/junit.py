"""`--format junit`: JUnit XML, which CI systems (GitLab, Jenkins, Azure, test-report actions)
show as test results: one `<testsuite>` per report, one `<testcase>` per check of it (for a
domain: each registry check, and the existence stage when it ran; for a message: each
message section of the catalogue). A check with findings worse than info fails, its
`<failure>` carrying every finding (title, id, detail, fix, record); a check that gave no
verdict is an `<error>`; info findings go to `<system-out>`. With `--baseline`, each suite
gains a `baseline` test case that fails when findings are new since the baseline (what
`--fail-on-new` fails on), its `<system-out>` listing every change.

Built with ElementTree, so every value is escaped; characters XML 1.0 cannot hold (a TXT
record may carry any byte) are written as visible escapes first.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence

from mailauth.baseline import Changes
from mailauth.i18n import label
from mailauth.model import Finding, Severity, worst
from mailauth.render.environment import Environment
from mailauth.render.interface import Reportable
from mailauth.render.output import DocumentWriter
from mailauth.render.places import cases
from mailauth.render.sanitize import printable

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def junit_writer(sink: Environment, expected: int | None) -> DocumentWriter[Reportable]:
    command, changes = sink.run.command, sink.run.changes

    def render(reports: Sequence[Reportable], lang: str) -> str:
        return render_junit(reports, command, lang, changes)

    return DocumentWriter(sink, render)


def render_junit(
    reports: Sequence[Reportable],
    command: str,
    lang: str = "en",
    changes: Mapping[str, Changes] | None = None,
) -> str:
    root = ET.Element("testsuites", name=f"mailauth {command}")
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for report in reports:
        suite = ET.SubElement(root, "testsuite", name=_x(report.target))
        props = ET.SubElement(suite, "properties")
        ET.SubElement(props, "property", name="score", value=str(report.score.score))
        ET.SubElement(props, "property", name="grade", value=report.score.grade)
        counts = {"tests": 0, "failures": 0, "errors": 0}
        left_out = _skipped(report)
        for name, findings, error in cases(report):
            counts["tests"] += 1
            case = ET.SubElement(suite, "testcase", classname=_x(report.target), name=name)
            failing = [f for f in findings if f.severity is not Severity.INFO]
            info = [f for f in findings if f.severity is Severity.INFO]
            if name in left_out:  # --checks: not run, so neither passed nor failed
                ET.SubElement(case, "skipped", message=label("section.skipped", lang))
            elif error:
                counts["errors"] += 1
                element = ET.SubElement(
                    case, "error", message=label("junit.error", lang, check=name)
                )
                element.text = _x(_describe(findings, lang))
            elif failing:
                counts["failures"] += 1
                top = worst(failing)
                message = label(
                    "junit.failure", lang, count=len(failing), title=failing[0].text(lang).title
                )
                element = ET.SubElement(
                    case, "failure", message=_x(message), type=top.value if top else ""
                )
                element.text = _x(_describe(failing, lang))
            if info:
                ET.SubElement(case, "system-out").text = _x(_describe(info, lang))
        found = changes.get(report.target) if changes is not None else None
        if found is not None:
            counts["tests"] += 1
            counts["failures"] += _baseline_case(suite, report.target, found, lang)
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
        suite.set("skipped", str(len(left_out)))
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def _skipped(report: Reportable) -> frozenset[str]:
    """The checks a domain report left out (`mailauth check --checks`)."""
    from mailauth.domain.runner import DomainReport

    return frozenset(report.skipped) if isinstance(report, DomainReport) else frozenset()


def _baseline_case(suite: ET.Element, target: str, c: Changes, lang: str) -> int:
    """The `baseline` test case of one suite; 1 when it fails (findings are new)."""
    from mailauth.render.changes_text import change_lines

    case = ET.SubElement(suite, "testcase", classname=_x(target), name="baseline")
    if c.new:
        ids = ", ".join(c.new)
        message = label("junit.baseline", lang, count=len(c.new), ids=ids)
        ET.SubElement(case, "failure", message=_x(message), type="new")
    ET.SubElement(case, "system-out").text = _x("\n".join(change_lines(c, lang)))
    return 1 if c.new else 0


def _describe(findings: Sequence[Finding], lang: str) -> str:
    blocks = []
    for f in findings:
        text = f.text(lang)
        lines = [
            f"[{f.severity.value}] {text.title} ({f.id})",
            text.detail,
            f"{label('finding.fix', lang)}: {text.fix}",
        ]
        if f.fix_record:
            lines.append(f.fix_record)
        blocks.append("\n".join(line for line in lines if line))
    return "\n\n".join(blocks)


def _x(text: str) -> str:
    """Text XML 1.0 can hold: anything else made visible (`\\x00`)."""
    if not _NOT_XML.search(text):
        return text
    return _NOT_XML.sub(lambda m: printable(m.group(0)), text)

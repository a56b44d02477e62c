"""The output seam: streaming writers, document writers, several destinations per run, and
files that appear only when a run succeeds."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from pathlib import Path

import pytest
from rich.console import Console

from mailauth.render.environment import Environment
from mailauth.render.output import (
    Destination,
    DocumentWriter,
    JsonWriter,
    Opener,
    Outputs,
    ReportWriter,
    TextWriter,
    dumps,
)

Report = dict[str, object]
REPORTS: list[Report] = [{"domain": "a.example", "n": 1}, {"domain": "日本語.jp", "list": [1, 2]}]


def env() -> Environment:
    return Environment(io.StringIO(), io.StringIO(), lang="en")


def json_opener(sink: Environment, expected: int | None) -> ReportWriter[Report]:
    return JsonWriter(sink, lambda r, lang: r, expected)


def text_opener(sink: Environment, expected: int | None) -> ReportWriter[Report]:
    def one(console: Console, report: Report, lang: str) -> None:
        console.print(f"report {report['domain']}")

    return TextWriter(sink, one)


def doc_opener(sink: Environment, expected: int | None) -> ReportWriter[Report]:
    def render(reports: Sequence[Report], lang: str) -> str:
        return f"{len(reports)} reports\n"

    return DocumentWriter(sink, render)


def run(plan: list[tuple[Opener[Report], Destination]], expected: int | None) -> Environment:
    e = env()
    with Outputs(e, plan, expected) as out:
        for r in REPORTS[: expected or len(REPORTS)]:
            out.emit(r)
    return e


@pytest.mark.parametrize("count", [1, 2])
def test_streamed_json_is_byte_for_byte_the_document(count: int) -> None:
    e = run([(json_opener, Destination())], count)
    payload = REPORTS[0] if count == 1 else REPORTS[:count]
    assert e.stdout.getvalue() == dumps(payload) + "\n"  # type: ignore[attr-defined]
    assert json.loads(e.stdout.getvalue()) == payload  # type: ignore[attr-defined]


def test_json_with_an_unknown_count_decides_at_the_end() -> None:
    e = run([(json_opener, Destination())], None)
    assert json.loads(e.stdout.getvalue()) == REPORTS  # type: ignore[attr-defined]


def test_json_of_nothing_expected_is_an_empty_array() -> None:
    e = env()
    with Outputs(e, [(json_opener, Destination())], 0):
        pass
    assert e.stdout.getvalue() == "[]\n"  # type: ignore[attr-defined]


def test_text_is_written_as_each_report_is_emitted() -> None:
    e = env()
    with Outputs(e, [(text_opener, Destination())], 2) as out:
        out.emit(REPORTS[0])
        assert "report a.example" in e.stdout.getvalue()  # type: ignore[attr-defined]
        out.emit(REPORTS[1])
    assert e.stdout.getvalue() == "report a.example\n\nreport 日本語.jp\n"  # type: ignore[attr-defined]


def test_several_formats_in_one_run(tmp_path: Path) -> None:
    target, doc = tmp_path / "out.json", tmp_path / "doc.txt"
    plan = [
        (text_opener, Destination()),
        (json_opener, Destination(target)),
        (doc_opener, Destination(doc)),
    ]
    e = run(plan, 2)
    assert "report a.example" in e.stdout.getvalue()  # type: ignore[attr-defined]
    assert json.loads(target.read_text(encoding="utf-8")) == REPORTS
    assert doc.read_text(encoding="utf-8") == "2 reports\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["doc.txt", "out.json"]


def test_a_failed_run_leaves_an_existing_file_as_it_was(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_text("previous\n", encoding="utf-8")
    with (
        pytest.raises(RuntimeError),
        Outputs(env(), [(json_opener, Destination(target))], 2) as out,
    ):
        out.emit(REPORTS[0])
        raise RuntimeError("interrupted")
    assert target.read_text(encoding="utf-8") == "previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]  # no temporary file left


def test_domain_and_message_reports_are_reportable() -> None:
    """Cross-cutting formats (SARIF, JUnit, Markdown) are written once against `Reportable`."""
    import asyncio

    from mailauth.dns.zonefile import ZoneSource
    from mailauth.domain.runner import check_domain
    from mailauth.message import verify_message
    from mailauth.render.interface import Reportable

    repo = Path(__file__).resolve().parents[3]
    dns = ZoneSource.from_paths([repo / "samples" / "zones"])
    domain = asyncio.run(check_domain(dns, "broken.example"))
    raw = (repo / "samples" / "messages" / "good.eml").read_bytes()
    message = asyncio.run(verify_message(raw, dns, file="good.eml"))
    for report, target in ((domain, "broken.example"), (message, "good.eml")):
        assert isinstance(report, Reportable)
        assert report.target == target
        assert list(report.findings) == sorted(report.findings, key=lambda f: f.severity.rank)
    assert domain.findings and domain.score.score < 100


def test_a_device_is_written_in_place_never_replaced(tmp_path: Path) -> None:
    """-o /dev/null (or a FIFO, a terminal, /dev/stdout) is written to, not renamed over:
    replacing it would turn the device node into a regular file."""
    import os
    import stat
    import threading

    devnull = Path(os.devnull)
    before = devnull.stat()
    run([(json_opener, Destination(devnull))], 2)
    after = devnull.stat()
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    run([(json_opener, Destination(fifo))], 2)
    reader.join(timeout=10)
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert json.loads(got[0]) == REPORTS
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]

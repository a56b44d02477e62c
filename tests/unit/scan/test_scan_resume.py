"""--resume's reading of an output file (scan/resume.py): torn tails repaired, whole lines
kept, a file that is not a scan's refused and left exactly as it was."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mailauth.render.csv_rows import DOMAIN_COLUMNS
from mailauth.render.interface import Format
from mailauth.scan.resume import ResumeError, read_done, repair_tail


def line(domain: str) -> str:
    return json.dumps({"schema_version": 1, "domain": domain, "score": 90}) + "\n"


def test_missing_file_is_an_empty_start(tmp_path: Path) -> None:
    point = read_done(tmp_path / "none.jsonl", Format.JSONL)
    assert not point.existed and point.done == frozenset() and point.reports == 0


def test_whole_lines_are_read(tmp_path: Path) -> None:
    out = tmp_path / "o.jsonl"
    out.write_text(line("a.example") + line("b.example"))
    point = read_done(out, Format.JSONL)
    assert point.done == {"a.example", "b.example"} and point.reports == 2
    assert point.dropped_bytes == 0 and out.read_text().count("\n") == 2


def test_a_torn_last_line_is_cut_off(tmp_path: Path) -> None:
    out = tmp_path / "o.jsonl"
    whole = line("a.example") + line("b.example")
    out.write_text(whole + line("c.example")[:25])
    point = read_done(out, Format.JSONL)
    assert point.done == {"a.example", "b.example"} and point.dropped_bytes == 25
    assert out.read_text() == whole


def test_a_file_with_only_a_torn_line_is_emptied(tmp_path: Path) -> None:
    out = tmp_path / "o.jsonl"
    out.write_text('{"domain": "a.ex')
    assert repair_tail(out) == 16 and out.read_bytes() == b""


def test_repair_finds_the_line_end_across_chunks(tmp_path: Path) -> None:
    out = tmp_path / "o.jsonl"
    out.write_text(line("a.example") + "x" * 200_000)
    assert repair_tail(out) == 200_000
    assert out.read_text() == line("a.example")


def test_a_whole_line_that_is_no_report_is_refused_and_nothing_changes(tmp_path: Path) -> None:
    out = tmp_path / "o.jsonl"
    text = line("a.example") + "not json\n" + line("b.example") + '{"dom'
    out.write_text(text)
    with pytest.raises(ResumeError) as caught:
        read_done(out, Format.JSONL)
    assert "line 2" in caught.value.diagnostics()
    assert out.read_text() == text[: text.rindex("\n") + 1]  # only the torn tail went


def test_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ResumeError, match="not a regular file"):
        read_done(tmp_path, Format.JSONL)


def csv_text(*domains: str) -> str:
    header = ",".join(DOMAIN_COLUMNS) + "\n"
    rows = "".join(domain + "," * (len(DOMAIN_COLUMNS) - 1) + "\n" for domain in domains)
    return header + rows


def test_csv_rows_under_the_header(tmp_path: Path) -> None:
    out = tmp_path / "o.csv"
    out.write_text(csv_text("a.example", "b.example") + "c.exam")
    point = read_done(out, Format.CSV)
    assert point.done == {"a.example", "b.example"} and point.has_header
    assert out.read_text() == csv_text("a.example", "b.example")


def test_csv_with_only_a_header_or_nothing(tmp_path: Path) -> None:
    out = tmp_path / "o.csv"
    out.write_text(csv_text())
    assert read_done(out, Format.CSV).has_header
    out.write_text("domain,unicode_dom")  # the header itself was torn
    point = read_done(out, Format.CSV)
    assert not point.has_header and point.reports == 0 and out.read_text() == ""


def test_csv_with_other_columns_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "o.csv"
    out.write_text("domain,score\na.example,90\n")
    with pytest.raises(ResumeError, match="header"):
        read_done(out, Format.CSV)

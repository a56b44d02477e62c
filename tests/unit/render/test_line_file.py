"""Files written in place a whole line at a time (render/line_file.py), through `Outputs`:
an interrupted run keeps every finished report, a resumed one appends without a second
CSV header."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from mailauth.render.environment import Environment
from mailauth.render.line_file import LineFileSink
from mailauth.render.output import Destination, Outputs


class Lines:
    """A writer emitting each report as a line in two pieces, then flushing."""

    def __init__(self, sink: Environment, expected: int | None) -> None:
        self.out = sink.stdout
        self.out.write("header\n")
        self.out.flush()

    def emit(self, report: str) -> None:
        self.out.write(report[:2])
        self.out.write(report[2:] + "\n")
        self.out.flush()

    def close(self) -> None:
        self.out.flush()


def env() -> Environment:
    return Environment(io.StringIO(), io.StringIO(), colors=False)


def test_nothing_reaches_the_file_before_a_whole_line(tmp_path: Path) -> None:
    path = tmp_path / "o.txt"
    sink = LineFileSink(path)
    sink.write("abc")
    sink.flush()
    assert path.read_text() == ""
    sink.write("def\nghi")
    sink.flush()
    assert path.read_text() == "abcdef\n"
    sink.discard()
    assert path.read_text() == "abcdef\n"  # the partial "ghi" is dropped, the rest kept


def test_an_interrupted_run_keeps_every_finished_report(tmp_path: Path) -> None:
    path = tmp_path / "scan.out"
    path.write_text("an old report\n")
    plan = [(Lines, Destination(path, in_place=True))]
    with pytest.raises(KeyboardInterrupt), Outputs(env(), plan, 3) as out:
        out.emit("one")
        out.emit("two")
        raise KeyboardInterrupt
    assert path.read_text() == "header\none\ntwo\n"


def test_a_file_not_in_place_is_still_written_beside_and_renamed(tmp_path: Path) -> None:
    path = tmp_path / "report.out"
    path.write_text("previous\n")
    with pytest.raises(KeyboardInterrupt), Outputs(env(), [(Lines, Destination(path))], 3) as out:
        out.emit("one")
        raise KeyboardInterrupt
    assert path.read_text() == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.out"]


def test_resuming_appends_and_drops_the_repeated_header(tmp_path: Path) -> None:
    path = tmp_path / "scan.out"
    path.write_text("header\none\n")
    dest = Destination(path, in_place=True, append=True, skip_first_line=True)
    with Outputs(env(), [(Lines, dest)], 1) as out:
        out.emit("two")
    assert path.read_text() == "header\none\ntwo\n"


def test_a_device_is_written_as_before(tmp_path: Path) -> None:
    with Outputs(env(), [(Lines, Destination(Path("/dev/null"), in_place=True))], 1) as out:
        out.emit("one")
    assert Path("/dev/null").exists()

"""The store's summary of its reports (`report/store_known.py`), which skips the duplicate
query for a report that surely has no neighbour: the same outcomes and the same store as
with the query asked every time, in any order of import, with odd ranges, when another
connection writes in between, and when a reporter is too big to summarise."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pytest
from tests.support import dmarc_gen as gen
from tests.unit.report.test_import_batch import SEQUENCE, _state, _xml

from mailauth.report import store_known
from mailauth.report.aggregate import iter_aggregate
from mailauth.report.model import Note
from mailauth.report.store import Imported, SqliteStore

DAY = gen.DAY
S = gen.START
MORE = [
    ("Yahoo", "back", S + 9 * DAY, S + 8 * DAY, 3),  # end before begin
    ("Yahoo", "d1", S + 30 * DAY, S + 31 * DAY - 1, 2),  # a known id, far away
    ("Yahoo", "late", S + 40 * DAY, S + 41 * DAY - 1, 6),
    ("Yahoo", "early", S - 10 * DAY, S - 9 * DAY - 1, 6),
    ("google.com", "g2", S + 3 * DAY - 1, S + 4 * DAY - 1, 4),  # touches g's end second
]


def _put(s: SqliteStore, row: tuple[str, str, int, int, int]) -> Imported:
    notes: list[Note] = []
    events = iter_aggregate(io.BytesIO(_xml(*row)), notes)
    return s.import_aggregate("x", events, notes, lambda: "h")


@pytest.mark.parametrize("seed", range(6))
def test_the_same_outcomes_and_store_as_asking_every_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    rows = SEQUENCE + MORE
    random.Random(seed).shuffle(rows)
    summarised = SqliteStore(tmp_path / "a.sqlite")
    skipped = 0
    original = store_known.KnownReports.surely_new

    def counting(self: store_known.KnownReports, *args: object) -> bool:
        nonlocal skipped
        answer = original(self, *args)  # type: ignore[arg-type]
        skipped += answer
        return answer

    monkeypatch.setattr(store_known.KnownReports, "surely_new", counting)
    with summarised.batch():
        got = [_put(summarised, row) for row in rows[:8]]
    got += [_put(summarised, row) for row in rows[8:]]  # one transaction each
    monkeypatch.setattr(store_known.KnownReports, "surely_new", lambda self, *a: False)
    asked = SqliteStore(tmp_path / "b.sqlite")
    want = [_put(asked, row) for row in rows]
    assert got == want
    assert _state(summarised) == _state(asked)
    assert skipped >= 3


def test_a_report_written_by_another_connection_is_seen(tmp_path: Path) -> None:
    """The summary is dropped when another connection wrote (PRAGMA data_version): the
    other run's report is a duplicate here, not a second copy."""
    db = tmp_path / "dmarc.sqlite"
    one, two = SqliteStore(db), SqliteStore(db)
    first = ("google.com", "g1", S, S + DAY - 1, 2)
    second = ("google.com", "g2", S + DAY, S + 2 * DAY - 1, 3)
    assert _put(one, first) is Imported.NEW  # google.com summarised in `one`
    assert _put(two, second) is Imported.NEW
    assert _put(one, second) is Imported.DUPLICATE
    with one.batch():
        assert _put(one, ("google.com", "g3", S + 2 * DAY, S + 3 * DAY - 1, 1)) is Imported.NEW
    assert _put(two, ("google.com", "g3", S + 2 * DAY, S + 3 * DAY - 1, 1)) is Imported.DUPLICATE
    assert [r.report_id for r in two.reports(None, None)] == ["g1", "g2", "g3"]
    one.close()
    two.close()


def test_a_reporter_too_big_to_summarise_is_asked_about(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_known, "MAX_PER_ORG", 2)
    monkeypatch.setattr(store_known, "MAX_KNOWN", 3)
    s = SqliteStore(tmp_path / "dmarc.sqlite")
    rows = [("google.com", f"g{n}", S + n * DAY, S + (n + 1) * DAY - 1, 1) for n in range(5)]
    rows += [("Yahoo", f"y{n}", S + n * DAY, S + (n + 1) * DAY - 1, 1) for n in range(3)]
    with s.batch():
        assert [_put(s, row) for row in rows] == [Imported.NEW] * 8
    s.close()
    s = SqliteStore(tmp_path / "dmarc.sqlite")
    with s.batch():
        assert [_put(s, row) for row in rows] == [Imported.DUPLICATE] * 8
    assert len(s.reports(None, None)) == 8

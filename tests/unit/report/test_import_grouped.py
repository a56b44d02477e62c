"""Small reports written in groups (`SqliteStore._defer`/`_flush`): the same rows, with the
same ids, as one report at a time; a group whose write fails keeps the reports before the
failing one and rolls that one back alone; a run that dies keeps the whole reports."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from tests.support import dmarc_gen as gen
from tests.unit.report.test_import_batch import SEQUENCE, _put, _state, _xml
from tests.unit.report.test_store_totals import assert_ranges_exact

from mailauth.report import store as store_module
from mailauth.report.ingest import import_inputs
from mailauth.report.store import Imported, SqliteStore

S, DAY = gen.START, gen.DAY


def _rows(db: Path) -> list[list[tuple[object, ...]]]:
    con = sqlite3.connect(db)
    tables = []
    for table in ("reports", "records", "outcomes"):
        columns = [r[1] for r in con.execute(f"PRAGMA table_info({table})")]
        kept = ", ".join(c for c in columns if c != "imported_at")
        tables.append(con.execute(f"SELECT {kept} FROM {table} ORDER BY id").fetchall())
    con.close()
    return tables


@pytest.mark.parametrize("group", [2, 3, 64])
@pytest.mark.parametrize("order", [1, -1])
def test_groups_store_what_single_imports_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, group: int, order: int
) -> None:
    """The same answers as one report per transaction, and the same rows with the same
    ids as a batch writing each report as soon as it is read (a group of one)."""
    sequence = (SEQUENCE + [("Yahoo", f"n{i}", S + (30 + i) * DAY, S + (31 + i) * DAY - 1, i + 1)
                            for i in range(7)])[::order]  # fmt: skip
    single = SqliteStore(tmp_path / "single.sqlite")
    outcomes_single = [_put(single, _xml(*r)) for r in sequence]
    stores = {}
    for size in (1, group):
        monkeypatch.setattr(store_module, "PENDING_REPORTS", size)
        stores[size] = SqliteStore(tmp_path / f"group-{size}.sqlite")
        with stores[size].batch():
            assert [_put(stores[size], _xml(*r)) for r in sequence] == outcomes_single
            # a reader inside the batch sees every report imported so far
            assert len(stores[size].reports(None, None)) == len(single.reports(None, None))
        assert _state(stores[size]) == _state(single)
        stores[size].close()
    single.close()
    assert _rows(tmp_path / f"group-{group}.sqlite") == _rows(tmp_path / "group-1.sqlite")


def test_a_failing_group_keeps_the_reports_before_and_rolls_back_the_failing_one(
    tmp_path: Path,
) -> None:
    """The write of the group fails (here a trigger refuses one report's row, as a full
    disk could refuse any): the reports before it are stored whole, it is not, and its
    error reaches the caller as when each report wrote itself."""
    db = tmp_path / "dmarc.sqlite"
    s = SqliteStore(db)
    con = sqlite3.connect(db)
    con.execute(
        "CREATE TRIGGER refuse BEFORE INSERT ON reports WHEN NEW.report_id = 'bad'"
        " BEGIN SELECT RAISE(ABORT, 'refused'); END"
    )
    con.commit()
    con.close()
    with pytest.raises(sqlite3.IntegrityError, match="refused"), s.batch():
        assert _put(s, _xml("google.com", "a", S, S + DAY - 1, 3)) is Imported.NEW
        assert _put(s, _xml("google.com", "b", S + DAY, S + 2 * DAY - 1, 4)) is Imported.NEW
        _put(s, _xml("google.com", "bad", S + 2 * DAY, S + 3 * DAY - 1, 5))
        _put(s, _xml("google.com", "c", S + 3 * DAY, S + 4 * DAY - 1, 6))
    other = SqliteStore(db)
    assert [r.report_id for r in other.reports(None, None)] == ["a", "b"]
    assert sum(r.messages for r in other.day_rows(None, None)) == 7
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(*) FROM records").fetchone()[0] == 2  # none of bad's
    con.close()
    with s.batch():  # the store goes on: the report after it imports
        assert _put(s, _xml("google.com", "c", S + 3 * DAY, S + 4 * DAY - 1, 6)) is Imported.NEW
    assert sum(r.messages for r in other.day_rows(None, None)) == 13
    s.close()
    other.close()


class _FailsOnce:
    """The store's connection, with the first group write failing (a transient error, as a
    disk that was full for a moment): an edge case no real SQLite produces on demand."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        self.failed = False

    def executemany(self, sql: str, rows: object) -> sqlite3.Cursor:
        if not self.failed and "INSERT INTO reports" in sql:
            self.failed = True
            raise sqlite3.OperationalError("disk I/O error")
        return self._db.executemany(sql, rows)  # type: ignore[arg-type]

    def __getattr__(self, name: str) -> object:
        return getattr(self._db, name)


def test_a_group_error_that_does_not_recur_fails_no_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The group's write fails once and its reports are written one by one: every report
    is stored and none is reported as failed (the error is not raised for a report that
    was written)."""
    monkeypatch.setattr(store_module, "PENDING_REPORTS", 3)
    db = tmp_path / "dmarc.sqlite"
    s = SqliteStore(db)
    flaky = _FailsOnce(s._db)
    s._db = flaky  # type: ignore[assignment]
    with s.batch():
        for n in range(4):
            r = _xml("google.com", f"r{n}", S + n * DAY, S + (n + 1) * DAY - 1, n + 1)
            assert _put(s, r) is Imported.NEW
    assert flaky.failed
    s._db = flaky._db
    other = SqliteStore(db)
    assert [r.report_id for r in other.reports(None, None)] == [f"r{n}" for n in range(4)]
    assert sum(r.messages for r in other.day_rows(None, None)) == 10
    s.close()
    other.close()


def test_a_run_dying_with_reports_pending_commits_them_whole(tmp_path: Path) -> None:
    db = tmp_path / "dmarc.sqlite"
    s = SqliteStore(db)
    with pytest.raises(KeyboardInterrupt), s.batch():
        for n in range(5):
            _put(s, _xml("google.com", f"r{n}", S + n * DAY, S + (n + 1) * DAY - 1, n + 1))
        raise KeyboardInterrupt
    other = SqliteStore(db)
    assert [r.report_id for r in other.reports(None, None)] == [f"r{n}" for n in range(5)]
    assert sum(r.messages for r in other.day_rows(None, None)) == 15
    s.close()
    other.close()


def test_pending_records_stay_under_a_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reports of up to BATCH records are deferred whole; the group is written once its
    records reach BATCH, so no more than about one report's buffer is held."""
    monkeypatch.setattr(store_module, "BATCH", 7)
    s = SqliteStore(tmp_path / "dmarc.sqlite")
    held = []
    with s.batch():
        for n in range(6):
            xml = gen.aggregate_xml("google.com", f"r{n}", gen.DOMAIN, S + n * DAY,
                                    [(gen.OWN_MTA, 1)] * 3)  # fmt: skip
            assert _put(s, xml) is Imported.NEW
            held.append(s._pending_records)
    assert max(held) < 7 and held.count(0) >= 2  # written as the records reached BATCH
    assert sum(r.messages for r in s.day_rows(None, None)) == 18
    s.close()


def test_a_killed_run_leaves_whole_reports_only(tmp_path: Path) -> None:
    """A real process importing small reports (written in groups) killed by SIGKILL at
    its 730th report, after its first commit and with a group pending: the
    store holds whole reports only, each with exactly its records, and opens and imports
    the rest."""
    import os
    import subprocess
    import sys

    inputs = tmp_path / "in"
    inputs.mkdir()
    for n in range(1500):
        begin = S + n * DAY
        (inputs / f"r{n:05d}.xml").write_bytes(
            gen.aggregate_xml("google.com", f"k{n}", gen.DOMAIN, begin, [(gen.OWN_MTA, 2)])
        )
    db = tmp_path / "dmarc.sqlite"
    src = Path(store_module.__file__).resolve().parents[2]
    code = """
import os, signal, sys
from pathlib import Path
from mailauth.report.ingest import import_inputs
from mailauth.report.store import SqliteStore

imported = SqliteStore.import_aggregate
count = 0

def dying(self, *args, **kwargs):
    global count
    count += 1
    if count == 730:
        os.kill(os.getpid(), signal.SIGKILL)
    return imported(self, *args, **kwargs)

SqliteStore.import_aggregate = dying
import_inputs(SqliteStore(Path(sys.argv[1])), [sys.argv[2]])
"""
    env = {**os.environ, "PYTHONPATH": str(src)}
    done = subprocess.run([sys.executable, "-c", code, str(db), str(inputs)], env=env, timeout=600)
    assert done.returncode == -9
    con = sqlite3.connect(db)
    (stored,) = con.execute("SELECT count(*) FROM reports").fetchone()
    assert 0 < stored < 730  # its commits (every 500 reports or 0.5 s); not the rest
    assert_ranges_exact(con)
    bad = con.execute(
        "SELECT count(*) FROM reports WHERE last_record - first_record + 1 != 1"
    ).fetchone()[0]
    assert bad == 0  # every stored report has its one record
    con.close()
    store = SqliteStore(db)
    summary = import_inputs(store, [str(inputs)])
    assert summary.reports_read + stored == 1500 and summary.duplicates == stored
    assert sum(r.messages for r in store.day_rows(None, None)) == 1500 * 2
    store.close()


class _TotalsFail:
    """The store's connection, with the write of the kept totals failing (`_write_totals`),
    and optionally the marking of their reports as not folded after it."""

    def __init__(self, db: sqlite3.Connection, *, unfold_too: bool) -> None:
        self._db = db
        self.unfold_too = unfold_too
        self.failed = 0

    def executemany(self, sql: str, rows: object) -> sqlite3.Cursor:
        if sql.startswith("INSERT INTO source_totals") or (
            self.unfold_too and sql.startswith("UPDATE reports SET folded = 0")
        ):
            self.failed += 1
            raise sqlite3.OperationalError("disk I/O error")
        return self._db.executemany(sql, rows)  # type: ignore[arg-type]

    def __getattr__(self, name: str) -> object:
        return getattr(self._db, name)


@pytest.mark.parametrize("unfold_too", [False, True])
def test_totals_that_cannot_be_written_leave_their_reports_unfolded(
    tmp_path: Path, unfold_too: bool
) -> None:
    """The totals of a batch's grouped reports are written once, before its commit; if
    that fails, the error reaches the caller and the totals still hold exactly the folded
    reports: the grouped reports are kept not folded (`fold` takes them later), or, if
    even that fails, the transaction is rolled back whole."""
    from tests.unit.report.test_store_totals import assert_totals_exact

    db = tmp_path / "dmarc.sqlite"
    s = SqliteStore(db)
    failing = _TotalsFail(s._db, unfold_too=unfold_too)
    s._db = failing  # type: ignore[assignment]
    with pytest.raises(sqlite3.OperationalError, match="disk I/O"), s.batch():
        for n in range(4):
            r = _xml("google.com", f"r{n}", S + n * DAY, S + (n + 1) * DAY - 1, n + 1)
            assert _put(s, r) is Imported.NEW
    assert failing.failed == 1 + unfold_too
    s._db = failing._db
    other = SqliteStore(db)
    assert_totals_exact(other)
    stored = [r.report_id for r in other.reports(None, None)]
    assert stored == ([] if unfold_too else [f"r{n}" for n in range(4)])
    assert sum(r.messages for r in other.day_rows(None, None)) == (0 if unfold_too else 10)
    other.fold()
    assert_totals_exact(other)
    s.close()
    other.close()

"""The SQLite store: accumulation over runs, dedupe by (org, report id), the schema
version and its migrations, atomic imports, two runs at once (WAL), --since."""

from __future__ import annotations

import io
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.support import dmarc_gen as gen

from mailauth.report.aggregate import iter_aggregate
from mailauth.report.ingest import import_inputs
from mailauth.report.model import Note, Record, ReportHeader
from mailauth.report.store import SCHEMA_VERSION, Imported, SqliteStore, StoreError

REPO = Path(__file__).resolve().parents[3]


def _files(tmp: Path, days: int, start: int = gen.START) -> list[str]:
    out = []
    for name, data in gen.month(gen.DOMAIN, (gen.OWN_MTA, gen.SPOOF), days=days, start=start):
        path = tmp / name
        path.write_bytes(data)
        out.append(str(path))
    return out


def test_runs_accumulate_and_a_report_is_counted_once(tmp_path: Path) -> None:
    db = tmp_path / "dmarc.sqlite"
    week1 = _files(tmp_path, 7)
    s = SqliteStore(db)
    first = import_inputs(s, week1[:10])
    s.close()
    s = SqliteStore(db)
    second = import_inputs(s, week1)  # the first ten again, and eleven new
    assert (first.reports_read, second.reports_read, second.duplicates) == (10, 11, 10)
    rows = s.day_rows(None, None)
    assert len(rows) == 7
    assert sum(r.messages for r in rows) == 7 * (gen.OWN_MTA.per_day + gen.SPOOF.per_day)
    s.close()


def test_same_reporter_same_range_under_a_new_id_is_a_duplicate() -> None:
    s = SqliteStore()
    a = gen.aggregate_xml("Yahoo", "id-1", gen.DOMAIN, gen.START, [(gen.OWN_MTA, 5)])
    b = a.replace(b"id-1", b"id-1-resent")
    for data in (a, b):
        notes: list[Note] = []
        s.import_aggregate("x", iter_aggregate(io.BytesIO(data), notes), notes, lambda: "h")
    assert sum(r.messages for r in s.day_rows(None, None)) == 5
    assert len(s.reports(None, None)) == 1


def test_crash_mid_import_leaves_no_half_report() -> None:
    s = SqliteStore()
    data = gen.aggregate_xml("Yahoo", "boom", gen.DOMAIN, gen.START, [(gen.OWN_MTA, 1)] * 12_000)
    notes: list[Note] = []

    def dying() -> Iterator[ReportHeader | Record]:
        for i, event in enumerate(iter_aggregate(io.BytesIO(data), notes)):
            if i == 11_000:  # after two record batches were written
                raise KeyboardInterrupt
            yield event

    with pytest.raises(KeyboardInterrupt):
        s.import_aggregate("x", dying(), notes, lambda: "h")
    assert s.reports(None, None) == [] and s.day_rows(None, None) == []
    assert (
        s.import_aggregate("x", iter_aggregate(io.BytesIO(data), notes), notes, lambda: "h")
        is Imported.NEW
    )


def test_schema_version_wal_and_foreign_files(tmp_path: Path) -> None:
    db = tmp_path / "dmarc.sqlite"
    SqliteStore(db).close()
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    con.commit()
    con.close()
    with pytest.raises(StoreError) as newer:
        SqliteStore(db)
    assert newer.value.key == "store-newer"
    other = tmp_path / "other.sqlite"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    with pytest.raises(StoreError) as foreign:
        SqliteStore(other)
    assert foreign.value.key == "store-foreign"
    text = tmp_path / "notes.txt"
    text.write_text("not a database at all " * 100)
    with pytest.raises(StoreError) as garbage:
        SqliteStore(text)
    assert garbage.value.key == "store-notadb"
    assert text.read_text() == "not a database at all " * 100


_IMPORT = """
import sys
from mailauth.report.ingest import import_inputs
from mailauth.report.store import SqliteStore
s = SqliteStore(__import__("pathlib").Path(sys.argv[1]))
r = import_inputs(s, sys.argv[2:])
print(r.reports_read, r.duplicates)
"""


def test_two_runs_at_once(tmp_path: Path) -> None:
    """Two processes import the same 60 reports into one file: each report is stored once."""
    db = tmp_path / "dmarc.sqlite"
    files = _files(tmp_path, 20)
    env = {"PYTHONPATH": f"{REPO / 'src'}"}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _IMPORT, str(db), *files],
            stdout=subprocess.PIPE,
            env=env,
            text=True,
        )
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=120)[0].split() for p in procs]
    assert [p.returncode for p in procs] == [0, 0]
    read = sum(int(o[0]) for o in outs)
    dups = sum(int(o[1]) for o in outs)
    assert (read, dups) == (60, 60)
    s = SqliteStore(db)
    assert len(s.reports(None, None)) == 60


_OPEN_AT = """
import sys, time
from pathlib import Path
from mailauth.report.store import SqliteStore
start = float(sys.argv[2])
while time.time() < start:
    pass
SqliteStore(Path(sys.argv[1])).close()
"""


def test_two_runs_create_one_store_at_once(tmp_path: Path) -> None:
    """Both runs that open a new --db in the same instant ask SQLite for WAL; one used to
    be refused at once ("store-busy") in about a third of such starts."""
    env = {"PYTHONPATH": f"{REPO / 'src'}"}
    for attempt in range(8):
        db = tmp_path / f"new-{attempt}.sqlite"
        start = f"{time.time() + 0.5:.3f}"  # both processes are up by then, spinning
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", _OPEN_AT, str(db), start],
                stderr=subprocess.PIPE,
                env=env,
                text=True,
            )
            for _ in range(2)
        ]
        errors = [p.communicate(timeout=60)[1] for p in procs]
        assert [p.returncode for p in procs] == [0, 0], errors
        assert SqliteStore(db).reports(None, None) == []


def test_since_and_domain_filters(tmp_path: Path) -> None:
    s = SqliteStore()
    import_inputs(s, _files(tmp_path, 10))
    since = gen.START + 5 * gen.DAY
    assert len(s.day_rows(since, None)) == 5
    assert s.day_rows(None, "report.test")  # the parent domain takes its subdomains
    assert s.day_rows(None, "other.test") == []
    assert s.selectors(gen.DOMAIN) == ["s1"]


def test_overlapping_ranges_from_one_reporter_count_once() -> None:
    s = SqliteStore()

    def put(report_id: str, begin: int, days: int, count: int) -> Imported:
        xml = gen.aggregate_xml("Yahoo", report_id, gen.DOMAIN, begin, [(gen.OWN_MTA, count)])
        end = f"<end>{begin + gen.DAY - 1}</end>".encode()
        xml = xml.replace(end, f"<end>{begin + days * gen.DAY - 1}</end>".encode())
        notes: list[Note] = []
        return s.import_aggregate("x", iter_aggregate(io.BytesIO(xml), notes), notes, lambda: "h")

    assert put("day-1", gen.START, 1, 5) is Imported.NEW
    assert put("day-2", gen.START + gen.DAY, 1, 5) is Imported.NEW
    assert put("week", gen.START, 7, 40) is Imported.NEW  # covers both days: replaces them
    assert sum(r.messages for r in s.day_rows(None, None)) == 40
    assert put("day-3", gen.START + 2 * gen.DAY, 1, 5) is Imported.DUPLICATE  # inside the week
    assert sum(r.messages for r in s.day_rows(None, None)) == 40
    other = gen.aggregate_xml("google.com", "g-1", gen.DOMAIN, gen.START, [(gen.OWN_MTA, 3)])
    notes: list[Note] = []
    s.import_aggregate("y", iter_aggregate(io.BytesIO(other), notes), notes, lambda: "h")
    assert sum(r.messages for r in s.day_rows(None, None)) == 43  # another reporter counts


def _put_range(s: SqliteStore, org: str, report_id: str, begin: int, end: int, n: int) -> None:
    xml = gen.aggregate_xml(org, report_id, gen.DOMAIN, begin, [(gen.OWN_MTA, n)])
    xml = xml.replace(f"<end>{begin + gen.DAY - 1}</end>".encode(), f"<end>{end}</end>".encode())
    notes: list[Note] = []
    s.import_aggregate("x", iter_aggregate(io.BytesIO(xml), notes), notes, lambda: "h")


def _messages(s: SqliteStore) -> int:
    return sum(r.messages for r in s.day_rows(None, None))


@pytest.mark.parametrize("order", [(0, 1, 2), (2, 1, 0), (1, 2, 0)])
def test_partly_overlapping_ranges_count_the_overlap_once(
    tmp_path: Path, order: tuple[int, ...]
) -> None:
    """A (days 0-1, 40 messages), B (days 1-2, 40), C (days 2-3, 40) from one reporter: B's
    first day is inside A and C's first day inside B, so B and C count half (20 each), in
    any order of import, in a file store, also after it is closed and opened again."""
    db = tmp_path / "dmarc.sqlite"
    ranges = [
        ("a", gen.START, gen.START + 2 * gen.DAY - 1),
        ("b", gen.START + gen.DAY, gen.START + 3 * gen.DAY - 1),
        ("c", gen.START + 2 * gen.DAY, gen.START + 4 * gen.DAY - 1),
    ]
    s = SqliteStore(db)
    for i in order:
        _put_range(s, "Yahoo", *ranges[i], 40)
    assert _messages(s) == 40 + 20 + 20
    s.close()
    s = SqliteStore(db)
    (source,) = s.source_rows(None, None)
    assert source.messages == 80
    assert sum(r.messages for r in s.source_day_rows(None, None)) == 80
    _put_range(s, "google.com", "g", gen.START + gen.DAY, gen.START + 3 * gen.DAY - 1, 10)
    assert _messages(s) == 90  # another reporter's overlap is other mail
    s.close()


def test_a_boundary_second_is_not_an_overlap() -> None:
    """Outlook's end second is its next report's begin: both count whole."""
    s = SqliteStore()
    _put_range(s, "Outlook.com", "o1", gen.START, gen.START + gen.DAY, 7)
    _put_range(s, "Outlook.com", "o2", gen.START + gen.DAY, gen.START + 2 * gen.DAY, 7)
    assert _messages(s) == 14


def test_version_1_store_is_migrated(tmp_path: Path) -> None:
    """A store written before shares existed opens, keeps its reports, counts them whole."""
    from mailauth.report.store import MIGRATIONS

    db = tmp_path / "old.sqlite"
    con = sqlite3.connect(db)
    con.executescript(MIGRATIONS[0])
    con.execute(
        "INSERT INTO reports (org_name, report_id, begin_ts, end_ts, domain, source_file,"
        " imported_at) VALUES ('Yahoo', 'old', ?, ?, ?, 'f', 0)",
        (gen.START, gen.START + gen.DAY - 1, gen.DOMAIN),
    )
    con.execute(
        "INSERT INTO records VALUES (1, ?, '198.18.40.40', 9, 'none', 'pass', 'pass', ?,"
        " NULL, NULL, '[]', '[]', '[]')",
        (gen.START // gen.DAY, gen.DOMAIN),
    )
    con.execute("PRAGMA user_version = 1")
    con.commit()
    con.close()
    s = SqliteStore(db)
    assert _messages(s) == 9
    _put_range(s, "Yahoo", "new", gen.START + gen.DAY // 2, gen.START + gen.DAY * 3 // 2 - 1, 10)
    assert _messages(s) == 9 + 5
    s.close()
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 4
    con.close()

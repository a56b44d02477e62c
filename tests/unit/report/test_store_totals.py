"""The totals the store keeps (schema 3, `source_totals`) against the reference: grouping
every stored record (`scan=True`). Both must give the same rows, to the message, under
the overlap rules: partly overlapping ranges (`_reweigh` changes the shares of stored
reports), a report seen twice, a report that covers and supersedes stored ones, and
reports imported with and without a fold in between."""

from __future__ import annotations

import io
import random
import sqlite3
from pathlib import Path

import pytest
from tests.support import dmarc_gen as gen

from mailauth.report import store as store_module
from mailauth.report.aggregate import iter_aggregate
from mailauth.report.ingest import import_inputs
from mailauth.report.model import Note
from mailauth.report.store import Imported, SqliteStore

DATA = Path(__file__).resolve().parents[2] / "data" / "dmarc-reports"
SENDERS = (*gen.FAILING_DOMAIN, gen.Sender("198.18.40.99", 5, "sub.shop.report.test", "pass",
           (("sub.shop.report.test", "k9", "pass"),), "aligned"))  # fmt: skip


def _db(store: SqliteStore) -> sqlite3.Connection:
    return store._db  # the tests read the tables the readers read


def assert_totals_exact(store: SqliteStore, since: tuple[int | None, ...] = (None,)) -> None:
    """Every reader gives the same answer from the totals as from the records, and the
    totals table holds exactly the records of the folded reports (no row at zero)."""
    domains: set[str | None] = {None}
    domains |= {r.domain for r in store.reports(None, None)}
    for when in since:
        for domain in domains:
            kept = list(store.source_rows(when, domain))
            assert kept == list(store.source_rows(when, domain, scan=True)), (when, domain)
            assert store.source_day_rows(when, domain) == store.source_day_rows(
                when, domain, scan=True
            )
            assert store.day_rows(when, domain) == store.day_rows(when, domain, scan=True)
    db = _db(store)
    assert (
        db.execute("SELECT count(*) FROM reports WHERE folded = 1 AND share != 1.0").fetchone()[0]
        == 0
    )
    expected = db.execute(
        "SELECT r.outcome, r.source_ip, r.day, p.end_ts, sum(r.count), count(*)"
        " FROM records r JOIN reports p ON p.id = r.report WHERE p.folded = 1"
        " GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4"
    ).fetchall()
    kept_rows = db.execute("SELECT * FROM source_totals ORDER BY 1, 2, 3, 4").fetchall()
    assert kept_rows == expected
    assert_ranges_exact(db)


def assert_ranges_exact(db: sqlite3.Connection) -> None:
    """Each report's records are exactly the ids `first_record`..`last_record`, and no
    record is left of a report that is gone."""
    outside = db.execute(
        "SELECT count(*) FROM records r JOIN reports p ON p.id = r.report"
        " WHERE r.id NOT BETWEEN p.first_record AND p.last_record"
    ).fetchone()[0]
    orphans = db.execute(
        "SELECT count(*) FROM records WHERE report NOT IN (SELECT id FROM reports)"
    ).fetchone()[0]
    (records,) = db.execute("SELECT count(*) FROM records").fetchone()
    (ranged,) = db.execute(
        "SELECT coalesce(sum(max(last_record - first_record + 1, 0)), 0) FROM reports"
    ).fetchone()
    assert (outside, orphans, ranged) == (0, 0, records)


def _put(store: SqliteStore, org: str, report_id: str, begin: int, end: int,
         records: list[tuple[gen.Sender, int]]) -> Imported:  # fmt: skip
    xml = gen.aggregate_xml(org, report_id, gen.DOMAIN, begin, records)
    xml = xml.replace(f"<end>{begin + gen.DAY - 1}</end>".encode(), f"<end>{end}</end>".encode())
    notes: list[Note] = []
    return store.import_aggregate("x", iter_aggregate(io.BytesIO(xml), notes), notes, lambda: "h")


def test_generated_month(tmp_path: Path) -> None:
    files = []
    for name, data in gen.month(gen.DOMAIN, gen.FAILING_DOMAIN, days=30):
        files.append(tmp_path / name)
        files[-1].write_bytes(data)
    store = SqliteStore(tmp_path / "dmarc.sqlite")
    summary = import_inputs(store, [str(f) for f in files])
    assert summary.reports_read == 90
    since = (None, gen.START + 10 * gen.DAY, gen.START + 10 * gen.DAY + 1, gen.START + 40 * gen.DAY)
    assert_totals_exact(store, since)
    db = _db(store)
    assert db.execute("SELECT count(*) FROM reports WHERE folded = 0").fetchone()[0] == 0
    # the totals are what makes the run cheap: far fewer rows than records
    (records,) = db.execute("SELECT count(*) FROM records").fetchone()
    (totals,) = db.execute("SELECT count(*) FROM source_totals").fetchone()
    assert totals * 3 == records  # three reporters a day, same end second: one row for three


def test_the_shared_samples() -> None:
    files = sorted(str(p) for p in DATA.rglob("*") if p.suffix in (".xml", ".eml"))
    store = SqliteStore()
    import_inputs(store, files)
    assert len(list(store.source_rows(None, None))) > 10
    assert_totals_exact(store, (None, 1_600_000_000))


def test_reports_not_folded_yet_are_read_from_their_records() -> None:
    """A run cut short before its fold (or a library caller that never folds) loses
    nothing: the readers take those reports' records as they are."""
    store = SqliteStore()
    for day in range(3):
        _put(store, "Yahoo", f"y{day}", gen.START + day * gen.DAY,
             gen.START + (day + 1) * gen.DAY - 1, [(gen.OWN_MTA, 10), (gen.SPOOF, 2)])  # fmt: skip
        assert_totals_exact(store)
    assert _db(store).execute("SELECT count(*) FROM source_totals").fetchone()[0] == 0
    assert sum(r.messages for r in store.day_rows(None, None)) == 36
    store.fold()
    assert _db(store).execute("SELECT count(*) FROM reports WHERE folded = 0").fetchone()[0] == 0
    assert sum(r.messages for r in store.day_rows(None, None)) == 36
    assert_totals_exact(store)


def test_superseding_and_reweighing_folded_reports() -> None:
    store = SqliteStore()
    day = gen.DAY
    _put(store, "Yahoo", "d1", gen.START, gen.START + day - 1, [(gen.OWN_MTA, 10)])
    _put(store, "Yahoo", "d2", gen.START + day, gen.START + 2 * day - 1, [(gen.OWN_MTA, 10)])
    store.fold()
    # a report over days 2-3 makes d2's day count... d2 stays whole, the new one counts half
    _put(store, "Yahoo", "d23", gen.START + day, gen.START + 3 * day - 1, [(gen.OWN_MTA, 30)])
    assert_totals_exact(store)
    store.fold()
    assert_totals_exact(store)
    # a report over days 0-1 begins before d1: d1 now counts from day 1 on, in part
    _put(store, "Yahoo", "d01", gen.START - day, gen.START + day - 1, [(gen.OWN_MTA, 7)])
    assert_totals_exact(store)
    # a week that covers them all supersedes them, folded or not
    assert _put(store, "Yahoo", "wk", gen.START - day, gen.START + 6 * day - 1,
                [(gen.OWN_MTA, 70), (gen.SPOOF, 3)]) is Imported.NEW  # fmt: skip
    assert_totals_exact(store)
    assert len(store.reports(None, None)) == 1
    assert sum(r.messages for r in store.day_rows(None, None)) == 73
    store.fold()
    assert_totals_exact(store)
    assert _db(store).execute("SELECT count(*) FROM source_totals").fetchone()[0] == 2


@pytest.mark.parametrize("seed", range(12))
def test_randomized_overlaps_duplicates_and_folds(tmp_path: Path, seed: int) -> None:
    """Random ranges from three reporters (hours to days long, overlapping or not, some
    resent under the same or a new id), random senders and counts, a fold now and then,
    the file closed and opened again halfway: totals and records always agree."""
    rnd = random.Random(seed)
    db = tmp_path / "dmarc.sqlite"
    store = SqliteStore(db)
    sent: list[tuple[str, str, int, int]] = []
    outcomes = {Imported.NEW: 0, Imported.DUPLICATE: 0}
    for i in range(40):
        if sent and rnd.random() < 0.15:
            org, report_id, begin, end = rnd.choice(sent)  # seen before
            if rnd.random() < 0.5:
                report_id += "-resent"
        else:
            org = rnd.choice(("Yahoo", "google.com", "Outlook.com"))
            report_id = f"r{i}"
            begin = gen.START + rnd.randrange(0, 10 * 24) * 3600
            end = begin + rnd.choice((1, 6, 12, 24, 24, 24, 36, 48, 72, 144)) * 3600 - 1
            if rnd.random() < 0.2:
                end += 1  # Outlook's boundary second
        senders = rnd.sample(SENDERS, rnd.randint(1, len(SENDERS)))
        records = [(s, rnd.randint(0, 50)) for s in senders]
        outcomes[_put(store, org, report_id, begin, end, records)] += 1
        sent.append((org, report_id, begin, end))
        if rnd.random() < 0.3:
            store.fold()
        if i == 20:
            store.close()
            store = SqliteStore(db)
        if i % 5 == 4:
            assert_totals_exact(store, (None, gen.START + rnd.randrange(0, 12) * gen.DAY))
    store.fold()
    assert_totals_exact(store, (None, gen.START + 3 * gen.DAY, gen.START + 5 * gen.DAY - 7))
    assert outcomes[Imported.NEW] and outcomes[Imported.DUPLICATE]
    shares = {s for (s,) in _db(store).execute("SELECT share FROM reports")}
    assert shares - {1.0}, "the draw must make some report count in part"
    store.close()


def test_the_fold_and_the_readers_take_each_report_s_records_by_their_id_range() -> None:
    """No plan that scans every record for every report (a plain JOIN on the id range
    let SQLite's planner do that: the fold took 60 us a record instead of 1)."""
    from mailauth.report import store as store_module
    from mailauth.report.store_queries import (
        day_rows_query,
        source_day_rows_query,
        source_rows_query,
    )

    store = SqliteStore()
    _put(store, "Yahoo", "d1", gen.START, gen.START + gen.DAY - 1, [(gen.OWN_MTA, 10)])
    statements: list[tuple[str, tuple[object, ...]]] = [
        (store_module._FOLD, ()),
        (source_rows_query(False, ""), (0, 0)),
        (source_day_rows_query(False, ""), (0, 0)),
        (day_rows_query(False, ""), (0, 0)),
    ]
    for sql, args in statements:
        plan = [row[3] for row in _db(store).execute("EXPLAIN QUERY PLAN " + sql, args)]
        assert "SCAN r" not in plan, (sql, plan)
        assert "SEARCH r USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)" in plan, plan


@pytest.mark.parametrize("seed", range(6))
def test_reports_written_in_groups_are_folded_with_their_totals(seed: int) -> None:
    """In a batch, small reports that touch no stored report are written in groups
    (`_defer`), folded if they have at most FOLD_ON_WRITE records, their totals kept
    and written before the commit; reports after them that overlap,
    resend or supersede them take them out again as for any folded report. The totals
    stay exact with no `fold` at all, inside the batch and after it."""
    rnd = random.Random(seed)
    store = SqliteStore()
    sent: list[tuple[str, str, int, int]] = []
    with store.batch():
        for i in range(60):
            if sent and rnd.random() < 0.1:
                org, report_id, begin, end = rnd.choice(sent)
                report_id += rnd.choice(("", "-resent"))
            else:
                org = rnd.choice(("Yahoo", "google.com", "Outlook.com"))
                report_id = f"r{i}"
                begin = gen.START + rnd.randrange(0, 40) * gen.DAY + rnd.choice((0, 0, 0, 7200))
                end = begin + rnd.choice((1, 1, 1, 1, 1, 2, 6)) * gen.DAY - 1
            senders = rnd.sample(SENDERS, rnd.choice((1, 1, 2, len(SENDERS))))
            _put(store, org, report_id, begin, end, [(s, rnd.randint(0, 9)) for s in senders])
            sent.append((org, report_id, begin, end))
            if i % 20 == 19:
                assert_totals_exact(store)
    assert_totals_exact(store)
    db = _db(store)
    folded = db.execute("SELECT count(*) FROM reports WHERE folded = 1").fetchone()[0]
    assert folded >= 10  # (written folded: no `fold` ran)
    assert len(SENDERS) > store_module.FOLD_ON_WRITE  # (and some written not folded:)
    assert db.execute("SELECT count(*) FROM reports WHERE folded = 0").fetchone()[0]
    store.fold()
    assert_totals_exact(store)

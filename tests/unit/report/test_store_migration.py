"""Stores written by earlier mailauth versions open as the current schema and answer
exactly as their own version did.

tests/data/report-store/ holds a store of schema 1 (before shares), one of schema 2 and
one of schema 3 (before `reports_domain` was dropped), each written by that version of
mailauth from the shared samples, a generated week (one report twice) and, from schema 2
on, partly overlapping and superseding ranges; next to each is what that version's
readers answered (make_fixtures.py there says how they were made).
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.util
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from tests.support import dmarc_gen as gen
from tests.unit.report.test_store_totals import assert_ranges_exact, assert_totals_exact

from mailauth.report.ingest import import_inputs
from mailauth.report.store import SCHEMA_VERSION, SqliteStore, StoreError

FIXTURES = Path(__file__).resolve().parents[2] / "data" / "report-store"


def _fixtures() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_fixtures", module)
    spec.loader.exec_module(module)
    return module


def _answers(store: SqliteStore) -> dict[str, Any]:
    answers: dict[str, Any] = _fixtures().answers(store)
    return answers


def _copy(version: int, tmp: Path) -> Path:
    """The vendored store, copied: a migration writes to the file it opens."""
    db = tmp / f"store-v{version}.sqlite"
    shutil.copy(FIXTURES / db.name, db)
    return db


@pytest.mark.parametrize("version", [1, 2, 3])
def test_an_old_store_migrates_and_answers_as_before(tmp_path: Path, version: int) -> None:
    import json

    expected = json.loads((FIXTURES / f"store-v{version}.json").read_text())
    vendored = FIXTURES / f"store-v{version}.sqlite"
    before = hashlib.sha256(vendored.read_bytes()).hexdigest()
    db = _copy(version, tmp_path)
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA user_version").fetchone()[0] == version
    (records,) = con.execute("SELECT count(*) FROM records").fetchone()
    con.close()
    store = SqliteStore(db)
    assert _answers(store) == expected
    assert_totals_exact(store, (None, gen.START + 3 * gen.DAY))
    store.close()
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 4
    indexes = {row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert "reports_range" in indexes and "reports_domain" not in indexes
    assert con.execute("SELECT count(*) FROM records").fetchone()[0] == records
    (outcomes,) = con.execute("SELECT count(*) FROM outcomes").fetchone()
    assert 0 < outcomes < records  # each distinct outcome stored once
    assert (
        con.execute("SELECT count(*) FROM reports WHERE folded = 0").fetchone()[0]
        == (con.execute("SELECT count(*) FROM reports WHERE share != 1.0").fetchone()[0])
    )
    columns = [row[1] for row in con.execute("PRAGMA table_info(records)")]
    assert columns == ["id", "report", "day", "source_ip", "count", "outcome"]
    assert_ranges_exact(con)
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    assert hashlib.sha256(vendored.read_bytes()).hexdigest() == before  # untouched
    assert sorted(p.name for p in FIXTURES.iterdir() if ".sqlite" in p.name) == [
        "store-v1.sqlite",
        "store-v2.sqlite",
        "store-v3.sqlite",
    ]  # and nothing written next to it (no -wal, -shm or -journal)


@pytest.mark.parametrize("version", [1, 2, 3])
def test_a_migrated_store_goes_on_as_a_new_one(tmp_path: Path, version: int) -> None:
    """After the migration, importing the same inputs again adds nothing, and new reports
    (one overlapping a migrated one) count exactly as in a store that was of the current schema from
    the start and imported everything."""
    fixtures = _fixtures()
    with tempfile.TemporaryDirectory(dir=tmp_path) as inputs_dir:
        files = fixtures.inputs(Path(inputs_dir), version)
        store = SqliteStore(_copy(version, tmp_path))
        again = import_inputs(store, files)
        assert again.reports_read == 0 and again.unreadable == []
        more = []
        for day in (6, 7, 8):
            for org in gen.REPORTERS:
                begin = gen.START + day * gen.DAY
                senders = [(s, s.per_day // 3) for s in gen.CLEAN_DOMAIN]
                path = Path(inputs_dir) / f"more-{org}-{day}.xml"
                path.write_bytes(gen.aggregate_xml(org, f"more-{day}", gen.DOMAIN, begin, senders))
                more.append(str(path))
        assert import_inputs(store, more).reports_read == 6  # day 6's three are seen
        assert_totals_exact(store, (None, gen.START + 7 * gen.DAY))
        fresh = SqliteStore()
        import_inputs(fresh, files + more)
        if version >= 2:
            assert _answers(store) == _answers(fresh)
        else:  # schema 1 had no shares and no supersede: the same reports, counted whole
            assert _answers(store)["selectors"] == _answers(fresh)["selectors"]
        assert [dataclasses.astuple(r) for r in store.source_rows(None, gen.DOMAIN)] == [
            dataclasses.astuple(r) for r in fresh.source_rows(None, gen.DOMAIN)
        ]
        store.close()


def test_a_store_half_way_through_a_migration_is_left_as_it_was(tmp_path: Path) -> None:
    """The migration runs in one transaction: one that fails leaves the old schema."""
    db = _copy(2, tmp_path)
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE outcomes (x)")  # the migration's first CREATE will fail
    con.commit()
    con.close()
    with pytest.raises(StoreError):
        SqliteStore(db)
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA user_version").fetchone()[0] == 2
    columns = [row[1] for row in con.execute("PRAGMA table_info(records)")]
    assert "dkim_results" in columns
    con.close()

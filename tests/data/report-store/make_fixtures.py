"""Write a report store of an older schema, and what that version's readers answered.

Run with the PYTHONPATH of the mailauth version whose store is wanted (its `src/`), from
the repository root; the inputs are the vendored samples and generated reports, written
to a temporary directory (the same function builds them for the test):

    git archive 01082c3^ src | tar -x -C /tmp/v1    # schema 1 (before shares)
    PYTHONPATH=/tmp/v1/src python3 tests/data/report-store/make_fixtures.py 1
    git archive 6bfc289 src | tar -x -C /tmp/v2     # schema 2
    PYTHONPATH=/tmp/v2/src python3 tests/data/report-store/make_fixtures.py 2
    git archive 832beff src | tar -x -C /tmp/v3     # schema 3
    PYTHONPATH=/tmp/v3/src python3 tests/data/report-store/make_fixtures.py 3

Writes `store-vN.sqlite` and `store-vN.json` (source rows, source-day rows, day rows,
reports, selectors, as that version read them) next to this file.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
sys.path.insert(1, str(REPO))
from tests.support import dmarc_gen as gen  # noqa: E402

SAMPLES = REPO / "tests" / "data" / "dmarc-reports"
OVERLAP_DOMAIN = "overlap.report.test"


def inputs(directory: Path, version: int) -> list[str]:
    """The shared samples, a generated week (one report twice), and from schema 2 on, on a
    domain of its own, reports whose ranges partly overlap and one that supersedes."""
    files = sorted(str(p) for p in SAMPLES.rglob("*") if p.suffix in (".xml", ".eml"))
    for name, data in gen.month(gen.DOMAIN, gen.FAILING_DOMAIN, days=7):
        (directory / name).write_bytes(data)
        files.append(str(directory / name))
    files.append(files[-1])
    if version >= 2:
        ranges = [("a", 0, 2), ("b", 1, 3), ("c", 2, 4), ("d", 5, 6), ("e", 6, 7), ("de", 5, 7)]
        for report_id, first, last in ranges:
            begin = gen.START + first * gen.DAY
            xml = gen.aggregate_xml("Yahoo", report_id, OVERLAP_DOMAIN, begin,
                                    [(gen.OWN_MTA, 37), (gen.SPOOF, 5)])  # fmt: skip
            xml = xml.replace(f"<end>{begin + gen.DAY - 1}</end>".encode(),
                              f"<end>{gen.START + last * gen.DAY - 1}</end>".encode())  # fmt: skip
            path = directory / f"overlap-{report_id}.xml"
            path.write_bytes(xml.replace(b"shop.report.test", OVERLAP_DOMAIN.encode()))
            files.append(str(path))
    return files


def answers(store: object) -> dict[str, object]:
    def rows(items: object) -> list[object]:
        return [list(dataclasses.astuple(r)) for r in items]  # type: ignore[attr-defined]

    s: object = store
    return json.loads(
        json.dumps(
            {
                "source_rows": rows(s.source_rows(None, None)),  # type: ignore[attr-defined]
                "source_day_rows": rows(s.source_day_rows(None, None)),  # type: ignore[attr-defined]
                "day_rows": rows(s.day_rows(None, None)),  # type: ignore[attr-defined]
                "reports": [
                    [r.org_name, r.report_id, r.domain, r.begin, r.end]
                    for r in s.reports(None, None)
                ],  # type: ignore[attr-defined]
                "selectors": s.selectors(gen.DOMAIN),  # type: ignore[attr-defined]
            }
        )
    )


def main() -> None:
    from mailauth.report.ingest import import_inputs
    from mailauth.report.store import SCHEMA_VERSION, SqliteStore

    version = int(sys.argv[1])
    assert version == SCHEMA_VERSION, f"this mailauth writes schema {SCHEMA_VERSION}"
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        db = work / "store.sqlite"
        store = SqliteStore(db)
        import_inputs(store, inputs(work, version))
        result = answers(store)
        store.close()
        con = sqlite3.connect(db)
        con.execute("VACUUM")
        con.execute("PRAGMA journal_mode = DELETE")  # a reader makes no -wal/-shm files
        con.close()
        shutil.copy(db, HERE / f"store-v{version}.sqlite")
    (HERE / f"store-v{version}.json").write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()

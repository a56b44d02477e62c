"""An import runs the cyclic GC seldom (ingest._fewer_collections), so what reading a report
leaves must be freed by reference counting or by the collection after each payload: no
report may leave reference cycles behind while the next one is read."""

from __future__ import annotations

import gc
from pathlib import Path

from tests.support import dmarc_gen as gen

from mailauth.report.ingest import import_inputs
from mailauth.report.store import SqliteStore

DATA = Path(__file__).resolve().parents[2] / "data" / "dmarc-reports"


def _cycles_left(store: SqliteStore, files: list[str]) -> int:
    gc.collect()
    gc.disable()
    try:
        import_inputs(store, files)
        return gc.collect()
    finally:
        gc.enable()


def test_the_fast_reader_leaves_no_cycles(tmp_path: Path) -> None:
    """The C tree reader on reports of the usual shape: nothing for the GC at all (its
    record reader once held bound methods of the tree reader, a cycle per report that
    kept each report's parser and tree alive until a collection)."""
    files = []
    for name, data in gen.month(gen.DOMAIN, gen.FAILING_DOMAIN, days=5):
        files.append(tmp_path / name)
        files[-1].write_bytes(data)
    store = SqliteStore()
    import_inputs(store, [str(files[0])])  # caches filled once
    assert _cycles_left(store, [str(f) for f in files[1:]]) == 0


def test_cycles_of_odd_reports_are_collected_after_each_payload() -> None:
    """The shared samples (streaming parser, repairs, errors) may leave cycles; with the
    collector enabled, as in a run, none survive the import."""
    files = sorted(str(p) for p in DATA.rglob("*") if p.suffix in (".xml", ".eml"))
    store = SqliteStore()
    threshold = gc.get_threshold()
    gc.collect()
    gc.set_threshold(10**9)  # no collection but the ones the import asks for
    try:
        import_inputs(store, files)
        gc.disable()
        assert gc.collect() == 0
    finally:
        gc.enable()
        gc.set_threshold(*threshold)

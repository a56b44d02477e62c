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


def test_shapes_remembered_are_few_and_small() -> None:
    """A hostile report of many distinct, huge records does not fill the shape cache with
    huge shapes: a shape is remembered only up to MAX_SHAPE_ELEMENTS elements, and at most
    MAX_SHAPES of them; the records are still read, each by its own plan."""
    import io

    from mailauth.report import record_plan
    from mailauth.report.aggregate import iter_aggregate
    from mailauth.report.model import Note, Record

    seen: list[record_plan.RecordReader] = []
    original = record_plan.RecordReader.__init__

    def spy(self: record_plan.RecordReader, *args: object) -> None:
        original(self, *args)  # type: ignore[arg-type]
        seen.append(self)

    records = []
    for i in range(80):  # 80 shapes: i + 1 identifiers each, some over the element cap
        extra = "".join(f"<envelope_to>t{j}.test</envelope_to>" for j in range(i * 4))
        records.append(gen.record_xml(gen.DOMAIN, gen.OWN_MTA, 1).replace(
            "<header_from>", extra + "<header_from>"))  # fmt: skip
    xml = gen.aggregate_xml("Yahoo", "many-shapes", gen.DOMAIN, gen.START, [])
    xml = xml.replace(b"</feedback>", "".join(records).encode() + b"</feedback>")
    record_plan.RecordReader.__init__ = spy  # type: ignore[method-assign]
    try:
        notes: list[Note] = []
        events = list(iter_aggregate(io.BytesIO(xml), notes))
    finally:
        record_plan.RecordReader.__init__ = original  # type: ignore[method-assign]
    assert sum(isinstance(e, Record) for e in events) == 80
    (reader,) = seen
    assert 0 < len(reader.plans) <= record_plan.MAX_SHAPES
    assert all(len(shape) <= 2 * record_plan.MAX_SHAPE_ELEMENTS for shape in reader.plans)

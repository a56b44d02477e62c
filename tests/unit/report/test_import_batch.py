"""Several reports per write transaction (`SqliteStore.batch`) and the in-memory paths for
small inputs (`containers._file`, `_gunzip_small`): each gives exactly what the one
report per transaction and the streaming GzipFile path gave."""

from __future__ import annotations

import gzip
import io
import sqlite3
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.support import dmarc_gen as gen

from mailauth.report import store as store_module
from mailauth.report.aggregate import iter_aggregate
from mailauth.report.containers import Limits, Unreadable, XmlPayload, _payloads
from mailauth.report.ingest import import_inputs
from mailauth.report.model import Note, Record, ReportHeader
from mailauth.report.store import Imported, SqliteStore

DAY = gen.DAY
S = gen.START
# (org, report id, begin, end, messages): supersedes, a duplicate inside a stored range, a
# duplicate id, partial overlaps (reweighed), a boundary second, another reporter.
SEQUENCE = [
    ("Yahoo", "d1", S, S + DAY - 1, 5),
    ("Yahoo", "d2", S + DAY, S + 2 * DAY - 1, 5),
    ("Yahoo", "week", S, S + 7 * DAY - 1, 40),
    ("Yahoo", "d3", S + 2 * DAY, S + 3 * DAY - 1, 5),
    ("Yahoo", "week", S + 20 * DAY, S + 21 * DAY - 1, 9),
    ("Yahoo", "p1", S + 10 * DAY, S + 12 * DAY - 1, 40),
    ("Yahoo", "p2", S + 11 * DAY, S + 13 * DAY - 1, 40),
    ("Yahoo", "p3", S + 12 * DAY, S + 14 * DAY - 1, 40),
    ("Outlook.com", "o1", S, S + DAY, 7),
    ("Outlook.com", "o2", S + DAY, S + 2 * DAY, 7),
    ("google.com", "g", S + DAY, S + 3 * DAY - 1, 10),
]


def _xml(org: str, report_id: str, begin: int, end: int, n: int) -> bytes:
    xml = gen.aggregate_xml(org, report_id, gen.DOMAIN, begin, [(gen.OWN_MTA, n)])
    return xml.replace(f"<end>{begin + DAY - 1}</end>".encode(), f"<end>{end}</end>".encode())


def _put(s: SqliteStore, xml: bytes) -> Imported:
    notes: list[Note] = []
    return s.import_aggregate("x", iter_aggregate(io.BytesIO(xml), notes), notes, lambda: "h")


def _state(s: SqliteStore) -> tuple[object, ...]:
    s.fold()
    return (
        [(r.org_name, r.report_id, r.begin, r.end) for r in s.reports(None, None)],
        list(s.source_rows(None, None)),
        list(s.source_rows(None, None, scan=True)),
        s.day_rows(None, None),
        s.day_rows(None, None, scan=True),
        s.source_day_rows(None, None),
    )


@pytest.mark.parametrize("order", [1, -1])
def test_a_batch_dedupes_supersedes_and_reweighs_as_single_imports(
    tmp_path: Path, order: int
) -> None:
    single, batched = SqliteStore(tmp_path / "a.sqlite"), SqliteStore(tmp_path / "b.sqlite")
    sequence = SEQUENCE[::order]
    outcomes_single = [_put(single, _xml(*r)) for r in sequence]
    with batched.batch():
        outcomes_batched = [_put(batched, _xml(*r)) for r in sequence]
    assert outcomes_batched == outcomes_single
    assert Imported.DUPLICATE in outcomes_single and Imported.NEW in outcomes_single
    assert _state(batched) == _state(single)
    assert sum(r.messages for r in single.day_rows(None, None)) > 0


def _dying(xml: bytes, notes: list[Note], at: int) -> Iterator[ReportHeader | Record]:
    for i, event in enumerate(iter_aggregate(io.BytesIO(xml), notes)):
        if i == at:
            raise KeyboardInterrupt
        yield event


@pytest.mark.parametrize("records", [3, 12_000])  # buffered whole / header written early
def test_a_report_failing_in_a_batch_leaves_nothing_and_the_others_stay(
    tmp_path: Path, records: int
) -> None:
    db = tmp_path / "dmarc.sqlite"
    s = SqliteStore(db)
    spoof = gen.aggregate_xml("Yahoo", "boom", gen.DOMAIN, S, [(gen.SPOOF, 1)] * records)
    with pytest.raises(KeyboardInterrupt), s.batch():
        assert _put(s, _xml("google.com", "a", S, S + DAY - 1, 3)) is Imported.NEW
        notes: list[Note] = []
        with pytest.raises(KeyboardInterrupt):  # after its new outcome (and records) went in
            s.import_aggregate("x", _dying(spoof, notes, records - 1), notes, lambda: "h")
        assert _put(s, _xml("google.com", "b", S + DAY, S + 2 * DAY - 1, 4)) is Imported.NEW
        raise KeyboardInterrupt  # the run dies: the whole reports before are kept
    other = SqliteStore(db)
    assert [r.report_id for r in other.reports(None, None)] == ["a", "b"]
    assert sum(r.messages for r in other.day_rows(None, None)) == 7
    outcomes = sqlite3.connect(db).execute("SELECT count(*) FROM outcomes").fetchone()[0]
    assert outcomes == 1  # the failed report's outcome was rolled back with it
    with s.batch():
        assert _put(s, spoof) is Imported.NEW  # and it imports whole afterwards
    assert len(other.reports(None, None)) == 3
    s.close()
    other.close()


def test_a_long_batch_commits_on_the_way(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another run waits at most a batch for the write lock: the batch commits every
    BATCH_REPORTS reports (or BATCH_SECONDS), not only at its end."""
    monkeypatch.setattr(store_module, "BATCH_REPORTS", 2)
    db = tmp_path / "dmarc.sqlite"
    s, other = SqliteStore(db), SqliteStore(db)
    with s.batch():
        for n in range(3):
            _put(s, _xml("google.com", f"r{n}", S + n * DAY, S + (n + 1) * DAY - 1, 1))
        assert len(other.reports(None, None)) == 2  # committed; the third is not yet
    assert len(other.reports(None, None)) == 3
    s.close()
    other.close()


def test_import_inputs_of_small_files_equals_the_stream_path(tmp_path: Path) -> None:
    """The same directory through the in-memory path and with it switched off."""
    for n, row in enumerate(SEQUENCE):
        (tmp_path / f"{n:02}.xml.gz").write_bytes(gzip.compress(_xml(*row)))
    (tmp_path / "plain.xml").write_bytes(_xml("web.de", "w", S, S + DAY - 1, 2))
    fast = SqliteStore()
    got = import_inputs(fast, [str(tmp_path)])
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("mailauth.report.containers.SMALL_FILE", -1)
        slow = SqliteStore()
        want = import_inputs(slow, [str(tmp_path)])
    assert (got.reports_read, got.duplicates, got.records) == (
        want.reports_read, want.duplicates, want.records,
    )  # fmt: skip
    assert _state(fast) == _state(slow)


def _items(data: bytes, limits: Limits, in_memory: bool) -> list[tuple[str, ...]]:
    """What `_payloads` makes of `data`: each payload's name and content, or the
    Unreadable's key and value (also one raised while a payload is read)."""
    out: list[tuple[str, ...]] = []
    given = data if in_memory else None
    for item in _payloads("f", lambda: io.BytesIO(data), limits, 0, given):
        if isinstance(item, Unreadable):
            out.append((item.file, item.key, item.value))
        else:
            assert isinstance(item, XmlPayload)
            try:
                with item.open() as stream:
                    out.append((item.name, stream.read().decode()))
            except Exception as exc:  # what the import would turn into an Unreadable
                out.append((item.name, type(exc).__name__, str(exc)))
    return out


REPORT = _xml("google.com", "z", S, S + DAY - 1, 3)
WHOLE = gzip.compress(REPORT, mtime=0)
BAD_CRC = WHOLE[:-8] + bytes([WHOLE[-8] ^ 1]) + WHOLE[-7:]
GZIP_CASES = {
    "plain": WHOLE,
    "truncated": WHOLE[: len(WHOLE) // 2],
    "no trailer": WHOLE[:-8],
    "bad crc": BAD_CRC,
    "trailing zeros": WHOLE + b"\0" * 300,
    "trailing garbage": WHOLE + b"garbage",
    "two members": gzip.compress(REPORT[:100]) + gzip.compress(REPORT[100:]),
    "bomb": gzip.compress(b" " * (9 << 20), compresslevel=9),  # over SMALL_GUNZIP
    "deflate inside": zlib.compress(REPORT),  # zlib, not gzip: not taken for gzip
    "gzip in gzip": gzip.compress(WHOLE),
}


@pytest.mark.parametrize("case", sorted(GZIP_CASES))
@pytest.mark.parametrize("cap", [Limits().max_decompressed, 1000, 5000])
def test_small_gzip_in_memory_equals_the_stream_path(case: str, cap: int) -> None:
    limits = Limits(max_decompressed=cap)
    data = GZIP_CASES[case]
    assert _items(data, limits, in_memory=True) == _items(data, limits, in_memory=False)


def _events(xml: bytes, *, streaming: bool) -> tuple[list[object], list[Note]]:
    notes: list[Note] = []
    return list(iter_aggregate(io.BytesIO(xml), notes, streaming=streaming)), notes


@pytest.mark.parametrize("defect", [None, b"<scope>helo</scope>", b""])
def test_an_outcome_shared_across_reports_reads_as_the_streaming_parser(
    defect: bytes | None,
) -> None:
    """The second report's record has the first one's outcome (another IP and count): read
    from the outcome the first left (clean) or through the collector again (with a
    defect: spf-scope, dkim-selector-missing), it gives the streaming parser's records and
    notes, so each report notes its own defects."""
    other = gen.Sender("192.0.2.99", 1, gen.DOMAIN, "pass", ((gen.DOMAIN, "s1", "pass"),), "")
    reports = [
        gen.aggregate_xml("google.com", f"s{n}", gen.DOMAIN, S + n * DAY, [(sender, 3 + n)])
        for n, sender in enumerate([gen.OWN_MTA, other, gen.OWN_MTA])
    ]
    if defect is not None:
        old = b"<scope>mfrom</scope>" if defect else b"<selector>s1</selector>"
        reports = [r.replace(old, defect) for r in reports]
    for xml in reports:
        fast, fast_notes = _events(xml, streaming=False)
        slow, slow_notes = _events(xml, streaming=True)
        assert (fast, fast_notes) == (slow, slow_notes)
        assert bool(fast_notes) == (defect is not None)

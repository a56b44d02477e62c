"""The whole-document reader for small reports in memory (`report/small_reader.py`): on
every document it takes, exactly the header, records and notes of the streaming parser;
every document it must not take (a DTD, a comment or CDATA anywhere, an encoding other
than UTF-8/ASCII/Latin-1, not well formed, another root, over MAX_SMALL) is left to the
chunked reader (None), so refusals and repairs are worded as before; and the importer
uses it for a small file and stores the same as the chunked reader."""

from __future__ import annotations

import gzip
import io
import os
import random
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.support import dmarc_gen as gen
from tests.unit.report.test_tree_reader import (
    GOOD,
    MANY,
    ODD_HEADERS,
    ODD_RECORDS,
    _read,
    _samples,
)

from mailauth.report import small_reader
from mailauth.report.aggregate import ReportError, iter_aggregate
from mailauth.report.ingest import import_inputs
from mailauth.report.model import Note, Record, ReportHeader
from mailauth.report.small_reader import MAX_SMALL, read_small
from mailauth.report.store import SqliteStore

ZERO_RECORDS = (
    b'<?xml version="1.0"?><feedback><report_metadata><org_name>a.example</org_name>'
    b"<report_id>z-1</report_id><date_range><begin>1767225600</begin><end>1767311999</end>"
    b"</date_range></report_metadata><policy_published><domain>x.test</domain>"
    b"<p>none</p></policy_published></feedback>"
)


def _small(data: bytes) -> tuple[list[ReportHeader | Record], list[Note]] | tuple[str, str] | None:
    notes: list[Note] = []
    try:
        events = read_small(data, notes)
    except ReportError as exc:
        return exc.key, exc.value
    return None if events is None else (events, notes)


def _agrees(data: bytes) -> bool:
    """The small reader gives what the streaming parser gives, or leaves the document to
    the chunked reader; True when it took it."""
    got = _small(data)
    if got is None:
        return False
    assert got == _read(data, streaming=True)
    assert got == _read(data, streaming=False)
    return True


def _edited(edits: list[tuple[bytes, bytes]]) -> bytes:
    data = GOOD
    for old, new in edits:
        assert old in data
        data = data.replace(old, new, 1)
    return data


def test_the_generated_report_and_most_samples_are_read_whole() -> None:
    assert _agrees(GOOD)
    assert _agrees(GOOD.replace(f' xmlns="{gen.NS}"'.encode(), b""))  # RFC 7489, no namespace
    taken = [_agrees(data) for name, data in _samples()]
    assert sum(taken) >= 10, taken


@pytest.mark.parametrize("case", sorted(ODD_RECORDS))
def test_odd_records_agree(case: str) -> None:
    _agrees(_edited(ODD_RECORDS[case]))


@pytest.mark.parametrize("case", sorted(ODD_HEADERS))
def test_odd_headers_agree(case: str) -> None:
    _agrees(_edited(ODD_HEADERS[case]))


def test_defects_are_noted_as_the_streaming_parser_notes_them() -> None:
    defects = GOOD.replace(b"<selector>s1</selector>", b"").replace(b"<spf>pass</spf>", b"")
    assert _agrees(defects)
    _events, notes = _small(defects)  # type: ignore[misc]
    assert Note("dkim-selector-missing", gen.DOMAIN) in notes and Note("missing", "spf") in notes
    no_id = GOOD.replace(b"<report_id>g-1</report_id>", b"")
    assert _small(no_id) == ("no-report-id", "") == _read(no_id, streaming=True)


def test_a_report_without_records_has_its_header() -> None:
    """(Before, the chunked reader lost the header of a report with no `<record>` and the
    import stopped with an internal error.)"""
    assert _agrees(ZERO_RECORDS)
    events, _ = _small(ZERO_RECORDS)  # type: ignore[misc]
    assert [type(e) for e in events] == [ReportHeader]


LEFT_TO_THE_CHUNKED_READER = {
    "doctype": GOOD.replace(b"?>\n", b"?>\n<!DOCTYPE feedback>"),
    "entity bomb": (
        b'<?xml version="1.0"?><!DOCTYPE f [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
        b"<feedback><report_metadata><org_name>&b;</org_name></report_metadata></feedback>"
    ),
    "external entity": (
        b'<?xml version="1.0"?><!DOCTYPE f [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<feedback><report_metadata><org_name>&x;</org_name></report_metadata></feedback>"
    ),
    "comment": GOOD.replace(b"<generator>", b"<generator><!-- c -->"),
    "cdata": GOOD.replace(b"<generator>", b"<generator><![CDATA[x]]>"),
    "undeclared entity": GOOD.replace(b"<generator>", b"<generator>&x;"),
    "utf-16": GOOD.decode().replace("UTF-8", "UTF-16").encode("utf-16"),
    "utf-16 without bom": GOOD.decode().replace("UTF-8", "UTF-16").encode("utf-16-be"),
    "windows-1252": GOOD.replace(b"UTF-8", b"windows-1252"),
    "ebcdic": GOOD.replace(b"UTF-8", b"cp037"),
    "odd declaration": GOOD.replace(b'<?xml version="1.0"', b'<?xml  encoding="UTF-8" v="1"'),
    "space before the declaration": b" " + GOOD,
    "not well formed": GOOD.replace(b"</org_name>", b"</org>"),
    "trailing garbage": GOOD + b"<junk/>",
    "invalid bytes": GOOD.replace(b"test generator", b"\x91gen\x92"),
    "schema wrapper": GOOD.replace(b"<feedback", b"<xs:schema xmlns:xs='x'><feedback").replace(
        b"</feedback>", b"</feedback></xs:schema>"
    ),
    "html": b"<html><body>hi</body></html>",
    "empty": b"",
    "too big": GOOD.replace(b"<generator>", b"<generator>" + b"g" * MAX_SMALL),
}


@pytest.mark.parametrize("case", sorted(LEFT_TO_THE_CHUNKED_READER))
def test_what_it_must_not_read_is_left_to_the_chunked_reader(case: str) -> None:
    assert _small(LEFT_TO_THE_CHUNKED_READER[case]) is None


def test_byte_safe_declarations_are_taken() -> None:
    for decl in (b"<?xml version='1.0' encoding='us-ascii'?>", b'<?xml version="1.0"?>',
                 b'<?xml version="1.0" encoding="ISO-8859-1" standalone="yes" ?>'):  # fmt: skip
        data = decl + GOOD[GOOD.index(b"?>") + 2 :]
        assert _agrees(data), decl
    assert _agrees(b"\xef\xbb\xbf" + GOOD)  # UTF-8 byte order mark
    latin = GOOD.replace(b"UTF-8", b"ISO-8859-1").replace(b"test generator", b"g\xe9n")
    assert _agrees(latin)


def _store_state(store: SqliteStore) -> tuple[object, ...]:
    store.fold()
    return (
        [(r.org_name, r.report_id, r.begin, r.end, r.notes) for r in store.reports(None, None)],
        list(store.source_rows(None, None)),
        store.source_day_rows(None, None),
    )


def test_the_importer_stores_the_same_either_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Small files (plain and gzip, a zero-record one, one with notes, a duplicate) through
    the small reader, then with it switched off: the same summary and the same store."""
    files = {
        "a.xml.gz": gzip.compress(GOOD),
        "b.xml": gen.aggregate_xml(
            "Outlook.com", "o-1", gen.DOMAIN, gen.START, [(gen.OWN_MTA, 3)]
        ).replace(b"<selector>s1</selector>", b""),  # a note
        "c.xml": ZERO_RECORDS,
        "d.xml": GOOD,  # the same report as a.xml.gz: a duplicate
        "e.xml": MANY[: MANY.index(b"<record>")] + b"</feedback>",  # Yahoo, no record
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    used: list[bool] = []
    original = small_reader.read_small

    def spy(data: bytes, notes: list[Note]) -> list[ReportHeader | Record] | None:
        got = original(data, notes)
        used.append(got is not None)
        return got

    monkeypatch.setattr("mailauth.report.ingest.read_small", spy)
    fast = SqliteStore()
    fast_summary = import_inputs(fast, [str(tmp_path)])
    assert used == [True] * 5
    monkeypatch.setattr("mailauth.report.ingest.read_small", lambda data, notes: None)
    slow = SqliteStore()
    slow_summary = import_inputs(slow, [str(tmp_path)])
    assert fast_summary == slow_summary
    assert (fast_summary.reports_read, fast_summary.duplicates, fast_summary.records) == (4, 1, 2)
    assert _store_state(fast) == _store_state(slow)
    assert any(r.notes for r in fast.reports(None, None))


def test_a_report_read_whole_is_the_same_as_one_streamed_from_a_file() -> None:
    notes: list[Note] = []
    streamed = list(iter_aggregate(io.BytesIO(GOOD), notes))
    assert _small(GOOD) == (streamed, notes)


def test_a_pipe_is_read_to_its_end(tmp_path: Path) -> None:
    """A named pipe given as input (`<(zcat r.gz)` in a shell) arrives in pieces; the file
    reader asks for its size only of a regular file and reads on until the end."""
    fifo = tmp_path / "report.xml"
    os.mkfifo(fifo)

    def write() -> None:
        with open(fifo, "wb") as pipe:
            pipe.write(MANY[:70_000])
            pipe.flush()
            time.sleep(0.2)
            pipe.write(MANY[70_000:])

    writer = threading.Thread(target=write)
    writer.start()
    try:
        summary = import_inputs(SqliteStore(), [str(fifo)])
    finally:
        writer.join()
    assert (summary.reports_read, summary.records, summary.unreadable) == (1, 7 * 300, [])


def _alone(data: bytes) -> bytes | None:
    """`data` parsed by a parser of its own (what the reused parser must agree with)."""
    parser = ET.XMLParser(target=ET.TreeBuilder())
    try:
        parser.feed(data)
        return ET.tostring(parser.close())
    except ET.ParseError:
        return None


def _variants() -> Iterator[bytes]:
    """Documents near the edges of what the reused parser may take: the samples, the odd
    shapes, GOOD cut at every position, and GOOD with characters that change its
    structure put in at random places (a fixed seed)."""
    yield from (data for _name, data in _samples())
    yield from LEFT_TO_THE_CHUNKED_READER.values()
    yield from (_edited(edits) for edits in ODD_RECORDS.values())
    yield from (_edited(edits) for edits in ODD_HEADERS.values())
    for cut in range(0, len(GOOD), 7):
        yield GOOD[:cut]
        yield GOOD[cut:]
    tail = GOOD.rstrip()
    ends = [b" ", b"&#32;", b"\n<x/>", b"x", b"<?pi?>", b"</mailauth-documents>",
            b"<mailauth-end/>", b"</feedback>", b"]]>", b"&amp;", b"\xef\xbb\xbf"]  # fmt: skip
    yield from (tail + end for end in ends)
    yield GOOD.replace(b'<?xml version="1.0" encoding="UTF-8"?>', b'<?xml version="1.1"?>')
    yield GOOD.replace(b"UTF-8", b"us-ascii").replace(b"test generator", b"g\xc3\xa9n")
    yield b"\xef\xbb\xbf" + GOOD
    yield GOOD.replace(b"?>\n", b"?>\n<?xml-stylesheet href='x'?>")
    yield GOOD.replace(b"<feedback", b"<mailauth-end/><feedback")
    yield GOOD.replace(b"</feedback>", b"</feedback></mailauth-documents><mailauth-documents>")
    rng = random.Random(12)
    pieces = [b"<", b">", b"/", b"&", b";", b'"', b"'", b"=", b" ", b"<a>", b"</a>", b"<a/>",
              b"&#32;", b"&lt;", b"<?x?>", b"\x00", b"\xff", b"]]>",
              b"<mailauth-end/>"]  # fmt: skip
    for _ in range(600):
        data = GOOD
        for _ in range(rng.randint(1, 3)):
            at = rng.randrange(len(data) + 1)
            data = data[:at] + rng.choice(pieces) + data[at:]
        yield data


def test_the_reused_parser_agrees_with_a_parser_per_document() -> None:
    """On every variant the reused parser gives the tree a parser of its own gives, or
    leaves the document to one (None) — and a good report right after still reads right
    (what a refused document left in the parser is dropped with it)."""
    good = _alone(GOOD)
    reused = 0
    for data in _variants():
        root = small_reader._reused(data)
        if root is not None:
            reused += 1
            assert ET.tostring(root) == _alone(data), data
        after = small_reader._reused(GOOD)
        assert after is not None and ET.tostring(after) == good
    assert reused >= 50


def test_a_reused_parser_is_renewed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(small_reader, "_POOL", [])
    small_reader._reused(GOOD)
    first = small_reader._POOL[0]
    for _ in range(small_reader.REUSE_DOCUMENTS):
        assert small_reader._reused(GOOD) is not None
    assert small_reader._POOL == [] or small_reader._POOL[0] is not first
    assert first.documents == small_reader.REUSE_DOCUMENTS


def test_each_report_notes_the_defects_of_a_policy_read_before() -> None:
    """A `<policy_published>` already read is not read again (`aggregate._POLICIES`), and
    each report still notes its defects: a pct that is no number, pct under RFC 9990."""
    bad = GOOD.replace(b"<p>none</p>", b"<p>none</p><pct>half</pct>")
    number = GOOD.replace(b"<p>none</p>", b"<p>none</p><pct>50</pct>")
    for data in (bad, bad, number, number, bad.replace(f' xmlns="{gen.NS}"'.encode(), b"")):
        small = _small(data)
        assert small == _read(data, streaming=True)
        assert isinstance(small, tuple) and isinstance(small[1], list)
    assert Note("bad-pct", "half") in _small(bad)[1]  # type: ignore[index]
    assert Note("pct-removed") in _small(number)[1]  # type: ignore[index]


@pytest.mark.parametrize(
    "version",
    [b"<version> 1.0\n</version>", b"<version/>", b"<version>2<x>y</x></version>",
     b"<version>1.0</version><version> 2.0 </version>", b"<version>&#32;1.0&#10;</version>"],
)  # fmt: skip
def test_the_version_read_directly_agrees(version: bytes) -> None:
    """`<version>` of a small document is read straight into the header (`read_child`'s
    `small`): the same trimmed text as the streaming parser, or its replay for any other
    shape."""
    data = _edited([(b"<version>1.0</version>", version)])
    assert _agrees(data)
    got = _small(data)
    assert isinstance(got, tuple) and isinstance(got[0], list)
    header = got[0][0]
    assert isinstance(header, ReportHeader)
    if version == b"<version> 1.0\n</version>":
        assert header.version == "1.0"

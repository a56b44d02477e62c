"""The C tree reader (`report/tree_reader.py`) against the streaming parser: the same
header, records and notes on every vendored sample and on the shapes it hands over (odd
records, CDATA, long texts, giant records, UTF-16, an `<xs:schema>` wrapper); the same
refusals (billion laughs, XXE); memory bounded on a big report; a hand-over after records
were yielded is told to the caller and handled by the importer and `parse_aggregate`."""

from __future__ import annotations

import gzip
import io
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.support import dmarc_gen as gen

from mailauth.report import tree_reader
from mailauth.report.aggregate import (
    CHUNK,
    MAX_TEXT,
    ReportError,
    StreamingNeeded,
    iter_aggregate,
    parse_aggregate,
)
from mailauth.report.containers import Limits, XmlPayload, read_inputs
from mailauth.report.ingest import import_inputs
from mailauth.report.model import Note, Record, ReportHeader
from mailauth.report.store import SqliteStore

DATA = Path(__file__).resolve().parents[2] / "data" / "dmarc-reports"
GOOD = gen.aggregate_xml("google.com", "g-1", gen.DOMAIN, gen.START, [(gen.OWN_MTA, 10)])
MANY = gen.aggregate_xml(
    "Yahoo", "y-1", gen.DOMAIN, gen.START, [(s, 3) for s in gen.FAILING_DOMAIN] * 300
)

Outcome = tuple[list[ReportHeader | Record], list[Note]] | tuple[str, str]


def _read(data: bytes, *, streaming: bool) -> Outcome:
    notes: list[Note] = []
    try:
        events = list(iter_aggregate(io.BytesIO(data), notes, streaming=streaming))
    except ReportError as exc:
        return exc.key, exc.value
    return events, notes


def _same(data: bytes) -> Outcome:
    """Both readers agree on `data`; returns what they read."""
    fast = _read(data, streaming=False)
    slow = _read(data, streaming=True)
    assert fast == slow
    return fast


def _samples() -> Iterator[tuple[str, bytes]]:
    for item in read_inputs([str(DATA)], Limits()):
        if isinstance(item, XmlPayload):
            with item.open() as f:
                yield item.name, f.read()


def test_every_vendored_sample_reads_the_same() -> None:
    samples = list(_samples())
    assert len(samples) >= 20
    read = 0
    for _name, data in samples:
        outcome = _same(data)
        read += isinstance(outcome[0], list)
    assert read >= 15


def test_the_fast_reader_is_the_one_used(monkeypatch: pytest.MonkeyPatch) -> None:
    """A report of the usual shape never reaches the streaming parser, and its records
    (but the one with a policy override reason) are read straight off the tree."""
    read: list[bool] = []
    original = tree_reader._TreeReader._record

    def spy(self: tree_reader._TreeReader, record: object) -> bool:
        read.append(original(self, record))  # type: ignore[arg-type]
        return read[-1]

    monkeypatch.setattr(tree_reader._TreeReader, "_record", spy)
    events, notes = _read(MANY, streaming=False)
    # (the streaming parser imports its class from defusedxml when it is first needed)
    monkeypatch.setattr("defusedxml.ElementTree.DefusedXMLParser", None)
    assert _read(MANY, streaming=False) == (events, notes)
    assert len(events) == 1 + 7 * 300 and notes == []
    assert read.count(False) == 2 * 300  # gen.LIST's records give a reason
    assert read.count(True) == 2 * 6 * 300


ODD_RECORDS = {
    "reasons": [(b"<disposition>none</disposition>",
                 b"<disposition>none</disposition><reason><type>Forwarded</type><comment>arc=pass"
                 b"</comment></reason><reason>local_policy</reason>")],
    "extensions in a record": [(b"<auth_results>",
                                b"<extensions><x>1</x></extensions><auth_results>")],
    "leaf under record": [(b"<row>", b"<note>hello</note><row>")],
    "unknown auth result": [(b"</auth_results>",
                             b"<arc><result>pass</result></arc></auth_results>")],
    "nested identifier": [(b"<header_from>",
                           b"<deep><header_from>other.test</header_from></deep><header_from>")],
    "upper case": [(b"<source_ip>", b"<Source_IP>"), (b"</source_ip>", b"</Source_IP>")],
    "comment in text": [(b"<result>pass</result>", b"<result> PASS <!-- x --></result>")],
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(ODD_RECORDS))
def test_odd_records_read_the_same(case: str) -> None:
    data = GOOD
    for old, new in ODD_RECORDS[case]:
        assert old in data
        data = data.replace(old, new)
    events, _notes = _same(data)
    assert len(events) == 2


def test_prefixed_namespace_no_namespace_and_rfc7489_shapes() -> None:
    prefixed = GOOD.replace(b'<feedback xmlns="', b'<d:feedback xmlns:d="')
    prefixed = prefixed.replace(b"<", b"<d:").replace(b"<d:/", b"</d:").replace(b"<d:?", b"<?")
    prefixed = prefixed.replace(b"<d:d:", b"<d:")
    events, _ = _same(prefixed)
    assert len(events) == 2
    bare = GOOD.replace(f' xmlns="{gen.NS}"'.encode(), b"")
    events, notes = _same(bare)
    assert len(events) == 2 and notes == []
    defects = GOOD.replace(b"<selector>s1</selector>", b"").replace(b"<spf>pass</spf>", b"")
    _events, notes = _same(defects)
    assert Note("dkim-selector-missing", gen.DOMAIN) in notes and Note("missing", "spf") in notes


def test_handed_over_shapes_read_the_same() -> None:
    cases = {
        "cdata": GOOD.replace(b"<generator>", b"<generator><![CDATA[<x>]]>"),
        "long text": GOOD.replace(b"<generator>", b"<generator>" + b"A" * (MAX_TEXT + 10)),
        "long comment": GOOD.replace(b"<generator>", b"<generator><!--" + b"-" * 40_000 + b"->"),
        "schema wrapper": GOOD.replace(b"<feedback", b"<xs:schema xmlns:xs='x'><feedback").replace(
            b"</feedback>", b"</feedback></xs:schema>"
        ),
        "utf-16": GOOD.decode().replace("UTF-8", "UTF-16").encode("utf-16"),
        "latin-1": GOOD.replace(b"UTF-8", b"ISO-8859-1").replace(b"test generator", b"g\xe9n"),
        "trailing garbage": GOOD + b"<junk/>",
        "not well formed": GOOD.replace(b"</org_name>", b"</org>"),
        "html": b"<html><body>hi</body></html>",
        "empty": b"",
        "text only": b"hello",
    }
    got = {name: _same(data) for name, data in cases.items()}
    assert got["not well formed"][0] == "xml-error"
    assert got["html"] == ("not-aggregate", "<html>")
    assert got["trailing garbage"][1][0].code == "trailing-garbage"  # type: ignore[union-attr]
    assert got["long text"][1] == [Note("text-truncated", "feedback/report_metadata/generator")]


def test_entities_are_refused_before_the_c_parser_sees_them() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE f [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
        b"<feedback><report_metadata><org_name>&b;</org_name></report_metadata></feedback>"
    )
    xxe = (
        b'<?xml version="1.0"?><!DOCTYPE f [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<feedback><report_metadata><org_name>&x;</org_name></report_metadata></feedback>"
    )
    assert _same(bomb) == ("xml-forbidden", "EntitiesForbidden")
    assert _same(xxe) == ("xml-forbidden", "EntitiesForbidden")
    undeclared = GOOD.replace(b"<generator>", b"<generator>&x;")
    assert _same(undeclared)[0] == "xml-error"
    doctype_only = GOOD.replace(b"?>\n", b'?>\n<!DOCTYPE feedback SYSTEM "http://127.0.0.1:9/x">')
    events, _ = _same(doctype_only)
    assert len(events) == 2


def _late(bad: bytes) -> bytes:
    """MANY with `bad` put into a record well past the first chunk."""
    cut = MANY.index(b"<record>", 3 * CHUNK)
    return MANY[:cut] + b"<record><row><source_ip>" + bad + MANY[cut + 24 :]


def test_a_late_hand_over_is_told_and_handled() -> None:
    data = _late(b"B" * (200 * 1024))
    assert len(data) > 4 * CHUNK
    with pytest.raises(StreamingNeeded):
        list(iter_aggregate(io.BytesIO(data), []))
    report = parse_aggregate(io.BytesIO(data))  # seeks back and streams
    assert len(report.records) == 7 * 300
    assert Note("text-truncated", "feedback/record/row/source_ip") in report.notes
    giant = _late(b"10.0.0.1</source_ip>" + b"<x>1</x>" * (3 * CHUNK // 8) + b"<source_ip>")
    with pytest.raises(StreamingNeeded):
        list(iter_aggregate(io.BytesIO(giant), []))
    assert _read(giant, streaming=True) == _read(giant, streaming=True)


def test_the_importer_reads_a_late_hand_over_once(tmp_path: Path) -> None:
    path = tmp_path / "late.xml.gz"
    path.write_bytes(gzip.compress(_late(b"C" * (200 * 1024))))
    store = SqliteStore()
    summary = import_inputs(store, [str(path)])
    assert (summary.reports_read, summary.records, summary.unreadable) == (1, 7 * 300, [])
    assert len(store.reports(None, None)) == 1
    assert sum(r.messages for r in store.day_rows(None, None)) == 3 * 7 * 300


class _Endless(io.RawIOBase):
    """A report of `records` records, made as it is read (never whole in memory)."""

    def __init__(self, records: int) -> None:
        head, _, tail = GOOD.partition(b"<record>")
        record = b"<record>" + tail[: tail.index(b"</record>")] + b"</record>"
        self._parts = iter([head, *([record] * records), b"</feedback>\n"])
        self._buffer = b""

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        parts, have = [self._buffer], len(self._buffer)
        while have < size:
            part = next(self._parts, None)
            if part is None:
                break
            parts.append(part)
            have += len(part)
        data = b"".join(parts)
        out, self._buffer = data[:size], data[size:]
        return out


def test_memory_stays_bounded_on_a_big_report() -> None:
    """20,000 records (~11 MB of XML, 45 chunks) read with under 6 MiB traced at any time
    (their trees kept whole would take ~40 MiB)."""
    tracemalloc.start()
    try:
        stream: Any = _Endless(20_000)
        count = sum(isinstance(e, Record) for e in iter_aggregate(stream, []))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 20_000
    assert peak < 6 << 20, peak


# The report header's parts, read straight into the collector (`tree_reader._header_part`)
# or replayed through it (any other shape): the same header and notes as the streaming
# parser either way.
ODD_HEADERS = {
    "as generated": [],
    "tails and spaces": [(b"<date_range>", b"\n  <date_range> x "),
                         (b"</begin>", b"</begin>\n "), (b"</end>", b"</end> tail "),
                         (b"<p>none</p>", b"<p> none </p>\n\t")],
    "errors at two depths": [(b"<generator>", b"<error> e1 </error><generator>"),
                             (b"</date_range>", b"<error>e2</error></date_range>")],
    "an error with a leaf": [(b"<generator>", b"<error>a<b>c</b> after </error><generator>")],
    "repeated field": [(b"</report_id>", b"</report_id><report_id>again</report_id>")],
    "leaf with a leaf": [(b"<org_name>google.com", b"<org_name>x<b>y</b>google.com")],
    "policy leaf with a leaf": [(b"<p>none</p>", b"<p>a<q>b</q>reject</p>")],
    "deeper": [(b"<begin>", b"<x><begin>1</begin></x><begin>")],
    "extensions": [(b"<generator>", b"<extensions><org_name>no</org_name></extensions>"
                                    b"<generator>")],
    "extension in date_range": [(b"</date_range>", b"<extension>1</extension></date_range>")],
    "upper case": [(b"<org_name>", b"<ORG_NAME>"), (b"</org_name>", b"</ORG_NAME>")],
    "text on the part": [(b"<report_metadata>", b"<report_metadata a='1'>text")],
    "empty policy": [(b"<policy_published>", b"<policy_published/><x>"),
                     (b"</policy_published>", b"</x>")],
    "comment": [(b"<org_name>google.com", b"<org_name>google<!-- c -->.com")],
    "long text": [(b"<generator>", b"<generator>" + b"g" * (MAX_TEXT + 10))],
    "long tail": [(b"</email>", b"</email>" + b" " * (MAX_TEXT + 10))],
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(ODD_HEADERS))
def test_header_parts_read_the_same(case: str) -> None:
    data = GOOD
    for old, new in ODD_HEADERS[case]:
        assert old in data
        data = data.replace(old, new, 1)
    events = _same(data)[0]
    assert isinstance(events[0], ReportHeader) or isinstance(events, str)

"""`SqliteStore.reports` reads every stored report back field by field: notes decoded
(none for the usual "[]"), `testing` as a boolean or None, the policy columns by name."""

from __future__ import annotations

import io
import json
from pathlib import Path

from tests.support import dmarc_gen as gen

from mailauth.report.aggregate import iter_aggregate
from mailauth.report.ingest import import_inputs
from mailauth.report.model import Note
from mailauth.report.store import SqliteStore


def test_reports_read_back_as_stored(tmp_path: Path) -> None:
    for n, testing in enumerate(["y", "n", None]):
        xml = gen.aggregate_xml(
            "google.com", f"t-{n}", gen.DOMAIN, gen.START + n * gen.DAY, [(gen.OWN_MTA, 2)]
        )
        if testing is None:  # no <testing> at all
            xml = xml.replace(b"<testing>n</testing>", b"")
        else:
            xml = xml.replace(b"<testing>n</testing>", f"<testing>{testing}</testing>".encode())
        (tmp_path / f"{n}.xml").write_bytes(xml)
    # one with notes: an RFC 9990 report with pct and without <email>
    noted = gen.aggregate_xml(
        "yahoo.com", "noted", gen.DOMAIN, gen.START, [(gen.OWN_MTA, 1)]
    ).replace(b"<p>none</p>", b"<p>none</p><pct>50</pct>")
    noted = noted.replace(b"<email>noreply-dmarc@yahoo.com</email>", b"")
    (tmp_path / "noted.xml").write_bytes(noted)
    store = SqliteStore(tmp_path / "s.sqlite")
    summary = import_inputs(store, [str(tmp_path)])
    assert summary.reports_read == 4, summary.unreadable
    got = store.reports(None, None)
    rows = store._db.execute(
        "SELECT org_name, report_id, domain, begin_ts, end_ts, source_file, notes, p, sp, np,"
        " adkim, aspf, pct, testing, discovery_method FROM reports ORDER BY begin_ts, org_name"
    ).fetchall()
    keys = ("p", "sp", "np", "adkim", "aspf", "pct", "testing", "discovery_method")
    expected = []
    for row in rows:
        policy = dict(zip(keys, row[7:], strict=True))
        policy["testing"] = None if policy["testing"] is None else bool(policy["testing"])
        notes = tuple(Note(c, v) for c, v in json.loads(row[6]))
        expected.append((*row[:6], notes, policy))
    assert [
        (r.org_name, r.report_id, r.domain, r.begin, r.end, r.source_file, r.notes, r.policy)
        for r in got
    ] == expected
    assert {r.report_id: r.policy["testing"] for r in got} == {
        "t-0": True,
        "t-1": False,
        "t-2": None,
        "noted": False,
    }
    assert {n.code for r in got for n in r.notes} >= {"pct-removed", "missing"}
    assert all(r.notes == () for r in got if r.report_id != "noted")
    store.close()


def test_absent_header_fields_are_stored_as_null(tmp_path: Path) -> None:
    """The header's optional fields are bound as NULLIF(?, '') (`store._NULLABLE`): an
    absent one is NULL, a present one its value, in both ways a report is written (a
    batch's group, `_defer`, and a report of its own)."""
    bare = gen.aggregate_xml("a.example", "bare", gen.DOMAIN, gen.START, [(gen.OWN_MTA, 1)])
    for tag in (b"email", b"generator", b"sp", b"np", b"testing", b"discovery_method"):
        start, end = bare.index(b"<" + tag + b">"), bare.index(b"</" + tag + b">")
        bare = bare[:start] + bare[end + len(tag) + 3 :]
    full = gen.aggregate_xml("b.example", "full", gen.DOMAIN, gen.START, [(gen.OWN_MTA, 1)])
    full = full.replace(b"<p>none</p>", b"<p>none</p><adkim>r</adkim><aspf>s</aspf>"
                        b"<pct>50</pct><fo>1</fo>")  # fmt: skip
    (tmp_path / "bare.xml").write_bytes(bare)
    (tmp_path / "full.xml").write_bytes(full)
    columns = "email, p, sp, np, adkim, aspf, pct, fo, testing, discovery_method, generator"
    for batch in (True, False):
        store = SqliteStore()
        if batch:
            import_inputs(store, [str(tmp_path)])
        else:
            for data in (bare, full):  # (outside a batch: each in its own transaction)
                notes: list[Note] = []
                events = iter_aggregate(io.BytesIO(data), notes)
                store.import_aggregate("x", events, notes, lambda: "h")
        rows = store._db.execute(f"SELECT {columns} FROM reports ORDER BY org_name").fetchall()
        assert rows == [
            (None, "none", None, None, None, None, None, None, None, None, None),
            ("noreply-dmarc@b.example", "none", "none", "none", "r", "s", 50, "1", 0,
             "treewalk", "mailauth test generator"),
        ], batch  # fmt: skip

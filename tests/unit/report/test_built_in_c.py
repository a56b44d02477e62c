"""Headers and records built with `tuple.__new__` (no Python frame per report) are the
named tuples their constructors build, every field where it belongs."""

from __future__ import annotations

from tests.support import dmarc_gen as gen

from mailauth.report import document_plan, record_plan, skeleton_reader
from mailauth.report.aggregate import RFC9990_NAMESPACE
from mailauth.report.model import Note, Record, ReportHeader
from mailauth.report.small_reader import read_small


def _events(data: bytes) -> list[ReportHeader | Record]:
    notes: list[Note] = []
    events = read_small(data, notes)
    assert events is not None
    return events


def test_header_and_records_have_their_fields() -> None:
    document_plan._PLANS.clear()
    record_plan._CLEAN.clear()
    skeleton_reader._SKELETONS.clear()
    # the first builds the outcome through the collector, then shared (and the second and
    # third are read by the first one's skeleton, `skeleton_reader`)
    for n in range(3):
        data = gen.aggregate_xml(
            "a.example", f"c-{n}", gen.DOMAIN, gen.START + n * gen.DAY, [(gen.OWN_MTA, 4)]
        )
        header, record = _events(data)
        assert isinstance(header, ReportHeader) and isinstance(record, Record)
        assert ReportHeader(*header) == header and len(header) == len(ReportHeader._fields)
        assert (header.org_name, header.report_id, header.begin) == (
            "a.example",
            f"c-{n}",
            gen.START + n * gen.DAY,
        )
        assert header.policy.domain == gen.DOMAIN and header.namespace == RFC9990_NAMESPACE
        assert header.email == "noreply-dmarc@a.example" and header.errors == ()
        assert Record(*record) == record and len(record) == len(Record._fields)
        assert (record.source_ip, record.count, record.header_from) == (
            gen.OWN_MTA.ip,
            4,
            gen.DOMAIN,
        )
        assert record.dkim_results and record.spf_results

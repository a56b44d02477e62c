"""Every vendored sample (tests/data/dmarc-reports, see its SOURCES.md) parses to what its
source expects: Stalwart's JSON field by field (names mapped, enum words compared after
mapping our lower-case words to Stalwart's capitalised ones), the parsedmarc samples as
annotated in manifest.yaml."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from mailauth.report.aggregate import parse_aggregate
from mailauth.report.containers import FailurePayload, Limits, XmlPayload, read_inputs
from mailauth.report.model import AggregateReport

DATA = Path(__file__).resolve().parents[2] / "data" / "dmarc-reports"
STALWART = DATA / "stalwart-mail-auth"
PARSEDMARC = DATA / "parsedmarc"
MANIFEST = yaml.safe_load((DATA / "manifest.yaml").read_text())

_WORDS = {
    "pass": "Pass", "fail": "Fail", "none": "None", "neutral": "Neutral",
    "softfail": "SoftFail", "temperror": "TempError", "permerror": "PermError",
    "policy": "Policy", "quarantine": "Quarantine", "reject": "Reject",
    "r": "Relaxed", "s": "Strict", "treewalk": "Treewalk", "psl": "Psl",
    "mfrom": "MailFrom", "helo": "Helo", "trusted_forwarder": "TrustedForwarder",
    "local_policy": "LocalPolicy", "mailing_list": "MailingList", "other": "Other",
    "forwarded": "Forwarded", "sampled_out": "SampledOut", "policy_test_mode": "PolicyTestMode",
}  # fmt: skip


def _w(word: str | None) -> str:
    return "Unspecified" if word is None else _WORDS[word]


def stalwart_model(r: AggregateReport) -> dict[str, Any]:
    """Our parse in Stalwart's serde shape."""
    h, p = r.header, r.header.policy
    return {
        "version": float(h.version or 0),
        "report_metadata": {
            "org_name": h.org_name,
            "email": h.email or "",
            "extra_contact_info": h.extra_contact_info,
            "report_id": h.report_id,
            "date_range": {"begin": h.begin, "end": h.end},
            "error": list(h.errors),
            "generator": h.generator,
        },
        "policy_published": {
            "domain": p.domain,
            "adkim": _w(p.adkim),
            "aspf": _w(p.aspf),
            "p": _w(p.p),
            "sp": _w(p.sp),
            "np": _w(p.np),
            "testing": bool(p.testing),
            "discovery_method": _w(p.discovery_method),
            "fo": p.fo,
        },
        "record": [
            {
                "row": {
                    "source_ip": rec.source_ip,
                    "count": rec.count,
                    "policy_evaluated": {
                        "disposition": _w(rec.disposition),
                        "dkim": _w(rec.dkim),
                        "spf": _w(rec.spf),
                        "reason": [
                            {"type_": _w(x.type), "comment": x.comment} for x in rec.reasons
                        ],
                    },
                },
                "identifiers": {
                    "envelope_to": rec.envelope_to,
                    "envelope_from": rec.envelope_from or "",
                    "header_from": rec.header_from,
                },
                "auth_results": {
                    "dkim": [
                        {"domain": d.domain, "selector": d.selector or "", "result": _w(d.result),
                         "human_result": d.human_result}
                        for d in rec.dkim_results
                    ],
                    "spf": [
                        {"domain": s.domain, "scope": _w(s.scope), "result": _w(s.result),
                         "human_result": s.human_result}
                        for s in rec.spf_results
                    ],
                },
            }
            for rec in r.records
        ],
    }  # fmt: skip


def _compare(ours: Any, theirs: Any, path: str) -> list[str]:
    """Differences, for every key Stalwart has that we model (extensions are skipped)."""
    if isinstance(theirs, dict):
        out: list[str] = []
        for key, value in theirs.items():
            if key in ("extensions", "version_published"):
                continue
            if key not in ours:
                if key == "generator" or key == "np":
                    continue
                out.append(f"{path}.{key} missing")
                continue
            out += _compare(ours[key], value, f"{path}.{key}")
        return out
    if isinstance(theirs, list):
        if len(ours) != len(theirs):
            return [f"{path}: {len(ours)} items, expected {len(theirs)}"]
        return [
            d
            for i, (a, b) in enumerate(zip(ours, theirs, strict=True))
            for d in _compare(a, b, f"{path}[{i}]")
        ]
    if path.endswith("type_") and theirs == "Other" and ours == "SampledOut":
        return []  # Stalwart folds RFC 7489's sampled_out (gone in RFC 9990) into Other
    if ours != theirs:
        return [f"{path}: {ours!r} != {theirs!r}"]
    return []


def _payload(path: Path) -> AggregateReport:
    items = list(read_inputs([str(path)], Limits()))
    xml = [i for i in items if isinstance(i, XmlPayload)]
    assert len(xml) == 1, items
    from mailauth.report.aggregate import ReportError, recover

    with xml[0].open() as stream:
        data = stream.read()
    try:
        return parse_aggregate(io.BytesIO(data))
    except ReportError as exc:  # what the importer does: one repaired re-read
        assert exc.key == "xml-error"
        fixed, notes = recover(data)
        assert notes
        return parse_aggregate(io.BytesIO(fixed))


@pytest.mark.parametrize("name", sorted(MANIFEST["sets"]["stalwart-mail-auth"]["files"]))
def test_stalwart_expectations_field_by_field(name: str) -> None:
    expected = json.loads(
        (STALWART / MANIFEST["sets"]["stalwart-mail-auth"]["files"][name]["expected"]).read_text()
    )
    ours = stalwart_model(_payload(STALWART / name))
    assert _compare(ours, expected, name) == []


PARSES = [
    n
    for n, v in MANIFEST["sets"]["parsedmarc"]["files"].items()
    if v["kind"] == "aggregate" or "aggregate report mail" in v["kind"]
]


@pytest.mark.parametrize("name", sorted(PARSES))
def test_parsedmarc_aggregate_samples_parse(name: str) -> None:
    report = _payload(PARSEDMARC / name)
    assert report.header.report_id and report.header.org_name
    assert report.records and all(r.count > 0 and r.source_ip for r in report.records)


def test_upper_case_result_words_are_lower_cased() -> None:
    report = _payload(PARSEDMARC / "report_with_upper_cased_pass.xml")
    (rec,) = report.records
    assert (rec.disposition, rec.dkim, rec.spf) == ("none", "pass", "pass")
    assert {d.result for d in rec.dkim_results} == {"pass"}
    assert {s.result for s in rec.spf_results} == {"pass"}


def test_invalid_xml_is_repaired_with_a_note() -> None:
    """A bare `<x@y>` in <email> and `bad<xml.net` in <header_from>: parsedmarc recovers;
    so do we, and the defect is said (manifest: rejecting cleanly is the other option)."""
    from mailauth.report.aggregate import ReportError, iter_aggregate, recover

    data = (PARSEDMARC / "invalid_xml.xml").read_bytes()
    with pytest.raises(ReportError) as strict:
        list(iter_aggregate(io.BytesIO(data), []))
    assert strict.value.key == "xml-error"
    fixed, notes = recover(data)
    report = parse_aggregate(io.BytesIO(fixed))
    assert report.header.email == "<bad-xml@bad-xml.net>"
    assert report.records[0].header_from == "bad<xml.net"
    assert {n.code for n in notes} == {"bare-markup"}


def test_invalid_utf8_byte_is_read_as_windows_1252() -> None:
    from mailauth.report.aggregate import recover

    fixed, notes = recover((PARSEDMARC / "invalid_utf_8.xml").read_bytes())
    report = parse_aggregate(io.BytesIO(fixed))
    assert report.records[0].header_from == "bad_byte\u2018"
    assert notes[0].code == "invalid-bytes" and "0x91" in notes[0].value


def test_xsd_wrapper_and_missing_close_tag_ikea() -> None:
    report = _payload(PARSEDMARC / "ikea.com_example.de_1538690400_1538776800.xml")
    assert report.header.org_name == "ikea.com" and report.header.policy.domain == "example.de"
    assert [n.code for n in report.notes] == ["trailing-garbage"]


def test_rfc9990_fields() -> None:
    report = _payload(PARSEDMARC / "rfc9990-sample.xml")
    h = report.header
    assert h.namespace == "urn:ietf:params:xml:ns:dmarc-2.0"
    assert h.generator == "Example DMARC Aggregate Reporter v1.2"
    assert (h.policy.np, h.policy.testing, h.policy.discovery_method) == ("none", False, "treewalk")
    assert h.policy.pct is None
    assert report.records[0].disposition == "pass"


def test_legacy_report_keeps_pct_and_helo_scope() -> None:
    report = _payload(STALWART / "005.xml")
    assert report.header.policy.pct is not None
    assert report.records[0].spf_results[0].scope == "helo"
    assert report.records[0].reasons[0].type == "sampled_out"
    assert report.notes == ()  # no namespace: judged as RFC 7489, not against RFC 9990


def test_linkedin_failure_report() -> None:
    items = list(read_inputs([str(PARSEDMARC / "dmarc_ruf_report_linkedin.eml")], Limits()))
    (item,) = items
    assert isinstance(item, FailurePayload)
    f = item.report
    assert (f.source_ip, f.reported_domain, f.auth_failure) == (
        "10.10.10.10",
        "example.com",
        "dmarc",
    )
    assert f.feedback_type == "auth-failure" and f.delivery_result == "delivered"
    assert f.original_rcpt_to == "recipient@linkedin.com"
    assert f.headers is not None and "Subject:" in f.headers


def test_every_sample_through_the_importer() -> None:
    """All 22 sample reports and mails: nothing unreadable, the failure report stored, the
    repaired ones noted, and the samples that share a report id counted once."""
    from mailauth.report.ingest import import_inputs
    from mailauth.report.store import SqliteStore

    files = sorted(str(p) for p in DATA.rglob("*") if p.suffix in (".xml", ".eml"))
    assert len(files) == 22
    store = SqliteStore()
    summary = import_inputs(store, files)
    assert summary.unreadable == []
    assert summary.failures_read == 1
    assert summary.reports_read + summary.duplicates == 21
    assert summary.duplicates == 2  # 001.xml and 004.xml are rfc9990-sample.xml's report
    codes = {n.code for r in store.reports(None, None) for n in r.notes}
    assert {"bare-markup", "invalid-bytes", "trailing-garbage"} <= codes
    assert store.failures(None, "example.com")[0].source_ip == "10.10.10.10"


def test_rfc9990_schema_defects_are_noted_and_the_report_still_used() -> None:
    ns = b'<feedback xmlns="urn:ietf:params:xml:ns:dmarc-2.0">'
    data = (
        ns + b"<report_metadata><org_name>R</org_name><report_id>1</report_id>"
        b"<date_range><begin>1</begin><end>2</end></date_range></report_metadata>"
        b"<policy_published><domain>d.example</domain><pct>50</pct></policy_published>"
        b"<record><row><source_ip>192.0.2.1</source_ip><count>3</count><policy_evaluated>"
        b"<disposition>none</disposition><dkim>fail</dkim><spf>fail</spf>"
        b"<reason><type>sampled_out</type></reason></policy_evaluated></row>"
        b"<identifiers><header_from>d.example</header_from></identifiers><auth_results>"
        b"<dkim><domain>d.example</domain><result>fail</result></dkim>"
        b"<spf><domain>d.example</domain><scope>helo</scope><result>pass</result></spf>"
        b"<spf><domain>d.example</domain><result>pass</result></spf></auth_results></record>"
        b"</feedback>"
    )
    report = parse_aggregate(io.BytesIO(data))
    assert report.records[0].count == 3
    assert {(n.code, n.value) for n in report.notes} == {
        ("missing", "email"),
        ("missing", "p"),
        ("pct-removed", ""),
        ("dkim-selector-missing", "d.example"),
        ("spf-scope", "helo"),
        ("spf-more-than-one", ""),
        ("reason-removed", "sampled_out"),
    }

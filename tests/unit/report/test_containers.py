"""Containers recognised by content, and what real report mails do to parsers (each case
from parsedmarc's issue tracker named in issue 12)."""

from __future__ import annotations

import gzip
import io
import zipfile
from email.message import EmailMessage
from pathlib import Path

import pytest
from tests.support import dmarc_gen as gen

from mailauth.report.containers import FailurePayload, Limits, Unreadable, XmlPayload, read_inputs
from mailauth.report.ingest import import_inputs
from mailauth.report.store import SqliteStore

XML = gen.aggregate_xml("google.com", "c-1", gen.DOMAIN, gen.START, [(gen.OWN_MTA, 7)])


def xml(report_id: str, begin: int | None = None) -> bytes:
    """A distinct report (one reporter's reports with the same range count once)."""
    if begin is None:
        begin = gen.START + gen.DAY * (sum(map(ord, report_id)) % 1000)
    return gen.aggregate_xml("google.com", report_id, gen.DOMAIN, begin, [(gen.OWN_MTA, 7)])


def read(*paths: Path | str, stdin: bytes | None = None) -> tuple[int, list[Unreadable]]:
    store = SqliteStore()
    summary = import_inputs(
        store, [str(p) for p in paths], stdin=io.BytesIO(stdin) if stdin is not None else None
    )
    return summary.reports_read, summary.unreadable


def mail(*parts: tuple[bytes, str, str, str | None]) -> bytes:
    """A report mail with attachments (data, maintype, subtype, filename)."""
    msg = EmailMessage()
    msg["From"] = "noreply-dmarc-support@google.com"
    msg["To"] = "dmarc@shop.report.test"
    msg["Subject"] = "Report domain: shop.report.test"
    msg.set_content("This is an aggregate report.")
    for data, main, sub, name in parts:
        msg.add_attachment(data, maintype=main, subtype=sub, filename=name)
    return msg.as_bytes()


def test_recognised_by_content_not_by_name(tmp_path: Path) -> None:
    files = {
        "report.txt": gzip.compress(xml("a")),  # gzip named .txt
        "report.xml": zipcontent({"x.xml": xml("b")}),  # zip named .xml
        "report.gz": xml("c"),  # plain XML named .gz
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    assert read(*(tmp_path / n for n in files)) == (3, [])


def zipcontent(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def test_every_zip_member_is_read(tmp_path: Path) -> None:
    (tmp_path / "r.zip").write_bytes(
        zipcontent({"1.xml": xml("z1"), "2.xml.gz": gzip.compress(xml("z2"))})
    )
    assert read(tmp_path / "r.zip") == (2, [])


@pytest.mark.parametrize(
    ("main", "sub"),
    [
        ("application", "gzip"),
        ("application", "x-gzip"),
        ("application", "octet-stream"),
        ("application", "zip"),
    ],
)
def test_attachment_types(tmp_path: Path, main: str, sub: str) -> None:
    data = zipcontent({"r.xml": XML}) if sub == "zip" else gzip.compress(XML)
    (tmp_path / "m.eml").write_bytes(mail((data, main, sub, "google.com!shop!1!2.bin")))
    assert read(tmp_path / "m.eml") == (1, [])


def test_uncompressed_xml_attachment_quoted_printable(tmp_path: Path) -> None:
    msg = EmailMessage()
    msg["From"] = "dmarc@example.jp"
    msg.set_content("report attached")
    msg.add_attachment(XML.decode(), subtype="xml", filename="r.xml", cte="quoted-printable")
    (tmp_path / "m.eml").write_bytes(msg.as_bytes())
    assert read(tmp_path / "m.eml") == (1, [])


def test_report_in_forwarded_message(tmp_path: Path) -> None:
    inner = mail((gzip.compress(XML), "application", "gzip", "r.xml.gz"))
    outer = EmailMessage()
    outer["From"] = "admin@shop.report.test"
    outer["Subject"] = "Fwd: Report domain"
    outer.set_content("see attached")
    from email import message_from_bytes

    outer.add_attachment(message_from_bytes(inner))
    (tmp_path / "fwd.eml").write_bytes(outer.as_bytes())
    assert read(tmp_path / "fwd.eml") == (1, [])


def test_content_type_typo(tmp_path: Path) -> None:
    """`ContentType:` instead of `Content-Type:`: the part is text/plain to a parser, and its
    base64 body is still a gzip report."""
    import base64

    body = base64.encodebytes(gzip.compress(XML)).decode()
    raw = (
        "From: a@b.example\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=XX\n\n"
        "--XX\nContent-Type: text/plain\n\nreport\n--XX\nContentType: application/gzip\n"
        "Content-Transfer-Encoding: base64\nContent-Disposition: attachment; filename=r.xml.gz\n\n"
        f"{body}--XX--\n"
    )
    (tmp_path / "typo.eml").write_text(raw)
    assert read(tmp_path / "typo.eml") == (1, [])


def test_yahoo_unused_gzip_body(tmp_path: Path) -> None:
    (tmp_path / "yahoo.eml").write_bytes(mail((b"unused", "application", "gzip", "r.xml.gz")))
    assert read(tmp_path / "yahoo.eml") == (
        0,
        [Unreadable(str(tmp_path / "yahoo.eml"), "no-report-in-mail")],
    )


def test_mbox_mboxrd_and_maildir(tmp_path: Path) -> None:
    m1 = mail((gzip.compress(xml("m1")), "application", "gzip", "1.xml.gz"))
    m2 = mail((gzip.compress(xml("m2", gen.START + gen.DAY)), "application", "gzip", "2.xml.gz"))
    m2 = m2.replace(
        b"This is an aggregate report.", b">From here on (mboxrd-quoted)\n>>From quoted"
    )
    mbox = b"From MAILER-DAEMON Mon Jan  1 00:00:00 2026\n" + m1 + b"\nFrom x Mon Jan 1 2026\n" + m2
    (tmp_path / "reports.mbox").write_bytes(mbox)
    assert read(tmp_path / "reports.mbox") == (2, [])
    maildir = tmp_path / "Maildir"
    for sub in ("cur", "new", "tmp"):
        (maildir / sub).mkdir(parents=True)
    (maildir / "new" / "1.eml").write_bytes(
        mail((gzip.compress(xml("d1")), "application", "gzip", "a.gz"))
    )
    (maildir / "cur" / "2.eml").write_bytes(
        mail((zipcontent({"r.xml": xml("d2", gen.START + gen.DAY)}), "application", "zip", "b.zip"))
    )
    assert read(maildir) == (2, [])


def test_stdin(tmp_path: Path) -> None:
    assert read("-", stdin=gzip.compress(XML)) == (1, [])


def test_file_names_with_brackets_and_bang(tmp_path: Path) -> None:
    path = tmp_path / "google.com!shop[1]!x.xml"
    path.write_bytes(XML)
    assert read(path) == (1, [])


def test_no_newline_after_declaration_xml_lang_and_long_range() -> None:
    from mailauth.report.aggregate import parse_aggregate

    data = XML.replace(b"?>\n<feedback", b"?><feedback").replace(
        b"<email>", b'<email xml:lang="en">'
    )
    data = data.replace(
        f"<end>{gen.START + gen.DAY - 1}".encode(), f"<end>{gen.START + 3 * gen.DAY}".encode()
    )
    report = parse_aggregate(io.BytesIO(data))
    assert report.header.email == "noreply-dmarc@google.com"
    assert report.header.end - report.header.begin > gen.DAY


def test_exim_plain_text_failure_report(tmp_path: Path) -> None:
    raw = (
        "From: mailer-daemon@mx.example.net\nTo: ruf@shop.report.test\n"
        "Subject: DMARC Forensic Report for shop.report.test from IP 203.0.113.66\n\n"
        "A message claiming to be from you has failed the published DMARC policy.\n\n"
        "Feedback-Type: auth-failure\nVersion: 1\nUser-Agent: Exim/4.96\n"
        "Auth-Failure: dmarc\nSource-IP: 203.0.113.66\nReported-Domain: shop.report.test\n"
        "Original-Mail-From: <ceo@shop.report.test>\n"
    )
    (tmp_path / "exim.eml").write_text(raw)
    (item,) = list(read_inputs([str(tmp_path / "exim.eml")], Limits()))
    assert isinstance(item, FailurePayload)
    assert (item.report.source_ip, item.report.reported_domain) == (
        "203.0.113.66",
        "shop.report.test",
    )
    assert item.report.user_agent == "Exim/4.96"


def test_nested_depth_cap(tmp_path: Path) -> None:
    data = XML
    for _ in range(10):
        data = gzip.compress(data)
    (tmp_path / "deep.gz").write_bytes(data)
    reports, bad = read(tmp_path / "deep.gz")
    assert reports == 0 and [b.key for b in bad] == ["cap-depth"]


def test_payloads_are_reopenable_after_listing(tmp_path: Path) -> None:
    (tmp_path / "r.zip").write_bytes(zipcontent({"1.xml": xml("z1")}))
    items = list(read_inputs([str(tmp_path / "r.zip")], Limits()))
    (item,) = items
    assert isinstance(item, XmlPayload)
    with item.open() as a, item.open() as b:
        assert a.read() == b.read() == xml("z1")


def test_mail_and_stdin_size_caps(tmp_path: Path) -> None:
    small = Limits(max_mail=10_000)
    big = mail((gzip.compress(xml("big") * 1) + b"\0" * 20_000, "application", "gzip", "r.gz"))
    (tmp_path / "big.eml").write_bytes(big)
    items = list(read_inputs([str(tmp_path / "big.eml")], small))
    assert [(i.key, i.value) for i in items if isinstance(i, Unreadable)] == [("cap-mail", "10000")]
    items = list(read_inputs(["-"], small, io.BytesIO(big)))
    assert [(i.key, i.value) for i in items if isinstance(i, Unreadable)] == [("cap-mail", "10000")]

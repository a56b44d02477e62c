"""The shipped service table and how a source is recognised from it."""

from __future__ import annotations

from mailauth.report.sources import recognise, services


def test_every_service_says_how_it_is_recognised() -> None:
    table = services()
    assert len({s.name for s in table}) == len(table)
    for s in table:
        assert s.kind in ("esp", "forwarder", "mailing-list")
        assert s.domains and s.how
        assert all(d == d.lower() and not d.endswith(".") for d in s.domains)
    names = {s.name for s in table}
    assert {"Google Workspace", "Microsoft 365", "Amazon SES", "SendGrid", "Mailchimp",
            "Salesforce", "KDDI", "NTT", "IIJ", "SAKURA internet"} <= names  # fmt: skip


def test_the_most_specific_entry_wins() -> None:
    m365 = recognise(["mail-ty1jpn01on2101.outbound.protection.outlook.com"])
    assert m365 is not None and m365.name == "Microsoft 365"
    consumer = recognise(["mail-oln040092066014.outbound.outlook.com"])
    assert consumer is not None and consumer.kind == "forwarder"
    assert recognise([None, "", "mx.example.jp"]) is None
    ses = recognise(["a8-30.smtp-out.AMAZONSES.com."])
    assert ses is not None and ses.spf_include == "amazonses.com"
    assert recognise(["notamazonses.com"]) is None  # a suffix, not a label boundary

"""Issue 8.3: a second From field must not hide a p=reject failure.

The real message: `From: test@goestheweasel.com` (p=reject) and a second field
`From : test@marcbradshaw.net, test@example.com` got DMARC permerror with disposition none,
so adding a From field turned a rejected forgery into delivered mail. Now every author
domain is evaluated, the strictest disposition applies, each domain's result is reported
(JSON `dmarc.authors`), and a finding says why; addresses sharing a domain are evaluated once.
Also: a From field that is not valid RFC 5322 is reported, and its address still read.
"""

from __future__ import annotations

import asyncio
import io

import pytest
from rich.console import Console

from mailauth.dns.interface import Rcode
from mailauth.dns.memory import MemorySource
from mailauth.message import VerifyOptions, verify_message
from mailauth.message.addresses import FromProblem, read_from
from mailauth.message.dmarc import MAX_AUTHOR_DOMAINS
from mailauth.message.report import MessageReport
from mailauth.model import Result, Severity
from mailauth.render.message_json import message_json
from mailauth.render.message_text import print_report

HEAD = (
    b"To: you@recipient.example\r\nSubject: invoice\r\n"
    b"Date: Thu, 01 Oct 2026 09:00:00 +0900\r\nMessage-ID: <m1@sender.example>\r\n"
)
WEASEL = b"From: test@goestheweasel.example\r\n"
SECOND = b"From : test@marcbradshaw.example, test@example.com\r\n"
RECORDS = {
    "_dmarc.goestheweasel.example": {"TXT": ["v=DMARC1; p=reject"]},
    "_dmarc.marcbradshaw.example": {"TXT": ["v=DMARC1; p=none"]},
    "_dmarc.example.com": {"TXT": ["v=DMARC1; p=quarantine"]},
    "marcbradshaw.example": {"TXT": ["v=spf1 ip4:192.0.2.30 -all"]},
}


def _verify(
    raw: bytes, records: dict[str, dict[str, list[str]]] | None = None, **failures: Rcode
) -> tuple[MessageReport, MemorySource]:
    failed = {(name.replace("_", ".").replace("..", "_"), "TXT"): r for name, r in failures.items()}
    dns = MemorySource(records if records is not None else RECORDS, failed)
    options = VerifyOptions(ip="192.0.2.30", mail_from="bounce@marcbradshaw.example")
    report = asyncio.run(verify_message(raw + b"\r\nbody\r\n", dns, options, file="m.eml"))
    return report, dns


def _ids(report: MessageReport) -> list[str]:
    return [f.id for f in report.findings]


def test_a_second_from_field_does_not_hide_a_reject() -> None:
    report, _ = _verify(WEASEL + SECOND + HEAD)
    dmarc = report.dmarc
    assert (dmarc.result, dmarc.disposition) == (Result.FAIL, "reject")
    assert dmarc.decided_by == "goestheweasel.example" and report.from_domain is None
    assert [(a.from_domain, a.result, a.disposition) for a in dmarc.authors] == [
        ("goestheweasel.example", Result.FAIL, "reject"),
        ("marcbradshaw.example", Result.PASS, "none"),  # SPF passes aligned for it
        ("example.com", Result.FAIL, "quarantine"),
    ]
    assert not report.no_verdict
    ids = _ids(report)
    assert {"msg_dmarc.from-multiple", "msg_dmarc.multiple-author-domains"} <= set(ids)
    fails = [f for f in report.findings if f.id == "msg_dmarc.fail"]
    assert [(f.params["from_domain"], f.severity) for f in fails] == [
        ("goestheweasel.example", Severity.CRITICAL),
        ("example.com", Severity.CRITICAL),
    ]
    why = next(f for f in report.findings if f.id == "msg_dmarc.multiple-author-domains")
    text = why.text()
    assert "3 domains" in text.title
    assert "reject, because of goestheweasel.example" in text.detail
    assert "goestheweasel.example fail (p=reject)" in text.detail
    assert "msg_header.obsolete-syntax" in ids  # `From :`


def test_json_keeps_its_keys_and_adds_each_author() -> None:
    report, _ = _verify(WEASEL + SECOND + HEAD)
    doc = message_json(report)
    assert doc["from_domain"] is None
    dmarc = doc["dmarc"]
    assert (dmarc["result"], dmarc["policy"], dmarc["disposition"]) == ("fail", "reject", "reject")
    assert dmarc["from_addresses"] == [
        "test@goestheweasel.example",
        "test@marcbradshaw.example",
        "test@example.com",
    ]
    assert dmarc["authors"] == [
        {
            "domain": "goestheweasel.example",
            "addresses": ["test@goestheweasel.example"],
            "result": "fail",
            "policy": "reject",
            "disposition": "reject",
        },
        {
            "domain": "marcbradshaw.example",
            "addresses": ["test@marcbradshaw.example"],
            "result": "pass",
            "policy": "none",
            "disposition": "none",
        },
        {
            "domain": "example.com",
            "addresses": ["test@example.com"],
            "result": "fail",
            "policy": "quarantine",
            "disposition": "quarantine",
        },
    ]
    assert dmarc["authors_total"] == 3
    # `dmarc.alignment` is the deciding author's; `spf.aligned` says SPF aligns with an author.
    assert dmarc["alignment"]["spf"] is False and doc["spf"]["aligned"] is True
    assert "dmarc=fail (p=reject dis=reject)" in doc["authentication_results"]


def test_the_text_report_names_the_deciding_domain_and_each_author() -> None:
    report, _ = _verify(WEASEL + SECOND + HEAD)
    out = io.StringIO()
    print_report(Console(file=out, width=200, color_system=None), report, "en")
    text = out.getvalue()
    assert (
        "DMARC fail for goestheweasel.example, the strictest of 3 author domains: "
        "a receiver applies reject"
    ) in text
    assert "From domain marcbradshaw.example: DMARC pass" in text


def test_addresses_of_one_domain_are_evaluated_once() -> None:
    raw = b"From: a@marcbradshaw.example, b@MarcBradshaw.example\r\n" + HEAD
    report, dns = _verify(raw)
    assert report.from_domain == "marcbradshaw.example" and report.dmarc.authors == ()
    assert report.dmarc.result is Result.PASS
    assert dns.log.count(("_dmarc.marcbradshaw.example", "TXT")) == 1
    authors = message_json(report)["dmarc"]["authors"]
    assert [(a["domain"], a["result"]) for a in authors] == [("marcbradshaw.example", "pass")]
    assert "msg_dmarc.multiple-author-domains" not in _ids(report)


@pytest.mark.parametrize(
    ("second", "result", "disposition", "decides"),
    [
        # quarantine and reject: reject is stricter, whatever the order
        (b"From: x@example.com\r\n", Result.FAIL, "reject", "goestheweasel.example"),
        # a failure with p=reject beats a domain with no policy
        (b"From: x@nodmarc.example\r\n", Result.FAIL, "reject", "goestheweasel.example"),
    ],
)
def test_the_strictest_disposition_applies(
    second: bytes, result: Result, disposition: str, decides: str
) -> None:
    report, _ = _verify(second + WEASEL + HEAD)
    assert (report.dmarc.result, report.dmarc.disposition) == (result, disposition)
    assert report.dmarc.decided_by == decides


def test_a_pass_and_a_domain_without_policy_is_not_a_pass() -> None:
    raw = b"From: a@marcbradshaw.example\r\nFrom: b@nodmarc.example\r\n" + HEAD
    report, _ = _verify(raw)
    assert report.dmarc.result is Result.NONE and report.dmarc.disposition == "none"
    assert "msg_dmarc.none" in _ids(report)


def test_a_failed_lookup_for_one_author_is_no_verdict_unless_another_fails() -> None:
    raw = b"From: a@marcbradshaw.example\r\nFrom: b@example.com\r\n" + HEAD
    failures = {
        ("_dmarc.example.com", "TXT"): Rcode.SERVFAIL,
        ("_dmarc.com", "TXT"): Rcode.SERVFAIL,
    }
    dns = MemorySource(RECORDS, failures)
    options = VerifyOptions(ip="192.0.2.30", mail_from="bounce@marcbradshaw.example")
    report = asyncio.run(verify_message(raw + b"\r\nbody\r\n", dns, options))
    assert report.dmarc.result is Result.TEMPERROR and report.no_verdict
    assert "msg_dmarc.lookup-failed" in _ids(report)
    report, _ = _verify(WEASEL + raw)
    assert report.dmarc.result is Result.FAIL


def test_hundreds_of_author_domains_cost_a_bounded_number_of_lookups() -> None:
    many = ", ".join(f"u@d{i}.example" for i in range(300)).encode()
    report, dns = _verify(b"From: " + many + b"\r\n" + HEAD, records={})
    assert len(report.dmarc.authors) == MAX_AUTHOR_DOMAINS
    assert report.dmarc.authors_total == 300
    assert message_json(report)["dmarc"]["authors_total"] == 300
    walked = {name for name, rdtype in dns.log if name.startswith("_dmarc.d")}
    assert len(walked) == MAX_AUTHOR_DOMAINS
    why = next(f for f in report.findings if f.id == "msg_dmarc.multiple-author-domains")
    assert why.text().detail.count(".example none") == MAX_AUTHOR_DOMAINS
    assert "…" in why.text().detail


# --- From fields that are not valid RFC 5322 --------------------------------------------------


@pytest.mark.parametrize(
    ("value", "addresses", "problems"),
    [
        ('"Dear Customer…",<noreply@example.com>', ["noreply@example.com"], ["no-address"]),
        ("Doe, John <john@example.com>", ["john@example.com"], ["no-address"]),
        ("paypal.com@service <x@evil.example>", ["x@evil.example"], ["unquoted-special"]),
        ("Support: PayPal <x@evil.example>", ["x@evil.example"], ["unquoted-special"]),
        ("Name <a@example.com> trailing", ["a@example.com"], ["bad-angle"]),
        ("a@evil.example b@example.com", ["b@example.com"], ["bad-address"]),
        ('"never closed <a@example.com>', ["a@example.com"], ["unterminated", "bad-angle"]),
        ("Shop <orders@shop.example>", ["orders@shop.example"], []),
        ('"a@bank.example" <x@evil.example>', ["x@evil.example"], []),  # valid, if deceptive
        ("a@example.com (Team, Sales)", ["a@example.com"], []),
        ("team: a@example.com, b@example.net;", ["a@example.com", "b@example.net"], []),
        ("<@relay.example:a@example.com>", ["a@example.com"], []),
        ("=?utf-8?B?5pel5pys?= <a@example.com>", ["a@example.com"], []),
        ("山田 <yamada@例え.jp>", ["yamada@例え.jp"], []),
        ("x", [], ["no-address"]),
    ],
)
def test_from_syntax_is_read_as_receivers_read_it(
    value: str, addresses: list[str], problems: list[str]
) -> None:
    field = read_from(value)
    assert list(field.addresses) == addresses
    assert [p.value for p in field.problems] == problems


def test_an_invalid_from_is_reported_and_its_domain_still_evaluated() -> None:
    raw = b'From: "Dear Customer\xe2\x80\xa6",<noreply@goestheweasel.example>\r\n' + HEAD
    report, _ = _verify(raw)
    assert report.from_domain == "goestheweasel.example"
    assert (report.dmarc.result, report.dmarc.disposition) == (Result.FAIL, "reject")
    [found] = [f for f in report.findings if f.id == "msg_dmarc.from-invalid"]
    text = found.text()
    assert "no address" in text.detail and "noreply@goestheweasel.example" in text.detail
    assert "{" not in text.detail


def test_every_from_problem_has_words() -> None:
    from mailauth.i18n import has_label

    assert all(has_label(f"verify.from-problem.{p.value}") for p in FromProblem)

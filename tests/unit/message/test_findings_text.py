"""What verify's findings say, and when: nothing claimed that our own failed lookups caused,
no finding that needs a From domain without one, values (not codes or glued fragments) in
the text, run-time severities that the catalogue documents, one finding per cause."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest

from mailauth.dns.interface import DnsAnswer, DnsSource, Rcode
from mailauth.dns.reverse import ReverseStatus
from mailauth.findings import CATALOGUE
from mailauth.message import MessageReport, verify_message
from mailauth.records.dkim_key import KeyProblem

SAMPLES = sorted(p.name for p in (Path(__file__).parents[3] / "samples/messages").glob("*.eml"))


class Unanswering:
    """Every query times out, as with an unreachable name server."""

    async def query(self, name: str, rdtype: str) -> DnsAnswer:
        return DnsAnswer(name, rdtype, Rcode.TIMEOUT, detail="no reply within 0.30s")


def _verify(raw: bytes, dns: DnsSource) -> MessageReport:
    return asyncio.run(verify_message(raw, dns))


def _ids(report: MessageReport) -> list[str]:
    return [f.id for f in report.findings]


def test_failed_lookups_are_not_reported_as_unsigned_or_changed(
    sample_bytes: Callable[[str], bytes],
) -> None:
    """good.eml with no DNS: its signatures are temperror, not "not signed", and the
    receiver's passes on arrival are 'could not be re-checked', once, not four differences."""
    report = _verify(sample_bytes("good.eml"), Unanswering())
    ids = _ids(report)
    assert report.no_verdict and not report.score.complete
    assert "msg_unsub.not-signed" not in ids
    assert "msg_authres.differs" not in ids
    assert ids.count("msg_authres.lookup-failed") == 1
    [unchecked] = [f for f in report.findings if f.id == "msg_authres.lookup-failed"]
    assert unchecked.params["results"] == (
        "dkim (example.jp)=pass, spf (example.jp)=pass, dmarc (example.jp)=pass"
    )


def test_a_real_difference_is_still_reported(
    zone_dns: DnsSource, sample_bytes: Callable[[str], bytes]
) -> None:
    report = _verify(sample_bytes("key-rotated.eml"), zone_dns)
    assert "msg_authres.differs" in _ids(report)
    assert "msg_authres.lookup-failed" not in _ids(report)


@pytest.mark.parametrize("name", ["no-from.eml", "duplicate-headers.eml"])
def test_no_from_domain_no_placeholder(
    name: str, zone_dns: DnsSource, sample_bytes: Callable[[str], bytes]
) -> None:
    report = _verify(sample_bytes(name), zone_dns)
    assert report.from_domain is None
    assert "msg_dkim.missing" not in _ids(report)
    for f in report.findings:
        text = f.text()
        assert "?" not in " ".join((text.title, text.detail, text.fix))
        assert "?" not in [str(v) for v in f.params.values()]


def test_unsubscribe_headers_not_signed_is_one_finding_naming_both(
    zone_dns: DnsSource, sample_bytes: Callable[[str], bytes]
) -> None:
    report = _verify(sample_bytes("bulk-unsubscribe-unsigned.eml"), zone_dns)
    [found] = [f for f in report.findings if f.id == "msg_unsub.not-signed"]
    assert found.params["headers"] == "List-Unsubscribe, List-Unsubscribe-Post"


def test_ed25519_only_is_reported_and_dual_signing_is_not(
    zone_dns: DnsSource, sample_bytes: Callable[[str], bytes]
) -> None:
    only = _verify(sample_bytes("utf8-8bit.eml"), zone_dns)
    [found] = [f for f in only.findings if f.id == "msg_dkim.ed25519-only"]
    assert found.params == {"from_domain": "example.jp", "selectors": "s2"}
    both = _verify(sample_bytes("good.eml"), zone_dns)  # s1 rsa-sha256 and s2 ed25519
    assert "msg_dkim.ed25519-only" not in _ids(both)


def test_dkim_key_lookup_failure_shows_the_rcode_alone(
    zone_dns: DnsSource, sample_bytes: Callable[[str], bytes]
) -> None:
    report = _verify(sample_bytes("dns-failure.eml"), zone_dns)
    [found] = [f for f in report.findings if f.id == "msg_dkim.lookup-failed"]
    assert found.params["rcode"] == "UNRESOLVABLE"
    assert "(UNRESOLVABLE)" in found.text().detail


def test_unusable_key_shows_the_record_not_a_problem_code(
    zone_dns: DnsSource, sample_bytes: Callable[[str], bytes]
) -> None:
    report = _verify(sample_bytes("key-invalid.eml"), zone_dns)
    [found] = [f for f in report.findings if f.id == "msg_dkim.key-invalid"]
    detail = found.text().detail
    assert "v=DKIM1; k=rsa; p=bm90IGEga2V5IGF0IGFsbA==" in detail
    assert "bad-key-data" not in detail
    assert "mailauth check shop.example --selector badkey" in found.text().fix


def test_malformed_signature_shows_the_field(
    zone_dns: DnsSource, sample_bytes: Callable[[str], bytes]
) -> None:
    report = _verify(sample_bytes("malformed-signature.eml"), zone_dns)
    [found] = [f for f in report.findings if f.id == "msg_dkim.malformed"]
    assert found.params["signature"].startswith("v=2; a=rsa-md5; c=weird/odd; d=exa mple..jp; s=;")
    assert "missing d=, s= or h=" not in found.text().detail


# Internal codes that must never reach a reader: key-record problems and reverse-DNS states.
CODES = [p.value for p in KeyProblem] + [
    ReverseStatus.NOT_CONFIRMED.value,
    ReverseStatus.NO_PTR.value,
]


@pytest.mark.parametrize("name", SAMPLES)
def test_finding_texts_carry_no_internal_codes(
    name: str, zone_dns: DnsSource, sample_bytes: Callable[[str], bytes]
) -> None:
    for f in _verify(sample_bytes(name), zone_dns).findings:
        text = f.text()
        shown = " ".join((text.title, text.detail, text.consequence, text.fix))
        assert not [c for c in CODES if c in shown], (f.id, shown)


@pytest.mark.parametrize("name", SAMPLES)
def test_run_time_severities_are_the_documented_ones(
    name: str, zone_dns: DnsSource, sample_bytes: Callable[[str], bytes]
) -> None:
    """A severity the code picks (msg_dmarc.fail: critical when enforced) must be the
    catalogue's or one of its severity rules, which docs/findings.md shows."""
    for f in _verify(sample_bytes(name), zone_dns).findings:
        entry = CATALOGUE[f.id]
        assert f.severity in {entry.severity, *(r.severity for r in entry.severity_rules)}


def test_dmarc_fail_escalation_is_documented() -> None:
    docs = (Path(__file__).parents[3] / "docs/findings.md").read_text("utf-8")
    assert "| [`msg_dmarc.fail`](#msg-dmarc-fail) | high or critical |" in docs
    assert "**critical** when the policy a receiver applies is quarantine or reject" in docs


def test_every_dkim_reason_and_reverse_status_has_words() -> None:
    from mailauth.i18n import has_label
    from mailauth.message.dkim import DkimReason

    assert [r.value for r in DkimReason if not has_label(f"verify.dkim-reason.{r.value}")] == []
    assert [s.value for s in ReverseStatus if not has_label(f"verify.fcrdns.{s.value}")] == []


def test_no_tls_and_bulk_evidence_quote_the_message(
    zone_dns: DnsSource, sample_bytes: Callable[[str], bytes]
) -> None:
    broken = _verify(sample_bytes("broken-domain.eml"), zone_dns)
    [no_tls] = [f for f in broken.findings if f.id == "msg_transport.no-tls"]
    assert no_tls.params["protocol"] == "SMTP"
    assert no_tls.params["received"].startswith("from host-191.isp.example")
    raw = sample_bytes("bulk-no-unsubscribe.eml").replace(b"Precedence: bulk\r\n", b"")
    [missing] = [f for f in _verify(raw, zone_dns).findings if f.id == "msg_unsub.missing"]
    assert missing.params["evidence"] == "Feedback-ID: autumn:news:examplejp"

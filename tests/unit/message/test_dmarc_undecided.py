"""DMARC when SPF or DKIM gave no final result: temperror (no verdict) when the identifier
that failed could have aligned with From (RFC 7489 §6.6.2, RFC 9989 §5.3.6), fail when it
could not; and SPF not evaluated at all (no connecting IP) is said, not counted as a failure."""

from __future__ import annotations

import asyncio

import pytest

from mailauth.dns.memory import MemorySource
from mailauth.message.dkim import DkimReason, DkimSignature
from mailauth.message.dmarc import DmarcOutcome, evaluate_dmarc
from mailauth.message.judge import dmarc_findings
from mailauth.message.parse import parse_message
from mailauth.message.spf import SpfIdentity, SpfOutcome
from mailauth.model import Result

REJECT = {"_dmarc.example.com": {"TXT": ["v=DMARC1; p=reject"]}}
STRICT = {"_dmarc.example.com": {"TXT": ["v=DMARC1; p=reject; adkim=s; aspf=s"]}}


def _sig(domain: str, result: Result) -> DkimSignature:
    reason = DkimReason.VALID if result is Result.PASS else DkimReason.KEY_LOOKUP_FAILED
    return DkimSignature(0, domain, "s1", "rsa-sha256", "relaxed/relaxed", result, reason)


def evaluate(
    records: dict[str, dict[str, list[str]]],
    *,
    spf: tuple[Result, str] | None = None,
    dkim: tuple[tuple[str, Result], ...] = (),
    ip: str | None = "192.0.2.1",
) -> DmarcOutcome:
    raw = b"From: a@example.com\r\nSubject: t\r\n\r\nbody\r\n"
    result, domain = spf if spf else (Result.NONE, "")
    identity = SpfIdentity(ip, None, f"bounce@{domain}" if domain else "")
    sigs = [_sig(d, r) for d, r in dkim]
    source = MemorySource(records)
    return asyncio.run(
        evaluate_dmarc(source, parse_message(raw), SpfOutcome(result, identity), sigs)
    )


@pytest.mark.parametrize(
    ("spf", "dkim"),
    [
        ((Result.TEMPERROR, "example.com"), ()),  # SPF temperror for the From domain
        ((Result.FAIL, "example.com"), (("mail.example.com", Result.TEMPERROR),)),  # relaxed
        ((Result.TEMPERROR, "bounce.example.com"), (("example.com", Result.TEMPERROR),)),
    ],
)
def test_temperror_that_could_align_is_no_verdict(
    spf: tuple[Result, str], dkim: tuple[tuple[str, Result], ...]
) -> None:
    out = evaluate(REJECT, spf=spf, dkim=dkim)
    assert out.result is Result.TEMPERROR
    assert out.disposition == "none"  # no policy applied: a receiver defers
    assert dmarc_findings(out) == []  # SPF's and DKIM's own lookup-failed findings explain it


@pytest.mark.parametrize(
    ("records", "spf", "dkim"),
    [
        # d=esp.example could never align with example.com, whatever its key says.
        (REJECT, (Result.FAIL, "example.com"), (("esp.example", Result.TEMPERROR),)),
        # Strict alignment: a subdomain does not align, so its temperror changes nothing.
        (
            STRICT,
            (Result.TEMPERROR, "bounce.example.com"),
            (("mail.example.com", Result.TEMPERROR),),
        ),
    ],
)
def test_temperror_that_cannot_align_still_fails(
    records: dict[str, dict[str, list[str]]],
    spf: tuple[Result, str],
    dkim: tuple[tuple[str, Result], ...],
) -> None:
    out = evaluate(records, spf=spf, dkim=dkim)
    assert (out.result, out.disposition) == (Result.FAIL, "reject")
    assert [f.id for f in dmarc_findings(out)] == ["msg_dmarc.fail"]


def test_an_aligned_pass_wins_over_a_temperror() -> None:
    out = evaluate(
        REJECT, spf=(Result.TEMPERROR, "example.com"), dkim=(("example.com", Result.PASS),)
    )
    assert out.result is Result.PASS


def test_spf_not_evaluated_is_said_not_counted_as_failed() -> None:
    """No connecting IP: DMARC fails as far as DKIM goes, and the finding says it rests on
    SPF, which was not evaluated, instead of msg_dmarc.fail ("neither SPF nor DKIM")."""
    out = evaluate(REJECT, spf=(Result.NONE, "example.com"), ip=None)
    assert (out.result, out.spf_unknown) == (Result.FAIL, True)
    [found] = dmarc_findings(out)
    assert found.id == "msg_dmarc.spf-unknown"
    assert "Neither SPF" not in found.text().detail


def test_spf_not_evaluated_for_a_domain_that_cannot_align_is_a_plain_fail() -> None:
    out = evaluate(REJECT, spf=(Result.NONE, "esp.example"), ip=None)
    assert (out.result, out.spf_unknown) == (Result.FAIL, False)
    assert [f.id for f in dmarc_findings(out)] == ["msg_dmarc.fail"]

"""DMARC for one message against the RFC 9989 text: identifier alignment (§3.2.10, §4.4,
Table 1, Appendix B.4), the policy applied to the exact From domain (§4.10.1), t=y
(§4.7) and DNS failures during alignment (§5.3.6). `evaluate_dmarc` is driven directly
with SPF/DKIM outcomes, so each case states only the identifiers and the DNS it needs."""

from __future__ import annotations

import asyncio

import pytest

from mailauth.dns.interface import Rcode
from mailauth.dns.memory import MemorySource
from mailauth.message.dkim import DkimReason, DkimSignature
from mailauth.message.dmarc import DmarcOutcome, evaluate_dmarc
from mailauth.message.parse import parse_message
from mailauth.message.spf import SpfIdentity, SpfOutcome
from mailauth.model import Result

Records = dict[str, dict[str, list[str]]]


def dmarc(**names: str) -> Records:
    return {f"_dmarc.{n}": {"TXT": [v]} for n, v in names.items()}


def evaluate(
    records: Records,
    from_domain: str,
    *,
    spf: str | None = None,
    dkim: tuple[str, ...] = (),
    failures: dict[tuple[str, str], Rcode] | None = None,
) -> DmarcOutcome:
    raw = f"From: a@{from_domain}\r\nSubject: t\r\n\r\nbody\r\n".encode()
    identity = SpfIdentity("192.0.2.1", None, f"bounce@{spf}" if spf else "")
    spf_outcome = SpfOutcome(Result.PASS if spf else Result.NONE, identity)
    sigs = [
        DkimSignature(i, d, "s1", "rsa-sha256", "relaxed/relaxed", Result.PASS, DkimReason.VALID)
        for i, d in enumerate(dkim)
    ]
    src = MemorySource(records, failures or {})
    return asyncio.run(evaluate_dmarc(src, parse_message(raw), spf_outcome, sigs))


# RFC 9989 §4.4 Table 1 "Alignment Examples" (relaxed unless the record says adkim=s).
@pytest.mark.parametrize(
    ("signer", "author", "record", "aligned"),
    [
        ("foo.example.com", "news.example.com", "v=DMARC1; p=reject", True),  # siblings
        ("news.example.com", "news.example.com", "v=DMARC1; p=reject; adkim=s", True),
        ("foo.example.net", "news.example.com", "v=DMARC1; p=reject", False),
        ("foo.example.com", "news.example.com", "v=DMARC1; p=reject; adkim=s", False),
        ("example.com", "news.example.com", "v=DMARC1; p=reject", True),  # B.1.2 example 2
    ],
)
def test_table1_alignment(signer: str, author: str, record: str, aligned: bool) -> None:
    out = evaluate(dmarc(**{"example.com": record}), author, dkim=(signer,))
    assert (out.dkim_aligned == (signer,)) is aligned
    assert out.result is (Result.PASS if aligned else Result.FAIL)


def test_sibling_subdomains_align_through_their_shared_organizational_domain() -> None:
    """§3.2.10.1: relaxed alignment is "the same Organizational Domain", not "one is a
    parent of the other": d=mail.example.com aligns with From news.example.com."""
    out = evaluate(
        dmarc(**{"example.com": "v=DMARC1; p=reject"}),
        "news.example.com",
        spf="bounce.example.com",
        dkim=("mail.example.com",),
    )
    assert out.spf_aligned
    assert out.dkim_aligned == ("mail.example.com",)
    assert out.org_domains == {
        "news.example.com": "example.com",
        "bounce.example.com": "example.com",
        "mail.example.com": "example.com",
    }


def test_b41_signing_subdomain_with_its_own_record_still_aligns() -> None:
    """Appendix B.4.1: both example.com and signing.example.com publish records; the
    signer's Organizational Domain is the one with the fewest labels, example.com."""
    records = dmarc(
        **{"example.com": "v=DMARC1; p=reject", "signing.example.com": "v=DMARC1; p=none"}
    )
    out = evaluate(records, "example.com", spf="example.com", dkim=("signing.example.com",))
    assert out.result is Result.PASS
    assert out.spf_aligned and out.dkim_aligned == ("signing.example.com",)


def test_b43_psd_y_separates_organizations() -> None:
    """Appendix B.4.3: bank.example has psd=y, so giant.bank.example and mega.bank.example
    are two organizations: SPF (mail.giant.bank.example) aligns, DKIM does not."""
    records = dmarc(
        **{
            "bank.example": "v=DMARC1; p=reject; psd=y",
            "giant.bank.example": "v=DMARC1; p=quarantine",
        }
    )
    out = evaluate(
        records,
        "giant.bank.example",
        spf="mail.giant.bank.example",
        dkim=("mail.mega.bank.example",),
    )
    assert out.spf_aligned
    assert out.dkim_aligned == ()
    assert out.org_domains["mail.mega.bank.example"] == "mega.bank.example"
    assert (out.result, out.policy) == (Result.PASS, "quarantine")


def test_psd_n_makes_a_sibling_foreign() -> None:
    """§4.10.2 rule 1 and §11.8: with psd=n at mail.example.com, evil.example.com is outside
    the Organizational Domain of a.mail.example.com and does not align."""
    records = dmarc(
        **{"mail.example.com": "v=DMARC1; p=reject; psd=n", "example.com": "v=DMARC1; p=none"}
    )
    out = evaluate(records, "a.mail.example.com", dkim=("evil.example.com",))
    assert out.org_domain == "mail.example.com"
    assert out.dkim_aligned == ()
    assert (out.result, out.disposition) == (Result.FAIL, "reject")


def test_alignment_walk_failure_is_temperror_not_fail() -> None:
    """§5.3.6: when a query needed for relaxed alignment does not complete, the message can
    neither pass nor fail and no policy is applied (regression: it failed with reject)."""
    out = evaluate(
        dmarc(**{"example.com": "v=DMARC1; p=reject"}),
        "news.example.com",
        dkim=("mail.example.com",),
        failures={("_dmarc.mail.example.com", "TXT"): Rcode.SERVFAIL},
    )
    assert out.result is Result.TEMPERROR
    assert out.disposition == "none"
    assert out.failure is not None and out.failure.name == "_dmarc.mail.example.com"


def test_alignment_walk_failure_does_not_matter_when_another_identifier_aligns() -> None:
    out = evaluate(
        dmarc(**{"example.com": "v=DMARC1; p=reject"}),
        "news.example.com",
        spf="news.example.com",
        dkim=("mail.example.com",),
        failures={("_dmarc.mail.example.com", "TXT"): Rcode.SERVFAIL},
    )
    assert out.result is Result.PASS


def test_alignment_walk_failure_does_not_matter_under_strict_alignment() -> None:
    """§4.10.2: with strict alignment "a simple string comparison" is all that is needed."""
    out = evaluate(
        dmarc(**{"example.com": "v=DMARC1; p=reject; adkim=s"}),
        "example.com",
        dkim=("mail.example.com",),
        failures={("_dmarc.mail.example.com", "TXT"): Rcode.SERVFAIL},
    )
    assert (out.result, out.disposition) == (Result.FAIL, "reject")


def test_from_walk_failure_above_the_own_record_is_temperror_for_relaxed_alignment() -> None:
    """The From domain's own record gives the policy, but its Organizational Domain (needed
    to compare with d=example.com) hangs on _dmarc.com, which failed."""
    out = evaluate(
        dmarc(**{"mail.example.com": "v=DMARC1; p=reject", "example.com": "v=DMARC1; p=reject"}),
        "mail.example.com",
        dkim=("example.com",),
        failures={("_dmarc.com", "TXT"): Rcode.TIMEOUT},
    )
    assert out.result is Result.TEMPERROR
    assert out.failure is not None and out.failure.name == "_dmarc.com"


@pytest.mark.parametrize(
    ("record", "from_domain", "extra", "policy", "tag", "disposition"),
    [
        # §4.10.1: the Author Domain's own record -> p.
        ("v=DMARC1; p=reject; sp=none; np=quarantine", "example.com", {}, "reject", "p", "reject"),
        # An existing subdomain -> sp.
        (
            "v=DMARC1; p=reject; sp=none; np=quarantine",
            "news.example.com",
            {"news.example.com": {"MX": ["10 mx.example.com"]}},
            "none",
            "sp",
            "none",
        ),
        # A subdomain that does not exist (§3.2.13: NXDOMAIN) -> np.
        (
            "v=DMARC1; p=reject; sp=none; np=quarantine",
            "ghost.example.com",
            {},
            "quarantine",
            "np",
            "quarantine",
        ),
        # No np: a non-existent subdomain gets sp (§4.7 np), no existence query needed.
        (
            "v=DMARC1; p=reject; sp=quarantine",
            "ghost.example.com",
            {},
            "quarantine",
            "sp",
            "quarantine",
        ),
        # §4.7 t: reject+t=y applies quarantine, quarantine+t=y applies none, none stays none.
        ("v=DMARC1; p=reject; t=y", "example.com", {}, "reject", "p", "quarantine"),
        ("v=DMARC1; p=quarantine; t=y", "example.com", {}, "quarantine", "p", "none"),
        ("v=DMARC1; p=none; t=y", "example.com", {}, "none", "p", "none"),
        # t=y weakens whichever of p, sp and np applies.
        (
            "v=DMARC1; p=none; np=reject; t=y",
            "ghost.example.com",
            {},
            "reject",
            "np",
            "quarantine",
        ),
    ],
)
def test_policy_and_disposition_for_the_exact_from_domain(
    record: str, from_domain: str, extra: Records, policy: str, tag: str, disposition: str
) -> None:
    out = evaluate(dmarc(**{"example.com": record}) | extra, from_domain)
    assert out.result is Result.FAIL
    assert (out.policy, out.policy_tag, out.disposition) == (policy, tag, disposition)
    assert out.testing is ("t=y" in record)

"""One IDNA path: a From domain is spelled in A-labels exactly as `mailauth check` spells the
same name (IDNA 2008 with UTS #46), so `faß.de` is `xn--fa-hia.de`, never `fass.de` (IDNA 2003),
which is another domain with another DMARC policy."""

from __future__ import annotations

import asyncio

import pytest

from mailauth.dns.answer import question
from mailauth.dns.interface import normalize_name
from mailauth.dns.memory import MemorySource
from mailauth.domain.names import normalize_domain
from mailauth.message import VerifyOptions, verify_message
from mailauth.message.dmarc import domain_of
from mailauth.model import Result
from mailauth.names import to_alabel

RAW = (
    "From: Shop <orders@faß.de>\r\nSubject: hi\r\nDate: Thu, 01 Oct 2026 09:00:00 +0900\r\n"
    "Message-ID: <a@faß.de>\r\n\r\nbody\r\n"
).encode()


def test_sharp_s_from_domain_gets_its_own_dmarc_policy() -> None:
    dns = MemorySource(
        {
            "_dmarc.xn--fa-hia.de": {"TXT": ["v=DMARC1; p=reject"]},
            "_dmarc.fass.de": {"TXT": ["v=DMARC1; p=none"]},  # what IDNA 2003 would ask
        }
    )
    options = VerifyOptions(ip="198.51.100.1", mail_from="bounce@example.net")
    report = asyncio.run(verify_message(RAW, dns, options))
    assert report.from_domain == "xn--fa-hia.de"
    assert report.dmarc.result is Result.FAIL
    assert (report.dmarc.policy, report.dmarc.disposition) == ("reject", "reject")
    assert "header.from=xn--fa-hia.de" in report.authentication_results
    assert ("_dmarc.fass.de", "TXT") not in dns.log


@pytest.mark.parametrize(
    ("written", "alabel"),
    [
        ("faß.de", "xn--fa-hia.de"),
        ("FAß.DE", "xn--fa-hia.de"),
        ("日本語.jp", "xn--wgv71a119e.jp"),
        ("ｅｘａｍｐｌｅ．ｊｐ", "example.jp"),
        ("Example.COM", "example.com"),
    ],
)
def test_message_side_check_side_and_dns_layer_spell_names_alike(written: str, alabel: str) -> None:
    assert to_alabel(written) == alabel
    assert domain_of(f"user@{written}") == alabel
    assert normalize_domain(written) == alabel
    q = question(normalize_name(f"_dmarc.{written}"), "TXT")
    assert not hasattr(q, "rcode"), q
    assert q.name.to_text(omit_final_dot=True) == f"_dmarc.{alabel}"  # type: ignore[union-attr]


def test_an_unencodable_from_domain_is_kept_as_written() -> None:
    assert domain_of("user@exa_mplé.example") == "exa_mplé.example"

"""Selecting one protocol's record among the TXT records at a name (dns/versioned_txt.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from mailauth.dns.interface import Rcode
from mailauth.dns.memory import MemorySource
from mailauth.dns.versioned_txt import Found, VersionedTxt, find_versioned_txt
from mailauth.records.bimi import is_bimi_text
from mailauth.records.dmarc import is_dmarc_text
from mailauth.records.mta_sts import is_mta_sts_text
from mailauth.records.spf import is_spf_text
from mailauth.records.tls_rpt import is_tls_rpt_text


def find(records: list[str | list[str]], rcode: Rcode | None = None) -> VersionedTxt:
    failures = {("x.test", "TXT"): rcode} if rcode else {}
    dns = MemorySource(records={"x.test": {"TXT": records}} if records else {}, failures=failures)
    return asyncio.run(find_versioned_txt(dns, "x.test", is_spf_text))


def test_one_record_among_other_txt() -> None:
    txt = find(["google-site-verification=abc", ["v=spf1 ", "-all"]])
    assert txt.found is Found.ONE and txt.record == "v=spf1 -all"
    assert txt.others == ("google-site-verification=abc",)
    assert txt.strings == ((b"v=spf1 ", b"-all"),)  # the character-strings, for the 255 rule
    assert len(txt.texts) == 2


def test_several_records_are_reported_as_multiple_with_no_record() -> None:
    txt = find(["v=spf1 -all", "v=spf1 ~all"])
    assert txt.found is Found.MULTIPLE and txt.record is None and len(txt.records) == 2


def test_other_txt_only_is_not_the_same_as_nothing_published() -> None:
    assert find(["v=spf10 -all"]).found is Found.OTHER_TXT
    assert find([]).found is Found.NO_TXT


@pytest.mark.parametrize("rcode", [Rcode.SERVFAIL, Rcode.TIMEOUT, Rcode.UNRESOLVABLE])
def test_a_failed_lookup_is_a_value(rcode: Rcode) -> None:
    txt = find([], rcode)
    assert txt.found is Found.LOOKUP_FAILED and txt.answer.rcode is rcode


@pytest.mark.parametrize(
    ("is_record", "yes", "no"),
    [
        # RFC 7208 §4.5: "v=spf1" in any case, then a space or the end.
        (is_spf_text, ["v=spf1", "V=SPF1 -all"], ["v=spf10", "v = spf1", " v=spf1"]),
        # RFC 9989 §4.7: v first (any case, WSP around "="), exactly DMARC1.
        (is_dmarc_text, ["v=DMARC1; p=none", "V = DMARC1"], ["v=dmarc1", "p=none; v=DMARC1"]),
        # BIMI draft §4.3: v first; another case of BIMI1 is kept (reported as version-case).
        (is_bimi_text, ["v=BIMI1; l=", "v=bimi1;"], ["v=BIMI2; l=", "l=; v=BIMI1"]),
        # RFC 8461 §3.1 / RFC 8460 §3: exactly v=<version> as the first field.
        (is_mta_sts_text, ["v=STSv1; id=1"], ["v = STSv1; id=1", "v=stsv1; id=1"]),
        (is_tls_rpt_text, ["v=TLSRPTv1; rua=x"], ["v=TLSRPTv10", "rua=x; v=TLSRPTv1"]),
    ],
)
def test_each_protocol_keeps_its_own_version_rule(
    is_record: Callable[[str], bool], yes: list[str], no: list[str]
) -> None:
    assert all(is_record(t) for t in yes)
    assert not any(is_record(t) for t in no)

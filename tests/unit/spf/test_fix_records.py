"""Property: every record the SPF check proposes (`Finding.fix_record`) can be published as is.

An admin pastes the proposed record into the zone, so it must (1) be SPF that our own parser
reads without a syntax error, (2) keep every other term of the record it replaces, changing
only what the finding is about, and (3) be presented so that it can be published: a record
over 255 octets as quoted character-strings of at most 255 octets each (RFC 7208 §3.3), which
receivers join without a separator. A proposal over 450 octets (RFC 7208 §3.4) is therefore
always in the split form; `spf.record-too-long` then applies to it as to any record.
"""

from __future__ import annotations

import asyncio
import os
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spf_world import spf_record

from mailauth.dns.memory import MemorySource
from mailauth.domain.context import CheckContext, CheckOptions
from mailauth.domain.spf import check_spf
from mailauth.model import Finding
from mailauth.records.spf import Mechanism, SpfRecord, parse_spf
from mailauth.records.spf_rewrite import TXT_STRING_LIMIT, txt_presentation
from mailauth.records.spf_terms import parse_term

_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')
_FIXED_ALL = {"spf.plus-all": "-all", "spf.neutral-all": "~all", "spf.softfail-all": "-all"}


def published(presentation: str) -> tuple[str, list[bytes]]:
    """The record a zone file line (as `txt_presentation` writes it) publishes, and its
    character-strings; a presentation without quotes is one string."""
    if not presentation.startswith('"'):
        return presentation, [presentation.encode()]
    strings = _QUOTED.findall(presentation)
    assert " ".join(f'"{s}"' for s in strings) == presentation, presentation
    raw = [re.sub(r"\\(.)", r"\1", s).encode() for s in strings]
    return b"".join(raw).decode(), raw


def tokens(record: str) -> list[str]:
    """The terms as written (RFC 7208 §4.6.1: separated by spaces), valid or not."""
    return record.split(" ")[1:] if " " in record else []


def _check_fix(finding: Finding, records: list[str]) -> None:
    assert finding.fix_record is not None
    record, strings = published(finding.fix_record)
    assert all(len(s) <= TXT_STRING_LIMIT for s in strings), strings
    assert (len(strings) > 1) == (len(record.encode()) > TXT_STRING_LIMIT)
    fixed = parse_spf(record)
    assert fixed.valid, (record, fixed.errors)
    terms, before = [t for t in tokens(record) if t], [t for t in tokens(records[0]) if t]
    if finding.id == "spf.multiple-records":
        _check_merge(fixed, [parse_spf(r) for r in records])
    elif finding.id == "spf.no-all":
        assert terms == [*before, "~all"]
    elif finding.id == "spf.plus-all":
        # Every term that passes anyone changes (`all` to `-all`; an ip4/ip6 range of every
        # address is removed) up to the first all (§5.1); every other term stays, in order.
        assert terms == [t for t in _fix_pass_all(before) if t]
    else:
        # The `all` gets the stronger qualifier; every other term stays, in order.
        at = next(i for i, t in enumerate(before) if t.lstrip("+-~?").lower() == "all")
        assert terms == [*before[:at], _FIXED_ALL[finding.id], *before[at + 1 :]]


def _fix_pass_all(before: list[str]) -> list[str]:
    """`before` with what the plus-all fix changes changed ("" for a removed term)."""
    out, reached_all = [], False
    for raw in before:
        term = parse_term(raw, [])
        if not reached_all and isinstance(term, Mechanism):
            if term.name == "all":
                reached_all = True
                raw = "-all" if term.qualifier.value == "+" else raw
            elif (
                term.name in ("ip4", "ip6")
                and term.qualifier.value == "+"
                and 0
                in (
                    term.cidr4,
                    term.cidr6,
                )
            ):
                raw = ""
        out.append(raw)
    return out


def _check_merge(fixed: SpfRecord, parts: list[SpfRecord]) -> None:
    """One record that authorises what each of them did: every mechanism each one evaluates
    (§5.1: none after `all`) is in it before its single `all`, and every modifier is kept."""
    mechanisms = fixed.mechanisms
    assert [m.name for m in mechanisms].count("all") == 1 and mechanisms[-1].name == "all"
    kept = {_key(m) for m in mechanisms}
    for part in parts:
        assert all(_key(m) in kept for m in part.evaluated_mechanisms if m.name != "all")
        assert all(t.text in tokens(fixed.text) for t in part.terms if not isinstance(t, Mechanism))
    # The first all of the records, except that +all is never proposed (spf.plus-all).
    alls = [p.all.text for p in parts if p.all is not None and p.all.qualifier.value != "+"]
    assert mechanisms[-1].text == (alls[0] if alls else "~all")


def _key(m: Mechanism) -> tuple[object, ...]:
    """What a mechanism authorises: domain names compare without case or a final dot."""
    spec = m.domain_spec or ""
    if "%" not in spec:
        spec = spec.lower().rstrip(".")
    return (m.qualifier, m.name, spec, m.network, m.cidr4, m.cidr6)


_EXTRA = st.sampled_from(
    ["ip4:0.0.0.0/0", "+ip6:::/0", "ip4:192.0.2.0/24", "ip6:2001:db8::/32", "a:mail.example.com"]
)


@st.composite
def root_records(draw: st.DrawFn) -> list[str]:
    """One to three records for the root, some long (over 255 and over 450 octets)."""
    out = []
    for _ in range(draw(st.integers(1, 3))):
        record = draw(spf_record())
        extra = draw(st.lists(_EXTRA, max_size=40))
        out.append(" ".join([record.rstrip(), *extra]) if extra else record)
    return out


@settings(
    max_examples=int(os.environ.get("MAILAUTH_DIFFERENTIAL_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(root_records())
def test_every_proposed_record_can_be_published(records: list[str]) -> None:
    dns = MemorySource({"d0.example": {"TXT": records}, "mail.example.com": {"A": ["192.0.2.9"]}})
    report = asyncio.run(check_spf(CheckContext(dns, CheckOptions()), "d0.example"))
    for finding in report.findings:
        if finding.fix_record is not None:
            _check_fix(finding, records)


@pytest.mark.parametrize(
    ("record", "presented"),
    [
        ("v=spf1 -all", "v=spf1 -all"),
        ("v=spf1 " + "a" * 300, '"v=spf1 ' + "a" * 248 + '" "' + "a" * 52 + '"'),
        # A quote or backslash inside a string is escaped, so the zone file means the record.
        ('v=spf1 exists:a"b\\c.example ' + "x" * 260, None),
    ],
)
def test_txt_presentation_round_trips(record: str, presented: str | None) -> None:
    text = txt_presentation(record)
    if presented is not None:
        assert text == presented
    assert published(text)[0] == record

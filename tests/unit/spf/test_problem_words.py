"""SPF record problems are codes and values; their words are in the UI catalogue, so a report
shows them in its language (`spf.syntax-error`'s {problem})."""

from __future__ import annotations

import asyncio

import pytest

from mailauth.dns.memory import MemorySource
from mailauth.domain.context import CheckContext, CheckOptions
from mailauth.domain.spf import check_spf
from mailauth.i18n import _TABLES, has_label, label
from mailauth.model import Phrase
from mailauth.records.problem import Problem
from mailauth.records.spf import SpfCode, SpfDetail, SpfProblem, parse_spf
from mailauth.records.spf_macro import MacroProblem

# Codes whose problems always name the exact rule in a detail (`SpfDetail`, `MacroProblem`).
_DETAILED = {SpfCode.MISSING_DOMAIN, SpfCode.BAD_DOMAIN, SpfCode.BAD_NETWORK, SpfCode.BAD_CIDR}


def _english(problem: SpfProblem) -> str:
    phrase = problem.phrase()
    return label(phrase.key, "en", **phrase.params)


@pytest.mark.parametrize("code", [c for c in SpfCode if c not in _DETAILED | {SpfCode.BAD_MACRO}])
def test_every_code_has_words(code: SpfCode) -> None:
    assert has_label(SpfProblem(code, "x").phrase().key)


@pytest.mark.parametrize("detail", list(SpfDetail))
def test_every_detail_has_words_under_its_code(detail: SpfDetail) -> None:
    assert detail.code in _DETAILED
    problem = SpfProblem(detail.code, "x", detail=Problem(detail, "ip4", "1"))
    assert problem.phrase().key == f"spf-problem.{detail.code.value}.{detail.value}"
    assert has_label(problem.phrase().key)


@pytest.mark.parametrize("code", list(MacroProblem))
def test_every_macro_problem_has_words(code: MacroProblem) -> None:
    problem = SpfProblem(SpfCode.BAD_MACRO, "x", detail=Problem(code, "%{x}", "1"))
    assert has_label(problem.phrase().key)


@pytest.mark.parametrize(
    ("record", "words"),
    [
        ("v=spf1 moo -all", "unknown term 'moo'"),
        ("v=spf1 -all:foobar", "all takes no argument"),
        ("v=spf1 include +all", "include needs ':' and a domain"),
        ("v=spf1 include: -all", "empty domain-spec"),
        ("v=spf1 a:foo-bar -all", "'foo-bar' does not end in a valid top-level label"),
        ("v=spf1 a:mail.example...com", "'mail.example...com' is not a valid domain name"),
        ("v=spf1 ip4", "ip4 needs ':' and an address"),
        ("v=spf1 ip4:1.2.3.4:8080", "'1.2.3.4:8080' is not an ip4 network"),
        ("v=spf1 ip4:01.2.3.4", "'01.2.3.4' is not a dotted-quad IPv4 address"),
        ("v=spf1 ip6::CAFE::BABE", "':CAFE::BABE' is not an IPv6 address"),
        ("v=spf1 a/24/64", "'/24/64' is not a CIDR length"),
        ("v=spf1 a//129", "/129 is not a valid ip6 prefix length (0-128)"),
        ("v=spf1 ip4:1.2.3.4/033", "/033 is not a valid ip4 prefix length (0-32)"),
        ("v=spf1 a:%{d0}.example", "%{d0}: the number of parts must not be zero"),
        ("v=spf1 a:%{d#}.example", "%{d#}: invalid delimiter '#'"),
        ("v=spf1 a:%{x}.example", "unknown macro letter in %{x}"),
        ("v=spf1 -all exp=%{r}.example", "%{r}: the letters c, r and t are allowed only in exp="),
        ("v=spf1 exists:foo%.example", "'%' at position 4 does not start a valid macro"),
        ("v=spf1 a:é.example", "character 'é' is not allowed (visible ASCII only)"),
        ("v=spf1 redirect=a.example Redirect=b.example", "redirect= appears 2 times"),
        ("v=spf1 -all foo=bar", "modifier 'foo' is not defined by RFC 7208"),
        ("v=spf1 all a", "mechanisms after 'all' are never evaluated"),
        ("v=spf1 redirect=x.example ~all", "redirect= is ignored because the record has an"),
        ("v=spf10", "record does not start with v=spf1"),
    ],
)
def test_words_of_each_rule(record: str, words: str) -> None:
    problems = parse_spf(record).problems
    assert any(_english(p).startswith(words) for p in problems), [_english(p) for p in problems]


def test_syntax_error_shows_the_problem_in_the_report_language(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dns = MemorySource({"example.com": {"TXT": ["v=spf1 ip4:01.2.3.4 -all"]}})
    report = asyncio.run(check_spf(CheckContext(dns, CheckOptions()), "example.com"))
    f = next(f for f in report.findings if f.id == "spf.syntax-error")
    assert isinstance(f.params["problem"], Phrase)
    assert "'01.2.3.4' is not a dotted-quad IPv4 address" in f.text("en").detail
    key = "spf-problem.bad-network.not-dotted-quad"
    monkeypatch.setitem(_TABLES, "xx", {key: "XX {value}"})
    assert "XX 01.2.3.4" in f.text("xx").detail
    assert "dotted-quad" not in f.text("xx").detail

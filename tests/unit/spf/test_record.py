"""RFC 7208 record parser: valid and invalid tables (many from the OpenSPF suite's syntax
cases) and a property test that no input makes it raise."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mailauth.records.spf import Mechanism, Modifier, Qualifier, is_spf_text, parse_spf

VALID = [
    "v=spf1",
    "v=spf1 -all",
    "V=sPf1 +all",
    "v=spf1 a  -all",  # two spaces (§4.6.1)
    "v=spf1 a -all ",  # trailing space (§4.5)
    "v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 ~all",
    "v=spf1 ip4:1.1.1.1/0 ip4:1.2.3.4/32 ip6:::1.1.1.1/0 ip6:Cafe:Babe:8000::/33",
    "v=spf1 -ip4:1.2.3.4 ip6:::FFFF:1.2.3.4",
    "v=spf1 a/24//64 a//0 a/0 mx/0 mx//128 -all",
    "v=spf1 a:foo.example.com/24 mx:foo.example.com/24//64",
    "v=spf1 a:foo:bar/baz.example.com",  # any visible char except % (§7.1)
    "v=spf1 a:foo.example.xn--zckzah -all",  # dash in toplabel
    "v=spf1 include:o.spf.example.com. ~all",  # trailing dot
    "v=spf1 ptr ptr:example.com ?all",
    "v=spf1 exists:%{i}.%{l2r-}.user.%{d2}",
    "v=spf1 exists:%{l2r+-}.user.%{d2}",
    "v=spf1 a:macro%%percent%_%_space%-url-space.example.com -all",
    "v=spf1 a:%{H}.bar -all",
    "v=spf1 -all exp=msg8.%{D2}",
    "v=spf1 redirect=%{d}.d.spf.example.com.",
    "v=spf1 moo.cow-far_out=man:dog/cat ip4:1.2.3.4 -all",  # unknown modifier (warning)
    "v=spf1 default=pass",
]

INVALID = [
    ("v=spf1 ip4:1.2.3.4 -all moo", "unknown-mechanism"),
    ("v=spf1 moo.cow/far_out=man:dog/cat ip4:1.2.3.4 -all", "unknown-mechanism"),
    ("v=spf1 moo.cow:far_out=man:dog/cat ip4:1.2.3.4 -all", "unknown-mechanism"),
    ("v=spf1 ip4:1.2.3.4 redirect:t2.example.com", "unknown-mechanism"),
    ("v=spf1 1up=foo", "unknown-mechanism"),
    ("v=spf1 =all", "unknown-mechanism"),
    ("v=spf1 -all.", "unknown-mechanism"),
    ("v=spf1 -all:foobar", "bad-all"),
    ("v=spf1 -all/8", "bad-all"),
    ("v=spf1 a:foo-bar -all", "bad-domain"),  # no dot-toplabel
    ("v=spf1 a:mail.example...com -all", "bad-domain"),  # empty label
    ("v=spf1 a:" + "a" * 64 + ".example.com -all", "bad-domain"),  # label > 63
    ("v=spf1 a:example.com:8080", "bad-domain"),
    ("v=spf1 a:example.-com", "bad-domain"),
    ("v=spf1 a:museum", "bad-domain"),
    ("v=spf1 a:museum.", "bad-domain"),
    ("v=spf1 a:111.222.33.44", "bad-domain"),  # numeric toplabel
    ("v=spf1 a:abc.123", "bad-domain"),
    ("v=spf1 include:ip5.example.com/24 -all", "bad-domain"),
    ("v=spf1 exists:mail.example.com/24", "bad-domain"),
    ("v=spf1 a:", "missing-domain"),
    ("v=spf1 include: -all", "missing-domain"),
    ("v=spf1 include +all", "missing-domain"),
    ("v=spf1 exists", "missing-domain"),
    ("v=spf1 exp= -all", "missing-domain"),
    ("v=spf1 ?all redirect=", "missing-domain"),
    ("v=spf1 ptr/0 -all", "bad-ptr"),
    ("v=spf1 a//33 a//129 -all", "bad-cidr"),
    ("v=spf1 a/33 -all", "bad-cidr"),
    ("v=spf1 a/24/64 -all", "bad-cidr"),
    ("v=spf1 ip4:1.2.3.4/33 -all", "bad-cidr"),
    ("v=spf1 ip4:1.2.3.4/032 -all", "bad-cidr"),
    ("v=spf1 ip6:::1.1.1.1/129", "bad-cidr"),
    ("v=spf1 ip4", "missing-network"),
    ("v=spf1 -all ip6", "missing-network"),
    ("v=spf1 ip4:1.2.3.4//32", "bad-network"),
    ("v=spf1 ip4:1.2.3.4:8080", "bad-network"),
    ("v=spf1 ip4:1.2.3", "bad-network"),
    ("v=spf1 ip4:01.2.3.4", "bad-network"),
    ("v=spf1 ip4:192.0.2.300", "bad-network"),
    ("v=spf1 ip6::CAFE::BABE", "bad-network"),
    ("v=spf1 ip6:::1.1.1.1//33", "bad-network"),
    ("v=spf1 ip6:fe80::1%eth0", "bad-network"),
    ("v=spf1 -all foo=%abc", "bad-macro"),
    ("v=spf1 -exists:%(ir).sbl.example.com ?all", "bad-macro"),
    ("v=spf1 exists:foo%.sbl.example.com ?all", "bad-macro"),
    ("v=spf1 a:%{a}.example.com -all", "bad-macro"),  # undefined letter
    ("v=spf1 -all exp=%{r}.example.com", "bad-macro"),  # r only in exp text
    ("v=spf1 exists:%{d0}.example.com", "bad-macro"),  # DIGIT must be nonzero
    ("v=spf1 exists:%{d#}.example.com", "bad-macro"),  # bad delimiter
    ("v=spf1 exp=-all", "bad-domain"),
    ("v=spf1 redirect=-all ?all", "bad-domain"),
    ("v=spf1 redirect=a.example redirect=b.example", "duplicate-modifier"),
    ("v=spf1 exp=a.example exp=b.example -all", "duplicate-modifier"),
    ("v=spf1 a:ctrl.example.com\rptr -all", "bad-macro"),  # control char, not a separator
    ("v=spf1 ip4:192.0.2.5\n include:spf.protection.outlook.com ~all", "bad-network"),
    ("v=spf1 a:foo.example.com\0", "bad-macro"),
    ("v=spf1 \x80a:example.net -all", "unknown-mechanism"),
    ("v=spf1 a:\ufeffgarbage.example.net -all", "bad-macro"),  # non-ASCII (§3.1)
    ("v=spf10", "not-spf"),
    (" v=spf1 -all", "not-spf"),
    ("v=spf1\t-all", "not-spf"),
    ("", "not-spf"),
]


@pytest.mark.parametrize("text", VALID)
def test_valid_records_parse_without_errors(text: str) -> None:
    rec = parse_spf(text)
    assert rec.is_spf
    assert rec.errors == (), rec.errors


@pytest.mark.parametrize(("text", "code"), INVALID)
def test_invalid_records_report_the_error(text: str, code: str) -> None:
    rec = parse_spf(text)
    assert not rec.valid
    assert code in [p.code for p in rec.errors], rec.problems


def test_terms_are_kept_in_order_with_qualifiers_and_cidrs() -> None:
    rec = parse_spf("v=spf1 -a:mail.example.com/24//64 ~mx ?ptr ip6:2001:db8::/32 exp=x.example")
    kinds = [(t.name, t.qualifier) for t in rec.terms if isinstance(t, Mechanism)]
    assert kinds == [
        ("a", Qualifier.FAIL),
        ("mx", Qualifier.SOFTFAIL),
        ("ptr", Qualifier.NEUTRAL),
        ("ip6", Qualifier.PASS),
    ]
    a = rec.mechanisms[0]
    assert (a.domain_spec, a.cidr4, a.cidr6) == ("mail.example.com", 24, 64)
    assert rec.mechanisms[1].domain_spec is None
    assert rec.mechanisms[3].network == "2001:db8::" and rec.mechanisms[3].cidr6 == 32
    assert isinstance(rec.terms[-1], Modifier) and rec.exp is not None


def test_mechanism_and_modifier_names_are_case_insensitive() -> None:
    rec = parse_spf("v=spf1 INCLUDE:_spf.example.com Redirect=_x.example.com")
    assert rec.valid
    assert rec.mechanisms[0].name == "include"
    assert rec.redirect is not None and rec.redirect.name == "redirect"


def test_redirect_is_ignored_when_all_is_present() -> None:
    rec = parse_spf("v=spf1 redirect=t5.example.com ~all")
    assert rec.valid  # a warning, not an error (§6.1)
    assert rec.redirect is None
    assert [p.code for p in rec.warnings] == ["redirect-ignored"]


def test_terms_after_all_are_a_warning_and_not_evaluated() -> None:
    rec = parse_spf("v=spf1 all -all include:x.example exp=e.example")
    assert rec.valid
    assert [p.code for p in rec.warnings] == ["terms-after-all"]
    assert [m.text for m in rec.evaluated_mechanisms] == ["all"]


def test_unknown_modifier_is_a_warning() -> None:
    rec = parse_spf("v=spf1 -all redirct=x.example")
    assert rec.valid
    assert [p.code for p in rec.warnings] == ["unknown-modifier"]


def test_lookup_terms_are_flagged() -> None:
    rec = parse_spf("v=spf1 include:a.example a mx ptr exists:b.example ip4:192.0.2.1 all")
    assert [m.name for m in rec.mechanisms if m.counts_lookup] == [
        "include",
        "a",
        "mx",
        "ptr",
        "exists",
    ]


@pytest.mark.parametrize(
    ("text", "spf"),
    [
        ("v=spf1", True),
        ("V=SPF1 -all", True),
        ("v=spf10", False),
        ("v=spf1-all", False),
        ("spf1", False),
        ("v=DMARC1", False),
    ],
)
def test_is_spf_text(text: str, spf: bool) -> None:
    assert is_spf_text(text) is spf


_SPF_TOKENS = ["include:", "redirect=", "exp=", "ip4:", "ip6:", "exists:", "ptr", "all", "mx"]
_SPF_ALPHABET = st.sampled_from(
    [
        *"v=spf1 -+~?:/.%{}_-,=aAdDiIlLsSoOhHpPrRtTcCvVxXmM0123456789",
        *_SPF_TOKENS,
        "\x00",
        "é",
        "\t",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.text())
def test_parser_never_raises_on_arbitrary_text(text: str) -> None:
    rec = parse_spf(text)
    assert rec.text == text
    assert "internal" not in [p.code for p in rec.problems]


@settings(max_examples=400, deadline=None)
@given(st.lists(_SPF_ALPHABET, max_size=40).map(lambda xs: "v=spf1 " + "".join(xs)))
def test_parser_never_raises_on_spf_like_text(text: str) -> None:
    rec = parse_spf(text)
    assert rec.is_spf
    for p in rec.problems:
        assert p.level in ("error", "warning") and p.code != "internal"

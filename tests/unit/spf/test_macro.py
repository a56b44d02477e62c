"""RFC 7208 §7 macro strings: syntax and expansion (examples from §7.4)."""

from __future__ import annotations

import pytest
import spf
from hypothesis import given, settings
from hypothesis import strategies as st

from mailauth.records.spf_macro import parse_macro_string, truncate_domain

# RFC 7208 §7.4 examples: sender strong-bad@email.example.com, IP 192.0.2.3
VALUES = {
    "s": "strong-bad@email.example.com",
    "o": "email.example.com",
    "d": "email.example.com",
    "l": "strong-bad",
    "i": "192.0.2.3",
}


@pytest.mark.parametrize(
    ("macro", "expanded"),
    [
        ("%{s}", "strong-bad@email.example.com"),
        ("%{o}", "email.example.com"),
        ("%{d}", "email.example.com"),
        ("%{d4}", "email.example.com"),
        ("%{d3}", "email.example.com"),
        ("%{d2}", "example.com"),
        ("%{d1}", "com"),
        ("%{dr}", "com.example.email"),
        ("%{d2r}", "example.email"),
        ("%{l}", "strong-bad"),
        ("%{l-}", "strong.bad"),
        ("%{lr}", "strong-bad"),
        ("%{lr-}", "bad.strong"),
        ("%{l1r-}", "strong"),
        ("%{ir}.%{v}._spf.%{d2}", None),  # v not given
        ("%{ir}._spf.%{d2}", "3.2.0.192._spf.example.com"),
        ("%{lr-}.lp._spf.%{d2}", "bad.strong.lp._spf.example.com"),
        ("%{d2}.trusted-domains.example.net", "example.com.trusted-domains.example.net"),
        ("%%%_%-", "% %20"),
        ("%{S}", "strong-bad%40email.example.com"),  # upper case: URL-escaped (§7.3)
    ],
)
def test_rfc7208_section_7_4_examples(macro: str, expanded: str | None) -> None:
    ms = parse_macro_string(macro)
    assert ms.valid, ms.errors
    assert ms.expand(VALUES) == expanded


@pytest.mark.parametrize(
    "text", ["%", "%x", "%{", "%{d", "%{q}", "%{d0}", "%{d#}", "a b", "%{c}", "%{r}", "%{t}"]
)
def test_invalid_macro_strings(text: str) -> None:
    assert not parse_macro_string(text).valid


def test_exp_text_allows_c_r_t_and_spaces() -> None:
    ms = parse_macro_string("Connections from %{c} at %{t} via %{r} not authorized.", exp=True)
    assert ms.valid
    assert ms.letters == {"c", "t", "r"}


def test_truncate_domain_removes_labels_from_the_left() -> None:
    long = ".".join([f"label{i:02d}" for i in range(40)]) + ".example.com"
    out = truncate_domain(long)
    assert len(out) <= 253 and long.endswith(out) and not out.startswith(".")


_SPF_VALUES = {**VALUES, "h": "mx.example.org", "v": "in-addr"}


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from("sodlihvSODLIHV"),
    st.sampled_from(["", "1", "2", "3", "12", "99"]),
    st.sampled_from(["", "r"]),
    st.sampled_from(["", "."]),
    st.sampled_from(["", "x.", "%{d}."]),
    st.sampled_from(["", ".example.com"]),
)
def test_expansion_agrees_with_pyspf(
    letter: str, digits: str, reverse: str, delimiter: str, before: str, after: str
) -> None:
    """Our §7.3 expansion (used by domain mode for %{d} and %{o}) against pyspf's, which
    `verify` uses. Two pyspf departures from RFC 7208 are left out: it reads only a lower-case
    "r" as the reversal (RFC 5234 §2.3: ABNF strings are case-insensitive, so `%{dR}`
    reverses), and with a delimiter other than "." it sometimes keeps the original separators
    (`%{v-}` stays "in-addr") where §7.3 says the parts "are rejoined using "." and not the
    original splitting characters" (as in §7.4, where `%{l-}` is "strong.bad")."""
    text = f"{before}%{{{letter}{digits}{reverse}{delimiter}}}{after}"
    query = spf.query("192.0.2.3", VALUES["s"], _SPF_VALUES["h"])
    assert parse_macro_string(text).expand(_SPF_VALUES) == query.expand(text, stripdot=False)

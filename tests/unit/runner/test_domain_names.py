"""normalize_domain: what a user may type, and what is refused (CLI exit 2)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mailauth.domain.names import normalize_domain, to_unicode
from mailauth.errors import InputError, MailauthError


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("example.jp", "example.jp"),
        ("Example.JP.", "example.jp"),
        ("  example.jp  ", "example.jp"),
        ("日本語.jp", "xn--wgv71a119e.jp"),
        ("ＥＸＡＭＰＬＥ．ｊｐ", "example.jp"),  # full-width, as typed with a Japanese IME
        ("Bücher.example", "xn--bcher-kva.example"),
        ("xn--wgv71a119e.jp", "xn--wgv71a119e.jp"),
        ("mail-1.example.jp", "mail-1.example.jp"),
        ("a" * 63 + ".jp", "a" * 63 + ".jp"),
    ],
)
def test_accepted(typed: str, expected: str) -> None:
    assert normalize_domain(typed) == expected


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("", "error.domain.empty"),
        (".", "error.domain.empty"),
        ("exa mple", "error.domain.invalid-character"),
        ("-x", "error.domain.hyphen"),
        ("x" * 300, "error.domain.label-too-long"),
        (".".join(["a" * 60] * 5), "error.domain.name-too-long"),
        ("1.2.3.4", "error.domain.ip-address"),
        ("[2001:db8::1]", "error.domain.ip-address"),
        ("_dmarc.example.jp", "error.domain.underscore"),
        ("a..b", "error.domain.empty-label"),
        ("localhost", "error.domain.single-label"),
        ("example.123", "error.domain.numeric-tld"),
        ("xn--zz.jp", "error.domain.invalid-idn"),
        ("user@example.jp", "error.domain.invalid-character"),
        ("a\nb.jp", "error.domain.invalid-character"),
    ],
)
def test_refused_with_a_reason(typed: str, key: str) -> None:
    with pytest.raises(InputError) as info:
        normalize_domain(typed)
    assert info.value.key == key
    message = info.value.diagnostics()
    assert message and "{" not in message
    assert len(message) < 200  # echoed input is clipped, so the error stays one line


def test_input_error_is_a_mailauth_error() -> None:
    assert issubclass(InputError, MailauthError)


def test_to_unicode_round_trip() -> None:
    assert to_unicode("xn--wgv71a119e.jp") == "日本語.jp"
    assert to_unicode("example.jp") == "example.jp"
    assert to_unicode("xn--zz.jp") == "xn--zz.jp"  # not decodable: shown as is


@given(st.text(max_size=300))
def test_never_raises_anything_but_input_error(text: str) -> None:
    try:
        result = normalize_domain(text)
    except InputError:
        return
    assert result == result.lower()
    assert len(result) <= 253
    assert all(0 < len(label) <= 63 for label in result.split("."))
    assert result.isascii()

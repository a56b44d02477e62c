"""The tag-list splitter shared by the DKIM, DMARC, BIMI, MTA-STS and TLS-RPT parsers."""

from __future__ import annotations

import pytest

from mailauth.records.taglist import TagSpec, begins_with_version, split_fields, split_tag_list


def test_parts_in_order_with_whitespace_around_names_and_values_removed() -> None:
    assert split_tag_list(" v = DMARC1 ;p=reject;\tx ") == [
        TagSpec("v = DMARC1", "v", "DMARC1", has_equals=True),
        TagSpec("p=reject", "p", "reject", has_equals=True),
        TagSpec("x", "x", "", has_equals=False),
    ]


@pytest.mark.parametrize(
    ("text", "texts"),
    [
        ("", []),
        ("  ", []),
        ("a=1;", ["a=1"]),  # one final ";" is allowed by every grammar (RFC 6376 §3.2)
        ("a=1;;", ["a=1", ""]),  # a second one is an empty part
        ("a=1;;b=2", ["a=1", "", "b=2"]),
        (";a=1", ["", "a=1"]),
        ("a=1;b=2;a=3", ["a=1", "b=2", "a=3"]),  # duplicates kept: each grammar judges them
    ],
)
def test_empty_parts_are_kept_but_one_trailing_semicolon_is_not(
    text: str, texts: list[str]
) -> None:
    assert [s.text for s in split_tag_list(text)] == texts


def test_value_keeps_later_equals_signs() -> None:
    assert split_tag_list("p=abc==")[0].value == "abc=="


def test_dkim_folding_whitespace_covers_line_breaks_only_when_asked() -> None:
    text = "v=DKIM1;\r\n k=rsa"
    assert split_tag_list(text, whitespace=None)[1].name == "k"
    assert split_tag_list(text)[1].name == "\r\n k"  # DNS-record grammars: WSP only


def test_split_fields_skips_empty_fields_and_lists_the_malformed() -> None:
    assert split_fields("v=STSv1;; id=1 ; junk ;") == ([("v", "STSv1"), ("id", "1")], ["junk"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("v=STSv1; id=1", True),
        ("  v=STSv1", True),
        ("v=STSv12; id=1", False),
        ("v = STSv1; id=1", False),  # RFC 8461 §3.1 allows no whitespace around "="
        ("id=1; v=STSv1", False),
        ("V=STSv1", False),
    ],
)
def test_begins_with_version_is_exact(text: str, expected: bool) -> None:
    assert begins_with_version(text, "STSv1") is expected

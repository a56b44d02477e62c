"""Authentication-Results: parsing what servers wrote, and the header we write."""

from __future__ import annotations

import asyncio

from mailauth.dns.memory import MemorySource
from mailauth.message import verify_message
from mailauth.message.authresults import parse_header


def test_parse_with_comments_quotes_and_version() -> None:
    value = (
        "mx.google.com 1; dkim=pass (2048-bit key) header.i=@example.jp header.s=s1 "
        'header.b="ab;cd"; spf=softfail (google.com: domain of transitioning x) '
        "smtp.mailfrom=bounce@example.jp; dmarc=fail (p=NONE dis=NONE) header.from=example.jp"
    )
    parsed = parse_header(value)
    assert parsed is not None
    assert parsed.authserv_id == "mx.google.com"
    assert [(r.method, r.result) for r in parsed.results] == [
        ("dkim", "pass"),
        ("spf", "softfail"),
        ("dmarc", "fail"),
    ]
    assert parsed.results[0].props["header.b"] == "ab;cd"
    assert parsed.results[1].props["smtp.mailfrom"] == "bounce@example.jp"


def test_arc_authentication_results_instance_is_skipped() -> None:
    parsed = parse_header("i=1; lists.example; arc=none; dkim=pass header.d=example.jp")
    assert parsed is not None and parsed.authserv_id == "lists.example"
    assert [r.method for r in parsed.results] == ["arc", "dkim"]


def test_garbage_is_none_or_empty() -> None:
    assert parse_header("") is None
    parsed = parse_header("((((; ;;; =")
    assert parsed is None or parsed.results == ()


def test_our_header_quotes_values_that_are_not_tokens() -> None:
    """A hostile signature's d= and s= (spaces, a quote) must not break the header we write."""
    raw = (
        b'DKIM-Signature: v=1; a=rsa-sha256; d=exa mple"y; s=s 1; h=from; bh=AA==; b=AA==\r\n'
        b"From: a@example.jp\r\n\r\nbody\r\n"
    )
    header = asyncio.run(verify_message(raw, MemorySource())).authentication_results
    assert 'header.d="exa mple\\"y" header.s="s 1" header.a=rsa-sha256;' in header
    parsed = parse_header(header.partition(":")[2])
    assert parsed is not None and parsed.authserv_id == "mailauth"
    assert [(r.method, r.result) for r in parsed.results] == [
        ("dkim", "permerror"),
        ("spf", "none"),
        ("dmarc", "none"),
    ]
    assert parsed.results[0].props["header.s"] == "s 1"


def test_quoted_pairs_in_strings_and_comments() -> None:
    """RFC 5322 §3.2.1: a backslash quotes the next character, so neither an escaped quote
    nor an escaped parenthesis ends the string or the comment."""
    parsed = parse_header(
        'mx; dkim=pass header.b="a\\";b" (x \\) y; z=1); spf=pass smtp.mailfrom=a@b'
    )
    assert parsed is not None
    assert [(r.method, r.result) for r in parsed.results] == [("dkim", "pass"), ("spf", "pass")]
    assert parsed.results[0].props == {"header.b": 'a\\";b'}
    assert parsed.results[1].props == {"smtp.mailfrom": "a@b"}

"""Authentication-Results: parsing what servers wrote, and the header we write."""

from __future__ import annotations

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

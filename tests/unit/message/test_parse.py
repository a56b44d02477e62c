"""Message parsing: bytes kept intact, and every kind of non-message refused with one line."""

from __future__ import annotations

import contextlib
import time
from typing import get_args

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mailauth.i18n import has_label
from mailauth.message.parse import (
    MAX_FIELD_BYTES,
    MAX_HEADER_LINES,
    MAX_MESSAGE_BYTES,
    InputErrorCode,
    MessageInputError,
    parse_message,
)

OK = b"From: a@example.jp\r\nSubject: hi\r\n\r\nbody\r\n"


@pytest.mark.parametrize(
    ("raw", "words", "code", "params"),
    [
        (b"", "empty", "empty", {}),
        (b"   \r\n\r\n", "empty", "empty", {}),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a header field", "first-line-not-field", {}),
        (bytes(range(256)) * 4, "NUL", "nul", {"line": 1}),
        (b"hello world\r\n\r\nbody", "not a header field", "first-line-not-field", {}),
        (b"hello world", "not a header field", "first-line-not-field", {}),
        (b"From: a@\x00example.jp\r\n\r\nbody", "NUL", "nul", {"line": 1}),
        (b"From: a@example.jp\r\nX: \x00\x01", "NUL", "nul", {"line": 2}),
        (b" folded: first\r\n\r\n", "white space", "leading-space", {}),
        (b"From\r\nno colon\r\n\r\n", "not a header field", "first-line-not-field", {}),
    ],
    ids=["empty", "blank", "png", "binary", "text", "text-cut", "nul", "nul-cut", "ws", "name"],
)
def test_not_a_message(raw: bytes, words: str, code: str, params: dict[str, int]) -> None:
    with pytest.raises(MessageInputError) as err:
        parse_message(raw)
    assert words in err.value.reason
    assert (err.value.code, err.value.params) == (code, params)
    assert str(err.value) == err.value.reason
    assert "\n" not in str(err.value)


def test_every_input_error_code_has_catalogued_text_with_its_params() -> None:
    params = {"limit_mb": 50, "limit_kb": 1024, "limit": 10_000, "line": 3}
    for code in get_args(InputErrorCode):
        assert has_label(f"error.message.{code}")
        reason = MessageInputError(code, **params).reason
        assert reason and "{" not in reason and "\n" not in reason


def test_raw_bytes_are_kept_and_headers_split() -> None:
    msg = parse_message(OK)
    assert msg.raw is OK
    assert [(h.name, h.value) for h in msg.headers] == [("From", "a@example.jp"), ("Subject", "hi")]
    assert msg.body == b"body\r\n"
    assert msg.dkim_bytes == OK


def test_bare_lf_becomes_crlf_for_dkim_only() -> None:
    raw = OK.replace(b"\r\n", b"\n")
    msg = parse_message(raw)
    assert msg.bare_lf and msg.raw == raw
    assert msg.dkim_bytes == OK


def test_mbox_from_line_is_dropped() -> None:
    raw = b"From a@example.jp Thu Oct  1 00:00:05 2026\n" + OK
    msg = parse_message(raw)
    assert msg.mbox_from is not None and msg.mbox_from.startswith("a@example.jp")
    assert msg.dkim_bytes == OK
    assert msg.first("From") == "a@example.jp"


# A body as signed, and as an mboxrd writer stores it (RFC 4155: one ">" more on every line
# matching >*From ; "> From" and "x>From" are not separator-like and stay as they are).
SIGNED_BODY = b"From here on:\n>From the archive\n>>From deeper\n> From a quote\nx>From y\n"
MBOXRD_BODY = b">From here on:\n>>From the archive\n>>>From deeper\n> From a quote\nx>From y\n"


def test_mboxrd_quoting_is_undone_in_the_body_of_an_mbox_export() -> None:
    stored = b"From: a@example.jp\nX-Note: >From header\n\n" + MBOXRD_BODY
    msg = parse_message(b"From a@example.jp Thu Oct  1 00:00:05 2026\n" + stored)
    head, _, body = msg.dkim_bytes.partition(b"\r\n\r\n")
    assert head == b"From: a@example.jp\r\nX-Note: >From header"  # headers are not unquoted
    assert body == SIGNED_BODY.replace(b"\n", b"\r\n")
    assert msg.body == MBOXRD_BODY  # the stored body stays as stored


def test_a_saved_message_without_the_separator_is_never_unquoted() -> None:
    raw = b"From: a@example.jp\r\n\r\n>From the archive\r\n"
    assert parse_message(raw).dkim_bytes == raw


def test_obsolete_space_before_colon_and_folding() -> None:
    msg = parse_message(b"Subject : one\r\n two\r\nFrom: x@y\r\n\r\n")
    assert msg.first("subject") == "one two"


def test_eight_bit_and_invalid_utf8_headers_do_not_crash() -> None:
    msg = parse_message(b"Subject: \xe6\x97\xa5\xff\xfe\r\nFrom: x@y\r\n\r\n\xff")
    assert msg.first("Subject") is not None


def test_limits_are_errors_not_crashes() -> None:
    with pytest.raises(MessageInputError, match="50 MB limit") as err:
        parse_message(b"From: a@b\r\n\r\n" + b"x" * MAX_MESSAGE_BYTES)
    assert (err.value.code, err.value.params) == ("too-large", {"limit_mb": 50})
    lines = b"".join(b"X-N: %d\r\n" % i for i in range(MAX_HEADER_LINES + 1))
    with pytest.raises(MessageInputError, match="more than 10,000 lines") as err:
        parse_message(lines + b"\r\nbody")
    assert (err.value.code, err.value.params) == ("too-many-lines", {"limit": 10_000})
    with pytest.raises(MessageInputError, match="1024 KB limit") as err:
        parse_message(b"X-Long: " + b"a" * (MAX_FIELD_BYTES + 10) + b"\r\n\r\n")
    assert (err.value.code, err.value.params) == ("line-too-long", {"line": 1, "limit_kb": 1024})
    folded = b"X-Long: a\r\n" + b" " + b"a" * (MAX_FIELD_BYTES // 2) + b"\r\n"
    with pytest.raises(MessageInputError, match="header field at line 1") as err:
        parse_message(folded + b"\t" + b"b" * (MAX_FIELD_BYTES // 2) + b"\r\n\r\n")
    assert err.value.code == "field-too-long"


def test_at_the_limits_messages_are_accepted_quickly() -> None:
    start = time.monotonic()
    lines = b"".join(b"X-N: %d\r\n" % i for i in range(MAX_HEADER_LINES - 1))
    assert len(parse_message(lines + b"\r\nbody").headers) == MAX_HEADER_LINES - 1
    msg = parse_message(b"X-Long: " + b"a" * (MAX_FIELD_BYTES - 100) + b"\r\n\r\n")
    assert msg.longest_line > 998
    folded = b"X-Folded: a\r\n" + b" b\r\n" * (MAX_HEADER_LINES - 2)  # one field, 9,999 lines
    assert len(parse_message(folded + b"\r\nbody").headers) == 1
    big = parse_message(b"From: a@b\r\n\r\n" + b"0123456789abcde\n" * (3 * 1024 * 1024))
    assert len(big.body) == 48 * 1024 * 1024
    assert time.monotonic() - start < 10


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_parse_or_raise_the_documented_error(raw: bytes) -> None:
    with contextlib.suppress(MessageInputError):
        parse_message(raw)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.from_regex(r"[A-Za-z][A-Za-z0-9-]{0,20}", fullmatch=True),
            st.text(max_size=80).filter(lambda t: "\n" not in t and "\r" not in t),
        ),
        max_size=20,
    ),
    st.binary(max_size=500),
)
def test_generated_headers_round_trip(fields: list[tuple[str, str]], body: bytes) -> None:
    raw = b"".join(f"{n}: {v}\r\n".encode() for n, v in fields) + b"From: a@b\r\n\r\n" + body
    try:
        msg = parse_message(raw)
    except MessageInputError as err:
        assert "NUL" in err.reason or "white space" in err.reason
        return
    assert msg.raw == raw
    assert len(msg.headers) == len(fields) + 1

"""Subject and From as Japanese mail actually arrives (issue 14): decoded for the report,
escaped when nothing reads them, never an exception; the verified bytes are not touched."""

from __future__ import annotations

import asyncio
import base64
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mailauth.dns.zonefile import ZoneSource
from mailauth.message.header_text import decode_value, display_text
from mailauth.message.parse import parse_message
from mailauth.message.verify import verify_message

REPO = Path(__file__).resolve().parents[3]
SUBJECT = "【重要】ご注文内容の確認①"


def _b(text: str, charset: str, codec: str) -> bytes:
    return f"=?{charset}?B?{base64.b64encode(text.encode(codec)).decode()}?=".encode()


def _q(text: str, charset: str, codec: str) -> bytes:
    return f"=?{charset}?Q?{''.join(f'={b:02X}' for b in text.encode(codec))}?=".encode()


@pytest.mark.parametrize(
    "raw",
    [
        _b("ご注文の商品を発送しました", "ISO-2022-JP", "iso2022_jp"),
        _b("ご注文の商品を発送しました", "iso-2022-jp", "iso2022_jp"),
        _q("ご注文の商品を発送しました", "UTF-8", "utf-8"),
        _b("ご注文の商品を発送しました", "Shift_JIS", "cp932"),
        _b("ご注文の商品を発送しました", "x-sjis", "cp932"),
        _b("ご注文の商品を発送しました", "windows-31j", "cp932"),
        _q("ご注文の商品を発送しました", "EUC-JP", "euc_jp"),
        "ご注文の商品を発送しました".encode(),  # raw UTF-8 (RFC 6532)
        "ご注文の商品を発送しました".encode("cp932"),  # raw 8-bit Shift_JIS
        "ご注文の商品を発送しました".encode("euc_jp"),  # raw 8-bit EUC-JP
        "ご注文の商品を発送しました".encode("iso2022_jp"),  # raw 7-bit JIS, no encoded word
        "ご注文の商品を発送しました".encode("iso2022_jp")[:-3],  # JIS without the final ESC ( B
    ],
)
def test_japanese_subjects_decode(raw: bytes) -> None:
    assert decode_value(raw) == "ご注文の商品を発送しました"


def test_encoded_words_join_and_keep_the_text_around_them() -> None:
    raw = (
        _b("株式会社", "ISO-2022-JP", "iso2022_jp")
        + b" \r\n "
        + _q("エグザンプル", "UTF-8", "utf-8")
    )
    assert decode_value(raw + b" <orders@example.jp>") == "株式会社エグザンプル <orders@example.jp>"
    missing_escape = "エグザンプル".encode("iso2022_jp")[:-3]
    word = f"=?ISO-2022-JP?B?{base64.b64encode(missing_escape).decode()}?=".encode()
    assert decode_value(word + b" <a@example.jp>") == "エグザンプル <a@example.jp>"


def test_nec_special_characters_of_shift_jis_are_read() -> None:
    assert decode_value(SUBJECT.encode("cp932")) == SUBJECT
    assert decode_value(_b(SUBJECT, "Shift_JIS", "cp932")) == SUBJECT


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        (b"\xff\xfe\x80 order", "\\xff\\xfe\\x80 order"),  # no charset reads it: escaped
        (b"=?x-unknown?B?AAAA?= tail", "\\x00\\x00\\x00 tail"),
        (b"=?utf-8?B?not*base64?=", "=?utf-8?B?not*base64?="),  # not an encoded word: as is
        (b"plain ASCII", "plain ASCII"),
    ],
)
def test_what_nothing_reads_is_shown_escaped(raw: bytes, shown: str) -> None:
    assert decode_value(raw) == shown


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_give_text_never_an_exception(raw: bytes) -> None:
    assert isinstance(decode_value(raw), str)
    assert isinstance(decode_value(b"=?iso-2022-jp?B?" + base64.b64encode(raw) + b"?="), str)


@pytest.mark.parametrize(
    ("sample", "subject", "sender"),
    [
        (
            "iso-2022-jp.eml",
            "ご注文の商品を発送しました",
            "株式会社エグザンプル <orders@example.jp>",
        ),
        ("shift-jis-8bit.eml", SUBJECT, "株式会社エグザンプル <orders@example.jp>"),
        ("euc-jp.eml", "発送のお知らせ", "エグザンプル通販 <orders@example.jp>"),
        (
            "iso-2022-jp-broken.eml",
            "ご注文ありがとうございます",
            "エグザンプル <orders@example.jp>",
        ),
    ],
)
def test_japanese_samples_verify_on_their_bytes_and_show_decoded(
    sample: str, subject: str, sender: str
) -> None:
    raw = (REPO / "samples" / "messages" / sample).read_bytes()
    dns = ZoneSource.from_paths([REPO / "samples" / "zones"])
    report = asyncio.run(verify_message(raw, dns, file=sample))
    assert (report.subject, report.from_header) == (subject, sender)
    assert [s.result.value for s in report.dkim] == ["pass"]  # signed bytes, unchanged
    assert report.dmarc.result.value == "pass"
    assert (REPO / "samples" / "messages" / sample).read_bytes() == raw
    parsed = parse_message(raw)
    assert display_text(parsed.all("Subject")[0]) == subject

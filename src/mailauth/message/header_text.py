"""A header field as a person reads it: Subject and From decoded for the report, as Japanese
mail actually arrives.

Only for display: verification uses the bytes as they are (`Header.raw`, `dkim_bytes`),
never this text. Japanese mail comes as RFC 2047 encoded words (B or Q) in ISO-2022-JP,
Shift_JIS, EUC-JP or UTF-8, and as what real mailers produce instead: unencoded 8-bit
Shift_JIS or EUC-JP in a header, raw 7-bit ISO-2022-JP (JIS) without encoded words, an
ISO-2022-JP word without its final escape, a charset label that is an alias (x-sjis,
windows-31j). Each is decoded by what it is; bytes no Japanese or Unicode charset reads are
shown escaped (\\x82), never dropped, never an exception.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import functools
import re

from mailauth.message.parse import Header

# Charset labels as mailers write them -> the Python codec that reads what they mean:
# Shift_JIS in mail is Microsoft's (cp932: NEC and IBM extensions such as ①), ISO-2022-JP
# often carries those characters too (iso2022_jp_ext reads half-width katakana as well).
_CHARSETS = {
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "ms932": "cp932",
    "windows-31j": "cp932",
    "cp932": "cp932",
    "iso-2022-jp": "iso2022_jp_ext",
    "csiso2022jp": "iso2022_jp_ext",
    "euc-jp": "euc_jp",
    "x-euc-jp": "euc_jp",
    "eucjp": "euc_jp",
}
# What 8-bit text in a Japanese header is likely to be, in the order to try.
_GUESSES = ("utf-8", "cp932", "euc_jp")
_ENCODED_WORD = re.compile(rb"=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=")
_FOLD = re.compile(rb"\r?\n[ \t]")
_BETWEEN_WORDS = re.compile(rb"(?<=\?=)[ \t\r\n]+(?==\?)")  # RFC 2047 §6.2: dropped
_JIS_ESCAPE = b"\x1b"


# The two patterns over wide Unicode ranges cost ~2 ms each to compile, and only non-ASCII
# text needs them: compiled on first use, not on every `verify` start (issue 10).
@functools.cache
def _japanese() -> re.Pattern[str]:
    return re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


@functools.cache
def _implausible() -> re.Pattern[str]:
    """A reading with control or private-use characters is a wrong guess (cp932 maps stray
    bytes such as 0x80 and 0xFD-0xFF to them)."""
    return re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ue000-\uf8ff\ufffd]")


def display_text(header: Header) -> str:
    """The field's value (after the colon, unfolded) decoded for display."""
    raw = header.raw.split(b":", 1)[1] if b":" in header.raw else header.raw
    if b"\n" in raw:  # folded (the searches below are skipped where they cannot match)
        raw = _FOLD.sub(b" ", raw)
    return decode_value(raw.strip(b" \t"))


def decode_value(raw: bytes) -> str:
    """Encoded words decoded, the text between them read as 8-bit or JIS text."""
    if b"=?" not in raw:  # no encoded word: most Subjects and Froms (issue 10)
        return _plain(raw)
    raw = _BETWEEN_WORDS.sub(b"", raw)
    out: list[str] = []
    position = 0
    for m in _ENCODED_WORD.finditer(raw):
        out.append(_plain(raw[position : m.start()]))
        out.append(_encoded_word(m.group(1), m.group(2), m.group(3)) or _plain(m.group(0)))
        position = m.end()
    out.append(_plain(raw[position:]))
    return "".join(out)


def _encoded_word(charset: bytes, encoding: bytes, text: bytes) -> str | None:
    """One RFC 2047 word; None when it is not one after all (bad base64)."""
    label = charset.decode("ascii", "replace").split("*", 1)[0].lower()  # RFC 2231 language
    try:
        if encoding in b"bB":
            data = base64.b64decode(text + b"=" * (-len(text) % 4))
        else:
            data = re.sub(rb"=([0-9A-Fa-f]{2})", lambda h: bytes.fromhex(h.group(1).decode()), text)
            data = data.replace(b"_", b" ")
    except (binascii.Error, ValueError):
        return None
    return _decode(data, label)


def _plain(data: bytes) -> str:
    """Text outside encoded words: ASCII, raw JIS, or unencoded 8-bit bytes."""
    if not data:
        return ""
    if data.isascii() and _JIS_ESCAPE not in data:
        return data.decode("ascii")
    return _decode(data, None)


def _codec(label: str | None) -> str | None:
    if label is None:
        return None
    name = _CHARSETS.get(label, label)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _decode(data: bytes, label: str | None) -> str:
    """`data` in its declared charset when that reads it, else the likeliest Japanese
    charset, else escaped."""
    tries: list[str] = []
    declared = _codec(label)
    if declared is not None:
        tries.append(declared)
    if _JIS_ESCAPE in data:
        tries.append("iso2022_jp_ext")
    candidates: list[str] = []
    for codec in (*tries, *_GUESSES):
        if codec in candidates:
            continue
        candidates.append(codec)
    readings: list[tuple[int, str]] = []
    for rank, codec in enumerate(candidates):
        try:
            text = data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
        if _implausible().search(text):
            continue
        if rank < len(tries):
            return text  # what the word says it is (or JIS, by its escapes), and it reads
        readings.append((-len(_japanese().findall(text)), text))
    if readings:
        # Guessing: the reading with the most kana and kanji (cp932 before EUC-JP on a tie).
        return min(readings, key=lambda r: r[0])[1]
    return "".join(chr(b) if 0x20 <= b < 0x7F else f"\\x{b:02x}" for b in data)

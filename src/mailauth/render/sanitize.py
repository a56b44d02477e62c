"""Make text from DNS and messages safe to print.

Records and headers are attacker-controlled: a TXT record can hold ANSI escape sequences
that repaint a terminal, or a newline that forges a report line. Text reports show every
control or invisible format character as a visible `\\xNN`-style escape instead. JSON needs
none of this (the encoder escapes control characters).
"""

from __future__ import annotations

import os
import unicodedata

# Keep these: they are layout, not attacks, in multi-line fields (detail text).
_ALLOWED_IN_MULTILINE = {"\n"}


def printable(text: str, *, multiline: bool = False) -> str:
    """`text` with control/format characters (Cc, Cf, Cs, Co, Zl, Zp) made visible."""
    if text.isprintable():
        return text
    out: list[str] = []
    for ch in text:
        if ch.isprintable() or ch == " " or (multiline and ch in _ALLOWED_IN_MULTILINE):
            out.append(ch)
        elif unicodedata.category(ch) in ("Zs",):
            out.append(" ")
        else:
            out.append(_escape(ch))
    return "".join(out)


def _escape(ch: str) -> str:
    code = ord(ch)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def display_path(name: str) -> str:
    """A file name as text. Bytes of a name that are not UTF-8 reach Python as lone
    surrogates (PEP 383: b"\\xff" is "\\udcff"), which no UTF-8 output can encode: they are
    written as the text `\\xff` instead, so JSON stays valid UTF-8 and the name recognisable."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(name).decode("utf-8", "backslashreplace")
    return name

"""tomllib's words for a configuration file that is not TOML, as codes (`config.toml.<code>`).

tomllib explains a syntax error in English ("Expected '=' after a key in a key/value pair (at
line 3, column 5)"); a Japanese admin is owed the explanation in Japanese (issue 14), as
dnspython's zone-file messages are (`dns/zone_syntax.py`). Each message tomllib writes has a
code here; the line is reported by `error.config` already, so the "(at line, column)" suffix
is dropped. A message without a code (a later tomllib) keeps its words.
"""

from __future__ import annotations

import re
from typing import Any

from mailauth.model import Phrase

_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"Cannot overwrite a value", "overwrite"),
    (r"Escaped character is not a Unicode scalar value", "bad-escape"),
    (r"Expected '=' after a key in a key/value pair", "expected-equals"),
    (r"Expected '\]' at the end of a table declaration", "unclosed-table"),
    (r"Expected '\]\]' at the end of an array declaration", "unclosed-array-table"),
    (r"Expected newline or end of document after a statement", "expected-newline"),
    (r"Invalid date or datetime", "bad-datetime"),
    (r"Invalid hex value", "bad-hex"),
    (r"Invalid initial character for a key part", "bad-key"),
    (r"Invalid statement", "bad-statement"),
    (r"Invalid value", "bad-value"),
    (r"Unclosed array", "unclosed-array"),
    (r"Unclosed inline table", "unclosed-inline-table"),
    (r"Unescaped '\\' in a string", "unescaped-backslash"),
    (r"Unterminated string", "unterminated-string"),
    (r"Cannot declare (?P<value>.+) twice", "declared-twice"),
    (r"Cannot mutate immutable namespace (?P<value>.+)", "immutable"),
    (r"Cannot redefine namespace (?P<value>.+)", "redefined"),
    (r"Duplicate inline table key (?P<value>.+)", "duplicate-key"),
    (r"Expected (?P<value>.+)", "expected"),
    (r"(?:Found invalid|Illegal) character (?P<value>.+)", "bad-character"),
)
_MESSAGES = tuple((re.compile(pattern), code) for pattern, code in _PATTERNS)
_WHERE = re.compile(r"\s*\(at (?:line \d+, column \d+|end of document)\)\s*$")
CODES: tuple[str, ...] = tuple(dict.fromkeys(code for _, code in _PATTERNS))


def toml_problem(message: str) -> Phrase | str:
    """The words for tomllib's `message`: a `Phrase` for a known one, else the message."""
    text = _WHERE.sub("", message).strip()
    for pattern, code in _MESSAGES:
        m = pattern.fullmatch(text)
        if m is not None:
            params: dict[str, Any] = m.groupdict()
            return Phrase(f"config.toml.{code}", params)
    return message

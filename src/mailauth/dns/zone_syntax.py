"""dnspython's words for a zone file syntax error, as codes (`error.zone.<code>`).

dnspython explains a bad line in English ("expecting an integer"); a Japanese admin is owed
the same explanation in Japanese (issue 14). Each message dnspython writes for the mistakes
people make in zone files has a code here; anything else keeps dnspython's words, quoted in
`error.zone.syntax`.
"""

from __future__ import annotations

import re
from typing import Any, Literal

SyntaxCode = Literal[
    "syntax",
    "unknown-type",
    "malformed-data",
    "expected-integer",
    "expected-field",
    "unterminated-string",
    "unbalanced-parentheses",
    "bad-ttl",
    "directive-not-allowed",
]

_PATTERNS: tuple[tuple[str, SyntaxCode], ...] = (
    (r"unknown rdatatype '(?P<value>.*)'", "unknown-type"),
    (r"Text input is malformed\.?|.* is not a valid (IPv4|IPv6) address", "malformed-data"),
    (r"expecting an integer", "expected-integer"),
    (r"expecting an identifier|expecting a string|unexpected end of input", "expected-field"),
    (r"newline in quoted string|unterminated quoted string", "unterminated-string"),
    (r"unbalanced parentheses", "unbalanced-parentheses"),
    (r"DNS TTL value is not well-formed\.?|.*TTL.*", "bad-ttl"),
    (r"zone file directive '(?P<value>.*)' is not allowed", "directive-not-allowed"),
)
_MESSAGES = tuple((re.compile(pattern), code) for pattern, code in _PATTERNS)


def syntax_code(message: str) -> tuple[SyntaxCode, dict[str, Any]]:
    """The code of a dnspython syntax message and its params (the text it quotes); "syntax"
    with the message itself when it has no code."""
    for pattern, code in _MESSAGES:
        m = pattern.fullmatch(message.strip())
        if m is not None:
            return code, {"message": message, **m.groupdict()}
    return "syntax", {"message": message}

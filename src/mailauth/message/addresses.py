"""The author addresses of a From field (RFC 5322 §3.4, §3.6.2), read the way receivers read
them, and what is wrong with the field's syntax.

Why not `email.utils.getaddresses`: what it returns for an invalid field depends on the
Python release (3.11.10, 3.12.5 and 3.13 return nothing for input the older ones split, after
CVE-2023-27043), and an invalid From is exactly what a forgery sends. Receivers still find an
address in `"Dear Customer…",<noreply@example.com>` (a display name followed by a comma, then
an address in angle brackets): DMARC must be evaluated for that address, and the invalid
syntax reported, because mail clients may show something else.

The reading: the field is split at commas outside quoted strings, comments and angle
brackets; in each element the address is the content of its angle brackets (after an
obsolete route `@a,@b:`), else the element itself when it holds an `@`. A group (`name:
a@b, c@d;`, RFC 6854) contributes its members. Non-ASCII text is allowed (RFC 6532).
"""

from __future__ import annotations

import functools
import re
from enum import Enum

from mailauth.frozen import frozen

# RFC 5322 §3.2.3 atext, plus any non-ASCII character (RFC 6532 §3.2), written as its
# complement (controls, space, DEL and the specials): the same set, but `re` compiles the
# positive class with its range up to U+10FFFF in ~20 ms, paid by every `verify` start-up.
_ATEXT = r'[^\x00-\x20\x7f"(),.:;<>@\[\\\]]'
_DOT_ATOM = rf"{_ATEXT}+(?:\.{_ATEXT}+)*"
_QUOTED = r'"(?:[^"\\]|\\.)*"'
_ADDR_SPEC = re.compile(rf"(?:{_DOT_ATOM}|{_QUOTED})@(?:{_DOT_ATOM}|\[[^\[\]\\]*\])")
# A display name: words (atoms, quoted strings) and, obsolete but common, dots (§4.1).
_PHRASE = re.compile(rf"(?:{_ATEXT}|{_QUOTED}|[ \t.])*")


class FromProblem(str, Enum):
    """What makes a From field invalid RFC 5322. Words: the UI catalogue's
    `verify.from-problem.*`."""

    NO_ADDRESS = "no-address"  # a list element with no address ("Name",<a@b> has two)
    UNQUOTED_SPECIAL = "unquoted-special"  # a display name with @ : ; < > [ ] \ unquoted
    BAD_ANGLE = "bad-angle"  # unbalanced angle brackets, several, or text after ">"
    BAD_ADDRESS = "bad-address"  # not local-part@domain (spaces, two @, empty parts)
    UNTERMINATED = "unterminated"  # a quoted string or comment that is never closed


@frozen
class FromField:
    """One From field as read: the addresses a receiver takes from it, and each problem."""

    addresses: tuple[str, ...]
    problems: tuple[FromProblem, ...]


# From values up to this size are remembered (`_read`): verify reads the From field three
# times (author domains, DMARC, the From rules), issue 10. A FromField is immutable.
_CACHED_VALUE_CHARS = 2048


def read_from(value: str) -> FromField:
    """The addresses of one From field value (unfolded) and what is wrong with its syntax."""
    if len(value) > _CACHED_VALUE_CHARS:
        return _read_from(value)
    return _read(value)


@functools.lru_cache(maxsize=256)
def _read(value: str) -> FromField:
    return _read_from(value)


def _read_from(value: str) -> FromField:
    addresses: list[str] = []
    problems: list[FromProblem] = []
    elements, unterminated = _split(value)
    if unterminated:
        problems.append(FromProblem.UNTERMINATED)
    for element in elements:
        address, problem = _element(element)
        if address:
            addresses.append(address)
        if problem is not None:
            problems.append(problem)
    return FromField(tuple(addresses), tuple(dict.fromkeys(problems)))


def _split(value: str) -> tuple[list[str], bool]:
    """Comma-separated elements, with comments removed and a group's name and `;` dropped;
    True when a quoted string, comment or angle bracket is left open at the end."""
    elements: list[str] = []
    current: list[str] = []
    # A ":" opens a group only in a field that closes one with ";" (else it is an unquoted
    # special in a display name, `Support: PayPal <a@b>`, and reported as such).
    group = ";" in _unquoted(value)
    quoted = escaped = False
    depth = 0  # comment nesting
    angle = False
    for char in value:
        if escaped:
            escaped = False
            if depth == 0:
                current.append(char)
            continue
        if char == "\\" and (quoted or depth):
            escaped = True
            if depth == 0:
                current.append(char)
            continue
        if depth:
            depth += {"(": 1, ")": -1}.get(char, 0)
            if depth == 0:
                current.append(" ")  # a comment separates like white space
            continue
        if quoted:
            current.append(char)
            quoted = char != '"'
            continue
        if char == '"':
            quoted = True
        elif char == "(":
            depth = 1
            continue
        elif char == "<":
            angle = True
        elif char == ">":
            angle = False
        elif char == "," and not angle:
            elements.append("".join(current))
            current = []
            continue
        elif char == ":" and group and not angle:
            current = []  # a group's display name (RFC 5322 §3.4 group, RFC 6854)
            continue
        elif char == ";" and group and not angle:
            continue  # the end of a group
        current.append(char)
    elements.append("".join(current))
    return [e.strip() for e in elements if e.strip()], quoted or depth > 0 or angle


def _element(element: str) -> tuple[str | None, FromProblem | None]:
    """The address of one list element and what is wrong with it."""
    start = _unquoted_index(element, "<")
    if start < 0:
        if ">" in _unquoted(element):
            return _lenient(element), FromProblem.BAD_ANGLE
        if _ADDR_SPEC.fullmatch(element):
            return element, None
        address = _lenient(element)
        return address, FromProblem.BAD_ADDRESS if address else FromProblem.NO_ADDRESS
    name, rest = element[:start].strip(), element[start + 1 :]
    end = rest.find(">")
    inside = rest if end < 0 else rest[:end]
    address = inside.rsplit(":", 1)[-1].strip()  # RFC 5322 §4.4 obs-route "@a,@b:"
    problem: FromProblem | None = None
    if end < 0 or rest[end + 1 :].strip() or "<" in inside:
        problem = FromProblem.BAD_ANGLE
    elif not _PHRASE.fullmatch(name):
        problem = FromProblem.UNQUOTED_SPECIAL
    elif not _ADDR_SPEC.fullmatch(address):
        problem = FromProblem.BAD_ADDRESS
    if "@" not in address:
        return None, problem or FromProblem.NO_ADDRESS
    return address, problem


def _lenient(text: str) -> str | None:
    """What a receiver takes as the address of a malformed element: the last word with @."""
    words = [w.strip("<>\"'") for w in _unquoted(text).split() if "@" in w]
    return words[-1] if words and "@" in words[-1] else None


def _unquoted(text: str) -> str:
    return re.sub(_QUOTED, '""', text)


def _unquoted_index(text: str, char: str) -> int:
    """Where `char` first occurs outside a quoted string, or -1."""
    quoted = escaped = False
    for index, c in enumerate(text):
        if escaped:
            escaped = False
        elif c == "\\" and quoted:
            escaped = True
        elif c == '"':
            quoted = not quoted
        elif c == char and not quoted:
            return index
    return -1

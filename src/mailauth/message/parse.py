"""Read a saved message as bytes, split its header section, and refuse what is not a message.

The raw bytes are the evidence: DKIM and ARC signatures cover them exactly, so the message is
never parsed-and-reprinted before verification (a re-serialised message no longer verifies).
This module only *reads* the header section, for our own rules (From, Received, List-*), and
prepares one normalised copy for dkimpy (`ParsedMessage.dkim_bytes`, see `_for_dkim`).

Inputs are hostile until proven otherwise (a PNG renamed .eml, 10,000 header lines, NUL bytes):
anything that is not a message raises `MessageInputError` with one line a user can act on, and
the size limits below keep time and memory bounded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from mailauth.errors import InputError

# Limits. A message over MAX_MESSAGE_BYTES is refused before any work is done (the CLI reads at
# most MAX_MESSAGE_BYTES + 1 bytes, from a file or stdin, so a huge input never sits in
# memory). Real messages carry a few hundred header lines; a header section longer than
# MAX_HEADER_LINES or a single field longer than MAX_FIELD_BYTES is not something a mail
# server would have accepted.
MAX_MESSAGE_BYTES = 50 * 1024 * 1024
MAX_HEADER_LINES = 10_000
MAX_FIELD_BYTES = 1024 * 1024
# RFC 5322 §2.1.1: a line MUST be no more than 998 characters (plus CRLF).
RFC5322_LINE_LIMIT = 998

# RFC 5322 §2.2 / §4.5.3: field name = printable US-ASCII except ":", optionally followed by
# white space before the colon (obsolete syntax, still seen in old messages).
_FIELD = re.compile(rb"([\x21-\x39\x3b-\x7e]+)[ \t]*:")
_MBOX_FROM = re.compile(rb"From (?![ \t]*:)[^\r\n]*\r?\n")
_LONE_LF = re.compile(rb"(?<!\r)\n")
_MBOXRD_QUOTED = re.compile(rb"^>(>*From )", re.MULTILINE)

# Why an input is not a message, as a stable machine-readable code. Its text, with the
# error's integer parameters filled in, is the UI catalogue's `error.message.<code>`
# (mailauth.i18n), so the CLI can show it in the user's language.
InputErrorCode = Literal[
    "too-large",
    "empty",
    "no-header",
    "truncated",
    "line-too-long",
    "too-many-lines",
    "nul",
    "leading-space",
    "field-too-long",
    "first-line-not-field",
    "line-not-field",
]


class MessageInputError(InputError):
    """The input is not an email message (or exceeds a limit).

    `code` and `params` say why in a stable form (e.g. "too-many-lines", {"limit": 10000});
    `reason` is the same as one English line. The CLI prints it after the file name and goes
    on with the other files (exit status 2).
    """

    def __init__(self, code: InputErrorCode, **params: int) -> None:
        self.code: InputErrorCode = code
        super().__init__(f"error.message.{code}", **params)

    @property
    def reason(self) -> str:
        return self.diagnostics("en")


@dataclass(frozen=True)
class Header:
    """One header field as it appears in the message.

    `raw` is the field exactly as stored (folded, without the final line break); `value` is the
    unfolded text after the colon, decoded as UTF-8 with undecodable bytes replaced (8-bit
    headers happen) — good for our rules and for display, never for signatures.
    """

    name: str
    value: str
    raw: bytes
    line: int  # 1-based line number of the field's first line in the file

    @property
    def lname(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class ParsedMessage:
    """A message split into header fields, with the original bytes kept untouched.

    `dkim_bytes` is the message as it was sent, for signature verification (see `_for_dkim`);
    `body_offset` is where the body starts in `raw` (after the blank line).
    """

    raw: bytes
    headers: tuple[Header, ...]
    body_offset: int
    mbox_from: str | None = None
    bare_lf: bool = False
    longest_line: int = 0
    longest_line_no: int = 0
    dkim_bytes: bytes = field(default=b"", repr=False)

    @property
    def body(self) -> bytes:
        """The body as stored. Sliced on use, not at parse time: it is a copy of up to 50 MB
        that verification itself never needs (dkimpy reads `dkim_bytes`)."""
        return self.raw[self.body_offset :]

    def all(self, name: str) -> list[Header]:
        """Every field with this name, top (newest) first, as in the file."""
        lname = name.lower()
        return [h for h in self.headers if h.lname == lname]

    def values(self, name: str) -> list[str]:
        return [h.value for h in self.all(name)]

    def first(self, name: str) -> str | None:
        found = self.all(name)
        return found[0].value if found else None


def parse_message(raw: bytes) -> ParsedMessage:
    """Split `raw` into header fields and body; raise `MessageInputError` for non-messages."""
    if len(raw) > MAX_MESSAGE_BYTES:
        raise MessageInputError("too-large", limit_mb=MAX_MESSAGE_BYTES // (1024 * 1024))
    if not raw.strip():
        raise MessageInputError("empty")
    mbox_from = None
    start = 0
    match = _MBOX_FROM.match(raw)
    if match:  # mbox "From sender date" separator line: not part of the message (RFC 4155)
        mbox_from = raw[5 : match.end()].decode("latin-1").strip()
        start = match.end()
    headers, body_start, (longest, longest_no) = _split_header(raw, start)
    return ParsedMessage(
        raw=raw,
        headers=tuple(headers),
        body_offset=body_start,
        mbox_from=mbox_from,
        bare_lf=_LONE_LF.search(raw, start, body_start) is not None,
        longest_line=longest,
        longest_line_no=longest_no,
        dkim_bytes=_for_dkim(raw, start, body_start, mbox=mbox_from is not None),
    )


def _split_header(raw: bytes, pos: int) -> tuple[list[Header], int, tuple[int, int]]:
    """Walk the header section line by line; return fields, body offset and the longest
    line as (length, line number)."""
    headers: list[Header] = []
    current: list[bytes] = []  # the lines of the field being read
    current_line = current_size = 0
    lineno = 0
    longest = (0, 0)
    end = len(raw)
    while True:
        if pos >= end:
            if not headers and not current:
                raise MessageInputError("no-header")
            if not raw.endswith(b"\n"):
                raise MessageInputError("truncated")
            break  # headers only, no body (RFC 5322 §3.5 allows it)
        nl = raw.find(b"\n", pos, min(end, pos + MAX_FIELD_BYTES + 2))
        if nl < 0 and end - pos > MAX_FIELD_BYTES:
            raise MessageInputError(
                "line-too-long", line=lineno + 1, limit_kb=MAX_FIELD_BYTES // 1024
            )
        line_end = end if nl < 0 else nl + 1
        line = raw[pos:line_end].rstrip(b"\r\n")
        lineno += 1
        if len(line) > longest[0]:
            longest = (len(line), lineno)
        pos = line_end
        if not line:
            break  # the empty line that ends the header section (not a header line itself)
        if lineno > MAX_HEADER_LINES:
            raise MessageInputError("too-many-lines", limit=MAX_HEADER_LINES)
        if b"\x00" in line:
            raise MessageInputError("nul", line=lineno)
        if line[:1] in (b" ", b"\t"):
            if not current:
                raise MessageInputError("leading-space")
            current.append(line)
            current_size += len(line)
            if current_size > MAX_FIELD_BYTES:
                raise MessageInputError(
                    "field-too-long", line=current_line, limit_kb=MAX_FIELD_BYTES // 1024
                )
            continue
        if not _FIELD.match(line):
            if not headers and not current:
                raise MessageInputError("first-line-not-field")
            raise MessageInputError("line-not-field", line=lineno)
        if current:
            headers.append(_header(current, current_line))
        current, current_line, current_size = [line], lineno, len(line)
    if current:
        headers.append(_header(current, current_line))
    return headers, pos, longest


def _header(lines: list[bytes], lineno: int) -> Header:
    raw = b"\r\n".join(lines)
    match = _FIELD.match(lines[0])
    assert match is not None  # checked by the caller
    name = match.group(1).decode("ascii")
    value = b" ".join(part.strip(b" \t") for part in [lines[0][match.end() :], *lines[1:]])
    return Header(name, value.decode("utf-8", "replace").strip(), raw, lineno)


def _for_dkim(raw: bytes, start: int, body_start: int, *, mbox: bool) -> bytes:
    """The copy handed to dkimpy: the message as it was sent.

    Line endings: SMTP carries messages with CRLF (RFC 5321 §2.3.8) and DKIM signs that
    canonical form (RFC 6376 §3.4); mail clients that save a message with bare LF changed only
    the storage, so every lone LF becomes CRLF. dkimpy splits on `\\r?\\n` itself; doing it
    here makes the contract explicit and independent of dkimpy's internals.

    mbox: a file that starts with a `From ` separator line is an mbox export (RFC 4155). The
    line itself is dropped, and the body's `From ` quoting is undone: writers prefix body
    lines that begin with "From " with ">" so they cannot be read as a separator, and mboxrd
    writers also prefix lines that already begin with ">...From ". Removing one ">" from
    `>+From ` restores what was signed for mboxrd files and for the usual mboxo case (a body
    line "From ..."); only an original mboxo line that began ">From " cannot be restored, by
    any reader. A file without the separator (a saved .eml) is never unquoted.

    This copy is used for DKIM/ARC only; rules read `ParsedMessage.headers`.
    """
    message = raw[start:] if start else raw
    if message.count(b"\n") != message.count(b"\r\n"):  # some lone LF (cheap test first)
        # Same as _LONE_LF.sub(b"\r\n", ...), several times faster on a large body.
        message = message.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    if not mbox:
        return message
    # The body starts after the header section, whose length CRLF conversion changed.
    head = raw[start:body_start]
    head_len = len(head) + head.count(b"\n") - head.count(b"\r\n")
    return message[:head_len] + _MBOXRD_QUOTED.sub(rb"\1", message[head_len:])

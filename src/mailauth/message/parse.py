"""Read a saved message as bytes, split its header section, and refuse what is not a message.

The raw bytes are the evidence: DKIM and ARC signatures cover them exactly, so the message is
never parsed-and-reprinted before verification (a re-serialised message no longer verifies).
This module only *reads* the header section, for our own rules (From, Received, List-*), and
prepares one normalised copy for dkimpy (`ParsedMessage.dkim_bytes`, see message/dkimcopy.py).

Inputs are hostile until proven otherwise (a PNG renamed .eml, 10,000 header lines, NUL bytes):
anything that is not a message raises `MessageInputError` with one line a user can act on, and
the size limits below keep time and memory bounded.

A message that *is* mail but breaks RFC 5322 (spam and phishing often do, on purpose) is read
the way receivers read it, not refused: every departure is kept as a `HeaderDefect`, which
message/rules.py reports as a finding. What is read past, and how:

- a header line that is neither `Name:` nor a continuation: skipped (NOT_A_FIELD);
- a field name whose colon was folded onto the next line (`From\r\n :`): unfolded first, as
  receivers that unfold before parsing do, it is that field (FOLDED_NAME);
- white space before the colon (`From :`, RFC 5322 §4.5.3) and lines of only white space
  inside a field (obs-FWS, RFC 5322 §4.2): obsolete syntax, accepted as the RFC says;
- a line of only white space followed by a line that cannot belong to the header: it ends
  the header section, as the empty line should have (WHITESPACE_SEPARATOR);
- a file that ends inside the header without a line ending: the header as far as it goes,
  no body (NO_LINE_ENDING).
Only the first line decides whether the input is mail at all: one that is not a field (a
PNG, a text file, binary noise) is refused, as are NUL bytes and the size limits.
"""

from __future__ import annotations

import re
from dataclasses import field
from enum import Enum
from typing import TYPE_CHECKING, Literal

from mailauth.errors import InputError
from mailauth.frozen import frozen, mutable
from mailauth.message.dkimcopy import for_dkim, repaired_for_dkim

if TYPE_CHECKING:
    from mailauth.message.dkimverify import DkimMessage

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
_BARE_NAME = re.compile(rb"[\x21-\x39\x3b-\x7e]+[ \t]*")  # a name alone on its line
_WSP = (b" ", b"\t")
SHOWN_DEFECT_CHARS = 120  # a defective line is shown cut to this many characters
_MBOX_FROM = re.compile(rb"From (?![ \t]*:)[^\r\n]*\r?\n")
_LONE_LF = re.compile(rb"\n(?<!\r\n)")  # an LF not after a CR (LF first: a fast scan)

# Why an input is not a message, as a stable machine-readable code. Its text, with the
# error's integer parameters filled in, is the UI catalogue's `error.message.<code>`
# (mailauth.i18n), so the CLI can show it in the user's language.
InputErrorCode = Literal[
    "too-large",
    "empty",
    "no-header",
    "line-too-long",
    "too-many-lines",
    "nul",
    "leading-space",
    "field-too-long",
    "first-line-not-field",
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


class DefectKind(str, Enum):
    """How a header section departs from RFC 5322 in a way mailauth reads past, as receivers
    do, instead of refusing the message (see the module docstring)."""

    NOT_A_FIELD = "not-a-field"
    FOLDED_NAME = "folded-name"
    SPACE_BEFORE_COLON = "space-before-colon"
    WHITESPACE_LINE = "whitespace-line"
    WHITESPACE_SEPARATOR = "whitespace-separator"
    NO_LINE_ENDING = "no-line-ending"


@frozen
class HeaderDefect:
    """One departure from RFC 5322 in the header section, where it is and what it looks
    like. `text`: the line as written (decoded for display, cut to SHOWN_DEFECT_CHARS);
    `name`: the field it concerns, when it is read as one."""

    kind: DefectKind
    line: int  # 1-based line number in the file
    text: str
    name: str | None = None


@frozen
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


@frozen
class ParsedMessage:
    """A message split into header fields, with the original bytes kept untouched.

    `dkim_bytes` is the message as it was sent, for signature verification (message/dkimcopy.py);
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
    defects: tuple[HeaderDefect, ...] = ()
    # dkim_message()'s answer (a DkimMessage, or the exception it raised), made once.
    _dkim_view: list[DkimMessage | Exception] = field(
        default_factory=list, repr=False, compare=False
    )
    # The fields by lower-cased name, in file order, made on the first `all()`: verify asks
    # for some field names hundreds of times per message (issue 10). A list holding the one
    # finished index, like `_dkim_view`: worker threads may race to build it, and each
    # reader uses the first complete one.
    _by_name: list[dict[str, list[Header]]] = field(
        default_factory=list, init=False, repr=False, compare=False
    )

    def dkim_message(self) -> DkimMessage:
        """`dkim_bytes` split as the DKIM and ARC verifiers read it, once per message: the
        DKIM signatures and the ARC sets share its header index, key records and body hashes
        (one body hash per canonicalization and l= for all of them). Raises what
        `DkimMessage` raises (a header section dkimpy's reading refuses), every time."""
        if not self._dkim_view:
            from mailauth.message.dkimverify import DkimMessage  # dkimpy, cryptography: lazy

            try:
                split = self._dkim_split()
                view: DkimMessage | Exception = DkimMessage(
                    self.dkim_bytes, crlf_only=True, split=split
                )
            except Exception as exc:
                view = exc
            self._dkim_view.append(view)
        found = self._dkim_view[0]
        if isinstance(found, Exception):
            raise found
        return found

    def _dkim_split(self) -> tuple[list[tuple[bytes, bytes]], int] | None:
        """The header fields as dkimpy's reading splits `dkim_bytes` (message/dkimverify.py
        `_split`), taken from `headers` where the two readings cannot differ; None
        elsewhere (the verifier then splits `dkim_bytes` itself). They cannot differ when
        `dkim_bytes` is `raw` itself (no mbox line, no lone LF), every CR in the header
        section ends a line (a stray CR is content to dkimpy, a line ending to our reader's
        rstrip) and the reader met no defect (each defect is a line the two read
        differently). Then each field is `Name:value` with its lines joined by CRLF, as
        dkimpy keeps it (issue 10: the header section was read twice per message)."""
        raw, end = self.raw, self.body_offset
        if self.dkim_bytes is not raw or self.defects or self.mbox_from is not None:
            return None
        if raw.count(b"\r", 0, end) != raw.count(b"\r\n", 0, end):
            return None
        fields = [(h.raw[: len(h.name)], h.raw[len(h.name) + 1 :] + b"\r\n") for h in self.headers]
        return fields, end

    @property
    def body(self) -> bytes:
        """The body as stored. Sliced on use, not at parse time: it is a copy of up to 50 MB
        that verification itself never needs (dkimpy reads `dkim_bytes`)."""
        return self.raw[self.body_offset :]

    def all(self, name: str) -> list[Header]:
        """Every field with this name, top (newest) first, as in the file."""
        return list(self._named(name))

    def _named(self, name: str) -> list[Header] | tuple[()]:
        """`all(name)` without the copy, for the readers below (never handed out)."""
        if not self._by_name:
            index: dict[str, list[Header]] = {}
            for header in self.headers:
                index.setdefault(header.name.lower(), []).append(header)
            self._by_name.append(index)
        return self._by_name[0].get(name.lower(), ())

    def count(self, name: str) -> int:
        """How many fields have this name."""
        return len(self._named(name))

    def values(self, name: str) -> list[str]:
        return [h.value for h in self._named(name)]

    def first(self, name: str) -> str | None:
        found = self._named(name)
        return found[0].value if found else None


def parse_message(raw: bytes) -> ParsedMessage:
    """Split `raw` into header fields and body; raise `MessageInputError` for non-messages."""
    if len(raw) > MAX_MESSAGE_BYTES:
        raise MessageInputError("too-large", limit_mb=MAX_MESSAGE_BYTES // (1024 * 1024))
    if not raw or raw.isspace():  # `not raw.strip()` without copying up to 50 MB
        raise MessageInputError("empty")
    mbox_from = None
    start = 0
    match = _MBOX_FROM.match(raw)
    if match:  # mbox "From sender date" separator line: not part of the message (RFC 4155)
        mbox_from = raw[5 : match.end()].decode("latin-1").strip()
        start = match.end()
    section = _plain_section(raw, start) or _HeaderReader(raw, start).read()
    body_start = section.body_start
    mbox = mbox_from is not None
    repair = any(d.kind is not DefectKind.WHITESPACE_LINE for d in section.defects)
    return ParsedMessage(
        raw=raw,
        headers=tuple(section.headers),
        body_offset=body_start,
        mbox_from=mbox_from,
        bare_lf=_LONE_LF.search(raw, start, body_start) is not None,
        longest_line=section.longest[0],
        longest_line_no=section.longest[1],
        dkim_bytes=(
            repaired_for_dkim(raw, [(h.name, h.raw) for h in section.headers], body_start, mbox)
            if repair
            else for_dkim(raw, start, body_start, mbox)
        ),
        defects=tuple(section.defects),
    )


@mutable
class _Section:
    """The header section as `_HeaderReader` read it: its fields and their defects, where the
    body starts, and the longest line."""

    headers: list[Header] = field(default_factory=list)
    defects: list[HeaderDefect] = field(default_factory=list)
    body_start: int = 0
    longest: tuple[int, int] = (0, 0)  # (length, line number) of the longest header line


def _plain_section(raw: bytes, start: int) -> _Section | None:
    """The header section read in one pass over its lines, when it is plain: CRLF line
    endings only (no lone CR or LF, no NUL), under the size limits, ended by an empty line,
    and every line a `Name:` field or a continuation with text on it. None otherwise: then
    `_HeaderReader` reads it, defects, refusals and all. Where this answers, the reader
    gives the same section (no defect, the same fields, line numbers and longest line;
    tests/unit/message/test_parse_plain.py holds the two to it on every message the suite
    has): it skips the reader's per-line bookkeeping, ~a third of the parse of a small
    message (issue 10)."""
    sep = raw.find(b"\r\n\r\n", start)
    if sep <= start or sep - start > MAX_FIELD_BYTES:
        return None
    head = raw[start:sep]
    crlfs = head.count(b"\r\n")
    if head.count(b"\r") != crlfs or head.count(b"\n") != crlfs or b"\x00" in head:
        return None
    lines = head.split(b"\r\n")
    if len(lines) >= MAX_HEADER_LINES or not lines[0] or lines[0][0] in (32, 9):
        return None  # (an empty first line: a CRLF before the header, the reader's case)
    out = _Section(body_start=sep + 4)
    longest = number = group_line = 0
    group: list[bytes] = []
    for number, line in enumerate(lines, 1):
        if len(line) > longest:
            longest, out.longest = len(line), (len(line), number)
        if line[0] in (32, 9):  # a continuation line (never empty: sep is the first)
            if not line.strip(b" \t"):
                return None  # a line of white space: the reader says what it is
            group.append(line)
            continue
        if group and not _plain_field(out, group, group_line):
            return None
        group, group_line = [line], number
    return out if _plain_field(out, group, group_line) else None


def _plain_field(out: _Section, lines: list[bytes], lineno: int) -> bool:
    """Add the field in `lines` if it is `Name:` (no white space before the colon)."""
    match = _FIELD.match(lines[0])
    if match is None or match.end() - 1 > match.end(1):
        return False
    out.headers.append(_header(lines, lineno, match, 0))
    return True


class _HeaderReader:
    """Walks the header section line by line. A field is its first line and the continuation
    lines after it (they start with white space); it is judged when the next one starts, so
    a name folded away from its colon can still be read as the field it is."""

    def __init__(self, raw: bytes, pos: int) -> None:
        self.raw, self.pos, self.end = raw, pos, len(raw)
        self.out = _Section()
        self.lineno = 0
        self.group: list[bytes] = []  # the lines of the field being read
        self.group_line = self.group_size = 0
        self.cut_line = 0  # the line the file ends on without a line ending, if any

    def read(self) -> _Section:
        while True:
            if self.pos >= self.end:
                if not self.out.headers and not self.group:
                    raise MessageInputError("no-header")
                break  # headers only, no body (RFC 5322 §3.5 allows it)
            line, self.pos = self._line(self.pos)
            if not line:
                break  # the empty line that ends the header section (not a header line itself)
            if self.lineno > MAX_HEADER_LINES:
                raise MessageInputError("too-many-lines", limit=MAX_HEADER_LINES)
            if b"\x00" in line:
                raise MessageInputError("nul", line=self.lineno)
            if self.pos >= self.end and not self.raw.endswith(b"\n"):
                self.cut_line = self.lineno
                self._defect(DefectKind.NO_LINE_ENDING, line)
            if line[:1] in _WSP:
                if not self.group:
                    raise MessageInputError("leading-space")
                if not line.strip(b" \t") and self._ends_header():
                    self._defect(DefectKind.WHITESPACE_SEPARATOR, line)
                    break
                self._continue(line)
                continue
            self._finish()
            self.group, self.group_line, self.group_size = [line], self.lineno, len(line)
        self._finish()
        self.out.body_start = self.pos
        return self.out

    def _line(self, pos: int) -> tuple[bytes, int]:
        """The line at `pos` without its line ending, and where the next one starts."""
        nl = self.raw.find(b"\n", pos, min(self.end, pos + MAX_FIELD_BYTES + 2))
        if nl < 0 and self.end - pos > MAX_FIELD_BYTES:
            raise MessageInputError(
                "line-too-long", line=self.lineno + 1, limit_kb=MAX_FIELD_BYTES // 1024
            )
        line_end = self.end if nl < 0 else nl + 1
        line = self.raw[pos:line_end].rstrip(b"\r\n")
        self.lineno += 1
        if len(line) > self.out.longest[0]:
            self.out.longest = (len(line), self.lineno)
        return line, line_end

    def _ends_header(self) -> bool:
        """A line of only white space is obs-FWS inside a field (RFC 5322 §4.2) when a header
        line follows it; followed by a line that cannot belong to the header (or by nothing),
        it stands where the empty line should, and the header ends there."""
        if self.pos >= self.end:
            return True
        nl = self.raw.find(b"\n", self.pos, min(self.end, self.pos + MAX_FIELD_BYTES + 2))
        following = self.raw[self.pos : self.end if nl < 0 else nl].rstrip(b"\r")
        if not following or following[:1] in _WSP:
            return False
        return _FIELD.match(following) is None

    def _continue(self, line: bytes) -> None:
        if not line.strip(b" \t"):
            self._defect(DefectKind.WHITESPACE_LINE, line)
        self.group.append(line)
        self.group_size += len(line)
        if self.group_size > MAX_FIELD_BYTES:
            raise MessageInputError(
                "field-too-long", line=self.group_line, limit_kb=MAX_FIELD_BYTES // 1024
            )

    def _finish(self) -> None:
        """Judge the field just read: a field, a field in obsolete or folded syntax, or a
        line that is no field at all (refused if it is the first: then this is not mail)."""
        lines, lineno = self.group, self.group_line
        if not lines:
            return
        self.group = []
        match = _FIELD.match(lines[0])
        if match is not None:
            header = _header(lines, lineno, match, 0)
            if match.end() - 1 > match.end(1):  # RFC 5322 §4.5.3 obs-optional: "Name :"
                self._defect(DefectKind.SPACE_BEFORE_COLON, lines[0], lineno, header.name)
            self.out.headers.append(header)
            return
        colon = next((i for i, ln in enumerate(lines) if ln.lstrip(b" \t")[:1] == b":"), 0)
        match = _FIELD.match(b"".join(lines))
        if colon and match is not None and _BARE_NAME.fullmatch(lines[0]):
            header = _header(lines, lineno, match, colon)
            # Shown with the fold written out, so the split is visible on one line.
            shown = b"\\r\\n".join(lines[: colon + 1])
            self._defect(DefectKind.FOLDED_NAME, shown, lineno, header.name)
            self.out.headers.append(header)
            return
        if not self.out.headers:
            raise MessageInputError("first-line-not-field")
        if lineno <= self.cut_line < lineno + len(lines):
            return  # the file was cut off in this line: NO_LINE_ENDING says it
        self._defect(DefectKind.NOT_A_FIELD, lines[0], lineno)

    def _defect(
        self, kind: DefectKind, text: bytes, line: int = 0, name: str | None = None
    ) -> None:
        shown = text[: SHOWN_DEFECT_CHARS * 4].decode("utf-8", "replace")[:SHOWN_DEFECT_CHARS]
        self.out.defects.append(HeaderDefect(kind, line or self.lineno, shown, name))


def _header(lines: list[bytes], lineno: int, match: re.Match[bytes], colon_line: int) -> Header:
    """A field from its lines; `colon_line`: the line its colon is on (0, or the line a
    folded name's colon was moved to), `match` the name and colon on the unfolded text."""
    name = match.group(1).decode("ascii")
    if len(lines) == 1:  # most fields: one line, no fold to join
        value = lines[0][match.end() :].strip(b" \t")
        return _new_header(name, value.decode("utf-8", "replace").strip(), lines[0], lineno)
    raw = b"\r\n".join(lines)
    first = lines[colon_line].lstrip(b" \t")[1:] if colon_line else lines[0][match.end() :]
    parts = [first, *lines[colon_line + 1 :]]
    value = b" ".join(part.strip(b" \t") for part in parts)
    return _new_header(name, value.decode("utf-8", "replace").strip(), raw, lineno)


def _new_header(name: str, value: str, raw: bytes, line: int) -> Header:
    """`Header(name, value, raw, line)` without the frozen `__init__`'s four
    `object.__setattr__` calls: a message has dozens of fields, and this ran for each
    (issue 10). Header has no `__post_init__`; tests/unit/message/test_parse_plain.py holds
    the result to the constructor's."""
    header = object.__new__(Header)
    header.__dict__.update(name=name, value=value, raw=raw, line=line)
    return header

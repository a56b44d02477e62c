"""Read one zone file's text into a dnspython zone, and say where every error is.

dnspython gives a line for what its tokenizer rejects, but not for what its zone transaction
rejects (a CNAME beside other data at one name, RFC 1034 §3.6.2, found when the second
record is stored) nor for a bad owner name, and it never says which name a bad record
belongs to. This reader remembers where each record starts, its owner name and the first
line of every name, so every error carries a line and, inside a record, a name.

Only `load_zone` (dns/zonefile.py) uses it; it raises `ZoneReadError`, which that module turns
into the user-facing `ZoneLoadError`.
"""

from __future__ import annotations

import re
from typing import Any, Literal

import dns.exception
import dns.name
import dns.rdataclass
import dns.rdataset
import dns.tokenizer
import dns.transaction
import dns.zone
import dns.zonefile

from mailauth.dns.answer import name_text
from mailauth.dns.zone_syntax import SyntaxCode, syntax_code
from mailauth.errors import reraise_interrupt

_LINE_ERROR = re.compile(r":(\d+): (.*)$", re.DOTALL)
# The `ZoneErrorCode`s (dns/zonefile.py) this reader can raise.
ReadErrorCode = Literal[SyntaxCode, "cname-and-other-data"]


class ZoneReadError(Exception):
    """Why the text did not load: a `ZoneLoadError` code, the line and the owner name (None
    when the error is not inside a record, e.g. a bad $TTL), and the code's params."""

    def __init__(
        self, code: ReadErrorCode, line: int | None, name: str | None, **params: Any
    ) -> None:
        self.code, self.line, self.name, self.params = code, line, name, params
        super().__init__(f"{line}: {name}: {code} {params}")


class _Reader(dns.zonefile.Reader):
    """dnspython's reader, noting the start line and owner of the record being read."""

    def __init__(self, tok: dns.tokenizer.Tokenizer, txn: dns.transaction.Transaction) -> None:
        self.line: int | None = None  # first line of the record being read
        self.in_record = False  # an error now is inside that record
        self.generating = False  # that record is a $GENERATE line (its owners are made up)
        self.written: str | None = None  # its owner as written (None: the previous one's)
        self.before: dns.name.Name | None = None  # the owner before this record
        self.stored: dns.name.Name | None = None  # the name of the last record stored
        self.first: dict[dns.name.Name, int] = {}  # the first line of every name
        # The first line of every RRset, (name, type) -> line: where a report points
        # (dns/origins.py).
        self.lines: dict[tuple[dns.name.Name, int], int] = {}
        # Before dnspython's own CNAME check (which __init__ adds): ours runs first and
        # records the name that check is about to refuse.
        txn.check_put_rdataset(self._note)
        super().__init__(tok, dns.rdataclass.IN, txn, allow_include=False)

    def _start(self) -> None:
        self.line = self.tok.where()[1]
        self.in_record = True

    def _rr_line(self) -> None:
        self._start()
        self.generating = False
        first = self.tok.get(want_leading=True)
        self.tok.unget(first)
        self.written = None if first.is_whitespace() else str(first.value)
        self.before = self.last_name
        super()._rr_line()
        self.in_record = False

    def _generate_line(self) -> None:
        self._start()
        self.generating = True
        super()._generate_line()  # type: ignore[no-untyped-call]
        self.in_record = False

    def _note(
        self, txn: dns.transaction.Transaction, name: dns.name.Name, rds: dns.rdataset.Rdataset
    ) -> None:
        self.stored = name
        if self.line is not None:
            self.first.setdefault(name, self.line)
            self.lines.setdefault((name, int(rds.rdtype)), self.line)

    def owner(self) -> str | None:
        """The owner of the record being read: the name parsed, or as written when it could
        not be parsed; None outside a record."""
        if not self.in_record or self.generating:
            return None
        if self.written is not None and self.last_name is self.before:
            return self.written  # the owner field itself was refused
        return name_text(self.last_name) if self.last_name is not None else self.written


def read_zone(
    text: str,
    origin: dns.name.Name,
    filename: str,
    lines: dict[tuple[dns.name.Name, int], int] | None = None,
) -> dns.zone.Zone:
    """Parse `text` (one zone file, $INCLUDE refused) into a zone with absolute names, as
    `dns.zone.from_text(..., relativize=False, check_origin=False)` does. Raises
    `ZoneReadError`. `lines`, when given, receives the first line of every RRset."""
    zone = dns.zone.Zone(origin, dns.rdataclass.IN, relativize=False)
    with zone.writer(True) as txn:
        reader = _Reader(dns.tokenizer.Tokenizer(text, filename), txn)
        try:
            reader.read()
        except (dns.exception.DNSException, ValueError) as exc:
            reraise_interrupt(exc)  # dnspython wraps Ctrl-C too
            raise _read_error(reader, exc) from exc
    if lines is not None:
        lines.update(reader.lines)
    return zone


def _read_error(reader: _Reader, exc: Exception) -> ZoneReadError:
    """The `ZoneReadError` for what dnspython raised."""
    if isinstance(exc, dns.zonefile.CNAMEAndOtherData):
        name = reader.stored
        where = reader.first.get(name) if name is not None else None
        return ZoneReadError(
            "cname-and-other-data",
            reader.line,
            name_text(name) if name is not None else reader.owner(),
            other_line=where if where is not None else reader.line,
        )
    if isinstance(exc, dns.exception.SyntaxError):
        m = _LINE_ERROR.search(str(exc))
        message = m.group(2) if m else str(exc)
    else:
        message = str(exc) or type(exc).__name__
    code, params = syntax_code(message)
    return ZoneReadError(code, _line(reader), reader.owner(), **params)


def _line(reader: _Reader) -> int:
    """Where the entry that failed is: the record's first line; else the line of the last
    token read. dnspython names the line after it when that token ended its line (the
    newline read and put back has already been counted), so that one is taken back."""
    if reader.in_record and reader.line is not None:
        return reader.line
    line = reader.tok.where()[1]
    return line - 1 if reader.tok.ungotten_char == "\n" else line

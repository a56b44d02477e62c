"""Reading the inputs of a bulk `check`: `--domains-file FILE` and `--dkim-selectors FILE`.

A domains file is what people keep: one domain per line, `#` comments on their own line or
after a domain, blank lines, Unicode names (IDN, normalised by `mailauth.names`), the same
domain twice (kept once, first place wins); or a CSV export with a `domain` column (a
spreadsheet of the domains to survey, other columns ignored). `-` reads standard input.
Every name is checked before any query, and a bad one is an error naming the file and line,
so one typo does not waste a long run.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from mailauth.errors import InputError, os_reason
from mailauth.model import Phrase
from mailauth.names import normalize_domain

# The largest list read (bytes): 100,000 domains take ~2 MB; 256 MiB is a mistake (a disk
# image, a log file), refused before it fills memory.
MAX_LIST_BYTES = 256 * 2**20
CSV_COLUMN = "domain"


def read_text(path: str, stdin: io.BufferedIOBase | None = None) -> str:
    """The file's text (`-`: standard input). Raises InputError for a missing, unreadable,
    oversized or non-UTF-8 file."""
    return decode_list(read_bytes(path, stdin), path)


def read_bytes(path: str, stdin: io.BufferedIOBase | None = None) -> bytes:
    """The file's bytes (`-`: standard input). Raises InputError for a missing, unreadable
    or oversized file."""
    try:
        if path == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            data = stream.read(MAX_LIST_BYTES + 1)
        else:
            if Path(path).is_dir():
                raise InputError("error.path", path=path, reason=Phrase("error.os.eisdir"))
            with open(path, "rb") as f:
                data = f.read(MAX_LIST_BYTES + 1)
    except OSError as exc:
        raise InputError("error.path", path=path, reason=os_reason(exc)) from None
    if len(data) > MAX_LIST_BYTES:
        raise InputError("error.list.too-large", path=path, limit_mb=MAX_LIST_BYTES // 2**20)
    return data


def decode_list(data: bytes, path: str) -> str:
    """A list's text; raises InputError when it is not UTF-8 (a BOM is allowed)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError("error.list.not-utf8", path=path, offset=exc.start) from None


def _entries(text: str) -> Iterator[tuple[int, str]]:
    """(line number, entry) for each line that holds something besides a comment."""
    for number, line in enumerate(text.splitlines(), start=1):
        entry = line.split("#", 1)[0].strip()
        if entry:
            yield number, entry


def _csv_entries(text: str, path: str) -> Iterator[tuple[int, str]] | None:
    """The `domain` column of a CSV file, or None when the first entry is no CSV header
    naming it (then the file is a plain list)."""
    lines = [(n, e) for n, e in _entries(text)][:1]
    if not lines or "," not in lines[0][1]:
        return None
    header = [h.strip().lower() for h in next(csv.reader([lines[0][1]]))]
    if CSV_COLUMN not in header:
        raise InputError("error.list.csv-no-domain-column", path=path, line=lines[0][0])
    column = header.index(CSV_COLUMN)
    rows = [(n, line) for n, line in enumerate(text.splitlines(), start=1)]
    body = [(n, line) for n, line in rows if line.strip() and not line.lstrip().startswith("#")]

    def cells() -> Iterator[tuple[int, str]]:
        for number, line in body[1:]:  # one record per line: a domain has no line break
            row = next(csv.reader([line]), [])
            value = row[column].strip() if column < len(row) else ""
            if value:
                yield number, value

    return cells()


def parse_domains(text: str, path: str, lang: str = "en") -> list[str]:
    """The domains of a list (A-labels, duplicates dropped, in order). Raises InputError for
    a line that is not one usable domain, naming the file and line. The error's reason is
    words (a `Phrase`), shown in whatever language the error is printed in; `lang` is kept
    for callers written before that."""
    entries: Iterable[tuple[int, str]] = _csv_entries(text, path) or _entries(text)
    seen: dict[str, None] = {}
    for number, entry in entries:
        if len(entry.split()) > 1:
            several = Phrase("error.list.several")
            raise InputError("error.list.line", path=path, line=number, reason=several)
        try:
            seen.setdefault(normalize_domain(entry), None)
        except InputError as exc:  # its words, rendered in the language the error is shown in
            reason = Phrase(exc.key, dict(exc.params))
            raise InputError("error.list.line", path=path, line=number, reason=reason) from None
    if not seen:
        raise InputError("error.list.empty", path=path)
    return list(seen)


def read_domains(path: str, lang: str = "en", stdin: io.BufferedIOBase | None = None) -> list[str]:
    return parse_domains(read_text(path, stdin), path, lang)


def read_domains_digest(
    path: str, lang: str = "en", stdin: io.BufferedIOBase | None = None
) -> tuple[list[str], str]:
    """The domains of a list and the SHA-256 (hex) of its bytes, for the scan manifest."""
    import hashlib

    data = read_bytes(path, stdin)
    return parse_domains(decode_list(data, path), path, lang), hashlib.sha256(data).hexdigest()


def read_selectors(path: str, lang: str = "en") -> tuple[str, ...]:
    """A DKIM selector list: one selector per line, `#` comments, blank lines; each must be
    a DNS name (`valid_selector`). Duplicates are dropped."""
    from mailauth.domain.dkim_selectors import valid_selector

    text = read_text(path)
    out: dict[str, None] = {}
    for number, entry in _entries(text):
        selector = entry.lower().rstrip(".")
        if len(entry.split()) > 1 or not valid_selector(selector):
            raise InputError(
                "error.list.line",
                path=path,
                line=number,
                reason=Phrase("error.list.selector", {"selector": entry}),
            )
        out.setdefault(selector, None)
    if not out:
        raise InputError("error.list.empty", path=path)
    return tuple(out)

"""Scan results in: JSONL files of `mailauth check`, shards merged, one report per domain.

A survey split with `check --shard K/N` writes one file per shard, and a resumed scan may
hold a domain twice; both are merged here the same way, keyed by domain, so the shards given
as several files or concatenated into one give the same statistics. Of two reports of one
domain the newer `checked_at` wins; when either has none, the later one read wins (later
file, later line).

Bad input never ends the run: a line that is not a check report is counted and skipped (the
first few are named, file and line), and a file that cannot be read is named and skipped.
`ScanInput.reports_read` tells the CLI whether anything was read at all.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from mailauth.errors import os_reason
from mailauth.frozen import frozen
from mailauth.model import Phrase
from mailauth.stats.facts import DomainFacts, MalformedReport, facts_of

MAX_NAMED = 10  # malformed lines named one by one; the rest are counted


@frozen
class BadLine:
    path: str
    line: int
    reason: Phrase


@frozen
class UnreadableFile:
    path: str
    reason: Phrase


@dataclass
class ScanInput:
    """The merged reports of one scan (one or more files)."""

    sources: tuple[str, ...] = ()
    domains: dict[str, DomainFacts] = field(default_factory=dict)
    reports_read: int = 0
    duplicates: int = 0
    malformed: int = 0
    bad_lines: list[BadLine] = field(default_factory=list)  # the first MAX_NAMED
    unreadable: list[UnreadableFile] = field(default_factory=list)

    @property
    def facts(self) -> list[DomainFacts]:
        """Every domain once, in name order (the same whatever order the shards came in)."""
        return [self.domains[d] for d in sorted(self.domains)]

    @property
    def checked_from(self) -> datetime | None:
        return min((f.checked_at for f in self.domains.values() if f.checked_at), default=None)

    @property
    def checked_to(self) -> datetime | None:
        return max((f.checked_at for f in self.domains.values() if f.checked_at), default=None)

    def add(self, facts: DomainFacts) -> None:
        self.reports_read += 1
        old = self.domains.get(facts.domain)
        if old is not None:
            self.duplicates += 1
            if _older(facts, old):
                return
        self.domains[facts.domain] = facts

    def bad(self, path: str, line: int, reason: Phrase) -> None:
        self.malformed += 1
        if len(self.bad_lines) < MAX_NAMED:
            self.bad_lines.append(BadLine(path, line, reason))


def _older(new: DomainFacts, old: DomainFacts) -> bool:
    """The report read later is kept unless both are dated and it is the older one."""
    if new.checked_at is None or old.checked_at is None:
        return False
    return new.checked_at < old.checked_at


def read_scan(paths: Iterable[str], stdin: BinaryIO | None = None) -> ScanInput:
    """Every report in `paths` (`-` is standard input), merged by domain."""
    scan = ScanInput()
    names = list(paths)
    scan.sources = tuple(names)
    for path in names:
        try:
            for number, line in _lines(path, stdin):
                _read_line(scan, path, number, line)
        except OSError as exc:
            scan.unreadable.append(UnreadableFile(path, os_reason(exc)))
    return scan


def _read_line(scan: ScanInput, path: str, number: int, line: bytes) -> None:
    text = line.strip()
    if not text:
        return
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        scan.bad(path, number, _json_reason(exc))
        return
    try:
        scan.add(facts_of(doc))
    except MalformedReport as exc:
        scan.bad(path, number, Phrase(exc.key))


def _json_reason(exc: Exception) -> Phrase:
    if isinstance(exc, UnicodeDecodeError):
        return Phrase("stats.bad.not-utf8")
    return Phrase("stats.bad.not-json")


def _lines(path: str, stdin: BinaryIO | None) -> Iterator[tuple[int, bytes]]:
    """Numbered lines, read as bytes (decoded per line, so one bad byte costs one line)."""
    if path == "-":
        stream: BinaryIO = stdin if stdin is not None else io.BytesIO()
        yield from enumerate(stream, 1)
        return
    if Path(path).is_dir():
        raise IsADirectoryError(21, "Is a directory")
    with open(path, "rb") as f:
        yield from enumerate(f, 1)

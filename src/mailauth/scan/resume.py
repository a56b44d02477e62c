"""`--resume`: which domains an interrupted scan's output file already holds.

A scan writes one whole line per finished domain (`render/line_file.py`), so after Ctrl-C or
SIGTERM the file is valid as it stands; after SIGKILL, a power cut or a full disk its last
line may be torn (no line end). `read_done` cuts such a tail off (that domain is simply
checked again), then reads every remaining line and collects the `domain` of each: JSON
Lines objects, or the rows of the CSV format under its header. A line that is whole but not
a report is not ours to drop: the file is refused (exit 2) and left exactly as it was, so
results already written are never lost. A missing file is an empty start, so the same
command line (a Kubernetes Job restarting a pod) can always be run with --resume.
"""

from __future__ import annotations

import csv
import json
import os
import stat
from pathlib import Path

from mailauth.errors import MailauthError
from mailauth.frozen import frozen
from mailauth.model import Phrase
from mailauth.render.interface import Format

# The formats whose files can be resumed: one report per line.
RESUMABLE = (Format.JSONL, Format.CSV)
FILE_KEY = "error.resume.file"  # the file as a whole (unreadable, not a regular file)
_CHUNK = 64 * 1024


class ResumeError(MailauthError):
    """An output file that cannot be resumed: `reason` is a catalogue phrase."""

    key = "error.resume.unreadable"


@frozen
class ResumePoint:
    """What the output file holds before the resumed run appends to it."""

    done: frozenset[str]  # the domains (A-labels) with a report in the file
    reports: int  # report lines in the file (a domain listed twice counts twice)
    dropped_bytes: int  # the torn last line cut off (0: the file ended cleanly)
    existed: bool  # False: no file yet, the scan starts from the beginning
    has_header: bool  # a CSV file whose header line is already written


EMPTY = ResumePoint(frozenset(), 0, 0, existed=False, has_header=False)


def read_done(path: Path, fmt: Format) -> ResumePoint:
    """Repair a torn tail of `path` and return the domains it holds. Raises ResumeError."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return EMPTY
    except OSError as exc:
        raise ResumeError(FILE_KEY, path=str(path), reason=_os_phrase(exc)) from None
    if not stat.S_ISREG(mode):
        raise ResumeError(FILE_KEY, path=str(path), reason=Phrase("error.resume.not-a-file"))
    try:
        dropped = repair_tail(path)
        reader = _csv_domains if fmt is Format.CSV else _jsonl_domains
        done, count, header = reader(path)
    except OSError as exc:
        raise ResumeError(FILE_KEY, path=str(path), reason=_os_phrase(exc)) from None
    except UnicodeDecodeError:
        reason = Phrase("error.resume.not-a-report")
        raise ResumeError(FILE_KEY, path=str(path), reason=reason) from None
    return ResumePoint(frozenset(done), count, dropped, existed=True, has_header=header)


def repair_tail(path: Path) -> int:
    """Cut whatever follows the last line end (a line torn by a kill); returns the bytes
    cut. A file with no line end at all is emptied (its only line was torn)."""
    with open(path, "r+b") as f:
        size = f.seek(0, os.SEEK_END)
        end = size
        while end > 0:
            start = max(0, end - _CHUNK)
            f.seek(start)
            chunk = f.read(end - start)
            at = chunk.rfind(b"\n")
            if at >= 0:
                keep = start + at + 1
                break
            end = start
        else:
            keep = 0
        if keep < size:
            f.truncate(keep)
            f.flush()
            os.fsync(f.fileno())
        return size - keep


def _jsonl_domains(path: Path) -> tuple[set[str], int, bool]:
    done: set[str] = set()
    count = 0
    with open(path, "rb") as f:
        for number, raw in enumerate(f, start=1):
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw)
            except ValueError:
                obj = None
            domain = obj.get("domain") if isinstance(obj, dict) else None
            if not isinstance(domain, str) or not domain:
                reason = Phrase("error.resume.not-a-report")
                raise ResumeError(path=str(path), line=number, reason=reason)
            done.add(domain)
            count += 1
    return done, count, False


def _csv_domains(path: Path) -> tuple[set[str], int, bool]:
    from mailauth.render.csv_rows import DOMAIN_COLUMNS

    done: set[str] = set()
    count = 0
    with open(path, encoding="utf-8", newline="") as f:
        rows = csv.reader(f)
        header = next(rows, None)
        if header is None:
            return done, 0, False
        if tuple(header) != DOMAIN_COLUMNS:
            raise ResumeError(path=str(path), line=1, reason=Phrase("error.resume.csv-header"))
        column = DOMAIN_COLUMNS.index("domain")
        for row in rows:
            if not row:
                continue
            if len(row) != len(DOMAIN_COLUMNS) or not row[column]:
                reason = Phrase("error.resume.not-a-report")
                raise ResumeError(path=str(path), line=rows.line_num, reason=reason)
            done.add(row[column])
            count += 1
    return done, count, True


def _os_phrase(exc: OSError) -> Phrase:
    from mailauth.errors import os_reason

    return os_reason(exc)

"""`--format csv`: one row per report, for a spreadsheet or a survey script. The header is
written first and each row as its report is ready (streaming, flat memory).

A domain row: the score and grade, every check's status (one `<check>_status` column per
registry check, in report order) and the key values a survey counts: the DMARC policy and
whether it has rua, the SPF lookup count and `all` qualifier, the DKIM selectors found, null
MX, the number of findings and their ids. A message row: the score, grade and the SPF, DKIM
and DMARC results. Columns are an interface (scripts read them by name): add, never rename.

No cell holds record text (only names, enums, counts and ids); a message's file name, the
one free text, is given a leading apostrophe when a spreadsheet would run it as a formula
(starting with = + - @: OWASP CSV injection).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from typing import TextIO

from mailauth.domain.dkim import DkimReport
from mailauth.domain.dmarc import DmarcReport
from mailauth.domain.mx import MxReport
from mailauth.domain.registry import DOMAIN_CHECKS
from mailauth.domain.runner import DomainReport
from mailauth.domain.spf import SpfReport
from mailauth.message.report import MessageReport
from mailauth.model import Result, Status
from mailauth.render.environment import Environment

Cell = str | int | bool | None

DOMAIN_COLUMNS: tuple[str, ...] = (
    "domain",
    "unicode_domain",
    "score",
    "grade",
    "complete",
    "domain_exists",
    *(f"{spec.name}_status" for spec in DOMAIN_CHECKS),
    "dmarc_policy",
    "dmarc_rua",
    "spf_lookups",
    "spf_all",
    "dkim_selectors",
    "null_mx",
    "findings",
    "finding_ids",
)
MESSAGE_COLUMNS: tuple[str, ...] = (
    "file",
    "score",
    "grade",
    "spf",
    "dkim",
    "dmarc",
    "from_domain",
    "findings",
    "finding_ids",
)


class _CsvWriter:
    """The header at open, then one row per `write_row`."""

    def __init__(self, out: TextIO, columns: Sequence[str]) -> None:
        self._out = out
        self._csv = csv.writer(out, lineterminator="\n")
        self._csv.writerow(columns)
        self._out.flush()

    def write_row(self, cells: Sequence[Cell]) -> None:
        self._csv.writerow([_cell(c) for c in cells])
        self._out.flush()

    def close(self) -> None:
        self._out.flush()


class DomainCsvWriter(_CsvWriter):
    def __init__(self, sink: Environment, expected: int | None) -> None:
        super().__init__(sink.stdout, DOMAIN_COLUMNS)

    def emit(self, report: DomainReport) -> None:
        self.write_row(domain_row(report))


class MessageCsvWriter(_CsvWriter):
    def __init__(self, sink: Environment, expected: int | None) -> None:
        super().__init__(sink.stdout, MESSAGE_COLUMNS)

    def emit(self, report: MessageReport) -> None:
        self.write_row(message_row(report))


def domain_row(r: DomainReport) -> list[Cell]:
    """The cells of one domain, in `DOMAIN_COLUMNS` order."""
    spf, dmarc, dkim, mx = (r.checks.get(n) for n in ("spf", "dmarc", "dkim", "mx"))
    statuses = [
        (r.checks[s.name].status.value if s.name in r.checks else None) for s in DOMAIN_CHECKS
    ]
    policy = rua = lookups = qualifier = selectors = null_mx = None
    if isinstance(dmarc, DmarcReport):
        found = dmarc.discovery.policy
        policy = found.value if found is not None else "missing"
        rua = bool(dmarc.record.rua) if dmarc.record is not None else False
    if isinstance(spf, SpfReport) and spf.record:
        lookups, qualifier = spf.dns_lookups, spf.effective_all
    if isinstance(dkim, DkimReport):
        selectors = " ".join(s.selector for s in dkim.selectors if s.status is not Status.FAIL)
    if isinstance(mx, MxReport):
        null_mx = mx.null_mx
    ids = " ".join(f.id for f in r.findings)
    return [
        r.domain,
        r.unicode_domain,
        r.score.score if r.scored else None,
        r.score.grade if r.scored else None,
        r.complete,
        r.exists,
        *statuses,
        policy,
        rua,
        lookups,
        qualifier,
        selectors,
        null_mx,
        len(r.findings),
        ids,
    ]


def message_row(r: MessageReport) -> list[Cell]:
    """The cells of one message, in `MESSAGE_COLUMNS` order."""
    dkim = " ".join(f"{s.domain}:{s.result.value}" for s in r.dkim) or Result.NONE.value
    return [
        _inert(r.file),
        r.score.score,
        r.score.grade,
        r.spf.result.value,
        dkim,
        r.dmarc.result.value,
        r.from_domain,
        len(r.findings),
        " ".join(f.id for f in r.findings),
    ]


def _cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _inert(text: str) -> str:
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text

"""What a store knows it holds, so that most new reports need no duplicate query.

Every import asks which stored reports are near the new one (`SqliteStore._neighbours`:
the same reporter's same report id, or a range of the same reporter and domain that
holds it, lies inside it or overlaps it). For a run over a month of single-record
reports that query was a tenth of the import, and its answer is nearly always "none":
reports arrive one day after the other. So the store keeps, per reporter seen in the
run, its report ids and, per domain, the lowest and highest timestamp of any stored
range (begin or end); a report whose id is not among them and whose range lies wholly
after (or before) every stored timestamp has no neighbour, and the query is skipped.

The summary only needs to be a superset of what is stored: a report rolled back or
superseded afterwards only makes it answer "maybe" (then the query runs) more often.
It is loaded with one query per reporter, the first time the reporter is met, and held
only while no other connection writes (`PRAGMA data_version`, checked by the store at
the start of each write transaction). A reporter with more than MAX_PER_ORG stored
reports, or more than MAX_KNOWN report ids in all, is not summarised: its reports are
asked about as before, so memory stays bounded.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import field

from mailauth.frozen import mutable

MAX_PER_ORG = 20_000
MAX_KNOWN = 200_000

# (report id, domain, begin, end) of at most `limit` stored reports of one reporter.
Loader = Callable[[str, int], Sequence[tuple[str, str, int, int]]]


@mutable
class _Org:
    """One reporter's stored reports: their ids, and the span of their ranges per domain."""

    ids: set[str] = field(default_factory=set)
    spans: dict[str, list[int]] = field(default_factory=dict)  # domain -> [low, high]

    def add(self, report_id: str, domain: str, begin: int, end: int) -> None:
        self.ids.add(report_id)
        low, high = (begin, end) if begin <= end else (end, begin)  # (min/max in line)
        span = self.spans.get(domain)
        if span is None:
            self.spans[domain] = [low, high]
        else:
            if low < span[0]:
                span[0] = low
            if high > span[1]:
                span[1] = high


class KnownReports:
    """The store's summary of its reports (see the module docstring)."""

    def __init__(self, load: Loader) -> None:
        self._load = load
        self._orgs: dict[str, _Org | None] = {}  # None: not summarised (too many)
        self._held = 0
        self.version: int | None = None  # the data_version the summary is valid for

    def forget(self) -> None:
        self._orgs.clear()
        self._held = 0

    def surely_new(self, org: str, report_id: str, domain: str, begin: int, end: int) -> bool:
        """True when no stored report is a neighbour of this one (no query needed);
        False when there may be one."""
        known = self._orgs.get(org, _UNLOADED)
        if known is _UNLOADED:
            known = self._loaded(org)
        if known is None or report_id in known.ids or begin > end:
            return False
        span = known.spans.get(domain)
        return span is None or span[1] < begin or span[0] > end

    def add(self, org: str, report_id: str, domain: str, begin: int, end: int) -> None:
        """A report just stored (only for a reporter already summarised)."""
        known = self._orgs.get(org)
        if known is not None:
            if self._held >= MAX_KNOWN:
                self._orgs[org] = None
                return
            known.add(report_id, domain, begin, end)
            self._held += 1

    def _loaded(self, org: str) -> _Org | None:
        rows = self._load(org, MAX_PER_ORG + 1)
        known: _Org | None = None
        if len(rows) <= MAX_PER_ORG and self._held + len(rows) <= MAX_KNOWN:
            known = _Org()
            for report_id, domain, begin, end in rows:
                known.add(report_id, domain, begin, end)
            self._held += len(rows)
        self._orgs[org] = known
        return known


_UNLOADED = _Org()  # a marker: this reporter has not been looked up yet

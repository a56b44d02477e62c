"""The store's three aggregated reads (per source, per source and day, per day) as SQL
over one of two sources of rows, and the exact sum of their shares in Python.

The rows ("pieces": outcome, source IP, day, share, messages) come either from the totals
(store_schema) plus the records of the reports not folded into them (what a run reads),
or from every stored record (`scan`, the reference). Both are grouped by share, so each
group's messages arrive as integer sums per distinct share; `weighted` turns them into
one count with `math.fsum` (exact, so it does not depend on the order SQLite met the
rows in) and SQLite's own rounding (half away from zero). A group of whole reports only
(share 1.0, nearly every group) is its integer sum, untouched. The two sources therefore
give identical answers, which tests/unit/report/test_store_totals.py checks.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from typing import Any

# What a run reads: the totals, and the records of the reports not folded into them
# (found through the partial index `reports_unfolded`).
_TOTALS = (
    "SELECT t.outcome AS outcome, t.source_ip AS source_ip, t.day AS day, 1.0 AS share,"
    " t.messages AS n FROM source_totals t WHERE t.end_ts >= ?"
    " UNION ALL SELECT r.outcome, r.source_ip, r.day, p.share, r.count"
    " FROM reports p CROSS JOIN records r ON r.id BETWEEN p.first_record AND p.last_record"
    " WHERE p.folded = 0 AND p.end_ts >= ?"
)
# The reference: every stored record with its report's share (found by `records.report`,
# not by the id ranges the other readers use).
_SCAN = (
    "SELECT r.outcome AS outcome, r.source_ip AS source_ip, r.day AS day, p.share AS share,"
    " r.count AS n FROM records r JOIN reports p ON p.id = r.report WHERE p.end_ts >= ?"
)
_PASS = "o.dkim = 'pass' OR o.spf = 'pass'"


def _pieces(scan: bool, columns: str) -> str:
    """The pieces summed per outcome, `columns` and share (in C, before the join)."""
    return (
        f"(SELECT outcome, {columns}, share, sum(n) AS n FROM ({_SCAN if scan else _TOTALS})"
        f" GROUP BY outcome, {columns}, share) x JOIN outcomes o ON o.id = x.outcome"
    )


def _when(condition: str) -> str:
    return f"sum(CASE WHEN {condition} THEN x.n ELSE 0 END)"


def source_rows_query(scan: bool, clause: str) -> str:
    """Per header From, source IP and outcome (without the envelope), then share."""
    return (
        "SELECT o.header_from, x.source_ip, o.disposition, o.dkim, o.spf, o.reasons,"
        " o.dkim_results, o.spf_results, x.share, sum(x.n), max(o.envelope_from)"
        f" FROM {_pieces(scan, 'source_ip')} WHERE 1 = 1{clause}"
        " GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9"
    )


def source_day_rows_query(scan: bool, clause: str) -> str:
    """Per header From, day and source IP, then share: messages, DMARC pass, aligned SPF,
    aligned DKIM, quarantined, rejected."""
    metrics = ", ".join(
        _when(c)
        for c in (
            _PASS,
            "o.spf = 'pass'",
            "o.dkim = 'pass'",
            "o.disposition = 'quarantine'",
            "o.disposition = 'reject'",
        )
    )
    return (
        f"SELECT o.header_from, x.day, x.source_ip, x.share, sum(x.n), {metrics}"
        f" FROM {_pieces(scan, 'source_ip, day')} WHERE 1 = 1{clause}"
        " GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4"
    )


def day_rows_query(scan: bool, clause: str) -> str:
    """Per header From and day, then share: messages, DMARC pass."""
    return (
        f"SELECT o.header_from, x.day, x.share, sum(x.n), {_when(_PASS)}"
        f" FROM {_pieces(scan, 'day')} WHERE 1 = 1{clause}"
        " GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"
    )


def rounded(x: float) -> int:
    """SQLite's round(x) to an integer: half away from zero."""
    return int(x + 0.5) if x >= 0 else -int(-x + 0.5)


def weighted(pieces: list[tuple[float, int]]) -> int:
    """Messages of a group from its (share, messages) pieces."""
    if len(pieces) == 1 and pieces[0][0] == 1.0:
        return pieces[0][1]
    return rounded(math.fsum(share * n for share, n in pieces))


def _groups(rows: Iterable[Any], width: int) -> Iterator[tuple[tuple[Any, ...], list[Any]]]:
    """Consecutive rows with the same first `width` values, as (key, rows)."""
    key: tuple[Any, ...] | None = None
    group: list[Any] = []
    for row in rows:
        k = tuple(row[:width])
        if k != key:
            if key is not None:
                yield key, group
            key, group = k, []
        group.append(row)
    if key is not None:
        yield key, group


def _metrics(group: list[Any], first: int, count: int) -> tuple[int, ...]:
    """The `count` summed columns from column `first` on, each weighted by its share
    (the column before `first`)."""
    share = first - 1
    return tuple(weighted([(row[share], row[first + i]) for row in group]) for i in range(count))


def merged_source_rows(rows: Iterable[Any]) -> Iterator[tuple[Any, ...]]:
    """(header_from, source_ip, disposition, dkim, spf, reasons, dkim_results,
    spf_results, messages, envelope_from) from `source_rows_query`'s rows."""
    for key, group in _groups(rows, 8):
        envelopes = [row[10] for row in group if row[10] is not None]
        yield (*key, *_metrics(group, 9, 1), max(envelopes) if envelopes else None)


def merged_source_day_rows(rows: Iterable[Any]) -> Iterator[tuple[Any, ...]]:
    """(header_from, day, source_ip, messages, dmarc_pass, spf_aligned, dkim_aligned,
    quarantined, rejected) from `source_day_rows_query`'s rows."""
    for key, group in _groups(rows, 3):
        yield (*key, *_metrics(group, 4, 6))


def merged_day_rows(rows: Iterable[Any]) -> Iterator[tuple[Any, ...]]:
    """(header_from, day, messages, dmarc_pass) from `day_rows_query`'s rows."""
    for key, group in _groups(rows, 2):
        yield (*key, *_metrics(group, 3, 2))

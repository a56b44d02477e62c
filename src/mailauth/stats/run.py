"""One `mailauth stats` run: the scan read and counted, and the earlier scans it is compared
with (`--compare`), as one `Stats` value the renderers take.

Earlier scans are ordered by when they were made (the last `checked_at` of each; a scan
without dates keeps the place it was given in, before the current one). The change is
measured against the most recent earlier scan; every scan together is the adoption timeline.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from mailauth.frozen import frozen
from mailauth.stats.aggregate import METRICS, Tallies, Tally, deltas, tally
from mailauth.stats.groups import grouper
from mailauth.stats.reader import ScanInput


@frozen
class ScanPoint:
    """One scan on the timeline."""

    label: str  # its file names
    checked_from: datetime | None
    checked_to: datetime | None
    overall: Tally


@frozen
class Stats:
    scan: ScanInput
    tallies: Tallies
    group_by: str | None
    earlier: tuple[ScanPoint, ...]  # the --compare scans, oldest first

    @property
    def current(self) -> ScanPoint:
        s = self.scan
        return ScanPoint(_label(s), s.checked_from, s.checked_to, self.tallies.overall)

    @property
    def timeline(self) -> tuple[ScanPoint, ...]:
        return (*self.earlier, self.current) if self.earlier else ()

    @property
    def compared(self) -> ScanPoint | None:
        return self.earlier[-1] if self.earlier else None

    def changes(self) -> dict[str, tuple[float, float, float]]:
        """`{metric: (old %, new %, points)}` against the most recent earlier scan."""
        old = self.compared
        return deltas(old.overall, self.tallies.overall, METRICS) if old else {}


def build_stats(
    scan: ScanInput,
    group_by: str | None = None,
    columns: Mapping[str, str] | None = None,
    earlier: Sequence[ScanInput] = (),
) -> Stats:
    group = grouper(group_by, columns) if group_by else None
    points = [
        ScanPoint(_label(s), s.checked_from, s.checked_to, tally(s.facts).overall) for s in earlier
    ]
    dated = sorted(
        (p for p in points if p.checked_to is not None),
        key=lambda p: p.checked_to,  # type: ignore[arg-type, return-value]
    )
    undated = [p for p in points if p.checked_to is None]
    return Stats(scan, tally(scan.facts, group), group_by, (*undated, *dated))


def _label(scan: ScanInput) -> str:
    return " + ".join(scan.sources)

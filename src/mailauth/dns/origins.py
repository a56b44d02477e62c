"""Where a DNS answer came from in the user's files: the zone file and line of a record.

A report about a zone file is most useful when it points at the line to edit: SARIF's physical
location (GitHub code scanning shows an alert only with a file location) and GitHub workflow
annotations (`::error file=…,line=…::`). Only offline runs have files; `ZoneSource` records the
first line of every RRset while it reads them and answers `locate`. Live sources have no
origin, and a renderer then names the DNS record instead (a logical location).
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from mailauth.frozen import frozen


@frozen
class RecordOrigin:
    """A line of a zone file: `path` as the user gave it (relative stays relative)."""

    path: str
    line: int


@runtime_checkable
class RecordLocator(Protocol):
    """A DNS source that knows where its records are written."""

    def locate(self, name: str, rdtype: str) -> RecordOrigin | None:
        """The first line of the `rdtype` RRset at `name` (None: not in any file)."""
        ...

    def zone_file_of(self, name: str) -> RecordOrigin | None:
        """The file of the loaded zone that holds `name`, at the zone's first record (the
        place to add a record that is missing). None when no loaded zone holds it."""
        ...


def find_locator(source: object) -> RecordLocator | None:
    """The locator under the wrappers of a run's source (`CachingSource`, `DeadlineSource`
    each keep the one they wrap as `inner`), or None for a live run."""
    seen = 0
    while source is not None and seen < 8:
        if isinstance(source, RecordLocator):
            return source
        source = getattr(source, "inner", None)
        seen += 1
    return None

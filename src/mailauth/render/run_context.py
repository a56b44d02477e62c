"""What a run knows beyond its reports, for the formats that need it: where each record is
written (zone file and line, `dns.origins`), which command is reporting, and what changed
since a baseline.

It travels on the output `Environment` (`env.run`), so the writer seam stays
`opener(sink, expected)` and formats that need none of it ignore it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from typing import TYPE_CHECKING

from mailauth.frozen import frozen

if TYPE_CHECKING:
    from mailauth.baseline import Changes
    from mailauth.dns.origins import RecordLocator  # only offline `check` runs have one


@frozen
class RunContext:
    """`command`: `check` or `verify` (SARIF's automation category, headings). `locator`: the
    zone files' record origins (offline runs only). `changes`: per report target, what
    changed since `--baseline` (None: no baseline given)."""

    command: str = "check"
    locator: RecordLocator | None = None
    changes: Mapping[str, Changes] | None = field(default=None)

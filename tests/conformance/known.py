"""Known failures, read from KNOWN.md so the document and the test marks cannot drift.

KNOWN.md holds one Markdown table row per case that cannot pass:

    | suite | case | reason |
    |---|---|---|
    | arc | cv_fail_i1_as_cv_fail | ... |

`known_failure(suite, *keys)` returns an `xfail(strict=True)` mark with that reason when any
of `keys` is listed for `suite` (a runner passes the most specific key first, e.g.
`name[path]` then `name`). Strict: a listed case that starts passing fails the run, so the
list is kept honest; and only an AssertionError (a wrong answer) counts as the known
failure - a crash or a missing module still fails. `test_known.py` checks that every row
names a real case.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

KNOWN_FILE = Path(__file__).with_name("KNOWN.md")
# Every (suite, key) a runner asked about; test_known.py checks each KNOWN.md row is among them.
ASKED: set[tuple[str, str]] = set()


@cache
def known_table() -> dict[tuple[str, str], str]:
    """(suite, case key) -> reason, from every table row of KNOWN.md."""
    table: dict[tuple[str, str], str] = {}
    for line in KNOWN_FILE.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if (
            not line.startswith("|")
            or len(cells) < 3
            or cells[0] in ("suite", "")
            or set(cells[0]) <= {"-", ":"}
        ):
            continue
        suite, case, reason = cells[0], cells[1].strip("`"), " | ".join(cells[2:])
        table[(suite, case)] = reason
    return table


def known_failure(suite: str, *keys: str) -> list[pytest.MarkDecorator]:
    table = known_table()
    ASKED.update((suite, key) for key in keys)
    for key in keys:
        reason = table.get((suite, key))
        if reason is not None:
            return [
                pytest.mark.xfail(strict=True, raises=AssertionError, reason=f"KNOWN.md: {reason}")
            ]
    return []

"""What every domain check receives besides the DNS source."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CheckOptions:
    """User choices that change what a check looks at (not how results are judged).

    `selectors` are DKIM selectors the user named (`--selector`); when empty only the
    built-in list of common selectors is tried and "none found" is not a failure.
    """

    selectors: tuple[str, ...] = ()
    bimi_selector: str = "default"

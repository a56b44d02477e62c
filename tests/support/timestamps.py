"""Reports carry `checked_at` (when the run happened): tests that compare two runs' output
byte for byte compare it with the time taken out."""

from __future__ import annotations

import re

CHECKED_AT = re.compile(r'"checked_at": ?"[0-9T:Z.+-]+"')


def untimed(text: str) -> str:
    return CHECKED_AT.sub('"checked_at":"TIME"', text)

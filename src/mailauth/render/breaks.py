"""The line-breaking rules of Japanese (禁則処理, after JIS X 4051), for every wrapper of text
in mailauth: rich's (render/linebreak.py) and click's help (cli/click_words.py).

Japanese may break between any two characters, except never before closing brackets,
、。 and small kana, and never after opening brackets; a run of Latin letters and digits (a
domain name, a tag, `v=spf1`) is one word, as in English. Imports nothing heavy: `--help`
uses it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

# 行頭禁則: characters that must not start a line (closing brackets, punctuation, small kana,
# the prolonged sound mark and iteration marks), and their ASCII counterparts.
NO_BREAK_BEFORE = frozenset(
    "、。，．・：；？！）」』】〕〉》］｝〙〗’”ゝゞーヽヾ々〻‐゠–〜～…‥"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"
    ",.:;!?)]}%"
)
# 行末禁則: opening brackets must not end a line.
NO_BREAK_AFTER = frozenset("（「『【〔〈《［｛〘〖‘“([{")


def is_wide(char: str) -> bool:
    """An East Asian wide or fullwidth character: two terminal cells, and a place where
    Japanese may break a line."""
    return unicodedata.east_asian_width(char) in ("W", "F")


def _break_allowed(before: str, after: str) -> bool:
    if before.isspace():
        return not after.isspace()
    if after.isspace():
        return False
    if after in NO_BREAK_BEFORE or before in NO_BREAK_AFTER:
        return False
    return is_wide(before) or is_wide(after)


def words(text: str) -> Iterator[tuple[int, str]]:
    """(start, word) for each piece a line may start with: as rich's words (text up to the
    next space, with the spaces after it), further cut where Japanese may break."""
    start = 0
    for i in range(1, len(text)):
        if _break_allowed(text[i - 1], text[i]):
            yield start, text[start:i]
            start = i
    if text:
        yield start, text[start:]


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def cells(text: str) -> int:
    """How many terminal cells `text` takes (ANSI colour codes take none)."""
    plain = _ANSI.sub("", text)
    return len(plain) + sum(1 for c in plain if not c.isascii() and is_wide(c))

"""Where a line of text may break, for Japanese as well as for English.

Rich wraps text at spaces only. Japanese prose has no spaces between words, so rich sees a
whole sentence as one word: it moves the sentence to a new line, leaving the line before it
nearly empty, then chops it at the width wherever a character falls (a closing bracket or
「。」 at the start of a line). Japanese is broken between any two characters instead, except
where the line-breaking rules of Japanese typesetting (禁則処理, JIS X 4051) forbid it: never
before closing brackets, 、。 and small kana, never after opening brackets. A run of Latin
letters and digits (a domain name, a tag, `v=spf1`) is still one word, unbroken.

Rich has no hook for its line breaker: `Text.wrap` calls `rich.text.divide_line`, looked up
when it runs. `install()` puts `divide_line` below in its place; for text without wide
characters it is rich's own, so English output does not change by a single byte.
"""

from __future__ import annotations

import rich.text
from rich._wrap import divide_line as _rich_divide_line
from rich.cells import cell_len, chop_cells

from mailauth.render.breaks import NO_BREAK_BEFORE, is_wide, words


def divide_line(text: str, width: int, fold: bool = True) -> list[int]:
    """The offsets where `text` is broken to fit `width` cells: rich's own answer for text
    without wide characters, else the same greedy fill over Japanese break opportunities."""
    if text.isascii() or not any(is_wide(c) for c in text):
        return _rich_divide_line(text, width, fold)
    breaks: list[int] = []
    offset = 0  # cells used on the current line
    for start, word in words(text):
        length = cell_len(word.rstrip())
        if width - offset >= length:
            offset += cell_len(word)
            continue
        if length > width:
            # Longer than a line (a long URL or record): folded at the width, as rich does.
            pieces = _kinsoku(chop_cells(word, width=width)) if fold else [word]
            for i, piece in enumerate(pieces):
                if start:
                    breaks.append(start)
                if i == len(pieces) - 1:
                    offset = cell_len(piece)
                else:
                    start += len(piece)
        elif offset and start:
            breaks.append(start)
            offset = cell_len(word)
    return breaks


def _kinsoku(pieces: list[str]) -> list[str]:
    """Folded pieces of an overlong word, none starting with a character that must not
    start a line (a closing bracket after a long record): that character moves up."""
    for i in range(1, len(pieces)):
        while pieces[i] and pieces[i][0] in NO_BREAK_BEFORE and len(pieces[i - 1]) > 1:
            pieces[i - 1], pieces[i] = pieces[i - 1][:-1], pieces[i - 1][-1] + pieces[i]
    return [p for p in pieces if p]


def install() -> None:
    """Make rich's `Text.wrap` break Japanese where Japanese may break (see the module)."""
    rich.text.divide_line = divide_line  # type: ignore[attr-defined]

"""Where a line of text may break, for Japanese as well as for English (see
render/linebreak.py for why): rich's `Text.wrap` uses `divide_line` once linebreak.py has
installed it, and the plain canvas (render/plain_canvas.py) calls it directly. It needs
rich's cell widths and English line breaker only, not rich's console or text classes, so a
report written to a pipe imports neither (issue 10, start-up); for printable ASCII not even
those (render/cells.py)."""

from __future__ import annotations

from mailauth.render import cells
from mailauth.render.breaks import NO_BREAK_BEFORE, is_wide, words


def divide_line(text: str, width: int, fold: bool = True) -> list[int]:
    """The offsets where `text` is broken to fit `width` cells: rich's own answer for text
    without wide characters, else the same greedy fill over Japanese break opportunities."""
    if text.isascii() or not any(is_wide(c) for c in text):
        return cells.divide_line(text, width, fold)
    breaks: list[int] = []
    offset = 0  # cells used on the current line
    for start, word in words(text):
        length = cells.cell_len(word.rstrip())
        if width - offset >= length:
            offset += cells.cell_len(word)
            continue
        if length > width:
            # Longer than a line (a long URL or record): folded at the width, as rich does.
            pieces = _kinsoku(cells.chop_cells(word, width)) if fold else [word]
            for i, piece in enumerate(pieces):
                if start:
                    breaks.append(start)
                if i == len(pieces) - 1:
                    offset = cells.cell_len(piece)
                else:
                    start += len(piece)
        elif offset and start:
            breaks.append(start)
            offset = cells.cell_len(word)
    return breaks


def _kinsoku(pieces: list[str]) -> list[str]:
    """Folded pieces of an overlong word, none starting with a character that must not
    start a line (a closing bracket after a long record): that character moves up."""
    for i in range(1, len(pieces)):
        while pieces[i] and pieces[i][0] in NO_BREAK_BEFORE and len(pieces[i - 1]) > 1:
            pieces[i - 1], pieces[i] = pieces[i - 1][:-1], pieces[i - 1][-1] + pieces[i]
    return [p for p in pieces if p]

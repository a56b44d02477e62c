"""Terminal cell widths, and rich's line breaking, for printable ASCII without loading rich.

Why: a text report written to a pipe (render/plain_canvas.py) measures every cell and breaks
long lines (a Received field, a record) as rich does, and importing rich's cell tables and
line breaker for that was ~2 % of `mailauth verify` as a command (issue 10, against
dkimverify). A printable ASCII character is one cell in every rich version, and so are the
two others our reports draw with (the rule "─" under a table's head, the ellipsis "…" of a
cut value), so for such text a width is its length and rich's greedy line breaking is the
few lines below. Any other text (Japanese, a tab, a control character) is measured and
broken by rich itself, imported then.
tests/unit/render/test_cells.py compares each function with rich's on generated text.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"\s*\S+\s*")  # rich._wrap.re_word


def _plain(text: str) -> bool:
    """Whether every character of `text` is one cell wide by the rule above."""
    if text.isascii():
        return text.isprintable()
    ascii_twin = text.replace("─", "-").replace("…", ".")
    return ascii_twin.isascii() and ascii_twin.isprintable()


def cell_len(text: str) -> int:
    """rich.cells.cell_len."""
    if _plain(text):
        return len(text)
    from rich.cells import cell_len as rich_cell_len

    return rich_cell_len(text)


def set_cell_size(text: str, total: int) -> str:
    """rich.cells.set_cell_size: cropped or padded with spaces to `total` cells."""
    if _plain(text):
        size = len(text)
        return text + " " * (total - size) if size < total else text[:total]
    from rich.cells import set_cell_size as rich_set_cell_size

    return rich_set_cell_size(text, total)


def chop_cells(text: str, width: int) -> list[str]:
    """rich.cells.chop_cells: `text` cut into pieces of at most `width` cells."""
    if _plain(text):
        return [text[i : i + width] for i in range(0, len(text), width)]
    from rich.cells import chop_cells as rich_chop_cells

    return rich_chop_cells(text, width)


def divide_line(text: str, width: int, fold: bool = True) -> list[int]:
    """rich._wrap.divide_line: the offsets where `text` breaks to fit `width` cells (words
    run to the next line whole; a word longer than a line is folded, or left whole without
    `fold`)."""
    if not _plain(text):
        from rich._wrap import divide_line as rich_divide_line

        return rich_divide_line(text, width, fold)
    breaks: list[int] = []
    offset = 0  # cells used on the current line
    for found in _WORD.finditer(text):
        start, word = found.start(), found.group()
        length = len(word.rstrip())
        if width - offset >= length:
            offset += len(word)
        elif length > width:
            if fold:
                pieces = chop_cells(word, width)
                for piece in pieces[:-1]:
                    if start:
                        breaks.append(start)
                    start += len(piece)
                if start:
                    breaks.append(start)
                offset = len(pieces[-1])
            else:
                if start:
                    breaks.append(start)
                offset = len(word)
        elif offset and start:
            breaks.append(start)
            offset = len(word)
    return breaks

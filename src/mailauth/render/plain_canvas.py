"""The text reports without colour (a pipe, a file, NO_COLOR), laid out as rich lays them out,
byte for byte, without rich's console (issue 10, start-up).

Rich's console cost a verify run about a fifth of its time before the first byte: importing
it, then building segments and styles for output that has no styles. What a colourless rich
console writes is a pure function of the text, the width and rich's layout rules; this
module follows those rules for the few shapes the reports print (render/ink.py): wrapped
text (`Text.wrap`, with the Japanese line breaker of render/wrap.py), an indent (`Padding`),
a grid or a headed table (`Table`: rich's column measuring and collapsing, cell padding,
justification), and a rule. The functions below name the rich code they follow.

Anything outside those rules (a tab, a width too narrow to lay out, a line rich would crop,
an ASCII-only stream) raises `Unsupported` inside, and that one print is handed to a rich
console on the same stream: the output is still rich's. Every sample report is rendered
both ways in tests/unit/render/test_plain_canvas.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from itertools import pairwise
from typing import TYPE_CHECKING, Any, TextIO

from mailauth.render.cells import cell_len, set_cell_size
from mailauth.render.ink import Column, Pad, Rule, Table, Text
from mailauth.render.wrap import divide_line

if TYPE_CHECKING:
    from rich.console import Console

Measure = tuple[int, int]  # rich's Measurement: (minimum, maximum) cells
_WHITESPACE_END = re.compile(r"\s+$")  # rich.text._re_whitespace
_RULE = "─"  # rich.rule.Rule's default characters
_HEAD_RULE = "─"  # box.SIMPLE_HEAD's head row (horizontal and cross)


class Unsupported(Exception):
    """A layout this canvas does not reproduce: rich draws it instead."""


class PlainCanvas:
    """Prints `ink` objects as plain lines on `stream`, trailing blanks trimmed as the rich
    path trims them (render/environment.py `_TrimmedLines`). `fallback` makes the rich
    console that draws what this canvas does not (see the module docstring)."""

    def __init__(self, stream: TextIO, width: int, fallback: Callable[[], Console]) -> None:
        self._stream = stream
        self._width = width
        self._fallback = fallback
        self._console: Console | None = None

    @property
    def width(self) -> int:
        return self._width

    @property
    def file(self) -> TextIO:
        return self._stream

    def print(self, *objects: Any, soft_wrap: bool | None = None) -> None:
        if not objects:
            self._stream.write("\n")
            return
        try:
            if len(objects) != 1:
                raise Unsupported("several objects in one print")
            lines = self.lines(objects[0], soft_wrap=bool(soft_wrap))
        except Unsupported:
            if self._console is None:
                self._console = self._fallback()
            self._console.print(*objects, soft_wrap=soft_wrap)
            return
        self._stream.write("".join(line.rstrip(" \t") + "\n" for line in lines))

    def lines(self, item: Any, *, soft_wrap: bool = False) -> list[str]:
        """The lines rich's `Console.print(item, soft_wrap=soft_wrap)` writes, before the
        trailing blanks are trimmed."""
        width = self._width
        if isinstance(item, str):
            item = Text(item)
        if isinstance(item, Text):
            if soft_wrap:  # no_wrap, overflow "ignore", no crop: the lines as they are
                return wrap(item.plain, width, ignore=True)
            return _crop(wrap(item.plain, width), width)
        if soft_wrap:
            raise Unsupported("soft wrap of a layout")
        if isinstance(item, Pad):
            return _crop(_pad(item, width), width)
        if isinstance(item, Table):
            return _crop(_table(item, width), width)
        if isinstance(item, Rule):
            return _crop(_rule(item, width), width)
        raise Unsupported(type(item).__name__)

    def fits(self, table: Table, width: int) -> bool:
        """`console.measure(table).minimum <= width`."""
        return _measure(table, self._width)[0] <= width

    def wrap(self, text: Text, width: int) -> list[Text]:
        """`text.wrap(console, width)`: the lines (their styles do not show here)."""
        return [Text(line) for line in wrap(text.plain, width)]


def wrap(
    plain: str,
    width: int,
    *,
    justify: str = "default",
    overflow: str = "fold",
    no_wrap: bool = False,
    ignore: bool = False,
) -> list[str]:
    """rich's `Text.wrap`, on the plain text (`ignore`: overflow "ignore", soft wrap)."""
    out: list[str] = []
    for line in plain.split("\n"):  # Text.split("\n", allow_blank=True)
        if "\t" in line:
            raise Unsupported("tab")
        if ignore:
            out.append(line)
            continue
        if no_wrap:
            pieces = [line]
        else:
            offsets = divide_line(line, width, fold=overflow == "fold")
            bounds = [0, *offsets, len(line)]
            pieces = [_rstrip_end(line[a:b], width) for a, b in pairwise(bounds)]
        if justify == "left":  # Lines.justify
            pieces = [_truncate(p, width, overflow, pad=True) for p in pieces]
        elif justify == "right":
            pieces = [_truncate(p.rstrip(), width, overflow) for p in pieces]
            pieces = [" " * (width - cell_len(p)) + p for p in pieces]
        elif justify != "default":
            raise Unsupported(f"justify {justify}")
        out.extend(_truncate(p, width, overflow) for p in pieces)
    return out


def _rstrip_end(text: str, size: int) -> str:
    """rich's `Text.rstrip_end`: whitespace beyond `size` characters removed."""
    if len(text) > size:
        match = _WHITESPACE_END.search(text)
        if match is not None:
            return text[: len(text) - min(len(match.group(0)), len(text) - size)]
    return text


def _truncate(text: str, width: int, overflow: str, *, pad: bool = False) -> str:
    """rich's `Text.truncate`."""
    length = cell_len(text)
    if length > width:
        if overflow == "ellipsis":
            text = set_cell_size(text, width - 1) + "…"
        else:
            text = set_cell_size(text, width)
    if pad and length < width:
        text += " " * (width - length)
    return text


def _crop(lines: list[str], width: int) -> list[str]:
    """rich crops every printed line to the console's width; the layouts here never need
    it, and a line that would is left to rich."""
    if any(cell_len(line) > width for line in lines):
        raise Unsupported("a line wider than the console")
    return lines


def _fit(lines: list[str], width: int) -> list[str]:
    """`Segment.adjust_line_length(pad=True)` for lines no wider than `width`."""
    out = []
    for line in lines:
        length = cell_len(line)
        if length > width:
            raise Unsupported("a cell line wider than its cell")
        out.append(line + " " * (width - length))
    return out


def _pad(pad: Pad, width: int) -> list[str]:
    """rich's `Padding((0, 0, 0, left))` at `width`, its lines padded to the width."""
    inner = pad.renderable
    outer = width if pad.expand else min(_measure(inner, width)[1] + pad.left, width)
    inner_width = outer - pad.left
    if inner_width < 1:
        raise Unsupported("no room inside the padding")
    if isinstance(inner, Table):
        body = _fit(_table(inner, inner_width), inner_width)
    else:
        body = _fit(wrap(inner.plain, inner_width), inner_width)
    return [" " * pad.left + line for line in body]


# --- measuring (rich.measure.Measurement.get and each renderable's __rich_measure__) ---


def _normalize(m: Measure) -> Measure:
    low, high = m
    low = min(max(0, low), high)
    return max(0, low), max(0, max(low, high))


def _with_maximum(m: Measure, width: int) -> Measure:
    return min(m[0], width), min(m[1], width)


def _measure(
    item: Text | str | Table, max_width: int, padding: tuple[int, int] | None = None
) -> Measure:
    """`Measurement.get(console, options, item)` with `options.max_width == max_width`;
    `padding`: the item inside a cell's `Padding((0, right, 0, left))`."""
    if max_width < 1:
        return 0, 0
    if padding is not None:
        right, left = padding
        extra = left + right
        if max_width - extra < 1:
            found: Measure = (max_width, max_width)
        else:
            low, high = _measure(item, max_width)
            found = _with_maximum((low + extra, high + extra), max_width)
    elif isinstance(item, Table):
        found = _table_measure(item, max_width)
    else:
        plain = item.plain if isinstance(item, Text) else Text(item).plain
        lines = plain.splitlines()
        high = max(cell_len(line) for line in lines) if lines else 0
        words = plain.split()
        found = (max(cell_len(word) for word in words) if words else high), high
    measured = _with_maximum(_normalize(found), max_width)
    if measured[1] < 1:
        return 0, 0
    return _normalize(measured)


def _table_measure(table: Table, max_width: int) -> Measure:
    """rich's `Table.__rich_measure__`."""
    if max_width < 0:
        return 0, 0
    extra = _extra_width(table)
    total = sum(_column_widths(table, max_width - extra))
    columns = [_measure_column(table, i, total) for i in range(len(table.columns))]
    return sum(c[0] for c in columns) + extra, sum(c[1] for c in columns) + extra


# --- tables (rich.table.Table) ---


def _extra_width(table: Table) -> int:
    return len(table.columns) - 1 if table.headed else 0


def _cells(table: Table, index: int) -> list[Text | str]:
    column = table.columns[index]
    body = [row[index] if index < len(row) else "" for row in table.rows]
    return [column.header, *body] if table.headed else body


def _cell_padding(table: Table, index: int, first_row: bool, last_row: bool) -> tuple[int, int]:
    """`Table._get_cells.get_padding`, horizontal part: (right, left). Vertical padding is
    always 0 here (rich's is too: (0, right, 0, left) with no edge padding)."""
    right, left = table.padding
    if not table.headed and index:  # a grid collapses padding
        left = max(0, left - right)
    if index == 0:  # no edge padding
        left = 0
    if index == len(table.columns) - 1:
        right = 0
    return right, left


def _any_padding(table: Table) -> bool:
    return any(table.padding)


def _measure_column(table: Table, index: int, max_width: int) -> Measure:
    """rich's `Table._measure_column` (no fixed width, no min/max width)."""
    if max_width < 1:
        return 0, 0
    cells = _cells(table, index)
    lows: list[int] = []
    highs: list[int] = []
    for row, cell in enumerate(cells):
        padding = (
            _cell_padding(table, index, row == 0, row == len(cells) - 1)
            if _any_padding(table)
            else None
        )
        low, high = _measure(cell, max_width, padding)
        lows.append(low)
        highs.append(high)
    return _with_maximum((max(lows) if lows else 1, max(highs) if highs else max_width), max_width)


def _column_widths(table: Table, max_width: int) -> list[int]:
    """rich's `Table._calculate_column_widths` (no expand, no ratios, no min width)."""
    columns = table.columns
    widths = [_measure_column(table, i, max_width)[1] or 1 for i in range(len(columns))]
    if sum(widths) > max_width:
        widths = _collapse_widths(widths, [not c.no_wrap for c in columns], max_width)
        if sum(widths) > max_width:
            excess = sum(widths) - max_width
            widths = _ratio_reduce(excess, [1] * len(widths), widths, widths)
        widths = [_measure_column(table, i, w)[1] or 0 for i, w in enumerate(widths)]
    return widths


def _collapse_widths(widths: list[int], wrapable: list[bool], max_width: int) -> list[int]:
    """rich's `Table._collapse_widths`."""
    total = sum(widths)
    excess = total - max_width
    if any(wrapable):
        while total and excess > 0:
            largest = max(w for w, wrap_ in zip(widths, wrapable, strict=True) if wrap_)
            second = max(
                w if wrap_ and w != largest else 0
                for w, wrap_ in zip(widths, wrapable, strict=True)
            )
            difference = largest - second
            ratios = [
                1 if (w == largest and wrap_) else 0
                for w, wrap_ in zip(widths, wrapable, strict=True)
            ]
            if not any(ratios) or not difference:
                break
            reduce = [min(excess, difference)] * len(widths)
            widths = _ratio_reduce(excess, ratios, reduce, widths)
            total = sum(widths)
            excess = total - max_width
    return widths


def _ratio_reduce(
    total: int, ratios: Sequence[int], maximums: Sequence[int], values: Sequence[int]
) -> list[int]:
    """rich._ratio.ratio_reduce (not imported: that module imports `fractions`)."""
    ratios = [ratio if most else 0 for ratio, most in zip(ratios, maximums, strict=True)]
    total_ratio = sum(ratios)
    if not total_ratio:
        return list(values)
    remaining = total
    result: list[int] = []
    for ratio, most, value in zip(ratios, maximums, values, strict=True):
        if ratio and total_ratio > 0:
            distributed = min(most, round(ratio * remaining / total_ratio))
            result.append(value - distributed)
            remaining -= distributed
            total_ratio -= ratio
        else:
            result.append(value)
    return result


def _render_cell(
    cell: Text | str, width: int, column: Column, padding: tuple[int, int] | None
) -> list[str]:
    """A cell's lines at `width` (`console.render_lines` with the column's options), each
    exactly `width` cells."""
    plain = cell.plain if isinstance(cell, Text) else Text(cell).plain
    right, left = padding or (0, 0)
    inner = width - left - right
    if inner < 0 or (inner == 0 and not plain.isspace() and plain):
        raise Unsupported("no room in a cell")
    lines = wrap(
        plain, inner, justify=column.justify, overflow=column.overflow, no_wrap=column.no_wrap
    )
    return [" " * left + line + " " * right for line in _fit(lines, inner)]


def _table(table: Table, max_width: int) -> list[str]:
    """rich's `Table.__rich_console__` and `_render` for a grid or a SIMPLE_HEAD table with
    no edge, at `max_width`."""
    if not table.columns:
        raise Unsupported("a table without columns")
    widths = _column_widths(table, max_width - _extra_width(table))
    columns = [_cells(table, i) for i in range(len(table.columns))]
    rows = list(zip(*columns, strict=True))
    divider = " " if table.headed else ""
    out: list[str] = []
    for r, row in enumerate(rows):
        header_row = table.headed and r == 0
        rendered = []
        for i, (cell, width) in enumerate(zip(row, widths, strict=True)):
            padding = (
                _cell_padding(table, i, r == 0, r == len(rows) - 1) if _any_padding(table) else None
            )
            rendered.append(_render_cell(cell, width, table.columns[i], padding))
        height = max(len(lines) for lines in rendered)
        for i, lines in enumerate(rendered):
            blank = [" " * widths[i]] * (height - len(lines))
            # a header row aligns to the bottom, other rows to the top
            rendered[i] = blank + lines if header_row else lines + blank
        out.extend(divider.join(cells[n] for cells in rendered) for n in range(height))
        if header_row:
            out.append(_HEAD_RULE * (sum(widths) + len(widths) - 1))
    return out


def _rule(rule: Rule, width: int) -> list[str]:
    """rich's `Rule(title, align="left")` at `width`."""
    title = rule.title.plain.replace("\n", " ")
    if "\t" in title:
        raise Unsupported("tab")
    room = max(0, width - 2)
    if not room:
        raise Unsupported("no room for a rule")
    title = _truncate(title, room, "ellipsis")
    line = title + " "
    line += _RULE * (width - cell_len(line))
    return wrap(set_cell_size(line, width), width)

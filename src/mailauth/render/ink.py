"""What the text reports are made of: styled text, an indent, a table or grid, a rule.

The text renderers (`check`, `verify`) build these small objects and print them on a
`Canvas`. Two canvases draw them: a rich `Console` for a terminal (colour, the terminal's
width), through `__rich__`, which turns each into the rich object the renderers built before
(the same spans in the same order, so the same escape codes); and `PlainCanvas`
(render/plain_canvas.py) for a pipe or a file, which lays the same objects out as rich does
without colour, byte for byte, without importing rich's console (issue 10, start-up: piped
output is what every CI job and script reads, and rich's console cost more to import and to
run than the rest of the report). `tests/unit/render/test_plain_canvas.py` renders every
sample both ways and compares them.

Only what the reports use is here: `Text` mirrors the part of `rich.text.Text`'s API they
call, `Table` a grid or a table with one heading rule (rich's SIMPLE_HEAD box), `Pad` an
indent on the left, `Rule` a left-aligned title rule.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal, Protocol, cast

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.text import Text as RichText

Justify = Literal["left", "right"]
Overflow = Literal["fold", "ellipsis"]
Span = tuple[int, int, str]  # start, end (characters), style

# What rich's Text removes from any text it is given (rich.control.STRIP_CONTROL_CODES):
# bell, backspace, vertical tab, form feed, carriage return. Removed here too, so both
# canvases see the same characters and the spans count the same offsets.
_CONTROL = dict.fromkeys((7, 8, 11, 12, 13))


class Canvas(Protocol):
    """Where a text report is printed: a rich `Console` or a `PlainCanvas`."""

    @property
    def width(self) -> int: ...

    def print(self, *objects: Any, soft_wrap: bool | None = None) -> None: ...


class Text:
    """Text with a base style and styled spans, built as `rich.text.Text` builds it."""

    __slots__ = ("_plain", "spans", "style")

    def __init__(self, text: str = "", style: str = "", *, spans: list[Span] | None = None):
        self._plain = text.translate(_CONTROL)
        self.style = style
        self.spans: list[Span] = spans or []

    @property
    def plain(self) -> str:
        return self._plain

    def __len__(self) -> int:
        return len(self._plain)

    def __str__(self) -> str:
        return self._plain

    def __repr__(self) -> str:
        return f"<text {self._plain!r} {self.spans!r} {self.style!r}>"

    def append(self, text: str | Text, style: str | None = None) -> Text:
        """`text` at the end, styled `style` (rich's `Text.append`)."""
        if isinstance(text, Text):
            if style is not None:
                raise ValueError("style must not be set when appending Text instance")
            return self.append_text(text) if len(text) else self
        if text:
            plain = text.translate(_CONTROL)
            offset = len(self._plain)
            self._plain += plain
            if style:
                self.spans.append((offset, offset + len(plain), style))
        return self

    def append_text(self, text: Text) -> Text:
        """`text` at the end, keeping its base style and spans (rich's `Text.append_text`)."""
        offset = len(self._plain)
        self._plain += text.plain
        if text.style:
            self.spans.append((offset, offset + len(text), text.style))
        self.spans.extend((offset + s, offset + e, st) for s, e, st in text.spans)
        return self

    def stylize(self, style: str) -> None:
        """`style` over the whole text."""
        if style and self._plain:
            self.spans.append((0, len(self._plain), style))

    def join(self, lines: Iterable[Text]) -> Text:
        """`lines` with this text between each two (rich's `Text.join`)."""
        out = Text(style=self.style)
        for i, line in enumerate(lines):
            if i and self._plain:
                out.append_text(self)
            out.append_text(line)
        return out

    def __rich__(self) -> RenderableType:
        _rich_wraps_japanese()
        from rich.text import Span as RichSpan
        from rich.text import Text as RichText

        return RichText(
            self._plain, style=self.style, spans=[RichSpan(s, e, st) for s, e, st in self.spans]
        )


class Pad:
    """`renderable` indented by `left` columns; with `expand` (rich's default) it takes the
    whole width, else only what it needs (a table)."""

    __slots__ = ("expand", "left", "renderable")

    def __init__(self, renderable: Text | Table, left: int, *, expand: bool = True) -> None:
        self.renderable = renderable
        self.left = left
        self.expand = expand

    def __rich__(self) -> RenderableType:
        _rich_wraps_japanese()
        from rich.padding import Padding

        return Padding(_rich(self.renderable), (0, 0, 0, self.left), expand=self.expand)


class Column:
    __slots__ = ("header", "justify", "no_wrap", "overflow")

    def __init__(self, header: str, *, justify: Justify, no_wrap: bool, overflow: Overflow) -> None:
        self.header = header
        self.justify: Justify = justify
        self.no_wrap = no_wrap
        self.overflow: Overflow = overflow


class Table:
    """A grid (`Table.grid`: no header, no lines) or a table with a header and a rule under
    it (`Table.headed`: rich's `box.SIMPLE_HEAD`, no edge, no edge padding)."""

    __slots__ = ("columns", "headed", "padding", "rows")

    def __init__(self, *, headed: bool, padding: tuple[int, int]) -> None:
        self.headed = headed
        self.padding = padding  # (right, left) of each cell, as rich's (0, right, 0, left)
        self.columns: list[Column] = []
        self.rows: list[list[Text | str]] = []

    @classmethod
    def grid(cls, *, right_padding: int = 0) -> Table:
        """rich's `Table.grid(padding=(0, right_padding, 0, 0))`."""
        return cls(headed=False, padding=(right_padding, 0))

    @classmethod
    def headed_table(cls) -> Table:
        """rich's `Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=False)`."""
        return cls(headed=True, padding=(1, 1))

    def add_column(
        self,
        header: str = "",
        *,
        justify: Justify = "left",
        no_wrap: bool = False,
        overflow: Overflow = "ellipsis",
    ) -> None:
        self.columns.append(Column(header, justify=justify, no_wrap=no_wrap, overflow=overflow))

    def add_row(self, *cells: Text | str) -> None:
        self.rows.append(list(cells))

    def __rich__(self) -> RenderableType:
        _rich_wraps_japanese()
        from rich import box
        from rich.table import Table as RichTable

        right, left = self.padding
        if self.headed:
            table = RichTable(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=False)
        else:
            table = RichTable.grid(padding=(0, right, 0, left))
        for c in self.columns:
            table.add_column(c.header, justify=c.justify, no_wrap=c.no_wrap, overflow=c.overflow)
        for row in self.rows:
            table.add_row(*(_rich(cell) for cell in row))
        return table


class Rule:
    """A horizontal line across the width with `title` at its left (rich's
    `Rule(title, align="left", style=style)`)."""

    __slots__ = ("style", "title")

    def __init__(self, title: Text, *, style: str = "") -> None:
        self.title = title
        self.style = style

    def __rich__(self) -> RenderableType:
        _rich_wraps_japanese()
        from rich.rule import Rule as RichRule

        return RichRule(cast("RichText", self.title.__rich__()), align="left", style=self.style)


def _rich_wraps_japanese() -> None:
    """rich draws these objects only after render/linebreak.py has taught it where Japanese
    may break (any rich console, not only the CLI's)."""
    from mailauth.render import linebreak

    linebreak.install()


def _rich(item: Text | Table | str) -> RenderableType:
    return item if isinstance(item, str) else item.__rich__()


def rich_lines(lines: Iterable[Any]) -> list[Text]:
    """rich `Text` lines as `Text`: what `wrap` gives on a rich console."""
    return [Text(line.plain, line.style, spans=[(s.start, s.end, s.style) for s in line.spans])
            for line in lines]  # fmt: skip

"""Layout primitives of the text reports: a catalogue template with styled fields, a line
with a hanging indent, `Name: value` fields and tables that never break a value mid-token.

Two kinds of text reach a terminal and they wrap differently. Prose (a finding's detail, a
reason) wraps at spaces and continues under its own first word. A value an admin may copy (a
record, a host name, an address) is printed with soft wrapping only: the terminal may fold
the line, but no newline is inserted, so copy-paste gives the value exactly.
"""

from __future__ import annotations

import re
from _string import formatter_parser  # type: ignore[import-not-found]  # string.Formatter.parse
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, cast

from mailauth.i18n import field_label, label, template
from mailauth.names import display_name
from mailauth.render.ink import Canvas, Pad, Table, Text, rich_lines
from mailauth.render.plain_canvas import PlainCanvas
from mailauth.render.sanitize import printable

_RECORD = re.compile(r"v=[A-Za-z0-9]+\b")  # how every DNS record we quote starts (v=spf1...)
_GLUE = "\ue000"  # a private-use character: one cell wide, not white space, never in output


def styled(key: str, lang: str, /, style: str = "", **params: str | int | Text) -> Text:
    """The template `key` with its fields filled, keeping the style of `Text` values (a
    coloured status word inside a heading) without splitting the phrase into fragments that
    a translation could not reorder. Plain values are inserted as they are: callers pass
    text from DNS or messages through `printable()` first."""
    out = Text(style=style)
    for literal, name, spec, _ in formatter_parser(template(key, lang)):
        out.append(literal)
        if name is None:
            continue
        value = params.get(name)
        if value is None:
            out.append("{" + name + "}")  # visible, like label() does, rather than a crash
        elif isinstance(value, Text):
            out.append_text(value)
        else:
            out.append(format(value, spec or ""))
    return out


def print_hanging(console: Canvas, prefix: Text | str, body: Text, indent: int = 0) -> None:
    """`prefix body` where wrapped lines of `body` continue under its first character, not
    under the prefix (a numbered item, a severity word, a field name)."""
    grid = Table.grid()
    grid.add_column(no_wrap=True)
    grid.add_column()
    grid.add_row(prefix, body)
    console.print(Pad(grid, indent, expand=False))


def print_prose(
    console: Canvas, name: str, text: str, lang: str, indent: int, keep: Iterable[str] = ()
) -> None:
    """`Name: text`, wrapped at spaces under its first line, except inside a DNS record that
    the sentence quotes (one of `keep` starting with `v=`) when the record fits on a line:
    a record split over two lines is easy to copy wrongly. `text` is already printable."""
    width = console.width - indent
    records = {r for r in keep if _RECORD.match(r) and " " in r and len(r) < width}
    for record in sorted(records, key=len, reverse=True):
        text = text.replace(record, record.replace(" ", _GLUE))
    line = Text(label("layout.colon", lang, name=name), style="bold")
    line.append(" ")
    line.append(text)
    for wrapped in _wrap(console, line, width):
        plain = wrapped.plain.replace(_GLUE, " ")
        console.print(Text(" " * indent).append_text(Text(plain, spans=wrapped.spans)))


def print_field(
    console: Canvas, name: str, value: Any, lang: str, indent: int = 2, *, prose: bool = False
) -> None:
    """`Name: value`. A value is one logical line (soft-wrapped only, so a record stays
    copyable); `prose=True` wraps it at spaces with a hanging indent instead (a Received
    header, a reason). A list of several values goes one per line below the name."""
    head = Text(label("layout.colon", lang, name=name), style="bold")
    if isinstance(value, (list, tuple)) and len(value) > 1:
        console.print(Text(" " * indent).append_text(head))
        for item in value:
            console.print(Text(" " * (indent + 2) + "- " + scalar(item, lang)), soft_wrap=True)
        return
    if prose:
        print_hanging(console, head.append(" "), Text(scalar(value, lang)), indent)
        return
    line = Text(" " * indent).append_text(head)
    line.append(" ")
    line.append(scalar(value, lang))
    console.print(line, soft_wrap=True)


def print_table(
    console: Canvas,
    title: str | None,
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[str],
    lang: str,
    indent: int = 2,
    *,
    header: Callable[[str, str], str] = field_label,
) -> None:
    """Rows of flat records, under a `Title:` line when given; columns with no value in any
    row are left out. When the columns cannot fit the width without breaking a value inside
    a word (a host name, an address), each row is printed as a block of `Name: value` fields
    instead."""
    used = [c for c in columns if any(_present(row.get(c)) for row in rows)]
    if title is not None:
        console.print(Text(" " * indent + label("layout.colon", lang, name=title), style="bold"))
    table = Table.headed_table()
    for col in used:
        table.add_column(header(col, lang), overflow="fold")
    for row in rows:
        table.add_row(*(scalar(row.get(col), lang) for col in used))
    if _fits(console, table, console.width - indent - 2):
        console.print(Pad(table, indent + 2, expand=False))
        return
    for row in rows:
        shown = [c for c in used if _present(row.get(c))]
        for number, col in enumerate(shown):
            line = Text(" " * (indent + 2) + ("- " if number == 0 else "  "))
            line.append(label("layout.colon", lang, name=header(col, lang)), style="bold")
            line.append(" " + scalar(row[col], lang))
            console.print(line, soft_wrap=True)


def scalar(value: Any, lang: str) -> str:
    """One value as shown in a field or cell, made printable."""
    if not _present(value):
        return label("value.none", lang)
    if isinstance(value, bool):
        return label("value.yes" if value else "value.no", lang)
    if isinstance(value, (list, tuple)):
        return ", ".join(scalar(v, lang) for v in value)
    if isinstance(value, Mapping):
        return ", ".join(f"{k}={scalar(v, lang)}" for k, v in value.items())
    # A host or domain name is shown as people write it (U-labels, issue 14).
    return printable(display_name(value) if isinstance(value, str) else str(value))


def _present(value: Any) -> bool:
    return value is not None and value != "" and value != [] and value != ()


def _wrap(console: Canvas, text: Text, width: int) -> list[Text]:
    """`text` wrapped to `width` as the canvas wraps it (rich's `Text.wrap`)."""
    if isinstance(console, PlainCanvas):
        return console.wrap(text, width)
    from rich.console import Console
    from rich.text import Text as RichText

    # __rich__ has installed the Japanese line breaker (render/linebreak.py)
    return rich_lines(cast(RichText, text.__rich__()).wrap(cast(Console, console), width))


def _fits(console: Canvas, table: Table, width: int) -> bool:
    """Whether `table` can be laid out in `width` cells without breaking a word."""
    if isinstance(console, PlainCanvas):
        return console.fits(table, width)
    from rich.console import Console

    return cast(Console, console).measure(table.__rich__()).minimum <= width

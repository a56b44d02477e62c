"""The plain canvas writes what rich's colourless console writes, byte for byte (issue 10,
start-up: piped text reports no longer import rich's console).

Every sample report (`verify` of every sample message, `check` of every scenario zone, in
English and Japanese) is rendered through the CLI twice: as it runs (the plain canvas) and
with `Environment.canvas` giving rich's console, as before; the outputs must be equal, and
the plain canvas must not have handed a single print to rich. The layout primitives are then
compared at many widths on generated text (ASCII, Japanese, long tokens, several lines),
where the reports alone would only try 100 columns.
"""

from __future__ import annotations

import functools
import io
import random
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, cast

import pytest
from click.testing import CliRunner
from rich.console import Console
from rich.text import Text as RichText

from mailauth.cli.main import main
from mailauth.render.environment import Environment
from mailauth.render.ink import Canvas, Pad, Rule, Table, Text, rich_lines
from mailauth.render.layout import print_field, print_hanging, print_prose, print_table
from mailauth.render.plain_canvas import PlainCanvas

REPO = Path(__file__).resolve().parents[3]
MESSAGES = sorted(str(p) for p in (REPO / "samples/messages").glob("*.eml"))
ZONE_DIRS = [
    REPO / "samples/zones",
    *sorted(p for p in (REPO / "tests/data/zones").iterdir() if p.is_dir()),
]


def _cases() -> Iterator[tuple[str, list[str]]]:
    yield "verify-samples", ["verify", *MESSAGES, "--zone", str(REPO / "samples/zones")]
    for zones in ZONE_DIRS:
        names = sorted({p.name.removesuffix(".zone") for p in zones.rglob("*.zone")})
        domains = [n for n in names if not n.endswith(".arpa")]
        yield f"check-{zones.name}", ["check", *domains, "--zone", str(zones), "--no-fetch"]


CASES = dict(_cases())


def _no_fallback() -> Console:
    raise AssertionError("the plain canvas handed a print to rich")


class _Both(PlainCanvas):
    """A canvas that prints everything on the plain canvas and on rich's console, each
    into its own buffer, so one run of a command renders its reports both ways; where a
    renderer asks the canvas to measure or wrap, both must give the same answer."""

    def __init__(self, width: int) -> None:
        self.plain = io.StringIO()
        self.rich = io.StringIO()
        super().__init__(self.plain, width, _no_fallback)
        self._rich = Environment(self.rich, io.StringIO(), width=width).console()
        self.failures: list[BaseException] = []  # a renderer's error must not go unseen

    def print(self, *objects: Any, soft_wrap: bool | None = None) -> None:
        try:
            super().print(*objects, soft_wrap=soft_wrap)
            self._rich.print(*objects, soft_wrap=soft_wrap)
        except BaseException as exc:
            self.failures.append(exc)
            raise

    def fits(self, table: Table, width: int) -> bool:
        fits = super().fits(table, width)
        assert fits == (self._rich.measure(table.__rich__()).minimum <= width)
        return fits

    def wrap(self, text: Text, width: int) -> list[Text]:
        lines = rich_lines(cast(RichText, text.__rich__()).wrap(self._rich, width))
        assert [line.plain for line in super().wrap(text, width)] == [x.plain for x in lines]
        return lines


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_every_sample_report_is_the_same_without_rich(
    case: str, lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    canvases: list[_Both] = []

    def both(env: Environment) -> Canvas:
        assert not env.colors
        canvases.append(_Both(env.width or 100))
        return canvases[-1]

    monkeypatch.setattr(Environment, "canvas", both)
    env = {"NO_COLOR": None, "FORCE_COLOR": None, "MAILAUTH_LANG": None}
    result = CliRunner().invoke(main, [*CASES[case], "--lang", lang], env=env)
    assert result.exit_code in (0, 1, 3), result.output[-2000:]
    (canvas,) = canvases
    assert not canvas.failures
    assert canvas.plain.getvalue() == canvas.rich.getvalue()
    assert len(canvas.plain.getvalue().splitlines()) > 10  # reports were written


def test_a_piped_report_uses_the_plain_canvas() -> None:
    assert isinstance(Environment(io.StringIO(), io.StringIO()).canvas(), PlainCanvas)
    assert isinstance(Environment(io.StringIO(), io.StringIO(), colors=True).canvas(), Console)


def test_an_ascii_stream_keeps_rich() -> None:
    """rich draws rules and table lines in ASCII on a stream that cannot take UTF-8."""
    stream = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
    assert isinstance(Environment(stream, io.StringIO()).canvas(), Console)


def test_what_it_cannot_lay_out_goes_to_rich() -> None:
    out = io.StringIO()
    env = Environment(out, io.StringIO(), width=40)
    canvas = env.canvas()
    canvas.print(Text("a\ttab"))  # rich expands tabs; the plain canvas leaves that to it
    expected = io.StringIO()
    Environment(expected, io.StringIO(), width=40).console().print(Text("a\ttab").__rich__())
    assert out.getvalue() == expected.getvalue() == "a       tab\n"


# --- the layout primitives at many widths ---

WORDS = [
    "mail",
    "example.jp",
    "v=spf1",
    "include:_spf.google.com",
    "-all",
    "DKIM",
    "署名",
    "受信側は",
    "「迷惑メール」",
    "に振り分けます。",
    "x" * 37,
    "日本語.jp",
    "(RFC 7208 §4.6.4)",
    "a",
    "",
    "    ",
]


def _sentence(rng: random.Random, words: int) -> str:
    out = []
    for _ in range(words):
        word = rng.choice(WORDS)
        out.append(word + rng.choice(["", " ", " ", "  ", "\n"]))
    return "".join(out)


def _both(width: int, draw: Callable[[Canvas], None]) -> tuple[str, str]:
    """What `draw` prints on the plain canvas (which may hand a print it cannot lay out
    to rich, as in a real run) and on rich's console."""
    plain = io.StringIO()
    draw(Environment(plain, io.StringIO(), width=width).canvas())
    rich = io.StringIO()
    draw(Environment(rich, io.StringIO(), width=width).console())
    return plain.getvalue(), rich.getvalue()


def _draw(canvas: Canvas, texts: list[str], rows: list[dict[str, str]], indent: int) -> None:
    """Every shape the reports print, with `texts` and `rows` in them."""
    canvas.print(Text(texts[0], style="bold"))
    canvas.print(Pad(Text(texts[1]), indent))
    canvas.print(Text(texts[2]), soft_wrap=True)
    print_hanging(canvas, "high  ", Text(texts[3]), 2)
    print_hanging(canvas, "1. ", Text("\n").join([Text(texts[4]), Text(texts[5])]), 4)
    print_prose(canvas, "Fix", texts[4].replace("\n", " "), "en", 4, keep=["v=spf1 -all"])
    print_field(canvas, "Record", texts[5], "en")
    print_field(canvas, "Received", texts[0], "en", prose=True)
    print_table(canvas, "Hosts", rows, ["a", "b", "c", "d"], "en")
    grid = Table.grid(right_padding=2)
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column(no_wrap=True)
    grid.add_column()
    for row in rows:
        grid.add_row(row["a"][:6], row["b"][:12], texts[1])
    canvas.print(Pad(grid, 2, expand=False))
    canvas.print(Rule(Text(texts[2].replace("\n", " ")[:60], style="bold"), style="dim"))
    canvas.print()


@pytest.mark.parametrize("seed", range(30))
def test_the_layouts_match_rich_at_any_width(seed: int) -> None:
    rng = random.Random(seed)
    for width in (12, 20, 33, 47, 60, 80, 100, 131):
        texts = [_sentence(rng, rng.randint(1, 25)) for _ in range(6)]
        rows = [
            {c: _sentence(rng, rng.randint(0, 4)).replace("\n", " ") for c in "abcd"}
            for _ in range(rng.randint(1, 4))
        ]
        indent = min(len(texts[1]) % 7, width - 1)
        plain, rich = _both(width, functools.partial(_draw, texts=texts, rows=rows, indent=indent))
        assert plain == rich, f"width {width}, seed {seed}"

"""render/cells.py gives rich's answers: cell widths, padding, folding and line breaks of
printable ASCII computed without rich, compared with rich's own functions on edge cases
and generated text; any other text is handed to rich (checked by the same comparisons)."""

from __future__ import annotations

import random
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich._wrap import divide_line as rich_divide_line
from rich.cells import cell_len as rich_cell_len
from rich.cells import chop_cells as rich_chop_cells
from rich.cells import set_cell_size as rich_set_cell_size

from mailauth.render import cells

TEXTS = [
    "",
    " ",
    "   ",
    "a",
    "word",
    "two words",
    "  leading and trailing  ",
    "Received: from mail.example.jp (mail.example.jp [192.0.2.30]) by mx.recipient.example",
    "v=spf1 ip4:192.0.2.0/25 include:_spf.esp.example -all",
    "x" * 120,
    "short " + "y" * 70 + " tail",
    "a" * 10 + " " + "b" * 10,
    "tab\there",
    "control\x1b[0m",
    "日本語のテキスト",
    "mixed 日本 text",
    "e\u0301 combining",
    "emoji 😀 here",
    "─" * 82,
    "a value cut…",
    "─…─ ── …",
]
WIDTHS = [1, 2, 3, 5, 8, 10, 20, 40, 79, 80, 100]


def same(text: str, width: int) -> None:
    assert cells.cell_len(text) == rich_cell_len(text), text
    for total in (0, 1, width, len(text), len(text) + 3):
        assert cells.set_cell_size(text, total) == rich_set_cell_size(text, total), (text, total)
    assert cells.chop_cells(text, width) == rich_chop_cells(text, width), (text, width)
    for fold in (True, False):
        got = cells.divide_line(text, width, fold)
        assert got == rich_divide_line(text, width, fold), (text, width, fold)


@pytest.mark.parametrize("text", TEXTS)
def test_edge_cases(text: str) -> None:
    for width in WIDTHS:
        same(text, width)


def test_generated_ascii_lines() -> None:
    rng = random.Random(20261207)
    alphabet = "ab c  .-:;/<>()[]@=─…" + "x" * 5
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 160)))
        same(text, rng.choice(WIDTHS))


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet="ab Z9 .\t日-─…", max_size=60),
    st.integers(1, 30),
)
def test_generated_text(text: str, width: int) -> None:
    same(text, width)


def test_a_plain_report_on_a_pipe_loads_no_rich() -> None:
    """What the module is for: printable ASCII is laid out without importing rich."""
    code = (
        "import sys; from mailauth.render import cells\n"
        "cells.divide_line('Received: from mail.example.jp ' * 5, 40)\n"
        "cells.set_cell_size('abc', 10); cells.chop_cells('x' * 90, 20)\n"
        "cells.cell_len('─' * 80); cells.set_cell_size('a value cut…', 5)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'rich'))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"

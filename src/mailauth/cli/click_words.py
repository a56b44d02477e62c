"""click's own words ("Usage:", "Options", "Show this message and exit.", "No such option")
in the language of the invocation.

click marks its words for gettext (`_("Usage:")`, `ngettext(...)`), but Python's gettext
picks a language from the environment only, once per process, from compiled .mo files: it
cannot follow `--lang`. click's modules bind those two names as module globals
(`from gettext import gettext as _`), looked up at each call, so `install()` binds them, in
click's modules only, to the two functions below: they look the message up among the UI
keys `click.*` (their English text is click's own message, character for character) in the
language `cli.localize.language()` gives, and return click's message unchanged for English
or for a message without a key. The Japanese keeps click's {fields}, which click fills.

click also wraps help text by counting characters and breaking at spaces; a Japanese
character takes two terminal cells and Japanese has no spaces. `install()` gives click's
help wrapper (`click._textwrap`, which `click.formatting` uses) the width of text in cells
and Japanese break opportunities (render/breaks.py); for ASCII text both are click's own.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

import click._textwrap
import click.formatting

from mailauth.cli.localize import language
from mailauth.i18n import REFERENCE, catalogue, template
from mailauth.render.breaks import cells, words

_CLICK_MODULES = (
    "click.core",
    "click.decorators",
    "click.exceptions",
    "click.formatting",
    "click.parser",
    "click.termui",
    "click.types",
    "click.utils",
)


@cache
def _keys() -> Mapping[str, str]:
    """click's English message -> the UI key that translates it."""
    english = catalogue(REFERENCE)
    return {english[k]: k for k in english if k.startswith("click.")}


def gettext(message: str) -> str:
    """click's `_(message)` in the current language."""
    lang = language()
    key = _keys().get(message) if lang != REFERENCE else None
    return template(key, lang) if key is not None else message


def ngettext(singular: str, plural: str, n: int) -> str:
    """click's `ngettext`: the English form by `n`, then translated (Japanese has one form)."""
    return gettext(singular if n == 1 else plural)


class CellWrapper(click._textwrap.TextWrapper):
    """click's help wrapper, also cutting a chunk of Japanese where Japanese may break."""

    def _split(self, text: str) -> list[str]:
        chunks: list[str] = super()._split(text)
        if text.isascii():
            return chunks
        return [word for chunk in chunks for _, word in words(chunk)]


def _term_len(click_term_len: Callable[[str], int]) -> Callable[[str], int]:
    def term_len(text: str) -> int:
        """click's visible length, in terminal cells: a wide character counts two."""
        return click_term_len(text) if text.isascii() else cells(text)

    return term_len


def install() -> None:
    """Bind click's `_` and `ngettext` to the functions above, and its help wrapper to
    `CellWrapper` measuring in cells (see the module docstring)."""
    textwrap: Any = click._textwrap
    if textwrap.TextWrapper is not CellWrapper:
        textwrap.term_len = _term_len(textwrap.term_len)
        formatting: Any = click.formatting
        formatting.term_len = _term_len(formatting.term_len)
        textwrap.TextWrapper = CellWrapper
    for name in _CLICK_MODULES:
        module = importlib.import_module(name)
        if hasattr(module, "_"):
            module._ = gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]

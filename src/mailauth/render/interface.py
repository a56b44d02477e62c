"""The output-format seam: a `Format` chosen with `--format`, and the `Renderer` shape.

A renderer turns finished reports into bytes on the environment's stdout and does nothing
else (no DNS, no exit codes). `registry.Renderers` maps every `Format` to a renderer for each
kind of report with an exhaustive `match` (`assert_never`), so a format added here and not
wired everywhere fails `mypy --strict` instead of failing a user.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from typing import NoReturn, Protocol, TypeVar

from mailauth.render.environment import Environment


class Format(str, Enum):
    """`--format` choices. SARIF, JUnit, Markdown and HTML are planned."""

    TEXT = "text"
    JSON = "json"


R_contra = TypeVar("R_contra", contravariant=True)


class Renderer(Protocol[R_contra]):
    """Writes reports of one kind (domain reports, message reports) in one format."""

    def __call__(self, reports: Sequence[R_contra], env: Environment) -> None: ...


def assert_never(value: NoReturn) -> NoReturn:
    """`typing.assert_never` for Python 3.10: reaching it means an enum member is unhandled."""
    raise AssertionError(f"unhandled value: {value!r}")

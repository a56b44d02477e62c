"""The output-format seam: a `Format` chosen with `--format`, and the `Renderer` shape.

A renderer turns finished reports into bytes on the environment's stdout and does nothing
else (no DNS, no exit codes). `registry.Renderers` maps every `Format` to a renderer for each
kind of report with an exhaustive `match` (`assert_never`), so a format added here and not
wired everywhere fails `mypy --strict` instead of failing a user.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from typing import NoReturn, Protocol, TypeVar, runtime_checkable

from mailauth.model import Finding
from mailauth.render.environment import Environment
from mailauth.scoring import ScoreCard


class Format(str, Enum):
    """`--format` choices; each command says which it supports (render/registry.py)."""

    TEXT = "text"
    JSON = "json"
    AUTHENTICATION_RESULTS = "authentication-results"
    # The CI formats (issue 13): a PR comment or $GITHUB_STEP_SUMMARY, GitHub code scanning,
    # workflow annotations, test reports, and one line / one row per report for scripts.
    MARKDOWN = "markdown"
    SARIF = "sarif"
    GITHUB = "github"
    JUNIT = "junit"
    JSONL = "jsonl"
    CSV = "csv"
    HTML = "html"  # `mailauth report` and `stats`: one self-contained page


@runtime_checkable
class Reportable(Protocol):
    """What every scored report offers, whatever it is about (a domain, a message, later a
    DMARC aggregate report): the shape cross-cutting formats (SARIF, JUnit, Markdown) are
    written against, once, instead of once per report kind."""

    @property
    def target(self) -> str:
        """What the report is about, as the user named it: a domain, a file."""
        ...

    @property
    def score(self) -> ScoreCard: ...

    @property
    def findings(self) -> Sequence[Finding]:
        """Worst first."""
        ...


R_contra = TypeVar("R_contra", contravariant=True)


class Renderer(Protocol[R_contra]):
    """Writes reports of one kind (domain reports, message reports) in one format."""

    def __call__(self, reports: Sequence[R_contra], env: Environment) -> None: ...


def assert_never(value: NoReturn) -> NoReturn:
    """`typing.assert_never` for Python 3.10: reaching it means an enum member is unhandled."""
    raise AssertionError(f"unhandled value: {value!r}")

"""Which formats each command writes, and with which writer: one exhaustive `match` per kind
of report over every `Format`.

A format added to `Format` fails `mypy --strict` here until every kind of report either wires
a writer for it or refuses it (`None`); the CLI offers each command exactly the formats whose
opener is not None (`supported`). Writers are imported when a run first opens them
(`_deferred`), so building the CLI and `--help` load none of them; a test opens every
opener of every command, so a misspelt module or name cannot hide.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

from mailauth.render.environment import Environment
from mailauth.render.interface import Format, assert_never
from mailauth.render.output import Opener, ReportWriter

if TYPE_CHECKING:
    from mailauth.domain.runner import DomainReport
    from mailauth.message.report import MessageReport
    from mailauth.message.spf import SpfOutcome
    from mailauth.report.analysis import ReportAnalysis
    from mailauth.stats.run import Stats

R = TypeVar("R")
Formats = Callable[[Format], "Opener[R] | None"]


def domain_formats(fmt: Format) -> Opener[DomainReport] | None:
    """`mailauth check`."""
    match fmt:
        case Format.TEXT:  # the text report, and what changed since --baseline
            return _deferred("mailauth.render.changes_text", "text_writer")
        case Format.JSON:
            return _deferred("mailauth.render.json", "domain_json_writer")
        case Format.AUTHENTICATION_RESULTS | Format.HTML:
            return None
        case Format.MARKDOWN:
            return _deferred("mailauth.render.markdown", "markdown_writer")
        case Format.SARIF:
            return _deferred("mailauth.render.sarif", "sarif_writer")
        case Format.GITHUB:
            return _deferred("mailauth.render.github", "GithubWriter")
        case Format.JUNIT:
            return _deferred("mailauth.render.junit", "junit_writer")
        case Format.JSONL:
            return _deferred("mailauth.render.jsonl", "domain_jsonl_writer")
        case Format.CSV:
            return _deferred("mailauth.render.csv_rows", "DomainCsvWriter")
        case _:
            assert_never(fmt)


def message_formats(fmt: Format) -> Opener[MessageReport] | None:
    """`mailauth verify`."""
    match fmt:
        case Format.TEXT:
            return _deferred("mailauth.render.message_text", "text_writer")
        case Format.JSON:
            return _deferred("mailauth.render.message_json", "message_json_writer")
        case Format.AUTHENTICATION_RESULTS:
            return _deferred("mailauth.render.authresults_text", "AuthResultsWriter")
        case Format.MARKDOWN:
            return _deferred("mailauth.render.markdown", "markdown_writer")
        case Format.SARIF:
            return _deferred("mailauth.render.sarif", "sarif_writer")
        case Format.GITHUB:
            return _deferred("mailauth.render.github", "GithubWriter")
        case Format.JUNIT:
            return _deferred("mailauth.render.junit", "junit_writer")
        case Format.JSONL:
            return _deferred("mailauth.render.jsonl", "message_jsonl_writer")
        case Format.CSV:
            return _deferred("mailauth.render.csv_rows", "MessageCsvWriter")
        case Format.HTML:
            return None
        case _:
            assert_never(fmt)


def spf_formats(fmt: Format) -> Opener[SpfOutcome] | None:
    """`mailauth spf`."""
    match fmt:
        case Format.TEXT:
            return _deferred("mailauth.render.message_spf_text", "text_writer")
        case Format.JSON:
            return _deferred("mailauth.render.message_json", "spf_json_writer")
        case (
            Format.AUTHENTICATION_RESULTS
            | Format.MARKDOWN
            | Format.SARIF
            | Format.GITHUB
            | Format.JUNIT
            | Format.JSONL
            | Format.CSV
            | Format.HTML
        ):
            return None
        case _:
            assert_never(fmt)


def report_formats(fmt: Format) -> Opener[ReportAnalysis] | None:
    """`mailauth report`."""
    return _page_formats("report", fmt)


def stats_formats(fmt: Format) -> Opener[Stats] | None:
    """`mailauth stats`."""
    return _page_formats("stats", fmt)


def _page_formats(command: str, fmt: Format) -> Opener[Any] | None:
    """The formats of a command whose result is one document, not a report per target
    (`report`, `stats`): text, JSON, CSV, Markdown and an HTML page, each in
    `mailauth.render.<command>_<format>`."""
    match fmt:
        case Format.TEXT | Format.JSON | Format.CSV | Format.MARKDOWN | Format.HTML:
            return _deferred(f"mailauth.render.{command}_{fmt.value}", f"{fmt.value}_writer")
        case (
            Format.AUTHENTICATION_RESULTS
            | Format.SARIF
            | Format.GITHUB
            | Format.JUNIT
            | Format.JSONL
        ):
            return None
        case _:
            assert_never(fmt)


def supported(formats: Formats[R]) -> tuple[Format, ...]:
    """The formats a command offers (`--format` choices), in `Format` order."""
    return tuple(f for f in Format if formats(f) is not None)


def _deferred(module: str, name: str) -> Opener[Any]:
    """The opener `module.name`, imported when a run opens it."""

    def open_writer(sink: Environment, expected: int | None) -> ReportWriter[Any]:
        __import__(module)  # not importlib.import_module: -X importtime lists this
        opener = cast("Opener[Any]", getattr(sys.modules[module], name))
        return opener(sink, expected)

    return open_writer

"""`--format jsonl`: one report per line, each the same object `--format json` writes for it,
written as soon as the report is ready (a 100,000-domain run streams in flat memory, and a
reader can process a partial file: every complete line is a complete report)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from mailauth.domain.runner import DomainReport
from mailauth.message.report import MessageReport
from mailauth.render.environment import Environment
from mailauth.render.output import _fallback

R = TypeVar("R")


class JsonLinesWriter(Generic[R]):
    def __init__(self, sink: Environment, project: Callable[[R, str], Any]) -> None:
        self._out = sink.stdout
        self._lang = sink.lang
        self._project = project

    def emit(self, report: R) -> None:
        obj = self._project(report, self._lang)
        line = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), default=_fallback)
        self._out.write(line + "\n")
        self._out.flush()

    def close(self) -> None:
        self._out.flush()


def domain_jsonl_writer(sink: Environment, expected: int | None) -> JsonLinesWriter[DomainReport]:
    from mailauth.render.baseline_json import with_baseline
    from mailauth.render.json import domain_json

    return JsonLinesWriter(sink, with_baseline(domain_json, sink.run))


def message_jsonl_writer(sink: Environment, expected: int | None) -> JsonLinesWriter[MessageReport]:
    from mailauth.render.message_json import message_json

    return JsonLinesWriter(sink, message_json)

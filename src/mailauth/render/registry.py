"""`--format` -> renderer, for every kind of report, in one table.

`Renderers` has one field per `Format` and `for_format` matches every member (`assert_never`):
a format added to the enum fails `mypy --strict` here until it is wired, and every report
kind below fails to construct until it has a renderer for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from mailauth.domain.runner import DomainReport
from mailauth.message.report import MessageReport
from mailauth.message.spf import SpfOutcome
from mailauth.render import json as json_format
from mailauth.render import message_json, message_spf_text, message_text
from mailauth.render import text as text_format
from mailauth.render.interface import Format, Renderer, assert_never

R = TypeVar("R")


@dataclass(frozen=True)
class Renderers(Generic[R]):
    """The renderer of each format for one kind of report."""

    text: Renderer[R]
    json: Renderer[R]

    def for_format(self, fmt: Format) -> Renderer[R]:
        match fmt:
            case Format.TEXT:
                return self.text
            case Format.JSON:
                return self.json
            case _:
                assert_never(fmt)


DOMAIN_REPORTS: Renderers[DomainReport] = Renderers(
    text=text_format.render_domains, json=json_format.render_domains
)
MESSAGE_REPORTS: Renderers[MessageReport] = Renderers(
    text=message_text.render_messages, json=message_json.render_messages
)
SPF_TRACES: Renderers[SpfOutcome] = Renderers(
    text=message_spf_text.render_spf, json=message_json.render_spf
)

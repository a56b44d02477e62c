"""`--format` -> renderer for domain reports, exhaustively (a new Format must be wired here)."""

from __future__ import annotations

from mailauth.domain.runner import DomainReport
from mailauth.render import json as json_format
from mailauth.render import text as text_format
from mailauth.render.interface import Format, Renderer, assert_never


def domain_renderer(fmt: Format) -> Renderer[DomainReport]:
    match fmt:
        case Format.TEXT:
            return text_format.render_domains
        case Format.JSON:
            return json_format.render_domains
        case _:
            assert_never(fmt)

"""`--format` -> renderer for message reports and SPF traces, exhaustively (see registry.py)."""

from __future__ import annotations

from mailauth.message.report import MessageReport
from mailauth.message.spf import SpfOutcome
from mailauth.render import message_json, message_spf_text, message_text
from mailauth.render.interface import Format, Renderer, assert_never


def message_renderer(fmt: Format) -> Renderer[MessageReport]:
    match fmt:
        case Format.TEXT:
            return message_text.render_messages
        case Format.JSON:
            return message_json.render_messages
        case _:
            assert_never(fmt)


def spf_renderer(fmt: Format) -> Renderer[SpfOutcome]:
    match fmt:
        case Format.TEXT:
            return message_spf_text.render_spf
        case Format.JSON:
            return message_json.render_spf
        case _:
            assert_never(fmt)

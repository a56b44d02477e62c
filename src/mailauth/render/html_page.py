"""The shell of mailauth's self-contained HTML pages (`report --format html`, `stats --format
html`): one place for the Content-Security-Policy that keeps them free of scripts, external
loads and fonts (images only as data: URLs), so the two pages cannot drift apart on it."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

# No script, no fetch, no font: the page is data from strangers' DNS and reports.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def e(value: object) -> str:
    """Text or an attribute value, escaped (quotes too)."""
    return escape(str(value), quote=True)


def page(lang: str, title: str, style: str, body: Iterable[str]) -> str:
    """The whole document around `body` (already escaped HTML fragments)."""
    return (
        f'<!DOCTYPE html>\n<html lang="{e(lang)}"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{e(title)}</title><style>{style}</style></head>"
        f"<body><main>{''.join(body)}</main></body></html>\n"
    )

"""The parsed view of each check in the text report: the few facts an admin needs, drawn from
`CheckReport.data()` (the full data is in `--format json`).

A view only reads `data()` with `.get`, so a check that adds or renames a field never breaks
the text report; a check without a view here (a new one) gets the generic view, and a view
that trips over unexpected data falls back to it too.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from rich.console import Console
from rich.text import Text

from mailauth.i18n import field_label, has_label, label
from mailauth.render.layout import print_field, print_table
from mailauth.render.sanitize import printable

log = logging.getLogger(__name__)

View = Callable[[Console, Mapping[str, Any], str], None]


def print_check_view(console: Console, check: str, data: Mapping[str, Any], lang: str) -> None:
    view = VIEWS.get(check, generic_view)
    try:
        view(console, data, lang)
    except (KeyError, TypeError, ValueError, AttributeError):
        log.debug("view of %s failed; showing the generic view", check, exc_info=True)
        generic_view(console, data, lang)


def generic_view(console: Console, data: Mapping[str, Any], lang: str) -> None:
    """Every scalar (and list of scalars) that has a value, in the check's own order."""
    for key, value in data.items():
        if _shown(value) and not isinstance(value, Mapping) and not _has_mappings(value):
            print_field(console, field_label(key, lang), value, lang)


def _spf(console: Console, data: Mapping[str, Any], lang: str) -> None:
    print_field(console, field_label("record", lang), data.get("record"), lang)
    if not data.get("record"):
        return
    for key, limit_key in (
        ("dns_lookups", "dns_lookup_limit"),
        ("void_lookups", "void_lookup_limit"),
    ):
        if data.get(key) is not None:
            # A failed or unexpandable include makes the counts lower bounds (spf_tree).
            template = (
                "value.count-of-limit"
                if data.get("lookups_complete", True)
                else "value.at-least-count-of-limit"
            )
            value = label(template, lang, count=data[key], limit=data.get(limit_key, "?"))
            print_field(console, field_label(key, lang), value, lang)
    tip = data.get("tipping_point")
    if isinstance(tip, Mapping) and tip.get("term"):
        path = " > ".join([*tip.get("path", []), tip["term"]])
        print_field(console, field_label("tipping_point", lang), path, lang, prose=True)
    nodes = data.get("includes") or []
    if nodes:
        console.print(
            Text(
                "  " + label("layout.colon", lang, name=field_label("breakdown", lang)),
                style="bold",
            )
        )
        _spf_tree(console, nodes, lang, depth=0)
    rr = data.get("spf_rrtype_records")
    if rr:
        print_field(console, field_label("spf_rrtype_records", lang), rr, lang)


def _spf_tree(console: Console, nodes: Sequence[Mapping[str, Any]], lang: str, depth: int) -> None:
    """One line per lookup-costing term: its cost, and for includes the subtree's total."""
    for node in nodes:
        cost = node.get("cost", 0)
        line = Text("    " + "  " * depth + printable(str(node.get("term", ""))))
        line.append("  ")
        line.append(label("value.lookups", lang, count=cost), style="dim")
        state = node.get("state")
        if state and state != "ok":
            key = f"spf-node.{state}"
            line.append("  ")
            line.append(label(key, lang) if has_label(key) else printable(str(state)), "yellow")
        console.print(line, soft_wrap=True)
        children = node.get("children") or []
        if children and depth < 8:
            _spf_tree(console, children, lang, depth + 1)


def _dmarc(console: Console, data: Mapping[str, Any], lang: str) -> None:
    for key in ("record", "policy", "location", "org_domain"):
        if key == "record" or _shown(data.get(key)):
            print_field(console, field_label(key, lang), data.get(key), lang)
    if data.get("testing"):
        print_field(console, field_label("testing", lang), True, lang)
    tags = data.get("tags")
    if isinstance(tags, Mapping):
        for key in ("rua", "ruf"):
            if _shown(tags.get(key)):
                print_field(console, field_label(key, lang), tags[key], lang)


def _dkim(console: Console, data: Mapping[str, Any], lang: str) -> None:
    rows = [s for s in data.get("selectors") or [] if isinstance(s, Mapping)]
    columns = ("selector", "status", "key_type", "key_bits", "cname")
    if rows:
        print_table(console, field_label("selectors", lang), rows, columns, lang)
    tried = data.get("tried")
    if tried:
        print_field(console, field_label("tried", lang), len(tried), lang)


def _mx(console: Console, data: Mapping[str, Any], lang: str) -> None:
    for key in ("null_mx", "implicit_mx"):
        if data.get(key):
            print_field(console, field_label(key, lang), True, lang)
    rows: list[dict[str, Any]] = []
    for host in data.get("hosts") or []:
        addresses = host.get("addresses") or [{}]
        for address in addresses:
            rows.append(
                {
                    "preference": host.get("preference"),
                    "host": host.get("name"),
                    "cname": host.get("cname"),
                    "address": address.get("address"),
                    "ptr": address.get("ptr"),
                    "fcrdns": address.get("fcrdns"),
                }
            )
    if rows:
        columns = ("preference", "host", "cname", "address", "ptr", "fcrdns")
        print_table(console, field_label("hosts", lang), rows, columns, lang)


def _record_then(*keys: str) -> View:
    """A view of `record` followed by the given fields when they have a value."""

    def view(console: Console, data: Mapping[str, Any], lang: str) -> None:
        print_field(console, field_label("record", lang), data.get("record"), lang)
        for key in keys:
            if _shown(data.get(key)):
                print_field(console, field_label(key, lang), data[key], lang)

    return view


VIEWS: dict[str, View] = {
    "spf": _spf,
    "dmarc": _dmarc,
    "dkim": _dkim,
    "bimi": _record_then("location", "logo_url", "authority_url", "declined", "dmarc_enforced"),
    "mx": _mx,
    "mta_sts": _record_then("policy_url"),
    "tls_rpt": _record_then("rua"),
}


def _shown(value: Any) -> bool:
    return value is not None and value != "" and value != [] and value != {} and value is not False


def _has_mappings(value: Any) -> bool:
    return isinstance(value, (list, tuple)) and any(isinstance(v, Mapping) for v in value)

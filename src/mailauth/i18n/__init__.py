"""Every piece of user interface text that is not about a finding: headings, field names,
status words, scoring rules, error lines, CLI help, for both reports (`check`, `verify`/`spf`).

Finding text lives in the finding catalogue; this is the catalogue for everything around it.
One module per language (`en.py` is the reference; a `ja.py` with the same keys is added to
`_TABLES`), each a flat `key -> str.format template`. A key a translation leaves out falls
back to English; a key missing from English is a programming error (KeyError, caught by the
tests). Nothing shown to a user is built by concatenating fragments in code: whole phrases
with named fields, so a translation can reorder them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mailauth.i18n.en import EN

_TABLES: dict[str, Mapping[str, str]] = {"en": EN}

LANGUAGES: tuple[str, ...] = tuple(_TABLES)


class _Params(dict[str, Any]):
    """Leaves an unknown {field} visible rather than raising while a user is watching."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def template(key: str, lang: str = "en") -> str:
    """The raw template of `key` in `lang` (English when untranslated). Renderers that style
    the fields of a template (a coloured status inside a heading) start from this."""
    found = _TABLES.get(lang, EN).get(key)
    return found if found is not None else EN[key]


def label(key: str, lang: str = "en", /, **params: Any) -> str:
    """The text of `key` in `lang` (English when untranslated), with `params` filled in."""
    text = template(key, lang)
    return text.format_map(_Params(params)) if params else text


def has_label(key: str) -> bool:
    return key in EN


def field_label(name: str, lang: str = "en") -> str:
    """Heading for a data field of a report (`dns_lookups`); the raw name when not catalogued,
    so a check that adds a field shows it at once and the label can follow."""
    key = f"field.{name}"
    return label(key, lang) if has_label(key) else name


def catalogue(lang: str = "en") -> Mapping[str, str]:
    """The table of one language as it is (without English fallback), for tests and tools."""
    return _TABLES[lang]

"""Every piece of text a user reads: UI text (headings, field names, status words, scoring
rules, error lines, CLI help) and finding text (title, detail, consequence, fix), in one lookup.

One module per language (`en.py`, later `ja.py`), each with a flat `TABLE` of
`key -> str.format template`, imported on the first use of that language (a run in English
never loads another table). Finding text is keyed `finding.<id>.title|detail|consequence|fix`.
English is the reference: its UI text is written in `en.py`, and its finding text where each
finding is defined (the `define(...)` calls in `mailauth.findings`), read from there on first
use. A translation holds both kinds of key in its one table, and may leave any key out: that key
falls back to English. A key missing from English is a programming error (KeyError, caught by
the tests). Nothing shown to a user is built by concatenating fragments in code: whole phrases
with named fields, so a translation can reorder them.
"""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Iterator, Mapping
from typing import Any

REFERENCE = "en"
FINDING_PARTS: tuple[str, ...] = ("title", "detail", "consequence", "fix")

_LANGUAGE_MODULE = re.compile(r"[a-z]{2,3}")  # `en`, `ja`: a module named like a language code


def _discover() -> tuple[str, ...]:
    """The languages that have a table module here. Reads the package directory only: no table
    is imported until its language is used (nor `pkgutil`, for one directory listing)."""
    found = set()
    for directory in __path__:
        try:
            names = os.listdir(directory)
        except OSError:
            continue
        for name in names:
            stem, dot, suffix = name.partition(".")
            if dot and suffix in ("py", "pyc") and _LANGUAGE_MODULE.fullmatch(stem):
                found.add(stem)
    return (REFERENCE, *sorted(found - {REFERENCE}))


LANGUAGES: tuple[str, ...] = _discover()

# The tables loaded so far, by language (`_table` fills it).
_TABLES: dict[str, Mapping[str, str]] = {}


class _Params(dict[str, Any]):
    """Leaves an unknown {field} visible rather than raising while a user is watching."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class _Reference(Mapping[str, str]):
    """The English table: the UI text of `en.py` plus the finding catalogue's own text.

    The catalogue is read on the first finding key, not when this table loads, so `--help`
    and UI labels never import the finding modules."""

    def __init__(self, ui: Mapping[str, str]) -> None:
        self._ui = ui

    def __getitem__(self, key: str) -> str:
        found = self._ui.get(key)
        if found is None:
            found = _english_finding_text(key)
        if found is None:
            raise KeyError(key)
        return found

    def __iter__(self) -> Iterator[str]:
        yield from self._ui
        for fid in _finding_catalogue():
            for part in FINDING_PARTS:
                yield finding_key(fid, part)

    def __len__(self) -> int:
        return len(self._ui) + len(FINDING_PARTS) * len(_finding_catalogue())


def _finding_catalogue() -> Mapping[str, Any]:
    # Imported here, not at the top: the catalogue's modules use this one.
    from mailauth.findings import CATALOGUE

    return CATALOGUE


def finding_key(finding_id: str, part: str) -> str:
    """The table key of one part of a finding's text: `finding.spf.missing.title`."""
    return f"finding.{finding_id}.{part}"


def parse_finding_key(key: str) -> tuple[str, str] | None:
    """(finding id, part) of a finding text key, None for any other key. Finding ids always
    contain a dot, so UI keys such as `finding.detail` (a heading) are not finding keys."""
    if not key.startswith("finding."):
        return None
    fid, _, part = key[len("finding.") :].rpartition(".")
    if "." not in fid or part not in FINDING_PARTS:
        return None
    return fid, part


def _english_finding_text(key: str) -> str | None:
    parsed = parse_finding_key(key)
    if parsed is None:
        return None
    entry = _finding_catalogue().get(parsed[0])
    return None if entry is None else str(getattr(entry, parsed[1]))


def _table(lang: str) -> Mapping[str, str] | None:
    """The table of `lang`, imported on its first use; None for a language without one."""
    table = _TABLES.get(lang)
    if table is None and lang in LANGUAGES:
        module = importlib.import_module(f"{__name__}.{lang}")
        table = module.TABLE
        if lang == REFERENCE:
            table = _Reference(table)
        _TABLES[lang] = table
    return table


def _english() -> Mapping[str, str]:
    table = _table(REFERENCE)
    assert table is not None  # en.py is part of the package
    return table


def template(key: str, lang: str = "en") -> str:
    """The raw template of `key` in `lang` (English when untranslated). Renderers that style
    the fields of a template (a coloured status inside a heading) start from this."""
    table = _table(lang) if lang != REFERENCE else None
    found = table.get(key) if table is not None else None
    return found if found is not None else _english()[key]


def label(key: str, lang: str = "en", /, **params: Any) -> str:
    """The text of `key` in `lang` (English when untranslated), with `params` filled in; a
    param that is itself words (`model.Phrase`) is rendered in `lang` too."""
    text = template(key, lang)
    return fill(text, {k: _words(v, lang) for k, v in params.items()}) if params else text


def _words(value: Any, lang: str) -> Any:
    from mailauth.model import Phrase  # here: model's Finding reaches this module

    return label(value.key, lang, **value.params) if isinstance(value, Phrase) else value


def fill(text: str, params: Mapping[str, Any]) -> str:
    """A template with its named fields filled; a field with no value stays visible."""
    return text.format_map(_Params(params))


def has_label(key: str) -> bool:
    return key in _english()


def field_label(name: str, lang: str = "en") -> str:
    """Heading for a data field of a report (`dns_lookups`); the raw name when not catalogued,
    so a check that adds a field shows it at once and the label can follow."""
    key = f"field.{name}"
    return label(key, lang) if has_label(key) else name


def catalogue(lang: str = "en") -> Mapping[str, str]:
    """The table of one language as it is (without English fallback), for tests and tools.
    English's includes the finding text of the catalogue."""
    table = _table(lang)
    if table is None:
        raise KeyError(f"no table for language {lang!r}")
    return table


def default_language(environ: Mapping[str, str] | None = None) -> str:
    """The language to use when none is chosen: the first of MAILAUTH_LANG, LC_ALL,
    LC_MESSAGES and LANG that is set decides, as POSIX locale variables do (`ja_JP.UTF-8`
    gives `ja`, `C` gives English). A language without a table gives English."""
    env = os.environ if environ is None else environ
    for name in ("MAILAUTH_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name)
        if value:
            code = re.split(r"[_.@-]", value, maxsplit=1)[0].lower()
            return code if code in LANGUAGES else REFERENCE
    return REFERENCE

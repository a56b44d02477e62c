"""Every --format is wired for every kind of report; every label the code uses exists in the
one UI catalogue, and translations can only follow the English templates."""

from __future__ import annotations

import re
from pathlib import Path
from string import Formatter

import pytest

from mailauth.i18n import LANGUAGES, catalogue, label, template
from mailauth.i18n import en as en_table
from mailauth.render.interface import Format
from mailauth.render.registry import DOMAIN_REPORTS, MESSAGE_REPORTS, SPF_TRACES, Renderers

SRC = Path(__file__).resolve().parents[3] / "src" / "mailauth"
EN = catalogue("en")
LITERAL_KEY = re.compile(r"""\b(?:label|styled|template|InputError)\(\s*["']([a-z0-9_.-]+)["']""")


@pytest.mark.parametrize("kind", [DOMAIN_REPORTS, MESSAGE_REPORTS, SPF_TRACES])
@pytest.mark.parametrize("fmt", list(Format))
def test_every_format_has_a_renderer_for_every_kind(kind: Renderers[object], fmt: Format) -> None:
    assert callable(kind.for_format(fmt))


def test_every_literal_label_key_in_the_code_exists() -> None:
    used: set[str] = set()
    for path in SRC.rglob("*.py"):
        used |= set(LITERAL_KEY.findall(path.read_text()))
    missing = sorted(k for k in used if k not in EN)
    assert not missing, f"labels used but not defined: {missing}"


def test_the_sections_of_the_english_table_do_not_overlap() -> None:
    sections = [
        en_table.ERRORS,
        en_table.SHARED,
        en_table.DOMAIN_REPORT,
        en_table.MESSAGE_REPORT,
        en_table.CLI_HELP,
    ]
    # a key defined twice would be lost (the finding text that completes English is not in en.py)
    assert sum(len(s) for s in sections) == len(en_table.EN)


def test_english_is_always_available_and_unknown_languages_fall_back() -> None:
    assert "en" in LANGUAGES
    assert label("check.spf", "xx") == label("check.spf", "en")
    assert template("verify.heading", "xx") == EN["verify.heading"]


def test_missing_params_stay_visible_instead_of_crashing() -> None:
    assert "{count}" in label("summary.more")


def test_labels_are_single_templates_not_fragments() -> None:
    # A fragment ending in a space or starting lower-case after a colon is a sign of
    # concatenation; keep whole sentences in the catalogue.
    assert not [k for k, v in EN.items() if v != v.strip()]


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name}


def test_every_template_parses() -> None:
    for key, text in EN.items():
        _fields(text)  # raises on a stray brace
        assert key == key.lower(), key


def test_translations_have_the_keys_and_fields_of_english() -> None:
    """A translation may leave keys out (English is shown) but never invents one, and fills
    the same named fields, so no value goes missing in another language."""
    for lang in LANGUAGES:
        table = catalogue(lang)
        assert set(table) <= set(EN), f"{lang} has keys English lacks"
        for key, text in table.items():
            assert _fields(text) == _fields(EN[key]), (lang, key)

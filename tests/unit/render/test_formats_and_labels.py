"""Every --format is wired for every kind of report; every label the code uses exists in the
one UI catalogue, and translations can only follow the English templates."""

from __future__ import annotations

import io
import re
from pathlib import Path
from string import Formatter

import pytest

from mailauth.i18n import LANGUAGES, catalogue, label, template
from mailauth.i18n import en as en_table
from mailauth.render.environment import Environment
from mailauth.render.interface import Format
from mailauth.render.registry import domain_formats, message_formats, spf_formats, supported

SRC = Path(__file__).resolve().parents[3] / "src" / "mailauth"
EN = catalogue("en")
LITERAL_KEY = re.compile(r"""\b(?:label|styled|template|InputError)\(\s*["']([a-z0-9_.-]+)["']""")


KINDS = {"check": domain_formats, "verify": message_formats, "spf": spf_formats}


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("fmt", list(Format))
def test_every_format_is_wired_or_refused_by_every_kind(kind: str, fmt: Format) -> None:
    opener = KINDS[kind](fmt)  # the match is exhaustive: no format falls through
    if opener is not None:  # opening it imports the writer: a misspelt module fails here
        sink = Environment(io.StringIO(), io.StringIO())
        writer = opener(sink, 1)
        assert callable(writer.emit) and callable(writer.close)


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_writes_text_and_json(kind: str) -> None:
    assert {Format.TEXT, Format.JSON} <= set(supported(KINDS[kind]))


def test_only_verify_writes_authentication_results() -> None:
    offering = [
        k for k, formats in KINDS.items() if Format.AUTHENTICATION_RESULTS in supported(formats)
    ]
    assert offering == ["verify"]


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
        en_table.REPORT_COMMAND,
        en_table.FRAGMENTS,
        en_table.BULK_SCAN,
        en_table.STATS_COMMAND,
        en_table.SURVEY_PROFILE,
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

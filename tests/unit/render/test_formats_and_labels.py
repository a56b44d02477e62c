"""Every --format is wired; every label the code uses exists in the catalogue."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mailauth.i18n import _EN, LANGUAGES, label
from mailauth.render.interface import Format
from mailauth.render.registry import domain_renderer

SRC = Path(__file__).resolve().parents[3] / "src" / "mailauth"


@pytest.mark.parametrize("fmt", list(Format))
def test_every_format_has_a_domain_renderer(fmt: Format) -> None:
    assert callable(domain_renderer(fmt))


def test_every_literal_label_key_in_the_code_exists() -> None:
    used: set[str] = set()
    for path in SRC.rglob("*.py"):
        used |= set(re.findall(r"""\blabel\(\s*["']([a-z0-9_.-]+)["']""", path.read_text()))
        used |= set(re.findall(r"""InputError\(\s*["']([a-z0-9_.-]+)["']""", path.read_text()))
    missing = sorted(k for k in used if k not in _EN)
    assert not missing, f"labels used but not defined: {missing}"


def test_english_is_always_available_and_unknown_languages_fall_back() -> None:
    assert "en" in LANGUAGES
    assert label("check.spf", "xx") == label("check.spf", "en")


def test_missing_params_stay_visible_instead_of_crashing() -> None:
    assert "{count}" in label("summary.more")


def test_labels_are_single_templates_not_fragments() -> None:
    # A fragment ending in a space or starting lower-case after a colon is a sign of
    # concatenation; keep whole sentences in the catalogue.
    assert not [k for k, v in _EN.items() if v != v.strip()]

"""Words passed as finding params are rendered in the report's language, not frozen English."""

from __future__ import annotations

import pytest

from mailauth.findings import finding
from mailauth.i18n import _TABLES
from mailauth.model import Phrase


def test_phrase_param_is_rendered_through_the_ui_catalogue(monkeypatch: pytest.MonkeyPatch) -> None:
    phrase = Phrase("verify.arc-reason.not-sealed")
    f = finding("msg_arc.fail", reason=phrase)
    english = f.text("en").detail
    assert "ARC-sealed" in english
    # A second language sees its own words for the same finding, with no English left over.
    monkeypatch.setitem(_TABLES, "xx", {"verify.arc-reason.not-sealed": "PHRASE-IN-XX"})
    assert "PHRASE-IN-XX" in f.text("xx").detail
    assert "ARC-sealed" not in f.text("xx").detail

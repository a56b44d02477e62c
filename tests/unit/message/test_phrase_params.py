"""Words passed as finding params are rendered in the report's language, not frozen English."""

from __future__ import annotations

import pytest

from mailauth.dns.reverse import ReverseDns, ReverseStatus
from mailauth.findings import finding
from mailauth.i18n import _TABLES
from mailauth.message import judge
from mailauth.message.arc import ArcOutcome
from mailauth.message.dmarc import DmarcOutcome
from mailauth.message.spf import SpfIdentity, SpfOutcome
from mailauth.model import Finding, Phrase, Result


def test_phrase_param_is_rendered_through_the_ui_catalogue(monkeypatch: pytest.MonkeyPatch) -> None:
    phrase = Phrase("verify.arc-reason.not-sealed")
    f = finding("msg_arc.fail", reason=phrase)
    english = f.text("en").detail
    assert "ARC-sealed" in english
    # A second language sees its own words for the same finding, with no English left over.
    monkeypatch.setitem(_TABLES, "xx", {"verify.arc-reason.not-sealed": "PHRASE-IN-XX"})
    assert "PHRASE-IN-XX" in f.text("xx").detail
    assert "ARC-sealed" not in f.text("xx").detail


def _english_and_xx(f: Finding, monkeypatch: pytest.MonkeyPatch, key: str) -> tuple[str, str]:
    monkeypatch.setitem(_TABLES, "xx", {key: "NOTHING-IN-XX"})
    return f.text("en").detail, f.text("xx").detail


def test_placeholders_of_judge_are_phrases(monkeypatch: pytest.MonkeyPatch) -> None:
    """judge.py passes no English of its own: "(none)", "-" and "unknown" are catalogue words."""
    identity = SpfIdentity("192.0.2.1", "mail.example.com", "bounce@example.com")
    dmarc = DmarcOutcome(Result.NONE, "example.com")
    [fail] = judge.spf_findings(SpfOutcome(Result.FAIL, identity), dmarc)
    assert fail.params["record"] == Phrase("verify.param.no-record")
    english, xx = _english_and_xx(fail, monkeypatch, "verify.param.no-record")
    assert "The record evaluated was: (none)" in english
    assert "NOTHING-IN-XX" in xx and "(none)" not in xx

    [arc] = judge.arc_findings(ArcOutcome(Result.FAIL), dmarc)
    assert arc.params["reason"] == Phrase("verify.arc-reason.unknown")
    assert "ARC validation failed: unknown." in arc.text("en").detail

    reverse = ReverseDns("192.0.2.1", ReverseStatus.NO_PTR)
    [fcrdns] = judge.fcrdns_findings(reverse)
    english, xx = _english_and_xx(fcrdns, monkeypatch, "verify.param.none")
    assert "(PTR names: -)" in english and "(PTR names: NOTHING-IN-XX)" in xx

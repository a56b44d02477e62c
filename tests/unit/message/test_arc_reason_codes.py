"""ARC reasons are codes whose words come from the UI catalogue (so `--lang` can translate)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mailauth.i18n import has_label
from mailauth.message.arc import ArcOutcome, ArcReason, _reason_of
from mailauth.model import Result

SCHEMA = Path(__file__).parents[3] / "src/mailauth/schema/message-report.schema.json"


@pytest.mark.parametrize("code", list(ArcReason))
def test_every_reason_has_a_catalogue_entry(code: ArcReason) -> None:
    assert has_label(f"verify.arc-reason.{code.value}")


def test_schema_lists_every_reason_code() -> None:
    text = SCHEMA.read_text()
    for code in ArcReason:
        assert json.dumps(code.value) in text


@pytest.mark.parametrize(
    ("dkimpy", "code", "params"),
    [
        ("Message is not ARC signed", ArcReason.NOT_SEALED, {}),
        ("Most recent ARC-Message-Signature did not validate", ArcReason.AMS_INVALID, {}),
        ("ARC-Seal[2] did not validate", ArcReason.SEAL_INVALID, {"instance": "2"}),
        (
            "ARC-Seal[1] reported failure, the chain is terminated",
            ArcReason.CHAIN_TERMINATED,
            {"instance": "1"},
        ),
        (
            "ARC-Seal[1] reported invalid status pass",
            ArcReason.BAD_CV,
            {"instance": "1", "cv": "pass"},
        ),
        (
            "Duplicate ARC-Seal for instance 1",
            ArcReason.DUPLICATE_FIELD,
            {"field": "ARC-Seal", "instance": "1"},
        ),
        (
            "Duplicate ARC-Message-Signature for instance 2",
            ArcReason.DUPLICATE_FIELD,
            {"field": "ARC-Message-Signature", "instance": "2"},
        ),
        ("Incomplete ARC set for instance 3", ArcReason.INCOMPLETE_SET, {"instance": "3"}),
    ],
)
def test_dkimpy_reasons_map_to_codes(dkimpy: str, code: ArcReason, params: dict[str, str]) -> None:
    assert _reason_of(dkimpy) == (code, params)
    if code is not ArcReason.NOT_SEALED:
        # the English rendering keeps dkimpy's words
        assert ArcOutcome(Result.FAIL, 1, code, params).reason == dkimpy


@pytest.mark.parametrize(
    "dkimpy",
    [
        "IndexError: list index out of range",
        "missing b'cv'=",
        "b= value is not valid base64 (b'!!')",
        "Unexpected characters in RFC822 header: b'junk'",
    ],
)
def test_any_other_text_is_malformed_and_is_not_shown(dkimpy: str) -> None:
    """Issue 8.1: a library's text (an exception, a tag error) never becomes the reason."""
    assert _reason_of(dkimpy) == (ArcReason.MALFORMED, {})
    reason = ArcOutcome(Result.FAIL, 1, ArcReason.MALFORMED, {}, detail=dkimpy).reason
    assert dkimpy not in reason and reason.startswith("an ARC header field is malformed")


def test_a_passing_chain_has_no_reason() -> None:
    outcome = ArcOutcome(Result.PASS, 1)
    assert (outcome.reason_code, outcome.reason) == (None, "")

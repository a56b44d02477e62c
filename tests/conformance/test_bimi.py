"""BIMI assertion-record syntax cases (Mail::BIMI t/01-record-validation.t) through our parser.

Each case says whether Mail::BIMI accepts the record and which of its error codes it
raises. We check the verdict (`BimiRecord.valid`) and that every upstream error code is
matched by one of our problem codes (`ERROR_CODES`); our codes are finer-grained, so the
mapping is many-to-one. The discovery cases of the same file and the SVG samples need the
BIMI discovery and logo checks (a later step); they are not run here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from mailauth.records.bimi import parse_bimi

from .known import known_failure

SUITE = "bimi"
_FILE = (
    Path(__file__).resolve().parents[1]
    / "data/conformance/bimi/record-discovery/mail-bimi-cases.yaml"
)
RECORD_CASES: list[dict[str, Any]] = list(yaml.safe_load_all(_FILE.read_text("utf-8")))[-1][
    "record_syntax"
]

# Mail::BIMI error code -> our record problem codes / URL problems that express it.
ERROR_CODES = {
    "DUPLICATE_KEY": {"duplicate-tag"},
    # "v=bimi1; v=bimi2": upstream reads the second v; we keep the first and void the record
    # for the duplicate (DKIM tag-list rule), so either code expresses it.
    "INVALID_V_TAG": {"bad-version", "duplicate-tag"},
    "MISSING_V_TAG": {"not-bimi"},
    "EMPTY_V_TAG": {"bad-version"},
    "MISSING_L_TAG": {"missing-location"},
    "INVALID_TRANSPORT_L": {"not-https"},
    "EMPTY_L_TAG": {"missing-location"},
}


def _codes(text: str) -> set[str]:
    record = parse_bimi(text)
    urls = [*record.locations, *([record.authority] if record.authority else [])]
    found = {p.code.value for p in record.problems}
    return found | {p.code.value for u in urls for p in u.problems}


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(c, id=f"bimi-record/{i}", marks=known_failure(SUITE, f"record/{i}"))
        for i, c in enumerate(RECORD_CASES)
    ],
)
def test_bimi_record_syntax(case: dict[str, Any]) -> None:
    record = parse_bimi(case["record"])
    assert record.valid is case["valid"], record.problems
    codes = _codes(case["record"])
    for upstream in case["errors"]:
        assert ERROR_CODES[upstream] & codes, f"{upstream} not expressed by {codes}"

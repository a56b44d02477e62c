"""KNOWN.md stays true: every row names a case some runner has, with a reason."""

from __future__ import annotations

import importlib

from .known import ASKED, known_table

RUNNERS = ("test_spf_rfc7208", "test_arc", "test_dkim", "test_dmarc", "test_psl", "test_bimi")


def test_every_known_failure_names_a_real_case() -> None:
    for name in RUNNERS:
        importlib.import_module(f"{__package__}.{name}")  # parametrising asks known_failure()
    stale = [key for key in known_table() if key not in ASKED]
    assert not stale, f"KNOWN.md rows that match no case: {stale}"


def test_every_known_failure_has_a_reason() -> None:
    assert all(len(reason) > 20 for reason in known_table().values())

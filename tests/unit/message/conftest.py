"""Fixtures for the message (verify) tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

MESSAGES = Path(__file__).resolve().parents[3] / "samples" / "messages"


@pytest.fixture
def sample_bytes() -> Callable[[str], bytes]:
    """Read a sample message from samples/messages/ as bytes."""
    return lambda name: (MESSAGES / name).read_bytes()

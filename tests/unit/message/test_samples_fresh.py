"""samples/messages/ is exactly what tools/make_sample_messages.py generates (deterministic:
fixed timestamps, deterministic RSA and Ed25519 signatures), so the samples cannot drift from
the generator and the test keys."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]


def test_generator_reproduces_the_samples(tmp_path: Path) -> None:
    pytest.importorskip("authres", reason="ARC sealing in the generator needs authres")
    pytest.importorskip("nacl", reason="ed25519 signing needs pynacl")
    tool = REPO / "tools" / "make_sample_messages.py"
    subprocess.run([sys.executable, str(tool), str(tmp_path)], check=True, capture_output=True)
    samples = REPO / "samples" / "messages"
    generated = {p.name: p.read_bytes() for p in tmp_path.glob("*.eml")}
    committed = {p.name: p.read_bytes() for p in samples.glob("*.eml")}
    assert generated.keys() == committed.keys()
    stale = sorted(n for n in generated if generated[n] != committed[n])
    assert not stale, f"regenerate with: python tools/make_sample_messages.py ({stale})"

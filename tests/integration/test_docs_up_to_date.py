"""Generated docs (findings, CLI help, scoring tables, JSON fields) match the code.
Regenerate with `python tools/gen_docs.py`."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_docs", REPO / "tools" / "gen_docs.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("gen_docs", module)
    spec.loader.exec_module(module)
    return module


GEN = load_generator()


@pytest.mark.parametrize("name", sorted(GEN.GENERATORS))
def test_generated_doc_is_up_to_date(name: str) -> None:
    path = REPO / "docs" / name
    expected = GEN.GENERATORS[name]()
    assert path.exists(), f"docs/{name} missing: run python tools/gen_docs.py"
    assert path.read_text(encoding="utf-8") == expected, (
        f"docs/{name} is stale: run python tools/gen_docs.py and commit the result"
    )


def test_every_catalogue_id_is_documented() -> None:
    from mailauth.findings import CATALOGUE

    text = (REPO / "docs" / "findings.md").read_text(encoding="utf-8")
    assert all(f"### `{fid}`" in text for fid in CATALOGUE)


def test_check_mode_reports_nothing_stale() -> None:
    assert GEN.main(["--check"]) == 0

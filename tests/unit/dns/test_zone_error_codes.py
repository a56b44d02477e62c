"""Every zone-load error code has its text in the UI catalogue, so `--lang` can translate it."""

from __future__ import annotations

from pathlib import Path
from typing import get_args

import pytest

from mailauth.dns.zonefile import ZoneErrorCode, ZoneLoadError, ZoneSource
from mailauth.i18n import has_label


@pytest.mark.parametrize("code", get_args(ZoneErrorCode))
def test_every_code_has_a_catalogue_entry(code: str) -> None:
    assert has_label(f"error.zone.{code}")


def test_code_and_params_are_kept(tmp_path: Path) -> None:
    with pytest.raises(ZoneLoadError) as exc:
        ZoneSource.from_paths([tmp_path])
    assert exc.value.code == "no-zone-files"
    assert str(exc.value) == f"{tmp_path}: no *.zone files in this directory"
    assert exc.value.diagnostics("en") == f"cannot load zone file: {exc.value}"


def test_duplicate_origin_carries_both_sources(tmp_path: Path) -> None:
    a = tmp_path / "a.zone"
    a.write_text("$ORIGIN same.test.\n@ 60 IN A 192.0.2.1\n")
    b = tmp_path / "same.test.zone"
    b.write_text("@ 60 IN A 192.0.2.2\n")
    with pytest.raises(ZoneLoadError) as exc:
        ZoneSource.from_paths([a, b])
    assert exc.value.code == "duplicate-origin"
    assert exc.value.reason_params["zone"] == "same.test"
    assert exc.value.reason_params["other"] == str(a)

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


# --- every load error says where: the line, and the name inside a record (issue 8, 7a) -------

LOCATED = [
    # (zone text, line, owner name, words of the reason)
    (
        "$TTL 60\nx IN TXT z\nx IN CNAME y\n",
        3,
        "x.c.test",
        "first record of this name is at line 3",
    ),
    ("$TTL 60\nx IN CNAME y\n\n; comment\nx IN TXT z\n", 5, "x.c.test", "at line 3"),
    ("$TTL 60\nx IN CNAME y\n  IN TXT z\n", 3, "x.c.test", "CNAME cannot share"),
    ("$TTL 60\nh1 IN TXT z\n$GENERATE 1-2 h$ CNAME x\n", 3, "h1.c.test", "CNAME cannot share"),
    ("$TTL 60\nx IN BOGUS z\n", 2, "x.c.test", "unknown record type 'BOGUS'"),
    ("$TTL 60\nx IN TXT z\n  IN A 999.1.1.1\n", 3, "x.c.test", "malformed"),
    ("$TTL 60\n" + "a" * 64 + " IN TXT z\n", 2, "a" * 64, "label"),
    ("$TTL 60\n" + ".".join(["a" * 60] * 5) + " IN TXT z\n", 2, ".".join(["a" * 60] * 5), "255"),
]


@pytest.mark.parametrize(("text", "line", "name", "words"), LOCATED)
def test_errors_inside_a_record_name_its_owner_and_line(
    tmp_path: Path, text: str, line: int, name: str, words: str
) -> None:
    zone = tmp_path / "c.test.zone"
    zone.write_text("$ORIGIN c.test.\n" + text, encoding="utf-8")
    with pytest.raises(ZoneLoadError) as exc:
        ZoneSource.from_paths([zone])
    err = exc.value
    assert (err.line, err.name) == (line + 1, name)  # +1: the $ORIGIN line added above
    assert str(err).startswith(f"{zone}:{line + 1}: {name}: ")
    assert words in str(err)
    assert err.diagnostics("en") == f"cannot load zone file: {err}"


def test_cname_and_other_data_has_its_own_code(tmp_path: Path) -> None:
    zone = tmp_path / "c.test.zone"
    zone.write_text("$ORIGIN c.test.\n@ 60 IN A 192.0.2.1\nwww 60 IN TXT x\nwww 60 IN CNAME @\n")
    with pytest.raises(ZoneLoadError) as exc:
        ZoneSource.from_paths([zone])
    assert exc.value.code == "cname-and-other-data"
    assert exc.value.reason_params["other_line"] == 3 and exc.value.line == 4


@pytest.mark.parametrize(
    ("data", "line", "name"),
    [
        (b"$ORIGIN c.test.\n$TTL abc\nx IN TXT z\n", 2, None),  # a directive: no owner
        (b"$ORIGIN c.test.\n$TTL abc\n$TTL 60\nx IN TXT z\n", 2, None),  # not the next one
        (b"$ORIGIN c.test.\n$TTL 60 extra\nx IN TXT z\n", 2, None),
        (b"$ORIGIN c.test.\n$INCLUDE /etc/passwd\n", 2, None),
        (b"$ORIGIN a..b.\nx 60 IN TXT z\n", 1, None),  # the $ORIGIN line
        (b"$ORIGIN c.test.\nwww 60 IN TXT \xff\n", 2, "www"),  # not UTF-8: the owner written
        (b"$ORIGIN c.test.\nwww 60 IN TXT x\n  60 IN TXT \xff\n", 3, None),
    ],
)
def test_errors_outside_records_still_name_the_line(
    tmp_path: Path, data: bytes, line: int, name: str | None
) -> None:
    zone = tmp_path / "c.test.zone"
    zone.write_bytes(data)
    with pytest.raises(ZoneLoadError) as exc:
        ZoneSource.from_paths([zone])
    assert (exc.value.line, exc.value.name) == (line, name)
    assert str(exc.value).startswith(f"{zone}:{line}: ")


def test_a_bad_generate_line_names_its_line_not_the_previous_owner(tmp_path: Path) -> None:
    zone = tmp_path / "c.test.zone"
    zone.write_text("$ORIGIN c.test.\n$TTL 60\nwww IN TXT x\n$GENERATE 1-2 h$ BOGUS x\n")
    with pytest.raises(ZoneLoadError) as exc:
        ZoneSource.from_paths([zone])
    assert (exc.value.line, exc.value.name) == (4, None)


def test_a_duplicate_origin_names_the_origin_line_of_the_second_file(tmp_path: Path) -> None:
    a = tmp_path / "a.zone"
    a.write_text("$ORIGIN same.test.\n@ 60 IN A 192.0.2.1\n")
    b = tmp_path / "b.zone"
    b.write_text("; the same zone again\n$TTL 60\n$ORIGIN same.test.\n@ IN A 192.0.2.2\n")
    with pytest.raises(ZoneLoadError) as exc:
        ZoneSource.from_paths([a, b])
    assert exc.value.code == "duplicate-origin" and exc.value.line == 3
    assert str(exc.value).startswith(f"{b}:3: zone same.test already loaded from {a}")

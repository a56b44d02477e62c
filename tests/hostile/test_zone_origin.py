"""A zone file named for one domain that holds another is refused (issue 9, item 15).

`example.jp.zone` with `$ORIGIN other.example.` answered for other.example while the file
list said example.jp. It is now exit 2, one line naming the file and the `$ORIGIN` line.
Files not named for a domain (`a.zone`, `test.zone`) still take `$ORIGIN` as their origin,
and every zone under samples/ and tests/data/zones still loads.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from mailauth.dns.zonefile import ZoneLoadError, ZoneSource

from .clirun import CliRun, one_line_error
from .hostile_data import REPO, SAMPLE_ZONES

ZONE = (
    "$TTL 300\n@ IN SOA ns1 hostmaster 1 3600 900 1209600 300\n@ IN NS ns1\nns1 IN A 192.0.2.53\n"
)


def test_file_named_for_another_domain_is_refused(
    tmp_path: Path, cli: Callable[..., CliRun]
) -> None:
    zones = tmp_path / "zones"
    zones.mkdir()
    bad = zones / "example.jp.zone"
    bad.write_text("; copied from the other zone\n$ORIGIN other.example.\n" + ZONE)
    run = cli("check", "other.example", "--zone", zones)
    line = one_line_error(run)
    assert run.exit_code == 2
    assert line == (
        f"mailauth: error: cannot load zone file: {bad}:2: the file is named for example.jp "
        "but its $ORIGIN is other.example.; correct the $ORIGIN, or name the file after the "
        "zone it holds"
    )
    assert run.seconds < 10


@pytest.mark.parametrize(
    ("name", "origin"),
    [
        ("Example.JP.zone", "example.jp."),  # case and the trailing dot do not matter
        ("example.jp.zone", "EXAMPLE.JP."),
        ("日本語.jp.zone", "xn--wgv71a119e.jp."),  # U-label file, A-label origin
        ("a.zone", "same.test."),  # not named for a domain: $ORIGIN decides, as before
        ("test.zone", "test."),
        ("example.jp.db", "other.example."),  # not a .zone file: given by name, as before
    ],
)
def test_matching_or_unnamed_files_still_load(tmp_path: Path, name: str, origin: str) -> None:
    path = tmp_path / name
    path.write_text(f"$ORIGIN {origin}\n" + ZONE)
    source = ZoneSource.from_paths([path])
    assert len(source.origins) == 1


def test_origin_from_the_file_name_is_not_a_mismatch(tmp_path: Path) -> None:
    """No $ORIGIN before the first record: the file name is the origin (a later $ORIGIN only
    changes how the following names are read)."""
    path = tmp_path / "bar.test.zone"
    path.write_text("@ 60 IN A 192.0.2.2\n$ORIGIN late.test.\nx 60 IN A 192.0.2.3\n")
    assert ZoneSource.from_paths([path]).origins == ["bar.test"]


def test_mismatch_error_code_and_line(tmp_path: Path) -> None:
    path = tmp_path / "example.jp.zone"
    path.write_text("; c\n$TTL 60\n$ORIGIN sub.example.jp.\n@ IN A 192.0.2.1\n")
    with pytest.raises(ZoneLoadError) as exc:
        ZoneSource.from_paths([path])
    assert (exc.value.code, exc.value.line) == ("origin-mismatch", 3)


def test_every_bundled_zone_still_loads() -> None:
    """samples/ and tests/data/zones name every file after its origin."""
    dirs = [SAMPLE_ZONES, *sorted(p for p in (REPO / "tests/data/zones").iterdir() if p.is_dir())]
    for directory in dirs:
        ZoneSource.from_paths([directory])

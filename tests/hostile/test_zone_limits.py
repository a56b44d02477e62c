"""Issue 9, item 6 (and 15): zone loading has limits. `$GENERATE 1-4294967295` never
finished (625 MB after 85 s) and a 200 MB zone took 57 s and 1 GB; now each is one exit-2
line that names the file and the line, before dnspython builds anything.
Limits (dns/zonefile.py): 65,536 records per $GENERATE, 100,000 records per zone, 64 MB.
Item 15: hidden files in a zone directory are skipped; a device, the same directory twice
and an unwritable -o each get their own words.
"""

from __future__ import annotations

import errno
import io
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from mailauth.dns import zonefile
from mailauth.dns.zonefile import ZoneLoadError, load_zone

from .clirun import CliRun, one_line_error
from .hostile_data import REPO, write_zone

pytestmark = pytest.mark.timeout(60)
HEAD_LINES = 5  # write_zone's $ORIGIN, $TTL, SOA, NS, A


def refused(run: CliRun, path: Path, line: int | None, *words: str) -> None:
    assert run.exit_code == 2, (run.exit_code, run.stderr)
    text = one_line_error(run)
    where = f"{path}:{line}:" if line is not None else f"{path}:"
    assert where in text, text
    for word in words:
        assert word in text, text
    assert run.seconds < 10


def test_generate_of_four_billion(tmp_path: Path, cli: Callable[..., CliRun]) -> None:
    path = write_zone(tmp_path, "$GENERATE 1-4294967295 host$ A 192.0.2.1")
    refused(cli("check", "hostile.test", "--zone", path), path, HEAD_LINES + 1, "65,536")


@pytest.mark.parametrize("spec", ["0-65536", "1-999999999999999999999999", "1-200000/2"])
def test_generate_just_over_the_limit(
    spec: str, tmp_path: Path, cli: Callable[..., CliRun]
) -> None:
    path = write_zone(tmp_path, f"$GENERATE {spec} host$ A 192.0.2.1")
    refused(cli("check", "hostile.test", "--zone", path), path, HEAD_LINES + 1, "$GENERATE")


def test_generate_within_the_limit_loads(tmp_path: Path) -> None:
    path = write_zone(tmp_path, "$GENERATE 1-254 host$ A 192.0.2.$")
    zone = load_zone(path)
    assert len(zone.nodes) >= 254


def test_too_many_records(tmp_path: Path, cli: Callable[..., CliRun]) -> None:
    records = "\n".join(f"h{i} IN A 192.0.2.1" for i in range(100_001))
    path = write_zone(tmp_path, records)
    run = cli("check", "hostile.test", "--zone", path)
    # the SOA, NS and A of the head are records 1-3: record 100,001 is on this line
    refused(run, path, HEAD_LINES + 100_001 - 3, "100,000")


def test_records_and_generate_add_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(zonefile, "MAX_ZONE_RECORDS", 9)  # head 3 + generated 6
    path = write_zone(tmp_path, "$GENERATE 1-6 g$ A 192.0.2.1\nlast IN A 192.0.2.2")
    with pytest.raises(ZoneLoadError) as caught:
        load_zone(path)
    assert caught.value.line == HEAD_LINES + 2 and caught.value.code == "too-many-records"


def test_multi_line_records_count_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Parentheses span lines; a ';' or '(' inside a quoted string is text, not syntax."""
    monkeypatch.setattr(zonefile, "MAX_ZONE_RECORDS", 6)
    records = (
        'a IN TXT ( "v=spf1 (not a paren" ; comment (\n   "-all" )\n'
        'b IN TXT "x;y" ; c ( d\n'
        "c IN MX ( 10\n  mx.example. )\n"
    )
    path = write_zone(tmp_path, records)
    assert load_zone(path) is not None  # SOA, NS, A + 3 = 6 records: at the limit
    write_zone(tmp_path, records + "d IN A 192.0.2.3")
    with pytest.raises(ZoneLoadError) as caught:
        load_zone(path)
    assert caught.value.line == HEAD_LINES + 6


def test_zone_file_over_64_megabytes(tmp_path: Path, cli: Callable[..., CliRun]) -> None:
    path = tmp_path / "hostile.test.zone"
    with path.open("wb") as f:
        f.truncate(65 * 1024 * 1024)  # sparse: refused by its size, before it is read
    refused(cli("check", "hostile.test", "--zone", path), path, None, "64 MB")


# --- 15. hidden zone files, devices, the same directory twice, write errors ------------------


def test_hidden_zone_file_is_not_loaded(tmp_path: Path, cli: Callable[..., CliRun]) -> None:
    """A `.zone` file (an editor's, a tool's) would load as the root zone and answer for
    every domain, so unrelated domains got confident F grades."""
    write_zone(tmp_path, '@ IN TXT "v=spf1 -all"')
    (tmp_path / ".zone").write_text(
        '$TTL 300\n@ IN SOA ns h 1 2 3 4 5\nunrelated.example. IN TXT "v=spf1 +all"\n'
    )
    (tmp_path / ".hostile.test.zone.swp.zone").write_text("garbage that would not load\n")
    run = cli("check", "unrelated.example", "--zone", tmp_path, "--format", "json")
    report = json.loads(run.stdout)
    assert report["spf"]["status"] == "error"  # not resolvable offline, not a verdict
    assert "spf.plus-all" not in {f["id"] for f in report["findings"]}
    assert run.exit_code == 3


def test_a_device_is_not_a_missing_file(cli: Callable[..., CliRun]) -> None:
    run = cli("check", "example.jp", "--zone", "/dev/zero")
    assert run.exit_code == 2
    line = one_line_error(run)
    assert "/dev/zero" in line and "no such" not in line and "not a zone file" in line
    assert run.seconds < 10


def test_the_same_directory_twice(cli: Callable[..., CliRun]) -> None:
    zones = str(REPO / "samples" / "zones")
    run = cli("check", "example.jp", "--zone", zones, "--zone", zones + "/", "--format", "json")
    assert run.exit_code == 0, run.stderr
    assert json.loads(run.stdout)["grade"] == "A"


def test_an_output_that_cannot_be_written(tmp_path: Path, cli: Callable[..., CliRun]) -> None:
    target = tmp_path / "no-such-dir" / "report.json"
    run = cli("check", "example.jp", "--zone", REPO / "samples" / "zones", "-o", target)
    assert run.exit_code == 2
    line = one_line_error(run)
    assert f"cannot write {target}" in line and "cannot read" not in line and ".tmp" not in line


def test_a_full_disk_is_a_write_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Callable[..., CliRun]
) -> None:
    import mailauth.render.output as output

    real = os.fdopen

    class Full(io.StringIO):
        def write(self, text: str) -> int:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def fdopen(fd: int, *args: Any, **kwargs: Any) -> Any:
        real(fd, *args, **kwargs).close()
        return Full()

    monkeypatch.setattr(output.os, "fdopen", fdopen)
    target = tmp_path / "report.json"
    run = cli("check", "example.jp", "--zone", REPO / "samples" / "zones", "-o", target)
    assert run.exit_code == 2
    line = one_line_error(run)
    assert f"cannot write {target}" in line and "No space left" in line
    assert not target.exists() and list(tmp_path.iterdir()) == []  # nothing half-written

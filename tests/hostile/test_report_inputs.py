"""`mailauth report` on hostile files (they come from strangers by mail): XML bombs,
external entities, compression bombs, huge zips, truncated archives, wrong encodings, big
reports, duplicates. Each bad file is one "could not read" line naming it and the reason;
every other file is still read; exit 2 only when nothing at all could be read; no input is
ever modified; nothing hangs."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.support import dmarc_gen as gen

from .clirun import CliRun

GOOD = gen.aggregate_xml("google.com", "good-1", gen.DOMAIN, gen.START, [(gen.OWN_MTA, 10)])

BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
]>
<feedback><report_metadata><org_name>&lol9;</org_name></report_metadata></feedback>
"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE feedback [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<feedback><report_metadata><org_name>&xxe;</org_name></report_metadata></feedback>
"""


def _json(run: CliRun) -> dict[str, object]:
    assert run.exception is None, run.exception
    return json.loads(run.stdout)  # type: ignore[no-any-return]


def _unreadable(run: CliRun) -> dict[str, str]:
    data = _json(run)
    return {Path(u["file"]).name: u["reason"] for u in data["unreadable"]}  # type: ignore[index,union-attr]


def _digests(paths: list[Path]) -> dict[Path, tuple[str, float]]:
    return {p: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime) for p in paths}


@pytest.fixture
def good(tmp_path: Path) -> Path:
    path = tmp_path / "good.xml"
    path.write_bytes(GOOD)
    return path


def report(cli: Callable[..., CliRun], *args: object) -> CliRun:
    return cli("report", "--no-resolve", "--format", "json", *args)


def test_xml_bomb_and_external_entity_are_refused(
    cli: Callable[..., CliRun], tmp_path: Path, good: Path
) -> None:
    (tmp_path / "bomb.xml").write_bytes(BOMB)
    (tmp_path / "xxe.xml").write_bytes(XXE)
    paths = [tmp_path / "bomb.xml", tmp_path / "xxe.xml", good]
    before = _digests(paths)
    run = report(cli, *paths)
    assert run.exit_code == 0 and run.seconds < 20
    bad = _unreadable(run)
    assert set(bad) == {"bomb.xml", "xxe.xml"}
    assert all("refused" in reason for reason in bad.values())
    assert "root:" not in run.stdout  # /etc/passwd never read
    assert _json(run)["reports_read"] == 1
    assert _digests(paths) == before


def test_gzip_bomb_stops_at_the_cap(cli: Callable[..., CliRun], tmp_path: Path, good: Path) -> None:
    """1 GiB of XML whitespace in a ~1 MB gzip (multi-member, so it is cheap to build)."""
    member = gzip.compress(b" " * (1 << 20), compresslevel=9, mtime=0)
    bomb = tmp_path / "bomb.xml.gz"
    with open(bomb, "wb") as f:
        f.write(gzip.compress(b"<?xml version='1.0'?><feedback>", mtime=0))
        for _ in range(1024):
            f.write(member)
    run = report(cli, bomb, good)
    assert run.exit_code == 0, run.stderr
    reason = _unreadable(run)["bomb.xml.gz"]
    assert "limit of 268435456 bytes" in reason
    assert run.seconds < 90


def test_zip_with_100000_members(cli: Callable[..., CliRun], tmp_path: Path, good: Path) -> None:
    path = tmp_path / "many.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        for i in range(100_000):
            z.writestr(f"{i}.xml", b"")
    run = report(cli, path, good)
    assert run.exit_code == 0
    assert "more than the limit of 10000 members" in _unreadable(run)["many.zip"]


def test_truncated_gzip_and_garbage_next_to_good_files(
    cli: Callable[..., CliRun], tmp_path: Path, good: Path
) -> None:
    whole = gzip.compress(
        gen.aggregate_xml("Yahoo", "t-1", gen.DOMAIN, gen.START, [(gen.OWN_MTA, 5)] * 200)
    )
    (tmp_path / "cut.xml.gz").write_bytes(whole[: len(whole) // 2])
    (tmp_path / "noise.bin").write_bytes(b"\x00\x01\x02 not a report")
    (tmp_path / "half.xml").write_bytes(GOOD[: len(GOOD) // 2])
    (tmp_path / "empty.xml").write_bytes(b"")
    (tmp_path / "html.xml").write_bytes(b"<html><body>hi</body></html>")
    names = ["cut.xml.gz", "noise.bin", "half.xml", "empty.xml", "html.xml"]
    run = report(cli, *(tmp_path / n for n in names), good)
    assert run.exit_code == 0
    bad = _unreadable(run)
    assert set(bad) == set(names)
    assert "truncated or corrupt" in bad["cut.xml.gz"]
    assert bad["noise.bin"] == "not a report, archive or mail"
    assert "not well-formed" in bad["half.xml"]
    assert bad["empty.xml"] == "empty"
    assert "root element <html>" in bad["html.xml"]
    data = _json(run)
    assert data["reports_read"] == 1 and data["records"] == 1


def test_nothing_readable_is_exit_2_with_one_line(
    cli: Callable[..., CliRun], tmp_path: Path
) -> None:
    (tmp_path / "a.xml").write_bytes(BOMB)
    (tmp_path / "b.txt").write_bytes(b"hello")
    run = cli(
        "report", "--no-resolve", tmp_path / "a.xml", tmp_path / "b.txt", tmp_path / "missing.xml"
    )
    assert run.exit_code == 2
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert lines == ["mailauth: error: no DMARC report could be read from 3 input(s)"]
    assert "could not read" in run.stdout and "missing.xml: no such file" in run.stdout
    assert "Traceback" not in run.stdout + run.stderr


def test_wrong_encodings(cli: Callable[..., CliRun], tmp_path: Path) -> None:
    latin = GOOD.replace(b'encoding="UTF-8"', b'encoding="ISO-8859-1"').replace(
        b"<generator>mailauth test generator", b"<generator>G\xe9n\xe9rateur"
    )
    (tmp_path / "latin1.xml").write_bytes(latin)
    utf16 = gen.aggregate_xml(
        "google.com", "u16", gen.DOMAIN, gen.START + gen.DAY, [(gen.OWN_MTA, 1)]
    )
    text = utf16.decode().replace('encoding="UTF-8"', 'encoding="UTF-16"')
    (tmp_path / "utf16.xml").write_bytes(text.encode("utf-16"))
    run = report(cli, tmp_path / "latin1.xml", tmp_path / "utf16.xml")
    data = _json(run)
    assert data["unreadable"] == [] and data["reports_read"] == 2
    assert data["duplicates"] == 0


def test_ten_thousand_records_and_the_same_report_twice(
    cli: Callable[..., CliRun], tmp_path: Path
) -> None:
    senders = [
        gen.Sender(f"198.18.{i // 250}.{i % 250}", 1, gen.DOMAIN, "pass", (), "aligned")
        for i in range(10_000)
    ]
    data = gen.aggregate_xml(
        "google.com", "big-1", gen.DOMAIN, gen.START, [(s, 1) for s in senders]
    )
    (tmp_path / "big.xml").write_bytes(data)
    (tmp_path / "copy.xml.gz").write_bytes(gzip.compress(data))
    run = report(cli, tmp_path / "big.xml", tmp_path / "copy.xml.gz")
    out = _json(run)
    assert (out["reports_read"], out["records"], out["duplicates"]) == (1, 10_000, 1)
    (domain,) = out["domains"]  # type: ignore[misc]
    assert domain["messages"] == 10_000 and len(domain["sources"]) == 10_000


def test_another_domain_is_filtered_by_domain(
    cli: Callable[..., CliRun], tmp_path: Path, good: Path
) -> None:
    other = gen.aggregate_xml(
        "google.com", "other-1", "elsewhere.example", gen.START, [(gen.SPOOF, 4)]
    )
    (tmp_path / "other.xml").write_bytes(other)
    both = _json(report(cli, good, tmp_path / "other.xml"))
    assert sorted(d["domain"] for d in both["domains"]) == [  # type: ignore[union-attr,index]
        "elsewhere.example",
        gen.DOMAIN,
    ]
    only = _json(report(cli, "--domain", gen.DOMAIN, good, tmp_path / "other.xml"))
    assert [d["domain"] for d in only["domains"]] == [gen.DOMAIN]  # type: ignore[union-attr,index]


def test_text_bomb_in_one_element_is_cut_with_a_note(tmp_path: Path) -> None:
    from mailauth.report.aggregate import parse_aggregate

    data = GOOD.replace(b"<generator>", b"<generator>" + b"A" * (5 << 20))
    report_ = parse_aggregate(io.BytesIO(data))
    assert report_.header.generator is not None and len(report_.header.generator) <= 64 * 1024
    assert [n.code for n in report_.notes] == ["text-truncated"]


def test_text_bomb_inside_a_record_is_cut_and_extension_text_ignored() -> None:
    """Inside a record, text goes to a plain list (no Python call per piece) and is cut
    after each chunk: a 20 MB source_ip is kept to 64 KiB with a note, and 20 MB of text
    in a record's <extensions> is dropped without one."""
    from mailauth.report.aggregate import MAX_TEXT, parse_aggregate

    bomb = GOOD.replace(b"<source_ip>", b"<source_ip>" + b"A" * (20 << 20), 1)
    report_ = parse_aggregate(io.BytesIO(bomb))
    assert len(report_.records[0].source_ip) == MAX_TEXT
    assert [(n.code, n.value) for n in report_.notes] == [
        ("text-truncated", "feedback/record/row/source_ip")
    ]
    ext = GOOD.replace(
        b"<auth_results>", b"<auth_results><extensions>" + b"B" * (20 << 20) + b"</extensions>", 1
    )
    plain = parse_aggregate(io.BytesIO(GOOD))
    assert parse_aggregate(io.BytesIO(ext)).records == plain.records
    assert parse_aggregate(io.BytesIO(ext)).notes == ()

"""ZoneSource: offline answers from zone files, as an authoritative server gives them."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from mailauth.dns.interface import Rcode
from mailauth.dns.zonefile import (
    UNRESOLVABLE_DETAIL,
    ZoneLoadError,
    ZoneSource,
    zone_files,
    zone_origin,
)

REPO = Path(__file__).resolve().parents[3]
SAMPLES = REPO / "samples" / "zones"
DNSDATA = REPO / "tests" / "data" / "zones" / "dns"
SEM = "semantics.dns.test"


@pytest.fixture(scope="module")
def zs() -> ZoneSource:
    return ZoneSource.from_paths([SAMPLES, DNSDATA])


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text)
    return p


def test_loads_directory_and_reports_origins(zs: ZoneSource) -> None:
    assert "example.jp" in zs.origins and f"sub.{SEM}" in zs.origins
    assert zs.origins.index(f"sub.{SEM}") < zs.origins.index(SEM)  # longest first


def test_query_is_async_and_lookup_sync(zs: ZoneSource) -> None:
    a = asyncio.run(zs.query("example.jp", "MX"))
    assert a == zs.lookup("example.jp", "mx")
    assert a.mx() == [(10, "mx1.example.jp"), (20, "mx2.example.jp")]


def test_txt_character_strings_kept(zs: ZoneSource) -> None:
    assert zs.lookup(SEM, "TXT").txt == ((b"apex", b"split", b"strings"),)


def test_nxdomain_nodata_ent(zs: ZoneSource) -> None:
    assert zs.lookup(f"nope.{SEM}", "A").rcode is Rcode.NXDOMAIN
    assert zs.lookup(f"mx.{SEM}", "TXT").is_nodata
    assert zs.lookup(f"b.c.{SEM}", "TXT").is_nodata
    assert zs.lookup(f"c.{SEM}", "A").rcode is Rcode.NOERROR
    assert zs.lookup(f"x.a.b.c.{SEM}", "A").rcode is Rcode.NXDOMAIN


def test_outside_every_zone_is_unresolvable_not_nxdomain(zs: ZoneSource) -> None:
    for name in ("google.com", "jp", "dns.test", "."):
        a = zs.lookup(name, "TXT")
        assert a.rcode is Rcode.UNRESOLVABLE and a.detail == UNRESOLVABLE_DETAIL
        assert a.is_error and not a.is_void


def test_longest_origin_answers(zs: ZoneSource) -> None:
    assert zs.lookup(f"sub.{SEM}", "TXT").texts() == ["child apex"]
    # data left below the cut in the parent is occluded: the child zone answers NXDOMAIN
    assert zs.lookup(f"only-in-parent.sub.{SEM}", "TXT").rcode is Rcode.NXDOMAIN


def test_delegation_to_unloaded_zone_is_unresolvable(zs: ZoneSource) -> None:
    a = zs.lookup(f"host.orphan.{SEM}", "A")
    assert a.rcode is Rcode.UNRESOLVABLE and "orphan" in a.detail
    assert zs.lookup(f"orphan.{SEM}", "DS").is_nodata  # the DS RRset belongs to the parent


def test_cnames(zs: ZoneSource) -> None:
    a = zs.lookup(f"chain1.{SEM}", "AAAA")
    assert a.rrs == ("2001:db8::10",) and a.cnames == (f"chain2.{SEM}", f"mx.{SEM}")
    assert zs.lookup(f"toexample.{SEM}", "TXT").cnames == ("example.jp",)
    assert zs.lookup(f"dangling.{SEM}", "A").rcode is Rcode.NXDOMAIN
    loop = zs.lookup(f"loop1.{SEM}", "A")
    assert loop.rcode is Rcode.SERVFAIL and loop.detail == "CNAME loop"


def test_cname_to_outside_is_unresolvable(tmp_path: Path) -> None:
    f = write(
        tmp_path, "c.test.zone", "@ 300 IN SOA a. b. 1 1 1 1 1\nx 300 IN CNAME out.example.\n"
    )
    a = ZoneSource.from_paths([f]).lookup("x.c.test", "TXT")
    assert a.rcode is Rcode.UNRESOLVABLE and a.cnames == ("out.example",)


def test_wildcards(zs: ZoneSource) -> None:
    assert zs.lookup(f"q.wild.{SEM}", "TXT").texts() == ["wildcard"]
    assert zs.lookup(f"exists.wild.{SEM}", "TXT").is_nodata
    assert zs.lookup(f"q.wild.{SEM}", "A").is_nodata
    w = zs.lookup(f"q.wildcname.{SEM}", "A")
    assert w.rrs == ("192.0.2.10",) and w.cnames == (f"mx.{SEM}",)


def test_bad_input_is_a_value(zs: ZoneSource) -> None:
    assert zs.lookup("a..b.example.jp", "A").rcode is Rcode.ERROR
    assert zs.lookup("x" * 70 + ".example.jp", "A").rcode is Rcode.ERROR
    assert zs.lookup("example.jp", "NOTATYPE").rcode is Rcode.ERROR


def test_origin_from_directive_or_file_name(tmp_path: Path) -> None:
    f = write(tmp_path, "whatever.zone", "; c\n$TTL 60\n$ORIGIN Foo.Test.\n@ IN A 192.0.2.1\n")
    assert zone_origin(f) == "foo.test"
    g = write(tmp_path, "bar.test.zone", "@ 60 IN A 192.0.2.2\n$ORIGIN late.test.\n")
    assert zone_origin(g) == "bar.test"
    assert ZoneSource.from_paths([g]).lookup("bar.test", "A").rrs == ("192.0.2.2",)


def test_directory_is_not_recursive(tmp_path: Path) -> None:
    write(tmp_path, "a.test.zone", "@ 60 IN A 192.0.2.1\n")
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub", "b.test.zone", "@ 60 IN A 192.0.2.1\n")
    write(tmp_path, "notes.txt", "not a zone")
    assert [p.name for p in zone_files(tmp_path)] == ["a.test.zone"]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("$ORIGIN x.test.\n@ 60 IN A 192.0.2.1\nfoo IN BOGUS 1\n", 3),
        ('$ORIGIN x.test.\nfoo 60 IN TXT "unterminated\n', 2),
        ("$ORIGIN x.test.\nfoo 60 IN A 999.1.1.1\n", 2),
    ],
)
def test_parse_errors_are_typed_with_line(tmp_path: Path, text: str, line: int) -> None:
    f = write(tmp_path, "x.test.zone", text)
    with pytest.raises(ZoneLoadError) as exc:
        ZoneSource.from_paths([f])
    # dnspython may name the next line for errors it detects at the end of a line
    assert exc.value.path == str(f) and exc.value.line in (line, line + 1)
    assert str(exc.value).startswith(f"{f}:{exc.value.line}: ")


def test_other_load_errors(tmp_path: Path) -> None:
    binary = tmp_path / "bin.test.zone"
    binary.write_bytes(b"@ 60 IN TXT ok\n\x89PNG\x00\xff")
    with pytest.raises(ZoneLoadError) as exc:
        ZoneSource.from_paths([binary])
    assert exc.value.line == 2
    cname = write(tmp_path, "c.test.zone", "x 60 IN CNAME y\nx 60 IN TXT z\n")
    with pytest.raises(ZoneLoadError):
        ZoneSource.from_paths([cname])
    with pytest.raises(ZoneLoadError, match="no such"):
        ZoneSource.from_paths([tmp_path / "missing.zone"])
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ZoneLoadError, match=r"no \*\.zone"):
        ZoneSource.from_paths([empty])


def test_duplicate_origin_is_an_error(tmp_path: Path) -> None:
    a = write(tmp_path, "a.zone", "$ORIGIN same.test.\n@ 60 IN A 192.0.2.1\n")
    b = write(tmp_path, "same.test.zone", "@ 60 IN A 192.0.2.2\n")
    with pytest.raises(ZoneLoadError, match="already loaded"):
        ZoneSource.from_paths([a, b])


def test_never_writes_the_files(tmp_path: Path) -> None:
    f = write(tmp_path, "ro.test.zone", "@ 60 IN TXT hello\n")
    f.chmod(0o444)
    before = (f.read_bytes(), f.stat().st_mtime_ns)
    ZoneSource.from_paths([f]).lookup("ro.test", "TXT")
    assert (f.read_bytes(), f.stat().st_mtime_ns) == before

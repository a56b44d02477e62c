"""The short way through a file that is plain XML or one gzip member of XML
(`containers._plain_report`) gives the same items as the general way (`_payloads`) for
every file, caps included: it only takes the files whose answer it knows, and leaves
every other one (and every cap's error) to `_payloads`."""

from __future__ import annotations

import functools
import gzip
import io
import zipfile
from pathlib import Path

import pytest
from tests.support import dmarc_gen as gen

from mailauth.report import containers
from mailauth.report.containers import Item, Limits, Unreadable, XmlPayload, read_inputs

XML = gen.aggregate_xml("google.com", "p-1", gen.DOMAIN, gen.START, [(gen.OWN_MTA, 3)])


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


FILES = {
    "xml": XML,
    "bom-xml": b"\xef\xbb\xbf" + XML,
    "space-xml": b"\n  " + XML,
    "utf16-xml": XML.decode().replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16"),
    "gzip-xml": gzip.compress(XML, mtime=0),
    "gzip-gzip-xml": gzip.compress(gzip.compress(XML, mtime=0), mtime=0),
    "gzip-zip": gzip.compress(_zip({"a.xml": XML}), mtime=0),
    "gzip-two-members": gzip.compress(XML, mtime=0) + gzip.compress(XML, mtime=0),
    "gzip-trailing": gzip.compress(XML, mtime=0) + b"junk",
    "gzip-truncated": gzip.compress(XML, mtime=0)[:-9],
    "gzip-unused": gzip.compress(b"unused", mtime=0),  # (Yahoo)
    "gzip-empty": gzip.compress(b"", mtime=0),
    "gzip-text": gzip.compress(b"hello", mtime=0),
    "zip": _zip({"a.xml": XML, "b.xml": XML}),
    "text": b"hello\n",
    "empty": b"",
    "blank": b" \n",
    "mail-header": b"Subject: x\n\nbody",
}
LIMITS = [
    Limits(),
    Limits(max_depth=0),
    Limits(max_depth=1),
    Limits(max_decompressed=10),  # smaller than the sniffed head of each report
    Limits(max_decompressed=len(XML) - 1),  # the inflated report is over the cap
    Limits(max_decompressed=len(XML)),
]


def _seen(items: list[Item]) -> list[tuple[object, ...]]:
    """Items as comparable values: a payload by its name, bytes and what `open` gives."""
    out: list[tuple[object, ...]] = []
    for item in items:
        if isinstance(item, XmlPayload):
            with item.open() as stream:
                out.append(("xml", item.name, item.data, stream.read()))
        else:
            out.append((type(item).__name__, item))
    return out


@pytest.mark.parametrize("limits", LIMITS, ids=repr)
@pytest.mark.parametrize("kind", sorted(FILES))
def test_same_items_as_the_general_way(tmp_path: Path, kind: str, limits: Limits) -> None:
    data = FILES[kind]
    path = tmp_path / f"{kind}.bin"
    path.write_bytes(data)
    general = list(
        containers._payloads(str(path), functools.partial(io.BytesIO, data), limits, 0, data)
    )
    assert _seen(list(read_inputs([str(path)], limits))) == _seen(general)


def test_the_short_way_is_taken_for_plain_reports_only() -> None:
    """It answers for plain and gzip-ed XML (so the comparison above covers it) and for
    nothing else."""
    taken = {k for k, data in FILES.items() if containers._plain_report(k, data, Limits())}
    assert taken == {"xml", "bom-xml", "space-xml", "utf16-xml", "gzip-xml"}
    assert containers._plain_report("x", FILES["gzip-xml"], Limits(max_depth=0)) is None
    assert containers._plain_report("x", FILES["gzip-xml"], Limits(max_decompressed=10)) is None


def test_a_file_that_goes_away_or_is_a_directory(tmp_path: Path) -> None:
    """The bare-descriptor read reports what the file object's did."""
    gone = tmp_path / "gone.xml"
    assert list(containers._file(str(gone), Limits())) == [Unreadable(str(gone), "not-found")]
    assert list(containers._file(str(tmp_path), Limits())) == [
        Unreadable(str(tmp_path), "os-error", "EISDIR")
    ]


def test_a_short_read_is_read_on() -> None:
    """`_read_upto` keeps reading after a read that returned fewer bytes (a pipe)."""
    pieces = [b"ab", b"c", b"", b"never"]
    assert containers._read_upto(lambda size: pieces.pop(0)[:size], 10) == b"abc"
    assert containers._read_upto(lambda size: b"abcdef"[:size], 4) == b"abcd"

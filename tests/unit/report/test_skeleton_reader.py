"""A small report read from between the tags of a skeleton already parsed
(`report/skeleton_reader.py`) gives exactly what the parser's way gives: on the samples,
the odd shapes, the edge variants of the reused parser and random text edits (each read
once to learn its skeleton and again by it); a text of a learnt skeleton that is not
plain character data (a reference, a carriage return, a control character, bytes that
are not UTF-8, a character XML forbids, a `<` or `>`) and markup that only looks like
the learnt one (delimiters swapped, text around the root) are left to the parser; and
the skeletons a run keeps stay bounded."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest
from tests.support import dmarc_gen as gen
from tests.unit.report.test_document_plan import BRANCHES, Outcome, _read
from tests.unit.report.test_small_reader import ZERO_RECORDS, _variants
from tests.unit.report.test_tree_reader import GOOD

from mailauth.report import skeleton_reader
from mailauth.report.model import Note


def _parsed(data: bytes, monkeypatch: pytest.MonkeyPatch) -> Outcome:
    """The parser's way (no skeleton split or pattern, so none learnt or read)."""
    with monkeypatch.context() as m:
        m.setattr(skeleton_reader, "split", lambda body: None)
        m.setattr(skeleton_reader, "read_compiled", lambda body, notes: None)
        return _read(data)


class _Spy:
    """Counts the documents `skeleton_reader.read` and `read_compiled` read."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        self.compiled = 0
        original = skeleton_reader.read
        original_compiled = skeleton_reader.read_compiled

        def read(body: bytes, parts: list[str], notes: list[Note]) -> object:
            got = original(body, parts, notes)
            self.count += got is not None
            return got

        def read_compiled(body: bytes, notes: list[Note]) -> object:
            got = original_compiled(body, notes)
            self.count += got is not None
            self.compiled += got is not None
            return got

        monkeypatch.setattr(skeleton_reader, "read", read)
        monkeypatch.setattr(skeleton_reader, "read_compiled", read_compiled)


@pytest.fixture(params=["split", "pattern"])
def tier(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both ways a skeleton reads: from the split (`read`) and, once it has read one
    document that way, as a pattern (`read_compiled`, COMPILE_AFTER set to 1)."""
    skeleton_reader._SKELETONS.clear()
    skeleton_reader._COMPILED.clear()
    monkeypatch.setattr(
        skeleton_reader, "COMPILE_AFTER", 1 if request.param == "pattern" else 10**9
    )
    return str(request.param)


def _learn(data: bytes) -> None:
    """`data`'s skeleton learnt, and compiled where `tier` compiles."""
    for _ in range(3):
        assert _read(data) is not None
    assert skeleton_reader._SKELETONS


def _texts_edited(rng: random.Random, words: list[bytes], count: int) -> Iterator[bytes]:
    """GOOD with some of its texts (between `>` and `<`) replaced or extended."""
    for _ in range(count):
        data = GOOD
        for _ in range(rng.randint(1, 3)):
            slots = [i + 1 for i in range(len(data)) if data[i : i + 1] == b">"]
            at = rng.choice(slots)
            end = data.index(b"<", at) if b"<" in data[at:] else len(data)
            if rng.random() < 0.5:
                end = at  # put in front of the text
            data = data[:at] + rng.choice(words) + data[end:]
        yield data


def _documents() -> Iterator[bytes]:
    yield from BRANCHES.values()
    yield ZERO_RECORDS
    yield from _variants()
    words = [b"", b" ", b" x ", b"Pass", b"\n\t", b"1", b"\xc3\xa9", b"\xe2\x80\x94", b"\t"]
    yield from _texts_edited(random.Random(5), words, 300)


def test_every_document_reads_as_the_parser_reads_it(
    tier: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    spy = _Spy(monkeypatch)
    for data in _documents():
        parsed = _parsed(data, monkeypatch)
        assert _read(data) == parsed, data  # (learns its skeleton, or reads by one)
        assert _read(data) == parsed, data  # (by its skeleton, when it has one)
        assert _read(data) == parsed, data  # (... as a pattern, when it has one)
    assert spy.count > 800
    assert (spy.compiled > 400) == (tier == "pattern")


# Texts put in a learnt skeleton that are not plain character data: each must go the
# parser's way (which reads, repairs or refuses it as before).
NOT_PLAIN = [
    b"&amp;", b"&#60;", b"&#x3e;", b"&lt;x&gt;", b"&x;", b"&", b"\r\n", b"\r", b"a\rb",
    b"\x00", b"\x01", b"\x0b", b"\x0c", b"\x1f", b"\x7f", b"\x91", b"\xff", b"\xc3",
    b"\xef\xbf\xbe", b"\xef\xbf\xbf", b"\xed\xa0\x80", b"\xc0\x80", b"\xf4\x90\x80\x80",
    b">", b"]]>", b"<", b"a<b", b"a>b",
]  # fmt: skip


@pytest.mark.parametrize("text", NOT_PLAIN, ids=repr)
def test_a_text_that_is_not_plain_goes_the_parsers_way(
    text: bytes, tier: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _learn(GOOD)
    spy = _Spy(monkeypatch)
    for field in (b"<org_name>", b"<p>", b"<source_ip>", b"<generator>", b"<version>"):
        for edited in (text, b"x" + text + b"y"):
            data = GOOD.replace(field, field + edited, 1)
            assert _read(data) == _parsed(data, monkeypatch), data
    assert spy.count == 0 and skeleton_reader._SKELETONS


def test_markup_that_only_looks_learnt_goes_the_parsers_way(
    tier: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same tags between the same texts, but delimiters swapped or text around the
    root: the split is the learnt one, the document is not."""
    _learn(GOOD)
    spy = _Spy(monkeypatch)
    tail = GOOD.rstrip()
    cases = [
        GOOD.replace(b"<version>", b">version<", 1),
        GOOD.replace(b"<version>1.0</version>", b"<version<1.0>/version>", 1),
        GOOD.replace(b"\n<feedback", b"\n>feedback", 1),
        GOOD.replace(b"</feedback>", b">/feedback<", 1),
        GOOD.replace(b"?>\n", b"?>\nx", 1),
        GOOD.replace(b"?>\n", b"?>\n\r", 1),
        GOOD.replace(b"?>\n", b"?>\n\xc2\xa0", 1),
        tail + b"x",
        tail + b"\r\n",
        tail + b"\xef\xbb\xbf",
    ]
    for data in cases:
        assert _read(data) == _parsed(data, monkeypatch), data
    assert spy.count == 0 and skeleton_reader._SKELETONS


def test_a_learnt_skeleton_reads_other_texts(monkeypatch: pytest.MonkeyPatch) -> None:
    """What the reports of a month are: one skeleton, every text different; read from
    the split COMPILE_AFTER times, then as a pattern."""
    skeleton_reader._SKELETONS.clear()
    skeleton_reader._COMPILED.clear()
    spy = _Spy(monkeypatch)
    for n in range(30):
        data = gen.aggregate_xml(
            f"r{n % 3}.example", f"id-{n}", gen.DOMAIN, gen.START + n * gen.DAY,
            [(gen.OWN_MTA, 1 + n)],
        )  # fmt: skip
        assert _read(data) == _parsed(data, monkeypatch)
    assert len(skeleton_reader._SKELETONS) == 1
    assert (spy.count, spy.compiled) == (29, 29 - skeleton_reader.COMPILE_AFTER)


def test_patterns_stay_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(skeleton_reader, "COMPILE_AFTER", 1)
    monkeypatch.setattr(skeleton_reader, "MAX_COMPILED", 3)
    skeleton_reader._COMPILED.clear()
    skeleton_reader._COMPILED_COUNT[0] = 0
    for data in BRANCHES.values():
        for _ in range(3):
            _read(data)
        assert sum(map(len, skeleton_reader._COMPILED.values())) <= 3
    assert skeleton_reader._COMPILED


def test_skeletons_stay_bounded(tier: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(skeleton_reader, "MAX_SKELETONS", 3)
    skeleton_reader._SKELETONS.clear()
    for data in BRANCHES.values():
        _read(data)
        assert len(skeleton_reader._SKELETONS) <= 3
    big = gen.aggregate_xml("a.example", "m", gen.DOMAIN, gen.START, [(gen.OWN_MTA, 1)] * 20)
    skeleton_reader._SKELETONS.clear()
    _read(big)
    assert skeleton_reader._SKELETONS == {}  # (no document plan: no skeleton)


def test_a_long_document_is_not_split(monkeypatch: pytest.MonkeyPatch) -> None:
    """Over MAX_DOCUMENT bytes (a report of many records: no document plan, so no
    skeleton), no split is made for nothing; the document is read as before."""
    calls: list[int] = []
    original = skeleton_reader.split

    def split(body: bytes) -> list[str] | None:
        calls.append(len(body))
        return original(body)

    monkeypatch.setattr(skeleton_reader, "split", split)
    long = GOOD.replace(b"<generator>", b"<generator>" + b"g" * skeleton_reader.MAX_DOCUMENT)
    assert _read(long) == _parsed(long, monkeypatch) and _read(long) is not None
    assert calls == []
    _read(GOOD)
    assert len(calls) == 1

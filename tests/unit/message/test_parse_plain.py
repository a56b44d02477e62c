"""The one-pass reading of a plain header section (message/parse.py `_plain_section`, issue
10) against the line-by-line reader (`_HeaderReader`): wherever the one-pass reading
answers, both give the same section (fields, values, raw bytes, line numbers, body start,
longest line, no defect), on every message the suite has and on hand-made headers at the
edge of "plain". Where it does not answer, the reader reads the message, so defects and
refusals are unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conformance.test_arc import CASES
from tests.conformance.test_dkim import VECTORS
from tests.support.verify_corpus import CorpusKeys, bench_corpus, differential_corpus

from mailauth.message import parse
from mailauth.message.parse import MessageInputError, _HeaderReader, _plain_section

SAMPLES = Path(__file__).resolve().parents[3] / "samples" / "messages"
BODY = b"\r\nbody\r\n"
EDGES = {
    "plain": (b"From: a@example.com\r\nSubject: hi\r\n" + BODY, True),
    "folded": (b"From: a@example.com\r\nSubject: one\r\n\ttwo\r\n  three\r\n" + BODY, True),
    "longest line later": (b"A: 1\r\nSubject: a much longer line\r\nB: 2\r\n" + BODY, True),
    "two longest": (b"Aa: 1\r\nBb: 2\r\n" + BODY, True),
    "empty value": (b"From: a@example.com\r\nX-Empty:\r\n" + BODY, True),
    "8-bit value": (b"From: a@example.com\r\nSubject: \xe3\x81\x82\xff\r\n" + BODY, True),
    "no body": (b"From: a@example.com\r\nSubject: hi\r\n\r\n", True),
    "headers only": (b"From: a@example.com\r\nSubject: hi\r\n", False),
    "stray CR": (b"From: a@example.com\r\nSubject: a\rb\r\n" + BODY, False),
    "lone LF": (b"From: a@example.com\nSubject: hi\r\n" + BODY, False),
    "NUL": (b"From: a@example.com\r\nSubject: a\x00b\r\n" + BODY, False),
    "space before colon": (b"From : a@example.com\r\n" + BODY, False),
    "name folded from colon": (b"From: a@example.com\r\nSubject\r\n : hi\r\n" + BODY, False),
    "not a field": (b"From: a@example.com\r\nthis is no field\r\n" + BODY, False),
    "whitespace line": (b"From: a@example.com\r\nSubject: a\r\n \r\n b\r\n" + BODY, False),
    "whitespace last line": (b"From: a@example.com\r\nSubject: a\r\n \t\r\n" + BODY, False),
    "whitespace line, tab": (b"From: a\r\nSubject: a\r\n\t\r\n b\r\n" + BODY, False),
    "folded first field": (b"Subject: a\r\n\tb\r\n c\r\nFrom: x\r\n" + BODY, True),
    "folded last field": (b"From: x\r\nTo: a,\r\n b\r\n" + BODY, True),
    "longest is a continuation": (b"A: 1\r\nB: 2\r\n   a long continuation\r\n" + BODY, True),
    "leading space": (b" From: a@example.com\r\n" + BODY, False),
    "empty header": (b"\r\n\r\nbody", False),
    # An empty first line, then fields: was an IndexError (hypothesis found it; issue 10's
    # one-pass reading); the reader reads an empty header section and the rest as body.
    "empty first line": (b"\r\nFrom: a@example.com\r\n\r\n", False),
    "empty first line, body": (b"\r\nFrom: a\r\n" + BODY, False),
    "mbox": (b"From x@example.com Mon Jan  1 00:00:00 2024\r\nFrom: a@example.com\r\n" + BODY,
             True),
}  # fmt: skip


def _same(raw: bytes) -> bool:
    """Whether the one-pass reading answered; fails if it did and differs from the reader."""
    match = parse._MBOX_FROM.match(raw)
    start = match.end() if match else 0
    plain = _plain_section(raw, start)
    if plain is None:
        return False
    assert plain == _HeaderReader(raw, start).read()
    assert not plain.defects
    return True


@pytest.mark.parametrize("name", sorted(EDGES))
def test_edges(name: str) -> None:
    raw, plain = EDGES[name]
    assert _same(raw) is plain


def test_refusals_unchanged() -> None:
    """Inputs the reader refuses are refused the same way (the one-pass reading passes)."""
    for raw, code in [
        (b"\r\n\r\n", "empty"),
        (b" x: y\r\n\r\n", "leading-space"),
        (b"From: a\r\nS: \x00\r\n\r\n", "nul"),
        (b"not a field\r\n\r\n", "first-line-not-field"),
        (b"A: b\r\n" * (parse.MAX_HEADER_LINES + 1) + b"\r\n", "too-many-lines"),
    ]:
        with pytest.raises(MessageInputError) as caught:
            parse.parse_message(raw)
        assert caught.value.code == code


def test_every_message_of_the_suite() -> None:
    raws = [v.raw for v in VECTORS] + [c[2] for c in CASES]
    raws += [p.read_bytes() for p in sorted(SAMPLES.glob("*.eml"))]
    keys = CorpusKeys.make(1024)
    raws += [m.raw for m in differential_corpus(keys, big=0)]
    raws += [m.raw for m in bench_corpus(keys, 30)]
    answered = sum(_same(raw) for raw in raws)
    assert answered > len(raws) // 2  # most are plain: the comparison compares something


def test_header_built_as_the_constructor_builds_it() -> None:
    import dataclasses

    from mailauth.message.parse import Header, _new_header

    ours = _new_header("Subject", "hi", b"Subject: hi", 3)
    theirs = Header("Subject", "hi", b"Subject: hi", 3)
    assert ours == theirs and hash(ours) == hash(theirs) and repr(ours) == repr(theirs)
    assert vars(ours) == vars(theirs) and ours.lname == "subject"
    with pytest.raises(dataclasses.FrozenInstanceError):
        ours.value = "changed"  # type: ignore[misc]

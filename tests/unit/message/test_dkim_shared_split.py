"""The header section is read once per message (issue 10): `ParsedMessage.dkim_message`
takes the DKIM verifier's fields from the fields mailauth's own reader found, where the
two readings cannot differ, instead of splitting `dkim_bytes` a second time. Wherever that
shortcut is taken it must give exactly what dkimpy's way of splitting gives (the verifier's
`_split`), on every message the suite has: the conformance data (DKIM and ARC), the
generated differential corpus, the samples, and hand-made headers that sit on the line
between the two readings (a stray CR, a name folded from its colon, `Name :`, a
whitespace-only line, an mbox export, bare LF)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conformance.test_arc import CASES
from tests.conformance.test_dkim import VECTORS
from tests.support.verify_corpus import CorpusKeys, differential_corpus

from mailauth.message.dkimverify import DkimMessage, _split
from mailauth.message.parse import MessageInputError, parse_message

SAMPLES = Path(__file__).resolve().parents[3] / "samples" / "messages"
BODY = b"\r\nbody line\r\n"
EDGES = {
    "plain": b"From: a@example.com\r\nSubject: hi\r\n" + BODY,
    "folded": b"From: a@example.com\r\nSubject: one\r\n\ttwo\r\n  three\r\n" + BODY,
    "stray CR in a value": b"From: a@example.com\r\nSubject: a\rb\r\n" + BODY,
    "CR CR LF": b"From: a@example.com\r\nSubject: ab\r\r\n" + BODY,
    "space before colon": b"From : a@example.com\r\nSubject: hi\r\n" + BODY,
    "name folded from colon": b"From: a@example.com\r\nSubject\r\n : hi\r\n" + BODY,
    "whitespace-only line": b"From: a@example.com\r\nSubject: a\r\n \r\n b\r\n" + BODY,
    "mbox": b"From sender@example.com Mon Jan  1 00:00:00 2024\r\nFrom: a@example.com\r\n" + BODY,
    "bare LF": b"From: a@example.com\nSubject: hi\n\nbody\n",
    "no body": b"From: a@example.com\r\nSubject: hi\r\n",
    "no final line ending": b"From: a@example.com\r\nSubject: hi",
    "empty value": b"From: a@example.com\r\nX-Empty:\r\n" + BODY,
    "colon in value": b"From: a@example.com\r\nX-Time: 12:00:01\r\n" + BODY,
    "8-bit": b"From: a@example.com\r\nSubject: \xe3\x81\x82\xff\r\n" + BODY,
}


def _check(raw: bytes) -> bool:
    """Whether the shortcut was taken; fails if it was and differs from `_split`."""
    try:
        parsed = parse_message(raw)
    except MessageInputError:
        return False
    shared = parsed._dkim_split()
    if shared is None:
        return False
    assert shared == _split(parsed.dkim_bytes)
    view = parsed.dkim_message()
    assert (view.headers, view.body_start) == _split(parsed.dkim_bytes)
    assert view.signatures() == DkimMessage(parsed.dkim_bytes).signatures()
    return True


@pytest.mark.parametrize("name", sorted(EDGES))
def test_edges(name: str) -> None:
    taken = _check(EDGES[name])
    # The shortcut is for clean headers only; the others are split by the verifier itself.
    clean = {"plain", "folded", "no body", "empty value", "colon in value", "8-bit"}
    assert taken is (name in clean)


def test_conformance_and_samples() -> None:
    raws = [v.raw for v in VECTORS] + [c[2] for c in CASES]
    raws += [p.read_bytes() for p in sorted(SAMPLES.glob("*.eml"))]
    taken = sum(_check(raw) for raw in raws)
    assert taken > len(raws) // 2  # most messages take it: the test compares something


def test_generated_corpus() -> None:
    messages = differential_corpus(CorpusKeys.make(1024), big=0)
    taken = sum(_check(m.raw) for m in messages)
    assert taken > len(messages) // 2

"""Streaming DKIM canonicalization (message/dkimcanon.py) against dkimpy's, and its cost.

The canonical body must be byte for byte what dkimpy hashes, whatever the chunk boundaries
cut through (a CRLF, a run of white space, the trailing empty lines), and every signature
that can share a body hash shares it. The memory bound is tests/hostile/test_dkim_memory.py.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator

import dkim
import pytest
from dkim.canonicalization import Relaxed, Simple

from mailauth.message import dkimcanon
from mailauth.message.dkimcanon import BodyHashes, canonical_body, relaxed_header, without_b_value

_PARTS = [
    b"a", b"word", b" ", b"\t", b"  ", b" \t ", b"\r", b"\n", b"\r\n", b"\r\r\n", b" \r\n",
    b"\t\n", b"\r\n\r\n", b"\n\n", b"\xff", b"x" * 30,
]  # fmt: skip


def _dkimpy_body(body: bytes, relaxed: bool) -> bytes:
    """What dkimpy hashes for this body (read as it reads a message, lines on `\\r?\\n`)."""
    joined = b"\r\n".join(re.split(b"\r?\n", body))
    return (Relaxed if relaxed else Simple).canonicalize_body(joined)


def _ours(body: bytes, relaxed: bool, lone_lf: bool = True) -> bytes:
    head = b"Subject: x\r\n\r\n"
    return b"".join(canonical_body(head + body, len(head), relaxed, lone_lf))


def _bodies(seed: int, count: int) -> Iterator[bytes]:
    rng = random.Random(seed)
    for _ in range(count):
        yield b"".join(rng.choice(_PARTS) for _ in range(rng.randint(0, 60)))


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 64, dkimcanon.CHUNK])
def test_random_bodies_at_every_chunk_size(chunk: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dkimcanon, "CHUNK", chunk)
    for body in _bodies(chunk, 2000):
        for relaxed in (False, True):
            assert _ours(body, relaxed) == _dkimpy_body(body, relaxed), (chunk, relaxed, body)


def test_crlf_only_bodies_need_no_search(monkeypatch: pytest.MonkeyPatch) -> None:
    """`lone_lf=False` (every LF follows a CR, as in dkim_bytes) gives the same bytes."""
    monkeypatch.setattr(dkimcanon, "CHUNK", 5)
    for body in _bodies(99, 2000):
        body = body.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        for relaxed in (False, True):
            assert _ours(body, relaxed, lone_lf=False) == _dkimpy_body(body, relaxed)


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"\r\n",
        b"\n" * 5000,
        b"\n" * 5000 + b"x",
        b"x" + b"\r\n" * 5000,
        b" " * 5000 + b"\r\n",
        b" \t" * 5000 + b"end",
        b"end" + b" \t" * 5000,
        b"\r" * 5000,
        b"\r" * 5000 + b"\n",
        b"line \r\n" * 1000 + b"\r\n" * 1000 + b" ",
        b"no final line ending",
    ],
    ids=lambda b: repr(b[:12]) + f"..{len(b)}",
)
def test_edge_bodies(body: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    for chunk in (1, 3, 64, 4096):
        monkeypatch.setattr(dkimcanon, "CHUNK", chunk)
        for relaxed in (False, True):
            assert _ours(body, relaxed) == _dkimpy_body(body, relaxed), (chunk, relaxed)


def test_relaxed_header_is_dkimpys() -> None:
    rng = random.Random(7)
    pieces = [b"a", b" ", b"\t", b"  ", b"\r\n ", b"\r\n\t", b"\xc3\xa9", b"\x0b", b"\r", b"x"]
    for _ in range(3000):
        value = b"".join(rng.choice(pieces) for _ in range(rng.randint(0, 20))) + b"\r\n"
        name = rng.choice([b"Subject", b"FROM", b"x-Y"])
        assert relaxed_header(name, value) == tuple(
            Relaxed.canonicalize_headers([(name, value)])[0]
        )


@pytest.mark.parametrize(
    "value",
    [
        b" v=1; a=rsa-sha256; b=abc/+=; bh=xyz=\r\n",
        b" v=1; b=\r\n\tAAAA\r\n\tBBBB==; d=example.test\r\n",
        b" b = AB CD ;bh=EF\r\n",
        b" v=1;b=x; z=b=12\r\n",
        b" b=",
    ],
)
def test_b_value_removed_as_dkimpy_does(value: bytes) -> None:
    assert without_b_value(value) == dkim.RE_BTAG.sub(rb"\1", value)


def test_one_canonicalization_per_body_hash(monkeypatch: pytest.MonkeyPatch) -> None:
    """Signatures with the same c= body, hash and l= share one pass over the body; an l= at
    or past the canonical length is the same digest."""
    passes: list[bool] = []
    real = dkimcanon.canonical_body

    def counted(data: bytes, start: int, relaxed: bool, lone_lf: bool = True) -> Iterator[bytes]:
        passes.append(relaxed)
        return real(data, start, relaxed, lone_lf)

    monkeypatch.setattr(dkimcanon, "canonical_body", counted)
    body = b"Subject: x\r\n\r\nhello  world\r\n\r\n"
    hashes = BodyHashes(body, body.index(b"\r\n\r\n") + 4)
    full = hashes.digest(True, "sha256", None)
    assert hashes.digest(True, "sha256", None) == full
    assert hashes.digest(True, "sha256", 13) == full  # "hello world\r\n" is 13 bytes
    assert hashes.digest(True, "sha256", 10_000) == full
    assert passes == [True]
    hashes.digest(True, "sha256", 5)
    hashes.digest(False, "sha256", None)
    hashes.digest(True, "sha1", None)
    assert passes == [True, True, False, True]


def test_b_value_emptied_as_dkimpy_empties_it() -> None:
    """`without_b_value` (one character class) against dkimpy's own RE_BTAG on values built
    from the characters that matter: b=, separators, every kind of white space, base64, a
    final line ending or not."""
    rng = random.Random(6376)
    alphabet = b"b=; \t\r\n\x0b\x0cAZaz09+/=x:-"
    for _ in range(30_000):
        value = bytes(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        if rng.random() < 0.3:
            value += rng.choice([b"\r\n", b"\n", b" \r\n", b"\r"])
        assert without_b_value(value) == dkim.RE_BTAG.sub(rb"\1", value), value


def test_text_then_attachment_rewrites_only_the_text(monkeypatch: pytest.MonkeyPatch) -> None:
    """A chunk with white space only near its start (a short text part, then base64) is
    rewritten up to the line after its last SP/HTAB; the rest is hashed as it is (issue 10).
    Same bytes as dkimpy whatever the chunk size, with empty lines and white space after."""
    text = b"Hello  there,\t\r\nsecond line \r\n\r\n"
    base64_lines = b"QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0MTIzNDU2Nzg5\r\n" * 400
    bodies = [
        text + base64_lines,
        text + base64_lines + b"\r\n\r\n",
        text + base64_lines + b"tail  with space \r\n\r\n",
        base64_lines + text,
        text + base64_lines + b"no final CRLF ",
    ]
    rewritten: list[int] = []
    real = dkimcanon._canonical_chunk

    def counting(chunk: bytes, relaxed: bool, lone_lf: bool) -> bytes:
        rewritten.append(len(chunk))
        return real(chunk, relaxed, lone_lf)

    monkeypatch.setattr(dkimcanon, "_canonical_chunk", counting)
    for chunk in (7, 64, 1000, 4096, dkimcanon.CHUNK):
        monkeypatch.setattr(dkimcanon, "CHUNK", chunk)
        for body in bodies:
            for relaxed in (False, True):
                for lone_lf in (False, True):
                    got = _ours(body, relaxed, lone_lf)
                    assert got == _dkimpy_body(body, relaxed), (chunk, relaxed, lone_lf)
    rewritten.clear()
    monkeypatch.setattr(dkimcanon, "CHUNK", 64 * 1024)
    assert _ours(bodies[0], True, lone_lf=False) == _dkimpy_body(bodies[0], True)
    # Up to the line ending after "second line ": the empty line and the base64 lines after
    # it never went through the rules.
    assert sum(rewritten) == text.index(b"line \r\n") + len(b"line \r\n")

"""The ARC-Message-Signature's body hash comes from the DKIM signatures' cache (issue 10:
one hash per canonicalization, algorithm and l= for every signature of a message), and only
when those are the same: an AMS whose body canonicalization or l= differs from the DKIM
signature's gets a hash of its own. Each case is checked three ways: how many times the
body was hashed, the native answers against dkimpy's (`dkim.verify`, `dkim.arc_verify`),
and the whole `verify_message` over a `MemorySource`. The bodies are chosen so that a
wrongly shared hash gives another verdict (trailing white space: relaxed and simple
canonical bodies differ; a footer added after an l= signature: the AMS covers it, the
DKIM signature does not).

Also here: the small rewrites that keep an ARC-sealed message cheap (issue 10) held to the
code they replace: white space removal before base64 decoding, and the
Authentication-Results comment and `;` splitting fast paths.
"""

from __future__ import annotations

import asyncio
import random
import re
from collections.abc import Iterator
from typing import Any

import dkim
import pytest
from tests.support.verify_corpus import IP, MAIL_FROM, CorpusKeys, forward, sign

from mailauth.dns.memory import MemorySource
from mailauth.message import verify_message
from mailauth.message.arcverify import arc_verify
from mailauth.message.authresults import (
    _ctext,
    _split,
    _split_chars,
    _strip_comment_chars,
    _strip_comments,
)
from mailauth.message.dkimcanon import BodyHashes
from mailauth.message.dkimverify import DkimMessage, Verdict, without_space
from mailauth.message.verify import VerifyOptions
from mailauth.model import Result

_HEAD = (
    b"From: Bench <news@bench.example>\r\nTo: <user@example.net>\r\n"
    b"Subject: shared body hash\r\nDate: Mon, 3 Nov 2025 10:00:00 +0900\r\n"
    b"Message-ID: <shared@bench.example>\r\nMIME-Version: 1.0\r\n"
    b"Content-Type: text/plain\r\n\r\n"
)
# Trailing white space and a run of spaces: simple and relaxed canonical bodies differ.
_BODY = b"line with trailing space   \r\nand  a\trun\r\n\r\n" * 40


@pytest.fixture(scope="module")
def keys() -> CorpusKeys:
    return CorpusKeys.make(1024)


@pytest.fixture
def computed(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[bool, str, int | None]]]:
    """Every body hash actually computed (not taken from the cache), as (relaxed, hash, l=)."""
    calls: list[tuple[bool, str, int | None]] = []
    original = BodyHashes._compute

    def counting(self: BodyHashes, relaxed: bool, algorithm: str, limit: int | None) -> bytes:
        calls.append((relaxed, algorithm, limit))
        return original(self, relaxed, algorithm, limit)

    monkeypatch.setattr(BodyHashes, "_compute", counting)
    yield calls


def _sealed(keys: CorpusKeys, canon: tuple[bytes, bytes], length: bool, footer: bool) -> bytes:
    """DKIM-signed with `canon` (l= when `length`), then forwarded and ARC-sealed by the
    list (its AMS: relaxed/relaxed, no l=), the list adding a footer first if `footer`."""
    signed = sign(_HEAD + _BODY, keys.rsa, canon=canon, length=length)
    if footer:
        signed += b"-- \r\nfooter added by the list  \r\n"
    return forward(signed, keys, 1)


def _native(raw: bytes, keys: CorpusKeys) -> tuple[Verdict, Any]:
    """The DKIM verdict and the ARC answer over ONE split message (one body-hash cache),
    DKIM first, as verify_message runs them."""
    message = DkimMessage(raw)
    dkim_outcome = message.verify(0, keys.lookup)
    return dkim_outcome.verdict, arc_verify(message, keys.lookup)


def _verify(raw: bytes, keys: CorpusKeys) -> Any:
    data: dict[str, dict[str, list[str]]] = {}
    for name, value in keys.records.items():
        data.setdefault(name, {})["TXT"] = [value]
    options = VerifyOptions(ip=IP, helo="mx.bench.example", mail_from=MAIL_FROM)
    return asyncio.run(verify_message(raw, MemorySource(data), options))


CASES = [
    # (DKIM c=, DKIM l=, footer added by the list, body hashes computed)
    pytest.param((b"relaxed", b"relaxed"), False, False, 1, id="same-c-shared"),
    pytest.param((b"simple", b"relaxed"), False, False, 1, id="same-body-c-shared"),
    pytest.param((b"relaxed", b"simple"), False, False, 2, id="other-body-c"),
    pytest.param((b"simple", b"simple"), False, False, 2, id="simple-simple"),
    pytest.param((b"relaxed", b"relaxed"), True, True, 2, id="dkim-l-footer"),
    pytest.param((b"relaxed", b"simple"), True, True, 2, id="dkim-l-simple-footer"),
]


@pytest.mark.parametrize(("canon", "length", "footer", "hashes"), CASES)
def test_ams_shares_the_dkim_body_hash_only_when_equal(
    keys: CorpusKeys,
    computed: list[tuple[bool, str, int | None]],
    canon: tuple[bytes, bytes],
    length: bool,
    footer: bool,
    hashes: int,
) -> None:
    raw = _sealed(keys, canon, length, footer)
    verdict, (cv, results, reason) = _native(raw, keys)
    assert len(computed) == hashes, computed
    assert verdict is Verdict.PASS
    assert (cv, reason) == (dkim.CV_Pass, "success")
    assert results[0]["ams-valid"] and results[0]["as-valid"]
    # dkimpy, which hashes every body afresh, says the same
    assert dkim.verify(raw, dnsfunc=lambda name, timeout=5: keys.lookup(name))
    assert (cv, results, reason) == dkim.arc_verify(raw, dnsfunc=keys.lookup)
    computed.clear()
    report = _verify(raw, keys)
    assert [s.result for s in report.dkim] == [Result.PASS]
    assert report.arc.result is Result.PASS
    assert len(computed) == hashes, computed


def test_a_wrongly_shared_hash_would_fail_the_ams(keys: CorpusKeys) -> None:
    """The test above can fail: the AMS checked against the DKIM signature's hash (simple
    body, l= over the body before the footer) does not validate."""
    raw = _sealed(keys, (b"relaxed", b"simple"), True, True)
    message = DkimMessage(raw)
    assert message.verify(0, keys.lookup).verdict is Verdict.PASS
    tags = dict(message.bodies._digests)
    (dkim_key,) = tags
    relaxed, algorithm, limit = dkim_key
    assert not relaxed and limit is not None
    # Make the cache answer every request with the DKIM signature's digest.
    message.bodies._digests[(True, algorithm, None)] = tags[dkim_key]
    cv, results, _ = arc_verify(message, keys.lookup)
    assert cv == dkim.CV_Fail and not results[0]["ams-valid"]


def test_without_space_is_dkimpys_regex() -> None:
    pattern = re.compile(rb"\s+")
    for byte in range(256):
        value = b"ab" + bytes([byte]) * 2 + b"c=\r\n d"
        assert without_space(value) == pattern.sub(b"", value)


def _texts() -> list[str]:
    rng = random.Random(8601)
    alphabet = ['"', "\\", "(", ")", ";", " ", "a", "=", "x"]
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in range(4000)]


def test_authentication_results_fast_paths_are_the_loops() -> None:
    texts = _texts()
    plain = [t for t in texts if "(" not in t and '"' not in t]
    assert len(plain) > 100  # the fast paths are exercised
    for text in texts:
        assert _strip_comments(text) == _strip_comment_chars(text)
        assert _split(text) == _split_chars(text)
        shown = " ".join(text.split())
        assert _ctext(text) == re.sub(r"([()\\])", r"\\\1", shown)

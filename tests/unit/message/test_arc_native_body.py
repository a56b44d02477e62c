"""The native ARC verifier (message/arcverify.py) against dkimpy's `arc_verify` (the
oracle): the whole answer (cv, every instance's result dict, the reason), or the exception,
must be the same on the ARC conformance suite's messages (as given and as mailauth hands them
over) and on chains sealed here with `dkim.arc_sign`, unaltered and altered, with CRLF and
bare LF line endings.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import dkim
import pytest
from tests.conformance.test_arc import CASES
from tests.support.dkim_oracle import Signer, rsa_signer

from mailauth.message.arc import _for_arc
from mailauth.message.arcverify import arc_verify
from mailauth.message.dkimverify import DkimMessage
from mailauth.message.parse import MessageInputError, parse_message

Lookup = Callable[..., "bytes | None"]


def _lookup(records: dict[str, str]) -> Lookup:
    table = {n.lower().rstrip("."): v.encode() for n, v in records.items()}

    def lookup(name: bytes | str, timeout: float = 5) -> bytes | None:
        text = name.decode() if isinstance(name, bytes) else name
        return table.get(text.lower().rstrip("."))

    return lookup


def _answer(run: Callable[[], Any]) -> Any:
    try:
        return ("ok", run())
    except Exception as exc:
        return ("raised", type(exc).__name__, str(exc))


def _same(raw: bytes, lookup: Lookup) -> tuple[Any, Any]:
    ours = _answer(lambda: arc_verify(DkimMessage(raw), lookup))
    oracle = _answer(lambda: dkim.arc_verify(raw, dnsfunc=lookup))
    return ours, oracle


def _inputs() -> list[Any]:
    out = []
    for scenario, name, raw, txt, _ in CASES:
        out.append(pytest.param(raw, txt, id=f"{scenario[:20]}-{name}-raw"))
        try:
            handed = _for_arc(parse_message(raw))  # what mailauth gives the ARC check
        except MessageInputError:
            continue  # an empty message: mailauth refuses it before ARC
        out.append(pytest.param(handed, txt, id=f"{scenario[:20]}-{name}"))
    return out


@pytest.mark.parametrize(("raw", "txt"), _inputs())
def test_suite_messages_as_dkimpy(raw: bytes, txt: dict[str, str]) -> None:
    ours, oracle = _same(raw, _lookup(txt))
    assert ours == oracle


def test_suite_is_all_there() -> None:
    assert len(CASES) >= 60  # every validation test and the Stalwart chains


_SIGNERS: list[Signer] = []


def _signer() -> Signer:
    if not _SIGNERS:
        _SIGNERS.append(rsa_signer(b"arc", 1024))
    return _SIGNERS[0]


def _body(rng: random.Random) -> bytes:
    parts = [b"text", b"", b" ", b"\t", b"  a \t b  ", b"x\r", b"=20", b"\xc3\xa9"]
    ends = [b"\n", b"\r\n", b"\r\n\r\n", b"\n\n\n"]
    body = b"".join(rng.choice(parts) + rng.choice(ends) for _ in range(rng.randint(0, 30)))
    return body + rng.choice([b"", b"tail", b" \t", b"\n" * rng.randint(1, 200)])


def _seal(message: bytes, hop: int, found: bytes = b"pass") -> bytes:
    """The next ARC set, by hop<N>.example; `found` is the chain as that sealer found it
    (its Authentication-Results arc=, which dkimpy seals as cv=)."""
    signer = _signer()
    arc = b"; arc=" + found if hop > 1 else b""
    ar = b"Authentication-Results: hop%d.example; spf=pass smtp.mailfrom=example.test%s\r\n" % (
        hop,
        arc,
    )
    sealed = ar + message
    lines = dkim.arc_sign(
        sealed, signer.selector, b"hop%d.example" % hop, signer.private, b"hop%d.example" % hop
    )
    return b"".join(lines) + sealed


def _alter(message: bytes, rng: random.Random) -> bytes:
    head, sep, body = message.partition(b"\r\n\r\n")
    choice = rng.randrange(6)
    if choice == 0:
        return head + sep + body + b"footer added by a list\r\n"
    if choice == 1:
        return head.replace(b"Subject: ", b"Subject: [list] ", 1) + sep + body
    if choice == 2:
        return head + sep + body + b"\r\n\r\n\n"  # trailing empty lines: unsigned
    if choice == 3:
        return head + sep + body.replace(b" ", b"  ")  # relaxed: the same hash
    if choice == 4:
        return head.replace(b"cv=none", b"cv=pass", 1) + sep + body
    return head.replace(b"bh=", b"bh=AAAA", 1) + sep + body


def _generated() -> list[Any]:
    rng = random.Random(8617)
    out = []
    for n in range(60):
        body = _body(rng)
        hops = rng.randint(1, 3)
        altered = n % 2 == 1
        out.append(
            pytest.param(n, body, hops, altered, id=f"gen{n}-{hops}-{'alt' if altered else 'ok'}")
        )
    return out


@pytest.mark.parametrize(("seed", "body", "hops", "altered"), _generated())
def test_sealed_chains_as_dkimpy(seed: int, body: bytes, hops: int, altered: bool) -> None:
    rng = random.Random(seed)
    message = (
        b"From: <a@example.test>\r\nTo: <b@example.test>\r\nSubject: hop\r\n"
        b"Date: Mon, 1 Jan 2024 00:00:00 +0000\r\nMessage-ID: <%d@example.test>\r\n\r\n" % seed
    ) + body
    found = b"pass"
    for hop in range(1, hops + 1):
        message = _seal(message, hop, found)
        if altered and hop == hops - 1:
            message = _alter(message, rng)  # changed in transit, before the last hop
            found = rng.choice([b"pass", b"fail"])  # the next sealer noticed, or not
    if altered and rng.random() < 0.5:
        message = _alter(message, rng)  # or after it
    records = {f"arc._domainkey.hop{h}.example": _signer().record.decode() for h in range(1, 4)}
    lookup = _lookup(records)
    ours, oracle = _same(message, lookup)
    assert ours == oracle
    lf = message.replace(b"\r\n", b"\n")
    ours_lf, oracle_lf = _same(lf, lookup)  # bare LF line endings, as dkimpy accepts them
    assert ours_lf == oracle_lf
    assert oracle[0] == "ok"
    assert len(oracle[1][1]) == hops or oracle[1][0] != dkim.CV_Pass  # every set was sealed
    if not altered:
        assert oracle[1][0] == dkim.CV_Pass

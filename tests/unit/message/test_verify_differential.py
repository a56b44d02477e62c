"""The native verifiers against dkimpy, on the conformance data and a generated corpus: any
disagreement fails.

What is compared, per message, on the bytes as given and on the bytes mailauth hands over
(`ParsedMessage.dkim_bytes`: CRLF line endings, mbox quoting undone):
- DKIM: every DKIM-Signature's verdict (message/dkimverify.py `DkimMessage.verify` against
  `dkim.DKIM(...).verify(idx=)`, both in the native verifier's vocabulary:
  tests/support/dkim_oracle.py);
- ARC: the whole answer of message/arcverify.py `arc_verify` against `dkim.arc_verify`: the
  cv, every instance's result dict (seal and AMS validity, domains, selectors, cv, the AAR),
  the reason, or the exception and its text;
- and through the product (`verify_message`): each signature passes exactly when dkimpy's
  verify() is True, and the ARC result is dkimpy's cv (pass, none, else fail).

The corpus (tests/support/verify_corpus.py `differential_corpus`) is signed by dkimpy: ~4 KB
and ~50 KB bodies and empty ones with every canonicalization pair, two ~1 MB messages, l=,
folded header fields, rsa-sha256 and ed25519-sha256, one to three signatures, bare LF, changes
in transit; ARC chains of one to three hops, dual-signed ones, half of them broken (body,
Subject, an added field, a seal's cv=, an AMS's bh=). The conformance messages: every DKIM
vector for both verifiers here (ARC on them too: most say "not ARC signed", some are sealed);
the ARC suite's messages are compared in full by test_arc_native_body.py and, for DKIM, by
test_dkim_native.py.
"""

from __future__ import annotations

import asyncio
import types
from collections.abc import Callable
from typing import Any

import dkim
import pytest
from tests.conformance.test_dkim import VECTORS
from tests.support.dkim_oracle import Check, Lookup, dkimpy_checks, native_checks
from tests.support.verify_corpus import CorpusKeys, CorpusMessage, differential_corpus

from mailauth.dns.memory import MemorySource
from mailauth.message import dkimsyntax
from mailauth.message.arc import _for_arc
from mailauth.message.arcverify import arc_verify
from mailauth.message.dkimverify import DkimMessage, Verdict
from mailauth.message.parse import MessageInputError, parse_message
from mailauth.message.verify import VerifyOptions, verify_message
from mailauth.model import Result


def _answer(run: Callable[[], Any]) -> Any:
    try:
        return ("ok", run())
    except Exception as exc:
        return ("raised", type(exc).__name__, str(exc))


def _arc_pair(raw: bytes, lookup: Lookup) -> tuple[Any, Any]:
    ours = _answer(lambda: arc_verify(DkimMessage(raw), lookup))
    oracle = _answer(lambda: dkim.arc_verify(raw, dnsfunc=lambda n, timeout=5: lookup(n)))
    return ours, oracle


def _agree(raw: bytes, lookup: Lookup) -> tuple[list[Check] | str, Any]:
    """Both verifiers on `raw` and on what mailauth hands over; dkimpy's answers for the
    latter (DKIM checks, ARC answer) are returned for the product-level comparison."""
    dkim_ref = dkimpy_checks(raw, lookup)
    assert native_checks(raw, lookup) == dkim_ref
    ours, oracle = _arc_pair(raw, lookup)
    assert ours == oracle
    try:
        parsed = parse_message(raw)
    except MessageInputError:
        return dkim_ref, oracle
    sent = parsed.dkim_bytes
    if sent != raw:
        dkim_ref = dkimpy_checks(sent, lookup)
        assert native_checks(sent, lookup, crlf_only=True) == dkim_ref
    handed = _for_arc(parsed)
    if handed != raw:
        ours, oracle = _arc_pair(handed, lookup)
        assert ours == oracle
    return dkim_ref, oracle


@pytest.fixture(scope="module")
def corpus() -> tuple[CorpusKeys, list[CorpusMessage]]:
    keys = CorpusKeys.make()
    return keys, differential_corpus(keys)


def test_generated_corpus(corpus: tuple[CorpusKeys, list[CorpusMessage]]) -> None:
    keys, messages = corpus
    dns = MemorySource({name: {"TXT": [value]} for name, value in keys.records.items()})
    options = VerifyOptions(ip="192.0.2.10", helo="mx.bench.example")
    verdicts: set[str] = set()
    arc_results: set[str] = set()
    for message in messages:
        where = f"{message.size_class}: {message.signing}"
        dkim_ref, arc_ref = _agree(message.raw, keys.lookup)
        assert isinstance(dkim_ref, list), where
        verdicts.update(c.verdict.value for c in dkim_ref)
        report = asyncio.run(verify_message(message.raw, dns, options))
        passed = [s.result is Result.PASS for s in report.dkim]
        assert passed == [c.verdict is Verdict.PASS for c in dkim_ref], where
        assert arc_ref[0] == "ok", where
        cv = arc_ref[1][0]
        expected = {dkim.CV_Pass: Result.PASS, dkim.CV_None: Result.NONE}.get(cv, Result.FAIL)
        assert report.arc.result is expected, where
        arc_results.add(f"{message.size_class.split(',')[0]} {expected.value}")
    # The corpus is what it claims: passes and failures of both kinds, chains of every length
    # that pass and that fail.
    assert {"pass", "fail", "body-hash-mismatch"} <= verdicts
    for hops in (1, 2, 3):
        assert {f"arc {hops} hop(s) pass", f"arc {hops} hop(s) fail"} <= arc_results


@pytest.mark.parametrize("vector", VECTORS, ids=[f"{v.set}/{v.name}" for v in VECTORS])
def test_conformance_vectors(vector: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    if vector.clock is not None:  # the suite's verification time (conformance/test_dkim.py)
        clock = types.SimpleNamespace(time=lambda: vector.clock)
        monkeypatch.setattr(dkim, "time", clock)
        monkeypatch.setattr(dkimsyntax, "time", clock)  # our copy of dkimpy's tag rules
    table = {n.lower().rstrip("."): recs for n, recs in vector.txt.items()}

    def lookup(name: bytes | str) -> bytes | None:
        text = name.decode() if isinstance(name, bytes) else name
        records = ["".join(parts).encode() for parts in table.get(text.lower().rstrip("."), [])]
        chosen = [r for r in records if b"p=" in r] or records
        return chosen[0] if chosen else None

    _agree(vector.raw, lookup)

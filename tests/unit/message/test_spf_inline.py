"""SPF on the loop's thread when the prefetched record is all check_host needs, and the
worker-thread run (unchanged results) when it needs more (issue 10, small-message verify)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from mailauth.concurrency import run_blocking
from mailauth.dns.memory import MemorySource
from mailauth.message.spf import SpfIdentity, evaluate_spf
from mailauth.model import Result

DNS = MemorySource(
    {
        "plain.example": {"TXT": ["v=spf1 ip4:192.0.2.0/24 -all"]},
        "nested.example": {"TXT": ["v=spf1 include:_spf.esp.example -all"]},
        "_spf.esp.example": {"TXT": ["v=spf1 a:mx.esp.example -all"]},
        "mx.esp.example": {"A": ["192.0.2.25"]},
    }
)


def _threads(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    started: list[object] = []
    real = asyncio.to_thread

    async def counting(func: Any, /, *args: Any) -> Any:
        started.append(func)
        return await real(func, *args)

    monkeypatch.setattr(asyncio, "to_thread", counting)  # (spf.py looks it up when used)
    return started


def test_prefetched_record_is_evaluated_without_a_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    started = _threads(monkeypatch)
    identity = SpfIdentity("192.0.2.9", "h.example", "a@plain.example")
    outcome = asyncio.run(evaluate_spf(DNS, identity, 3))
    assert outcome.result is Result.PASS and outcome.mechanism == "ip4:192.0.2.0/24"
    assert started == []


def test_include_runs_again_in_a_thread_with_one_count(monkeypatch: pytest.MonkeyPatch) -> None:
    started = _threads(monkeypatch)
    identity = SpfIdentity("192.0.2.25", "h.example", "a@nested.example")
    outcome = asyncio.run(evaluate_spf(DNS, identity, 3))
    assert outcome.result is Result.PASS and outcome.mechanism == "include:_spf.esp.example"
    assert len(started) == 1
    # The discarded first run leaves no trace: one include, one a: lookup, one record each.
    assert outcome.lookups == 2 and len(outcome.records) == 2


@pytest.mark.parametrize("domain", ["plain.example", "nested.example"])
def test_without_an_event_loop_every_lookup_is_made_where_asked(
    monkeypatch: pytest.MonkeyPatch, domain: str
) -> None:
    """`run_blocking` (one message as a command): no thread, no second run, the same
    outcome as on the event loop."""
    started = _threads(monkeypatch)
    identity = SpfIdentity("192.0.2.25", "h.example", f"a@{domain}")
    looped = asyncio.run(evaluate_spf(DNS, identity, 3))
    blocking = run_blocking(evaluate_spf(DNS, identity, 3))
    assert blocking == looped
    assert len(started) == (1 if domain == "nested.example" else 0)  # the event loop's run

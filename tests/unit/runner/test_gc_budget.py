"""bulk_gc: the collector's thresholds are raised while domains are checked in bulk, and
the process's own come back afterwards (issue 10)."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterator

import pytest

from mailauth.dns.memory import MemorySource
from mailauth.domain.gc_budget import OLDER, YOUNG, bulk_gc
from mailauth.domain.runner import iter_domain_reports


@pytest.fixture(autouse=True)
def _own_thresholds() -> Iterator[None]:
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield
    gc.set_threshold(*before)


def test_raised_inside_and_restored_after_nesting() -> None:
    with bulk_gc():
        assert gc.get_threshold() == (YOUNG, OLDER, OLDER)
        with bulk_gc():
            assert gc.get_threshold() == (YOUNG, OLDER, OLDER)
        assert gc.get_threshold() == (YOUNG, OLDER, OLDER)  # the outer run still iterates
    assert gc.get_threshold() == (700, 10, 10)


def test_higher_thresholds_and_a_disabled_collector_are_kept() -> None:
    gc.set_threshold(50_000, 5, 50)
    with bulk_gc():
        assert gc.get_threshold() == (50_000, OLDER, 50)
    assert gc.get_threshold() == (50_000, 5, 50)
    gc.set_threshold(0)
    with bulk_gc():
        assert gc.get_threshold()[0] == 0
    assert gc.get_threshold()[0] == 0


def test_restored_when_a_run_ends_or_is_closed_early() -> None:
    source = MemorySource({f"d{i}.test": {"TXT": ["v=spf1 -all"]} for i in range(5)})
    seen: list[tuple[int, int, int]] = []

    async def run(stop_after: int | None) -> None:
        stream = iter_domain_reports(source, [f"d{i}.test" for i in range(5)], concurrency=2)
        count = 0
        async for _ in stream:
            seen.append(gc.get_threshold())
            count += 1
            if count == stop_after:
                await stream.aclose()  # type: ignore[attr-defined]
                break

    asyncio.run(run(None))
    assert gc.get_threshold() == (700, 10, 10)
    asyncio.run(run(2))
    assert gc.get_threshold() == (700, 10, 10)
    assert seen and all(t == (YOUNG, OLDER, OLDER) for t in seen)

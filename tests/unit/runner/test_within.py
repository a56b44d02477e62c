"""`mailauth.concurrency.within`: `asyncio.timeout` around one coroutine, the timer armed only
when the coroutine has to wait. What it must keep of `async with asyncio.timeout(): await`:
the value, the exception, the timeout, cancellation, and the coroutine's own timeout bound
in its first step (it never changes task)."""

from __future__ import annotations

import asyncio
import sys

import pytest

from mailauth.concurrency import within


async def _immediate() -> int:
    return 7


async def _slow(seconds: float) -> str:
    await asyncio.sleep(seconds)
    return "done"


async def _fails_after_waiting() -> None:
    await asyncio.sleep(0)
    raise KeyError("x")


async def _own_timeout() -> None:
    async with asyncio.timeout(0.05):  # 3.11: only called there
        await asyncio.sleep(5)


def test_an_immediate_answer_arms_no_timer() -> None:
    async def main() -> None:
        loop = asyncio.get_running_loop()
        before = len(loop._scheduled)  # type: ignore[attr-defined]
        assert await within(_immediate(), 1) == 7
        assert len(loop._scheduled) == before  # type: ignore[attr-defined]

    asyncio.run(main())


def test_a_waiting_coroutine_is_awaited_and_bounded() -> None:
    async def main() -> None:
        assert await within(_slow(0.01), 5) == "done"
        with pytest.raises(TimeoutError):
            await within(_slow(5), 0.05)
        with pytest.raises(KeyError):
            await within(_fails_after_waiting(), 5)
        if sys.version_info >= (3, 11):
            with pytest.raises(TimeoutError):  # its own timeout, entered before it first waited
                await within(_own_timeout(), 5)
            task = asyncio.current_task()
            assert task is not None and task.cancelling() == 0

    asyncio.run(main())


def test_cancelling_the_caller_cancels_the_coroutine() -> None:
    async def main() -> None:
        task = asyncio.ensure_future(within(_slow(5), 10))
        await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(main())

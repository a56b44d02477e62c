"""`gather_few`: `asyncio.gather` without the task when there is nothing to overlap.

`asyncio.gather` wraps every awaitable in a Task, and each Task costs at least one pass of the
event loop before it runs. With live DNS that is nothing next to a round trip, and several
lookups must overlap; but verify asks for one lookup at a time in many places (one author
domain, one PTR name, one DKIM key), and with a zone-file or cached source the answer is
ready at once: there the Tasks were most of the time a small message took (issue 10). With
zero or one awaitable there is nothing to overlap, so it is awaited directly; with two or
more, they still run concurrently, exactly as before.

`within`: `asyncio.timeout` around one awaited coroutine arms a timer on the loop and
cancels it again (~10 µs); with a cached source the answer is there before any timer is
needed, so the timer is armed only once the coroutine has to wait.
"""

from __future__ import annotations

import asyncio
import sys
import types
from collections.abc import Awaitable, Coroutine, Generator, Iterable
from typing import Any, TypeVar

T = TypeVar("T")


async def gather_few(awaitables: Iterable[Awaitable[T]]) -> list[T]:
    """The results of `awaitables` in order, concurrently when there are two or more."""
    pending = list(awaitables)
    if not pending:
        return []
    if len(pending) == 1:
        return [await pending[0]]
    return list(await asyncio.gather(*pending))


async def within(coro: Coroutine[Any, Any, T], seconds: float) -> T:
    """`await coro` bounded by `seconds` (TimeoutError past it), as `async with
    asyncio.timeout(seconds): await coro`, but the timer is only armed if `coro` waits.

    The coroutine's first step runs here, in the calling task, and so does the rest of it
    (`_resumed`): it never changes task, so whatever it bound to the current task in that
    first step (its own `asyncio.timeout`, cancellation) still holds."""
    try:
        waiting = coro.send(None)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]
    if sys.version_info >= (3, 11):
        async with asyncio.timeout(seconds):
            return await _resumed(coro, waiting)
    return await asyncio.wait_for(_rest(coro, waiting), seconds)  # 3.10: in a Task of its own


async def _rest(coro: Coroutine[Any, Any, T], waiting: Any) -> T:
    return await _resumed(coro, waiting)


@types.coroutine
def _resumed(coro: Coroutine[Any, Any, T], waiting: Any) -> Generator[Any, Any, T]:
    """The rest of a coroutine whose first step yielded `waiting` (what `yield from` does):
    the task waits for what it yields, and what the task sends or throws goes to it."""
    while True:
        try:
            sent = yield waiting
        except GeneratorExit:
            coro.close()
            raise
        except BaseException as exc:  # CancelledError above all: the coroutine must see it
            try:
                waiting = coro.throw(exc)
            except StopIteration as done:
                return done.value  # type: ignore[no-any-return]
        else:
            try:
                waiting = coro.send(sent)
            except StopIteration as done:
                return done.value  # type: ignore[no-any-return]

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

**Without an event loop** (`run_blocking`): the same coroutines run to their end in one
`send`, when every DNS source under them answers without waiting (a zone file, or the live
client with its blocking transport, dns/blocking.py). `mailauth verify` of one message does
so: importing asyncio was ~12 % of that command (issue 10, against dkimverify), for lookups
that a single message makes a handful of. So nothing here imports asyncio before it is
needed: with no running loop `gather_few`/`gather` await in turn, `finished` is a plain
awaitable, and `within` never has to arm a timer. A coroutine that does wait there (an
asyncio future) is a bug: `run_blocking` says so instead of hanging.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Awaitable, Coroutine, Generator, Iterable
from typing import Any, Protocol, TypeVar

T = TypeVar("T")


def in_event_loop() -> bool:
    """Whether this thread runs an asyncio event loop now (False in `run_blocking`)."""
    aio = sys.modules.get("asyncio")
    return aio is not None and aio._get_running_loop() is not None


def run_blocking(coro: Coroutine[Any, Any, T]) -> T:
    """Run `coro` to its end without an event loop: every source under it must answer
    without waiting (see above). RuntimeError if it waits all the same."""
    try:
        waiting = coro.send(None)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]
    coro.close()
    raise RuntimeError(f"waited for {waiting!r} outside an event loop")


async def gather_few(awaitables: Iterable[Awaitable[T]]) -> list[T]:
    """The results of `awaitables` in order, concurrently when there are two or more (and
    an event loop runs)."""
    pending = list(awaitables)
    if not pending:
        return []
    if len(pending) == 1 or not in_event_loop():
        return [await p for p in pending]
    import asyncio

    return list(await asyncio.gather(*pending))


class Gathering(Protocol):
    """What `gather` returns: awaited for the results in order, or cancelled."""

    def __await__(self) -> Generator[Any, None, list[Any]]: ...

    def cancel(self) -> bool: ...


def gather(*awaitables: Awaitable[Any]) -> Gathering:
    """`asyncio.gather(*awaitables)` in an event loop (already under way, as its tasks
    start); without one, the awaitables awaited in turn when this is awaited."""
    if in_event_loop():
        import asyncio

        return asyncio.gather(*awaitables)
    return _InTurn(awaitables)


class _InTurn:
    def __init__(self, awaitables: tuple[Awaitable[Any], ...]) -> None:
        self._awaitables = awaitables

    def __await__(self) -> Generator[Any, None, list[Any]]:
        return self._results().__await__()

    async def _results(self) -> list[Any]:
        return [await a for a in self._awaitables]

    def cancel(self) -> bool:
        """Close the coroutines not awaited yet (none has started)."""
        for awaitable in self._awaitables:
            close = getattr(awaitable, "close", None)
            if close is not None:
                close()
        return True


def finished(value: T) -> Awaitable[T]:
    """An awaitable whose result is `value` at once: a done Future in an event loop (no
    Task, no loop pass when gathered), else a plain coroutine."""
    if in_event_loop():
        import asyncio

        done: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        done.set_result(value)
        return done
    return _value(value)


async def _value(value: T) -> T:
    return value


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
    import asyncio  # only a coroutine that waits is in an event loop

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

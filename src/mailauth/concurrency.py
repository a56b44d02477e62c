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

**Without an event loop** (`run_blocking`): `mailauth verify` of one message runs the same
coroutines without asyncio, whose import was ~12 % of that command (issue 10, against
dkimverify). The only thing that waits there is a UDP exchange of the live client's
blocking transport (dns/blocking.py): its coroutine yields a `Request`, which the driver
performs and answers. `gather`/`gather_few` then run their coroutines in lockstep: each is
advanced until it finishes or asks, and the requests of all of them are performed together
(`Request.perform_all`: the datagrams leave at once and the replies are read as they come),
so the lookups a message's checks make at the same point overlap as on the event loop. A
zone file or a cache answers without yielding at all. Nothing here imports asyncio before
an event-loop branch needs it, and `finished` is a plain awaitable without one (`within` is
for the event loop only). Anything else yielded there (an asyncio future) is a bug:
`run_blocking` says so instead of hanging.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Awaitable, Coroutine, Generator, Iterable, Sequence
from typing import Any, Protocol, TypeVar

T = TypeVar("T")


def in_event_loop() -> bool:
    """Whether this thread runs an asyncio event loop now (False in `run_blocking`)."""
    aio = sys.modules.get("asyncio")
    return aio is not None and aio._get_running_loop() is not None


class Request:
    """What a coroutine run by `run_blocking` yields to wait: the driver performs the
    requests of one lockstep round together (`perform_all`, by type) and sends each
    coroutine its outcome: a value, or an exception thrown in."""

    def __await__(self) -> Generator[Any, Any, Any]:
        return (yield self)

    @classmethod
    def perform_all(cls, requests: Sequence[Request]) -> list[Outcome]:
        raise NotImplementedError


Outcome = tuple[Any, BaseException | None]  # (value, exception)


class _Batch:
    """The requests of a lockstep round (`gather` without an event loop), which may hold
    the batches of gathers nested in it; answered with the list of their outcomes."""

    __slots__ = ("requests",)

    def __init__(self, requests: list[Request | _Batch]) -> None:
        self.requests = requests


def run_blocking(awaitable: Awaitable[T]) -> T:
    """Run `awaitable` (a coroutine, a `gather`) to its end without an event loop (see
    above)."""
    step = awaitable.__await__()
    outcome: Outcome = (None, None)
    while True:
        finished, result = _resume(step, outcome)
        if finished:
            return result  # type: ignore[no-any-return]
        outcome = _perform([result])[0]


def _resume(step: Generator[Any, Any, Any], outcome: Outcome) -> tuple[bool, Any]:
    """Send `step` its outcome (a value, or an exception thrown in): (True, its result) when
    it finishes, (False, its next request) when it asks. Anything else it waits for is a
    bug: it is closed, and RuntimeError says so instead of hanging."""
    value, error = outcome
    try:
        waiting = step.throw(error) if error is not None else step.send(value)
    except StopIteration as done:
        return True, done.value
    if not isinstance(waiting, Request | _Batch):
        step.close()
        raise RuntimeError(f"waited for {waiting!r} outside an event loop")
    return False, waiting


def _perform(requests: Sequence[Request | _Batch]) -> list[Outcome]:
    """The outcomes of `requests` in order: the leaves of every batch performed together,
    by type; a batch's outcome is the list of its own."""
    leaves: list[Request] = []

    def collect(items: Sequence[Request | _Batch]) -> None:
        for item in items:
            if isinstance(item, _Batch):
                collect(item.requests)
            else:
                leaves.append(item)

    collect(requests)
    done: dict[int, Outcome] = {}
    by_type: dict[type[Request], list[Request]] = {}
    for leaf in leaves:
        by_type.setdefault(type(leaf), []).append(leaf)
    for kind, group in by_type.items():
        for leaf, outcome in zip(group, kind.perform_all(group), strict=True):
            done[id(leaf)] = outcome

    def rebuild(items: Sequence[Request | _Batch]) -> list[Outcome]:
        return [
            (rebuild(item.requests), None) if isinstance(item, _Batch) else done[id(item)]
            for item in items
        ]

    return rebuild(requests)


async def gather_few(awaitables: Iterable[Awaitable[T]]) -> list[T]:
    """The results of `awaitables` in order, concurrently when there are two or more."""
    pending = list(awaitables)
    if not pending:
        return []
    if len(pending) == 1:
        return [await pending[0]]
    if not in_event_loop():
        return await _Lockstep(tuple(pending))  # (awaited at once: nothing to start early)
    import asyncio

    return list(await asyncio.gather(*pending))


class Gathering(Protocol):
    """What `gather` returns: awaited for the results in order, or cancelled."""

    def __await__(self) -> Generator[Any, Any, list[Any]]: ...

    def cancel(self) -> bool: ...


def gather(*awaitables: Awaitable[Any]) -> Gathering:
    """`asyncio.gather(*awaitables)` in an event loop; without one, the awaitables in
    lockstep. Either way they start now: each runs to its first wait before this returns
    (without a loop) or as soon as the caller waits (a loop's tasks)."""
    if in_event_loop():
        import asyncio

        return asyncio.gather(*awaitables)
    return _Lockstep(awaitables, start=True)


class _Lockstep:
    """`gather` without an event loop: every awaitable is advanced until it finishes or
    yields a request; the round's requests go up as one batch (see above). `start`: advance
    them now, as `asyncio.gather`'s tasks start before it is awaited, so their first
    datagrams are out while the caller does something else. An exception in one closes the
    others and propagates, as `asyncio.gather` without return_exceptions reports the first."""

    def __init__(self, awaitables: tuple[Awaitable[Any], ...], *, start: bool = False) -> None:
        self._steps = [a.__await__() for a in awaitables]
        self._results: list[Any] = [None] * len(awaitables)
        self._pending: dict[int, Outcome] = {i: (None, None) for i in range(len(awaitables))}
        self._asked: dict[int, Request | _Batch] = {}
        self._failed: BaseException | None = None
        if start:
            try:
                self._advance()
            except BaseException as exc:  # raised when awaited, as a task's exception is
                self._failed = exc

    def _advance(self) -> None:
        """Each pending step until it finishes (its result) or asks (its request)."""
        pending, self._pending = self._pending, {}
        try:
            for i, outcome in pending.items():
                finished, result = _resume(self._steps[i], outcome)
                if finished:
                    self._results[i] = result
                else:
                    self._asked[i] = result
        except BaseException:
            self._close()
            raise

    def __await__(self) -> Generator[Any, Any, list[Any]]:
        if self._failed is not None:
            raise self._failed
        self._advance()
        while self._asked:
            try:
                outcomes = yield _Batch(list(self._asked.values()))
            except BaseException:
                self._close()
                raise
            self._pending = dict(zip(self._asked, outcomes, strict=True))
            self._asked = {}
            self._advance()
        return self._results

    def _close(self) -> None:
        for step in self._steps:
            step.close()

    def cancel(self) -> bool:
        """Close the coroutines (those started end at their waiting point)."""
        self._close()
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

"""Give synchronous libraries (dkimpy, pyspf) blocking DNS that is really our async DnsSource.

dkimpy and pyspf look records up with blocking calls. Left alone they would use the system
resolver, which breaks `--zone` / `--nameserver`, and on a machine whose resolv.conf points off
the host would send queries to the internet. So they run in a worker thread
(`asyncio.to_thread`) and every lookup they make is forwarded to the event loop with
`asyncio.run_coroutine_threadsafe(...)`; the thread blocks on the future with a timeout.
No module globals are patched: dkimpy receives `dnsfunc=`, pyspf a `query` subclass.

A round trip to the loop costs far more than a cached answer, and lookups made one after
another from the thread cannot overlap. So the names a library will certainly ask for (DKIM
and ARC keys, the SPF record) are looked up before the thread starts, concurrently
(`prefetch`), and every answer is kept: the thread finds them without a round trip.

`answers` also lets callers see, after dkimpy says "False", *why* (no key record, a DNS
timeout, a revoked key) from what DNS actually returned.

Without an event loop (`concurrency.run_blocking`: `mailauth verify` of one message) there
is no loop to forward to: the prefetch asks its names in one lockstep round, a lookup the
prefetch missed is made where it is asked, on this thread, and the verifiers always run
inline.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, TypeVar

from mailauth.concurrency import gather_few, in_event_loop, run_blocking, within
from mailauth.dns.interface import DnsAnswer, DnsSource, Rcode, normalize_name
from mailauth.message.dkimsyntax import DnsTimeoutError
from mailauth.message.dkimverify import LookupDeferred

if TYPE_CHECKING:
    import asyncio

# Grace on top of the source's own timeout: the source must answer (with TIMEOUT if need be)
# on its own; this only guards a source that never returns.
_GRACE_SECONDS = 2.0
T = TypeVar("T")


# A verification whose every lookup was prefetched runs on the loop's own thread (no thread
# hand-offs: on a busy machine each costs a scheduler slice), if the message is at most this
# large, so that the loop never waits long for it; a larger one runs in a worker thread.
INLINE_MAX_BYTES = 4 * 1024 * 1024


class NotPrefetched(LookupDeferred):
    """A lookup the prefetch did not answer, asked on the loop's own thread: blocking there
    would deadlock. Callers that try verification inline catch it and run it in a worker
    thread instead (the verifiers keep no state that a second run would see differently)."""


async def run_verifier(size: int, work: Callable[[], T]) -> T:
    """`work()` on the loop's thread when the message is small (`INLINE_MAX_BYTES`) and every
    lookup it makes was prefetched; else, or when it needs a lookup (`NotPrefetched`), in a
    worker thread, as before."""
    if size <= INLINE_MAX_BYTES or not in_event_loop():
        try:
            return work()
        except NotPrefetched:
            pass
    import asyncio

    return await asyncio.to_thread(work)


class SyncDns:
    """Blocking `query()` over an async DnsSource running on `loop` (another thread), or
    over a source that answers without waiting when `loop` is None (no event loop)."""

    def __init__(
        self, source: DnsSource, loop: asyncio.AbstractEventLoop | None, timeout: float
    ) -> None:
        self._source = source
        self._loop = loop
        self._timeout = timeout
        self._lock = threading.Lock()
        self.answers: dict[tuple[str, str], DnsAnswer] = {}
        # Set when a lookup was refused on the loop's thread (`NotPrefetched`): a library that
        # catches every exception (pyspf) may have turned it into a result, which must then
        # be discarded and the work redone in a worker thread.
        self.deferred = False

    @classmethod
    def for_running_loop(cls, source: DnsSource, timeout: float) -> SyncDns:
        """Bind to the loop of the calling coroutine (call from async code, use from a
        thread); to none outside an event loop."""
        if not in_event_loop():
            return cls(source, None, timeout)
        import asyncio

        return cls(source, asyncio.get_running_loop(), timeout)

    async def prefetch(self, queries: Iterable[tuple[str, str]]) -> None:
        """Ask the source for every (name, rdtype) at once; call on the loop, before the
        worker thread that will need them starts. An answer still missing after the timeout
        is left for the thread to ask again."""
        wanted = list(dict.fromkeys((normalize_name(n), t.upper()) for n, t in queries))
        if not wanted:
            return
        if self._loop is None:  # no event loop: asked together in one lockstep round
            found = await gather_few(self._ask(*key) for key in wanted)
            with self._lock:
                self.answers.update(zip(wanted, found, strict=True))
            return
        if len(wanted) == 1 and sys.version_info >= (3, 11):
            # One lookup overlaps with nothing: awaited directly, without a Task (each costs
            # an event-loop pass, most of a small message's time with a cached source).
            # `asyncio.timeout` (3.11) bounds it without one, armed only if the source
            # has to wait (`within`); 3.10 keeps the Task path.
            key = wanted[0]
            try:
                answer = await within(self._ask(*key), self._timeout + _GRACE_SECONDS)
            except TimeoutError:
                return  # left for the thread to ask again, as below
            with self._lock:
                self.answers[key] = answer
            return
        import asyncio

        tasks = [asyncio.ensure_future(self._ask(name, rdtype)) for name, rdtype in wanted]
        await asyncio.wait(tasks, timeout=self._timeout + _GRACE_SECONDS)
        with self._lock:
            for key, task in zip(wanted, tasks, strict=True):
                if task.done():
                    self.answers[key] = task.result()
                else:
                    task.cancel()

    def query(self, name: str, rdtype: str) -> DnsAnswer:
        """The answer already obtained, else ask the DnsSource and wait. Never raises:
        failures come back as an rcode. Call from a worker thread."""
        key = normalize_name(name), rdtype.upper()
        with self._lock:
            known = self.answers.get(key)
        if known is not None:
            return known
        if self._loop is None:  # no event loop: asked here (a run of its own, whose wait
            answer = run_blocking(self._ask(*key))  # also reads replies for the others)
            with self._lock:
                self.answers[key] = answer
            return answer
        if _on_loop_thread(self._loop):
            # Blocking the loop's own thread would deadlock: the caller retries in a thread.
            self.deferred = True
            raise NotPrefetched(f"{key[0]} {key[1]} was not prefetched")
        import asyncio
        import concurrent.futures

        future = asyncio.run_coroutine_threadsafe(self._ask(*key), self._loop)
        try:
            answer = future.result(self._timeout + _GRACE_SECONDS)
        except concurrent.futures.TimeoutError:
            future.cancel()
            answer = DnsAnswer(key[0], key[1], Rcode.TIMEOUT, detail="no answer in time")
        with self._lock:
            self.answers[key] = answer
        return answer

    async def _ask(self, qname: str, rdtype: str) -> DnsAnswer:
        try:
            return await self._source.query(qname, rdtype)
        except Exception as exc:  # a backend bug must not kill verification
            return DnsAnswer(qname, rdtype, Rcode.ERROR, detail=f"{type(exc).__name__}: {exc}")

    def answer_for(self, name: str, rdtype: str) -> DnsAnswer | None:
        """The answer already obtained for (name, rdtype), if any."""
        with self._lock:
            return self.answers.get((normalize_name(name), rdtype.upper()))

    def dkim_txt(self, name: bytes | str, timeout: float = 5) -> bytes | None:
        """dkimpy's `dnsfunc(name, timeout=...)`: the key record's bytes, None when absent.

        dkimpy treats None as "missing public key" and `DnsTimeoutError` as a temporary
        failure; both make `verify()` return False, and `answers` keeps the difference.
        """
        del timeout  # the bridge applies the run's timeout
        text = name.decode("utf-8", "replace") if isinstance(name, bytes) else name
        answer = self.query(text, "TXT")
        if answer.is_error:
            raise DnsTimeoutError(f"{answer.rcode.value}: {answer.detail or text}")
        return key_record(answer)


def key_record(answer: DnsAnswer) -> bytes | None:
    """The TXT record used as a DKIM key: with several records (RFC 6376 §3.6.2.2 leaves that
    undefined) the first that looks like a key (`p=`), like dkimpy's own resolver."""
    records = [b"".join(parts) for parts in answer.txt]
    chosen = [r for r in records if b"p=" in r] or records
    return chosen[0] if chosen else None


def _on_loop_thread(loop: asyncio.AbstractEventLoop) -> bool:
    aio = sys.modules.get("asyncio")
    return aio is not None and aio._get_running_loop() is loop

"""Per-run answer cache that also merges identical in-flight queries.

Checks run concurrently (asyncio.gather) and the SPF include tree is expanded level by level
in parallel, so the same (name, type) is often asked by several coroutines at once — e.g. the
SPF and DMARC checks both want the domain's TXT, every MX host shares an SOA parent. Only the
first caller reaches the inner source (in its own task); the others await its answer. Failures
are cached too: within one run a timed-out name must not burn the time budget twice.

`stats` counts what reached the inner source and what did not; benchmarks and tests use it to
assert how many queries a check sends.

The cache is bounded (least recently used answers go first), so a scan of 100,000 domains
keeps the answers shared between domains (an ESP's SPF include, a common MX host) without
holding every answer of the run.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import field
from typing import TYPE_CHECKING, TypeVar

from mailauth.concurrency import in_event_loop
from mailauth.dns.interface import DnsAnswer, DnsSource, Rcode, normalize_name
from mailauth.dns.signed import SignedAnswer, signed_source
from mailauth.frozen import mutable

if TYPE_CHECKING:
    import asyncio

Key = tuple[str, str]
A = TypeVar("A", DnsAnswer, SignedAnswer)

# Answers kept, ~0.8 KiB each. What a bulk run re-asks is the few names domains share (an
# ESP's SPF include, a mail host): they stay at the recent end. A domain's own names are not
# asked again once it is done, so a larger bound only delays the point where memory stops
# growing (50,000 reached it after 10,000 SPF/DMARC/MX checks; issue 10).
DEFAULT_MAX_ENTRIES = 10_000
LOG_LIMIT = 10_000  # inner queries remembered in `CacheStats.log` (the first ones)


@mutable
class CacheStats:
    """`queries`: sent to the inner source; `hits`: answered from the cache, including
    `joined` callers that awaited a query already in flight. `log` lists inner queries in
    the order they were sent (the first LOG_LIMIT of them). `evicted` counts answers dropped
    to stay within the size bound."""

    queries: int = 0
    hits: int = 0
    joined: int = 0
    evicted: int = 0
    log: list[Key] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.queries + self.hits


class CachingSource:
    """A `DnsSource` wrapper; one instance per run. Answers do not expire within a run (a
    run is short next to any TTL) but at most `max_entries` are kept, least recently used
    dropped first."""

    def __init__(self, inner: DnsSource, max_entries: int = DEFAULT_MAX_ENTRIES) -> None:
        self.inner = inner
        self.max_entries = max(1, max_entries)
        self.stats = CacheStats()
        self._done: OrderedDict[Key, DnsAnswer] = OrderedDict()
        self._pending: dict[Key, asyncio.Future[DnsAnswer]] = {}
        self._signed: OrderedDict[Key, SignedAnswer] = OrderedDict()
        self._pending_signed: dict[Key, asyncio.Future[SignedAnswer]] = {}

    async def query(self, name: str, rdtype: str) -> DnsAnswer:
        key = (normalize_name(name), rdtype.strip().upper())
        return await self._ask(key, self._done, self._pending, self._lead)

    async def _ask(
        self,
        key: Key,
        done_map: OrderedDict[Key, A],
        pending_map: dict[Key, asyncio.Future[A]],
        lead: Callable[[Key], Awaitable[A]],
    ) -> A:
        """The cached answer, else join the same question in flight, else ask it (`lead`).
        One loop for plain and signed answers, so both merge callers the same way."""
        while True:
            done = done_map.get(key)
            if done is not None:
                self.stats.hits += 1
                done_map.move_to_end(key)
                return done
            pending = pending_map.get(key)
            if pending is None or pending.done() or not _same_loop(pending):
                return await lead(key)
            import asyncio  # (nothing is pending without an event loop)

            self.stats.hits += 1
            self.stats.joined += 1
            try:
                # shield: this caller being cancelled must not cancel the others' future
                return await asyncio.shield(pending)
            except asyncio.CancelledError:
                if not pending.cancelled() or _cancelling():
                    raise  # this caller was cancelled
                # The caller that was asking gave up (cancelled): ask again (the first of
                # the joined callers to get here asks, the others join it).
                self.stats.hits -= 1
                self.stats.joined -= 1

    async def _lead(self, key: Key) -> DnsAnswer:
        """Ask the inner source in this caller's own task, with a future for any caller that
        joins meanwhile. No task of its own: a task and a shield per query were ~15 % of a
        bulk check's CPU (issue 10). If this caller is cancelled, the query ends with it and
        the joined callers ask again themselves."""
        self.stats.queries += 1
        if len(self.stats.log) < LOG_LIMIT:
            self.stats.log.append(key)
        answer = await _asked(key, self._pending, self.inner.query(*key))
        self._store(key, answer)
        if answer.cnames:
            self._store_chain_end(key, answer)
        return answer

    async def query_signed(self, name: str, rdtype: str) -> SignedAnswer:
        """`mailauth.dns.signed`, cached apart from plain answers (a DNSSEC answer carries
        more). Merged in flight like plain answers: the DNSSEC and DANE validators of one
        check both ask for the root's and the TLD's DNSKEY at the same moment (issue 10)."""
        key = (normalize_name(name), rdtype.strip().upper())
        return await self._ask(key, self._signed, self._pending_signed, self._lead_signed)

    async def _lead_signed(self, key: Key) -> SignedAnswer:
        inner = signed_source(self.inner)
        if inner is None:
            return SignedAnswer(*key, Rcode.ERROR, detail="no DNSSEC answers from this source")
        self.stats.queries += 1
        answer = await _asked(key, self._pending_signed, inner.query_signed(*key))
        self._signed[key] = answer
        while len(self._signed) > self.max_entries:
            self._signed.popitem(last=False)
        return answer

    def _store_chain_end(self, key: Key, answer: DnsAnswer) -> None:
        """An answer reached through CNAMEs also answers the question at the chain's end:
        its records are that name's RRset of the type (RFC 1034 §4.3.2), as a query for it
        would return them. Kept so that a later question about that name (the forward
        confirmation of an MX host's PTR, which names the CNAME's target) costs no round
        trip of its own (issue 10). Only records, never a negative answer, and never over
        an answer already held or asked."""
        if not answer.cnames or answer.rcode is not Rcode.NOERROR:
            return
        if not answer.rrs and not answer.txt:
            return
        end = (answer.cnames[-1], key[1])
        if end in self._done or end in self._pending:
            return
        self._store(end, DnsAnswer(end[0], end[1], Rcode.NOERROR, answer.rrs, answer.txt))

    def _store(self, key: Key, answer: DnsAnswer) -> None:
        self._done[key] = answer
        while len(self._done) > self.max_entries:
            self._done.popitem(last=False)
            self.stats.evicted += 1

    @property
    def size(self) -> int:
        """Answers held now (at most `max_entries`)."""
        return len(self._done)

    def clear(self) -> None:
        """Forget every answer (the stats are kept)."""
        self._done.clear()
        self._signed.clear()


async def _asked(key: Key, pending_map: dict[Key, asyncio.Future[A]], query: Awaitable[A]) -> A:
    """`query`'s answer, with a future in `pending_map` meanwhile for the callers that join
    it (`CachingSource._ask`). The future gets the answer once the caller's own task has it;
    if this caller fails or is cancelled, the future is cancelled and the joined callers ask
    again themselves. Without an event loop nothing can join: the answer alone."""
    if not in_event_loop():
        return await query
    import asyncio

    waiter: asyncio.Future[A] = asyncio.get_running_loop().create_future()
    pending_map[key] = waiter
    try:
        answer = await query
    except BaseException:
        if pending_map.get(key) is waiter:
            del pending_map[key]
        waiter.cancel()
        raise
    if pending_map.get(key) is waiter:
        del pending_map[key]
    if not waiter.done():
        waiter.set_result(answer)
    return answer


def _cancelling() -> bool:
    """Whether the current task has been asked to cancel (Python 3.11+; before, a
    cancellation seen while the future it awaited was cancelled too counts as not ours)."""
    import asyncio

    task = asyncio.current_task()
    cancelling = getattr(task, "cancelling", None)
    return bool(cancelling()) if cancelling is not None else False


def _same_loop(fut: asyncio.Future[A]) -> bool:
    """A future from an event loop that has ended (e.g. a previous asyncio.run) is unusable."""
    import asyncio

    try:
        return fut.get_loop() is asyncio.get_running_loop()
    except RuntimeError:
        return False

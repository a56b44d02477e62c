"""Give synchronous libraries (dkimpy, pyspf) blocking DNS that is really our async DnsSource.

dkimpy and pyspf look records up with blocking calls. Left alone they would use the system
resolver, which breaks `--zone` / `--nameserver`, and on a machine whose resolv.conf points off
the host would send queries to the internet. So they run in a worker thread
(`asyncio.to_thread`) and every lookup they make is forwarded to the event loop with
`asyncio.run_coroutine_threadsafe(...)`; the thread blocks on the future with a timeout.
No module globals are patched: dkimpy receives `dnsfunc=`, pyspf a `query` subclass.

Every answer is kept in `answers`, so after dkimpy says "False" we can still tell *why*
(no key record, a DNS timeout, a revoked key) from what DNS actually returned.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading

import dkim

from mailauth.dns.interface import DnsAnswer, DnsSource, Rcode, normalize_name

# Grace on top of the source's own timeout: the source must answer (with TIMEOUT if need be)
# on its own; this only guards a source that never returns.
_GRACE_SECONDS = 2.0


class SyncDns:
    """Blocking `query()` over an async DnsSource running on `loop` (another thread)."""

    def __init__(self, source: DnsSource, loop: asyncio.AbstractEventLoop, timeout: float) -> None:
        self._source = source
        self._loop = loop
        self._timeout = timeout
        self._lock = threading.Lock()
        self.answers: dict[tuple[str, str], DnsAnswer] = {}
        self.log: list[DnsAnswer] = []

    @classmethod
    def for_running_loop(cls, source: DnsSource, timeout: float) -> SyncDns:
        """Bind to the loop of the calling coroutine (call from async code, use from a thread)."""
        return cls(source, asyncio.get_running_loop(), timeout)

    def query(self, name: str, rdtype: str) -> DnsAnswer:
        """Ask the DnsSource and wait. Never raises: failures come back as an rcode."""
        qname, rdtype = normalize_name(name), rdtype.upper()
        if _on_loop_thread(self._loop):
            # Blocking the loop's own thread would deadlock: this is a programming error.
            raise RuntimeError("SyncDns.query called on the event loop thread; use to_thread")
        future = asyncio.run_coroutine_threadsafe(self._source.query(qname, rdtype), self._loop)
        try:
            answer = future.result(self._timeout + _GRACE_SECONDS)
        except concurrent.futures.TimeoutError:
            future.cancel()
            answer = DnsAnswer(qname, rdtype, Rcode.TIMEOUT, detail="no answer in time")
        except Exception as exc:  # a backend bug must not kill verification
            answer = DnsAnswer(qname, rdtype, Rcode.ERROR, detail=f"{type(exc).__name__}: {exc}")
        with self._lock:
            self.answers[(qname, rdtype)] = answer
            self.log.append(answer)
        return answer

    def answer_for(self, name: str, rdtype: str) -> DnsAnswer | None:
        """The answer already obtained for (name, rdtype), if any."""
        with self._lock:
            return self.answers.get((normalize_name(name), rdtype.upper()))

    def dkim_txt(self, name: bytes | str, timeout: float = 5) -> bytes | None:
        """dkimpy's `dnsfunc(name, timeout=...)`: the key record's bytes, None when absent.

        dkimpy treats None as "missing public key" and `dkim.DnsTimeoutError` as a temporary
        failure; both make `verify()` return False, and `answers` keeps the difference.
        When several TXT records exist (RFC 6376 §3.6.2.2 leaves that undefined) the first that
        looks like a key (`p=`) is used, like dkimpy's own resolver uses the first one.
        """
        del timeout  # the bridge applies the run's timeout
        text = name.decode("utf-8", "replace") if isinstance(name, bytes) else name
        answer = self.query(text, "TXT")
        if answer.is_error:
            raise dkim.DnsTimeoutError(f"{answer.rcode.value}: {answer.detail or text}")
        records = [b"".join(parts) for parts in answer.txt]
        if not records:
            return None
        keyish = [r for r in records if b"p=" in r]
        return (keyish or records)[0]


def _on_loop_thread(loop: asyncio.AbstractEventLoop) -> bool:
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:
        return False

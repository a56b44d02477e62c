"""Run a command's coroutine so that Ctrl-C ends the run at once (issue 9, item 12).

`asyncio.run` is not enough for a command line:

- On Python 3.11+ it turns the first Ctrl-C into a cancellation of the main task, which is
  delivered only at the next `await`: CPU work on the loop thread (loading a large zone
  file) and a blocking read (a FIFO with no writer) keep running, and the first Ctrl-C
  seems ignored.
- On every version its shutdown waits for the default executor's threads, and the
  interpreter joins them again at exit: an interrupt during DKIM verification (dkimpy and
  pyspf run in `asyncio.to_thread` workers) waited for every signature to be verified.

`run_async` keeps Python's own SIGINT behaviour (KeyboardInterrupt wherever the main thread
is, the same on 3.10 to 3.13) and gives the loop an executor whose workers are daemon
threads that nothing waits for: on an interrupt their work is abandoned, and the process
exits while they are still running. On a run that completes nothing is lost, because every
result was awaited before the coroutine returned. `os._exit` was not needed: it would skip
the clean-up of `-o` files (`Outputs` removes its temporary files) and the flush of stdout.

At exit the interpreter's last garbage collections walk every object the run made and every
module it imported: 70-150 ms of a `mailauth check` command's ~0.7 s (issue 10), after the
report was written. `run_async` has the collector's objects frozen just before that
(`gc.freeze` at exit, registered once, first in, so it runs after every other exit handler:
`-o` clean-up and socket finalizers still run). Objects are still freed as their references
go; only the cycle search over what the process is about to drop is skipped.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from mailauth.cli.entry import freeze_at_exit

T = TypeVar("T")


class DaemonExecutor(concurrent.futures.ThreadPoolExecutor):
    """Each call in a daemon thread of its own; `shutdown` waits for none of them.

    No pool: the commands bound their own concurrency (`verify` works on one message at a
    time, with at most three calls in threads: DKIM, ARC, SPF). A ThreadPoolExecutor only
    by type, because `loop.set_default_executor` takes nothing else (Python 3.11+); none of
    its threads or queues is used."""

    def submit(
        self, fn: Callable[..., T], /, *args: Any, **kwargs: Any
    ) -> concurrent.futures.Future[T]:
        future: concurrent.futures.Future[T] = concurrent.futures.Future()

        def work() -> None:
            if not future.set_running_or_notify_cancel():
                return
            try:
                result = fn(*args, **kwargs)
            except BaseException as exc:  # as ThreadPoolExecutor does: the caller sees it
                future.set_exception(exc)
            else:
                future.set_result(result)

        threading.Thread(target=work, name="mailauth-worker", daemon=True).start()
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Nothing to wait for: a completed run has awaited every result, and an interrupted
        one must not wait for work whose result no one will read."""


def run_async(main: Coroutine[Any, Any, T]) -> T:
    """`asyncio.run(main)` for the CLI: KeyboardInterrupt at once, worker threads abandoned."""
    freeze_at_exit()
    loop = asyncio.new_event_loop()
    loop.set_default_executor(DaemonExecutor())
    try:
        asyncio.set_event_loop(loop)
        return loop.run_until_complete(main)
    finally:
        try:
            _cancel_all_tasks(loop)
            loop.run_until_complete(loop.shutdown_asyncgens())
        finally:
            asyncio.set_event_loop(None)
            loop.close()


def _cancel_all_tasks(loop: asyncio.AbstractEventLoop) -> None:
    """What `asyncio.run` does before closing its loop: cancel what is left and let it run
    its `finally` blocks. A task waiting for a worker thread is cancelled at once (the
    thread is abandoned, see `DaemonExecutor`)."""
    tasks = [t for t in asyncio.all_tasks(loop) if not t.done()]
    if not tasks:
        return
    for task in tasks:
        task.cancel()
    loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))

"""`gather_few`: `asyncio.gather` without the task when there is nothing to overlap.

`asyncio.gather` wraps every awaitable in a Task, and each Task costs at least one pass of the
event loop before it runs. With live DNS that is nothing next to a round trip, and several
lookups must overlap; but verify asks for one lookup at a time in many places (one author
domain, one PTR name, one DKIM key), and with a zone-file or cached source the answer is
ready at once: there the Tasks were most of the time a small message took (issue 10). With
zero or one awaitable there is nothing to overlap, so it is awaited directly; with two or
more, they still run concurrently, exactly as before.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Iterable
from typing import TypeVar

T = TypeVar("T")


async def gather_few(awaitables: Iterable[Awaitable[T]]) -> list[T]:
    """The results of `awaitables` in order, concurrently when there are two or more."""
    pending = list(awaitables)
    if not pending:
        return []
    if len(pending) == 1:
        return [await pending[0]]
    return list(await asyncio.gather(*pending))

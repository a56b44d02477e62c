"""`--shard K/N`: the K-th of N parts of a domain list, chosen by a stable hash of each domain.

A job runner (a GitHub Actions matrix, a Kubernetes Indexed Job, GNU parallel, a Slurm array)
starts N copies of one command that differ only in K; each must take a disjoint part, and
together they must take every domain exactly once, whatever the order of the list and on any
machine or Python version. So the part is a pure function of the domain's spelling: the first
8 bytes of SHA-256 of its A-label (lower case, no trailing dot: `mailauth.names`' one
spelling), read as a big-endian integer, modulo N. Python's `hash()` would not do: it is
salted per process. K is 1-based as people count (`1/3`, `2/3`, `3/3`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from mailauth.frozen import frozen

MAX_SHARDS = 1_000_000
_SYNTAX = re.compile(r"\s*(\d+)\s*/\s*(\d+)\s*")


class ShardSyntaxError(ValueError):
    """Not `K/N` with K and N whole numbers."""


class ShardRangeError(ValueError):
    """`K/N` with N < 1, N too large, or K outside 1..N."""


@frozen
class Shard:
    index: int  # K, 1-based
    count: int  # N

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    def holds(self, domain: str) -> bool:
        """Whether `domain` (an A-label, as `normalize_domain` gives it) is in this part."""
        return shard_of(domain, self.count) == self.index

    def select(self, domains: Iterable[str]) -> list[str]:
        """This part of `domains`, in their order."""
        return [d for d in domains if self.holds(d)]


def shard_of(domain: str, count: int) -> int:
    """The 1-based part of `count` that `domain` falls in."""
    digest = hashlib.sha256(domain.lower().rstrip(".").encode("ascii", "replace")).digest()
    return int.from_bytes(digest[:8], "big") % count + 1


def parse_shard(text: str) -> Shard:
    """`K/N` -> Shard. Raises ShardSyntaxError or ShardRangeError."""
    match = _SYNTAX.fullmatch(text)
    if match is None:
        raise ShardSyntaxError(text)
    index, count = int(match.group(1)), int(match.group(2))
    if not 1 <= count <= MAX_SHARDS or not 1 <= index <= count:
        raise ShardRangeError(text)
    return Shard(index, count)

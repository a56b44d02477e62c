"""Read every input into a store: containers -> parser -> store, one payload at a time.

A payload that fails is one `Unreadable` and the run goes on. XML that is not well formed
is read once more after `aggregate.recover` (invalid bytes, bare `<` in free text), because
real receivers send such reports and the admin still needs their numbers; the repair is
kept as a note on the report. The store's transaction means a payload that fails halfway
leaves nothing behind.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import field
from typing import BinaryIO

from mailauth.frozen import mutable
from mailauth.report.aggregate import ReportError, StreamingNeeded, iter_aggregate, recover
from mailauth.report.containers import (
    Capped,
    FailurePayload,
    Limits,
    Unreadable,
    XmlPayload,
    read_inputs,
)
from mailauth.report.model import Note, Record, ReportHeader
from mailauth.report.small_reader import read_small
from mailauth.report.store import Imported, ReportStore

# A malformed document is re-read in memory for repair only up to this size.
MAX_RECOVER = 64 * 1024 * 1024
GC_YOUNG = 100_000  # allocations between two collections of the young generation (import)
# Payloads between two of the import's own collections: a small report leaves no cycle,
# and one collection per payload was a twentieth of a single-record report's import.
COLLECT_EVERY = 16


@mutable
class ImportSummary:
    """What one run read: counts, and one Unreadable per payload that could not be used."""

    reports_read: int = 0
    duplicates: int = 0
    records: int = 0
    failures_read: int = 0
    unreadable: list[Unreadable] = field(default_factory=list)

    @property
    def anything_read(self) -> bool:
        return bool(self.reports_read or self.duplicates or self.failures_read)


class _Hashing(io.RawIOBase):
    def __init__(self, inner: BinaryIO) -> None:
        self._inner = inner
        self.sha = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self._inner.read(size)
        self.sha.update(data)
        return data


def _hex_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _counted(
    events: Iterator[ReportHeader | Record], summary: ImportSummary
) -> Iterator[ReportHeader | Record]:
    for event in events:
        if isinstance(event, Record):
            summary.records += 1
        yield event


def _import(
    store: ReportStore, payload: XmlPayload, summary: ImportSummary, *, streaming: bool
) -> Imported:
    notes: list[Note] = []
    data = payload.data
    if data is not None:  # in memory: no stream to wrap, the hash taken of the bytes
        small = None if streaming else read_small(data, notes)
        if small is not None:  # a small report, parsed whole (`small_reader`)
            summary.records += len(small) - 1  # (its header, then its records)
            # (hashed now, also for a duplicate that will not need it: at most MAX_SMALL
            # bytes, and no partial and Python call per report)
            hexdigest = hashlib.sha256(data).hexdigest
            return store.import_aggregate(payload.name, small, notes, hexdigest)
        digest = functools.partial(_hex_sha256, data)
        events = _counted(iter_aggregate(io.BytesIO(data), notes, streaming=streaming), summary)
        return store.import_aggregate(payload.name, events, notes, digest)
    with payload.open() as raw:
        hashing = _Hashing(raw)
        events = _counted(
            iter_aggregate(hashing, notes, streaming=streaming),  # type: ignore[arg-type]
            summary,
        )
        return store.import_aggregate(payload.name, events, notes, hashing.sha.hexdigest)


def import_payload(
    store: ReportStore, payload: XmlPayload, summary: ImportSummary, limits: Limits
) -> None:
    """One aggregate report into the store (strict parse, then one repaired re-read). The
    fast reader may ask, after some records, for the streaming parser (`StreamingNeeded`):
    the store rolled the report back, so it is read again from the start."""
    records_before = summary.records
    try:
        try:
            outcome = _import(store, payload, summary, streaming=False)
        except StreamingNeeded:
            summary.records = records_before
            outcome = _import(store, payload, summary, streaming=True)
    except ReportError as exc:
        summary.records = records_before
        if exc.key != "xml-error":
            summary.unreadable.append(Unreadable(payload.name, exc.key, exc.value))
            return
        try:
            with payload.open() as raw:
                data = Capped(raw, MAX_RECOVER).read()
            fixed, notes = recover(data)
            if not notes:
                raise exc
            events = _counted(iter_aggregate(io.BytesIO(fixed), notes, streaming=True), summary)
            digest = hashlib.sha256(data).hexdigest
            outcome = store.import_aggregate(payload.name, events, notes, digest)
        except ReportError as again:
            summary.records = records_before
            summary.unreadable.append(Unreadable(payload.name, again.key, again.value))
            return
    except OSError as exc:
        summary.records = records_before
        summary.unreadable.append(Unreadable(payload.name, "os-error", exc.strerror or str(exc)))
        return
    if outcome is Imported.NEW:
        summary.reports_read += 1
    else:
        summary.records = records_before
        summary.duplicates += 1


def import_inputs(
    store: ReportStore,
    paths: Sequence[str],
    limits: Limits | None = None,
    stdin: BinaryIO | None = None,
) -> ImportSummary:
    """Every payload of every input into `store`."""
    limits = limits or Limits()
    summary = ImportSummary()
    with _fewer_collections(), store.batch():
        for n, item in enumerate(read_inputs(paths, limits, stdin), 1):
            if isinstance(item, Unreadable):
                summary.unreadable.append(item)
            elif isinstance(item, FailurePayload):
                if store.add_failure(item.name, item.report, item.digest) is Imported.NEW:
                    summary.failures_read += 1
                else:
                    summary.duplicates += 1
            else:
                import_payload(store, item, summary, limits)
            if n % COLLECT_EVERY == 0 and gc.isenabled():
                gc.collect(0)  # what reading these payloads left in cycles (parsers, errors)
        if gc.isenabled():
            gc.collect(0)
    if summary.reports_read:
        store.fold()
    return summary


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Python's cyclic garbage collector once per payload rather than every 700
    allocations while reports are read. A record's elements, texts and tuples are freed
    by reference counting as soon as it is stored (the tree reader makes no cycle), but
    each allocation counts towards the next collection, which then walks every young
    object: with the default threshold that was 6% of an import's instructions
    (callgrind, bench/README.md) and found nothing to free. What a payload does leave in
    cycles (the streaming parser and its handlers, an exception's traceback) is collected
    after every COLLECT_EVERY payloads and at the end (`import_inputs`), so memory stays
    flat."""
    threshold = gc.get_threshold()
    gc.set_threshold(max(threshold[0], GC_YOUNG), *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)

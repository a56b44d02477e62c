"""The report store: every parsed report and record, with the file it came from and its
hash, so runs accumulate over months (`--db FILE`) and a report is never counted twice.

One interface (`ReportStore`), one implementation today (`SqliteStore`, the standard
library's SQLite: a file with --db, memory without). The analysis reads only the
interface's aggregated rows, so a server database can be added behind it later.

Safety: the schema is versioned (`PRAGMA user_version`, `store_schema`) and migrated
forward in order; a file store runs in WAL mode with a busy timeout, so two runs at once
wait for each other instead of failing; one report is imported all or nothing (its
records, its outcomes, its totals, and the shares and totals of the reports it overlaps):
in its own transaction, or inside `batch` (what a run uses) as a savepoint of a
transaction shared with the reports around it, so a crash mid-import leaves no half
report either way.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from enum import Enum
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from mailauth.frozen import frozen
from mailauth.report.model import (
    DkimAuth,
    FailureReport,
    Note,
    Reason,
    Record,
    ReportHeader,
    SpfAuth,
)
from mailauth.report.store_known import KnownReports
from mailauth.report.store_queries import (
    day_rows_query,
    merged_day_rows,
    merged_source_day_rows,
    merged_source_rows,
    source_day_rows_query,
    source_rows_query,
)
from mailauth.report.store_schema import MIGRATIONS, SCHEMA_VERSION

__all__ = ["MIGRATIONS", "SCHEMA_VERSION"]  # re-exported: the schema's home is store_schema

DAY = 86400
BATCH = 5000
BATCH_REPORTS = 500  # reports per write transaction of a batch (`SqliteStore.batch`)
BATCH_SECONDS = 0.5  # ... or this long, so a concurrent run waits at most about this
MAX_OUTCOME_IDS = 4096  # outcome ids a store keeps in memory (a hostile report's variety)
MAX_OUTCOME_CHARS = 4096  # ... of outcomes this short (memory stays bounded)
# A deferred report of at most this many records is written folded (`_defer`): a report's
# own fold (its row rewritten) is dear for one record, the totals' upserts from Python
# are dearer than `fold`'s grouping in C for many (a 100-record report's import was
# 5 % dearer folded as written).
FOLD_ON_WRITE = 4
PENDING_REPORTS = 64  # small reports whose rows wait to be written together (`_defer`),
# while their records are fewer than BATCH (memory stays what one report may buffer)

# Two reports from one reporter about one domain whose ranges overlap by at most this
# many seconds are both counted whole: Outlook's end second is its next report's begin.
OVERLAP_TOLERANCE = 3600
BUSY_TIMEOUT = 60.0  # seconds a run waits for another run's write lock on the same --db
_SQLITE_BUSY = 5  # the primary result code (sqlite3.SQLITE_BUSY, which typeshed lacks)


# What a new report does to the stored ones: (id, end, folded, first record, last record)
# of those it supersedes, and whether another overlaps it in part (`_neighbours`).
Neighbours = tuple[list[tuple[int, int, int, int, int]], bool]


class Imported(str, Enum):
    NEW = "new"
    DUPLICATE = "duplicate"  # same (org, report id), or the same reporter's same range resent


@frozen
class SourceRow:
    """Messages of one outcome from one source for one header-From domain (summed)."""

    header_from: str
    source_ip: str
    messages: int
    disposition: str | None
    dkim: str | None
    spf: str | None
    reasons: tuple[tuple[str, str | None], ...]
    dkim_results: tuple[tuple[str, str | None, str], ...]  # (domain, selector, result)
    spf_results: tuple[tuple[str, str | None, str], ...]  # (domain, scope, result)
    envelope_from: str | None


@frozen
class DayRow:
    """Messages, and DMARC-passing messages, of one domain on one day."""

    header_from: str
    day: int  # days since the epoch (UTC) of the report's begin
    messages: int
    dmarc_pass: int


@frozen
class SourceDayRow:
    """One source on one day (the CSV's rows)."""

    header_from: str
    day: int
    source_ip: str
    messages: int
    dmarc_pass: int
    spf_aligned: int
    dkim_aligned: int
    quarantined: int
    rejected: int


class StoredReport(NamedTuple):
    """One stored report as the analysis reads it (a named tuple: every stored report is
    read back once per run, and a frozen dataclass was three times as dear to build)."""

    org_name: str
    report_id: str
    domain: str
    begin: int
    end: int
    source_file: str
    notes: tuple[Note, ...]
    policy: dict[str, str | int | bool | None]


class ReportOverview(NamedTuple):
    """The stored reports (since a time) as the analysis uses them: how many; per report
    domain, how many and from which reporters; and, in the order of `reports`, only the
    reports a judgement reads one by one: those with notes, and per domain those with
    its latest begin (where its policy is taken from, `analysis._policy_for`)."""

    stored: int
    by_domain: dict[str, tuple[int, frozenset[str]]]
    reports: list[StoredReport]


class StoreError(Exception):
    """A --db file that is not a report store, or one written by a newer mailauth."""

    def __init__(self, key: str, value: str = "") -> None:
        super().__init__(f"{key}: {value}")
        self.key = key
        self.value = value


# SQLite's result codes (`sqlite3.Error.sqlite_errorname`) that a user can act on, each with
# words in the i18n table (`report.store.<code>`); SQLite's own English message would end up
# inside a Japanese sentence (issue 14). Any other code is shown by its name.
_SQLITE_REASONS = {
    "SQLITE_NOTADB": "store-notadb",
    "SQLITE_CORRUPT": "store-corrupt",
    "SQLITE_CANTOPEN": "store-cantopen",
    "SQLITE_BUSY": "store-busy",
    "SQLITE_LOCKED": "store-busy",
    "SQLITE_READONLY": "store-readonly",
    "SQLITE_FULL": "store-full",
}


def _sqlite_reason(exc: sqlite3.Error) -> tuple[str, str]:
    """The i18n code (and value) of why SQLite refused a --db file."""
    name = str(getattr(exc, "sqlite_errorname", "") or "")
    base = name.split("_")[:2]  # SQLITE_CANTOPEN_ISDIR -> SQLITE_CANTOPEN
    code = _SQLITE_REASONS.get(name) or _SQLITE_REASONS.get("_".join(base))
    if code is not None:
        return code, ""
    return "store-unreadable", name or type(exc).__name__


def _enter_wal(db: sqlite3.Connection) -> None:
    """Switch a file store to WAL, asking again while another run is switching it.

    Two runs that open a new --db at once both hold a shared lock and both want the
    exclusive one: SQLite refuses one of them at once (a deadlock its busy handler does
    not wait out), so the refusal is retried here, within the same busy timeout."""
    deadline = time.monotonic() + BUSY_TIMEOUT
    pause = 0.002
    while True:
        try:
            db.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            busy = (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF == _SQLITE_BUSY
            if not busy or time.monotonic() >= deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.1)


class ReportStore(Protocol):
    """What the importer and the analysis need from a store, and nothing more."""

    def import_aggregate(
        self,
        source_file: str,
        events: Iterable[ReportHeader | Record],
        notes: Sequence[Note],
        digest: Callable[[], str],
    ) -> Imported: ...

    def add_failure(self, source_file: str, report: FailureReport, digest: str) -> Imported: ...

    def batch(self) -> AbstractContextManager[None]:
        """Imports inside share write transactions (each report stays all or nothing)."""

    def fold(self) -> None:
        """Bring the store's kept totals up to date after imports (the readers are exact
        without it, only slower)."""

    def reports(self, since: int | None, domain: str | None) -> list[StoredReport]: ...

    def report_overview(self, since: int | None) -> ReportOverview:
        """What the analysis needs of the stored reports (`ReportOverview`), without
        reading each one back."""

    def source_rows(self, since: int | None, domain: str | None) -> Iterator[SourceRow]: ...

    def day_rows(self, since: int | None, domain: str | None) -> list[DayRow]: ...

    def failures(self, since: int | None, domain: str | None) -> list[FailureReport]: ...

    def source_day_rows(self, since: int | None, domain: str | None) -> list[SourceDayRow]: ...

    def selectors(self, domain: str) -> list[str]: ...

    def close(self) -> None: ...


def _domain_clause(column: str, domain: str | None) -> tuple[str, list[str]]:
    if domain is None:
        return "", []
    return f" AND ({column} = ? OR {column} LIKE ?)", [domain, "%." + domain]


# Every report not folded yet that counts whole, into the totals (`fold`). The CROSS JOIN
# keeps the reports as the outer loop (each one's records are then a rowid range); a plain
# JOIN let the planner scan every record against every report.
_FOLD = (
    "INSERT INTO source_totals (outcome, source_ip, day, end_ts, messages, records)"
    " SELECT r.outcome, r.source_ip, r.day, p.end_ts, sum(r.count), count(*)"
    " FROM reports p CROSS JOIN records r ON r.id BETWEEN p.first_record AND p.last_record"
    " WHERE p.folded = 0 AND p.share = 1.0 GROUP BY r.outcome, r.source_ip, r.day, p.end_ts"
    " ON CONFLICT DO UPDATE SET messages = messages + excluded.messages,"
    " records = records + excluded.records"
)
# One folded report's records (by their id range), out of the totals again (`_unfold`).
_UNFOLD = (
    "INSERT INTO source_totals (outcome, source_ip, day, end_ts, messages, records)"
    " SELECT r.outcome, r.source_ip, r.day, ?, -sum(r.count), -count(*) FROM records r"
    " WHERE r.id BETWEEN ? AND ? GROUP BY r.outcome, r.source_ip, r.day"
    " ON CONFLICT DO UPDATE SET messages = messages + excluded.messages,"
    " records = records + excluded.records"
)
_EMPTIED = (
    "DELETE FROM source_totals WHERE records = 0 AND (outcome, source_ip, day, end_ts) IN"
    " (SELECT r.outcome, r.source_ip, r.day, ? FROM records r WHERE r.id BETWEEN ? AND ?)"
)
_OUTCOME_FIND = (
    "SELECT id FROM outcomes WHERE header_from = ? AND dkim_results = ? AND spf_results = ?"
    " AND disposition IS ? AND dkim IS ? AND spf IS ? AND envelope_from IS ?"
    " AND envelope_to IS ? AND reasons = ? LIMIT 1"
)
_OUTCOME_ADD = (
    "INSERT INTO outcomes (header_from, dkim_results, spf_results, disposition, dkim, spf,"
    " envelope_from, envelope_to, reasons) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


class SqliteStore:
    """`ReportStore` on SQLite. `path` None: in memory (one run, nothing kept).

    The readers answer from the totals kept at import (`store_schema`); `scan=True` makes
    them group every stored record instead, the reference the totals are tested against."""

    def __init__(self, path: Path | None = None) -> None:
        target = ":memory:" if path is None else str(path)
        # Record[2:] (everything but the source and the count) -> outcome id; valid across
        # transactions (outcomes are never deleted), cleared when one is rolled back.
        self._outcome_ids: dict[tuple[object, ...], int] = {}
        self._batch = False  # inside `batch`: reports are savepoints of one transaction
        self._batched = 0  # reports in the open batch transaction
        self._batch_began = 0.0
        self._savepoint = False  # the current report has written (a savepoint is open)
        self._next_record: int | None = None  # known while the write lock is held
        self._next_report: int | None = None  # ... and, between other writes, this one
        self._pending: list[_Pending] = []  # small reports' rows not written yet (`_defer`)
        # ... and, once written (folded), their records' totals, summed until they are
        # written at the latest before the batch's commit (`_write_totals`), with the ids
        # of those reports
        self._totals: dict[tuple[object, ...], list[int]] = {}
        self._folded: list[int] = []
        self._pending_records = 0  # ... and their records (at most about BATCH held)
        self._known = KnownReports(self._org_reports)  # skips most duplicate queries
        try:
            self._db = sqlite3.connect(target, isolation_level=None, timeout=BUSY_TIMEOUT)
            self._db.execute("PRAGMA foreign_keys = ON")
            if path is not None:
                _enter_wal(self._db)
                self._db.execute("PRAGMA synchronous = NORMAL")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(*_sqlite_reason(exc)) from None

    def _migrate(self) -> None:
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            version = int(db.execute("PRAGMA user_version").fetchone()[0])
            if version == 0 and db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                raise StoreError("store-foreign")
            if version > SCHEMA_VERSION:
                raise StoreError("store-newer", str(version))
            for step in range(version, SCHEMA_VERSION):
                for statement in MIGRATIONS[step].split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute(f"PRAGMA user_version = {step + 1}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def close(self) -> None:
        self._commit_batch()
        self._db.close()

    # -- writing --------------------------------------------------------------------------
    @contextmanager
    def batch(self) -> Iterator[None]:
        """Imports inside this block share write transactions: each report is a savepoint
        of one transaction that is committed every BATCH_REPORTS reports or BATCH_SECONDS
        (and at the end), so a small report does not pay a commit (its WAL pages) of its
        own; a small report that writes nothing while it is read waits to be written
        with the next ones in one savepoint (`_defer`). A report that fails rolls back to
        its savepoint, so a crash still never leaves half a report; whole reports already
        imported in the open transaction are committed when the block ends, even by an
        exception."""
        if self._batch:
            yield
            return
        self._batch = True
        try:
            yield
        finally:
            self._batch = False
            self._commit_batch()

    def _commit_batch(self) -> None:
        try:
            if self._pending:
                self._flush()  # if it fails, what it kept is committed all the same
        finally:
            self._batched = 0
            self._next_record = None
            self._next_report = None
            if self._db.in_transaction:
                try:
                    self._write_totals()  # (if it fails, its reports are left unfolded)
                finally:
                    try:
                        if self._db.in_transaction:  # (unless rolled back just now)
                            self._db.execute("COMMIT")
                    except BaseException:
                        self._outcome_ids.clear()
                        if self._db.in_transaction:
                            self._db.execute("ROLLBACK")
                        raise

    def import_aggregate(
        self,
        source_file: str,
        events: Iterable[ReportHeader | Record],
        notes: Sequence[Note],
        digest: Callable[[], str],
    ) -> Imported:
        """Store one report from its event stream in one transaction (a savepoint of the
        batch's, `batch`). A duplicate stops reading at its header (and leaves the store
        as it was).

        A report's writes wait for its last record where they can: the records are
        buffered (up to BATCH) and the header row is written once, complete, with them,
        so a small report costs one lookup, one insert of its header and one of its
        records. A bigger report writes its header before its first full batch."""
        db = self._db
        if self._batch:
            if not db.in_transaction:
                db.execute("BEGIN IMMEDIATE")
                self._batch_began = time.monotonic()
                self._check_known()
        else:
            db.execute("BEGIN IMMEDIATE")
            self._next_record = None
            self._check_known()
        self._savepoint = False
        try:
            header: ReportHeader | None = None
            started: tuple[int, int] | None = None  # (report row, first record id)
            neighbours: Neighbours = ([], False)
            day = 0
            batch: list[tuple[object, ...]] = []
            ids = self._outcome_ids
            for event in events:
                if type(event) is Record:  # nearly every event: the row built in line
                    if header is None:  # the parser emits the header first; keep it so
                        raise RuntimeError("record before report header")
                    outcome = ids.get(event[2:])
                    if outcome is None:
                        outcome = self._outcome(event)
                    batch.append((day, event[0], event[1], outcome))
                    if len(batch) >= BATCH:
                        if started is None:
                            started = self._start(source_file, header, neighbours, None)
                        self._insert_records(started[0], batch)
                        batch = []
                    continue
                if not isinstance(event, ReportHeader):
                    raise TypeError(f"not a report event: {type(event).__name__}")
                if header is not None:
                    raise RuntimeError("second report header")
                seen, neighbours = self._neighbours(event)
                if seen:
                    self._finish(ok=True, new=False)
                    return Imported.DUPLICATE
                header = event
                day = event.begin // DAY
            if header is None:
                raise RuntimeError("report without header")
            sha = digest()
            noted = json.dumps([[n.code, n.value] for n in notes]) if notes else "[]"
            if started is None and self._batch and not self._savepoint and neighbours == _NONE:
                self._defer(source_file, header, sha, noted, batch)  # nothing written yet
            elif started is None:
                row, _ = self._start(source_file, header, neighbours, (sha, noted, len(batch)))
                self._insert_records(row, batch)
            else:
                row, first = started
                self._insert_records(row, batch)
                db.execute(
                    "UPDATE reports SET sha256 = ?, notes = ?, first_record = ?,"
                    " last_record = ? WHERE id = ?",
                    (sha, noted, first, self._next_record_id() - 1, row),
                )
            self._known.add(header.org_name, header.report_id, header.policy.domain,
                            header.begin, header.end)  # fmt: skip
            self._finish(ok=True, new=True)
            return Imported.NEW
        except BaseException:
            self._finish(ok=False, new=False)
            raise

    def _write(self) -> None:
        """Before a report's first write in a batch: the reports waiting in `_pending`
        written first (ids stay in import order), then its savepoint."""
        if self._batch and not self._savepoint:
            if self._pending:
                self._flush()
            self._write_totals()  # (this report may take folded reports out of them)
            self._next_report = None  # this report's row takes SQLite's next rowid
            self._db.execute("SAVEPOINT report")
            self._savepoint = True

    def _defer(
        self,
        source_file: str,
        h: ReportHeader,
        sha: str,
        noted: str,
        rows: list[tuple[object, ...]],
    ) -> None:
        """A new small report whose import has written nothing (its outcomes were known,
        it supersedes and overlaps nothing): its header and record rows wait in
        `_pending`, with the ids SQLite would give them, and are written with the
        reports after it in one savepoint (`_flush`), three statements for up to
        PENDING_REPORTS reports instead of four per report. Those of at most
        FOLD_ON_WRITE records are written folded (each counts whole), their records'
        totals summed in memory and written once per transaction (`_add_totals`,
        `_write_totals`): folding them later rewrote every new report row and kept an
        index entry for each until then (`fold` was a tenth of a single-record report's
        import). They are fully built here,
        so writing them cannot fail halfway through one report; if the group's write
        fails anyway (a full disk), `_flush` writes its reports again one savepoint each,
        so the failing one is rolled back alone, as when each report wrote itself."""
        if self._next_report is None:
            self._next_report = self._next_free_id("reports")
        row = self._next_report
        self._next_report = row + 1
        first = self._next_record_id()
        header = (row, *_header_values(source_file, h, first, (sha, noted, len(rows))))
        records = [(first + i, row, *r) for i, r in enumerate(rows)]
        self._next_record = first + len(rows)
        self._pending.append((header, records))
        self._pending_records += len(records)
        if len(self._pending) >= PENDING_REPORTS or self._pending_records >= BATCH:
            self._flush()

    def _flush(self) -> None:
        """Write the pending reports (`_defer`) in one savepoint of the batch."""
        pending, self._pending = self._pending, []
        self._pending_records = 0
        db = self._db
        db.execute("SAVEPOINT reports")
        try:
            folded = [header for header, records in pending if len(records) <= FOLD_ON_WRITE]
            db.executemany(_HEADER_FOLDED, folded)
            if len(folded) < len(pending):
                db.executemany(
                    _HEADER_WITH_ID,
                    [header for header, records in pending if len(records) > FOLD_ON_WRITE],
                )
            db.executemany(_RECORD, [r for _, records in pending for r in records])
        except BaseException as exc:
            if db.in_transaction:
                db.execute("ROLLBACK TO reports")
                db.execute("RELEASE reports")
            self._replay(pending)  # raises the error of the report that fails again
            if not isinstance(exc, Exception):
                raise  # an interrupt still ends the run, with every report written
            return  # the error did not recur: each report is written, none failed
        db.execute("RELEASE reports")
        self._add_totals(pending)

    def _replay(self, pending: list[_Pending]) -> None:
        """The reports of a group whose write failed, one savepoint each: those before
        the failing one are kept, the failing one is rolled back and its error raised."""
        db = self._db
        self._known.forget()  # it counted reports that may not be written now
        self._next_report = None
        for header, records in pending:
            db.execute("SAVEPOINT report")
            try:
                folds = len(records) <= FOLD_ON_WRITE
                db.execute(_HEADER_FOLDED if folds else _HEADER_WITH_ID, header)
                db.executemany(_RECORD, records)
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK TO report")
                    db.execute("RELEASE report")
                raise
            db.execute("RELEASE report")
            self._add_totals([(header, records)])

    def _add_totals(self, written: list[_Pending]) -> None:
        """The records of deferred reports just written (folded) into the totals kept in
        memory: reports one after the other rarely share a row of `source_totals` (one
        reporter's days), the reports of a write transaction do (many reporters' same
        day), so the rows are summed here and written once per transaction."""
        totals = self._totals
        for header, records in written:
            if len(records) > FOLD_ON_WRITE:
                continue  # (written not folded: `fold` groups many records in C)
            self._folded.append(header[0])  # type: ignore[arg-type]
            end = header[5]  # (id, org_name, report_id, email, begin_ts, end_ts, ...)
            for _id, _report, day, ip, count, outcome in records:
                key = (outcome, ip, day, end)
                total = totals.get(key)
                if total is None:
                    totals[key] = [count, 1]  # type: ignore[list-item]
                else:
                    total[0] += count  # type: ignore[operator]
                    total[1] += 1

    def _write_totals(self) -> None:
        """Write the totals kept in memory (`_add_totals`), before anything reads or
        changes `source_totals` and before the transaction commits. If that fails, their
        reports are marked not folded (`fold` takes them later) and the error raised, so
        the totals stay exactly those of the folded reports; if that fails too, the
        whole transaction is rolled back."""
        if not self._totals:
            return
        totals, self._totals = self._totals, {}
        folded, self._folded = self._folded, []
        db = self._db
        db.execute("SAVEPOINT totals")
        try:
            db.executemany(
                _TOTALS_ADD, [(*key, messages, n) for key, (messages, n) in totals.items()]
            )
        except BaseException:
            try:
                if db.in_transaction:
                    db.execute("ROLLBACK TO totals")
                    db.execute("RELEASE totals")
                    db.executemany(_UNFOLDED, [(row,) for row in folded])
            except BaseException:
                self._outcome_ids.clear()
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
            raise
        db.execute("RELEASE totals")

    def _finish(self, *, ok: bool, new: bool) -> None:
        """End one report: commit or roll back its transaction (its savepoint in a
        batch, then commit the batch when it is due)."""
        db = self._db
        if not ok:
            self._outcome_ids.clear()  # ids inserted by this transaction are gone
        if not self._batch:
            self._next_record = None
            if db.in_transaction:
                db.execute("COMMIT" if ok else "ROLLBACK")
            return
        if self._savepoint:
            self._savepoint = False
            if db.in_transaction:
                if not ok:
                    db.execute("ROLLBACK TO report")
                db.execute("RELEASE report")
        if not ok:
            return  # (the caller re-raises; the batch commits at its end or its next report)
        self._batched += new
        # due also after a duplicate: a run of them holds the write lock too
        if self._batched >= BATCH_REPORTS or time.monotonic() - self._batch_began >= BATCH_SECONDS:
            self._commit_batch()

    def _next_record_id(self) -> int:
        """The next record id: the write lock is held, so it is known after one query
        per transaction (ids only need to be unique and consecutive within a report)."""
        if self._next_record is None:
            self._next_record = self._next_free_id("records")
        return self._next_record

    def _next_free_id(self, table: str) -> int:
        """The id SQLite gives the next row of `table` (rowids, no AUTOINCREMENT)."""
        (next_id,) = self._db.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchone()
        return int(next_id)

    def _start(
        self,
        source_file: str,
        h: ReportHeader,
        neighbours: Neighbours,
        done: tuple[str, str, int] | None,
    ) -> tuple[int, int]:
        """Write a new report's header (superseding the stored reports it covers, and
        reweighing those it overlaps): complete when `done` (sha256, notes, number of
        records) is known, else to be completed by the import's last UPDATE."""
        self._write()
        covered, overlaps = neighbours
        for row_id, end, folded, first, last in covered:
            if folded:
                self._unfold(row_id, end, first, last)
            self._db.execute("DELETE FROM records WHERE id BETWEEN ? AND ?", (first, last))
            self._db.execute("DELETE FROM reports WHERE id = ?", (row_id,))
        first = self._next_record_id()
        row = self._insert_header(source_file, h, first, done)
        if overlaps:
            self._reweigh(h.org_name, h.policy.domain)
        return row, first

    def _outcome(self, r: Record) -> int:
        """The id of a record's outcome (everything but its source and count), added to
        `outcomes` the first time it is seen. Runs inside the import's write transaction,
        so two runs at once cannot add the same outcome twice."""
        content = (
            r.header_from, _encoded(r.dkim_results), _encoded(r.spf_results), r.disposition,
            r.dkim, r.spf, r.envelope_from, r.envelope_to, _encoded(r.reasons),
        )  # fmt: skip
        row = self._db.execute(_OUTCOME_FIND, content).fetchone()
        if row is not None:
            outcome = int(row[0])
        else:
            self._write()
            cursor = self._db.execute(_OUTCOME_ADD, content)
            assert cursor.lastrowid is not None
            outcome = cursor.lastrowid
        if sum(len(text) for text in content if text) <= MAX_OUTCOME_CHARS:
            if len(self._outcome_ids) >= MAX_OUTCOME_IDS:
                self._outcome_ids.clear()
            self._outcome_ids[r[2:]] = outcome
        return outcome

    def fold(self) -> None:
        """Add the records of every report not folded yet that counts whole to the totals,
        in one transaction (after an import run: one grouping pass in C over the new
        records, where keeping the totals row by row in each import cost more than the
        scans they save; bench/README.md). A batch's deferred small reports are folded
        as they are written (`_defer`); this folds the others. Not folding is never
        wrong, only slower: the readers take the records of the reports not folded as
        they are."""
        self._commit_batch()
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute(_FOLD)
            db.execute("UPDATE reports SET folded = 1 WHERE folded = 0 AND share = 1.0")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def _unfold(self, report: int, end: int, first: int, last: int) -> None:
        """Take a folded report's records (ids `first`..`last`) out of the totals (before
        it is superseded or starts to count in part), in the caller's transaction."""
        self._db.execute(_UNFOLD, (end, first, last))
        self._db.execute(_EMPTIED, (end, first, last))
        self._db.execute("UPDATE reports SET folded = 0 WHERE id = ?", (report,))

    def _neighbours(self, h: ReportHeader) -> tuple[bool, Neighbours]:
        """In one statement (UNION ALL of SELECTs each on its own index: one with OR
        between them, a multi-index OR, was the costliest statement of an import):

        - whether `h` was seen: the same (org, report id), or a range of the same
          reporter and domain that holds this one (a duplicate);
        - the stored reports of the same reporter and domain whose range lies inside its
          own (superseded: their records are in it again);
        - whether any other overlaps it in part (then the shares are reweighed); it
          leaves out the covered ones, which are deleted before it counts.

        Asked at the header, answered for the whole import: the write lock is held."""
        o, d, begin, end = h.org_name, h.policy.domain, h.begin, h.end
        if self._known.surely_new(o, h.report_id, d, begin, end):
            return False, ([], False)  # what the query below answers for it (store_known)
        if self._pending:
            self._flush()  # the query must see them
        rows = self._db.execute(
            "SELECT 2, 0, 0, 0, 0, 0 FROM reports WHERE org_name = ? AND report_id = ?"
            " UNION ALL SELECT * FROM (SELECT 2, 0, 0, 0, 0, 0 FROM reports"
            " WHERE org_name = ? AND domain = ? AND begin_ts <= ? AND end_ts >= ? LIMIT 1)"
            " UNION ALL SELECT 0, id, end_ts, folded, first_record, last_record FROM reports"
            " WHERE org_name = ? AND domain = ? AND begin_ts >= ? AND end_ts <= ?"
            " UNION ALL SELECT * FROM (SELECT 1, 0, 0, 0, 0, 0 FROM reports"
            " WHERE org_name = ? AND domain = ? AND begin_ts <= ? AND end_ts >= ?"
            " AND report_id != ? AND NOT (begin_ts >= ? AND end_ts <= ?) LIMIT 1)",
            (
                o, h.report_id, o, d, begin, end, o, d, begin, end,
                o, d, end, begin, h.report_id, begin, end,
            ),
        ).fetchall()  # fmt: skip
        if any(r[0] == 2 for r in rows):
            return True, ([], False)
        covered = [(r[1], r[2], r[3], r[4], r[5]) for r in rows if r[0] == 0]
        return False, (covered, len(covered) < len(rows))

    def _check_known(self) -> None:
        """At the start of a write transaction: the summary of stored reports holds only
        while no other connection has written (`store_known`)."""
        (version,) = self._db.execute("PRAGMA data_version").fetchone()
        if version != self._known.version:
            self._known.forget()
            self._known.version = version

    def _org_reports(self, org_name: str, limit: int) -> list[tuple[str, str, int, int]]:
        if self._pending:
            self._flush()
        return self._db.execute(
            "SELECT report_id, domain, begin_ts, end_ts FROM reports WHERE org_name = ? LIMIT ?",
            (org_name, limit),
        ).fetchall()

    def _reweigh(self, org_name: str, domain: str) -> None:
        """Partly overlapping ranges from one reporter about one domain count once: in the
        order of their begin (then end, then report id), each report counts whole except
        for the part of its range an earlier one already covered; its records count with
        the share of its range that is new (messages are assumed spread evenly over a
        report's range, the only assumption an aggregate allows). An overlap of at most
        OVERLAP_TOLERANCE seconds is a boundary, not an overlap. The order does not
        depend on the order of import, so the counts do not either. A folded report whose
        share changes leaves the totals (the next `fold` takes it back if it is whole)."""
        rows = self._db.execute(
            "SELECT id, begin_ts, end_ts, share, folded, first_record, last_record FROM reports"
            " WHERE org_name = ? AND domain = ? ORDER BY begin_ts, end_ts, report_id",
            (org_name, domain),
        ).fetchall()
        covered_to: int | None = None
        for row_id, begin, end, share, folded, first, last in rows:
            length = end - begin + 1
            covered = 0 if covered_to is None else max(0, min(end, covered_to) - begin + 1)
            new = 1.0 if length <= 0 or covered <= OVERLAP_TOLERANCE else 1 - covered / length
            if new != share:
                if folded:
                    self._unfold(row_id, end, first, last)
                self._db.execute("UPDATE reports SET share = ? WHERE id = ?", (new, row_id))
            covered_to = end if covered_to is None else max(covered_to, end)

    def _insert_header(
        self, source_file: str, h: ReportHeader, first: int, done: tuple[str, str, int] | None
    ) -> int:
        cursor = self._db.execute(_HEADER, _header_values(source_file, h, first, done))
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def _insert_records(self, report: int, rows: list[tuple[object, ...]]) -> None:
        """A report's buffered (day, source IP, count, outcome) rows, numbered on."""
        if rows:
            first = self._next_record_id()
            self._db.executemany(_RECORD, [(first + i, report, *r) for i, r in enumerate(rows)])
            self._next_record = first + len(rows)

    def add_failure(self, source_file: str, report: FailureReport, digest: str) -> Imported:
        r = report
        self._commit_batch()  # a failure report is rare: it ends the batch's transaction
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            cursor = self._db.execute(
                "INSERT OR IGNORE INTO failures (sha256, source_file, source_ip,"
                " reported_domain, feedback_type, auth_failure, arrival_date,"
                " original_mail_from, dkim_domain, dkim_selector, header_from, headers,"
                " imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    digest, source_file, r.source_ip, r.reported_domain, r.feedback_type,
                    r.auth_failure, r.arrival_date, r.original_mail_from, r.dkim_domain,
                    r.dkim_selector, r.header_from, r.headers, int(time.time()),
                ),
            )  # fmt: skip
        return Imported.NEW if cursor.rowcount else Imported.DUPLICATE

    # -- reading --------------------------------------------------------------------------
    def _flush_for_reading(self) -> None:
        """A reader inside a batch sees every report imported so far, as before."""
        if self._pending:
            self._flush()
        self._write_totals()

    def reports(self, since: int | None, domain: str | None) -> list[StoredReport]:
        self._flush_for_reading()
        clause, args = _domain_clause("domain", domain)
        return _stored_reports(
            self._db.execute(_REPORTS + " WHERE end_ts >= ?" + clause + _REPORTS_ORDER,
                             [since or 0, *args]).fetchall()
        )  # fmt: skip

    def report_overview(self, since: int | None) -> ReportOverview:
        """Counted and grouped in SQL: reading every stored report back was a twentieth
        of a run over a month of single-record reports."""
        self._flush_for_reading()
        start = since or 0
        counted: dict[str, tuple[int, set[str]]] = {}
        for domain, org_name, n in self._db.execute(
            "SELECT domain, org_name, count(*) FROM reports WHERE end_ts >= ?"
            " GROUP BY domain, org_name",
            [start],
        ):
            total, orgs = counted.setdefault(domain, (0, set()))
            orgs.add(org_name)
            counted[domain] = (total + n, orgs)
        count = sum(n for n, _ in counted.values())
        by_domain = {d: (n, frozenset(orgs)) for d, (n, orgs) in counted.items()}
        rows = self._db.execute(
            _REPORTS + " WHERE end_ts >= ? AND (notes != '[]' OR (domain, begin_ts) IN"
            " (SELECT domain, max(begin_ts) FROM reports WHERE end_ts >= ? GROUP BY domain))"
            + _REPORTS_ORDER,
            [start, start],
        ).fetchall()
        return ReportOverview(count, by_domain, _stored_reports(rows))

    def source_rows(
        self, since: int | None, domain: str | None, *, scan: bool = False
    ) -> Iterator[SourceRow]:
        self._flush_for_reading()
        clause, args = _domain_clause("o.header_from", domain)
        cursor = self._db.execute(source_rows_query(scan, clause), _args(scan, since, args))
        for row in merged_source_rows(cursor):
            yield SourceRow(
                header_from=row[0],
                source_ip=row[1],
                messages=row[8],
                disposition=row[2],
                dkim=row[3],
                spf=row[4],
                reasons=tuple((t, c) for t, c in json.loads(row[5])),
                dkim_results=tuple((d, s, r) for d, s, r in json.loads(row[6])),
                spf_results=tuple((d, s, r) for d, s, r in json.loads(row[7])),
                envelope_from=row[9],
            )

    def day_rows(
        self, since: int | None, domain: str | None, *, scan: bool = False
    ) -> list[DayRow]:
        self._flush_for_reading()
        clause, args = _domain_clause("o.header_from", domain)
        cursor = self._db.execute(day_rows_query(scan, clause), _args(scan, since, args))
        return [DayRow(*row) for row in merged_day_rows(cursor)]

    def source_day_rows(
        self, since: int | None, domain: str | None, *, scan: bool = False
    ) -> list[SourceDayRow]:
        self._flush_for_reading()
        clause, args = _domain_clause("o.header_from", domain)
        cursor = self._db.execute(source_day_rows_query(scan, clause), _args(scan, since, args))
        return [SourceDayRow(*row) for row in merged_source_day_rows(cursor)]

    def failures(self, since: int | None, domain: str | None) -> list[FailureReport]:
        self._flush_for_reading()
        clause, args = _domain_clause("reported_domain", domain)
        rows = self._db.execute(
            "SELECT source_ip, reported_domain, feedback_type, auth_failure, arrival_date,"
            " original_mail_from, dkim_domain, dkim_selector, header_from FROM failures"
            " WHERE imported_at >= 0" + clause + " ORDER BY id",
            args,
        ).fetchall()
        return [
            FailureReport(
                source_ip=r[0],
                reported_domain=r[1],
                feedback_type=r[2],
                auth_failure=r[3],
                arrival_date=r[4],
                original_mail_from=r[5],
                dkim_domain=r[6],
                dkim_selector=r[7],
                header_from=r[8],
            )
            for r in rows
        ]

    def selectors(self, domain: str) -> list[str]:
        """DKIM selectors that signed `domain`'s mail in the stored reports (for `check`):
        from the outcomes some stored record has (every record is in the totals or in a
        report not folded; an outcome of a superseded report alone is not)."""
        self._flush_for_reading()
        found: set[str] = set()
        for (results,) in self._db.execute(
            "SELECT DISTINCT o.dkim_results FROM outcomes o WHERE o.dkim_results LIKE ?"
            " AND o.id IN (SELECT outcome FROM source_totals UNION SELECT r.outcome"
            " FROM reports p CROSS JOIN records r ON r.id BETWEEN p.first_record AND"
            " p.last_record WHERE p.folded = 0)",
            ["%" + json.dumps(domain)[1:-1] + "%"],
        ):
            for d, selector, _ in json.loads(results):
                if d == domain and selector:
                    found.add(selector)
        return sorted(found)


_HEADER_COLUMNS = (
    "org_name, report_id, email, begin_ts, end_ts, domain, p, sp, np, adkim, aspf, pct, fo,"
    " testing, discovery_method, generator, version, namespace, source_file, imported_at,"
    " sha256, notes, first_record, last_record"
)
# `_header_values` gives "" for NULL in the columns where "" is never a value (the
# header's optional words, texts and numbers: None or not empty), bound as NULLIF(?, ''):
# Python's sqlite3 binds None only after looking for an adapter (two failed attribute
# lookups, each an exception's message made and dropped), which was a tenth of a
# small report's insert.
_NULLABLE = (2, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16)  # positions in `_HEADER_COLUMNS`
_HEADER_PLACES = ", ".join("NULLIF(?, '')" if i in _NULLABLE else "?" for i in range(24))
_HEADER = f"INSERT INTO reports ({_HEADER_COLUMNS}) VALUES ({_HEADER_PLACES})"
# A deferred report (`_defer`): folded as it is written when it has at most FOLD_ON_WRITE
# records (its totals kept in memory, `_add_totals`), else not (folded by `fold`).
_HEADER_WITH_ID = f"INSERT INTO reports (id, {_HEADER_COLUMNS}) VALUES (?, {_HEADER_PLACES})"
_HEADER_FOLDED = (
    f"INSERT INTO reports (id, {_HEADER_COLUMNS}, folded) VALUES (?, {_HEADER_PLACES}, 1)"
)
_UNFOLDED = "UPDATE reports SET folded = 0 WHERE id = ?"
_TOTALS_ADD = (
    "INSERT INTO source_totals (outcome, source_ip, day, end_ts, messages, records)"
    " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET"
    " messages = messages + excluded.messages, records = records + excluded.records"
)
_RECORD = "INSERT INTO records VALUES (?, ?, ?, ?, ?, ?)"
# `reports`' policy columns, in the order of its SELECT's `json_array`
_POLICY_KEYS = ("p", "sp", "np", "adkim", "aspf", "pct", "testing", "discovery_method")
# The stored reports as `_stored_reports` reads them. The policy columns come as one JSON
# array, decoded once per distinct policy (a domain's reports repeat one): every stored
# report was read back for the analysis, and each column fetched costs about as much as
# the row's Python objects. Ordered by begin, reporter, then id (the order they were
# stored in), so that reports with the same begin and reporter keep one order.
_REPORTS = (
    "SELECT org_name, report_id, domain, begin_ts, end_ts, source_file, notes,"
    " json_array(p, sp, np, adkim, aspf, pct, testing, discovery_method) FROM reports"
)
_REPORTS_ORDER = " ORDER BY begin_ts, org_name, id"


def _stored_reports(rows: list[Any]) -> list[StoredReport]:
    """`_REPORTS`' rows as StoredReports (positional; no JSON decoding of "[]" notes)."""
    out: list[StoredReport] = []
    keys = _POLICY_KEYS
    policies: dict[str, tuple[str | int | bool | None, ...]] = {}
    append = out.append
    for org_name, report_id, domain, begin, end, source_file, noted, policy in rows:
        values = policies.get(policy)
        if values is None:
            decoded = json.loads(policy)
            if decoded[6] is not None:
                decoded[6] = bool(decoded[6])  # testing
            values = policies[policy] = tuple(decoded)
        notes = () if noted == "[]" else tuple(Note(c, v) for c, v in json.loads(noted))
        append(
            StoredReport(
                org_name,
                report_id,
                domain,
                begin,
                end,
                source_file,
                notes,
                dict(zip(keys, values, strict=True)),
            )
        )
    return out


_NONE: Neighbours = ([], False)  # a new report's neighbours when it has none
# A deferred report: its header row (with its id) and its record rows (`_defer`).
_Pending = tuple[tuple[object, ...], list[tuple[object, ...]]]


def _header_values(
    source_file: str, h: ReportHeader, first: int, done: tuple[str, str, int] | None
) -> tuple[object, ...]:
    """A report's row of `reports` (no id), `_HEADER_COLUMNS` in order."""
    p = h.policy
    sha, noted, count = done if done is not None else (None, "[]", 0)
    return (  # ("" for None where `_NULLABLE` says: bound as NULLIF(?, ''))
        h.org_name, h.report_id, "" if (v := h.email) is None else v, h.begin, h.end,
        p.domain, "" if (v := p.p) is None else v, "" if (v := p.sp) is None else v,
        "" if (v := p.np) is None else v, "" if (v := p.adkim) is None else v,
        "" if (v := p.aspf) is None else v, "" if (n := p.pct) is None else n,
        "" if (v := p.fo) is None else v, "" if (t := p.testing) is None else int(t),
        "" if (v := p.discovery_method) is None else v,
        "" if (v := h.generator) is None else v, "" if (v := h.version) is None else v,
        h.namespace, source_file, int(time.time()), sha, noted, first, first + count - 1,
    )  # fmt: skip


def _args(scan: bool, since: int | None, domain_args: list[str]) -> list[object]:
    """The parameters of a reading query: `since` for each part of its pieces, then the
    domain clause's."""
    parts = 1 if scan else 2
    return [since or 0] * parts + list(domain_args)


# The JSON of an outcome's reasons / DKIM / SPF results: a report's records repeat a
# handful of outcomes, so each distinct tuple is encoded once.
_ENCODED: dict[tuple[Reason | DkimAuth | SpfAuth, ...], str] = {(): "[]"}
_MAX_ENCODED = 4096


def _encoded(items: tuple[Reason, ...] | tuple[DkimAuth, ...] | tuple[SpfAuth, ...]) -> str:
    text = _ENCODED.get(items)
    if text is None:
        text = json.dumps([_fields(x) for x in items])
        if len(_ENCODED) >= _MAX_ENCODED:
            _ENCODED.clear()
            _ENCODED[()] = "[]"
        _ENCODED[items] = text
    return text


def _fields(x: Reason | DkimAuth | SpfAuth) -> list[str | None]:
    if isinstance(x, Reason):
        return [x.type, x.comment]
    if isinstance(x, DkimAuth):
        return [x.domain, x.selector, x.result]
    return [x.domain, x.scope, x.result]

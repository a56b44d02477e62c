"""The report store: every parsed report and record, with the file it came from and its
hash, so runs accumulate over months (`--db FILE`) and a report is never counted twice.

One interface (`ReportStore`), one implementation today (`SqliteStore`, the standard
library's SQLite: a file with --db, memory without). The analysis reads only the
interface's aggregated rows, so a server database can be added behind it later.

Safety: the schema is versioned (`PRAGMA user_version`) and migrated forward in order; a
file store runs in WAL mode with a busy timeout, so two runs at once wait for each other
instead of failing; one report is imported in one transaction, so a crash mid-import
leaves no half report.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Protocol

from mailauth.report.model import (
    DkimAuth,
    FailureReport,
    Note,
    Reason,
    Record,
    ReportHeader,
    SpfAuth,
)

DAY = 86400
BATCH = 5000

# Each entry takes the schema from version i to i+1; never edit a shipped entry, append.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE reports (
        id INTEGER PRIMARY KEY,
        org_name TEXT NOT NULL,
        report_id TEXT NOT NULL,
        email TEXT,
        begin_ts INTEGER NOT NULL,
        end_ts INTEGER NOT NULL,
        domain TEXT NOT NULL,
        p TEXT, sp TEXT, np TEXT, adkim TEXT, aspf TEXT, pct INTEGER, fo TEXT,
        testing INTEGER, discovery_method TEXT,
        generator TEXT, version TEXT, namespace TEXT,
        source_file TEXT NOT NULL,
        sha256 TEXT,
        notes TEXT NOT NULL DEFAULT '[]',
        imported_at INTEGER NOT NULL,
        UNIQUE (org_name, report_id)
    );
    CREATE INDEX reports_domain ON reports (domain, begin_ts);
    CREATE INDEX reports_range ON reports (org_name, domain, begin_ts, end_ts);
    CREATE TABLE records (
        report INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
        day INTEGER NOT NULL,
        source_ip TEXT NOT NULL,
        count INTEGER NOT NULL,
        disposition TEXT, dkim TEXT, spf TEXT,
        header_from TEXT NOT NULL,
        envelope_from TEXT, envelope_to TEXT,
        reasons TEXT NOT NULL,
        dkim_results TEXT NOT NULL,
        spf_results TEXT NOT NULL
    );
    CREATE INDEX records_report ON records (report);
    CREATE TABLE failures (
        id INTEGER PRIMARY KEY,
        sha256 TEXT NOT NULL UNIQUE,
        source_file TEXT NOT NULL,
        source_ip TEXT, reported_domain TEXT, feedback_type TEXT, auth_failure TEXT,
        arrival_date TEXT, original_mail_from TEXT, dkim_domain TEXT, dkim_selector TEXT,
        header_from TEXT, headers TEXT,
        imported_at INTEGER NOT NULL
    );
    """,
    # 2: the share of a report's records that counts (partly overlapping ranges, below)
    """
    ALTER TABLE reports ADD COLUMN share REAL NOT NULL DEFAULT 1.0;
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)
# Two reports from one reporter about one domain whose ranges overlap by at most this
# many seconds are both counted whole: Outlook's end second is its next report's begin.
OVERLAP_TOLERANCE = 3600


class Imported(str, Enum):
    NEW = "new"
    DUPLICATE = "duplicate"  # same (org, report id), or the same reporter's same range resent


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class DayRow:
    header_from: str
    day: int  # days since the epoch (UTC) of the report's begin
    messages: int
    dmarc_pass: int


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class StoredReport:
    org_name: str
    report_id: str
    domain: str
    begin: int
    end: int
    source_file: str
    notes: tuple[Note, ...]
    policy: dict[str, str | int | bool | None]


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

    def reports(self, since: int | None, domain: str | None) -> list[StoredReport]: ...

    def source_rows(self, since: int | None, domain: str | None) -> Iterator[SourceRow]: ...

    def day_rows(self, since: int | None, domain: str | None) -> list[DayRow]: ...

    def failures(self, since: int | None, domain: str | None) -> list[FailureReport]: ...

    def source_day_rows(self, since: int | None, domain: str | None) -> list[SourceDayRow]: ...

    def selectors(self, domain: str) -> list[str]: ...

    def close(self) -> None: ...


# Messages of a group of records, each counted with its report's share (see _reweigh).
_COUNT = "CAST(round(sum(r.count * p.share)) AS INTEGER)"


def _counted(condition: str) -> str:
    """Messages of the records matching `condition` (SQL over `r`), with shares."""
    return f"CAST(round(sum(CASE WHEN {condition} THEN r.count * p.share ELSE 0 END)) AS INTEGER)"


def _domain_clause(column: str, domain: str | None) -> tuple[str, list[str]]:
    if domain is None:
        return "", []
    return f" AND ({column} = ? OR {column} LIKE ?)", [domain, "%." + domain]


class SqliteStore:
    """`ReportStore` on SQLite. `path` None: in memory (one run, nothing kept)."""

    def __init__(self, path: Path | None = None) -> None:
        target = ":memory:" if path is None else str(path)
        try:
            self._db = sqlite3.connect(target, isolation_level=None, timeout=60.0)
            self._db.execute("PRAGMA foreign_keys = ON")
            if path is not None:
                self._db.execute("PRAGMA journal_mode = WAL")
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
        self._db.close()

    # -- writing --------------------------------------------------------------------------
    def import_aggregate(
        self,
        source_file: str,
        events: Iterable[ReportHeader | Record],
        notes: Sequence[Note],
        digest: Callable[[], str],
    ) -> Imported:
        """Store one report from its event stream in one transaction. A duplicate stops
        reading at its header (and leaves the store as it was)."""
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            report_row: int | None = None
            day = 0
            batch: list[tuple[object, ...]] = []
            encoded = _encoded
            for event in events:
                if type(event) is Record:  # nearly every event: the row built in line
                    if report_row is None:  # the parser emits the header first; keep it so
                        raise RuntimeError("record before report header")
                    batch.append(
                        (
                            report_row, day, event.source_ip, event.count, event.disposition,
                            event.dkim, event.spf, event.header_from, event.envelope_from,
                            event.envelope_to, encoded(event.reasons),
                            encoded(event.dkim_results), encoded(event.spf_results),
                        )
                    )  # fmt: skip
                    if len(batch) >= BATCH:
                        self._insert_records(batch)
                        batch = []
                    continue
                if isinstance(event, ReportHeader):
                    if self._seen(event):
                        db.execute("ROLLBACK")
                        return Imported.DUPLICATE
                    self._supersede(event)
                    report_row = self._insert_header(source_file, event)
                    if self._overlaps(event):
                        self._reweigh(event.org_name, event.policy.domain)
                    day = event.begin // DAY
                    continue
                if report_row is None:  # the parser emits the header first; keep it so
                    raise RuntimeError("record before report header")
                batch.append(_record_row(report_row, day, event))
                if len(batch) >= BATCH:
                    self._insert_records(batch)
                    batch = []
            if report_row is None:
                raise RuntimeError("report without header")
            self._insert_records(batch)
            db.execute(
                "UPDATE reports SET sha256 = ?, notes = ? WHERE id = ?",
                (digest(), json.dumps([[n.code, n.value] for n in notes]), report_row),
            )
            db.execute("COMMIT")
            return Imported.NEW
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise

    def _seen(self, h: ReportHeader) -> bool:
        row = self._db.execute(
            "SELECT 1 FROM reports WHERE (org_name = ? AND report_id = ?)"
            " OR (org_name = ? AND domain = ? AND begin_ts <= ? AND end_ts >= ?) LIMIT 1",
            (h.org_name, h.report_id, h.org_name, h.policy.domain, h.begin, h.end),
        ).fetchone()
        return row is not None

    def _supersede(self, h: ReportHeader) -> None:
        """Overlapping ranges from one reporter count once: a report whose range lies inside
        one already stored is a duplicate (`_seen`); one that covers stored reports of the
        same reporter and domain replaces them (their records are in it again)."""
        self._db.execute(
            "DELETE FROM reports WHERE org_name = ? AND domain = ? AND begin_ts >= ?"
            " AND end_ts <= ?",
            (h.org_name, h.policy.domain, h.begin, h.end),
        )

    def _overlaps(self, h: ReportHeader) -> bool:
        row = self._db.execute(
            "SELECT 1 FROM reports WHERE org_name = ? AND domain = ? AND begin_ts <= ?"
            " AND end_ts >= ? AND report_id != ? LIMIT 1",
            (h.org_name, h.policy.domain, h.end, h.begin, h.report_id),
        ).fetchone()
        return row is not None

    def _reweigh(self, org_name: str, domain: str) -> None:
        """Partly overlapping ranges from one reporter about one domain count once: in the
        order of their begin (then end, then report id), each report counts whole except
        for the part of its range an earlier one already covered; its records count with
        the share of its range that is new (messages are assumed spread evenly over a
        report's range, the only assumption an aggregate allows). An overlap of at most
        OVERLAP_TOLERANCE seconds is a boundary, not an overlap. The order does not
        depend on the order of import, so the counts do not either."""
        rows = self._db.execute(
            "SELECT id, begin_ts, end_ts, share FROM reports WHERE org_name = ? AND domain = ?"
            " ORDER BY begin_ts, end_ts, report_id",
            (org_name, domain),
        ).fetchall()
        covered_to: int | None = None
        for row_id, begin, end, share in rows:
            length = end - begin + 1
            covered = 0 if covered_to is None else max(0, min(end, covered_to) - begin + 1)
            new = 1.0 if length <= 0 or covered <= OVERLAP_TOLERANCE else 1 - covered / length
            if new != share:
                self._db.execute("UPDATE reports SET share = ? WHERE id = ?", (new, row_id))
            covered_to = end if covered_to is None else max(covered_to, end)

    def _insert_header(self, source_file: str, h: ReportHeader) -> int:
        p = h.policy
        testing = None if p.testing is None else int(p.testing)
        cursor = self._db.execute(
            "INSERT INTO reports (org_name, report_id, email, begin_ts, end_ts, domain, p, sp,"
            " np, adkim, aspf, pct, fo, testing, discovery_method, generator, version,"
            " namespace, source_file, imported_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                h.org_name, h.report_id, h.email, h.begin, h.end, p.domain, p.p, p.sp, p.np,
                p.adkim, p.aspf, p.pct, p.fo, testing, p.discovery_method, h.generator,
                h.version, h.namespace, source_file, int(time.time()),
            ),
        )  # fmt: skip
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def _insert_records(self, rows: list[tuple[object, ...]]) -> None:
        if rows:
            self._db.executemany(
                "INSERT INTO records VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows
            )

    def add_failure(self, source_file: str, report: FailureReport, digest: str) -> Imported:
        r = report
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
    def reports(self, since: int | None, domain: str | None) -> list[StoredReport]:
        clause, args = _domain_clause("domain", domain)
        rows = self._db.execute(
            "SELECT org_name, report_id, domain, begin_ts, end_ts, source_file, notes, p, sp,"
            " np, adkim, aspf, pct, testing, discovery_method FROM reports WHERE end_ts >= ?"
            + clause
            + " ORDER BY begin_ts, org_name",
            [since or 0, *args],
        ).fetchall()
        out = []
        for row in rows:
            keys = ("p", "sp", "np", "adkim", "aspf", "pct", "testing", "discovery_method")
            values = list(row[7:])
            values[6] = None if values[6] is None else bool(values[6])  # testing
            out.append(
                StoredReport(
                    org_name=row[0],
                    report_id=row[1],
                    domain=row[2],
                    begin=row[3],
                    end=row[4],
                    source_file=row[5],
                    notes=tuple(Note(c, v) for c, v in json.loads(row[6])),
                    policy=dict(zip(keys, values, strict=True)),
                )
            )
        return out

    def source_rows(self, since: int | None, domain: str | None) -> Iterator[SourceRow]:
        clause, args = _domain_clause("r.header_from", domain)
        cursor = self._db.execute(
            "SELECT r.header_from, r.source_ip, " + _COUNT + ", r.disposition, r.dkim, r.spf,"
            " r.reasons, r.dkim_results, r.spf_results, max(r.envelope_from)"
            " FROM records r JOIN reports p ON p.id = r.report WHERE p.end_ts >= ?"
            + clause
            + " GROUP BY r.header_from, r.source_ip, r.disposition, r.dkim, r.spf, r.reasons,"
            " r.dkim_results, r.spf_results ORDER BY r.header_from, r.source_ip",
            [since or 0, *args],
        )
        for row in cursor:
            yield SourceRow(
                header_from=row[0],
                source_ip=row[1],
                messages=row[2],
                disposition=row[3],
                dkim=row[4],
                spf=row[5],
                reasons=tuple((t, c) for t, c in json.loads(row[6])),
                dkim_results=tuple((d, s, r) for d, s, r in json.loads(row[7])),
                spf_results=tuple((d, s, r) for d, s, r in json.loads(row[8])),
                envelope_from=row[9],
            )

    def day_rows(self, since: int | None, domain: str | None) -> list[DayRow]:
        clause, args = _domain_clause("r.header_from", domain)
        rows = self._db.execute(
            "SELECT r.header_from, r.day, "
            + _COUNT
            + ", "
            + _counted("r.dkim = 'pass' OR r.spf = 'pass'")
            + " FROM records r JOIN reports p ON p.id = r.report WHERE p.end_ts >= ?"
            + clause
            + " GROUP BY r.header_from, r.day ORDER BY r.header_from, r.day",
            [since or 0, *args],
        ).fetchall()
        return [DayRow(*row) for row in rows]

    def source_day_rows(self, since: int | None, domain: str | None) -> list[SourceDayRow]:
        clause, args = _domain_clause("r.header_from", domain)
        rows = self._db.execute(
            "SELECT r.header_from, r.day, r.source_ip, "
            + _COUNT
            + ", "
            + ", ".join(
                _counted(condition)
                for condition in (
                    "r.dkim = 'pass' OR r.spf = 'pass'",
                    "r.spf = 'pass'",
                    "r.dkim = 'pass'",
                    "r.disposition = 'quarantine'",
                    "r.disposition = 'reject'",
                )
            )
            + " FROM records r JOIN reports p ON p.id = r.report WHERE p.end_ts >= ?"
            + clause
            + " GROUP BY r.header_from, r.day, r.source_ip"
            " ORDER BY r.header_from, r.day, r.source_ip",
            [since or 0, *args],
        ).fetchall()
        return [SourceDayRow(*row) for row in rows]

    def failures(self, since: int | None, domain: str | None) -> list[FailureReport]:
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
        """DKIM selectors that signed `domain`'s mail in the stored reports (for `check`)."""
        found: set[str] = set()
        for (results,) in self._db.execute(
            "SELECT DISTINCT dkim_results FROM records WHERE dkim_results LIKE ?",
            ["%" + json.dumps(domain)[1:-1] + "%"],
        ):
            for d, selector, _ in json.loads(results):
                if d == domain and selector:
                    found.add(selector)
        return sorted(found)


def _record_row(report: int, day: int, r: Record) -> tuple[object, ...]:
    return (
        report,
        day,
        r.source_ip,
        r.count,
        r.disposition,
        r.dkim,
        r.spf,
        r.header_from,
        r.envelope_from,
        r.envelope_to,
        _encoded(r.reasons),
        _encoded(r.dkim_results),
        _encoded(r.spf_results),
    )


# The JSON of a record's reasons / DKIM / SPF results: a report's records repeat a handful
# of outcomes, so each distinct tuple is encoded once (json.dumps was a tenth of an import).
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

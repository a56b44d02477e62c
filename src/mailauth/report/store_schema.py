"""The report store's SQLite schema, as the migrations that build it (`PRAGMA
user_version` is the number of entries applied).

Version 3 keeps the store narrow and the analysis cheap (bench/README.md "Report import"):

- `records` holds per record only what varies from record to record: its report, day,
  source IP, count, and an `outcome`: everything else a record says (header From,
  disposition, the aligned DKIM/SPF verdicts, envelope domains, override reasons, the
  DKIM/SPF results as JSON) is one row of `outcomes`, stored once per distinct value.
  Reports repeat a handful of outcomes, so a record row is a few small values instead of
  thirteen columns with three JSON texts. A report's records have consecutive ids, the
  range `reports.first_record`..`last_record` (empty: last < first), which is how the
  store finds them: an index on `records.report` and its foreign key cost a third of
  each insert, and only a supersede or reweigh needs one report's records.
- `source_totals` holds, per (outcome, source IP, day, report end), the messages and the
  number of records of the reports that are `folded` into it. Only a report that counts
  whole (`share` 1.0) is folded; `store.fold` folds the new ones after an import run, in
  one statement (one grouping pass over their records in C), except the small reports a
  batch writes in groups, which are written folded, their totals written before the
  transaction commits (`store._defer`, `_write_totals`); and the import transaction
  that supersedes a folded report or makes it count in part takes its records out of the
  totals again. So at every commit the totals are exactly the records of the folded
  reports, and the analysis reads them together with the records of the reports not
  folded (few: those of a run cut short before its fold, and those that count in part)
  instead of scanning and grouping every record. The records stay the reference
  (`SqliteStore`'s `scan=True`; tests/unit/report/test_store_totals.py compares both).
"""

from __future__ import annotations

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
    # 2: the share of a report's records that counts (partly overlapping ranges, store.py)
    """
    ALTER TABLE reports ADD COLUMN share REAL NOT NULL DEFAULT 1.0;
    """,
    # 3: outcomes stored once, records narrowed to them, totals kept at import (above).
    # The records keep their rowids (the order they were imported in).
    """
    CREATE TABLE outcomes (
        id INTEGER PRIMARY KEY,
        header_from TEXT NOT NULL,
        disposition TEXT, dkim TEXT, spf TEXT,
        envelope_from TEXT, envelope_to TEXT,
        reasons TEXT NOT NULL,
        dkim_results TEXT NOT NULL,
        spf_results TEXT NOT NULL
    );
    CREATE INDEX outcomes_content ON outcomes (header_from, dkim_results, spf_results);
    INSERT INTO outcomes (header_from, disposition, dkim, spf, envelope_from, envelope_to,
        reasons, dkim_results, spf_results)
        SELECT DISTINCT header_from, disposition, dkim, spf, envelope_from, envelope_to,
        reasons, dkim_results, spf_results FROM records ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9;
    CREATE TABLE records_v3 (
        id INTEGER PRIMARY KEY,
        report INTEGER NOT NULL,
        day INTEGER NOT NULL,
        source_ip TEXT NOT NULL,
        count INTEGER NOT NULL,
        outcome INTEGER NOT NULL
    );
    INSERT INTO records_v3 (id, report, day, source_ip, count, outcome)
        SELECT row_number() OVER (ORDER BY r.report, r.rowid), r.report, r.day, r.source_ip,
        r.count, o.id FROM records r
        JOIN outcomes o ON o.header_from = r.header_from AND o.dkim_results = r.dkim_results
        AND o.spf_results = r.spf_results AND o.disposition IS r.disposition
        AND o.dkim IS r.dkim AND o.spf IS r.spf AND o.envelope_from IS r.envelope_from
        AND o.envelope_to IS r.envelope_to AND o.reasons = r.reasons;
    DROP TABLE records;
    ALTER TABLE records_v3 RENAME TO records;
    ALTER TABLE reports ADD COLUMN first_record INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE reports ADD COLUMN last_record INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX records_migrated ON records (report);
    UPDATE reports SET first_record = (SELECT min(id) FROM records WHERE report = reports.id),
        last_record = (SELECT max(id) FROM records WHERE report = reports.id)
        WHERE id IN (SELECT report FROM records);
    DROP INDEX records_migrated;
    CREATE TABLE source_totals (
        outcome INTEGER NOT NULL,
        source_ip TEXT NOT NULL,
        day INTEGER NOT NULL,
        end_ts INTEGER NOT NULL,
        messages INTEGER NOT NULL,
        records INTEGER NOT NULL,
        PRIMARY KEY (outcome, source_ip, day, end_ts)
    ) WITHOUT ROWID;
    ALTER TABLE reports ADD COLUMN folded INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX reports_unfolded ON reports (id) WHERE folded = 0;
    INSERT INTO source_totals (outcome, source_ip, day, end_ts, messages, records)
        SELECT r.outcome, r.source_ip, r.day, p.end_ts, sum(r.count), count(*)
        FROM records r JOIN reports p ON p.id = r.report WHERE p.share = 1.0
        GROUP BY r.outcome, r.source_ip, r.day, p.end_ts;
    UPDATE reports SET folded = 1 WHERE share = 1.0;
    """,
    # 4: no `reports_domain` index. No reader's plan used it (EXPLAIN QUERY PLAN: the
    # readers filter on `end_ts` and `domain = ? OR domain LIKE ?`, which scan `reports`
    # whether it exists or not; the import's neighbour queries take `reports_range` and
    # the unique (org_name, report_id) index), and every new report paid its upkeep.
    """
    DROP INDEX IF EXISTS reports_domain;
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)

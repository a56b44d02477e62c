"""Reading scan results: shards merged by domain, newest report kept, bad input counted."""

from __future__ import annotations

import json
from pathlib import Path

from tests.unit.stats.reports import jsonl, report

from mailauth.stats.reader import MAX_NAMED, read_scan
from mailauth.stats.run import build_stats


def _write(path: Path, text: str) -> str:
    path.write_text(text)
    return str(path)


def test_newest_checked_at_wins_whatever_the_order(tmp_path: Path) -> None:
    old = report("a.example", policy="none", checked_at="2026-01-01T00:00:00Z")
    new = report("a.example", policy="reject", checked_at="2026-06-01T00:00:00Z")
    for docs in ((old, new), (new, old)):
        scan = read_scan([_write(tmp_path / "s.jsonl", jsonl(*docs))])
        assert scan.domains["a.example"].dmarc_policy == "reject"
        assert scan.reports_read == 2 and scan.duplicates == 1


def test_without_checked_at_the_later_line_and_file_win(tmp_path: Path) -> None:
    first = _write(tmp_path / "1.jsonl", jsonl(report("a.example", policy="none")))
    second = _write(
        tmp_path / "2.jsonl",
        jsonl(report("a.example", policy="quarantine"), report("a.example", policy="reject")),
    )
    assert read_scan([first, second]).domains["a.example"].dmarc_policy == "reject"
    assert read_scan([second, first]).domains["a.example"].dmarc_policy == "none"


def test_shards_as_files_or_concatenated_give_the_same_statistics(tmp_path: Path) -> None:
    docs = [
        report(f"d{i}.example", policy=("none", "reject", None)[i % 3], dkim=i % 2 == 0,
               findings=(f"x.f{i % 4}",), checked_at=f"2026-01-0{1 + i % 3}T00:00:00Z")
        for i in range(30)
    ]  # fmt: skip
    docs.append(report("d3.example", policy="quarantine", checked_at="2025-01-01T00:00:00Z"))
    shards = [docs[k::3] for k in range(3)]
    paths = [_write(tmp_path / f"shard{k}.jsonl", jsonl(*s)) for k, s in enumerate(shards)]
    together = _write(tmp_path / "all.jsonl", "".join(jsonl(*s) for s in reversed(shards)))

    def figures(paths: list[str]) -> object:
        from mailauth.render.stats_json import stats_json

        out = stats_json(build_stats(read_scan(paths), "tld"), "en")
        return {k: v for k, v in out.items() if k not in ("sources",)}

    assert figures(paths) == figures([together])
    assert figures(paths)["domains"] == 30  # type: ignore[index]


def test_malformed_lines_are_counted_and_named(tmp_path: Path) -> None:
    lines = [json.dumps(report("ok.example")), "{not json", "[1, 2]", '{"no": "domain"}', ""]
    lines += ["\xff garbage"] * (MAX_NAMED + 2)
    path = tmp_path / "bad.jsonl"
    path.write_bytes("\n".join(lines).encode("utf-8") + b"\n\xff\xfe\n")
    scan = read_scan([str(path)])
    assert list(scan.domains) == ["ok.example"]
    assert scan.malformed == 3 + MAX_NAMED + 2 + 1
    assert len(scan.bad_lines) == MAX_NAMED
    first = scan.bad_lines[0]
    assert (first.line, first.reason.key) == (2, "stats.bad.not-json")
    assert [b.reason.key for b in scan.bad_lines[1:3]] == [
        "stats.bad.not-object",
        "stats.bad.no-domain",
    ]


def test_an_unreadable_file_is_named_and_the_rest_is_read(tmp_path: Path) -> None:
    good = _write(tmp_path / "good.jsonl", jsonl(report("a.example")))
    scan = read_scan([str(tmp_path / "missing.jsonl"), good, str(tmp_path)])
    assert list(scan.domains) == ["a.example"]
    assert [(Path(u.path).name, u.reason.key) for u in scan.unreadable] == [
        ("missing.jsonl", "error.os.enoent"),
        (tmp_path.name, "error.os.eisdir"),
    ]


def test_compare_gives_points_and_orders_scans_by_date(tmp_path: Path) -> None:
    def scan(name: str, when: str, rejecting: int) -> object:
        docs = [
            report(f"d{i}.example", policy="reject" if i < rejecting else "none", checked_at=when)
            for i in range(10)
        ]
        return read_scan([_write(tmp_path / name, jsonl(*docs))])

    now = scan("now.jsonl", "2026-12-01T00:00:00Z", 7)
    older = scan("older.jsonl", "2025-12-01T00:00:00Z", 2)
    old = scan("old.jsonl", "2026-06-01T00:00:00Z", 4)
    s = build_stats(now, earlier=[old, older])  # type: ignore[list-item, arg-type]
    assert [Path(p.label).name for p in s.timeline] == ["older.jsonl", "old.jsonl", "now.jsonl"]
    assert s.changes()["dmarc_policy:reject"] == (40.0, 70.0, 30.0)
    assert s.changes()["dmarc_policy:none"] == (60.0, 30.0, -30.0)

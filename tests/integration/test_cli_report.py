"""`mailauth report` end to end, in-process: a generated month of reports for a synthetic
domain through every format (JSON validated against the shipped schema), --db
accumulation and --since, -o files, PTR lookups offline (--zone) and against knotd on
loopback (--nameserver), and the errors a user can cause."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from tests.support import dmarc_gen as gen
from tests.support.knot import KnotServer

from mailauth.cli.main import main
from mailauth.schema import DMARC_REPORT, load_schema

REPO = Path(__file__).resolve().parents[2]
ZONES = REPO / "tests" / "data" / "zones" / "report"


def run(*args: object, stdin: bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["report", *map(str, args)], input=stdin)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def month(tmp_path: Path) -> list[Path]:
    out = []
    for name, data in gen.month(gen.DOMAIN, gen.FAILING_DOMAIN, days=30):
        path = tmp_path / name
        path.write_bytes(data)
        out.append(path)
    return out


def _by_ip(doc: dict[str, object]) -> dict[str, dict[str, object]]:
    (domain,) = doc["domains"]  # type: ignore[misc]
    return {s["ip"]: s for s in domain["sources"]}


def test_json_names_and_schema(month: list[Path]) -> None:
    code, out, err = run("--zone", ZONES, "--format", "json", *month)
    assert code == 0, err
    doc = json.loads(out)
    jsonschema.validate(doc, load_schema(DMARC_REPORT))
    assert (doc["reports_read"], doc["records"], doc["unreadable"]) == (90, 90 * 7, [])
    (domain,) = doc["domains"]
    assert {
        "domain",
        "messages",
        "dmarc_pass_messages",
        "policy_published",
        "sources",
        "verdict",
    } <= set(domain)
    assert (
        domain["verdict"]["quarantine_safe"] is False and domain["verdict"]["reject_safe"] is False
    )
    assert domain["verdict"]["next_record"] == "v=DMARC1; p=none"
    by_ip = _by_ip(doc)
    for sender in gen.FAILING_DOMAIN:
        source = by_ip[sender.ip]
        assert source["class"] == sender.expected_class
        assert source["fix_id"] == sender.expected_fix
        assert set(source) >= {
            "ip", "ptr", "org_domain", "service", "messages", "spf_aligned_messages",
            "dkim_aligned_messages", "class", "fix",
        }  # fmt: skip
    assert by_ip["198.18.40.11"]["service"] == "SendGrid"
    assert (
        by_ip["198.18.40.11"]["fix"]
        == "Add include:sendgrid.net to the SPF record of shop.report.test"
    )
    assert by_ip["198.18.40.10"]["ptr"] == "a8-30.smtp-out.amazonses.com"


def test_ptr_lookups_against_knot(month: list[Path], knot_server: KnotServer) -> None:
    code, out, _ = run("--nameserver", knot_server.nameserver, "--format", "json", *month[:3])
    assert code == 0
    by_ip = _by_ip(json.loads(out))
    assert by_ip["198.18.40.40"]["ptr"] == "mx1.shop.report.test"
    assert by_ip["198.18.40.40"]["org_domain"] == "report.test"
    assert by_ip["198.18.40.11"]["service"] == "SendGrid"
    assert by_ip["198.18.40.30"]["ptr"] is None


def test_text_starts_with_the_verdict_and_three_actions(month: list[Path]) -> None:
    code, out, _ = run("--zone", ZONES, *month)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("DMARC reports: 90 read (630 records)")
    assert lines[2].startswith("shop.report.test (15030 messages")
    assert lines[3] == "Safe to move to p=quarantine: no"
    assert lines[4] == "Safe to move to p=reject: no"
    assert any("would quarantine about 180 messages/day" in line for line in lines[5:9])
    start = lines.index("Most important actions")
    numbered = [line[:5] for line in lines[start + 1 :] if line[:5] in ("  1. ", "  2. ", "  3. ")]
    assert numbered == ["  1. ", "  2. ", "  3. "]
    assert "Set up DKIM signing with your domain (shop.report.test) at Amazon SES" in out
    assert "Daily volume and pass rate" in out and "█" in out


def test_csv_one_row_per_source_per_day(month: list[Path]) -> None:
    _, out, _ = run("--no-resolve", "--format", "csv", *month)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 30 * len(gen.FAILING_DOMAIN)
    first = rows[0]
    assert {
        "source_ip_address", "source_reverse_dns", "source_base_domain", "count",
        "spf_aligned", "dkim_aligned", "dmarc_aligned", "class", "fix",
    } <= set(first)  # fmt: skip
    own = [r for r in rows if r["source_ip_address"] == gen.OWN_MTA.ip]
    assert {r["count"] for r in own} == {str(gen.OWN_MTA.per_day)}
    assert {r["dmarc_aligned"] for r in own} == {str(gen.OWN_MTA.per_day)}


def test_markdown_and_several_outputs(month: list[Path], tmp_path: Path) -> None:
    md, html = tmp_path / "r.md", tmp_path / "r.html"
    code, out, _ = run(
        "--no-resolve", "--format", "markdown", "-o", md, "--format", "html", "-o", html, *month
    )
    assert code == 0 and out == ""
    text = md.read_text()
    assert text.startswith("# DMARC reports: 90 read")
    assert "| IP | PTR / service | messages |" in text and "`v=DMARC1; p=none`" in text
    page = html.read_text()
    assert page.startswith("<!DOCTYPE html>") and page.count("<svg") == 3
    assert "http://" not in page.replace("http-equiv", "") and "https://" not in page
    assert "<script" not in page


def test_db_accumulates_and_since_judges_from_the_store(month: list[Path], tmp_path: Path) -> None:
    db = tmp_path / "dmarc.sqlite"
    code, out, _ = run("--no-resolve", "--db", db, "--format", "json", *month[:45])
    assert json.loads(out)["reports_read"] == 45
    code, out, _ = run("--no-resolve", "--db", db, "--format", "json", *month)
    doc = json.loads(out)
    assert (doc["reports_read"], doc["duplicates"]) == (45, 45)
    assert doc["domains"][0]["messages"] == 30 * sum(s.per_day for s in gen.FAILING_DOMAIN)
    code, out, _ = run("--no-resolve", "--db", db, "--since", "2026-01-21", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["reports_read"] == 0 and doc["domains"][0]["evidence"]["days"] == 10
    code, _, err = run("--db", db, "--since", "yesterday-ish")
    assert code == 2 and "--since" in err


def test_usage_and_store_errors(tmp_path: Path) -> None:
    code, _, err = run()
    assert code == 2 and "--db FILE" in err
    notes = tmp_path / "notes.txt"
    notes.write_text("hello " * 1000)
    code, _, err = run("--db", notes, "--no-resolve")
    assert code == 2
    assert err.strip().splitlines() == [
        f"mailauth: error: cannot use {notes} as a report store: not an SQLite database"
    ]
    code, _, err = run("--db", notes, "--no-resolve", "--lang", "ja")
    assert code == 2 and "SQLite データベースではありません" in err and "file is not" not in err
    code, _, err = run("--db", tmp_path / "no-such-dir" / "r.sqlite", "--no-resolve")
    assert code == 2 and "SQLite cannot open it" in err
    assert notes.read_text() == "hello " * 1000
    xml = tmp_path / "r.xml"
    xml.write_bytes(gen.aggregate_xml("g", "1", gen.DOMAIN, gen.START, [(gen.OWN_MTA, 1)]))
    code, _, err = run("--no-resolve", "-o", xml, xml)
    assert code == 2 and "r.xml" in err


def test_stdin(tmp_path: Path) -> None:
    data = gen.aggregate_xml("g", "1", gen.DOMAIN, gen.START, [(gen.OWN_MTA, 3)])
    code, out, _ = run("--no-resolve", "--format", "json", "-", stdin=data)
    assert code == 0 and json.loads(out)["records"] == 1

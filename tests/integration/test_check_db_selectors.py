"""`mailauth check DOMAIN --db dmarc.sqlite` also checks every DKIM selector that signed the
domain's mail in the stored reports (issue 12): a selector the reports saw that has no key
in DNS is a finding, as if the user had named it with --selector."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from tests.support import dmarc_gen as gen

from mailauth.cli.main import main

REPO = Path(__file__).resolve().parents[2]


def test_selectors_from_the_store_are_checked(tmp_path: Path) -> None:
    db = tmp_path / "dmarc.sqlite"
    signer = gen.Sender(
        "198.18.40.40", 5, "example.jp", "pass", (("example.jp", "rpt2026", "pass"),), "aligned"
    )
    other = gen.Sender(
        "198.18.40.41", 5, "other.example", "pass", (("other.example", "zz9", "pass"),), "aligned"
    )
    report = tmp_path / "r.xml"
    report.write_bytes(gen.aggregate_xml("google.com", "1", "example.jp", gen.START, [(signer, 5)]))
    report2 = tmp_path / "r2.xml"
    report2.write_bytes(
        gen.aggregate_xml("google.com", "2", "other.example", gen.START, [(other, 5)])
    )
    runner = CliRunner()
    done = runner.invoke(
        main, ["report", "--no-resolve", "--db", str(db), str(report), str(report2)]
    )
    assert done.exit_code == 0, done.output
    zones = str(REPO / "samples" / "zones")
    plain = runner.invoke(main, ["check", "example.jp", "--zone", zones, "--format", "json"])
    with_db = runner.invoke(
        main, ["check", "example.jp", "--zone", zones, "--db", str(db), "--format", "json"]
    )
    tried_plain = json.loads(plain.stdout)["dkim"]["tried"]
    dkim = json.loads(with_db.stdout)["dkim"]
    assert "rpt2026" not in tried_plain
    assert dkim["tried"][0] == "rpt2026"  # checked first, like a named selector
    assert "zz9" not in dkim["tried"]  # another domain's selector is not tried here
    assert "rpt2026" in json.dumps(dkim["selectors"]) or "rpt2026" in with_db.stdout


def test_check_db_refuses_a_non_store(tmp_path: Path) -> None:
    bad = tmp_path / "x.sqlite"
    bad.write_text("no")
    done = CliRunner().invoke(
        main, ["check", "example.jp", "--zone", str(REPO / "samples" / "zones"), "--db", str(bad)]
    )
    assert done.exit_code == 2 and "cannot use" in done.stderr

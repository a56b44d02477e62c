"""The rich text report: order of sections, plain vs colour, hostile text, copyable records."""

from __future__ import annotations

import io
import re

from render_fakes import (
    LONG_RECORD,
    SPF_RECORD,
    build,
    catalogued,
    fake,
    mx_host,
    mx_report,
    output,
    returning,
    spf_zone,
)

from mailauth.domain.runner import DomainReport
from mailauth.domain.spf import SpfReport
from mailauth.findings import CATALOGUE
from mailauth.i18n import label
from mailauth.model import Finding, Status
from mailauth.render.environment import Environment
from mailauth.render.text import render_domains

ANSI = re.compile(r"\x1b\[")


def test_score_then_summary_then_sections(
    sample_report: DomainReport, plain_env: Environment
) -> None:
    render_domains([sample_report], plain_env)
    text = output(plain_env)
    lines = text.splitlines()
    assert lines[0] == label("report.heading", domain="example.jp")
    assert lines[1].startswith("Score ")
    positions = [
        text.index(label("summary.heading")),
        text.index("SPF  WARN"),
        text.index("DMARC  PASS"),
        text.index("DKIM  PASS"),
        text.index("MX  PASS"),
        text.index(label("section.deductions")),
    ]
    assert positions == sorted(positions)


def test_plain_output_has_no_escape_codes_or_trailing_blanks(
    sample_report: DomainReport, plain_env: Environment
) -> None:
    render_domains([sample_report], plain_env)
    text = output(plain_env)
    assert not ANSI.search(text)
    assert not any(line != line.rstrip() for line in text.splitlines())


def test_colour_output_uses_ansi(sample_report: DomainReport, color_env: Environment) -> None:
    render_domains([sample_report], color_env)
    assert ANSI.search(output(color_env))


def test_records_and_fix_records_are_never_broken_across_lines(
    sample_report: DomainReport, plain_env: Environment
) -> None:
    render_domains([sample_report], plain_env)
    lines = [line.strip() for line in output(plain_env).splitlines()]
    assert LONG_RECORD in lines  # the whole record on one line: copy-paste gives it exactly
    assert any(line.endswith(SPF_RECORD) for line in lines)


def test_parsed_views_show_the_key_facts(
    sample_report: DomainReport, plain_env: Environment
) -> None:
    render_domains([sample_report], plain_env)
    text = output(plain_env)
    assert "DNS lookups: 1 (limit 10)" in text
    assert "include:_spf.esp.example" in text
    assert "Policy: reject" in text
    assert "2048" in text  # DKIM key bits in the selectors table
    assert "mx1.example.jp" in text


def test_findings_show_detail_consequence_fix_and_id(
    sample_report: DomainReport, plain_env: Environment
) -> None:
    render_domains([sample_report], plain_env)
    text = output(plain_env)
    for key in ("finding.detail", "finding.consequence", "finding.fix", "finding.fix-record"):
        assert label(key) in text
    assert "[core.internal-error]" in text


def test_summary_lists_worst_reasons_first(plain_env: Environment) -> None:
    report = build(
        spf=fake("spf", Status.FAIL, catalogued("spf.missing")),
        dkim=fake("dkim", Status.FAIL, catalogued("dkim.key-too-short")),
        mx=fake("mx", Status.WARN, catalogued("mx.no-ptr")),
    )
    render_domains([report], plain_env)
    text = output(plain_env)
    summary = text[text.index(label("summary.heading")) : text.index("SPF  FAIL")]
    assert summary.index("1. CRITICAL") < summary.index("2. HIGH") < summary.index("3. LOW")


def test_summary_says_so_when_nothing_is_wrong(plain_env: Environment) -> None:
    report = build(records=spf_zone("v=spf1 -all"), spf=fake("spf", Status.PASS))
    render_domains([report], plain_env)
    assert label("summary.none") in output(plain_env)


def test_hostile_record_cannot_inject_escape_codes_or_lines(plain_env: Environment) -> None:
    hostile = "v=spf1 \x1b[2J\x1b[31mred\nSPF  PASS\u202e -all"
    report = build(records=spf_zone(hostile), spf=fake("spf", Status.WARN))
    render_domains([report], plain_env)
    text = output(plain_env)
    assert "\x1b" not in text
    assert "\u202e" not in text
    assert "\\x1b[2J" in text
    # The forged section heading stayed inside the record line.
    assert "\\x0aSPF  PASS" in text
    assert not any(line.startswith("SPF  PASS") for line in text.splitlines())


def test_idn_heading_shows_both_spellings(plain_env: Environment) -> None:
    report = build("日本語.jp", spf=fake("spf", Status.PASS))
    render_domains([report], plain_env)
    assert output(plain_env).splitlines()[0] == "mailauth check: 日本語.jp (xn--wgv71a119e.jp)"


def test_incomplete_report_is_flagged(plain_env: Environment) -> None:
    async def boom(*_: object) -> None:
        raise RuntimeError("kaput")

    report = build(spf=boom, dmarc=fake("dmarc", Status.PASS))  # type: ignore[arg-type]
    render_domains([report], plain_env)
    assert "Incomplete: SPF could not be checked" in output(plain_env)


def test_report_with_no_completed_check_has_no_score(plain_env: Environment) -> None:
    async def boom(*_: object) -> None:
        raise RuntimeError("kaput")

    report = build(spf=boom)  # type: ignore[arg-type]
    render_domains([report], plain_env)
    text = output(plain_env)
    assert "No score: no check could be completed" in text
    assert "Score 100/100" not in text and "Incomplete:" not in text


def test_a_view_shows_a_report_without_its_tree(plain_env: Environment) -> None:
    """A report built without the expanded tree (a library user's, or a future check path)
    still shows its record: the view reads only what the typed report has."""
    report = build(spf=returning(SpfReport(status=Status.WARN, record="v=spf1")))
    render_domains([report], plain_env)
    assert "v=spf1" in output(plain_env)


def test_several_domains_are_separate_reports(plain_env: Environment) -> None:
    one = build("a.example", spf=fake("spf", Status.PASS))
    two = build("b.example", spf=fake("spf", Status.PASS))
    render_domains([one, two], plain_env)
    text = output(plain_env)
    assert "mailauth check: a.example" in text
    assert "mailauth check: b.example" in text


def narrow_env(width: int) -> Environment:
    return Environment(io.StringIO(), io.StringIO(), colors=False, width=width)


def test_summary_ties_in_severity_go_by_what_the_score_holds_against_them(
    plain_env: Environment,
) -> None:
    report = build(
        dmarc=fake("dmarc", Status.FAIL, catalogued("dmarc.no-policy")),  # high, 15 points
        dkim=fake("dkim", Status.FAIL, catalogued("dkim.selector-not-found")),  # high, 30
    )
    render_domains([report], plain_env)
    text = output(plain_env)
    assert text.index("1. HIGH  DKIM: ") < text.index("2. HIGH  DMARC: ")


def test_summary_shows_one_line_per_reason(plain_env: Environment) -> None:
    same = catalogued("mx.no-ptr")
    report = build(mx=fake("mx", Status.WARN, same, same, same))
    render_domains([report], plain_env)
    summary = output(plain_env).split("MX  WARN")[0]
    assert summary.count("MX: ") == 1


def test_wide_tables_become_field_blocks_instead_of_breaking_names() -> None:
    env = narrow_env(60)
    host = mx_host(
        "mail-gateway-primary.example.jp",
        "2001:db8:1234:5678::25",
        ptr="mx.provider.example",
        cname="outbound-cluster-7.provider.example",
    )
    render_domains([build(mx=returning(mx_report(host)))], env)
    lines = [line.strip() for line in output(env).splitlines()]
    assert "- Preference: 10" in lines
    for value in ("mail-gateway-primary.example.jp", "outbound-cluster-7.provider.example"):
        assert any(line.endswith(" " + value) for line in lines), value
    assert any(line.endswith(" 2001:db8:1234:5678::25") for line in lines)


def test_a_table_that_fits_stays_a_table(plain_env: Environment) -> None:
    host = mx_host("mx1.example.jp", "192.0.2.25")
    render_domains([build(mx=returning(mx_report(host)))], plain_env)
    assert re.search(r"^ +10 +mx1\.example\.jp +192\.0\.2\.25$", output(plain_env), re.M)


def test_a_record_quoted_in_a_finding_is_not_split_across_lines() -> None:
    record = "v=spf1 ip4:192.0.2.0/24 include:_spf.provider.example a mx ?all"
    finding = Finding(
        "spf.neutral-all",
        CATALOGUE["spf.neutral-all"].severity,
        {"name": "a-rather-long-domain-name.example.jp", "record": record},
    )
    for width in (80, 100, 120):  # wide enough for the record after the indent
        env = narrow_env(width)
        report = build(records=spf_zone(record), spf=fake("spf", Status.WARN, finding))
        render_domains([report], env)
        detail = output(env).split(label("finding.detail") + ":")[1]
        assert record in detail.split(label("finding.consequence"))[0], width


def test_long_deduction_reasons_wrap_in_their_column() -> None:
    env = narrow_env(60)
    report = build(spf=fake("spf", Status.FAIL, catalogued("spf.too-many-lookups")))
    render_domains([report], env)
    tail = output(env).split(label("section.deductions"))[1].splitlines()[1:]
    assert tail[0].startswith("  -35  spf.too-many-lookups  SPF permerror")
    column = tail[0].index("SPF permerror")
    assert len(tail) > 1 and all(line.startswith(" " * column) for line in tail[1:])


def test_finding_headings_wrap_under_the_title_not_the_severity() -> None:
    env = narrow_env(50)
    report = build(spf=fake("spf", Status.FAIL, catalogued("spf.include-no-spf")))
    render_domains([report], env)
    lines = output(env).splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("    HIGH  Included"))
    assert lines[first + 1].startswith(" " * len("    HIGH  "))


def test_spf_counts_are_lower_bounds_when_a_lookup_failed() -> None:
    """A failed include leaves its lookups uncounted: the text must not claim an exact count."""
    from pathlib import Path

    from click.testing import CliRunner

    from mailauth.cli.main import main

    zones = Path(__file__).resolve().parents[2] / "data" / "zones" / "spf"
    result = CliRunner().invoke(
        main,
        ["check", "include-lookup-failed.spf.test", "--zone", str(zones)],
        env={"NO_COLOR": "1"},
    )
    assert "DNS lookups: at least 1 (limit 10; some lookups failed)" in result.output

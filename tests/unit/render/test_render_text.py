"""The rich text report: order of sections, plain vs colour, hostile text, copyable records."""

from __future__ import annotations

import re

from render_fakes import LONG_RECORD, SPF_RECORD, build, catalogued, fake, output

from mailauth.domain.runner import DomainReport
from mailauth.i18n import label
from mailauth.model import Status
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
        spf=fake("spf", Status.FAIL, {"record": None}, catalogued("spf.missing")),
        dkim=fake("dkim", Status.FAIL, {}, catalogued("dkim.key-too-short")),
        mx=fake("mx", Status.WARN, {}, catalogued("mx.no-ptr")),
    )
    render_domains([report], plain_env)
    text = output(plain_env)
    summary = text[text.index(label("summary.heading")) : text.index("SPF  FAIL")]
    assert summary.index("1. CRITICAL") < summary.index("2. HIGH") < summary.index("3. LOW")


def test_summary_says_so_when_nothing_is_wrong(plain_env: Environment) -> None:
    report = build(spf=fake("spf", Status.PASS, {"record": "v=spf1 -all"}))
    render_domains([report], plain_env)
    assert label("summary.none") in output(plain_env)


def test_hostile_record_cannot_inject_escape_codes_or_lines(plain_env: Environment) -> None:
    hostile = "v=spf1 \x1b[2J\x1b[31mred\nSPF  PASS\u202e -all"
    report = build(spf=fake("spf", Status.WARN, {"record": hostile}))
    render_domains([report], plain_env)
    text = output(plain_env)
    assert "\x1b" not in text
    assert "\u202e" not in text
    assert "\\x1b[2J" in text
    # The forged section heading stayed inside the record line.
    assert "\\x0aSPF  PASS" in text
    assert not any(line.startswith("SPF  PASS") for line in text.splitlines())


def test_idn_heading_shows_both_spellings(plain_env: Environment) -> None:
    report = build("日本語.jp", spf=fake("spf", Status.PASS, {}))
    render_domains([report], plain_env)
    assert output(plain_env).splitlines()[0] == "mailauth check: 日本語.jp (xn--wgv71a119e.jp)"


def test_incomplete_report_is_flagged(plain_env: Environment) -> None:
    async def boom(*_: object) -> None:
        raise RuntimeError("kaput")

    report = build(spf=boom)  # type: ignore[arg-type]
    render_domains([report], plain_env)
    assert "Incomplete: SPF could not be checked" in output(plain_env)


def test_unknown_check_gets_the_generic_view(plain_env: Environment) -> None:
    report = build(dnssec=fake("dnssec", Status.PASS, {"signed": True, "algorithm": "ECDSAP256"}))
    render_domains([report], plain_env)
    text = output(plain_env)
    assert "dnssec  PASS" in text
    assert "algorithm: ECDSAP256" in text


def test_a_view_never_crashes_on_unexpected_data(plain_env: Environment) -> None:
    report = build(spf=fake("spf", Status.WARN, {"record": "v=spf1", "includes": "not-a-list"}))
    render_domains([report], plain_env)
    assert "v=spf1" in output(plain_env)


def test_several_domains_are_separate_reports(plain_env: Environment) -> None:
    one = build("a.example", spf=fake("spf", Status.PASS, {}))
    two = build("b.example", spf=fake("spf", Status.PASS, {}))
    render_domains([one, two], plain_env)
    text = output(plain_env)
    assert "mailauth check: a.example" in text
    assert "mailauth check: b.example" in text

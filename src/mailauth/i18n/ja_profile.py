"""Japanese text of the survey profile, `mailauth check --checks` (issue 10).

Follows docs/glossary-ja.md and the rules of ja.py: です/ます調 sentences; option names, check
names and JSON values (skipped) stay as written.
"""

from __future__ import annotations

UI: dict[str, str] = {
    "status.skipped": "省略",
    "cli.option.checks": (
        "指定したチェックだけを実行します（カンマ区切り。例: 高速な調査には spf,dmarc,mx）。"
        "all はすべてのチェックを実行します。それ以外のチェックは省略として報告され（JSON の "
        'status は "skipped"）、指摘はなく、スコアは上限値（評価は暫定）になります。'
    ),
    "error.checks.unknown": "不明なチェック: {unknown}。指定できるもの: {valid}",
    "report.skipped": (
        "実行していません（--checks で除外）: {checks}。スコアは実行したチェックだけを"
        "対象にしているため上限値で、評価は暫定です。"
    ),
    "section.skipped": "実行していません（--checks で除外）。",
    "config.expected.check-list": (
        "チェック名のリスト: all、spf、dmarc、dkim、bimi、mx、mta_sts、tls_rpt、dnssec、"
        "dane、smtp、ns"
    ),
}

FINDINGS: dict[str, tuple[str, str, str, str]] = {}

"""Japanese text of the keys of the `ciopts` work (issue 13): the policy options of `verify`
(`--ignore` by From domain) and what changed since `--baseline` in the SARIF, GitHub and JUnit
formats, in the words of docs/glossary-ja.md and of `ja_tls_ci.py` (検出事項, ベースライン).
"""

from __future__ import annotations

UI: dict[str, str] = {
    "cli.option.ignore-from": (
        "この検出事項 ID を、すべてのメールで、または From が 1 つのドメインのメールについて"
        "（ID@DOMAIN）除外します。一覧に出さず、採点もしません。複数指定可。指定すると設定"
        "ファイルの ignore の一覧を置き換えます。"
    ),
    "sarif.absent": "{target}: {title}（ベースラインから解消済み）。",
    "github.title-new": "{target}: {title} ({id}、ベースラインからの新規)",
    "junit.baseline": "ベースラインからの新しい検出事項 {count} 件: {ids}",
}

FINDINGS: dict[str, tuple[str, str, str, str]] = {}

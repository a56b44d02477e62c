"""Japanese text of the bulk-scan keys (issue 13: --shard, --resume, --qps, the manifest).

In the style of `ja.py` (です/ます調; option names, file formats and K/N stay as written).
"""

from __future__ import annotations

UI: dict[str, str] = {
    "cli.option.shard": (
        "ドメインを N 個に分けたうちの K 番目（1/3、2/3、3/3）だけをチェックします。"
        "分け方は各ドメインの安定したハッシュで決まるので、同じコマンドの N 個のジョブで"
        "調査を分担できます。"
    ),
    "cli.option.resume": (
        "中断したスキャンを続けます。-o FILE（jsonl または csv）にすでにあるドメインを飛ばし、"
        "残りを追記します。途中で切れた最後の行は取り除き、そのドメインはもう一度チェックします。"
    ),
    "cli.option.qps": (
        "DNS の問い合わせを 1 秒あたり N 件までにします（共用のリゾルバーへの配慮）。"
        "キャッシュから答えた分は数えません。同時にチェックするドメインの数もそれに合わせて"
        "減ります。"
    ),
    "error.shard.syntax": "'{value}' は K/N の形ではありません（例: 2/3 は 3 つに分けた 2 番目）",
    "error.shard.range": "'{value}': N は 1 以上、K は 1 から N まででなければなりません",
    "error.resume.no-output": (
        "--resume はスキャンの出力ファイルを続けるものです。--format jsonl -o FILE"
        "（または csv）を指定してください"
    ),
    "error.resume.format": (
        "--resume には出力が 1 つだけ、--format jsonl か csv で -o のファイルに書くものが"
        "必要です（他の形式は 1 行 1 レポートではないため続けられません）"
    ),
    "error.resume.file": "{path} から再開できません: {reason}",
    "error.resume.unreadable": "{path} の {line} 行目から再開できません: {reason}",
    "error.resume.not-a-file": "通常のファイルではありません",
    "error.resume.not-a-report": (
        "この行は mailauth check のレポートではありません（スキャンが書いたファイルではないか、"
        "編集されています）。ファイルは変更していません"
    ),
    "error.resume.csv-header": (
        "ヘッダがこのバージョンの CSV の列と一致しません。スキャンを始めたバージョンの "
        "mailauth で再開するか、新しいファイルで始めてください"
    ),
    "error.resume.shard": (
        "{path} によるとこのスキャンはシャード {old} で、{new} ではありません。同じ --shard "
        "で再開してください（最初からやり直す場合はマニフェストを削除してください）"
    ),
    "error.resume.checks": (
        "{path} によるとこのスキャンは --checks {old} で実行されており、{new} ではありません。"
        "同じ --checks で再開してください（最初からやり直す場合はマニフェストを削除してください）"
    ),
    "error.manifest": "スキャンのマニフェスト {path} を書き込めません: {reason}",
    "error.scan-interrupted": (
        "中断しました: {total} ドメインのうち {done} ドメインのレポートが {path} にあります。"
        "残りをチェックするには、同じコマンドに --resume を付けて実行してください"
    ),
}

FINDINGS: dict[str, tuple[str, str, str, str]] = {}

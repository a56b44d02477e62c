"""Japanese text of `mailauth stats` (issue 13: adoption statistics over scan results) and of
the name server check (`ns`) it groups by.

Follows docs/glossary-ja.md and the rules of ja.py: です/ます調 sentences, noun-phrase headings;
record syntax, tag names, policy values (none, quarantine, reject), option names and
protocol names (SPF, DMARC, DKIM, BIMI, MTA-STS, TLS-RPT) stay as written. 導入率 is the word
the Japanese adoption surveys use for "share of domains that publish".
"""

from __future__ import annotations

UI: dict[str, str] = {
    "cli.stats.short-help": "check --domains-file の JSONL 結果から導入率の統計を集計します。",
    "cli.stats.help": (
        "調査の結果から SPF、DMARC、DKIM、BIMI、MTA-STS、TLS-RPT の導入率を集計します。"
        "RESULTS には `mailauth check --domains-file FILE --format jsonl -o out.jsonl` が書いた "
        "JSONL ファイルを指定します（- は標準入力）。シャードは統合され、二度報告されたドメインは"
        "最新のレポートで一度だけ数えます。--group-by でグループ別に集計し、--compare で以前の"
        "スキャンと比較し、--format html -o stats.html でグラフ付きの HTML ページを書き出します。"
    ),
    "cli.stats.epilog": (
        "終了ステータス: 0 統計を出力した、2 レポートを一つも読めなかった（または使い方の誤り）。"
        "不正な行と読めないファイルは標準エラーに示し、集計から除きます。"
    ),
    "cli.option.stats-group-by": (
        "グループ別にも集計します: tld、jp-type（co.jp、go.jp、lg.jp など、汎用、都道府県型）、"
        "ns-operator、mx-operator（ネームサーバー / MX ホストの登録ドメイン）、または "
        "--domains-csv ファイルの列（例: sector）。"
    ),
    "cli.option.stats-domains-csv": (
        "調査のドメイン CSV（domain 列を含むヘッダ付き）。--group-by COLUMN でその列ごとに"
        "集計します。"
    ),
    "cli.option.stats-compare": (
        "以前のスキャンの JSONL 結果（複数指定可）。最も新しいものからの変化と、指定した全"
        "スキャンの導入率の推移を示します。"
    ),
    "error.stats.nothing-read": "{count} 個のファイルからチェック結果を一つも読み込めませんでした",
    "error.stats.nothing-to-compare": (
        "--compare {path}: このファイルからチェック結果を一つも読み込めませんでした"
    ),
    "error.stats.csv-unreadable": "ドメイン CSV {path} を読み込めません: {reason}",
    "error.stats.csv-no-domain": "ドメイン CSV {path} のヘッダに domain 列がありません",
    "error.stats.csv-no-column": (
        "ドメイン CSV {path} に列 {column} がありません（列: {columns}）"
    ),
    "error.stats.group-by-needs-csv": (
        "--group-by {column}: tld、jp-type、ns-operator、mx-operator のいずれでもありません。"
        "ドメイン CSV の列で集計するには --domains-csv FILE で CSV を指定してください"
    ),
    "check.ns": "ネームサーバー",
    "field.ns_hosts": "ネームサーバー",
    "stats.warning.line": "mailauth: 警告: {message}",
    "stats.warning.malformed": "{path}:{line}: 行を読み飛ばしました（{reason}）",
    "stats.warning.malformed-more": "ほかに {count} 行の不正な行を読み飛ばしました",
    "stats.warning.unreadable": "{path} を読み込めません: {reason}。集計から除きます",
    "stats.bad.not-json": "JSON ではありません",
    "stats.bad.not-utf8": "UTF-8 のテキストではありません",
    "stats.bad.not-object": "JSON オブジェクトではありません",
    "stats.bad.no-domain": "domain がありません（mailauth check の結果ではありません）",
    "stats.title": "送信ドメイン認証の導入状況",
    "stats.summary": (
        "{domains} ドメイン（{reports} 件のレポートを読み込み、重複 {duplicates} 件を統合、"
        "不正な行 {malformed} 行を除外）"
    ),
    "stats.checked": "チェック日時: {start} 〜 {end}",
    "stats.sources": "入力: {sources}",
    "stats.nonexistent": (
        "うち {count} ドメインは DNS に存在しません（何も公開していないものとして数えます）。"
    ),
    "stats.adoption": "導入率",
    "stats.dmarc-policies": "DMARC ポリシー",
    "stats.spf-all": "SPF の all の限定子",
    "stats.grades": "評価の分布",
    "stats.mean-score": "平均スコア: {score}（スコアのある {count} ドメイン）",
    "stats.mean-score-none": "平均スコア: なし（スコアのあるドメインがありません）",
    "stats.top-findings": "多い指摘",
    "stats.groups": "{group_by} 別",
    "stats.more-groups": (
        "小さい {count} グループ（{domains} ドメイン）は表示していません。すべてのグループは "
        "--format json と csv にあります。"
    ),
    "stats.compare": "{label} からの変化",
    "stats.timeline": "導入率の推移",
    "stats.dkim-estimate": (
        "DKIM の検出数は推定値です。DNS ではドメインの DKIM 鍵を列挙できないため、次の "
        "{count} 個のセレクタだけを調べました（{selectors}）。ほかのセレクタで署名している"
        "ドメインは DKIM なしとして数えられます。"
    ),
    "stats.dkim-lists": (
        "このスキャンは {count} 種類のセレクタ一覧を使いました。上はその和集合です。"
    ),
    "stats.dkim-none": (
        "DKIM の検出: セレクタを一つも調べていません（check --dkim-selectors none）。"
    ),
    "stats.unreadable": "読み込めなかったため除いたファイル: {files}",
    "stats.col.metric": "項目",
    "stats.col.domains": "ドメイン数",
    "stats.col.share": "割合",
    "stats.col.group": "グループ",
    "stats.col.finding": "指摘",
    "stats.col.old": "以前",
    "stats.col.new": "現在",
    "stats.col.delta": "変化（ポイント）",
    "stats.col.scan": "スキャン",
    "stats.col.date": "チェック日時",
    "stats.col.grade": "評価",
    "stats.col.mean-score": "平均スコア",
    "stats.metric.spf_present": "SPF 公開",
    "stats.metric.spf_all": "SPF の {qualifier}",
    "stats.metric.spf_all_none": "SPF（all なし）",
    "stats.metric.spf_over_limit": "SPF の参照が 10 回超",
    "stats.metric.dmarc_policy": "DMARC ポリシー p={policy}",
    "stats.metric.dmarc_missing": "DMARC なし",
    "stats.metric.dmarc_rua": "DMARC（rua あり）",
    "stats.metric.dkim_found": "DKIM 検出（推定）",
    "stats.metric.bimi_present": "BIMI 公開",
    "stats.metric.mta_sts_present": "MTA-STS 公開",
    "stats.metric.tls_rpt_present": "TLS-RPT 公開",
    "stats.metric.null_mx": "null MX（メールを受け取らない）",
    "stats.policy.missing": "なし",
    "stats.short.spf_present": "SPF 公開",
    "stats.short.reject": "拒否",
    "stats.short.quarantine": "隔離",
    "stats.short.none": "監視のみ",
    "stats.short.missing": "DMARC なし",
    "stats.short.dkim_found": "DKIM 検出",
    "stats.short.bimi_present": "BIMI 公開",
    "stats.short.mta_sts_present": "MTA-STS 公開",
    "stats.short.score": "スコア",
    "stats.html.title": "送信ドメイン認証の導入状況: {domains} ドメイン",
    "stats.html.policy-chart": "DMARC ポリシーの分布",
    "stats.html.adoption-chart": "導入率",
    "stats.html.grade-chart": "評価の分布",
    "stats.html.timeline-chart": "導入率の推移",
    "stats.html.groups-chart": "{group_by} 別の DMARC ポリシー",
    "stats.html.all": "全体",
}

FINDINGS: dict[str, tuple[str, str, str, str]] = {
    "ns.lookup-failed": (
        "ネームサーバーを参照できませんでした",
        "{name} NS の問い合わせが {rcode} で失敗しました。",
        "同じ失敗に遭った受信側は、このドメインのどのレコード（SPF、DMARC、DKIM 鍵）も参照"
        "できず、メールは遅延するか、それらなしで判定されます。",
        "ドメインの委任と権威 DNS サーバーが応答しているか確認してから、もう一度チェックして"
        "ください（オフラインの --zone では {name} のゾーンファイルを読み込んでください）。",
    ),
}

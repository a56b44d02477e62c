"""Japanese (日本語): every key of `en.py`, and every finding's text (from `ja_findings.py`).

Written for a Japanese mail administrator in the terms of the community's own guidance
(JPAAWG, 迷惑メール対策推進協議会「送信ドメイン認証技術導入マニュアル」, 総務省):
docs/glossary-ja.md lists them and this table follows it. Sentences are です/ます調;
headings and titles are noun phrases. What an admin copies or a receiver matches stays as
written in the records and the RFCs: tag names, record syntax, the RFC 8601 result words
(pass, fail, softfail, neutral, none, temperror, permerror) and DMARC policy values (none,
quarantine, reject), which the text glosses in Japanese where it explains them
(隔離 (quarantine), 受信拒否 (reject)).

A template keeps every {field} of its English key (a parity test holds it); the order may
differ, as Japanese word order needs.
"""

from __future__ import annotations

from mailauth.i18n import (
    ja_bimi_assets,
    ja_bulk,
    ja_ciopts,
    ja_fetch_mtasts,
    ja_fragments,
    ja_profile,
    ja_report,
    ja_stats,
    ja_tls_ci,
)
from mailauth.i18n.ja_findings import FINDINGS as CORE_FINDINGS

# The parts written beside the table for the checks and commands added in parallel (issues
# 10-13): each has its UI keys and, for checks, its findings' text.
_PARTS = (
    ja_fetch_mtasts,
    ja_bimi_assets,
    ja_tls_ci,
    ja_ciopts,
    ja_fragments,
    ja_bulk,
    ja_stats,
    ja_profile,
)
FINDINGS: dict[str, tuple[str, str, str, str]] = {
    **CORE_FINDINGS,
    **{fid: texts for part in _PARTS for fid, texts in part.FINDINGS.items()},
}

ERRORS: dict[str, str] = {
    "error.line": "mailauth: エラー: {message}",
    "error.generic": "{message}",
    "error.input": "入力が正しくありません: {message}",
    "error.usage": "{message}（'{command} --help' を参照してください）",
    "error.internal": (
        "内部エラー: {error}。これは mailauth の不具合です。--debug を付けて再実行し、"
        "トレースバックを報告してください。"
    ),
    "error.zone": "ゾーンファイルを読み込めません: {detail}",
    "error.zone.syntax": "構文エラー（dnspython の報告: {message}）",
    "error.zone.no-zone-files": "このディレクトリに *.zone ファイルがありません",
    "error.zone.no-such-path": "そのようなゾーンファイルもディレクトリもありません",
    "error.zone.not-utf8": (
        "UTF-8 のテキストではありません（TXT の非 ASCII バイトは \\DDD のエスケープで書いてください"
        "）"
    ),
    "error.zone.invalid-origin": "オリジン {origin} が不正です: {message}",
    "error.zone.duplicate-origin": "ゾーン {zone} はすでに {other} から読み込まれています",
    "error.path": "{path} を読めません: {reason}",
    "error.file": "{file}: {reason}",
    "error.nameserver": (
        "'{value}' はポート番号付きも可の IP アドレスではありません"
        "（192.0.2.53、192.0.2.53:5353、[2001:db8::53]:5353 の形）"
    ),
    "error.ip": "'{value}' は IP アドレスではありません",
    "error.spf-identity": "--mail-from ADDRESS か --helo NAME（または両方）を指定してください",
    "error.aborted": "中断しました",
    "error.output-pairs": (
        "--format ごとに -o FILE を 1 つずつ指定してください（--format json -o report.json "
        "--format text -o report.txt）。標準出力に出す場合は -o なしで --format を 1 つだけ"
        "指定します"
    ),
    "error.output-twice": "同じファイル（または標準出力）が -o に 2 回指定されています",
    "error.output-is-dir": "-o {path}: ディレクトリです。ファイル名を指定してください",
    "error.output-is-input": ("-o {path}: この実行で読み込むファイルです。上書きしません"),
    "error.domain.empty": "ドメイン名が空です",
    "error.domain.ip-address": (
        "'{name}' は IP アドレスです。メールアドレスの @ の後ろにあるドメイン名を指定してください"
    ),
    "error.domain.underscore": (
        "'{name}' には '_' が含まれていますが、これは _dmarc のようなサービス名にだけ使うものです。"
        "メールドメインそのものを指定してください"
    ),
    "error.domain.name-too-long": (
        "'{name}' は {length} 文字あります。ドメイン名は最大 253 文字です"
    ),
    "error.domain.label-too-long": (
        "'{name}' に {length} 文字のラベルがあります。ドットで区切られた各部分は最大 63 文字です"
    ),
    "error.domain.empty-label": "'{name}' に空のラベル（ドットの連続）があります",
    "error.domain.hyphen": "'{name}' に '-' で始まるか終わるラベルがあります",
    "error.domain.invalid-character": (
        "'{name}' にドメイン名に使えない文字が含まれています（英字、数字、'-'、'.' のみ）"
    ),
    "error.domain.invalid-idn": "'{name}' は正しい国際化ドメイン名ではありません",
    "error.domain.single-label": (
        "'{name}' はラベルが 1 つしかありません。example.jp のような完全なドメイン名を指定して"
        "ください"
    ),
    "error.domain.numeric-tld": (
        "'{name}' は数字だけのラベルで終わっていますが、そのような実在のドメインはありません"
    ),
    "error.message.too-large": "メールが上限の {limit_mb} MB を超えています",
    "error.message.empty": "空のファイルです: ヘッダフィールドがなく、メールではありません",
    "error.message.no-header": "ヘッダフィールドがありません: メールではありません",
    "error.message.line-too-long": "ヘッダの {line} 行目が上限の {limit_kb} KB を超えています",
    "error.message.too-many-lines": (
        "ヘッダ部が {limit:,} 行を超えています: 実際のメールではありません"
    ),
    "error.message.nul": (
        "ヘッダの {line} 行目に NUL バイトが含まれています: テキストのメールではありません"
    ),
    "error.message.leading-space": (
        "最初の行が空白で始まっています: ヘッダフィールドではありません"
    ),
    "error.message.field-too-long": (
        "{line} 行目のヘッダフィールドが上限の {limit_kb} KB を超えています"
    ),
    "error.message.first-line-not-field": (
        "最初の行がヘッダフィールドではありません（'Name:' がありません）: メールではありません"
    ),
    "error.ip-zone": (
        "'{value}' にはゾーンインデックス（%...）が付いていますが、これはこのホストの中でしか"
        "意味を持ちません。送信サーバーが接続してきたアドレスを、これを付けずに指定してください"
    ),
    "error.authserv-id": (
        "{value!r} は 1 行の表示可能なテキストではありません（Authentication-Results ヘッダの "
        "authserv-id）"
    ),
    "error.zone.file-too-large": (
        "ファイルは {size_mb} MB あります。{limit_mb} MB を超えるゾーンファイルは読み込みません"
        "（チェックするドメインのゾーンを指定してください）"
    ),
    "error.zone.too-many-records": (
        "1 つのゾーンに {limit:,} 件を超えるレコードがあります。mailauth はそれ以上読み込みません"
        "（チェックするドメインのゾーンを指定してください）"
    ),
    "error.zone.generate-too-large": "$GENERATE が {limit:,} 件を超えるレコードを生成します",
    "error.zone.not-a-file": (
        "ゾーンファイルでも、それを含むディレクトリでもありません（デバイス、パイプなど）"
    ),
    "error.output-write": "{path} に書き込めません: {reason}",
    "error.zone.at-name": "{name}: {reason}",
    "error.zone.cname-and-other-data": (
        "CNAME はほかのレコードと同じ名前に置けません（この名前の最初のレコードは {other_line} "
        "行目にあります。RFC 1034 §3.6.2）"
    ),
    "error.fifo-no-writer": (
        "何も書き込まれていない名前付きパイプです（書き込み側がありません）: メールのファイルでは"
        "ありません"
    ),
    "error.zone.origin-mismatch": (
        "ファイル名は {expected} のものですが、$ORIGIN は {origin} です。$ORIGIN を直すか、"
        "ファイル名を中身のゾーンに合わせてください"
    ),
    "error.os.enoent": "そのようなファイルやディレクトリはありません",
    "error.os.eacces": "アクセス権がありません",
    "error.os.eperm": "操作が許可されていません",
    "error.os.eisdir": "ディレクトリです",
    "error.os.enotdir": "ディレクトリではありません",
    "error.os.enospc": "デバイスに空き容量がありません",
    "error.os.edquot": "ディスク使用量の上限（クォータ）を超えました",
    "error.os.erofs": "読み取り専用のファイルシステムです",
    "error.os.eloop": "シンボリックリンクの階層が多すぎます",
    "error.os.enametoolong": "ファイル名が長すぎます",
    "error.os.eexist": "ファイルがすでに存在します",
    "error.os.eio": "入出力エラーです",
    "error.os.efbig": "ファイルが大きすぎます",
    "error.os.emfile": "開いているファイルが多すぎます",
    "error.os.enfile": "システム全体で開いているファイルが多すぎます",
    "error.os.ebusy": "デバイスまたはリソースが使用中です",
    "error.os.enxio": "そのようなデバイスやアドレスはありません",
    "error.os.einval": "引数が不正です",
    "error.os.etxtbsy": "実行中のファイルです",
    "error.os.other": "システムの報告: {reason}",
    "error.zone.unknown-type": "不明なレコードタイプ '{value}'",
    "error.zone.malformed-data": (
        "レコードのデータが不正です（そのタイプのアドレス、名前、値として正しくありません）"
    ),
    "error.zone.expected-integer": "数値が必要です",
    "error.zone.expected-field": "フィールドが足りません: レコードが途中で終わっています",
    "error.zone.unterminated-string": "引用符で囲んだ文字列がその行の中で閉じられていません",
    "error.zone.unbalanced-parentheses": "括弧が対応していません",
    "error.zone.bad-ttl": "TTL が正しい秒数ではありません",
    "error.zone.directive-not-allowed": "ディレクティブ {value} はゾーンファイルでは使えません",
}

SHARED: dict[str, str] = {
    "report.score": "スコア {score}/100  評価 {grade}",
    "finding.heading": "{title}  [{id}]",
    "finding.detail": "検出内容",
    "finding.consequence": "受信側の扱い",
    "finding.fix": "対処",
    "finding.fix-record": "修正後のレコード",
    "finding.references": "参考文献",
    "layout.colon": "{name}:",
    "check.spf": "SPF",
    "check.dmarc": "DMARC",
    "check.dkim": "DKIM",
    "check.bimi": "BIMI",
    "check.mx": "MX",
    "check.mta_sts": "MTA-STS",
    "check.tls_rpt": "TLS-RPT",
    "check.core": "mailauth",
    "status.pass": "合格",
    "status.warn": "注意",
    "status.fail": "不合格",
    "status.none": "なし",
    "status.error": "エラー",
    "severity.critical": "緊急",
    "severity.high": "高",
    "severity.medium": "中",
    "severity.low": "低",
    "severity.info": "情報",
    "value.yes": "はい",
    "value.no": "いいえ",
    "value.none": "-",
    "value.count-of-limit": "{count}（上限 {limit}）",
    "value.at-least-count-of-limit": "{count} 以上（上限 {limit}。一部の参照が失敗）",
    "value.lookups": "({count})",
    "report.score-at-most": "スコア 最大 {score}/100  評価 {grade}（暫定）",
}

DOMAIN_REPORT: dict[str, str] = {
    "report.heading": "mailauth check: {domain}",
    "report.no-score": "スコアなし: 完了できたチェックがありません（下のエラーを参照）。",
    "report.heading-idn": "mailauth check: {unicode_domain}（{domain}）",
    "report.incomplete": (
        "不完全: {checks} をチェックできなかったため、スコアはそれ以外の部分だけを対象とし、"
        "これらの判定は出していません。"
    ),
    "summary.heading": "対処すべき点（重要度順）",
    "summary.number": "{number}.",
    "summary.item": "{check}: {title}",
    "summary.none": (
        "Gmail、Yahoo、Outlook や迷惑メールフィルタがこのドメインを信頼しなくなる問題は"
        "見つかりませんでした。"
    ),
    "summary.none-incomplete": (
        "問題は見つかりませんでしたが、完了できなかったチェックがあります（下のエラーを参照）。"
    ),
    "summary.more": "ほかに {count} 件の検出事項が下の各セクションにあります。",
    "providers.heading": "Gmail、Yahoo、Outlook.com がこの送信者に求める要件",
    "providers.row": "{provider}（{audience}）:",
    "providers.met": "満たしています",
    "providers.unknown": "不明: {rules}",
    "providers.unknown-note": (
        "試したセレクタで DKIM 公開鍵が見つからなかった場合（--selector で自社のセレクタを"
        "指定してください）や、参照が失敗した場合、要件は不明になります。"
    ),
    "providers.unmet": "満たしていません: {rules}",
    "providers.rule-list": "{left}、{right}",
    "providers.message-rules": (
        "大量送信者には、From ドメインと SPF または DKIM のアライメント、ワンクリック登録解除も"
        "求められます。これらはメール 1 通ごとの要件なので、送信したメールに mailauth verify を"
        "実行してください。"
    ),
    "provider.gmail": "Gmail",
    "provider.yahoo": "Yahoo",
    "provider.outlook": "Outlook.com",
    "audience.all_senders": "すべての送信者",
    "audience.bulk_senders": "1 日 5,000 通以上の大量送信者",
    "rule.spf-or-dkim": "SPF または DKIM",
    "rule.spf": "有効な SPF レコード",
    "rule.dkim": "DKIM 公開鍵",
    "rule.dkim-1024": "1024 ビット以上の DKIM 公開鍵",
    "rule.dmarc-record": "DMARC レコード",
    "rule.alignment": "From と SPF または DKIM のアライメント",
    "rule.one-click-unsubscribe": "ワンクリック登録解除",
    "section.check": "{check}  {status}",
    "section.findings": "検出事項",
    "section.no-findings": "検出事項はありません。",
    "section.deductions": "スコアの減点",
    "section.no-deductions": "減点はありません。",
    "deduction.points": "-{points}",
    "deduction.count": "{reason}（{count} 回検出、1 回として計上）",
    "spf-node.no-spf": "SPF レコードなし: 評価がここに達すると permerror",
    "spf-node.multiple-records": "SPF レコードが複数: permerror",
    "spf-node.lookup-failed": "参照失敗: temperror",
    "spf-node.loop": "ループ: 上ですでに include されています",
    "spf-node.macro": "送信者によって変わる（マクロ）: たどっていません",
    "spf-node.not-expanded": "たどっていません: レコードの総数が多すぎます",
    "field.record": "レコード",
    "field.records": "レコード",
    "field.dns_lookups": "DNS 参照回数",
    "field.void_lookups": "void lookup 回数",
    "field.policy": "ポリシー",
    "field.location": "公開場所",
    "field.org_domain": "組織ドメイン",
    "field.selectors": "セレクタ",
    "field.selector": "セレクタ",
    "field.status": "状態",
    "field.key_type": "鍵種別",
    "field.key_bits": "鍵長（ビット）",
    "field.hosts": "ホスト",
    "field.host": "ホスト",
    "field.preference": "優先度",
    "field.addresses": "アドレス",
    "field.tags": "タグ",
    "field.includes": "include",
    "field.tipping_point": "上限を超える位置",
    "field.breakdown": "項目ごとの参照回数",
    "field.spf_rrtype_records": "SPF タイプのレコード（廃止）",
    "field.testing": "テストモード",
    "field.rua": "集約レポートの送付先",
    "field.ruf": "失敗レポートの送付先",
    "field.tried": "試したセレクタ",
    "field.cname": "CNAME の参照先",
    "field.address": "アドレス",
    "field.ptr": "逆引き",
    "field.fcrdns": "正引きでの確認",
    "field.null_mx": "Null MX（メールを受け付けない）",
    "field.implicit_mx": "MX なし: メールは A/AAAA レコードに配送",
    "field.policy_url": "ポリシーの URL",
    "field.logo_url": "ロゴ",
    "field.authority_url": "マーク証明書",
    "field.declined": "BIMI を辞退",
    "field.dmarc_enforced": "DMARC のポリシー適用（ロゴの表示に必要）",
    "scoring.reason-capped": ("{rule}（減額: このチェックはすでに最大の {cap} 点を失っています）"),
    "scoring.rule.severity-critical": "重要度「緊急」の検出事項",
    "scoring.rule.severity-high": "重要度「高」の検出事項",
    "scoring.rule.severity-medium": "重要度「中」の検出事項",
    "scoring.rule.severity-low": "重要度「低」の検出事項",
    "scoring.rule.severity-info": "情報のみ",
    "scoring.rule.providers-require-spf": (
        "Gmail、Yahoo、Outlook.com は大量送信者に SPF を求めている（Gmail と Yahoo はすべての"
        "送信者に SPF か DKIM を求めている）"
    ),
    "scoring.rule.spf-permerror": (
        "すべての受信側で SPF permerror（RFC 7208）: SPF レコードがない場合と同じに採点"
    ),
    "scoring.rule.providers-require-dmarc": (
        "Gmail、Yahoo、Outlook.com は大量送信者に DMARC の公開を求めている"
    ),
    "scoring.rule.gmail-dkim-1024": (
        "RFC 8301 と Gmail: 1024 ビット未満の RSA 鍵は受け入れられず、その署名は失敗する"
    ),
    "scoring.rule.providers-require-dkim": (
        "Gmail、Yahoo、Outlook.com は大量送信者に DKIM を求めている。鍵のない指定セレクタは、"
        "そのメールが DKIM に失敗することを意味する"
    ),
    "spf-problem.internal": "レコードを解析できませんでした: {value}",
    "spf-problem.not-spf": "レコードが v=spf1 で始まっていません",
    "spf-problem.unknown-mechanism": "不明な項目 {term!r}",
    "spf-problem.bad-all": "all は引数を取りません",
    "spf-problem.bad-ptr": (
        "ptr に付けられるのは省略可能な ':' とドメインだけで、CIDR 長は付けられません"
    ),
    "spf-problem.missing-network": "{value} には ':' とアドレスが必要です",
    "spf-problem.duplicate-modifier": "{name}= が {value} 回現れます",
    "spf-problem.unknown-modifier": "修飾子 {value!r} は RFC 7208 に定義されていません",
    "spf-problem.terms-after-all": "'all' の後ろのメカニズムは評価されません",
    "spf-problem.redirect-ignored": (
        "レコードに 'all' メカニズムがあるため redirect= は無視されます"
    ),
    "spf-problem.missing-domain.needs-domain": "{subject} には ':' とドメインが必要です",
    "spf-problem.missing-domain.empty-domain": "domain-spec が空です",
    "spf-problem.bad-network.not-a-network": "{value!r} は {subject} のネットワークではありません",
    "spf-problem.bad-network.not-dotted-quad": (
        "{value!r} はドット区切り 4 つ組の IPv4 アドレスではありません"
    ),
    "spf-problem.bad-network.not-ipv6": "{value!r} は IPv6 アドレスではありません",
    "spf-problem.bad-cidr.not-a-cidr": "{value!r} は CIDR 長ではありません",
    "spf-problem.bad-cidr.cidr-range": (
        "/{value} は {subject} のプレフィックス長として正しくありません（0～{limit}）"
    ),
    "spf-problem.bad-domain.bad-toplabel": (
        "{value!r} は正しいトップレベルラベルで終わっていません"
    ),
    "spf-problem.bad-domain.bad-name": "{value!r} は正しいドメイン名ではありません",
    "spf-problem.bad-macro.bad-character": (
        "文字 {value!r} は使えません（表示可能な ASCII 文字のみ）"
    ),
    "spf-problem.bad-macro.bad-percent": (
        "{value} 文字目の '%' は正しいマクロの始まりではありません"
    ),
    "spf-problem.bad-macro.unknown-letter": "{subject} に不明なマクロ文字があります",
    "spf-problem.bad-macro.exp-only-letter": (
        "{subject}: c、r、t の文字は exp= のテキストでしか使えません"
    ),
    "spf-problem.bad-macro.bad-delimiter": "{subject}: 区切り文字 {value!r} が不正です",
    "spf-problem.bad-macro.zero-parts": "{subject}: 部分の数に 0 は指定できません",
    "check.domain": "ドメイン",
    "rule.domain-exists": "DNS に存在する送信ドメイン",
    "scoring.rule.domain-nxdomain": (
        "ドメインが存在しない: 受信側はそこからのメールを受信拒否するため、ほかは意味を持たない"
    ),
    "report.partial": (
        "一部のみ: {checks} は一部しかチェックできなかった（参照の失敗、またはオフラインで"
        "名前解決できない）ため、スコアは上限値で、評価は暫定です。"
    ),
    "spf-node.unresolvable": (
        "オフラインでは名前解決できません（読み込んだゾーンの外）: チェックしていません"
    ),
    "report.nonexistent": (
        "レコードのセクションはありません: {domain} は存在しないため、SPF、DMARC、DKIM、BIMI、"
        "MX、MTA-STS、TLS-RPT のチェックで判定するものがなく、存在するまではその名前の下に"
        "レコードを公開することもできません。"
    ),
}

MESSAGE_REPORT: dict[str, str] = {
    "verify.heading": "mailauth verify: {file}",
    "verify.subject": "件名: {subject}",
    "verify.incomplete": (
        "不完全: 一部の DNS 参照が失敗したため、スコアは評価できた部分だけを対象としています"
        "（lookup-failed の検出事項を参照）。"
    ),
    "verify.verdict.pass": "{domain} の DMARC は pass: {how}",
    "verify.verdict.fail": (
        "{domain} の DMARC は fail: アライメントの取れた SPF も DKIM も pass していません。"
        "受信側の処置は {disposition}（公開ポリシー {policy}）"
    ),
    "verify.verdict.none": (
        "{domain} に DMARC ポリシーはありません: 受信側は SPF/DKIM だけでメールを判定します"
    ),
    "verify.verdict.fail-spf-unknown": (
        "{domain} の DMARC は SPF が pass していなければ fail: アライメントの取れた DKIM 署名は"
        "pass しておらず、SPF はここでは評価できませんでした。アライメントの取れた SPF の pass が"
        "なければ、受信側の処置は {disposition}（公開ポリシー {policy}）"
    ),
    "verify.verdict.temperror": ("{domain} の DMARC を評価できませんでした（DNS の参照に失敗）"),
    "verify.verdict.permerror": (
        "DMARC を評価できません: メールにはちょうど 1 つの From アドレスが必要です"
    ),
    "verify.how.spf": "アライメントの取れた SPF（{domain}）",
    "verify.how.dkim": "アライメントの取れた DKIM（{domains}）",
    "verify.how.both": "アライメントの取れた SPF（{domain}）と DKIM（{domains}）",
    "verify.section.dkim": "DKIM 署名",
    "verify.section.spf": "SPF",
    "verify.section.arc": "ARC",
    "verify.section.alignment": "From ドメインとのアライメント",
    "verify.section.authres": "Authentication-Results",
    "verify.section.earlier": "受信時の結果のうち現在と異なるもの",
    "verify.section.findings": "検出事項（重要度順）",
    "verify.no-dkim": "DKIM-Signature ヘッダはありません。",
    "verify.spf-problem.no-ip": "接続元の IP アドレスがありません",
    "verify.spf-problem.no-domain": "MAIL FROM のドメインも HELO のドメインもありません",
    "verify.spf-problem.lookup-failed": "{name} {rdtype} の DNS 応答が {rcode}",
    "verify.spf-problem.void-limit": "void lookup の上限 {limit} 回を超えました",
    "verify.spf-problem.too-many-lookups": "DNS 参照が多すぎます",
    "verify.spf-problem.multiple-records": "SPF の TXT レコードが 2 件以上あります。",
    "verify.spf-problem.other": "SPF を評価できません（pyspf の報告: {message}）",
    "verify.arc-reason.not-sealed": "メールに ARC シールがありません",
    "verify.arc-reason.too-many-sets": "ARC セットが {limit} を超えています",
    "verify.arc-reason.ams-invalid": "最新の ARC-Message-Signature が検証できませんでした",
    "verify.arc-reason.seal-invalid": "ARC-Seal[{instance}] が検証できませんでした",
    "verify.arc-reason.chain-terminated": (
        "ARC-Seal[{instance}] が失敗を記録しており、チェーンはそこで終わっています"
    ),
    "verify.arc-reason.bad-cv": "ARC-Seal[{instance}] が不正な状態 {cv} を記録しています",
    "verify.arc-reason.malformed": (
        "ARC ヘッダフィールドの書式が誤っている（必須タグがないか不正）ため、チェーンを検証"
        "できません"
    ),
    "verify.dkim-reason.valid": "署名を検証できました",
    "verify.dkim-reason.body-hash-mismatch": "本文ハッシュの不一致: 署名後に本文が変更されています",
    "verify.dkim-reason.signature-mismatch": (
        "署名の不一致: 署名後に署名対象のヘッダが変更されています"
    ),
    "verify.dkim-reason.key-not-found": "DNS に公開鍵がありません",
    "verify.dkim-reason.key-lookup-failed": "公開鍵の参照に失敗しました（DNS の一時エラー）",
    "verify.dkim-reason.key-revoked": "公開鍵は失効しています（空の p=）",
    "verify.dkim-reason.key-invalid": "公開鍵レコードを使用できません",
    "verify.dkim-reason.key-algorithm-mismatch": "鍵種別が署名アルゴリズムと一致しません",
    "verify.dkim-reason.key-too-short": "RSA 鍵が 1024 ビット未満です",
    "verify.dkim-reason.sha1": "rsa-sha1 はもう受け入れられません",
    "verify.dkim-reason.expired": "署名の有効期限切れ（x=）",
    "verify.dkim-reason.future-timestamp": "署名のタイムスタンプ（t=）が未来の日時です",
    "verify.dkim-reason.from-not-signed": "From ヘッダが署名されていません",
    "verify.dkim-reason.malformed": "署名の書式が誤っています",
    "verify.dkim-reason.unsupported": "この署名アルゴリズムには対応していません",
    "verify.dkim-more": "ほかの {count} 個の署名は検証していません（上限 {limit}）。",
    "verify.source.option": "{value}（コマンドラインで指定）",
    "verify.source.received": "{value}（Received ヘッダから）",
    "verify.source.return-path": "{value}（Return-Path から）",
    "verify.source.other": "{value}（{source} から）",
    "verify.arc-set": "i={instance} d={domain} s={selector} cv={cv}: {results}",
    "verify.from": "From ドメイン {domain}（組織ドメイン {org}）",
    "verify.align.spf": "SPF {domain}: {verdict}（{mode}）",
    "verify.align.dkim": "DKIM s={selector} {domain}: {verdict}（{mode}）",
    "verify.aligned.yes": "アライメント一致",
    "verify.aligned.no": "アライメント不一致",
    "verify.aligned.notpass": "pass していないため数えません",
    "verify.aligned.unknown": "最終結果が出ていない（temperror）ため不明",
    "verify.mode.r": "緩和モード",
    "verify.mode.s": "厳格モード",
    "verify.earlier.line": "{authserv_id}: {method} {identifier} は当時 {then}、現在 {now}",
    "verify.earlier.unchecked": (
        "{authserv_id}: {method} {identifier} は当時 {then}。現在は再確認していません"
        "（DNS の参照に失敗）"
    ),
    "verify.fcrdns.confirmed": "確認済み（PTR 名が同じアドレスに正引きできます）",
    "verify.fcrdns.not-confirmed": "未確認: 同じアドレスに正引きできる PTR 名がありません",
    "verify.fcrdns.no-ptr": "PTR レコードなし",
    "verify.fcrdns.unknown": "不明（DNS の参照に失敗）",
    "verify.header-only.file": "==> {file} <==",
    "verify.field.index": "#",
    "verify.field.selector": "セレクタ",
    "verify.field.domain": "ドメイン",
    "verify.field.algorithm": "アルゴリズム",
    "verify.field.result": "結果",
    "verify.field.aligned": "アライメント",
    "verify.field.reason": "理由",
    "verify.field.ip": "接続元 IP",
    "verify.field.helo": "HELO 名",
    "verify.field.mail_from": "MAIL FROM",
    "verify.field.record": "レコード",
    "verify.field.mechanism": "一致した項目",
    "verify.field.problem": "問題",
    "verify.field.received": "Received",
    "verify.field.reverse_dns": "逆引き（FCrDNS）",
    "verify.field.arc_sets": "ARC セット",
    "verify.field.arc_set": "ARC セット",
    "verify.field.from_addresses": "From アドレス",
    "spftrace.heading": "mailauth spf: {domain} に対する {ip}",
    "spftrace.identity": "IP {ip}、MAIL FROM {mail_from}、HELO {helo}",
    "spftrace.result": "結果: {result}",
    "spftrace.decided": "決め手: {mechanism}",
    "spftrace.problem": "問題: {problem}",
    "spftrace.explanation": "説明: {explanation}",
    "spftrace.record": "{entered} {domain}: {record}",
    "spftrace.record.none": "（SPF レコードなし）",
    "spftrace.entered.top": "レコード",
    "spftrace.entered.include": "include",
    "spftrace.entered.redirect": "redirect",
    "spftrace.term.match": "{term}  -> 一致（{qualifier}）",
    "spftrace.term.match-counted": "{term}  -> 一致（{qualifier}）[参照 {count}/{limit}]",
    "spftrace.term.nomatch": "{term}  -> 不一致",
    "spftrace.term.nomatch-counted": "{term}  -> 不一致 [参照 {count}/{limit}]",
    "spftrace.lookup": "{name} {rdtype}: {rcode} {values}",
    "spftrace.lookup.void": "{name} {rdtype}: {rcode}（void lookup {count}/{limit}）",
    "spftrace.record-result": "= {result}",
    "spftrace.totals": (
        "数えた DNS 参照: {lookups}/{lookup_limit}、void lookup: {void}/{void_limit}"
    ),
    "verify.param.no-record": "（なし）",
    "verify.param.none": "-",
    "verify.arc-reason.unknown": "不明",
    "verify.spf-problem.bad-ip": "{ip} は SPF を確認できる IP アドレスではありません",
    "verify.spf-problem.invalid-term": "不正な項目 {term}",
    "verify.spf-problem.library-error": "pyspf が SPF を評価できませんでした: {error}",
    "verify.dkim-reason.key-too-long": "RSA 鍵が 4096 ビットを超えています: 検証していません",
    "verify.dkim-reason.too-many-signed-headers": (
        "h= に 100 個を超えるヘッダフィールドがあります: 検証していません"
    ),
    "verify.arc-reason.key-refused": "鍵 {name} は検証に使っていません（{problem}）",
    "verify.arc-reason.too-many-signed-headers": (
        "ARC-Message-Signature が {count} 個のヘッダフィールドを挙げています（上限 {limit}）: "
        "検証していません"
    ),
    "verify.arc-reason.duplicate-field": "インスタンス {instance} の {field} が重複しています",
    "verify.arc-reason.incomplete-set": "インスタンス {instance} の ARC セットが不完全です",
    "verify.arc-reason.ams-signs-seal": (
        "ARC-Message-Signature が ARC-Seal に署名しています（h=）"
    ),
    "verify.arc-reason.key-lookup-failed": (
        "ARC セット {instance} の鍵を参照できなかった（{name}: {rcode}）ため、チェーンを検証"
        "できませんでした"
    ),
    "verify.aligned.lookup-failed": ("不明（緩和アライメントの判定に必要な DNS の参照に失敗）"),
    "verify.aligned.not-known": "不明",
    "verify.header-defect.not-a-field": (
        "ヘッダ部の行がフィールドになっていません。名前とコロンがなく、空白で始まる継続行でも"
        "ありません。mailauth はこの行を読み飛ばします。"
    ),
    "verify.header-defect.folded-name": (
        "フィールド名 {name} とコロンの間に改行があります。mailauth は先に行を連結する受信側と"
        "同じく {name} フィールドとして読みますが、フィールドではない行として読む受信側もあります。"
    ),
    "verify.header-defect.space-before-colon": (
        "フィールド名 {name} とコロンの間に空白があります（RFC 5322 §4.5.3 の廃止された構文で、"
        "生成してはなりません）。"
    ),
    "verify.header-defect.whitespace-line": (
        "空白だけの行がヘッダフィールドの続きになっています（RFC 5322 §4.2 の廃止された構文で、"
        "生成してはなりません）。"
    ),
    "verify.from-problem.no-address": (
        "アドレスリストの要素にアドレスのないものがあります（表示名の後にカンマがある、または"
        "単語だけ）"
    ),
    "verify.from-problem.unquoted-special": (
        "表示名に引用符で囲むべき文字（@ : ; < > [ ] またはバックスラッシュ）が含まれています"
    ),
    "verify.from-problem.bad-angle": (
        "山括弧が対になっていないか、重複しているか、後ろにテキストがあります"
    ),
    "verify.from-problem.bad-address": "アドレスが local-part@domain の形になっていません",
    "verify.from-problem.unterminated": "引用文字列かコメントが閉じられていません",
    "verify.verdict.authors": (
        "{count} 個の作成者ドメインのうち最も厳しい {domain} の DMARC は {result}: 受信側の処置は "
        "{disposition}"
    ),
    "verify.author": (
        "From ドメイン {domain}: DMARC {result}、公開ポリシー {policy}、受信側の処置 {disposition}"
    ),
    "verify.spf-problem.recursion-limit": "include と redirect の入れ子が深すぎます",
    "verify.spf-problem.invalid-domain": (
        "{term}: 正しいドメイン名ではありません（完全な名前が必要です）"
    ),
    "verify.spf-problem.bad-cidr": "{term}: CIDR のプレフィックス長が不正です",
    "verify.spf-problem.dual-cidr": "{term}: ここでは二重の CIDR 長（//）は使えません",
    "verify.spf-problem.cidr-not-allowed": "{term}: ここでは CIDR 長は使えません",
    "verify.spf-problem.bad-address": "{term}: IP アドレスがないか不正です",
    "verify.spf-problem.missing-domain": "{term}: ドメインがないか空です",
    "verify.spf-problem.include-self": "{term}: レコードが自分自身を include しています",
    "verify.spf-problem.include-no-spf": "{term}: include 先のドメインに SPF レコードがありません",
    "verify.spf-problem.redirect-no-spf": "redirect 先の {term} に SPF レコードがありません",
    "verify.spf-problem.duplicate-modifier": "{term}: 修飾子が複数回現れます",
    "verify.spf-problem.bad-macro": "{term}: マクロが不正です",
    "verify.spf-problem.non-ascii": "レコードに ASCII 以外の文字が含まれています",
    "verify.spf-problem.cname-chain": "CNAME の連鎖が {limit} 段を超えています",
    "verify.spf-problem.too-many-mx": (
        "mx メカニズムで {limit} 件を超える MX レコードが見つかりました"
    ),
    "verify.spf-problem.dns-timeout": "DNS の参照が許容時間を超えました",
    "verify.spf-problem.dns-error": "DNS の参照に失敗しました",
    "verify.from-header": "差出人: {value}",
    "verify.key-refused.key-too-long": "RFC 8301 が検証側に求める処理の範囲を超える長さの RSA 鍵",
    "verify.key-refused.exponent-too-large": "検証に使うには大きすぎる RSA 公開指数",
    "verify.key-refused.bad-key-data": "RSA 鍵ではなく、読むには大きすぎる鍵データ",
}

CLI_HELP: dict[str, str] = {
    "cli.main.help": (
        "ドメインからのメールが迷惑メールと判定されうる理由と、その直し方を、根拠とともに説明"
        "します。各コマンドのオプションと例は、コマンドに --help を付けると表示されます。"
        "`mailauth` だけを実行するとこのヘルプを表示します。\n\n\b\n終了ステータス（全コマンド共通"
        "）:\n"
        "  0    実行完了。しきい値を下回るものなし\n"
        "  1    実行完了。--fail-under か --fail-on に該当（spf: SPF が pass せず）\n"
        "  2    使い方か入力の誤り（オプション、ドメイン、ゾーンファイル、メール）\n"
        "  3    参照に失敗（タイムアウト、SERVFAIL、応答なし）: 判定なし\n"
        "  130  中断（Ctrl-C）\n"
        "  141  出力先が途中で閉じられた（| head などのパイプ）: 残りは書き出さない"
    ),
    "cli.check.short-help": "ドメインの SPF、DMARC、DKIM、BIMI、MX、MTA-STS、TLS-RPT を確認。",
    "cli.check.help": (
        "Gmail、Yahoo、Outlook や迷惑メールフィルタが DOMAIN からのメールを信頼するかを左右する "
        "DNS レコード（SPF、DMARC、DKIM 公開鍵、BIMI、MX、MTA-STS、TLS-RPT）を確認します。"
        "スコアと評価、メールが迷惑メールになりうる理由（重要度順）、公開すべき正確なレコードを"
        "表示します。\n\nDOMAIN には国際化ドメイン名（日本語.jp）も指定できます。複数のドメインを"
        "指定すると 1 回の実行でまとめて確認します。"
    ),
    "cli.check.epilog": (
        "\b\n例:\n"
        "  mailauth check example.com\n"
        "  mailauth check example.com --selector s1 --selector google\n"
        "  mailauth check example.com --nameserver 192.0.2.53\n"
        "  mailauth check example.com --zone zones/example.com.zone --fail-on high\n"
        "  mailauth check example.com --format json\n\n"
        "--zone を付けると、DNS ではなくゾーンファイルからレコードを読みます。公開前の確認に"
        "使えます。終了ステータス: 0 実行完了、1 --fail-under/--fail-on に該当、2 使い方の誤り、"
        "3 参照に失敗（判定なし）。"
    ),
    "cli.verify.short-help": (
        "保存したメールを検証: DKIM、ARC、SPF、DMARC と迷惑メール判定のリスク。"
    ),
    "cli.verify.help": (
        "保存したメール（.eml、または標準入力を表す -）を 1 通以上検証します。すべての DKIM 署名、"
        "ARC チェーン、接続元 IP の SPF、DMARC のアライメントと受信側が適用する処置、さらに "
        "Gmail/Yahoo のメール単位の要件を確認します。メールでないファイルは 1 行で報告し"
        "（終了ステータス 2）、ほかのファイルの検証は続けます。"
    ),
    "cli.verify.epilog": (
        "\b\n例:\n"
        "  mailauth verify message.eml\n"
        "  mailauth verify message.eml --ip 203.0.113.5 --mail-from bounce@example.com\n"
        "  mailauth verify message.eml --authentication-results\n"
        "  cat message.eml | mailauth verify -\n\n"
        "メールは、メールソフトの「メッセージのソースを表示」「原文を表示」や「ダウンロード」で"
        "保存してください。終了ステータス: 0 実行完了、1 --fail-under/--fail-on に該当、"
        "2 メールでないファイルがある、3 DMARC を評価できなかった（参照に失敗）。"
    ),
    "cli.spf.short-help": "IP アドレスと送信者について SPF を評価し、評価の過程を表示。",
    "cli.spf.help": (
        "接続元 IP、MAIL FROM、HELO について SPF（RFC 7208 の check_host）を評価し、その過程を"
        "表示します。評価した各レコード、どのメカニズムが一致したか（または一致しなかった理由）、"
        "すべての DNS 参照とその累計回数がわかります。メールを送る前に「このサーバーは SPF に "
        "pass するか」を確かめられます。"
    ),
    "cli.spf.epilog": (
        "\b\n例:\n"
        "  mailauth spf --ip 192.0.2.30 --mail-from bounce@example.com\n"
        "  mailauth spf --ip 2001:db8::25 --mail-from example.com\n"
        "  mailauth spf --ip 192.0.2.30 --helo mail.example.com\n\n"
        "終了ステータス: 0 SPF が pass、1 それ以外の結果、2 使い方の誤り、3 temperror"
        "（参照に失敗）。"
    ),
    "cli.option.selector": (
        "確認する DKIM セレクタ（複数指定可）。自ドメインのメールの DKIM-Signature ヘッダにある "
        "s= の値です。大手の送信者やメール配信サービスのよく使われるセレクタは常に試します。"
        "ここで指定したセレクタに公開鍵がなければ検出事項になります。"
    ),
    "cli.option.bimi-selector": "参照する BIMI セレクタ（<selector>._bimi.DOMAIN）。",
    "cli.option.zone": (
        "DNS の問い合わせに、ネットワークではなくこのゾーンファイル（またはこのディレクトリの"
        "すべての *.zone ファイル）から答えます（複数指定可）。読み込んだゾーンの外の名前は、"
        "オフラインでは名前解決できないと報告します。"
    ),
    "cli.option.nameserver": (
        "システムのリゾルバーではなく、この DNS サーバー（IP アドレス、ポート番号は省略可。"
        "複数指定可）に問い合わせます。"
    ),
    "cli.option.timeout": "DNS の応答を待つ秒数（問い合わせごと）。",
    "cli.option.retries": "タイムアウトした DNS の問い合わせを再試行する回数。",
    "cli.option.deadline": (
        "全体でこの秒数が過ぎたら問い合わせをやめます。まだ待っているチェックはエラーになります"
        "（終了ステータス 3）。指定しない場合、verify はメール 1 通ごとに 30 秒、spf は評価に "
        "30 秒、check はドメインごとに --domain-deadline の秒数を使います。"
    ),
    "cli.option.choices": "選択肢: {choices}。",
    "cli.option.format": (
        "出力形式: 人が読むなら text、スクリプトなら json。CI 向けには markdown（プルリクエストの"
        "コメント、ステップサマリー）、sarif（コードスキャン）、github（ワークフローの注釈）、"
        "junit、jsonl（1 行に 1 レポート）、csv（1 レポート 1 行）。複数指定でき、それぞれ "
        "-o FILE と組にすると 1 回の実行で複数の形式を書き出します。"
    ),
    "cli.option.domain-deadline": (
        "1 つのドメインについてこの秒数が過ぎたら問い合わせをやめます。まだ待っているチェックは"
        "エラーになり（終了ステータス 3）、ほかのドメインは続けます。0 ならドメインごとの期限なし。"
    ),
    "cli.option.output": (
        "レポートを標準出力ではなく FILE に書き出します（実行が完了したときにだけ置き換えます。"
        "jsonl と csv はレポートごとに 1 行ずつその場で書くので、中断したスキャンでも残ります。"
        "- は標準出力）。--format と順番に組になります。"
    ),
    "cli.option.fail-under": (
        "スコアが SCORE（0～100）未満のとき、または一部の参照が失敗してスコアが上限値でしかない"
        "とき（--allow-incomplete を参照）、終了ステータス 1 で終了します。"
    ),
    "cli.option.fail-on": ("この重要度以上の検出事項があれば、終了ステータス 1 で終了します。"),
    "cli.option.debug": "デバッグログを表示し、1 行のエラーの代わりにトレースバックを表示します。",
    "cli.option.no-color": ("色を一切使いません（NO_COLOR=1 や、出力先が端末でない場合も同じ）。"),
    "cli.option.lang": (
        "レポート、メッセージ、ヘルプの言語（既定: MAILAUTH_LANG、LC_ALL、LC_MESSAGES、LANG の"
        "順に判断し、なければ英語）。"
    ),
    "cli.option.ip": (
        "メールを配送してきたサーバーの IP アドレス（既定: 自社サーバーが付けた Received "
        "ヘッダから）。"
    ),
    "cli.option.helo": "そのサーバーが使った HELO/EHLO 名（既定: Received ヘッダから）。",
    "cli.option.mail-from": "エンベロープ送信者 MAIL FROM（既定: Return-Path から）。",
    "cli.option.authserv-id": ("Authentication-Results ヘッダに書くサーバー名（authserv-id）。"),
    "cli.option.authentication-results": (
        "受信側が付ける Authentication-Results ヘッダだけを表示します"
        "（--format authentication-results と同じ）。"
    ),
    "cli.option.spf-ip": "メールを送る（または送る予定の）サーバーの IP アドレス。",
    "cli.option.spf-mail-from": (
        "MAIL FROM のアドレス（ドメインだけなら postmaster@ドメイン。空なら HELO を確認）。"
    ),
    "cli.option.spf-helo": "そのサーバーが使う HELO/EHLO 名。",
    "click.usage": "使い方:",
    "click.options": "オプション",
    "click.commands": "コマンド",
    "click.help-option": "このヘルプを表示して終了します。",
    "click.version-option": "バージョンを表示して終了します。",
    "click.version": "%(prog)s、バージョン %(version)s",
    "click.error": "エラー: {message}",
    "click.try-help": "'{command} {option}' でヘルプを表示できます。",
    "click.no-such-option-quoted": "{name!r} というオプションはありません。",
    "click.did-you-mean": "{possibility} のことですか?",
    "click.did-you-mean-one-of": "（次のどれかのことですか: {possibilities}）",
    "click.no-such-command": "{name!r} というコマンドはありません。",
    "click.missing-command": "コマンドがありません。",
    "click.missing-argument": "引数がありません",
    "click.missing-option": "オプションがありません",
    "click.missing-parameter": "パラメータがありません",
    "click.missing-parameter-name": "パラメータがありません: {param_name}",
    "click.missing-type": "{param_type} がありません",
    "click.invalid-value-for": "{param_hint} の値が不正です: {message}",
    "click.invalid-value": "値が不正です: {message}",
    "click.requires-argument": "オプション {name!r} には引数が必要です。",
    "click.requires-arguments": "オプション {name!r} には {nargs} 個の引数が必要です。",
    "click.takes-no-value": "オプション {name!r} は値を取りません。",
    "click.extra-argument": "余分な引数があります（{args}）",
    "click.extra-arguments": "余分な引数があります（{args}）",
    "click.not-choice": "{value!r} は {choice} ではありません。",
    "click.not-one-of": "{value!r} は {choices} のどれでもありません。",
    "click.not-a-number": "{value!r} は正しい {number_type} ではありません。",
    "click.not-in-range": "{value} は範囲 {range} に入っていません。",
    "click.file-missing": "{name} {filename!r} は存在しません。",
    "click.file-is-directory": "{name} {filename!r} はディレクトリです。",
    "click.file-is-file": "{name} {filename!r} はファイルです。",
    "click.file-unreadable": "{name} {filename!r} を読めません。",
    "click.file-unwritable": "{name} {filename!r} に書き込めません。",
    "click.file-cannot-open": "ファイル {filename!r} を開けません: {message}",
    "click.file": "ファイル",
    "click.directory": "ディレクトリ",
    "click.path": "パス",
    "click.default": "既定値: {default}",
    "click.env-var": "環境変数: {var}",
    "click.required": "必須",
    "click.aborted": "中断しました。",
    "cli.option.allow-incomplete": (
        "不完全な結果（一部の参照が失敗し、スコアが上限値でしかないもの）を不合格にせず、"
        "確認できた部分について --fail-under で判定します。参照が失敗したことは終了ステータス 3 "
        "で引き続き示します。"
    ),
}


def _finding_keys() -> dict[str, str]:
    parts = ("title", "detail", "consequence", "fix")
    return {
        f"finding.{fid}.{part}": text
        for fid, texts in FINDINGS.items()
        for part, text in zip(parts, texts, strict=True)
    }


JA: dict[str, str] = {
    **ERRORS,
    **SHARED,
    **DOMAIN_REPORT,
    **MESSAGE_REPORT,
    **CLI_HELP,
    **{key: text for part in (*_PARTS, ja_report) for key, text in part.UI.items()},
    **_finding_keys(),
}

# The table the loader reads.
TABLE: dict[str, str] = JA

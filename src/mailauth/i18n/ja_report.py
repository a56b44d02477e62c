"""Japanese text of the `mailauth report` keys (issue 12): DMARC aggregate and failure reports.

Follows docs/glossary-ja.md and the rules of ja.py: です/ます調 sentences, noun-phrase headings;
tag names, record syntax, XML element names, RFC result words (pass) and policy values stay as
written (集約レポート, 失敗レポート, 隔離 (quarantine), 受信拒否 (reject), アライメント).
"""

from __future__ import annotations

UI: dict[str, str] = {
    "cli.report.short-help": (
        "DMARC レポートを解析: 誰が自ドメインで送信しているか、何が失敗しているか、"
        "p=reject にして安全か。"
    ),
    "cli.report.help": (
        "DMARC の集約レポート（rua）と失敗レポート（ruf）を読み、誰が自ドメインを名乗って"
        "メールを送っているか、何が失敗していてどう直せばよいか、いま p=quarantine / p=reject に"
        "しても安全かを示します。\n\nINPUT にはレポートファイル（.xml、.xml.gz、.gz、.zip）、"
        "レポートのメール（.eml）、mbox、Maildir フォルダ、または標準入力を表す - を指定します。"
        "形式は中身から判別します。"
    ),
    "cli.report.epilog": (
        "終了ステータス: 0 レポートを読み込んだ、2 何も読み込めなかった（または使い方の誤り）。"
    ),
    "cli.option.no-resolve": "送信元アドレスの PTR 名（逆引き）を参照しません。",
    "cli.option.check-db": (
        "DMARC レポートのデータベース（mailauth report --db FILE で作成したもの）。保存された"
        "レポートでこのドメインのメールに署名していたすべての DKIM セレクタも確認します。"
    ),
    "report.store.store-unreadable": "SQLite が開けませんでした（{value}）",
    "report.store.store-notadb": "SQLite データベースではありません",
    "report.store.store-corrupt": "SQLite データベースが壊れています",
    "report.store.store-cantopen": (
        "SQLite がファイルを開けません（フォルダが存在しないか、権限がありません）"
    ),
    "report.store.store-busy": (
        "別のプロセスがロックしています。その処理が終わってからやり直してください"
    ),
    "report.store.store-readonly": "書き込めません（読み取り専用のファイルかフォルダです）",
    "report.store.store-full": "ディスクの空きがありません",
    "report.store.store-foreign": (
        "SQLite データベースですが、mailauth のレポート用データベースではありません"
    ),
    "report.store.store-newer": (
        "より新しい mailauth で書き込まれています（スキーマバージョン {value}）"
    ),
    "report.unreadable.line": "{file} を読み込めませんでした: {reason}",
    "report.unreadable.not-aggregate": "DMARC 集約レポートではありません（ルート要素 {value}）",
    "report.unreadable.no-report-id": "レポートに report_id がありません",
    "report.unreadable.no-org-name": "レポートに org_name がありません",
    "report.unreadable.no-policy-domain": "レポートの policy_published に domain がありません",
    "report.unreadable.bad-date-range": (
        "日付範囲（date_range）が 2 つのタイムスタンプになっていません（{value}）"
    ),
    "report.unreadable.xml-error": "整形式の XML ではありません（{value}）",
    "report.unreadable.xml-forbidden": (
        "読み込みを拒否しました: XML がエンティティまたは外部参照を宣言しています（{value}）"
    ),
    "report.unreadable.empty": "中身が空です",
    "report.unreadable.cap-decompressed": (
        "展開すると上限の {value} バイトを超えます（圧縮爆弾のおそれがあります）"
    ),
    "report.unreadable.cap-zip-members": "zip に含まれるファイルが上限の {value} 個を超えています",
    "report.unreadable.cap-mail": "上限の {value} バイトを超える大きさのメールです",
    "report.unreadable.cap-depth": "アーカイブの入れ子が上限の {value} 段を超えています",
    "report.unreadable.corrupt-archive": (
        "圧縮データが途中で切れているか、壊れています（{value}）"
    ),
    "report.unreadable.unrecognised": "レポート、アーカイブ、メールのいずれでもありません",
    "report.unreadable.not-found": "そのようなファイルはありません",
    "report.unreadable.os-error": "{value}",
    "report.unreadable.no-report-in-mail": "DMARC レポートを含まないメールです",
    "report.note.line": "{org} のレポート {report_id}: {note}",
    "report.note.text-truncated": "<{value}> 内の 64 KiB を超えるテキストを切り詰めました",
    "report.note.dkim-selector-missing": (
        "{value} の DKIM 結果に、RFC 9990 で必須の selector がありません"
    ),
    "report.note.spf-scope": (
        "SPF の scope が {value} です: RFC 9990 で認められているのは mfrom だけです"
    ),
    "report.note.bad-pct": "pct が数値ではありません（{value}）",
    "report.note.pct-removed": "RFC 9990 のレポートに pct があります（このタグは削除されました）",
    "report.note.missing": "必須の要素 <{value}> がありません",
    "report.note.record-without-ip": "source_ip のないレコードを読み飛ばしました",
    "report.note.bad-count": "count が {value!r} のレコードを読み飛ばしました",
    "report.note.spf-more-than-one": (
        "1 つのレコードに SPF の結果が複数あります（RFC 9990: 0..1）"
    ),
    "report.note.reason-removed": "処置の上書き理由 {value} は RFC 9990 にありません",
    "report.note.trailing-garbage": "</feedback> の後ろの内容を無視しました（{value}）",
    "report.note.invalid-bytes": "UTF-8 でないバイトを Windows-1252 として読みました（{value}）",
    "report.note.bare-markup": "<{value}> 内の単独の < または > をテキストとして読みました",
    "report.fix.publish-selector": (
        "DKIM 公開鍵 {selector}._domainkey.{domain} を公開（または修正）してください: メールは"
        "この鍵で署名されていますが、署名の検証に失敗しています"
    ),
    "report.fix.spf-include": "{domain} の SPF レコードに include:{include} を追加してください",
    "report.fix.dkim-own-domain": (
        "{service} で自ドメイン（{domain}）による DKIM 署名を設定してください。現在は {d} として"
        "認証されており、アライメントが取れていません"
    ),
    "report.fix.spf-ip": "{domain} の SPF レコードで {ip} を許可してください（ip4:/ip6:）",
    "report.fix.partial": (
        "この送信元のメールは一部が pass しています: pass していない送信経路を突き止め、"
        "{domain} の DKIM 署名を付けてください"
    ),
    "report.reason.evidence": (
        "根拠: {reporters} 組織からのレポート {reports} 件、{days} 日分（{first}～{last}）、"
        "{messages} 通"
    ),
    "report.reason.no-data": "レポートに {domain} のメールがありません",
    "report.reason.legitimate-failing": (
        "いま p=quarantine にすると、正規のメールが 1 日あたり約 {per_day} 通（期間中 {messages} "
        "通）隔離されます。該当する送信元: {sources}"
    ),
    "report.reason.all-legitimate-pass": "{domain} の正規の送信元はすべて DMARC に pass しています",
    "report.reason.nothing-passes": (
        "これらのレポートでは、{domain} のメールは 1 通も DMARC に pass していません。メールを"
        "送らないドメインならこれで正常です。送信しているドメインなら、次の段階に進む前に、"
        "その送信元がここに挙がっているか確認してください"
    ),
    "report.reason.spoofing": (
        "{messages} 通が認証されていない送信元から送られています: これを止めるのが p=reject です"
    ),
    "report.reason.too-few-days": (
        "レポートが {days} 日分しかありません: p=reject にする前に、少なくとも {need} 日分"
        "待ってください"
    ),
    "report.reason.forwarded": (
        "{messages} 通（{share}%）は転送またはメーリングリスト経由のメールです: p=reject に"
        "すると、ARC を使わない受信側はこれらを受信拒否します"
    ),
    "report.reason.at-reject": "このドメインはすでに p=reject です",
    "report.reason.hold": "失敗している送信元を先に直してから、次の段階に進んでください",
    "report.reason.next-testing": (
        "次の段階: t=y 付きの p=quarantine（テストモード: 受信側は引き続き p=none を適用し、"
        "レポートを送ります）。RFC 9989 で pct が削除されたため、これが従来の pct=5 の段階に"
        "代わります"
    ),
    "report.reason.next-quarantine": "次の段階: t=y なしの p=quarantine",
    "report.reason.next-reject": "次の段階: p=reject",
    "report.action.publish": (
        "ドメインの _dmarc に {record} を公開してください（rua= などほかのタグはそのまま残します）"
    ),
    "report.class.aligned": "アライメント一致",
    "report.class.legitimate-failing": "正規（失敗）",
    "report.class.forwarded": "転送",
    "report.class.unauthenticated": "未認証",
    "report.text.summary": (
        "DMARC レポート: {reports} 件読み込み（レコード {records} 件）、{duplicates} 件は"
        "読み込み済み、{unreadable} 件は読み込めず、失敗レポート {failures} 件"
    ),
    "report.text.domain": "{domain}（{messages} 通、DMARC pass {passing}%、ポリシー {policy}）",
    "report.text.quarantine-safe": "p=quarantine に移行しても安全か: {answer}",
    "report.text.reject-safe": "p=reject に移行しても安全か: {answer}",
    "report.text.next-record": "次に公開するレコード: {record}",
    "report.text.actions": "優先すべき対処",
    "report.text.yes": "はい",
    "report.text.no": "いいえ",
    "report.text.sources": "送信元",
    "report.text.daily": "日ごとの通数と pass 率",
    "report.text.unreadable": "読み込めなかった入力",
    "report.text.notes": "レポートの不備（レポート自体は集計に使用）",
    "report.text.failures": "失敗レポート",
    "report.text.nothing": "レポートのデータがありません。",
    "report.col.ip": "送信元 IP",
    "report.col.source": "PTR / サービス",
    "report.col.messages": "通数",
    "report.col.spf": "SPF 一致",
    "report.col.dkim": "DKIM 一致",
    "report.col.class": "分類",
    "report.col.fix": "対処",
    "report.col.day": "日付",
    "report.col.pass": "pass 率",
    "report.html.title": "DMARC レポート: {domains}",
    "report.html.daily": "日ごとの通数と DMARC pass 率",
    "report.html.failing": "失敗の多い送信元",
    "report.html.services": "サービスごとのメールの割合",
    "report.html.other": "その他 / 不明",
    # --- report: failure reports in the verdict (issue 12) ---
    "report.reason.failure-reports": (
        "ほかに {domain} の失敗レポートが {count} 件あります (1 件が DMARC に失敗した 1 通)。"
        "送信元: {sources}"
    ),
}

"""Japanese for the reasons that used to be English fragments inside Japanese sentences (issue
14): why a DNSSEC chain breaks, why an SMTP probe failed, why a certificate is not trusted,
what a configuration value must be, why an input file cannot be used, and the BIMI mark
certificate's reasons. The English is the `# --- Japanese fragments ---` block of en.py.

Each entry is a clause that a finding's detail quotes after a colon or inside （）, so it is
written as a short plain-form clause (である調 is avoided; the finding's sentence around it is
です・ます). Terms follow docs/glossary-ja.md (トラストアンカー, 信頼の連鎖, 署名, 権威 DNS
サーバー); record types, rcodes and tag names stay as written.
"""

from __future__ import annotations

UI: dict[str, str] = {
    # dns/dnssec_reasons.ChainProblem
    "dnssec.why.lookup-failed": "{name} {rdtype} の問い合わせに失敗しました（{rcode}）",
    "dnssec.why.no-anchor": "{name} を含むトラストアンカーがありません",
    "dnssec.why.anchor-unreachable": (
        "{zone} の DNSKEY を取得できません（トラストアンカーのゾーンにここからは到達できません）"
    ),
    "dnssec.why.ds-not-signed": "{zone} の DS レコードに {parent} の署名がありません",
    "dnssec.why.ds-without-dnskey": (
        "{zone} には DS レコードがありますが、DNSKEY の問い合わせ結果が {rcode} でした"
    ),
    "dnssec.why.no-ds": "{zone} は署名されていますが、親ゾーンに DS レコードが公開されていません",
    "dnssec.why.unsigned-zone": (
        "{zone} は独立したゾーンで、署名されていません（DS も DNSKEY もありません）"
    ),
    "dnssec.why.no-key-for-ds": "{zone} の DNSKEY に、DS レコードと一致する鍵がありません",
    "dnssec.why.no-key-for-anchor": "{zone} の DNSKEY に、トラストアンカーと一致する鍵がありません",
    "dnssec.why.dnskey-not-signed": "{zone} の DNSKEY が署名されていません",
    "dnssec.why.no-rrsig": "署名されたゾーンなのに RRSIG がありません",
    "dnssec.why.no-rrsig-by-zone": "{zone} による RRSIG がありません",
    "dnssec.why.signature-expired": "署名の有効期限が {date} に切れています",
    "dnssec.why.signature-not-yet-valid": "署名の有効期間がまだ始まっていません",
    "dnssec.why.signature-invalid": "{zone} による署名の検証に失敗しました",
    "dnssec.why.cannot-validate": "{zone} の鍵では検証できません",
    "dnssec.why.unsigned-types": "{types} に RRSIG がありません",
    "dnssec.why.nothing-to-judge": "SOA、DNSKEY、A のいずれのレコードもありません",
    "dnssec.why.resolver-no-ad": "リゾルバーが AD フラグを立てませんでした",
    "dnssec.why.resolver-unsigned": (
        "リゾルバーの応答に RRSIG がなく、AD フラグも立っていませんでした"
    ),
    "dnssec.why.resolver-not-validating": (
        "リゾルバーが AD フラグを立てませんでした（検証を行わないリゾルバーか、"
        "信頼の連鎖が途切れています）"
    ),
    "dnssec.why.offline-no-ad": (
        "リゾルバーに問い合わせていない（ゾーンファイルを使用）ため、"
        "参照できる AD フラグがありません"
    ),
    "dnssec.trust-anchor.root": "ルートゾーンの KSK-2017 (20326) と KSK-2024 (38696)（組み込み）",
    # domain/smtp_reasons.SmtpProblem
    "smtp.why.mx-lookup-failed": "MX レコードの問い合わせに失敗しました（{rcode}）",
    "smtp.why.no-address": "アドレスがありません（A: {a}、AAAA: {aaaa}）",
    "smtp.why.timeout": "{seconds} 秒以内に応答がありませんでした",
    "smtp.why.connect-failed": "接続できませんでした（{code}）",
    "smtp.why.no-greeting": "サーバーが挨拶（220 応答）の前に接続を閉じました",
    "smtp.why.bad-greeting": "サーバーの挨拶が 220 ではなく {code} でした（{banner}）",
    "smtp.why.ehlo-refused": "EHLO に {code} が返されました",
    "smtp.why.starttls-not-offered": "EHLO の応答に STARTTLS がありません",
    "smtp.why.starttls-refused": "STARTTLS コマンドに {code} が返されました",
    "smtp.why.tls-handshake": "TLS ハンドシェイクに失敗しました（{code}）",
    "smtp.why.python-too-old": "STARTTLS の確認には Python 3.11 以降が必要です",
    "smtp.why.connection-lost": "やり取りの途中でサーバーが接続を閉じました",
    "smtp.why.not-smtp": "サーバーの応答が SMTP の応答の形ではありません: {text}",
    "smtp.why.line-too-long": "応答の行が長すぎます",
    "smtp.why.too-many-lines": "応答の行数が多すぎます",
    # domain/smtp_reasons.CertTrustProblem
    "smtp.trust.no-bundle": "信頼性を判定するための CA バンドルがありません",
    "smtp.trust.empty-bundle": "CA バンドルが空です",
    "smtp.trust.no-dns-name": "証明書にホスト名（subjectAltName の DNS 名）がありません",
    "smtp.trust.self-signed": "自己署名証明書です",
    "smtp.trust.unknown-issuer": (
        "発行者（{issuer}）の証明書がサーバーから送られておらず、信頼されたルートでもありません"
    ),
    "smtp.trust.not-verified": "証明書チェーンを信頼されたルートまで検証できません",
    "smtp.trust.malformed": "証明書を検証用に読み取れません",
    # errors.os_reason: network errors
    "error.os.econnrefused": "接続を拒否されました",
    "error.os.etimedout": "接続がタイムアウトしました",
    "error.os.ehostunreach": "ホストへの経路がありません",
    "error.os.enetunreach": "ネットワークに到達できません",
    "error.os.econnreset": "接続が相手側からリセットされました",
    "error.os.econnaborted": "接続が中断されました",
    "error.os.eaddrnotavail": "指定されたアドレスを割り当てられません",
    "error.os.epipe": "パイプが切断されました",
    # config.TOP / config.EXPECT
    "config.expected.table": "テーブル",
    "config.expected.domain-list": "ドメイン名のリスト",
    "config.expected.selector-list": "DKIM セレクタのリスト",
    "config.expected.score": "0 から 100 までの整数",
    "config.expected.severity": "critical、high、medium、low、info のいずれか",
    "config.expected.finding-list": '検出事項 ID のリスト（"ID" または "ID@DOMAIN"）',
    "config.expected.boolean": "真偽値（true または false）",
    "config.expected.policy": "none、quarantine、reject のいずれか",
    "config.expected.lookups": "0 から 10 までの整数",
    # error.baseline, error.ca-file, error.trust-anchor, error.config.unreadable
    "error.reason.not-utf8": "UTF-8 のテキストではありません",
    "error.reason.not-json": "JSON ではありません（{line} 行目、{column} 文字目）",
    "error.reason.not-a-report": "mailauth check --format json の出力ではありません",
    "error.reason.not-pem": "PEM 形式の証明書ではありません",
    "error.reason.no-certificate": "証明書が含まれていません",
    # records/vmc.py: the BIMI mark certificate
    "bimi.why.unparseable": "読み取れる証明書が含まれていません",
    "bimi.why.no-logotype": "証明書にロゴタイプ拡張がありません",
    "bimi.why.bad-logotype": "ロゴタイプ拡張の形式が正しくありません",
    "bimi.why.no-embedded-svg": "サブジェクトのロゴに SVG が埋め込まれていません",
    "bimi.untrusted.unknown-root": "チェーンの末端が既知のマーク証明書のルートではありません",
    "bimi.untrusted.bad-signature": "チェーン内の署名を検証できません",
    "bimi.untrusted.unknown-issuer": (
        "発行元の証明書がファイルに含まれておらず、ルートでもありません"
    ),
    "bimi.untrusted.issuer-not-ca": "発行元の証明書が CA 証明書ではありません",
    "bimi.untrusted.issuer-expired": "発行元の証明書が有効期間外です",
    "bimi.untrusted.chain-too-long": "チェーンが長すぎます",
    "bimi.crl.signature": "証明書の発行元による署名がありません",
    "bimi.crl.stale": "次回更新日（nextUpdate）を過ぎています",
    "bimi.crl.unparseable": "CRL として読み取れません",
    "bimi.revocation.not-checked.not-found": "CRL が見つかりません（HTTP 404）",
    "bimi.revocation.not-checked.http-error": "CRL のサーバーがエラーを返しました",
    "bimi.revocation.not-checked.redirect": "CRL のサーバーがリダイレクトしました",
    "bimi.revocation.not-checked.too-large": "CRL が上限のサイズを超えています",
    "bimi.revocation.not-checked.timeout": "CRL のサーバーから時間内に応答がありません",
    "bimi.revocation.not-checked.bad-url": "CRL の URL を使用できません",
    "bimi.revocation.not-checked.dns-failed": "CRL のホスト名を解決できません",
    "bimi.revocation.not-checked.connect-failed": "CRL のホストに接続できません",
    "bimi.revocation.not-checked.tls-error": "CRL のホストとの TLS 接続に失敗しました",
    "bimi.revocation.not-checked.read-failed": "--https-dir の CRL ファイルを読めません",
    "bimi.revocation.not-checked.unparseable": "証明書を読み取れません",
    # records/xml_reasons.py: expat's errors
    "bimi.xml.no-elements": "XML の要素がありません",
    "bimi.xml.syntax": "構文エラーです",
    "bimi.xml.invalid-token": "整形式ではありません（XML で使えない文字があります）",
    "bimi.xml.unclosed-token": "タグが閉じられていません",
    "bimi.xml.partial-char": "ファイルが文字の途中で終わっています",
    "bimi.xml.tag-mismatch": "終了タグが開始タグと一致しません",
    "bimi.xml.duplicate-attribute": "1 つの要素に同じ属性が 2 回あります",
    "bimi.xml.junk-after-doc-element": "ルート要素の後に内容があります",
    "bimi.xml.undefined-entity": "定義されていない実体参照が使われています",
    "bimi.xml.unclosed-cdata-section": "CDATA セクションが閉じられていません",
    "bimi.xml.unbound-prefix": "宣言されていない名前空間接頭辞が使われています",
    "bimi.xml.incorrect-encoding": "XML 宣言の文字コードが実際と異なります",
    "bimi.xml.unknown-encoding": "XML 宣言の文字コードが不明です",
    "bimi.xml.misplaced-xml-pi": "XML 宣言がファイルの先頭にありません",
    "bimi.xml.xml-decl": "XML 宣言の形式が正しくありません",
    "bimi.xml.bad-char-ref": "文字参照が無効な文字を指しています",
    "bimi.xml.other": "XML のエラー（{code}）",
    # config_syntax.py: tomllib's messages
    "config.toml.overwrite": "同じ値が 2 回設定されています",
    "config.toml.bad-escape": "エスケープが存在しない文字を指しています",
    "config.toml.expected-equals": "キーの後に '=' がありません",
    "config.toml.unclosed-table": "テーブル名が ']' で閉じられていません",
    "config.toml.unclosed-array-table": "テーブルの配列の名前が ']]' で閉じられていません",
    "config.toml.expected-newline": "値の後に、同じ行で別の内容が続いています",
    "config.toml.bad-datetime": "日付または時刻が正しくありません",
    "config.toml.bad-hex": "16 進数が正しくありません",
    "config.toml.bad-key": "キーの先頭に使えない文字があります",
    "config.toml.bad-statement": "この行は「キー = 値」の形でも [テーブル] でもありません",
    "config.toml.bad-value": "値が正しくありません（文字列は引用符で囲みます）",
    "config.toml.unclosed-array": "リストが ']' で閉じられていません",
    "config.toml.unclosed-inline-table": "インラインテーブルが '}}' で閉じられていません",
    "config.toml.unescaped-backslash": "文字列中のバックスラッシュがエスケープされていません",
    "config.toml.unterminated-string": "文字列が閉じられていません",
    "config.toml.declared-twice": "{value} が 2 回宣言されています",
    "config.toml.immutable": "{value} はここでは変更できません",
    "config.toml.redefined": "テーブル {value} が 2 回定義されています",
    "config.toml.duplicate-key": "インラインテーブルにキー {value} が 2 回あります",
    "config.toml.expected": "{value} が必要です",
    "config.toml.bad-character": "ここでは文字 {value} を使えません",
    # dns/zonefile.py: $ORIGIN that is not a domain name
    "error.zone.origin.label-too-long": "63 オクテットを超えるラベルがあります",
    "error.zone.origin.name-too-long": "名前が 255 オクテットを超えています",
    "error.zone.origin.empty-label": "空のラベル（ドットの連続）があります",
    "error.zone.origin.bad-escape": "名前に不正な \\ エスケープがあります",
}

# No finding of its own: the reasons fill other findings' {reason}.
FINDINGS: dict[str, tuple[str, str, str, str]] = {}

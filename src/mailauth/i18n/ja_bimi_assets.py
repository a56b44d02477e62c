"""Japanese text of the BIMI logo and mark certificate keys and findings (issue 11).

The `bimi.*`, `field.*`, `error.mark-root` and `cli.option.mark-root` keys of the fetching step
(the logo at l=, the mark certificate at a=, its CRL, and whether Gmail, Apple Mail and Yahoo
would show the logo), and the findings of `mailauth.findings.bimi_assets`, in the words of
docs/glossary-ja.md and `ja_findings.py`: ロゴ (Indicator), マーク証明書 (VMC / CMC),
組織ドメイン, 受信側. Mark Verifying Authority is マーク検証機関 (not yet in the glossary).
Sentences are です/ます調; titles are short sentences or noun phrases. Record syntax, tag names
(l=, a=), SVG element and attribute names, option names and brand or product names (Gmail,
Apple Mail, Yahoo, VMC, CMC, SVG Tiny PS, CRL, SCT) stay as written. Every template keeps the
{field}s of its English key; the order may differ.
"""

from __future__ import annotations

# Sentences several findings share, as the English catalogue shares them.
_NO_LOGO = "ロゴを検証する受信側（Gmail、Apple Mail、Yahoo）では、ロゴは表示されません。"
_NO_CERT_LOGO = (
    "Gmail と Apple Mail は有効なマーク証明書がある場合にだけロゴを表示するため、"
    "ロゴは表示されません。Yahoo では証明書がなくてもロゴが表示されることがあります。"
)

UI: dict[str, str] = {
    "error.mark-root": "{path} は PEM 証明書ではないため、マーク証明書のルートとして信頼できません",
    "field.logo_file": "ロゴファイル",
    "field.certificate_file": "マーク証明書ファイル",
    "field.revocation": "失効の確認",
    "field.logo_shown": "ロゴの表示",
    "bimi.asset.valid": "有効",
    "bimi.asset.invalid": "無効（検出事項を参照）",
    "bimi.asset.untrusted": "発行元が既知のマーク検証機関ではありません（検出事項を参照）",
    "bimi.asset.fetch-failed": "取得できませんでした（検出事項を参照）",
    "bimi.asset.not-available-offline": (
        "オフラインでは取得できません（--https-dir にファイルがありません）: チェックしていません"
    ),
    "bimi.asset.disabled": "取得していません（--no-fetch）: チェックしていません",
    "bimi.asset.not-fetched": "取得していません",
    "bimi.logo.facts": "{status} — {size} バイト、タイトル「{title}」",
    "bimi.certificate.facts": (
        "{status} — {kind}（{mark_type}）、{until} まで有効（残り {days} 日）、ルート: {root}"
    ),
    "bimi.root.unknown": "既知のものなし",
    "bimi.revocation.not-checked": "未確認: {reason}",
    "bimi.revocation.not-checked.no-crl-url": "証明書に CRL の記載がありません",
    "bimi.revocation.not-checked.not-https": "CRL の URL が http でも https でもありません",
    "bimi.revocation.not-checked.refused-address": (
        "CRL のホストがプライベートまたはループバックのアドレスを指しています"
        "（--allow-private-fetch で許可できます）"
    ),
    "bimi.revocation.not-checked.issuer-unknown": "発行元の証明書が不明です",
    "bimi.revocation.not-checked.disabled": "取得しない設定です（--no-fetch）",
    "bimi.revocation.not-checked.not-available-offline": "--https-dir に CRL ファイルがありません",
    "bimi.revocation.good": "失効していません（CRL を確認済み）",
    "bimi.revocation.revoked": "失効しています（{detail} から）",
    "bimi.revocation.bad-crl": "CRL が検証に使えないため、失効は確認できません（{detail}）",
    "bimi.receiver.verdict": "{receiver}: {answer}（{reason}）",
    "bimi.receiver.gmail": "Gmail",
    "bimi.receiver.apple": "Apple Mail",
    "bimi.receiver.yahoo": "Yahoo",
    "bimi.answer.yes": "表示される",
    "bimi.answer.no": "表示されない",
    "bimi.answer.unknown": "不明",
    "bimi.reason.declined": "ドメインが BIMI を辞退しています",
    "bimi.reason.no-record": "使用できる BIMI レコードがありません",
    "bimi.reason.dmarc-not-enforced": "DMARC がポリシー適用になっていません",
    "bimi.reason.dmarc-unknown": "DMARC の参照に失敗しました",
    "bimi.reason.logo-invalid": "ロゴが有効な SVG Tiny PS ではありません",
    "bimi.reason.logo-unavailable": "ロゴを取得できませんでした",
    "bimi.reason.logo-not-checked": "ロゴをチェックしていません",
    "bimi.reason.self-asserted": "Yahoo は有効なロゴなら証明書なしでも表示します",
    "bimi.reason.no-certificate": "マーク証明書（a=）が必要です",
    "bimi.reason.certificate-invalid": "マーク証明書が有効ではありません",
    "bimi.reason.certificate-untrusted": "マーク証明書の発行元が既知のマーク検証機関ではありません",
    "bimi.reason.certificate-not-checked": "マーク証明書をチェックしていません",
    "bimi.reason.mark-type-unknown": "証明書に既知のマークの種類が記載されていません",
    "bimi.reason.cmc-not-accepted": "Apple Mail には VMC が必要ですが、これは CMC です",
    "bimi.reason.root-distrusted": "Apple Mail は Entrust のマーク証明書を信頼していません",
    "bimi.reason.certificate-valid": "有効なマーク証明書があります",
    "cli.option.mark-root": (
        "この PEM 証明書も、BIMI のマーク証明書を発行するマーク検証機関（Mark Verifying Authority）"
        "のルートとして信頼します（非公開の試験運用のルートや samples/https/ "
        "のサンプルのルートなど。複数指定可）。"
    ),
}

FINDINGS: dict[str, tuple[str, str, str, str]] = {
    "bimi.certificate-domain-mismatch": (
        "BIMI のマーク証明書が別のドメインのものです",
        "{domain} もその組織ドメインも、証明書の SAN（{san}）に含まれていません。",
        _NO_CERT_LOGO,
        (
            "{domain} 用に発行されたマーク証明書を使うか、このドメインを含めて証明書を再発行しても"
            "らってください。"
        ),
    ),
    "bimi.certificate-expired": (
        "BIMI のマーク証明書の有効期限が切れています",
        "マーク証明書の有効期限は {date} に切れました。",
        _NO_CERT_LOGO,
        "マーク検証機関で証明書を更新し、新しい PEM を公開してください。",
    ),
    "bimi.certificate-expiring": (
        "BIMI のマーク証明書の有効期限が近づいています",
        "マーク証明書の有効期限まであと {days} 日です。",
        "期限が切れると、Gmail と Apple Mail ではロゴが表示されなくなります。",
        "今のうちに証明書を更新し、期限が切れる前に新しい PEM を公開してください。",
    ),
    "bimi.certificate-fetch-failed": (
        "BIMI のマーク証明書を取得できませんでした",
        "a= の証明書 {url} の取得に失敗しました: {reason}。",
        _NO_CERT_LOGO,
        "PEM ファイルを公開ホストから https で {url} に配信し、200 を返すようにしてください。",
    ),
    "bimi.certificate-logo-mismatch": (
        "証明書内のロゴが l= のロゴと異なります",
        (
            "証明書に埋め込まれた SVG（SHA-256 {embedded}）は、{url} のファイル（SHA-256 "
            "{fetched}）と一致しません。"
        ),
        (
            "証明書を検証する受信側は、証明書のロゴと l= のロゴが 1 "
            "バイト単位で一致していることを求めます。Gmail と Apple Mail ではロゴは表示されません。"
        ),
        "証明書の発行対象となった SVG ファイルを、そのまま l= に公開してください。",
    ),
    "bimi.certificate-no-logo": (
        "BIMI のマーク証明書に読み取れるロゴがありません",
        "証明書のロゴタイプ拡張から SVG を読み取れませんでした: {reason}。",
        _NO_CERT_LOGO,
        "SVG のロゴを埋め込んだ証明書を、マーク検証機関に再発行してもらってください。",
    ),
    "bimi.certificate-no-sct": (
        "BIMI のマーク証明書が Certificate Transparency に記録された証拠がありません",
        "証明書にプレ証明書の SCT リストがありません（CT ログに記録されていません）。",
        (
            "VMC の検証方法を定めたドラフトは、マーク証明書が CT "
            "ログに記録されていることを求めています。これに従う受信側はこの証明書を拒否します。"
        ),
        "CT ログに記録された証明書の発行をマーク検証機関に依頼してください。",
    ),
    "bimi.certificate-not-mark": (
        "a= の証明書がマーク証明書ではありません",
        (
            "証明書に BIMI の拡張鍵用途（EKU）1.3.6.1.5.5.7.3.31 がありません（含まれているもの: "
            "{usages}）。"
        ),
        _NO_CERT_LOGO,
        (
            "a= には VMC（Verified Mark Certificate）か CMC（Common Mark Certificate）"
            "を指定してください。TLS 証明書などほかの証明書は使えません。"
        ),
    ),
    "bimi.certificate-not-yet-valid": (
        "BIMI のマーク証明書がまだ有効になっていません",
        "マーク証明書は {date} から有効になります。",
        _NO_CERT_LOGO,
        "{date} 以降に公開するか、それまでは a= に以前の証明書を置いたままにしてください。",
    ),
    "bimi.certificate-revoked": (
        "BIMI のマーク証明書が失効しています",
        "{url} の CRL に、この証明書が {date} から失効していると記載されています。",
        _NO_CERT_LOGO,
        "マーク検証機関から新しい証明書を取得し、a= に公開してください。",
    ),
    "bimi.certificate-unparseable": (
        "BIMI のマーク証明書を読み取れません",
        "{url} のファイルは PEM 形式の証明書チェーンではありません: {reason}。",
        _NO_CERT_LOGO,
        "マーク検証機関が発行した PEM ファイルを、手を加えずに公開してください。",
    ),
    "bimi.certificate-untrusted": (
        "BIMI のマーク証明書の発行元が既知のマーク検証機関ではありません",
        "証明書チェーンを既知のマーク証明書のルートまで検証できません（{reason}: {issuer}）。",
        _NO_CERT_LOGO,
        (
            "マーク検証機関から受け取ったチェーン全体（証明書と中間証明書）を公開してください。"
            "ほかの認証局が発行した証明書は受け付けられません。"
        ),
    ),
    "bimi.logo-fetch-failed": (
        "BIMI のロゴを取得できませんでした",
        "l= のロゴ {url} の取得に失敗しました: {reason}。",
        "同じように取得に失敗した受信側には、表示するロゴがありません。" + _NO_LOGO,
        (
            "有効な証明書を持つ公開ホストから https で {url} に SVG を配信し、"
            "リダイレクトなしで 200 を返すようにしてください。"
        ),
    ),
    "bimi.svg-dtd": (
        "BIMI のロゴに DOCTYPE または実体宣言が含まれています",
        "ロゴ {url} が DTD または実体を宣言しています（{reason}）。これらは展開していません。",
        (
            "SVG Tiny PS に DOCTYPE はなく、受信側は実体宣言を拒否します（XML "
            "爆弾に使われる仕組みのため）。" + _NO_LOGO
        ),
        "ロゴから <!DOCTYPE ...> の行と <!ENTITY ...> 宣言をすべて削除してください。",
    ),
    "bimi.svg-external-reference": (
        "BIMI のロゴがファイルの外を参照しています",
        "{line} 行目: <{element}{setting}> がファイルの外を指しています。",
        (
            "ロゴ（Indicator）はファイル単体で完結していなければなりません。"
            "ほかのファイルへのリンク、data: URL、javascript: は拒否されます（読み手の追跡や攻撃に"
            "使われうるため）。" + _NO_LOGO
        ),
        (
            "参照先の内容をファイル内に直接書くか、ファイル内の id "
            'だけを参照してください（href="#id"）。'
        ),
    ),
    "bimi.svg-forbidden-element": (
        "BIMI のロゴに禁止された要素または属性が含まれています",
        "{line} 行目: <{element}{setting}> は SVG Tiny PS では使えません。",
        (
            "スクリプト、アニメーション、foreignObject、ラスター画像、イベントハンドラーは、"
            "安全のためこのプロファイルから除外されています。" + _NO_LOGO
        ),
        (
            "ロゴから <{element}> 要素またはそのイベント属性を削除し、"
            "画像はベクター図形だけで描いてください。"
        ),
    ),
    "bimi.svg-not-square": (
        "BIMI のロゴが正方形ではありません",
        (
            '{line} 行目: <svg viewBox="{value}">: viewBox は必須で、'
            "幅と高さが等しくなければなりません。"
        ),
        "受信側はロゴを正方形または円形で表示するため、正方形でないロゴは拒否されます。",
        'ルートの <svg> に正方形の viewBox を指定してください（例: viewBox="0 0 512 512"）。',
    ),
    "bimi.svg-not-tiny-ps": (
        "BIMI のロゴが SVG Tiny PS ではありません",
        (
            "{line} 行目: <{element}{setting}> が SVG Tiny PS プロファイルに違反しています（規則: "
            "{rule}）。"
        ),
        _NO_LOGO,
        (
            'ルート要素は SVG 名前空間の <svg version="1.2" baseProfile="tiny-ps"> とし、'
            "x 属性と y 属性を付けず、ブランド名を書いた <title> 要素を含めてください。"
        ),
    ),
    "bimi.svg-too-large": (
        "BIMI のロゴファイルが大きすぎます",
        "ロゴ {url} は {size} バイトです。上限は 32 KB です。",
        "受信側は 32 KB を超えるロゴ（Indicator）を拒否します。" + _NO_LOGO,
        (
            "パスを単純化してメタデータを削除し（svgo などの最適化ツールが使えます）、"
            "32 KB 未満に収めてください。"
        ),
    ),
    "bimi.svg-unparseable": (
        "BIMI のロゴが整形式の XML ではありません",
        "ロゴ {url} を XML として解析できません（{line} 行目）: {reason}。",
        _NO_LOGO,
        (
            "ロゴを SVG Tiny PS 形式でもう一度書き出してください（BIMI Group "
            "の変換ツールなどが使えます）。"
        ),
    ),
}

"""Japanese text of the keys the fetch/MTA-STS-policy work (issue 11) added to `en.py` and to
the finding catalogue, kept apart so the Japanese table (`ja.py`, built in parallel) takes
them with one line when both land: `**UI` into its table and `FINDINGS` into its finding
text. tests/unit/i18n/test_ja_fetch_mtasts.py holds it to the English keys and fields.

Record syntax (`version: STSv1`, `mode: enforce`, `mx:`, `max_age`), option names and HTTP
terms stay as written.
"""

from __future__ import annotations

UI: dict[str, str] = {
    "error.no-fetch-with-https-dir": (
        "--no-fetch と --https-dir は同時には指定できません。どちらか一方だけを指定してください"
    ),
    "error.fetch-ca-file": "{path} に信頼する PEM 形式の証明書がありません",
    "fetch-outcome.ok": "取得できました",
    "fetch-outcome.not-found": "サーバーが HTTP {detail}（見つからない）を返しました",
    "fetch-outcome.http-error": "サーバーがエラーを返しました（{detail}）",
    "fetch-outcome.redirect": "サーバーがリダイレクトしました（{detail}）",
    "fetch-outcome.too-large": "ファイルが上限の {limit} バイトを超えています",
    "fetch-outcome.timeout": "{detail} 以内に応答が完了しませんでした",
    "fetch-outcome.not-https": "URL が https:// ではありません",
    "fetch-outcome.bad-url": "URL が単純な https://ホスト/パス の形ではありません",
    "fetch-outcome.dns-failed": "ホスト名を解決できませんでした（{detail}）",
    "fetch-outcome.refused-address": "ホストがパブリックでないアドレス（{detail}）に解決されます",
    "fetch-outcome.connect-failed": "接続できませんでした（{detail}）",
    "fetch-outcome.tls-error": "TLS 接続に失敗しました: {detail}",
    "fetch-outcome.not-available-offline": (
        "--https-dir のディレクトリに該当するファイルがありません"
    ),
    "fetch-outcome.read-failed": "--https-dir のディレクトリのファイルを読めません（{detail}）",
    "fetch-outcome.disabled": "取得は無効になっています",
    "mta-sts-policy-problem.malformed-line": "行 {value!r} が「キー: 値」の形ではありません",
    "mta-sts-policy-problem.duplicate-field": "{subject}: が複数回書かれています",
    "mta-sts-policy-problem.missing-version": "version: STSv1 の行がありません",
    "mta-sts-policy-problem.bad-version": "version: {value} は STSv1 ではありません",
    "mta-sts-policy-problem.missing-mode": "mode: の行がありません",
    "mta-sts-policy-problem.bad-mode": (
        "mode: {value} は enforce、testing、none のいずれでもありません"
    ),
    "mta-sts-policy-problem.missing-max-age": "max_age: の行がありません",
    "mta-sts-policy-problem.bad-max-age": "max_age: {value} は秒数ではありません",
    "mta-sts-policy-problem.missing-mx": "mode: {value} には mx: の行が少なくとも 1 つ必要です",
    "mta-sts-policy-problem.bad-mx": "mx: {value} はホスト名でも *. のパターンでもありません",
    "mta-sts-policy-problem.short-max-age": "max_age: {value} は 1 日未満です",
    "mta-sts-max-age.short": "enforce モードで 1 日未満",
    "mta-sts-max-age.long": "RFC 8461 の上限 {limit} 秒を超えています",
    "mta-sts-policy.valid": "有効",
    "mta-sts-policy.invalid": "送信側に拒否されます（検出事項を参照）",
    "mta-sts-policy.fetch-failed": "取得できませんでした（検出事項を参照）",
    "mta-sts-policy.refused": "取得していません: ホストがパブリックでないアドレスです",
    "mta-sts-policy.not-available-offline": (
        "オフラインでは取得できません（--https-dir にファイルなし）"
    ),
    "mta-sts-policy.not-fetched.offline": (
        "取得していません（オフライン: --zone のみで --https-dir なし）"
    ),
    "mta-sts-policy.not-fetched.no-fetch": "取得していません（--no-fetch）",
    "mta-sts-policy.not-fetched.no-fetcher": "取得していません",
    "mta-sts-policy.not-fetched.no-policy-host": (
        "取得していません（ポリシーのホストにアドレスがありません）"
    ),
    "mta-sts-policy.server-offline": (
        "オフラインでは確認していません（Web ホストの TLS 証明書、Content-Type）"
    ),
    "mta-sts-policy.server-checked": "TLS 証明書はホスト名に対して有効、text/plain",
    "field.policy_file": "ポリシーファイル",
    "field.policy_server": "ポリシーの Web サーバー",
    "field.mode": "モード",
    "field.mx_patterns": "MX パターン",
    "field.max_age": "max_age（秒）",
    "field.unmatched_mx": "ポリシーが対象にしていない MX ホスト",
    "cli.option.https-dir": (
        "https での取得（MTA-STS ポリシー、BIMI のロゴと証明書）をすべて、ネットワークではなく "
        "DIR/<ホスト>/<パス> のファイルで答えます（DNS に対する --zone と同じです）。アップロード"
        "前のファイルを検査できます。ファイルのない URL は「オフラインでは取得できない」と報告し、"
        "Web サーバー自体（証明書、Content-Type）は確認しません。"
    ),
    "cli.option.allow-private-fetch": (
        "プライベート、ループバック、リンクローカル、予約済みのアドレスに解決されるホストからも"
        "取得します（イントラネット、テスト用）。指定しない場合、そのような取得は拒否します。"
        "URL は誰でも書ける DNS から来るためです。"
    ),
    "cli.option.no-fetch": (
        "https で何も取得しません（MTA-STS ポリシー、BIMI のロゴと証明書）。取得しなかったものは"
        "レポートに示します。--zone を指定し --https-dir を指定しない実行も取得しません。"
    ),
    "cli.option.fetch-ca-file": (
        "https での取得に、公開ルートではなくこの PEM ファイルの認証局を信頼します"
        "（イントラネットの CA、テスト用の CA）。"
    ),
    "cli.option.https-port": (
        "テスト専用: ポートを指定していない URL の https 取得で、443 ではなくこのポートに接続します"
        "（ローカルのテストサーバー）。"
    ),
}

_NO_POLICY = (
    "有効なポリシーを取得できない送信側はポリシーを適用しない（または以前キャッシュしたものを使う）"
    "ため、自ドメイン宛てのメールが再び暗号化されていない、または認証されていない接続で配送されうる状態"
    "になります。TXT レコードは実在しない保護を告知していることになります。"
)

# id -> (title, detail, consequence, fix)
FINDINGS: dict[str, tuple[str, str, str, str]] = {
    "mta_sts.policy-fetch-failed": (
        "MTA-STS ポリシーを取得できません",
        "{url} の取得に失敗しました: {reason}。",
        _NO_POLICY,
        "{url} でポリシーを、ホスト名に対して有効な証明書を持つ HTTPS で、ステータス 200 と"
        "ファイル本体（64 KB 以下）で配信し、もう一度チェックしてください。",
    ),
    "mta_sts.policy-redirect": (
        "MTA-STS ポリシーがリダイレクトで配信されています",
        "{url} はリダイレクト（HTTP {status}）で {location} を指しています。",
        "RFC 8461 §3.3 はポリシー取得時のリダイレクト追従を禁じているため、送信側はポリシーが"
        "ないものとして扱います。" + _NO_POLICY,
        "リダイレクトせず、{url} でポリシーファイルそのもの（ステータス 200）を配信してください。",
    ),
    "mta_sts.policy-fetch-refused": (
        "MTA-STS ポリシーのホストがパブリックでないアドレスです（取得していません）",
        "{host} はプライベート、ループバック、リンクローカルまたは予約済みのアドレス {address} "
        "に解決されるため、mailauth は {url} を取得しませんでした。",
        "インターネット上の送信側もそのアドレスには到達できないため、送信側にとってポリシーは"
        "存在しません。ポリシー自体は確認していません。",
        "{host} にパブリックなアドレスを公開してください。イントラネットやテスト環境では "
        "--allow-private-fetch を付けて再実行してください。",
    ),
    "mta_sts.policy-not-available-offline": (
        "MTA-STS ポリシーが --https-dir のディレクトリにありません",
        "オフライン実行で、--https-dir のディレクトリに {url} のファイル（{path}）がありません。",
        "ポリシーファイルは確認していません。実際のサーバーには存在するかもしれません。"
        "レポートのその他の内容はそのまま有効です。",
        "検査するには --https-dir のディレクトリの {path} にポリシーファイルを置くか、--zone を"
        "付けずに実行してサーバーから取得してください。",
    ),
    "mta_sts.policy-content-type": (
        "MTA-STS ポリシーが text/plain で配信されていません",
        "{url} は Content-Type {content_type} で配信されました。RFC 8461 は text/plain を"
        "求めています。",
        "メディアタイプを確認する送信側（RFC 8461 §3.3 の求めるとおり）はポリシーを拒否し、"
        "ポリシーを適用しません。",
        "{url} に Content-Type: text/plain を返すよう Web サーバーを設定してください。",
    ),
    "mta_sts.policy-syntax": (
        "MTA-STS ポリシーファイルの書式が正しくありません",
        "{url} のポリシー: {problem}。",
        "version、mode、max_age、mx の行が欠けているか不正なポリシーは送信側に拒否され"
        "（RFC 8461 §3.2）、ポリシーは適用されません。その他の問題は送信側によって解釈が"
        "分かれることがあります。",
        "ポリシーは 1 行に 1 つの「キー: 値」で書いてください: version: STSv1、mode: "
        "enforce|testing|none、MX ホストのパターンごとに mx: を 1 行、max_age: 秒数"
        "（86400〜31557600）。",
    ),
    "mta_sts.policy-mx-mismatch": (
        "MTA-STS ポリシーが対象にしていない MX ホストがあります",
        "MX ホスト {mx} はポリシーの mx パターン（{patterns}）のどれにも一致しません。",
        "enforce モードでは、送信側はポリシーに載っていない MX ホストへの配送を拒否します"
        "（RFC 8461 §4.1）。{mx} に向かうメールはバウンスするか、送信側のキューに滞留します。"
        "testing モードでは配送し、失敗を報告するだけです。",
        "{url} のポリシーに mx: {mx} の行（またはそれを含む *. のパターン）を追加し、送信側が"
        "再取得するよう TXT レコードの id= を変更してください。",
    ),
    "mta_sts.policy-mx-unused": (
        "どの MX ホストにも一致しない MTA-STS の mx パターンがあります",
        "ポリシーの mx パターン {pattern} は、ドメインのどの MX ホスト（{hosts}）にも一致"
        "しません。",
        "配送には影響しませんが、古いパターン（以前の事業者のホストなど）が残っていると、もう"
        "管理していないホストにメールが向かっても MTA-STS では検知できません。",
        "そのホストをすぐに追加する予定がなければ、{url} のポリシーから mx: {pattern} を"
        "削除してください。",
    ),
    "mta_sts.policy-testing": (
        "MTA-STS ポリシーが testing モードです",
        "{url} のポリシーは mode: testing です。",
        "送信側は TLS に失敗した場合や MX が対象外の場合も配送し、報告（TLS-RPT）するだけです。"
        "自ドメイン宛てのメールはまだダウングレード攻撃から保護されていません。",
        "TLS-RPT のレポートで数週間失敗がないことを確認したら、ポリシーを mode: enforce に変更し、"
        "TXT レコードの id= を変更してください。",
    ),
    "mta_sts.policy-none": (
        "MTA-STS ポリシーが撤回されています（mode: none）",
        "{url} のポリシーは mode: none です。",
        "送信側はこのドメインへの MTA-STS の適用をやめます。何も保護されていません。",
        "計画した撤回でなければ、MX ホストの mx 行を付けて mode: testing か enforce を公開して"
        "ください。",
    ),
    "mta_sts.policy-max-age": (
        "MTA-STS の max_age が範囲外です",
        "{url} のポリシーは max_age: {max_age} です（{problem}）。",
        "1 日未満では enforce のポリシーがすぐに送信側のキャッシュから消えるため、ポリシーの"
        "取得を妨害する攻撃者は少し待つだけでメールをダウングレードできます。31557600 秒"
        "（RFC 8461 §3.2）を超えると、送信側はポリシーを拒否するか上限に切り詰めることがあります。",
        "max_age は 86400（1 日）から 31557600 の間にしてください。enforce モードでは数週間"
        "（604800 以上）が一般的です。",
    ),
}

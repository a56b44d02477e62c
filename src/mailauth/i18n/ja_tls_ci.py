"""Japanese text of the DNSSEC/DANE/STARTTLS, CI and bulk keys and findings (issues 10, 11, 13).

The interface strings (`UI`) and the findings (`FINDINGS`: per id, its title, detail,
consequence and fix) of the DNSSEC, DANE and SMTP STARTTLS checks, the CI formats (SARIF,
GitHub annotations, Markdown, JUnit), baselines, the configuration file and its [expect]
table, domain lists, bulk progress and the options of these features, in the words of
docs/glossary-ja.md and the style of `ja.py` / `ja_findings.py`: です/ます調 sentences,
noun-phrase titles; record syntax, tag names, RFC result words (pass, permerror, bogus,
secure), option names and technical names (DNSSEC, DANE, TLSA, STARTTLS, DS, DNSKEY, SARIF)
stay as written. Every template keeps the {fields} of its English key; GitHub annotation
and SARIF templates keep their structure.
"""

from __future__ import annotations

_DANE_OPTIONAL = (
    "メールは通常どおり配送されます。DANE は任意で、スコアも減りません。DANE があれば、"
    "対応している送信側（DANE を有効にした Postfix や Exim、Microsoft 365、"
    "ヨーロッパの多くの事業者）は、偽装された TLS 接続や TLS を取り除かれた接続では自ドメインの MX "
    "に配送しなくなります。"
)
_SERVFAIL = (
    "DNSSEC 検証を行うリゾルバー（Google Public DNS、Cloudflare、Quad9 や多くの ISP "
    "のリゾルバー）は、これらのレコードについてデータの代わりに SERVFAIL を返します。"
    "それらを使う受信側は自ドメインの SPF、DMARC、MX を読めないため、"
    "自ドメイン宛てのメールは配送が保留され、自ドメインからのメールは SPF と DMARC "
    "が一時エラーで失敗します。"
)
_NOT_DELIVERED = (
    "日和見的に TLS を使う送信側は（認証なしで）配送を続けますが、MTA-STS "
    "を適用している送信側（Gmail、Outlook.com、Yahoo が対応）や DANE に対応した送信側は、"
    "このホストに配送しません。"
)

UI: dict[str, str] = {
    "error.trust-anchor": (
        "トラストアンカーのファイル {path} を使えません: {reason}（DS または DNSKEY "
        "のレコードを、オーナー名を絶対名にして書いてください。例: 'example.jp. IN DS 12345 13 "
        "2 <hex>'）"
    ),
    "error.trust-anchor.too-large": "64 KiB を超えています",
    "error.trust-anchor.empty": "DS レコードも DNSKEY レコードも含まれていません",
    "error.ca-file": "CA ファイル {path} を使えません: {reason}",
    "error.baseline": "{path} をベースラインとして使えません: {reason}",
    "error.config": "設定ファイル {path} の {line} 行目: {reason}",
    "error.config.syntax": "TOML として正しくありません: {message}",
    "error.config.unknown-key": "不明なキー {key}",
    "error.config.type": "{key} の値は、{expected}である必要があります",
    "error.config.unreadable": "{file} を読めません: {reason}",
    "error.no-domains": (
        "チェックするドメインがありません。ドメインを指定するか、--domains-file FILE "
        "を付けるか、mailauth.toml の domains に並べてください"
    ),
    "error.ignore": "--ignore {value} は指定できません: {reason}",
    "error.save-zone": "{path} にゾーンファイルを書き込めません: {reason}",
    "error.save-zone-offline": (
        "--save-zone は実際の DNS の応答を記録するものなので、--zone と一緒には使えません"
    ),
    "error.list.line": "{path} の {line} 行目: {reason}",
    "error.list.several": "1 行に複数の項目があります（1 行に 1 つだけ書きます。# 以降はコメント）",
    "error.list.selector": (
        "'{selector}' は DKIM セレクタではありません（DNS の名前です。使えるのは英字、数字、-、_）"
    ),
    "error.list.empty": "{path}: 項目がありません（空行と # のコメントだけです）",
    "error.list.not-utf8": (
        "{path}: UTF-8 のテキストではありません（最初の不正なバイトはオフセット {offset}）"
    ),
    "error.list.too-large": "{path}: {limit_mb} MB を超えています。名前の一覧ではありません",
    "error.list.csv-no-domain-column": (
        "{path} の {line} 行目: CSV ファイルにはヘッダに 'domain' 列が必要です"
    ),
    "sarif.message": "{target}: {title}。",
    "sarif.truncated": (
        "{total:,} 件の結果のうち {shown:,} 件を書き出しました（GitHub code scanning が 1 "
        "回の実行で表示するのは 5,000 件まで）。すべての結果は JSON レポートにあります。"
    ),
    "github.report": "mailauth: {target}: スコア {score}/100、評価 {grade}、検出事項 {count} 件",
    "github.title": "{target}: {title} ({id})",
    "github.more": (
        "mailauth: 注釈にしていない検出事項があります（GitHub が表示するのはレベルごとに "
        "{limit} 件まで）: ほかに error {errors} 件、warning {warnings} 件、notice {notices} "
        "件。完全なレポートを参照してください。"
    ),
    "markdown.heading.check": "mailauth check",
    "markdown.heading.verify": "mailauth verify",
    "markdown.target": "対象",
    "markdown.score": "スコア",
    "markdown.grade": "評価",
    "markdown.findings": "検出事項",
    "markdown.severity": "重要度",
    "markdown.finding": "検出事項",
    "markdown.at-most": "最大 {score}",
    "markdown.summary": "{target}: 検出事項 {count} 件",
    "markdown.more": (
        "…ほかに {count} 件の検出事項があります。JSON または SARIF のレポートを参照してください。"
    ),
    "markdown.changes": "ベースラインからの変化: {target}",
    "junit.failure": "検出事項 {count} 件: {title}",
    "junit.error": "{check}: 参照に失敗したため判定なし",
    "baseline.score-delta": "スコア {delta}",
    "baseline.new": "新しい検出事項: {ids}",
    "baseline.resolved": "解消した検出事項: {ids}",
    "baseline.record": "{check} レコードの変更: {before} -> {after}",
    "baseline.unchanged": "変化なし",
    "baseline.added": "ベースラインにはない新しい対象",
    "check.dnssec": "DNSSEC",
    "check.dane": "DANE",
    "dane.problem.unparseable": "レコードを解析できません",
    "dane.problem.unknown-usage": (
        "証明書の用途（certificate usage）{usage} は割り当てられていない値です"
    ),
    "dane.problem.unknown-selector": "セレクタ {selector} は割り当てられていない値です",
    "dane.problem.unknown-matching": (
        "照合方式（matching type）{matching} は割り当てられていない値です"
    ),
    "field.method": "検証方法",
    "field.trust_anchor": "トラストアンカー",
    "field.security": "DNSSEC",
    "field.signed": "署名済み",
    "field.zone": "署名しているゾーン",
    "field.chain": "信頼の連鎖",
    "field.tlsa": "TLSA",
    "field.tlsa_name": "TLSA レコード名",
    "field.dnssec": "DNSSEC",
    "field.rollover_safe": "ロールオーバー対応",
    "field.usage": "レコード",
    "check.smtp": "SMTP STARTTLS",
    "field.smtp_requested": "接続して確認（--smtp）",
    "field.smtp_status": "STARTTLS",
    "field.tls_version": "TLS バージョン",
    "field.cipher": "暗号スイート",
    "field.days_left": "残り日数",
    "field.trusted": "証明書の信頼",
    "field.name_matches": "名前の一致",
    "field.mta_sts_ready": "MTA-STS 対応",
    "field.dane_match": "DANE の一致",
    "cli.option.trust-anchor": (
        "組み込みのルートゾーンの鍵ではなく、FILE の DS または DNSKEY レコードを起点に DNSSEC "
        "を検証します（例: --zone でオフラインでチェックする署名済みゾーンの DS）。"
    ),
    "cli.option.smtp": (
        "各 MX ホストのポート 25 にも接続し、STARTTLS、TLS バージョン、暗号スイート、"
        "証明書（信頼、名前、有効期限）、MTA-STS への対応、DANE との一致を確認します。"
        "指定したときだけ実行します。多くのネットワークではポート 25 が遮断されており、"
        "接続できない場合は未確認として報告します。"
    ),
    "cli.option.smtp-port": "テスト専用: 25 ではなくこのポートに接続します。",
    "cli.option.smtp-timeout": "MX ホストごとにかけてよい秒数（接続から QUIT まで）。",
    "cli.option.ca-file": (
        "--smtp で信頼する CA 証明書の PEM ファイル（既定: システムの CA バンドル）。独自の CA "
        "を使うテスト用です。"
    ),
    "cli.option.trust-resolver-ad": (
        "DNSSEC を自分では検証せず、問い合わせたリゾルバー（--nameserver）の AD "
        "フラグを判定として使います。判定の信頼性は、"
        "そのリゾルバーとそこまでの経路の信頼性を超えません。"
    ),
    "cli.option.exit-zero": (
        "検出事項が --fail-under、--fail-on、--fail-on-new または設定ファイルの条件（[expect]）"
        "に該当しても、終了ステータス 0 で終了します。エラーは引き続き 2、参照の失敗は 3 "
        "で終了します。"
    ),
    "cli.option.config": (
        "設定を FILE から読みます（既定: 作業ディレクトリの mailauth.toml、なければ "
        "pyproject.toml の [tool.mailauth]）。"
        "コマンドラインのオプションはファイルより優先します。"
    ),
    "cli.option.ignore": (
        "この検出事項 ID を、すべてのドメインで、または 1 つのドメインについて（ID@DOMAIN）"
        "除外します。一覧に出さず、採点もしません。複数指定可。指定すると設定ファイルの ignore "
        "の一覧を置き換えます。"
    ),
    "cli.option.baseline": (
        "以前の --format json の出力と比較し、新しい検出事項と解消した検出事項、スコアの増減、"
        "変更されたレコードを示します。"
    ),
    "cli.option.fail-on-new": (
        "--baseline と一緒に使います。ベースラインの時点ですでにあった検出事項は対象にせず、"
        "新しく現れた検出事項（--fail-on を指定していればその重要度以上のもの）があるときだけ、"
        "終了ステータス 1 で終了します。"
    ),
    "cli.option.save-zone": (
        "このオンラインの実行で使ったすべての DNS 応答を、DIR "
        "にゾーンファイルとして書き出します。--zone DIR でこの実行をオフラインで再現できます。"
    ),
    "cli.option.domains-file": (
        "FILE（- なら標準入力）に並べたすべてのドメインも確認します。1 行に 1 つ、# でコメント、"
        "国際化ドメイン名も可で、重複は 1 回だけ確認します。'domain' 列のある CSV "
        "ファイルも使えます。"
    ),
    "cli.option.concurrency": (
        "同時に確認するドメインの数。DNS "
        "の問い合わせは少数のソケットと同時問い合わせ数の上限を共有するため、"
        "値を大きくしても多くは待ち行列に並ぶだけです。"
    ),
    "cli.option.dkim-selectors": (
        "各ドメインで推測して試す DKIM セレクタ: common（組み込みの、"
        "各事業者の既定のセレクタの一覧）、none（推測しない。SPF と DMARC "
        "だけが必要な調査が速くなります）、またはセレクタを 1 行に 1 つ書いた FILE。--selector "
        "で指定したセレクタは常に確認します。"
    ),
    "cli.progress.domains": "確認中",
    "cli.progress.rate": "{rate} ドメイン/秒",
    "cli.option.report-db": (
        "レポートをこの SQLite ファイルに保存し、"
        "そこに保存されたすべてのレポートから判定します。"
        "以前に読んだレポートは二重に数えません。指定しない場合は、"
        "この実行の間だけメモリ上に保存します。"
    ),
    "cli.option.report-since": (
        "これより後に終わるレポートだけを判定に使います: 30d、12h、2w、または日付（YYYY-MM-DD）。"
    ),
    "cli.option.report-domain": (
        "このドメイン（とそのサブドメイン）についてのレポートだけを対象にします。"
    ),
    "error.report-nothing-read": "{count} 個の入力から DMARC レポートを 1 つも読めませんでした",
    "error.report-no-input": (
        "レポートのファイルを指定するか、保存済みのレポートを判定するなら --db FILE "
        "を指定してください"
    ),
    "error.report-since": "--since: {value!r} は期間（30d、12h、2w）でも日付でもありません",
    "error.report-store": "{path} をレポートの保存先として使えません: {reason}",
    # --- issue 11 finish: STARTTLS against the MTA-STS policy (domain/smtp_mta_sts.py) ---
    "field.mta_sts_policy": "MTA-STS ポリシー",
    "smtp.mta-sts-policy.satisfied": "満たしています",
    "smtp.mta-sts-policy.not-satisfied": "満たしていません: {reasons}",
    "smtp.mta-sts-policy.no-policy": "ポリシーなし（{reasons}）",
    "smtp.mta-sts-policy.unknown": "ポリシーを確認できていません（{reasons}）",
    "smtp.mta-sts-policy.not-tested": "未確認",
    "smtp.mta-sts-reason.mx-not-matched": "ポリシーのどの mx パターンにも一致しません",
    "smtp.mta-sts-reason.no-starttls": "STARTTLS がありません",
    "smtp.mta-sts-reason.tls-failed": "TLS ハンドシェイクに失敗しました",
    "smtp.mta-sts-reason.certificate-expired": "証明書の有効期限が切れています",
    "smtp.mta-sts-reason.certificate-name-mismatch": "証明書にホスト名が含まれていません",
    "smtp.mta-sts-reason.certificate-untrusted": "証明書が信頼されていません",
    "smtp.mta-sts-reason.no-record": "_mta-sts レコードがありません",
    "smtp.mta-sts-reason.fetch-failed": "ポリシーを取得できませんでした",
    "smtp.mta-sts-reason.invalid": "ポリシーが無効です",
    "smtp.mta-sts-reason.mode-none": "mode が none です",
    "smtp.mta-sts-reason.not-fetched": "取得していません",
    "smtp.mta-sts-reason.not-available-offline": "--https-dir にポリシーのファイルがありません",
    "smtp.mta-sts-reason.refused": "ホストのアドレスがプライベートです",
}

FINDINGS: dict[str, tuple[str, str, str, str]] = {
    "dane.lookup-failed": (
        "TLSA レコードを参照できませんでした",
        "{name} の TLSA の参照に失敗しました: {reason}。",
        "この実行では、この MX ホストの DANE について何もわかりません。",
        "MX ホストの権威 DNS サーバーが応答しているか確認してから、"
        "もう一度チェックしてください（--zone でオフライン実行している場合は {name} "
        "を含むゾーンファイルを読み込んでください）。",
    ),
    "dane.missing": (
        "MX ホストに DANE（TLSA）がありません",
        "{domain} の MX ホストはどれも TLSA レコードを公開していません（{hosts}）。",
        _DANE_OPTIONAL,
        "任意の改善です: ゾーンに DNSSEC で署名してから、_25._tcp.<MX ホスト> に '3 1 1 "
        "<サーバーの鍵の SHA-256>' のレコードと、次の鍵または CA のための 2 件目（'2 1 1 <CA "
        "の鍵の SHA-256>'）を公開し、鍵を変えるたびに更新してください。",
    ),
    "dane.missing-hosted": (
        "メール事業者の MX ホストが DANE を公開していません",
        "{domain} の MX ホストは別のドメインのもので（{hosts}）、TLSA を公開していません。",
        "自ドメインの側で直すものはありません。それらのホストに TLSA "
        "を公開できるのは、ホストの運用者だけです。" + _DANE_OPTIONAL,
        "任意の改善です: 利用しているメール事業者に、受信での DANE "
        "に対応しているか問い合わせてください（ドメインごとに提供している事業者もあります。例: "
        "Microsoft 365 の DNSSEC を使った受信 SMTP DANE）。",
    ),
    "dane.pkix-usage": (
        "PKIX の用途を指定した TLSA レコード",
        "{name} は {record}（{mnemonic}）を公開していますが、用途 {usage} は SMTP "
        "向けではありません。",
        "SMTP の送信側は PKIX-TA（0）や PKIX-EE（1）のレコードを使いません（RFC 7672 §3.1.3）。"
        "このレコードは何も守らず、ほかに使えるレコードがなければ DANE "
        "による保護はまったくありません。",
        "同じダイジェストを、サーバーの鍵なら DANE-EE（'3 {selector} {matching} ...'）として、"
        "CA なら DANE-TA（'2 ...'）として公開し、用途 {usage} のレコードを削除してください。",
    ),
    "dane.single-record": (
        "TLSA レコードが 1 件だけ: 鍵の変更時に安全にロールオーバーできません",
        "{name} が公開している使用可能な TLSA レコードは 1 件だけです（{record}）。",
        "サーバーの鍵や証明書が変わると、DANE に対応した送信側は、"
        "レコードが更新されて古いレコードがキャッシュから消えるまでメールの配送を保留します。",
        "レコードを 2 件公開してください。現在の鍵と次の鍵のもの（どちらも '3 1 1'）か、鍵の "
        "'3 1 1' と発行元 CA の '2 1 1' です（RFC 7671 §8.1）。",
    ),
    "dane.tlsa-bogus": (
        "TLSA レコードが DNSSEC の検証に失敗します",
        "{name} の TLSA レコードを検証できません: {reason}。",
        "DANE に対応した送信側は、検証に失敗した（bogus）TLSA を攻撃とみなし、この MX "
        "ホストへの配送を保留します（RFC 7672 §2.2）。"
        "それらの送信側からのメールはキューにたまり、最後にはバウンスします。",
        "MX ホストのゾーンに署名し直すか、親ゾーンの DS "
        "をそのゾーンの鍵と一致するよう修正してください。",
    ),
    "dane.tlsa-insecure": (
        "TLSA レコードが DNSSEC で保護されていません",
        "{name} には TLSA レコードがありますが、DNSSEC で検証できる状態（secure）"
        "ではありません: {reason}。",
        "DANE に対応した送信側は、検証できた TLSA レコードしか使いません（RFC 7672 §2.2）。"
        "これらのレコードは無視されるため、MX は DANE で保護されません。",
        "MX ホストのゾーンに署名して親ゾーンに DS を公開し、TLSA "
        "レコードを検証できるようにしてください。そうしない場合は TLSA "
        "レコードを削除してください。",
    ),
    "dane.tlsa-syntax": (
        "未割り当ての値を使った TLSA レコード",
        "{name} は {record} を公開しています: {problem}。",
        "送信側はこのレコードを使えません（RFC 6698 §7.2-7.4）。"
        "ほかに使えるレコードがなければ、DANE は MX を保護しません。",
        "証明書の用途（certificate usage）は 3（DANE-EE）か 2（DANE-TA）、セレクタは "
        "1（公開鍵）か 0（証明書）、照合方式（matching type）は 1（SHA-256）か 2（SHA-512）"
        "を使ってください。",
    ),
    "dnssec.bogus": (
        "DNSSEC の署名を検証できません",
        "{name} {rdtype} を検証できません: {reason}。",
        _SERVFAIL,
        "署名システムでゾーンに署名し直してください（DNSSEC をやめる場合は、先にレジストラで "
        "DS を削除し、その後で鍵を削除します）。親ゾーンの DS "
        "が現在の鍵のどれかと一致していることを確認してください。",
    ),
    "dnssec.lookup-failed": (
        "DNSSEC を確認できませんでした",
        "{domain} の DNSSEC の参照に失敗しました: {reason}。",
        "この実行では、ドメインの DNSSEC について何もわかりません。",
        "ドメインの権威 DNS サーバーが応答しているか確認してから、"
        "もう一度チェックしてください（--zone でオフライン実行している場合は {domain} "
        "を含むゾーンファイルを読み込んでください）。",
    ),
    "dnssec.missing-ds": (
        "親ゾーンに DS がない署名済みゾーン",
        "{reason}。信頼の連鎖は {zone} より上で途切れています。",
        "DNSSEC 検証を行うリゾルバーはこのゾーンを署名されていないものとして扱います。"
        "署名は何も守らず、ゾーン内の TLSA レコードは DANE に対応した送信側に無視されます。",
        "ゾーンの DS レコードをレジストラで公開し（DNS 事業者の管理画面に表示されます。または "
        "'keymgr {zone} ds' や 'dnssec-dsfromkey' を実行します）、"
        "もう一度チェックしてください。",
    ),
    "dnssec.not-validated": (
        "署名済みだが、トラストアンカーからは未検証",
        "{domain} は署名されていますが、信頼の連鎖をたどれませんでした: {reason}。",
        "DNSSEC 検証を行うリゾルバーがこれらの署名を受け入れるかどうか、mailauth "
        "には判断できません。オフラインでは、通常は親ゾーン（ルートまで）"
        "が読み込まれていません。",
        "--trust-anchor FILE でゾーンの DS か DNSKEY を指定してそこから検証するか、実際の DNS "
        "に対してチェックするか、DNSSEC 検証を行うリゾルバーと一緒に --trust-resolver-ad "
        "を使ってください。",
    ),
    "dnssec.signature-expired": (
        "DNSSEC の署名の有効期限が切れています",
        "{name} {rdtype} を検証できません: {reason}。",
        _SERVFAIL,
        "署名システムがゾーンの再署名をやめています。自動署名を再開し（BIND の dnssec-policy、"
        "Knot の自動署名、DNS 事業者の DNSSEC の設定）、"
        "署名が期限切れになるより十分前に更新されていることを確認してください。",
    ),
    "dnssec.unsigned": (
        "ドメインが DNSSEC で署名されていません",
        "{domain} の応答に DNSSEC の署名がありません（{reason}）。",
        "メールは通常どおり配送されます。DNSSEC を必須とするメールボックス事業者はありません。"
        "ただし DNSSEC がないと、送信側は自ドメインの MX や TLSA "
        "のレコードを偽のものと区別できないため、自ドメインでは DANE（DNS による SMTP の "
        "TLS の保護）を使えません。",
        "任意の改善です: DNS 事業者で DNSSEC を有効にし（多くは 1 つの設定で有効にできます）、"
        "表示された DS レコードをレジストラで公開してください。",
    ),
    "expect.dkim.selectors_required": (
        "必須とした DKIM セレクタに使える鍵がありません",
        "設定では {domain} のセレクタ {required} に DKIM 公開鍵を必須としていますが、{missing} "
        "では使える鍵が見つかりませんでした。",
        "鍵が見つからないセレクタで署名したメールは DKIM に失敗するため、DMARC は SPF "
        "のアライメントでしか pass できません。",
        "挙げた各セレクタの公開鍵を <selector>._domainkey.{domain} に公開するか、[expect] の "
        "dkim.selectors_required からそのセレクタを外してください。",
    ),
    "expect.dmarc.policy": (
        "DMARC ポリシーが想定より緩くなっています",
        "設定では {domain} の DMARC ポリシーを {expected} 以上に厳しいものと想定していますが、"
        "実際は {actual} です。",
        "受信側が従うのは意図したポリシーではなく、公開されたポリシーです。From に {domain} "
        "を使ったなりすましメールは、ドメイン所有者が決めたよりも緩く扱われます。",
        "_dmarc.{domain} に p={expected} を公開してください。想定が古くなっているなら、"
        "[expect] の dmarc.policy を変更してください。",
    ),
    "expect.spf.max_lookups": (
        "SPF の DNS 参照回数が想定より多くなっています",
        "設定では {domain} の SPF レコードの DNS 参照回数を最大 {limit} 回としていますが、"
        "実際には {count} 回必要です。",
        "include を追加するたびに SPF は上限の 10 回に近づき、それを超えるとすべての受信側で "
        "permerror になります。設定した余裕はなくなっています。",
        "使われなくなった include を削除するか ip4/ip6 の項目に置き換えてください。または "
        "[expect] の spf.max_lookups を引き上げてください。",
    ),
    "smtp.certificate-expired": (
        "MX の証明書の有効期限が切れています",
        "{host}（{address}、ポート {port}）の証明書は現在有効ではありません（有効期限 "
        "{not_after}）。",
        _NOT_DELIVERED,
        "証明書を更新し、メールサーバーに読み込み直させてください（ACME "
        "などで更新を自動化してください）。",
    ),
    "smtp.certificate-expiring": (
        "MX の証明書の有効期限が近づいています",
        "{host}（{address}、ポート {port}）の証明書はあと {days} "
        "日で期限切れになります（{not_after}）。",
        "期限が切れると、" + _NOT_DELIVERED,
        "今すぐ証明書を更新し、メールサーバーが新しい証明書を読み込むようにしてください。",
    ),
    "smtp.certificate-name-mismatch": (
        "MX の証明書に MX ホスト名が含まれていません",
        "{host}（{address}、ポート {port}）の証明書は {host} ではなく {names} のものです。",
        _NOT_DELIVERED,
        "subjectAltName に {host} を含む証明書をインストールしてください。",
    ),
    "smtp.certificate-untrusted": (
        "MX の証明書が信頼されていません",
        "{host}（{address}、ポート {port}）の証明書チェーンを検証できません: {reason}。",
        _NOT_DELIVERED,
        "公的な CA の証明書を使い、中間証明書も一緒に送ってください（フルチェーンのファイル）。",
    ),
    "smtp.dane-mismatch": (
        "MX の証明書が TLSA レコードと一致しません",
        "_25._tcp.{host} にある DNSSEC で保護された TLSA レコードのどれも、{host}（{address}、"
        "ポート {port}）の証明書チェーンと一致しません。",
        "DANE に対応した送信側（Postfix、DANE を有効にした Exim、Microsoft 365）"
        "はこのホストへの配送を拒み、メールはバウンスするまでキューにたまります。",
        "鍵を変える前に、使用する鍵の TLSA レコード（例: '3 1 1 <公開鍵の SHA-256>'）を公開し、"
        "キャッシュが期限切れになるまで古いレコードも残してください。",
    ),
    "smtp.lookup-failed": (
        "MX ホストのアドレスを参照できませんでした",
        "{host} のアドレスを参照できませんでした: {reason}。",
        "このホストには接続していません。この実行では、その TLS について何もわかりません。",
        "MX ホストの権威 DNS サーバーが応答しているか確認してから、もう一度チェックしてください。",
    ),
    "smtp.no-starttls": (
        "MX ホストが STARTTLS を提供していません",
        "{host}（{address}、ポート {port}）は STARTTLS を提供していません（{reason}）。",
        "自ドメイン宛てのメールは平文で届きます。Gmail "
        "はそのメールに赤い開いた南京錠のマークを付けます。また、このホストでは MTA-STS も "
        "DANE も使えません。",
        "MX ホスト名の証明書を使って、メールサーバーで STARTTLS を有効にしてください。",
    ),
    "smtp.not-tested": (
        "未確認: ここからポート 25 に接続できません",
        "{host}（{address}、ポート {port}）に接続できませんでした: {reason}。",
        "このホストの TLS については何もわかりません。これは失敗ではありません。"
        "多くのネットワーク（家庭向けの ISP、GitHub ホストのランナー、大手のクラウド）"
        "は外向きのポート 25 を遮断しており、"
        "スキャナーからの接続を切断するゲートウェイもあります。",
        "ポート 25 に接続できるネットワーク（自社のメールサーバーなど）から --smtp "
        "を付けてチェックしてください。どこからも接続できないホストなら、"
        "送信側も接続できません。",
    ),
    "smtp.old-tls": (
        "MX ホストが古い TLS バージョンを使っています",
        "{host}（{address}、ポート {port}）とのネゴシエーションの結果は {version} でした。",
        "TLS 1.0 と 1.1 は非推奨です（RFC 8996）。現在の送信側はこれらを拒否します。",
        "メールサーバーで TLS 1.2 と 1.3 を使えるようにしてください。",
    ),
    "smtp.tls-failed": (
        "MX ホストで STARTTLS が失敗します",
        "{host}（{address}、ポート {port}）は STARTTLS を提供しましたが、TLS "
        "セッションの確立に失敗しました: {reason}。",
        "送信側は平文に戻して送るか、MTA-STS や DANE "
        "を適用している場合はこのホストに配送しません。",
        "メールサーバーの TLS の設定（証明書、鍵、プロトコル）を確認してください。",
    ),
    # --- issue 11 finish: STARTTLS against the MTA-STS policy ---
    "smtp.mta-sts-would-fail": (
        "MX ホストがドメインの MTA-STS ポリシーを満たしません",
        "MTA-STS ポリシー（mode {mode}、mx {patterns}）のもとで、{host} "
        "は条件を満たしません: {reason}。",
        "enforce モードでは、MTA-STS に従う送信側（Gmail、Outlook.com、Yahoo）"
        "はこのホストに配送せず、条件を満たす MX がほかになければメールはバウンスします。"
        "testing モードでは配送は続きますが、失敗が TLS-RPT で報告されます。",
        "ポリシーのファイルに一致する mx の行を追加する（_mta-sts TXT レコードの id "
        "も変更してください）か、ホスト名を含む公的な CA の有効な証明書で STARTTLS "
        "を提供してください。ポリシーを enforce モードにする前に行ってください。",
    ),
}

"""English: the reference table. Every key exists here; other languages may leave keys out.

One flat `key -> str.format template` table, grouped by where the text appears. A template is
a whole phrase or sentence with named fields, so a translation can reorder them; indentation
and column layout belong to the renderers, never to a template.
"""

from __future__ import annotations

ERRORS: dict[str, str] = {
    # One line on stderr: "mailauth: error: <message>".
    "error.line": "mailauth: error: {message}",
    "error.generic": "{message}",
    "error.input": "invalid input: {message}",
    "error.usage": "{message} (see '{command} --help')",
    "error.internal": (
        "internal error: {error}. This is a bug in mailauth; run again with --debug "
        "and report the traceback."
    ),
    "error.zone": "cannot load zone file: {detail}",
    "error.zone.syntax": "{message}",
    "error.zone.no-zone-files": "no *.zone files in this directory",
    "error.zone.no-such-path": "no such zone file or directory",
    "error.zone.not-utf8": "not UTF-8 text (write non-ASCII TXT bytes as \\DDD escapes)",
    "error.zone.invalid-origin": "invalid origin {origin}: {message}",
    "error.zone.duplicate-origin": "zone {zone} already loaded from {other}",
    "error.path": "cannot read {path}: {reason}",
    "error.file": "{file}: {reason}",
    "error.nameserver": (
        "'{value}' is not an IP address with an optional port "
        "(192.0.2.53, 192.0.2.53:5353, [2001:db8::53]:5353)"
    ),
    "error.ip": "'{value}' is not an IP address",
    "error.spf-identity": "give --mail-from ADDRESS or --helo NAME (or both)",
    "error.aborted": "aborted",
    "error.output-pairs": (
        "give one -o FILE for each --format (--format json -o report.json --format text "
        "-o report.txt), or a single --format without -o for standard output"
    ),
    "error.output-twice": "the same file (or standard output) is given to -o twice",
    "error.output-is-dir": "-o {path}: is a directory; give a file name",
    "error.output-is-input": "-o {path}: is a file this run reads; refusing to overwrite it",
    "error.domain.empty": "the domain name is empty",
    "error.domain.ip-address": (
        "'{name}' is an IP address; give the domain name that appears after @ in addresses"
    ),
    "error.domain.underscore": (
        "'{name}' contains '_', which is used only in service names such as _dmarc; "
        "give the mail domain itself"
    ),
    "error.domain.name-too-long": (
        "'{name}' is {length} characters long; a domain name has at most 253"
    ),
    "error.domain.label-too-long": (
        "'{name}' has a label of {length} characters; each part between dots has at most 63"
    ),
    "error.domain.empty-label": "'{name}' has an empty label (two dots in a row)",
    "error.domain.hyphen": "'{name}' has a label that starts or ends with '-'",
    "error.domain.invalid-character": (
        "'{name}' contains a character that is not allowed in a domain name "
        "(letters, digits, '-' and '.' only)"
    ),
    "error.domain.invalid-idn": "'{name}' is not a valid internationalized domain name",
    "error.domain.single-label": (
        "'{name}' has only one label; give a full domain name such as example.jp"
    ),
    "error.domain.numeric-tld": "'{name}' ends in a numeric label, which no real domain has",
    # Why a file given to `mailauth verify` is not a message (shown after "{file}: "):
    # `MessageInputError(code, **params)` of message/parse.py is `error.message.<code>`.
    "error.message.too-large": "message is larger than the {limit_mb} MB limit",
    "error.message.empty": "empty file: no header fields, not an email message",
    "error.message.no-header": "no header fields: not an email message",
    "error.message.line-too-long": "header line {line} is longer than the {limit_kb} KB limit",
    "error.message.too-many-lines": (
        "header section has more than {limit:,} lines: not a real message"
    ),
    "error.message.nul": "header line {line} contains NUL bytes: not a text message",
    "error.message.leading-space": "first line starts with white space: not a header field",
    "error.message.field-too-long": (
        "header field at line {line} is longer than the {limit_kb} KB limit"
    ),
    "error.message.first-line-not-field": (
        "first line is not a header field (no 'Name:'): not a message"
    ),
    # Hostile input (issue 9).
    "error.ip-zone": (
        "'{value}' has a zone index (%...), which only means something on this host; "
        "give the address the sending server connected from, without it"
    ),
    "error.authserv-id": (
        "{value!r} is not one line of printable text (the authserv-id of an "
        "Authentication-Results header)"
    ),
    "error.zone.file-too-large": (
        "the file is {size_mb} MB; zone files over {limit_mb} MB are not loaded "
        "(give the zone of the domain you check)"
    ),
    "error.zone.too-many-records": (
        "more than {limit:,} records in one zone; mailauth loads no more "
        "(give the zone of the domain you check)"
    ),
    "error.zone.generate-too-large": "$GENERATE makes more than {limit:,} records",
    "error.zone.not-a-file": "not a zone file or a directory of them (a device, a pipe...)",
    "error.output-write": "cannot write {path}: {reason}",
    # Issue 8, domain side: where a zone file error is (`ZoneLoadError.name`).
    "error.zone.at-name": "{name}: {reason}",
    "error.zone.cname-and-other-data": (
        "a CNAME cannot share its name with other records (the first record of this name is "
        "at line {other_line}; RFC 1034 §3.6.2)"
    ),
    # Issue 9, items 12 and 15 (rest).
    "error.fifo-no-writer": (
        "a named pipe with nothing written to it (no writer): not a message file"
    ),
    "error.zone.origin-mismatch": (
        "the file is named for {expected} but its $ORIGIN is {origin}; correct the "
        "$ORIGIN, or name the file after the zone it holds"
    ),
    # --- fetch-mtasts: https fetches (issue 11) ---
    "error.no-fetch-with-https-dir": (
        "--no-fetch and --https-dir contradict each other: give one of them"
    ),
    "error.fetch-ca-file": "{path} holds no PEM certificate to trust",
    "error.mark-root": "{path} is not a PEM certificate to trust as a mark root",
    # --- issue 11: STARTTLS, DNSSEC and DANE ---
    "error.trust-anchor": (
        "cannot use the trust anchor file {path}: {reason} (write DS or DNSKEY records with "
        "absolute owner names, e.g. 'example.jp. IN DS 12345 13 2 <hex>')"
    ),
    "error.trust-anchor.too-large": "larger than 64 KiB",
    "error.trust-anchor.empty": "no DS or DNSKEY record in it",
    "error.ca-file": "cannot use the CA file {path}: {reason}",
    # --- CI step (issue 13): config file, baseline, --ignore, --save-zone ---
    "error.baseline": "cannot use {path} as a baseline: {reason}",
    "error.config": "configuration {path}, line {line}: {reason}",
    "error.config.syntax": "not valid TOML: {message}",
    "error.config.unknown-key": "unknown key {key}",
    "error.config.type": "{key} must be {expected}",
    "error.config.unreadable": "cannot read {file}: {reason}",
    "error.no-domains": (
        "no domain to check: name one, give --domains-file FILE, or list them as domains in "
        "mailauth.toml"
    ),
    "error.ignore": "--ignore {value}: {reason}",
    "error.save-zone": "cannot write zone files to {path}: {reason}",
    "error.save-zone-offline": (
        "--save-zone records live DNS answers; it cannot be used with --zone"
    ),
    # --- issue 10, check side: bulk input (--domains-file, --dkim-selectors FILE) ---
    "error.list.line": "{path}, line {line}: {reason}",
    "error.list.several": "more than one entry on the line (one per line; # starts a comment)",
    "error.list.selector": (
        "'{selector}' is not a DKIM selector (a DNS name: letters, digits, -, _)"
    ),
    "error.list.empty": "{path}: no entries (only blank lines and # comments)",
    "error.list.not-utf8": "{path}: not UTF-8 text (first bad byte at offset {offset})",
    "error.list.too-large": "{path}: larger than {limit_mb} MB; not a list of names",
    "error.list.csv-no-domain-column": (
        "{path}, line {line}: a CSV file needs a 'domain' column in its header"
    ),
    # --- issue 14, Japanese: why the system refused a file (`errors.os_reason`), by errno
    # name; the system's own sentence is English whatever the language.
    "error.os.enoent": "No such file or directory",
    "error.os.eacces": "Permission denied",
    "error.os.eperm": "Operation not permitted",
    "error.os.eisdir": "Is a directory",
    "error.os.enotdir": "Not a directory",
    "error.os.enospc": "No space left on device",
    "error.os.edquot": "Disk quota exceeded",
    "error.os.erofs": "Read-only file system",
    "error.os.eloop": "Too many levels of symbolic links",
    "error.os.enametoolong": "File name too long",
    "error.os.eexist": "File exists",
    "error.os.eio": "Input/output error",
    "error.os.efbig": "File too large",
    "error.os.emfile": "Too many open files",
    "error.os.enfile": "Too many open files in system",
    "error.os.ebusy": "Device or resource busy",
    "error.os.enxio": "No such device or address",
    "error.os.einval": "Invalid argument",
    "error.os.etxtbsy": "Text file busy",
    "error.os.other": "{reason}",
    # A zone file line dnspython refused, by the code of its message (dns/zone_syntax.py).
    "error.zone.unknown-type": "unknown record type '{value}'",
    "error.zone.malformed-data": (
        "the record data is malformed (not a valid address, name or value for its type)"
    ),
    "error.zone.expected-integer": "a number was expected",
    "error.zone.expected-field": "a field is missing: the record ends too early",
    "error.zone.unterminated-string": "a quoted string is not closed on its line",
    "error.zone.unbalanced-parentheses": "unbalanced parentheses",
    "error.zone.bad-ttl": "the TTL is not a valid number of seconds",
    "error.zone.directive-not-allowed": "the directive {value} is not allowed in a zone file",
}

SHARED: dict[str, str] = {
    # Pieces of both reports: score, findings, check names, status words, severities.
    "report.score": "Score {score}/100  Grade {grade}",
    "finding.heading": "{title}  [{id}]",
    "finding.detail": "What was found",
    "finding.consequence": "What receivers do",
    "finding.fix": "Fix",
    "finding.fix-record": "Record with this fix",
    "finding.references": "References",
    "layout.colon": "{name}:",
    "check.spf": "SPF",
    "check.dmarc": "DMARC",
    "check.dkim": "DKIM",
    "check.bimi": "BIMI",
    "check.mx": "MX",
    "check.mta_sts": "MTA-STS",
    "check.tls_rpt": "TLS-RPT",
    "check.core": "mailauth",
    "status.pass": "PASS",
    "status.warn": "WARN",
    "status.fail": "FAIL",
    "status.none": "NONE",
    "status.error": "ERROR",
    "severity.critical": "CRITICAL",
    "severity.high": "HIGH",
    "severity.medium": "MEDIUM",
    "severity.low": "LOW",
    "severity.info": "INFO",
    "value.yes": "yes",
    "value.no": "no",
    "value.none": "-",
    "value.count-of-limit": "{count} (limit {limit})",
    "value.at-least-count-of-limit": "at least {count} (limit {limit}; some lookups failed)",
    "value.lookups": "({count})",
    # Issue 8, domain side: the score over an incomplete result is an upper bound.
    "report.score-at-most": "Score at most {score}/100  Grade {grade} (provisional)",
    # --- CI step (issue 13): the markdown, sarif, github and junit formats, baselines ---
    "sarif.message": "{target}: {title}.",
    "sarif.truncated": (
        "{shown:,} of {total:,} results written (GitHub code scanning shows 5,000 per run); "
        "the JSON report has all of them."
    ),
    "github.report": "mailauth: {target}: score {score}/100, grade {grade}, {count} findings",
    "github.title": "{target}: {title} ({id})",
    "github.more": (
        "mailauth: not annotated (GitHub shows {limit} per level): {errors} more errors, "
        "{warnings} more warnings, {notices} more notices; see the full report."
    ),
    "markdown.heading.check": "mailauth check",
    "markdown.heading.verify": "mailauth verify",
    "markdown.target": "Target",
    "markdown.score": "Score",
    "markdown.grade": "Grade",
    "markdown.findings": "Findings",
    "markdown.severity": "Severity",
    "markdown.finding": "Finding",
    "markdown.at-most": "≤ {score}",
    "markdown.summary": "{target}: {count} findings",
    "markdown.more": "… and {count} more findings: see the JSON or SARIF report.",
    "markdown.changes": "Changes since the baseline: {target}",
    "junit.failure": "{count} findings: {title}",
    "junit.error": "{check}: lookups failed, no verdict",
    "baseline.score-delta": "score {delta}",
    "baseline.new": "new findings: {ids}",
    "baseline.resolved": "resolved findings: {ids}",
    "baseline.record": "{check} record changed: {before} -> {after}",
    "baseline.unchanged": "no change",
    "baseline.added": "new since the baseline",
}

DOMAIN_REPORT: dict[str, str] = {
    # `mailauth check`, text format.
    "report.heading": "mailauth check: {domain}",
    "report.no-score": "No score: no check could be completed (see the errors below).",
    "report.heading-idn": "mailauth check: {unicode_domain} ({domain})",
    "report.incomplete": (
        "Incomplete: {checks} could not be checked, so the score covers only the rest "
        "and no verdict is given for them."
    ),
    "summary.heading": "What to fix, worst first",
    "summary.number": "{number}.",
    "summary.item": "{check}: {title}",
    "summary.none": (
        "Nothing found that makes Gmail, Yahoo, Outlook or spam filters distrust this domain."
    ),
    "summary.none-incomplete": (
        "No problem found, but not every check could be completed (see the errors below)."
    ),
    "summary.more": "... and {count} more findings in the sections below.",
    "providers.heading": "What Gmail, Yahoo and Outlook.com require of this sender",
    "providers.row": "{provider}, {audience}:",
    "providers.met": "met",
    "providers.unknown": "not known: {rules}",
    "providers.unknown-note": (
        "A rule is not known when no DKIM key was found under the selectors tried (name yours "
        "with --selector) or when a lookup failed."
    ),
    "providers.unmet": "not met: {rules}",
    "providers.rule-list": "{left}, {right}",
    "providers.message-rules": (
        "Bulk senders must also align the From domain with SPF or DKIM and offer one-click "
        "unsubscribe; those are rules about each message: run mailauth verify on one you sent."
    ),
    "provider.gmail": "Gmail",
    "provider.yahoo": "Yahoo",
    "provider.outlook": "Outlook.com",
    "audience.all_senders": "all senders",
    "audience.bulk_senders": "bulk senders (5,000+ a day)",
    "rule.spf-or-dkim": "SPF or DKIM",
    "rule.spf": "a valid SPF record",
    "rule.dkim": "a DKIM key",
    "rule.dkim-1024": "DKIM keys of 1024 bits or more",
    "rule.dmarc-record": "a DMARC record",
    "rule.alignment": "From aligned with SPF or DKIM",
    "rule.one-click-unsubscribe": "one-click unsubscribe",
    "section.check": "{check}  {status}",
    "section.findings": "Findings",
    "section.no-findings": "No findings.",
    "section.deductions": "Score deductions",
    "section.no-deductions": "No deductions.",
    "deduction.points": "-{points}",
    "deduction.count": "{reason} (reported {count} times, counted once)",
    # Names of the data fields of a check's parsed view (the keys of its JSON object).
    "spf-node.no-spf": "no SPF record: permerror when reached",
    "spf-node.multiple-records": "several SPF records: permerror",
    "spf-node.lookup-failed": "lookup failed: temperror",
    "spf-node.loop": "loop: already included above",
    "spf-node.macro": "depends on the sender (macro): not followed",
    "spf-node.not-expanded": "not followed: too many records in total",
    "field.record": "Record",
    "field.records": "Records",
    "field.dns_lookups": "DNS lookups",
    "field.void_lookups": "Void lookups",
    "field.policy": "Policy",
    "field.location": "Found at",
    "field.org_domain": "Organizational domain",
    "field.selectors": "Selectors",
    "field.selector": "Selector",
    "field.status": "Status",
    "field.key_type": "Key type",
    "field.key_bits": "Key bits",
    "field.hosts": "Hosts",
    "field.host": "Host",
    "field.preference": "Preference",
    "field.addresses": "Addresses",
    "field.tags": "Tags",
    "field.includes": "Includes",
    "field.tipping_point": "Goes over the limit at",
    "field.breakdown": "Lookups by term",
    "field.spf_rrtype_records": "SPF-type records (obsolete)",
    "field.testing": "Testing mode",
    "field.rua": "Aggregate reports to",
    "field.ruf": "Failure reports to",
    "field.tried": "Selectors tried",
    "field.cname": "CNAME to",
    "field.address": "Address",
    "field.ptr": "Reverse DNS",
    "field.fcrdns": "Forward-confirmed",
    "field.null_mx": "Null MX (accepts no mail)",
    "field.implicit_mx": "No MX: mail goes to the A/AAAA record",
    "field.policy_url": "Policy URL",
    "field.logo_url": "Logo",
    "field.authority_url": "Mark certificate",
    "field.declined": "Declines BIMI",
    "field.dmarc_enforced": "DMARC enforced (needed for the logo)",
    # Scoring rules (the deductions list and docs/scoring.md).
    "scoring.reason-capped": "{rule} (reduced: this check already lost its maximum of {cap})",
    "scoring.rule.severity-critical": "critical finding",
    "scoring.rule.severity-high": "high-severity finding",
    "scoring.rule.severity-medium": "medium-severity finding",
    "scoring.rule.severity-low": "low-severity finding",
    "scoring.rule.severity-info": "information only",
    "scoring.rule.providers-require-spf": (
        "Gmail, Yahoo and Outlook.com require SPF from bulk senders (Gmail and Yahoo: SPF or "
        "DKIM from all)"
    ),
    "scoring.rule.spf-permerror": (
        "SPF permerror at every receiver (RFC 7208): scored like a missing SPF record"
    ),
    "scoring.rule.providers-require-dmarc": (
        "Gmail, Yahoo and Outlook.com require bulk senders to publish DMARC"
    ),
    "scoring.rule.gmail-dkim-1024": (
        "RFC 8301 and Gmail: RSA keys under 1024 bits are not accepted, so their signatures fail"
    ),
    "scoring.rule.providers-require-dkim": (
        "Gmail, Yahoo and Outlook.com require DKIM from bulk senders; a named selector "
        "without a key means that mail fails DKIM"
    ),
    # What is wrong in an SPF record (`SpfProblem.phrase()`, the {problem} of spf.syntax-error):
    # `spf-problem.<code>`, or `spf-problem.<code>.<detail>` where one code covers several
    # rules. {term} is the term as written; a detail's {subject} is the mechanism, address
    # family or macro it is about and {value} the offending text. `!r` quotes a value.
    "spf-problem.internal": "record could not be parsed: {value}",
    "spf-problem.not-spf": "record does not start with v=spf1",
    "spf-problem.unknown-mechanism": "unknown term {term!r}",
    "spf-problem.bad-all": "all takes no argument",
    "spf-problem.bad-ptr": "ptr takes only an optional ':' and domain, no CIDR length",
    "spf-problem.missing-network": "{value} needs ':' and an address",
    "spf-problem.duplicate-modifier": "{name}= appears {value} times",
    "spf-problem.unknown-modifier": "modifier {value!r} is not defined by RFC 7208",
    "spf-problem.terms-after-all": "mechanisms after 'all' are never evaluated",
    "spf-problem.redirect-ignored": (
        "redirect= is ignored because the record has an 'all' mechanism"
    ),
    "spf-problem.missing-domain.needs-domain": "{subject} needs ':' and a domain",
    "spf-problem.missing-domain.empty-domain": "empty domain-spec",
    "spf-problem.bad-network.not-a-network": "{value!r} is not an {subject} network",
    "spf-problem.bad-network.not-dotted-quad": "{value!r} is not a dotted-quad IPv4 address",
    "spf-problem.bad-network.not-ipv6": "{value!r} is not an IPv6 address",
    "spf-problem.bad-cidr.not-a-cidr": "{value!r} is not a CIDR length",
    "spf-problem.bad-cidr.cidr-range": (
        "/{value} is not a valid {subject} prefix length (0-{limit})"
    ),
    "spf-problem.bad-domain.bad-toplabel": "{value!r} does not end in a valid top-level label",
    "spf-problem.bad-domain.bad-name": "{value!r} is not a valid domain name",
    "spf-problem.bad-macro.bad-character": (
        "character {value!r} is not allowed (visible ASCII only)"
    ),
    "spf-problem.bad-macro.bad-percent": "'%' at position {value} does not start a valid macro",
    "spf-problem.bad-macro.unknown-letter": "unknown macro letter in {subject}",
    "spf-problem.bad-macro.exp-only-letter": (
        "{subject}: the letters c, r and t are allowed only in exp= text"
    ),
    "spf-problem.bad-macro.bad-delimiter": "{subject}: invalid delimiter {value!r}",
    "spf-problem.bad-macro.zero-parts": "{subject}: the number of parts must not be zero",
    # Issue 8, domain side: a domain that does not exist; scores over part of the checks.
    "check.domain": "Domain",
    "rule.domain-exists": "a sender domain that exists in DNS",
    "scoring.rule.domain-nxdomain": (
        "the domain does not exist: receivers reject mail from it, so nothing else counts"
    ),
    "report.partial": (
        "Partial: {checks} could be checked only in part (some lookups failed or are not "
        "resolvable offline), so the score is an upper bound and the grade provisional."
    ),
    "spf-node.unresolvable": "not resolvable offline (outside the loaded zones): not checked",
    "report.nonexistent": (
        "No record sections: {domain} does not exist, so there is nothing for the SPF, DMARC, "
        "DKIM, BIMI, MX, MTA-STS and TLS-RPT checks to judge, and no record can be published "
        "under the name until it exists."
    ),
    # --- BIMI logo and mark certificate (issue 11) ---
    "field.logo_file": "Logo file",
    "field.certificate_file": "Mark certificate file",
    "field.revocation": "Revocation",
    "field.logo_shown": "Logo shown",
    "bimi.asset.valid": "valid",
    "bimi.asset.invalid": "invalid (see findings)",
    "bimi.asset.untrusted": "not from a known Mark Verifying Authority (see findings)",
    "bimi.asset.fetch-failed": "could not be fetched (see findings)",
    "bimi.asset.not-available-offline": (
        "not available offline (no file in --https-dir): not checked"
    ),
    "bimi.asset.disabled": "not fetched (--no-fetch): not checked",
    "bimi.asset.not-fetched": "not fetched",
    "bimi.logo.facts": '{status} — {size} bytes, title "{title}"',
    "bimi.certificate.facts": (
        "{status} — {kind} ({mark_type}), valid until {until} ({days} days left), root: {root}"
    ),
    "bimi.root.unknown": "none known",
    "bimi.revocation.not-checked": "not checked: {reason}",
    "bimi.revocation.not-checked.no-crl-url": "the certificate names no CRL",
    "bimi.revocation.not-checked.not-https": "its CRL URL is neither http nor https",
    "bimi.revocation.not-checked.refused-address": (
        "the CRL host resolves to a private or loopback address (--allow-private-fetch allows it)"
    ),
    "bimi.revocation.not-checked.issuer-unknown": "the issuing certificate is not known",
    "bimi.revocation.not-checked.disabled": "fetching is off (--no-fetch)",
    "bimi.revocation.not-checked.not-available-offline": "no CRL file in --https-dir",
    "bimi.revocation.good": "not revoked (CRL checked)",
    "bimi.revocation.revoked": "REVOKED since {detail}",
    "bimi.revocation.bad-crl": "the CRL proves nothing ({detail})",
    "bimi.receiver.verdict": "{receiver}: {answer} ({reason})",
    "bimi.receiver.gmail": "Gmail",
    "bimi.receiver.apple": "Apple Mail",
    "bimi.receiver.yahoo": "Yahoo",
    "bimi.answer.yes": "yes",
    "bimi.answer.no": "no",
    "bimi.answer.unknown": "unknown",
    "bimi.reason.declined": "the domain declines BIMI",
    "bimi.reason.no-record": "no usable BIMI record",
    "bimi.reason.dmarc-not-enforced": "DMARC is not at enforcement",
    "bimi.reason.dmarc-unknown": "the DMARC lookup failed",
    "bimi.reason.logo-invalid": "the logo is not valid SVG Tiny PS",
    "bimi.reason.logo-unavailable": "the logo could not be fetched",
    "bimi.reason.logo-not-checked": "the logo was not checked",
    "bimi.reason.self-asserted": "Yahoo shows valid logos without a certificate",
    "bimi.reason.no-certificate": "it needs a mark certificate (a=)",
    "bimi.reason.certificate-invalid": "the mark certificate is not valid",
    "bimi.reason.certificate-untrusted": (
        "the mark certificate is not from a known Mark Verifying Authority"
    ),
    "bimi.reason.certificate-not-checked": "the mark certificate was not checked",
    "bimi.reason.mark-type-unknown": "the certificate names no known mark type",
    "bimi.reason.cmc-not-accepted": "Apple Mail needs a VMC; this is a CMC",
    "bimi.reason.root-distrusted": "Apple Mail distrusts Entrust mark certificates",
    "bimi.reason.certificate-valid": "valid mark certificate",
    # --- fetch-mtasts: https fetches (issue 11) and the MTA-STS policy file ---
    # Why a fetch failed (`FetchOutcome`, the {reason} of a *-fetch-failed finding); {detail}
    # is the fetcher's short machine reason (a status code, an errno name, an address).
    "fetch-outcome.ok": "fetched",
    "fetch-outcome.not-found": "the server answered HTTP {detail} (not found)",
    "fetch-outcome.http-error": "the server answered with an error ({detail})",
    "fetch-outcome.redirect": "the server redirected ({detail})",
    "fetch-outcome.too-large": "the file is larger than the limit of {limit} bytes",
    "fetch-outcome.timeout": "no complete answer within {detail}",
    "fetch-outcome.not-https": "the URL is not an https:// URL",
    "fetch-outcome.bad-url": "the URL is not a plain https://host/path URL",
    "fetch-outcome.dns-failed": "the host name did not resolve ({detail})",
    "fetch-outcome.refused-address": "the host resolves to a non-public address ({detail})",
    "fetch-outcome.connect-failed": "no connection could be made ({detail})",
    "fetch-outcome.tls-error": "the TLS connection failed: {detail}",
    "fetch-outcome.not-available-offline": "no file for it in the --https-dir directory",
    "fetch-outcome.read-failed": "the file in the --https-dir directory is unreadable ({detail})",
    "fetch-outcome.disabled": "fetching is off",
    # What is wrong in an MTA-STS policy file (the {problem} of mta_sts.policy-syntax).
    "mta-sts-policy-problem.malformed-line": "the line {value!r} is not key: value",
    "mta-sts-policy-problem.duplicate-field": "{subject}: is given more than once",
    "mta-sts-policy-problem.missing-version": "there is no version: STSv1 line",
    "mta-sts-policy-problem.bad-version": "version: {value} is not STSv1",
    "mta-sts-policy-problem.missing-mode": "there is no mode: line",
    "mta-sts-policy-problem.bad-mode": "mode: {value} is not enforce, testing or none",
    "mta-sts-policy-problem.missing-max-age": "there is no max_age: line",
    "mta-sts-policy-problem.bad-max-age": "max_age: {value} is not a number of seconds",
    "mta-sts-policy-problem.missing-mx": "mode: {value} needs at least one mx: line",
    "mta-sts-policy-problem.bad-mx": "mx: {value} is not a host name or *. pattern",
    "mta-sts-policy-problem.short-max-age": "max_age: {value} is under a day",
    "mta-sts-max-age.short": "under a day in enforce mode",
    "mta-sts-max-age.long": "above the RFC 8461 limit of {limit} seconds",
    # The policy in the text view (JSON mta_sts.policy.status / reason).
    "mta-sts-policy.valid": "valid",
    "mta-sts-policy.invalid": "rejected by senders (see the findings)",
    "mta-sts-policy.fetch-failed": "could not be fetched (see the findings)",
    "mta-sts-policy.refused": "not fetched: the host has a non-public address",
    "mta-sts-policy.not-available-offline": "not available offline (no file in --https-dir)",
    "mta-sts-policy.not-fetched.offline": "not fetched (offline: --zone without --https-dir)",
    "mta-sts-policy.not-fetched.no-fetch": "not fetched (--no-fetch)",
    "mta-sts-policy.not-fetched.no-fetcher": "not fetched",
    "mta-sts-policy.not-fetched.no-policy-host": "not fetched (the policy host has no address)",
    "mta-sts-policy.server-offline": (
        "not checked offline (TLS certificate of the web host, Content-Type)"
    ),
    "mta-sts-policy.server-checked": "TLS certificate valid for the host, text/plain",
    "field.policy_file": "Policy file",
    "field.policy_server": "Policy web server",
    "field.mode": "Mode",
    "field.mx_patterns": "MX patterns",
    "field.max_age": "max_age (seconds)",
    "field.unmatched_mx": "MX hosts the policy does not cover",
    # --- issue 11: STARTTLS, DNSSEC and DANE ---
    "check.dnssec": "DNSSEC",
    "check.dane": "DANE",
    "dane.problem.unparseable": "the record does not parse",
    "dane.problem.unknown-usage": "certificate usage {usage} is not assigned",
    "dane.problem.unknown-selector": "selector {selector} is not assigned",
    "dane.problem.unknown-matching": "matching type {matching} is not assigned",
    "field.method": "Method",
    "field.trust_anchor": "Trust anchor",
    "field.security": "DNSSEC",
    "field.signed": "Signed",
    "field.zone": "Signing zone",
    "field.chain": "Chain of trust",
    "field.tlsa": "TLSA",
    "field.tlsa_name": "TLSA name",
    "field.dnssec": "DNSSEC",
    "field.rollover_safe": "Rollover-safe",
    "field.usage": "Record",
    "check.smtp": "SMTP STARTTLS",
    "field.smtp_requested": "Probed (--smtp)",
    "field.smtp_status": "STARTTLS",
    "field.tls_version": "TLS",
    "field.cipher": "Cipher",
    "field.days_left": "Days left",
    "field.trusted": "Trusted",
    "field.name_matches": "Name matches",
    "field.mta_sts_ready": "MTA-STS ready",
    "field.dane_match": "DANE match",
    # --- issue 11 finish: STARTTLS against the MTA-STS policy (domain/smtp_mta_sts.py) ---
    "field.mta_sts_policy": "MTA-STS policy",
    "smtp.mta-sts-policy.satisfied": "satisfied",
    "smtp.mta-sts-policy.not-satisfied": "not satisfied: {reasons}",
    "smtp.mta-sts-policy.no-policy": "no policy ({reasons})",
    "smtp.mta-sts-policy.unknown": "policy not seen ({reasons})",
    "smtp.mta-sts-policy.not-tested": "not tested",
    "smtp.mta-sts-reason.mx-not-matched": "not matched by any mx pattern of the policy",
    "smtp.mta-sts-reason.no-starttls": "no STARTTLS",
    "smtp.mta-sts-reason.tls-failed": "the TLS handshake failed",
    "smtp.mta-sts-reason.certificate-expired": "its certificate has expired",
    "smtp.mta-sts-reason.certificate-name-mismatch": "its certificate does not name the host",
    "smtp.mta-sts-reason.certificate-untrusted": "its certificate is not trusted",
    "smtp.mta-sts-reason.no-record": "no _mta-sts record",
    "smtp.mta-sts-reason.fetch-failed": "the policy could not be fetched",
    "smtp.mta-sts-reason.invalid": "the policy is invalid",
    "smtp.mta-sts-reason.mode-none": "mode none",
    "smtp.mta-sts-reason.not-fetched": "not fetched",
    "smtp.mta-sts-reason.not-available-offline": "no policy file in --https-dir",
    "smtp.mta-sts-reason.refused": "its host has a private address",
}

MESSAGE_REPORT: dict[str, str] = {
    # `mailauth verify`, text format.
    "verify.heading": "mailauth verify: {file}",
    "verify.subject": "Subject: {subject}",
    "verify.incomplete": (
        "Incomplete: some DNS lookups failed, so the score covers only what could be "
        "evaluated (see the lookup-failed findings)."
    ),
    "verify.verdict.pass": "DMARC pass for {domain}: {how}",
    "verify.verdict.fail": (
        "DMARC fail for {domain}: no aligned SPF or DKIM pass; a receiver applies {disposition} "
        "(published policy {policy})"
    ),
    "verify.verdict.none": (
        "No DMARC policy for {domain}: receivers judge the message on SPF/DKIM alone"
    ),
    "verify.verdict.fail-spf-unknown": (
        "DMARC fail for {domain} unless SPF passed: no aligned DKIM signature passed, and SPF "
        "could not be evaluated here; without an aligned SPF pass a receiver applies "
        "{disposition} (published policy {policy})"
    ),
    "verify.verdict.temperror": "DMARC for {domain} could not be evaluated (DNS lookup failed)",
    "verify.verdict.permerror": (
        "DMARC cannot be evaluated: the message needs exactly one From address"
    ),
    "verify.how.spf": "aligned SPF ({domain})",
    "verify.how.dkim": "aligned DKIM ({domains})",
    "verify.how.both": "aligned SPF ({domain}) and aligned DKIM ({domains})",
    "verify.section.dkim": "DKIM signatures",
    "verify.section.spf": "SPF",
    "verify.section.arc": "ARC",
    "verify.section.alignment": "Alignment with the From domain",
    "verify.section.authres": "Authentication-Results",
    "verify.section.earlier": "Earlier results (on arrival) that differ from now",
    "verify.section.findings": "Findings, worst first",
    "verify.no-dkim": "No DKIM-Signature header.",
    # Why a DKIM signature got its result, by `DkimReason` value (table and JSON `reason`).
    "verify.spf-problem.no-ip": "no connecting IP address",
    "verify.spf-problem.no-domain": "no MAIL FROM or HELO domain",
    "verify.spf-problem.lookup-failed": "DNS {rcode} for {name} {rdtype}",
    "verify.spf-problem.void-limit": "Void lookup limit of {limit} exceeded",
    "verify.spf-problem.too-many-lookups": "Too many DNS lookups",
    "verify.spf-problem.multiple-records": "Two or more type TXT spf records found.",
    "verify.spf-problem.other": "{message}",
    "verify.arc-reason.not-sealed": "message is not ARC-sealed",
    "verify.arc-reason.too-many-sets": "more than {limit} ARC sets",
    "verify.arc-reason.ams-invalid": "Most recent ARC-Message-Signature did not validate",
    "verify.arc-reason.seal-invalid": "ARC-Seal[{instance}] did not validate",
    "verify.arc-reason.chain-terminated": (
        "ARC-Seal[{instance}] reported failure, the chain is terminated"
    ),
    "verify.arc-reason.bad-cv": "ARC-Seal[{instance}] reported invalid status {cv}",
    "verify.arc-reason.malformed": (
        "an ARC header field is malformed (a required tag is missing or invalid), so the "
        "chain cannot be validated"
    ),
    "verify.dkim-reason.valid": "signature verified",
    "verify.dkim-reason.body-hash-mismatch": "body hash mismatch: the body changed after signing",
    "verify.dkim-reason.signature-mismatch": (
        "signature mismatch: a signed header changed after signing"
    ),
    "verify.dkim-reason.key-not-found": "key not found in DNS",
    "verify.dkim-reason.key-lookup-failed": "key lookup failed (temporary DNS error)",
    "verify.dkim-reason.key-revoked": "key revoked (empty p=)",
    "verify.dkim-reason.key-invalid": "key record unusable",
    "verify.dkim-reason.key-algorithm-mismatch": "key type does not match the signature algorithm",
    "verify.dkim-reason.key-too-short": "RSA key shorter than 1024 bits",
    "verify.dkim-reason.sha1": "rsa-sha1 is no longer accepted",
    "verify.dkim-reason.expired": "signature expired (x=)",
    "verify.dkim-reason.future-timestamp": "signature timestamp (t=) is in the future",
    "verify.dkim-reason.from-not-signed": "From header not signed",
    "verify.dkim-reason.malformed": "malformed signature",
    "verify.dkim-reason.unsupported": "signature algorithm not supported here",
    "verify.dkim-more": "{count} more signatures were not verified (limit {limit}).",
    "verify.source.option": "{value} (given on the command line)",
    "verify.source.received": "{value} (from the Received header)",
    "verify.source.return-path": "{value} (from Return-Path)",
    "verify.source.other": "{value} (from {source})",
    "verify.arc-set": "i={instance} d={domain} s={selector} cv={cv}: {results}",
    "verify.from": "From domain {domain} (organizational domain {org})",
    "verify.align.spf": "SPF {domain}: {verdict} ({mode})",
    "verify.align.dkim": "DKIM s={selector} {domain}: {verdict} ({mode})",
    "verify.aligned.yes": "aligned",
    "verify.aligned.no": "not aligned",
    "verify.aligned.notpass": "did not pass, so not counted",
    "verify.aligned.unknown": "no final result (temperror), so not known",
    "verify.mode.r": "relaxed",
    "verify.mode.s": "strict",
    "verify.earlier.line": "{authserv_id}: {method} {identifier} was {then}, now {now}",
    "verify.earlier.unchecked": (
        "{authserv_id}: {method} {identifier} was {then}; not re-checked now (DNS lookup failed)"
    ),
    # The Reverse DNS field, by `ReverseStatus` value.
    "verify.fcrdns.confirmed": "confirmed (a PTR name resolves back to the address)",
    "verify.fcrdns.not-confirmed": "not confirmed: no PTR name resolves back to the address",
    "verify.fcrdns.no-ptr": "no PTR record",
    "verify.fcrdns.unknown": "unknown (a DNS lookup failed)",
    # `--authentication-results` with several files: which file the next header is for.
    "verify.header-only.file": "==> {file} <==",
    # Field names of the verify report (DKIM table columns, SPF and ARC fields).
    "verify.field.index": "#",
    "verify.field.selector": "Selector",
    "verify.field.domain": "Domain",
    "verify.field.algorithm": "Algorithm",
    "verify.field.result": "Result",
    "verify.field.aligned": "Aligned",
    "verify.field.reason": "Reason",
    "verify.field.ip": "Connecting IP",
    "verify.field.helo": "HELO name",
    "verify.field.mail_from": "MAIL FROM",
    "verify.field.record": "Record",
    "verify.field.mechanism": "Matched by",
    "verify.field.problem": "Problem",
    "verify.field.received": "Received",
    "verify.field.reverse_dns": "Reverse DNS (FCrDNS)",
    "verify.field.arc_sets": "ARC sets",
    "verify.field.arc_set": "ARC set",
    "verify.field.from_addresses": "From addresses",
    # `mailauth spf`: the evaluation trace (RFC 7208 §4.6.4 counts).
    "spftrace.heading": "mailauth spf: {ip} for {domain}",
    "spftrace.identity": "IP {ip}, MAIL FROM {mail_from}, HELO {helo}",
    "spftrace.result": "Result: {result}",
    "spftrace.decided": "Decided by: {mechanism}",
    "spftrace.problem": "Problem: {problem}",
    "spftrace.explanation": "Explanation: {explanation}",
    "spftrace.record": "{entered} {domain}: {record}",
    "spftrace.record.none": "(no SPF record)",
    "spftrace.entered.top": "record",
    "spftrace.entered.include": "include",
    "spftrace.entered.redirect": "redirect",
    "spftrace.term.match": "{term}  -> MATCH ({qualifier})",
    "spftrace.term.match-counted": "{term}  -> MATCH ({qualifier}) [lookup {count}/{limit}]",
    "spftrace.term.nomatch": "{term}  -> no match",
    "spftrace.term.nomatch-counted": "{term}  -> no match [lookup {count}/{limit}]",
    "spftrace.lookup": "{name} {rdtype}: {rcode} {values}",
    "spftrace.lookup.void": "{name} {rdtype}: {rcode} (void lookup {count}/{limit})",
    "spftrace.record-result": "= {result}",
    "spftrace.totals": (
        "DNS lookups counted: {lookups}/{lookup_limit}, void lookups: {void}/{void_limit}"
    ),
    # Finding params that stand for "nothing to show" (message/judge.py passes them as Phrases).
    "verify.param.no-record": "(none)",
    "verify.param.none": "-",
    "verify.arc-reason.unknown": "unknown",
    # Hostile input (issue 9): limits and library errors, each a reason code.
    "verify.spf-problem.bad-ip": "{ip} is not an IP address SPF can be checked for",
    "verify.spf-problem.invalid-term": "invalid term {term}",
    "verify.spf-problem.library-error": "pyspf could not evaluate SPF: {error}",
    "verify.dkim-reason.key-too-long": "RSA key longer than 4096 bits: not verified",
    "verify.dkim-reason.too-many-signed-headers": (
        "h= names more than 100 header fields: not verified"
    ),
    "verify.arc-reason.key-refused": "the key {name} is not verified ({problem})",
    "verify.arc-reason.too-many-signed-headers": (
        "an ARC-Message-Signature names {count} header fields (limit {limit}): not verified"
    ),
    # Issue 8 (message side). ARC reasons dkimpy gives as exceptions, or as "invalid" when
    # a key lookup failed.
    "verify.arc-reason.duplicate-field": "Duplicate {field} for instance {instance}",
    "verify.arc-reason.incomplete-set": "Incomplete ARC set for instance {instance}",
    "verify.arc-reason.ams-signs-seal": "an ARC-Message-Signature signs an ARC-Seal (h=)",
    "verify.arc-reason.key-lookup-failed": (
        "the key of ARC set {instance} could not be looked up ({name}: {rcode}), so the "
        "chain could not be validated"
    ),
    # A passing identifier whose alignment hangs on a failed lookup (issue 8.6).
    "verify.aligned.lookup-failed": (
        "not known (a DNS lookup needed for relaxed alignment failed)"
    ),
    "verify.aligned.not-known": "not known",
    # A header defect the msg_header.malformed-field / obsolete-syntax findings name, by
    # `DefectKind` value (message/parse.py): the {problem} sentence.
    "verify.header-defect.not-a-field": (
        "A line in the header section is not a field: it has no name followed by a colon and "
        "does not start with white space (a continuation); mailauth skips it."
    ),
    "verify.header-defect.folded-name": (
        "The field name {name} is separated from its colon by a line break; mailauth reads "
        "it as a {name} field, as receivers that unfold lines first do, while others read a "
        "line that is no field."
    ),
    "verify.header-defect.space-before-colon": (
        "White space stands between the field name {name} and its colon (RFC 5322 §4.5.3 "
        "obsolete syntax, which must not be generated)."
    ),
    "verify.header-defect.whitespace-line": (
        "A line of only white space continues a header field (RFC 5322 §4.2 obsolete "
        "syntax, which must not be generated)."
    ),
    # Why a From field is not valid RFC 5322, by `FromProblem` value (msg_dmarc.from-invalid).
    "verify.from-problem.no-address": (
        "an element of its address list holds no address (a display name followed by a comma, "
        "or a word alone)"
    ),
    "verify.from-problem.unquoted-special": (
        "its display name contains characters that must be quoted (@ : ; < > [ ] or a backslash)"
    ),
    "verify.from-problem.bad-angle": (
        "its angle brackets are unbalanced, repeated, or followed by text"
    ),
    "verify.from-problem.bad-address": "its address is not of the form local-part@domain",
    "verify.from-problem.unterminated": "a quoted string or comment in it is never closed",
    # Several author domains (issue 8.3): the verdict line, and one line per author domain.
    "verify.verdict.authors": (
        "DMARC {result} for {domain}, the strictest of {count} author domains: a receiver "
        "applies {disposition}"
    ),
    "verify.author": (
        "From domain {domain}: DMARC {result}, published policy {policy}, a receiver applies "
        "{disposition}"
    ),
    # --- issue 14, Japanese: pyspf's own messages as codes (`SpfProblemCode`), so no
    # library sentence reaches a report in another language. {term} is the term pyspf names.
    "verify.spf-problem.recursion-limit": "too many levels of include and redirect",
    "verify.spf-problem.invalid-domain": "{term}: not a valid domain name (give a full name)",
    "verify.spf-problem.bad-cidr": "{term}: invalid CIDR prefix length",
    "verify.spf-problem.dual-cidr": "{term}: a dual CIDR length (//) is not allowed here",
    "verify.spf-problem.cidr-not-allowed": "{term}: a CIDR length is not allowed here",
    "verify.spf-problem.bad-address": "{term}: missing or invalid IP address",
    "verify.spf-problem.missing-domain": "{term}: the domain is missing or empty",
    "verify.spf-problem.include-self": "{term}: the record includes itself",
    "verify.spf-problem.include-no-spf": "{term}: the included domain has no SPF record",
    "verify.spf-problem.redirect-no-spf": "the redirect target {term} has no SPF record",
    "verify.spf-problem.duplicate-modifier": "{term}: the modifier appears more than once",
    "verify.spf-problem.bad-macro": "{term}: invalid macro",
    "verify.spf-problem.non-ascii": "a record contains non-ASCII characters",
    "verify.spf-problem.cname-chain": "a CNAME chain is longer than {limit}",
    "verify.spf-problem.too-many-mx": "an mx mechanism finds more than {limit} MX records",
    "verify.spf-problem.dns-timeout": "the DNS lookups took longer than the time allowed",
    "verify.spf-problem.dns-error": "a DNS lookup failed",
    # Why mailauth does not verify with an ARC key (`KeyProblem.refused_by_verifier`), the
    # {problem} of verify.arc-reason.key-refused.
    "verify.key-refused.key-too-long": "an RSA key longer than RFC 8301 asks verifiers to handle",
    "verify.key-refused.exponent-too-large": "an RSA public exponent too large to verify with",
    "verify.key-refused.bad-key-data": "key data that is no RSA key and too large to read",
    # The From field as the reader sees it, decoded (message/header_text.py).
    "verify.from-header": "From: {value}",
}

CLI_HELP: dict[str, str] = {
    # `--help` (docs/cli.md is generated from it). Click rewraps paragraphs; a paragraph
    # starting with \b keeps its line breaks (examples, tables).
    "cli.main.help": (
        "Explain, with evidence, why mail from a domain may land in spam, and how to fix "
        "it. Run a command with --help for its options and examples; `mailauth` alone "
        "prints this help.\n\n\b\nExit status (every command):\n"
        "  0    ran; nothing fails the threshold\n"
        "  1    ran; the result fails --fail-under or --fail-on (spf: SPF did not pass)\n"
        "  2    usage or input error (bad option, invalid domain, bad zone file or message)\n"
        "  3    lookups failed (timeout, SERVFAIL, no answer): no verdict\n"
        "  130  interrupted (Ctrl-C)\n"
        "  141  output closed early (a pipe such as | head): the rest is not written"
    ),
    "cli.check.short-help": "Check a domain's SPF, DMARC, DKIM, BIMI, MX, MTA-STS, TLS-RPT.",
    "cli.check.help": (
        "Check the DNS records that decide whether Gmail, Yahoo, Outlook and spam filters "
        "trust mail from DOMAIN: SPF, DMARC, DKIM keys, BIMI, MX, MTA-STS and TLS-RPT. "
        "Prints a score and grade, the reasons mail may land in spam (worst first), and the "
        "exact records to publish.\n\nDOMAIN may be internationalized (日本語.jp). Give "
        "several domains to check them in one run."
    ),
    "cli.check.epilog": (
        "\b\nExamples:\n"
        "  mailauth check example.com\n"
        "  mailauth check example.com --selector s1 --selector google\n"
        "  mailauth check example.com --nameserver 192.0.2.53\n"
        "  mailauth check example.com --zone zones/example.com.zone --fail-on high\n"
        "  mailauth check example.com --format json\n\n"
        "With --zone, records are read from zone files instead of DNS: check them before "
        "publishing. Exit status: 0 ran, 1 fails --fail-under/--fail-on, 2 usage error, "
        "3 lookups failed (no verdict)."
    ),
    "cli.verify.short-help": "Verify a saved message: DKIM, ARC, SPF, DMARC, and spam risks.",
    "cli.verify.help": (
        "Verify one or more saved messages (.eml, or - for standard input): every DKIM "
        "signature, the ARC chain, SPF for the connecting IP, DMARC alignment and the "
        "disposition a receiver would apply, plus the message-level rules of Gmail/Yahoo. "
        "A file that is not a message is reported on one line (exit status 2) and the other "
        "files are still verified."
    ),
    "cli.verify.epilog": (
        "\b\nExamples:\n"
        "  mailauth verify message.eml\n"
        "  mailauth verify message.eml --ip 203.0.113.5 --mail-from bounce@example.com\n"
        "  mailauth verify message.eml --authentication-results\n"
        "  cat message.eml | mailauth verify -\n\n"
        'Save the message with "Show original" / "Download message" in your mail client. '
        "Exit status: 0 ran, 1 fails --fail-under/--fail-on, 2 a file is not a message, "
        "3 DMARC could not be evaluated (lookups failed)."
    ),
    "cli.spf.short-help": "Evaluate SPF for an IP and sender, with the evaluation trace.",
    "cli.spf.help": (
        "Evaluate SPF (RFC 7208 check_host) for a connecting IP, MAIL FROM and HELO, and show "
        "the trace: each record evaluated, which mechanism matched or why none did, every DNS "
        'lookup with its running count. Answers "will this server pass SPF for us?" before '
        "any mail is sent."
    ),
    "cli.spf.epilog": (
        "\b\nExamples:\n"
        "  mailauth spf --ip 192.0.2.30 --mail-from bounce@example.com\n"
        "  mailauth spf --ip 2001:db8::25 --mail-from example.com\n"
        "  mailauth spf --ip 192.0.2.30 --helo mail.example.com\n\n"
        "Exit status: 0 SPF passes, 1 any other result, 2 usage error, 3 temperror "
        "(lookups failed)."
    ),
    "cli.option.selector": (
        "DKIM selector to check (repeatable): the s= of a DKIM-Signature header in your "
        "mail. Common selectors of big senders and ESPs are always tried; a selector named "
        "here that has no key is a finding."
    ),
    "cli.option.bimi-selector": "BIMI selector to look up (<selector>._bimi.DOMAIN).",
    "cli.option.zone": (
        "Answer DNS queries from this zone file, or every *.zone file in this directory, "
        "instead of the network (repeatable). Names outside the loaded zones are "
        "reported as not resolvable offline."
    ),
    "cli.option.nameserver": (
        "Ask this DNS server (IP address, optional port; repeatable) instead of the "
        "system's resolvers."
    ),
    "cli.option.timeout": "Seconds to wait for each DNS reply.",
    "cli.option.retries": "Times to retry a DNS query that timed out.",
    "cli.option.deadline": (
        "Stop querying after this many seconds in total; checks still waiting get an "
        "error (exit status 3). Without it, verify gives each message 30 seconds and spf "
        "its evaluation 30 seconds, and check gives each domain --domain-deadline."
    ),
    "cli.option.choices": "Choices: {choices}.",
    "cli.option.format": (
        "Output format: text for people, json for scripts; for CI markdown (PR comment, "
        "step summary), sarif (code scanning), github (workflow annotations), junit, "
        "jsonl (one report per line) and csv (one row per report). Repeatable, each paired "
        "with an -o FILE, to write several formats in one run."
    ),
    "cli.option.domain-deadline": (
        "Stop querying for one domain after this many seconds; its checks still waiting get "
        "an error (exit status 3) and the other domains go on. 0: no deadline per domain."
    ),
    "cli.option.output": (
        "Write the report to FILE instead of standard output (replaced only when the run "
        "completes; jsonl and csv are written as they go, a line per report, so an "
        "interrupted scan keeps them; - is standard output). Pairs with --format in order."
    ),
    "cli.option.fail-under": (
        "Exit with status 1 when a score is below SCORE (0-100), or is only an upper bound "
        "because some lookups failed (see --allow-incomplete)."
    ),
    "cli.option.fail-on": "Exit with status 1 when any finding has this severity or worse.",
    "cli.option.debug": "Show debug logs, and a traceback instead of a one-line error.",
    "cli.option.no-color": "Never use colour (also: NO_COLOR=1, or output not a terminal).",
    "cli.option.lang": (
        "Language of reports, messages and help (default: from MAILAUTH_LANG, LC_ALL, "
        "LC_MESSAGES or LANG, else English)."
    ),
    "cli.option.ip": (
        "IP address of the server that delivered the message (default: from the Received "
        "header your server added)."
    ),
    "cli.option.helo": "HELO/EHLO name that server used (default: from the Received header).",
    "cli.option.mail-from": "Envelope sender, MAIL FROM (default: from Return-Path).",
    "cli.option.authserv-id": (
        "Server name (authserv-id) written in the Authentication-Results header."
    ),
    "cli.option.authentication-results": (
        "Print only the Authentication-Results header a receiver would add "
        "(the same as --format authentication-results)."
    ),
    "cli.option.spf-ip": "IP address of the server that sends (or will send) the mail.",
    "cli.option.spf-mail-from": (
        "MAIL FROM address (a bare domain means postmaster@domain; empty checks HELO)."
    ),
    "cli.option.spf-helo": "HELO/EHLO name that server uses.",
    # Issue 8, domain side.
    "cli.option.allow-incomplete": (
        "Judge an incomplete result (some lookups failed: its score is an upper bound) by "
        "--fail-under on what could be checked, instead of failing it. Exit status 3 still "
        "says when lookups failed."
    ),
    # --- fetch-mtasts: https fetches (issue 11) ---
    "cli.option.https-dir": (
        "Answer every https fetch (MTA-STS policy, BIMI logo and certificate) from files "
        "DIR/<host>/<path> instead of the network, like --zone for DNS: lint the files "
        "before uploading them. A URL with no file is reported as not available offline; "
        "the web server itself (its certificate, Content-Type) is not checked."
    ),
    "cli.option.allow-private-fetch": (
        "Fetch from hosts that resolve to private, loopback, link-local or reserved "
        "addresses (intranets, tests). Without it such fetches are refused: the URLs come "
        "from DNS, which anyone can write."
    ),
    "cli.option.no-fetch": (
        "Fetch nothing over https (no MTA-STS policy, BIMI logo or certificate); the report "
        "says what was not fetched. Runs with --zone and no --https-dir never fetch."
    ),
    "cli.option.mark-root": (
        "Also trust this PEM certificate as a Mark Verifying Authority root for BIMI mark "
        "certificates (a private pilot, or the sample root in samples/https/). Repeatable."
    ),
    "cli.option.fetch-ca-file": (
        "Trust the certificate authorities in this PEM file for https fetches, instead of "
        "the public roots (an intranet CA, a test CA)."
    ),
    "cli.option.https-port": (
        "For tests only: connect https fetches of URLs that name no port to this port "
        "instead of 443 (a local test server)."
    ),
    # --- issue 11: STARTTLS, DNSSEC and DANE ---
    "cli.option.trust-anchor": (
        "Validate DNSSEC from the DS or DNSKEY records in FILE instead of the built-in root "
        "keys (e.g. the DS of a signed zone you check offline with --zone)."
    ),
    "cli.option.smtp": (
        "Also connect to each MX host on port 25: STARTTLS, TLS version, cipher, certificate "
        "(trust, name, expiry), MTA-STS readiness and DANE match. Opt-in: port 25 is blocked "
        "on many networks; an unreachable port is reported as not tested."
    ),
    "cli.option.smtp-port": "For tests only: connect to this port instead of 25.",
    "cli.option.smtp-timeout": "Seconds each MX host may take (connection to QUIT).",
    "cli.option.ca-file": (
        "PEM file of the CA certificates to trust for --smtp (default: the system's bundle); "
        "for tests with a private CA."
    ),
    "cli.option.trust-resolver-ad": (
        "Do not validate DNSSEC: take the AD flag of the resolver asked (--nameserver) as "
        "the verdict. Only as trustworthy as that resolver and the path to it."
    ),
    # --- CI step (issue 13) ---
    "cli.option.exit-zero": (
        "Exit with status 0 even when findings fail --fail-under, --fail-on, --fail-on-new "
        "or an expectation; errors still exit 2, and failed lookups 3."
    ),
    "cli.option.config": (
        "Read settings from FILE (default: mailauth.toml in the working directory, else "
        "[tool.mailauth] in pyproject.toml). Command-line options win over the file."
    ),
    "cli.option.ignore": (
        "Leave out this finding id, everywhere or for one domain (ID@DOMAIN): not listed, "
        "not scored. Repeatable; replaces the configuration file's ignore list."
    ),
    "cli.option.baseline": (
        "Compare with a previous --format json output: new and resolved findings, score "
        "delta and changed records."
    ),
    "cli.option.fail-on-new": (
        "With --baseline: exit with status 1 only for findings that are new since the "
        "baseline (at --fail-on severity or worse, when given), not for those already there."
    ),
    "cli.option.save-zone": (
        "Write every DNS answer this live run used as zone files in DIR, so --zone DIR "
        "replays the run offline."
    ),
    # --- issue 10, check side: bulk runs ---
    "cli.option.domains-file": (
        "Also check every domain listed in FILE (- for standard input): one per line, # "
        "comments, IDN allowed, duplicates checked once; or a CSV file with a 'domain' column."
    ),
    "cli.option.concurrency": (
        "Domains checked at once. Their DNS queries share a few sockets and a cap on "
        "queries in flight, so a higher value mostly queues."
    ),
    "cli.option.dkim-selectors": (
        "DKIM selectors guessed for each domain: common (the built-in list of providers' "
        "defaults), none (no guessing: faster surveys that need SPF and DMARC only), or a "
        "FILE with one selector per line. --selector names are always checked."
    ),
    "cli.progress.domains": "Checking",
    "cli.progress.rate": "{rate} domains/s",
    # --- issue 14, Japanese: click's own words (cli/click_words.py). Each English text is
    # click's message exactly as click writes it (the key is found by it); keep {fields}.
    "click.usage": "Usage:",
    "click.options": "Options",
    "click.commands": "Commands",
    "click.help-option": "Show this message and exit.",
    "click.version-option": "Show the version and exit.",
    "click.version": "%(prog)s, version %(version)s",
    "click.error": "Error: {message}",
    "click.try-help": "Try '{command} {option}' for help.",
    "click.no-such-option-quoted": "No such option {name!r}.",
    "click.did-you-mean": "Did you mean {possibility}?",
    "click.did-you-mean-one-of": "(Did you mean one of: {possibilities}?)",
    "click.no-such-command": "No such command {name!r}.",
    "click.missing-command": "Missing command.",
    "click.missing-argument": "Missing argument",
    "click.missing-option": "Missing option",
    "click.missing-parameter": "Missing parameter",
    "click.missing-parameter-name": "Missing parameter: {param_name}",
    "click.missing-type": "Missing {param_type}",
    "click.invalid-value-for": "Invalid value for {param_hint}: {message}",
    "click.invalid-value": "Invalid value: {message}",
    "click.requires-argument": "Option {name!r} requires an argument.",
    "click.requires-arguments": "Option {name!r} requires {nargs} arguments.",
    "click.takes-no-value": "Option {name!r} does not take a value.",
    "click.extra-argument": "Got unexpected extra argument ({args})",
    "click.extra-arguments": "Got unexpected extra arguments ({args})",
    "click.not-choice": "{value!r} is not {choice}.",
    "click.not-one-of": "{value!r} is not one of {choices}.",
    "click.not-a-number": "{value!r} is not a valid {number_type}.",
    "click.not-in-range": "{value} is not in the range {range}.",
    "click.file-missing": "{name} {filename!r} does not exist.",
    "click.file-is-directory": "{name} {filename!r} is a directory.",
    "click.file-is-file": "{name} {filename!r} is a file.",
    "click.file-unreadable": "{name} {filename!r} is not readable.",
    "click.file-unwritable": "{name} {filename!r} is not writable.",
    "click.file-cannot-open": "Could not open file {filename!r}: {message}",
    "click.file": "file",
    "click.directory": "directory",
    "click.path": "path",
    "click.default": "default: {default}",
    "click.env-var": "env var: {var}",
    "click.required": "required",
    "click.aborted": "Aborted!",
    # --- ciopts (issue 13): the policy options on verify, baselines in the machine formats ---
    "cli.option.ignore-from": (
        "Leave out this finding id, everywhere or for mail From one domain (ID@DOMAIN): not "
        "listed, not scored. Repeatable; replaces the configuration file's ignore list."
    ),
    "sarif.absent": "{target}: {title} (resolved since the baseline).",
    "github.title-new": "{target}: {title} ({id}, new since the baseline)",
    "junit.baseline": "{count} findings new since the baseline: {ids}",
}

EN: dict[str, str] = {**ERRORS, **SHARED, **DOMAIN_REPORT, **MESSAGE_REPORT, **CLI_HELP}

# --- report command (issue 12: `mailauth report`, DMARC aggregate and failure reports) ---
REPORT_COMMAND: dict[str, str] = {
    "cli.report.short-help": "Read DMARC reports: who sends as you, what fails, is p=reject safe.",
    "cli.report.help": (
        "Read DMARC aggregate (rua) and failure (ruf) reports and say who sends mail as your "
        "domain, what fails and how to fix it, and whether p=quarantine / p=reject is safe "
        "now.\n\nINPUT is a report file (.xml, .xml.gz, .gz, .zip), a report mail (.eml), an "
        "mbox, a Maildir folder or - for standard input, recognised by content."
    ),
    "cli.report.epilog": (
        "Exit status: 0 reports read, 2 nothing could be read (or a usage error)."
    ),
    "cli.option.report-db": (
        "Keep reports in this SQLite file and judge from everything stored in it; a report "
        "seen before is not counted twice. Without it, an in-memory store for this run."
    ),
    "cli.option.report-since": (
        "Judge only reports that end after this: 30d, 12h, 2w, or a date (YYYY-MM-DD)."
    ),
    "cli.option.report-domain": "Only reports about this domain (and its subdomains).",
    "cli.option.no-resolve": "Do not look up the PTR names of sending addresses.",
    "cli.option.check-db": (
        "A DMARC report store (mailauth report --db FILE): also check every DKIM selector "
        "that signed the domain's mail in the stored reports."
    ),
    "error.report-nothing-read": "no DMARC report could be read from {count} input(s)",
    "error.report-no-input": "give report files, or --db FILE to judge what it holds",
    "error.report-since": "--since: {value!r} is not a duration (30d, 12h, 2w) or a date",
    "error.report-store": "cannot use {path} as a report store: {reason}",
    "report.store.store-unreadable": "SQLite refused it ({value})",
    "report.store.store-notadb": "not an SQLite database",
    "report.store.store-corrupt": "the SQLite database is damaged",
    "report.store.store-cantopen": (
        "SQLite cannot open it (a folder that does not exist, or no permission)"
    ),
    "report.store.store-busy": "another process holds a lock on it; try again when it is done",
    "report.store.store-readonly": "it cannot be written (a read-only file or folder)",
    "report.store.store-full": "the disk is full",
    "report.store.store-foreign": "an SQLite database that is not a mailauth report store",
    "report.store.store-newer": "written by a newer mailauth (schema version {value})",
    "report.unreadable.line": "could not read {file}: {reason}",
    "report.unreadable.not-aggregate": "not a DMARC aggregate report (root element {value})",
    "report.unreadable.no-report-id": "the report has no report_id",
    "report.unreadable.no-org-name": "the report has no org_name",
    "report.unreadable.no-policy-domain": "the report has no policy_published domain",
    "report.unreadable.bad-date-range": "the date range is not two timestamps ({value})",
    "report.unreadable.xml-error": "not well-formed XML ({value})",
    "report.unreadable.xml-forbidden": (
        "refused: the XML declares entities or external references ({value})"
    ),
    "report.unreadable.empty": "empty",
    "report.unreadable.cap-decompressed": (
        "decompresses to more than the limit of {value} bytes (a compression bomb?)"
    ),
    "report.unreadable.cap-zip-members": "the zip has more than the limit of {value} members",
    "report.unreadable.cap-mail": "a mail larger than the limit of {value} bytes",
    "report.unreadable.cap-depth": "archives nested deeper than the limit of {value}",
    "report.unreadable.corrupt-archive": "truncated or corrupt compressed data ({value})",
    "report.unreadable.unrecognised": "not a report, archive or mail",
    "report.unreadable.not-found": "no such file",
    "report.unreadable.os-error": "{value}",
    "report.unreadable.no-report-in-mail": "a mail with no DMARC report in it",
    "report.note.line": "{org} report {report_id}: {note}",
    "report.note.text-truncated": "text longer than 64 KiB cut short in <{value}>",
    "report.note.dkim-selector-missing": (
        "DKIM result for {value} without the selector RFC 9990 requires"
    ),
    "report.note.spf-scope": "SPF scope {value}: RFC 9990 allows only mfrom",
    "report.note.bad-pct": "pct is not a number ({value})",
    "report.note.pct-removed": "pct in an RFC 9990 report (the tag was removed)",
    "report.note.missing": "required element <{value}> missing",
    "report.note.record-without-ip": "a record without source_ip was skipped",
    "report.note.bad-count": "a record with count {value!r} was skipped",
    "report.note.spf-more-than-one": "more than one SPF result in a record (RFC 9990: 0..1)",
    "report.note.reason-removed": "override reason {value} is not in RFC 9990",
    "report.note.trailing-garbage": "content after </feedback> ignored ({value})",
    "report.note.invalid-bytes": "bytes that are not UTF-8 read as Windows-1252 ({value})",
    "report.note.bare-markup": "a bare < or > in <{value}> read as text",
    "report.fix.publish-selector": (
        "Publish (or correct) the DKIM key {selector}._domainkey.{domain}: mail is signed "
        "with it but the signature fails"
    ),
    "report.fix.spf-include": "Add include:{include} to the SPF record of {domain}",
    "report.fix.dkim-own-domain": (
        "Set up DKIM signing with your domain ({domain}) at {service}; today it "
        "authenticates as {d}, which does not align"
    ),
    "report.fix.spf-ip": "Authorise {ip} in the SPF record of {domain} (ip4:/ip6:)",
    "report.fix.partial": (
        "Some of this source's mail passes: find the stream that does not and sign it with "
        "DKIM for {domain}"
    ),
    "report.reason.evidence": (
        "Evidence: {reports} report(s) from {reporters} reporter(s), {days} day(s) "
        "({first} to {last}), {messages} messages"
    ),
    "report.reason.no-data": "No messages for {domain} in the reports",
    "report.reason.legitimate-failing": (
        "Moving to p=quarantine now would quarantine about {per_day} messages/day of "
        "legitimate mail ({messages} in the period) from: {sources}"
    ),
    "report.reason.all-legitimate-pass": "Every legitimate source of {domain} passes DMARC",
    "report.reason.nothing-passes": (
        "No mail from {domain} passes DMARC in these reports: right for a domain that sends "
        "no mail; if it does send, check that its senders are listed here before moving on"
    ),
    "report.reason.spoofing": (
        "{messages} messages came from unauthenticated sources: p=reject is what stops them"
    ),
    "report.reason.too-few-days": (
        "Only {days} day(s) of reports: wait for at least {need} before p=reject"
    ),
    "report.reason.forwarded": (
        "{messages} messages ({share}%) are forwarded or from mailing lists: under p=reject "
        "receivers without ARC would reject them"
    ),
    "report.reason.at-reject": "The domain is at p=reject already",
    "report.reason.hold": "Fix the failing sources first, then move on",
    "report.reason.next-testing": (
        "Next: p=quarantine with t=y (testing: receivers still apply p=none and report); "
        "RFC 9989 removed pct, so this replaces the old pct=5 step"
    ),
    "report.reason.next-quarantine": "Next: p=quarantine without t=y",
    "report.reason.next-reject": "Next: p=reject",
    "report.action.publish": "Publish {record} at _dmarc of the domain (keep rua= and other tags)",
    "report.class.aligned": "aligned",
    "report.class.legitimate-failing": "legitimate, failing",
    "report.class.forwarded": "forwarded",
    "report.class.unauthenticated": "unauthenticated",
    "report.text.summary": (
        "DMARC reports: {reports} read ({records} records), {duplicates} already seen, "
        "{unreadable} could not be read, {failures} failure report(s)"
    ),
    "report.text.domain": "{domain} ({messages} messages, {passing}% pass DMARC, policy {policy})",
    "report.text.quarantine-safe": "Safe to move to p=quarantine: {answer}",
    "report.text.reject-safe": "Safe to move to p=reject: {answer}",
    "report.text.next-record": "Record to publish next: {record}",
    "report.text.actions": "Most important actions",
    "report.text.yes": "yes",
    "report.text.no": "no",
    "report.text.sources": "Sending sources",
    "report.text.daily": "Daily volume and pass rate",
    "report.text.unreadable": "Could not read",
    "report.text.notes": "Report defects (reports still used)",
    "report.text.failures": "Failure reports",
    "report.text.nothing": "No report data.",
    "report.col.ip": "IP",
    "report.col.source": "PTR / service",
    "report.col.messages": "messages",
    "report.col.spf": "SPF aligned",
    "report.col.dkim": "DKIM aligned",
    "report.col.class": "class",
    "report.col.fix": "fix",
    "report.col.day": "day",
    "report.col.pass": "pass",
    "report.html.title": "DMARC report: {domains}",
    "report.html.daily": "Daily volume and DMARC pass rate",
    "report.html.failing": "Top failing sources",
    "report.html.services": "Share of mail per service",
    "report.html.other": "other / unknown",
    # --- report: failure reports in the verdict (issue 12) ---
    "report.reason.failure-reports": (
        "Also {count} failure report(s) about {domain}, each one message that failed "
        "DMARC, from: {sources}"
    ),
}

EN.update(REPORT_COMMAND)

# --- stats command --- (issue 13: adoption statistics over scan results)
STATS_COMMAND: dict[str, str] = {
    "cli.stats.short-help": "Adoption statistics over the JSONL results of check --domains-file.",
    "cli.stats.help": (
        "Count SPF, DMARC, DKIM, BIMI, MTA-STS and TLS-RPT adoption over the results of a "
        "survey: RESULTS are JSONL files written by `mailauth check --domains-file FILE "
        "--format jsonl -o out.jsonl` (- reads standard input). Shards are merged and a domain "
        "reported twice counts once, with its newest report. Group the figures with --group-by, "
        "compare with earlier scans with --compare, and write an HTML page with charts with "
        "--format html -o stats.html."
    ),
    "cli.stats.epilog": (
        "Exit status: 0 statistics written, 2 no report could be read (or a usage error). "
        "Malformed lines and unreadable files are named on stderr and left out."
    ),
    "cli.option.stats-group-by": (
        "Also count per group: tld, jp-type (co.jp, go.jp, lg.jp..., general-use, prefecture), "
        "ns-operator, mx-operator (the registered domain of the name servers / MX hosts), or "
        "a column of the --domains-csv file (e.g. sector)."
    ),
    "cli.option.stats-domains-csv": (
        "The domains CSV of the survey (a header with a domain column): --group-by COLUMN "
        "groups by one of its columns."
    ),
    "cli.option.stats-compare": (
        "An earlier scan's JSONL results (repeatable): the change since the most recent one, "
        "and the adoption over time of every scan given."
    ),
    "error.stats.nothing-read": "no check report could be read from {count} file(s)",
    "error.stats.nothing-to-compare": "--compare {path}: no check report could be read from it",
    "error.stats.csv-unreadable": "cannot read the domains CSV {path}: {reason}",
    "error.stats.csv-no-domain": "the domains CSV {path} has no domain column in its header",
    "error.stats.csv-no-column": (
        "the domains CSV {path} has no column {column} (its columns: {columns})"
    ),
    "error.stats.group-by-needs-csv": (
        "--group-by {column}: not one of tld, jp-type, ns-operator, mx-operator; to group by "
        "a column of the domains CSV, give it with --domains-csv FILE"
    ),
    "check.ns": "Name servers",
    "field.ns_hosts": "Name servers",
    "stats.warning.line": "mailauth: warning: {message}",
    "stats.warning.malformed": "{path}:{line}: line skipped ({reason})",
    "stats.warning.malformed-more": "{count} more malformed lines skipped",
    "stats.warning.unreadable": "cannot read {path}: {reason}; left out",
    "stats.bad.not-json": "not JSON",
    "stats.bad.not-utf8": "not UTF-8 text",
    "stats.bad.not-object": "not a JSON object",
    "stats.bad.no-domain": "no domain: not a report of mailauth check",
    "stats.title": "Mail authentication adoption",
    "stats.summary": (
        "{domains} domains ({reports} reports read, {duplicates} duplicates merged, "
        "{malformed} malformed lines skipped)"
    ),
    "stats.checked": "Checked {start} to {end}",
    "stats.sources": "From: {sources}",
    "stats.nonexistent": "{count} of them do not exist in DNS (counted as having nothing).",
    "stats.adoption": "Adoption",
    "stats.dmarc-policies": "DMARC policy",
    "stats.spf-all": "SPF all qualifier",
    "stats.grades": "Grades",
    "stats.mean-score": "Mean score: {score} (over {count} scored domains)",
    "stats.mean-score-none": "Mean score: none (no domain was scored)",
    "stats.top-findings": "Most common findings",
    "stats.groups": "By {group_by}",
    "stats.more-groups": (
        "{count} smaller groups ({domains} domains) are not shown; --format json and csv "
        "list every group."
    ),
    "stats.compare": "Change since {label}",
    "stats.timeline": "Adoption over time",
    "stats.dkim-estimate": (
        "DKIM found is an estimate: DNS cannot list a domain's DKIM keys, so only these "
        "{count} selectors were probed ({selectors}); a domain signing with another selector "
        "counts as without DKIM."
    ),
    "stats.dkim-lists": "The scan used {count} different selector lists; this is their union.",
    "stats.dkim-none": "DKIM found: no selector was probed (check --dkim-selectors none).",
    "stats.unreadable": "Files left out (could not be read): {files}",
    "stats.col.metric": "metric",
    "stats.col.domains": "domains",
    "stats.col.share": "share",
    "stats.col.group": "group",
    "stats.col.finding": "finding",
    "stats.col.old": "before",
    "stats.col.new": "now",
    "stats.col.delta": "change (points)",
    "stats.col.scan": "scan",
    "stats.col.date": "checked",
    "stats.col.grade": "grade",
    "stats.col.mean-score": "mean score",
    "stats.metric.spf_present": "SPF published",
    "stats.metric.spf_all": "SPF {qualifier}",
    "stats.metric.spf_all_none": "SPF without all",
    "stats.metric.spf_over_limit": "SPF over 10 lookups",
    "stats.metric.dmarc_policy": "DMARC p={policy}",
    "stats.metric.dmarc_missing": "no DMARC",
    "stats.metric.dmarc_rua": "DMARC with rua",
    "stats.metric.dkim_found": "DKIM found (estimate)",
    "stats.metric.bimi_present": "BIMI published",
    "stats.metric.mta_sts_present": "MTA-STS published",
    "stats.metric.tls_rpt_present": "TLS-RPT published",
    "stats.metric.null_mx": "null MX (no mail)",
    "stats.policy.missing": "missing",
    "stats.short.spf_present": "SPF",
    "stats.short.reject": "reject",
    "stats.short.quarantine": "quar.",
    "stats.short.none": "p=none",
    "stats.short.missing": "no DMARC",
    "stats.short.dkim_found": "DKIM",
    "stats.short.bimi_present": "BIMI",
    "stats.short.mta_sts_present": "MTA-STS",
    "stats.short.score": "score",
    "stats.html.title": "Mail authentication adoption: {domains} domains",
    "stats.html.policy-chart": "DMARC policy distribution",
    "stats.html.adoption-chart": "Adoption",
    "stats.html.grade-chart": "Grade distribution",
    "stats.html.timeline-chart": "Adoption over time",
    "stats.html.groups-chart": "DMARC policy by {group_by}",
    "stats.html.all": "all",
}

EN.update(STATS_COMMAND)

# --- Japanese fragments (codes for English reasons) ---
# Issue 14: the reasons that used to be English sentences built in code (a DNSSEC chain that
# breaks, an SMTP probe that fails, a certificate not trusted, a config value of the wrong
# type) are codes with words here, so a report in another language has none left in English.
FRAGMENTS: dict[str, str] = {
    # Why a DNSSEC verdict is not secure (`dns/dnssec_reasons.ChainProblem`); the {reason}
    # of the dnssec.* and dane.* findings and JSON `reason` / `reason_code`.
    "dnssec.why.lookup-failed": "the query for {name} {rdtype} failed ({rcode})",
    "dnssec.why.no-anchor": "no trust anchor covers {name}",
    "dnssec.why.anchor-unreachable": (
        "no DNSKEY of {zone} could be read (the trust anchor's zone is not reachable here)"
    ),
    "dnssec.why.ds-not-signed": "the DS of {zone} is not signed by {parent}",
    "dnssec.why.ds-without-dnskey": "{zone} has a DS but its DNSKEY lookup gave {rcode}",
    "dnssec.why.no-ds": "{zone} is signed, but its parent publishes no DS for it",
    "dnssec.why.unsigned-zone": "{zone} is a zone of its own and is not signed (no DS, no DNSKEY)",
    "dnssec.why.no-key-for-ds": "no DNSKEY of {zone} matches its DS",
    "dnssec.why.no-key-for-anchor": "no DNSKEY of {zone} matches its trust anchor",
    "dnssec.why.dnskey-not-signed": "the DNSKEY set of {zone} is not signed",
    "dnssec.why.no-rrsig": "no RRSIG in a signed zone",
    "dnssec.why.no-rrsig-by-zone": "no RRSIG by {zone}",
    "dnssec.why.signature-expired": "signature expired on {date}",
    "dnssec.why.signature-not-yet-valid": "signature not yet valid",
    "dnssec.why.signature-invalid": "the signature by {zone} does not verify",
    "dnssec.why.cannot-validate": "the keys of {zone} cannot be used to validate",
    "dnssec.why.unsigned-types": "{types}: no RRSIG",
    "dnssec.why.nothing-to-judge": "no SOA, DNSKEY or A",
    "dnssec.why.resolver-no-ad": "the resolver did not set AD",
    "dnssec.why.resolver-unsigned": "the resolver returned no RRSIG and did not set AD",
    "dnssec.why.resolver-not-validating": (
        "the resolver did not set the AD flag (it does not validate, or the chain is broken)"
    ),
    "dnssec.why.offline-no-ad": (
        "no resolver was asked (zone files), so there is no AD flag to trust"
    ),
    # The built-in root trust anchors (`dns/trust_anchor.ROOT_DESCRIPTION`, text report).
    "dnssec.trust-anchor.root": "root KSK-2017 (20326), KSK-2024 (38696), built in",
    # Why an SMTP host has no TLS verdict (`domain/smtp_reasons.SmtpProblem`): the {reason}
    # of smtp.* findings and JSON `detail` / `detail_code`.
    "smtp.why.mx-lookup-failed": "the MX query failed ({rcode})",
    "smtp.why.no-address": "no address (A: {a}, AAAA: {aaaa})",
    "smtp.why.timeout": "no answer within {seconds} s",
    "smtp.why.connect-failed": "the connection failed ({code})",
    "smtp.why.no-greeting": "the server closed the connection before its greeting",
    "smtp.why.bad-greeting": "the server greeted with {code} instead of 220 ({banner})",
    "smtp.why.ehlo-refused": "EHLO was answered with {code}",
    "smtp.why.starttls-not-offered": "not offered in the EHLO reply",
    "smtp.why.starttls-refused": "the STARTTLS command was answered with {code}",
    "smtp.why.tls-handshake": "the TLS handshake failed ({code})",
    "smtp.why.python-too-old": "STARTTLS probing needs Python 3.11 or later",
    "smtp.why.connection-lost": "the server closed the connection in the middle of the dialogue",
    "smtp.why.not-smtp": "the server's answer is not an SMTP reply: {text}",
    "smtp.why.line-too-long": "a reply line is too long",
    "smtp.why.too-many-lines": "a reply has too many lines",
    # Why a server certificate is not trusted (`smtp_reasons.CertTrustProblem`).
    "smtp.trust.no-bundle": "there is no CA bundle to judge trust with",
    "smtp.trust.empty-bundle": "the CA bundle is empty",
    "smtp.trust.no-dns-name": "the certificate names no DNS host (no subjectAltName)",
    "smtp.trust.self-signed": "the certificate is self-signed",
    "smtp.trust.unknown-issuer": (
        "the issuer ({issuer}) is neither sent by the server nor a trusted root"
    ),
    "smtp.trust.not-verified": "the chain does not verify to a trusted root",
    "smtp.trust.malformed": "the certificate cannot be read by the verifier",
    # System errors of a network connection (`errors.os_reason`, the SMTP probe).
    "error.os.econnrefused": "Connection refused",
    "error.os.etimedout": "Connection timed out",
    "error.os.ehostunreach": "No route to host",
    "error.os.enetunreach": "Network is unreachable",
    "error.os.econnreset": "Connection reset by peer",
    "error.os.econnaborted": "Connection aborted",
    "error.os.eaddrnotavail": "Cannot assign requested address",
    "error.os.epipe": "Broken pipe",
    # What a configuration value must be (`config.TOP`, `config.EXPECT`): {expected} of
    # error.config.type.
    "config.expected.table": "a table",
    "config.expected.domain-list": "a list of domain names",
    "config.expected.selector-list": "a list of DKIM selectors",
    "config.expected.score": "a whole number from 0 to 100",
    "config.expected.severity": "one of critical, high, medium, low, info",
    "config.expected.finding-list": 'a list of finding ids ("ID" or "ID@DOMAIN")',
    "config.expected.boolean": "true or false",
    "config.expected.policy": "one of none, quarantine, reject",
    "config.expected.lookups": "a whole number from 0 to 10",
    # Why an input file cannot be used (the {reason} of error.baseline, error.ca-file, ...).
    "error.reason.not-utf8": "not UTF-8 text",
    "error.reason.not-json": "not JSON (line {line}, column {column})",
    "error.reason.not-a-report": "not the output of mailauth check --format json",
    "error.reason.not-pem": "not PEM certificates",
    "error.reason.no-certificate": "no certificate in it",
    # The BIMI mark certificate (`records/vmc.py`): why it cannot be read, why its logo is
    # missing, why its chain is not trusted, why its CRL proves nothing.
    "bimi.why.unparseable": "no certificate in it can be read",
    "bimi.why.no-logotype": "the certificate has no logotype extension",
    "bimi.why.bad-logotype": "the logotype extension is malformed",
    "bimi.why.no-embedded-svg": "the subject logo has no embedded SVG",
    "bimi.untrusted.unknown-root": "the chain ends at a root that is not a known mark root",
    "bimi.untrusted.bad-signature": "a signature in the chain does not verify",
    "bimi.untrusted.unknown-issuer": "the issuing certificate is neither in the file nor a root",
    "bimi.untrusted.issuer-not-ca": "an issuing certificate is not a CA certificate",
    "bimi.untrusted.issuer-expired": "an issuing certificate is outside its validity dates",
    "bimi.untrusted.chain-too-long": "the chain is too long",
    "bimi.crl.signature": "it is not signed by the certificate's issuer",
    "bimi.crl.stale": "it is past its next update date",
    "bimi.crl.unparseable": "it cannot be read as a CRL",
    "bimi.revocation.not-checked.not-found": "the CRL was not found (HTTP 404)",
    "bimi.revocation.not-checked.http-error": "the CRL server answered with an error",
    "bimi.revocation.not-checked.redirect": "the CRL server redirected",
    "bimi.revocation.not-checked.too-large": "the CRL is larger than the limit",
    "bimi.revocation.not-checked.timeout": "the CRL server did not answer in time",
    "bimi.revocation.not-checked.bad-url": "the CRL URL is not usable",
    "bimi.revocation.not-checked.dns-failed": "the CRL host name did not resolve",
    "bimi.revocation.not-checked.connect-failed": "no connection to the CRL host",
    "bimi.revocation.not-checked.tls-error": "the TLS connection to the CRL host failed",
    "bimi.revocation.not-checked.read-failed": "the CRL file in --https-dir is unreadable",
    "bimi.revocation.not-checked.unparseable": "the certificate cannot be read",
    # Why an SVG logo is not XML (`records/xml_reasons.py`, expat's errors by name).
    "bimi.xml.no-elements": "the file has no XML element",
    "bimi.xml.syntax": "syntax error",
    "bimi.xml.invalid-token": "not well-formed (a character that XML does not allow here)",
    "bimi.xml.unclosed-token": "a tag is not closed",
    "bimi.xml.partial-char": "the file ends in the middle of a character",
    "bimi.xml.tag-mismatch": "a closing tag does not match its opening tag",
    "bimi.xml.duplicate-attribute": "an attribute appears twice in one element",
    "bimi.xml.junk-after-doc-element": "there is content after the root element ends",
    "bimi.xml.undefined-entity": "an undefined entity is used",
    "bimi.xml.unclosed-cdata-section": "a CDATA section is not closed",
    "bimi.xml.unbound-prefix": "a namespace prefix is used without being declared",
    "bimi.xml.incorrect-encoding": "the encoding named in the XML declaration is wrong",
    "bimi.xml.unknown-encoding": "the encoding named in the XML declaration is unknown",
    "bimi.xml.misplaced-xml-pi": "the XML declaration is not at the start of the file",
    "bimi.xml.xml-decl": "the XML declaration is malformed",
    "bimi.xml.bad-char-ref": "a character reference names an invalid character",
    "bimi.xml.other": "XML error {code}",
    # What is wrong in a configuration file that is not TOML (`config_syntax.py`, tomllib's
    # messages by code): the {message} of error.config.syntax.
    "config.toml.overwrite": "a value is set twice",
    "config.toml.bad-escape": "an escape names a character that does not exist",
    "config.toml.expected-equals": "a key is not followed by '='",
    "config.toml.unclosed-table": "a table name is not closed with ']'",
    "config.toml.unclosed-array-table": "an array of tables name is not closed with ']]'",
    "config.toml.expected-newline": "something follows a value on the same line",
    "config.toml.bad-datetime": "invalid date or time",
    "config.toml.bad-hex": "invalid hexadecimal number",
    "config.toml.bad-key": "a key starts with a character keys cannot start with",
    "config.toml.bad-statement": "this line is not a key = value pair or a [table]",
    "config.toml.bad-value": "invalid value (a string needs quotes)",
    "config.toml.unclosed-array": "a list is not closed with ']'",
    "config.toml.unclosed-inline-table": "an inline table is not closed with '}}'",
    "config.toml.unescaped-backslash": "a backslash in a string is not escaped",
    "config.toml.unterminated-string": "a string is not closed",
    "config.toml.declared-twice": "{value} is declared twice",
    "config.toml.immutable": "{value} cannot be changed here",
    "config.toml.redefined": "the table {value} is defined twice",
    "config.toml.duplicate-key": "the key {value} appears twice in an inline table",
    "config.toml.expected": "{value} was expected",
    "config.toml.bad-character": "the character {value} is not allowed here",
    # Why a zone file's $ORIGIN is not a domain name (dnspython's name errors).
    "error.zone.origin.label-too-long": "a label is longer than 63 octets",
    "error.zone.origin.name-too-long": "the name is longer than 255 octets",
    "error.zone.origin.empty-label": "the name has an empty label (two dots in a row)",
    "error.zone.origin.bad-escape": "the name has an invalid \\ escape",
}

EN.update(FRAGMENTS)

# --- bulk scans (issue 13: --shard, --resume, --qps, the scan manifest) ---
BULK_SCAN: dict[str, str] = {
    "cli.option.shard": (
        "Check only the K-th of N parts of the domains (1/3, 2/3, 3/3), chosen by a stable "
        "hash of each domain, so N jobs of one command split a survey between them."
    ),
    "cli.option.resume": (
        "Continue an interrupted scan: skip the domains already in the -o FILE (jsonl or "
        "csv) and append the rest. A torn last line is cut off and that domain checked again."
    ),
    "cli.option.qps": (
        "Send at most N DNS queries per second (a polite limit for a shared resolver); "
        "cached answers do not count. Fewer domains are then checked at once."
    ),
    "error.shard.syntax": "'{value}' is not K/N (for example 2/3: the second of three parts)",
    "error.shard.range": "'{value}': N must be at least 1 and K between 1 and N",
    "error.resume.no-output": (
        "--resume continues a scan's output file: give --format jsonl -o FILE (or csv)"
    ),
    "error.resume.format": (
        "--resume needs exactly one output, --format jsonl or csv written to a file with -o "
        "(other formats are not one report per line and cannot be continued)"
    ),
    "error.resume.file": "cannot resume from {path}: {reason}",
    "error.resume.unreadable": "cannot resume from {path}, line {line}: {reason}",
    "error.resume.not-a-file": "it is not a regular file",
    "error.resume.not-a-report": (
        "the line is not a mailauth check report (the file was not written by a scan, or "
        "was edited); nothing was changed"
    ),
    "error.resume.csv-header": (
        "its header is not this version's CSV columns; resume with the mailauth version that "
        "started the scan, or start a new file"
    ),
    "error.resume.shard": (
        "{path} says this scan was shard {old}, not {new}: resume with the same --shard "
        "(or remove the manifest to start it anew)"
    ),
    "error.resume.checks": (
        "{path} says this scan ran --checks {old}, not {new}: resume with the same --checks "
        "(or remove the manifest to start it anew)"
    ),
    "error.manifest": "cannot write the scan manifest {path}: {reason}",
    "error.scan-interrupted": (
        "interrupted: {done} of {total} domains have a report in {path}; run the same "
        "command with --resume to check the rest"
    ),
}

EN.update(BULK_SCAN)

# --- survey profile: mailauth check --checks (issue 10) ---
SURVEY_PROFILE: dict[str, str] = {
    "status.skipped": "SKIPPED",
    "cli.option.checks": (
        "Run only these checks, comma-separated (e.g. spf,dmarc,mx for a fast survey); "
        'all runs every check. The others are reported as skipped (JSON status "skipped"), '
        "with no findings, and the score is then an upper bound (grade provisional)."
    ),
    "error.checks.unknown": "unknown check(s): {unknown}; valid: {valid}",
    "report.skipped": (
        "Not run (left out with --checks): {checks}. The score covers only the checks that "
        "ran, so it is an upper bound and the grade provisional."
    ),
    "section.skipped": "Not run (left out with --checks).",
    "config.expected.check-list": (
        "a list of check names: all, spf, dmarc, dkim, bimi, mx, mta_sts, tls_rpt, dnssec, "
        "dane, smtp, ns"
    ),
}

EN.update(SURVEY_PROFILE)

# The table the loader reads (every language module has one). English finding text is not
# copied here: `mailauth.i18n` reads it from the finding catalogue, where it is written.
TABLE: dict[str, str] = EN

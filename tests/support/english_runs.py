"""Finds English prose left inside Japanese text (issue 14): a run of three or more ASCII
words in a row ("the chain does not verify") is a sentence someone forgot to translate, or a
library's message passed through. What is rightly English in a Japanese report is allowed:
record text and syntax inside `backticks`, names with a dot (domains, hosts, URLs), tokens
with digits or `=`/`:`/`_` (tags, OpenSSL reason names, rcodes), all-capital tokens (SOA,
DNSKEY, STARTTLS, MAIL FROM) and the product and standard names in `ALLOWED_PHRASES`.

Used by the unit test that renders every finding with every code of its placeholders and by
the integration tests that render real reports."""

from __future__ import annotations

import re

# Names a Japanese admin reads as they are (vendor products, standards, command lines).
ALLOWED_PHRASES: tuple[str, ...] = (
    "SVG Tiny PS",
    "Mark Verifying Authority",
    "Verified Mark Certificate",
    "Common Mark Certificate",
    "Google Public DNS",
    "GitHub code scanning",
    "Apple Mail",
    "void lookup",
    "DMARC pass",
    "mailauth check",
    "mailauth verify",
    "mailauth report",
    "mailauth spf",
    "keymgr",
    "dnssec-dsfromkey",
)

_WORD = r"[A-Za-z][A-Za-z'’]*(?:-[A-Za-z]+)*"
_RUN = re.compile(rf"{_WORD}(?:[ ]+{_WORD}){{2,}}")
# Spans that are data, not words: `code`, URLs, names with dots, key=value, tokens with
# digits or underscores, "quoted values".
_DATA = re.compile(
    r"`[^`]*`"
    r"|https?://\S+"
    r"|\S*[A-Za-z0-9-]\.[A-Za-z0-9-]\S*"
    r"|\S*[=:_/@<>\[\]{}|\\]\S*"
    r'|"[^"]*"'
    r"|'[^']*'"
    r"|\S*\d\S*"
)


def english_runs(text: str) -> list[str]:
    """The runs of three or more English words in `text` that are not data or an allowed
    name; [] for text with no English prose."""
    for phrase in ALLOWED_PHRASES:
        text = text.replace(phrase, " ")
    text = _DATA.sub(" ", text)
    runs = []
    for run in _RUN.findall(text):
        words = [w for w in run.split() if not w.isupper()]  # SOA, DNSKEY, MAIL FROM
        if len(words) >= 3:
            runs.append(run)
    return runs

"""Japanese is complete (issue 14): every UI key, every error code and every finding has
Japanese text, and none of it is English left in place.

When other work adds English keys, the first test fails and prints the exact keys that need a
Japanese entry in src/mailauth/i18n/ja.py (finding keys go to ja_findings.py)."""

from __future__ import annotations

import re
from string import Formatter
from typing import Any, get_args

import pytest

from mailauth.dns.zonefile import ZoneErrorCode
from mailauth.findings import CATALOGUE, describe, finding
from mailauth.i18n import FINDING_PARTS, catalogue, finding_key, label, parse_finding_key
from mailauth.message.spftrace import SpfProblemCode

# Keys whose Japanese is rightly ASCII: protocol and product names, record syntax, and the
# names of header fields and SMTP commands, which a Japanese admin reads as they are.
ASCII_KEYS = frozenset(
    {
        "check.spf",
        "check.dmarc",
        "check.dkim",
        "check.bimi",
        "check.mx",
        "check.mta_sts",
        "check.tls_rpt",
        "check.core",
        "provider.gmail",
        "provider.yahoo",
        "provider.outlook",
        "report.heading",  # mailauth check: {domain}
        "verify.heading",  # mailauth verify: {file}
        "field.includes",  # include
        "verify.section.spf",
        "verify.section.arc",
        "verify.section.authres",  # Authentication-Results
        "verify.field.mail_from",  # MAIL FROM
        "verify.field.received",  # Received
        "spftrace.entered.include",
        "spftrace.entered.redirect",
        "verify.arc-set",  # i=... d=... s=... cv=...: tags of the ARC-Seal
        "check.dnssec",
        "check.dane",
        "check.smtp",  # SMTP STARTTLS
        "field.dnssec",
        "field.security",  # DNSSEC (the verdict beside it is Japanese)
        "field.smtp_status",  # STARTTLS
        "field.tlsa",
        "bimi.receiver.gmail",
        "bimi.receiver.apple",
        "bimi.receiver.yahoo",
        "markdown.heading.check",  # mailauth check
        "markdown.heading.verify",  # mailauth verify
    }
)

_FORMATTER = Formatter()
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")


def _sample(text: str) -> dict[str, Any]:
    """A value for every field of a template (a number where it has a numeric format)."""
    params: dict[str, Any] = {}
    for _, name, spec, _ in _FORMATTER.parse(text):
        if name:
            params[name.split(".")[0].split("[")[0]] = 1234 if spec else "x"
    return params


def _is_layout(template: str) -> bool:
    """A template of fields and punctuation only (`{name}:`, `-{points}`): no words at all."""
    words = "".join(literal for literal, _, _, _ in _FORMATTER.parse(template))
    return not re.search(r"[A-Za-z]", words)


def test_every_english_key_has_japanese() -> None:
    missing = sorted(set(catalogue("en")) - set(catalogue("ja")))
    listing = "\n".join(missing)
    assert not missing, (
        f"{len(missing)} keys have no Japanese entry (add them to src/mailauth/i18n/ja.py, "
        f"finding text to ja_findings.py):\n{listing}"
    )


def test_no_english_is_left_in_japanese() -> None:
    english = catalogue("en")
    ascii_only = []
    for key, text in sorted(catalogue("ja").items()):
        rendered = label(key, "ja", **_sample(english.get(key, text)))
        if "{" in rendered and "{" not in english.get(key, ""):
            ascii_only.append(f"{key}: a field is left unfilled: {rendered!r}")
        if key in ASCII_KEYS or _is_layout(text):
            continue
        if not _JAPANESE.search(rendered):
            ascii_only.append(f"{key}: {rendered!r}")
    assert not ascii_only, "Japanese entries without Japanese:\n" + "\n".join(ascii_only)


def test_the_ascii_list_stays_honest() -> None:
    """Every key allowed to be ASCII is ASCII: an entry that gained Japanese leaves the list."""
    japanese = catalogue("ja")
    assert [k for k in sorted(ASCII_KEYS) if not japanese[k].isascii()] == []


@pytest.mark.parametrize("fid", sorted(CATALOGUE))
def test_every_finding_renders_in_japanese(fid: str) -> None:
    english = catalogue("en")
    params: dict[str, Any] = {}
    for part in FINDING_PARTS:
        params.update(_sample(english[finding_key(fid, part)]))
    text = describe(finding(fid, **params), "ja")
    for part in FINDING_PARTS:
        shown = getattr(text, part)
        assert _JAPANESE.search(shown), f"{fid}.{part} is not Japanese: {shown!r}"
        assert "{" not in shown, f"{fid}.{part} has an unfilled field: {shown!r}"
        assert shown != getattr(describe(finding(fid, **params), "en"), part)


@pytest.mark.parametrize(
    "key",
    [f"error.zone.{code}" for code in get_args(ZoneErrorCode)]
    + [f"verify.spf-problem.{code.value}" for code in SpfProblemCode]
    + [k for k in sorted(catalogue("en")) if k.startswith(("error.", "verify.dkim-reason."))],
)
def test_every_error_code_is_japanese(key: str) -> None:
    text = label(key, "ja", **_sample(catalogue("en")[key]))
    assert _JAPANESE.search(text) or _is_layout(catalogue("ja")[key]), (key, text)


def test_finding_keys_of_japanese_name_catalogued_ids() -> None:
    for key in catalogue("ja"):
        parsed = parse_finding_key(key)
        if key.startswith("finding.") and parsed is not None:
            assert parsed[0] in CATALOGUE, key

"""The Japanese text of the fetch/MTA-STS-policy keys (`i18n/ja_fetch_mtasts.py`) covers
exactly the keys that work added to English, with the same {fields} in each part, so it can
be merged into the Japanese table as it is."""

from __future__ import annotations

from string import Formatter

from mailauth.findings import CATALOGUE
from mailauth.i18n import FINDING_PARTS, catalogue, finding_key
from mailauth.i18n.ja_fetch_mtasts import FINDINGS, UI

_PREFIXES = ("fetch-outcome.", "mta-sts-policy-problem.", "mta-sts-max-age.", "mta-sts-policy.")
_NAMED = {
    "error.no-fetch-with-https-dir",
    "error.fetch-ca-file",
    "field.policy_file",
    "field.policy_server",
    "field.mode",
    "field.mx_patterns",
    "field.max_age",
    "field.unmatched_mx",
    "cli.option.https-dir",
    "cli.option.allow-private-fetch",
    "cli.option.no-fetch",
    "cli.option.fetch-ca-file",
    "cli.option.https-port",
}


def _fields(text: str) -> set[str]:
    return {name.split(".")[0] for _, name, _, _ in Formatter().parse(text) if name}


def test_every_added_ui_key_has_japanese_with_the_same_fields() -> None:
    english = catalogue("en")
    added = {k for k in english if k.startswith(_PREFIXES)} | _NAMED
    assert set(UI) == added
    for key, text in UI.items():
        assert _fields(text) == _fields(english[key]), key


def test_every_policy_finding_has_japanese_with_the_same_fields() -> None:
    english = catalogue("en")
    assert set(FINDINGS) == {fid for fid in CATALOGUE if fid.startswith("mta_sts.policy-")}
    for fid, parts in FINDINGS.items():
        for part, text in zip(FINDING_PARTS, parts, strict=True):
            assert _fields(text) == _fields(english[finding_key(fid, part)]), (fid, part)

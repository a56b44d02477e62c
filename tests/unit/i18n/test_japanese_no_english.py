"""No English prose inside Japanese sentences (issue 14).

`test_japanese_complete.py` proves every key has Japanese; this proves what gets *put into*
the Japanese has none left in English either. A finding's {reason} or {problem} is words
chosen in code (a `Phrase` naming a catalogue key): every finding whose text has such a
placeholder declares here which keys can fill it, and its detail is rendered in Japanese with
each of them, their own fields filled. Any run of three English words (`english_runs`, record
text and names allowed) fails, naming the finding and the key. A placeholder of a kind that
carries words and is not declared fails too, so a new finding cannot slip through.

The codes themselves are held to their words: every `ChainProblem`, `SmtpProblem`,
`CertTrustProblem`, BIMI chain code and configuration type has an English key (and through
`test_japanese_complete`, a Japanese one)."""

from __future__ import annotations

from string import Formatter
from typing import Any

import pytest
from tests.support.english_runs import english_runs

from mailauth.config import EXPECT, TABLE_EXPECTED, TOP, ConfigError, load_config
from mailauth.config_syntax import CODES as TOML_CODES
from mailauth.dns.dnssec_reasons import PARAMS as CHAIN_PARAMS
from mailauth.dns.dnssec_reasons import ChainProblem, why
from mailauth.domain.smtp_reasons import PARAMS as SMTP_PARAMS
from mailauth.domain.smtp_reasons import CertTrustProblem, SmtpProblem
from mailauth.fetch.interface import FetchOutcome
from mailauth.findings import CATALOGUE, describe, finding
from mailauth.i18n import FINDING_PARTS, catalogue, finding_key, has_label, label
from mailauth.model import Phrase

_FORMATTER = Formatter()
# A sample value that is not an English word (a field of a field is filled with it).
_VALUE = "〇"

# Placeholders whose value is words rather than data; a finding with one declares its keys.
WORD_FIELDS = frozenset({"reason", "problem", "error", "expected", "why", "message", "cause"})


def _keys(*prefixes: str) -> tuple[str, ...]:
    english = catalogue("en")
    return tuple(sorted(k for k in english if k.startswith(prefixes)))


_CHAIN = _keys("dnssec.why.")
_SMTP = _keys("smtp.why.", "error.os.")
_FETCH = _keys("fetch-outcome.")

# (finding id, placeholder) -> the catalogue keys its value can be. An empty tuple: the
# value is data, never words (an exception's class name, a policy value).
FAMILIES: dict[tuple[str, str], tuple[str, ...]] = {
    **{(fid, "reason"): _CHAIN for fid in CATALOGUE if fid.startswith("dnssec.")},
    ("dane.lookup-failed", "reason"): _CHAIN,
    ("dane.tlsa-bogus", "reason"): _CHAIN,
    ("dane.tlsa-insecure", "reason"): _CHAIN,
    ("dane.tlsa-syntax", "problem"): _keys("dane.problem."),
    ("smtp.lookup-failed", "reason"): _SMTP,
    ("smtp.not-tested", "reason"): _SMTP,
    ("smtp.no-starttls", "reason"): _SMTP,
    ("smtp.tls-failed", "reason"): _SMTP,
    ("smtp.certificate-untrusted", "reason"): _keys("smtp.trust."),
    ("smtp.mta-sts-would-fail", "reason"): _keys("smtp.mta-sts-reason."),
    ("bimi.certificate-untrusted", "reason"): _keys("bimi.untrusted."),
    ("bimi.certificate-no-logo", "reason"): _keys("bimi.why.no-", "bimi.why.bad-"),
    ("bimi.certificate-unparseable", "reason"): ("bimi.why.unparseable",),
    ("bimi.certificate-fetch-failed", "reason"): _FETCH,
    ("bimi.logo-fetch-failed", "reason"): _FETCH,
    ("bimi.svg-unparseable", "reason"): _keys("bimi.xml."),
    ("bimi.svg-dtd", "reason"): (),  # defusedxml's exception name (DTDForbidden)
    ("mta_sts.policy-fetch-failed", "reason"): _FETCH,
    ("mta_sts.policy-syntax", "problem"): _keys("mta-sts-policy-problem."),
    ("mta_sts.policy-max-age", "problem"): _keys("mta-sts-max-age."),
    ("spf.syntax-error", "problem"): _keys("spf-problem."),
    ("msg_spf.permerror", "problem"): _keys("verify.spf-problem."),
    ("msg_spf.lookup-failed", "problem"): _keys("verify.spf-problem."),
    ("msg_arc.fail", "reason"): _keys("verify.arc-reason."),
    ("msg_header.malformed-field", "problem"): _keys("verify.header-defect."),
    ("msg_header.obsolete-syntax", "problem"): _keys("verify.header-defect."),
    ("msg_dmarc.from-invalid", "problem"): _keys("verify.from-problem."),
    ("core.internal-error", "error"): (),  # the exception's class name (TypeError)
    ("expect.dmarc.policy", "expected"): (),  # a policy value: none, quarantine, reject
}


def _fields(template: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for _, name, spec, _ in _FORMATTER.parse(template):
        if name:
            out[name.split(".")[0].split("[")[0]] = 1234 if spec else _VALUE
    return out


def _word_fields(fid: str) -> set[str]:
    english = catalogue("en")
    return {
        name
        for part in FINDING_PARTS
        for name in _fields(english[finding_key(fid, part)])
        if name in WORD_FIELDS
    }


def _phrase(key: str) -> Phrase:
    """`key` with each of its fields filled (a field that is itself a phrase: sample words)."""
    return Phrase(key, _fields(catalogue("en")[key]))


def test_every_word_field_of_a_finding_is_declared() -> None:
    undeclared = sorted(
        f"{fid}: {{{name}}}"
        for fid in CATALOGUE
        for name in _word_fields(fid)
        if (fid, name) not in FAMILIES
    )
    assert undeclared == [], (
        "these findings take words in a placeholder; declare the catalogue keys that fill "
        "it in FAMILIES:\n" + "\n".join(undeclared)
    )


def test_every_declared_family_is_real() -> None:
    for (fid, name), keys in FAMILIES.items():
        assert fid in CATALOGUE, fid
        assert name in _word_fields(fid), (fid, name)
        assert all(has_label(k) for k in keys), (fid, name)
        if fid.startswith(("dnssec.", "smtp.", "bimi.certificate", "mta_sts.policy-fetch")):
            assert keys or fid in ("bimi.svg-dtd",), (fid, name)


def _cases() -> list[tuple[str, str, str]]:
    return [(fid, name, key) for (fid, name), keys in sorted(FAMILIES.items()) for key in keys]


@pytest.mark.parametrize(("fid", "name", "key"), _cases())
def test_each_reason_leaves_no_english_in_japanese(fid: str, name: str, key: str) -> None:
    english = catalogue("en")
    params: dict[str, Any] = {}
    for part in FINDING_PARTS:
        params.update(_fields(english[finding_key(fid, part)]))
    params[name] = _phrase(key)
    text = describe(finding(fid, **params), "ja")
    for part in FINDING_PARTS:
        shown = getattr(text, part)
        assert "{" not in shown, (fid, key, shown)
        assert english_runs(shown) == [], f"{fid}.{part} with {key}: {shown!r}"


def test_every_japanese_entry_is_free_of_english_prose() -> None:
    """Every Japanese template, its fields filled with non-words: no English left in place."""
    english = catalogue("en")
    found = []
    for key, text in sorted(catalogue("ja").items()):
        rendered = label(key, "ja", **_fields(english.get(key, text)))
        runs = english_runs(rendered)
        if runs:
            found.append(f"{key}: {runs}")
    assert found == []


@pytest.mark.parametrize(
    "key",
    [f"dnssec.why.{c.value}" for c in ChainProblem]
    + [f"smtp.why.{c.value}" for c in SmtpProblem]
    + [f"smtp.trust.{c.value}" for c in CertTrustProblem]
    + [f"config.expected.{code}" for code, _ in (*TOP.values(), *EXPECT.values())]
    + [f"config.expected.{TABLE_EXPECTED}"]
    + [f"config.toml.{code}" for code in TOML_CODES]
    + [
        f"bimi.untrusted.{c}"
        for c in (
            "unknown-root",
            "bad-signature",
            "unknown-issuer",
            "issuer-not-ca",
            "issuer-expired",
            "chain-too-long",
        )
    ]
    + [f"bimi.crl.{c}" for c in ("signature", "stale", "unparseable")]
    + [
        f"bimi.revocation.not-checked.{o.value}"
        for o in FetchOutcome
        if o not in (FetchOutcome.OK, FetchOutcome.REFUSED_ADDRESS)
    ],
)
def test_every_code_has_words_in_both_languages(key: str) -> None:
    assert key in catalogue("en"), key
    assert key in catalogue("ja"), key
    shown = label(key, "ja", **_fields(catalogue("en")[key]))
    assert english_runs(shown) == [], shown


def test_each_code_names_the_values_its_words_use() -> None:
    """`PARAMS` (what the checks pass) and the templates agree, so no field stays visible."""
    english = catalogue("en")
    for code, names in CHAIN_PARAMS.items():
        assert set(_fields(english[why(code).key])) == set(names), code
    for smtp_code, names in SMTP_PARAMS.items():
        assert set(_fields(english[f"smtp.why.{smtp_code.value}"])) == set(names), smtp_code


@pytest.mark.parametrize(
    "text",
    [
        "domains = [example.jp]\n",  # a string without quotes
        "fail_under 80\n",
        "domains = ['a.jp'\n",
        "[expect\n",
        'fail_on = "high" x\n',
        "fail_under = 1\nfail_under = 2\n",
        'fail_on = "unterminated\n',
        "fail_under = 200\n",  # TOML, but the wrong value: error.config.type
        '[expect]\n"dmarc.policy" = "block"\n',
    ],
)
def test_configuration_errors_read_in_japanese(tmp_path: Any, text: str) -> None:
    path = tmp_path / "mailauth.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    shown = caught.value.diagnostics("ja")
    assert english_runs(shown) == [], shown
    assert "行目" in shown, shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("xn--xckya1d0c.jp", "ショップ.jp"),
        ("mx1.xn--xckya1d0c.jp.", "mx1.ショップ.jp."),
        ("_dmarc.xn--xckya1d0c.jp", "_dmarc.ショップ.jp"),
        ("bounce@xn--xckya1d0c.jp", "bounce@ショップ.jp"),
        ("a.xn--xckya1d0c.jp, b.example", "a.ショップ.jp, b.example"),
        ("example.jp", "example.jp"),
        ("v=DMARC1; rua=mailto:d@xn--xckya1d0c.jp", "v=DMARC1; rua=mailto:d@xn--xckya1d0c.jp"),
        ("https://xn--xckya1d0c.jp/x", "https://xn--xckya1d0c.jp/x"),
        ("xn--zz.jp", "xn--zz.jp"),  # not a valid A-label: shown as it is
    ],
)
def test_display_name_spells_idns_as_people_write_them(value: str, shown: str) -> None:
    from mailauth.names import display_name

    assert display_name(value) == shown


def test_an_unreadable_dmarc_report_file_says_why_in_japanese(tmp_path: Any) -> None:
    """`mailauth report` on a file the system refuses: the errno's words, not strerror."""
    from mailauth.render.report_words import unreadable_line
    from mailauth.report.containers import Unreadable

    missing = Unreadable(str(tmp_path / "gone.xml"), "os-error", "ENOENT")
    assert "No such file" in unreadable_line(missing, "en")
    shown = unreadable_line(missing, "ja")
    assert "No such file" not in shown and english_runs(shown) == [], shown


@pytest.mark.parametrize(
    ("origin", "words"), [("a" * 64 + ".jp", "63 オクテット"), ("a..jp", "空のラベル")]
)
def test_an_invalid_zone_origin_says_why_in_japanese(
    tmp_path: Any, origin: str, words: str
) -> None:
    from mailauth.dns.zonefile import ZoneLoadError, load_zone

    zone = tmp_path / "x.zone"
    zone.write_text(f"$ORIGIN {origin}.\n@ 300 IN TXT x\n", encoding="ascii")
    with pytest.raises(ZoneLoadError) as caught:
        load_zone(zone)
    shown = caught.value.diagnostics("ja")
    assert words in shown and english_runs(shown) == [], shown

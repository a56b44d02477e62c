"""One mechanism for all text: every language's table (UI keys and finding keys alike) follows
English, and a second language is one table that reaches labels, findings and `--help`.

No real translation is needed to prove it: `xx` is a test-only language installed the way a
real one is (a `mailauth.i18n.xx` module with a `TABLE`, imported on first use)."""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator, Mapping
from io import StringIO
from pathlib import Path
from string import Formatter

import pytest
from click.testing import CliRunner

from mailauth import i18n
from mailauth.cli.main import main
from mailauth.findings import CATALOGUE, describe, finding
from mailauth.i18n import LANGUAGES, catalogue, default_language, label, parse_finding_key
from mailauth.model import Phrase
from mailauth.render.environment import Environment

REPO = Path(__file__).resolve().parents[3]
ZONES = ["--zone", str(REPO / "samples" / "zones")]

XX: dict[str, str] = {
    # UI text, including help
    "check.dkim": "DKIM-XX",
    "cli.check.short-help": "XX: check a domain",
    "cli.option.zone": "XX: answer from zone files",
    "verify.arc-reason.not-sealed": "XX-NOT-SEALED",
    # finding text: one part of a finding may be translated and the others not
    "finding.dkim.key-too-short.title": "XX: key too short",
    "finding.dkim.key-too-short.detail": "XX: {name} has {bits} bits",
    "finding.msg_arc.fail.detail": "XX: ARC failed ({reason})",
}


def _fields(text: str) -> set[str]:
    names = set()
    for _, name, _, _ in Formatter().parse(text):
        if name:
            names.add(name.split(".")[0].split("[")[0])
    return names


def parity_problems(lang: str, table: Mapping[str, str]) -> list[str]:
    """What is wrong with a table against English: a key English lacks (for a finding key: an
    id that is not catalogued, or a part that does not exist), a field English does not fill
    (it would stay visible as `{field}`), or an English field left out (a value would go
    missing in that language)."""
    english = catalogue("en")
    problems = []
    for key, text in table.items():
        if key not in english:
            parsed = parse_finding_key(key)
            if key.startswith("finding.") and parsed is not None and parsed[0] not in CATALOGUE:
                problems.append(f"{lang}: {key}: {parsed[0]} is not in the finding catalogue")
            else:
                problems.append(f"{lang}: {key}: not an English key")
            continue
        invented = _fields(text) - _fields(english[key])
        dropped = _fields(english[key]) - _fields(text)
        if invented:
            problems.append(f"{lang}: {key}: English has no field {sorted(invented)}")
        if dropped:
            problems.append(f"{lang}: {key}: leaves out {sorted(dropped)}")
    return problems


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_table_follows_english(lang: str) -> None:
    assert parity_problems(lang, catalogue(lang)) == []


def test_english_holds_the_finding_catalogue_under_finding_keys() -> None:
    english = catalogue("en")
    for fid, entry in CATALOGUE.items():
        assert english[f"finding.{fid}.title"] == entry.title
        assert english[f"finding.{fid}.fix"] == entry.fix
    assert parse_finding_key("finding.detail") is None  # a UI heading, not a finding key
    assert parse_finding_key("finding.spf.missing.title") == ("spf.missing", "title")


def test_the_parity_check_catches_each_kind_of_mistake() -> None:
    bad = {
        "check.spf": "SPF",
        "no.such.key": "x",
        "finding.spf.no-such-id.title": "x",
        "finding.spf.missing.titel": "x",
        "finding.dkim.key-too-short.detail": "{name} {bits} {extra}",
        "finding.dmarc.policy-none.detail": "{domain}",
    }
    problems = "\n".join(parity_problems("zz", bad))
    assert "no.such.key: not an English key" in problems
    assert "spf.no-such-id is not in the finding catalogue" in problems
    assert "finding.spf.missing.titel: not an English key" in problems
    assert "English has no field ['extra']" in problems
    assert "leaves out ['name', 'tag']" in problems
    assert "check.spf" not in problems


@pytest.fixture
def xx(monkeypatch: pytest.MonkeyPatch) -> Iterator[types.ModuleType]:
    """Install `xx` as a real language is installed: a table module found by the loader."""
    module = types.ModuleType("mailauth.i18n.xx")
    module.TABLE = XX  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "mailauth.i18n.xx", module)
    monkeypatch.setattr(i18n, "LANGUAGES", (*i18n.LANGUAGES, "xx"))
    monkeypatch.setattr(i18n, "_TABLES", dict(i18n._TABLES))  # what loads here is undone
    monkeypatch.delenv("MAILAUTH_LANG", raising=False)
    yield module


def test_the_test_language_follows_english_too(xx: types.ModuleType) -> None:
    assert parity_problems("xx", XX) == []


def test_a_language_table_is_loaded_on_first_use(xx: types.ModuleType) -> None:
    assert "xx" not in i18n._TABLES
    assert label("check.dkim", "xx") == "DKIM-XX"
    assert i18n._TABLES["xx"] is XX
    assert label("check.spf", "xx") == "SPF"  # untranslated: English


def test_a_finding_renders_through_the_language_table_with_english_per_key(
    xx: types.ModuleType,
) -> None:
    f = finding("dkim.key-too-short", name="s1._domainkey.example.jp", bits=512)
    text = describe(f, "xx")
    assert text.title == "XX: key too short"
    assert text.detail == "XX: s1._domainkey.example.jp has 512 bits"
    english = describe(f, "en")
    assert english.title == "DKIM key is too short"
    assert text.consequence == english.consequence  # not translated: English, by itself
    assert text.fix == english.fix
    assert f.text("xx") == text


def test_a_phrase_param_and_its_finding_speak_the_same_language(xx: types.ModuleType) -> None:
    f = finding("msg_arc.fail", reason=Phrase("verify.arc-reason.not-sealed"))
    assert describe(f, "xx").detail == "XX: ARC failed (XX-NOT-SEALED)"


def test_the_environment_chooses_the_language(xx: types.ModuleType) -> None:
    assert default_language({}) == "en"
    assert default_language({"LANG": "xx_YY.UTF-8"}) == "xx"
    assert default_language({"LC_MESSAGES": "xx", "LANG": "C"}) == "xx"
    assert default_language({"LC_ALL": "C.UTF-8", "LANG": "xx_YY.UTF-8"}) == "en"  # POSIX order
    assert default_language({"MAILAUTH_LANG": "xx", "LC_ALL": "C"}) == "xx"
    assert default_language({"MAILAUTH_LANG": "en", "LANG": "xx_YY"}) == "en"
    assert default_language({"MAILAUTH_LANG": "", "LANG": "xx"}) == "xx"  # empty: not set
    assert default_language({"LANG": "qq_QQ.UTF-8"}) == "en"  # no table: English


def test_a_language_without_a_table_is_english() -> None:
    # Japanese arrives with issue 14 as mailauth/i18n/ja.py; until then LANG=ja_JP is English.
    expected = "ja" if "ja" in LANGUAGES else "en"
    assert default_language({"LANG": "ja_JP.UTF-8"}) == expected


def test_help_is_looked_up_when_shown_not_when_imported(xx: types.ModuleType) -> None:
    runner = CliRunner()
    top = runner.invoke(main, ["--help"], env={"MAILAUTH_LANG": "xx"})
    assert "XX: check a domain" in top.stdout  # a command's short help in the group's list
    assert "Evaluate SPF for an IP" in top.stdout  # untranslated: English
    text = runner.invoke(main, ["check", "--help"], env={"MAILAUTH_LANG": "xx"}).stdout
    assert "XX: answer from zone files" in text
    assert "Seconds to wait for each DNS reply." in text
    english = runner.invoke(main, ["check", "--help"], env={"MAILAUTH_LANG": "en"}).stdout
    assert "XX" not in english


@pytest.mark.parametrize(
    "args",
    [
        ["check", "--lang", "en", "--help"],
        ["check", "--help", "--lang", "en"],  # given after --help, still applies to it
        ["check", "--help", "--lang=en"],
        ["--lang", "en", "check", "--help"],  # the group takes it too (hidden in its help)
    ],
)
def test_lang_option_overrides_the_environment_for_help(
    xx: types.ModuleType, args: list[str]
) -> None:
    result = CliRunner().invoke(main, args, env={"MAILAUTH_LANG": "xx"})
    assert result.exit_code == 0, result.output
    assert "Answer DNS queries from this zone file" in result.stdout
    assert "XX" not in result.stdout


def test_a_report_speaks_the_environment_language(xx: types.ModuleType) -> None:
    args = ["check", "broken.example", *ZONES, "--no-color"]
    result = CliRunner().invoke(main, args, env={"MAILAUTH_LANG": "xx"})
    assert "DKIM-XX: XX: key too short" in result.stdout
    assert "SPF ends with ?all (neutral)" in result.stdout  # untranslated finding: English
    english = CliRunner().invoke(main, [*args, "--lang", "en"], env={"MAILAUTH_LANG": "xx"})
    assert "DKIM: DKIM key is too short" in english.stdout
    assert "XX" not in english.stdout


def test_lang_option_feeds_an_injected_environment(xx: types.ModuleType) -> None:
    args = ["check", "broken.example", *ZONES]
    out = StringIO()
    env = Environment(out, StringIO(), lang="xx")
    CliRunner().invoke(main, args, obj=env)
    assert "XX: key too short" in out.getvalue()  # no --lang: the injected language
    out = StringIO()
    env = Environment(out, StringIO(), lang="xx")
    CliRunner().invoke(main, [*args, "--lang", "en"], obj=env)
    assert "DKIM key is too short" in out.getvalue()
    assert env.lang == "xx"  # the caller's object is left as it was


def test_an_unknown_lang_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["check", "example.jp", "--lang", "qq"])
    assert result.exit_code == 2
    assert "--lang" in result.output

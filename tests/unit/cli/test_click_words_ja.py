"""click's own words follow --lang and the locale (issue 14), and its help wraps Japanese in
terminal cells, breaking where Japanese may break."""

from __future__ import annotations

import inspect

import click
import click.core
import click.exceptions
import click.parser
import click.types
from click.testing import CliRunner

from mailauth.cli.main import main
from mailauth.i18n import catalogue
from mailauth.render.breaks import cells

JA = {"MAILAUTH_LANG": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "ja_JP.UTF-8"}


def test_every_click_key_is_a_message_click_writes() -> None:
    source = "".join(
        inspect.getsource(m)
        for m in (
            click.core,
            click.exceptions,
            click.types,
            click.decorators,
            click.formatting,
            click.parser,
        )
    )
    english = catalogue("en")
    keys = [k for k in english if k.startswith("click.")]
    assert len(keys) > 30
    unknown = [k for k in keys if f'"{english[k]}"' not in source]
    assert unknown == [], "not a message of this click version: " + ", ".join(unknown)


def test_help_is_japanese_under_a_japanese_locale() -> None:
    out = CliRunner().invoke(main, ["--help"], env=JA).stdout
    assert out.startswith("使い方: ")
    assert "オプション:" in out and "コマンド:" in out
    assert "このヘルプを表示して終了します。" in out
    assert "Usage:" not in out and "Show this message" not in out


def test_lang_option_beats_the_locale_for_click_words() -> None:
    out = CliRunner().invoke(main, ["check", "--help", "--lang", "en"], env=JA).stdout
    assert out.startswith("Usage: ")
    assert "使い方" not in out
    out = CliRunner().invoke(main, ["check", "--help", "--lang", "ja"]).stdout
    assert out.startswith("使い方: ")


def test_usage_errors_are_japanese() -> None:
    result = CliRunner().invoke(main, ["check", "--bogus"], env=JA)
    assert result.exit_code == 2
    assert "mailauth: エラー: '--bogus' というオプションはありません。" in result.stderr
    result = CliRunner().invoke(main, ["check", "--format", "xml", "x.jp"], env=JA)
    assert "'--format' の値が不正です" in result.stderr
    assert "のどれでもありません" in result.stderr
    english = CliRunner().invoke(main, ["check", "--bogus"], env={"LANG": "C"})
    assert "No such option '--bogus'." in english.stderr


def test_japanese_help_fits_the_width_in_cells() -> None:
    for command in (["--help"], ["check", "--help"], ["verify", "--help"], ["spf", "--help"]):
        out = CliRunner().invoke(main, command, env={**JA, "COLUMNS": "80"}, terminal_width=80)
        wide = [line for line in out.stdout.splitlines() if cells(line) > 80]
        assert wide == [], wide
        assert not any(
            line.lstrip().startswith(("。", "、", "）")) for line in out.stdout.splitlines()
        )

"""README.ja.md stays true (issue 14): its offline commands run as shown, in Japanese, and
its output excerpts are real output of `--lang ja`."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.support.readme import REPO, Readme
from tests.support.readme import run as run_command

README = Readme("README.ja.md")
OFFLINE = README.offline_commands()


def run(command: str) -> tuple[int, str]:
    return run_command(command, *([] if "--lang" in command else ["--lang", "ja"]))


def test_the_japanese_readme_links_back_and_is_linked() -> None:
    assert "[English](README.md)" in README.text
    assert "[日本語](README.ja.md)" in (REPO / "README.md").read_text(encoding="utf-8")
    assert "mailauth check example.jp --zone samples/zones/ --lang ja" in OFFLINE


@pytest.mark.parametrize("command", OFFLINE)
def test_offline_commands_run(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out = run(command)
    assert code == 0, out
    assert out


@pytest.mark.parametrize(
    ("heading", "command"),
    [
        ("mailauth check: example.jp", "mailauth check example.jp --zone samples/zones/"),
        ("mailauth check: broken.example", "mailauth check broken.example --zone samples/zones/"),
        (
            "mailauth check: nonexistent-zzzz.example.jp",
            "mailauth check nonexistent-zzzz.example.jp --zone samples/zones/",
        ),
        (
            "mailauth verify: samples/messages/iso-2022-jp.eml",
            "mailauth verify samples/messages/iso-2022-jp.eml --zone samples/zones/",
        ),
    ],
)
def test_output_excerpts_are_real(heading: str, command: str) -> None:
    _, out = run(command)
    assert README.missing_excerpt_lines(heading, out) == [], "README.ja.md lines not in real output"

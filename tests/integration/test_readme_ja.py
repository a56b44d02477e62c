"""README.ja.md stays true (issue 14): its offline commands run as shown, in Japanese, and
its output excerpts are real output of `--lang ja`."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from mailauth.cli.main import main

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.ja.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```(\w+)\n(.*?)```", README, re.DOTALL)
OFFLINE = [
    line.split("#")[0].strip()
    for lang, body in BLOCKS
    if lang == "sh"
    for line in body.splitlines()
    if line.startswith(("mailauth check", "mailauth verify", "mailauth spf"))
    and "--zone samples/zones/" in line
]


def run(command: str) -> tuple[int, str]:
    args = [str(REPO / a) if a.startswith("samples/") else a for a in shlex.split(command)[1:]]
    if "--lang" not in args:
        args += ["--lang", "ja"]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    return result.exit_code, result.stdout.replace(str(REPO) + "/", "")


def test_the_japanese_readme_links_back_and_is_linked() -> None:
    assert "[English](README.md)" in README
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
    excerpts = [body for lang, body in BLOCKS if lang == "text" and body.startswith(heading)]
    assert excerpts, f"no excerpt for {heading}"
    _, out = run(command)
    real = {line.rstrip(" ─") for line in out.splitlines()}
    for line in excerpts[0].splitlines():
        if line.strip() in ("...", "") or line.strip().startswith("..."):
            continue
        assert line.rstrip(" ─") in real, f"README.ja.md line not in real output: {line!r}"

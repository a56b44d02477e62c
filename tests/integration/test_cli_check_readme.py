"""README stays true: its offline commands run as shown, and its output excerpts are real."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from mailauth.cli.main import main

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text(encoding="utf-8")
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
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    return result.exit_code, result.stdout


def test_readme_has_offline_examples() -> None:
    assert "mailauth check example.jp --zone samples/zones/" in OFFLINE
    assert "./scripts/test" in README


@pytest.mark.parametrize("command", OFFLINE)
def test_offline_commands_run(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # a command that writes -o FILE writes it here
    code, out = run(command)
    assert code == 0, out
    assert out


def _normalise(line: str) -> str:
    return line.rstrip(" ─")


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
            "mailauth verify: samples/messages/good.eml",
            "mailauth verify samples/messages/good.eml --zone samples/zones/",
        ),
        (
            "mailauth check: broken.example\nScore 13/100",
            "mailauth check broken.example --zone samples/zones/ --https-dir samples/https/",
        ),
    ],
)
def test_output_excerpts_are_real(heading: str, command: str) -> None:
    excerpts = [body for lang, body in BLOCKS if lang == "text" and body.startswith(heading)]
    assert excerpts, f"no README excerpt for {heading}"
    _, out = run(command)
    out = out.replace(str(REPO) + "/", "")
    real = {_normalise(line) for line in out.splitlines()}
    for line in excerpts[0].splitlines():
        if line.strip() in ("...", "") or line.strip().startswith("..."):
            continue
        assert _normalise(line) in real, f"README line not in real output: {line!r}"


def test_a_typo_domain_is_not_graded_like_a_real_one() -> None:
    """Issue 8, item 4: the first-run typo said "Score 59/100 Grade D" and proposed SPF."""
    code, out = run("mailauth check nonexistent-zzzz.example.jp --zone samples/zones/")
    assert code == 0
    assert "Score 0/100  Grade F" in out and "Grade D" not in out
    assert "spf.missing" not in out and "Publish" not in out
    assert "not met: a sender domain that exists in DNS" in out
    code, _ = run("mailauth check nonexistent-zzzz.example.jp --zone samples/zones/ --fail-under 1")
    assert code == 1

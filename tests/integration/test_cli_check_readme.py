"""README stays true: its offline commands run as shown, and its output excerpts are real."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.support.readme import Readme, run

README = Readme("README.md")
OFFLINE = README.offline_commands()


def test_readme_has_offline_examples() -> None:
    assert "mailauth check example.jp --zone samples/zones/" in OFFLINE
    assert "./scripts/test" in README.text


@pytest.mark.parametrize("command", OFFLINE)
def test_offline_commands_run(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # a command that writes -o FILE writes it here
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
    _, out = run(command)
    assert README.missing_excerpt_lines(heading, out) == [], "README lines not in real output"


def test_a_typo_domain_is_not_graded_like_a_real_one() -> None:
    """Issue 8, item 4: the first-run typo said "Score 59/100 Grade D" and proposed SPF."""
    code, out = run("mailauth check nonexistent-zzzz.example.jp --zone samples/zones/")
    assert code == 0
    assert "Score 0/100  Grade F" in out and "Grade D" not in out
    assert "spf.missing" not in out and "Publish" not in out
    assert "not met: a sender domain that exists in DNS" in out
    code, _ = run("mailauth check nonexistent-zzzz.example.jp --zone samples/zones/ --fail-under 1")
    assert code == 1

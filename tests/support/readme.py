"""What the README tests (README.md and README.ja.md) share: the offline commands a README
shows, running one as a user would from the repository root, and checking an output excerpt
line by line against real output."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from click.testing import CliRunner

from mailauth.cli.main import main

REPO = Path(__file__).resolve().parents[2]


class Readme:
    def __init__(self, name: str) -> None:
        self.name = name
        self.text = (REPO / name).read_text(encoding="utf-8")
        self.blocks: list[tuple[str, str]] = re.findall(r"```(\w+)\n(.*?)```", self.text, re.DOTALL)

    def offline_commands(self) -> list[str]:
        """Every `mailauth check|verify|spf` line of a `sh` block that runs on samples/zones/."""
        return [
            line.split("#")[0].strip()
            for lang, body in self.blocks
            if lang == "sh"
            for line in body.splitlines()
            if line.startswith(("mailauth check", "mailauth verify", "mailauth spf"))
            and "--zone samples/zones/" in line
        ]

    def missing_excerpt_lines(self, heading: str, output: str) -> list[str]:
        """Lines of the first `text` excerpt starting with `heading` that the real `output`
        does not have (`...` lines stand for omitted output; trailing rules are ignored)."""
        excerpts = [
            body for lang, body in self.blocks if lang == "text" and body.startswith(heading)
        ]
        assert excerpts, f"no excerpt in {self.name} for {heading}"
        real = {_normalise(line) for line in output.splitlines()}
        return [
            line
            for line in excerpts[0].splitlines()
            if line.strip() and not line.strip().startswith("...") and _normalise(line) not in real
        ]


def run(command: str, *extra: str) -> tuple[int, str]:
    """`command` as typed from the repository root (samples/ paths made absolute), with the
    repository prefix taken out of its output again."""
    args = [str(REPO / a) if a.startswith("samples/") else a for a in shlex.split(command)[1:]]
    result = CliRunner().invoke(main, [*args, *extra], catch_exceptions=False)
    return result.exit_code, result.stdout.replace(str(REPO) + "/", "")


def _normalise(line: str) -> str:
    return line.rstrip(" ─")

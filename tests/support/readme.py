"""What the README and docs tests (README.md, README.ja.md, docs/*.md and their docs/*.ja.md
translations) share: the offline commands a page shows, the command lines of its code blocks in
a comparable form, running one as a user would from the repository root, and checking an output
excerpt line by line against real output."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from click.testing import CliRunner

from mailauth.cli.main import main

REPO = Path(__file__).resolve().parents[2]

# Code blocks that show what a command printed, not what to type.
_OUTPUT_LANGUAGES = frozenset({"text", "json", "csv", "xml"})


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

    def code_and_prose(self) -> tuple[list[tuple[str, list[str]]], list[str]]:
        """The page split in two: its code blocks, each `(language, lines)` (fenced, with or
        without a language, or indented by four spaces after a blank line: language "") and
        the other lines (prose, headings, tables). A translation keeps the first and rewrites
        the second."""
        blocks: list[tuple[str, list[str]]] = []
        prose: list[str] = []
        fence: str | None = None
        indented = False
        previous_blank = True
        for line in self.text.splitlines():
            blank = not line.strip()
            if line.lstrip().startswith("```"):
                fence = line.strip()[3:].strip() if fence is None else None
                if fence is not None:
                    blocks.append((fence, []))
            elif fence is not None:
                blocks[-1][1].append(line)
            elif line.startswith("    ") and not blank and (indented or previous_blank):
                if not indented:
                    blocks.append(("", []))
                indented = True
                blocks[-1][1].append(line[4:])
            else:
                indented = indented and blank  # a blank line does not end an indented block
                prose.append(line)
            previous_blank = blank
        return blocks, prose

    def command_lines(self, program: str = "mailauth") -> list[str]:
        """Every command line of the code blocks (not of output excerpts: `text`, `json`,
        `csv`, `xml`) that runs `program` at the start of the line, of a YAML list item, or of
        a pipeline stage (`cat x | mailauth verify -`), in a form two pages can be compared
        in: continuation lines (`\\`) joined, the shell comment (which a translation
        translates) dropped, spacing normalised."""
        runs = re.compile(rf"(?:^\s*(?:-\s+)?|[|;&]\s*){re.escape(program)}\s")
        blocks, _ = self.code_and_prose()
        joined: list[str] = []
        for lang, lines in blocks:
            if lang in _OUTPUT_LANGUAGES:
                continue
            pending = ""
            for line in lines:
                if line.rstrip().endswith("\\"):
                    pending += line.rstrip()[:-1] + " "
                    continue
                joined.append(pending + line)
                pending = ""
        return [_command(line) for line in joined if runs.search(line)]

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


def _command(line: str) -> str:
    """A shell line without its comment, its words separated by one space (shlex when the
    line is well quoted, else up to the first ` #`)."""
    try:
        return shlex.join(shlex.split(line, comments=True))
    except ValueError:
        return " ".join(line.split(" #")[0].split())


def _normalise(line: str) -> str:
    return line.rstrip(" ─")

"""Rewrite `@dataclass(frozen=True[, kw_only=True])` in src/mailauth to `@frozen[(kw_only=True)]`.

Why a script: the change touches ~90 modules that other branches also edit, so the merger
re-runs this after merging them instead of resolving decorator conflicts by hand. It is
idempotent: a second run changes nothing. Only those two exact decorators are rewritten
(`slots=True` and non-frozen dataclasses stay stdlib); the `dataclass` import is dropped
where nothing else uses it, `from mailauth.frozen import frozen` is added, and `ruff check
--select I --fix` puts the import in its sorted place.

Usage: python3 tools/apply_frozen.py [ROOT]   (ROOT defaults to this checkout)
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import tokenize
from pathlib import Path

REWRITES = {
    "@dataclass(frozen=True)": "@frozen",
    "@dataclass(frozen=True, kw_only=True)": "@frozen(kw_only=True)",
}
DECORATOR = re.compile(r"^(\s*)(@dataclass\(frozen=True(?:, kw_only=True)?\))\s*$")
IMPORT = re.compile(r"^from dataclasses import (?P<names>[^()#\n]+?)\s*$")
OUR_IMPORT = "from mailauth.frozen import frozen"


def rewrite(text: str) -> str:
    """The module text with the two decorators replaced and its imports fixed."""
    lines = text.splitlines(keepends=True)
    changed = False
    for index, line in enumerate(lines):
        match = DECORATOR.match(line)
        if match:
            lines[index] = match.group(1) + REWRITES[match.group(2)] + "\n"
            changed = True
    if not changed:
        return text
    text = "".join(lines)
    if OUR_IMPORT in text.splitlines():
        return text
    return _fix_imports(text, keep_dataclass=_uses_name(text, "dataclass"))


def _uses_name(text: str, name: str) -> bool:
    """True when `name` appears as code (not in strings or comments) outside imports."""
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if (
            token.type == tokenize.NAME
            and token.string == name
            and not token.line.lstrip().startswith(("import ", "from "))
        ):
            return True
    return False


def _fix_imports(text: str, keep_dataclass: bool) -> str:
    """Puts our import where `from dataclasses import ...` is (ruff then sorts it)."""
    lines = text.splitlines(keepends=True)
    for index, line in enumerate(lines):
        match = IMPORT.match(line)
        if not match:
            continue
        names = [n.strip() for n in match.group("names").split(",") if n.strip()]
        if "dataclass" not in names:
            continue
        if not keep_dataclass:
            names.remove("dataclass")
        kept = f"from dataclasses import {', '.join(names)}\n" if names else ""
        lines[index] = kept + OUR_IMPORT + "\n"
        return "".join(lines)
    raise SystemExit("no `from dataclasses import dataclass` line found; fix imports by hand")


def main(argv: list[str]) -> int:
    root = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parents[1]
    package = root / "src" / "mailauth"
    touched = []
    for path in sorted(package.rglob("*.py")):
        if path == package / "frozen.py":
            continue
        text = path.read_text(encoding="utf-8")
        new = rewrite(text)
        if new != text:
            path.write_text(new, encoding="utf-8")
            touched.append(path)
    if touched:
        subprocess.run(
            [sys.executable, "-m", "ruff", "check", "--quiet", "--select", "I", "--fix"]
            + [str(p) for p in touched],
            check=True,
            cwd=root,
        )
    print(f"apply_frozen: rewrote {len(touched)} modules")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))

"""mypy must treat `@frozen` classes as frozen dataclasses (PEP 681 `dataclass_transform`).

Otherwise replacing `@dataclass(frozen=True)` would silently lose type checking: field
assignment would type-check and constructor calls would not be checked. This runs mypy on a
small program and requires exactly the errors a frozen dataclass gives.
"""

from __future__ import annotations

from pathlib import Path

import pytest

api = pytest.importorskip("mypy.api")

PROGRAM = """\
import dataclasses
from dataclasses import field
from mailauth.frozen import frozen

@frozen
class A:
    x: int
    y: tuple[int, ...] = field(default_factory=tuple)

@frozen(kw_only=True)
class B(A):
    z: str = "q"

a = A(1)
a.x = 2  # E1
A("no")  # E2
A()  # E3
B(1, z=3)  # E4
B(1, (), "s")  # E5
b: str = B(1, z="s").z
dataclasses.replace(a, x=3)
dataclasses.fields(a)
dataclasses.asdict(a)
match a:
    case A(x, y):
        n: int = x
"""


def test_mypy_sees_frozen_classes_as_frozen_dataclasses(tmp_path: Path) -> None:
    program = tmp_path / "program.py"
    program.write_text(PROGRAM)
    # Our src first on mypy's path, whatever mailauth the interpreter has installed.
    src = Path(__file__).resolve().parents[2] / "src"
    config = tmp_path / "mypy.ini"
    config.write_text(f"[mypy]\nstrict = True\nmypy_path = {src}\npython_version = 3.10\n")
    stdout, stderr, status = api.run(
        ["--config-file", str(config), "--cache-dir", str(tmp_path / "cache"), str(program)]
    )
    errors = {line.split(":")[1]: line for line in stdout.splitlines() if ": error:" in line}
    lines = {
        str(number): text.split("# ")[1]
        for number, text in enumerate(PROGRAM.splitlines(), start=1)
        if "# E" in text
    }
    assert set(errors) == set(lines), stdout + stderr
    assert status == 1
    by_mark = {lines[number]: errors[number] for number in lines}
    assert "read-only" in by_mark["E1"]
    assert 'incompatible type "str"; expected "int"' in by_mark["E2"]
    assert 'Missing positional argument "x"' in by_mark["E3"]
    assert 'incompatible type "int"; expected "str"' in by_mark["E4"]
    assert "Too many positional arguments" in by_mark["E5"]

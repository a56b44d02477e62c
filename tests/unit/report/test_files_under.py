"""The directory walk of `mailauth report DIR` (`containers._files_under`): the same files
in the same order as the rglob walk it replaced, on a tree with hidden files and
directories, nested directories, names with brackets and bangs, and symbolic links to a
file, to a directory (not descended, as rglob) and to nothing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mailauth.report.containers import _file_names_under, _files_under


def _rglob_walk(root: Path) -> list[Path]:
    """What the import used before (`sorted(rglob)`, then `is_file`)."""
    files = sorted(
        (f for f in root.rglob("*") if not f.name.startswith(".")), key=lambda p: p.parts
    )
    return [f for f in files if f.is_file()]


def test_the_walk_finds_what_rglob_found(tmp_path: Path) -> None:
    root = tmp_path / "reports"
    for name in ("b.xml", "a.xml.gz", ".hidden.xml", "x[1]!.xml", "sub/z.xml", "sub/deeper/y.eml",
                 ".dot/inside.xml", "sub/.also-hidden", "A.xml", "sub2/a.xml"):  # fmt: skip
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"<feedback/>")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "linked-dir-file.xml").write_bytes(b"<feedback/>")
    os.symlink(root / "b.xml", root / "link-to-file.xml")
    os.symlink(elsewhere, root / "link-to-dir")
    os.symlink(tmp_path / "nothing", root / "broken.xml")
    (root / "empty-dir").mkdir()
    want = _rglob_walk(root)
    assert _files_under(root) == want
    assert [p.relative_to(root).as_posix() for p in want] == [
        ".dot/inside.xml", "A.xml", "a.xml.gz", "b.xml", "link-to-file.xml", "sub/deeper/y.eml",
        "sub/z.xml", "sub2/a.xml", "x[1]!.xml",
    ]  # fmt: skip
    assert _files_under(tmp_path / "elsewhere") == _rglob_walk(tmp_path / "elsewhere")
    relative = Path(os.path.relpath(root))
    assert _files_under(relative) == _rglob_walk(relative)


def test_the_names_are_what_the_paths_print(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The import opens and names files by `_file_names_under`: exactly `str(path)` of the
    rglob walk's paths, for a root given as ".", with a trailing slash, relative, or "/"-
    rooted, and in the same order."""
    root = tmp_path / "reports"
    for name in ("b.xml", "a b.xml", "sub/z.xml", "sub-a/y.xml", "sub/deeper/x.xml", "Z.xml"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(b"<feedback/>")
    monkeypatch.chdir(root)
    for given in (".", "./", "sub", "sub/", "./sub", str(root), str(root) + "/", str(root) + "//"):
        want = [str(p) for p in _rglob_walk(Path(given))]
        assert _file_names_under(Path(given)) == want, given
        assert len(want) >= 2

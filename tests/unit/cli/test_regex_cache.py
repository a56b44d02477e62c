"""Compiled regular expressions kept between runs (cli/regex_cache.py; issue 10): a pattern
rebuilt from the file behaves exactly as one `re` compiles, a damaged or foreign file is
ignored, the file stays bounded, and a command's second run compiles nothing."""

from __future__ import annotations

import marshal
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.support.fresh_python import SRC

from mailauth.cli import regex_cache

REPO = SRC.parent
ZONES = str(REPO / "samples/zones")

# Every construct of the syntax, both types, the flags that change compilation.
PATTERNS: list[tuple[Any, int]] = [
    (r"abc", 0),
    (r"a+b*c?d{2,3}e{4}", 0),
    (r"(?P<name>[a-z]+)=(?P<value>[^;]*);?", 0),
    (r"(a)(b)?(?:c)(?(2)d|e)", 0),
    (r"(?<=x)y(?=z)(?<!w)(?!v)", 0),
    (r"(\w+)\s+\1", 0),
    (r"^\s*(?:v=spf1)(\s+[^\s]+)*\s*$", re.IGNORECASE),
    (r"^line$", re.MULTILINE),
    (r"a.b", re.DOTALL),
    (r"  x  # comment\n  y+ ", re.VERBOSE),
    (r"[\u3040-\u30ff\u4e00-\u9fff]+", 0),
    (r"\w+", re.ASCII),
    (r"(?i)mixed(?-i:Case)", 0),
    (r"(?>a+)b|c++d", 0),
    (r"[^\x00-\x1f\x7f]", 0),
    (rb"\r\n[ \t]+", 0),
    (rb"(?P<tag>[a-z]+)=(?P<v>[^;]*)", re.IGNORECASE),
    (rb"[\x80-\xff]+", 0),
    (r"", 0),
]
SAMPLES = [
    "",
    "abc",
    "aabbcdd eeee",
    "key=value; other=x;",
    "abd abe ace",
    "xyz wyv",
    "hello hello world",
    " V=SPF1 ip4:192.0.2.0/24 -all ",
    "line\nline\nnot",
    "a\nb",
    "xyyy",
    "ひらがなカタカナ漢字 ascii",
    "éw word",
    "MIXEDCase mixedcase",
    "aaab ccd",
    "ctl\x01char",
]


def _behaviour(pattern: re.Pattern[Any]) -> list[object]:
    """Everything a caller can observe of a compiled pattern, over the samples."""
    texts: list[Any] = SAMPLES
    if isinstance(pattern.pattern, bytes):
        texts = [s.encode("utf-8") for s in SAMPLES] + [b"\r\n \tx", b"\xe3\x81\x82"]
    seen: list[object] = [pattern.pattern, pattern.flags, pattern.groups, pattern.groupindex]
    for text in texts:
        seen.append([m.span() for m in pattern.finditer(text)])
        found = pattern.search(text)
        seen.append(found and (found.groups(), found.groupdict(), found.lastindex))
        seen.append(pattern.fullmatch(text) is not None)
        seen.append(pattern.split(text))
    return seen


@pytest.fixture
def hooked(tmp_path: Path) -> Iterator[Path]:
    """The hook installed in this process with a file of its own; `re` restored after."""
    path = tmp_path / "cache.marshal"
    regex_cache.uninstall()
    re.purge()
    assert regex_cache.install(str(path))
    try:
        yield path
    finally:
        regex_cache.uninstall()


def _original(pattern: Any, flags: int) -> re.Pattern[Any]:
    state = regex_cache._state
    assert state is not None
    compiled: re.Pattern[Any] = state.original(pattern, flags)
    return compiled


def test_a_pattern_rebuilt_from_the_file_behaves_as_re_compiles_it(
    hooked: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    first = [_behaviour(re.compile(p, f)) for p, f in PATTERNS]  # compiled and kept
    regex_cache._save()
    kept = marshal.loads(hooked.read_bytes())[1]
    assert set(kept) == {(p, int(f)) for p, f in PATTERNS}
    regex_cache.uninstall()
    re.purge()
    assert regex_cache.install(str(hooked))
    state = regex_cache._state
    assert state is not None and len(state.known) == len(PATTERNS)
    second = [_behaviour(re.compile(p, f)) for p, f in PATTERNS]  # rebuilt from the file
    assert state.added == {}  # nothing was compiled again
    plain = [_behaviour(_original(p, int(f))) for p, f in PATTERNS]
    assert first == plain
    assert second == plain


def test_invalid_patterns_raise_as_before(hooked: Path) -> None:
    for bad in ["(", "a{2,1}", "(?P<x>a)(?P<x>b)", "[z-a]"]:
        with pytest.raises(re.error) as ours:
            re.compile(bad)
        with pytest.raises(re.error) as theirs:
            _original(bad, 0)
        assert str(ours.value) == str(theirs.value)
    state = regex_cache._state
    assert state is not None and state.added == {}


def _write(path: Path, entries: object, stamp: object = None) -> None:
    path.write_bytes(marshal.dumps((stamp or regex_cache._stamp(), entries)))


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\x00\x01garbage",
        marshal.dumps((("other", "3.99"), {("abc", 0): (0, [1], 0, {}, (None,))})),
        marshal.dumps([1, 2, 3]),
        marshal.dumps((None, [])),
    ],
    ids=["empty", "garbage", "foreign-python", "wrong-shape", "wrong-entries"],
)
def test_a_damaged_or_foreign_file_is_ignored(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "cache.marshal"
    path.write_bytes(content)
    regex_cache.uninstall()
    re.purge()
    assert regex_cache.install(str(path))
    try:
        state = regex_cache._state
        assert state is not None and state.known == {}
        assert _behaviour(re.compile(r"(?P<k>\w+)=(\d+)")) == _behaviour(
            _original(r"(?P<k>\w+)=(\d+)", 0)
        )
    finally:
        regex_cache.uninstall()


def test_a_refused_entry_is_compiled_as_usual_and_dropped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "cache.marshal"
    _write(
        path,
        {
            ("abc", 0): (32, [999, 1, 2], 0, {}, (None,)),  # code _sre refuses
            ("def", 0): ("not", "args"),  # mistyped
        },
    )
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    regex_cache.uninstall()
    re.purge()
    assert regex_cache.install(str(path))
    try:
        assert re.compile("abc").fullmatch("abc")
        assert re.compile("def").fullmatch("def")
        state = regex_cache._state
        assert state is not None and state.dropped
        regex_cache._save()
        kept = marshal.loads(path.read_bytes())[1]
        assert kept[("abc", 0)] != (32, [999, 1, 2], 0, {}, (None,))
        assert re.compile("abc").pattern == "abc"
    finally:
        regex_cache.uninstall()


def test_the_file_is_bounded(hooked: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    monkeypatch.setattr(regex_cache, "MAX_ENTRIES", 5)
    long = "a" * (regex_cache.MAX_PATTERN_CHARS + 1)
    assert re.compile(long).fullmatch(long)
    for i in range(10):
        assert re.compile(f"x{i}").fullmatch(f"x{i}")
    regex_cache._save()
    kept = marshal.loads(hooked.read_bytes())[1]
    assert len(kept) == 5 and (long, 0) not in kept


def test_nothing_is_written_when_python_writes_no_bytecode(
    hooked: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    re.compile("nothing-written")
    regex_cache._save()
    assert not hooked.exists()


def test_an_unwritable_place_is_no_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    regex_cache.uninstall()
    re.purge()
    assert regex_cache.install(str(blocker / "sub" / "cache.marshal"))  # under a file
    try:
        re.compile("unwritable")
        regex_cache._save()
        assert list(tmp_path.iterdir()) == [blocker]  # no temporary file left either
    finally:
        regex_cache.uninstall()


def test_the_file_lives_beside_the_compiled_modules(monkeypatch: pytest.MonkeyPatch) -> None:
    package = Path(regex_cache.__file__).resolve().parents[1]
    monkeypatch.setattr(sys, "pycache_prefix", None)
    assert Path(regex_cache.cache_path()).parent == package / "__pycache__"
    monkeypatch.setattr(sys, "pycache_prefix", "/somewhere")
    path = Path(regex_cache.cache_path())
    assert path.parent == Path("/somewhere") / str(package).lstrip(os.sep)
    assert sys.implementation.cache_tag in path.name


def _run(args: list[str], prefix: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(SRC), "PYTHONPYCACHEPREFIX": str(prefix)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["MAILAUTH_LANG"] = "en"
    return subprocess.run(
        [sys.executable, "-m", "mailauth", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    "args",
    [
        ["verify", str(REPO / "samples/messages/good.eml"), "--zone", ZONES],
        ["check", "broken.example", "--zone", ZONES, "--format", "json"],
    ],
    ids=["verify", "check"],
)
def test_a_command_writes_the_file_once_and_then_compiles_nothing(
    tmp_path: Path, args: list[str]
) -> None:
    prefix = tmp_path / "pycache"
    first = _run(args, prefix)
    files = list(prefix.rglob("regex-cache.*.marshal"))
    assert len(files) == 1, first.stderr
    kept = marshal.loads(files[0].read_bytes())[1]
    assert len(kept) > 20  # the command's own patterns, pyspf's, the standard library's
    written = files[0].read_bytes()
    second = _run(args, prefix)
    assert (second.returncode, second.stdout, second.stderr) == (
        first.returncode,
        first.stdout,
        first.stderr,
    )
    assert files[0].read_bytes() == written  # every pattern came from the file

"""What start-up compiles, kept between runs (startup_cache.py; issue 10): a pattern rebuilt
from the file behaves exactly as one `re` compiles, a generated method's code is the code
`compile()` makes, a damaged or foreign file is ignored, the file stays bounded, and a
command's second run compiles nothing."""

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

from mailauth import startup_cache

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


def _loaded(pattern: Any, flags: int = 0) -> re.Pattern[Any]:
    """`re.compile` as a module's body runs it while it is imported: what the file keeps."""
    namespace: dict[str, Any] = {"__name__": "some_module", "pattern": pattern, "flags": flags}
    exec("import re\nCOMPILED = re.compile(pattern, flags)\n", namespace)
    compiled: re.Pattern[Any] = namespace["COMPILED"]
    return compiled


@pytest.fixture
def hooked(tmp_path: Path) -> Iterator[Path]:
    """The hook installed in this process with a file of its own; `re` restored after."""
    path = tmp_path / "cache.marshal"
    startup_cache.uninstall()
    re.purge()
    assert startup_cache.install(str(path))
    try:
        yield path
    finally:
        startup_cache.uninstall()


def _original(pattern: Any, flags: int) -> re.Pattern[Any]:
    state = startup_cache._state
    assert state is not None
    compiled: re.Pattern[Any] = state.original(pattern, flags)
    return compiled


def test_a_pattern_rebuilt_from_the_file_behaves_as_re_compiles_it(
    hooked: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    first = [_behaviour(_loaded(p, f)) for p, f in PATTERNS]  # compiled and kept
    startup_cache._save()
    kept = marshal.loads(hooked.read_bytes())[1]
    assert set(kept) == {(p, int(f)) for p, f in PATTERNS}
    assert all(type(v) is bytes for v in kept.values())
    startup_cache.uninstall()
    re.purge()
    assert startup_cache.install(str(hooked))
    state = startup_cache._state
    assert state is not None and len(state.patterns) == len(PATTERNS)
    second = [_behaviour(_loaded(p, f)) for p, f in PATTERNS]  # rebuilt from the file
    assert state.added_patterns == {}  # nothing was compiled again
    plain = [_behaviour(_original(p, int(f))) for p, f in PATTERNS]
    assert first == plain
    assert second == plain


def test_a_pattern_made_at_work_is_compiled_the_same_but_not_kept(hooked: Path) -> None:
    """What a run compiles from its input (a report's tag skeleton, an --ignore glob) is not
    the code being loaded: keeping it would only grow the file and slow every start."""

    def at_work(text: str) -> re.Pattern[str]:
        return re.compile(re.escape(text) + r"\s*=")

    made = at_work("<feedback><record>")
    assert made.match("<feedback><record> =")
    state = startup_cache._state
    assert state is not None and state.added_patterns == {}
    loaded = _loaded(r"(?P<tag>[a-z]+)\s*=")
    assert loaded.match("tag =") and len(state.added_patterns) == 1
    # the program's own __main__ is not a module being loaded
    namespace: dict[str, Any] = {"__name__": "__main__"}
    exec("import re\nre.compile('from-main-[0-9]+')\n", namespace)
    assert len(state.added_patterns) == 1


def test_debug_patterns_print_as_before_and_are_not_kept(
    hooked: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    re.compile("a+b", re.DEBUG)
    ours = capsys.readouterr().out
    _original("a+b", int(re.DEBUG))
    assert ours == capsys.readouterr().out and "MAX_REPEAT" in ours
    state = startup_cache._state
    assert state is not None and state.added_patterns == {}


def test_invalid_patterns_raise_as_before(hooked: Path) -> None:
    for bad in ["(", "a{2,1}", "(?P<x>a)(?P<x>b)", "[z-a]"]:
        with pytest.raises(re.error) as ours:
            re.compile(bad)
        with pytest.raises(re.error) as theirs:
            _original(bad, 0)
        assert str(ours.value) == str(theirs.value)
    state = startup_cache._state
    assert state is not None and state.added_patterns == {}


def _write(path: Path, patterns: object, sources: object = None) -> None:
    path.write_bytes(marshal.dumps((startup_cache._stamp(), patterns, sources or {})))


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\x00\x01garbage",
        marshal.dumps(
            (("other", "3.99"), {("abc", 0): marshal.dumps((0, [1], 0, {}, (None,)))}, {})
        ),
        marshal.dumps([1, 2, 3]),
        marshal.dumps((None, [], {})),
    ],
    ids=["empty", "garbage", "foreign-python", "wrong-shape", "wrong-entries"],
)
def test_a_damaged_or_foreign_file_is_ignored(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "cache.marshal"
    path.write_bytes(content)
    startup_cache.uninstall()
    re.purge()
    assert startup_cache.install(str(path))
    try:
        state = startup_cache._state
        assert state is not None and state.patterns == {} and state.sources == {}
        assert _behaviour(re.compile(r"(?P<k>\w+)=(\d+)")) == _behaviour(
            _original(r"(?P<k>\w+)=(\d+)", 0)
        )
    finally:
        startup_cache.uninstall()


def test_a_refused_entry_is_compiled_as_usual_and_dropped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "cache.marshal"
    _write(
        path,
        {
            ("abc", 0): marshal.dumps((32, [999, 1, 2], 0, {}, (None,))),  # code _sre refuses
            ("def", 0): marshal.dumps(("not", "args")),  # mistyped
            ("ghi", 0): b"\xff not marshal",
        },
        {"x = 1\n": b"\xff not marshal", "y = 2\n": marshal.dumps("not code")},
    )
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    startup_cache.uninstall()
    re.purge()
    assert startup_cache.install(str(path))
    try:
        assert _loaded("abc").fullmatch("abc")
        assert _loaded("def").fullmatch("def")
        assert _loaded("ghi").fullmatch("ghi")
        for source, name in (("x = 1\n", "x"), ("y = 2\n", "y")):
            namespace: dict[str, object] = {}
            exec(startup_cache.compiled(source), namespace)
            assert name in namespace
        state = startup_cache._state
        assert state is not None and state.dropped
        startup_cache._save()
        _, kept, sources = marshal.loads(path.read_bytes())
        assert marshal.loads(kept[("abc", 0)]) != (32, [999, 1, 2], 0, {}, (None,))
        assert marshal.loads(kept[("ghi", 0)])[0] == 32
        assert all(type(marshal.loads(c)).__name__ == "code" for c in sources.values())
        assert re.compile("abc").pattern == "abc"
    finally:
        startup_cache.uninstall()


def test_the_file_is_bounded(hooked: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    monkeypatch.setattr(startup_cache, "MAX_ENTRIES", 5)
    long = "a" * (startup_cache.MAX_SOURCE_CHARS + 1)
    assert _loaded(long).fullmatch(long)
    for i in range(10):
        assert _loaded(f"x{i}").fullmatch(f"x{i}")
    for i in range(10):
        startup_cache.compiled(f"v = {i}\n")
    startup_cache.compiled(f"w = '{long}'\n")
    startup_cache._save()
    _, kept, sources = marshal.loads(hooked.read_bytes())
    assert len(kept) == 5 and (long, 0) not in kept
    assert len(sources) == 5 and not any(long in s for s in sources)


def test_nothing_is_written_when_python_writes_no_bytecode(
    hooked: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    re.compile("nothing-written")
    startup_cache._save()
    assert not hooked.exists()


def test_an_unwritable_place_is_no_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    startup_cache.uninstall()
    re.purge()
    assert startup_cache.install(str(blocker / "sub" / "cache.marshal"))  # under a file
    try:
        re.compile("unwritable")
        startup_cache._save()
        assert list(tmp_path.iterdir()) == [blocker]  # no temporary file left either
    finally:
        startup_cache.uninstall()


def _where() -> Path | None:
    found = startup_cache.cache_path()
    return Path(found) if found is not None else None


def test_the_file_lives_in_the_users_cache_directory(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Not in site-packages (uninstalling leaves nothing there; a system-wide installation
    still gets one per user), unless Python keeps its bytecode under a prefix."""
    monkeypatch.setattr(sys, "pycache_prefix", None)
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    path = _where()
    assert path is not None and path.parent == tmp_path / "xdg" / "mailauth"
    assert sys.implementation.cache_tag in path.name
    assert sys.version.split()[0] in path.name
    for ignored in ("", "relative/dir"):  # unset or not absolute: ~/.cache, as XDG says
        monkeypatch.setenv("XDG_CACHE_HOME", ignored)
        monkeypatch.setenv("HOME", str(tmp_path / "home"))
        assert _where() == tmp_path / "home" / ".cache" / "mailauth" / path.name
    monkeypatch.setenv("HOME", "")
    monkeypatch.setattr(os.path, "expanduser", lambda p: p)  # no home directory at all
    assert _where() is None
    package = Path(startup_cache.__file__).resolve().parent
    monkeypatch.setattr(sys, "pycache_prefix", "/somewhere")
    found = _where()
    assert found is not None
    assert found.parent == Path("/somewhere") / str(package).lstrip(os.sep)


def test_without_a_place_nothing_is_written_and_nothing_breaks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(startup_cache, "cache_path", lambda: None)
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    startup_cache.uninstall()
    re.purge()
    assert startup_cache.install()
    try:
        assert re.compile("no-place").fullmatch("no-place")
        startup_cache._save()  # no file, no error
        state = startup_cache._state
        assert state is not None and state.path is None
    finally:
        startup_cache.uninstall()


def test_a_command_keeps_its_file_in_the_users_cache_directory(tmp_path: Path) -> None:
    """Without a bytecode prefix: `$XDG_CACHE_HOME/mailauth`, and a second run reads it."""
    env = {**os.environ, "PYTHONPATH": str(SRC), "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("PYTHONPYCACHEPREFIX", None)
    args = [sys.executable, "-m", "mailauth", "verify", str(REPO / "samples/messages/good.eml")]
    args += ["--zone", ZONES]
    first = subprocess.run(args, env=env, capture_output=True, text=True, timeout=120)
    files = list((tmp_path / "xdg" / "mailauth").glob("startup-cache.*.marshal"))
    assert first.returncode == 0 and len(files) == 1, first.stderr
    written = files[0].read_bytes()
    second = subprocess.run(args, env=env, capture_output=True, text=True, timeout=120)
    assert (second.returncode, second.stdout) == (0, first.stdout)
    assert files[0].read_bytes() == written


def _timeless(output: str) -> list[str]:
    return [line for line in output.splitlines() if '"checked_at"' not in line]


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
    files = list(prefix.rglob("startup-cache.*.marshal"))
    assert len(files) == 1, first.stderr
    _, kept, sources = marshal.loads(files[0].read_bytes())
    assert len(kept) > 20  # the command's own patterns, pyspf's, the standard library's
    assert len(sources) > 10  # @frozen's generated methods
    written = files[0].read_bytes()
    second = _run(args, prefix)
    assert (second.returncode, _timeless(second.stdout), second.stderr) == (
        first.returncode,
        _timeless(first.stdout),
        first.stderr,
    )
    assert files[0].read_bytes() == written  # every pattern came from the file


def _shapes() -> list[type]:
    """@frozen classes of several shapes (defaults, factories, kw_only, post-init)."""
    import dataclasses

    from mailauth.frozen import frozen

    @frozen
    class Plain:
        a: int
        b: str = "x"

    @frozen(kw_only=True)
    class KwOnly:
        a: int
        b: tuple[int, ...] = dataclasses.field(default_factory=tuple)

    @frozen
    class PostInit:
        a: int

        def __post_init__(self) -> None:
            if self.a < 0:
                raise ValueError("negative")

    return [Plain, KwOnly, PostInit]


def _use(classes: list[type]) -> list[object]:
    plain, kw_only, post_init = classes
    made = [plain(1), plain(2, "y"), kw_only(a=1), kw_only(a=2, b=(3,)), post_init(5)]
    seen: list[object] = [repr(m) for m in made]
    seen += [hash(m) for m in made]
    seen += [made[0] == plain(1), made[0] == plain(2), made[2] == kw_only(a=1)]
    with pytest.raises(ValueError, match="negative"):
        post_init(-1)
    with pytest.raises(dataclasses_error()):
        made[0].a = 3  # type: ignore[misc]
    return seen


def dataclasses_error() -> type[Exception]:
    import dataclasses

    return dataclasses.FrozenInstanceError


def test_generated_methods_come_from_the_file_and_behave_the_same(
    hooked: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    from mailauth import frozen as frozen_module

    for table in ("_TEMPLATES", "_INIT_TEMPLATES"):  # the per-process memo of each shape
        monkeypatch.setattr(frozen_module, table, {})
    first = _use(_shapes())
    state = startup_cache._state
    assert state is not None and state.added_sources  # compiled, and kept
    sources = dict(state.added_sources)
    startup_cache._save()
    startup_cache.uninstall()
    assert startup_cache.install(str(hooked))
    for table in ("_TEMPLATES", "_INIT_TEMPLATES"):
        monkeypatch.setattr(frozen_module, table, {})
    second = _use(_shapes())
    state = startup_cache._state
    assert state is not None and state.added_sources == {}  # every one from the file
    assert first == second
    for source, kept in sources.items():
        fresh = compile(source, "<string>", "exec", dont_inherit=True)
        assert marshal.loads(kept) == fresh  # code objects compare by their contents
    startup_cache.uninstall()
    for table in ("_TEMPLATES", "_INIT_TEMPLATES"):
        monkeypatch.setattr(frozen_module, table, {})
    assert _use(_shapes()) == first  # and without the cache at all

"""What a command compiles while it starts, kept between runs as `.pyc` files keep modules.

Why: two kinds of compiling happen at every start, after the modules' own bytecode is
loaded, and a command paid for them every time (issue 10: one verification as a command
against dkimverify; check's CPU before its answers come back):

- **Regular expressions.** CPython compiles a pattern with a parser and a code generator
  written in Python (`re._parser`, `re._compiler`); a `mailauth verify` compiled ~110 of them
  as its modules loaded (pyspf's ~11 long ones, ours, click's, logging's...): ~74 M of its
  ~606 M instructions, more than the verification itself.
- **The methods `@frozen` generates** (mailauth/frozen.py): ~30 small sources, one per class
  shape, compiled with `compile()`: ~26 M more.

What it does: only the process entry point (`cli/entry.py`) calls `install()`; a library
import never does, and then `compiled()` is plain `compile()`.
- Its hook takes the place of `re._compiler.compile`, below `re`'s own in-memory cache: a
  pattern compiled by an earlier run is rebuilt from the code the compiler produced then, by
  the same C constructor (`_sre.compile`) the compiler itself ends with; any other is parsed
  and compiled exactly as `re._compiler.compile` does, and its code is kept.
- `compiled(source)` (frozen.py's sources) returns the code object an earlier run compiled
  from the same text (`marshal`, the format of `.pyc` files), else compiles and keeps it.
- At exit what this run added is written to the user's cache directory
  (`~/.cache/mailauth`, `cache_path`; or under `sys.pycache_prefix`), atomically. Entries
  are kept as marshalled bytes and only read when used, so the patterns of other commands
  cost a start almost nothing.

Why this is safe:
- The file is keyed by the exact interpreter (`sys.version`, `_sre.MAGIC`, the cache tag):
  a file written by any other Python is ignored (and rewritten). What it holds is what this
  same interpreter compiled from the same pattern, flags and str/bytes type, or source.
  It is the user's own file, as their `~/.cache` and bytecode are.
- `_sre.compile` validates the code it is given (it refuses invalid code with an error); a
  refused, mistyped or unreadable entry is dropped and compiled as usual. Any surprise in
  the interpreter's internals turns the regex hook off for the rest of the run.
- Nothing is written when Python is told not to write bytecode (`-B`,
  `PYTHONDONTWRITEBYTECODE`) or the directory is not writable; the file stays bounded
  (`MAX_ENTRIES`, `MAX_SOURCE_CHARS`, `MAX_FILE_BYTES`), so patterns made from a user's
  input (`--ignore` globs) cannot grow it without end.
"""

from __future__ import annotations

import atexit
import contextlib
import marshal
import os
import sys
import types
from typing import Any

FORMAT = 2
MAX_ENTRIES = 2048  # patterns, and generated sources, kept in the file (each)
MAX_SOURCE_CHARS = 4096  # a longer pattern or source is compiled every time, not kept
MAX_FILE_BYTES = 4 * 1024 * 1024  # a bigger file is not read
_DEBUG = 128  # re.DEBUG (re is not imported by this module until `install`)
_MAX_FRAMES = 64  # how far up `_importing` looks for a module body

_Key = tuple[Any, int]  # (pattern as str or bytes, flags)


class _State:
    """The hooks' state in this process (one per process: `install` runs once)."""

    def __init__(
        self,
        path: str | None,
        stamp: tuple[Any, ...],
        patterns: dict[_Key, bytes],
        sources: dict[str, bytes],
    ) -> None:
        self.original: Any = None  # re._compiler.compile before the hook
        self.path = path
        self.stamp = stamp
        self.patterns = patterns  # kept: marshalled arguments of _sre.compile
        self.sources = sources  # kept: marshalled code objects
        self.added_patterns: dict[_Key, bytes] = {}
        self.added_sources: dict[str, bytes] = {}
        self.dropped = False  # an entry of the file was refused: rewrite it without it
        self.off = False

    def changed(self) -> bool:
        return bool(self.added_patterns or self.added_sources or self.dropped)


_state: _State | None = None


def cache_path() -> str | None:
    """Where this interpreter's file lives: the user's cache directory
    (`$XDG_CACHE_HOME/mailauth`, else `~/.cache/mailauth`; `%LOCALAPPDATA%` on Windows), as
    black and pip keep theirs, so that a system-wide installation still gets it and
    uninstalling leaves nothing in site-packages; under `sys.pycache_prefix` when Python was
    told to keep its bytecode there. None when there is no such directory."""
    version = sys.version.split()[0]
    name = f"startup-cache.{sys.implementation.cache_tag}-{version}.marshal"
    prefix = sys.pycache_prefix
    if prefix:
        package = os.path.dirname(os.path.abspath(__file__))
        drive, tail = os.path.splitdrive(package)
        return os.path.join(prefix, drive.rstrip(":"), tail.lstrip(os.sep), name)
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # unset, empty or relative: ignored, as the XDG spec says
        if sys.platform == "win32":
            base = os.environ.get("LOCALAPPDATA", "")
        else:
            base = os.path.join(os.path.expanduser("~"), ".cache")
    if not os.path.isabs(base):  # no home directory
        return None
    return os.path.join(base, "mailauth", name)


def _stamp() -> tuple[Any, ...]:
    import _sre  # type: ignore[import-not-found]

    return (FORMAT, sys.version, getattr(_sre, "MAGIC", None), sys.implementation.cache_tag)


def _read(path: str, stamp: tuple[Any, ...]) -> tuple[dict[_Key, bytes], dict[str, bytes]]:
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            return {}, {}
        found = marshal.loads(data)
    except (OSError, ValueError, EOFError, TypeError):
        return {}, {}
    if type(found) is not tuple or len(found) != 3 or found[0] != stamp:
        return {}, {}
    patterns, sources = found[1], found[2]
    if type(patterns) is not dict or type(sources) is not dict:
        return {}, {}
    return patterns, sources


def install(path: str | None = None) -> bool:
    """Put the hooks in place (once per process); False where this Python's `re` is not
    the one the regex hook knows (then nothing changes)."""
    global _state
    if _state is not None:
        return True
    try:
        import _sre
        import re

        compiler = re._compiler  # type: ignore[attr-defined]
        parser = re._parser  # type: ignore[attr-defined]
        original = compiler.compile
        code_of = compiler._code
        parse = parser.parse
        build = _sre.compile
    except AttributeError:  # Python 3.10 (sre_compile) or another implementation
        return False
    stamp = _stamp()
    where = path or cache_path()
    state = _State(where, stamp, *(_read(where, stamp) if where else ({}, {})))
    known, added = state.patterns, state.added_patterns

    def compile(p: Any, flags: int = 0) -> Any:
        kind = type(p)
        if state.off or (kind is not str and kind is not bytes) or type(flags) is not int:
            return original(p, flags)
        if flags & _DEBUG:  # re.DEBUG prints the parse while compiling: never from the file
            return original(p, flags)
        key = (p, flags)
        hit = known.get(key)
        if hit is not None:
            try:
                return build(p, *marshal.loads(hit))
            except Exception:  # refused or mistyped: compile it as usual, rewrite the file
                known.pop(key, None)
                state.dropped = True
        try:
            parsed = parse(p, flags)
            code = code_of(parsed, flags)
            groupindex = parsed.state.groupdict
            indexgroup = [None] * parsed.state.groups
            for name, index in groupindex.items():
                indexgroup[index] = name
            args = (
                int(flags | parsed.state.flags),
                [int(c) for c in code],
                int(parsed.state.groups - 1),
                dict(groupindex),
                tuple(indexgroup),
            )
        except AttributeError:  # internals other than expected: leave `re` alone
            state.off = True
            compiler.compile = original
            return original(p, flags)
        pattern = build(p, *args)  # an invalid pattern raised re.error above, as usual
        if (
            len(p) <= MAX_SOURCE_CHARS
            and len(known) + len(added) < MAX_ENTRIES
            and _importing(sys._getframe(1))
        ):
            added[key] = marshal.dumps(args)
        return pattern

    state.original = original
    compiler.compile = compile
    _state = state
    atexit.register(_save)
    return True


def compiled(source: str) -> types.CodeType:
    """`compile(source, "<string>", "exec", dont_inherit=True)`, from the file when an
    earlier run compiled the same text (only once `install` ran: else it is just that)."""
    state = _state
    if state is None:
        return compile(source, "<string>", "exec", dont_inherit=True)
    hit = state.sources.get(source)
    if hit is not None:
        try:
            code = marshal.loads(hit)
        except (ValueError, EOFError, TypeError):
            code = None
        if type(code) is types.CodeType:
            return code
        state.sources.pop(source, None)
        state.dropped = True
    code = compile(source, "<string>", "exec", dont_inherit=True)
    added = state.added_sources
    if len(source) <= MAX_SOURCE_CHARS and len(state.sources) + len(added) < MAX_ENTRIES:
        added[source] = marshal.dumps(code)
    return code


def _importing(frame: types.FrameType | None) -> bool:
    """Whether a module body (not the program's own `__main__`) is on the stack: the
    pattern is then part of the code being loaded, the same in every run. Patterns a run
    makes from its input (a DMARC report's tag skeleton, `--ignore` globs) are compiled by
    functions at work and are not kept: they would only grow the file and slow every
    start."""
    for _ in range(_MAX_FRAMES):
        if frame is None:
            return False
        if frame.f_code.co_name == "<module>" and frame.f_globals.get("__name__") != "__main__":
            return True
        frame = frame.f_back
    return False


def uninstall() -> None:
    """Put `re` back as it was, writing nothing (for tests that install in-process)."""
    global _state
    state = _state
    if state is None:
        return
    import re

    re._compiler.compile = state.original  # type: ignore[attr-defined]
    atexit.unregister(_save)
    _state = None
    re.purge()


def _save() -> None:
    """Write the file if this run added (or refused) entries and Python may write bytecode."""
    state = _state
    if state is None or state.path is None or not state.changed() or sys.dont_write_bytecode:
        return
    patterns = {**state.patterns, **state.added_patterns}
    sources = {**state.sources, **state.added_sources}
    data = marshal.dumps((state.stamp, patterns, sources))
    if len(data) > MAX_FILE_BYTES:
        return
    temporary = f"{state.path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(state.path), exist_ok=True)
        with open(temporary, "wb") as f:
            f.write(data)
        os.replace(temporary, state.path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
    else:  # (in place: the hook holds these dictionaries)
        state.patterns.update(state.added_patterns)
        state.sources.update(state.added_sources)
        state.added_patterns.clear()
        state.added_sources.clear()
        state.dropped = False

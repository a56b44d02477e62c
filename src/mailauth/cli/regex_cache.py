"""Compiled regular expressions kept between runs, as `.pyc` files keep compiled modules.

Why: CPython compiles a pattern with a parser and a code generator written in Python
(`re._parser`, `re._compiler`), and a command compiles ~110 patterns as its modules load
(pyspf's ~11 long ones alone, then ours, click's, logging's...). That was ~74 M of the
~606 M instructions of a `mailauth verify` command, more than the verification itself
(issue 10: one verification as a command against dkimverify).

What it does: the process entry point (`cli/entry.py`, never a library import) installs
`install()`. Its hook takes the place of `re._compiler.compile`, below `re`'s own
in-memory cache: a pattern compiled by an earlier run is rebuilt from the code the compiler
produced then, by the same C constructor (`_sre.compile`) the compiler itself ends with; any
other is parsed and compiled exactly as `re._compiler.compile` does, and its code is kept.
At exit the code of the patterns this run added is written next to mailauth's own `.pyc`
files (`__pycache__`, or under `sys.pycache_prefix`), atomically.

Why this is safe:
- The file is keyed by the exact interpreter (`sys.version`, `_sre.MAGIC`, the cache tag):
  a file written by any other Python is ignored (and rewritten). The code in it is what this
  same interpreter's compiler made for the same pattern, flags and str/bytes type.
- `_sre.compile` validates the code it is given (it refuses invalid code with an error); a
  refused, mistyped or unreadable entry is dropped and the pattern compiled as usual. Any
  surprise in the interpreter's internals turns the hook off for the rest of the run.
- Nothing is written when Python is told not to write bytecode (`-B`,
  `PYTHONDONTWRITEBYTECODE`) or the directory is not writable; the file stays bounded
  (`MAX_ENTRIES`, `MAX_PATTERN_CHARS`, `MAX_FILE_BYTES`), so patterns made from a user's
  input (`--ignore` globs) cannot grow it without end.
"""

from __future__ import annotations

import atexit
import contextlib
import marshal
import os
import sys
from typing import Any

FORMAT = 1
MAX_ENTRIES = 2048  # patterns kept in the file
MAX_PATTERN_CHARS = 4096  # a longer pattern is compiled every time, not kept
MAX_FILE_BYTES = 4 * 1024 * 1024  # a bigger file is not read

_Key = tuple[Any, int]  # (pattern as str or bytes, flags)
_Args = tuple[int, list[int], int, dict[str, int], tuple[Any, ...]]


class _State:
    """The hook's state in this process (one per process: `install` runs once)."""

    def __init__(self, path: str, stamp: tuple[Any, ...], known: dict[_Key, _Args]) -> None:
        self.original: Any = None  # re._compiler.compile before the hook
        self.path = path
        self.stamp = stamp
        self.known = known
        self.added: dict[_Key, _Args] = {}
        self.dropped = False  # an entry of the file was refused: rewrite it without it
        self.off = False


_state: _State | None = None


def cache_path() -> str:
    """Where this interpreter's file lives: beside mailauth's own compiled modules."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    name = f"regex-cache.{sys.implementation.cache_tag}.marshal"
    prefix = sys.pycache_prefix
    if prefix:
        drive, tail = os.path.splitdrive(package)
        return os.path.join(prefix, drive.rstrip(":"), tail.lstrip(os.sep), name)
    return os.path.join(package, "__pycache__", name)


def _stamp() -> tuple[Any, ...]:
    import _sre  # type: ignore[import-not-found]

    return (FORMAT, sys.version, getattr(_sre, "MAGIC", None), sys.implementation.cache_tag)


def _read(path: str, stamp: tuple[Any, ...]) -> dict[_Key, _Args]:
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            return {}
        found = marshal.loads(data)
    except (OSError, ValueError, EOFError, TypeError):
        return {}
    if type(found) is not tuple or len(found) != 2 or found[0] != stamp:
        return {}
    entries = found[1]
    return entries if type(entries) is dict else {}


def install(path: str | None = None) -> bool:
    """Put the hook in place (once per process); False where this Python's `re` is not the
    one it knows (then nothing changes)."""
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
    state = _State(where, stamp, _read(where, stamp))
    known, added = state.known, state.added

    def compile(p: Any, flags: int = 0) -> Any:
        kind = type(p)
        if state.off or (kind is not str and kind is not bytes) or type(flags) is not int:
            return original(p, flags)
        key = (p, flags)
        hit = known.get(key)
        if hit is not None:
            try:
                return build(p, *hit)
            except Exception:  # refused or mistyped: compile it as usual, rewrite the file
                del known[key]
                state.dropped = True
        try:
            parsed = parse(p, flags)
            code = code_of(parsed, flags)
            groupindex = parsed.state.groupdict
            indexgroup = [None] * parsed.state.groups
            for name, index in groupindex.items():
                indexgroup[index] = name
            args: _Args = (
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
        if len(p) <= MAX_PATTERN_CHARS and len(known) + len(added) < MAX_ENTRIES:
            added[key] = args
        return pattern

    state.original = original
    compiler.compile = compile
    _state = state
    atexit.register(_save)
    return True


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
    if state is None or not (state.added or state.dropped) or sys.dont_write_bytecode:
        return
    entries = {**state.known, **state.added}
    try:
        data = marshal.dumps((state.stamp, entries))
    except ValueError:  # an unmarshallable value: nothing is written
        return
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
    else:
        state.known, state.added, state.dropped = entries, {}, False

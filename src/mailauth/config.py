"""The configuration file: `mailauth.toml` in the working directory, `--config FILE`, or the
`[tool.mailauth]` table of pyproject.toml (issue 13).

    domains = ["example.jp", "example.com"]
    selectors = ["s1", "google"]
    fail_under = 80
    fail_on = "high"
    ignore = ["bimi.missing", "mta_sts.missing@example.com"]

    [expect]
    "dmarc.policy" = "reject"
    "spf.max_lookups" = 8
    "dkim.selectors_required" = ["s1"]

Every key is checked: an unknown key or a value of the wrong type is a `ConfigError` (exit
2) naming the key and its line, so a typo never silently turns a check off. The file only
supplies defaults: an option given on the command line wins (cli/ci_options.py merges them).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import field
from pathlib import Path
from typing import Any

from mailauth.errors import MailauthError, os_reason
from mailauth.expectations import POLICY_ORDER, Expectations
from mailauth.frozen import frozen
from mailauth.i18n import label
from mailauth.model import Phrase, Severity

FILE_NAME = "mailauth.toml"
PYPROJECT = "pyproject.toml"
_LINE = re.compile(r"line (\d+)")


class ConfigError(MailauthError):
    """A configuration file mailauth cannot use: where, and why."""

    key = "error.config"

    def __init__(self, path: str, line: int, reason_key: str, **params: Any) -> None:
        self.path, self.line = path, line
        self.reason_key, self.reason_params = reason_key, params
        super().__init__(path=path, line=line, reason=label(reason_key, "en", **params))

    def diagnostics(self, lang: str = "en") -> str:
        reason = label(self.reason_key, lang, **self.reason_params)
        return label(self.key, lang, path=self.path, line=self.line, reason=reason)


@frozen
class Config:
    """What a configuration file says; None / empty: not set there. `path` None: no file."""

    path: str | None = None
    domains: tuple[str, ...] = ()
    selectors: tuple[str, ...] = ()
    fail_under: int | None = None
    fail_on: Severity | None = None
    ignore: tuple[str, ...] = ()
    allow_incomplete: bool | None = None
    exit_zero: bool | None = None
    # `checks = ["spf", "dmarc", "mx"]`: `mailauth check --checks` (domain/profile.py)
    checks: tuple[str, ...] = ()
    expect: Expectations = field(default_factory=Expectations)


# key -> (what it must be, as the code of its words `config.expected.<code>` in the i18n table;
# converter returning the value or None when wrong)
Check = tuple[str, Callable[[Any], Any]]


def _strings(value: Any) -> tuple[str, ...] | None:
    if isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
        return tuple(v.strip() for v in value)
    return None


def _score(value: Any) -> int | None:
    ok = isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 100
    return value if ok else None


def _severity(value: Any) -> Severity | None:
    return Severity(value) if value in {s.value for s in Severity} else None


def _flag(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def _policy(value: Any) -> str | None:
    return value if value in POLICY_ORDER else None


def _lookups(value: Any) -> int | None:
    ok = isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 10
    return value if ok else None


def _checks(value: Any) -> tuple[str, ...] | None:
    """Check names of the registry (or `all`); the registry is imported only for a file
    that has the key (start-up)."""
    names = _strings(value)
    if names is None:
        return None
    from mailauth.domain.profile import UnknownChecks, parse_checks

    try:
        parse_checks(names)
    except UnknownChecks:
        return None
    return names


TOP: dict[str, Check] = {
    "domains": ("domain-list", _strings),
    "selectors": ("selector-list", _strings),
    "fail_under": ("score", _score),
    "fail_on": ("severity", _severity),
    "ignore": ("finding-list", _strings),
    "allow_incomplete": ("boolean", _flag),
    "exit_zero": ("boolean", _flag),
    "checks": ("check-list", _checks),
}
EXPECT: dict[str, Check] = {
    "dmarc.policy": ("policy", _policy),
    "spf.max_lookups": ("lookups", _lookups),
    "dkim.selectors_required": ("selector-list", _strings),
}
# The code of `expect` itself, which must be a table.
TABLE_EXPECTED = "table"


def expected(code: str) -> Phrase:
    """What a key's value must be, in the report's language (`error.config.type`)."""
    return Phrase(f"config.expected.{code}")


def find_config(explicit: Path | None, cwd: Path | None = None) -> Config:
    """The configuration of this run: `explicit` (--config), else mailauth.toml in `cwd`,
    else pyproject.toml's [tool.mailauth] there, else none. Raises `ConfigError`."""
    base = cwd or Path.cwd()
    if explicit is not None:
        return load_config(explicit)
    own = base / FILE_NAME
    if own.is_file():
        return load_config(own, display=FILE_NAME)
    pyproject = base / PYPROJECT
    if pyproject.is_file() and _mentions_mailauth(pyproject):
        return load_config(pyproject, table=("tool", "mailauth"), display=PYPROJECT)
    return Config()


def _mentions_mailauth(pyproject: Path) -> bool:
    """Whether a pyproject.toml has a mailauth table at all: a project's file that is not
    for us (or that its own tools cannot parse either) must not stop `mailauth check`. A
    mention in a comment is not a table: such a file is not parsed (issue 10, start-up: a
    run in a project whose pyproject.toml only talks about mailauth imports no TOML parser)."""
    try:
        text = pyproject.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return any("tool.mailauth" in line.split("#", 1)[0] for line in text.splitlines())


def load_config(path: Path, table: tuple[str, ...] = (), display: str | None = None) -> Config:
    """Read one file. `table`: the table holding mailauth's keys (pyproject.toml's
    `tool.mailauth`); a pyproject.toml without it is no configuration."""
    shown = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = os_reason(exc) if isinstance(exc, OSError) else Phrase("error.reason.not-utf8")
        raise ConfigError(shown, 1, "error.config.unreadable", file=shown, reason=reason) from exc
    # Imported here: most runs read no configuration file (start-up, bench/startup.py).
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10: the same parser, from PyPI
        import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]
    try:
        data: Mapping[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = _LINE.search(str(exc))
        line = int(m.group(1)) if m else 1
        from mailauth.config_syntax import toml_problem  # only for a file that is not TOML

        problem = toml_problem(str(exc))  # tomllib's English, as catalogue words
        raise ConfigError(shown, line, "error.config.syntax", message=problem) from exc
    for part in table:
        inner = data.get(part)
        if not isinstance(inner, dict):
            return Config()
        data = inner
    lines = _Lines(text, table)
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key == "expect":
            if not isinstance(value, dict):
                raise ConfigError(
                    shown,
                    lines.of(key),
                    "error.config.type",
                    key=key,
                    expected=expected(TABLE_EXPECTED),
                )
            values["expect"] = _expect(value, shown, lines)
            continue
        if key not in TOP:
            raise ConfigError(shown, lines.of(key), "error.config.unknown-key", key=key)
        values[key] = _convert(key, value, TOP[key], shown, lines.of(key))
    return Config(path=str(path), **values)


def _expect(table: Mapping[str, Any], shown: str, lines: _Lines) -> Expectations:
    found: dict[str, Any] = {}
    for key, value in _flatten(table):
        line = lines.of(key, section="expect")
        if key not in EXPECT:
            raise ConfigError(shown, line, "error.config.unknown-key", key=f"expect.{key}")
        found[key] = _convert(f"expect.{key}", value, EXPECT[key], shown, line)
    return Expectations(
        dmarc_policy=found.get("dmarc.policy"),
        spf_max_lookups=found.get("spf.max_lookups"),
        dkim_selectors_required=found.get("dkim.selectors_required", ()),
    )


def _flatten(table: Mapping[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    """`"dmarc.policy" = ...` and `dmarc.policy = ...` (a dotted key: a nested table in
    TOML) alike, as dotted names."""
    out: list[tuple[str, Any]] = []
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and name not in EXPECT:
            out += _flatten(value, name + ".")
        else:
            out.append((name, value))
    return out


def _convert(key: str, value: Any, check: Check, shown: str, line: int) -> Any:
    code, convert = check
    converted = convert(value)
    if converted is None:
        raise ConfigError(shown, line, "error.config.type", key=key, expected=expected(code))
    return converted


class _Lines:
    """Where a key is written: TOML parsers give no positions, so the text is searched for
    `key =` inside the key's table (the file's top level, or `[tool.mailauth]`, and their
    `expect` sub-table). Falls back to the table's header line, then line 1."""

    def __init__(self, text: str, table: tuple[str, ...]) -> None:
        self._lines = text.splitlines()
        self._table = ".".join(table)

    def of(self, key: str, section: str = "") -> int:
        name = ".".join(p for p in (self._table, section) if p)
        start, end = self._region(name)
        last = key.split(".")[-1]
        pattern = re.compile(
            r"""^\s*(?:"{k}"|'{k}'|{k}|(?:[\w"'.-]+\.)?{last})\s*=""".format(
                k=re.escape(key), last=re.escape(last)
            )
        )
        for number in range(start, end):
            if pattern.match(self._lines[number]):
                return number + 1
        if section:  # an inline `expect = {...}` in the parent table
            parent_start, parent_end = self._region(self._table)
            for number in range(parent_start, parent_end):
                if re.match(rf"^\s*{re.escape(section)}\s*=", self._lines[number]):
                    return number + 1
        return start if start > 0 else 1

    def _region(self, name: str) -> tuple[int, int]:
        """Lines [start, end) of table `name` ("" = the top level, before any header)."""
        header = re.compile(r"^\s*\[\s*([^\]]+?)\s*\]")
        start: int | None = 0 if not name else None
        for number, line in enumerate(self._lines):
            m = header.match(line)
            if not m:
                continue
            if start is not None:
                return start, number
            if m.group(1).replace(" ", "") == name:
                start = number + 1
        if start is None:
            return 0, 0
        return start, len(self._lines)

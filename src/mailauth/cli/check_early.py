"""`mailauth check DOMAIN`: the first round of lookups, sent from the command line before
click, asyncio and the CLI's own modules load (issue 10).

A single live check waits for its round trips; everything it does before its first query
adds to that wait (~60 ms of CPU on a quiet host before this module existed). Its first
questions depend only on the domain, a few options and the configuration file
(`domain/first_round.first_lookups`), and its first nameserver only on `--nameserver` or
/etc/resolv.conf. So the process entry point (`cli/entry.py`) asks this module, before it
imports the CLI, to read the command line the way click will and, when it names one live
domain, to send those questions (`dns/early.py`). `cli/check.py` hands the round to the
run's DNS client, which uses an early reply only for the very question it asks that server
itself; the in-loop first round (`domain/first_round.start_first_round`) is unchanged and
takes the early queries over.

Anything this reader does not fully understand sends nothing: another command, `--help`,
an option it does not know (the table below is held to `check`'s click options by
tests/unit/cli/test_check_early.py), a missing value, several domains or none, `--zone`
(offline: nothing is sent), and the options that change what the run asks or when
(`--domains-file`, `--db`, `--qps`, `--resume`, `--shard`, a `--dkim-selectors` file). A
usage error that click finds later (a bad `--format`) costs the datagrams already sent and
nothing else: the socket is closed at exit. This module never raises.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mailauth.config import Config
    from mailauth.domain.context import CheckOptions

COMMAND = "check"
# check's options that take a value (one each; repeatable or not), and its flags
VALUE_OPTIONS = frozenset(
    {
        "--domains-file", "--concurrency", "--dkim-selectors", "--checks", "--shard", "--qps",
        "--selector", "--bimi-selector", "--db", "--domain-deadline", "--trust-anchor",
        "--smtp-port", "--smtp-timeout", "--ca-file", "--zone", "--nameserver", "--timeout",
        "--retries", "--deadline", "--https-dir", "--fetch-ca-file", "--https-port",
        "--mark-root", "--format", "-o", "--output", "--fail-under", "--fail-on", "--lang",
        "--config", "--ignore", "--baseline", "--save-zone",
    }
)  # fmt: skip
FLAG_OPTIONS = frozenset(
    {
        "--resume", "--trust-resolver-ad", "--smtp", "--allow-private-fetch", "--no-fetch",
        "--allow-incomplete", "--exit-zero", "--debug", "--no-color", "--fail-on-new",
    }
)  # fmt: skip
# Repeatable options: every value counts; the others: the last one given (as click).
MULTIPLE = frozenset({"--selector", "--zone", "--nameserver", "--mark-root", "--format"})
# The run is not one domain asked live in the usual way: nothing is sent early.
NOT_EARLY = frozenset({"--zone", "--domains-file", "--db", "--qps", "--resume", "--shard"})
_HELP = frozenset({"-h", "--help"})


class _Unsure(Exception):
    """The command line is not one this reader is sure about: send nothing."""


def parse_check_args(args: Sequence[str]) -> tuple[str, dict[str, list[str]]] | None:
    """(the one domain as given, {option: [values]}) of a `check` command line (the
    arguments after the program name, group options included), as click will read it; None
    for anything else or anything unsure."""
    rest = list(args)
    while rest and rest[0] != COMMAND:  # the group's own options: only --lang
        if rest[0] == "--lang" and len(rest) > 1:
            del rest[:2]
        elif rest[0].startswith("--lang="):
            del rest[0]
        else:
            return None
    if not rest:
        return None
    values: dict[str, list[str]] = {}
    positional: list[str] = []
    tokens = iter(rest[1:])
    for token in tokens:
        if token == "--":
            positional.extend(tokens)
            break
        if not token.startswith("-") or token == "-":
            positional.append(token)
            continue
        name, eq, value = token.partition("=") if token.startswith("--") else (token, "", "")
        if name.startswith("-o") and len(name) > 2 and not name.startswith("--"):
            name, eq, value = "-o", "=", name[2:]  # -oFILE
        if name in FLAG_OPTIONS and not eq:
            values.setdefault(name, []).append("")
        elif name in VALUE_OPTIONS:
            if not eq:
                value = next(tokens, None)  # type: ignore[assignment]
                if value is None:
                    return None  # click: the option requires an argument
            values.setdefault(name, []).append(value)
        else:
            return None  # --help, an unknown option, a flag given a value
    if len(positional) != 1:
        return None
    return positional[0], values


def _last(values: dict[str, list[str]], name: str, default: str) -> str:
    given = values.get(name)
    return given[-1] if given else default


def _config(values: dict[str, list[str]]) -> Config | None:
    """The configuration file the run will read (`CiSettings.load`), read the same way;
    None without one."""
    explicit = values.get("--config")
    cwd = Path.cwd()
    if explicit is None and not (cwd / "mailauth.toml").is_file():
        pyproject = cwd / "pyproject.toml"
        if not pyproject.is_file():
            return None
    from mailauth.config import find_config

    return find_config(Path(explicit[-1]) if explicit else None)


def _plan(
    domain_text: str, values: dict[str, list[str]]
) -> tuple[str, CheckOptions, frozenset[str] | None]:
    """The domain (A-label), the options and the checks of the run's first round, as
    `cli/check.py` will settle them (raises `_Unsure`, or the error the run will report)."""
    from mailauth.domain.context import CheckOptions
    from mailauth.names import normalize_domain

    choice = _last(values, "--dkim-selectors", "common")
    if choice not in ("common", "none"):
        raise _Unsure  # a file of selectors: read by the run
    config = _config(values)
    selectors = list(values.get("--selector", ()) or (config.selectors if config else ()))
    if config is not None:  # `ci_options.chosen_selectors`
        selectors += [s for s in config.expect.dkim_selectors_required if s not in selectors]
    options = CheckOptions(
        selectors=tuple(selectors),
        bimi_selector=_last(values, "--bimi-selector", "default"),
        dkim_probes=None if choice == "common" else (),
        dkim_cut=False,  # one domain (cli/check.py)
    )
    wanted: frozenset[str] | None = None
    checks = values.get("--checks")
    names: Sequence[str] = checks[-1:] if checks else (config.checks if config else ())
    if names:
        from mailauth.domain.profile import parse_checks

        wanted = parse_checks(names[0] if checks else names)
    return normalize_domain(domain_text), options, wanted


def _server(values: dict[str, list[str]]) -> tuple[str, int] | None:
    """The nameserver the run's DNS client asks first: the first --nameserver (each must
    be valid, or click refuses the run), else the first of /etc/resolv.conf when this
    reader's reading of it is the run's."""
    from mailauth.dns import resolvconf

    given = values.get("--nameserver")
    if given:
        servers = [resolvconf.parse_nameserver(text) for text in given]
        return servers[0]
    if sys.platform == "win32":
        return None
    found = resolvconf.read_resolv_conf(resolvconf.RESOLV_CONF)
    return found[0] if found else None


def launch(args: Sequence[str]) -> bool:
    """Send the first round of `mailauth <args>` when it is a check of one live domain;
    whether anything was sent."""
    try:
        parsed = parse_check_args(args)
        if parsed is None or NOT_EARLY.intersection(parsed[1]):
            return False
        domain_text, values = parsed
        server = _server(values)
        if server is None:
            return False
        domain, options, wanted = _plan(domain_text, values)
        from mailauth.dns import early
        from mailauth.domain.first_round import first_lookups

        if not early.launch(server, first_lookups(domain, options, wanted)):
            return False
        early.follow_mx(domain)  # (nothing when the round does not ask its MX)
        return True
    except Exception:  # never the reason a run fails: the run finds and reports it
        return False


def hand_over(source: object, single_live: bool) -> None:
    """Give the round sent early to the run's live DNS client (`LiveSource.adopt_early`),
    found under the source's wrappers (cache, deadline, recorder); closed instead when the
    run is not `single_live` (one domain, no zone files) or has no such client."""
    from mailauth.dns import early

    sent = early.take()
    if sent is None:
        return
    from mailauth.dns.live import LiveSource

    inner = source
    for _ in range(8):  # CachingSource -> RecordingSource / DeadlineSource -> LiveSource
        if isinstance(inner, LiveSource) or inner is None:
            break
        inner = getattr(inner, "inner", None)
    if single_live and isinstance(inner, LiveSource):
        inner.adopt_early(sent)
    else:
        sent.close()

"""cli/check_early.py: the command line read before click loads, for a single check's first
round (issue 10). It must read `check`'s options exactly as click does, or send nothing;
the round it plans must be the one the run asks first (configuration file included); and
it never raises, never sends for an offline run.

The process-level side (the round really leaves before click, the run takes it over and the
reports are the same) is tests/integration/test_check_first_round.py.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from tests.support.silent_udp import datagrams_waiting, silent_socket

from mailauth.cli import check_early
from mailauth.cli.check_early import (
    FLAG_OPTIONS,
    MULTIPLE,
    VALUE_OPTIONS,
    launch,
    parse_check_args,
)
from mailauth.cli.main import main
from mailauth.dns import early
from mailauth.domain.context import CheckOptions


def test_the_option_table_is_checks_own() -> None:
    """Every option of `check`, with its arity: a new option that this reader does not
    know would make it skip the early round (safe, but silently slower); one it reads
    wrongly would shift the domain argument."""
    command = main.commands["check"]
    values, flags, multiple = set(), set(), set()
    for param in command.params:
        if not isinstance(param, click.Option):
            continue
        assert not param.secondary_opts and param.nargs == 1, param.opts
        (flags if param.is_flag else values).update(param.opts)
        if param.multiple:
            multiple.update(param.opts)
    assert values == VALUE_OPTIONS
    assert flags == FLAG_OPTIONS
    assert multiple - {"-o", "--output", "--ignore"} == MULTIPLE  # their values are not read


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["check", "example.jp"], ("example.jp", {})),
        (["--lang", "ja", "check", "example.jp"], ("example.jp", {})),
        (["--lang=ja", "check", "example.jp"], ("example.jp", {})),
        (
            ["check", "--selector", "s1", "example.jp", "--selector=s2", "--no-fetch"],
            ("example.jp", {"--selector": ["s1", "s2"], "--no-fetch": [""]}),
        ),
        (["check", "-o", "out.json", "example.jp"], ("example.jp", {"-o": ["out.json"]})),
        (["check", "-oout.json", "example.jp"], ("example.jp", {"-o": ["out.json"]})),
        (["check", "--format", "json", "--", "example.jp"], ("example.jp", {"--format": ["json"]})),
        # a value that looks like a domain is the option's
        (["check", "--bimi-selector", "b", "x.example"], ("x.example", {"--bimi-selector": ["b"]})),
    ],
)  # fmt: skip
def test_a_check_command_line_is_read_as_click_reads_it(
    args: list[str], expected: tuple[str, dict[str, list[str]]]
) -> None:
    assert parse_check_args(args) == expected


@pytest.mark.parametrize(
    "args",
    [
        ["verify", "message.eml"],
        ["check"],
        ["check", "a.example", "b.example"],
        ["check", "--help", "example.jp"],
        ["check", "-h", "example.jp"],
        ["-V", "check", "example.jp"],
        ["check", "example.jp", "--no-such-option"],
        ["check", "example.jp", "--no-fetch=yes"],  # a flag given a value: click refuses it
        ["check", "example.jp", "--timeout"],  # no value
        ["check", "--", "a.example", "b.example"],
    ],
)
def test_anything_else_is_not_read(args: list[str]) -> None:
    assert parse_check_args(args) is None


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A nameserver that counts what it is sent and never answers."""
    sock = silent_socket()
    yield sock
    sock.close()


@pytest.mark.parametrize(
    "extra",
    [
        ["--zone", "samples/zones"],  # offline: nothing may leave
        ["--domains-file", "list.txt"],
        ["--db", "reports.db"],
        ["--qps", "5"],
        ["--resume", "-o", "out.jsonl"],
        ["--shard", "1/2"],
        ["--dkim-selectors", "selectors.txt"],  # read by the run
        ["--nameserver", "not-an-address"],  # click refuses it
        ["--checks", "nonsense"],  # likewise
    ],
)
def test_runs_that_are_not_one_plain_live_domain_send_nothing(
    listener: socket.socket, extra: list[str]
) -> None:
    ns = ["--nameserver", f"127.0.0.1:{listener.getsockname()[1]}"]
    assert not launch(["check", "example.jp", *ns, *extra])
    assert early.take() is None
    assert datagrams_waiting(listener) == 0
    listener.close()


def test_an_invalid_domain_sends_nothing(listener: socket.socket) -> None:
    ns = ["--nameserver", f"127.0.0.1:{listener.getsockname()[1]}"]
    assert not launch(["check", "_dmarc.example.jp", *ns])
    assert not launch(["check", "192.0.2.1", *ns])
    assert datagrams_waiting(listener) == 0
    listener.close()


def test_a_live_check_sends_its_first_round(listener: socket.socket) -> None:
    port = listener.getsockname()[1]
    assert launch(["check", "example.jp", "--nameserver", f"127.0.0.1:{port}", "--no-fetch"])
    sent = early.take()
    assert sent is not None
    try:
        from mailauth.domain.first_round import first_lookups

        plan = first_lookups("example.jp", CheckOptions(dkim_cut=False))
        assert len(sent.queries) == len(plan) == datagrams_waiting(listener)
    finally:
        sent.close()
        listener.close()


def plan_in(cwd: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]) -> tuple[object, ...]:
    monkeypatch.chdir(cwd)
    parsed = parse_check_args(["check", "example.jp", *args])
    assert parsed is not None
    return check_early._plan(*parsed)


def test_without_a_configuration_file_the_command_line_decides(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ["--selector", "s1", "--bimi-selector", "Brand", "--dkim-selectors", "none"]
    domain, options, wanted = plan_in(tmp_path, monkeypatch, [*args, "--checks", "spf,DKIM"])
    assert domain == "example.jp"
    assert options == CheckOptions(
        selectors=("s1",), bimi_selector="Brand", dkim_probes=(), dkim_cut=False
    )
    assert wanted == {"spf", "dkim"}


CONFIG = """
selectors = ["k7"]
checks = ["spf", "dkim", "mx"]
[expect]
"dkim.selectors_required" = ["req1"]
"""


@pytest.mark.parametrize("file", ["mailauth.toml", "pyproject.toml"])
def test_the_configuration_file_sets_selectors_and_checks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, file: str
) -> None:
    text = (
        CONFIG if file == "mailauth.toml" else CONFIG.replace("[expect]", "[tool.mailauth.expect]")
    )
    if file == "pyproject.toml":
        text = "[tool.mailauth]\n" + text
    (tmp_path / file).write_text(text)
    _, options, wanted = plan_in(tmp_path, monkeypatch, [])
    assert options.selectors == ("k7", "req1")  # type: ignore[attr-defined]
    assert wanted == {"spf", "dkim", "mx"}
    # the command line wins over the file (cli/ci_options.py)
    _, options, wanted = plan_in(tmp_path, monkeypatch, ["--selector", "s9", "--checks", "all"])
    assert options.selectors == ("s9", "req1")  # type: ignore[attr-defined]
    assert wanted is None


def test_config_given_with_config_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    conf = tmp_path / "ci.toml"
    conf.write_text('selectors = ["zz"]\n')
    _, options, _ = plan_in(tmp_path, monkeypatch, ["--config", str(conf)])
    assert options.selectors == ("zz",)  # type: ignore[attr-defined]


def test_a_broken_configuration_file_sends_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, listener: socket.socket
) -> None:
    """The run stops with the file's error (exit 2): no round is wasted on it."""
    (tmp_path / "mailauth.toml").write_text("selectors = [1, 2\n")
    monkeypatch.chdir(tmp_path)
    port = listener.getsockname()[1]
    assert not launch(["check", "example.jp", "--nameserver", f"127.0.0.1:{port}"])
    assert datagrams_waiting(listener) == 0
    listener.close()


def test_the_first_nameserver_is_the_one_asked(tmp_path: Path) -> None:
    parsed = parse_check_args(
        ["check", "x.example", "--nameserver", "[::1]:5353", "--nameserver", "127.0.0.1"]
    )
    assert parsed is not None
    assert check_early._server(parsed[1]) == ("::1", 5353)


def test_without_nameserver_resolv_conf_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mailauth.dns import resolvconf

    conf = tmp_path / "resolv.conf"
    conf.write_text("# test\nnameserver 127.0.0.7\nnameserver 127.0.0.8\n")
    monkeypatch.setattr(resolvconf, "RESOLV_CONF", str(conf))
    assert check_early._server({}) == ("127.0.0.7", 53)
    conf.write_text("nameserver dns.example\n")  # the run reads such a file with dnspython
    assert check_early._server({}) is None

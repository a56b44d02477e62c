"""The command group: version, help, one-line usage errors, exit-status policy."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from mailauth import __version__
from mailauth.cli.exit_status import ExitStatus, decide
from mailauth.cli.main import main

COMMANDS = ["check", "verify", "spf"]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.stdout


@pytest.mark.parametrize("args", [["--help"], ["check", "--help"], ["-h"]])
def test_help(runner: CliRunner, args: list[str]) -> None:
    result = runner.invoke(main, args)
    assert result.exit_code == 0
    assert "Usage:" in result.stdout


def test_no_arguments_prints_the_help(runner: CliRunner) -> None:
    result = runner.invoke(main, [])
    assert result.exit_code == ExitStatus.OK
    assert result.stdout == runner.invoke(main, ["--help"]).stdout
    assert result.stderr == ""


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_help_has_examples_and_every_option_is_explained(
    runner: CliRunner, name: str
) -> None:
    result = runner.invoke(main, [name, "--help"])
    assert result.exit_code == 0
    assert "Examples:" in result.stdout
    assert f"  mailauth {name} " in result.stdout  # the examples run this command
    assert "Exit status:" in result.stdout
    command = main.commands[name]
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help, f"{name} {param.opts} has no help text"


def test_spf_has_no_score_so_no_threshold_options(runner: CliRunner) -> None:
    text = runner.invoke(main, ["spf", "--help"]).stdout
    assert "--fail-under" not in text and "--fail-on" not in text
    assert runner.invoke(main, ["spf", "--ip", "192.0.2.1", "--fail-on", "high"]).exit_code == 2


def test_check_help_documents_the_shared_options(runner: CliRunner) -> None:
    text = runner.invoke(main, ["check", "--help"]).stdout
    for option in (
        "--zone",
        "--nameserver",
        "--timeout",
        "--retries",
        "--deadline",
        "--format",
        "--fail-under",
        "--fail-on",
        "--debug",
        "--no-color",
        "--selector",
        "--bimi-selector",
    ):
        assert option in text


@pytest.mark.parametrize(
    "args",
    [
        ["check"],  # missing DOMAIN
        ["check", "-x"],  # looks like an option
        ["nosuchcommand"],
        ["check", "example.jp", "--format", "xml"],
        ["check", "example.jp", "--fail-under", "101"],
        ["check", "example.jp", "--fail-on", "bad"],
        ["check", "example.jp", "--timeout", "0"],
        ["check", "example.jp", "--nameserver", "dns.example"],
        ["check", "example.jp", "--nameserver", "127.0.0.1:99999"],
        ["check", "example.jp", "--zone", "/nonexistent/zone/dir"],
    ],
)
def test_usage_errors_are_one_line_exit_2(runner: CliRunner, args: list[str]) -> None:
    result = runner.invoke(main, args)
    assert result.exit_code == ExitStatus.USAGE_ERROR, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("mailauth: error: ")
    assert "Traceback" not in result.stderr


def test_exit_status_values_are_the_documented_contract() -> None:
    assert [int(s) for s in ExitStatus] == [0, 1, 2, 3]


@pytest.mark.parametrize(
    ("no_verdict", "threshold_failed", "expected"),
    [
        (False, False, ExitStatus.OK),
        (False, True, ExitStatus.THRESHOLD_FAILED),
        (True, False, ExitStatus.NO_VERDICT),
        (True, True, ExitStatus.NO_VERDICT),  # an incomplete run is never judged
    ],
)
def test_decide(no_verdict: bool, threshold_failed: bool, expected: ExitStatus) -> None:
    assert decide(no_verdict=no_verdict, threshold_failed=threshold_failed) is expected

"""A run has a deadline even when none is given (issue 9, item 8).

A server answering every query in 4.9 s made `check` take 103 s. Now `check` gives each
domain `--domain-deadline` (default 30 s), `verify` each message 30 s and `spf` its
evaluation 30 s, unless `--deadline` bounds the whole run; past it the result is incomplete
(exit status 3, `complete: false`), never a verdict built on missing answers.

The defaults themselves are asserted; the runs use a shorter default (patched where the
command reads it) so the fault server's slow answers outlast it without a 30 s test.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import click
import pytest
from tests.support.faultdns import Fault, FaultDnsServer

from mailauth.cli import options as cli_options
from mailauth.cli import spf as cli_spf
from mailauth.cli import verify as cli_verify
from mailauth.cli.check import check as check_command
from mailauth.i18n import label

from .clirun import CliRun

DOMAIN = "a.test"
SLOW = 4.9  # the server
SHORT = 1.0  # the default deadline during these tests
SLACK = 3.0

RECORDS: dict[str, dict[str, list[Any]]] = {
    DOMAIN: {"MX": ["10 mx.a.test"], "TXT": ["v=spf1 ip4:192.0.2.0/24 -all"]},
    "mx.a.test": {"A": ["192.0.2.1"]},
    "_dmarc.a.test": {"TXT": ["v=DMARC1; p=reject; rua=mailto:dmarc@a.test"]},
}
MESSAGE = (
    b"Return-Path: <bounce@a.test>\r\n"
    b"From: Alice <alice@a.test>\r\n"
    b"To: bob@example.net\r\n"
    b"Subject: hello\r\n"
    b"Date: Mon, 3 Nov 2025 10:00:00 +0900\r\n"
    b"Message-ID: <deadline@a.test>\r\n"
    b"\r\n"
    b"Hello.\r\n"
)


def _param(command: click.Command, name: str) -> click.Parameter:
    return next(p for p in command.params if p.name == name)


@pytest.fixture
def slow(fault_dns: FaultDnsServer) -> FaultDnsServer:
    """Every name of the domain answers, but only after SLOW seconds."""
    fault_dns.set_records(RECORDS)
    for name in RECORDS:
        fault_dns.fault(name, Fault.DELAY, delay=SLOW)
    return fault_dns


@pytest.fixture
def short_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_param(check_command, "domain_deadline"), "default", SHORT)
    monkeypatch.setattr(cli_verify, "DEFAULT_DEADLINE", SHORT)
    monkeypatch.setattr(cli_spf, "DEFAULT_DEADLINE", SHORT)


def dns_args(server: FaultDnsServer) -> list[str]:
    # A per-query budget far above the default deadline: only the deadline can end it.
    return ["--nameserver", server.nameserver, "--timeout", "20", "--retries", "0"]


def test_the_defaults_are_30_seconds_and_documented() -> None:
    assert cli_options.DEFAULT_DEADLINE == 30.0
    assert _param(check_command, "domain_deadline").default == cli_options.DEFAULT_DEADLINE
    assert "30 seconds" in label("cli.option.deadline", "en")
    assert "0: no deadline" in label("cli.option.domain-deadline", "en")


@pytest.mark.usefixtures("short_defaults")
def test_check_stops_one_slow_domain_by_default(
    slow: FaultDnsServer, cli: Callable[..., CliRun]
) -> None:
    run = cli("check", DOMAIN, "--format", "json", *dns_args(slow))
    assert run.exception is None, repr(run.exception)
    report = json.loads(run.stdout)
    assert run.exit_code == 3
    assert report["complete"] is False
    assert report["spf"]["status"] == "error"
    assert run.seconds < SHORT + SLACK


@pytest.mark.usefixtures("short_defaults")
def test_check_domain_deadline_0_waits_for_a_slow_server(
    fault_dns: FaultDnsServer, cli: Callable[..., CliRun]
) -> None:
    """The way out for a resolver that is slow but answers: no deadline per domain."""
    fault_dns.set_records(RECORDS)
    fault_dns.fault("_dmarc.a.test", Fault.DELAY, delay=SHORT + 0.5)
    args = ("check", DOMAIN, "--format", "json", "--domain-deadline", "0")
    run = cli(*args, *dns_args(fault_dns))
    report = json.loads(run.stdout)
    assert report["dmarc"]["status"] != "error"
    assert run.exit_code != 3
    assert SHORT + 0.5 <= run.seconds < SHORT + 0.5 + SLACK


@pytest.mark.usefixtures("short_defaults")
def test_verify_stops_one_slow_message_by_default(
    slow: FaultDnsServer, cli: Callable[..., CliRun]
) -> None:
    args = ("verify", "-", "--format", "json", "--ip", "192.0.2.30", *dns_args(slow))
    run = cli(*args, stdin=MESSAGE)
    assert run.exception is None, repr(run.exception)
    report = json.loads(run.stdout)
    assert run.exit_code == 3
    assert report["complete"] is False
    assert report["dmarc"]["result"] == "temperror"
    assert run.seconds < SHORT + SLACK


@pytest.mark.usefixtures("short_defaults")
def test_spf_stops_by_default(slow: FaultDnsServer, cli: Callable[..., CliRun]) -> None:
    args = ("spf", "--ip", "192.0.2.30", "--mail-from", f"bounce@{DOMAIN}", "--format", "json")
    run = cli(*args, *dns_args(slow))
    assert run.exception is None, repr(run.exception)
    assert run.exit_code == 3
    assert json.loads(run.stdout)["result"] == "temperror"
    assert run.seconds < SHORT + SLACK


@pytest.mark.usefixtures("short_defaults")
def test_an_explicit_deadline_bounds_the_whole_verify_run(
    fault_dns: FaultDnsServer, cli: Callable[..., CliRun]
) -> None:
    """--deadline keeps its documented meaning (the whole run) and replaces the default per
    message: a slow answer inside it is waited for."""
    fault_dns.set_records(RECORDS)
    fault_dns.fault("_dmarc.a.test", Fault.DELAY, delay=SHORT + 0.5)
    args = ("verify", "-", "--format", "json", "--ip", "192.0.2.30", "--deadline", "10")
    run = cli(*args, *dns_args(fault_dns), stdin=MESSAGE)
    report = json.loads(run.stdout)
    assert report["dmarc"]["result"] != "temperror"
    assert run.exit_code != 3
    assert run.seconds < SHORT + 0.5 + SLACK

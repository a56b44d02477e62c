"""One message verified without an event loop (`concurrency.run_blocking`: what `mailauth
verify FILE` does, issue 10) reports exactly what the event loop's run reports: every
sample message, against Debian's knotd serving samples/zones (the blocking live client)
and against the zone files themselves. The command's own output is compared too."""

from __future__ import annotations

import asyncio
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from tests.support.fresh_python import run

from mailauth.concurrency import run_blocking
from mailauth.dns.cache import CachingSource
from mailauth.dns.live import LiveSource
from mailauth.dns.zonefile import ZoneSource
from mailauth.message import VerifyOptions, verify_message

REPO = Path(__file__).resolve().parents[2]
MESSAGES = sorted((REPO / "samples/messages").glob("*.eml"))
ZONES = sorted((REPO / "samples/zones").glob("*.zone"))


OPTIONS = VerifyOptions(timeout=5.0)


@pytest.mark.parametrize("path", MESSAGES, ids=lambda p: p.name)
def test_blocking_live_run_reports_as_the_event_loop(path: Path, knot_server: Any) -> None:
    raw = path.read_bytes()
    looped_source = CachingSource(LiveSource([knot_server.address]))
    looped = asyncio.run(verify_message(raw, looped_source, OPTIONS))
    live = LiveSource.blocking([knot_server.address])
    blocking_source = CachingSource(live)
    blocking = run_blocking(verify_message(raw, blocking_source, OPTIONS))
    assert blocking == looped
    # The same questions, each sent once (two asked in the same round leave as one).
    assert set(blocking_source.stats.log) == set(looped_source.stats.log)
    assert live.transport.sent == len(looped_source.stats.log)  # type: ignore[attr-defined]


@pytest.mark.parametrize("path", MESSAGES, ids=lambda p: p.name)
def test_blocking_zone_run_reports_as_the_event_loop(path: Path) -> None:
    raw = path.read_bytes()
    zones = ZoneSource.from_paths(ZONES)
    looped = asyncio.run(verify_message(raw, CachingSource(zones), OPTIONS))
    blocking = run_blocking(verify_message(raw, CachingSource(zones), OPTIONS))
    assert blocking == looped


def _command(*args: str) -> subprocess.CompletedProcess[str]:
    """`mailauth ARGS` through the real entry point, in English (the test process's
    environment otherwise: its cache directory, its network guard's loopback)."""
    code = (
        "import os, sys; os.environ['MAILAUTH_LANG'] = 'en'; "
        f"sys.argv = ['mailauth', *{list(args)!r}]; "
        "from mailauth.cli.entry import entry; entry()"
    )
    return run(code, exit_codes=(0, 1))


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_the_command_prints_the_same_report_for_one_file_as_within_several(
    fmt: str, knot_server: Any
) -> None:
    """`verify A` (blocking) and `verify A A` (event loop) print the same report for A."""
    good = str(REPO / "samples/messages/arc-broken.eml")
    dns = ["--nameserver", knot_server.nameserver, "--format", fmt]
    one = _command("verify", good, *dns)
    two = _command("verify", good, good, *dns)
    assert one.returncode == two.returncode and one.stderr == two.stderr == ""
    if fmt == "text":
        assert two.stdout.startswith(one.stdout.rstrip("\n"))
        assert two.stdout.count(one.stdout.strip()) == 2
    else:
        assert json.loads(two.stdout) == [json.loads(one.stdout)] * 2

"""`mailauth check DOMAIN` as a process: its first round leaves before click loads
(cli/entry.py, cli/check_early.py) and the run takes it over (issue 10).

Each run goes through the process entry point (as the `mailauth` script and `python -m
mailauth` do) against knotd behind a relay that notes every question, and is compared
with the same run started through `cli.main.main`, which sends nothing early: the reports
are the same (but for `checked_at`), the exit status too, and the server is asked the
same questions the same number of times (the early datagrams were taken over, not sent
again, and none is missing or added). Failure modes: a nameserver that never answers, an
offline run (nothing may leave), a usage error (one line, no traceback, no socket left
open), a configuration file that changes the selectors and checks, and runs that are not
one live domain (nothing sent early).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.support.counting_relay import CountingRelay
from tests.support.fresh_python import SRC
from tests.support.knot import KnotServer
from tests.support.silent_udp import datagrams_waiting, silent_socket

from mailauth.dns.early import MAX_MX_HOSTS
from mailauth.domain.context import CheckOptions
from mailauth.domain.first_round import first_lookups

REPO = Path(__file__).resolve().parents[2]
# The program, with a count of the datagrams sent by the time click is first looked for
# (printed at exit: the quick exit runs the exit handlers, cli/quick_exit.py).
PROGRAM = """
import atexit, socket, sys
sent, at_click = [0], []
original = socket.socket.sendto
def sendto(self, *args):
    sent[0] += 1
    return original(self, *args)
socket.socket.sendto = sendto
class Spy:
    def find_spec(self, name, path=None, target=None):
        if name == "click" and not at_click:
            at_click.append(sent[0])
sys.meta_path.insert(0, Spy())
atexit.register(lambda: print("sent-before-click", at_click[0], file=sys.stderr))
sys.argv = ["mailauth", *{args!r}]
from mailauth.cli.{module} import {function}
{function}()
"""
CHECKED_AT = re.compile(r'.*"checked_at".*\n|^Checked at.*\n', re.MULTILINE)


def run(
    args: list[str], *, early: bool = True, cwd: Path = REPO, flags: tuple[str, ...] = ()
) -> tuple[subprocess.CompletedProcess[str], int]:
    """The command, through the entry point (`early`) or `main`; and the datagrams it sent
    before click loaded."""
    module, function = ("entry", "entry") if early else ("main", "main")
    code = PROGRAM.format(args=args, module=module, function=function)
    env = {**os.environ, "PYTHONPATH": str(SRC), "MAILAUTH_LANG": "en"}
    done = subprocess.run(
        [sys.executable, *flags, "-c", code],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    found = re.search(r"sent-before-click (\d+)", done.stderr)
    return done, int(found.group(1)) if found else -1


def through(
    knot: KnotServer, args: list[str], *, early: bool, cwd: Path = REPO
) -> tuple[subprocess.CompletedProcess[str], int, Counter[tuple[str, int]]]:
    relay = CountingRelay(knot.address)
    try:
        done, before = run([*args, "--nameserver", relay.nameserver], early=early, cwd=cwd)
    finally:
        relay.close()
    return done, before, Counter(relay.questions)


def same_run(
    knot: KnotServer, args: list[str], cwd: Path = REPO
) -> tuple[int, Counter[tuple[str, int]]]:
    """Runs `args` both ways; asserts they agree; the early one's count before click."""
    done, before, asked = through(knot, args, early=True, cwd=cwd)
    plain, plain_before, plain_asked = through(knot, args, early=False, cwd=cwd)
    assert "Traceback" not in done.stderr, done.stderr
    assert (done.returncode, plain.returncode) in ((0, 0), (1, 1)), done.stderr + plain.stderr
    assert CHECKED_AT.sub("", done.stdout) == CHECKED_AT.sub("", plain.stdout)
    assert plain_before == 0
    assert asked == plain_asked  # the early queries were taken over: nothing sent twice
    return before, asked


OPTION_SETS = {
    "plain": ([], CheckOptions(dkim_cut=False), None),
    "named": (
        ["--selector", "s1", "--bimi-selector", "Brand"],
        CheckOptions(selectors=("s1",), bimi_selector="Brand", dkim_cut=False),
        None,
    ),
    "no-probes": (["--dkim-selectors", "none"], CheckOptions(dkim_probes=(), dkim_cut=False), None),
    "profile": (["--checks", "spf,mx"], CheckOptions(dkim_cut=False), frozenset({"spf", "mx"})),
}


DOMAINS = ("example.jp", "broken.example", "toomany.example")
CASES = [
    *((domain, variant, "json") for domain in DOMAINS for variant in sorted(OPTION_SETS)),
    *((domain, "plain", "text") for domain in DOMAINS),
]


@pytest.mark.parametrize(("domain", "variant", "fmt"), CASES)
def test_the_first_round_leaves_first_and_changes_nothing(
    knot_server: KnotServer, domain: str, variant: str, fmt: str
) -> None:
    extra, options, wanted = OPTION_SETS[variant]
    args = ["check", domain, "--no-fetch", "--format", fmt, *extra]
    before, _ = same_run(knot_server, args)
    planned = len(first_lookups(domain, options, wanted))
    # and the MX hosts' A/AAAA if the MX reply came back before click was looked for (the
    # early follower, dns/early.py; `same_run` holds them to questions the run asks once)
    assert planned <= before <= planned + 2 * MAX_MX_HOSTS


def test_a_configuration_file_that_changes_selectors_and_checks(
    knot_server: KnotServer, tmp_path: Path
) -> None:
    (tmp_path / "mailauth.toml").write_text(
        'selectors = ["s1"]\nchecks = ["spf", "dkim", "mx"]\n'
        '[expect]\n"dkim.selectors_required" = ["k9"]\n'
    )
    args = ["check", "broken.example", "--no-fetch", "--format", "json"]
    before, asked = same_run(knot_server, args, cwd=tmp_path)
    options = CheckOptions(selectors=("s1", "k9"), dkim_cut=False)
    planned = len(first_lookups("broken.example", options, {"spf", "dkim", "mx"}))
    assert planned <= before <= planned + 2  # + mail.broken.example A/AAAA, if followed yet
    assert asked[("k9._domainkey.broken.example", 16)] == 1
    assert asked[("_mta-sts.broken.example", 16)] == 0  # the file left MTA-STS out


@pytest.fixture
def silent() -> Iterator[socket.socket]:
    """A nameserver that never answers; it counts what reaches it."""
    sock = silent_socket()
    yield sock
    sock.close()


def test_a_nameserver_that_never_answers(silent: socket.socket) -> None:
    """Every lookup times out as before (the early ones from when they left): the same
    report, the same exit status, each question sent as often as without the early round."""
    ns = f"127.0.0.1:{silent.getsockname()[1]}"
    args = ["check", "example.jp", "--nameserver", ns, "--timeout", "0.3", "--retries", "0"]
    args += ["--no-fetch", "--format", "json"]
    done, before = run(args)
    early_count = datagrams_waiting(silent)
    plain, _ = run(args, early=False)
    assert "Traceback" not in done.stderr
    assert done.returncode == plain.returncode
    assert CHECKED_AT.sub("", done.stdout) == CHECKED_AT.sub("", plain.stdout)
    assert '"rcode": "TIMEOUT"' in done.stdout or "TIMEOUT" in done.stdout
    assert before > 0
    assert early_count == datagrams_waiting(silent)
    silent.close()


def test_an_offline_run_sends_nothing(silent: socket.socket) -> None:
    ns = f"127.0.0.1:{silent.getsockname()[1]}"
    zones = str(REPO / "samples" / "zones")
    done, before = run(["check", "example.jp", "--zone", zones, "--nameserver", ns])
    assert done.returncode in (0, 1), done.stderr
    assert before == 0
    assert datagrams_waiting(silent) == 0
    silent.close()


def test_a_usage_error_is_one_line_and_leaves_no_socket(silent: socket.socket) -> None:
    """The round is sent before click reads `--format`; click's error is then the run's
    only output, and the socket is closed at exit (`-X dev` would report it unclosed)."""
    ns = f"127.0.0.1:{silent.getsockname()[1]}"
    args = ["check", "example.jp", "--nameserver", ns, "--format", "nonsense"]
    done, before = run(args, flags=("-X", "dev"))
    assert done.returncode == 2
    lines = [x for x in done.stderr.splitlines() if not x.startswith("sent-before-click")]
    assert len(lines) == 1 and "nonsense" in lines[0], done.stderr
    assert "ResourceWarning" not in done.stderr
    assert before > 0  # it was sent: click had not loaded yet
    silent.close()


def test_an_unknown_domain_name_is_reported_as_before(silent: socket.socket) -> None:
    ns = f"127.0.0.1:{silent.getsockname()[1]}"
    done, before = run(["check", "_bad.example", "--nameserver", ns], flags=("-X", "dev"))
    plain, _ = run(["check", "_bad.example", "--nameserver", ns], early=False)
    assert (done.returncode, done.stdout) == (plain.returncode, plain.stdout)
    assert "Traceback" not in done.stderr and "ResourceWarning" not in done.stderr
    assert before == 0 and datagrams_waiting(silent) == 0
    silent.close()


def test_a_list_of_domains_sends_nothing_early(knot_server: KnotServer, tmp_path: Path) -> None:
    listing = tmp_path / "domains.txt"
    listing.write_text("example.jp\n")
    args = ["check", "--domains-file", str(listing), "--no-fetch", "--format", "json"]
    done, before, _ = through(knot_server, args, early=True)
    assert done.returncode in (0, 1), done.stderr
    assert before == 0
    done, before, _ = through(knot_server, ["check", "example.jp", "broken.example"], early=True)
    assert done.returncode in (0, 1), done.stderr
    assert before == 0


def test_wrapped_sources_take_the_round_over_too(knot_server: KnotServer, tmp_path: Path) -> None:
    """--save-zone (a recorder under the cache) and --deadline (a deadline source) sit
    between the cache and the live client: the round is still taken over, and the zone
    files written are those of a run without it."""
    saved = {}
    for early in (True, False):
        out = tmp_path / ("early" if early else "plain")
        args = ["check", "broken.example", "--no-fetch", "--format", "json"]
        args += ["--save-zone", str(out), "--deadline", "60"]
        done, before, asked = through(knot_server, args, early=early)
        assert done.returncode in (0, 1), done.stderr
        plan = first_lookups("broken.example", CheckOptions(dkim_cut=False))
        assert len(plan) <= before <= len(plan) + 2 if early else before == 0
        saved[early] = (
            {p.name: p.read_text() for p in sorted(out.iterdir())},
            asked,
            CHECKED_AT.sub("", done.stdout),
        )
    assert saved[True] == saved[False]

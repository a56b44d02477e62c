"""A single `mailauth check` costs as few sequential round trips as its lookups allow
(issue 10): at 50 ms RTT each round is 50 ms of the user's wait, so every lookup that can
leave at the start does, and a lookup waits only for the answer it really needs.

knotd on loopback behind bench/latency_proxy.py, which logs when each query arrived and when
its answer went back; the rounds are counted from that log (`QueryLog.rounds`: a query's
round is one more than the deepest round answered before it arrived), never from wall time.
The RTT is long (250 ms) so that, on a loaded machine, the queries of one round still all
leave before the first answers of the round before return.

The bound per domain is the longest real chain of dependent lookups in its zone (before
issue 10's changes: 3, 4 and 4 rounds):
- example.jp: 2. MX -> mx1 A and, at the same time, the PTR of the address the MX answer's
  server volunteered for mx1 (`DnsAnswer.hints`); the PTR names mx1, whose A is known.
- broken.example: 3. MX -> mail A (a CNAME to server.broken.example: the answer is also the
  A of server, `CachingSource`) -> PTR, which names server: its A is known.
- toomany.example: 4. TXT -> include _spf2 -> include _spf2a -> a:out3.
Everything else (DMARC tree walk, DNSSEC chain, DKIM probes, BIMI, MTA-STS, TLS-RPT, NS,
DANE) fits within those rounds.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.support.knot import KnotServer

from mailauth.cli.main import main

BENCH = Path(__file__).resolve().parents[2] / "bench"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

import support  # noqa: E402

RTT_MS = 250.0
ROUNDS = {"example.jp": 2, "broken.example": 3, "toomany.example": 4}


@pytest.fixture(scope="module")
def proxy(knot_server: KnotServer) -> Iterator[support.LatencyProxy]:
    latency = support.LatencyProxy(knot_server.address, RTT_MS)
    try:
        yield latency
    finally:
        latency.close()


@pytest.mark.parametrize("domain", sorted(ROUNDS))
def test_one_check_costs_its_longest_chain_of_lookups(
    proxy: support.LatencyProxy, domain: str
) -> None:
    proxy.reset()
    args = ["check", domain, "--nameserver", proxy.nameserver, "--no-fetch", "--format", "json"]
    result = CliRunner().invoke(main, args, env={"MAILAUTH_LANG": "en"}, catch_exceptions=False)
    log = proxy.reset()
    assert result.exit_code in (0, 1), result.output
    report = json.loads(result.stdout)
    assert report["domain"] == domain and report["complete"] is True, report
    assert log.by_transport()["tcp"] == 0  # one round trip each (no truncation)
    assert log.count > 40  # the whole check ran (DKIM probes included), not a part
    assert log.rounds <= ROUNDS[domain], log.timeline()
    # The DMARC tree walk's parent leaves with the first round (CheckSpec.prefetch), not
    # after the answer at _dmarc.<domain>.
    parent = "_dmarc." + domain.split(".", 1)[1]
    rounds = dict(zip(log.queries, log.round_of_each(), strict=True))
    assert rounds[(parent, "TXT", "udp")] == 1, log.timeline()

"""Shared set-up for the benchmarks: real DNS on loopback, behind a latency proxy.

Reuses the test suite's Knot launcher (tests/support/knot.py) rather than duplicating it, and
its network guard (tests/support/netguard.py): every benchmark process installs the guard, so
a peer tool that tries the system resolver or a non-loopback address fails loudly instead of
sending a packet off the machine.
"""

from __future__ import annotations

import json
import select
import statistics
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # `tests.support` is a package of the repository, not installed
    sys.path.insert(0, str(REPO))

from tests.support import netguard  # noqa: E402
from tests.support.knot import KnotServer, collect_zone_files, find_knotd, start_knot  # noqa: E402
from tests.support.peak_rss import high_water_kib  # noqa: E402, F401 (for bulk_resume.py)

SAMPLE_ZONES = REPO / "samples" / "zones"
SAMPLE_MESSAGES = REPO / "samples" / "messages"
PROXY_SCRIPT = Path(__file__).with_name("latency_proxy.py")
CONTROL_TIMEOUT = 10.0


class BenchError(RuntimeError):
    """The benchmark cannot run as set up (missing server, peer tool, network guard hit)."""


def run_main(main: Callable[[], int | None]) -> NoReturn:
    """Exit with `main()`'s status; a `BenchError` is one line on stderr and status 2, not
    a traceback (every script's `if __name__ == "__main__"`)."""
    try:
        sys.exit(main())
    except BenchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)


def require_knotd() -> str:
    """knotd's path, or a `BenchError` that says how to install it."""
    knotd = find_knotd()
    if knotd is None:
        raise BenchError("knotd is not installed (Debian: apt-get install -y knot)")
    return knotd


@dataclass(frozen=True)
class QueryLog:
    """Queries the proxy forwarded during one run. `times[i]` is query i's (received,
    answered, trips) on the proxy's clock (answered None: never answered; trips 2 for a
    fresh TCP connection's first query)."""

    queries: tuple[tuple[str, str, str], ...]  # (name, type, transport)
    max_in_flight: int
    times: tuple[tuple[float, float | None, int], ...] = ()

    @property
    def count(self) -> int:
        return len(self.queries)

    def by_transport(self) -> Counter[str]:
        return Counter(t for _, _, t in self.queries)

    def round_of_each(self) -> list[int]:
        """Each query's place on the run's critical path, in round trips: its own trips plus
        the deepest round among the queries answered before it arrived (any of them may be
        what it waited for). Independent of CPU speed as long as the client sends what it
        can before the first answers come back, which the latency makes easy."""
        order = sorted(range(len(self.times)), key=lambda i: self.times[i][0])
        answered = sorted((a, i) for i, (_, a, _) in enumerate(self.times) if a is not None)
        rounds = [0] * len(self.times)
        deepest, k = 0, 0
        for i in order:
            received, _, trips = self.times[i]
            while k < len(answered) and answered[k][0] < received:
                deepest = max(deepest, rounds[answered[k][1]])
                k += 1
            rounds[i] = deepest + trips
        return rounds

    @property
    def rounds(self) -> int:
        """Sequential round trips of the run: what the latency is multiplied by."""
        return max(self.round_of_each(), default=0)

    def timeline(self) -> str:
        """One line per round: how many queries, and which (for reading a run's path)."""
        by_round: dict[int, list[str]] = {}
        for (name, rdtype, transport), r in zip(self.queries, self.round_of_each(), strict=True):
            tag = "" if transport == "udp" else f"/{transport}"
            by_round.setdefault(r, []).append(f"{name} {rdtype}{tag}")
        return "\n".join(
            f"round {r}: {len(qs)} queries: {', '.join(qs)}" for r, qs in sorted(by_round.items())
        )


class LatencyProxy:
    """bench/latency_proxy.py in a child process (so it never competes for our GIL)."""

    def __init__(self, upstream: tuple[str, int], rtt_ms: float) -> None:
        self.rtt_ms = rtt_ms
        self._proc = subprocess.Popen(
            [
                sys.executable,
                str(PROXY_SCRIPT),
                *("--upstream", f"{upstream[0]}:{upstream[1]}"),
                *("--rtt-ms", str(rtt_ms)),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        self.port = int(self._read_json()["port"])

    @property
    def nameserver(self) -> str:
        """What mailauth's `build_source(nameservers=[...])` and `--nameserver` take."""
        return f"127.0.0.1:{self.port}"

    def _read_json(self) -> dict[str, object]:
        assert self._proc.stdout is not None
        ready, _, _ = select.select([self._proc.stdout], [], [], CONTROL_TIMEOUT)
        line = self._proc.stdout.readline() if ready else ""
        if not line:
            self.close()
            raise BenchError("latency proxy did not answer (exited or hung)")
        data: dict[str, object] = json.loads(line)
        return data

    def reset(self) -> QueryLog:
        """The queries seen since the previous reset; starts a new log."""
        assert self._proc.stdin is not None
        self._proc.stdin.write("reset\n")
        self._proc.stdin.flush()
        data = self._read_json()
        queries = data["queries"]
        assert isinstance(queries, list)
        max_in_flight = data["max_in_flight"]
        assert isinstance(max_in_flight, int)
        times = data.get("times", [])
        assert isinstance(times, list)
        return QueryLog(
            tuple((str(n), str(t), str(tr)) for n, t, tr in queries),
            max_in_flight,
            tuple((float(r), None if a is None else float(a), int(k)) for r, a, k in times),
        )

    def counts(self) -> tuple[int, int, int]:
        """(queries, of them over TCP, most in flight at once) since the previous call, without
        the list of queries (the proxy stops keeping it: for bulk runs)."""
        assert self._proc.stdin is not None
        self._proc.stdin.write("counts\n")
        self._proc.stdin.flush()
        data = self._read_json()
        count, tcp, peak = data["count"], data["tcp"], data["max_in_flight"]
        assert isinstance(count, int) and isinstance(tcp, int) and isinstance(peak, int)
        return count, tcp, peak

    def close(self) -> None:
        if self._proc.poll() is None:
            try:
                assert self._proc.stdin is not None
                self._proc.stdin.write("quit\n")
                self._proc.stdin.close()
                self._proc.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                self._proc.kill()
                self._proc.wait(timeout=5)


@contextmanager
def loopback_dns(
    rtt_ms: float = 50.0, zone_files: Sequence[Path] | None = None
) -> Iterator[tuple[KnotServer, LatencyProxy]]:
    """knotd serving samples/zones (or `zone_files`) on a free loopback port, and the
    latency proxy before it."""
    knotd = require_knotd()
    files = list(zone_files) if zone_files is not None else collect_zone_files([SAMPLE_ZONES])
    knot = start_knot(files, knotd, startup_timeout=120.0)
    try:
        proxy = LatencyProxy(knot.address, rtt_ms)
        try:
            yield knot, proxy
        finally:
            proxy.close()
    finally:
        knot.stop()


def install_network_guard() -> None:
    """Refuse (and record) any socket use beyond loopback and dnspython's default resolver."""
    netguard.install()


def assert_no_network_violation(what: str) -> None:
    if netguard.violations:
        first = netguard.violations[0].splitlines()[0]
        raise BenchError(f"{what} tried to leave loopback: {first}")


def median_ms(seconds: Sequence[float]) -> float:
    return statistics.median(seconds) * 1000.0


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain, aligned text table (numbers right-aligned), fit for a terminal or README."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    numeric = [
        all(_is_number(r[i]) for r in cells[1:]) if len(cells) > 1 else False
        for i in range(len(headers))
    ]
    lines = []
    for n, row in enumerate(cells):
        parts = [
            c.rjust(w) if numeric[i] else c.ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(parts).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _is_number(text: str) -> bool:
    try:
        float(text.rstrip("x%"))
        return True
    except ValueError:
        return text in ("-", "n/a")

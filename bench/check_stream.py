"""How `mailauth check` behaves as the number of domains grows: time to the first report,
throughput, and the memory the run holds beyond its DNS data.

Each size N gets a zone file of N domains (SPF, DMARC, null MX: a realistic number of queries
per domain, answered offline by the zone backend, so nothing but mailauth is measured). The
pipeline runs in-process, writing JSON to a sink that discards it, under `tracemalloc`:

- first report: seconds from the start of the run to the first report written;
- domains/s: over the whole run;
- held: peak traced memory during the run minus what the loaded zone and the code already
  held before it. Streaming keeps this flat (per-domain work is released as each report is
  written); only the bounded DNS cache grows, until it reaches its size limit (`--cache`).

    python bench/check_stream.py                 # N = 250, 1000, 4000
    python bench/check_stream.py --sizes 500 2000 --reps 3

Numbers are medians over `--reps` runs per size. No network: the zone backend answers.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import statistics
import sys
import tempfile
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO / "src") not in sys.path:
    sys.path.insert(0, str(REPO / "src"))

from mailauth.dns.cache import DEFAULT_MAX_ENTRIES, CachingSource  # noqa: E402
from mailauth.dns.zonefile import ZoneSource  # noqa: E402
from mailauth.domain.runner import iter_domain_reports  # noqa: E402
from mailauth.render.environment import Environment  # noqa: E402
from mailauth.render.json import domain_json_writer  # noqa: E402
from mailauth.render.output import Destination, Outputs  # noqa: E402


def write_zone(path: Path, n: int) -> list[str]:
    lines = ["$ORIGIN test.", "$TTL 300", "@ SOA ns.test. admin.test. 1 3600 600 86400 300"]
    lines.append("@ NS ns")
    for i in range(n):
        lines.append(f'd{i} TXT "v=spf1 ip4:192.0.2.{i % 250}/32 -all"')
        lines.append(f"d{i} MX 0 .")
        lines.append(f'_dmarc.d{i} TXT "v=DMARC1; p=reject; rua=mailto:dmarc@d{i}.test"')
    path.write_text("\n".join(lines) + "\n", encoding="ascii")
    return [f"d{i}.test" for i in range(n)]


class _Null(io.TextIOBase):
    def write(self, text: str) -> int:
        return len(text)


@dataclass(frozen=True)
class Sample:
    first: float
    rate: float
    held_mib: float
    cached: int


def run_once(zone: Path, domains: list[str], cache: int) -> Sample:
    source = CachingSource(ZoneSource.from_paths([zone]), max_entries=cache)
    env = Environment(_Null(), _Null())  # type: ignore[arg-type]
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    tracemalloc.reset_peak()
    started = time.perf_counter()
    first: list[float] = []

    async def stream() -> None:
        with Outputs(env, [(domain_json_writer, Destination())], len(domains)) as out:
            async for report in iter_domain_reports(source, domains):
                out.emit(report)
                if not first:
                    first.append(time.perf_counter() - started)

    asyncio.run(stream())
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return Sample(first[0], len(domains) / elapsed, (peak - base) / 2**20, source.size)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[250, 1000, 4000])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument(
        "--cache", type=int, default=DEFAULT_MAX_ENTRIES, help="DNS cache entries (LRU bound)"
    )
    args = parser.parse_args(argv)
    print(f"{'domains':>8} {'first report':>13} {'domains/s':>10} {'held MiB':>9} {'cached':>7}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            zone = Path(tmp) / f"bulk{n}.zone"
            domains = write_zone(zone, n)
            samples = [run_once(zone, domains, args.cache) for _ in range(max(1, args.reps))]
            first = statistics.median(s.first for s in samples)
            rate = statistics.median(s.rate for s in samples)
            held = statistics.median(s.held_mib for s in samples)
            cached = samples[-1].cached
            print(f"{n:>8} {first:>12.3f}s {rate:>10.0f} {held:>9.1f} {cached:>7}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

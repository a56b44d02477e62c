"""checkdmarc 6.0.4 as one command: what `checkdmarc DOMAIN` does, pointed at a loopback port.

    python bench/checkdmarc_cmd.py DOMAIN --port PORT [--set as-shipped|sdm]

checkdmarc's own CLI cannot be used here: its `-n` takes nameserver addresses and always
asks port 53, and its MTA-STS/BIMI downloads and STARTTLS probe resolve through the system.
So this script is its library in a fresh interpreter (start-up included, as a user pays it):
the network-free parts `check_domains` runs (see check_vs_checkdmarc.py), with
`nameservers=[Do53Nameserver("127.0.0.1", PORT)]`, printed as JSON like its CLI does. The test
suite's network guard is installed first (it imports dnspython's resolver, which checkdmarc
imports anyway), so nothing leaves loopback.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.support import netguard  # noqa: E402

SETS = {
    "as-shipped": ("dnssec", "soa", "ns", "mta_sts", "mx", "spf", "dmarc", "tls_rpt", "bimi"),
    "sdm": ("mx", "spf", "dmarc"),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("domain")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--set", choices=sorted(SETS), default="as-shipped")
    args = parser.parse_args()
    netguard.install()

    import checkdmarc
    from checkdmarc.bimi import query_bimi_record
    from checkdmarc.dnssec import check_dnssec
    from checkdmarc.mta_sts import parse_mta_sts_record, query_mta_sts_record
    from dns.nameserver import Do53Nameserver

    kw: dict[str, Any] = {"nameservers": [Do53Nameserver("127.0.0.1", args.port)], "timeout": 5.0}

    def mta_sts(domain: str) -> Any:
        return parse_mta_sts_record(query_mta_sts_record(domain, **kw)["record"])

    parts = {
        "dnssec": lambda d: check_dnssec(d, **kw),
        "soa": lambda d: checkdmarc.check_soa(d, **kw),
        "ns": lambda d: checkdmarc.check_ns(d, **kw),
        "mta_sts": mta_sts,
        "mx": lambda d: checkdmarc.check_mx(d, check_mx_tls=False, **kw),
        "spf": lambda d: checkdmarc.check_spf(d, **kw),
        "dmarc": lambda d: checkdmarc.check_dmarc(d, **kw),
        "tls_rpt": lambda d: checkdmarc.check_smtp_tls_reporting(d, **kw),
        "bimi": lambda d: query_bimi_record(d, **kw),
    }
    results: dict[str, Any] = {"domain": args.domain}
    for name in SETS[args.set]:
        try:
            results[name] = parts[name](args.domain)
        except Exception as exc:  # its query_* functions raise for a missing record
            results[name] = {"error": f"{type(exc).__name__}: {exc}"}
    print(json.dumps(results, default=str, indent=2))
    if netguard.violations:
        print(netguard.violations[0], file=sys.stderr)
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())

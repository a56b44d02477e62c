"""A live run of the common kind imports no dnspython (issue 10, start-up): the live client
reads replies (dns/wire.py, dns/present.py), spells types and rcodes (dns/codes.py) and
reads /etc/resolv.conf (dns/resolvconf.py) itself; dnspython (~100 ms of imports with
`dns.resolver`) is left to what is rare: DNSSEC validation, odd record types and names.
Each run is a fresh interpreter (`tests/support/fresh_python.py`) against knotd."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tests.support.fresh_python import CLI, SRC, imported, run

from mailauth.dns.resolvconf import RESOLV_CONF, read_resolv_conf

REPO = SRC.parent
GOOD = str(REPO / "samples/messages/good.eml")
# What the DNSSEC check may load: validation is dnspython's (dns.dnssec, on its rdata and
# RRsets). Never the stub resolver's query stack, nor its message parser (signed replies
# are walked by dns/wire.py too).
NEVER = {"dns.resolver", "dns.asyncresolver", "dns.query", "dns.asyncquery", "dns.nameserver"}
NEVER |= {"dns.message", "dns.renderer", "dns.edns", "dns.tsig"}


def dns_modules(args: list[str]) -> set[str]:
    done = run(CLI.format(args=args), importtime=True, exit_codes=(0, 1, 2))
    modules = imported(done)
    assert "mailauth.dns.live" in modules  # the run asked the server
    return {m for m in modules if m.split(".")[0] == "dns"}


def pyspf_needs() -> set[str]:
    """The dnspython modules importing pyspf loads (message/pyspf.py: `spf` reads
    `dns.exception` and `dns.rdatatype` when it is imported, for a lookup it never makes)."""
    modules = imported(run("import mailauth.message.pyspf", importtime=True))
    return {m for m in modules if m.split(".")[0] == "dns"}


def test_verify_imports_no_dnspython_beyond_pyspf_s_own_import(knot_server: Any) -> None:
    loaded = dns_modules(["verify", GOOD, "--nameserver", knot_server.nameserver])
    assert not loaded - pyspf_needs(), sorted(loaded - pyspf_needs())
    assert not loaded & {"dns.name", "dns.rdata", "dns.rrset", "dns.message", *NEVER}


def test_check_without_dnssec_imports_no_dnspython(knot_server: Any) -> None:
    checks = "spf,dmarc,dkim,bimi,mx,mta_sts,tls_rpt,ns"
    args = ["check", "example.jp", "--no-fetch", "--checks", checks]
    loaded = dns_modules([*args, "--nameserver", knot_server.nameserver])
    assert not loaded, sorted(loaded)


def test_a_full_check_loads_dnspython_for_dnssec_only(knot_server: Any) -> None:
    loaded = dns_modules(
        ["check", "example.jp", "--no-fetch", "--nameserver", knot_server.nameserver]
    )
    assert not loaded & NEVER, sorted(loaded & NEVER)


READ_NAMESERVERS = (
    "import sys, json\n"
    "import mailauth.dns.resolvconf as rc\n"
    "{setup}"
    "from mailauth.dns.factory import build_source\n"
    "source = build_source()\n"
    "print(json.dumps([source.inner.nameservers,"
    " sorted(m for m in sys.modules if m.split('.')[0] == 'dns')]))\n"
)


def test_without_nameserver_the_system_resolvers_are_read_without_dnspython(
    tmp_path: Path,
) -> None:
    conf = tmp_path / "resolv.conf"
    conf.write_text("search example.jp\nnameserver 192.0.2.53\nnameserver 2001:db8::53\n")
    code = READ_NAMESERVERS.format(setup=f"rc.RESOLV_CONF = {str(conf)!r}\n")
    servers, loaded = json.loads(run(code).stdout)
    assert servers == [["192.0.2.53", 53], ["2001:db8::53", 53]]
    assert loaded == []


def test_this_machine_s_resolv_conf_is_read_without_dnspython() -> None:
    found = read_resolv_conf(RESOLV_CONF)
    if not found:
        pytest.skip(f"{RESOLV_CONF} names no nameserver this reader takes")
    servers, loaded = json.loads(run(READ_NAMESERVERS.format(setup="")).stdout)
    assert [tuple(s) for s in servers] == found
    assert "dns.resolver" not in loaded and loaded == []


def test_without_a_usable_resolv_conf_dnspython_s_reader_answers(tmp_path: Path) -> None:
    conf = tmp_path / "resolv.conf"
    conf.write_text("options ndots:1\n")
    code = READ_NAMESERVERS.format(setup=f"rc.RESOLV_CONF = {str(conf)!r}\n")
    servers, loaded = json.loads(run(code).stdout)
    assert servers == [] and "dns.resolver" in loaded

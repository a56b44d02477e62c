"""Hostile DNS through `mailauth check` (in-process CLI, JSON output) against the
fault-injecting loopback server (`fault_dns`, tests/support/faultdns.py).

Each scenario states the outcome a mail admin must see: the finding that names the problem
(permerror material such as loops and limits, temperror material such as lookup failures),
the exit code (0: the run completed and judged; 3: lookups failed, no verdict), and that the
run stays inside its time budget (`--timeout` per query, `--deadline` for the whole run).
Time bounds are generous (CI machines are shared) but far below "hangs".
"""

from __future__ import annotations

import json
import socket
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from tests.support.faultdns import Fault, FaultDnsServer

from .clirun import CliRun

DOMAIN = "a.test"
SLACK = 3.0  # seconds of scheduling slack on top of any budget
# Per query: what an injected fault (a drop, a reply that does not match) costs, and the time
# every other query has to be answered by the server, a thread of this process that a loaded
# machine can hold up for a good part of a second (0.5 s left answered queries no room).
QUERY_TIMEOUT = 3.0


def zone(spf: Any, **more: dict[str, list[Any]]) -> dict[str, dict[str, list[Any]]]:
    """A domain that is otherwise fine (MX with an address, DMARC p=reject with rua), so the
    only problem in the report is the one a scenario injects."""
    records: dict[str, dict[str, list[Any]]] = {
        DOMAIN: {"MX": ["10 mx.a.test"], "TXT": spf if isinstance(spf, list) else [spf]},
        "mx.a.test": {"A": ["192.0.2.1"]},
        "_dmarc.a.test": {"TXT": ["v=DMARC1; p=reject; rua=mailto:dmarc@a.test"]},
    }
    records.update(more)
    return records


@pytest.fixture
def check(fault_dns: FaultDnsServer, cli: Callable[..., CliRun]) -> Callable[..., Any]:
    def run(*extra: str, nameserver: str | None = None) -> tuple[CliRun, dict[str, Any]]:
        result = cli(
            "check",
            DOMAIN,
            "--format",
            "json",
            "--timeout",
            str(QUERY_TIMEOUT),
            "--retries",
            "0",
            "--nameserver",
            nameserver or fault_dns.nameserver,
            *extra,
        )
        assert result.exception is None, f"exception escaped: {result.exception!r}"
        return result, json.loads(result.stdout)

    return run


def ids(report: dict[str, Any]) -> set[str]:
    return {f["id"] for f in report["findings"]}


def finding(report: dict[str, Any], fid: str) -> dict[str, Any]:
    return next(f for f in report["findings"] if f["id"] == fid)


# --- loops and limits: permerror material, the run itself completes ---------------------------


def test_include_loop(fault_dns: FaultDnsServer, check: Callable[..., Any]) -> None:
    fault_dns.set_records(
        zone("v=spf1 include:b.test -all", **{"b.test": {"TXT": ["v=spf1 include:a.test -all"]}})
    )
    run, report = check()
    assert "spf.include-loop" in ids(report)
    assert report["spf"]["status"] == "fail"
    assert run.exit_code == 0 and report["complete"] is True
    assert run.seconds < 5 + SLACK


def test_self_redirect(fault_dns: FaultDnsServer, check: Callable[..., Any]) -> None:
    fault_dns.set_records(zone("v=spf1 redirect=a.test"))
    run, report = check()
    assert "spf.include-loop" in ids(report)
    assert run.exit_code == 0
    assert run.seconds < 5 + SLACK


def test_one_hundred_nested_includes(fault_dns: FaultDnsServer, check: Callable[..., Any]) -> None:
    chain = {f"n{i}.test": {"TXT": [f"v=spf1 include:n{i + 1}.test -all"]} for i in range(100)}
    chain["n100.test"] = {"TXT": ["v=spf1 -all"]}
    fault_dns.set_records(zone("v=spf1 include:n0.test -all", **chain))
    run, report = check()
    found = ids(report)
    assert "spf.too-many-lookups" in found
    assert "spf.tree-truncated" in found  # we stop expanding, and say so
    assert report["spf"]["dns_lookups"] > 10
    assert len(fault_dns.log) < 300, "the walker must cap its work, not follow all 100 levels"
    assert run.exit_code == 0
    assert run.seconds < 10 + SLACK


def test_sixty_four_kilobytes_of_txt(fault_dns: FaultDnsServer, check: Callable[..., Any]) -> None:
    """~64 KB of TXT strings at the SPF name: truncated over UDP, fetched over TCP, judged."""
    fault_dns.set_records(zone("placeholder"))
    fault_dns.add_huge_txt(DOMAIN, records=50, total_bytes=64_000, prefix="v=spf1 ")
    run, report = check()
    assert (DOMAIN, "TXT", "tcp") in fault_dns.log  # the TCP fallback was used
    found = ids(report)
    assert {"spf.record-too-long", "spf.syntax-error"} <= found
    assert run.exit_code == 0
    assert run.seconds < 5 + SLACK


def test_fifty_txt_records_at_one_name(
    fault_dns: FaultDnsServer, check: Callable[..., Any]
) -> None:
    fault_dns.set_records(zone([f"v=spf1 ip4:192.0.2.{i} -all" for i in range(50)]))
    run, report = check()
    assert "spf.multiple-records" in ids(report)  # RFC 7208 §4.5: permerror
    assert report["spf"]["records_found"] == 50
    assert run.exit_code == 0


def test_txt_that_is_not_utf8(fault_dns: FaultDnsServer, check: Callable[..., Any]) -> None:
    fault_dns.set_records(zone(b"v=spf1 ip4:192.0.2.1 \xff\xfe -all"))
    run, report = check()
    assert "spf.syntax-error" in ids(report)
    assert "\ufffd" in finding(report, "spf.syntax-error")["detail"]  # shown, not crashed on
    assert run.exit_code == 0


# --- CNAMEs ------------------------------------------------------------------------------------


def test_cname_chain_is_followed(fault_dns: FaultDnsServer, check: Callable[..., Any]) -> None:
    chain: dict[str, dict[str, list[Any]]] = {"_dmarc.a.test": {"CNAME": ["c1.test"]}}
    chain.update({f"c{i}.test": {"CNAME": [f"c{i + 1}.test"]} for i in range(1, 8)})
    chain["c8.test"] = {"TXT": ["v=DMARC1; p=quarantine; rua=mailto:d@a.test"]}
    fault_dns.set_records(zone("v=spf1 -all", **chain))
    run, report = check()
    assert report["dmarc"]["policy"] == "quarantine"
    assert run.exit_code == 0


def test_cname_loop(fault_dns: FaultDnsServer, check: Callable[..., Any]) -> None:
    fault_dns.set_records(
        zone(
            "v=spf1 -all",
            **{"_dmarc.a.test": {"CNAME": ["x.test"]}, "x.test": {"CNAME": ["_dmarc.a.test"]}},
        )
    )
    run, report = check()
    assert "dmarc.lookup-failed" in ids(report)  # a loop is unresolvable: no verdict
    assert report["dmarc"]["status"] == "error"
    assert run.exit_code == 3
    assert run.seconds < 5 + SLACK


# --- lookup failures: temperror material, exit 3 when the main record is unreadable ------------


def test_servfail_on_one_include(fault_dns: FaultDnsServer, check: Callable[..., Any]) -> None:
    fault_dns.set_records(
        zone(
            "v=spf1 include:ok.test include:bad.test -all",
            **{"ok.test": {"TXT": ["v=spf1 -all"]}, "bad.test": {"TXT": ["v=spf1 -all"]}},
        )
    )
    fault_dns.fault("bad.test", Fault.SERVFAIL)
    run, report = check()
    failed = finding(report, "spf.include-lookup-failed")
    assert "SERVFAIL" in failed["detail"] and "bad.test" in failed["detail"]
    include = next(i for i in report["spf"]["includes"] if i["target"] == "bad.test")
    assert include["state"] == "lookup-failed" and include["rcode"] == "SERVFAIL"
    # The SPF record itself was read, so the run has a verdict (exit 0); the broken include is
    # a finding about the domain (receivers get temperror for clients that reach it).
    assert run.exit_code == 0 and report["spf"]["status"] in ("warn", "fail")
    assert run.seconds < 5 + SLACK


@pytest.fixture
def silent_nameserver() -> Iterator[str]:
    """A UDP socket that is never read, and no TCP listener: a server that never answers."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    yield f"127.0.0.1:{sock.getsockname()[1]}"
    sock.close()


def test_nameserver_that_never_answers(check: Callable[..., Any], silent_nameserver: str) -> None:
    # nothing answers, so nothing can be late: short query timeouts, under the deadline
    run, report = check("--timeout", "0.5", "--deadline", "3", nameserver=silent_nameserver)
    for name in ("spf", "dmarc", "mx", "mta_sts", "tls_rpt"):
        assert report[name]["status"] == "error", name
        assert f"{name}.lookup-failed" in ids(report)
    assert "TIMEOUT" in finding(report, "spf.lookup-failed")["detail"]
    assert run.exit_code == 3
    assert report["complete"] is False
    assert run.seconds < 3 + SLACK


def test_deadline_caps_a_slow_run(check: Callable[..., Any], silent_nameserver: str) -> None:
    """Per-query budget far above the deadline: the deadline must end the run."""
    result, report = check(
        "--timeout", "30", "--retries", "3", "--deadline", "1.5", nameserver=silent_nameserver
    )
    assert result.exit_code == 3
    assert "spf.lookup-failed" in ids(report)
    assert result.seconds < 1.5 + SLACK


def test_truncated_udp_and_refused_tcp(
    fault_dns: FaultDnsServer, check: Callable[..., Any]
) -> None:
    fault_dns.set_records(zone("v=spf1 -all"))
    fault_dns.fault(DOMAIN, Fault.TRUNCATE_NO_TCP, rdtype="TXT")
    run, report = check()
    assert (DOMAIN, "TXT", "tcp") in fault_dns.log  # it did try TCP after TC=1
    assert "spf.lookup-failed" in ids(report)
    assert report["spf"]["status"] == "error"
    assert run.exit_code == 3
    assert run.seconds < 5 + SLACK


def test_wrong_question_id(fault_dns: FaultDnsServer, check: Callable[..., Any]) -> None:
    """A reply with another message id is not an answer (RFC 5452 §4.3): ignored, so the
    query times out instead of being believed."""
    fault_dns.set_records(zone("v=spf1 -all"))
    fault_dns.fault(DOMAIN, Fault.WRONG_ID, rdtype="TXT")
    run, report = check()
    assert "TIMEOUT" in finding(report, "spf.lookup-failed")["detail"]
    assert run.exit_code == 3
    assert run.seconds < QUERY_TIMEOUT + SLACK


def test_answer_to_another_question(fault_dns: FaultDnsServer, check: Callable[..., Any]) -> None:
    fault_dns.set_records(zone("v=spf1 -all"))
    fault_dns.fault(DOMAIN, Fault.WRONG_QUESTION, rdtype="TXT")
    run, report = check()
    assert "spf.lookup-failed" in ids(report)
    assert report["spf"]["record"] is None  # nothing from the wrong answer was believed
    assert run.exit_code == 3


def test_mx_host_whose_a_lookup_timed_out(
    fault_dns: FaultDnsServer, check: Callable[..., Any]
) -> None:
    """Issue 9, item 14: A timed out and AAAA has no data. A timeout is never "no record":
    the host may well have an IPv4 address."""
    fault_dns.set_records(zone("v=spf1 -all"))
    fault_dns.fault("mx.a.test", Fault.DROP, rdtype="A")
    run, report = check()
    found = ids(report)
    assert "mx.host-lookup-failed" in found
    assert "TIMEOUT" in finding(report, "mx.host-lookup-failed")["detail"]
    assert not {"mx.target-no-address", "mx.no-usable-host"} & found
    assert run.seconds < QUERY_TIMEOUT + 3 + SLACK

"""Issue 9, resource exhaustion 4 and 7, and item 16: work that one message or one DNS answer
could make unbounded is capped, and the cap is a finding, not minutes of pure-Python RSA.

Caps under test: RSA keys over 4,096 bits (RFC 8301 §3.2) and exponents over 64 bits are not
verified (message/dkim.py, message/arc.py, records/dkim_key.py); h= lists of more than 100
names are not verified; at most 50 signatures per message (existing); at most 10 MX hosts are
examined (domain/mx.py). Each test has a time bound far below what the uncapped work took.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import dkim
import pytest
from cryptography.hazmat.primitives import serialization
from tests.support.faultdns import FaultDnsServer

from .clirun import CliRun
from .hostile_data import (
    DOMAIN,
    IP,
    REPO,
    SAMPLE_ZONES,
    message,
    rsa_key_record,
    signature,
    txt,
    write_zone,
)

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def zones(tmp_path: Path) -> Path:
    path = tmp_path / "zones"
    path.mkdir()
    return path


@pytest.fixture
def verify(tmp_path: Path, zones: Path, cli: Callable[..., CliRun]) -> Callable[..., Any]:
    """Verify one message (bytes) offline; return the run and its JSON report."""

    def run(raw: bytes) -> tuple[CliRun, dict[str, Any]]:
        path = tmp_path / "message.eml"
        path.write_bytes(raw)
        result = cli("verify", path, "--format", "json", "--zone", SAMPLE_ZONES, "--zone", zones)
        assert result.exception is None, f"exception escaped: {result.exception!r}"
        assert "internal error" not in result.stderr
        return result, json.loads(result.stdout)

    return run


def ids(report: dict[str, Any]) -> set[str]:
    return {f["id"] for f in report["findings"]}


def finding(report: dict[str, Any], fid: str) -> dict[str, Any]:
    return next(f for f in report["findings"] if f["id"] == fid)


def key_zone(zones: Path, **keys: str) -> None:
    """hostile.test with SPF for IP, DMARC p=none and the given selector -> key record."""
    lines = [f'@ IN TXT "v=spf1 ip4:{IP} -all"', '_dmarc IN TXT "v=DMARC1; p=none"']
    lines += [f"{sel}._domainkey IN TXT {txt(record)}" for sel, record in keys.items()]
    write_zone(zones, "\n".join(lines))


# --- 4. RSA key size and exponent ---------------------------------------------------------


def test_rsa_key_over_4096_bits_is_not_verified(zones: Path, verify: Callable[..., Any]) -> None:
    """Three signatures with a 16,384-bit key and a 16,383-bit exponent: ~9 s of pow() each
    before the cap; now none is computed."""
    key_zone(zones, big=rsa_key_record(16384, exponent_bits=16383))
    sigs = [signature("big", more=f" t={1_700_000_000 + i};") for i in range(3)]
    run, report = verify(message(*sigs))
    assert run.exit_code == 0, run.stderr
    assert {s["result"] for s in report["dkim"]} == {"permerror"}
    assert {s["reason_code"] for s in report["dkim"]} == {"key-too-long"}
    assert report["dkim"][0]["key_bits"] == 16384
    f = finding(report, "msg_dkim.key-too-long")
    assert f["severity"] == "high" and "16384" in f["detail"]
    assert run.seconds < 10


def test_32768_bit_key(zones: Path, verify: Callable[..., Any]) -> None:
    """The issue's 183-second signature."""
    key_zone(zones, huge=rsa_key_record(32768))
    run, report = verify(message(signature("huge")))
    assert report["dkim"][0]["reason_code"] == "key-too-long"
    assert "msg_dkim.key-too-long" in ids(report)
    assert run.seconds < 10


def test_rsa_exponent_over_64_bits_is_not_verified(zones: Path, verify: Callable[..., Any]) -> None:
    key_zone(zones, fat=rsa_key_record(4096, exponent_bits=4095))
    sigs = [signature("fat", more=f" t={1_700_000_000 + i};") for i in range(20)]
    run, report = verify(message(*sigs))
    assert {s["result"] for s in report["dkim"]} == {"permerror"}
    assert {s["reason_code"] for s in report["dkim"]} == {"key-invalid"}
    assert "msg_dkim.key-invalid" in ids(report)
    assert run.seconds < 10


def test_fifty_signatures_with_oversized_keys(zones: Path, verify: Callable[..., Any]) -> None:
    """The issue's 888-second message: 50 distinct signatures, each a 16,384-bit key with a
    16,384-bit exponent. Signatures beyond 50 are not verified (msg_dkim.too-many-signatures)."""
    key_zone(zones, big=rsa_key_record(16384, exponent_bits=16383))
    sigs = [signature("big", more=f" t={1_700_000_000 + i};") for i in range(60)]
    run, report = verify(message(*sigs))
    assert len(report["dkim"]) == 50
    assert {s["reason_code"] for s in report["dkim"]} == {"key-too-long"}
    assert {"msg_dkim.key-too-long", "msg_dkim.too-many-signatures"} <= ids(report)
    assert run.seconds < 20


def test_key_within_limits_is_still_verified(zones: Path, verify: Callable[..., Any]) -> None:
    """The cap refuses nothing a real signer publishes: a 4,096-bit key with e=65537 gets
    as far as the RSA step (and fails it: the b= is not a real signature)."""
    key_zone(zones, ok=rsa_key_record(4096))
    _, report = verify(message(signature("ok")))
    assert report["dkim"][0]["result"] == "fail"
    assert report["dkim"][0]["reason_code"] == "signature-mismatch"


# --- 4. h= length -------------------------------------------------------------------------


@pytest.mark.parametrize("names", ["named", "empty"])
def test_fifty_signatures_naming_15000_headers(
    names: str, zones: Path, verify: Callable[..., Any]
) -> None:
    """50 signatures whose h= names 15,000 absent header fields (or 15,000 empty names,
    which dkimpy also looks up): 326 s before the cap."""
    key_zone(zones, s1=rsa_key_record(2048))
    listed = [f"x{i}" for i in range(15_000)] if names == "named" else [""] * 15_000
    h = ":".join(["from", *listed])
    sigs = [signature("s1", h=h, more=f" t={1_700_000_000 + i};") for i in range(50)]
    run, report = verify(message(*sigs))
    assert run.exit_code == 0, run.stderr
    assert {s["result"] for s in report["dkim"]} == {"neutral"}
    assert {s["reason_code"] for s in report["dkim"]} == {"too-many-signed-headers"}
    f = finding(report, "msg_dkim.too-many-signed-headers")
    assert "15001" in f["title"] and "100" in f["detail"]
    assert run.seconds < 30


def test_h_at_the_limit_is_verified(zones: Path, verify: Callable[..., Any]) -> None:
    key_zone(zones, s1=rsa_key_record(2048))
    h = ":".join(["from", *(f"x{i}" for i in range(99))])  # 100 names
    _, report = verify(message(signature("s1", h=h)))
    assert report["dkim"][0]["reason_code"] == "signature-mismatch"


# --- 4. the same caps for ARC ---------------------------------------------------------------


def arc_set(selector: str, h: str = "from:to:subject") -> bytes:
    """One ARC set (i=1) by hostile.test whose signatures are not real: enough for a
    verifier to get as far as the keys."""
    return (
        f"ARC-Seal: i=1; a=rsa-sha256; cv=none; d={DOMAIN}; s={selector}; t=1700000000;\r\n"
        "\tb=dGVzdHRlc3R0ZXN0dGVzdA==\r\n"
        f"ARC-Message-Signature: i=1; a=rsa-sha256; c=relaxed/relaxed; d={DOMAIN};\r\n"
        f"\ts={selector}; t=1700000000; h={h};\r\n"
        "\tbh=yZQq1c8wjBl0fZ4Wc/oraMCAG1mZJv5v/hlvyFy+t6A=; b=dGVzdHRlc3R0ZXN0dGVzdA==\r\n"
        f"ARC-Authentication-Results: i=1; mx.{DOMAIN}; spf=pass smtp.mailfrom={DOMAIN}\r\n"
    ).encode()


def test_arc_key_over_4096_bits_is_not_verified(zones: Path, verify: Callable[..., Any]) -> None:
    key_zone(zones, big=rsa_key_record(32768))
    run, report = verify(message(arc_set("big")))
    assert report["arc"]["result"] == "fail"
    assert report["arc"]["reason_code"] == "key-refused"
    assert f"big._domainkey.{DOMAIN}" in report["arc"]["reason"]
    assert "msg_arc.fail" in ids(report)
    assert run.seconds < 10


def test_arc_message_signature_naming_15000_headers(
    zones: Path, verify: Callable[..., Any]
) -> None:
    key_zone(zones, s1=rsa_key_record(2048))
    h = ":".join(["from", *(f"x{i}" for i in range(15_000))])
    run, report = verify(message(arc_set("s1", h=h)))
    assert report["arc"]["result"] == "fail"
    assert report["arc"]["reason_code"] == "too-many-signed-headers"
    assert run.seconds < 10


# --- 16. l=0: a signature over no body at all ------------------------------------------------


def _sample_key() -> bytes:
    pem = (REPO / "samples" / "keys" / "example.jp.s1.rsa2048.pem").read_bytes()
    key = serialization.load_pem_private_key(pem, password=None)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )


def test_signature_with_l_0_is_high(zones: Path, verify: Callable[..., Any]) -> None:
    """Signed by example.jp (samples/zones) with l=0, then given a body: DKIM passes, so
    anyone holding one such message can replace the whole body."""
    key_zone(zones)
    head = message(body=b"", domain="example.jp")
    signed = dkim.sign(
        head, b"s1", b"example.jp", _sample_key(), include_headers=[b"from", b"from", b"to"],
        canonicalize=(b"relaxed", b"relaxed"),
        length=True,
    )  # fmt: skip
    assert b"l=0" in signed
    run, report = verify(signed + head + b"Wire 10,000 EUR to the account below.\r\n")
    sig = report["dkim"][0]
    assert sig["result"] == "pass" and sig["body_length"] == 0
    f = finding(report, "msg_dkim.body-not-signed")
    assert f["severity"] == "high"
    assert "replace its whole body" in f["consequence"]
    assert "msg_dkim.length-tag" not in ids(report)
    assert report["score"] <= 85  # no longer an A with one medium finding
    assert run.seconds < 10


# --- 16. the domain check of a 65,536-bit key ------------------------------------------------


def test_domain_check_of_a_65536_bit_key(cli: Callable[..., CliRun]) -> None:
    zone = REPO / "tests" / "data" / "zones" / "dkim" / "key-too-long.dkim.test.zone"
    run = cli("check", "key-too-long.dkim.test", "--zone", zone, "--format", "json")
    report = json.loads(run.stdout)
    assert report["dkim"]["status"] == "fail"
    f = finding(report, "dkim.key-too-long")
    assert f["severity"] == "high" and "65536" in f["detail"]
    assert run.seconds < 20


# --- 7. an MX answer of thousands of hosts --------------------------------------------------------


def test_thousands_of_mx_hosts(fault_dns: FaultDnsServer, cli: Callable[..., CliRun]) -> None:
    """The issue's 3,000 hosts made 6,167 queries at once; 2,500 is what fits in one DNS
    message (64 KB over TCP) with these names."""
    records: dict[str, dict[str, list[Any]]] = {
        "a.test": {
            "MX": [f"{i} mx{i}.a.test" for i in range(2500)],
            "TXT": ["v=spf1 -all"],
        },
        "_dmarc.a.test": {"TXT": ["v=DMARC1; p=reject; rua=mailto:d@a.test"]},
    }
    records.update({f"mx{i}.a.test": {"A": ["192.0.2.1"]} for i in range(10)})
    fault_dns.set_records(records)
    # Every query is answered, but the MX answer (56 KB, built by the in-process server
    # twice: truncated over UDP, then whole over TCP) costs the server's thread about half
    # a second of CPU: a 2 s timeout was not enough on a loaded machine.
    run = cli(
        "check", "a.test", "--format", "json", "--nameserver", fault_dns.nameserver,
        "--timeout", "10", "--retries", "0",
    )  # fmt: skip
    assert run.exception is None, f"exception escaped: {run.exception!r}"
    report = json.loads(run.stdout)
    hosts = report["mx"]["hosts"]
    assert [h["name"] for h in hosts] == [f"mx{i}.a.test" for i in range(10)]  # most preferred
    f = finding(report, "mx.hosts-skipped")
    assert "2490" in f["detail"] and "2500" in f["detail"]
    host_queries = [q for q in fault_dns.log if q[0].startswith("mx")]
    assert len(host_queries) <= 2 * 10, "only the examined hosts are looked up"
    assert run.seconds < 20

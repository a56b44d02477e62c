"""What a `mailauth verify` run imports on the message side (issue 10, start-up): only what
the message needs. Each run is a fresh interpreter under `python -X importtime`, as in
tests/unit/cli/test_cli_startup.py, and its JSON report shows the work was really done
(a signature verified, SPF evaluated or not), so an import left out cannot hide a skipped
check.

- RSA signatures are verified in Python (message/rsapkcs1.py) and DKIM key DER is read by
  records/rsa_der.py: a message without Ed25519 signatures loads no `cryptography`; one with
  an Ed25519 signature loads PyNaCl's libsodium module (`nacl._sodium`) alone, and no
  `cryptography` either.
- The ARC verifier (message/arcverify.py) loads for a message with ARC fields only.
- pyspf (`spf`, with message/spfquery.py) loads only when check_host runs (an IP is known).
- A live run does not load dnspython's message parser (only DNSSEC queries use it).
"""

from __future__ import annotations

import json
from typing import Any

from tests.support.fresh_python import CLI, SRC, imported, run

REPO = SRC.parent
MESSAGES = REPO / "samples" / "messages"


def verify(message: str, *dns: str) -> tuple[set[str], dict[str, Any]]:
    """The modules a `verify --format json` run imported, and its report."""
    args = ["verify", str(MESSAGES / message), "--format", "json", *dns]
    done = run(CLI.format(args=args), importtime=True, exit_codes=(0, 1))
    return imported(done), json.loads(done.stdout)


def zone() -> list[str]:
    return ["--zone", str(REPO / "samples" / "zones")]


def loaded(modules: set[str], names: set[str]) -> list[str]:
    return sorted(m for m in modules if m in names or m.split(".")[0] in names)


def test_rsa_only_message_loads_no_cryptography_and_no_arc_verifier() -> None:
    modules, report = verify("alignment-relaxed.eml", *zone())
    assert [s["result"] for s in report["dkim"]] == ["pass"]  # an RSA signature verified
    assert report["spf"]["result"] != "none"  # check_host ran: pyspf loaded
    assert "spf" in modules and "mailauth.message.dkimverify" in modules
    assert not loaded(modules, {"cryptography", "mailauth.message.arcverify"})


def test_ed25519_loads_pynacls_binding_only() -> None:
    modules, report = verify("good.eml", *zone())
    assert [s["result"] for s in report["dkim"]] == ["pass", "pass"]
    assert [s["algorithm"] for s in report["dkim"]] == ["ed25519-sha256", "rsa-sha256"]
    assert "nacl._sodium" in modules  # libsodium's cffi module, not PyNaCl's bindings
    assert not loaded(modules, {"cryptography"})
    assert "nacl.bindings" not in modules and "nacl.signing" not in modules


def test_arc_sealed_message_loads_the_arc_verifier() -> None:
    modules, report = verify("list-forwarded-arc.eml", *zone())
    assert report["arc"]["result"] == "pass"
    assert "mailauth.message.arcverify" in modules
    assert not loaded(modules, {"cryptography"})  # ARC is RSA only (RFC 8617)


def test_message_without_connection_data_loads_no_pyspf() -> None:
    modules, report = verify("unsigned.eml", *zone())
    assert report["spf"]["result"] == "none"
    assert "mailauth.message.spf" in modules
    assert not loaded(modules, {"spf", "mailauth.message.spfquery", "cryptography"})


def test_a_live_run_does_not_load_dnspythons_message_parser(knot_server: Any) -> None:
    modules, report = verify("alignment-relaxed.eml", "--nameserver", knot_server.nameserver)
    assert [s["result"] for s in report["dkim"]] == ["pass"]
    assert "mailauth.dns.live" in modules
    assert not loaded(modules, {"dns.message", "cryptography"})

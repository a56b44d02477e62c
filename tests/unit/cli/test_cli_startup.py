"""Start-up is a feature: `mailauth --version` and `--help` import no check code, so neither
dkimpy, pyspf nor dnspython. Not timed (bench/startup.py measures); this asserts what is
imported, in a fresh interpreter under `python -X importtime`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests.support.fresh_python import CLI, SRC, imported, run

import mailauth

# dkimpy, pyspf, and dnspython (dns, dns.resolver, ...): by top-level package.
HEAVY = {"dkim", "spf", "dns"}


def imported_modules(code: str) -> set[str]:
    return imported(run(code, importtime=True))


@pytest.mark.parametrize(
    "args",
    [["--version"], ["--help"], ["check", "--help"], ["verify", "--help"], ["spf", "--help"]],
    ids=" ".join,
)
def test_the_cli_starts_without_heavy_modules(args: list[str]) -> None:
    modules = imported_modules(CLI.format(args=args))
    assert "mailauth.cli.main" in modules  # the measurement saw the CLI load
    heavy = sorted(m for m in modules if m.split(".")[0] in HEAVY)
    assert not heavy, f"mailauth {' '.join(args)} imports {heavy}"


# `--version` prints a constant: the CLI's start must not load the output seam, scoring or
# the finding catalogue (issue 10, start-up: mailauth/render/__init__.py is lazy, and
# cli/exit_status.py imports the scoring types for annotations only).
NOT_FOR_VERSION = {
    "mailauth.model",
    "mailauth.scoring",
    "mailauth.findings",
    "mailauth.render.interface",
    "mailauth.render.environment",
    "rich",
}


def test_version_loads_no_reporting_code() -> None:
    modules = imported_modules(CLI.format(args=["--version"]))
    assert "mailauth.cli.main" in modules
    loaded = sorted(m for m in modules if m in NOT_FOR_VERSION or m.split(".")[0] == "rich")
    assert not loaded, f"mailauth --version imports {loaded}"


def test_import_mailauth_imports_no_check_code() -> None:
    modules = imported_modules("import mailauth")
    assert not sorted(m for m in modules if m.split(".")[0] in HEAVY)
    assert "mailauth.domain.runner" not in modules and "mailauth.message" not in modules


def test_every_public_name_is_still_importable() -> None:
    for name in mailauth.__all__:
        assert getattr(mailauth, name) is not None, name
    namespace: dict[str, object] = {}
    exec("from mailauth import *", namespace)
    assert set(mailauth.__all__) <= set(namespace)
    assert set(mailauth.__all__) <= set(dir(mailauth))
    with pytest.raises(AttributeError):
        _ = mailauth.no_such_name


REPO = SRC.parent
# What a `--zone` run must not import before its first answer (issue 10, start-up): the live
# DNS client (click calls --nameserver's callback with no value too), the DNSSEC validator's
# crypto when no zone is signed, the SMTP certificate judge without --smtp, the BIMI
# certificate and SVG readers when nothing is fetched, and what only
# other commands or options use (report's SQLite store, JSON schema checks, https fetching).
NOT_FOR_ZONE_RUNS = {
    "mailauth.dns.live",
    "dns.dnssec",
    "mailauth.domain.smtp_cert",
    # nor the rest of the SMTP probe (domain/smtp_hosts.py), nor the TLSA parser when no MX
    # host has TLSA records (domain/dane.py)
    "mailauth.domain.smtp_hosts",
    "mailauth.domain.smtp_probe",
    "mailauth.domain.smtp_reasons",
    "mailauth.records.tlsa",
    "mailauth.records.vmc",  # BIMI certificate and logo readers: nothing is fetched offline
    "mailauth.records.bimi_svg",
    "mailauth.records.mark_roots",
    "defusedxml",
    "cryptography.x509",
    "sqlite3",
    "jsonschema",
    "httpx",
    # dkimpy (and what its import drags in: PyNaCl's bindings, authres, dnspython's stub
    # resolver) is the tests' oracle and signer, never imported by verify
    # (message/dkimsyntax.py); nor is the stub resolver by our own DNS client, the zone
    # reader or pyspf, which would import it for lookups it never makes here
    # (message/pyspf.py; issue 10, start-up). An Ed25519 signature (good.eml has one) is
    # checked by libsodium through PyNaCl's cffi module `nacl._sodium` alone
    # (message/dkimverify.py), not its bindings package.
    "dkim",
    "nacl.bindings",
    "nacl.signing",
    "nacl.encoding",
    "nacl.public",
    "authres",
    "dns.resolver",
    "dns.asyncresolver",
    # cryptography's key-file package (SSH keys, ciphers): DER keys are read through the
    # binding it re-exports (records/dkim_key.py)
    "cryptography.hazmat.primitives.serialization",
    # The text report on a pipe (these runs capture stdout) is laid out by the plain canvas
    # (render/plain_canvas.py), which needs rich's cell widths only, not its console.
    "rich.console",
    "rich.text",
    "rich.table",
    "rich.segment",
    "rich.style",
    # No configuration file here: the repository's pyproject.toml mentions tool.mailauth
    # in a comment only, which is not parsed (config.py).
    "tomllib",
    "mailauth.config_syntax",  # tomllib's error words, for a file that is not TOML
    # What only --baseline, --save-zone, --resume, --shard or `-o FILE` use (cli/ci_run.py,
    # cli/bulk_scan.py).
    "mailauth.baseline",
    "mailauth.dns.recording",
    "mailauth.scan.manifest",
    "mailauth.scan.resume",
    "mailauth.scan.shard",
}
ZONE_RUNS = {
    "verify": ["verify", str(REPO / "samples/messages/good.eml")],
    "check": ["check", "example.jp"],
    # The JSON writer names the SMTP certificate verdict only as a type (cryptography.x509).
    "check-json": ["check", "example.jp", "--format", "json"],
}


@pytest.mark.parametrize("command", sorted(ZONE_RUNS))
def test_a_zone_run_imports_only_what_it_uses(command: str) -> None:
    args = [*ZONE_RUNS[command], "--zone", str(REPO / "samples/zones")]
    modules = imported_modules(CLI.format(args=args))
    assert "mailauth.dns.zonefile" in modules  # the run got as far as its DNS source
    unwanted = NOT_FOR_ZONE_RUNS
    loaded = sorted(m for m in modules if m.split(".")[0] in unwanted or m in unwanted)
    assert not loaded, f"mailauth {command} --zone imports {loaded}"


# The same promise on a live run, as the benchmarks time the commands (bench/commands_startup.py):
# the live DNS client is loaded then, but none of the modules above except it.
# A live run reads no zone file: dnspython's zone reader stays out too (the built-in root
# trust anchors are made without it, dns/trust_anchor.py).
NOT_FOR_LIVE_RUNS = (NOT_FOR_ZONE_RUNS - {"mailauth.dns.live"}) | {"dns.zone", "dns.zonefile"}
LIVE_RUNS = {
    "verify": ["verify", str(REPO / "samples/messages/good.eml")],
    "check": ["check", "example.jp", "--no-fetch"],
    # Fetching on, but nothing to connect to: the MTA-STS policy host has a reserved address
    # (refused). The live fetcher loads httpx at its first connection (fetch/safe.py).
    "check-fetch": ["check", "broken.example"],
}


# A live `verify` has no zone file to locate a record in (cli/command.py, `with_run`).
# A live `check` of an unsigned domain loads no dnspython at all: the DNSSEC check walks its
# chain by name and reads the unsigned SOA with dns/present.py (dns/dnssec_names.py,
# dns/signed_texts.py; ~30 ms of CPU while the first answers travel, issue 10).
NOT_FOR_LIVE = {
    "verify": {"mailauth.dns.origins"},
    "check": {"dns"},
    "check-fetch": {"dns"},
}


@pytest.mark.parametrize("command", sorted(LIVE_RUNS))
def test_a_live_run_imports_only_what_it_uses(command: str, knot_server: Any) -> None:
    args = [*LIVE_RUNS[command], "--nameserver", knot_server.nameserver]
    modules = imported_modules(CLI.format(args=args))
    assert "mailauth.dns.live" in modules  # the run asked the DNS server
    unwanted = NOT_FOR_LIVE_RUNS | NOT_FOR_LIVE.get(command, set())
    loaded = sorted(m for m in modules if m.split(".")[0] in unwanted or m in unwanted)
    assert not loaded, f"mailauth {command} --nameserver imports {loaded}"


def test_a_live_verify_of_ascii_names_loads_no_idna(knot_server: Any) -> None:
    """good.eml names no domain that is not ASCII: the IDNA codec (`idna`, its UTS #46
    tables) loads when a name needs it (names.py `_idna`; issue 10, start-up). A `--zone`
    run loads it through dnspython's zone reader, so this is a live run."""
    args = [*LIVE_RUNS["verify"], "--nameserver", knot_server.nameserver]
    modules = imported_modules(CLI.format(args=args))
    assert "mailauth.names" in modules
    assert "idna" not in modules


# verify reads the same configuration file as check (issue 13) but never runs a domain check:
# the `[expect]` data it parses must not pull in the domain pipeline (mailauth/expectations.py).
NOT_FOR_VERIFY = {
    "mailauth.domain.runner",
    "mailauth.domain.registry",
    "mailauth.domain.expect",
    # nor the domain checks' finding texts: the catalogue loads a section as its ids are
    # looked up (findings/catalogue.py; issue 10, start-up)
    "mailauth.findings.spf",
    "mailauth.findings.dmarc",
    "mailauth.findings.bimi",
    "mailauth.findings.mta_sts",
    "mailauth.findings.smtp",
    # good.eml has no findings: no section loads, so neither do the sources they cite
    "mailauth.findings.references",
    # ... nor the catalogue itself: the judges, scoring and the text and JSON writers
    # import it with the first finding (make_finding.py; issue 10, start-up)
    "mailauth.findings",
    "mailauth.findings.catalogue",
    # nor the domain check report types (model.py imports them on first use) ...
    "mailauth.check_report",
    # ... nor, without --ignore, the policy stage (cli/ci_options.py, `settle_message`) ...
    "mailauth.domain.policy",
    "mailauth.message.policy",
}
# The text report needs no JSON encoder (a hostile value is quoted by it when shown).
NOT_FOR_VERIFY_TEXT = NOT_FOR_VERIFY | {"json"}


# `--format json` too: the message JSON shares finding_json() with the domain JSON
# (render/json.py), whose domain report types are for annotations only.
@pytest.mark.parametrize(
    ("formats", "unwanted"),
    [([], NOT_FOR_VERIFY_TEXT), (["--format", "json"], NOT_FOR_VERIFY)],
    ids=["text", "json"],
)
def test_verify_does_not_import_the_domain_checks(formats: list[str], unwanted: set[str]) -> None:
    args = [*ZONE_RUNS["verify"], *formats, "--zone", str(REPO / "samples/zones")]
    modules = imported_modules(CLI.format(args=args))
    assert "mailauth.config" in modules  # it did look for a configuration file
    loaded = sorted(unwanted & modules)
    assert not loaded, f"mailauth verify {' '.join(formats)} imports {loaded}"


# A single live `check` sends its first round of lookups before it loads the check code, so
# they travel while it loads (domain/first_round.py; issue 10). Counted in the process: the
# datagrams sent by the time `mailauth.domain.registry` is first imported.
SENT_BEFORE_CHECKS = """
import socket, sys
sent, seen = [0], []
def counting(method):
    def send(self, *args):
        sent[0] += 1
        return method(self, *args)
    return send
for name in ("sendto", "send", "sendmsg"):  # however the DNS client sends its datagrams
    setattr(socket.socket, name, counting(getattr(socket.socket, name)))
first = {{}}
class Spy:
    def find_spec(self, name, path=None, target=None):
        first.setdefault(name, sent[0])
        if name == "mailauth.domain.registry" and not seen:
            seen.append(sent[0])
sys.meta_path.insert(0, Spy())
sys.argv = ["mailauth", *{args!r}]
from mailauth.cli.main import main
try:
    main()
finally:
    print("sent-before-checks", seen[0] if seen else -1, file=sys.stderr)
    for name, count in first.items():
        print("sent-before", name, count, file=sys.stderr)
    print("sent-before", "(exit)", sent[0], file=sys.stderr)
"""


def sent_before_imports(args: list[str]) -> dict[str, int]:
    """The datagrams sent by the time each module was first looked for."""
    done = run(SENT_BEFORE_CHECKS.format(args=args), exit_codes=(0, 1))
    lines = [x.split() for x in done.stderr.splitlines() if x.startswith("sent-before ")]
    return {name: int(count) for _, name, count in lines}


def sent_before_checks(args: list[str]) -> int:
    done = run(SENT_BEFORE_CHECKS.format(args=args), exit_codes=(0, 1))
    line = next(x for x in done.stderr.splitlines() if x.startswith("sent-before-checks"))
    return int(line.split()[1])


def test_a_single_check_asks_before_it_loads_the_checks(knot_server: Any) -> None:
    ns = ["--nameserver", knot_server.nameserver, "--no-fetch", "--format", "json"]
    # the existence stage's, SPF's, the DMARC walk's 2, 22 DKIM leaders, BIMI's, MX, MTA-STS,
    # TLS-RPT, NS
    assert sent_before_checks(["check", "example.jp", *ns]) >= 31
    # several domains share the run: nothing is sent early (bulk is bound by CPU)
    assert sent_before_checks(["check", "example.jp", "broken.example", *ns]) == 0


# Not before a single check's first round either (issue 10): the finding catalogue (loaded
# for --ignore only), the domain-list reader and csv (--domains-file only). (The JSON
# writer's check projections load with the writer, after every check has started: each
# check starts as its code loads, domain/first_round.py, so on loopback every answer may
# be in by then; at a real round trip they load while the last answers travel,
# bench/check_phases.py.)
AFTER_THE_FIRST_ROUND = ("mailauth.findings", "mailauth.cli.domain_list", "csv")


def test_a_single_check_loads_its_reporting_code_after_the_first_round(knot_server: Any) -> None:
    ns = ["--nameserver", knot_server.nameserver, "--no-fetch", "--format", "json"]
    first = sent_before_imports(["check", "example.jp", *ns])
    early = {m: first[m] for m in AFTER_THE_FIRST_ROUND if first.get(m, 31) < 31}
    assert not early, f"imported before the first round was sent: {early}"
    assert first["mailauth.findings"] >= 31  # the catalogue does load, for the findings
    assert first["mailauth.render.check_json"] >= 31


def test_help_in_a_fresh_process_lists_every_command_with_its_help() -> None:
    """The commands' modules load on first use (cli/main.py, `_LazyCommands`); `--help`
    in a process that has loaded none of them still lists each one with its short help."""
    from mailauth.cli.main import main
    from mailauth.i18n import label

    done = run(CLI.format(args=["--lang", "en", "--help"]))
    listed = done.stdout.split("Commands:", 1)[1]
    rows = {line.split()[0]: " ".join(line.split()[1:]) for line in listed.splitlines() if line}
    assert sorted(rows) == sorted(main.commands)
    for name, shown in rows.items():
        assert shown == label(f"cli.{name}.short-help"), name


# `mailauth report --no-resolve` over small reports is mostly start-up per report (issue 12,
# "fifth pass" in bench/README.md): without --debug it imports no logging (cli/command.py
# imports it for --debug only; asyncio, which imports it too, is not loaded without DNS),
# and a small report never reaches the streaming parser, so defusedxml's ElementTree
# module is loaded only when a report needs it (report/aggregate.py `_iter_streaming`).
NOT_FOR_SMALL_REPORTS = {"logging", "defusedxml.ElementTree"}
_REPORT_XML = (
    '<?xml version="1.0"?><feedback><report_metadata><org_name>google.com</org_name>'
    "<email>x@google.com</email><report_id>r-1</report_id><date_range><begin>1767225600"
    "</begin><end>1767311999</end></date_range></report_metadata><policy_published>"
    "<domain>example.jp</domain><p>none</p></policy_published><record><row>"
    "<source_ip>192.0.2.1</source_ip><count>3</count><policy_evaluated>"
    "<disposition>none</disposition><dkim>pass</dkim><spf>pass</spf></policy_evaluated>"
    "</row><identifiers><header_from>example.jp</header_from></identifiers><auth_results>"
    "<dkim><domain>example.jp</domain><selector>s1</selector><result>pass</result></dkim>"
    "</auth_results></record></feedback>"
)


def _report_run(path: Path, *extra: str) -> tuple[set[str], str]:
    args = ["report", "--no-resolve", "--format", "json", *extra, str(path)]
    done = run(CLI.format(args=args), importtime=True)
    return imported(done), done.stdout


def test_a_small_report_run_imports_no_logging_nor_the_streaming_parser(tmp_path: Path) -> None:
    report = tmp_path / "r.xml"
    report.write_text(_REPORT_XML)
    modules, out = _report_run(report)
    assert "mailauth.report.small_reader" in modules  # the run read the report
    assert '"reports_read": 1' in out
    loaded = sorted(NOT_FOR_SMALL_REPORTS & modules)
    assert not loaded, f"mailauth report --no-resolve imports {loaded}"


def test_the_streaming_parser_and_debug_logging_still_load_when_needed(tmp_path: Path) -> None:
    """A comment sends a report to the chunked reader and --debug turns logging on; a byte
    that is not UTF-8 (0x91) sends it to the repair, which re-reads it with the streaming
    parser; an entity declaration is still refused. Each in a fresh process, where
    nothing imported these before."""
    commented = tmp_path / "commented.xml"
    commented.write_text(_REPORT_XML.replace("<feedback>", "<feedback><!-- c -->"))
    modules, out = _report_run(commented, "--debug")
    assert '"reports_read": 1' in out and '"records": 1' in out
    assert "logging" in modules
    repaired = tmp_path / "repaired.xml"
    repaired.write_bytes(_REPORT_XML.replace("google.com<", "goo\x91gle.com<").encode("latin-1"))
    modules, out = _report_run(repaired)
    assert "defusedxml.ElementTree" in modules
    assert '"reports_read": 1' in out and "invalid-bytes" in out
    bomb = tmp_path / "bomb.xml"
    bomb.write_text(
        '<?xml version="1.0"?><!DOCTYPE feedback [<!ENTITY a "aaaa">]>'
        + _REPORT_XML.split("?>", 1)[1].replace("google.com</org_name>", "&a;</org_name>")
    )
    done = run(CLI.format(args=["report", "--no-resolve", "--format", "json", str(bomb)]),
               exit_codes=(2,))  # fmt: skip
    assert "(EntitiesForbidden)" in done.stdout, done.stdout

"""`--smtp` against the MTA-STS policy: would each MX host satisfy it (RFC 8461 §4)?

Real parts only: the MX host is an aiosmtpd server with STARTTLS on 127.0.0.1 (trustme
certificates, tests/integration/test_smtp_probe.py's fixture), and the policy is served by
`--https-dir` or by the local HTTPS server (tests/support/https.py) through the guarded
fetcher. The runner's post-check stage (domain/smtp_mta_sts.py) combines the two reports.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import dns.zone
import pytest
import trustme
from click.testing import CliRunner
from tests.integration.test_smtp_probe import DOMAIN, MX, free_port, smtp_server
from tests.support.https import Reply, https_server

from mailauth.cli.main import main
from mailauth.dns.cache import CachingSource
from mailauth.dns.zonefile import ZoneSource
from mailauth.domain.context import CheckOptions, SmtpOptions
from mailauth.domain.mta_sts import MtaStsReport
from mailauth.domain.registry import DOMAIN_CHECKS
from mailauth.domain.runner import check_domain
from mailauth.domain.smtp import SmtpReport
from mailauth.fetch.directory import DirectoryFetcher
from mailauth.fetch.interface import Fetcher
from mailauth.fetch.safe import SafeFetcher
from mailauth.model import Severity

CHECKS = [s for s in DOMAIN_CHECKS if s.name in ("smtp", "mta_sts")]
POLICY_HOST = f"mta-sts.{DOMAIN}"
POLICY_PATH = "/.well-known/mta-sts.txt"


def zone_text(sts: bool = True) -> str:
    lines = [
        f"$ORIGIN {DOMAIN}.",
        "$TTL 300",
        f"@ SOA ns.{DOMAIN}. admin.{DOMAIN}. 1 3600 600 86400 300",
        f"@ NS ns.{DOMAIN}.",
        "@ MX 10 mx",
        "mx A 127.0.0.1",
    ]
    if sts:
        lines += ['_mta-sts TXT "v=STSv1; id=20261206"', "mta-sts A 127.0.0.1"]
    return "\n".join(lines) + "\n"


def policy(mode: str, *mx: str) -> bytes:
    lines = ["version: STSv1", f"mode: {mode}", *(f"mx: {m}" for m in mx), "max_age: 604800"]
    return ("\r\n".join(lines) + "\r\n").encode()


def https_dir(tmp_path: Path, body: bytes) -> Path:
    root = tmp_path / "https"
    where = root / POLICY_HOST / ".well-known" / "mta-sts.txt"
    where.parent.mkdir(parents=True)
    where.write_bytes(body)
    return root


def run(
    port: int, ca: trustme.CA, tmp_path: Path, fetcher: Fetcher | None, sts: bool = True
) -> tuple[SmtpReport, MtaStsReport]:
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    zone = dns.zone.from_text(zone_text(sts), origin=DOMAIN + ".", relativize=False)
    options = CheckOptions(smtp=SmtpOptions(port=port, timeout=5, ca_file=str(ca_file)))
    report = asyncio.run(
        check_domain(
            CachingSource(ZoneSource([zone])), DOMAIN, options, checks=CHECKS, fetcher=fetcher
        )
    )
    smtp, sts_report = report.checks["smtp"], report.checks["mta_sts"]
    assert isinstance(smtp, SmtpReport) and isinstance(sts_report, MtaStsReport)
    return smtp, sts_report


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


def would_fail(smtp: SmtpReport) -> list[tuple[str, Severity, str]]:
    return [
        (f.params["host"], f.severity, f.params["reason"].key)
        for f in smtp.findings
        if f.id == "smtp.mta-sts-would-fail"
    ]


def test_matched_host_with_a_good_certificate_satisfies_enforce(
    ca: trustme.CA, tmp_path: Path
) -> None:
    fetcher = DirectoryFetcher(https_dir(tmp_path, policy("enforce", f"*.{DOMAIN}")))
    with smtp_server(ca.issue_cert(MX)) as port:
        smtp, sts = run(port, ca, tmp_path, fetcher)
    assert sts.policy is not None and sts.policy.mode == "enforce"
    (host,) = smtp.hosts
    assert (host.mta_sts_policy, host.mta_sts_policy_reasons) == ("satisfied", ())
    assert would_fail(smtp) == []


def test_host_not_matched_by_an_enforce_policy(ca: trustme.CA, tmp_path: Path) -> None:
    fetcher = DirectoryFetcher(https_dir(tmp_path, policy("enforce", "mail.other.example")))
    with smtp_server(ca.issue_cert(MX)) as port:
        smtp, sts = run(port, ca, tmp_path, fetcher)
    (host,) = smtp.hosts
    assert host.mta_sts_ready  # the TLS half is fine: only the pattern fails
    assert (host.mta_sts_policy, host.mta_sts_policy_reasons) == (
        "not-satisfied",
        ("mx-not-matched",),
    )
    assert would_fail(smtp) == [(MX, Severity.HIGH, "smtp.mta-sts-reason.mx-not-matched")]
    (found,) = [f for f in smtp.findings if f.id == "smtp.mta-sts-would-fail"]
    assert found.params["patterns"] == "mail.other.example"
    assert "mta_sts.policy-mx-mismatch" in {f.id for f in sts.findings}


def test_wrong_certificate_name_under_a_testing_policy(ca: trustme.CA, tmp_path: Path) -> None:
    fetcher = DirectoryFetcher(https_dir(tmp_path, policy("testing", MX)))
    with smtp_server(ca.issue_cert("other.example")) as port:
        smtp, _ = run(port, ca, tmp_path, fetcher)
    (host,) = smtp.hosts
    assert (host.mta_sts_policy, host.mta_sts_policy_reasons) == (
        "not-satisfied",
        ("certificate-name-mismatch",),
    )
    reason = "smtp.mta-sts-reason.certificate-name-mismatch"
    assert would_fail(smtp) == [(MX, Severity.MEDIUM, reason)]


def test_untrusted_certificate_and_unmatched_name_give_both_reasons(
    ca: trustme.CA, tmp_path: Path
) -> None:
    fetcher = DirectoryFetcher(https_dir(tmp_path, policy("enforce", "mail.other.example")))
    with smtp_server(trustme.CA().issue_cert(MX)) as port:
        smtp, _ = run(port, ca, tmp_path, fetcher)
    (host,) = smtp.hosts
    assert host.mta_sts_policy_reasons == ("mx-not-matched", "certificate-untrusted")
    assert len(would_fail(smtp)) == 2


def test_without_mta_sts_record_there_is_no_policy(ca: trustme.CA, tmp_path: Path) -> None:
    with smtp_server(ca.issue_cert(MX)) as port:
        smtp, _ = run(port, ca, tmp_path, DirectoryFetcher(tmp_path), sts=False)
    (host,) = smtp.hosts
    assert (host.mta_sts_policy, host.mta_sts_policy_reasons) == ("no-policy", ("no-record",))
    assert would_fail(smtp) == []


def test_policy_not_seen_is_unknown_and_unreachable_host_not_tested(
    ca: trustme.CA, tmp_path: Path
) -> None:
    with smtp_server(ca.issue_cert(MX)) as port:
        smtp, _ = run(port, ca, tmp_path, DirectoryFetcher(tmp_path))  # no policy file
    assert smtp.hosts[0].mta_sts_policy == "unknown"
    assert smtp.hosts[0].mta_sts_policy_reasons == ("not-available-offline",)
    fetcher = DirectoryFetcher(https_dir(tmp_path, policy("enforce", MX)))
    closed, _ = run(free_port(), ca, tmp_path, fetcher)
    assert closed.hosts[0].status == "not-tested"
    assert closed.hosts[0].mta_sts_policy == "not-tested"
    assert would_fail(closed) == []


def test_policy_from_the_live_https_server(ca: trustme.CA, tmp_path: Path) -> None:
    """The policy fetched once by the MTA-STS check through the guarded fetcher from a real
    HTTPS server on 127.0.0.1; the SMTP stage reuses it (one request for the policy)."""
    routes = {(POLICY_HOST, POLICY_PATH): Reply(policy("enforce", "mail.other.example"))}
    with (
        https_server([POLICY_HOST], routes, tmp_path) as web,
        smtp_server(ca.issue_cert(MX)) as port,
    ):
        fetcher = SafeFetcher(
            CachingSource(
                ZoneSource([dns.zone.from_text(zone_text(), origin=DOMAIN + ".", relativize=False)])
            ),
            allow_private=True,
            ca_file=web.ca_file,
            port=web.port,
        )
        smtp, sts = run(port, ca, tmp_path, fetcher)
        policy_requests = [r for r in web.requests if r["path"] == POLICY_PATH]
    assert sts.policy_check is not None and sts.policy_check.server_checked
    assert len(policy_requests) == 1
    assert smtp.hosts[0].mta_sts_policy == "not-satisfied"
    assert would_fail(smtp) == [(MX, Severity.HIGH, "smtp.mta-sts-reason.mx-not-matched")]


def test_cli_json_and_text_show_the_verdict(ca: trustme.CA, tmp_path: Path) -> None:
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    zone_file = tmp_path / f"{DOMAIN}.zone"
    zone_file.write_text(zone_text(), encoding="ascii")
    root = https_dir(tmp_path, policy("enforce", "mail.other.example"))
    with smtp_server(ca.issue_cert(MX)) as port:
        common = ["check", DOMAIN, "--zone", str(zone_file), "--https-dir", str(root),
                  "--smtp", "--smtp-port", str(port), "--ca-file", str(ca_file)]  # fmt: skip
        as_json = CliRunner().invoke(main, [*common, "--format", "json"])
        as_text = CliRunner().invoke(main, [*common, "--format", "text"], terminal_width=200)
        as_ja = CliRunner().invoke(
            main, [*common, "--format", "text", "--lang", "ja"], terminal_width=200
        )
    host = json.loads(as_json.stdout)["smtp"]["hosts"][0]
    assert host["mta_sts_policy"] == "not-satisfied"
    assert host["mta_sts_policy_reasons"] == ["mx-not-matched"]
    assert "not satisfied: not matched by any mx pattern of the policy" in as_text.stdout
    assert "MX host would fail the domain's MTA-STS policy" in as_text.stdout, as_text.output
    assert "満たしていません" in as_ja.stdout, as_ja.output

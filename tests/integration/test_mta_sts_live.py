"""The MTA-STS policy end to end against real servers: knotd on loopback answers DNS
(tests/data/zones/fetch/fetch.test.zone), a ThreadingHTTPServer with a trustme certificate
serves the policies on 127.0.0.1, and the live fetcher connects to the address it resolved.
Then the CLI the same way, and offline with --https-dir.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner, Result
from tests.support.https import HttpsServer, Reply, https_server
from tests.support.knot import KnotServer

from mailauth.cli.main import main
from mailauth.dns.cache import CachingSource
from mailauth.domain.mta_sts import MtaStsReport
from mailauth.domain.runner import check_domain
from mailauth.fetch.interface import MAX_POLICY_BYTES
from mailauth.fetch.safe import SafeFetcher
from mailauth.render.check_json import mta_sts_json
from mailauth.schema import load_schema

REPO = Path(__file__).resolve().parents[2]
P = "/.well-known/mta-sts.txt"
# The fetch budget: a good policy must arrive inside it (TLS to a server thread of this
# process, which a loaded machine slows: 1.5 s was close to what the whole good-policy
# test took on a sixth of a CPU), and the slow server must miss it by far.
FETCH_TIMEOUT = 5.0
SLOW_SERVER = 2 * FETCH_TIMEOUT
VALIDATOR = jsonschema.Draft202012Validator(load_schema())


def policy(*mx: str, mode: str = "enforce", max_age: int = 604800) -> bytes:
    lines = ["version: STSv1", f"mode: {mode}", *(f"mx: {m}" for m in mx), f"max_age: {max_age}"]
    return ("\r\n".join(lines) + "\r\n").encode()


ROUTES = {
    ("mta-sts.sts.fetch.test", P): Reply(policy("*.sts.fetch.test")),
    ("mta-sts.uncovered.fetch.test", P): Reply(policy("mx1.sts.fetch.test")),
    ("mta-sts.redirect.fetch.test", P): Reply(
        status=302, headers=(("Location", "https://www.redirect.fetch.test/policy.txt"),)
    ),
    ("mta-sts.html.fetch.test", P): Reply(
        policy("mx1.sts.fetch.test"), content_type="text/html; charset=utf-8"
    ),
    ("mta-sts.big.fetch.test", P): Reply(b"x" * (MAX_POLICY_BYTES + 1)),
    ("mta-sts.slow.fetch.test", P): Reply(policy("mx1.sts.fetch.test"), delay=SLOW_SERVER),
}
# mta-sts.badcert.fetch.test resolves to the server but is not in its certificate.
CERT_NAMES = sorted({host for host, _ in ROUTES})


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HttpsServer]:
    with https_server(CERT_NAMES, ROUTES, tmp_path_factory.mktemp("https")) as running:
        yield running


def check(
    dns: CachingSource, server: HttpsServer, domain: str, *, allow_private: bool = True
) -> MtaStsReport:
    fetcher = SafeFetcher(
        dns,
        allow_private=allow_private,
        ca_file=server.ca_file,
        port=server.port,
        timeout=FETCH_TIMEOUT,
    )
    report = asyncio.run(check_domain(dns, domain, fetcher=fetcher))
    result = report.checks["mta_sts"]
    assert isinstance(result, MtaStsReport)
    return result


def ids(report: MtaStsReport) -> list[str]:
    return [f.id for f in report.findings]


def test_a_good_policy_covers_every_mx(live_dns: CachingSource, server: HttpsServer) -> None:
    report = check(live_dns, server, "sts.fetch.test")
    assert ids(report) == []
    policy = mta_sts_json(report)["policy"]
    assert policy["status"] == "valid" and policy["server_checked"] is True
    assert policy["mode"] == "enforce" and policy["mx"] == ["*.sts.fetch.test"]
    assert policy["mx_hosts"] == ["mx1.sts.fetch.test", "mx2.sts.fetch.test"]
    assert policy["fetch"]["content_type"] == "text/plain"
    assert policy["fetch"]["address"] == "127.0.0.1"


def test_an_mx_the_policy_does_not_cover(live_dns: CachingSource, server: HttpsServer) -> None:
    report = check(live_dns, server, "uncovered.fetch.test")
    assert ids(report) == ["mta_sts.policy-mx-mismatch"]
    (mismatch,) = report.findings
    assert mismatch.params["mx"] == "backup.uncovered.fetch.test"
    assert "mx: backup.uncovered.fetch.test" in mismatch.text().fix


def test_a_redirect_is_not_followed(live_dns: CachingSource, server: HttpsServer) -> None:
    before = len(server.requests)
    report = check(live_dns, server, "redirect.fetch.test")
    assert ids(report) == ["mta_sts.policy-redirect"]
    assert report.findings[0].params["location"] == "https://www.redirect.fetch.test/policy.txt"
    assert len(server.requests) == before + 1  # the policy URL only, not the target


def test_a_policy_served_as_html(live_dns: CachingSource, server: HttpsServer) -> None:
    report = check(live_dns, server, "html.fetch.test")
    assert ids(report) == ["mta_sts.policy-content-type"]
    assert report.findings[0].params["content_type"] == "text/html; charset=utf-8"


@pytest.mark.parametrize(
    ("domain", "reason"),
    [
        ("big.fetch.test", "larger than the limit of 65536 bytes"),
        ("slow.fetch.test", f"no complete answer within {FETCH_TIMEOUT:g}s"),
        ("badcert.fetch.test", "TLS connection failed"),
    ],
)
def test_fetch_failures_name_the_reason(
    live_dns: CachingSource, server: HttpsServer, domain: str, reason: str
) -> None:
    report = check(live_dns, server, domain)
    assert ids(report) == ["mta_sts.policy-fetch-failed"]
    assert reason in report.findings[0].text().detail


def test_loopback_is_refused_without_the_flag(live_dns: CachingSource, server: HttpsServer) -> None:
    before = len(server.requests)
    report = check(live_dns, server, "sts.fetch.test", allow_private=False)
    assert ids(report) == ["mta_sts.policy-fetch-refused"]
    assert report.findings[0].params["address"] == "127.0.0.1"
    assert not report.complete  # the policy was not seen: the score is an upper bound
    assert len(server.requests) == before


# --- the CLI ---------------------------------------------------------------------------------


def cli(*args: str) -> Result:
    return CliRunner().invoke(main, ["check", *args], catch_exceptions=False)


def policy_of(result: Result) -> dict[str, Any]:
    doc = json.loads(result.stdout)
    VALIDATOR.validate(doc)
    found: dict[str, Any] = doc["mta_sts"]["policy"]
    return found


def test_cli_fetches_live_with_the_flags(knot_server: KnotServer, server: HttpsServer) -> None:
    base = ["--nameserver", knot_server.nameserver, "--fetch-ca-file", str(server.ca_file)]
    base += ["--https-port", str(server.port), "--format", "json"]
    allowed = cli("uncovered.fetch.test", *base, "--allow-private-fetch")
    got = policy_of(allowed)
    assert (got["status"], got["unmatched_mx"]) == ("valid", ["backup.uncovered.fetch.test"])
    refused = cli("uncovered.fetch.test", *base)
    assert policy_of(refused)["status"] == "refused"
    skipped = cli("uncovered.fetch.test", *base, "--no-fetch")
    assert (policy_of(skipped)["status"], policy_of(skipped)["reason"]) == (
        "not-fetched",
        "no-fetch",
    )


def test_cli_text_names_the_refused_address(knot_server: KnotServer, server: HttpsServer) -> None:
    result = cli(
        "sts.fetch.test",
        "--nameserver",
        knot_server.nameserver,
        "--https-port",
        str(server.port),
    )
    assert "mta_sts.policy-fetch-refused" in result.stdout
    assert "127.0.0.1" in result.stdout
    assert "--allow-private-fetch" in result.stdout


ZONES = ["--zone", str(REPO / "samples" / "zones")]
HTTPS = ["--https-dir", str(REPO / "samples" / "https")]


def test_cli_offline_with_https_dir() -> None:
    good = cli("example.jp", *ZONES, *HTTPS, "--format", "json")
    got = policy_of(good)
    assert (got["status"], got["mode"], got["server_checked"]) == ("valid", "enforce", False)
    assert got["fetch"]["offline"] is True and got["unmatched_mx"] == []
    # The sample mark certificate chains to a sample root no receiver trusts: that is the one
    # finding, until the root is trusted explicitly.
    findings = json.loads(good.stdout)["findings"]
    assert {f["id"] for f in findings if f["severity"] != "info"} == {"bimi.certificate-untrusted"}
    root = str(REPO / "samples" / "https" / "sample-mark-root.pem")
    trusted = cli("example.jp", *ZONES, *HTTPS, "--mark-root", root, "--format", "json")
    assert json.loads(trusted.stdout)["score"] == 100
    bad_root = cli("example.jp", *ZONES, *HTTPS, "--mark-root", str(REPO / "README.md"))
    assert bad_root.exit_code == 2 and "--mark-root" in bad_root.output

    broken = cli("broken.example", *ZONES, *HTTPS, "--format", "json")
    doc = json.loads(broken.stdout)
    found = {f["id"] for f in doc["findings"]}
    assert {"mta_sts.policy-mx-mismatch", "mta_sts.policy-max-age"} <= found
    assert "tls_rpt.missing-with-mta-sts" in found  # enforce mode and no TLS-RPT
    assert doc["mta_sts"]["policy"]["unmatched_mx"] == ["mail.broken.example"]

    text = cli("example.jp", *ZONES, *HTTPS).stdout
    assert "Policy file: valid" in text
    assert "not checked offline" in text


def test_cli_offline_without_https_dir_fetches_nothing() -> None:
    result = cli("example.jp", *ZONES, "--format", "json")
    assert (policy_of(result)["status"], policy_of(result)["reason"]) == ("not-fetched", "offline")
    assert "not fetched (offline" in cli("example.jp", *ZONES).stdout


def test_cli_a_missing_file_is_not_available_offline(tmp_path: Path) -> None:
    result = cli("example.jp", *ZONES, "--https-dir", str(tmp_path), "--format", "json")
    doc = json.loads(result.stdout)
    assert policy_of(result)["status"] == "not-available-offline"
    assert "mta_sts.policy-not-available-offline" in {f["id"] for f in doc["findings"]}
    assert doc["complete"] is False


def test_cli_no_fetch_and_https_dir_contradict() -> None:
    result = CliRunner().invoke(main, ["check", "example.jp", *ZONES, *HTTPS, "--no-fetch"])
    assert result.exit_code == 2
    assert "--no-fetch and --https-dir" in result.output


def test_cli_a_ca_file_that_is_not_pem_is_a_usage_error(
    knot_server: KnotServer, tmp_path: Path
) -> None:
    bad = tmp_path / "ca.pem"
    bad.write_text("not a certificate\n")
    args = ["check", "sts.fetch.test", "--nameserver", knot_server.nameserver]
    result = CliRunner().invoke(main, [*args, "--fetch-ca-file", str(bad)])
    assert result.exit_code == 2
    assert "holds no PEM certificate" in result.output
    assert "Traceback" not in result.output

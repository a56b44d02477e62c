"""`--smtp` against real aiosmtpd servers on 127.0.0.1 with trustme certificates (issue 11).

Each test starts its own server (STARTTLS with a good, wrong-name, expired, expiring or
untrusted certificate; without STARTTLS; a closed port) and checks a domain whose MX host
resolves to 127.0.0.1 through mailauth's own zone source (never the system resolver). DANE is
checked against a zone signed here with a fresh key, anchored by its DS.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import io
import json
import socket
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dns.dnssec
import dns.zone
import pytest
import trustme
from aiosmtpd.controller import Controller
from click.testing import CliRunner
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from tests.support.english_runs import english_runs

from mailauth.cli.main import main
from mailauth.dns.cache import CachingSource
from mailauth.dns.trust_anchor import parse_anchors
from mailauth.dns.zonefile import ZoneSource
from mailauth.domain.context import CheckOptions, SmtpOptions
from mailauth.domain.registry import DOMAIN_CHECKS
from mailauth.domain.runner import check_domain
from mailauth.domain.smtp import SmtpReport
from mailauth.domain.smtp_reasons import CertTrustProblem, code_of
from mailauth.i18n import FINDING_PARTS
from mailauth.render.environment import Environment

DOMAIN = "smtp.test"
MX = "mx.smtp.test"
SMTP_ONLY = [s for s in DOMAIN_CHECKS if s.name == "smtp"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Handler:
    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        return "250 OK"


@contextmanager
def smtp_server(cert: trustme.LeafCert | None, **tls: object) -> Iterator[int]:
    """An aiosmtpd server on 127.0.0.1; STARTTLS with `cert` when given."""
    port = free_port()
    context = None
    if cert is not None:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        cert.configure_cert(context)
        for name, value in tls.items():
            if name == "ciphers":
                context.set_ciphers(str(value))
            else:
                setattr(context, name, value)
    controller = Controller(
        _Handler(),
        hostname="127.0.0.1",
        port=port,
        server_hostname=MX,  # else aiosmtpd asks the system resolver (getfqdn)
        tls_context=context,
        require_starttls=False,
    )
    controller.start()
    try:
        yield port
    finally:
        controller.stop()


def zone_text(tlsa: str | None = None) -> str:
    lines = [
        f"$ORIGIN {DOMAIN}.",
        "$TTL 300",
        f"@ SOA ns.{DOMAIN}. admin.{DOMAIN}. 1 3600 600 86400 300",
        f"@ NS ns.{DOMAIN}.",
        "@ MX 10 mx",
        "mx A 127.0.0.1",
    ]
    if tlsa:
        lines.append(f"_25._tcp.mx TLSA {tlsa}")
    return "\n".join(lines) + "\n"


def source(tlsa: str | None = None) -> tuple[CachingSource, str]:
    """The domain's zone, signed with a fresh key, and its trust anchor text."""
    zone = dns.zone.from_text(zone_text(tlsa), origin=DOMAIN + ".", relativize=False)
    key = ec.generate_private_key(ec.SECP256R1())
    dnskey = dns.dnssec.make_dnskey(
        key.public_key(), dns.dnssec.Algorithm.ECDSAP256SHA256, flags=257
    )
    dns.dnssec.sign_zone(zone, keys=[(key, dnskey)], lifetime=3600)
    ds = dns.dnssec.make_ds(DOMAIN + ".", dnskey, "SHA256")
    return CachingSource(ZoneSource([zone])), f"{DOMAIN}. IN DS {ds.to_text()}"


def run(
    port: int, ca: trustme.CA, tmp_path: Path, tlsa: str | None = None, dns_source: object = None
) -> SmtpReport:
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    src, anchor = source(tlsa)
    options = CheckOptions(
        trust_anchors=parse_anchors(anchor, "test"),
        smtp=SmtpOptions(port=port, timeout=5, ca_file=str(ca_file)),
    )
    report = asyncio.run(
        check_domain(dns_source or src, DOMAIN, options, checks=SMTP_ONLY)  # type: ignore[arg-type]
    )
    smtp = report.checks["smtp"]
    assert isinstance(smtp, SmtpReport)
    for f in smtp.findings:  # issue 14: the reasons are words in the report's language
        japanese = f.text("ja")
        left = {part: english_runs(getattr(japanese, part)) for part in FINDING_PARTS}
        assert not any(left.values()), (f.id, japanese)
    return smtp


def ids(report: SmtpReport) -> list[str]:
    return sorted(f.id for f in report.findings)


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


def test_good_certificate(ca: trustme.CA, tmp_path: Path) -> None:
    with smtp_server(ca.issue_cert(MX)) as port:
        report = run(port, ca, tmp_path)
    assert ids(report) == []
    (host,) = report.hosts
    assert (host.status, host.address, host.port) == ("tls", "127.0.0.1", port)
    assert host.tls_version in ("TLSv1.2", "TLSv1.3") and host.cipher
    assert host.certificate is not None and host.certificate.trusted
    assert host.certificate.name_matches and not host.certificate.expired
    assert host.certificate.days_left > 300
    assert host.mta_sts_ready and host.dane_match is None
    assert host.chain_length >= 1


def test_wrong_name_certificate(ca: trustme.CA, tmp_path: Path) -> None:
    with smtp_server(ca.issue_cert("other.example")) as port:
        report = run(port, ca, tmp_path)
    assert ids(report) == ["smtp.certificate-name-mismatch"]
    assert not report.hosts[0].mta_sts_ready
    assert report.hosts[0].certificate and report.hosts[0].certificate.trusted  # not also


def test_expired_certificate(ca: trustme.CA, tmp_path: Path) -> None:
    now = dt.datetime.now(dt.timezone.utc)
    cert = ca.issue_cert(
        MX, not_before=now - dt.timedelta(days=60), not_after=now - dt.timedelta(days=1)
    )
    with smtp_server(cert) as port:
        report = run(port, ca, tmp_path)
    assert ids(report) == ["smtp.certificate-expired"]
    assert not report.hosts[0].mta_sts_ready


def test_expiring_certificate(ca: trustme.CA, tmp_path: Path) -> None:
    now = dt.datetime.now(dt.timezone.utc)
    cert = ca.issue_cert(
        MX, not_before=now - dt.timedelta(days=60), not_after=now + dt.timedelta(days=5)
    )
    with smtp_server(cert) as port:
        report = run(port, ca, tmp_path)
    assert ids(report) == ["smtp.certificate-expiring"]
    assert report.hosts[0].mta_sts_ready


def test_untrusted_certificate(ca: trustme.CA, tmp_path: Path) -> None:
    other = trustme.CA()
    with smtp_server(other.issue_cert(MX)) as port:
        report = run(port, ca, tmp_path)
    assert ids(report) == ["smtp.certificate-untrusted"]
    cert = report.hosts[0].certificate
    assert cert is not None and cert.trust_code is CertTrustProblem.UNKNOWN_ISSUER


def test_no_starttls(ca: trustme.CA, tmp_path: Path) -> None:
    with smtp_server(None) as port:
        report = run(port, ca, tmp_path)
    assert ids(report) == ["smtp.no-starttls"]
    assert report.hosts[0].status == "no-starttls"
    assert code_of(report.hosts[0].detail) == "starttls-not-offered"


@contextmanager
def broken_starttls_server() -> Iterator[int]:
    """A server that accepts STARTTLS and then answers the TLS handshake with plain text
    (an edge case aiosmtpd cannot be made to produce)."""
    port = free_port()
    listener = socket.create_server(("127.0.0.1", port))
    stop = threading.Event()

    def serve() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(5)
                conn.sendall(b"220 mx.smtp.test ESMTP\r\n")
                conn.recv(1024)  # EHLO
                conn.sendall(b"250-mx.smtp.test\r\n250 STARTTLS\r\n")
                conn.recv(1024)  # STARTTLS
                conn.sendall(b"220 go ahead\r\n")
                conn.recv(4096)  # the ClientHello
                conn.sendall(b"this is not TLS at all\r\n" * 4)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield port
    finally:
        stop.set()
        thread.join(2)
        listener.close()


def test_tls_failure(ca: trustme.CA, tmp_path: Path) -> None:
    with broken_starttls_server() as port:
        report = run(port, ca, tmp_path)
    assert ids(report) == ["smtp.tls-failed"]
    assert report.hosts[0].status == "tls-failed"
    # OpenSSL's reason name is kept as the value; its English sentence is not shown.
    detail = report.hosts[0].detail
    assert code_of(detail) == "tls-handshake" and detail is not None
    assert str(detail.params["code"]).isupper()


def test_old_tls(ca: trustme.CA, tmp_path: Path) -> None:
    """A server that speaks only TLS 1.1: reported, not a failure to connect."""
    cert = ca.issue_cert(MX)
    tls = {"maximum_version": ssl.TLSVersion.TLSv1_1, "minimum_version": ssl.TLSVersion.TLSv1}
    with smtp_server(cert, ciphers="DEFAULT:@SECLEVEL=0", **tls) as port:
        report = run(port, ca, tmp_path)
    assert ids(report) == ["smtp.old-tls"]
    assert report.hosts[0].tls_version == "TLSv1.1"


def test_closed_port_is_not_tested_not_failed(ca: trustme.CA, tmp_path: Path) -> None:
    report = run(free_port(), ca, tmp_path)
    assert ids(report) == ["smtp.not-tested"]
    assert report.hosts[0].status == "not-tested"
    assert code_of(report.hosts[0].detail) == "econnrefused"
    assert report.status.value == "pass"  # info only: never a failure


def test_a_host_without_address_is_a_lookup_failure(ca: trustme.CA, tmp_path: Path) -> None:
    zone = dns.zone.from_text(
        zone_text().replace("mx A 127.0.0.1", 'mx TXT "no address"'),
        origin=DOMAIN + ".",
        relativize=False,
    )
    report = run(25, ca, tmp_path, dns_source=CachingSource(ZoneSource([zone])))
    assert ids(report) == ["smtp.lookup-failed"]
    assert code_of(report.hosts[0].detail) == "no-address"


def _spki_sha256(cert: trustme.LeafCert) -> str:
    leaf = x509.load_pem_x509_certificate(cert.cert_chain_pems[0].bytes())
    spki = leaf.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return hashlib.sha256(spki).hexdigest()


def test_dane_match_and_mismatch(ca: trustme.CA, tmp_path: Path) -> None:
    cert = ca.issue_cert(MX)
    with smtp_server(cert) as port:
        good = run(port, ca, tmp_path, tlsa=f"3 1 1 {_spki_sha256(cert)}")
        bad = run(port, ca, tmp_path, tlsa=f"3 1 1 {'00' * 32}")
    assert ids(good) == [] and good.hosts[0].dane_match is True
    assert ids(bad) == ["smtp.dane-mismatch"] and bad.hosts[0].dane_match is False


def test_cli_json_has_smtp_hosts(ca: trustme.CA, tmp_path: Path) -> None:
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    zone_file = tmp_path / f"{DOMAIN}.zone"
    zone_file.write_text(zone_text(), encoding="ascii")
    with smtp_server(ca.issue_cert(MX)) as port:
        result = CliRunner().invoke(
            main,
            ["check", DOMAIN, "--zone", str(zone_file), "--format", "json", "--smtp",
             "--smtp-port", str(port), "--ca-file", str(ca_file)],
        )  # fmt: skip
    report = json.loads(result.stdout)
    smtp = report["smtp"]
    assert smtp["requested"] is True
    assert [h["status"] for h in smtp["hosts"]] == ["tls"]
    assert smtp["hosts"][0]["certificate"]["trusted"] is True
    assert smtp["hosts"][0]["mta_sts_ready"] is True


def test_a_bad_ca_file_is_an_input_error(tmp_path: Path) -> None:
    bad = tmp_path / "ca.pem"
    bad.write_text("not a certificate\n", encoding="ascii")
    result = CliRunner().invoke(
        main, ["check", DOMAIN, "--zone", str(tmp_path), "--smtp", "--ca-file", str(bad)]
    )
    assert result.exit_code == 2
    assert "ca.pem" in result.output


def _japanese_report(ca_file: Path, zone_file: Path, port: int, fmt: str = "text") -> str:
    """The report in Japanese, on a terminal wide enough that no sentence is wrapped."""
    out = io.StringIO()
    env = Environment(out, io.StringIO(), colors=False, width=400, lang="ja")
    result = CliRunner().invoke(
        main,
        ["check", DOMAIN, "--zone", str(zone_file), "--smtp", "--smtp-port", str(port),
         "--ca-file", str(ca_file), "--format", fmt],
        obj=env,
    )  # fmt: skip
    assert result.exit_code in (0, 1), result.output
    return out.getvalue()


def test_failures_read_in_japanese_with_codes_in_json(ca: trustme.CA, tmp_path: Path) -> None:
    """Issue 14: a TLS handshake that fails, a certificate nobody trusts and a closed port are
    explained in Japanese (no OpenSSL or errno sentence in English); the JSON keeps its
    English `detail` and adds `detail_code` / `trust_code`, the same in both languages."""
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    zone_file = tmp_path / f"{DOMAIN}.zone"
    zone_file.write_text(zone_text(), encoding="ascii")
    with broken_starttls_server() as port:
        broken = _japanese_report(ca_file, zone_file, port)
        broken_json = json.loads(_japanese_report(ca_file, zone_file, port, "json"))
    with smtp_server(trustme.CA().issue_cert(MX)) as port:
        untrusted = _japanese_report(ca_file, zone_file, port)
        untrusted_json = json.loads(_japanese_report(ca_file, zone_file, port, "json"))
    closed = _japanese_report(ca_file, zone_file, free_port())
    assert "TLS ハンドシェイクに失敗しました" in broken and "[smtp.tls-failed]" in broken
    assert "信頼されたルートでもありません" in untrusted
    assert "接続を拒否されました" in closed and "[smtp.not-tested]" in closed
    for text in (broken, untrusted, closed):
        prose = [line for line in text.splitlines() if "参考文献" not in line]
        assert english_runs("\n".join(prose)) == [], text
    (host,) = broken_json["smtp"]["hosts"]
    assert host["detail_code"] == "tls-handshake"
    assert host["detail"].startswith("the TLS handshake failed (")  # English, as before
    (host,) = untrusted_json["smtp"]["hosts"]
    assert host["certificate"]["trust_code"] == "unknown-issuer"
    assert host["certificate"]["trust_detail"]  # the verifier's own words, for a bug report

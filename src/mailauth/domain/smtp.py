"""SMTP check (`--smtp`, opt-in): STARTTLS on each MX host, its certificate, and DANE.

For each MX host (most preferred first, at most `MAX_SMTP_HOSTS`, all at once, each under its
own timeout) mailauth resolves the host's address through the run's DnsSource (A first, then
AAAA; the first address is probed), connects, says EHLO, STARTTLS, and reports the TLS
version, the cipher and the certificate chain (`smtp_hosts.py`, `smtp_probe.py`,
`smtp_cert.py`: loaded only with `--smtp`).

Reported per host: `mta_sts_ready`, true when STARTTLS worked and the certificate is
unexpired, trusted and names the MX host (RFC 8461 §4.2). The runner's post-check stage
(`domain/smtp_mta_sts.py`) combines it with the policy the MTA-STS check fetched into
`mta_sts_policy` (satisfied or not, and why). A secure TLSA RRset for the
host is matched against the chain (`dane_match`).

Without `--smtp` the check reports `requested: false` and nothing else: port 25 is blocked on
many networks and some gateways drop scanners, so probing is the user's choice. An
unreachable port is "not tested" (`smtp.not-tested`, info), never a failure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mailauth.domain.context import CheckContext
from mailauth.frozen import frozen
from mailauth.model import CheckReport, Phrase, Status

if TYPE_CHECKING:
    from mailauth.domain.smtp_cert import CertVerdict


@frozen
class SmtpHost:
    """One MX host's probe. `status`: tls, not-tested, no-starttls, tls-failed, smtp-error,
    no-address. `dane_match`: None when the host has no secure, usable TLSA.
    `mta_sts_policy`/`mta_sts_policy_reasons`: whether the domain's MTA-STS policy would be
    satisfied by this host, and why not (see domain/smtp_mta_sts.py)."""

    host: str
    status: str
    address: str | None = None
    port: int = 25
    banner: str = ""
    tls_version: str | None = None
    cipher: str | None = None
    certificate: CertVerdict | None = None
    chain_length: int = 0
    mta_sts_ready: bool = False
    dane_match: bool | None = None
    detail: Phrase | None = None  # why the host has no TLS verdict (`smtp_reasons`)
    # Set by the runner's post-check stage when the MTA-STS check ran too
    # (domain/smtp_mta_sts.py): a `MtaStsVerdict` value, None when it did not run.
    mta_sts_policy: str | None = None
    mta_sts_policy_reasons: tuple[str, ...] = ()


@frozen(kw_only=True)
class SmtpReport(CheckReport):
    check: str = "smtp"
    requested: bool = False
    hosts: tuple[SmtpHost, ...] = ()

    @property
    def ran(self) -> bool:
        return self.requested


async def check_smtp(ctx: CheckContext, domain: str) -> SmtpReport:
    """Without `--smtp`: not requested, nothing asked. With it, the probes of
    domain/smtp_hosts.py, imported only then (the SMTP dialogue, its reasons and the TLSA
    matching are no start-up cost of every other run; issue 10)."""
    settings = ctx.options.smtp
    if settings is None:
        return SmtpReport(status=Status.NONE)
    from mailauth.domain.smtp_hosts import probe_hosts

    return await probe_hosts(ctx, settings, domain)

"""Judging the certificate chain an MX presented: validity dates, the name, trust, and DANE.

Three questions kept apart so each gets its own finding: is it within its validity dates, is
the MX host name among its names (RFC 6125 §6.4, one `*` in the left-most label), and does it
chain to a trusted root (cryptography's X.509 verifier, RFC 5280 profile, judged at a time
inside the certificate's validity and for one of its own names, so an expired or misnamed
certificate is not also called untrusted). The roots are the CA file given (`--ca-file`),
else the system's bundle (`ssl.get_default_verify_paths`).

DANE (RFC 7672 §3.1, RFC 6698 §2.1): a usable TLSA record matches when its selector (0 the
certificate, 1 its SubjectPublicKeyInfo) hashed by its matching type (0 none, 1 SHA-256, 2
SHA-512) equals the data; DANE-EE (3) is matched against the leaf, DANE-TA (2) against the
certificates the server sent after it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ssl
from dataclasses import field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.verification import (
    Criticality,
    ExtensionPolicy,
    PolicyBuilder,
    Store,
    VerificationError,
)

from mailauth.domain.smtp_reasons import CertTrustProblem
from mailauth.frozen import frozen
from mailauth.records.tlsa import TlsaRecord

EXPIRING_DAYS = 14


@frozen
class CertVerdict:
    subject: str
    issuer: str
    names: tuple[str, ...]
    not_before: dt.datetime
    not_after: dt.datetime
    days_left: int
    expired: bool
    name_matches: bool
    trusted: bool | None  # None: no CA bundle to judge with
    trust_detail: str = ""  # the verifier's own (English) words, for a bug report
    # Why not trusted, as a code the report words in its language (issue 14).
    trust_code: CertTrustProblem | None = None
    trust_params: dict[str, str] = field(default_factory=dict)


def default_ca_file() -> str | None:
    paths = ssl.get_default_verify_paths()
    for candidate in (paths.cafile, paths.openssl_cafile):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def load_roots(ca_file: str | None) -> list[x509.Certificate] | None:
    """The trusted roots; None when there is no bundle. Raises OSError/ValueError for a bad
    file (the CLI checks `--ca-file` before the run)."""
    path = ca_file or default_ca_file()
    if path is None:
        return None
    return x509.load_pem_x509_certificates(Path(path).read_bytes())


def judge(
    chain: tuple[bytes, ...], host: str, roots: list[x509.Certificate] | None, now: dt.datetime
) -> CertVerdict | None:
    if not chain:
        return None
    leaf = x509.load_der_x509_certificate(chain[0])
    intermediates = [x509.load_der_x509_certificate(c) for c in chain[1:]]
    names = _dns_names(leaf)
    not_before, not_after = leaf.not_valid_before_utc, leaf.not_valid_after_utc
    expired = not (not_before <= now <= not_after)
    matches = any(_match(pattern, host) for pattern in names)
    try:
        trusted, detail = _trust(leaf, intermediates, names, roots, now, not_before, not_after)
        code = _trust_code(leaf, intermediates, roots, names, trusted)
    except ValueError as exc:  # the verifier refused the certificate as data
        trusted, detail, code = False, str(exc), CertTrustProblem.MALFORMED
    params = {"issuer": leaf.issuer.rfc4514_string()} if code is not None else {}
    return CertVerdict(
        subject=leaf.subject.rfc4514_string(),
        issuer=leaf.issuer.rfc4514_string(),
        names=tuple(names),
        not_before=not_before,
        not_after=not_after,
        days_left=(not_after - now).days,
        expired=expired,
        name_matches=matches,
        trusted=trusted,
        trust_detail=detail,
        trust_code=code,
        trust_params=params,
    )


def _trust_code(
    leaf: x509.Certificate,
    intermediates: list[x509.Certificate],
    roots: list[x509.Certificate] | None,
    names: list[str],
    trusted: bool | None,
) -> CertTrustProblem | None:
    """The verdict of `_trust` as a code: the commonest causes (a self-signed certificate, an
    issuer the server did not send) named, the rest `not-verified`."""
    if trusted:
        return None
    if roots is None:
        return CertTrustProblem.NO_BUNDLE
    if not roots:
        return CertTrustProblem.EMPTY_BUNDLE
    if not names:
        return CertTrustProblem.NO_DNS_NAME
    if leaf.issuer == leaf.subject:
        return CertTrustProblem.SELF_SIGNED
    if not any(c.subject == leaf.issuer for c in (*intermediates, *roots)):
        return CertTrustProblem.UNKNOWN_ISSUER
    return CertTrustProblem.NOT_VERIFIED


def _dns_names(cert: x509.Certificate) -> list[str]:
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    except x509.ExtensionNotFound:
        return []
    return [n.lower().rstrip(".") for n in san.value.get_values_for_type(x509.DNSName)]


def _match(pattern: str, host: str) -> bool:
    """RFC 6125 §6.4.3: a `*` only as the whole left-most label, matching one label."""
    host = host.lower().rstrip(".")
    if pattern.startswith("*."):
        head, _, rest = host.partition(".")
        return bool(head) and rest == pattern[2:]
    return pattern == host


# Any extensions on the server certificate, but a subjectAltName it must have (RFC 6125).
_EE_POLICY = ExtensionPolicy.permit_all().require_present(
    x509.SubjectAlternativeName, Criticality.AGNOSTIC, None
)


def _trust(
    leaf: x509.Certificate,
    intermediates: list[x509.Certificate],
    names: list[str],
    roots: list[x509.Certificate] | None,
    now: dt.datetime,
    not_before: dt.datetime,
    not_after: dt.datetime,
) -> tuple[bool | None, str]:
    if roots is None:
        return None, "no CA bundle to judge trust with"
    if not roots:
        return False, "the CA bundle is empty"
    when = min(max(now, not_before), not_after)  # judge trust inside the validity window
    name = next((n for n in names if not n.startswith("*.")), None)
    if name is None and names:
        name = "x" + names[0][1:]
    if name is None:
        return False, "the certificate names no DNS host (no subjectAltName)"
    try:
        # Extensions are not policed (RFC 5280 profile niceties such as a critical SAN):
        # senders' TLS stacks (OpenSSL) accept them; signatures, dates, CA flags and the
        # path to a root still must hold.
        builder = PolicyBuilder().store(Store(roots)).time(when)
        builder = builder.extension_policies(
            ca_policy=ExtensionPolicy.webpki_defaults_ca(), ee_policy=_EE_POLICY
        )
        verifier = builder.build_server_verifier(x509.DNSName(name))
        verifier.verify(leaf, intermediates)
    except VerificationError as exc:
        return False, str(exc)
    return True, ""


def tlsa_matches(record: TlsaRecord, chain: tuple[bytes, ...]) -> bool:
    """Whether a usable record matches the chain (module docstring)."""
    if not record.usable or not chain:
        return False
    candidates = chain[:1] if record.usage == 3 else chain[1:]
    for der in candidates:
        if _association(der, record.selector or 0, record.matching or 0) == record.data:
            return True
    return False


def _association(der: bytes, selector: int, matching: int) -> str:
    data = der
    if selector == 1:
        cert = x509.load_der_x509_certificate(der)
        data = cert.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    if matching == 1:
        return hashlib.sha256(data).hexdigest()
    if matching == 2:
        return hashlib.sha512(data).hexdigest()
    return data.hex()

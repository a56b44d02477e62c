"""Test mark certificates made with `cryptography`: a test Mark Verifying Authority (root +
intermediate) and VMC/CMC leaves with the BIMI EKU, SAN, the RFC 3709 logotype extension
embedding an SVG (gzip, base64 data: URL), a precertificate SCT list and a mark type, plus
the variants the checks must catch (expired, other domain, other logo, no SCT, ...).

Keys are P-256 (fast). The SCT list is syntactically valid but its signatures are dummies:
the check looks for the list (CT was done), it does not verify log signatures.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtensionOID, NameOID

from mailauth.records.mark_roots import MarkRoot, root_from_pem
from mailauth.records.vmc import BIMI_EKU, LOGOTYPE_OID, MARK_POLICY_OID, MARK_TYPE_OID, PILOT_OID

_SHA256_OID = bytes.fromhex("608648016503040201")


def _tlv(tag: int, content: bytes) -> bytes:
    n = len(content)
    if n < 0x80:
        head = bytes([n])
    else:
        raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
        head = bytes([0x80 | len(raw)]) + raw
    return bytes([tag]) + head + content


def logotype_der(svg: bytes, *, media_type: str = "image/svg+xml", gz: bool = True) -> bytes:
    """A LogotypeExtn whose subjectLogo embeds `svg` as the MC Guidelines describe."""
    payload = gzip.compress(svg, mtime=0) if gz else svg
    uri = "data:" + media_type + ";base64," + base64.b64encode(payload).decode("ascii")
    alg = _tlv(0x30, _tlv(0x06, _SHA256_OID) + _tlv(0x05, b""))
    hash_and_value = _tlv(0x30, alg + _tlv(0x04, hashlib.sha256(svg).digest()))
    details = _tlv(
        0x30,
        _tlv(0x16, media_type.encode("ascii"))
        + _tlv(0x30, hash_and_value)
        + _tlv(0x30, _tlv(0x16, uri.encode("ascii"))),
    )
    data = _tlv(0xA0, _tlv(0x30, _tlv(0x30, details)))  # direct [0] { image { LogotypeImage } }
    return _tlv(0x30, _tlv(0xA2, data))


def sct_list_der() -> bytes:
    """An OCTET STRING holding a TLS SignedCertificateTimestampList with one (dummy) SCT."""
    sct = (
        b"\x00"
        + b"\x11" * 32
        + (1_700_000_000_000).to_bytes(8, "big")
        + b"\x00\x00"
        + b"\x04\x03"
        + (2).to_bytes(2, "big")
        + b"\x30\x00"
    )
    item = len(sct).to_bytes(2, "big") + sct
    return _tlv(0x04, len(item).to_bytes(2, "big") + item)


def _name(cn: str, **extra: str) -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COMMON_NAME, cn)]
    attrs += [x509.NameAttribute(x509.ObjectIdentifier(k), v) for k, v in extra.items()]
    return x509.Name(attrs)


@dataclass(frozen=True)
class TestMva:
    """A test Mark Verifying Authority: root and intermediate keys and certificates."""

    root_key: ec.EllipticCurvePrivateKey
    root: x509.Certificate
    inter_key: ec.EllipticCurvePrivateKey
    inter: x509.Certificate

    @property
    def mark_root(self) -> MarkRoot:
        return root_from_pem(self.root.public_bytes(serialization.Encoding.PEM))

    @property
    def root_pem(self) -> bytes:
        return self.root.public_bytes(serialization.Encoding.PEM)


def make_mva(name: str = "mailauth Test Mark Root", now: datetime | None = None) -> TestMva:
    now = now or datetime.now(UTC)
    start, end = now - timedelta(days=3650), now + timedelta(days=3650)
    root_key = ec.generate_private_key(ec.SECP256R1())
    root_name = _name(name)
    root = (
        x509.CertificateBuilder()
        .subject_name(root_name)
        .issuer_name(root_name)
        .public_key(root_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(*[False] * 5, True, True, False, False), critical=True)
        .sign(root_key, hashes.SHA256())
    )
    inter_key = ec.generate_private_key(ec.SECP256R1())
    inter = (
        x509.CertificateBuilder()
        .subject_name(_name(name.replace("Root", "Issuing CA")))
        .issuer_name(root_name)
        .public_key(inter_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(*[False] * 5, True, True, False, False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([BIMI_EKU]), critical=False)
        .sign(root_key, hashes.SHA256())
    )
    return TestMva(root_key, root, inter_key, inter)


def make_mark_cert(
    mva: TestMva,
    *,
    domains: tuple[str, ...],
    svg: bytes,
    not_before: datetime,
    not_after: datetime,
    mark_type: str | None = "Registered Mark",
    eku: bool = True,
    sct: bool = True,
    logotype: bytes | None = None,
    pilot: bool = False,
    crl_url: str | None = None,
    serial: int | None = None,
    chain: bool = True,
) -> bytes:
    """The PEM a= would serve: leaf (+ intermediate unless `chain` is False)."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = {MARK_TYPE_OID.dotted_string: mark_type} if mark_type else {}
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(f"{domains[0]} mark", **subject))
        .issuer_name(mva.inter.subject)
        .public_key(key.public_key())
        .serial_number(serial or x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(d) for d in domains]), False)
        .add_extension(
            x509.CertificatePolicies([x509.PolicyInformation(MARK_POLICY_OID, None)]), False
        )
        .add_extension(
            x509.UnrecognizedExtension(LOGOTYPE_OID, logotype or logotype_der(svg)), False
        )
    )
    if eku:
        builder = builder.add_extension(x509.ExtendedKeyUsage([BIMI_EKU]), critical=False)
    if sct:
        oid = ExtensionOID.PRECERT_SIGNED_CERTIFICATE_TIMESTAMPS
        builder = builder.add_extension(x509.UnrecognizedExtension(oid, sct_list_der()), False)
    if pilot:
        builder = builder.add_extension(x509.UnrecognizedExtension(PILOT_OID, b"\x05\x00"), False)
    if crl_url:
        point = x509.DistributionPoint([x509.UniformResourceIdentifier(crl_url)], None, None, None)
        builder = builder.add_extension(x509.CRLDistributionPoints([point]), False)
    leaf = builder.sign(mva.inter_key, hashes.SHA256())
    pem = leaf.public_bytes(serialization.Encoding.PEM)
    return pem + (mva.inter.public_bytes(serialization.Encoding.PEM) if chain else b"")


def make_crl(mva: TestMva, revoked: tuple[int, ...], now: datetime) -> bytes:
    """A DER CRL from the intermediate listing `revoked` serial numbers."""
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(mva.inter.subject)
        .last_update(now - timedelta(days=1))
        .next_update(now + timedelta(days=3650))
    )
    for serial in revoked:
        entry = (
            x509.RevokedCertificateBuilder()
            .serial_number(serial)
            .revocation_date(now - timedelta(days=1))
            .build()
        )
        builder = builder.add_revoked_certificate(entry)
    return builder.sign(mva.inter_key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)

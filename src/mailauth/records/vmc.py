"""Mark certificates (VMC and CMC): what Gmail and Apple Mail check before showing a logo.

A pure function over the PEM bytes the a= URL served, the author domain, the fetched logo,
the time and a set of trusted roots (draft-fetch-validation-vmc-wchuang-10 and the MC
Guidelines): the chain parses and verifies to a Mark Verifying Authority root; the leaf has
the BIMI extended key usage; it is valid now (and for how long); the author domain or its
organizational domain is in the SAN; the logotype extension carries the same SVG as the l=
file; the mark type; a precertificate SCT list (Certificate Transparency). Extensions this
module does not know (the "Pilot" identifier, vendor ones) are left alone: cryptography reads
them as unrecognized extensions, and nothing here rejects a certificate for having one.
Revocation needs a fetch; `crl_status` judges a CRL once the domain step has fetched it.
"""

from __future__ import annotations

import hashlib
from dataclasses import field
from datetime import datetime
from enum import Enum

from cryptography import x509
from cryptography.x509.oid import ExtensionOID

from mailauth.frozen import frozen
from mailauth.records.logotype import LogotypeError, decode_data_url, subject_logo_images
from mailauth.records.mark_roots import MarkRoot

BIMI_EKU = x509.ObjectIdentifier("1.3.6.1.5.5.7.3.31")
LOGOTYPE_OID = x509.ObjectIdentifier("1.3.6.1.5.5.7.1.12")
SCT_LIST_OID = ExtensionOID.PRECERT_SIGNED_CERTIFICATE_TIMESTAMPS
MARK_TYPE_OID = x509.ObjectIdentifier("1.3.6.1.4.1.53087.1.13")  # subject:markType
MARK_POLICY_OID = x509.ObjectIdentifier("1.3.6.1.4.1.53087.1.1")  # Mark Certificate policy
EXPIRING_DAYS = 30
_MAX_CHAIN = 8


class MarkType(str, Enum):
    """subject:markType (MC Guidelines §7.1.4.2.2): which kind of mark was verified."""

    REGISTERED = "Registered Mark"
    GOVERNMENT = "Government Mark"
    PRIOR_USE = "Prior Use Mark"
    MODIFIED_REGISTERED = "Modified Registered Mark"
    PENDING = "Pending Registration Mark"


VMC_MARKS = frozenset({MarkType.REGISTERED, MarkType.GOVERNMENT})


class CertificateKind(str, Enum):
    VMC = "vmc"  # Verified Mark Certificate: a registered or government mark
    CMC = "cmc"  # Common Mark Certificate: prior use or modified registered mark
    UNKNOWN = "unknown"  # no (known) mark type


class CertProblemCode(str, Enum):
    UNPARSEABLE = "unparseable"
    NOT_MARK = "not-mark"  # the leaf lacks the BIMI EKU
    EXPIRED = "expired"
    NOT_YET_VALID = "not-yet-valid"
    EXPIRING = "expiring"
    DOMAIN_MISMATCH = "domain-mismatch"
    NO_LOGO = "no-logo"  # no (readable) SVG in the logotype extension
    LOGO_MISMATCH = "logo-mismatch"
    NO_SCT = "no-sct"
    UNTRUSTED = "untrusted"


@frozen
class CertProblem:
    code: CertProblemCode
    detail: str = ""


class TrustStatus(str, Enum):
    TRUSTED = "trusted"  # verified to a shipped (or injected) MVA root
    UNTRUSTED = "untrusted"  # verified to nothing we know, or a signature failed


@frozen
class ChainVerdict:
    status: TrustStatus
    root: MarkRoot | None = None
    reason: str = ""  # unknown-issuer, unknown-root, bad-signature, issuer-not-ca, ...
    issuer: str = ""  # the name the chain stopped at
    path: tuple[x509.Certificate, ...] = ()


@frozen
class MarkCertificate:
    """The leaf's data as a report shows it, and every problem found. `leaf`/`issuer` are
    kept for the revocation step (None when the PEM did not parse)."""

    problems: tuple[CertProblem, ...] = ()
    subject: str | None = None
    issuer_name: str | None = None
    serial: str | None = None
    not_before: datetime | None = None
    not_after: datetime | None = None
    days_left: int | None = None
    san: tuple[str, ...] = ()
    mark_type: str | None = None
    kind: CertificateKind = CertificateKind.UNKNOWN
    pilot: bool = False
    sct_count: int = 0
    logo_sha256: str | None = None
    logo_matches: bool | None = None  # None: not compared (no fetched logo, or no logo)
    chain: ChainVerdict | None = None
    crl_urls: tuple[str, ...] = ()
    chain_length: int = 0
    leaf: x509.Certificate | None = field(default=None, repr=False, compare=False)

    @property
    def valid(self) -> bool:
        return not any(p.code is not CertProblemCode.EXPIRING for p in self.problems)


def _name(name: x509.Name) -> str:
    try:
        return name.rfc4514_string()
    except ValueError:
        return "?"


def verify_chain(
    leaf: x509.Certificate,
    pool: list[x509.Certificate],
    roots: tuple[MarkRoot, ...],
    now: datetime,
) -> ChainVerdict:
    """Walk issuer links from the leaf through the PEM's other certificates to a root.

    A link holds when the names match and `verify_directly_issued_by` accepts the signature.
    A self-signed certificate in the PEM is never an anchor by itself: only `roots` are.
    """
    path = [leaf]
    current = leaf
    for _ in range(_MAX_CHAIN):
        for root in roots:
            if root.certificate.subject == current.issuer:
                try:
                    current.verify_directly_issued_by(root.certificate)
                except Exception:  # InvalidSignature, an unsupported key: not the issuer
                    continue
                return ChainVerdict(TrustStatus.TRUSTED, root=root, path=tuple(path))
        if current.issuer == current.subject and current is not leaf:
            return ChainVerdict(
                TrustStatus.UNTRUSTED,
                reason="unknown-root",
                issuer=_name(current.subject),
                path=tuple(path),
            )
        candidates = [c for c in pool if c.subject == current.issuer and c not in path]
        nxt = None
        for candidate in candidates:
            try:
                current.verify_directly_issued_by(candidate)
            except Exception:
                continue
            nxt = candidate
            break
        if nxt is None:
            reason = "bad-signature" if candidates else "unknown-issuer"
            return ChainVerdict(
                TrustStatus.UNTRUSTED, reason=reason, issuer=_name(current.issuer), path=tuple(path)
            )
        problem = _ca_problem(nxt, now)
        if problem:
            return ChainVerdict(
                TrustStatus.UNTRUSTED, reason=problem, issuer=_name(nxt.subject), path=tuple(path)
            )
        path.append(nxt)
        current = nxt
    return ChainVerdict(TrustStatus.UNTRUSTED, reason="chain-too-long", path=tuple(path))


def _ca_problem(cert: x509.Certificate, now: datetime) -> str:
    try:
        ca = cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except (x509.ExtensionNotFound, ValueError):
        ca = False
    if not ca:
        return "issuer-not-ca"
    if not cert.not_valid_before_utc <= now <= cert.not_valid_after_utc:
        return "issuer-expired"
    return ""


def _extension(
    cert: x509.Certificate, oid: x509.ObjectIdentifier
) -> x509.Extension[x509.ExtensionType] | None:
    try:
        return cert.extensions.get_extension_for_oid(oid)
    except x509.ExtensionNotFound:
        return None


def _mark_type(cert: x509.Certificate) -> str | None:
    for attribute in cert.subject.get_attributes_for_oid(MARK_TYPE_OID):
        value = attribute.value
        return value if isinstance(value, str) else value.decode("utf-8", "replace")
    return None


def _kind(mark_type: str | None) -> CertificateKind:
    known = {m.value.lower(): m for m in MarkType}
    mark = known.get((mark_type or "").strip().lower())
    if mark is None:
        return CertificateKind.UNKNOWN
    return CertificateKind.VMC if mark in VMC_MARKS else CertificateKind.CMC


def _embedded_logo(cert: x509.Certificate) -> tuple[bytes | None, str]:
    ext = _extension(cert, LOGOTYPE_OID)
    if ext is None or not isinstance(ext.value, x509.UnrecognizedExtension):
        return None, "no-logotype"
    try:
        images = subject_logo_images(ext.value.value)
        for image in images:
            if image.media_type.lower() != "image/svg+xml":
                continue
            for uri in image.uris:
                if uri[:5].lower() == "data:":
                    return decode_data_url(uri), ""
    except LogotypeError:
        return None, "bad-logotype"
    return None, "no-embedded-svg"


def check_mark_certificate(
    pem: bytes,
    *,
    domains: tuple[str, ...],
    logo: bytes | None,
    now: datetime,
    roots: tuple[MarkRoot, ...],
) -> MarkCertificate:
    """Judge the PEM served at a= for a message from `domains[0]` (author domain; its
    organizational domain may follow). `logo` is the fetched l= file, None when it could not
    be fetched (then the embedded logo is reported but not compared). Never raises."""
    try:
        certs = x509.load_pem_x509_certificates(pem)
    except ValueError as exc:
        return MarkCertificate(problems=(CertProblem(CertProblemCode.UNPARSEABLE, str(exc)[:200]),))
    try:
        return _judge(certs, domains, logo, now, roots)
    except ValueError as exc:  # an extension cryptography knows but cannot read
        return MarkCertificate(problems=(CertProblem(CertProblemCode.UNPARSEABLE, str(exc)[:200]),))


def _judge(
    certs: list[x509.Certificate],
    domains: tuple[str, ...],
    logo: bytes | None,
    now: datetime,
    roots: tuple[MarkRoot, ...],
) -> MarkCertificate:
    leaf = certs[0]
    problems: list[CertProblem] = []
    eku = _extension(leaf, ExtensionOID.EXTENDED_KEY_USAGE)
    usages = (
        list(eku.value) if eku is not None and isinstance(eku.value, x509.ExtendedKeyUsage) else []
    )
    if BIMI_EKU not in usages:
        shown = ", ".join(u.dotted_string for u in usages) or "none"
        problems.append(CertProblem(CertProblemCode.NOT_MARK, shown))
    before, after = leaf.not_valid_before_utc, leaf.not_valid_after_utc
    days_left = (after - now).days
    if now > after:
        problems.append(CertProblem(CertProblemCode.EXPIRED, after.date().isoformat()))
    elif now < before:
        problems.append(CertProblem(CertProblemCode.NOT_YET_VALID, before.date().isoformat()))
    elif days_left < EXPIRING_DAYS:
        problems.append(CertProblem(CertProblemCode.EXPIRING, str(days_left)))
    san_ext = _extension(leaf, ExtensionOID.SUBJECT_ALTERNATIVE_NAME)
    san: tuple[str, ...] = ()
    if san_ext is not None and isinstance(san_ext.value, x509.SubjectAlternativeName):
        san = tuple(n.lower().rstrip(".") for n in san_ext.value.get_values_for_type(x509.DNSName))
    if not set(san) & {d.lower() for d in domains}:
        problems.append(CertProblem(CertProblemCode.DOMAIN_MISMATCH, ", ".join(san) or "none"))
    embedded, why = _embedded_logo(leaf)
    logo_sha = hashlib.sha256(embedded).hexdigest() if embedded is not None else None
    matches: bool | None = None
    if embedded is None:
        problems.append(CertProblem(CertProblemCode.NO_LOGO, why))
    elif logo is not None:
        matches = hashlib.sha256(logo).digest() == hashlib.sha256(embedded).digest()
        if not matches:
            problems.append(CertProblem(CertProblemCode.LOGO_MISMATCH, logo_sha or ""))
    sct = _extension(leaf, SCT_LIST_OID)
    sct_count = 0
    if sct is not None:
        value = sct.value
        sct_count = (
            len(list(value))
            if isinstance(value, x509.PrecertificateSignedCertificateTimestamps)
            else 1
        )
    if sct_count == 0:
        problems.append(CertProblem(CertProblemCode.NO_SCT))
    chain = verify_chain(leaf, certs[1:], roots, now)
    if chain.status is TrustStatus.UNTRUSTED:
        problems.append(CertProblem(CertProblemCode.UNTRUSTED, f"{chain.reason}: {chain.issuer}"))
    mark_type = _mark_type(leaf)
    return MarkCertificate(
        problems=tuple(problems),
        subject=_name(leaf.subject),
        issuer_name=_name(leaf.issuer),
        serial=format(leaf.serial_number, "x"),
        not_before=before,
        not_after=after,
        days_left=days_left,
        san=san,
        mark_type=mark_type,
        kind=_kind(mark_type),
        pilot=_extension(leaf, PILOT_OID) is not None,
        sct_count=sct_count,
        logo_sha256=logo_sha,
        logo_matches=matches,
        chain=chain,
        crl_urls=_crl_urls(leaf),
        chain_length=len(certs),
        leaf=leaf,
    )


PILOT_OID = x509.ObjectIdentifier("1.3.6.1.4.1.53087.4.1")  # "Pilot Identifier" extension


def _crl_urls(cert: x509.Certificate) -> tuple[str, ...]:
    ext = _extension(cert, ExtensionOID.CRL_DISTRIBUTION_POINTS)
    if ext is None or not isinstance(ext.value, x509.CRLDistributionPoints):
        return ()
    urls = []
    for point in ext.value:
        for name in point.full_name or ():
            if isinstance(name, x509.UniformResourceIdentifier):
                urls.append(name.value)
    return tuple(urls)


class RevocationStatus(str, Enum):
    GOOD = "good"
    REVOKED = "revoked"
    BAD_CRL = "bad-crl"  # unparseable, wrong signature or stale
    NOT_CHECKED = "not-checked"


def crl_status(
    crl_bytes: bytes, leaf: x509.Certificate, issuer: x509.Certificate, now: datetime
) -> tuple[RevocationStatus, str]:
    """Is `leaf` on the CRL its issuer signed? A CRL that does not parse, is not signed by
    the issuer or is past its nextUpdate proves nothing (BAD_CRL, with the reason)."""
    try:
        crl = (
            x509.load_pem_x509_crl(crl_bytes)
            if crl_bytes.lstrip().startswith(b"-----")
            else x509.load_der_x509_crl(crl_bytes)
        )
        if crl.issuer != issuer.subject or not crl.is_signature_valid(issuer.public_key()):  # type: ignore[arg-type]
            return RevocationStatus.BAD_CRL, "signature"
        update = crl.next_update_utc
        if update is not None and update < now:
            return RevocationStatus.BAD_CRL, "stale"
        entry = crl.get_revoked_certificate_by_serial_number(leaf.serial_number)
    except (ValueError, TypeError):  # the library's sentence is English: the code says it
        return RevocationStatus.BAD_CRL, "unparseable"
    if entry is not None:
        return RevocationStatus.REVOKED, entry.revocation_date_utc.date().isoformat()
    return RevocationStatus.GOOD, ""

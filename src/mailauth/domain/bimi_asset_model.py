"""What the BIMI logo/certificate step found, as typed values, and which receivers would show
the logo because of it.

`receiver_verdicts` is pure and states the rule each mailbox applies (Gmail's and Apple's
published BIMI requirements, Yahoo's acceptance of self-asserted logos): Gmail needs a valid
VMC or CMC, Apple Mail a VMC (and distrusts Entrust-issued mark certificates), Yahoo shows a
valid SVG logo without a certificate. All of them need DMARC at enforcement first. When a
part was not checked (no fetching, or not available offline) the verdict is None, "unknown",
never a guess.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

from mailauth.fetch.interface import FetchOutcome
from mailauth.frozen import frozen

if TYPE_CHECKING:  # their modules import cryptography.x509 and defusedxml: only for assets
    from mailauth.records.bimi_svg import SvgCheck
    from mailauth.records.vmc import MarkCertificate, RevocationStatus


class AssetStatus(str, Enum):
    VALID = "valid"
    INVALID = "invalid"
    UNTRUSTED = "untrusted"  # certificate fine in itself, but no known MVA root vouches for it
    FETCH_FAILED = "fetch-failed"
    NOT_AVAILABLE_OFFLINE = "not-available-offline"  # --https-dir has no file for the URL
    DISABLED = "disabled"  # --no-fetch
    NOT_FETCHED = "not-fetched"  # no URL, a URL the record check flagged, or no fetcher

    @property
    def checked(self) -> bool:
        return self in (AssetStatus.VALID, AssetStatus.INVALID, AssetStatus.UNTRUSTED)


@frozen
class Revocation:
    """CRL check of the leaf. `detail` is a reason code when NOT_CHECKED or BAD_CRL:
    `no-crl-url`, `issuer-unknown`, a fetch
    outcome (`disabled`, `not-available-offline`, ...), `signature`, `stale`."""

    status: RevocationStatus
    url: str | None = None
    detail: str = ""


@frozen
class LogoAsset:
    status: AssetStatus
    url: str | None = None
    fetch: FetchOutcome | None = None
    fetch_detail: str | None = None
    offline: bool = False
    svg: SvgCheck | None = None


@frozen
class CertificateAsset:
    status: AssetStatus
    url: str | None = None
    fetch: FetchOutcome | None = None
    fetch_detail: str | None = None
    offline: bool = False
    mark: MarkCertificate | None = None
    revocation: Revocation | None = None


NOT_FETCHED_LOGO = LogoAsset(AssetStatus.NOT_FETCHED)
NOT_FETCHED_CERTIFICATE = CertificateAsset(AssetStatus.NOT_FETCHED)


class Receiver(str, Enum):
    GMAIL = "gmail"
    APPLE = "apple"
    YAHOO = "yahoo"


@frozen
class ReceiverVerdict:
    """`shown` None: could not be told (something was not checked). `reason` is a code the
    i18n table words (`bimi.reason.<code>`)."""

    receiver: Receiver
    shown: bool | None
    reason: str


def _logo_gate(
    usable: bool, declined: bool, enforced: bool | None, logo: LogoAsset
) -> tuple[bool | None, str] | None:
    if declined:
        return False, "declined"
    if not usable:
        return False, "no-record"
    if enforced is False:
        return False, "dmarc-not-enforced"
    if logo.status is AssetStatus.INVALID:
        return False, "logo-invalid"
    if logo.status is AssetStatus.FETCH_FAILED:
        return False, "logo-unavailable"
    if not logo.status.checked:
        return None, "logo-not-checked"
    if enforced is None:
        return None, "dmarc-unknown"
    return None


def _certificate_gate(
    cert: CertificateAsset, has_url: bool, vmc_only: bool
) -> tuple[bool | None, str]:
    if not has_url:
        return False, "no-certificate"
    if cert.status in (AssetStatus.INVALID, AssetStatus.FETCH_FAILED):
        return False, "certificate-invalid"
    if cert.status is AssetStatus.UNTRUSTED:
        return False, "certificate-untrusted"
    mark = cert.mark
    if not cert.status.checked or mark is None:
        return None, "certificate-not-checked"
    from mailauth.records.vmc import CertificateKind, TrustStatus  # loaded once a mark is read

    if mark.kind is CertificateKind.UNKNOWN:
        return False, "mark-type-unknown"
    if vmc_only and mark.kind is not CertificateKind.VMC:
        return False, "cmc-not-accepted"
    chain = mark.chain
    if (
        vmc_only
        and chain
        and chain.status is TrustStatus.TRUSTED
        and chain.root
        and chain.root.apple_distrusted
    ):
        return False, "root-distrusted"
    return True, "certificate-valid"


def receiver_verdicts(
    *,
    usable: bool,
    declined: bool,
    enforced: bool | None,
    logo: LogoAsset,
    certificate: CertificateAsset,
    has_certificate_url: bool,
) -> tuple[ReceiverVerdict, ...]:
    """Would Gmail, Apple Mail and Yahoo show the logo, and if not, why not."""
    gate = _logo_gate(usable, declined, enforced, logo)
    out = []
    for receiver in Receiver:
        if gate is not None:
            out.append(ReceiverVerdict(receiver, *gate))
        elif receiver is Receiver.YAHOO:
            out.append(ReceiverVerdict(receiver, True, "self-asserted"))
        else:
            shown, reason = _certificate_gate(
                certificate, has_certificate_url, receiver is Receiver.APPLE
            )
            out.append(ReceiverVerdict(receiver, shown, reason))
    return tuple(out)

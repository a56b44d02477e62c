"""The BIMI step beyond DNS: fetch the logo (l=) and the mark certificate (a=) through the
fetch seam, judge them with the pure checks (`records.bimi_svg`, `records.vmc`), check the
certificate's revocation through its CRL, and turn what was found into findings.

Only URLs the record check found usable are fetched (a flagged URL is never requested). A
fetch that fails is a finding with the reason; "not available offline" (`--https-dir` has no
file) and "disabled" (`--no-fetch`) are statuses of their own, reported as not checked,
never as failures.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timezone
from functools import cache
from typing import TYPE_CHECKING, Any

from mailauth.domain.bimi_asset_model import (
    NOT_FETCHED_CERTIFICATE,
    NOT_FETCHED_LOGO,
    AssetStatus,
    CertificateAsset,
    LogoAsset,
    Revocation,
)
from mailauth.fetch.interface import (
    MAX_CERTIFICATE_BYTES,
    MAX_CRL_BYTES,
    MAX_SVG_BYTES,
    Fetcher,
    FetchOutcome,
    FetchResult,
)
from mailauth.findings.catalogue import finding
from mailauth.frozen import frozen
from mailauth.model import Finding, Phrase
from mailauth.records.bimi import BimiUrl

# The SVG and certificate readers (defusedxml, cryptography.x509, the shipped roots parsed)
# are imported when a logo or certificate was fetched, not with this module: a check whose
# fetches are offline or disabled never reads one (start-up time, issue 10).
if TYPE_CHECKING:
    from mailauth.domain.bimi import BimiReport
    from mailauth.records.bimi_svg import SvgCheck, SvgProblemCode
    from mailauth.records.mark_roots import MarkRoot
    from mailauth.records.vmc import MarkCertificate

_QUIET = (FetchOutcome.NOT_AVAILABLE_OFFLINE, FetchOutcome.DISABLED)


@cache
def _svg_ids() -> dict[SvgProblemCode, str]:
    from mailauth.records.bimi_svg import SvgProblemCode

    return {
        SvgProblemCode.UNPARSEABLE: "bimi.svg-unparseable",
        SvgProblemCode.DTD: "bimi.svg-dtd",
        SvgProblemCode.NOT_SVG: "bimi.svg-not-tiny-ps",
        SvgProblemCode.VERSION: "bimi.svg-not-tiny-ps",
        SvgProblemCode.BASE_PROFILE: "bimi.svg-not-tiny-ps",
        SvgProblemCode.ROOT_POSITION: "bimi.svg-not-tiny-ps",
        SvgProblemCode.NO_TITLE: "bimi.svg-not-tiny-ps",
        SvgProblemCode.FORBIDDEN_ELEMENT: "bimi.svg-forbidden-element",
        SvgProblemCode.EVENT_ATTRIBUTE: "bimi.svg-forbidden-element",
        SvgProblemCode.EXTERNAL_REFERENCE: "bimi.svg-external-reference",
        SvgProblemCode.JAVASCRIPT: "bimi.svg-external-reference",
        SvgProblemCode.NO_VIEWBOX: "bimi.svg-not-square",
        SvgProblemCode.NOT_SQUARE: "bimi.svg-not-square",
        SvgProblemCode.TOO_LARGE: "bimi.svg-too-large",
    }


@frozen
class BimiAssets:
    logo: LogoAsset
    certificate: CertificateAsset
    findings: tuple[Finding, ...] = ()


def _status_of(result: FetchResult) -> AssetStatus:
    if result.outcome is FetchOutcome.NOT_AVAILABLE_OFFLINE:
        return AssetStatus.NOT_AVAILABLE_OFFLINE
    if result.outcome is FetchOutcome.DISABLED:
        return AssetStatus.DISABLED
    return AssetStatus.FETCH_FAILED


def _reason(result: FetchResult, limit: int) -> Phrase:
    """Why a fetch failed, in the catalogue's words (`fetch-outcome.*`, as MTA-STS words it):
    the outcome's code and the fetcher's short machine detail, never an English sentence."""
    return Phrase(
        f"fetch-outcome.{result.outcome.value}", {"detail": result.detail or "-", "limit": limit}
    )


def _usable(url: BimiUrl | None) -> str | None:
    return url.raw if url is not None and url.usable else None


def svg_findings(svg: SvgCheck, url: str) -> list[Finding]:
    from mailauth.records.bimi_svg import SvgProblemCode
    from mailauth.records.xml_reasons import xml_reason

    out = []
    for p in svg.problems:
        out.append(
            finding(
                _svg_ids()[p.code],
                url=url,
                line=p.line,
                element=p.element or "svg",
                setting=f' {p.attribute}="{p.value}"' if p.attribute else "",
                value=p.value,
                rule=p.code.value,
                reason=xml_reason(p.value) if p.code is SvgProblemCode.UNPARSEABLE else p.value,
                size=svg.size,
            )
        )
    return out


def certificate_findings(
    mark: MarkCertificate, url: str, domain: str, logo: SvgCheck | None
) -> list[Finding]:
    from mailauth.records.vmc import CertProblemCode

    out = []
    for p in mark.problems:
        params: dict[str, Any] = {"url": url, "reason": p.detail, "domain": domain}
        match p.code:
            case CertProblemCode.UNPARSEABLE:
                fid = "bimi.certificate-unparseable"
                params["reason"] = Phrase("bimi.why.unparseable")
            case CertProblemCode.NOT_MARK:
                fid, params["usages"] = "bimi.certificate-not-mark", p.detail
            case CertProblemCode.EXPIRED:
                fid, params["date"] = "bimi.certificate-expired", p.detail
            case CertProblemCode.NOT_YET_VALID:
                fid, params["date"] = "bimi.certificate-not-yet-valid", p.detail
            case CertProblemCode.EXPIRING:
                fid, params["days"] = "bimi.certificate-expiring", p.detail
            case CertProblemCode.DOMAIN_MISMATCH:
                fid, params["san"] = "bimi.certificate-domain-mismatch", p.detail
            case CertProblemCode.NO_LOGO:
                fid = "bimi.certificate-no-logo"
                params["reason"] = Phrase(f"bimi.why.{p.detail}")
            case CertProblemCode.LOGO_MISMATCH:
                fid = "bimi.certificate-logo-mismatch"
                params["embedded"] = p.detail
                params["fetched"] = logo.sha256 if logo else "?"
            case CertProblemCode.NO_SCT:
                fid = "bimi.certificate-no-sct"
            case CertProblemCode.UNTRUSTED:
                chain = mark.chain
                fid = "bimi.certificate-untrusted"
                code = chain.reason if chain else "unknown-issuer"
                params["reason"] = Phrase(f"bimi.untrusted.{code}")
                params["issuer"] = chain.issuer if chain else ""
        out.append(finding(fid, **params))
    return out


class FetchingAssetChecker:
    """The default `BimiAssetChecker`: fetch through `fetcher`, trust the shipped Mark
    Verifying Authority roots plus `extra_roots`, judge at `clock()`."""

    def __init__(
        self,
        fetcher: Fetcher,
        *,
        extra_roots: tuple[MarkRoot, ...] = (),
        clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
    ) -> None:
        self._fetcher = fetcher
        self._extra_roots = extra_roots
        self._clock = clock

    @property
    def _roots(self) -> tuple[MarkRoot, ...]:
        """The shipped roots plus the extra ones, parsed when a certificate is judged."""
        from mailauth.records.mark_roots import shipped_roots

        return (*shipped_roots(), *self._extra_roots)

    @classmethod
    def with_pem_roots(cls, fetcher: Fetcher, pems: tuple[bytes, ...]) -> FetchingAssetChecker:
        roots = []
        for pem in pems:
            from mailauth.records.mark_roots import root_from_pem  # x509: only for extra roots

            try:
                roots.append(root_from_pem(pem))
            except ValueError:
                continue  # an unreadable extra root trusts nothing
        return cls(fetcher, extra_roots=tuple(roots))

    async def check(self, report: BimiReport) -> BimiAssets:
        record = report.record
        if record is None or not record.valid:
            return BimiAssets(NOT_FETCHED_LOGO, NOT_FETCHED_CERTIFICATE)
        logo_url = next((u.raw for u in record.locations if u.usable), None)
        cert_url = _usable(record.authority)
        logo_result, cert_result = await asyncio.gather(
            self._fetch(logo_url, MAX_SVG_BYTES), self._fetch(cert_url, MAX_CERTIFICATE_BYTES)
        )
        findings: list[Finding] = []
        logo = self._logo(logo_url, logo_result, findings)
        body = logo_result.body if logo_result is not None and logo_result.ok else None
        certificate = await self._certificate(report, cert_url, cert_result, logo, body, findings)
        return BimiAssets(logo, certificate, tuple(findings))

    async def _fetch(self, url: str | None, cap: int) -> FetchResult | None:
        if url is None:
            return None
        return await self._fetcher.fetch(url, max_bytes=cap)

    def _logo(
        self, url: str | None, result: FetchResult | None, findings: list[Finding]
    ) -> LogoAsset:
        if url is None or result is None:
            return LogoAsset(AssetStatus.NOT_FETCHED, url=url)
        common = {
            "url": url,
            "fetch": result.outcome,
            "fetch_detail": result.detail,
            "offline": result.offline,
        }
        if result.outcome is FetchOutcome.TOO_LARGE:
            size = result.detail or f"> {MAX_SVG_BYTES}"
            findings.append(finding("bimi.svg-too-large", url=url, size=size))
            return LogoAsset(AssetStatus.INVALID, **common)  # type: ignore[arg-type]
        if not result.ok:
            if result.outcome not in _QUIET:
                findings.append(
                    finding(
                        "bimi.logo-fetch-failed", url=url, reason=_reason(result, MAX_SVG_BYTES)
                    )
                )
            return LogoAsset(_status_of(result), **common)  # type: ignore[arg-type]
        from mailauth.records.bimi_svg import check_svg

        svg = check_svg(result.body)
        findings.extend(svg_findings(svg, url))
        status = AssetStatus.VALID if svg.valid else AssetStatus.INVALID
        return LogoAsset(status, svg=svg, **common)  # type: ignore[arg-type]

    async def _certificate(
        self,
        report: BimiReport,
        url: str | None,
        result: FetchResult | None,
        logo: LogoAsset,
        fetched_logo: bytes | None,
        findings: list[Finding],
    ) -> CertificateAsset:
        if url is None or result is None:
            return CertificateAsset(AssetStatus.NOT_FETCHED, url=url)
        if not result.ok:
            if result.outcome not in _QUIET:
                findings.append(
                    finding(
                        "bimi.certificate-fetch-failed",
                        url=url,
                        reason=_reason(result, MAX_CERTIFICATE_BYTES),
                    )
                )
            return CertificateAsset(
                _status_of(result),
                url=url,
                fetch=result.outcome,
                fetch_detail=result.detail,
                offline=result.offline,
            )
        from mailauth.records.vmc import CertProblemCode, RevocationStatus, check_mark_certificate

        domain = report.domain
        domains = tuple(dict.fromkeys(d for d in (domain, report.org_domain) if d))
        now = self._clock()
        mark = check_mark_certificate(
            result.body, domains=domains, logo=fetched_logo, now=now, roots=self._roots
        )
        revocation = await self._revocation(mark, now)
        findings.extend(certificate_findings(mark, url, domain, logo.svg))
        if revocation.status is RevocationStatus.REVOKED:
            findings.append(
                finding("bimi.certificate-revoked", url=revocation.url, date=revocation.detail)
            )
        codes = {p.code for p in mark.problems} - {CertProblemCode.EXPIRING}
        if revocation.status is RevocationStatus.REVOKED or codes - {CertProblemCode.UNTRUSTED}:
            status = AssetStatus.INVALID
        elif codes:
            status = AssetStatus.UNTRUSTED
        else:
            status = AssetStatus.VALID
        return CertificateAsset(
            status,
            url=url,
            fetch=result.outcome,
            offline=result.offline,
            mark=mark,
            revocation=revocation,
        )

    async def _revocation(self, mark: MarkCertificate, now: datetime) -> Revocation:
        from mailauth.records.vmc import RevocationStatus, crl_status

        if mark.leaf is None:
            return Revocation(RevocationStatus.NOT_CHECKED, detail="unparseable")
        if not mark.crl_urls:
            return Revocation(RevocationStatus.NOT_CHECKED, detail="no-crl-url")
        url = mark.crl_urls[0]
        chain = mark.chain
        issuer = None
        if chain is not None and len(chain.path) > 1:
            issuer = chain.path[1]
        elif chain is not None and chain.root is not None:
            issuer = chain.root.certificate
        if issuer is None:
            return Revocation(RevocationStatus.NOT_CHECKED, url, "issuer-unknown")
        # Most CRLs are served over plain http (RFC 5280 distribution points): the CRL is
        # the one document fetched with `allow_http` (same address vetting and caps, no
        # redirect); its own signature, checked by crl_status, is what makes it trustworthy.
        result = await self._fetcher.fetch(url, max_bytes=MAX_CRL_BYTES, allow_http=True)
        if not result.ok:
            return Revocation(RevocationStatus.NOT_CHECKED, url, result.outcome.value)
        status, detail = crl_status(result.body, mark.leaf, issuer, now)
        return Revocation(status, url, detail)

"""Text view of the BIMI logo, mark certificate and logo display verdicts: one line each, in
words from the i18n table (the full data is in `--format json`)."""

from __future__ import annotations

from mailauth.domain.bimi import BimiReport
from mailauth.domain.bimi_asset_model import AssetStatus, CertificateAsset, LogoAsset
from mailauth.i18n import field_label, has_label, label
from mailauth.render.ink import Canvas
from mailauth.render.layout import print_field


def _logo_line(logo: LogoAsset, lang: str) -> str:
    text = label(f"bimi.asset.{logo.status.value}", lang)
    svg = logo.svg
    if svg is not None and logo.status.checked:
        text = label("bimi.logo.facts", lang, status=text, size=svg.size, title=svg.title or "-")
    return text


def _certificate_line(cert: CertificateAsset, lang: str) -> str:
    text = label(f"bimi.asset.{cert.status.value}", lang)
    mark = cert.mark
    if mark is not None and mark.not_after is not None:
        chain = mark.chain
        root = chain.root.name if chain and chain.root else label("bimi.root.unknown", lang)
        text = label(
            "bimi.certificate.facts",
            lang,
            status=text,
            kind=mark.kind.value.upper(),
            mark_type=mark.mark_type or "-",
            until=mark.not_after.date().isoformat(),
            days=mark.days_left,
            root=root,
        )
    return text


def _revocation_line(cert: CertificateAsset, lang: str) -> str | None:
    revocation = cert.revocation
    if revocation is None or cert.mark is None or cert.mark.leaf is None:
        return None
    from mailauth.records.vmc import RevocationStatus  # loaded with the mark certificate read

    if revocation.status is RevocationStatus.NOT_CHECKED:
        key = f"bimi.revocation.not-checked.{revocation.detail}"
        reason = label(key, lang) if has_label(key) else revocation.detail
        return label("bimi.revocation.not-checked", lang, reason=reason)
    if revocation.status is RevocationStatus.BAD_CRL:  # a code: signature, stale, unparseable
        why = f"bimi.crl.{revocation.detail}"
        detail = label(why, lang) if has_label(why) else revocation.detail
        return label("bimi.revocation.bad-crl", lang, detail=detail)
    return label(f"bimi.revocation.{revocation.status.value}", lang, detail=revocation.detail)


def print_bimi_assets(console: Canvas, r: BimiReport, lang: str) -> None:
    if r.record is None or r.declined:
        return
    if r.logo.status is not AssetStatus.NOT_FETCHED or r.logo.url:
        print_field(
            console, field_label("logo_file", lang), _logo_line(r.logo, lang), lang, prose=True
        )
    if r.certificate.status is not AssetStatus.NOT_FETCHED or r.certificate.url:
        line = _certificate_line(r.certificate, lang)
        print_field(console, field_label("certificate_file", lang), line, lang, prose=True)
        revocation = _revocation_line(r.certificate, lang)
        if revocation:
            print_field(console, field_label("revocation", lang), revocation, lang, prose=True)
    shown = []
    for v in r.receivers:
        answer = {True: "yes", False: "no", None: "unknown"}[v.shown]
        shown.append(
            label(
                "bimi.receiver.verdict",
                lang,
                receiver=label(f"bimi.receiver.{v.receiver.value}", lang),
                answer=label(f"bimi.answer.{answer}", lang),
                reason=label(f"bimi.reason.{v.reason}", lang),
            )
        )
    print_field(console, field_label("logo_shown", lang), "; ".join(shown), lang, prose=True)

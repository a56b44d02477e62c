"""JSON of the BIMI logo and mark certificate (`bimi.logo`, `bimi.certificate`) and of the
receivers that would show the logo (`bimi.receivers`). Dates are ISO 8601 UTC."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from mailauth.domain.bimi_asset_model import CertificateAsset, LogoAsset, ReceiverVerdict


def _when(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value is not None else None


def logo_json(logo: LogoAsset) -> dict[str, Any]:
    svg = logo.svg
    return {
        "status": logo.status.value,
        "url": logo.url,
        "fetch": logo.fetch.value if logo.fetch else None,
        "fetch_detail": logo.fetch_detail,
        "offline": logo.offline,
        "size": svg.size if svg else None,
        "sha256": svg.sha256 if svg else None,
        "title": svg.title if svg else None,
        "view_box": svg.view_box if svg else None,
        "problems": [
            {
                "code": p.code.value,
                "element": p.element or None,
                "attribute": p.attribute or None,
                "value": p.value or None,
                "line": p.line or None,
            }
            for p in (svg.problems if svg else ())
        ],
    }


def certificate_json(cert: CertificateAsset) -> dict[str, Any]:
    mark, revocation = cert.mark, cert.revocation
    chain = mark.chain if mark else None
    root = chain.root if chain else None
    return {
        "status": cert.status.value,
        "url": cert.url,
        "fetch": cert.fetch.value if cert.fetch else None,
        "fetch_detail": cert.fetch_detail,
        "offline": cert.offline,
        "kind": mark.kind.value if mark and mark.leaf is not None else None,
        "mark_type": mark.mark_type if mark else None,
        "subject": mark.subject if mark else None,
        "issuer": mark.issuer_name if mark else None,
        "serial": mark.serial if mark else None,
        "not_before": _when(mark.not_before if mark else None),
        "not_after": _when(mark.not_after if mark else None),
        "days_left": mark.days_left if mark else None,
        "san": list(mark.san) if mark else [],
        "pilot": mark.pilot if mark else None,
        "sct_count": mark.sct_count if mark else None,
        "logo_sha256": mark.logo_sha256 if mark else None,
        "logo_matches": mark.logo_matches if mark else None,
        "chain_length": mark.chain_length if mark else None,
        "trusted": (chain.status.value == "trusted") if chain else None,
        "root": root.name if root else None,
        "root_apple_distrusted": root.apple_distrusted if root else None,
        "untrusted_reason": chain.reason or None if chain else None,
        "problems": [p.code.value for p in mark.problems] if mark else [],
        "revocation": {
            "status": revocation.status.value,
            "url": revocation.url,
            "detail": revocation.detail or None,
        }
        if revocation
        else None,
    }


def receivers_json(verdicts: tuple[ReceiverVerdict, ...]) -> list[dict[str, Any]]:
    return [{"receiver": v.receiver.value, "shown": v.shown, "reason": v.reason} for v in verdicts]

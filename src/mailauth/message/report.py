"""`MessageReport`: everything `mailauth verify` found out about one message.

Typed fields for the renderers and library users; `data()` is the protocol part of the JSON
report (issue 3's shape: `dkim[]`, `spf`, `dmarc`, `arc`, `authentication_results`...). The
renderers add `file`, score, grade and `findings[]` in the shape shared with `mailauth check`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mailauth.dns.reverse import ReverseDns
from mailauth.i18n import label
from mailauth.message.arc import ArcOutcome
from mailauth.message.authresults import AuthResults, Difference
from mailauth.message.dkim import DkimSignature
from mailauth.message.dmarc import DmarcOutcome
from mailauth.message.received import Hop
from mailauth.message.spf import SpfOutcome
from mailauth.model import Finding, Result
from mailauth.scoring import ScoreCard


@dataclass(frozen=True)
class MessageReport:
    file: str
    subject: str | None
    dkim: tuple[DkimSignature, ...]
    dkim_total: int
    spf: SpfOutcome
    dmarc: DmarcOutcome
    arc: ArcOutcome
    authentication_results: str
    score: ScoreCard
    findings: tuple[Finding, ...] = ()
    receiving_hop: Hop | None = None
    fcrdns: ReverseDns | None = None  # of the connecting IP, when known
    earlier_results: tuple[AuthResults, ...] = ()
    differences: tuple[Difference, ...] = ()

    @property
    def from_domain(self) -> str | None:
        return self.dmarc.from_domain

    @property
    def no_verdict(self) -> bool:
        """DMARC could not be decided because a lookup failed (CLI exit 3)."""
        return self.dmarc.result is Result.TEMPERROR

    def dkim_aligned(self, sig: DkimSignature) -> bool:
        return sig.result is Result.PASS and sig.domain in self.dmarc.dkim_aligned

    def data(self) -> dict[str, Any]:
        spf, dmarc, arc = self.spf, self.dmarc, self.arc
        ident = spf.identity
        sealer = arc.sealer
        return {
            "file": self.file,
            "from_domain": self.from_domain,
            "subject": self.subject,
            "dkim": [self._dkim(s) for s in self.dkim],
            "dkim_signatures_total": self.dkim_total,
            "spf": {
                "result": spf.result.value,
                "domain": spf.domain,
                "ip": ident.ip,
                "helo": ident.helo,
                "mail_from": ident.mail_from,
                "sources": {
                    "ip": ident.ip_source,
                    "helo": ident.helo_source,
                    "mail_from": ident.mail_from_source,
                },
                "aligned": dmarc.spf_aligned,
                "record": spf.record,
                "mechanism": spf.mechanism,
                "problem": spf.problem or None,
                "problem_code": spf.problem_code.value if spf.problem_code else None,
                "dns_lookups": spf.lookups,
                "void_lookups": spf.void_lookups,
            },
            "dmarc": {
                "result": dmarc.result.value,
                "policy": dmarc.policy.value if dmarc.policy else None,
                "policy_tag": dmarc.policy_tag.value if dmarc.policy_tag else None,
                "disposition": dmarc.disposition.value,
                "testing": dmarc.testing,
                "org_domain": dmarc.org_domain,
                "record": dmarc.record,
                "location": dmarc.location,
                "from_addresses": list(dmarc.from_addresses),
                "alignment": {
                    "spf": dmarc.spf_aligned,
                    "dkim": bool(dmarc.dkim_aligned),
                    "spf_mode": dmarc.spf_mode.value,
                    "dkim_mode": dmarc.dkim_mode.value,
                    "dkim_domains": list(dmarc.dkim_aligned),
                },
            },
            "arc": {
                "result": arc.result.value,
                "instances": arc.instances,
                "reason": arc.reason or None,
                "reason_code": arc.reason_code.value if arc.reason_code else None,
                "sealer": sealer.seal_domain if sealer else None,
                "hops": [
                    {
                        "instance": h.instance,
                        "domain": h.seal_domain,
                        "selector": h.seal_selector,
                        "cv": h.cv.value if h.cv else "",
                        "seal_valid": h.seal_valid,
                        "signature_valid": h.signature_valid,
                        "authentication_results": h.results,
                    }
                    for h in sorted(arc.hops, key=lambda h: h.instance)
                ],
            },
            "transport": {
                "received": self.receiving_hop.raw if self.receiving_hop else None,
                "tls": self.receiving_hop.tls if self.receiving_hop else None,
                "fcrdns": self.fcrdns.status.value if self.fcrdns else None,
                "ptr": list(self.fcrdns.names) if self.fcrdns else [],
            },
            "authentication_results": self.authentication_results,
            "earlier_results": [
                {
                    "authserv_id": d.authserv_id,
                    "method": d.method,
                    "identifier": d.identifier,
                    "then": d.then,
                    "now": d.now.value,
                }
                for d in self.differences
            ],
        }

    def _dkim(self, sig: DkimSignature) -> dict[str, Any]:
        return {
            "domain": sig.domain,
            "selector": sig.selector,
            "algorithm": sig.algorithm,
            "canonicalization": sig.canonicalization,
            "result": sig.result.value,
            "reason": label(f"verify.dkim-reason.{sig.reason.value}"),
            "reason_code": sig.reason.value,
            "aligned": self.dkim_aligned(sig),
            "key_bits": sig.key.key_bits if sig.key else None,
            "key_type": sig.key.key_type if sig.key else None,
            "body_length": sig.body_length,
            "signed_headers": list(sig.signed_headers),
        }

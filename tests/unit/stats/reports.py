"""Hand-built check reports (the JSON `mailauth check` writes, reduced to what stats reads)."""

from __future__ import annotations

import json
from typing import Any


def report(
    domain: str,
    *,
    spf: str | None = "v=spf1 -all",
    spf_all: str | None = "-all",
    lookups: int = 0,
    policy: str | None = "reject",
    rua: bool = True,
    dkim: bool = True,
    bimi: bool = False,
    mta_sts: bool = False,
    tls_rpt: bool = False,
    null_mx: bool = False,
    mx: tuple[str, ...] = (),
    ns: tuple[str, ...] | None = (),
    grade: str | None = "A",
    score: int | None = 100,
    findings: tuple[str, ...] = (),
    checked_at: str | None = None,
    exists: bool | None = True,
    tried: tuple[str, ...] = ("s1", "google"),
) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "schema_version": 1,
        "domain": domain,
        "domain_exists": exists,
        "score": score,
        "grade": grade,
        "spf": {
            "status": "pass" if spf else "none",
            "record": spf,
            "records_found": 1 if spf else 0,
            "dns_lookups": lookups,
            "dns_lookup_limit": 10,
            "all": spf_all,
        },
        "dmarc": {
            "status": "pass" if policy else "none",
            "policy": policy,
            "tags": {"rua": ["mailto:d@" + domain] if rua and policy else []},
        },
        "dkim": {
            "status": "pass" if dkim else "none",
            "selectors": (
                [{"selector": "s1", "record": "v=DKIM1; p=AAAA", "revoked": False}] if dkim else []
            ),
            "tried": list(tried),
        },
        "bimi": {"record": "v=BIMI1; l=https://x/l.svg" if bimi else None},
        "mta_sts": {"record": "v=STSv1; id=1" if mta_sts else None},
        "tls_rpt": {"record": "v=TLSRPTv1; rua=mailto:t@x" if tls_rpt else None},
        "mx": {
            "hosts": [{"name": h, "preference": 10} for h in mx],
            "null_mx": null_mx,
        },
        "findings": [{"id": f, "check": f.split(".")[0]} for f in findings],
    }
    if ns is not None:
        doc["ns"] = {"status": "pass" if ns else "none", "hosts": list(ns)}
    if checked_at is not None:
        doc["checked_at"] = checked_at
    return doc


def jsonl(*docs: dict[str, Any]) -> str:
    return "".join(json.dumps(d) + "\n" for d in docs)

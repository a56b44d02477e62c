"""The few values of one check report that a survey counts, read from its JSON object.

The input is a file someone else may have written or edited, so every value is read
defensively: a key that is missing or of the wrong type reads as "not there" instead of
failing the whole run; only a line that is not a JSON object with a `domain` is malformed.
Facts are small and shared (`intern`ed strings, one tuple per distinct DKIM selector list)
so 100,000 domains fit in memory easily.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

# The qualifiers of an SPF `all` term (RFC 7208 §4.7, §5.1), and `none` for a record without
# one (a redirect, or no `all`: ?all is then implied).
SPF_ALL = ("-all", "~all", "?all", "+all", "none")
POLICIES = ("none", "quarantine", "reject", "missing")
GRADES = ("A", "B", "C", "D", "F")


class MalformedReport(ValueError):
    """A line that is JSON but not a check report; `key` says why (`stats.bad.*`)."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


@dataclass(frozen=True, slots=True)
class DomainFacts:
    """What `mailauth stats` counts about one domain."""

    domain: str
    checked_at: datetime | None
    exists: bool | None
    score: int | None
    grade: str | None
    spf_present: bool
    spf_all: str | None  # one of SPF_ALL when spf_present, else None
    spf_over_limit: bool
    dmarc_policy: str  # one of POLICIES
    dmarc_rua: bool
    dkim_found: bool
    dkim_tried: tuple[str, ...]
    bimi_present: bool
    mta_sts_present: bool
    tls_rpt_present: bool
    null_mx: bool
    mx_hosts: tuple[str, ...]
    ns_hosts: tuple[str, ...] | None  # None: the report has no `ns` section (older scans)
    findings: tuple[str, ...]
    # Checks the scan left out (`mailauth check --checks`, status "skipped"): their facts are
    # unknown, not absent (a skipped BIMI check says nothing about BIMI).
    skipped: frozenset[str] = frozenset()


_SELECTOR_LISTS: dict[tuple[str, ...], tuple[str, ...]] = {}


def facts_of(doc: object) -> DomainFacts:
    """The facts of one check report (`mailauth check --format json`, one object)."""
    if not isinstance(doc, Mapping):
        raise MalformedReport("stats.bad.not-object")
    domain = doc.get("domain")
    if not isinstance(domain, str) or not domain.strip():
        raise MalformedReport("stats.bad.no-domain")
    spf, dmarc, dkim = _obj(doc, "spf"), _obj(doc, "dmarc"), _obj(doc, "dkim")
    spf_present = _text(spf.get("record")) is not None or _int(spf.get("records_found")) > 0
    lookups, limit = _int(spf.get("dns_lookups")), _int(spf.get("dns_lookup_limit")) or 10
    tags = _obj(dmarc, "tags")
    policy = dmarc.get("policy")
    grade = doc.get("grade")
    score = doc.get("score")
    return DomainFacts(
        domain=sys.intern(domain.strip().lower().rstrip(".")),
        checked_at=parse_time(doc.get("checked_at")),
        exists=doc.get("domain_exists") if isinstance(doc.get("domain_exists"), bool) else None,
        score=score if isinstance(score, int) and not isinstance(score, bool) else None,
        grade=grade if grade in GRADES else None,
        spf_present=spf_present,
        spf_all=_spf_all(spf.get("all")) if spf_present else None,
        spf_over_limit=spf_present and lookups > limit,
        dmarc_policy=policy if policy in POLICIES[:3] else "missing",
        dmarc_rua=bool(_strings(tags.get("rua"))),
        dkim_found=any(_key_found(s) for s in _list(dkim.get("selectors"))),
        dkim_tried=_shared(tuple(_strings(dkim.get("tried")))),
        bimi_present=_text(_obj(doc, "bimi").get("record")) is not None,
        mta_sts_present=_text(_obj(doc, "mta_sts").get("record")) is not None,
        tls_rpt_present=_text(_obj(doc, "tls_rpt").get("record")) is not None,
        null_mx=_obj(doc, "mx").get("null_mx") is True,
        mx_hosts=_mx_hosts(doc),
        ns_hosts=_ns_hosts(doc),
        findings=tuple(
            sys.intern(f["id"])
            for f in _list(doc.get("findings"))
            if isinstance(f, Mapping) and isinstance(f.get("id"), str)
        ),
        skipped=_skipped(doc),
    )


_NO_SKIPS: frozenset[str] = frozenset()


def _skipped(doc: Mapping[str, Any]) -> frozenset[str]:
    names = frozenset(
        k for k, v in doc.items() if isinstance(v, Mapping) and v.get("status") == "skipped"
    )
    return names or _NO_SKIPS


def parse_time(value: object) -> datetime | None:
    """`checked_at` (ISO 8601; a time without a zone is taken as UTC), or None."""
    if not isinstance(value, str):
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def _key_found(selector: object) -> bool:
    """A selector answered with a key record that is not revoked (an empty p=)."""
    if not isinstance(selector, Mapping):
        return False
    return _text(selector.get("record")) is not None and selector.get("revoked") is not True


def _spf_all(value: object) -> str:
    if isinstance(value, str):
        term = value.strip().lower()
        if term == "all":
            term = "+all"  # RFC 7208 §4.6.2: the default qualifier is +
        if term in SPF_ALL:
            return term
    return "none"


def _mx_hosts(doc: Mapping[str, Any]) -> tuple[str, ...]:
    hosts = _list(_obj(doc, "mx").get("hosts"))
    names = (h.get("name") for h in hosts if isinstance(h, Mapping))
    return tuple(_host(n) for n in names if isinstance(n, str))


def _ns_hosts(doc: Mapping[str, Any]) -> tuple[str, ...] | None:
    ns = doc.get("ns")
    if not isinstance(ns, Mapping):
        return None
    return tuple(_host(h) for h in _list(ns.get("hosts")) if isinstance(h, str))


def _host(name: str) -> str:
    return sys.intern(name.strip().lower().rstrip("."))


def _shared(value: tuple[str, ...]) -> tuple[str, ...]:
    """One tuple object per distinct selector list (every domain of a scan has the same)."""
    return _SELECTOR_LISTS.setdefault(value, value)


def _obj(doc: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = doc.get(key)
    return value if isinstance(value, Mapping) else {}


def _list(value: object) -> Sequence[Any]:
    return value if isinstance(value, list) else ()


def _strings(value: object) -> list[str]:
    return [v for v in _list(value) if isinstance(v, str)]


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0

"""ARC chain validation (RFC 8617) with dkimpy's `arc_verify`.

Why it matters here: a mailing list or forwarder that changes a message breaks its DKIM
signature and SPF; if it ARC-sealed the message after checking it, a receiver that trusts the
sealer can still deliver it. So the report says whether the chain validates (cv), how many
hops sealed it, who sealed last, and what each hop recorded in ARC-Authentication-Results.

dkimpy raises for some malformed chains instead of returning "fail" (e.g. the ARC test
suite's `cv=` empty cases); any exception is a failed chain with the error as its reason.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field
from typing import Any

import dkim
from dkim.util import InvalidTagValueList, parse_tag_value

from mailauth.dns.interface import DnsSource
from mailauth.message.dnsbridge import SyncDns
from mailauth.message.parse import ParsedMessage
from mailauth.model import Result

_INSTANCE = re.compile(r"(?:^|;)\s*i\s*=\s*(\d+)", re.IGNORECASE)
MAX_INSTANCES = 50  # RFC 8617 §4.2.1: i= is at most 50


@dataclass(frozen=True)
class ArcHop:
    """One ARC set (instance i=) as validated."""

    instance: int
    seal_domain: str = ""
    seal_selector: str = ""
    signature_domain: str = ""
    signature_selector: str = ""
    cv: str = ""
    seal_valid: bool | None = None
    signature_valid: bool | None = None
    results: str = ""  # the ARC-Authentication-Results payload (without i=)


@dataclass(frozen=True)
class ArcOutcome:
    result: Result  # pass | fail | none
    instances: int = 0
    reason: str = ""
    hops: tuple[ArcHop, ...] = field(default=())

    @property
    def sealer(self) -> ArcHop | None:
        """The hop that sealed last (the highest instance)."""
        return max(self.hops, key=lambda h: h.instance, default=None)


def count_instances(message: ParsedMessage) -> int:
    found = [_INSTANCE.search(v) for v in message.values("ARC-Seal")]
    return max((int(m.group(1)) for m in found if m and len(m.group(1)) < 4), default=0)


async def verify_arc(message: ParsedMessage, dns: DnsSource, timeout: float) -> ArcOutcome:
    instances = count_instances(message)
    arc_names = ("arc-seal", "arc-message-signature", "arc-authentication-results")
    if not any(h.lname in arc_names for h in message.headers):
        return ArcOutcome(Result.NONE, 0, "message is not ARC-sealed")
    if instances > MAX_INSTANCES:
        return ArcOutcome(Result.FAIL, instances, f"more than {MAX_INSTANCES} ARC sets")
    bridge = SyncDns.for_running_loop(dns, timeout)
    await bridge.prefetch((name, "TXT") for name in _key_names(message))
    return await asyncio.to_thread(_verify, message.dkim_bytes, bridge, instances)


def _key_names(message: ParsedMessage) -> list[str]:
    """The seal and message-signature keys the validation will look up (RFC 8617 §5.2 checks
    every instance), fetched together before it starts. A chain with more fields than
    MAX_INSTANCES sets can hold is malformed and fails early: nothing is prefetched."""
    fields = message.all("ARC-Seal") + message.all("ARC-Message-Signature")
    if len(fields) > 2 * MAX_INSTANCES:
        return []
    names: list[str] = []
    for header in fields:
        try:
            tags = parse_tag_value(header.raw.partition(b":")[2])
        except InvalidTagValueList:
            continue
        if tags.get(b"s") and tags.get(b"d"):
            names.append((tags[b"s"] + b"._domainkey." + tags[b"d"]).decode("utf-8", "replace"))
    return names


def _verify(raw: bytes, bridge: SyncDns, instances: int) -> ArcOutcome:
    try:
        cv, results, reason = dkim.arc_verify(raw, dnsfunc=bridge.dkim_txt)
    except Exception as exc:  # dkimpy raises on some malformed chains
        return ArcOutcome(Result.FAIL, instances, f"{type(exc).__name__}: {exc}")
    hops = tuple(_hop(r) for r in results or [])
    text = reason if isinstance(reason, str) else str(reason)
    if cv == dkim.CV_Pass:
        return ArcOutcome(Result.PASS, instances, "", hops)
    if cv == dkim.CV_None:
        return ArcOutcome(Result.NONE, instances, text, hops)
    # cv is CV_Fail, or None when an earlier sealer already recorded cv=fail (RFC 8617 §5.2)
    return ArcOutcome(Result.FAIL, instances, text, hops)


def _hop(data: dict[str, Any]) -> ArcHop:
    def text(key: str) -> str:
        value = data.get(key, b"")
        return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)

    results = re.sub(r"^\s*i\s*=\s*\d+\s*;\s*", "", " ".join(text("aar-value").split()))
    return ArcHop(
        instance=int(data.get("instance", 0)),
        seal_domain=text("as-domain").lower(),
        seal_selector=text("as-selector"),
        signature_domain=text("ams-domain").lower(),
        signature_selector=text("ams-selector"),
        cv=text("cv").lower(),
        seal_valid=data.get("as-valid"),
        signature_valid=data.get("ams-valid"),
        results=results,
    )

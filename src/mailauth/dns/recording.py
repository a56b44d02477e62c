"""`--save-zone DIR`: keep every DNS answer a live run used, and write them as zone files that
`--zone DIR` loads, so the run can be replayed offline (attached to a bug report, re-run in
CI without the network).

`RecordingSource` sits under the run's cache and keeps each distinct answer it passes on.
`write_zones` writes one zone per top-level label (`jp.zone` with `$ORIGIN jp.`), so every name
the run asked about is inside a loaded zone on replay, and one zone per name whose NS records
the run saw (the `ns` check asks for the domain's own): NS records inside a zone would be a
delegation to a server nobody loads, so a name that has them is the apex of a zone of its own
(`example.jp.zone`) holding everything under it. So on replay NXDOMAIN replays as NXDOMAIN (not
"outside the loaded zones"), a CNAME chain as CNAME records. A name that answered NODATA and
holds nothing else the run saw gets a marker record (HINFO, which no check asks for), so it
still exists. Answers that are failures (SERVFAIL, timeouts) cannot be written as zone data:
they are listed as comments, and replay reports those names as not resolvable offline, which
marks the report incomplete just as the failure did.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import pairwise
from pathlib import Path

from mailauth.dns.answer import TXT_TYPES
from mailauth.dns.interface import DnsAnswer, DnsSource, Rcode
from mailauth.dns.signed import NO_SIGNED, SignedAnswer, signed_source

_NAME_TYPES = {"CNAME", "PTR", "NS"}


class RecordingSource:
    """A `DnsSource` that keeps every answer of `inner` it passes on (one per question)."""

    def __init__(self, inner: DnsSource) -> None:
        self.inner = inner
        self.answers: dict[tuple[str, str], DnsAnswer] = {}

    async def query(self, name: str, rdtype: str) -> DnsAnswer:
        answer = await self.inner.query(name, rdtype)
        self.answers.setdefault((answer.qname, answer.rdtype), answer)
        return answer

    async def query_signed(self, name: str, rdtype: str) -> SignedAnswer:
        """Passed through, so the DNSSEC and DANE checks run as they would without
        --save-zone. Signatures are not written to the saved zones (a replay validates
        nothing: the signatures would not chain to the root offline)."""
        inner = signed_source(self.inner)
        if inner is None:
            return SignedAnswer(name, rdtype, Rcode.ERROR, detail=NO_SIGNED)
        return await inner.query_signed(name, rdtype)


def write_zones(answers: dict[tuple[str, str], DnsAnswer], directory: Path) -> list[Path]:
    """Write the answers as zone files in `directory` (created); returns the files."""
    records: dict[str, set[str]] = defaultdict(set)  # zone -> record lines
    owners: dict[str, set[str]] = defaultdict(set)  # zone -> names that have data
    nodata: dict[str, set[str]] = defaultdict(set)
    failed: dict[str, list[str]] = defaultdict(list)
    negative: set[str] = set()
    apexes = {a.qname.rstrip(".") for (_, t), a in answers.items() if t == "NS" and a.rrs and a.ok}

    def _zone(name: str) -> str:
        labels = name.rstrip(".").split(".")
        for i in range(len(labels) - 1):
            candidate = ".".join(labels[i:])
            if candidate in apexes:
                return candidate
        return labels[-1] or "."

    for (_, rdtype), answer in sorted(answers.items()):
        chain = [answer.qname, *answer.cnames]
        for alias, target in pairwise(chain):
            zone = _zone(alias)
            records[zone].add(f"{alias}. IN CNAME {target}.")
            owners[zone].add(alias)
        final = chain[-1]
        zone = _zone(final)
        if answer.rcode is Rcode.NOERROR and (answer.rrs or answer.txt):
            owners[zone].add(final)
            for line in _data(final, rdtype, answer):
                records[zone].add(line)
        elif answer.rcode is Rcode.NOERROR:
            nodata[zone].add(final)
        elif answer.rcode is not Rcode.NXDOMAIN:
            failed[zone].append(f"{final} {rdtype}: {answer.rcode.value}")
        else:  # the zone must be loaded on replay, or the name is "outside every zone"
            negative.add(zone)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for zone in sorted(set(records) | set(nodata) | set(failed) | negative):
        lines = [f"$ORIGIN {zone}.", "$TTL 300", "; written by mailauth --save-zone"]
        lines += [f"; not saved ({reason})" for reason in failed[zone]]
        lines += sorted(records[zone])
        for name in sorted(nodata[zone]):
            if not any(o == name or o.endswith("." + name) for o in owners[zone]):
                lines.append(f'{name}. IN HINFO "mailauth" "nodata"  ; the name exists')
        path = directory / f"{zone}.zone"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        written.append(path)
    return written


def _data(owner: str, rdtype: str, answer: DnsAnswer) -> list[str]:
    if rdtype in TXT_TYPES:
        return [f"{owner}. IN {rdtype} {_txt(strings)}" for strings in answer.txt]
    out = []
    for rr in answer.rrs:
        if rdtype in _NAME_TYPES:
            rr = rr.rstrip(".") + "."
        elif rdtype == "MX":
            pref, _, host = rr.partition(" ")
            rr = f"{pref} {host.rstrip('.')}." if host != "." else f"{pref} ."
        out.append(f"{owner}. IN {rdtype} {rr}")
    return out


def _txt(strings: tuple[bytes, ...]) -> str:
    """Character strings in zone-file syntax: quoted, `"` and `\\` escaped, other bytes
    outside printable ASCII as \\DDD (RFC 1035 §5.1)."""
    parts = []
    for s in strings or (b"",):
        text = "".join(
            chr(b) if 0x20 <= b < 0x7F and b not in (0x22, 0x5C) else f"\\{b:03d}" for b in s
        )
        parts.append(f'"{text}"')
    return " ".join(parts)

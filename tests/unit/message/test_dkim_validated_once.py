"""dkimpy's field checks (`validate_signature_fields`: tags present and well-formed, t= not in
the future, x= not past) run once per DKIM-Signature (issue 10): `_key_names` checks each
field before the key prefetch and notes the second of the clock the check read; the
verifier skips its own check of that field within the same second, where it cannot answer
otherwise, and checks again once the clock has moved on.

The shortcut must give the results of the path it skips, on every sample message (valid,
expired, malformed, dual-signed, ARC...) and on the differential test's generated corpus."""

from __future__ import annotations

import asyncio
import itertools
from pathlib import Path
from typing import Any

import pytest
from tests.support.verify_corpus import CorpusKeys, differential_corpus

from mailauth.dns.interface import DnsSource
from mailauth.dns.memory import MemorySource
from mailauth.message import dkim
from mailauth.message.parse import MessageInputError, parse_message

SAMPLES = sorted((Path(__file__).resolve().parents[3] / "samples" / "messages").glob("*.eml"))


def results(raw: bytes, source: DnsSource) -> list[Any]:
    try:
        message = parse_message(raw)
    except MessageInputError:
        return []
    sigs, total = asyncio.run(dkim.verify_dkim(message, source, 5.0))
    return [total, *sigs]


def three_ways(raw: bytes, source: DnsSource, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The results with the shortcut (the clock held within one second), without it (nothing
    noted as checked), and with the clock moving a second between any two readings (every
    field checked again); and how many times the verifier checked a field itself in the
    first way."""
    calls = []
    checked = dkim._fields_valid

    def counting(tags: dict[bytes, bytes]) -> bool:
        calls.append(tags)
        return checked(tags)

    now = float(int(dkim.time.time()))
    with monkeypatch.context() as patch:
        patch.setattr(dkim, "_fields_valid", counting)
        patch.setattr(dkim.time, "time", lambda: now)  # one second: the count is exact
        shortcut = results(raw, source)
    key_names = dkim._key_names
    with monkeypatch.context() as patch:
        patch.setattr(dkim, "_key_names", lambda fields, validated=None: key_names(fields))
        skipped = results(raw, source)
    seconds = itertools.count(int(dkim.time.time()))
    with monkeypatch.context() as patch:
        patch.setattr(dkim.time, "time", lambda: float(next(seconds)))
        moving = results(raw, source)
    return [shortcut, skipped, moving, len(calls)]


def _failing_checks(raw: bytes) -> int:
    """Signatures whose tags parse but whose field checks fail: the verifier checks those."""
    try:
        message = parse_message(raw)
    except MessageInputError:
        return 0
    count = 0
    for header in message.all("DKIM-Signature")[: dkim.MAX_SIGNATURES]:
        try:
            tags = dkim.parse_tag_value(header.raw.partition(b":")[2])
        except Exception:
            continue
        if dkim._tag_problem(tags) is None and not dkim._fields_valid(tags):
            count += 1
    return count


@pytest.mark.parametrize("path", SAMPLES, ids=[p.name for p in SAMPLES])
def test_sample_messages(path: Path, zone_dns: DnsSource, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = path.read_bytes()
    shortcut, skipped, moving, checks = three_ways(raw, zone_dns, monkeypatch)
    assert shortcut == skipped == moving
    # Only a field that failed its checks is checked again (the verdict comes from that).
    assert checks <= _failing_checks(raw)  # (one may be refused before its checks)


def test_expired_signature_is_still_found_expired(
    zone_dns: DnsSource, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = next(p for p in SAMPLES if p.name == "expired.eml").read_bytes()
    shortcut, _skipped, _moving, _checks = three_ways(raw, zone_dns, monkeypatch)
    assert [s.reason for s in shortcut[1:]] == [dkim.DkimReason.EXPIRED]


def test_generated_corpus(monkeypatch: pytest.MonkeyPatch) -> None:
    keys = CorpusKeys.make(1024)
    source = MemorySource({name: {"TXT": [value]} for name, value in keys.records.items()})
    for message in differential_corpus(keys, big=0)[::3]:
        shortcut, skipped, moving, checks = three_ways(message.raw, source, monkeypatch)
        assert shortcut == skipped == moving, message.signing
        assert checks == _failing_checks(message.raw)

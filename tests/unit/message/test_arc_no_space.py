"""Issue 8.1: ARC header fields written without a space after the colon (`ARC-Seal:i=2;`, as
lists.kernel.org writes them) validate, and no library exception text becomes a reason.

The chains are built and sealed here with dkimpy's own `arc_sign`, then the space after each
ARC field's colon is removed, as the list server writes them. dkimpy 1.1.8 alone raises
IndexError on such a chain; mailauth must give the same verdict as for the spaced form.
"""

from __future__ import annotations

import asyncio
import base64
import json
import re
from collections.abc import Callable

import dkim
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from mailauth.dns.interface import DnsSource, Rcode
from mailauth.dns.memory import MemorySource
from mailauth.i18n import label
from mailauth.message import arc, verify_message
from mailauth.message.arc import ArcOutcome, ArcReason, verify_arc
from mailauth.message.dkim import DkimReason
from mailauth.message.dkimverify import DkimMessage
from mailauth.message.parse import parse_message
from mailauth.model import Result
from mailauth.render.message_json import message_json

T0 = 1790812800
ORIGINAL = (
    b"From: Hanako <hanako@example.jp>\r\n"
    b"To: list@lists.example\r\n"
    b"Subject: [list] patch v2\r\n"
    b"Date: Thu, 01 Oct 2026 09:00:00 +0900\r\n"
    b"Message-ID: <patch-2@example.jp>\r\n"
    b"\r\n"
    b"The patch, again.\r\n"
)
_SPACE_AFTER_COLON = re.compile(
    rb"^(ARC-(?:Seal|Message-Signature|Authentication-Results)): ", re.M
)


@pytest.fixture(scope="module")
def keys() -> tuple[bytes, MemorySource]:
    """A sealing key (PKCS#1 PEM, as dkimpy takes it) and DNS publishing its public half."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(Encoding.PEM, PrivateFormat.TraditionalOpenSSL, NoEncryption())
    der = private.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    record = "v=DKIM1; k=rsa; p=" + base64.b64encode(der).decode()
    return pem, MemorySource({"arc._domainkey.lists.example": {"TXT": [record]}})


def _seal(message: bytes, pem: bytes, arc_result: str | None, t: int) -> bytes:
    """One hop: the hop's Authentication-Results (its arc= is the cv it records), then its
    ARC set on top, sealed by dkimpy."""
    results = b"lists.example; spf=pass smtp.mailfrom=example.jp"
    if arc_result is not None:
        results += b"; arc=" + arc_result.encode()
    message = b"Authentication-Results: " + results + b"\r\n" + message
    arc_set = dkim.arc_sign(message, b"arc", b"lists.example", pem, b"lists.example", timestamp=t)
    assert len(arc_set) == 3
    return b"".join(arc_set) + message


def _chain(pem: bytes, second_cv: str = "pass") -> bytes:
    return _seal(_seal(ORIGINAL, pem, None, T0), pem, second_cv, T0 + 60)


def _no_space(message: bytes) -> bytes:
    stripped = _SPACE_AFTER_COLON.sub(rb"\1:", message)
    assert stripped.count(b"ARC-Seal:i=") == 2 and b"ARC-Message-Signature:i=2;" in stripped
    return stripped


def _arc(message: bytes, dns: MemorySource) -> ArcOutcome:
    return asyncio.run(verify_arc(parse_message(message), dns, 5.0))


def test_dkimpy_alone_fails_on_the_unspaced_chain(keys: tuple[bytes, MemorySource]) -> None:
    """The defect this fixes: without our normalisation, dkimpy raises."""
    pem, dns = keys
    with pytest.raises(IndexError):
        dkim.ARC(_no_space(_chain(pem))).verify(dnsfunc=lambda name, timeout=5: _txt(dns, name))


def _txt(dns: MemorySource, name: bytes | str) -> bytes | None:
    qname = name.decode() if isinstance(name, bytes) else name
    answer = dns.lookup(qname, "TXT")
    return b"".join(answer.txt[0]) if answer.txt else None


def test_a_chain_without_spaces_validates_like_the_spaced_one(
    keys: tuple[bytes, MemorySource],
) -> None:
    pem, dns = keys
    spaced = _chain(pem)
    for message in (spaced, _no_space(spaced)):
        outcome = _arc(message, dns)
        assert (outcome.result, outcome.instances, outcome.reason_code) == (Result.PASS, 2, None)
        assert [h.seal_valid for h in outcome.hops] == [True, True]


def test_the_newest_seal_reporting_fail_is_a_worded_reason_not_an_exception(
    keys: tuple[bytes, MemorySource],
) -> None:
    pem, dns = keys
    outcome = _arc(_no_space(_chain(pem, second_cv="fail")), dns)
    assert outcome.result is Result.FAIL
    assert outcome.reason_code is ArcReason.CHAIN_TERMINATED
    assert outcome.reason == "ARC-Seal[2] reported failure, the chain is terminated"


def test_a_verified_report_of_the_unspaced_chain_passes_in_json(
    keys: tuple[bytes, MemorySource],
) -> None:
    pem, dns = keys
    report = asyncio.run(verify_message(_no_space(_chain(pem)), dns, file="kernel.eml"))
    doc = message_json(report)
    assert doc["arc"]["result"] == "pass" and doc["arc"]["reason"] is None


def test_a_simple_canonicalized_signature_is_not_rewritten(
    keys: tuple[bytes, MemorySource],
) -> None:
    """A space after the colon would change an AMS hashed with c=simple headers: mailauth
    leaves it alone; dkimpy cannot read it and the reason is words, not IndexError."""
    pem, dns = keys
    message = _no_space(_chain(pem)).replace(b"c=relaxed/relaxed", b"c=simple/simple", 1)
    outcome = _arc(message, dns)
    assert (outcome.result, outcome.reason_code) == (Result.FAIL, ArcReason.MALFORMED)
    assert "IndexError" in outcome.detail
    assert "IndexError" not in outcome.reason and "list index" not in outcome.reason


def test_a_duplicate_seal_is_a_reason_code(keys: tuple[bytes, MemorySource]) -> None:
    pem, dns = keys
    chain = _chain(pem)
    seal = re.search(rb"^ARC-Seal: i=1;.*?\r\n(?=\S)", chain, re.M | re.S)
    assert seal is not None
    outcome = _arc(seal.group(0) + chain, dns)
    assert outcome.reason_code is ArcReason.DUPLICATE_FIELD
    assert outcome.reason_params == {"field": "ARC-Seal", "instance": "1"}
    assert outcome.reason == "Duplicate ARC-Seal for instance 1"


@pytest.mark.parametrize(
    "error",
    [IndexError("list index out of range"), KeyError(b"cv"), dkim.ValidationError("missing b=")],
)
def test_no_exception_text_becomes_a_reason(
    keys: tuple[bytes, MemorySource], monkeypatch: pytest.MonkeyPatch, error: Exception
) -> None:
    """Whatever the verifier raises, the reason shown (text, JSON, the msg_arc.fail finding) is the
    catalogue's words for a code; dkimpy's text stays in `detail`."""
    pem, dns = keys

    def boom(*args: object, **kwargs: object) -> object:
        raise error

    monkeypatch.setattr(arc, "arc_verify", boom)  # the native verifier (message/arcverify.py)
    report = asyncio.run(verify_message(_chain(pem), dns, file="x.eml"))
    assert report.arc.reason_code is ArcReason.MALFORMED
    assert report.arc.reason == label("verify.arc-reason.malformed")
    assert str(error) in report.arc.detail
    shown = json.dumps(message_json(report))
    assert type(error).__name__ not in shown and str(error) not in shown


@pytest.mark.parametrize("code", list(ArcReason))
def test_no_reason_is_worded_by_the_library(code: ArcReason) -> None:
    """Every reason's words are the catalogue's: no template only passes text through."""
    template = label(f"verify.arc-reason.{code.value}")
    assert "{error}" not in template
    assert re.sub(r"\{[a-z_]+\}", "", template).strip()


@pytest.mark.parametrize(
    "error", [IndexError("list index out of range"), KeyError(b"h"), dkim.DKIMException("x=")]
)
def test_no_dkim_exception_text_becomes_a_reason(
    zone_dns: DnsSource,
    sample_bytes: Callable[[str], bytes],
    monkeypatch: pytest.MonkeyPatch,
    error: Exception,
) -> None:
    """The DKIM side of the same promise: a signature the verifier raises on gets a reason
    code (malformed) worded by the catalogue, in the table, the JSON and the findings."""

    def boom(*args: object, **kwargs: object) -> object:
        raise error

    monkeypatch.setattr(DkimMessage, "verify", boom)
    report = asyncio.run(verify_message(sample_bytes("good.eml"), zone_dns, file="good.eml"))
    assert {s.reason for s in report.dkim} == {DkimReason.MALFORMED}
    assert all(str(error) in s.detail for s in report.dkim)
    doc = message_json(report)
    assert {d["reason"] for d in doc["dkim"]} == {label("verify.dkim-reason.malformed")}
    shown = json.dumps(doc)
    assert type(error).__name__ not in shown and str(error) not in shown


def test_a_failed_key_lookup_is_not_a_broken_chain(keys: tuple[bytes, MemorySource]) -> None:
    """Issue 8.6's audit: dkimpy turns a failed key lookup into "did not validate"; the
    report says the lookup failed (msg_arc.lookup-failed, unscored), not that the chain is
    broken (msg_arc.fail)."""
    pem, _ = keys
    dns = MemorySource(failures={("arc._domainkey.lists.example", "TXT"): Rcode.SERVFAIL})
    report = asyncio.run(verify_message(_no_space(_chain(pem)), dns, file="x.eml"))
    assert report.arc.reason_code is ArcReason.KEY_LOOKUP_FAILED
    assert report.arc.reason_params == {
        "instance": 2,
        "name": "arc._domainkey.lists.example",
        "rcode": "SERVFAIL",
    }
    ids = {f.id for f in report.findings}
    assert "msg_arc.lookup-failed" in ids and "msg_arc.fail" not in ids
    assert not report.score.complete

"""The project code paths each conformance case is run through, in one place.

Each function takes a case's inputs (a DnsSource and the case data) and returns plain values
(RFC 8601 result words), so the runners compare with the suites' expectations without knowing
the shape of our result objects. When a result type changes, only this module changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mailauth.dns.interface import DnsSource


@dataclass(frozen=True)
class SpfOutcome:
    result: str  # RFC 8601 word
    explanation: str | None  # the exp= text for a fail (None when no exp= applied)


# What a path returns when the input is refused as "not a message" (`MessageInputError`, the
# documented input error): compared like any other word, so a suite that expects a result
# for such an input fails with an AssertionError naming both.
INPUT_ERROR = "input-error"


def _word(value: Any) -> str:
    """An enum or a string as its lower-case RFC 8601 word."""
    return str(getattr(value, "value", value)).lower()


# --- SPF --------------------------------------------------------------------------------------


async def spf_message_path(dns: DnsSource, ip: str, mail_from: str, helo: str) -> SpfOutcome:
    """RFC 7208 check_host through `mailauth verify`'s SPF code (pyspf over our DnsSource)."""
    from mailauth.message.spf import SpfIdentity, evaluate_spf

    identity = SpfIdentity(ip, helo, mail_from, "option", "option", "option")
    result = await evaluate_spf(dns, identity, timeout=5)
    return SpfOutcome(_word(result.result), result.explanation or None)


async def spf_library_path(dns: DnsSource, ip: str, mail_from: str, helo: str) -> SpfOutcome:
    """The same evaluation through the public library API (`mailauth.verify_message` with the
    SMTP identities given as options, on a minimal message)."""
    from mailauth.message.verify import VerifyOptions, verify_message

    raw = b"From: <conformance@example.invalid>\r\nSubject: spf\r\n\r\nbody\r\n"
    options = VerifyOptions(ip=ip, mail_from=mail_from, helo=helo)
    report = await verify_message(raw, dns, options)
    return SpfOutcome(_word(report.spf.result), report.spf.explanation or None)


# --- DKIM -------------------------------------------------------------------------------------


async def dkim_message_path(dns: DnsSource, raw: bytes) -> list[str]:
    """Per-signature results (header order) from `verify`'s DKIM code."""
    from mailauth.message.dkim import verify_dkim
    from mailauth.message.parse import parse_message

    signatures, _total = await verify_dkim(parse_message(raw), dns, timeout=5)
    return [_word(s.result) for s in signatures]


async def dkim_library_path(dns: DnsSource, raw: bytes) -> list[str]:
    """Per-signature results through the public `verify_message`."""
    from mailauth.message.verify import VerifyOptions, verify_message

    report = await verify_message(raw, dns, VerifyOptions())
    return [_word(s.result) for s in report.dkim]


# --- ARC --------------------------------------------------------------------------------------


async def arc_message_path(dns: DnsSource, raw: bytes) -> str:
    """The chain validation status (cv: none / pass / fail) from `verify`'s ARC code."""
    from mailauth.message.arc import verify_arc
    from mailauth.message.parse import MessageInputError, parse_message

    try:
        message = parse_message(raw)
    except MessageInputError:
        return INPUT_ERROR
    result = await verify_arc(message, dns, timeout=5)
    return _word(result.result)


async def arc_library_path(dns: DnsSource, raw: bytes) -> str:
    """The chain validation status through the public `verify_message`."""
    from mailauth.message.parse import MessageInputError
    from mailauth.message.verify import VerifyOptions, verify_message

    try:
        report = await verify_message(raw, dns, VerifyOptions())
    except MessageInputError:
        return INPUT_ERROR
    return _word(report.arc.result)

"""Failure reports (RFC 6591 ARF, RFC 9991 for DMARC): one failed message as a receiver saw
it — source IP, identities, which authentication failed, and the original header section
when the receiver included it.

Two shapes reach an admin: the RFC one (multipart/report with a message/feedback-report
part) and plain text with the same `Name: value` fields in the body (Exim's). Both are
read here; the caller decides which mail parts are candidates.
"""

from __future__ import annotations

import re
from email.message import Message

from mailauth.report.model import FailureReport

_FIELD = re.compile(r"^([A-Za-z][A-Za-z0-9-]*):[ \t]*(.*)$")
_KNOWN = {
    "feedback-type",
    "user-agent",
    "version",
    "original-mail-from",
    "original-rcpt-to",
    "arrival-date",
    "source-ip",
    "reported-domain",
    "auth-failure",
    "dkim-domain",
    "dkim-selector",
    "dkim-identity",
    "spf-dns",
    "identity-alignment",
    "delivery-result",
    "authentication-results",
    "reported-uri",
    "incidents",
}


def fields_of(text: str) -> dict[str, str]:
    """The `Name: value` fields of an ARF block (continuation lines folded)."""
    out: dict[str, str] = {}
    last: str | None = None
    for line in text.splitlines():
        if line[:1] in (" ", "\t") and last is not None:
            out[last] += " " + line.strip()
            continue
        match = _FIELD.match(line)
        if match is None:
            last = None
            continue
        last = match.group(1).lower()
        out.setdefault(last, match.group(2).strip())
    return out


def looks_like_failure_text(text: str) -> bool:
    """A plain-text body that carries ARF fields (Exim sends them without a
    message/feedback-report part)."""
    fields = fields_of(text)
    return "feedback-type" in fields and ("source-ip" in fields or "reported-domain" in fields)


def _original(mail: Message) -> tuple[str | None, Message | None]:
    for part in mail.walk():
        kind = part.get_content_type()
        if kind == "message/rfc822" and part.is_multipart():
            inner = part.get_payload(0)
            if isinstance(inner, Message):
                head = "".join(f"{k}: {v}\n" for k, v in inner.items())
                return head, inner
        if kind == "text/rfc822-headers":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                text = payload.decode("utf-8", "replace")
                return text, None
    return None, None


def parse_failure(fields: dict[str, str], mail: Message | None) -> FailureReport:
    """A FailureReport from the ARF fields and, when given, the whole report mail (for the
    original message's headers)."""
    headers, inner = _original(mail) if mail is not None else (None, None)
    header_from = subject = None
    if inner is not None:
        header_from = inner.get("From")
        subject = inner.get("Subject")
    elif headers:
        got = fields_of(headers)
        header_from, subject = got.get("from"), got.get("subject")
    domain = fields.get("reported-domain")
    return FailureReport(
        source_ip=fields.get("source-ip") or None,
        reported_domain=domain.lower().rstrip(".") if domain else None,
        feedback_type=(fields.get("feedback-type") or "").lower() or None,
        auth_failure=(fields.get("auth-failure") or "").lower() or None,
        original_mail_from=fields.get("original-mail-from") or None,
        original_rcpt_to=fields.get("original-rcpt-to") or None,
        arrival_date=fields.get("arrival-date") or None,
        user_agent=fields.get("user-agent") or None,
        delivery_result=(fields.get("delivery-result") or "").lower() or None,
        dkim_domain=fields.get("dkim-domain") or None,
        dkim_selector=fields.get("dkim-selector") or None,
        spf_dns=fields.get("spf-dns") or None,
        identity_alignment=fields.get("identity-alignment") or None,
        header_from=str(header_from) if header_from else None,
        subject=str(subject) if subject else None,
        headers=headers,
        extra={k: v for k, v in fields.items() if k not in _KNOWN and len(v) < 1000},
    )

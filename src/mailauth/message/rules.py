"""Message-level rules receivers apply besides authentication, as findings.

- RFC 5322: Message-ID and Date present and well-formed, single-instance fields not repeated
  (§3.6), lines within 998 characters (§2.1.1).
- Gmail/Yahoo bulk-sender rules with RFC 8058: a message that looks like bulk mail carries
  List-Unsubscribe with an https URI and `List-Unsubscribe-Post: List-Unsubscribe=One-Click`,
  both covered by a passing DKIM signature aligned with From.
- The receiving hop used TLS (RFC 3848 "with ESMTPS").
Pure functions: the DNS-based rule (FCrDNS) is `mailauth.dns.reverse`, judged in judge.py.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from mailauth.make_finding import finding
from mailauth.message.addresses import read_from
from mailauth.message.dkim import DkimSignature
from mailauth.message.dmarc import DmarcOutcome
from mailauth.message.parse import RFC5322_LINE_LIMIT, DefectKind, HeaderDefect, ParsedMessage
from mailauth.message.received import Hop
from mailauth.message.usual_forms import usual_date_is_valid
from mailauth.model import Finding, Phrase, Result

# RFC 5322 §3.6 table: fields allowed at most once (From is judged by DMARC's From rule).
SINGLE_INSTANCE = (
    "Date",
    "Sender",
    "Reply-To",
    "To",
    "Cc",
    "Bcc",
    "Message-ID",
    "In-Reply-To",
    "References",
    "Subject",
)
# Header defects (message/parse.py), by the finding that reports them. Malformed fields and
# obsolete syntax carry their kind's sentence as {problem}; one finding per kind, naming the
# first occurrence and the count, so 5,000 junk lines are one finding, not 5,000.
_DEFECT_FINDING: dict[DefectKind, str] = {
    DefectKind.NOT_A_FIELD: "msg_header.malformed-field",
    DefectKind.FOLDED_NAME: "msg_header.malformed-field",
    DefectKind.SPACE_BEFORE_COLON: "msg_header.obsolete-syntax",
    DefectKind.WHITESPACE_LINE: "msg_header.obsolete-syntax",
    DefectKind.WHITESPACE_SEPARATOR: "msg_header.whitespace-separator",
    DefectKind.NO_LINE_ENDING: "msg_header.truncated",
}
_MSG_ID = re.compile(r"^\s*<[^<>@\s]+@[^<>@\s]+>\s*$")
_ANGLE = re.compile(r"<([^>]*)>")
ONE_CLICK = "List-Unsubscribe=One-Click"


def header_findings(message: ParsedMessage) -> list[Finding]:
    out: list[Finding] = []
    ids = message.values("Message-ID")
    if not ids:
        out.append(finding("msg_header.message-id-missing"))
    elif not _MSG_ID.match(ids[0]):
        out.append(finding("msg_header.message-id-malformed", value=ids[0][:200]))
    dates = message.values("Date")
    if not dates:
        out.append(finding("msg_header.date-missing"))
    elif not _valid_date(dates[0]):
        out.append(finding("msg_header.date-malformed", value=dates[0][:200]))
    for name in SINGLE_INSTANCE:  # counted in the message's index of fields by name
        count = message.count(name)
        if count > 1:
            out.append(finding("msg_header.duplicate", name=name, count=count))
    out.extend(defect_findings(message.defects))
    if message.longest_line > RFC5322_LINE_LIMIT:
        out.append(
            finding(
                "msg_header.line-too-long",
                line=message.longest_line_no,
                length=message.longest_line,
            )
        )
    return out


def _quoted(text: str) -> str:
    """White space quoted and escaped (JSON's escapes), or it would be invisible. `json` is
    imported for such a defect only: a text report needs no JSON encoder otherwise."""
    import json

    return json.dumps(text)


def defect_findings(defects: Sequence[HeaderDefect]) -> list[Finding]:
    """One finding per kind of header defect, in the order the kinds first occur."""
    by_kind: dict[DefectKind, list[HeaderDefect]] = {}
    for defect in defects:
        by_kind.setdefault(defect.kind, []).append(defect)
    out: list[Finding] = []
    for kind, found in by_kind.items():
        first = found[0]
        fid = _DEFECT_FINDING[kind]
        blank = kind in (DefectKind.WHITESPACE_LINE, DefectKind.WHITESPACE_SEPARATOR)
        params: dict[str, Any] = {
            "line": first.line,
            "text": _quoted(first.text) if blank else first.text,
            "count": len(found),
        }
        if fid in ("msg_header.malformed-field", "msg_header.obsolete-syntax"):
            params["problem"] = Phrase(f"verify.header-defect.{kind.value}", {"name": first.name})
        out.append(finding(fid, **params))
    return out


def from_findings(message: ParsedMessage) -> list[Finding]:
    """A From field that is not valid RFC 5322 (§3.4, §3.6.2), with the address receivers
    read from it: the first such field, its first problem."""
    for value in message.values("From"):
        field = read_from(value)
        if field.problems:
            problem = Phrase(f"verify.from-problem.{field.problems[0].value}")
            shown = ", ".join(field.addresses) or Phrase("verify.param.none")
            return [
                finding(
                    "msg_dmarc.from-invalid", value=value[:200], problem=problem, addresses=shown
                )
            ]
    return []


def _valid_date(value: str) -> bool:
    usual = usual_date_is_valid(value)
    if usual is not None:
        return usual
    import email.utils  # only for an unusual spelling (message/usual_forms.py)

    try:
        return email.utils.parsedate_to_datetime(value) is not None
    except (TypeError, ValueError, IndexError, OverflowError):
        return False


def bulk_evidence(message: ParsedMessage) -> str | None:
    """The header field that makes the message look like bulk mail (Gmail: marketing and
    subscribed messages), or None for what looks like person-to-person or transactional mail."""
    precedence = (message.first("Precedence") or "").strip().lower()
    if precedence in ("bulk", "list", "junk"):
        return f"Precedence: {precedence}"
    for name in ("List-Unsubscribe", "List-Unsubscribe-Post", "Feedback-ID"):
        value = message.first(name)
        if value is not None:  # the field as it is written: evidence, not a description
            return f"{name}: {' '.join(value.split())}"[:200]
    return None


def unsubscribe_findings(
    message: ParsedMessage, sigs: Sequence[DkimSignature], dmarc: DmarcOutcome
) -> list[Finding]:
    evidence = bulk_evidence(message)
    if evidence is None:
        return []
    unsub = message.first("List-Unsubscribe")
    if unsub is None:
        return [finding("msg_unsub.missing", evidence=evidence)]
    out: list[Finding] = []
    uris = [u.strip() for u in _ANGLE.findall(unsub)]
    if not any(u.lower().startswith("https://") for u in uris):
        out.append(finding("msg_unsub.no-https", value=unsub[:300]))
    post = message.first("List-Unsubscribe-Post")
    if post is None:
        out.append(finding("msg_unsub.post-missing"))
    elif post.strip() != ONE_CLICK:
        out.append(finding("msg_unsub.post-invalid", value=post[:200]))
    wanted = ["List-Unsubscribe"] + (["List-Unsubscribe-Post"] if post is not None else [])
    uncovered = [h for h in wanted if _covered(h, sigs, dmarc) is False]
    # Alignment needs one From domain; without it the From finding comes first.
    if uncovered and dmarc.from_domain:
        out.append(
            finding(
                "msg_unsub.not-signed",
                headers=", ".join(uncovered),
                from_domain=dmarc.from_domain,
            )
        )
    return out


def _covered(header: str, sigs: Sequence[DkimSignature], dmarc: DmarcOutcome) -> bool | None:
    """RFC 8058 §4: a passing signature aligned with From lists `header` in h=. None when
    only a signature whose key lookup failed (temperror), or whose alignment a failed lookup
    left open, could tell: not known, not false."""
    name = header.lower()
    listing = [s for s in sigs if name in s.signed_headers]
    if any(s.result is Result.PASS and s.domain in dmarc.dkim_aligned for s in listing):
        return True
    if any(s.result is Result.TEMPERROR and s.domain in dmarc.dkim_unknown for s in listing):
        return None
    if any(s.result is Result.PASS and dmarc.dkim_alignment(s.domain) is None for s in listing):
        return None  # passed, but whether it aligns hangs on a failed lookup
    return False


def tls_findings(hop: Hop | None) -> list[Finding]:
    # `tls` is False only for a named protocol without the RFC 3848 "S" (ESMTP, SMTP...).
    if hop is None or hop.tls is not False or hop.protocol is None:
        return []
    return [finding("msg_transport.no-tls", protocol=hop.protocol, received=hop.raw[:300])]

"""Parser for SMTP TLS Reporting records (`_smtp._tls.<domain>` TXT, RFC 8460 §3).

A TLS-RPT record tells sending servers where to send daily reports about TLS failures when
delivering to the domain (the feedback loop for MTA-STS and DANE). Pure, never raises.
"""

from __future__ import annotations

import re
from dataclasses import field
from enum import Enum
from urllib.parse import unquote, urlsplit

from mailauth.frozen import frozen
from mailauth.records.problem import Problem
from mailauth.records.taglist import FIELD_NAME, begins_with_version, split_fields

TLSRPT_VERSION = "TLSRPTv1"
_LABEL = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)\Z")


class RptProblem(str, Enum):
    """What can be wrong with a TLS-RPT record. Senders ignore records that are not
    v=TLSRPTv1 or have no usable rua (RFC 8460 §3)."""

    NOT_TLSRPT = "not-tlsrpt"
    MISSING_RUA = "missing-rua"
    BAD_URI = "bad-uri"  # not a mailto: or https: URI, or malformed
    MALFORMED_FIELD = "malformed-field"
    DUPLICATE_FIELD = "duplicate-field"


# One problem: `subject` is the field's name, `value` the offending text (a URI, a fragment).
TlsRptProblem = Problem[RptProblem]


@frozen
class TlsRptRecord:
    record: str
    tags: dict[str, str] = field(default_factory=dict)
    rua: tuple[str, ...] = ()  # every URI listed, valid or not
    extensions: dict[str, str] = field(default_factory=dict)
    problems: tuple[TlsRptProblem, ...] = ()

    @property
    def valid_rua(self) -> tuple[str, ...]:
        return tuple(u for u in self.rua if valid_report_uri(u))

    @property
    def usable(self) -> bool:
        """Senders could send reports somewhere."""
        return not any(p.code is RptProblem.NOT_TLSRPT for p in self.problems) and bool(
            self.valid_rua
        )


def is_tls_rpt_text(text: str) -> bool:
    """RFC 8460 §3: a TXT record at `_smtp._tls` is a TLS-RPT record when it begins with
    exactly `v=TLSRPTv1`; others are discarded."""
    return begins_with_version(text, TLSRPT_VERSION)


def parse_tls_rpt(text: str) -> TlsRptRecord:
    """Parse one `_smtp._tls` TXT record (strings already joined). Never raises."""
    pairs, malformed = split_fields(text)
    problems: list[TlsRptProblem] = []
    if not is_tls_rpt_text(text):
        problems.append(Problem(RptProblem.NOT_TLSRPT, "v", text.strip()[:40]))
    problems.extend(Problem(RptProblem.MALFORMED_FIELD, None, m[:60]) for m in malformed)
    tags: dict[str, str] = {}
    for name, value in pairs:
        if name in tags:
            problems.append(Problem(RptProblem.DUPLICATE_FIELD, name, value[:60]))
            continue
        if not FIELD_NAME.match(name) or not value:
            problems.append(Problem(RptProblem.MALFORMED_FIELD, name, f"{name}={value}"[:60]))
        tags[name] = value
    rua: tuple[str, ...] = ()
    if "rua" not in tags:
        problems.append(Problem(RptProblem.MISSING_RUA, "rua"))
    else:
        # RFC 8460 §3: tlsrpt-rua = "rua=" tlsrpt-uri *(*WSP "," *WSP tlsrpt-uri)
        rua = tuple(u.strip(" \t") for u in tags["rua"].split(","))
        problems.extend(
            Problem(RptProblem.BAD_URI, "rua", u[:80]) for u in rua if not valid_report_uri(u)
        )
    extensions = {k: v for k, v in tags.items() if k not in ("v", "rua")}
    return TlsRptRecord(text, tags, rua, extensions, tuple(problems))


def valid_report_uri(uri: str) -> bool:
    """RFC 8460 §3: each rua URI is `mailto:` (an address) or `https:` (a host)."""
    scheme, _, rest = uri.partition(":")
    if scheme.lower() == "mailto":
        address = unquote(rest.split("?", 1)[0])
        local, at, domain = address.rpartition("@")
        return bool(local) and bool(at) and not any(c.isspace() for c in local) and _domain(domain)
    if scheme.lower() == "https":
        try:
            parts = urlsplit(uri)
            host = parts.hostname
            parts.port  # noqa: B018 - raises ValueError on a malformed port
        except ValueError:
            return False
        return bool(parts.netloc) and host is not None and _host(host)
    return False


def _domain(name: str) -> bool:
    labels = name.rstrip(".").split(".")
    return len(labels) >= 2 and all(_LABEL.match(label) for label in labels)


def _host(host: str) -> bool:
    if host.startswith("[") or ":" in host:
        return True  # an IPv6 literal, parsed by urlsplit already
    return _domain(host) or host.replace(".", "").isdigit()

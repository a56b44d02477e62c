"""pyspf's `check_host()` (RFC 7208), with DNS through our DnsSource and an evaluation trace:
the trace's types and pyspf's problem words here; `TracingQuery` in message/spfquery.py.

pyspf evaluates; we only watch. `TracingQuery` subclasses `spf.query` and overrides its DNS
hook (`dns()`, so lookups go through `SyncDns` and never the system resolver) and the small
methods pyspf calls at each step — `check1` (a record is evaluated), `validate_mechanism`
(a term is parsed), `check_lookups` (a DNS-mechanism lookup is counted), `cidrmatch`, `dns_a`,
`validated_ptrs` (a mechanism matches) — to record which record was evaluated, which mechanism
matched or why none did, and every lookup with its running count. The result is pyspf's own.
"""

from __future__ import annotations

import functools
import re
from dataclasses import field
from enum import Enum
from typing import Any

from mailauth.frozen import frozen, mutable
from mailauth.model import Result

DNS_MECHANISMS = ("include", "a", "mx", "ptr", "exists")


class SpfProblemCode(str, Enum):
    """Why check_host gave no verdict (or permerror/temperror). Plain words: the UI
    catalogue's `verify.spf-problem.*`, with `CheckHostProblem.params` filled in."""

    NO_IP = "no-ip"
    NO_DOMAIN = "no-domain"
    LOOKUP_FAILED = "lookup-failed"  # {name} {rdtype} {rcode}
    VOID_LIMIT = "void-limit"  # {limit}, RFC 7208 §4.6.4
    TOO_MANY_LOOKUPS = "too-many-lookups"  # RFC 7208 §4.6.4
    MULTIPLE_RECORDS = "multiple-records"  # RFC 7208 §4.5
    OTHER = "other"  # pyspf words no code below matches, quoted in {message}
    BAD_IP = "bad-ip"  # {ip} is not an address check_host can take (a zone index, garbage)
    INVALID_TERM = "invalid-term"  # {term}: pyspf could not parse it (a 5,000-digit CIDR)
    LIBRARY_ERROR = "library-error"  # {error}: pyspf raised; permerror, not a crash
    # pyspf's own PermError/TempError messages, each a code (issue 14: no English sentence
    # in a report of another language); {term} is the term pyspf names, when it names one.
    RECURSION_LIMIT = "recursion-limit"
    INVALID_DOMAIN = "invalid-domain"  # {term}
    BAD_CIDR = "bad-cidr"  # {term}
    DUAL_CIDR = "dual-cidr"  # {term}
    CIDR_NOT_ALLOWED = "cidr-not-allowed"  # {term}
    BAD_ADDRESS = "bad-address"  # {term}
    MISSING_DOMAIN = "missing-domain"  # {term}
    INCLUDE_SELF = "include-self"  # {term}
    INCLUDE_NO_SPF = "include-no-spf"  # {term}
    REDIRECT_NO_SPF = "redirect-no-spf"  # {term}
    DUPLICATE_MODIFIER = "duplicate-modifier"  # {term}
    BAD_MACRO = "bad-macro"  # {term}
    NON_ASCII = "non-ascii"
    CNAME_CHAIN = "cname-chain"  # {limit}
    TOO_MANY_MX = "too-many-mx"  # {limit}
    DNS_TIMEOUT = "dns-timeout"
    DNS_ERROR = "dns-error"


@frozen
class CheckHostProblem:
    """Why one evaluation ended without a verdict: about check_host's run (a lookup, a
    limit), not about a record's text, which is `mailauth.records.spf.SpfProblem`."""

    code: SpfProblemCode
    params: dict[str, Any] = field(default_factory=dict)


# pyspf's PermError/TempError messages (their `msg`, which pyspf keeps as `query.prob`), each
# with its code; a number in the message is the {limit}. tests/unit/message/
# test_pyspf_messages.py reads pyspf's source and fails on a message not matched here.
# Compiled on the first permerror or temperror (`_pyspf_problems`), not on every start.
_PYSPF_PROBLEM_PATTERNS: tuple[tuple[str, SpfProblemCode], ...] = (
    (
        r"Too many DNS lookups|More than (?P<limit>\d+) DNS lookups",
        SpfProblemCode.TOO_MANY_LOOKUPS,
    ),
    (r"Two or more type (TXT|SPF) spf records found\.", SpfProblemCode.MULTIPLE_RECORDS),
    (r"Void lookup limit of (?P<limit>\d+) exceeded", SpfProblemCode.VOID_LIMIT),
    (r"Too many levels of recursion", SpfProblemCode.RECURSION_LIMIT),
    (r"Invalid domain found \(use FQDN\)", SpfProblemCode.INVALID_DOMAIN),
    (r"Invalid IP[46] CIDR length", SpfProblemCode.BAD_CIDR),
    (r"Dual CIDR not allowed", SpfProblemCode.DUAL_CIDR),
    (r"CIDR not allowed", SpfProblemCode.CIDR_NOT_ALLOWED),
    (r"Invalid IP[46] address|Missing IP4", SpfProblemCode.BAD_ADDRESS),
    (
        r"implicit exists not allowed|empty domain:|include mechanism missing domain"
        r"|exp has empty domain-spec:|redirect has empty domain:|Empty domain-spec on exp=",
        SpfProblemCode.MISSING_DOMAIN,
    ),
    (r"include has trivial recursion", SpfProblemCode.INCLUDE_SELF),
    (r"No valid SPF record for included domain: .*", SpfProblemCode.INCLUDE_NO_SPF),
    (r"redirect domain has no SPF record", SpfProblemCode.REDIRECT_NO_SPF),
    (r"\S+= MUST appear at most once", SpfProblemCode.DUPLICATE_MODIFIER),
    (
        r"invalid-macro-char ?|c,r,t macros allowed in exp= text only"
        r"|Unknown Macro Encountered",
        SpfProblemCode.BAD_MACRO,
    ),
    (
        r"syntax error|Unknown mechanism found|Do not separate mechnisms with commas"
        r"|Use the ip4 mechanism for ip4 addresses|Invalid all mechanism format.*"
        r"|Unknown qualifier.*",
        SpfProblemCode.INVALID_TERM,
    ),
    (r"Non-ascii characters found.*", SpfProblemCode.NON_ASCII),
    (r"Length of CNAME chain exceeds (?P<limit>\d+)", SpfProblemCode.CNAME_CHAIN),
    (r"More than (?P<limit>\d+) MX records returned", SpfProblemCode.TOO_MANY_MX),
    (r"DNS Error: exceeded max query lookup time", SpfProblemCode.DNS_TIMEOUT),
    (r"DNS\b.*", SpfProblemCode.DNS_ERROR),
)


@functools.cache
def _pyspf_problems() -> tuple[tuple[re.Pattern[str], SpfProblemCode], ...]:
    return tuple((re.compile(pattern), code) for pattern, code in _PYSPF_PROBLEM_PATTERNS)


def pyspf_problem(message: str, term: str | None = None) -> CheckHostProblem | None:
    """The code of one of pyspf's messages, with the term it names and a limit it quotes;
    None for words pyspf did not write (or writes in a version we do not know)."""
    for pattern, code in _pyspf_problems():
        m = pattern.fullmatch(message.strip())
        if m is None:
            continue
        params: dict[str, Any] = {"term": term or "-"}
        limit = m.groupdict().get("limit")
        if limit is not None:
            params["limit"] = int(limit)
        return CheckHostProblem(code, params)
    return None


@mutable
class Lookup:
    """One DNS query check_host made: its answer and the void lookups counted so far
    (RFC 7208 §4.6.4)."""

    name: str
    rdtype: str
    rcode: str
    values: tuple[str, ...]
    void_count: int


class EnteredBy(str, Enum):
    """How check_host reached a record (RFC 7208 §5.2 include, §6.1 redirect)."""

    TOP = "top"
    INCLUDE = "include"
    REDIRECT = "redirect"


@mutable
class MechanismStep:
    """One term of a record as evaluated: `counted` is the §4.6.4 lookup number it used;
    `qualifier` is the result the term gives when it matches (§4.6.2)."""

    term: str
    kind: str
    target: str
    qualifier: Result | None
    matched: bool = False
    counted: int | None = None
    lookups: list[Lookup] = field(default_factory=list)


@mutable
class RecordStep:
    """One SPF record evaluation (the top record, an include, or a redirect)."""

    depth: int
    domain: str
    record: str | None
    entered_by: EnteredBy
    mechanisms: list[MechanismStep] = field(default_factory=list)
    lookups: list[Lookup] = field(default_factory=list)  # the record fetch, exp=, redirect=
    redirect_counted: int | None = None  # §4.6.4 number of this record's redirect= lookup
    result: Result | None = None


def __getattr__(name: str) -> Any:
    """`TracingQuery`, from message/spfquery.py: it subclasses pyspf's query, so importing it
    imports pyspf, which a message without a connecting IP never needs (PEP 562)."""
    if name == "TracingQuery":
        from mailauth.message.spfquery import TracingQuery

        return TracingQuery
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

"""What can be wrong in an SPF record (RFC 7208): stable codes, the exact rule broken, and the
words for them.

The parser (`spf_terms`, `spf`) reports `SpfProblem`s; no parser writes English. The words
are the UI catalogue's `spf-problem.<code>` (or `spf-problem.<code>.<detail>` where one code
covers several rules), filled from the problem's values by `SpfProblem.phrase()`, so a report
shows them in its language.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from mailauth.frozen import frozen
from mailauth.model import Phrase
from mailauth.records.problem import Problem
from mailauth.records.spf_macro import MacroProblem

# §12 ip4-cidr-length / ip6-cidr-length: the largest prefix length of each family.
PREFIX_LIMITS = {"ip4": 32, "ip6": 128}


class Level(str, Enum):
    """How bad a problem is. ERROR: check_host() returns permerror (§4.6); WARNING: valid
    syntax that does not do what its author meant."""

    ERROR = "error"
    WARNING = "warning"


class SpfCode(str, Enum):
    """What can be wrong in an SPF record. Stable identifiers: the check maps the warnings
    to finding ids and reports every error as `spf.syntax-error`."""

    INTERNAL = "internal"  # value: the parser's own failure (a bug)
    NOT_SPF = "not-spf"
    UNKNOWN_MECHANISM = "unknown-mechanism"
    BAD_ALL = "bad-all"
    BAD_PTR = "bad-ptr"
    MISSING_DOMAIN = "missing-domain"  # detail: SpfDetail.NEEDS_DOMAIN or EMPTY_DOMAIN
    BAD_DOMAIN = "bad-domain"  # detail: SpfDetail.BAD_TOPLABEL or BAD_NAME
    MISSING_NETWORK = "missing-network"  # value: ip4 or ip6
    BAD_NETWORK = "bad-network"  # detail: NOT_A_NETWORK, NOT_DOTTED_QUAD or NOT_IPV6
    BAD_CIDR = "bad-cidr"  # detail: NOT_A_CIDR or CIDR_RANGE
    BAD_MACRO = "bad-macro"  # detail: the MacroProblem
    DUPLICATE_MODIFIER = "duplicate-modifier"  # value: how many times it appears
    UNKNOWN_MODIFIER = "unknown-modifier"  # value: the modifier's name
    TERMS_AFTER_ALL = "terms-after-all"
    REDIRECT_IGNORED = "redirect-ignored"

    @property
    def level(self) -> Level:
        return Level.WARNING if self in _WARNINGS else Level.ERROR


_WARNINGS = frozenset({SpfCode.UNKNOWN_MODIFIER, SpfCode.TERMS_AFTER_ALL, SpfCode.REDIRECT_IGNORED})


class SpfDetail(str, Enum):
    """Which rule a term broke, where one `SpfCode` covers several. In a `Problem[SpfDetail]`
    `subject` is the mechanism name (or address family) and `value` the offending text."""

    NEEDS_DOMAIN = "needs-domain"  # include / exists without ":" and a domain
    EMPTY_DOMAIN = "empty-domain"  # ":" or "=" and nothing after it
    NOT_A_NETWORK = "not-a-network"  # ip4: / ip6: followed by something else
    NOT_DOTTED_QUAD = "not-dotted-quad"  # §5.6: four decimal numbers, no shortcuts
    NOT_IPV6 = "not-ipv6"
    NOT_A_CIDR = "not-a-cidr"  # a / mx followed by something that is not /len//len
    CIDR_RANGE = "cidr-range"  # a prefix length outside 0-32 / 0-128, or with leading zeros
    BAD_TOPLABEL = "bad-toplabel"  # §7.1 domain-end: no valid top-level label
    BAD_NAME = "bad-name"  # §4.3: an empty label, a label over 63 or a name over 253 octets

    @property
    def code(self) -> SpfCode:
        """The stable code this rule is reported under."""
        return _DETAIL_CODES[self]


_DETAIL_CODES = {
    SpfDetail.NEEDS_DOMAIN: SpfCode.MISSING_DOMAIN,
    SpfDetail.EMPTY_DOMAIN: SpfCode.MISSING_DOMAIN,
    SpfDetail.NOT_A_NETWORK: SpfCode.BAD_NETWORK,
    SpfDetail.NOT_DOTTED_QUAD: SpfCode.BAD_NETWORK,
    SpfDetail.NOT_IPV6: SpfCode.BAD_NETWORK,
    SpfDetail.NOT_A_CIDR: SpfCode.BAD_CIDR,
    SpfDetail.CIDR_RANGE: SpfCode.BAD_CIDR,
    SpfDetail.BAD_TOPLABEL: SpfCode.BAD_DOMAIN,
    SpfDetail.BAD_NAME: SpfCode.BAD_DOMAIN,
}


@frozen
class SpfProblem(Problem[SpfCode]):
    """One problem of an SPF record: `subject` is the term as written ("" for the record as a
    whole), `value` the code's value. `detail` is the exact rule broken, for the codes that
    cover several: its own code, subject and value choose and fill the words."""

    detail: Problem[SpfDetail] | Problem[MacroProblem] | None = None

    @property
    def level(self) -> Level:
        return self.code.level

    @property
    def term(self) -> str:
        return self.subject or ""

    def phrase(self) -> Phrase:
        """The problem as UI-catalogue words: `spf-problem.<code>`, or for a code with a
        detail `spf-problem.<code>.<detail>` (a macro problem's under `bad-macro`)."""
        d = self.detail
        key = f"spf-problem.{self.code.value}"
        params: dict[str, Any] = {"term": self.term, "value": self.value}
        if d is not None:
            key = f"{key}.{d.code.value}"
            params.update(subject=d.subject, value=d.value)
            if d.code is SpfDetail.CIDR_RANGE:
                params["limit"] = PREFIX_LIMITS.get(d.subject or "")
        elif self.code is SpfCode.DUPLICATE_MODIFIER:
            params["name"] = self.term.partition("=")[0].lower()
        return Phrase(key, params)

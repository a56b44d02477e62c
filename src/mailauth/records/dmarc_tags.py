"""The vocabulary of a DMARC record: tag values (RFC 9989 §4.7), the grammar of each value
(§4.8), and the codes for what can be wrong with them.

Kept apart from the record parser (`mailauth.records.dmarc`, which re-exports these names) so
the parser reads as the record-level rules: version first, known tags, duplicates, defaults.
Section numbers are those of draft-ietf-dmarc-dmarcbis-41, the text published as RFC 9989.
"""

from __future__ import annotations

import re
from enum import Enum
from typing import TypeVar
from urllib.parse import unquote

from mailauth.frozen import frozen
from mailauth.records.problem import Problem
from mailauth.records.taglist import WSP

# RFC 9989 §4.8: dmarc-value = %x20-3A / %x3C-7E (printable ASCII and space, no ';').
_VALUE = re.compile(r"[\x20-\x3a\x3c-\x7e]+\Z")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*\Z")
# obs-dmarc-report-size = "!" 1*DIGIT [ "k" / "m" / "g" / "t" ]   (§4.8, obsolete)
_SIZE = re.compile(r"!([0-9]+[kmgtKMGT]?)\Z")
_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)\Z")
_FAILURE_OPTIONS = ("0", "1", "d", "s")

_E = TypeVar("_E", bound=Enum)


class Policy(str, Enum):
    """Domain Owner Assessment Policy values (RFC 9989 §4.7, tag p), weakest first."""

    NONE = "none"
    QUARANTINE = "quarantine"
    REJECT = "reject"

    @property
    def strength(self) -> int:
        """0 for none, 1 quarantine, 2 reject: compare policies without string games."""
        return _POLICY_ORDER.index(self)

    def weaker(self) -> Policy:
        """One level weaker: what a receiver applies under t=y (RFC 9989 §4.7, tag t)."""
        return _POLICY_ORDER[max(0, self.strength - 1)]


_POLICY_ORDER = [Policy.NONE, Policy.QUARANTINE, Policy.REJECT]


class AlignmentMode(str, Enum):
    """adkim / aspf values (RFC 9989 §4.7); relaxed is the default."""

    RELAXED = "r"
    STRICT = "s"


class PsdFlag(str, Enum):
    """The psd tag (RFC 9989 §4.7): y = a Public Suffix Domain, n = an Organizational Domain,
    u (default) = unknown, let the DNS Tree Walk decide."""

    YES = "y"
    NO = "n"
    UNKNOWN = "u"


class ProblemCode(str, Enum):
    """What can be wrong in a DMARC record. Stable: the check maps these to finding ids."""

    NOT_DMARC = "not-dmarc"  # does not start with a v tag at all
    BAD_VERSION = "bad-version"  # v present first but not exactly "DMARC1" (case-sensitive)
    VERSION_NOT_FIRST = "version-not-first"
    MALFORMED_TAG = "malformed-tag"  # no "=", or a tag name that is not 1*ALPHA
    TAG_NAME_CASE = "tag-name-case"  # "P=reject": processed as "p" but not the registered spelling
    DUPLICATE_TAG = "duplicate-tag"  # later occurrences ignored
    UNKNOWN_TAG = "unknown-tag"  # ignored (RFC 9989 §4.7 "unknown tags MUST be ignored")
    HISTORIC_TAG = "historic-tag"  # pct, rf, ri: removed by RFC 9989
    INVALID_VALUE = "invalid-value"  # discarded in favour of the default (§4.8)
    MISSING_POLICY = "missing-policy"  # no p tag
    BAD_URI = "bad-uri"  # an rua/ruf entry that is not a usable URI
    UNSUPPORTED_URI_SCHEME = "unsupported-uri-scheme"  # not mailto: receivers need only mailto
    OBSOLETE_SIZE = "obsolete-size"  # "!10m" suffix: reporters ignore it (§4.8)


# One deviation from the RFC 9989 §4.8 grammar: `subject` is the tag, `value` its value.
DmarcProblem = Problem[ProblemCode]


@frozen
class ReportUri:
    """One rua/ruf destination (RFC 9989 §4.6, §4.8 dmarc-uri).

    `domain` is the lower-cased domain of a mailto: address (None for other schemes or when
    unparseable); it is what external-destination authorization is checked against.
    """

    raw: str
    scheme: str = ""
    address: str | None = None
    domain: str | None = None
    size_limit: str | None = None
    problem: ProblemCode | None = None

    @property
    def valid(self) -> bool:
        """Syntactically a URI (any scheme). RFC 9989 §4.10.1's p=none fallback needs one."""
        return self.problem not in (ProblemCode.BAD_URI,)

    @property
    def usable(self) -> bool:
        """A mailto: address every reporting receiver must support."""
        return self.problem is None


def parse_keyword(kind: type[_E], value: str) -> _E | None:
    """p, sp, np, adkim, aspf and psd take keywords, which are ABNF literals and so
    case-insensitive ("p=Reject" is reject); None for anything else."""
    try:
        return kind(value.lower())
    except ValueError:
        return None


def parse_testing(value: str) -> bool | None:
    """RFC 9989 §4.7 tag t: y (testing, apply one policy level weaker) or n."""
    return {"y": True, "n": False}.get(value.lower())


def parse_failure_options(value: str) -> tuple[str, ...] | None:
    """RFC 9989 §4.8 dmarc-fo: colon-separated 0/1/d/s, each at most once, 0 and 1 exclusive."""
    items = [v.strip(WSP).lower() for v in value.split(":")]
    if not items or any(i not in _FAILURE_OPTIONS for i in items):
        return None
    if len(set(items)) != len(items) or {"0", "1"} <= set(items):
        return None
    return tuple(items)


def parse_uri_list(value: str) -> list[ReportUri]:
    """Split an rua/ruf value on commas (RFC 9989 §4.8 dmarc-urilist) and parse each URI."""
    return [parse_report_uri(item.strip(WSP)) for item in value.split(",") if item.strip(WSP)]


def parse_report_uri(raw: str) -> ReportUri:
    """One reporting URI. mailto: is the scheme every reporting receiver supports (§4.7 rua)."""
    uri, size = raw, None
    m = _SIZE.search(uri)
    if m:
        uri, size = uri[: m.start()], m.group(1).lower()
    scheme, colon, rest = uri.partition(":")
    if not colon or not _SCHEME.match(scheme) or not rest or not _VALUE.match(uri):
        return ReportUri(raw, size_limit=size, problem=ProblemCode.BAD_URI)
    scheme = scheme.lower()
    if scheme != "mailto":
        return ReportUri(raw, scheme, size_limit=size, problem=ProblemCode.UNSUPPORTED_URI_SCHEME)
    address = unquote(rest.partition("?")[0]).strip()
    local, at, domain = address.rpartition("@")
    domain = domain.rstrip(".").lower()
    if not at or not local or not _is_hostname(domain):
        return ReportUri(raw, scheme, address or None, size_limit=size, problem=ProblemCode.BAD_URI)
    return ReportUri(raw, scheme, address, domain, size)


def _is_hostname(name: str) -> bool:
    labels = name.split(".")
    return len(name) <= 253 and len(labels) >= 2 and all(_LABEL.match(x) for x in labels)

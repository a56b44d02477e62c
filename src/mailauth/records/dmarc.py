"""DMARC policy record parser (RFC 9989, which obsoleted RFC 7489 in May 2026).

Pure and total: `parse_dmarc(text)` never raises. It returns a `DmarcRecord` with typed tag
values plus a list of `DmarcProblem`s, so a checker can explain every deviation and a verifier
can apply RFC 9989's "discard in favour of defaults" rule (§4.8) without re-parsing.

Section numbers below are those of draft-ietf-dmarc-dmarcbis-41, the text published as
RFC 9989; titles are given too so they can be found whichever numbering one reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from enum import Enum
from urllib.parse import unquote

from mailauth.records.taglist import WSP, TagSpec, split_tag_list

DMARC_VERSION = "DMARC1"

# RFC 9989 §4.7 / §9.3: the tags a receiver processes. Anything else is ignored (but noted).
KNOWN_TAGS = frozenset({"v", "p", "sp", "np", "adkim", "aspf", "rua", "ruf", "fo", "psd", "t"})
# RFC 9989 Appendix C.5.2 (Tags Removed) and §A.6: pct, rf and ri are historic.
HISTORIC_TAGS = frozenset({"pct", "rf", "ri"})

_TAG_NAME = re.compile(r"[A-Za-z]+\Z")
# RFC 9989 §4.8: dmarc-value = %x20-3A / %x3C-7E (printable ASCII and space, no ';').
_VALUE = re.compile(r"[\x20-\x3a\x3c-\x7e]+\Z")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*\Z")
# obs-dmarc-report-size = "!" 1*DIGIT [ "k" / "m" / "g" / "t" ]   (§4.8, obsolete)
_SIZE = re.compile(r"!([0-9]+[kmgtKMGT]?)\Z")
_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)\Z")


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


@dataclass(frozen=True)
class DmarcProblem:
    """One deviation from the RFC 9989 §4.8 grammar, with the tag and value it concerns."""

    code: ProblemCode
    tag: str | None = None
    value: str | None = None


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class DmarcRecord:
    """A parsed DMARC record. Tag fields hold the value that was published and valid, or None
    when absent or invalid; the `*_mode`/`psd_flag`/`testing` properties apply the defaults."""

    text: str
    is_dmarc: bool
    p: Policy | None = None
    sp: Policy | None = None
    np: Policy | None = None
    adkim: AlignmentMode | None = None
    aspf: AlignmentMode | None = None
    rua: tuple[ReportUri, ...] = ()
    ruf: tuple[ReportUri, ...] = ()
    fo: tuple[str, ...] | None = None
    psd: PsdFlag | None = None
    t: bool | None = None
    tags: dict[str, str] = field(default_factory=dict)
    historic: dict[str, str] = field(default_factory=dict)
    unknown: dict[str, str] = field(default_factory=dict)
    problems: tuple[DmarcProblem, ...] = ()

    @property
    def v(self) -> str | None:
        return DMARC_VERSION if self.is_dmarc else None

    @property
    def dkim_mode(self) -> AlignmentMode:
        return self.adkim or AlignmentMode.RELAXED

    @property
    def spf_mode(self) -> AlignmentMode:
        return self.aspf or AlignmentMode.RELAXED

    @property
    def psd_flag(self) -> PsdFlag:
        return self.psd or PsdFlag.UNKNOWN

    @property
    def testing(self) -> bool:
        """t=y: receivers apply one policy level weaker (RFC 9989 §4.7, tag t)."""
        return bool(self.t)

    @property
    def failure_options(self) -> tuple[str, ...]:
        return self.fo or ("0",)

    def invalid(self, tag: str) -> bool:
        """True when `tag` was published with a value the grammar rejects."""
        return any(p.code is ProblemCode.INVALID_VALUE and p.tag == tag for p in self.problems)

    def has(self, code: ProblemCode) -> bool:
        return any(p.code is code for p in self.problems)


@dataclass(frozen=True)
class PolicySet:
    """The three policies a record expresses once RFC 9989 defaults are applied.

    `fallback` is True when p (or sp/np) was missing or invalid and the record is acted on
    as "p=none" only because it has a valid rua (RFC 9989 §4.10.1).
    """

    p: Policy
    sp: Policy
    np: Policy
    fallback: bool = False


def policy_set(record: DmarcRecord) -> PolicySet | None:
    """Effective p/sp/np, or None when RFC 9989 says to apply no DMARC processing.

    RFC 9989 §4.10.1: a record without a valid p, or with an invalid sp or np, is treated as
    p=none when its rua holds at least one syntactically valid URI; otherwise it is ignored.
    §4.7: sp defaults to p; np defaults to sp if present, else p.
    """
    if not record.is_dmarc:
        return None
    broken = record.p is None or record.invalid("sp") or record.invalid("np")
    if broken:
        if any(u.valid for u in record.rua):
            return PolicySet(Policy.NONE, Policy.NONE, Policy.NONE, fallback=True)
        return None
    assert record.p is not None
    sp = record.sp or record.p
    np = record.np or sp
    return PolicySet(record.p, sp, np)


def looks_like_dmarc(text: str) -> bool:
    """A TXT string someone meant as a DMARC record (for "malformed version" findings), even
    when `parse_dmarc` would not accept it: starts with v=DMARC in any case or spacing."""
    head = text.lstrip(WSP).lower()
    if not head.startswith("v"):
        return False
    return head[1:].lstrip(WSP).startswith("=") and "dmarc" in head[:16]


def parse_dmarc(text: str) -> DmarcRecord:
    """Parse one TXT record (character-strings already joined, RFC 9989 §4.5)."""
    try:
        return _parse(text)
    except Exception:  # pragma: no cover - defensive: a parser bug must not crash a check
        return DmarcRecord(
            text=text, is_dmarc=False, problems=(DmarcProblem(ProblemCode.NOT_DMARC),)
        )


def is_dmarc_text(text: str) -> bool:
    """A TXT record that is a DMARC record (the rule `parse_dmarc` applies, without parsing
    the rest): receivers discard the others at `_dmarc.<name>` (RFC 9989 §4.10 step 2)."""
    return _version_problem(split_tag_list(text)) is None


def _version_problem(parts: list[TagSpec]) -> DmarcProblem | None:
    """RFC 9989 §4.7 tag v: MUST be first, value exactly "DMARC1" (case-sensitive); "v" itself
    is an ABNF literal and so case-insensitive; WSP is allowed around "=" (§4.8 `equals`)."""
    first = parts[0] if parts else TagSpec("", "", "", has_equals=False)
    if first.name.lower() != "v" or not first.has_equals:
        if any(p.name.lower() == "v" for p in parts[1:]):
            return DmarcProblem(ProblemCode.VERSION_NOT_FIRST, "v")
        return DmarcProblem(ProblemCode.NOT_DMARC, "v")
    if first.value != DMARC_VERSION:
        return DmarcProblem(ProblemCode.BAD_VERSION, "v", first.value)
    return None


def _parse(text: str) -> DmarcRecord:
    parts = split_tag_list(text)
    version_problem = _version_problem(parts)
    if version_problem is not None:
        return DmarcRecord(text=text, is_dmarc=False, problems=(version_problem,))

    problems: list[DmarcProblem] = []
    tags: dict[str, str] = {}
    historic: dict[str, str] = {}
    unknown: dict[str, str] = {}
    for part in parts[1:]:
        if not part.text:
            continue  # a doubled ";;" is harmless
        name, value = part.name, part.value
        if not part.has_equals or not _TAG_NAME.match(name):
            problems.append(DmarcProblem(ProblemCode.MALFORMED_TAG, name or None, part.text))
            continue
        key = name.lower()
        if key != name and (key in KNOWN_TAGS or key in HISTORIC_TAGS):
            problems.append(DmarcProblem(ProblemCode.TAG_NAME_CASE, name, value))
        if key == "v":
            problems.append(DmarcProblem(ProblemCode.DUPLICATE_TAG, key, value))
            continue
        if key in HISTORIC_TAGS:
            historic.setdefault(key, value)
            problems.append(DmarcProblem(ProblemCode.HISTORIC_TAG, key, value))
            continue
        if key not in KNOWN_TAGS:
            unknown.setdefault(name, value)
            problems.append(DmarcProblem(ProblemCode.UNKNOWN_TAG, name, value))
            continue
        if key in tags:
            problems.append(DmarcProblem(ProblemCode.DUPLICATE_TAG, key, value))
            continue
        tags[key] = value

    def bad(tag: str) -> None:
        problems.append(DmarcProblem(ProblemCode.INVALID_VALUE, tag, tags[tag]))

    def policy(tag: str) -> Policy | None:
        value = _policy(tags[tag]) if tag in tags else None
        if tag in tags and value is None:
            bad(tag)
        return value

    def mode(tag: str) -> AlignmentMode | None:
        value = _mode(tags[tag]) if tag in tags else None
        if tag in tags and value is None:
            bad(tag)
        return value

    psd = _psd(tags["psd"]) if "psd" in tags else None
    if "psd" in tags and psd is None:
        bad("psd")
    t = {"y": True, "n": False}.get(tags.get("t", "").lower()) if "t" in tags else None
    if "t" in tags and t is None:
        bad("t")
    fo = _failure_options(tags["fo"]) if "fo" in tags else None
    if "fo" in tags and fo is None:
        bad("fo")
    record = DmarcRecord(
        text=text,
        is_dmarc=True,
        p=policy("p"),
        sp=policy("sp"),
        np=policy("np"),
        adkim=mode("adkim"),
        aspf=mode("aspf"),
        rua=_uris(tags, "rua", problems),
        ruf=_uris(tags, "ruf", problems),
        fo=fo,
        psd=psd,
        t=t,
        tags=tags,
        historic=historic,
        unknown=unknown,
    )
    if "p" not in tags:
        problems.append(DmarcProblem(ProblemCode.MISSING_POLICY, "p"))
    return replace(record, problems=tuple(problems))


def _uris(tags: dict[str, str], tag: str, problems: list[DmarcProblem]) -> tuple[ReportUri, ...]:
    if tag not in tags:
        return ()
    uris = parse_uri_list(tags[tag])
    if not uris:
        problems.append(DmarcProblem(ProblemCode.INVALID_VALUE, tag, tags[tag]))
    for uri in uris:
        if uri.problem is not None:
            problems.append(DmarcProblem(uri.problem, tag, uri.raw))
        if uri.size_limit is not None:
            problems.append(DmarcProblem(ProblemCode.OBSOLETE_SIZE, tag, uri.raw))
    return tuple(uris)


# Literal values are ABNF strings, hence case-insensitive ("p=Reject" is reject).
def _policy(value: str) -> Policy | None:
    try:
        return Policy(value.lower())
    except ValueError:
        return None


def _mode(value: str) -> AlignmentMode | None:
    try:
        return AlignmentMode(value.lower())
    except ValueError:
        return None


def _psd(value: str) -> PsdFlag | None:
    try:
        return PsdFlag(value.lower())
    except ValueError:
        return None


def _failure_options(value: str) -> tuple[str, ...] | None:
    """RFC 9989 §4.8 dmarc-fo: colon-separated 0/1/d/s, each at most once, 0 and 1 exclusive."""
    items = [v.strip(WSP).lower() for v in value.split(":")]
    if not items or any(i not in ("0", "1", "d", "s") for i in items):
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


# --- Writing records back: the `fix_record` a check proposes keeps the owner's other tags. ---

_ORDER = ("v", "p", "sp", "np", "adkim", "aspf", "rua", "ruf", "fo", "psd", "t")


def rebuild(
    record: DmarcRecord,
    set_tags: dict[str, str] | None = None,
    drop: tuple[str, ...] = (),
) -> str:
    """The record's known, valid tags (historic, unknown and invalid ones left out) with
    `set_tags` applied and `drop` removed, in the conventional order: v and p first (RFC 7489
    receivers still expect p second)."""
    tags = {k: v for k, v in record.tags.items() if k not in drop and not record.invalid(k)}
    tags.update(set_tags or {})
    ordered = sorted(tags, key=lambda k: _ORDER.index(k) if k in _ORDER else len(_ORDER))
    return "; ".join([f"v={DMARC_VERSION}", *(f"{k}={tags[k]}" for k in ordered if k != "v")])


def repair_version(text: str) -> str | None:
    """A corrected spelling of a record whose v tag is wrong (`v=dmarc1`, `v=DMARC1 p=none`,
    v not first), or None when there is nothing recognisable to keep."""
    rest: list[str] = []
    for part in split_tag_list(text):
        if not part.text:
            continue
        if part.name.lower() == "v":
            # "v=DMARC1 p=reject": a missing ";" glued the next tag onto the version.
            tail = part.value[len(DMARC_VERSION) :].strip(WSP)
            if part.value.lower().startswith("dmarc1") and "=" in tail:
                rest.append(tail)
            continue
        rest.append(part.text)
    record = parse_dmarc("; ".join([f"v={DMARC_VERSION}", *rest]))
    return rebuild(record) if record.is_dmarc and record.tags else None

"""DMARC policy record parser (RFC 9989, which obsoleted RFC 7489 in May 2026).

Pure and total: `parse_dmarc(text)` never raises. It returns a `DmarcRecord` with typed tag
values plus a list of `DmarcProblem`s, so a checker can explain every deviation and a verifier
can apply RFC 9989's "discard in favour of defaults" rule (§4.8) without re-parsing.

Section numbers below are those of draft-ietf-dmarc-dmarcbis-41, the text published as
RFC 9989; titles are given too so they can be found whichever numbering one reads.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import field
from typing import TypeVar

from mailauth.frozen import frozen
from mailauth.records.dmarc_tags import (
    AlignmentMode,
    DmarcProblem,
    Policy,
    ProblemCode,
    PsdFlag,
    ReportUri,
    parse_failure_options,
    parse_keyword,
    parse_report_uri,
    parse_testing,
    parse_uri_list,
)
from mailauth.records.taglist import WSP, TagSpec, split_tag_list

__all__ = [
    "DMARC_VERSION",
    "HISTORIC_TAGS",
    "KNOWN_TAGS",
    "AlignmentMode",
    "DmarcProblem",
    "DmarcRecord",
    "Policy",
    "PolicySet",
    "ProblemCode",
    "PsdFlag",
    "ReportUri",
    "is_dmarc_text",
    "looks_like_dmarc",
    "parse_dmarc",
    "parse_report_uri",
    "parse_uri_list",
    "policy_set",
]

DMARC_VERSION = "DMARC1"

# RFC 9989 §4.7 / §9.3: the tags a receiver processes. Anything else is ignored (but noted).
KNOWN_TAGS = frozenset({"v", "p", "sp", "np", "adkim", "aspf", "rua", "ruf", "fo", "psd", "t"})
# RFC 9989 Appendix C.5.2 (Tags Removed) and §A.6: pct, rf and ri are historic.
HISTORIC_TAGS = frozenset({"pct", "rf", "ri"})
# RFC 9989 §4.8: dmarc-tag = 1*ALPHA.
_TAG_NAME = re.compile(r"[A-Za-z]+\Z")

_T = TypeVar("_T")


@frozen
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
        return any(p.code is ProblemCode.INVALID_VALUE and p.subject == tag for p in self.problems)

    def has(self, code: ProblemCode) -> bool:
        return any(p.code is code for p in self.problems)


@frozen
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

    def typed(tag: str, parse: Callable[[str], _T | None]) -> _T | None:
        """The tag's typed value; an invalid one is noted and discarded for the default
        (§4.8)."""
        if tag not in tags:
            return None
        parsed = parse(tags[tag])
        if parsed is None:
            problems.append(DmarcProblem(ProblemCode.INVALID_VALUE, tag, tags[tag]))
        return parsed

    def policy(raw: str) -> Policy | None:
        return parse_keyword(Policy, raw)

    def mode(raw: str) -> AlignmentMode | None:
        return parse_keyword(AlignmentMode, raw)

    # The order below is the order of the problems, and so of the findings.
    psd = typed("psd", lambda raw: parse_keyword(PsdFlag, raw))
    t = typed("t", parse_testing)
    fo = typed("fo", parse_failure_options)
    p, sp, np = typed("p", policy), typed("sp", policy), typed("np", policy)
    adkim, aspf = typed("adkim", mode), typed("aspf", mode)
    rua, ruf = _uris(tags, "rua", problems), _uris(tags, "ruf", problems)
    if "p" not in tags:
        problems.append(DmarcProblem(ProblemCode.MISSING_POLICY, "p"))
    return DmarcRecord(
        text=text,
        is_dmarc=True,
        p=p,
        sp=sp,
        np=np,
        adkim=adkim,
        aspf=aspf,
        rua=rua,
        ruf=ruf,
        fo=fo,
        psd=psd,
        t=t,
        tags=tags,
        historic=historic,
        unknown=unknown,
        problems=tuple(problems),
    )


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

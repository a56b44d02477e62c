"""BIMI Assertion Record parser (draft-brand-indicators-for-message-identification-10).

Pure and total: `parse_bimi(text)` never raises. URLs are judged as text only (scheme,
userinfo, host, length, file type) — nothing is fetched here; fetching the logo and the mark
certificate is the job of a `BimiAssetChecker` (see `mailauth.domain.bimi`).
Section numbers are those of draft -10 ("§4.3 Assertion Record Definition").
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import field
from enum import Enum
from urllib.parse import urlsplit

from mailauth.frozen import frozen
from mailauth.records.problem import Problem
from mailauth.records.taglist import WSP, TagSpec, split_tag_list

BIMI_VERSION = "BIMI1"
KNOWN_TAGS = frozenset({"v", "l", "a", "lps", "avp"})
MAX_URL_LENGTH = 2048  # longer URLs are refused by common HTTP stacks; BIMI URLs are short
_TAG_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")
_LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".lan", ".home.arpa", ".invalid")


class UrlProblem(str, Enum):
    """Why a receiver will not (or must not) fetch an l= or a= URL."""

    NOT_HTTPS = "not-https"  # §4.3 l= and a=: HTTPS is the only transport
    MALFORMED = "malformed"  # no host, spaces or control characters, unparseable
    USERINFO = "userinfo"  # https://user:pass@host/ — credentials in a public record
    IP_LITERAL = "ip-literal"  # §4.3 a=: the URI MUST contain a fully qualified domain name
    PRIVATE_HOST = "private-host"  # localhost, .local, single-label: not reachable by receivers
    TOO_LONG = "too-long"
    NOT_SVG = "not-svg"  # §4.3.2: only SVG/SVGZ Indicators are acceptable
    NOT_PEM = "not-pem"  # a= is expected to be a PEM evidence document (VMC/CMC)


# Why one URL must not be fetched: `subject` is its tag (l or a), `value` the URL.
BimiUrlProblem = Problem[UrlProblem]


@frozen
class BimiUrl:
    """One l= or a= URL as published; `host` is lower-case, None when none could be read."""

    raw: str
    host: str | None = None
    problems: tuple[BimiUrlProblem, ...] = ()

    @property
    def usable(self) -> bool:
        return not self.problems

    def has(self, code: UrlProblem) -> bool:
        return any(p.code is code for p in self.problems)


class BimiProblemCode(str, Enum):
    """What can be wrong in an Assertion Record. Stable: the check maps these to finding ids."""

    NOT_BIMI = "not-bimi"  # no v tag first
    BAD_VERSION = "bad-version"  # v present first but not BIMI1 (any case)
    VERSION_CASE = "version-case"  # "v=bimi1": accepted here, but the draft wants exactly BIMI1
    MALFORMED_TAG = "malformed-tag"
    DUPLICATE_TAG = "duplicate-tag"  # DKIM tag-list rule: the whole record is invalid
    UNKNOWN_TAG = "unknown-tag"  # ignored (§4.3)
    INVALID_VALUE = "invalid-value"  # lps/avp with a value outside the grammar: ignored
    MISSING_LOCATION = "missing-location"  # no l= tag at all (l= is REQUIRED)
    MULTIPLE_LOCATIONS = "multiple-locations"  # draft -10 allows a single URI


# Problems after which no receiver uses the record.
FATAL = frozenset(
    {
        BimiProblemCode.NOT_BIMI,
        BimiProblemCode.BAD_VERSION,
        BimiProblemCode.DUPLICATE_TAG,
        BimiProblemCode.MISSING_LOCATION,
    }
)


# What is wrong in the record: `subject` is the tag, `value` its value (or the malformed part).
BimiProblem = Problem[BimiProblemCode]


@frozen
class BimiRecord:
    """A parsed Assertion Record. `locations` is empty when l= is empty or absent;
    `authority` is None when a= is empty or absent (§4.3: absent a= means empty)."""

    text: str
    is_bimi: bool
    locations: tuple[BimiUrl, ...] = ()
    authority: BimiUrl | None = None
    has_location_tag: bool = False
    lps: bool | None = None
    avp: str | None = None
    tags: dict[str, str] = field(default_factory=dict)
    unknown: dict[str, str] = field(default_factory=dict)
    problems: tuple[BimiProblem, ...] = ()

    @property
    def declined(self) -> bool:
        """§4.3.1 Declination to Publish: l= and a= both empty (a= absent counts as empty)."""
        return self.is_bimi and self.has_location_tag and not self.locations and not self.authority

    @property
    def valid(self) -> bool:
        """A record receivers will act on (a declination is valid: it says "no logo").
        §4.3: l= and a= MUST be HTTPS URIs, so a non-https or unparseable URL voids it."""
        if not self.is_bimi or any(p.code in FATAL for p in self.problems):
            return False
        return not any(
            u.has(UrlProblem.NOT_HTTPS) or u.has(UrlProblem.MALFORMED) for u in self.urls
        )

    @property
    def urls(self) -> tuple[BimiUrl, ...]:
        """Every URL the record names: the l= locations, then the a= authority."""
        return (*self.locations, *((self.authority,) if self.authority else ()))

    @property
    def logo_url(self) -> str | None:
        return self.locations[0].raw if self.locations else None

    @property
    def authority_url(self) -> str | None:
        return self.authority.raw if self.authority else None

    @property
    def url_problems(self) -> bool:
        """Some URL must not be fetched (the asset step skips the record then)."""
        return any(not u.usable for u in self.urls)


def looks_like_bimi(text: str) -> bool:
    """A TXT string starting with a v tag (what §4.3 would call a candidate record)."""
    return _version(split_tag_list(text)) is not None


def is_bimi_text(text: str) -> bool:
    """§4.3: a BIMI record starts with v=BIMI1 (another case is accepted, see `version-case`);
    receivers discard the other TXT records at the name (§7.2)."""
    version = _version(split_tag_list(text))
    return version is not None and version.upper() == BIMI_VERSION


def _version(parts: list[TagSpec]) -> str | None:
    """The value of the first tag when it is v (the name in any case), else None."""
    if parts and parts[0].name.lower() == "v" and parts[0].has_equals:
        return parts[0].value
    return None


def parse_bimi(text: str) -> BimiRecord:
    try:
        return _parse(text)
    except Exception:  # pragma: no cover - defensive: a parser bug must not crash a check
        return BimiRecord(text, False, problems=(BimiProblem(BimiProblemCode.NOT_BIMI),))


def _parse(text: str) -> BimiRecord:
    parts = split_tag_list(text)
    version = _version(parts)
    if version is None:
        return BimiRecord(text, False, problems=(BimiProblem(BimiProblemCode.NOT_BIMI, "v"),))
    if version.upper() != BIMI_VERSION:
        problem = BimiProblem(BimiProblemCode.BAD_VERSION, "v", version)
        return BimiRecord(text, False, problems=(problem,))
    problems: list[BimiProblem] = []
    if version != BIMI_VERSION:
        problems.append(BimiProblem(BimiProblemCode.VERSION_CASE, "v", version))
    tags: dict[str, str] = {}
    unknown: dict[str, str] = {}
    for part in parts[1:]:
        if not part.text:
            continue
        val = part.value
        if not part.has_equals or not _TAG_NAME.match(part.name):
            problems.append(
                BimiProblem(BimiProblemCode.MALFORMED_TAG, part.name or None, part.text)
            )
            continue
        key = part.name.lower()
        if key in tags or key == "v":
            problems.append(BimiProblem(BimiProblemCode.DUPLICATE_TAG, key, val))
            continue
        if key not in KNOWN_TAGS:
            unknown[part.name] = val
            problems.append(BimiProblem(BimiProblemCode.UNKNOWN_TAG, key, val))
            continue
        tags[key] = val

    locations: tuple[BimiUrl, ...] = ()
    if "l" not in tags:
        problems.append(BimiProblem(BimiProblemCode.MISSING_LOCATION, "l"))
    elif tags["l"]:
        raws = [u.strip(WSP) for u in tags["l"].split(",") if u.strip(WSP)]
        locations = tuple(check_url(u, logo=True) for u in raws)
        if len(locations) > 1:
            problems.append(BimiProblem(BimiProblemCode.MULTIPLE_LOCATIONS, "l", tags["l"]))
    authority = check_url(tags["a"], logo=False) if tags.get("a") else None
    lps = {"true": True, "false": False}.get(tags.get("lps", ""))
    if "lps" in tags and lps is None:
        problems.append(BimiProblem(BimiProblemCode.INVALID_VALUE, "lps", tags["lps"]))
    avp = tags.get("avp")
    if avp is not None and avp not in ("brand", "personal"):
        problems.append(BimiProblem(BimiProblemCode.INVALID_VALUE, "avp", avp))
        avp = None
    return BimiRecord(
        text=text,
        is_bimi=True,
        locations=locations,
        authority=authority,
        has_location_tag="l" in tags,
        lps=lps,
        avp=avp,
        tags=tags,
        unknown=unknown,
        problems=tuple(problems),
    )


def check_url(raw: str, *, logo: bool) -> BimiUrl:
    """Judge an l= (`logo=True`) or a= URL as text. Never fetches, never resolves."""
    host, codes = _judge_url(raw, logo)
    tag = "l" if logo else "a"
    return BimiUrl(raw, host, tuple(Problem(code, tag, raw) for code in codes))


def _judge_url(raw: str, logo: bool) -> tuple[str | None, list[UrlProblem]]:
    """The URL's host (None when none could be read) and what is wrong with it."""
    problems: list[UrlProblem] = []
    if len(raw) > MAX_URL_LENGTH:
        problems.append(UrlProblem.TOO_LONG)
    if not raw.isascii() or any(c.isspace() or ord(c) < 0x20 or ord(c) == 0x7F for c in raw):
        return None, [*problems, UrlProblem.MALFORMED]
    if "," in raw:
        # §4.3 bimi-uri: "commas within a URI MUST be encoded", so a bare comma makes a
        # list, and a= takes a single URI (l= lists are split before this point).
        return None, [*problems, UrlProblem.MALFORMED]
    try:
        parts = urlsplit(raw)
        host = parts.hostname
        _ = parts.port  # raises ValueError on a non-numeric port
    except ValueError:
        return None, [*problems, UrlProblem.MALFORMED]
    if parts.scheme.lower() != "https":
        problems.append(UrlProblem.NOT_HTTPS)
    if not host:
        return None, [*problems, UrlProblem.MALFORMED]
    host = host.rstrip(".").lower()
    if parts.username is not None or parts.password is not None:
        problems.append(UrlProblem.USERINFO)
    if _is_ip(host):
        problems.append(UrlProblem.IP_LITERAL)
    elif "." not in host or host == "localhost" or host.endswith(_LOCAL_SUFFIXES):
        problems.append(UrlProblem.PRIVATE_HOST)
    path = parts.path.lower()
    if logo and not path.endswith((".svg", ".svgz")):
        problems.append(UrlProblem.NOT_SVG)
    if not logo and not path.endswith(".pem"):
        problems.append(UrlProblem.NOT_PEM)
    return host, problems


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True

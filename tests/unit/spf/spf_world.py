"""Random SPF worlds for the differential tests: include/redirect trees in a MemorySource.

A world is a handful of domains `d0.example` ... (the root is d0) whose TXT answers are
drawn at random (one SPF record, two, none, another TXT only, NXDOMAIN, SERVFAIL), each
record built from random terms over a fixed set of host names whose answers are known:

- `h.example`     A and AAAA outside every range, no MX (so `mx:h.example` is void)
- `mx.example`    two MX hosts, both with A and AAAA
- `mx11.example`  11 MX hosts (RFC 7208 §4.6.4: the mx mechanism's permerror)
- `nx.example`    NXDOMAIN; `empty.example` exists with nothing asked for (NODATA)
- `fail.example`  SERVFAIL for every type (temperror)

The client address `CLIENT_IP` matches no term of any world: no ip4 range or host address
contains it, no mask is shorter than /24, and its PTR name `client.example.net` (which
validates: its A is the client address) is under no name a `ptr` term can name. So a
check_host() evaluation for it walks every term until an `all`, an error, or an include
whose record passes through `+all`.

What the worlds leave out, and why, is listed in `test_differential.py`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st

from mailauth.dns.interface import Rcode
from mailauth.dns.memory import MemorySource

CLIENT_IP = "192.0.2.254"
CLIENT_PTR = "client.example.net"
DOMAINS = tuple(f"d{i}.example" for i in range(6))
ROOT = DOMAINS[0]

_HOST_A = {"A": ["198.51.100.7"], "AAAA": ["2001:db8::7"]}
FIXED: dict[str, dict[str, list[Any]]] = {
    "h.example": dict(_HOST_A),
    "mx.example": {"MX": ["10 mxa.example", "20 mxb.example"]},
    "mxa.example": dict(_HOST_A),
    "mxb.example": dict(_HOST_A),
    "mx11.example": {"MX": [f"{i} m{i}.example" for i in range(11)]},
    **{f"m{i}.example": dict(_HOST_A) for i in range(11)},
    "empty.example": {},
    "254.2.0.192.in-addr.arpa": {"PTR": [CLIENT_PTR]},
    CLIENT_PTR: {"A": [CLIENT_IP]},
}
FAILING = "fail.example"

_QUALIFIER = st.sampled_from(["", "", "+", "-", "~", "?"])
# cn.example is a CNAME to one of the domains (drawn per world); "h.example." is absolute.
_HOSTS = st.sampled_from(
    [
        *["h.example", "mx.example", "nx.example", "nx.example", "empty.example", FAILING],
        *["cn.example", "h.example.", *DOMAINS],
    ]
)
_ADDRESS_TARGETS = st.one_of(_HOSTS, st.sampled_from(["%{d}", "%{o}", "%{d2}", "%{dr}.example"]))
_MX_TARGETS = st.one_of(_HOSTS, st.sampled_from(["mx11.example", "%{d}"]))
_CIDR = st.sampled_from(["", "", "/24", "/32", "//64", "/24//64"])
# Terms pyspf and our parser both reject (RFC 7208 §4.6: permerror wherever they are).
_BAD = st.sampled_from(["ip4:300.1.1.1", "frob", "include", "a:", "-all:x", "ip4:1.2.3.4/33"])
_ALL = st.builds(lambda q: f"{q}all", _QUALIFIER)
_CLOSING_ALL = st.sampled_from(["-all", "-all", "-all", "~all", "~all", "?all", "+all"])


@functools.cache
def _spf_targets(owner: str) -> st.SearchStrategy[str]:
    """Include/redirect targets: mostly the domains after `owner` (a tree, often with shared
    subtrees), sometimes any domain (loops, self-includes) or a name without SPF."""
    later = DOMAINS[DOMAINS.index(owner) + 1 :]
    return st.one_of(
        *([st.sampled_from(later)] * 4 if later else []),
        st.sampled_from(DOMAINS),
        st.sampled_from(["nx.example", "empty.example", "h.example", FAILING, "%{d}", "%{o}"]),
        st.sampled_from(["cn.example", "d5.example."]),
    )


def _term(name: str, target: st.SearchStrategy[str], *, optional: bool) -> st.SearchStrategy[str]:
    spec = target.map(lambda t: ":" + t)
    if optional:
        spec = st.one_of(st.just(""), spec)
    cidr = _CIDR if name in ("a", "mx") else st.just("")
    spelled = st.sampled_from([name] * 5 + [name.upper()])  # §4.6.1: names are case-insensitive
    return st.builds(lambda q, n, s, c: f"{q}{n}{s}{c}", _QUALIFIER, spelled, spec, cidr)


@functools.cache
def _valid_terms(owner: str) -> st.SearchStrategy[str]:
    include = _term("include", _spf_targets(owner), optional=False)
    return st.one_of(
        st.builds(lambda q, n: f"{q}ip4:198.51.100.{n}", _QUALIFIER, st.integers(0, 255)),
        st.just("ip4:203.0.113.0/24"),
        st.builds(lambda n: f"ip6:2001:db8::{n:x}", st.integers(1, 999)),
        _term("a", _ADDRESS_TARGETS, optional=True),
        _term("a", _ADDRESS_TARGETS, optional=True),
        _term("mx", _MX_TARGETS, optional=True),
        _term("ptr", _HOSTS, optional=True),
        _term("exists", _ADDRESS_TARGETS, optional=False),
        include,
        include,
        include,
        _ALL,
        _spf_targets(owner).map(lambda t: f"redirect={t}"),
        st.sampled_from(["exp=nx.example", "exp=h.example", "exp=fail.example", "foo=bar"]),
    )


@functools.cache
def _terms(owner: str) -> st.SearchStrategy[list[str]]:
    """Up to 10 terms; one in 30 is a syntax error, so that most records are evaluated."""
    valid = _valid_terms(owner)
    return st.lists(st.one_of(*[valid] * 29, _BAD), max_size=10)


_VERSION = st.sampled_from(["v=spf1"] * 6 + ["V=SPF1", "v=Spf1"])


@st.composite
def spf_record(draw: st.DrawFn, owner: str = ROOT) -> str:
    valid = _valid_terms(owner)
    # One term in 30 is a syntax error, so that most records are evaluated.
    terms = draw(_terms(owner))
    if draw(st.booleans()):  # most real records end in all or redirect
        terms.append(draw(st.one_of(_CLOSING_ALL, valid)))
    if draw(st.sampled_from([True] * 9 + [False])):  # §6: a second redirect= is a permerror
        redirects = [t for t in terms if t.startswith("redirect=")]
        terms = [t for t in terms if t not in redirects[1:]]
    if draw(st.booleans()):  # three more non-void lookups: lookup limits are reached
        at = draw(st.integers(0, len(terms)))
        terms[at:at] = ["a:h.example", "mx:mx.example/24", "a:h.example//64"]
    space = draw(st.sampled_from([" "] * 5 + ["  "]))  # §4.6.1: 1*SP between terms
    return space.join([draw(_VERSION), *terms]) + draw(st.sampled_from([""] * 5 + [" "]))


_NOT_SPF = ["some other text", "v=spf10 -all", "v=spf1\t-all", " v=spf1 -all", "spf1 -all"]
# What a domain publishes at TXT: weights keep most domains on one SPF record.
_KINDS = st.sampled_from(["spf"] * 8 + ["two", "other", "nodata", "nxdomain", "servfail"])
ROOT_KINDS = st.sampled_from(["spf"] * 45 + ["two", "other", "nodata", "nxdomain", "servfail"])


@dataclass
class World:
    """The zone data of one example, and how it was drawn (shown when a test fails)."""

    records: dict[str, dict[str, list[Any]]] = field(default_factory=dict)
    failures: dict[tuple[str, str], Rcode] = field(default_factory=dict)

    def source(self) -> MemorySource:
        return MemorySource(self.records, self.failures)

    def spf_text(self) -> str:
        """The drawn part of the world, one domain a line (the fixed hosts never change)."""
        lines = [f"cn.example: CNAME {self.records['cn.example']['CNAME'][0]}"]
        for name in DOMAINS:
            if (name, "*") in self.failures:
                lines.append(f"{name}: SERVFAIL")
            elif name not in self.records:
                lines.append(f"{name}: NXDOMAIN")
            else:
                lines.append(f"{name}: {self.records[name]}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return "World(\n" + self.spf_text() + "\n)"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """How Hypothesis shows a falsifying example: the drawn part only."""
        printer.text(repr(self))


@st.composite
def worlds(draw: st.DrawFn) -> World:
    world = World({k: {t: list(v) for t, v in d.items()} for k, d in FIXED.items()})
    world.failures[(FAILING, "*")] = Rcode.SERVFAIL
    world.records["cn.example"] = {"CNAME": [draw(st.sampled_from(DOMAINS))]}
    for name in DOMAINS:
        kind = draw(ROOT_KINDS if name == ROOT else _KINDS)
        data: dict[str, list[Any]] = {}
        # §5.3/§5.4: `a` and `mx` with no target look at the record's own domain.
        if draw(st.booleans()):
            data.update(_HOST_A)
        if draw(st.booleans()):
            data["MX"] = ["10 mxa.example"]
        if kind == "spf":
            data["TXT"] = [draw(spf_record(name))]
            if draw(st.booleans()):
                data["TXT"].append("google-site-verification=abc")
        elif kind == "two":  # §4.5: two SPF records are a permerror
            data["TXT"] = [draw(spf_record(name)), draw(spf_record(name))]
        elif kind == "other":  # §4.5: "v=spf1" followed by a space or the end, nothing else
            data["TXT"] = [draw(st.sampled_from(_NOT_SPF))]
        elif kind == "nxdomain":
            continue
        elif kind == "servfail":
            world.failures[(name, "*")] = Rcode.SERVFAIL
        world.records[name] = data
    return world

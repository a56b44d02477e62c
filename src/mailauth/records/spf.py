"""SPF record parser (RFC 7208 §4.5, §4.6, §5, §6, §7, ABNF in §12). Pure, no I/O.

`parse_spf(text)` never raises: whatever the text, it returns an `SpfRecord` with the terms
it could read, in order, and a list of `SpfProblem`s. A problem with level "error" is one
for which RFC 7208 makes check_host() return permerror (§4.6: "If there are any syntax
errors anywhere in the record, check_host() returns immediately with the result
"permerror""); a "warning" is valid syntax that does not do what its author meant.
Problem `code`s are stable identifiers; `message` is developer English.
"""

from __future__ import annotations

import ipaddress
import re
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

from mailauth.records.spf_macro import Literal, MacroString, parse_macro_string

VERSION = "v=spf1"
MECHANISMS = ("all", "include", "a", "mx", "ptr", "ip4", "ip6", "exists")
# §4.6.4: the terms that cause DNS queries and count towards the limit of 10.
LOOKUP_MECHANISMS = frozenset({"include", "a", "mx", "ptr", "exists"})

_MODIFIER = re.compile(r"^([A-Za-z][A-Za-z0-9\-_.]*)=(.*)\Z", re.DOTALL)
_MECH_NAME = re.compile(r"^([^:/]*)(.*)\Z", re.DOTALL)
_DUAL_CIDR = re.compile(r"^(.*?)(?:/([0-9]+))?(?://([0-9]+))?\Z", re.DOTALL)
_IP4 = re.compile(r"^([0-9.]+)(?:/([0-9]+))?\Z")
_IP6 = re.compile(r"^([0-9A-Fa-f:.]+)(?:/([0-9]+))?\Z")
_QNUM = re.compile(r"^(0|[1-9][0-9]{0,2})\Z")
_CIDR_NUM = re.compile(r"^(0|[1-9][0-9]*)\Z")
# §7.1 toplabel = ( *alphanum ALPHA *alphanum ) / ( 1*alphanum "-" *( alphanum / "-" ) alphanum )
_TOPLABEL = re.compile(
    r"^(?:[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*|[A-Za-z0-9]+-[A-Za-z0-9-]*[A-Za-z0-9])\Z"
)


_Bad = Callable[[str, str], None]
Level = typing.Literal["error", "warning"]  # "error": check_host() returns permerror (§4.6)


class Qualifier(str, Enum):
    """§4.6.2 qualifiers and the result each gives when its mechanism matches."""

    PASS = "+"
    FAIL = "-"
    SOFTFAIL = "~"
    NEUTRAL = "?"


@dataclass(frozen=True)
class SpfProblem:
    """One syntax problem. `level` is "error" (permerror) or "warning"."""

    code: str
    message: str
    term: str
    level: Level = "error"


@dataclass(frozen=True)
class Mechanism:
    """A directive. `domain_spec` is the raw (unexpanded) target, None when implicit;
    `network` is the address part of ip4/ip6; cidr lengths are None when absent."""

    name: str
    qualifier: Qualifier
    text: str
    domain_spec: str | None = None
    macro: MacroString | None = None
    network: str | None = None
    cidr4: int | None = None
    cidr6: int | None = None

    @property
    def counts_lookup(self) -> bool:
        """§4.6.4: include, a, mx, ptr and exists each count one DNS lookup."""
        return self.name in LOOKUP_MECHANISMS


@dataclass(frozen=True)
class Modifier:
    """A `name=value` term. `name` is lower-case; `macro` holds the parsed value."""

    name: str
    value: str
    text: str
    macro: MacroString | None = None


Term = Mechanism | Modifier


@dataclass(frozen=True)
class SpfRecord:
    """A parsed record: every term in order, plus the problems found."""

    text: str
    is_spf: bool
    terms: tuple[Term, ...] = ()
    problems: tuple[SpfProblem, ...] = field(default_factory=tuple)

    @property
    def errors(self) -> tuple[SpfProblem, ...]:
        return tuple(p for p in self.problems if p.level == "error")

    @property
    def warnings(self) -> tuple[SpfProblem, ...]:
        return tuple(p for p in self.problems if p.level == "warning")

    @property
    def valid(self) -> bool:
        return self.is_spf and not self.errors

    @property
    def mechanisms(self) -> tuple[Mechanism, ...]:
        return tuple(t for t in self.terms if isinstance(t, Mechanism))

    @property
    def all(self) -> Mechanism | None:
        """The first `all`: evaluation never goes past it (§5.1)."""
        return next((m for m in self.mechanisms if m.name == "all"), None)

    @property
    def evaluated_mechanisms(self) -> tuple[Mechanism, ...]:
        """Mechanisms up to and including the first `all`; later ones are never reached."""
        out: list[Mechanism] = []
        for m in self.mechanisms:
            out.append(m)
            if m.name == "all":
                break
        return tuple(out)

    def modifier(self, name: str) -> Modifier | None:
        return next((t for t in self.terms if isinstance(t, Modifier) and t.name == name), None)

    @property
    def redirect(self) -> Modifier | None:
        """The redirect that takes effect: §6.1 ignores it when the record has `all`."""
        return None if self.all is not None else self.modifier("redirect")

    @property
    def exp(self) -> Modifier | None:
        return self.modifier("exp")


def is_spf_text(text: str) -> bool:
    """§4.5: a record is SPF when it is "v=spf1" (case-insensitive) alone or followed
    by a space; "v=spf10" is not."""
    head = text[: len(VERSION) + 1].lower()
    return head == VERSION or head == VERSION + " "


def parse_spf(text: str) -> SpfRecord:
    """Parse one SPF record (the TXT character-strings already joined)."""
    try:
        return _parse(text)
    except Exception as exc:  # pragma: no cover - defensive: the contract is "never raises"
        problem = SpfProblem("internal", f"record could not be parsed: {exc!r}", text)
        return SpfRecord(text, is_spf_text(text), (), (problem,))


def _parse(text: str) -> SpfRecord:
    if not is_spf_text(text):
        return SpfRecord(
            text, False, (), (SpfProblem("not-spf", "record does not start with v=spf1", ""),)
        )
    problems: list[SpfProblem] = []
    terms: list[Term] = []
    # §4.6.1: terms are separated by one or more SP (only %x20); a trailing SP is allowed.
    for raw in text[len(VERSION) :].split(" "):
        if raw:
            term = _term(raw, problems)
            if term is not None:
                terms.append(term)
    _record_rules(terms, problems)
    return SpfRecord(text, True, tuple(terms), tuple(problems))


def _term(raw: str, problems: list[SpfProblem]) -> Term | None:
    m = _MODIFIER.match(raw)
    if m:
        return _modifier(raw, m.group(1).lower(), m.group(2), problems)
    qualifier = Qualifier.PASS
    body = raw
    if body and body[0] in "+-~?":
        qualifier, body = Qualifier(body[0]), body[1:]
    nm = _MECH_NAME.match(body)
    name, rest = (nm.group(1).lower(), nm.group(2)) if nm else ("", body)
    if name not in MECHANISMS:
        problems.append(SpfProblem("unknown-mechanism", f"unknown term {raw!r}", raw))
        return None
    return _mechanism(raw, name, qualifier, rest, problems)


def _mechanism(
    raw: str, name: str, q: Qualifier, rest: str, problems: list[SpfProblem]
) -> Mechanism | None:
    def bad(code: str, message: str) -> None:
        problems.append(SpfProblem(code, message, raw))

    if name == "all":
        if rest:
            bad("bad-all", "all takes no argument")
            return None
        return Mechanism(name, q, raw)
    if name in ("ip4", "ip6"):
        return _ip(raw, name, q, rest, bad)
    if name in ("include", "exists", "ptr"):
        if not rest.startswith(":"):
            if name == "ptr" and rest == "":
                return Mechanism(name, q, raw)
            if name == "ptr":
                bad("bad-ptr", "ptr takes only an optional ':' and domain, no CIDR length")
            else:
                bad("missing-domain", f"{name} needs ':' and a domain")
            return None
        macro = _domain_spec(raw, rest[1:], problems)
        return Mechanism(name, q, raw, rest[1:], macro) if macro else None
    # a / mx: [ ":" domain-spec ] [ dual-cidr-length ]
    spec: str | None = None
    if rest.startswith(":"):
        dm = _DUAL_CIDR.match(rest[1:])
        assert dm is not None  # the pattern matches every string
        spec, c4, c6 = dm.group(1), dm.group(2), dm.group(3)
    else:
        dm = _DUAL_CIDR.match(rest)
        assert dm is not None
        if dm.group(1):
            bad("bad-cidr", f"{rest!r} is not a CIDR length")
            return None
        c4, c6 = dm.group(2), dm.group(3)
    ok4, cidr4 = _cidr(c4, 32, "ip4", bad)
    ok6, cidr6 = _cidr(c6, 128, "ip6", bad)
    if not (ok4 and ok6):
        return None
    macro = None
    if spec is not None:
        macro = _domain_spec(raw, spec, problems)
        if macro is None:
            return None
    return Mechanism(name, q, raw, spec, macro, None, cidr4, cidr6)


def _ip(raw: str, name: str, q: Qualifier, rest: str, bad: _Bad) -> Mechanism | None:
    if not rest.startswith(":"):
        bad("missing-network", f"{name} needs ':' and an address")
        return None
    m = (_IP4 if name == "ip4" else _IP6).match(rest[1:])
    if m is None:
        bad("bad-network", f"{rest[1:]!r} is not an {name} network")
        return None
    addr = m.group(1)
    if name == "ip4":
        # §12 ip4-network: four qnums, no leading zeros (RFC 7208 §5.6 forbids shortcuts).
        parts = addr.split(".")
        if len(parts) != 4 or not all(_QNUM.match(p) and int(p) <= 255 for p in parts):
            bad("bad-network", f"{addr!r} is not a dotted-quad IPv4 address")
            return None
    else:
        try:
            ipaddress.IPv6Address(addr)
        except ValueError:
            bad("bad-network", f"{addr!r} is not an IPv6 address")
            return None
    limit = 32 if name == "ip4" else 128
    ok, cidr = _cidr(m.group(2), limit, name, bad)
    if not ok:
        return None
    c4, c6 = (cidr, None) if name == "ip4" else (None, cidr)
    return Mechanism(name, q, raw, None, None, addr, c4, c6)


def _cidr(value: str | None, limit: int, family: str, bad: _Bad) -> tuple[bool, int | None]:
    """(valid, length): length None when absent; an invalid one is reported and gives
    (False, None). §12: no leading zeros; ip4 0-32, ip6 0-128."""
    if value is None:
        return True, None
    if len(value) > 3 or not _CIDR_NUM.match(value) or int(value) > limit:
        bad("bad-cidr", f"/{value} is not a valid {family} prefix length (0-{limit})")
        return False, None
    return True, int(value)


def _modifier(raw: str, name: str, value: str, problems: list[SpfProblem]) -> Modifier | None:
    if name in ("redirect", "exp"):
        macro = _domain_spec(raw, value, problems)
        return Modifier(name, value, raw, macro) if macro else None
    macro = parse_macro_string(value)
    for err in macro.errors:
        problems.append(SpfProblem("bad-macro", err, raw))
    if macro.errors:
        return None
    problems.append(
        SpfProblem(
            "unknown-modifier", f"modifier {name!r} is not defined by RFC 7208", raw, "warning"
        )
    )
    return Modifier(name, value, raw, macro)


def _domain_spec(raw: str, spec: str, problems: list[SpfProblem]) -> MacroString | None:
    """§7.1 domain-spec = macro-string domain-end; domain-end = ( "." toplabel [ "." ] ) /
    macro-expand. Without macros the name must also be a valid DNS name (§4.3: labels of
    1-63 octets, at most 253 in all)."""
    if spec == "":
        problems.append(SpfProblem("missing-domain", "empty domain-spec", raw))
        return None
    macro = parse_macro_string(spec)
    if macro.errors:
        problems.extend(SpfProblem("bad-macro", e, raw) for e in macro.errors)
        return None
    if not _domain_end_ok(macro):
        problems.append(
            SpfProblem("bad-domain", f"{spec!r} does not end in a valid top-level label", raw)
        )
        return None
    if not macro.has_macros:
        name = spec[:-1] if spec.endswith(".") else spec
        labels = name.split(".")
        if len(name) > 253 or any(not 0 < len(label) <= 63 for label in labels):
            problems.append(SpfProblem("bad-domain", f"{spec!r} is not a valid domain name", raw))
            return None
    return macro


def _domain_end_ok(macro: MacroString) -> bool:
    if not macro.tokens:
        return False
    last = macro.tokens[-1]
    if not isinstance(last, Literal) or last.escape:  # domain-end = macro-expand
        return True
    tail = last.text[:-1] if last.text.endswith(".") else last.text
    if "." not in tail:
        return False
    return bool(_TOPLABEL.match(tail.rsplit(".", 1)[1]))


def _record_rules(terms: list[Term], problems: list[SpfProblem]) -> None:
    """Rules about the record as a whole (§5.1, §6)."""
    for name in ("redirect", "exp"):
        found = [t for t in terms if isinstance(t, Modifier) and t.name == name]
        if len(found) > 1:  # §6: "MUST NOT appear in a record more than once each"
            problems.append(
                SpfProblem(
                    "duplicate-modifier", f"{name}= appears {len(found)} times", found[1].text
                )
            )
    mechs = [t for t in terms if isinstance(t, Mechanism)]
    first_all = next((i for i, m in enumerate(mechs) if m.name == "all"), None)
    if first_all is not None:
        after = mechs[first_all + 1 :]
        if after:  # §5.1: mechanisms after "all" will never be tested
            problems.append(
                SpfProblem(
                    "terms-after-all",
                    "mechanisms after 'all' are never evaluated",
                    " ".join(m.text for m in after),
                    "warning",
                )
            )
        redirect = next(
            (t for t in terms if isinstance(t, Modifier) and t.name == "redirect"), None
        )
        if redirect is not None:  # §6.1: redirect is ignored when there is an "all"
            problems.append(
                SpfProblem(
                    "redirect-ignored",
                    "redirect= is ignored because the record has an 'all' mechanism",
                    redirect.text,
                    "warning",
                )
            )

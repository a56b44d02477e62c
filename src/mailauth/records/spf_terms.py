"""SPF terms (RFC 7208 §5 mechanisms, §6 modifiers, ABNF in §12): one term's text to a
`Mechanism` or `Modifier`, or to the syntax problems that make check_host() return permerror.

Kept apart from the record parser (`mailauth.records.spf`, which re-exports these names) so
that module reads as the record-level rules: the version, term order, `all` and `redirect`.
Pure and total, like the record parser; what can be wrong is `mailauth.records.spf_problems`.
"""

from __future__ import annotations

import ipaddress
import re
from enum import Enum

from mailauth.frozen import frozen
from mailauth.records.problem import Problem
from mailauth.records.spf_macro import Literal, MacroString, parse_macro_string
from mailauth.records.spf_problems import PREFIX_LIMITS, SpfCode, SpfDetail, SpfProblem

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


class Qualifier(str, Enum):
    """§4.6.2 qualifiers and the result each gives when its mechanism matches."""

    PASS = "+"
    FAIL = "-"
    SOFTFAIL = "~"
    NEUTRAL = "?"


@frozen
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


@frozen
class Modifier:
    """A `name=value` term. `name` is lower-case; `macro` holds the parsed value."""

    name: str
    value: str
    text: str
    macro: MacroString | None = None


Term = Mechanism | Modifier


def parse_term(raw: str, problems: list[SpfProblem]) -> Term | None:
    """One space-separated term; None (with the reason in `problems`) when it is invalid."""
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
        problems.append(SpfProblem(SpfCode.UNKNOWN_MECHANISM, raw))
        return None
    return _mechanism(raw, name, qualifier, rest, problems)


def _rule(
    detail: SpfDetail, raw: str, subject: str | None = None, value: str | None = None
) -> SpfProblem:
    """A problem whose code covers several rules: `detail` names the one `raw` broke."""
    return SpfProblem(detail.code, raw, detail=Problem(detail, subject, value))


def _mechanism(
    raw: str, name: str, q: Qualifier, rest: str, problems: list[SpfProblem]
) -> Mechanism | None:
    if name == "all":
        if rest:
            problems.append(SpfProblem(SpfCode.BAD_ALL, raw))
            return None
        return Mechanism(name, q, raw)
    if name in ("ip4", "ip6"):
        return _ip(raw, name, q, rest, problems)
    if name in ("include", "exists", "ptr"):
        if not rest.startswith(":"):
            if name == "ptr" and rest == "":
                return Mechanism(name, q, raw)
            if name == "ptr":
                problems.append(SpfProblem(SpfCode.BAD_PTR, raw))
            else:
                problems.append(_rule(SpfDetail.NEEDS_DOMAIN, raw, name))
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
            problems.append(_rule(SpfDetail.NOT_A_CIDR, raw, name, rest))
            return None
        c4, c6 = dm.group(2), dm.group(3)
    ok4, cidr4 = _cidr(raw, c4, "ip4", problems)
    ok6, cidr6 = _cidr(raw, c6, "ip6", problems)
    if not (ok4 and ok6):
        return None
    macro = None
    if spec is not None:
        macro = _domain_spec(raw, spec, problems)
        if macro is None:
            return None
    return Mechanism(name, q, raw, spec, macro, None, cidr4, cidr6)


def _ip(
    raw: str, name: str, q: Qualifier, rest: str, problems: list[SpfProblem]
) -> Mechanism | None:
    if not rest.startswith(":"):
        problems.append(SpfProblem(SpfCode.MISSING_NETWORK, raw, name))
        return None
    m = (_IP4 if name == "ip4" else _IP6).match(rest[1:])
    if m is None:
        problems.append(_rule(SpfDetail.NOT_A_NETWORK, raw, name, rest[1:]))
        return None
    addr = m.group(1)
    if name == "ip4":
        # §12 ip4-network: four qnums, no leading zeros (RFC 7208 §5.6 forbids shortcuts).
        parts = addr.split(".")
        if len(parts) != 4 or not all(_QNUM.match(p) and int(p) <= 255 for p in parts):
            problems.append(_rule(SpfDetail.NOT_DOTTED_QUAD, raw, name, addr))
            return None
    else:
        try:
            ipaddress.IPv6Address(addr)
        except ValueError:
            problems.append(_rule(SpfDetail.NOT_IPV6, raw, name, addr))
            return None
    ok, cidr = _cidr(raw, m.group(2), name, problems)
    if not ok:
        return None
    c4, c6 = (cidr, None) if name == "ip4" else (None, cidr)
    return Mechanism(name, q, raw, None, None, addr, c4, c6)


def _cidr(
    raw: str, value: str | None, family: str, problems: list[SpfProblem]
) -> tuple[bool, int | None]:
    """(valid, length): length None when absent; an invalid one is reported and gives
    (False, None). §12: no leading zeros; ip4 0-32, ip6 0-128."""
    if value is None:
        return True, None
    if len(value) > 3 or not _CIDR_NUM.match(value) or int(value) > PREFIX_LIMITS[family]:
        problems.append(_rule(SpfDetail.CIDR_RANGE, raw, family, value))
        return False, None
    return True, int(value)


def _modifier(raw: str, name: str, value: str, problems: list[SpfProblem]) -> Modifier | None:
    if name in ("redirect", "exp"):
        macro = _domain_spec(raw, value, problems)
        return Modifier(name, value, raw, macro) if macro else None
    macro = parse_macro_string(value)
    problems.extend(SpfProblem(SpfCode.BAD_MACRO, raw, detail=e) for e in macro.errors)
    if macro.errors:
        return None
    problems.append(SpfProblem(SpfCode.UNKNOWN_MODIFIER, raw, name))
    return Modifier(name, value, raw, macro)


def _domain_spec(raw: str, spec: str, problems: list[SpfProblem]) -> MacroString | None:
    """§7.1 domain-spec = macro-string domain-end; domain-end = ( "." toplabel [ "." ] ) /
    macro-expand. Without macros the name must also be a valid DNS name (§4.3: labels of
    1-63 octets, at most 253 in all)."""
    if spec == "":
        problems.append(_rule(SpfDetail.EMPTY_DOMAIN, raw))
        return None
    macro = parse_macro_string(spec)
    if macro.errors:
        problems.extend(SpfProblem(SpfCode.BAD_MACRO, raw, detail=e) for e in macro.errors)
        return None
    if not _domain_end_ok(macro):
        problems.append(_rule(SpfDetail.BAD_TOPLABEL, raw, None, spec))
        return None
    if not macro.has_macros:
        name = spec[:-1] if spec.endswith(".") else spec
        labels = name.split(".")
        if len(name) > 253 or any(not 0 < len(label) <= 63 for label in labels):
            problems.append(_rule(SpfDetail.BAD_NAME, raw, None, spec))
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

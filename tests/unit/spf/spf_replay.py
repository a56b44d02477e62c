"""Replay one client's check_host() evaluation over the domain-mode tree.

`replay(tree, quirks)` walks the records the domain-mode walker fetched, in the order RFC 7208
§4.6 evaluates them, for a client address that matches no term, and says where that
evaluation stops: a result (`all`, the default neutral, an include that passes, an `exists`
whose name has an address) or the first error. It reads only what the walker recorded (the
parsed records, each lookup term's void flag, failed rcode and MX count, each include/redirect
target's state), so when the replay agrees with pyspf on thousands of random trees, the tree
holds the right facts.

`quirks=True` replays pyspf 2.0.14 exactly; `quirks=False` replays RFC 7208. They differ in
three places, all in pyspf's `check0()`:

- pyspf counts `redirect=` towards the limit of 10 when it parses the record, also when the
  record has an `all` and the redirect is therefore ignored (RFC 7208 §6.1: "MUST be ignored");
  RFC 7208 §4.6.4 limits the terms that cause DNS queries during evaluation, and an ignored
  redirect causes none.
- pyspf rejects any modifier that appears twice; RFC 7208 §6 says so of `redirect` and `exp`
  only: "Unrecognized modifiers MUST be ignored no matter where, or how often, they appear
  in a record."
- pyspf rejects `include:<the record's own domain>` when it parses the record ("include has
  trivial recursion"), also after `all` where RFC 7208 §5.1 never evaluates it. Before `all`
  both end in permerror: RFC 7208 through the loop running into the lookup limit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mailauth.domain.spf_tree import (
    LOOKUP_LIMIT,
    MX_NAME_LIMIT,
    VOID_LIMIT,
    LookupTerm,
    NodeState,
    SpfNode,
    SpfTree,
)
from mailauth.records.spf import Modifier, Qualifier, SpfRecord
from mailauth.records.spf_terms import parse_term

RESULTS = {
    Qualifier.PASS: "pass",
    Qualifier.FAIL: "fail",
    Qualifier.SOFTFAIL: "softfail",
    Qualifier.NEUTRAL: "neutral",
}


class Unknown(Exception):
    """The tree does not say what the evaluation would meet (a part it did not expand)."""


@dataclass(frozen=True)
class Stop(Exception):
    result: str
    category: str = ""


@dataclass
class Replay:
    """Where one evaluation ended: `result` (an RFC 8601 word) and for permerror/temperror
    `category`; the running counts when it ended; `cut` when a mechanism before the end
    matched (an include that passed, an `exists`), so later terms were not reached; `loop`
    when it went round an include/redirect loop."""

    result: str
    category: str
    lookups: int
    voids: int
    cut: bool
    loop: bool

    @property
    def walked_everything(self) -> bool:
        """The evaluation reached every term domain mode counts."""
        return self.category == "" and not self.cut and self.result != "none"


@dataclass
class _State:
    tree: SpfTree
    quirks: bool
    lookups: int = 0
    voids: int = 0
    cut: bool = False
    loop: bool = False
    records: dict[str, SpfNode] = field(default_factory=dict)
    targets: dict[str, tuple[NodeState, bool, bool]] = field(default_factory=dict)


def replay(tree: SpfTree, *, quirks: bool) -> Replay:
    st = _State(tree, quirks)
    _index(st, tree.root)
    root = tree.root
    try:
        if root.state is NodeState.LOOKUP_FAILED:
            raise Stop("temperror", "dns")
        if root.state is NodeState.NO_SPF:
            raise Stop("none")
        if root.state is NodeState.MULTIPLE:
            raise Stop("permerror", "multiple")
        result = _record(st, root.domain)
        return Replay(result, "", st.lookups, st.voids, st.cut, st.loop)
    except Stop as stop:
        return Replay(stop.result, stop.category, st.lookups, st.voids, st.cut, st.loop)


def _index(st: _State, node: SpfNode) -> None:
    """Every record by domain (a domain's record and its own terms' answers are the same
    wherever it appears), and what each include/redirect target's TXT query gave."""
    if node.parsed is not None and node.state is NodeState.OK:
        st.records.setdefault(node.domain, node)
    for term in node.terms:
        child = term.child
        if child is None:
            continue
        if child.state not in (NodeState.LOOP, NodeState.MACRO, NodeState.NOT_EXPANDED):
            st.targets.setdefault(child.domain, (child.state, term.void, term.rcode is not None))
            if child.parsed is not None:
                st.records.setdefault(child.domain, child)
        _index(st, child)


def _count(st: _State) -> None:
    st.lookups += 1
    if st.lookups > LOOKUP_LIMIT:
        raise Stop("permerror", "lookups")


def _void(st: _State, void: bool) -> None:
    if void:
        st.voids += 1
        if st.voids > VOID_LIMIT:
            raise Stop("permerror", "void")


def _target(st: _State, term: LookupTerm) -> str:
    """The record an include/redirect reaches: its TXT answer (void, failed, no SPF, two
    records) is judged here, as check_host() does before evaluating it."""
    child = term.child
    assert child is not None
    if child.state is NodeState.MACRO:
        raise Unknown(term.text)
    if child.state is NodeState.LOOP:
        st.loop = True
    domain = child.domain
    if domain == st.tree.root.domain:
        state, void, failed = st.tree.root.state, False, False
    elif domain in st.targets:
        state, void, failed = st.targets[domain]
    else:
        raise Unknown(term.text)
    if failed:
        raise Stop("temperror", "dns")
    _void(st, void)
    if state is NodeState.MULTIPLE:
        raise Stop("permerror", "multiple")
    if state is NodeState.NO_SPF:
        raise Stop("permerror", "no-spf")
    if state is not NodeState.OK or domain not in st.records:
        raise Unknown(term.text)
    return domain


def _parse_phase(st: _State, node: SpfNode) -> None:
    """pyspf reads every term before it evaluates any (RFC 7208 §4.6: a syntax error
    anywhere is permerror)."""
    assert node.parsed is not None
    seen: set[str] = set()
    for raw in node.parsed.text[len("v=spf1") :].split(" "):
        if not raw:
            continue
        term = parse_term(raw, [])
        if term is None:
            raise Stop("permerror", "syntax")
        if isinstance(term, Modifier):
            if term.name in seen and (st.quirks or term.name in ("redirect", "exp")):
                raise Stop("permerror", "syntax")  # §6: redirect and exp at most once each
            seen.add(term.name)
            if term.name == "redirect" and st.quirks:
                _count(st)
        elif st.quirks and term.name == "include" and term.macro is not None:
            target = term.macro.expand({"d": node.domain, "o": st.tree.root.domain})
            if target is not None and target.rstrip(".") == node.domain:
                raise Stop("permerror", "trivial-recursion")
    assert not node.parsed.errors, "our parser found an error the term-by-term pass did not"


def _record(st: _State, domain: str) -> str:
    node = st.records[domain]
    parsed = node.parsed
    assert parsed is not None
    _parse_phase(st, node)
    for term in node.terms:
        if term.kind == "redirect":
            break
        _count(st)
        if term.kind == "include":
            target = _target(st, term)
            if _record(st, target) == "pass":  # §5.2: the include matches
                st.cut = True
                return _qualifier(parsed, term)
            continue
        if term.rcode is not None:
            raise Stop("temperror", "dns")
        _void(st, term.void)
        if term.kind == "mx" and (term.mx_names or 0) > MX_NAME_LIMIT:
            raise Stop("permerror", "mx-names")
        if term.kind == "exists" and not term.void:  # §5.7: any A record matches
            st.cut = True
            return _qualifier(parsed, term)
    if parsed.all is not None:
        return RESULTS[parsed.all.qualifier]
    redirect = next((t for t in node.terms if t.kind == "redirect"), None)
    if redirect is None:
        return "neutral"  # §4.7
    if not st.quirks:
        _count(st)
    target = _target(st, redirect)
    return _record(st, target)


def _qualifier(record: SpfRecord, term: LookupTerm) -> str:
    """The result of a mechanism that matched (§4.6.2)."""
    return RESULTS[next(m for m in record.mechanisms if m.text == term.text).qualifier]


__all__ = ["Replay", "Stop", "Unknown", "replay"]

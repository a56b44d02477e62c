"""Domain-mode SPF walker: expand a domain's whole include/redirect tree and count lookups.

RFC 7208 §4.6.4 limits one check_host() evaluation to 10 DNS-querying terms (include, a,
mx, ptr, exists, redirect) and 2 void lookups. An evaluation for one client IP stops at
the first match, so it may stay under the limit while another IP goes over it. A domain
report must therefore count *every branch*: `dns_lookups` here is the number of lookup
terms an evaluation reaches when nothing matches before the final `all` (the worst case,
an upper bound for every client IP), and `includes` breaks it down per include.

The tree is expanded level by level: all include/redirect targets of one level, and the
`a`/`mx`/`exists` lookups of its records, are queried together with asyncio.gather, so a
deep provider tree costs one round trip per level, not one per include (issue 2, DNS layer).
Work is capped (depth and records) so a loop or 100 nested includes finishes fast.

Domain mode has no client, so macros are expanded only for %{d} and %{o} (both known:
the domain being checked and the current record's domain); a target needing %{i}, %{s},
%{l}, %{h}... is "macro": counted as one lookup, not followed.

Void lookups (§4.6.4 limits the "terms" whose queries come back empty) are counted per
term: `a` when the name has neither A nor AAAA, `mx` when there is no MX, `exists` (without
client macros) when there is no A, include/redirect when the target name does not exist or
has no TXT. Two client-dependent cases are left out on purpose (tests/unit/spf/
test_differential.py shows pyspf counting them): an `a` host with addresses of one family
only is void for clients of the other (flagging it would flag every IPv4-only host for IPv6
clients), and MX hosts without an address, which pyspf counts one by one. Those hosts are
looked up after the walk, in one round for the whole tree (`mx_hosts_without_address`): an
`mx` term authorizes nothing through them, which is a finding of its own, but they do not
change the counts.

Conformance (RFC 7208 test suite, "Processing limits"): `tree.dns_lookups > 10` for
mech-over-limit (11) and include-over-limit (11); exactly 10 for mech-at-limit;
include-at-limit counts 11 here although its one test IP passes, because that IP matches
the first `a` before the limit is reached (the worst case for other IPs is permerror);
`tree.loops` is non-empty for redirect-loop and include-loop; mx-limit gives a term with
`mx_names == 11`; void-over-limit gives `void_lookups == 3`, void-at-limit 2.
"""

from __future__ import annotations

import asyncio
from dataclasses import field
from enum import Enum

from mailauth.dns.interface import DnsAnswer, DnsSource, Rcode, normalize_name
from mailauth.dns.versioned_txt import Found, select_versioned
from mailauth.frozen import frozen, mutable
from mailauth.records.spf import Mechanism, Modifier, SpfRecord, is_spf_text, parse_spf
from mailauth.records.spf_macro import MacroString, truncate_domain

LOOKUP_LIMIT = 10  # §4.6.4
VOID_LIMIT = 2  # §4.6.4
MX_NAME_LIMIT = 10  # §4.6.4: "MUST NOT result in querying more than 10 address records"
MAX_DEPTH = 20  # deeper than any record that respects the limit of 10
MAX_RECORDS = 200  # records expanded in total (diamonds can repeat a subtree)
MAX_QUERIES = 600  # DNS queries in total for one tree


class NodeState(str, Enum):
    """What became of one include/redirect target."""

    OK = "ok"
    NO_SPF = "no-spf"  # no v=spf1 record: permerror when reached (§5.2, §6.1)
    MULTIPLE = "multiple-records"  # permerror (§4.5)
    LOOKUP_FAILED = "lookup-failed"  # temperror (§5.2)
    LOOP = "loop"  # target already on the path from the root
    MACRO = "macro"  # target needs client data (%{i}, %{s}...): not followed
    NOT_EXPANDED = "not-expanded"  # work cap reached


@mutable
class LookupTerm:
    """One term that counts towards the limit, in record order. `child` is the record
    reached through include/redirect (None for a/mx/ptr/exists)."""

    text: str
    kind: str  # mechanism name, or "redirect"
    target: str | None = None  # the name queried; None for ptr and client-macro targets
    spec: str = ""  # the target as written (macros unexpanded)
    void: bool = False
    rcode: Rcode | None = None  # set when a lookup failed (temperror)
    rdtype: str = ""
    mx_names: int | None = None
    mx_hosts: tuple[str, ...] = ()  # the MX hosts of an mx term's target (null MX left out)
    mx_hosts_without_address: tuple[str, ...] = ()  # of those, the ones with no A or AAAA
    child: SpfNode | None = None


@mutable
class SpfNode:
    """One SPF record in the tree (the root domain's, or an include/redirect target's)."""

    domain: str
    via: str = ""  # the term in the parent that leads here ("" for the root)
    depth: int = 0
    state: NodeState = NodeState.OK
    records: tuple[str, ...] = ()  # every v=spf1 record found at the name
    strings: tuple[bytes, ...] = ()  # the character-strings of the record used
    parsed: SpfRecord | None = None
    rcode: Rcode | None = None
    terms: list[LookupTerm] = field(default_factory=list)

    @property
    def record(self) -> str | None:
        return self.records[0] if self.records else None

    @property
    def own_lookups(self) -> int:
        """Lookup terms in this record itself (each include/redirect counts one here)."""
        return len(self.terms)

    @property
    def total_lookups(self) -> int:
        """This record's lookups plus everything reached through its includes/redirect."""
        return self.own_lookups + sum(t.child.total_lookups for t in self.terms if t.child)


@frozen
class Tipping:
    """Where the running count first exceeds a limit, in evaluation order: `path` is the
    chain of include/redirect terms from the root down to `term`, the lookup that goes over."""

    count: int
    term: str
    path: tuple[str, ...]

    @property
    def top(self) -> str:
        """The root record's term that contains the tipping lookup."""
        return self.path[0] if self.path else self.term


# Include/redirect targets whose record was not expanded although it may exist: whatever
# lies behind them is missing from the counts.
_NOT_COUNTED = frozenset({NodeState.LOOP, NodeState.MACRO, NodeState.NOT_EXPANDED})


@mutable
class SpfTree:
    """The expanded tree with the §4.6.4 counts over every branch."""

    root: SpfNode
    txt_answer: DnsAnswer
    spf_rr_records: tuple[str, ...] = ()  # v=spf1 records published as type SPF (99)
    truncated: bool = False
    loops: list[tuple[str, ...]] = field(default_factory=list)
    dns_lookups: int = 0
    void_lookups: int = 0
    lookup_tipping: Tipping | None = None
    void_tipping: Tipping | None = None

    @property
    def lookups_failed(self) -> bool:
        """True when a lookup the tree needed failed (temperror at receivers) or, offline,
        is outside the loaded zones: what lies behind it was not seen at all."""
        return any(t.rcode is not None for n in _nodes(self.root) for t in n.terms)

    @property
    def lookups_complete(self) -> bool:
        """True when `dns_lookups` and `void_lookups` are exact. A failed lookup (whose
        answer, and for an include the whole record behind it, is unknown), a target that
        needs client macros, a loop or the work cap make both counts lower bounds."""
        if self.truncated or self.lookups_failed:
            return False
        return not any(
            t.child is not None and t.child.state in _NOT_COUNTED
            for n in _nodes(self.root)
            for t in n.terms
        )


async def spf_lookup_tree(dns: DnsSource, domain: str) -> SpfTree:
    """Fetch `domain`'s SPF record and expand its whole include/redirect tree.

    Never raises for DNS outcomes: a failed root lookup gives `root.state` LOOKUP_FAILED,
    no record gives NO_SPF, several give MULTIPLE (the first one is still expanded).
    """
    domain = normalize_name(domain)
    txt, spf_rr = await asyncio.gather(dns.query(domain, "TXT"), dns.query(domain, "SPF"))
    root = SpfNode(domain)
    _fill(root, txt)
    tree = SpfTree(root, txt)
    tree.spf_rr_records = select_versioned(spf_rr, is_spf_text).records
    walker = _Walker(dns, domain, tree)
    await walker.run()
    await walker.resolve_mx_hosts()
    _count(tree)
    return tree


def _fill(node: SpfNode, answer: DnsAnswer) -> None:
    """Select the v=spf1 records of a TXT answer (§4.5) and parse the first."""
    txt = select_versioned(answer, is_spf_text)
    if txt.found is Found.LOOKUP_FAILED:
        node.state, node.rcode = NodeState.LOOKUP_FAILED, answer.rcode
        return
    node.records = txt.records
    if not txt.records:
        node.state = NodeState.NO_SPF
        return
    node.strings = txt.strings[0]
    node.parsed = parse_spf(txt.records[0])
    if txt.found is Found.MULTIPLE:
        node.state = NodeState.MULTIPLE


class _Walker:
    """Breadth-first expansion with one asyncio.gather per level."""

    def __init__(self, dns: DnsSource, origin: str, tree: SpfTree) -> None:
        self.dns, self.origin, self.tree = dns, origin, tree
        self.records = 1  # records fetched or about to be (the root)
        self.queries = 0
        self.cache: dict[tuple[str, str], DnsAnswer] = {}

    async def run(self) -> None:
        level: list[_Item] = [(self.tree.root, (self.tree.root.domain,))]
        while level:
            level = await self._expand_level(level)

    async def _expand_level(self, level: list[_Item]) -> list[_Item]:
        """Plan every lookup of this level's records, run them all at once, then build the
        next level from the include/redirect targets that have an SPF record."""
        plans: list[tuple[_Item, LookupTerm, list[tuple[str, str]]]] = []
        for node, path in level:
            if node.parsed is None or node.state not in (NodeState.OK, NodeState.MULTIPLE):
                continue
            for term in _lookup_terms(node.parsed, node.domain, self.origin):
                node.terms.append(term)
                plans.append(((node, path), term, self._plan(node, path, term)))
        wanted = sorted({q for _, _, qs in plans for q in qs if q not in self.cache})
        answers = await asyncio.gather(*(self.dns.query(n, t) for n, t in wanted))
        self.cache.update(zip(wanted, answers, strict=True))
        nxt: list[_Item] = []
        for (_, path), term, queries in plans:
            got = [self.cache[q] for q in queries]
            child = term.child
            if child is None:
                _judge(term, got)
            elif got:
                _fill(child, got[0])
                term.void = got[0].is_void
                if child.state is NodeState.LOOKUP_FAILED:
                    term.rcode, term.rdtype = child.rcode, "TXT"
                if child.state in (NodeState.OK, NodeState.MULTIPLE):
                    nxt.append((child, (*path, child.domain)))
        return nxt

    async def resolve_mx_hosts(self) -> None:
        """A and AAAA of the MX hosts of every `mx` term (RFC 7208 §5.4: the term matches
        their addresses), at most MX_NAME_LIMIT per term, in one round. A host where both
        are empty (NXDOMAIN or no data, not a failure) authorizes nothing. Skipped when the
        work cap would be passed: this is an extra, not part of the counts."""
        terms = [t for node in _nodes(self.tree.root) for t in node.terms if t.mx_hosts]
        needed = {
            (host, rdtype)
            for t in terms
            for host in t.mx_hosts[:MX_NAME_LIMIT]
            for rdtype in ("A", "AAAA")
        }
        wanted = sorted(needed - self.cache.keys())
        if not terms or self.queries + len(wanted) > MAX_QUERIES:
            return
        self.queries += len(wanted)
        answers = await asyncio.gather(*(self.dns.query(n, t) for n, t in wanted))
        self.cache.update(zip(wanted, answers, strict=True))
        for t in terms:
            t.mx_hosts_without_address = tuple(
                host
                for host in t.mx_hosts[:MX_NAME_LIMIT]
                if all(self.cache[(host, rdtype)].is_void for rdtype in ("A", "AAAA"))
            )

    def _plan(
        self, node: SpfNode, path: tuple[str, ...], term: LookupTerm
    ) -> list[tuple[str, str]]:
        """The queries one term needs; creates `term.child` for include/redirect."""
        target = term.target
        if term.kind in ("include", "redirect"):
            child = SpfNode(target or term.spec, term.text, node.depth + 1)
            term.child = child
            if target is None:
                child.state = NodeState.MACRO
                return []
            if target in path:
                child.state = NodeState.LOOP
                self.tree.loops.append((*path, target))
                return []
            queries = []
            if node.depth + 1 <= MAX_DEPTH and self.records < MAX_RECORDS:
                queries = self._budget([(target, "TXT")])
            if not queries:
                child.state = NodeState.NOT_EXPANDED
                self.tree.truncated = True
            self.records += 1
            return queries
        if target is None:
            return []  # ptr, or a target that needs client data
        if term.kind == "a":
            return self._budget([(target, "A"), (target, "AAAA")])
        if term.kind == "mx":
            return self._budget([(target, "MX")])
        return self._budget([(target, "A")])  # exists

    def _budget(self, queries: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """Cap the total number of queries: a hostile 64 KB record of `a` terms must not
        turn one check into thousands of lookups. Terms past the cap are counted, not
        resolved, and the tree is marked truncated."""
        if self.queries + len(queries) > MAX_QUERIES:
            self.tree.truncated = True
            return []
        self.queries += len(queries)
        return queries


_Item = tuple[SpfNode, tuple[str, ...]]


def _nodes(root: SpfNode) -> list[SpfNode]:
    """Every node of the tree, the root first."""
    out, stack = [], [root]
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(t.child for t in node.terms if t.child is not None)
    return out


def _judge(term: LookupTerm, answers: list[DnsAnswer]) -> None:
    """Void / failure / MX-count verdict for an a, mx or exists term."""
    if not answers:
        return
    failed = next((a for a in answers if a.is_error), None)
    if failed is not None:
        term.rcode, term.rdtype = failed.rcode, failed.rdtype
        return
    term.void = all(a.is_void for a in answers)
    if term.kind == "mx":
        term.mx_names = len(answers[0].mx())
        hosts = (normalize_name(host) for _, host in sorted(answers[0].mx()))
        term.mx_hosts = tuple(dict.fromkeys(h for h in hosts if h))  # "." is a null MX


def _lookup_terms(record: SpfRecord, domain: str, origin: str) -> list[LookupTerm]:
    """The terms an evaluation reaches that count towards §4.6.4, in order: mechanisms up
    to the first `all`, then the redirect when it takes effect (§6.1)."""
    out: list[LookupTerm] = []
    for m in record.evaluated_mechanisms:
        if m.counts_lookup:
            out.append(_term(m, m.name, domain, origin))
    redirect = record.redirect
    if redirect is not None:
        out.append(_term(redirect, "redirect", domain, origin))
    return out


def _term(term: Mechanism | Modifier, kind: str, domain: str, origin: str) -> LookupTerm:
    spec = term.macro.text if term.macro is not None else ""
    if kind == "ptr":
        return LookupTerm(term.text, kind, spec=spec)
    if term.macro is None:  # implicit a / mx: the current domain (§5.3, §5.4)
        return LookupTerm(term.text, kind, target=domain, spec=domain)
    return LookupTerm(term.text, kind, target=expand_target(term.macro, domain, origin), spec=spec)


def expand_target(spec: MacroString, domain: str, origin: str) -> str | None:
    """Expand a domain-spec in domain mode: %{d} = the current record's domain, %{o} = the
    domain being checked; any other macro letter → None (needs a client)."""
    out = spec.expand({"d": domain, "o": origin})
    if out is None:
        return None
    return normalize_name(truncate_domain(out)) or None


def _count(tree: SpfTree) -> None:
    """Running totals in evaluation order (depth first, includes in place, redirect last)."""
    state = {"lookups": 0, "void": 0}

    def visit(node: SpfNode, path: tuple[str, ...]) -> None:
        for term in node.terms:
            state["lookups"] += 1
            if state["lookups"] > LOOKUP_LIMIT and tree.lookup_tipping is None:
                tree.lookup_tipping = Tipping(state["lookups"], term.text, path)
            if term.void:
                state["void"] += 1
                if state["void"] > VOID_LIMIT and tree.void_tipping is None:
                    tree.void_tipping = Tipping(state["void"], term.text, path)
            if term.child is not None:
                visit(term.child, (*path, term.text))

    visit(tree.root, ())
    tree.dns_lookups = state["lookups"]
    tree.void_lookups = state["void"]

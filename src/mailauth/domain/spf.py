"""The SPF domain check: judge a domain's whole SPF tree (RFC 7208) and explain the findings.

Fetching and counting live in `spf_tree` (shared with `verify` and the conformance runner),
the fix records are written by `records.spf_rewrite`; this module only turns the expanded
tree into findings and decides which record to propose.
It is domain-mode linting, not one IP's evaluation: every branch is looked at.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import field

from mailauth.dns.interface import Rcode
from mailauth.domain.context import CheckContext
from mailauth.domain.spf_tree import (
    LOOKUP_LIMIT,
    MX_NAME_LIMIT,
    VOID_LIMIT,
    NodeState,
    SpfNode,
    SpfTree,
    spf_lookup_tree,
)
from mailauth.findings.catalogue import finding
from mailauth.frozen import frozen
from mailauth.model import CheckReport, Finding, Severity, Status, status_from_findings
from mailauth.records.spf import Mechanism, Qualifier, SpfCode
from mailauth.records.spf_rewrite import (
    append_all,
    merge_records,
    replace_terms,
    txt_presentation,
)

RECORD_LENGTH_LIMIT = 450  # RFC 7208 §3.4
_MAX_SYNTAX_FINDINGS = 5  # per record: the first few errors say enough
_WARNING_IDS = {
    SpfCode.TERMS_AFTER_ALL: "spf.terms-after-all",
    SpfCode.REDIRECT_IGNORED: "spf.redirect-ignored",
    SpfCode.UNKNOWN_MODIFIER: "spf.unknown-modifier",
}


@frozen(kw_only=True)
class SpfReport(CheckReport):
    """The SPF check's result. `tree` is the expanded include/redirect tree (None when the
    record could not be fetched)."""

    check: str = "spf"
    record: str | None = None
    records_found: int = 0
    dns_lookups: int = 0
    void_lookups: int = 0
    tree: SpfTree | None = field(default=None, compare=False, repr=False)

    @property
    def root(self) -> SpfNode | None:
        """The domain's own record in the tree (None when the lookup could not be made)."""
        return self.tree.root if self.tree else None

    @property
    def lookups_complete(self) -> bool:
        """False when the counts are lower bounds (`SpfTree.lookups_complete`) or unknown."""
        return self.tree is not None and self.tree.lookups_complete

    @property
    def complete(self) -> bool:
        """Also False when a lookup in the include/redirect tree failed or, offline, is not
        resolvable: the record behind it (its lookups, its problems) was not seen, so the
        findings may miss some and the report's score is an upper bound."""
        failed = self.tree is not None and self.tree.lookups_failed
        return super().complete and not failed

    @property
    def effective_all(self) -> str | None:
        """The `all` term that ends the domain's policy, following redirects (RFC 7208 §6.1)."""
        root = self.root
        return _effective_all_text(root) if root else None


async def check_spf(ctx: CheckContext, domain: str) -> SpfReport:
    """Domain-mode SPF check of `domain` (an A-label, lower-case, no trailing dot)."""
    dns = ctx.dns
    tree = await spf_lookup_tree(dns, domain)
    root = tree.root
    if root.state is NodeState.LOOKUP_FAILED:
        rcode = root.rcode.value if root.rcode else Rcode.ERROR.value
        f = finding("spf.lookup-failed", name=domain, rdtype="TXT", rcode=rcode)
        return SpfReport(status=Status.ERROR, findings=(f,), tree=tree)
    findings: list[Finding] = []
    if tree.spf_rr_records:
        findings.append(
            finding(
                "spf.deprecated-spf-rrtype", name=domain, records=" | ".join(tree.spf_rr_records)
            )
        )
    if root.state is NodeState.NO_SPF:
        findings.insert(0, finding("spf.missing", name=domain))
        return SpfReport(status=Status.NONE, findings=tuple(findings), tree=tree)
    findings.extend(_tree_findings(tree))
    findings.extend(_policy_findings(root))
    findings.extend(_limit_findings(tree))
    record = root.record or ""
    if len(record.encode()) > RECORD_LENGTH_LIMIT:
        findings.append(
            finding(
                "spf.record-too-long",
                name=domain,
                length=len(record.encode()),
                limit=RECORD_LENGTH_LIMIT,
            )
        )
    findings.sort(key=lambda f: f.severity.rank)
    status = status_from_findings(findings)
    if status is Status.PASS and tree.lookups_failed:
        # Offline, an include outside the loaded zones is only a note (it is no problem of the
        # domain), but what it holds was not seen: a partial result is not a pass. Live, the
        # same failed include warns through its finding's severity.
        status = Status.WARN
    return SpfReport(
        status=status,
        findings=tuple(findings),
        record=root.record,
        records_found=len(root.records),
        dns_lookups=tree.dns_lookups,
        void_lookups=tree.void_lookups,
        tree=tree,
    )


def _walk(node: SpfNode) -> Iterator[SpfNode]:
    """Every node with a record, in evaluation order."""
    yield node
    for term in node.terms:
        if term.child is not None and term.child.parsed is not None:
            yield from _walk(term.child)


def _policy_chain(root: SpfNode) -> list[SpfNode]:
    """The root and the records it redirects to: together they are the domain's own policy."""
    chain, node = [root], root
    while node.terms and node.terms[-1].kind == "redirect":
        child = node.terms[-1].child
        if child is None or child.parsed is None or child.state is not NodeState.OK:
            break
        chain.append(child)
        node = child
    return chain


def _tree_findings(tree: SpfTree) -> Iterator[Finding]:
    chain = _policy_chain(tree.root)
    for node in _walk(tree.root):
        yield from _record_findings(node, own=node in chain)
        for term in node.terms:
            child = term.child
            if term.rcode is not None:
                yield finding(
                    "spf.include-lookup-failed",
                    severity=Severity.INFO if term.rcode is Rcode.UNRESOLVABLE else None,
                    term=term.text,
                    name=node.domain,
                    target=term.target or term.spec,
                    rdtype=term.rdtype,
                    rcode=term.rcode.value,
                    count=tree.dns_lookups,
                )
            elif child is not None and child.state is NodeState.NO_SPF:
                yield finding(
                    "spf.include-no-spf", term=term.text, name=node.domain, target=child.domain
                )
            elif child is not None and child.state is NodeState.MACRO:
                yield finding("spf.macro-include", term=term.text, name=node.domain)
            if term.mx_hosts_without_address:
                yield finding(
                    "spf.mx-host-no-address",
                    term=term.text,
                    name=node.domain,
                    target=term.target,
                    hosts=", ".join(term.mx_hosts_without_address),
                )
            if term.mx_names is not None and term.mx_names > MX_NAME_LIMIT:
                yield finding(
                    "spf.mx-too-many-names",
                    term=term.text,
                    name=node.domain,
                    target=term.target,
                    count=term.mx_names,
                    limit=MX_NAME_LIMIT,
                )
    for loop in tree.loops:
        yield finding(
            "spf.include-loop", name=tree.root.domain, path=" > ".join(loop), target=loop[-1]
        )


def _record_findings(node: SpfNode, *, own: bool) -> Iterator[Finding]:
    parsed = node.parsed
    if parsed is None:
        return
    record = parsed.text
    if node.state is NodeState.MULTIPLE:
        merged = merge_records(node.records)
        yield finding(
            "spf.multiple-records",
            fix_record=txt_presentation(merged) if merged and own else None,
            name=node.domain,
            count=len(node.records),
            records=" | ".join(node.records),
        )
    first_by_term = {p.term: p for p in reversed(parsed.errors)}  # one finding per term
    for p in [p for p in parsed.errors if first_by_term[p.term] is p][:_MAX_SYNTAX_FINDINGS]:
        yield finding(
            "spf.syntax-error", name=node.domain, record=record, term=p.term, problem=p.phrase()
        )
    if own:
        for p in parsed.warnings:
            fid = _WARNING_IDS.get(p.code)
            if fid:
                yield finding(fid, name=node.domain, term=p.term, terms=p.term)
    everyone = [m for m in parsed.evaluated_mechanisms if _matches_everyone(m)]
    # One fix for all of them: a record that still has one of these would still pass anyone.
    # None for a record with syntax errors: a proposal must parse cleanly and keep every term.
    fix = (
        replace_terms(parsed, [(m, "-all" if m.name == "all" else None) for m in everyone])
        if own and everyone and not parsed.errors
        else None
    )
    for m in parsed.evaluated_mechanisms:
        if m.name == "ptr":
            yield finding("spf.ptr-used", term=m.text, name=node.domain)
        if any(m is e for e in everyone):
            yield finding(
                "spf.plus-all",
                fix_record=txt_presentation(fix) if fix else None,
                term=m.text,
                name=node.domain,
                record=record,
            )


def _matches_everyone(m: Mechanism) -> bool:
    """`+all`, or a pass-qualified ip4/ip6 with prefix /0 (every address)."""
    if m.qualifier is not Qualifier.PASS:
        return False
    if m.name == "all":
        return True
    return m.name in ("ip4", "ip6") and 0 in (m.cidr4, m.cidr6)


def _effective_all(root: SpfNode) -> tuple[SpfNode, Mechanism | None] | None:
    """The `all` that ends the domain's policy (following redirects, §6.1); None when the
    chain ends in an include/redirect problem already reported."""
    chain = _policy_chain(root)
    last = chain[-1]
    assert last.parsed is not None
    if last.parsed.all is not None:
        return last, last.parsed.all
    if last.parsed.redirect is not None:
        return None
    return last, None


def _effective_all_text(root: SpfNode) -> str | None:
    if root.parsed is None:
        return None
    found = _effective_all(root)
    return found[1].text if found and found[1] else None


def _policy_findings(root: SpfNode) -> Iterator[Finding]:
    found = _effective_all(root)
    if found is None:
        return
    node, mech = found
    parsed = node.parsed
    assert parsed is not None
    if parsed.errors:  # permerror already reported; a missing all may just be a typo'd one
        return
    own = node is root
    if mech is None:
        fix = append_all(parsed, "~all") if own else None
        yield finding(
            "spf.no-all",
            fix_record=txt_presentation(fix) if fix else None,
            name=node.domain,
            record=parsed.text,
        )
    elif mech.qualifier is Qualifier.NEUTRAL:
        fix = replace_terms(parsed, [(mech, "~all")]) if own else None
        yield finding(
            "spf.neutral-all",
            fix_record=txt_presentation(fix) if fix else None,
            name=node.domain,
            record=parsed.text,
        )
    elif mech.qualifier is Qualifier.SOFTFAIL:
        fix = replace_terms(parsed, [(mech, "-all")]) if own else None
        yield finding(
            "spf.softfail-all", fix_record=txt_presentation(fix) if fix else None, name=node.domain
        )


def _limit_findings(tree: SpfTree) -> Iterator[Finding]:
    root = tree.root
    if tree.dns_lookups > LOOKUP_LIMIT and tree.lookup_tipping is not None:
        tip = tree.lookup_tipping
        costs = [(t.text, 1 + (t.child.total_lookups if t.child else 0)) for t in root.terms]
        largest = max(costs, key=lambda c: c[1])[0]
        yield finding(
            "spf.too-many-lookups",
            name=root.domain,
            count=tree.dns_lookups,
            limit=LOOKUP_LIMIT,
            tipping_term=tip.term,
            tipping_include=tip.top,
            tipping_path=" > ".join((*tip.path, tip.term)),
            breakdown=", ".join(f"{text}: {cost}" for text, cost in costs),
            largest=largest,
        )
    if tree.void_lookups > VOID_LIMIT:
        voids = [t.text for n in _walk(root) for t in n.terms if t.void]
        yield finding(
            "spf.too-many-void-lookups",
            name=root.domain,
            count=tree.void_lookups,
            limit=VOID_LIMIT,
            terms=", ".join(voids),
        )
    if tree.truncated:
        where = next(
            (
                t.text
                for n in _walk(root)
                for t in n.terms
                if t.child is not None and t.child.state is NodeState.NOT_EXPANDED
            ),
            root.domain,
        )
        yield finding("spf.tree-truncated", name=root.domain, count=tree.dns_lookups, where=where)

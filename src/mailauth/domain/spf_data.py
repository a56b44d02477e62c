"""JSON view of the SPF include tree.

Kept out of the check so the check reads as rules, and so `verify` can reuse the view.
"""

from __future__ import annotations

from typing import Any

from mailauth.domain.spf_tree import LookupTerm


def node_data(term: LookupTerm) -> dict[str, Any]:
    """One lookup term of the tree, with the record it leads to (include/redirect).

    `cost` is what the term adds to the parent's count: 1 for itself plus every lookup
    behind it (`subtree_lookups`); `lookups` is the target record's own lookup terms.
    Shown for every include, also when the total is over the limit.
    """
    out: dict[str, Any] = {
        "term": term.text,
        "kind": term.kind,
        "target": term.target or term.spec or None,
        "void": term.void,
        "cost": 1,
    }
    if term.rcode is not None:
        out["rcode"] = term.rcode.value
        out["rdtype"] = term.rdtype
    if term.mx_names is not None:
        out["mx_names"] = term.mx_names
    child = term.child
    if child is not None:
        out.update(
            state=child.state.value,
            record=child.record,
            lookups=child.own_lookups,
            subtree_lookups=child.total_lookups,
            cost=1 + child.total_lookups,
            void_lookups=sum(1 for t in child.terms if t.void),
            children=[node_data(t) for t in child.terms],
        )
    return out

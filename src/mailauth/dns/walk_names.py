"""Which names an RFC 9989 DNS Tree Walk asks (§4.10), without the walk's record parsing.

`mailauth check DOMAIN` sends its first round of lookups, the walk's `_dmarc.<name>` TXT
queries among them, before the checks are imported (`domain/first_round.py`, issue 10).
Knowing those names needs only this arithmetic on labels, not `dns/treewalk.py`, which
imports the DMARC record parser (~4 ms of CPU that can run while the first answers travel).
`dns/treewalk.py` re-exports these names.
"""

from __future__ import annotations

from mailauth.dns.interface import normalize_name

# RFC 9989 §4.10: "Author Domains with more than eight labels do not result in more than
# eight DNS queries"; a walk shortens such names to seven labels after the first query.
MAX_QUERIES = 8


def labels(domain: str) -> list[str]:
    """Lower-cased labels of a name; empty labels (``a..b``, trailing dot) are dropped."""
    return [x for x in normalize_name(domain).split(".") if x]


def walk_targets(domain: str) -> list[str]:
    """The names a full walk would query, per RFC 9989 §4.10 steps 1, 3, 4 and 7.

    `a.b.c.d.e.f.g.h.i.j.mail.example.com` → itself, then `g.h.i.j.mail.example.com` (seven
    labels) and one label shorter each time down to `com`: eight names at most.
    """
    parts = labels(domain)
    if not parts:
        return []
    targets = [".".join(parts)]
    x = len(parts)
    # Step 4: if x < 8 remove one label; if x >= 8 remove labels until 7 remain.
    rest = parts[1:] if x < MAX_QUERIES else parts[-(MAX_QUERIES - 1) :]
    while rest:  # step 7: one label shorter each time, down to a single label
        targets.append(".".join(rest))
        rest = rest[1:]
    return targets

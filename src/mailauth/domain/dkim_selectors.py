"""Which DKIM selectors a check tries, and which of them it asks first: the plan of the DKIM
check's probes (domain/dkim.py), apart from the key judging.

A module of its own, with no parser or finding in it, so that the lookups a check asks
before any answer are known without loading the check code (domain/first_round.py: a
domain checked alone sends them while that code loads; issue 10).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

# Selectors that providers create by default, grouped by provider: tried on every run unless
# the user chose another list (`--dkim-selectors`). A provider's group is probed cheaply: its
# first selector together with every other group's first, and the rest of the group only
# when that first found no key hosted by the provider. Providers publish their selectors
# together as CNAMEs into their own zone (Microsoft 365 selector1/selector2, SendGrid s1/s2,
# Fastmail fm1-fm3), so a key reached through a CNAME says the siblings are the provider's
# rotation keys and they are not asked. A key published at the domain itself is probed on:
# `s1`/`s2` there are often the domain's own RSA and Ed25519 keys (RFC 8463 dual signing).
# Generic names are groups of their own.
COMMON_SELECTOR_GROUPS: tuple[tuple[str, ...], ...] = (
    ("google",),  # Google Workspace
    ("selector1", "selector2"),  # Microsoft 365
    ("amazonses",),  # Amazon SES (Easy DKIM uses random tokens; this is the common manual name)
    ("s1", "s2", "smtpapi"),  # SendGrid
    ("k1", "k2", "k3", "mandrill"),  # Mailchimp / Mandrill
    ("mailo", "mg", "krs", "pic"),  # Mailgun
    ("sf1", "sf2"),  # Salesforce
    ("zoho", "zmail"),  # Zoho
    ("pm",),  # Postmark
    ("fm1", "fm2", "fm3"),  # Fastmail
    ("protonmail", "protonmail2", "protonmail3"),  # Proton
    ("mailjet",),  # Mailjet
    ("sig1",),  # iCloud custom domains
    *((generic,) for generic in (
        "default", "dkim", "mail", "selector", "key1", "key2", "dkim1", "smtp", "email",
    )),
)  # fmt: skip
COMMON_SELECTORS: tuple[str, ...] = tuple(s for group in COMMON_SELECTOR_GROUPS for s in group)
# Group leaders asked beside `_domainkey.<domain>` before the NXDOMAIN cut is trusted
# (`dkim._probe`): the two most common providers, Google Workspace and Microsoft 365.
CUT_CANARIES = 2

# A selector is a DNS name (RFC 6376 §3.1): dot-separated labels. Underscores are accepted
# because some providers generate them and DNS itself allows them.
_LABEL = re.compile(r"(?!-)[a-z0-9_-]{1,63}(?<!-)\Z", re.IGNORECASE)


def valid_selector(selector: str) -> bool:
    """Whether `selector` can be looked up as `<selector>._domainkey.<domain>`."""
    if not selector or len(selector) > 200 or not selector.isascii():
        return False
    return all(_LABEL.match(label) for label in selector.split("."))


def named_selectors(given: Iterable[str]) -> tuple[list[str], list[str]]:
    """The selectors a user named, as looked up (lower case, no trailing dot, each once),
    and those that cannot be looked up at all, as given."""
    named: list[str] = []
    invalid: list[str] = []
    for raw in given:
        sel = raw.strip().lower().rstrip(".")
        if not valid_selector(sel):
            invalid.append(raw)
        elif sel not in named:
            named.append(sel)
    return named, invalid


def probe_groups(
    named: Sequence[str], groups: Sequence[Sequence[str]]
) -> tuple[list[str], list[list[str]]]:
    """Each probe group's leader (its first selector not already named or in an earlier
    group) and the rest of each group, in group order; groups left empty are dropped."""
    taken = set(named)
    leaders: list[str] = []
    rest: list[list[str]] = []
    for group in groups:
        members = [s for s in dict.fromkeys(group) if s not in taken]
        taken.update(members)
        if members:
            leaders.append(members[0])
            rest.append(members[1:])
    return leaders, rest


def first_asked(named: Sequence[str], leaders: Sequence[str], cut: bool) -> list[str]:
    """The selectors the check asks before any answer: the named ones, then every leader,
    or with the NXDOMAIN `cut` only the first `CUT_CANARIES` leaders (`_domainkey.<domain>`
    is asked beside them)."""
    return [*named, *(leaders[:CUT_CANARIES] if cut else leaders)]

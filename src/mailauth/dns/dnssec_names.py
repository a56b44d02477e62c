"""Names on a DNSSEC chain of trust, as strings, without dnspython.

The validator (`dns/dnssec_chain.py`) walks from a trust anchor down to the zone that signs
a name: which anchor is closest, which names lie between. For an unsigned domain that walk
is all it does (no signature is ever checked), so it should not cost dnspython's name and
rdata modules (~30 ms of a `mailauth check`'s CPU, spent while its first answers travel:
issue 10). Names are spelled as `answer.name_text` spells dnspython's (lower-case, no
trailing dot, the root ""), so a name built here equals the one dnspython would give.

Only plain names are split here: characters dnspython writes as they are (letters, digits,
hyphen, underscore, ...: no escapes, spaces or non-ASCII), every label 1-63 octets, at most
255 octets on the wire. Anything else (an escaped dot, an IDN in U-labels, a name too
long) goes through `dns.name.from_text` exactly as before, so its verdict cannot differ;
tests/unit/dns/test_dnssec_names.py holds the two paths to the same answers.
"""

from __future__ import annotations

from mailauth.dns.interface import normalize_name
from mailauth.dns.present import PLAIN_OCTETS

_MAX_LABEL = 63  # octets, RFC 1035 §2.3.4
_MAX_NAME = 255  # octets on the wire, root label included
_PLAIN_NAME = PLAIN_OCTETS + b"."


def plain_labels(name: str) -> list[str] | None:
    """The labels of `name` (already `normalize_name`d; "" is the root) when it is plain,
    else None (dnspython must read it)."""
    if not name:
        return []
    if not name.isascii() or name.encode().translate(None, _PLAIN_NAME) or name == "@":
        return None
    labels = name.split(".")
    if any(not 0 < len(label) <= _MAX_LABEL for label in labels):
        return None
    if len(name) + 2 > _MAX_NAME:  # a length octet per label and the root's: len + 2
        return None
    return labels


def owner(name: str) -> str | None:
    """`name` as an owner name on the chain, or None for a name dnspython refuses (the
    signed answer then says what is wrong with it)."""
    text = normalize_name(name)
    if plain_labels(text) is not None:
        return text
    import dns.exception

    try:
        return _from_dnspython(text)
    except dns.exception.DNSException:
        return None


def ancestry(name: str) -> list[str]:
    """`name` (an `owner`) and every name above it, nearest first, the root ("") last."""
    labels = plain_labels(name)
    if labels is not None:
        return [".".join(labels[i:]) for i in range(len(labels))] + [""]
    import dns.name

    from mailauth.dns.answer import name_text

    n = dns.name.from_text(name or ".")
    out = [name_text(n)]
    while n != dns.name.root:
        n = n.parent()
        out.append(name_text(n))
    return out


def strict_owner(name: str) -> str:
    """`owner`, but a name dnspython refuses raises its DNSException (an answer's own
    name: a source never gives one)."""
    text = normalize_name(name)
    return text if plain_labels(text) is not None else _from_dnspython(text)


def _from_dnspython(text: str) -> str:
    import dns.name

    from mailauth.dns.answer import name_text

    return name_text(dns.name.from_text(text or "."))

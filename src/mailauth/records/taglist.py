"""Splitting `name=value; name=value` records, the shape five of our record types share.

RFC 6376 §3.2 defined the tag-list for DKIM keys; DMARC (RFC 9989 §4.8) and BIMI (draft
§4.3) reuse it, and MTA-STS (RFC 8461 §3.1) and TLS-RPT (RFC 8460 §3) copy it as "fields".
Only the splitting is shared here. What a valid name is, whether a repeated tag voids the
record and what the first tag must be differ per protocol and stay in each parser, so a fix
to one protocol's rules cannot leak into another's.
"""

from __future__ import annotations

import re

from mailauth.frozen import frozen

WSP = " \t"  # RFC 5234 WSP: what the DNS-record grammars allow around tags and values
# RFC 8461 §3.1 / RFC 8460 §3: ext-name = (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".")
FIELD_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,31}\Z")


@frozen
class TagSpec:
    """One `;`-separated part with the whitespace around it, its name and its value removed.
    `text` is "" for an empty part (`;;`); without "=" the whole part is the `name`."""

    text: str
    name: str
    value: str
    has_equals: bool


def split_tag_list(text: str, whitespace: str | None = WSP) -> list[TagSpec]:
    """Every part of `text` in order, empty ones (`;;`) and duplicates included, except one
    empty part at the end: every one of these grammars allows a final `;`.

    `whitespace` is what surrounds tags and values: WSP for the DNS-record grammars, None
    (any whitespace, as `str.strip()`) for DKIM, whose FWS also covers folded lines.
    """
    specs: list[TagSpec] = []
    for raw in text.split(";"):
        part = raw.strip(whitespace)
        name, eq, value = part.partition("=")
        specs.append(TagSpec(part, name.strip(whitespace), value.strip(whitespace), bool(eq)))
    if not specs[-1].text:
        specs.pop()
    return specs


def split_fields(text: str) -> tuple[list[tuple[str, str]], list[str]]:
    """RFC 8461 §3.1 / RFC 8460 §3 fields: the `name=value` pairs in order (duplicates kept)
    and the parts that are not `name=value`. Empty fields (`;;`) are skipped, as real-world
    senders do."""
    pairs: list[tuple[str, str]] = []
    malformed: list[str] = []
    for spec in split_tag_list(text):
        if not spec.text:
            continue
        if spec.has_equals:
            pairs.append((spec.name, spec.value))
        else:
            malformed.append(spec.text)
    return pairs, malformed


def begins_with_version(text: str, version: str) -> bool:
    """RFC 8461 §3.1 / RFC 8460 §3: TXT records that do not begin with `v=<version>` are
    discarded, so `id=..; v=STSv1` and `v=STSv12` are not MTA-STS records. Exact: these two
    grammars allow no whitespace around "=" and no other spelling (DMARC and BIMI do)."""
    first = text.strip(WSP).split(";", 1)[0].strip(WSP)
    return first == f"v={version}"

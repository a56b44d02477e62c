"""Writing SPF records back: the `fix_record`s the SPF check proposes, beside the DMARC ones
(`dmarc_rewrite`).

Kept out of the parser because it is the opposite direction (record → text), and out of the
check so the check reads as rules: which finding, and whether to propose a record at all.
Every builder starts from the parsed record and keeps the owner's other terms as written.
Pure: no I/O.
"""

from __future__ import annotations

from mailauth.records.spf import VERSION, Mechanism, Modifier, Qualifier, SpfRecord, parse_spf

TXT_STRING_LIMIT = 255  # RFC 1035 §3.3: one character-string holds at most 255 octets


def replace_terms(record: SpfRecord, changes: list[tuple[Mechanism, str | None]]) -> str:
    """The record with each mechanism of `changes` replaced by its new text (removed when
    None), spacing normalised. Matched by identity: of a term written twice, only the
    occurrence named changes."""
    out = []
    for term in record.terms:
        new = next((text for m, text in changes if m is term), term.text)
        if new:
            out.append(new)
    return " ".join([VERSION, *out])


def append_all(record: SpfRecord, all_term: str = "~all") -> str:
    """The record with `all_term` added at the end, for a record that has no `all`."""
    return f"{record.text.rstrip()} {all_term}"


def merge_records(records: tuple[str, ...]) -> str | None:
    """One record holding every term of several (RFC 7208 §4.5 allows only one): each
    mechanism they evaluate kept once, in order (those after an `all` never took effect,
    §5.1), unknown modifiers kept, and the first `all` found that is not +all (else ~all)
    last. None when a merge is not mechanical: syntax errors, redirect= or exp= (one target
    would have to be chosen), or two values for one modifier."""
    parsed = [parse_spf(r) for r in records]
    if any(not p.valid or p.modifier("redirect") or p.exp for p in parsed):
        return None
    mechanisms: dict[tuple[object, ...], str] = {}
    modifiers: dict[str, str] = {}
    for p in parsed:
        for m in p.evaluated_mechanisms:
            if m.name != "all":
                mechanisms.setdefault(_same_mechanism(m), m.text)
        for term in p.terms:
            if (
                isinstance(term, Modifier)
                and modifiers.setdefault(term.name, term.text) != term.text
            ):
                return None
    # Never propose +all (spf.plus-all): the first other all found, else ~all.
    alls = [p.all for p in parsed if p.all is not None]
    first_all = next((a.text for a in alls if a.qualifier is not Qualifier.PASS), "~all")
    return " ".join([VERSION, *mechanisms.values(), first_all, *modifiers.values()])


def _same_mechanism(m: Mechanism) -> tuple[object, ...]:
    """Two spellings of one mechanism (`MX:Example.com` and `mx:example.com.`) are one. A
    target with macros is compared as written: `%{D}` and `%{d}` expand differently (§7.3)."""
    spec = m.domain_spec or ""
    if m.macro is not None and not m.macro.has_macros:
        spec = spec.lower().rstrip(".")
    return (m.qualifier, m.name, spec, m.network, m.cidr4, m.cidr6)


def txt_presentation(record: str) -> str:
    """The record as it must be published: as is when it fits one character-string,
    otherwise split into quoted strings of at most 255 bytes (RFC 7208 §3.3: receivers
    join them with no separator), in zone-file syntax."""
    data = record.encode()
    if len(data) <= TXT_STRING_LIMIT:
        return record
    chunks = [data[i : i + TXT_STRING_LIMIT] for i in range(0, len(data), TXT_STRING_LIMIT)]
    return " ".join(f'"{_escape(c)}"' for c in chunks)


def _escape(chunk: bytes) -> str:
    """RFC 1035 §5.1 quoting: a backslash or a double quote inside a string is escaped."""
    text = chunk.decode("ascii", "replace")
    return text.replace("\\", "\\\\").replace('"', '\\"')

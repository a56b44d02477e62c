"""Writing DMARC records back: the `fix_record` a check proposes keeps the owner's other tags.

Kept out of the parser because it is the opposite direction (record → text) and only the
domain check needs it; the parser stays a pure reader.
"""

from __future__ import annotations

from mailauth.records.dmarc import DMARC_VERSION, DmarcRecord, parse_dmarc
from mailauth.records.taglist import WSP, split_tag_list

_ORDER = ("v", "p", "sp", "np", "adkim", "aspf", "rua", "ruf", "fo", "psd", "t")


def rebuild(
    record: DmarcRecord,
    set_tags: dict[str, str] | None = None,
    drop: tuple[str, ...] = (),
) -> str:
    """The record's known, valid tags (historic, unknown and invalid ones left out) with
    `set_tags` applied and `drop` removed, in the conventional order: v and p first (RFC 7489
    receivers still expect p second)."""
    tags = {k: v for k, v in record.tags.items() if k not in drop and not record.invalid(k)}
    tags.update(set_tags or {})
    ordered = sorted(tags, key=lambda k: _ORDER.index(k) if k in _ORDER else len(_ORDER))
    return "; ".join([f"v={DMARC_VERSION}", *(f"{k}={tags[k]}" for k in ordered if k != "v")])


def repair_version(text: str) -> str | None:
    """A corrected spelling of a record whose v tag is wrong (`v=dmarc1`, `v=DMARC1 p=none`,
    v not first), or None when there is nothing recognisable to keep."""
    rest: list[str] = []
    for part in split_tag_list(text):
        if not part.text:
            continue
        if part.name.lower() == "v":
            # "v=DMARC1 p=reject": a missing ";" glued the next tag onto the version.
            tail = part.value[len(DMARC_VERSION) :].strip(WSP)
            if part.value.lower().startswith("dmarc1") and "=" in tail:
                rest.append(tail)
            continue
        rest.append(part.text)
    record = parse_dmarc("; ".join([f"v={DMARC_VERSION}", *rest]))
    return rebuild(record) if record.is_dmarc and record.tags else None

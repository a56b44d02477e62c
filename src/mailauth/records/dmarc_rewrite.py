"""Writing DMARC records back: the `fix_record` a check proposes keeps the owner's other tags.

Kept out of the parser because it is the opposite direction (record → text) and only the
domain check needs it; the parser stays a pure reader.
"""

from __future__ import annotations

from mailauth.frozen import frozen
from mailauth.records.dmarc import DMARC_VERSION, DmarcRecord, Policy, ReportUri, parse_dmarc
from mailauth.records.taglist import WSP, split_tag_list

_ORDER = ("v", "p", "sp", "np", "adkim", "aspf", "rua", "ruf", "fo", "psd", "t")


def rebuild(
    record: DmarcRecord,
    set_tags: dict[str, str] | None = None,
    drop: tuple[str, ...] = (),
) -> str:
    """The record's known, valid tags (historic, unknown and invalid ones left out) with
    `set_tags` applied and `drop` removed, in the conventional order: v and p first (RFC 7489
    receivers still expect p second). Of rua and ruf, only the addresses receivers can use
    are kept (mailto:, RFC 9989 §4.7), without the !size suffix they ignore (§4.8), so that
    what is proposed parses without a problem."""
    tags = {k: v for k, v in record.tags.items() if k not in drop and not record.invalid(k)}
    for tag, uris in (("rua", record.rua), ("ruf", record.ruf)):
        if tag in tags:
            usable = _usable(uris)
            if usable:
                tags[tag] = usable
            else:
                del tags[tag]
    tags.update(set_tags or {})
    ordered = sorted(tags, key=lambda k: _ORDER.index(k) if k in _ORDER else len(_ORDER))
    return "; ".join([f"v={DMARC_VERSION}", *(f"{k}={tags[k]}" for k in ordered if k != "v")])


def _usable(uris: tuple[ReportUri, ...]) -> str:
    """The usable URIs of an rua/ruf list, comma-separated, each without its !size suffix."""
    return ",".join(u.raw.rpartition("!")[0] if u.size_limit else u.raw for u in uris if u.usable)


def repair_version(text: str) -> str | None:
    """A corrected spelling of a record whose v tag is wrong (`v=dmarc1`, `v=DMARC1 p=none`,
    v not first), cleaned like every proposal (`Proposals.cleaned`: p=none added when there
    is no valid p), or None when there is nothing recognisable to keep."""
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
    return Proposals(record).cleaned() if record.is_dmarc and record.tags else None


@frozen
class Proposals:
    """Every record a check proposes for one published DMARC record, built from one start so
    that applying any of them never undoes another: the record's valid tags (`rebuild`),
    with p=none when p is missing or invalid (RFC 9989 §4.10.1 acts on such a record as
    p=none at best; with it, every proposal parses cleanly), then the finding's own change.

    `rua` is the report address to add when the record has no usable one (None when it has
    one, or when no domain that receives mail could hold the mailbox). Proposals that change
    the policy add it: their advice is to enforce once the reports show it is safe.
    """

    record: DmarcRecord
    rua: str | None = None

    def _base(self, reports: bool) -> dict[str, str]:
        base = {} if self.record.p is not None else {"p": Policy.NONE.value}
        if reports and self.rua:
            base["rua"] = self.rua
        return base

    def cleaned(self) -> str:
        """Only what the grammar rejects left out (invalid, unknown, historic tags)."""
        return rebuild(self.record, set_tags=self._base(reports=False))

    def reporting(self, drop: tuple[str, ...] = ()) -> str:
        """With the proposed rua, and without the tags in `drop`."""
        return rebuild(self.record, set_tags=self._base(reports=True), drop=drop)

    def enforcing(self, tag: str, policy: Policy, drop: tuple[str, ...] = ()) -> str:
        """`tag` (p, sp or np) at `policy`, unless the record already holds a valid value at
        least as strict there: a record acted on as p=none only because its sp or np is
        invalid keeps the owner's p=reject (the invalid tag is what `rebuild` drops)."""
        current = {"p": self.record.p, "sp": self.record.sp, "np": self.record.np}[tag]
        change = {} if current and current.strength >= policy.strength else {tag: policy.value}
        return rebuild(self.record, set_tags={**self._base(reports=True), **change}, drop=drop)

    def as_strict_as_p(self, tag: str) -> str:
        """The record with a weaker sp or np removed, so that p applies. RFC 9989 §4.7: an
        absent np takes sp's value when sp is present, so an np next to a weaker sp is set
        to p's value instead (removing it would leave np as weak as sp)."""
        p, sp = self.record.p, self.record.sp
        assert p is not None
        if tag == "np" and sp is not None and sp.strength < p.strength:
            return self.enforcing("np", p)
        return self.reporting(drop=(tag,))

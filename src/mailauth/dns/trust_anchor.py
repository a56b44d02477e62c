"""DNSSEC trust anchors: the root zone's key-signing keys, or the user's own (`--trust-anchor`).

The root anchors are IANA's (https://data.iana.org/root-anchors/root-anchors.xml): KSK-2017
(key tag 20326) and KSK-2024 (key tag 38696), as DS records, shipped here because dnspython
ships none. A file given with `--trust-anchor` holds DS or DNSKEY records in zone-file syntax
with absolute owner names (`example.test. IN DS 12345 13 2 ...`, the form `dig DS` and
unbound's `trust-anchor-file` use); a test with a signed test zone anchors at that zone.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mailauth.errors import InputError, os_reason
from mailauth.frozen import frozen
from mailauth.model import Phrase

if TYPE_CHECKING:  # imported where used: importing this module must not load dnspython
    import dns.rrset

# The digests in lower case, as dnspython presents a DS record: `root_anchors` keeps these
# texts as they are (sorted), and `parse_anchors` keeps what dnspython prints.
ROOT_ANCHORS = (
    ". IN DS 20326 8 2 e06d44b80b8f1d39a95c0b0d7c65d08458e880409bbc683457104237c7f8ec8d",
    ". IN DS 38696 8 2 683d2d0acb8c9b712a1948b27f741219298d0a450d612c483af444a4c0fb2b16",
)
ROOT_DESCRIPTION = "root KSK-2017 (20326), KSK-2024 (38696), built in"
MAX_ANCHOR_BYTES = 64 * 1024
_DEFAULT_TTL = 3600


class TrustAnchorError(InputError):
    """A `--trust-anchor` file that cannot be read or holds no DS/DNSKEY record."""

    key = "error.trust-anchor"

    def __init__(self, path: str, reason: Phrase) -> None:
        super().__init__(path=path, reason=reason)


@frozen
class TrustAnchors:
    """DS and DNSKEY records by owner name; `description` says where they came from.

    Owners are spelled as `answer.name_text` spells names (lower-case, no trailing dot, the
    root ""), records in dnspython's presentation form. dnspython objects are built only when
    a signed answer is validated (`ds_rrset`, `dnskey_rrset`): checking an unsigned domain
    walks the chain by name alone, and importing dnspython's rdata machinery for the root's
    DS records cost every `mailauth check` ~30 ms of CPU while its first answers were on the
    way (issue 10)."""

    ds: dict[str, tuple[str, ...]]
    dnskey: dict[str, tuple[str, ...]]
    description: str

    def closest(self, ancestry: list[str]) -> str | None:
        """The deepest anchored owner among `ancestry` (a name and the names above it,
        nearest first: `dnssec_names.ancestry`)."""
        return next((o for o in ancestry if o in self.ds or o in self.dnskey), None)

    def ds_rrset(self, owner: str) -> dns.rrset.RRset:
        return _rrset(owner, "DS", self.ds[owner])

    def dnskey_rrset(self, owner: str) -> dns.rrset.RRset:
        return _rrset(owner, "DNSKEY", self.dnskey[owner])


def _rrset(owner: str, rdtype: str, records: tuple[str, ...]) -> dns.rrset.RRset:
    import dns.name
    import dns.rrset

    # TTL 0 as the built-in anchors always had: validation never reads an anchor's TTL.
    return dns.rrset.from_text_list(dns.name.from_text(owner or "."), 0, "IN", rdtype, records)


def root_anchors() -> TrustAnchors:
    """The built-in anchors, as `parse_anchors` reads their text (a test holds the two to
    the same records), without dnspython: every `check` needs these, and neither dns.zone
    (~25 ms of start-up) nor dnspython's rdata parsing (~30 ms) is needed before a signed
    answer has to be validated."""
    records = tuple(sorted(line.split(" DS ", 1)[1] for line in ROOT_ANCHORS))
    return TrustAnchors({"": records}, {}, ROOT_DESCRIPTION)


def load_anchors(path: str | Path) -> TrustAnchors:
    """Read a `--trust-anchor` file. Raises `TrustAnchorError` with the reason."""
    p = Path(path)
    try:
        if p.stat().st_size > MAX_ANCHOR_BYTES:
            raise TrustAnchorError(str(p), Phrase("error.trust-anchor.too-large"))
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise TrustAnchorError(str(p), os_reason(exc)) from None
    except UnicodeDecodeError:
        raise TrustAnchorError(str(p), Phrase("error.reason.not-utf8")) from None
    return parse_anchors(text, str(p), path=str(p))


def parse_anchors(text: str, description: str, path: str = "<built-in>") -> TrustAnchors:
    import dns.exception
    import dns.name
    import dns.rdatatype
    import dns.zone  # only for a --trust-anchor file (start-up: see root_anchors)

    from mailauth.dns.answer import name_text

    try:
        zone = dns.zone.from_text(  # a default TTL: anchor files seldom write one
            f"$TTL {_DEFAULT_TTL}\n" + text,
            origin=dns.name.root,
            relativize=False,
            check_origin=False,
        )
    except (dns.exception.DNSException, ValueError) as exc:
        from mailauth.dns.zone_syntax import syntax_code  # dnspython's words as codes

        code, params = syntax_code(str(exc).rpartition(": ")[2] or str(exc))
        raise TrustAnchorError(path, Phrase(f"error.zone.{code}", params)) from None
    ds: dict[str, tuple[str, ...]] = {}
    dnskey: dict[str, tuple[str, ...]] = {}
    for owner, rdataset in zone.iterate_rdatasets():
        target = {dns.rdatatype.DS: ds, dns.rdatatype.DNSKEY: dnskey}.get(rdataset.rdtype)
        if target is None:
            continue
        target[name_text(owner)] = tuple(sorted(str(rd.to_text()) for rd in rdataset))
    if not ds and not dnskey:
        raise TrustAnchorError(path, Phrase("error.trust-anchor.empty"))
    return TrustAnchors(ds, dnskey, description)

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
    import dns.name
    import dns.rrset

ROOT_ANCHORS = (
    ". IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D",
    ". IN DS 38696 8 2 683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16",
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
    """DS and DNSKEY RRsets by owner name; `description` says where they came from."""

    ds: dict[dns.name.Name, dns.rrset.RRset]
    dnskey: dict[dns.name.Name, dns.rrset.RRset]
    description: str

    def closest(self, name: dns.name.Name) -> dns.name.Name | None:
        """The deepest anchored name at or above `name`."""
        owners = [o for o in (*self.ds, *self.dnskey) if name.is_subdomain(o)]
        return max(owners, key=len, default=None)


def root_anchors() -> TrustAnchors:
    """The built-in anchors, as `parse_anchors` reads their text (a test holds the two to
    the same RRset), without dnspython's zone reader: every `check` needs these, and
    dns.zone costs ~25 ms of start-up that a live check otherwise does not pay."""
    import dns.name
    import dns.rrset

    rdatas = [line.split(" DS ", 1)[1] for line in ROOT_ANCHORS]
    rrset = dns.rrset.from_text(dns.name.root, 0, "IN", "DS", *rdatas)  # TTL 0 as below
    return TrustAnchors({dns.name.root: rrset}, {}, ROOT_DESCRIPTION)


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
    import dns.rdataclass
    import dns.rdatatype
    import dns.rrset
    import dns.zone  # only for a --trust-anchor file (start-up: see root_anchors)

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
    ds: dict[dns.name.Name, dns.rrset.RRset] = {}
    dnskey: dict[dns.name.Name, dns.rrset.RRset] = {}
    for owner, rdataset in zone.iterate_rdatasets():
        target = {dns.rdatatype.DS: ds, dns.rdatatype.DNSKEY: dnskey}.get(rdataset.rdtype)
        if target is None:
            continue
        rrset = dns.rrset.RRset(owner, dns.rdataclass.IN, rdataset.rdtype)
        for rdata in rdataset:
            rrset.add(rdata)
        target[owner] = rrset
    if not ds and not dnskey:
        raise TrustAnchorError(path, Phrase("error.trust-anchor.empty"))
    return TrustAnchors(ds, dnskey, description)

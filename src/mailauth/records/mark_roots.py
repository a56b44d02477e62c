"""The Mark Verifying Authority roots a mark certificate chain must end at.

Shipped in `mailauth/data/mark_roots/` (see the README there for which roots and why). A
root may be `apple_distrusted`: chains to it still verify (Gmail shows such logos while the
certificate is valid), but the report says Apple Mail will not. Tests inject their own
`MarkRoot`s; nothing here is fetched.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from cryptography import x509

from mailauth.frozen import frozen

_APPLE_DISTRUSTED = frozenset({"entrust-verified-mark-root-vmcr1.pem"})


@frozen
class MarkRoot:
    name: str  # the root's common name, as shown in the report
    certificate: x509.Certificate
    apple_distrusted: bool = False
    shipped: bool = True  # False: injected (tests, --mark-roots style private roots)


def _common_name(cert: x509.Certificate) -> str:
    names = cert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    value = names[0].value if names else cert.subject.rfc4514_string()
    return value if isinstance(value, str) else value.decode("utf-8", "replace")


def root_from_pem(pem: bytes, *, shipped: bool = False) -> MarkRoot:
    """A root to trust besides the shipped ones (tests, a private pilot)."""
    cert = x509.load_pem_x509_certificate(pem)
    return MarkRoot(_common_name(cert), cert, shipped=shipped)


@cache
def shipped_roots() -> tuple[MarkRoot, ...]:
    folder = resources.files("mailauth") / "data" / "mark_roots"
    roots = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".pem"):
            cert = x509.load_pem_x509_certificate(entry.read_bytes())
            distrusted = entry.name in _APPLE_DISTRUSTED
            roots.append(MarkRoot(_common_name(cert), cert, apple_distrusted=distrusted))
    return tuple(roots)

"""Domain names as people and messages write them, turned into the one spelling DNS uses.

`to_alabel` is the only IDNA conversion in mailauth: IDNA 2008 with UTS #46 mapping, what
browsers and mail clients do, so `faß.de` is `xn--fa-hia.de` (IDNA 2003 would map it to
`fass.de`, another domain) whether it was typed after `mailauth check`, written in a From
header or asked of the DNS layer.

`normalize_domain` is the user-input gate in front of it: checks get an A-label, lower-case,
without the trailing dot (see `CheckOptions`' contract), so `日本語.jp`, `ＥＸＡＭＰＬＥ．ｊｐ` and
`Example.JP.` all mean the same domain. Anything that cannot be a mail domain is refused
there, before a single query, with a reason the user can act on.
"""

from __future__ import annotations

import ipaddress
import re
from types import ModuleType

from mailauth.errors import InputError

# RFC 1035 §2.3.4: 63 octets per label, 255 per name on the wire = 253 in text without the dot.
MAX_LABEL = 63
MAX_NAME = 253

# RFC 952/1123 LDH rule for host names; mail domains follow it (RFC 5321 §4.1.2 Domain).
_LDH = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?")


def to_alabel(name: str) -> str:
    """`name` (without a trailing dot) in lower-case A-labels: IDNA 2008 with UTS #46 mapping
    (full-width letters, upper case) for a name that is not ASCII; an ASCII name is only
    lower-cased. Raises `idna.IDNAError`, a `UnicodeError`, when a label cannot be encoded."""
    if name.isascii():
        return name.lower()
    encoded: bytes = _idna().encode(name, uts46=True, std3_rules=True)
    return encoded.decode("ascii").lower()


def normalize_domain(text: str) -> str:
    """`text` as an A-label domain, lower-case, no trailing dot; raises `InputError` if unusable.

    Unicode input goes through `to_alabel` (IDNA 2008 with UTS #46 mapping, which is what
    browsers and mail clients do with a typed name).
    """
    shown = text.strip()
    name = shown[:-1] if shown.endswith(".") else shown
    if not name:
        raise InputError("error.domain.empty")
    if _is_ip_address(name):
        raise InputError("error.domain.ip-address", name=shown)
    if "_" in name:
        # Underscore labels are service names (_dmarc, _domainkey), never a sending domain.
        raise InputError("error.domain.underscore", name=shown)
    ascii_name = _to_alabels(name, shown)
    labels = ascii_name.split(".")
    for lbl in labels:
        _check_label(lbl, shown)
    if len(ascii_name) > MAX_NAME:
        raise InputError("error.domain.name-too-long", name=_clip(shown), length=len(ascii_name))
    if len(labels) < 2:
        raise InputError("error.domain.single-label", name=shown)
    if labels[-1].isdigit():
        # RFC 3696 §2: a top-level domain is never all-numeric.
        raise InputError("error.domain.numeric-tld", name=shown)
    return ascii_name


def to_unicode(domain: str) -> str:
    """The U-label spelling of an A-label domain, for showing to people; unchanged if not IDN."""
    if "xn--" not in domain:
        return domain
    idna = _idna()
    try:
        return str(idna.decode(domain))
    except idna.IDNAError:
        return domain


_DOMAIN_SHAPE = re.compile(r"[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)+\.?")


def display_name(value: str) -> str:
    """A value shown to people in a text report: a domain name (or `local@domain`, or a
    list "a, b") with A-labels is spelled with U-labels (ショップ.jp, issue 14), label by
    label so `_dmarc.xn--...` keeps its underscore label. Anything else (a record, a URL, a
    header) is returned unchanged: what is published and copied keeps its A-labels."""
    if "xn--" not in value:
        return value
    if ", " in value:
        return ", ".join(display_name(part) for part in value.split(", "))
    local, at, domain = value.rpartition("@")
    if not _DOMAIN_SHAPE.fullmatch(domain) or (at and not local) or " " in local:
        return value
    shown = ".".join(to_unicode(x) if x.startswith("xn--") else x for x in domain.split("."))
    return f"{local}{at}{shown}"


def _to_alabels(name: str, shown: str) -> str:
    try:
        return to_alabel(name)
    except UnicodeError as exc:
        if not isinstance(exc, _idna().IDNAError):
            raise
        raise InputError("error.domain.invalid-idn", name=_clip(shown)) from exc


def _check_label(lbl: str, shown: str) -> None:
    if not lbl:
        raise InputError("error.domain.empty-label", name=_clip(shown))
    if len(lbl) > MAX_LABEL:
        raise InputError("error.domain.label-too-long", name=_clip(shown), length=len(lbl))
    if lbl.startswith("-") or lbl.endswith("-"):
        raise InputError("error.domain.hyphen", name=_clip(shown))
    if not _LDH.fullmatch(lbl):
        raise InputError("error.domain.invalid-character", name=_clip(shown))
    if lbl.startswith("xn--"):
        idna = _idna()
        try:
            idna.decode(lbl)
        except idna.IDNAError as exc:
            raise InputError("error.domain.invalid-idn", name=_clip(shown)) from exc


def _idna() -> ModuleType:
    """The `idna` package, imported on first use: an ASCII name without `xn--` labels, what
    nearly every run sees, never needs it (~1 % of a `mailauth verify` command's start-up,
    issue 10)."""
    import idna

    return idna


def _is_ip_address(name: str) -> bool:
    candidate = name[1:-1] if name.startswith("[") and name.endswith("]") else name
    try:
        ipaddress.ip_address(candidate)
    except ValueError:
        return False
    return True


def _clip(text: str, limit: int = 80) -> str:
    """Long garbage is echoed shortened, so the error stays one readable line."""
    return text if len(text) <= limit else text[: limit - 3] + "..."

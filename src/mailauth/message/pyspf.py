"""pyspf (`spf`), imported without importing dnspython's stub resolver for it.

pyspf imports `dns.resolver` when it is imported, for its own `DNSLookup`. mailauth never
calls that: `TracingQuery` (message/spfquery.py) overrides pyspf's DNS hook and asks our
DnsSource. Yet `dns.resolver` drags in dnspython's whole query stack (dns._ddr,
dns.nameserver, dns.asyncquery, dns.query, dns.quic...), ~40 ms of CPU that was the largest
single import of a `mailauth verify` start after dkimpy (bench/startup.py).

So while pyspf is imported, `dns.resolver` is a placeholder module (mailauth/deferred.py)
that imports the real one on first attribute access and then behaves as it: pyspf's own
lookup (for a library user who calls `spf.check2` directly) and any other code that reached
the placeholder still work. The
placeholder leaves `sys.modules` when pyspf's import is done, so a later `import dns.resolver`
anywhere loads the real module as usual. If the real module is already loaded, nothing is
replaced.

Two more modules pyspf's import reads and mailauth's use of it never needs are deferred the
same way (~16 M of a verify command's ~490 M instructions, issue 10):
- `dns.rdatatype` (dnspython's type table, ~11 M): pyspf only asks whether it has `SPF`
  (type 99) to patch it in; the placeholder answers 99, the real module's value.
- `email.message` (~5 M): pyspf binds `Message`, used only to read a Received-SPF header
  (`query.parse_header`); the placeholder's `Message` makes the real one when called.
"""

from __future__ import annotations

import sys
from typing import Any

import dns.exception  # noqa: F401 - what pyspf's import reads besides the deferred modules

from mailauth.deferred import Deferred, deferred_while

_RESOLVER = "dns.resolver"
_RDATATYPE = "dns.rdatatype"
_MESSAGE = "email.message"
_SPF_TYPE = 99  # RFC 4408's SPF record type, dnspython's `dns.rdatatype.SPF`


class _Message:
    """`email.message.Message` for pyspf, made when called: an instance is a real one."""

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        from email.message import Message

        return Message(*args, **kwargs)


def _load() -> Any:
    if "spf" in sys.modules:
        import spf

        return spf
    import dns

    placeholders = {
        _RESOLVER: Deferred(_RESOLVER),
        _RDATATYPE: Deferred(_RDATATYPE, SPF=_SPF_TYPE),
        _MESSAGE: Deferred(_MESSAGE, Message=_Message),
    }
    with deferred_while(placeholders) as placed:
        for name in (_RESOLVER, _RDATATYPE):  # pyspf reads them as attributes of the package
            if name in placed:
                setattr(dns, name.split(".")[1], placed[name])
        import spf
    return spf


spf = _load()

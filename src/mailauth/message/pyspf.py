"""pyspf (`spf`), imported without importing dnspython's stub resolver for it.

pyspf imports `dns.resolver` when it is imported, for its own `DNSLookup`. mailauth never
calls that: `TracingQuery` (message/spfquery.py) overrides pyspf's DNS hook and asks our
DnsSource. Yet `dns.resolver` drags in dnspython's whole query stack (dns._ddr,
dns.nameserver, dns.asyncquery, dns.query, dns.quic...), ~40 ms of CPU that was the largest
single import of a `mailauth verify` start after dkimpy (bench/startup.py).

So while pyspf is imported, `dns.resolver` is a placeholder module that imports the real one
on first attribute access and then behaves as it: pyspf's own lookup (for a library user who
calls `spf.check2` directly) and any other code that reached the placeholder still work. The
placeholder leaves `sys.modules` when pyspf's import is done, so a later `import dns.resolver`
anywhere loads the real module as usual. If the real module is already loaded, nothing is
replaced.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

import dns.exception  # what pyspf's import reads besides dns.resolver
import dns.rdatatype  # noqa: F401

_NAME = "dns.resolver"


class _DeferredResolver(types.ModuleType):
    """Stands for `dns.resolver` until something uses it."""

    def __getattr__(self, name: str) -> Any:
        if sys.modules.get(_NAME) is self:
            del sys.modules[_NAME]
        real = importlib.import_module(_NAME)  # sets dns.resolver on the package, too
        return getattr(real, name)


def _load() -> Any:
    if "spf" in sys.modules or _NAME in sys.modules:
        import spf

        return spf
    import dns

    placeholder = _DeferredResolver(_NAME)
    sys.modules[_NAME] = placeholder
    dns.resolver = placeholder  # type: ignore[attr-defined]
    try:
        import spf
    finally:
        if sys.modules.get(_NAME) is placeholder:
            del sys.modules[_NAME]
    return spf


spf = _load()

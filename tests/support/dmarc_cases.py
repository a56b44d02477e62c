"""DNS data of the vendored DMARC cases (tests/data/conformance/dmarc) as a MemorySource.

Shared by the conformance runner and the tree-walk unit tests, which read the same cases.
Format: name -> {TYPE: [values]} or {TYPE: {"error": NODATA|TIMEOUT|SERVFAIL}}; MX values are
{priority, exchange}; unlisted names are NXDOMAIN.
"""

from __future__ import annotations

from typing import Any

from mailauth.dns.interface import Rcode
from mailauth.dns.memory import MemorySource

_ERRORS = {"TIMEOUT": Rcode.TIMEOUT, "SERVFAIL": Rcode.SERVFAIL}


def case_dns(data: dict[str, dict[str, Any]]) -> MemorySource:
    records: dict[str, dict[str, list[Any]]] = {}
    failures: dict[tuple[str, str], Rcode] = {}
    for name, types in data.items():
        for rdtype, value in types.items():
            if isinstance(value, dict) and "error" in value:
                if value["error"] == "NODATA":
                    records.setdefault(name, {})
                else:
                    failures[(name, rdtype)] = _ERRORS[value["error"]]
            elif rdtype == "MX":
                mx = [f"{v['priority']} {v['exchange']}" for v in value]
                records.setdefault(name, {})["MX"] = mx
            else:
                records.setdefault(name, {})[rdtype] = list(value)
    return MemorySource(records, failures)

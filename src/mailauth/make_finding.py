"""`finding(id, **params)` for the modules that make findings only on some runs.

`mailauth.findings.finding` needs the catalogue (findings/catalogue.py: its classes, the
section registry, the templates' fields), which a `mailauth verify` of a message with no
finding never reads: importing it with the message judges cost ~1 % of that command's
start-up (issue 10). This `finding` imports it when the first finding is made.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mailauth.model import Finding


def finding(id: str, /, **params: Any) -> Finding:
    """`mailauth.findings.finding(id, **params)` (severity=, fix_record= included)."""
    from mailauth.findings.catalogue import finding as make

    return make(id, **params)

"""mailauth: why mail from a domain may land in spam, with evidence and the fix.

Public API (stable): the result vocabularies in `mailauth.model`, the DNS interface in
`mailauth.dns`, and the entry points added by the domain and message packages.
"""

from mailauth.model import CheckReport, Finding, Result, Severity, Status

__version__ = "0.1.0"

__all__ = ["CheckReport", "Finding", "Result", "Severity", "Status", "__version__"]

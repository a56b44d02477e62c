"""mailauth: why mail from a domain may land in spam, with evidence and the fix.

Public API (stable)::

    import asyncio
    from mailauth import check_domain
    from mailauth.dns.factory import build_source

    report = asyncio.run(check_domain(build_source(zone_paths=["samples/zones"]), "example.jp"))
    print(report.score.grade, [f.id for f in report.findings])

    report = asyncio.run(verify_message(open("message.eml", "rb").read(), source))
    print(report.dmarc.result, [s.result for s in report.dkim])

The result vocabularies live in `mailauth.model`, the DNS interface in `mailauth.dns`.
Everything else is internal and may change.
"""

from mailauth.domain.context import CheckOptions
from mailauth.domain.runner import DomainReport, check_domain, check_domains, normalize_domain
from mailauth.errors import InputError, MailauthError
from mailauth.message import MessageInputError, MessageReport, VerifyOptions, verify_message
from mailauth.model import CheckReport, Finding, Result, Severity, Status
from mailauth.scoring import Deduction, ScoreCard, score

__version__ = "0.1.0"

__all__ = [
    "CheckOptions",
    "CheckReport",
    "Deduction",
    "DomainReport",
    "Finding",
    "InputError",
    "MailauthError",
    "MessageInputError",
    "MessageReport",
    "Result",
    "ScoreCard",
    "Severity",
    "Status",
    "VerifyOptions",
    "__version__",
    "check_domain",
    "check_domains",
    "normalize_domain",
    "score",
    "verify_message",
]

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

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# PEP 562: each public name is imported from its module on first use, so `import mailauth`
# (and `mailauth --version`, `--help`) loads no check code, dnspython, dkimpy or pyspf.
_SOURCES: dict[str, str] = {
    "CheckOptions": "mailauth.domain.context",
    "CheckReport": "mailauth.model",
    "Deduction": "mailauth.scoring",
    "DomainReport": "mailauth.domain.runner",
    "Finding": "mailauth.model",
    "InputError": "mailauth.errors",
    "MailauthError": "mailauth.errors",
    "MessageInputError": "mailauth.message",
    "MessageReport": "mailauth.message",
    "Result": "mailauth.model",
    "ScoreCard": "mailauth.scoring",
    "Severity": "mailauth.model",
    "Status": "mailauth.model",
    "VerifyOptions": "mailauth.message",
    "check_domain": "mailauth.domain.runner",
    "check_domains": "mailauth.domain.runner",
    "normalize_domain": "mailauth.domain.names",
    "score": "mailauth.scoring",
    "verify_message": "mailauth.message",
}

if TYPE_CHECKING:
    from mailauth.domain.context import CheckOptions
    from mailauth.domain.names import normalize_domain
    from mailauth.domain.runner import DomainReport, check_domain, check_domains
    from mailauth.errors import InputError, MailauthError
    from mailauth.message import MessageInputError, MessageReport, VerifyOptions, verify_message
    from mailauth.model import CheckReport, Finding, Result, Severity, Status
    from mailauth.scoring import Deduction, ScoreCard, score


def __getattr__(name: str) -> Any:
    source = _SOURCES.get(name)
    if source is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(source), name)
    globals()[name] = value  # later uses are a plain attribute lookup
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


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

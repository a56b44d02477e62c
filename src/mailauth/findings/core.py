"""Findings about mailauth itself rather than about the domain's records."""

from __future__ import annotations

from mailauth.findings.catalogue import Protocol, Scope, Section
from mailauth.model import Severity

define = Section("core", Scope.TOOL, Protocol.MAILAUTH).define

define(
    "core.internal-error",
    Severity.INFO,
    title="The {check} check could not be completed (internal error)",
    detail=(
        "mailauth hit an unexpected error while checking {check}: {error}. "
        "This is a bug in mailauth, not a problem with your DNS records."
    ),
    consequence=(
        "The {check} part of this report is missing, so the score and grade do not cover it "
        "and no verdict is given for it."
    ),
    fix=(
        "Run the command again with --debug and report the traceback to the mailauth "
        "developers; the other checks in this report are still valid."
    ),
    references=(),
    scored=False,
)

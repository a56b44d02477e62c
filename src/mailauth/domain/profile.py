"""A survey profile: run only some of the registry's checks (`mailauth check --checks`).

A bulk survey that needs SPF, DMARC and MX need not pay for BIMI, MTA-STS, DNSSEC or the
DKIM probes. The checks left out are not dropped from the report: each keeps its place and
JSON key (the published schema requires every check) as a `CheckSkipped`, which asks no
query, has no findings and marks the report incomplete, so the score is an upper bound and
the grade provisional rather than silently raised by checks nobody looked at.

No check reads another check's result while it runs (each asks DNS for what it needs, e.g.
BIMI looks up DMARC itself); the one post-check stage that joins two reports (the SMTP probe
against the MTA-STS policy, `domain/smtp_mta_sts.py`) simply leaves the probe unjudged when
MTA-STS was skipped. So any subset is valid and no check is added implicitly.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from mailauth.domain.context import CheckContext
from mailauth.domain.registry import DOMAIN_CHECKS, CheckSpec
from mailauth.domain.results import CheckResult
from mailauth.model import CheckSkipped

ALL = "all"
# Checks that look at nothing unless asked (`smtp` without `--smtp`: `SmtpReport.requested`
# false, `ran` False). Left out by a profile they report as they do when not asked, so a
# run without `--smtp` says the same of `smtp` with or without `--checks`; with `--smtp`
# they are skipped like any other.
OPT_IN = frozenset({"smtp"})


def check_names() -> tuple[str, ...]:
    """The names `--checks` accepts, in report order."""
    return tuple(spec.name for spec in DOMAIN_CHECKS)


class UnknownChecks(ValueError):
    """Names that are not checks of the registry."""

    def __init__(self, unknown: tuple[str, ...]) -> None:
        super().__init__(", ".join(unknown))
        self.unknown = unknown


def parse_checks(value: str | Iterable[str]) -> frozenset[str] | None:
    """`spf,dmarc,mx` (or a list of names) -> the names; None for every check (`all`, or
    empty). Case and spaces do not matter; an unknown name raises `UnknownChecks`."""
    items = value.split(",") if isinstance(value, str) else list(value)
    names = [str(n).strip().lower().replace("-", "_") for n in items]
    names = [n for n in names if n]
    if not names or ALL in names:
        return None
    valid = set(check_names())
    unknown = tuple(dict.fromkeys(n for n in names if n not in valid))
    if unknown:
        raise UnknownChecks(unknown)
    return frozenset(names)


def _skip(spec: CheckSpec) -> CheckSpec:
    async def run(ctx: CheckContext, domain: str) -> CheckResult:  # looks at nothing
        if spec.name in OPT_IN and ctx.options.smtp is None:
            return await spec.run(ctx, domain)  # not asked: returns at once, no query
        return CheckSkipped(check=spec.name)

    # Nor anything early: the runner starts a check's prefetch lookups with it (a skipped
    # DMARC check had its tree walk asked all the same).
    return replace(spec, run=run, prefetch=None)


def select(wanted: frozenset[str] | None) -> tuple[CheckSpec, ...]:
    """The registry with the checks not `wanted` replaced by skipped ones (same order, same
    caps); the registry itself when every check is wanted (None)."""
    if wanted is None or wanted >= set(check_names()):
        return DOMAIN_CHECKS
    return tuple(spec if spec.name in wanted else _skip(spec) for spec in DOMAIN_CHECKS)

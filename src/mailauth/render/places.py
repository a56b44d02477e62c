"""Where each finding of a report is, for the formats that point at things (SARIF, GitHub
annotations, JUnit): the check it belongs to, the DNS record it is about, and, when the run
read zone files, the file and line of that record.

Written once against `Reportable`: a domain report's findings are about DNS records (named
per check, or by the finding's own `name` parameter when it has one: a DKIM selector's
record, an include's SPF record); a message report's are about its file. What the record of
a check is, is an exhaustive `match` over the report union, so a new check type fails mypy
here until it says where its record lives.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from mailauth.dns.origins import RecordLocator, RecordOrigin
from mailauth.frozen import frozen
from mailauth.model import Finding, Severity
from mailauth.render.interface import Reportable, assert_never

if TYPE_CHECKING:
    from mailauth.domain.results import CheckResult
    from mailauth.domain.runner import DomainReport


@frozen
class Place:
    """A finding's location. `record`: (name, type) of the DNS record it is about (None for a
    message); `origin`: the file and line to point at, when there is a file."""

    record: tuple[str, str] | None
    origin: RecordOrigin | None

    @property
    def logical(self) -> str:
        """The record as people write it: `_dmarc.example.jp TXT`."""
        if self.record is None:
            return ""
        return f"{self.record[0]} {self.record[1]}"


@frozen
class Located:
    """One finding of one report with its check and place."""

    target: str
    check: str
    finding: Finding
    place: Place


def located(report: Reportable, locator: RecordLocator | None) -> list[Located]:
    """The findings of `report`, worst first, each with its check and place."""
    from mailauth.domain.runner import DomainReport
    from mailauth.message.report import MessageReport

    if isinstance(report, DomainReport):
        out = []
        for check, f in report.located_findings():
            record = _record(report, check, f)
            out.append(Located(report.target, check, f, Place(record, _origin(record, locator))))
        return out
    if isinstance(report, MessageReport):
        file = None if report.file in ("-", "<stdin>") else RecordOrigin(report.file, 1)
        return [Located(report.target, f.check, f, Place(None, file)) for f in report.findings]
    return [Located(report.target, f.check, f, Place(None, None)) for f in report.findings]


def cases(report: Reportable) -> list[tuple[str, Sequence[Finding], bool]]:
    """The checks a report ran, in report order, with their findings and whether the check
    gave no verdict (ERROR): JUnit's test cases. A domain report's checks are its registry
    checks (and the existence stage when it ran); a message report's are the message sections
    of the catalogue."""
    from mailauth.domain.runner import DomainReport
    from mailauth.findings.catalogue import CATALOGUE, Scope
    from mailauth.model import Status

    pairs = (
        report.located_findings()
        if isinstance(report, DomainReport)
        else [(f.check, f) for f in report.findings]
    )
    names: list[str] = []
    errors: set[str] = set()
    if isinstance(report, DomainReport):
        if report.existence is not None:
            names.append("domain")
        names += list(report.checks)
        errors = {n for n, r in report.checks.items() if r.status is Status.ERROR}
    else:
        sections = {e.section.name for e in CATALOGUE.values() if e.section.scope is Scope.MESSAGE}
        names = sorted(sections)
    names += sorted({c for c, _ in pairs} - set(names))
    return [(n, [f for c, f in pairs if c == n], n in errors) for n in names]


def _origin(record: tuple[str, str] | None, locator: RecordLocator | None) -> RecordOrigin | None:
    if record is None or locator is None:
        return None
    return locator.locate(*record) or locator.zone_file_of(record[0])


def _record(report: object, check: str, f: Finding) -> tuple[str, str]:
    """The DNS record a domain finding is about."""
    from mailauth.domain.runner import DomainReport

    assert isinstance(report, DomainReport)
    named = f.params.get("name")
    rdtype = f.params.get("rdtype")
    if isinstance(named, str) and named and "." in named and " " not in named:
        return named.rstrip(".").lower(), rdtype if isinstance(rdtype, str) else "TXT"
    return _check_record(report, check)


def check_place(report: Reportable, check: str, locator: RecordLocator | None) -> Place:
    """Where a finding of `check` would stand, with no finding at hand: one resolved since a
    baseline (SARIF's `absent` results) is placed at the record its check reads now."""
    from mailauth.domain.runner import DomainReport

    if not isinstance(report, DomainReport):
        return Place(None, None)
    record = _check_record(report, check)
    return Place(record, _origin(record, locator))


def _check_record(report: DomainReport, check: str) -> tuple[str, str]:
    result = report.checks.get(check)
    if result is None:  # the existence stage, or a check that did not run
        return report.domain, "SOA"
    return check_record(result, report.domain)


def check_record(result: CheckResult, domain: str) -> tuple[str, str]:
    """The record a check reads: where a missing one would be published."""
    from mailauth.domain.bimi import BimiReport
    from mailauth.domain.dane import DaneReport
    from mailauth.domain.dkim import DkimReport
    from mailauth.domain.dmarc import DmarcReport
    from mailauth.domain.dnssec import DnssecReport
    from mailauth.domain.mta_sts import MtaStsReport
    from mailauth.domain.mx import MxReport
    from mailauth.domain.ns import NsReport
    from mailauth.domain.smtp import SmtpReport
    from mailauth.domain.spf import SpfReport
    from mailauth.domain.tls_rpt import TlsRptReport
    from mailauth.model import CheckFailed, CheckSkipped

    match result:
        case SpfReport():
            return domain, "TXT"
        case DmarcReport():
            return (result.discovery.location or f"_dmarc.{domain}"), "TXT"
        case DkimReport():
            found = [s.name for s in result.selectors]
            return (found[0] if found else f"_domainkey.{domain}"), "TXT"
        case BimiReport():
            return (result.location or f"{result.selector}._bimi.{domain}"), "TXT"
        case MxReport():
            return domain, "MX"
        case MtaStsReport():
            return (result.name or f"_mta-sts.{domain}"), "TXT"
        case TlsRptReport():
            return (result.name or f"_smtp._tls.{domain}"), "TXT"
        case DnssecReport():
            return (result.zone or domain), "DNSKEY"
        case DaneReport():
            return (result.hosts[0].name if result.hosts else domain), (
                "TLSA" if result.hosts else "MX"
            )
        case SmtpReport():
            return domain, "MX"
        case NsReport():
            return domain, "NS"
        case CheckFailed() | CheckSkipped():
            return domain, "TXT"
        case _:
            assert_never(result)


def workspace_path(path: str) -> str | None:
    """`path` relative to the working directory, with / separators (what GitHub matches
    against the checkout); None when the file is outside it."""
    p = Path(path)
    if p.is_absolute():
        try:
            p = p.relative_to(Path.cwd())
        except ValueError:
            return None
    normal = Path(os.path.normpath(p))
    if normal.parts[:1] == ("..",):
        return None
    return PurePosixPath(*normal.parts).as_posix()


# SARIF / GitHub annotation levels (GitHub shows error, warning, note/notice).
def level(severity: Severity) -> str:
    """`error` for critical and high, `warning` for medium, `note` for low and info."""
    if severity in (Severity.CRITICAL, Severity.HIGH):
        return "error"
    if severity is Severity.MEDIUM:
        return "warning"
    return "note"

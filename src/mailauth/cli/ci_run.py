"""What `mailauth check` does beside the checks in CI (issue 13), report by report: add the
unmet expectations, compare with the baseline, judge the report (the threshold, or with
--fail-on-new only regressions), and with --save-zone record the DNS answers and write them
as zone files at the end.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import field
from typing import TYPE_CHECKING

import click

from mailauth.cli.ci_options import CiSettings
from mailauth.cli.localize import language
from mailauth.cli.options import DnsSettings
from mailauth.config import Config
from mailauth.dns.cache import CachingSource
from mailauth.dns.interface import DnsSource
from mailauth.domain.policy import Policy
from mailauth.errors import InputError, os_reason
from mailauth.expectations import Expectations
from mailauth.frozen import mutable
from mailauth.i18n import label
from mailauth.scoring import Threshold

# --baseline and --save-zone only; the checks (DomainReport) load once a single domain's
# first lookups are out (domain/first_round.py). Issue 10, start-up.
if TYPE_CHECKING:
    from mailauth.baseline import Baseline, Changes
    from mailauth.dns.recording import RecordingSource
    from mailauth.domain.runner import DomainReport


@mutable
class CiRun:
    """What one `check` run does beside the checks (the module docstring), with the baseline
    and the changes found so far. (A docstring also spares `@mutable` writing one from the
    signature, which would compile `__init__` at import: issue 10.)"""

    settings: CiSettings
    expect: Expectations
    policy: Policy
    threshold: Threshold
    baseline: Baseline | None
    changes: dict[str, Changes] | None
    recorder: RecordingSource | None = field(default=None)

    @classmethod
    def start(
        cls,
        ci: CiSettings,
        config: Config,
        policy: Policy,
        threshold: Threshold,
        dns: DnsSettings,
    ) -> CiRun:
        if ci.fail_on_new and ci.baseline is None:
            raise click.UsageError(label("cli.option.fail-on-new", language()))
        if ci.save_zone is not None and dns.zones:
            raise click.UsageError(label("error.save-zone-offline", language()))
        baseline = None
        if ci.baseline is not None:
            from mailauth.baseline import load_baseline

            baseline = load_baseline(ci.baseline)
        changes: dict[str, Changes] | None = {} if baseline is not None else None
        return cls(ci, config.expect, policy, threshold, baseline, changes)

    def source(self, build: Callable[[], DnsSource]) -> DnsSource:
        """The run's DNS source; with --save-zone, recording what reaches the network."""
        source = build()
        if self.settings.save_zone is not None and isinstance(source, CachingSource):
            from mailauth.dns.recording import RecordingSource

            self.recorder = RecordingSource(source.inner)
            source.inner = self.recorder
        return source

    def prepare(self, report: DomainReport) -> DomainReport:
        if self.expect:
            from mailauth.domain.expect import with_expectations  # imports the checks

            report = with_expectations(report, self.expect, self.policy)
        if self.baseline is not None and self.changes is not None:
            from mailauth.render.json import domain_json

            self.changes[report.target] = self.baseline.compare(domain_json(report))
        return report

    def fails(self, report: DomainReport) -> bool:
        if self.settings.fail_on_new and self.changes is not None:
            new = set(self.changes[report.target].new)
            level = self.threshold.fail_on
            return any(
                f.id in new and (level is None or f.severity.at_least(level))
                for f in report.findings
            )
        judged = self.threshold.fails(report.score, report.findings, complete=report.complete)
        return judged or bool(report.expectations)

    def finish(self) -> None:
        if self.recorder is None or self.settings.save_zone is None:
            return
        from mailauth.dns.recording import write_zones

        try:
            write_zones(self.recorder.answers, self.settings.save_zone)
        except OSError as exc:
            path = str(self.settings.save_zone)
            raise InputError("error.save-zone", path=path, reason=os_reason(exc)) from exc

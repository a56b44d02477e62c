"""Conformance runners: one pytest parameter per upstream case, and one summary line per suite.

Each test module names its suite in a module-level `SUITE` string (`spf-rfc7208`, `arc`,
`dkim`, `dmarc`, `psl`, ...). At the end of the run CI prints, per suite:

    conformance spf-rfc7208 (verify): 203/203 passed
    conformance arc (message): 171/173 passed, 2 known failures (tests/conformance/KNOWN.md)

A runner that sends each case through several of our code paths has a `path` parameter; its
cases are counted per path. Other tests of the module (table coverage checks, the domain-mode
lookup counter) are counted under the bare suite name.

Known failures are `xfail(strict=True)` with the reason from KNOWN.md, so a case that starts
passing (or one that fails for a new reason) is noticed; nothing is skipped silently.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

KNOWN_MD = "tests/conformance/KNOWN.md"

# Module state rather than config.stash: this conftest is loaded during collection, after
# non-historic hooks such as pytest_sessionstart have already run.
_SUITES: dict[str, str] = {}
_TALLY: dict[str, Counter[str]] = {}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        module = getattr(item, "module", None)
        suite = getattr(module, "SUITE", None)
        if suite and Path(str(item.fspath)).parent == Path(__file__).parent:
            params = getattr(getattr(item, "callspec", None), "params", {})
            path = params.get("path")  # runners that try several of our code paths
            _SUITES[item.nodeid] = f"{suite} ({path})" if isinstance(path, str) else suite
            item.add_marker(pytest.mark.conformance)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    suite = _SUITES.get(report.nodeid)
    outcome = _outcome(report) if suite else None
    if suite and outcome:
        _TALLY.setdefault(suite, Counter())[outcome] += 1


def _outcome(report: pytest.TestReport) -> str | None:
    """One word per test: counted once, at the phase that decided it."""
    if report.when == "call" or (report.when == "setup" and not report.passed):
        if hasattr(report, "wasxfail"):
            return "known" if report.skipped else "failed"  # strict xpass is a failure
        if report.passed:
            return "passed"
        if report.skipped:
            return "skipped"
        return "failed"
    if report.when == "teardown" and report.failed:
        return "failed"
    return None


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    tally = _TALLY
    if not tally:
        return
    terminalreporter.section("conformance")
    for suite in sorted(tally):
        counts = tally[suite]
        total = sum(counts.values())
        line = f"conformance {suite}: {counts['passed']}/{total} passed"
        extra = []
        if counts["known"]:
            extra.append(f"{counts['known']} known failures ({KNOWN_MD})")
        if counts["failed"]:
            extra.append(f"{counts['failed']} FAILED")
        if counts["skipped"]:
            extra.append(f"{counts['skipped']} skipped")
        if extra:
            line += ", " + ", ".join(extra)
        terminalreporter.write_line(line)

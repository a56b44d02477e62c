"""Exit codes, in one place (the CLI's contract with scripts and CI).

pip-audit's lesson: "found problems" and "could not run" must never share a code.
"""

from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    OK = 0  # ran; nothing fails the threshold (--fail-under / --fail-on)
    THRESHOLD_FAILED = 1  # ran; the result fails the threshold
    USAGE_ERROR = 2  # bad option, invalid domain, unreadable or invalid zone file / message
    NO_VERDICT = 3  # lookups failed (timeout, SERVFAIL, unreachable nameserver): no verdict


def decide(*, no_verdict: bool, threshold_failed: bool) -> ExitStatus:
    """A run that could not look everything up says so (3) before judging what it saw: a
    partial result that passes must not turn a CI job green, and one that fails is still
    worth re-running rather than fixing."""
    if no_verdict:
        return ExitStatus.NO_VERDICT
    if threshold_failed:
        return ExitStatus.THRESHOLD_FAILED
    return ExitStatus.OK

"""Exit codes, in one place (the CLI's contract with scripts and CI).

pip-audit's lesson: "found problems" and "could not run" must never share a code.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import IntEnum
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # the CLI imports this module at start; `--version` needs no scoring
    from mailauth.model import Finding, Result
    from mailauth.scoring import ScoreCard, Threshold


class ExitStatus(IntEnum):
    OK = 0  # ran; nothing fails the threshold (--fail-under / --fail-on)
    THRESHOLD_FAILED = 1  # ran; the result fails the threshold
    USAGE_ERROR = 2  # bad option, invalid domain, unreadable or invalid zone file / message
    NO_VERDICT = 3  # lookups failed (timeout, SERVFAIL, unreachable nameserver): no verdict


# Not verdicts: the run was cut short. The values a shell reports for a process killed by
# the signal (128 + signal number), so scripts see the same whether Python or the kernel
# ended it. A reader that closes the pipe early (`| head`) is not a failed threshold.
INTERRUPTED = 130  # 128 + SIGINT: Ctrl-C
BROKEN_PIPE = 141  # 128 + SIGPIPE: stdout closed before the report was written


class Scored(Protocol):
    """A report a threshold can judge (a domain report, a message report)."""

    @property
    def score(self) -> ScoreCard: ...

    @property
    def findings(self) -> Sequence[Finding]: ...


def decide(*, no_verdict: bool, threshold_failed: bool) -> ExitStatus:
    """A run that could not look everything up says so (3) before judging what it saw: a
    partial result that passes must not turn a CI job green, and one that fails is still
    worth re-running rather than fixing."""
    if no_verdict:
        return ExitStatus.NO_VERDICT
    if threshold_failed:
        return ExitStatus.THRESHOLD_FAILED
    return ExitStatus.OK


def judge(reports: Iterable[Scored], threshold: Threshold, *, no_verdict: bool) -> ExitStatus:
    """`decide` for a run of `check` or `verify`: any report failing the threshold fails it."""
    failed = any(threshold.fails(r.score, r.findings) for r in reports)
    return decide(no_verdict=no_verdict, threshold_failed=failed)


def spf_status(result: Result) -> ExitStatus:
    """`mailauth spf` has no score: pass is 0, temperror gives no verdict (3), any other
    result (fail, softfail, neutral, none, permerror) is the "problem found" status 1."""
    from mailauth.model import Result

    if result is Result.TEMPERROR:
        return ExitStatus.NO_VERDICT
    return ExitStatus.OK if result is Result.PASS else ExitStatus.THRESHOLD_FAILED

"""The runner takes a check already started by `head_start` (domain/first_round.py) only
when it is the very check it would run, awaits it instead of running it again, and treats
its failure as it treats any check's (issue 10: a single check's checks start as their code
loads)."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from mailauth.dns.memory import MemorySource
from mailauth.domain.context import CheckContext
from mailauth.domain.registry import DOMAIN_CHECKS
from mailauth.domain.results import CheckResult
from mailauth.domain.runner import _run_checks
from mailauth.model import CheckFailed, CheckSkipped, Status

SPEC = next(spec for spec in DOMAIN_CHECKS if spec.name == "tls_rpt")


def _run(started_result: object, *, same_function: bool = True) -> tuple[CheckResult, int]:
    """`_run_checks` over the TLS-RPT check alone, given a started task that returns (or
    raises) `started_result`; how many times the check's own coroutine ran."""
    calls = 0

    async def counted(ctx: CheckContext, domain: str) -> CheckResult:
        nonlocal calls
        calls += 1
        return await SPEC.run(ctx, domain)

    spec = replace(SPEC, run=counted)

    async def main() -> CheckResult:
        async def early() -> object:
            if isinstance(started_result, Exception):
                raise started_result
            return started_result

        task = asyncio.ensure_future(early())
        function = counted if same_function else SPEC.run
        ctx = CheckContext(MemorySource({}), eager=True)
        reports = await _run_checks(ctx, "example.jp", [spec], {spec.name: (function, task)})
        return reports[spec.name]

    return asyncio.run(main()), calls


def test_a_started_check_is_awaited_not_run_again() -> None:
    sentinel = CheckSkipped(check=SPEC.name)
    result, calls = _run(sentinel)
    assert result is sentinel and calls == 0


def test_a_started_stand_in_is_not_taken() -> None:
    """A task started from another function (a stand-in, as for a check left out) is left alone:
    the runner runs its own."""
    sentinel = CheckSkipped(check=SPEC.name)
    result, calls = _run(sentinel, same_function=False)
    assert result is not sentinel and calls == 1


def test_a_started_check_that_raises_is_reported_as_any_failed_check() -> None:
    result, calls = _run(RuntimeError("bug"))
    assert calls == 0
    assert isinstance(result, CheckFailed) and result.status is Status.ERROR
    assert [f.id for f in result.findings] == ["core.internal-error"]

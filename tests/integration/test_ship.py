"""What ships for CI beside the CLI (issue 13): the pre-commit hook, the Dockerfile, and the
README's workflow, which must use this repository's action with inputs it declares."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from mailauth.cli.zone_lint import command_line, main

tomllib = pytest.importorskip("tomllib")  # Python 3.11+

REPO = Path(__file__).resolve().parents[2]
ZONES = REPO / "samples" / "zones"


def test_pre_commit_hook_runs_the_declared_console_script() -> None:
    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts[hook["entry"]] == "mailauth.cli.zone_lint:main"
    assert re.search(hook["files"], "zones/example.jp.zone")


def test_zone_lint_checks_forward_zones_and_loads_reverse_ones() -> None:
    good = str(ZONES / "example.jp.zone")
    reverse = str(ZONES / "2.0.192.in-addr.arpa.zone")
    assert command_line([good, reverse]) == [
        "check", "example.jp", "--zone", good, "--zone", reverse, "--fail-on", "high",
    ]  # fmt: skip
    assert command_line(["--fail-under", "90", good])[-2:] == ["--fail-under", "90"]


@pytest.mark.parametrize(("zone", "status"), [("example.jp.zone", 0), ("broken.example.zone", 1)])
def test_zone_lint_exit_status(zone: str, status: int) -> None:
    with pytest.raises(SystemExit) as exited:
        main([str(ZONES / zone)])
    assert exited.value.code == status


def test_zone_lint_with_only_reverse_zones_passes() -> None:
    with pytest.raises(SystemExit) as exited:
        main([str(ZONES / "2.0.192.in-addr.arpa.zone")])
    assert exited.value.code == 0


def test_dockerfile_runs_mailauth_without_privileges() -> None:
    text = (REPO / "Dockerfile").read_text()
    users = re.findall(r"^USER\s+(\S+)", text, re.MULTILINE)
    assert users and users[-1] not in ("root", "0")
    assert 'ENTRYPOINT ["mailauth"]' in text


def test_readme_workflow_uses_the_action_with_declared_inputs() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", readme, re.DOTALL)
    workflows = [yaml.safe_load(b) for b in blocks if "jobs:" in b and "uses: actions/" in b]
    declared = yaml.safe_load((REPO / "action.yml").read_text())["inputs"]
    steps = [
        step
        for wf in workflows
        for job in wf["jobs"].values()
        for step in job.get("steps", [])
        if "mailauth@" in str(step.get("uses", ""))
    ]
    assert steps, "the README shows a workflow using the action"
    for step in steps:
        assert set(step.get("with", {})) <= set(declared)

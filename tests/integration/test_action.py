"""The GitHub Action's script, run the way the Action runs it: the `run:` of action.yml's
"Run mailauth" step, with the step's `env:` filled from inputs as GitHub would, executed by
`bash --noprofile --norc -eo pipefail` (GitHub's shell for `shell: bash`) with GITHUB_OUTPUT
and GITHUB_STEP_SUMMARY pointing at files, and `mailauth` on PATH running this checkout."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
ACTION = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
_INPUT = re.compile(r"^\$\{\{ inputs\.([a-z-]+) \}\}$")


def run_step() -> dict[str, object]:
    (step,) = [s for s in ACTION["runs"]["steps"] if s.get("id") == "run"]
    return step


def step_env(inputs: dict[str, str]) -> dict[str, str]:
    """The step's env: as GitHub fills it: each `${{ inputs.x }}` from the given inputs or
    the input's default."""
    declared = ACTION["inputs"]
    env: dict[str, str] = {}
    for name, expression in run_step()["env"].items():
        m = _INPUT.match(str(expression))
        assert m, f"{name}: the script's environment comes from inputs only"
        key = m.group(1)
        assert key in declared, key
        env[name] = inputs.get(key, str(declared[key].get("default", "")))
    return env


def run_action(
    tmp_path: Path, inputs: dict[str, str]
) -> tuple[subprocess.CompletedProcess[str], dict[str, str]]:
    bindir = tmp_path / "bin"
    bindir.mkdir()
    shim = bindir / "mailauth"
    code = "import sys; from mailauth.cli.main import main; sys.argv[0] = 'mailauth'; main()"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -c "{code}" "$@"\n')
    shim.chmod(0o755)
    script = tmp_path / "step.sh"
    script.write_text(str(run_step()["run"]), encoding="utf-8")
    output, summary = tmp_path / "output", tmp_path / "summary.md"
    env = {
        "PATH": f"{bindir}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": str(REPO / "src"),
        "GITHUB_OUTPUT": str(output),
        "GITHUB_STEP_SUMMARY": str(summary),
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        **step_env(inputs),
    }
    proc = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    outputs = (
        dict(line.split("=", 1) for line in output.read_text().splitlines() if "=" in line)
        if output.exists()
        else {}
    )
    return proc, outputs


@pytest.fixture
def zones(tmp_path: Path) -> str:
    return str(REPO / "samples" / "zones")


def test_action_script_writes_summary_sarif_annotations_and_fails_on_threshold(
    tmp_path: Path, zones: str
) -> None:
    proc, outputs = run_action(
        tmp_path,
        {"domains": "example.jp\nbroken.example", "zone": zones, "fail-on": "high"},
    )
    assert proc.returncode == 1, proc.stderr
    assert outputs["exit-code"] == "1"
    summary = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert summary.startswith("## mailauth check") and "broken.example" in summary
    sarif = json.loads((tmp_path / outputs["sarif-file"]).read_text(encoding="utf-8"))
    assert sarif["runs"][0]["results"]
    assert "::error " in proc.stdout
    report = json.loads((tmp_path / outputs["json-file"]).read_text(encoding="utf-8"))
    assert [r["domain"] for r in report] == ["example.jp", "broken.example"]


def test_action_with_its_own_json_as_baseline_passes_on_fail_on_new(
    tmp_path: Path, zones: str
) -> None:
    first, outputs = run_action(tmp_path, {"domains": "broken.example", "zone": zones})
    assert first.returncode == 0, first.stderr
    baseline = tmp_path / "baseline.json"
    (tmp_path / outputs["json-file"]).rename(baseline)
    again = tmp_path / "again"
    again.mkdir()
    second, out2 = run_action(
        again,
        {
            "domains": "broken.example",
            "zone": zones,
            "fail-on": "high",
            "baseline": str(baseline),
            "fail-on-new": "true",
        },
    )
    assert second.returncode == 0, second.stderr
    assert out2["exit-code"] == "0"
    assert "Changes since the baseline: broken.example" in (again / "summary.md").read_text()


def test_action_reports_a_usage_error_as_exit_2(tmp_path: Path, zones: str) -> None:
    proc, outputs = run_action(tmp_path, {"domains": "example.jp", "zone": zones, "fail-on": "bad"})
    assert proc.returncode == 2 and outputs["exit-code"] == "2"

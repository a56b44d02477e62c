"""The Kubernetes Indexed Job recipe (docs/kubernetes/scan-job.yaml) and the other job
runner snippets of docs/bulk.md: each command line they hold is one mailauth's parser
accepts, with every index's --shard, and the shards cover each part once."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import click
import pytest

from mailauth.cli.main import main
from mailauth.scan.shard import Shard

REPO = Path(__file__).resolve().parents[2]
MANIFEST = REPO / "docs" / "kubernetes" / "scan-job.yaml"
BULK_DOC = REPO / "docs" / "bulk.md"


def load_job() -> dict[str, Any]:
    yaml = pytest.importorskip("yaml")
    job: dict[str, Any] = yaml.safe_load(MANIFEST.read_text())
    return job


def parse_check(argv: list[str]) -> dict[str, Any]:
    """The parameters `mailauth check` gets for `argv` (parsed, callbacks run, not run)."""
    assert argv[:2] == ["mailauth", "check"], argv
    check = main.get_command(click.Context(main), "check")
    assert check is not None
    with check.make_context("check", argv[2:]) as ctx:
        return dict(ctx.params)


def shell_words(script: str, index: int) -> list[str]:
    """The command of a `sh -c` script with JOB_COMPLETION_INDEX set, as sh expands it
    (only $((JOB_COMPLETION_INDEX+1)) is used)."""
    text = script.replace("$((JOB_COMPLETION_INDEX+1))", str(index + 1))
    assert "$" not in text, text
    words = shlex.split(text)
    return words[1:] if words[0] == "exec" else words


def test_the_indexed_job_runs_one_shard_per_index() -> None:
    job = load_job()
    assert job["kind"] == "Job" and job["apiVersion"] == "batch/v1"
    spec = job["spec"]
    assert spec["completionMode"] == "Indexed"
    count = spec["completions"]
    container = spec["template"]["spec"]["containers"][0]
    assert container["command"] == ["/bin/sh", "-c"]
    (script,) = container["args"]
    mounts = {m["mountPath"] for m in container["volumeMounts"]}
    shards, outputs = [], set()
    for index in range(count):
        params = parse_check(shell_words(script, index))
        shard = params["shard"]
        assert isinstance(shard, Shard) and shard.count == count
        shards.append(shard.index)
        assert params["resume"] is True and params["output_format"] == ("jsonl",)
        (out,) = params["output_file"]
        assert Path(out).parent.as_posix() in mounts  # written to the volume
        outputs.add(str(out))
        assert Path(params["domains_file"]).parent.as_posix() in mounts
    assert shards == list(range(1, count + 1)) and len(outputs) == count


def snippets(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", BULK_DOC.read_text(), re.S)


def test_the_github_actions_matrix_snippet() -> None:
    yaml = pytest.importorskip("yaml")
    (text,) = [s for s in snippets("yaml") if "matrix" in s]
    workflow = yaml.safe_load(text)
    job = next(iter(workflow["jobs"].values()))
    shards = job["strategy"]["matrix"]["shard"]
    total = len(shards)
    run = next(step["run"] for step in job["steps"] if "mailauth check" in step.get("run", ""))
    for shard in shards:
        command = run.replace("${{ matrix.shard }}", str(shard)).replace("\\\n", " ")
        line = next(x for x in command.splitlines() if "mailauth check" in x)
        params = parse_check(shlex.split(line))
        assert params["shard"] == Shard(shard, total)


def test_the_gnu_parallel_one_liner() -> None:
    (line,) = [x for s in snippets("sh") for x in s.splitlines() if x.startswith("parallel ")]
    words = shlex.split(line)
    (template,) = [w for w in words if w.startswith("mailauth check")]
    values = words[words.index(":::") + 1 :]
    for value in values:
        params = parse_check(shlex.split(template.replace("{}", value)))
        assert params["shard"] == Shard(int(value), len(values))

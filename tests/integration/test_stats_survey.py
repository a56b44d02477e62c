"""`mailauth stats` end to end: `mailauth check --domains-file` scans a few hundred synthetic
domains served by knotd on loopback (each its own zone, with varied SPF, DMARC, DKIM, MX and
NS), then `mailauth stats` counts the results; every count must equal what the generator
planted (tests/support/synthetic_survey.py), counted here independently of mailauth."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.support.knot import serving
from tests.support.synthetic_survey import SELECTORS, Planted, write_survey

REPO = Path(__file__).resolve().parents[2]
COUNT = 280
# The child runs are given 600 s (subprocess timeout); the suite's default of 120 s per
# test would end them first on a very loaded machine (they took 26-32 s on a sixth of a CPU).
pytestmark = pytest.mark.timeout(600)


def _mailauth(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "MAILAUTH_LANG": "en"}
    return subprocess.run(
        [sys.executable, "-m", "mailauth", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )


@pytest.fixture(scope="module")
def survey(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[list[Planted], Any, Path]]:
    """The planted domains, knotd serving them, and a work directory with the domain list
    and the selector list."""
    work = tmp_path_factory.mktemp("survey")
    planted = write_survey(work / "zones", COUNT)
    (work / "domains.txt").write_text("".join(p.domain + "\n" for p in planted))
    (work / "selectors.txt").write_text("\n".join(SELECTORS) + "\n")
    with serving(sorted((work / "zones").glob("*.zone"))) as server:
        yield planted, server, work


def _scan(server: Any, work: Path, out: Path, *extra: str) -> None:
    result = _mailauth(
        "check", "--domains-file", str(work / "domains.txt"), "--nameserver", server.nameserver,
        "--dkim-selectors", str(work / "selectors.txt"), "--no-fetch", "--timeout", "3",
        "--format", "jsonl", "-o", str(out), *extra,
    )  # fmt: skip
    assert result.returncode in (0, 1), result.stderr


@pytest.fixture(scope="module")
def scan(survey: tuple[list[Planted], Any, Path]) -> tuple[list[Planted], Path]:
    """The planted domains and the JSONL results of scanning them over the wire."""
    planted, server, work = survey
    out = work / "results.jsonl"
    _scan(server, work, out)
    return planted, out


def _stats(*args: str) -> dict[str, Any]:
    result = _mailauth("stats", *args, "--format", "json")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    doc: dict[str, Any] = json.loads(result.stdout)
    return doc


def _expected(planted: list[Planted]) -> dict[str, Any]:
    with_spf = [p for p in planted if p.spf_all is not None]
    policies = Counter(p.policy or "missing" for p in planted)
    return {
        "domains": len(planted),
        "spf_present": len(with_spf),
        "spf_all": {q: sum(p.spf_all == q for p in with_spf)
                    for q in ("-all", "~all", "?all", "+all", "none")},
        "spf_over_limit": sum(p.over_limit for p in planted),
        "dmarc_policy": {k: policies[k] for k in ("none", "quarantine", "reject", "missing")},
        "dmarc_rua": sum(p.rua for p in planted),
        "dkim_found": sum(p.dkim_probed for p in planted),
        "bimi_present": sum(p.bimi for p in planted),
        "mta_sts_present": sum(p.mta_sts for p in planted),
        "tls_rpt_present": sum(p.tls_rpt for p in planted),
        "null_mx": sum(p.mx_operator == "null-mx" for p in planted),
    }  # fmt: skip


def _figures(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: doc[k] for k in _expected([])}


def test_every_count_is_what_the_generator_planted(scan: tuple[list[Planted], Path]) -> None:
    planted, results = scan
    reports = [json.loads(line) for line in results.read_text().splitlines()]
    assert len(reports) == COUNT and all(r["complete"] for r in reports)
    doc = _stats(str(results))
    assert _figures(doc) == _expected(planted)
    assert doc["reports_read"] == COUNT and doc["malformed_lines"] == 0
    assert doc["dkim_estimate"]["selectors"] == list(SELECTORS)
    assert sum(doc["grades"].values()) == COUNT
    assert doc["checked_from"] is not None and doc["checked_to"] >= doc["checked_from"]


@pytest.mark.parametrize(
    ("key", "attribute"),
    [("jp-type", "jp_type"), ("tld", "tld"), ("ns-operator", "ns_operator"),
     ("mx-operator", "mx_operator")],
)  # fmt: skip
def test_groups_are_what_the_generator_planted(
    scan: tuple[list[Planted], Path], key: str, attribute: str
) -> None:
    planted, results = scan
    doc = _stats(str(results), "--group-by", key)
    groups = {g["group"]: _figures(g) for g in doc["groups"]}
    members: dict[str, list[Planted]] = {}
    for p in planted:
        members.setdefault(getattr(p, attribute), []).append(p)
    assert groups == {name: _expected(ps) for name, ps in members.items()}


def test_shards_give_the_same_statistics_as_one_file(
    scan: tuple[list[Planted], Path], tmp_path: Path
) -> None:
    """Split by a stable hash of the domain (as `check --shard K/N` does), in any order, with
    a domain scanned twice: the figures are those of the single file."""
    _, results = scan
    lines = results.read_text().splitlines()
    shards: list[list[str]] = [[], [], []]
    for line in lines:
        digest = hashlib.sha256(json.loads(line)["domain"].encode()).digest()
        shards[digest[0] % 3].append(line)
    paths = []
    for k, shard in enumerate(shards):
        path = tmp_path / f"shard-{k + 1}-of-3.jsonl"
        path.write_text("\n".join(reversed(shard)) + "\n")
        paths.append(str(path))
    rerun = tmp_path / "rerun.jsonl"  # an older report of one domain must not count
    old = json.loads(lines[0])
    old.update(checked_at="2000-01-01T00:00:00Z", dmarc={"policy": "none"})
    rerun.write_text(json.dumps(old) + "\n")
    one = _stats(str(results), "--group-by", "jp-type")
    split = _stats(*paths, str(rerun), "--group-by", "jp-type")
    for doc in (one, split):
        doc.pop("sources"), doc.pop("reports_read"), doc.pop("duplicates")
    assert split == one


def test_check_shards_merge_to_the_statistics_of_one_run(
    survey: tuple[list[Planted], Any, Path], scan: tuple[list[Planted], Path], tmp_path: Path
) -> None:
    """`check --shard 1/3 .. 3/3`, three runs as three jobs would make them: `stats` over the
    three files equals `stats` over the single run, and every domain is in exactly one."""
    planted, server, work = survey
    shards = [tmp_path / f"shard-{k}.jsonl" for k in (1, 2, 3)]
    for k, out in enumerate(shards, 1):
        _scan(server, work, out, "--shard", f"{k}/3")
    seen = [json.loads(line)["domain"] for out in shards for line in out.read_text().splitlines()]
    assert sorted(seen) == sorted(p.domain for p in planted)
    one = _stats(str(scan[1]), "--group-by", "jp-type")
    split = _stats(*(str(p) for p in shards), "--group-by", "jp-type")
    for doc in (one, split):
        for key in ("sources", "checked_from", "checked_to"):
            doc.pop(key)
    assert split == one

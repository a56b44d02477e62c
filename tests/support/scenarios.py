"""Finding scenarios: the zone files under tests/data/zones/ that say which finding ids the
domain checks must report, read in one place so every test means the same by a header.

A zone file is a scenario if and only if its FIRST line is `; triggers: ID ...` (the list may
be empty: "reports nothing"). Every other zone file is plain test data (DNS-layer fixtures,
reverse zones, CLI data) and must not start that way. The header is the run of comment
lines before the first record or directive (blank lines allowed). Its keys are a closed set,
so prose such as `; include: of a name that ...` is never mistaken for one:

- `; triggers: ID ...`              first line only: the scenario for the zone's origin.
- `; domain: NAME`                  check NAME instead of the origin (a child the zone
                                    delegates to a server nobody runs, so every lookup fails).
- `; selectors: S ...`              DKIM selectors the user names (`--selector`).
- `; bimi-selector: S`              the BIMI selector to query (`--bimi-selector`).
- `; scenario NAME triggers: ID ...` one more scenario in the same file, for NAME: a name
                                    that cannot have a zone of its own (a delegated child
                                    whose own apex lookup must fail). `selectors` and
                                    `bimi-selector` apply to it too, `domain` does not.
- `; https: bimi`                    fetch through a DirectoryFetcher over the generated
                                    tree of tests/support/bimi_https.py, trusting its test
                                    Mark Verifying Authority root (BIMI logo/certificate).
- `; trust-anchor: FILE`            DNSSEC trust anchors (`--trust-anchor`), a path relative
                                    to the zone file (the signed dnssec/ and dane/ zones).
- `; knot: skip`                    anywhere in the first 4 KiB (tests/support/knot.py): knotd
                                    does not serve the file, so its scenarios run offline only.

What a scenario asserts. It concerns the check its folder is named after
(`tests/data/zones/<check>/`, or `domain/` for the existence stage beside the checks, whose
findings are the report's `domain` section) and every check whose ids it lists; for each of
those checks the SET of ids the check reports equals the listed ids with that check's
prefix, offline and over the wire. Findings of other checks are not compared (a BIMI scenario
publishes DMARC p=none without listing `dmarc.policy-none`), but no check may crash
(`core.internal-error`)
and every finding must render. So `runner/` and `scoring/` scenarios, whose folders name no
check, are exact for the checks their ids belong to. Listing an id that belongs to no domain
check is an error, since nothing would assert it.

Every scenario runs with its https fetches answered from `tests/data/https/<host>/<path>`
(the MTA-STS policy of `<domain>` is `tests/data/https/mta-sts.<domain>/.well-known/
mta-sts.txt`), with an optional `<path>.http` sidecar for what the web server answered
(tests/support/scenario_fetcher.py).

Message-level ids are covered by samples/messages/manifest.yaml: `messages[].triggers`, and
`triggered_elsewhere: {id: "test path"}` for ids no sample can trigger offline and live alike.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from tests.support.english_runs import english_runs
from tests.support.knot import SKIP_MARK
from tests.support.scenario_fetcher import ScenarioFetcher

from mailauth.dns.interface import DnsSource
from mailauth.dns.trust_anchor import load_anchors
from mailauth.dns.zonefile import zone_origin
from mailauth.domain.context import CheckOptions
from mailauth.domain.existence import SECTION as EXISTENCE_SECTION
from mailauth.domain.runner import DOMAIN_CHECKS, DomainReport, check_domain
from mailauth.fetch.interface import Fetcher
from mailauth.i18n import FINDING_PARTS

REPO = Path(__file__).resolve().parents[2]
ZONES = REPO / "tests" / "data" / "zones"
MANIFEST = REPO / "samples" / "messages" / "manifest.yaml"

CHECKS: tuple[str, ...] = tuple(spec.name for spec in DOMAIN_CHECKS)
# Every group of domain findings a scenario can pin down: the existence stage's, then the
# checks' (report order).
SECTIONS: tuple[str, ...] = (EXISTENCE_SECTION, *CHECKS)
CRASH = "core.internal-error"

_FIRST = re.compile(r";\s*triggers:(.*)$")
_KEY = re.compile(r";\s*(domain|selectors|bimi-selector|https|trust-anchor):(.*)$")
_EXTRA = re.compile(r";\s*scenario\s+(\S+)\s+triggers:(.*)$")
_KNOT_HEAD = 4096  # bytes tests/support/knot.py looks at for `; knot: skip`


@dataclass(frozen=True)
class Scenario:
    """One domain to check and the ids it must report."""

    path: Path
    origin: str
    domain: str
    triggers: tuple[str, ...]
    options: CheckOptions
    served_by_knot: bool
    https: bool = False  # fetch from the generated BIMI tree (tests/support/bimi_https.py)

    @property
    def folder(self) -> str:
        return self.path.parent.name

    @property
    def name(self) -> str:
        """`<folder>/<file name without .zone>`, plus `:<domain>` when the checked name is
        not the origin: the test id, naming the file to open."""
        stem = self.path.name.removesuffix(".zone")
        base = f"{self.folder}/{stem}"
        return base if self.domain == self.origin else f"{base}:{self.domain}"

    @property
    def checks(self) -> tuple[str, ...]:
        """The checks whose findings this scenario pins down exactly, in report order."""
        named = {self.folder} | {check_of(fid) for fid in self.triggers}
        return tuple(c for c in SECTIONS if c in named)

    def expected(self, check: str) -> set[str]:
        return {fid for fid in self.triggers if check_of(fid) == check}


def check_of(fid: str) -> str:
    """The check a finding id belongs to: its prefix (`mta_sts.bad-id` -> `mta_sts`)."""
    return fid.partition(".")[0]


def _header(lines: Iterable[str]) -> list[str]:
    head = []
    for line in lines:
        if not line.strip():
            continue
        if not line.startswith(";"):
            break
        head.append(line.rstrip())
    return head


def _one(path: Path, key: str, words: list[str]) -> str:
    if len(words) != 1:
        raise ValueError(f"{path}: '; {key}:' takes exactly one name, not {words}")
    return words[0]


def _ids(path: Path, words: list[str]) -> tuple[str, ...]:
    foreign = [w for w in words if check_of(w) not in SECTIONS]
    if foreign:
        raise ValueError(f"{path}: {foreign} belong to no domain check; no zone can assert them")
    return tuple(words)


def parse_zone(path: Path) -> list[Scenario]:
    """The scenarios a zone file declares: none unless its first line is `; triggers:`."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    first = _FIRST.match(lines[0]) if lines else None
    if first is None:
        if any(_FIRST.match(line) or _EXTRA.match(line) for line in _header(lines)):
            raise ValueError(f"{path}: '; triggers:' must be the first line")
        return []
    keys: dict[str, list[str]] = {}
    extras: list[tuple[str, list[str]]] = []
    for line in _header(lines[1:]):
        if _FIRST.match(line):
            raise ValueError(f"{path}: a second '; triggers:' line")
        if extra := _EXTRA.match(line):
            extras.append((extra.group(1).lower().rstrip("."), extra.group(2).split()))
        elif key := _KEY.match(line):
            if key.group(1) in keys:
                raise ValueError(f"{path}: '; {key.group(1)}:' given twice")
            keys[key.group(1)] = key.group(2).split()
    anchors = None
    if "trust-anchor" in keys:
        anchors = load_anchors(path.parent / _one(path, "trust-anchor", keys["trust-anchor"]))
    options = CheckOptions(
        selectors=tuple(keys.get("selectors", ())),
        bimi_selector=_one(path, "bimi-selector", keys.get("bimi-selector", ["default"])),
        trust_anchors=anchors,
    )
    https = "https" in keys
    if https and _one(path, "https", keys["https"]) != "bimi":
        raise ValueError(f"{path}: '; https:' names the tree to fetch from; only 'bimi' exists")
    served = not SKIP_MARK.search(text.encode("utf-8")[:_KNOT_HEAD].decode("utf-8", "replace"))
    origin = zone_origin(path, text)
    domain = origin
    if "domain" in keys:
        domain = _one(path, "domain", keys["domain"]).lower().rstrip(".")
    return [
        Scenario(path, origin, name, _ids(path, ids), options, served, https)
        for name, ids in [(domain, first.group(1).split()), *extras]
    ]


def load_scenarios(root: Path = ZONES) -> list[Scenario]:
    """Every scenario under `root`, in file order (the extra ones after their file's own)."""
    return [s for path in sorted(root.rglob("*.zone")) for s in parse_zone(path)]


def fetch_setup(scenario: Scenario) -> tuple[CheckOptions, Fetcher | None]:
    """The options and fetcher a scenario runs with: a `; https: bimi` scenario fetches from
    the generated tree (tests/support/bimi_https.py) and trusts its test root."""
    if not scenario.https:
        return scenario.options, None
    from dataclasses import replace

    from tests.support.bimi_https import https_dir

    from mailauth.fetch.directory import DirectoryFetcher

    tree, root_pem = https_dir()
    return replace(scenario.options, mark_roots=(root_pem,)), DirectoryFetcher(tree)


def run(dns: DnsSource, scenario: Scenario) -> DomainReport:
    """Every domain check on the scenario's domain, as `mailauth check` runs them, with the
    https fetches answered from tests/data/https/ (`--https-dir`, tests/support/
    scenario_fetcher.py), or for a `; https: bimi` scenario from the generated BIMI tree."""
    options, fetcher = fetch_setup(scenario)
    chosen = fetcher if fetcher is not None else ScenarioFetcher()
    return asyncio.run(check_domain(dns, scenario.domain, options, fetcher=chosen))


def reported(report: DomainReport, section: str) -> set[str]:
    """The ids a check (or the existence stage, `domain`) reported."""
    if section == EXISTENCE_SECTION:
        stage = report.existence
        return {f.id for f in stage.findings} if stage is not None else set()
    return {f.id for f in report.checks[section].findings}


def assert_scenario(dns: DnsSource, scenario: Scenario) -> None:
    """Run the scenario and fail, naming the check, unless it reports exactly its ids."""
    report = run(dns, scenario)
    crashed = [f.params for f in (*report.findings, *report.subsumed) if f.id == CRASH]
    assert not crashed, f"{scenario.name}: a check crashed: {crashed}"
    wrong = []
    for check in scenario.checks:
        got = reported(report, check)
        if got != scenario.expected(check):
            wrong.append(
                f"{check} on {scenario.domain}: reported {sorted(got)}, "
                f"the scenario lists {sorted(scenario.expected(check))}"
            )
    assert not wrong, f"{scenario.name}:\n" + "\n".join(wrong)
    for f in report.findings:
        f.text()  # every template field is filled
        # ... and in Japanese, with no English prose among its values (issue 14).
        japanese = f.text("ja")
        english = [(part, english_runs(getattr(japanese, part))) for part in FINDING_PARTS]
        left = [f"{part}: {runs}" for part, runs in english if runs]
        assert not left, f"{scenario.name}: {f.id} in Japanese has English: {left}"


def message_manifest() -> dict[str, Any]:
    """samples/messages/manifest.yaml (`{messages: [{file, triggers}], triggered_elsewhere}`)."""
    data = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{MANIFEST}: not a mapping")
    return data


def message_triggers() -> set[str]:
    """Every id some sample message reports."""
    return {fid for m in message_manifest().get("messages", []) for fid in m.get("triggers", [])}


def triggered_elsewhere() -> dict[str, str]:
    """id -> "path" or "path::test": ids no sample message can trigger, and the test that does."""
    listed = message_manifest().get("triggered_elsewhere") or {}
    return {str(fid): str(test) for fid, test in listed.items()}

"""The JSON projections (render/check_json.py, render/message_json.py) and the hand-written
schemas (src/mailauth/schema/) name the same keys, in both directions.

Validation alone cannot catch drift: a schema without `additionalProperties: false` accepts
a key it never declared, and an optional property nothing emits any more validates too. So
for every object the schema declares properties for (each check, an SPF include, a DKIM
selector, an MX address, ...), every key a report emits must be declared there, and every
declared key must be emitted by some report: every finding scenario and sample domain, every
sample message, and the few shapes no DNS data can produce (an MTA-STS policy, which only a
fetcher fills in).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from tests.support.scenarios import fetch_setup, load_scenarios

from mailauth.cli.main import main
from mailauth.dns.cache import CachingSource
from mailauth.dns.zonefile import ZoneSource
from mailauth.domain.context import CheckContext, CheckOptions
from mailauth.domain.mta_sts import check_mta_sts
from mailauth.domain.runner import check_domain
from mailauth.domain.smtp import SmtpHost, SmtpReport
from mailauth.domain.smtp_cert import CertVerdict
from mailauth.fetch.directory import DirectoryFetcher
from mailauth.fetch.interface import Fetcher
from mailauth.model import Status
from mailauth.render.check_json import check_json
from mailauth.render.json import domain_json
from mailauth.schema import DOMAIN_REPORT, MESSAGE_REPORT, load_schema

REPO = Path(__file__).resolve().parents[2]
SAMPLE_DOMAINS = ("example.jp", "broken.example", "toomany.example", "esp.example")
MESSAGES = sorted((REPO / "samples" / "messages").glob("*.eml"))
Node = dict[str, Any]


@dataclass(frozen=True)
class Shape:
    """An object the schema declares: `name` is the JSON pointer of the node that declares
    it (a `$ref` wrapper resolves to its target), `properties` its keys merged with those of
    what it refers to (`$defs/check` adds `status` to every check)."""

    name: str
    properties: dict[str, tuple[Node, str]] = field(default_factory=dict)
    items: tuple[Node, str] | None = None


def shape(defs: dict[str, Node], node: Node, where: str) -> Shape:
    name: str | None = None
    properties: dict[str, tuple[Node, str]] = {}
    items: tuple[Node, str] | None = None
    while True:
        if name is None and ("properties" in node or "items" in node):
            name = where
        for key, sub in node.get("properties", {}).items():
            properties.setdefault(key, (sub, f"{where}/properties/{key}"))
        if items is None and "items" in node:
            items = (node["items"], f"{where}/items")
        ref = node.get("$ref")
        if ref is None:
            return Shape(name or where, properties, items)
        where = ref
        node = defs[ref.removeprefix("#/$defs/")]


def declared(defs: dict[str, Node], root: str) -> dict[str, set[str]]:
    """Every object with declared properties reachable from `root`, by name."""
    out: dict[str, set[str]] = {}
    todo = [(defs[root.removeprefix("#/$defs/")], root)]
    seen: set[str] = set()
    while todo:
        node, where = todo.pop()
        s = shape(defs, node, where)
        if s.name in seen:
            continue
        seen.add(s.name)
        if s.properties:
            out[s.name] = set(s.properties)
        todo.extend(s.properties.values())
        if s.items is not None:
            todo.append(s.items)
    return out


class Emitted:
    """The keys seen in documents per declared object, and the keys no schema declares."""

    def __init__(self, schema: Node) -> None:
        self.defs: dict[str, Node] = schema["$defs"]
        self.keys: dict[str, set[str]] = defaultdict(set)
        self.undeclared: set[str] = set()

    def walk(self, value: Any, node: Node, where: str) -> None:
        s = shape(self.defs, node, where)
        if isinstance(value, dict) and s.properties:
            self.keys[s.name] |= set(value)
            for key, sub in value.items():
                if key not in s.properties:
                    self.undeclared.add(f"{s.name}: {key}")
                else:
                    self.walk(sub, *s.properties[key])
        elif isinstance(value, list) and s.items is not None:
            for item in value:
                self.walk(item, *s.items)


def assert_no_drift(schema: Node, emitted: Emitted, root: str) -> None:
    assert not sorted(emitted.undeclared), "emitted but not in the schema"
    missing = {
        name: sorted(keys - emitted.keys[name])
        for name, keys in declared(schema["$defs"], root).items()
        if keys - emitted.keys[name]
    }
    assert not missing, "in the schema but never emitted (or no sample reaches the object)"


@pytest.fixture(scope="module")
def domain_documents(_zone_source: ZoneSource) -> list[dict[str, Any]]:
    cases: list[tuple[str, CheckOptions, Fetcher | None]] = [
        (s.domain, *fetch_setup(s)) for s in load_scenarios()
    ]
    cases += [(d, CheckOptions(), None) for d in SAMPLE_DOMAINS]
    # The samples with their --https-dir files (BIMI logo and certificate).
    https = DirectoryFetcher(REPO / "samples" / "https")
    cases += [("example.jp", CheckOptions(), https)]
    cases += [("broken.example", CheckOptions(bimi_selector="script"), https)]

    async def run_all() -> list[dict[str, Any]]:
        dns = CachingSource(_zone_source)
        return [domain_json(await check_domain(dns, d, o, fetcher=f)) for d, o, f in cases]

    return asyncio.run(run_all())


def mta_sts_with_policy() -> dict[str, Any]:
    """A policy fetched from samples/https/ (`--https-dir`): every key of `policy.fetch`."""
    dns = ZoneSource.from_paths([REPO / "samples" / "zones"])
    fetcher = DirectoryFetcher(REPO / "samples" / "https")
    report = asyncio.run(check_mta_sts(CheckContext(dns, fetcher=fetcher), "example.jp"))
    assert report.policy_check is not None and report.policy_check.fetch is not None
    return check_json(report)


def smtp_with_a_host() -> dict[str, Any]:
    """No zone file can fill `smtp.hosts` (it needs --smtp and a live server, which
    tests/integration/test_smtp_probe.py runs): its shape is pinned here."""
    now = dt.datetime.now(dt.timezone.utc)
    cert = CertVerdict(
        "CN=mx1.example.com", "CN=Test CA", ("mx1.example.com",), now, now, 0, False, True, True
    )
    host = SmtpHost("mx1.example.com", "tls", "192.0.2.1", 25, "ESMTP", "TLSv1.3",
                    "TLS_AES_256_GCM_SHA384", cert, 2, True, None)  # fmt: skip
    return check_json(SmtpReport(status=Status.PASS, requested=True, hosts=(host,)))


def with_a_baseline(tmp_path: Path) -> dict[str, Any]:
    """A report written with --baseline (the `baseline` object, with a record change)."""
    zones = ("--zone", str(REPO / "samples" / "zones"))
    runner = CliRunner()
    args = ["check", "broken.example", *zones, "--format", "json"]
    before = json.loads(runner.invoke(main, args, catch_exceptions=False).stdout)
    before["spf"]["record"] = "v=spf1 -all"
    previous = tmp_path / "previous.json"
    previous.write_text(json.dumps(before), encoding="utf-8")
    result = runner.invoke(main, [*args, "--baseline", str(previous)], catch_exceptions=False)
    doc: dict[str, Any] = json.loads(result.stdout)
    assert doc["baseline"]["record_changes"]
    return doc


def test_domain_report_keys_match_the_schema(
    domain_documents: list[dict[str, Any]], tmp_path: Path
) -> None:
    schema = load_schema(DOMAIN_REPORT)
    emitted = Emitted(schema)
    for doc in [*domain_documents, with_a_baseline(tmp_path)]:
        emitted.walk(doc, schema["$defs"]["report"], "#/$defs/report")
    emitted.walk(mta_sts_with_policy(), schema["$defs"]["mta_sts"], "#/$defs/mta_sts")
    emitted.walk(smtp_with_a_host(), schema["$defs"]["smtp"], "#/$defs/smtp")
    assert_no_drift(schema, emitted, "#/$defs/report")


def test_message_report_keys_match_the_schema() -> None:
    schema = load_schema(MESSAGE_REPORT)
    emitted = Emitted(schema)
    args = ["verify", *map(str, MESSAGES), "--zone", str(REPO / "samples" / "zones")]
    result = CliRunner().invoke(main, [*args, "--format", "json"], catch_exceptions=False)
    for doc in json.loads(result.stdout):
        emitted.walk(doc, schema["$defs"]["report"], "#/$defs/report")
    assert_no_drift(schema, emitted, "#/$defs/report")


def test_drift_is_detected_both_ways() -> None:
    """The comparison itself: an undeclared key and a declared key nothing emits both fail."""
    schema = {
        "$defs": {
            "check": {"properties": {"status": {}}},
            "x": {"$ref": "#/$defs/check", "properties": {"a": {}, "b": {}}},
        }
    }
    emitted = Emitted(schema)
    emitted.walk({"status": "pass", "a": 1, "c": 2}, schema["$defs"]["x"], "#/$defs/x")
    assert emitted.undeclared == {"#/$defs/x: c"}
    assert declared(schema["$defs"], "#/$defs/x") == {"#/$defs/x": {"status", "a", "b"}}
    with pytest.raises(AssertionError):
        assert_no_drift(schema, emitted, "#/$defs/x")

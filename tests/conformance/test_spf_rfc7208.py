"""The OpenSPF RFC 7208 test suite (tests/data/conformance/spf-rfc7208/rfc7208-tests.yml).

Every test of every scenario is evaluated with the scenario's zonedata served by
`OpenSpfZone` (a DnsSource implementing the suite's TIMEOUT and SPF-as-TXT rules), through
two of our paths: `mailauth verify`'s SPF code and the public library API. A list of expected
results means any member is acceptable. `explanation` is compared when the suite gives one
other than `DEFAULT` (pyspf's test driver sets the default explanation to the word DEFAULT; a
checker's own default text is its business).

The "Processing limits" scenario is also run through the domain-mode walker (`mailauth
check`): its lookup counter must agree with the suite on which records go over RFC 7208
§4.6.4's limits.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from mailauth.dns.interface import DnsSource
from mailauth.render.check_json import spf_json

from .known import known_failure
from .openspf_zone import OpenSpfZone
from .paths import SpfOutcome, spf_library_path, spf_message_path

SUITE = "spf-rfc7208"
_FILE = Path(__file__).resolve().parents[1] / "data/conformance/spf-rfc7208/rfc7208-tests.yml"
SCENARIOS: list[dict[str, Any]] = list(yaml.safe_load_all(_FILE.read_text("utf-8")))

Path_ = Callable[[DnsSource, str, str, str], Awaitable[SpfOutcome]]
PATHS: dict[str, Path_] = {"verify": spf_message_path, "library": spf_library_path}


def _slug(text: str) -> str:
    return "-".join(text.lower().replace("/", " ").split())


def _cases() -> list[Any]:
    out = []
    for scenario in SCENARIOS:
        for name, test in scenario["tests"].items():
            for path in PATHS:
                case_id = f"{_slug(scenario['description'])}/{name}"
                out.append(
                    pytest.param(
                        scenario,
                        name,
                        test,
                        path,
                        id=f"spf-{case_id}-{path}",
                        marks=known_failure(SUITE, f"{name}[{path}]", f"{name}"),
                    )
                )
    return out


def _identity(test: dict[str, Any]) -> tuple[str, str, str]:
    """(ip, mail_from, helo). An empty MAIL FROM means the HELO identity is checked
    (RFC 7208 §2.4: postmaster@helo); passing it empty lets our path apply that rule."""
    return str(test["host"]), str(test.get("mailfrom") or ""), str(test.get("helo") or "")


@pytest.mark.parametrize(("scenario", "name", "test", "path"), _cases())
def test_spf_rfc7208(scenario: dict[str, Any], name: str, test: dict[str, Any], path: str) -> None:
    zone = OpenSpfZone(scenario.get("zonedata") or {})
    ip, mail_from, helo = _identity(test)

    outcome = asyncio.run(asyncio.wait_for(PATHS[path](zone, ip, mail_from, helo), 30))

    expected = test["result"] if isinstance(test["result"], list) else [test["result"]]
    assert outcome.result in expected, (
        f"{name}: got {outcome.result}, expected {' or '.join(expected)} "
        f"({test.get('spec')}: {str(test.get('description', '')).strip()})"
    )
    want_exp = test.get("explanation")
    if want_exp is not None and want_exp != "DEFAULT" and outcome.result == "fail":
        assert outcome.explanation == want_exp


# --- Domain mode: the lookup counter of `mailauth check` against "Processing limits" ---------

# Suite test name -> (domain, what our domain-mode walker must say). `lookups`/`voids` are the
# §4.6.4 counts over every branch; `finding` must be reported by check_spf (None: no limit
# finding may be reported). include-at-limit: the suite's one client IP passes because it
# matches before the 11th lookup, but every branch counts 11, so for other IPs the record is
# permerror - domain mode must flag it (RFC 7208 §4.6.4 counts per evaluation, and a domain
# report speaks for every client).
LIMITS: dict[str, dict[str, Any]] = {
    "redirect-loop": {"domain": "e1.example.com", "loop": True, "finding": "spf.include-loop"},
    "include-loop": {"domain": "e2.example.com", "loop": True, "finding": "spf.include-loop"},
    "mx-limit": {"domain": "e4.example.com", "mx_names": 11, "finding": "spf.mx-too-many-names"},
    "ptr-limit": {"domain": "e5.example.com", "lookups": 1, "finding": "spf.ptr-used"},
    "false-a-limit": {"domain": "e10.example.com", "lookups": 1, "finding": None},
    "mech-at-limit": {"domain": "e6.example.com", "lookups": 10, "finding": None},
    "mech-over-limit": {
        "domain": "e7.example.com",
        "lookups": 11,
        "finding": "spf.too-many-lookups",
    },
    "include-at-limit": {
        "domain": "e8.example.com",
        "lookups": 11,
        "finding": "spf.too-many-lookups",
    },
    "include-over-limit": {
        "domain": "e9.example.com",
        "lookups": 11,
        "finding": "spf.too-many-lookups",
    },
    "void-at-limit": {"domain": "e12.example.com", "voids": 2, "finding": None},
    "void-over-limit": {
        "domain": "e11.example.com",
        "voids": 3,
        "finding": "spf.too-many-void-lookups",
    },
}
_LIMIT_FINDINGS = {
    "spf.too-many-lookups",
    "spf.too-many-void-lookups",
    "spf.mx-too-many-names",
    "spf.include-loop",
}
_LIMITS_SCENARIO = next(s for s in SCENARIOS if s["description"] == "Processing limits")


def test_limits_table_covers_the_scenario() -> None:
    """Every test of the suite's "Processing limits" scenario has a domain-mode expectation."""
    assert set(LIMITS) == set(_LIMITS_SCENARIO["tests"])


@pytest.mark.parametrize(
    "name", sorted(LIMITS), ids=[f"spf-limits/{n}-tree" for n in sorted(LIMITS)]
)
def test_spf_rfc7208_lookup_counter(name: str) -> None:
    from mailauth.domain.spf_tree import spf_lookup_tree

    want = LIMITS[name]
    tree = asyncio.run(spf_lookup_tree(OpenSpfZone(_LIMITS_SCENARIO["zonedata"]), want["domain"]))

    if "lookups" in want:
        assert tree.dns_lookups == want["lookups"]
    if "voids" in want:
        assert tree.void_lookups == want["voids"]
    if "mx_names" in want:
        assert max(t.mx_names or 0 for t in tree.root.terms) == want["mx_names"]
    assert bool(tree.loops) == want.get("loop", False)


@pytest.mark.parametrize(
    "name", sorted(LIMITS), ids=[f"spf-limits/{n}-check" for n in sorted(LIMITS)]
)
def test_spf_rfc7208_check_findings(name: str) -> None:
    from mailauth.domain.context import CheckContext, CheckOptions
    from mailauth.domain.spf import check_spf

    want = LIMITS[name]
    zone = OpenSpfZone(_LIMITS_SCENARIO["zonedata"])
    report = asyncio.run(check_spf(CheckContext(zone, CheckOptions()), want["domain"]))

    ids = {f.id for f in report.findings}
    if want["finding"] is None:
        assert not ids & _LIMIT_FINDINGS, f"unexpected limit finding: {ids & _LIMIT_FINDINGS}"
    else:
        assert want["finding"] in ids
    if "lookups" in want:
        assert spf_json(report)["dns_lookups"] == want["lookups"]


# --- One scenario served by a real authoritative server (knotd) over the wire -----------------

_KNOT_ZONES = {"example.com": "example.com", "in-addr.arpa": "in-addr.arpa"}


@pytest.fixture(scope="module")
def limits_on_knot(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The "Processing limits" scenario as zone files, served by a private knotd."""
    from tests.support.knot import env_requires_knot, find_knotd, start_knot

    from .openspf_zone import zone_file_text

    knotd = find_knotd()
    if knotd is None:
        if env_requires_knot():
            pytest.fail("CI=true but knotd is not installed", pytrace=False)
        pytest.skip("knotd is not installed (Debian package 'knot')")
    folder = tmp_path_factory.mktemp("spf-limits-zones")
    files = []
    for origin in _KNOT_ZONES:
        path = folder / f"{origin}.zone"
        path.write_text(zone_file_text(_LIMITS_SCENARIO["zonedata"], origin))
        files.append(path)
    server = start_knot(files, knotd)
    yield server
    server.stop()


@pytest.mark.parametrize(
    ("name", "path"),
    [(n, "knot") for n in sorted(_LIMITS_SCENARIO["tests"])],
    ids=[f"spf-knot/{n}" for n in sorted(_LIMITS_SCENARIO["tests"])],
)
def test_spf_rfc7208_over_the_wire(name: str, path: str, limits_on_knot: Any) -> None:
    """Same expectations as the in-memory run, with answers from knotd over UDP/TCP
    through the live resolver: the zone data means the same thing on the wire."""
    from mailauth.dns.cache import CachingSource
    from mailauth.dns.live import LiveSource

    test = _LIMITS_SCENARIO["tests"][name]
    dns = CachingSource(LiveSource([limits_on_knot.address], timeout=2, retries=1))
    ip, mail_from, helo = _identity(test)
    outcome = asyncio.run(asyncio.wait_for(spf_message_path(dns, ip, mail_from, helo), 30))
    expected = test["result"] if isinstance(test["result"], list) else [test["result"]]
    assert outcome.result in expected

    from mailauth.domain.spf_tree import spf_lookup_tree

    want = LIMITS[name]
    tree = asyncio.run(spf_lookup_tree(dns, want["domain"]))
    assert tree.dns_lookups == want.get("lookups", tree.dns_lookups)
    assert tree.void_lookups == want.get("voids", tree.void_lookups)
    assert bool(tree.loops) == want.get("loop", False)

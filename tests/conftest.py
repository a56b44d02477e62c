"""Session-wide test infrastructure: the network guard and the DNS servers.

Fixtures for everyone:
- `knot_server` (session): Debian's knotd on 127.0.0.1 (and ::1) serving every `*.zone` under
  samples/zones/ and tests/data/zones/ (recursively). `.host`, `.port`, `.nameserver`
  ("127.0.0.1:PORT", what --nameserver takes), `.address` ((host, port)).
- `live_dns`: `CachingSource(LiveSource([knot], timeout=2, retries=1))`, fresh per test.
- `zone_dns`: `CachingSource(ZoneSource)` over the same files (offline mode), fresh per test.
- `any_dns`: parametrised over both ("zone", "live") - a check test using it runs twice.
- `fault_dns`: the scriptable fault-injecting server (tests/support/faultdns.py), reset per test.
- `zone_paths`: the zone files the servers above load.
Every test runs under the network guard (tests/support/netguard.py).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # `tests.support` importable under plain `pytest` too
    sys.path.insert(0, str(REPO))

from tests.support import netguard  # noqa: E402
from tests.support.faultdns import FaultDnsServer  # noqa: E402
from tests.support.knot import (  # noqa: E402
    KnotError,
    KnotServer,
    collect_zone_files,
    env_requires_knot,
    find_knotd,
    start_knot,
)

from mailauth.dns.cache import CachingSource  # noqa: E402
from mailauth.dns.live import LiveSource  # noqa: E402
from mailauth.dns.zonefile import ZoneSource  # noqa: E402

ZONE_ROOTS = (REPO / "samples" / "zones", REPO / "tests" / "data" / "zones")

# Hypothesis: no per-example deadline for any test. Its default (200 ms) turns a stall of a
# loaded machine into a failure ("Unreliable test timings! ... took 364.15ms, which exceeded
# the deadline of 200.00ms, but on a subsequent run it took 0.07 ms" for
# test_never_raises_anything_but_input_error, run alone on a throttled CPU). The full suite
# had that only by accident, through tests/hostile's profile loaded at collection; tests
# that bound time do so with their own assertions.
settings.register_profile("mailauth", deadline=None)
settings.load_profile("mailauth")


def pytest_configure(config: pytest.Config) -> None:
    netguard.install()
    # The suite asserts English text: a developer's LANG=ja_JP.UTF-8 must not change it
    # (tests of the language choice pass their own environment).
    os.environ["MAILAUTH_LANG"] = "en"
    # The commands the suite starts keep their start-up cache (startup_cache.py) in a
    # folder of the run, not in the user's ~/.cache.
    cache = Path(tempfile.mkdtemp(prefix="mailauth-test-cache-"))
    os.environ["XDG_CACHE_HOME"] = str(cache)
    config.add_cleanup(lambda: shutil.rmtree(cache, ignore_errors=True))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests that need knotd carry the `knot` marker (so `-m "not knot"` works)."""
    for item in items:
        names = getattr(item, "fixturenames", ())
        if "knot_server" in names or "live_dns" in names:
            item.add_marker(pytest.mark.knot)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if netguard.violations and session.exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(autouse=True)
def _network_guard() -> Iterator[None]:
    """Fails the test if it tried to reach beyond loopback, even if the error was swallowed."""
    mark = len(netguard.violations)
    yield
    new = netguard.violations[mark:]
    if new:
        pytest.fail(
            "test tried to use the network beyond loopback:\n" + "\n".join(new), pytrace=False
        )


def all_zone_files() -> list[Path]:
    return sorted(f for root in ZONE_ROOTS if root.exists() for f in root.rglob("*.zone"))


@pytest.fixture(scope="session")
def zone_paths() -> list[Path]:
    return all_zone_files()


@pytest.fixture(scope="session")
def knot_server() -> Iterator[KnotServer]:
    knotd = find_knotd()
    if knotd is None:
        msg = "knotd is not installed (Debian package 'knot'; ./scripts/test installs it)"
        if env_requires_knot():
            pytest.fail(f"CI=true but {msg}", pytrace=False)
        pytest.skip(msg)
    try:
        server = start_knot(collect_zone_files(ZONE_ROOTS), knotd)
    except KnotError as exc:
        pytest.fail(str(exc), pytrace=False)
    yield server
    server.stop()
    shutil.rmtree(server.run_dir, ignore_errors=True)


@pytest.fixture
def live_dns(knot_server: KnotServer) -> CachingSource:
    return CachingSource(LiveSource([knot_server.address], timeout=2, retries=1))


@pytest.fixture(scope="session")
def _zone_source() -> ZoneSource:
    return ZoneSource.from_paths(all_zone_files())


@pytest.fixture
def zone_dns(_zone_source: ZoneSource) -> CachingSource:
    return CachingSource(_zone_source)


@pytest.fixture(params=["zone", "live"])
def any_dns(request: pytest.FixtureRequest) -> CachingSource:
    """The same test against the offline zone files and against knotd over the wire."""
    if request.param == "zone":
        return CachingSource(request.getfixturevalue("_zone_source"))
    server: KnotServer = request.getfixturevalue("knot_server")
    return CachingSource(LiveSource([server.address], timeout=2, retries=1))


@pytest.fixture(scope="session")
def _fault_dns_server() -> Iterator[FaultDnsServer]:
    server = FaultDnsServer().start()
    yield server
    server.stop()


@pytest.fixture
def fault_dns(_fault_dns_server: FaultDnsServer) -> Iterator[FaultDnsServer]:
    """The fault-injecting loopback DNS server, emptied of records and rules for each test."""
    _fault_dns_server.reset()
    yield _fault_dns_server
    _fault_dns_server.reset()

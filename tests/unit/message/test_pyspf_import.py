"""message/pyspf.py imports pyspf without dnspython's stub resolver; pyspf must still work,
and so must dns.resolver for whoever imports it afterwards. Each case runs in a fresh
interpreter (the point is what gets imported)."""

from __future__ import annotations

import pytest
from tests.support import fresh_python


def run(code: str) -> str:
    return fresh_python.run(code).stdout.strip()


def test_pyspf_loads_without_the_stub_resolver_and_evaluates() -> None:
    out = run(
        "import sys\n"
        "from mailauth.message.spftrace import TracingQuery\n"
        "import spf\n"
        "print('dns.resolver' in sys.modules, 'dns._ddr' in sys.modules)\n"
        "q = spf.query('192.0.2.1', 'a@example.com', 'mx.example.com')\n"
        "print(q.check('v=spf1 ip4:192.0.2.0/24 -all')[0])\n"
        "print(issubclass(TracingQuery, spf.query))\n"
    )
    assert out.split() == ["False", "False", "pass", "True"]


@pytest.mark.parametrize(
    "use",
    [
        "import dns.resolver; r = dns.resolver.Resolver(configure=False)",
        "import dns; r = dns.resolver.Resolver(configure=False)",  # through the placeholder
        "import spf; r = spf.dns.resolver.Resolver(configure=False)",  # pyspf's own lookup path
    ],
)
def test_dns_resolver_is_the_real_one_when_used_later(use: str) -> None:
    out = run(
        "import sys\n"
        "import mailauth.message.spfquery\n"
        f"{use}\n"
        "import dns.resolver\n"
        "real = sys.modules['dns.resolver']\n"
        "print(type(real).__name__, real.__file__.endswith('resolver.py'))\n"
        "print(type(r).__name__)\n"
    )
    assert out.split() == ["module", "True", "Resolver"]


def test_an_already_imported_resolver_is_left_alone() -> None:
    out = run(
        "import dns.resolver, sys\n"
        "real = sys.modules['dns.resolver']\n"
        "import mailauth.message.spfquery, spf\n"
        "print(sys.modules['dns.resolver'] is real, spf.dns.resolver is real)\n"
    )
    assert out.split() == ["True", "True"]

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


# A fresh interpreter of this sandbox has email.message loaded already (a site hook imports
# importlib.metadata); each case below removes it first, as a clean installation starts.
_WITHOUT_EMAIL_MESSAGE = (
    "import sys, email\n"
    "sys.modules.pop('email.message', None)\n"
    "email.__dict__.pop('message', None)\n"
)


def test_pyspf_loads_without_dnspythons_type_table_or_the_message_class() -> None:
    out = run(
        _WITHOUT_EMAIL_MESSAGE + "import mailauth.message.spfquery, spf\n"
        "print('dns.rdatatype' in sys.modules, 'email.message' in sys.modules)\n"
        "q = spf.query('192.0.2.1', 'a@example.com', 'mx.example.com')\n"
        "print(q.check('v=spf1 ip4:192.0.2.0/24 -all')[0])\n"
        "print('dns.rdatatype' in sys.modules, 'email.message' in sys.modules)\n"
    )
    assert out.split() == ["False", "False", "pass", "False", "False"]


def test_pyspf_reads_a_received_spf_header_with_the_real_message_class() -> None:
    out = run(
        _WITHOUT_EMAIL_MESSAGE + "import mailauth.message.spfquery, spf\n"
        "q = spf.query('192.0.2.1', 'a@example.com', 'mx.example.com')\n"
        'q.parse_header(\'Pass (test) client-ip=192.0.2.9; envelope-from="a@b.example";'
        " helo=h.example;')\n"
        "print(q.i, q.s, q.h, type(sys.modules['email.message']).__name__)\n"
        "import email.message\n"
        "print(email.message.Message.__module__)\n"
    )
    assert out.split() == ["192.0.2.9", "a@b.example", "h.example", "module", "email.message"]


@pytest.mark.parametrize(
    "use",
    [
        "import dns.rdatatype; t = dns.rdatatype",
        "import dns; t = dns.rdatatype; t.A",  # through the placeholder: then the real one
        "import spf; t = spf.dns.rdatatype; t.A",
    ],
)
def test_dns_rdatatype_is_the_real_one_when_used_later(use: str) -> None:
    out = run(
        "import sys\n"
        "import mailauth.message.spfquery\n"
        f"{use}\n"
        "import dns.rdatatype\n"
        "real = sys.modules['dns.rdatatype']\n"
        "print(type(real).__name__, real.__file__.endswith('rdatatype.py'))\n"
        "print(repr(real.SPF), real.SPF == 99, dns.rdatatype.from_text('TXT') == 16)\n"
    )
    assert out.split() == ["module", "True", "<RdataType.SPF:", "99>", "True", "True"]


def test_already_imported_type_table_and_message_class_are_left_alone() -> None:
    out = run(
        "import dns.rdatatype, email.message, sys\n"
        "real = sys.modules['dns.rdatatype'], sys.modules['email.message']\n"
        "import mailauth.message.spfquery, spf\n"
        "print(sys.modules['dns.rdatatype'] is real[0], spf.dns.rdatatype is real[0])\n"
        "print(sys.modules['email.message'] is real[1], spf.Message is real[1].Message)\n"
    )
    assert out.split() == ["True", "True", "True", "True"]

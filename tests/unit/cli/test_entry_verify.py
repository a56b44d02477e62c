"""What a `mailauth verify` process loads (issue 10: a verification as a command against
dkimverify), each in a fresh process through the real entry point, with the verification's
report checked too: one message runs without asyncio (cli/verify.py, `run_blocking`);
several load asyncio without `ssl` (cli/lean_imports.py); the usual Return-Path and Date
are read without `email.utils` (message/usual_forms.py); click loads without `uuid`."""

from __future__ import annotations

from typing import Any

import pytest
from tests.support.fresh_python import SRC, imported, run

from mailauth.cli.entry import command_word

REPO = SRC.parent
GOOD = str(REPO / "samples/messages/good.eml")
ENTRY = (
    "import sys; sys.argv = ['mailauth', *{args!r}]\nfrom mailauth.cli.entry import entry\nentry()"
)
# What the process holds when it ends (importtime also lists an import that failed).
LOADED = (
    "import atexit, sys\n"
    "atexit.register(lambda: print('loaded', sorted(m for m in ('ssl', '_ssl', 'email.utils', "
    "'asyncio', 'uuid', 'datetime') if sys.modules.get(m) is not None)))\n"
)


def test_one_live_verification_loads_no_asyncio_ssl_email_utils_uuid_nor_datetime(
    knot_server: Any,
) -> None:
    args = ["--lang", "en", "verify", GOOD, "--nameserver", knot_server.nameserver]
    done = run(LOADED + ENTRY.format(args=args), importtime=True)
    modules = imported(done)
    assert "mailauth.message.verify" in modules and "mailauth.dns.blocking" in modules
    assert "_ssl" not in modules and "email.utils" not in modules
    assert not any(m == "asyncio" or m.startswith("asyncio.") for m in modules)
    assert "loaded []" in done.stdout
    assert "DMARC pass for example.jp" in done.stdout  # the verification itself is unchanged
    assert "MAIL FROM: bounce@example.jp (from Return-Path)" in done.stdout


def test_several_verifications_load_asyncio_without_ssl(knot_server: Any) -> None:
    bulk = str(REPO / "samples/messages/bulk-no-unsubscribe.eml")
    args = ["verify", GOOD, bulk, "--nameserver", knot_server.nameserver]
    done = run(LOADED + ENTRY.format(args=args), importtime=True, exit_codes=(0, 1))
    modules = imported(done)
    assert "asyncio.base_events" in modules and "mailauth.dns.mux" in modules
    assert "_ssl" not in modules
    assert "loaded ['asyncio']" in done.stdout
    assert done.stdout.count("mailauth verify: ") == 2


def test_other_commands_keep_asyncio_with_tls() -> None:
    """`check` fetches over HTTPS and speaks STARTTLS: its asyncio has ssl."""
    code = (
        "import sys; sys.argv = ['mailauth', 'check', '--help']\n"
        "from mailauth.cli.entry import entry\n"
        "try:\n    entry()\nexcept SystemExit:\n    pass\n"
        "import asyncio.sslproto as p; print('ssl-in-asyncio', p.ssl is not None)"
    )
    assert "ssl-in-asyncio True" in run(code).stdout


def test_ssl_stays_importable_in_a_verify_process() -> None:
    """Only asyncio's own modules see no ssl; anything later in the process imports it."""
    code = (
        "from mailauth.cli import lean_imports\n"
        "lean_imports.asyncio_without_tls()\n"
        "import asyncio.sslproto as p, ssl\n"
        "print('asyncio-ssl', p.ssl, 'ssl', ssl.OPENSSL_VERSION_INFO[0] >= 1)"
    )
    assert "asyncio-ssl None ssl True" in run(code).stdout


def test_an_unusual_return_path_and_date_still_load_email_utils(tmp_path: Any) -> None:
    """A spelling the shortcut does not know goes to `email.utils`, as before."""
    message = (
        "Return-Path: Bounce Handler <bounce@example.jp>\r\n"
        "Date: Thu, 01 Oct 26 09:00:03 JST\r\n"
        "From: a@example.jp\r\nSubject: x\r\n\r\nbody\r\n"
    )
    path = tmp_path / "odd.eml"
    path.write_bytes(message.encode())
    args = ["verify", str(path), "--zone", str(REPO / "samples/zones"), "--ip", "192.0.2.30"]
    done = run(LOADED + ENTRY.format(args=args), exit_codes=(0, 1))
    assert "'email.utils'" in next(x for x in done.stdout.splitlines() if x.startswith("loaded "))
    assert "MAIL FROM: bounce@example.jp" in done.stdout


@pytest.mark.parametrize(
    ("args", "word"),
    [
        (["verify", "a.eml"], "verify"),
        (["--lang", "ja", "verify", "a.eml"], "verify"),
        (["--lang=ja", "verify"], "verify"),
        (["check", "verify"], "check"),
        (["--help"], None),
        (["--lang"], None),
        ([], None),
        (["-V", "verify"], None),
    ],
)
def test_command_word(args: list[str], word: str | None) -> None:
    assert command_word(args) == word


def test_click_without_unused_types_still_has_working_uuid_and_datetime_types() -> None:
    """click's UUID and DateTime parameter types (mailauth has neither) work as with the
    real modules, which load when first used."""
    code = (
        "import sys\n"
        "from mailauth.cli.lean_imports import click_without_unused_types\n"
        "click_without_unused_types()\n"
        "print('loaded', 'uuid' in sys.modules, 'datetime' in sys.modules)\n"
        "import click, uuid, datetime\n"
        "value = click.UUID.convert('12345678-1234-5678-1234-567812345678', None, None)\n"
        "again = click.UUID.convert(value, None, None)\n"
        "print(type(value) is uuid.UUID, again is value)\n"
        "import click.types as t\n"
        "print(isinstance(value, t.uuid.UUID), issubclass(uuid.UUID, t.uuid.UUID))\n"
        "when = click.DateTime().convert('2026-12-06', None, None)\n"
        "print(type(when) is datetime.datetime, click.DateTime().convert(when, None, None) is when)"
    )
    out = run(code).stdout.split()
    assert out == ["loaded", "False", "False", *["True"] * 6]

"""What `mailauth report --no-resolve` loads: a run over a directory of small reports is
mostly start-up per report, so the command imports neither asyncio (no event loop is
needed without DNS) nor the email package (no mail among the inputs), nor the tree walk
behind PTR names; a run that reads a mail imports the mail parser, and still reads it."""

from __future__ import annotations

import base64
import gzip
from pathlib import Path

from tests.support import dmarc_gen as gen
from tests.support.fresh_python import CLI, imported, run

NOT_WITHOUT_DNS_OR_MAIL = ("asyncio", "email", "email.message", "mailauth.dns.orgdomain",
                           "mailauth.report.failure", "mailauth.cli.asyncrun")  # fmt: skip


def _report(tmp_path: Path) -> Path:
    path = tmp_path / "google.xml.gz"
    xml = gen.aggregate_xml("google.com", "g-1", gen.DOMAIN, gen.START, [(gen.OWN_MTA, 4)])
    path.write_bytes(gzip.compress(xml))
    return path


def test_no_resolve_imports_no_event_loop_and_no_mail_parser(tmp_path: Path) -> None:
    args = ["report", "--no-resolve", "--format", "json", str(_report(tmp_path))]
    done = run(CLI.format(args=args), importtime=True)
    modules = imported(done)
    assert "mailauth.report.small_reader" in modules
    assert not [m for m in NOT_WITHOUT_DNS_OR_MAIL if m in modules]
    assert '"reports_read": 1' in done.stdout


def test_a_mail_input_still_loads_the_mail_parser(tmp_path: Path) -> None:
    report = _report(tmp_path).read_bytes()
    mail = tmp_path / "report.eml"
    mail.write_bytes(
        b"From: noreply@google.com\r\nSubject: Report\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: application/gzip; name=r.xml.gz\r\nContent-Transfer-Encoding: base64"
        b"\r\n\r\n" + base64.encodebytes(report)
    )
    done = run(CLI.format(args=["report", "--no-resolve", "--format", "json", str(mail)]),
               importtime=True)  # fmt: skip
    assert "email.message" in imported(done)
    assert '"reports_read": 1' in done.stdout


def test_every_report_dataclass_has_a_docstring_of_its_own() -> None:
    """A dataclass without a docstring gets one written from its signature at import: for
    a @frozen class that makes (compiles) its lazy __init__ in every run, used or not
    (bench/README.md, "fifth pass"). That written docstring starts with the class name
    and its parameters."""
    import dataclasses
    import importlib
    import pkgutil

    import mailauth.report

    missing = []
    for info in pkgutil.iter_modules(mailauth.report.__path__):
        module = importlib.import_module(f"mailauth.report.{info.name}")
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and value.__module__ == module.__name__
                and dataclasses.is_dataclass(value)
                and (value.__doc__ or "").startswith(f"{value.__name__}(")
            ):
                missing.append(f"{module.__name__}.{value.__name__}")
    assert not missing, f"dataclasses without a docstring: {missing}"

"""Issue 9, output integrity (9-11) and exit codes (13): what a hostile message, record or
file name carries never reaches a terminal as control bytes, never forges lines of our
report or header, never makes the output invalid UTF-8; a closed stdout or stderr never
turns into "bug" (3) or "threshold failed" (1).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from mailauth.message.arc import ArcOutcome
from mailauth.message.authresults import build_header, parse_header
from mailauth.message.dmarc import DmarcOutcome
from mailauth.message.spf import SpfIdentity, SpfOutcome
from mailauth.model import Result

from .clirun import CliRun, one_line_error
from .hostile_data import GOOD_SAMPLE, REPO, SAMPLE_ZONES, write_zone

pytestmark = pytest.mark.timeout(120)

ESC_RETURN_PATH = b'Return-Path: <"a\x1b]0;pwned\x07\x1b[2Jb"@example.jp>\r\n'
ESC_RECEIVED = (
    b"Received: from helo\x1b[2J\x1b]2;title\x07\x1bc.example ([192.0.2.30])\r\n"
    b"\tby mx.example.net with ESMTPS; Mon, 3 Nov 2025 10:00:00 +0900\r\n"
)
HEAD = (
    b"From: Alice <alice@example.jp>\r\nTo: bob@example.net\r\nSubject: hello\r\n"
    b"Date: Mon, 3 Nov 2025 10:00:00 +0900\r\nMessage-ID: <esc@example.jp>\r\n\r\nHi.\r\n"
)
CONTROLS = {chr(c) for c in range(0x20) if chr(c) not in "\n\t"} | {"\x7f"}


def assert_one_header_field(text: str) -> None:
    """`text` (LF line ends) is exactly one Authentication-Results field: the first line
    names it, every other line is a folded continuation, no control character anywhere,
    and it parses back as RFC 8601."""
    lines = text.rstrip("\n").split("\n")
    assert lines[0].startswith("Authentication-Results: "), lines[0]
    assert all(line[:1] in (" ", "\t") for line in lines[1:]), lines
    assert not CONTROLS & set(text), repr(text)
    assert parse_header(text.partition(":")[2]) is not None


# --- 9. Authentication-Results ---------------------------------------------------------------


@pytest.mark.parametrize("with_return_path", [True, False])
def test_escapes_from_return_path_and_helo(
    with_return_path: bool, tmp_path: Path, cli: Callable[..., CliRun]
) -> None:
    path = tmp_path / "escapes.eml"
    path.write_bytes((ESC_RETURN_PATH if with_return_path else b"") + ESC_RECEIVED + HEAD)
    run = cli("verify", path, "--zone", SAMPLE_ZONES, "--authentication-results")
    assert run.exception is None, f"exception escaped: {run.exception!r}"
    assert_one_header_field(run.stdout)
    assert "\\x1b" in run.stdout  # shown, as visible text
    text = cli("verify", path, "--zone", SAMPLE_ZONES)  # the full text report too
    assert not CONTROLS & set(text.stdout), "raw control characters in the text report"
    assert run.seconds < 15 and text.seconds < 15


def test_authserv_id_with_a_newline_is_refused(cli: Callable[..., CliRun]) -> None:
    for value in ("mx\nX-Injected: yes", "mx\r\n\tevil", "mx\x1b[2J", " "):
        run = cli("verify", GOOD_SAMPLE, "--zone", SAMPLE_ZONES, "--authserv-id", value)
        assert run.exit_code == 2, value
        assert "authserv-id" in one_line_error(run)
        assert run.stdout == ""


def test_library_header_is_one_field_whatever_it_is_given() -> None:
    """`build_header` used as a library, with hostile values where the CLI would refuse."""
    identity = SpfIdentity("192.0.2.1", "h\x1b[2J(evil)", 'x"\r\nX-Evil: 1\x07@example.jp')
    header = build_header(
        "mx\r\nX-Injected: yes\x1b]0;t\x07",
        [],
        SpfOutcome(Result.FAIL, identity),
        DmarcOutcome(result=Result.FAIL, from_domain="example.jp\r\nX-Evil: 2"),
        ArcOutcome(Result.NONE),
    )
    assert_one_header_field(header.replace("\r\n", "\n"))


# --- 10. a newline inside a DNS record --------------------------------------------------------

FORGED = "v=spf1 include:evil.example +all"


def test_newline_in_a_record_cannot_forge_report_lines(
    tmp_path: Path, cli: Callable[..., CliRun]
) -> None:
    spf = "v=spf1 a mx ?all\\010        Record with this fix:\\010          " + FORGED
    write_zone(tmp_path, f'@ IN TXT "{spf}"', origin="nl.test")
    run = cli("check", "nl.test", "--zone", tmp_path / "nl.test.zone")
    assert run.exception is None, f"exception escaped: {run.exception!r}"
    lines = run.stdout.splitlines()
    assert any(FORGED in line for line in lines)  # the record is shown...
    assert not [line for line in lines if line.strip() == FORGED]  # ...never as its own line
    assert not [line for line in lines if line.strip().startswith(FORGED)]
    for line in lines:  # every appearance is inside the escaped record text
        if FORGED in line:
            assert "\\x0a" in line, line
    assert run.seconds < 15


# --- 11. a file name that is not UTF-8 ----------------------------------------------------------


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS file names must be UTF-8")
@pytest.mark.parametrize("fmt", ["json", "text"])
def test_file_name_with_byte_ff(fmt: str, tmp_path: Path) -> None:
    from mailauth.cli.main import main

    name = os.fsdecode(os.fsencode(str(tmp_path)) + b"/bad\xffname.eml")
    Path(name).write_bytes(GOOD_SAMPLE.read_bytes())
    result = CliRunner().invoke(
        main, ["verify", name, "--zone", str(SAMPLE_ZONES), "--format", fmt]
    )
    assert result.exit_code == 0, result.output
    out = result.stdout_bytes.decode("utf-8")  # strict: valid UTF-8
    if fmt == "json":
        assert json.loads(out)["file"].endswith("bad\\xffname.eml")
    else:
        assert "bad\\xffname.eml" in out


def _mailauth(args: list[str], redirections: str, env: dict[str, str] | None = None) -> int:
    """Run the CLI in a child process with the shell's redirections (`>&-` closes stdout)."""
    code = "from mailauth.cli.main import main; main()"
    quoted = " ".join(f"'{a}'" for a in args)
    command = f"{sys.executable} -c '{code}' {quoted} {redirections}"
    environ = {**os.environ, "PYTHONPATH": str(REPO / "src"), **(env or {})}
    return subprocess.run(["bash", "-c", command], env=environ, timeout=60, check=False).returncode


def test_file_name_with_byte_ff_under_strict_utf8_stdout(tmp_path: Path) -> None:
    bad = os.fsencode(str(tmp_path)) + b"/bad\xffname.eml"
    Path(os.fsdecode(bad)).write_bytes(GOOD_SAMPLE.read_bytes())
    out = tmp_path / "out.json"
    command = (
        f"{sys.executable} -c 'from mailauth.cli.main import main; main()' verify "
        f"\"$(printf '{tmp_path}/bad\\377name.eml')\" --zone '{SAMPLE_ZONES}' --format json "
        f"> '{out}'"
    )
    environ = {
        **os.environ,
        "PYTHONPATH": str(REPO / "src"),
        "PYTHONIOENCODING": "utf-8:strict",
    }
    done = subprocess.run(["bash", "-c", command], env=environ, timeout=60, check=False)
    assert done.returncode == 0
    assert json.loads(out.read_bytes().decode("utf-8"))["file"].endswith("bad\\xffname.eml")


# --- 13. closed standard streams ------------------------------------------------------------


def test_closed_stdout_is_141_quietly(tmp_path: Path) -> None:
    err = tmp_path / "stderr.txt"
    for fmt in ("text", "json"):
        args = ["verify", str(GOOD_SAMPLE), "--zone", str(SAMPLE_ZONES), "--format", fmt]
        assert _mailauth(args, f">&- 2>'{err}'") == 141
        assert err.read_text() == ""  # quietly, as `| head` already does
    args = ["check", "example.jp", "--zone", str(SAMPLE_ZONES)]
    assert _mailauth(args, f">&- 2>'{err}'") == 141
    assert err.read_text() == ""


def test_closed_stderr_keeps_the_error_status(tmp_path: Path) -> None:
    """With stderr closed the error line is lost, but the status is still the error's (2),
    never Python's 1 for an unhandled exception, which is the threshold status."""
    cases = [
        ["verify", str(tmp_path / "missing.eml"), "--zone", str(SAMPLE_ZONES)],
        ["verify", "--no-such-option"],
        ["check", "not a domain", "--zone", str(SAMPLE_ZONES)],
        ["verify", str(GOOD_SAMPLE), "--ip", "fe80::1%eth0"],
    ]
    for args in cases:
        assert _mailauth(args, "2>&- >/dev/null") == 2, args
    # and both closed: the run still ends with its own status
    assert _mailauth(["verify", str(GOOD_SAMPLE), "--zone", str(SAMPLE_ZONES)], ">&- 2>&-") == 141

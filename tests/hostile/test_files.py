"""Hostile and broken files through `mailauth verify` (in-process CLI, JSON output).

Every file gets either a verdict (exit 0, a JSON report naming what is wrong) or exactly one
line on stderr and exit 2 (issue 3: "A file that is not a message ... is exit 2 with one clear
line"), within a generous time bound. Every input file is written read-only first and must
come out byte-identical with the same mtime: verifying never writes to its inputs.
DNS comes from the fault server with no records (every name NXDOMAIN, answered at once).
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.support.faultdns import FaultDnsServer

from .clirun import CliRun, digest, one_line_error

MIB = 1024 * 1024
GOOD_HEAD = (
    b"From: Alice <alice@example.jp>\r\n"
    b"To: bob@example.net\r\n"
    b"Subject: hello\r\n"
    b"Date: Mon, 3 Nov 2025 10:00:00 +0900\r\n"
    b"Message-ID: <hostile-1@example.jp>\r\n"
)
GOOD = GOOD_HEAD + b"\r\nHello.\r\n"


@pytest.fixture
def write(tmp_path: Path) -> Iterator[Callable[[str, bytes], Path]]:
    """Write an input file read-only; after the test, check it was not touched."""
    written: dict[Path, tuple[str, float, int]] = {}

    def _write(name: str, content: bytes) -> Path:
        path = tmp_path / name
        path.write_bytes(content)
        path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
        written[path] = digest(path)
        return path

    yield _write
    for path, before in written.items():
        assert digest(path) == before, f"{path.name} was modified by mailauth"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in written), (
        "mailauth created files next to its input"
    )


@pytest.fixture
def verify(fault_dns: FaultDnsServer, cli: Callable[..., CliRun]) -> Callable[..., CliRun]:
    def run(*files: Path | str, extra: tuple[str, ...] = ()) -> CliRun:
        return cli(
            "verify",
            *files,
            "--format",
            "json",
            "--nameserver",
            fault_dns.nameserver,
            "--timeout",
            "1",
            *extra,
        )

    return run


def report(run: CliRun) -> dict[str, Any]:
    """The single message report of a successful run."""
    assert run.exception is None, f"exception escaped: {run.exception!r}"
    data = json.loads(run.stdout)
    if isinstance(data, list):
        assert len(data) == 1
        data = data[0]
    assert isinstance(data, dict)
    return data


def ids(data: dict[str, Any]) -> set[str]:
    return {f["id"] for f in data["findings"]}


def refused(run: CliRun, *words: str) -> str:
    """Exit 2 with one line on stderr that says why (and names the file)."""
    assert run.exit_code == 2, (run.exit_code, run.stdout[:300], run.stderr[:300])
    line = one_line_error(run)
    for word in words:
        assert word.lower() in line.lower(), line
    return line


# --- not a message at all ------------------------------------------------------------------


def test_empty_file(write: Callable[[str, bytes], Path], verify: Callable[..., CliRun]) -> None:
    path = write("empty.eml", b"")
    run = verify(path)
    refused(run, "empty", path.name)
    assert run.seconds < 10


def test_binary_garbage(write: Callable[[str, bytes], Path], verify: Callable[..., CliRun]) -> None:
    garbage = bytes((i * 151 + 7) % 256 for i in range(64 * 1024))  # deterministic noise
    path = write("garbage.eml", garbage)
    run = verify(path)
    refused(run, path.name)
    assert run.seconds < 10


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


def test_png_renamed_eml(
    write: Callable[[str, bytes], Path], verify: Callable[..., CliRun]
) -> None:
    path = write("photo.eml", PNG)
    run = verify(path)
    refused(run, "not", path.name)


def test_text_that_is_no_header(
    write: Callable[[str, bytes], Path], verify: Callable[..., CliRun]
) -> None:
    path = write("notes.eml", b"This line has no colon\r\nnor this one\r\n\r\nbody\r\n")
    run = verify(path)
    refused(run, "header", path.name)


def test_nul_bytes_in_the_header(
    write: Callable[[str, bytes], Path], verify: Callable[..., CliRun]
) -> None:
    path = write("nul-header.eml", GOOD_HEAD + b"X-Bad: a\x00b\r\n\r\nbody\r\n")
    refused(verify(path), "NUL")


def test_stdin_empty(verify: Callable[..., CliRun], cli: Callable[..., CliRun]) -> None:
    run = cli("verify", "-", "--format", "json", "--zone", "samples/zones", stdin=b"")
    refused(run, "empty")


def test_bad_file_does_not_stop_the_others(
    write: Callable[[str, bytes], Path], verify: Callable[..., CliRun]
) -> None:
    bad = write("empty.eml", b"")
    good = write("good.eml", GOOD)
    run = verify(bad, good)
    assert run.exit_code == 2
    assert bad.name in one_line_error(run)
    data = json.loads(run.stdout)
    reports = data if isinstance(data, list) else [data]
    assert [Path(r["file"]).name for r in reports] == ["good.eml"]


# --- messages that are hostile but are messages ----------------------------------------------


def test_header_line_with_no_colon_is_analysed_not_refused(
    write: Callable[[str, bytes], Path], verify: Callable[..., CliRun]
) -> None:
    """Issue 8.2: a line with no `Name:` in the middle of a real header is a defect the
    report names (receivers read such messages), not a reason to refuse the file."""
    path = write("nocolon.eml", GOOD_HEAD + b"This line has no colon\r\n\r\nbody\r\n")
    run = verify(path)
    assert run.exit_code == 0, run.stderr
    data = report(run)
    assert data["from_domain"] == "example.jp"
    assert "msg_header.malformed-field" in ids(data)


def test_thousands_of_junk_header_lines_are_one_finding(
    write: Callable[[str, bytes], Path], verify: Callable[..., CliRun]
) -> None:
    junk = b"".join(b"junk %d\r\n" % i for i in range(9000))
    path = write("junk.eml", GOOD_HEAD + junk + b"\r\nbody\r\n")
    run = verify(path)
    assert run.exit_code == 0, run.stderr
    found = [f for f in report(run)["findings"] if f["id"] == "msg_header.malformed-field"]
    assert len(found) == 1 and "9000" in found[0]["detail"]
    assert run.seconds < 30


def test_nul_bytes_in_the_body(
    write: Callable[[str, bytes], Path], verify: Callable[..., CliRun]
) -> None:
    path = write("nul-body.eml", GOOD_HEAD + b"\r\nbinary\x00\x00body\r\n")
    run = verify(path)
    assert run.exit_code == 0, run.stderr
    assert report(run)["from_domain"] == "example.jp"


def test_invalid_utf8_and_mixed_encodings(
    write: Callable[[str, bytes], Path], verify: Callable[..., CliRun]
) -> None:
    raw = (
        b"From: =?iso-2022-jp?B?GyRCJTUlcyVXJWsbKEI=?= <sender@example.jp>\r\n"
        b"To: \xff\xfe broken <bob@example.net>\r\n"
        b"Subject: \x1b$B$3$s$K$A$O\x1b(B and caf\xe9 and \xe3\x81\x82\r\n"
        b"Date: Mon, 3 Nov 2025 10:00:00 +0900\r\n"
        b"Message-ID: <mixed@example.jp>\r\n"
        b"Content-Type: text/plain; charset=iso-8859-1\r\n"
        b"\r\n"
        b"caf\xe9 \xff\xfe\xfd \x1b$B$3$s\x1b(B\r\n"
    )
    path = write("mixed.eml", raw)
    run = verify(path)
    assert run.exit_code == 0, run.stderr
    data = report(run)
    assert data["from_domain"] == "example.jp"
    assert data["dkim"] == [] and "msg_dkim.missing" in ids(data)


def test_truncated_multipart(
    write: Callable[[str, bytes], Path], verify: Callable[..., CliRun]
) -> None:
    raw = (
        GOOD_HEAD + b"MIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="XYZ"\r\n\r\n'
        b"--XYZ\r\nContent-Type: text/plain\r\n\r\npart one\r\n"
        b"--XYZ\r\nContent-Type: application/octet-stream\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\nAAAAAAAA"  # cut here: no closing boundary
    )
    path = write("truncated.eml", raw)
    run = verify(path)
    assert run.exit_code == 0, run.stderr
    assert report(run)["from_domain"] == "example.jp"


def test_ten_thousand_header_lines(
    write: Callable[[str, bytes], Path], verify: Callable[..., CliRun]
) -> None:
    """10,000 header lines is the documented limit (message/parse.py MAX_HEADER_LINES): at the
    limit the message is verified; one line more is refused with one line."""
    filler = b"".join(b"X-Filler-%d: v\r\n" % i for i in range(10_000 - 5))
    at_limit = write("10000-lines.eml", GOOD_HEAD + filler + b"\r\nbody\r\n")
    run = verify(at_limit)
    assert run.exit_code == 0, run.stderr
    assert report(run)["from_domain"] == "example.jp"
    assert run.seconds < 30

    over = write("10001-lines.eml", GOOD_HEAD + filler + b"X-One-More: v\r\n\r\nbody\r\n")
    refused(verify(over), "10,000")


def test_one_megabyte_header_line(
    write: Callable[[str, bytes], Path], verify: Callable[..., CliRun]
) -> None:
    line = b"X-Huge: " + b"a" * (1_000_000 - 8)
    path = write("1mb-line.eml", GOOD_HEAD + line + b"\r\n\r\nbody\r\n")
    run = verify(path)
    assert run.exit_code == 0, run.stderr
    assert "msg_header.line-too-long" in ids(report(run))  # RFC 5322 §2.1.1: 998 characters
    assert run.seconds < 30

    over = write("over-1mib-line.eml", GOOD_HEAD + b"X-Huge: " + b"a" * MIB + b"\r\n\r\nb\r\n")
    refused(verify(over), "KB limit")


def test_fifty_megabyte_message(
    write: Callable[[str, bytes], Path], verify: Callable[..., CliRun]
) -> None:
    """50 MiB is the size limit: a message of exactly that size is verified, one byte more is
    refused before any work is done."""
    head = GOOD_HEAD + b"\r\n"
    line = b"x" * 998 + b"\r\n"
    body = line * ((50 * MIB - len(head)) // len(line))
    body += b"y" * (50 * MIB - len(head) - len(body))
    path = write("50mb.eml", head + body)
    assert os.path.getsize(path) == 50 * MIB
    run = verify(path)
    assert run.exit_code == 0, run.stderr
    assert report(run)["from_domain"] == "example.jp"
    assert run.seconds < 60

    bigger = write("50mb-plus-1.eml", head + body + b"z")
    run = verify(bigger)
    refused(run, "50 MB")
    assert run.seconds < 10


def _signature(i: int) -> bytes:
    return (
        b"DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.jp; s=sel%d;\r\n"
        b"\th=from:to:subject; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;\r\n"
        b"\tb=dGVzdA==\r\n" % i
    )


def test_one_thousand_dkim_signatures(
    fault_dns: FaultDnsServer,
    write: Callable[[str, bytes], Path],
    verify: Callable[..., CliRun],
) -> None:
    sigs = b"".join(_signature(i) for i in range(1000))
    path = write("1000-sigs.eml", sigs + GOOD)
    run = verify(path)
    assert run.exit_code == 0, run.stderr
    data = report(run)
    assert "msg_dkim.too-many-signatures" in ids(data)
    assert 0 < len(data["dkim"]) <= 50  # capped (RFC 6376 §6.1 lets verifiers limit)
    assert all(s["result"] != "pass" for s in data["dkim"])
    key_queries = [q for q in fault_dns.log if q[0].endswith("._domainkey.example.jp")]
    assert len(key_queries) <= 2 * 50, "key lookups must be capped with the signatures"
    assert run.seconds < 60


def test_dkim_signature_with_every_tag_malformed(
    write: Callable[[str, bytes], Path], verify: Callable[..., CliRun]
) -> None:
    bad = (
        b"DKIM-Signature: v=9; a=rsa-md5; c=bogus/worse; d=; s=; h=; bh=!!!; b=@@@;\r\n"
        b"\tl=-1; t=yesterday; x=never; q=carrier-pigeon; i=not-an-address; z=|||; ===\r\n"
    )
    path = write("malformed-sig.eml", bad + GOOD)
    run = verify(path)
    assert run.exit_code == 0, run.stderr
    data = report(run)
    assert len(data["dkim"]) == 1
    assert data["dkim"][0]["result"] in ("neutral", "permerror")  # RFC 8601 §2.7.1
    assert "msg_dkim.malformed" in ids(data)

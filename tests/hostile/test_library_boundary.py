"""Issue 9, crashes 1-3: what dkimpy and pyspf raise on hostile input is caught where we call
them and becomes a result with a reason code (permerror / neutral), never "internal error";
and one message's failure never costs the other files on the command line their reports.

Every run here is offline (`--zone`), in-process, with a time bound.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from .clirun import CliRun, one_line_error
from .hostile_data import (
    DOMAIN,
    GOOD_SAMPLE,
    IP,
    SAMPLE_ZONES,
    message,
    signature,
    txt,
    write_zone,
)

pytestmark = pytest.mark.timeout(120)
DIGITS = "9" * 5000  # past Python's 4,300-digit int() limit


@pytest.fixture
def verify(tmp_path: Path, cli: Callable[..., CliRun]) -> Callable[..., CliRun]:
    """`mailauth verify FILE... --format json` over the samples plus this test's own zone
    (hostile.test: SPF for IP, DMARC p=none, until a test writes its own)."""
    zones = tmp_path / "zones"
    zones.mkdir()
    write_zone(zones, f'@ IN TXT "v=spf1 ip4:{IP} -all"\n_dmarc IN TXT "v=DMARC1; p=none"')

    def run(*files: Path | str, extra: tuple[str, ...] = ()) -> CliRun:
        return cli(
            "verify", *files, "--format", "json", "--zone", SAMPLE_ZONES, "--zone", zones, *extra
        )

    return run


def reports(run: CliRun) -> list[dict[str, Any]]:
    assert run.exception is None, f"exception escaped: {run.exception!r}"
    data = json.loads(run.stdout)
    return data if isinstance(data, list) else [data]


def by_name(run: CliRun) -> dict[str, dict[str, Any]]:
    return {Path(r["file"]).name: r for r in reports(run)}


def assert_good_sample(report: dict[str, Any]) -> None:
    """samples/messages/good.eml, verified correctly: the proof it was not lost."""
    assert [s["result"] for s in report["dkim"]] == ["pass", "pass"]
    assert report["spf"]["result"] == "pass"
    assert report["dmarc"]["result"] == "pass"


def good_copy(tmp_path: Path) -> Path:
    return Path(shutil.copy(GOOD_SAMPLE, tmp_path / "good.eml"))


# --- 1. DKIM x= / t= of 5,000 digits ---------------------------------------------------------


@pytest.mark.parametrize("tag", ["x", "t", "l"])
def test_dkim_number_tag_of_5000_digits(
    tag: str, tmp_path: Path, verify: Callable[..., CliRun]
) -> None:
    hostile = tmp_path / f"{tag}-5000-digits.eml"
    hostile.write_bytes(message(signature("s1", more=f" {tag}={DIGITS};")))
    good = good_copy(tmp_path)
    run = verify(hostile, good)
    assert run.exit_code == 0, run.stderr
    assert "internal error" not in run.stderr
    found = by_name(run)
    sig = found[hostile.name]["dkim"][0]
    assert sig["result"] == "neutral"  # RFC 8601 §2.7.1: a syntax error in the signature
    assert sig["reason_code"] == "malformed"
    assert_good_sample(found[good.name])
    assert run.seconds < 30


# --- 2. SPF with a 4,400-digit CIDR length ------------------------------------------------


def cidr_zone(tmp_path: Path) -> None:
    spf = f"v=spf1 ip4:192.0.2.0/{'9' * 4400} -all"
    write_zone(tmp_path / "zones", f'@ IN TXT {txt(spf)}\n_dmarc IN TXT "v=DMARC1; p=none"')


def test_spf_cidr_of_4400_digits_in_verify(tmp_path: Path, verify: Callable[..., CliRun]) -> None:
    cidr_zone(tmp_path)
    hostile = tmp_path / "cidr.eml"
    hostile.write_bytes(message())
    good = good_copy(tmp_path)
    run = verify(hostile, good)
    assert run.exit_code == 0, run.stderr
    found = by_name(run)
    spf = found[hostile.name]["spf"]
    assert spf["result"] == "permerror"  # RFC 7208 §5.6: an invalid CIDR length
    assert spf["problem_code"] == "invalid-term"
    assert len(spf["problem"]) < 200  # the term is shown cut, not 4,400 digits long
    assert_good_sample(found[good.name])
    assert run.seconds < 30


def test_spf_cidr_of_4400_digits_in_spf_command(tmp_path: Path, cli: Callable[..., CliRun]) -> None:
    (tmp_path / "zones").mkdir()
    cidr_zone(tmp_path)
    run = cli(
        "spf", "--ip", IP, "--mail-from", f"b@{DOMAIN}", "--zone", tmp_path / "zones",
        "--format", "json",
    )  # fmt: skip
    assert run.exception is None, f"exception escaped: {run.exception!r}"
    data = json.loads(run.stdout)
    assert data["result"] == "permerror" and data["problem_code"] == "invalid-term"
    assert run.exit_code == 1  # `mailauth spf`: any result but pass is "problem found"
    assert run.seconds < 30


# --- 3. Scoped IPv6 addresses --------------------------------------------------------------


def test_scoped_ipv6_in_received(tmp_path: Path, verify: Callable[..., CliRun]) -> None:
    raw = message().replace(
        f"from mail.{DOMAIN} (mail.{DOMAIN} [{IP}])".encode(), b"from fe80::1%eth0"
    )
    hostile = tmp_path / "scoped.eml"
    hostile.write_bytes(raw)
    good = good_copy(tmp_path)
    run = verify(hostile, good)
    assert run.exit_code in (0, 3), run.stderr  # 3: the HELO name is not resolvable offline
    assert "internal error" not in run.stderr
    found = by_name(run)
    # The zone index names an interface of the host that wrote the header: dropped.
    assert found[hostile.name]["spf"]["ip"] == "fe80::1"
    assert_good_sample(found[good.name])
    assert run.seconds < 30


@pytest.mark.parametrize("command", ["verify", "spf"])
def test_scoped_ipv6_option_is_a_usage_error(command: str, cli: Callable[..., CliRun]) -> None:
    args = [GOOD_SAMPLE] if command == "verify" else ["--mail-from", "a@example.jp"]
    run = cli(command, *args, "--ip", "fe80::1%eth0", "--zone", SAMPLE_ZONES)
    assert run.exit_code == 2
    line = one_line_error(run)
    assert "fe80::1%eth0" in line and "zone index" in line
    assert run.seconds < 10


# --- the library boundary: whatever the library raises is a result --------------------------


def test_dkimpy_raising_is_a_permerror(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, verify: Callable[..., CliRun]
) -> None:
    from mailauth.message.dkimverify import DkimMessage  # verifies what dkimpy did

    def broken(*args: object, **kwargs: object) -> bool:
        raise RuntimeError("dkimpy bug")

    monkeypatch.setattr(DkimMessage, "verify", broken)
    good = good_copy(tmp_path)
    run = verify(good)
    assert run.exit_code == 0, run.stderr
    (report,) = reports(run)
    assert {s["result"] for s in report["dkim"]} == {"permerror"}
    assert {s["reason_code"] for s in report["dkim"]} == {"malformed"}
    assert report["spf"]["result"] == "pass"  # the rest of the message is still verified


def test_pyspf_raising_is_a_permerror(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, verify: Callable[..., CliRun]
) -> None:
    import spf

    def broken(*args: object, **kwargs: object) -> object:
        raise RuntimeError("pyspf bug")

    monkeypatch.setattr(spf.query, "check", broken)
    good = good_copy(tmp_path)
    run = verify(good)
    assert run.exit_code == 0, run.stderr
    (report,) = reports(run)
    assert report["spf"]["result"] == "permerror"
    assert report["spf"]["problem_code"] == "library-error"
    assert "pyspf bug" in report["spf"]["problem"]
    assert [s["result"] for s in report["dkim"]] == ["pass", "pass"]


def test_arc_raising_is_a_failed_chain(
    monkeypatch: pytest.MonkeyPatch, verify: Callable[..., CliRun]
) -> None:
    from mailauth.message import arc

    def broken(*args: object, **kwargs: object) -> object:
        raise RuntimeError("arc bug")

    monkeypatch.setattr(arc, "arc_verify", broken)  # the native verifier (message/arcverify.py)
    arc_sample = GOOD_SAMPLE.parent / "list-forwarded-arc.eml"
    run = verify(arc_sample)
    assert run.exit_code == 0, run.stderr
    (report,) = reports(run)
    assert report["arc"]["result"] == "fail"
    assert report["arc"]["reason_code"] == "malformed"


# --- one file's failure never discards the others' reports ------------------------------


def test_unexpected_error_in_one_file_keeps_the_others(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, verify: Callable[..., CliRun]
) -> None:
    import mailauth.message

    real = mailauth.message.verify_message

    async def sometimes_broken(raw: bytes, *args: Any, **kwargs: Any) -> Any:
        if b"Subject: boom" in raw:
            raise RuntimeError("a bug on this message only")
        return await real(raw, *args, **kwargs)

    monkeypatch.setattr(mailauth.message, "verify_message", sometimes_broken)
    first = good_copy(tmp_path)
    boom = tmp_path / "boom.eml"
    boom.write_bytes(message().replace(b"Subject: hello", b"Subject: boom"))
    last = Path(shutil.copy(GOOD_SAMPLE, tmp_path / "last.eml"))
    run = verify(first, boom, last)
    assert run.exit_code == 3  # no verdict for one file: not "all good", not "usage"
    line = one_line_error(run)
    assert "boom.eml" in line and "RuntimeError" in line
    found = by_name(run)
    assert sorted(found) == ["good.eml", "last.eml"]
    for name in ("good.eml", "last.eml"):
        assert_good_sample(found[name])


def test_folder_of_hostile_files_and_good_messages(
    tmp_path: Path, verify: Callable[..., CliRun]
) -> None:
    """The issue's "done when": a folder mixing these files with good messages reports every
    good message correctly."""
    cidr_zone(tmp_path)
    files = [good_copy(tmp_path)]
    for name, raw in (
        ("x.eml", message(signature("s1", more=f" x={DIGITS};"))),
        ("t.eml", message(signature("s1", more=f" t={DIGITS};"))),
        ("cidr.eml", message()),
        ("scoped.eml", message(b"Received: from fe80::1%eth0 by mx.example.net; x\r\n")),
        ("empty.eml", b""),
    ):
        (tmp_path / name).write_bytes(raw)
        files.append(tmp_path / name)
    files.append(Path(shutil.copy(GOOD_SAMPLE, tmp_path / "good-2.eml")))
    run = verify(*files)
    assert run.exit_code == 2  # the empty file is not a message
    assert "empty.eml" in one_line_error(run)
    found = by_name(run)
    assert sorted(found) == sorted(f.name for f in files if f.name != "empty.eml")
    assert_good_sample(found["good.eml"])
    assert_good_sample(found["good-2.eml"])
    assert run.seconds < 60


@pytest.mark.parametrize("ip", ["fe80::1%eth0", "not-an-address"])
def test_library_caller_with_an_unusable_ip(ip: str) -> None:
    """`verify_message` used as a library, with an --ip the CLI would refuse: SPF says why
    it has no verdict (`bad-ip`), nothing raises."""
    import asyncio

    from mailauth.dns.zonefile import ZoneSource
    from mailauth.message import VerifyOptions, verify_message

    dns = ZoneSource.from_paths([SAMPLE_ZONES])
    report = asyncio.run(verify_message(GOOD_SAMPLE.read_bytes(), dns, VerifyOptions(ip=ip)))
    assert report.spf.result.value == "none"
    assert report.spf.problem_code is not None and report.spf.problem_code.value == "bad-ip"
    assert report.fcrdns is None

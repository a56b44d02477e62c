"""The output seam through the CLI: several formats in one run (`--format F -o FILE`),
`--format authentication-results`, files that are never an input, and reports that stream
(the first written before the last domain is looked up)."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from tests.support.timestamps import untimed

from mailauth.cli.exit_status import ExitStatus
from mailauth.cli.main import main
from mailauth.dns.zonefile import ZoneSource
from mailauth.render.environment import Environment

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples" / "zones"
MESSAGES = REPO / "samples" / "messages"
ZONES = ["--zone", str(SAMPLES)]


def cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_several_formats_in_one_run_match_their_single_runs(tmp_path: Path) -> None:
    as_json, as_text = tmp_path / "report.json", tmp_path / "report.txt"
    both = cli(
        "check", "example.jp", "broken.example", *ZONES,
        "--format", "json", "-o", str(as_json), "--format", "text", "-o", str(as_text),
    )  # fmt: skip
    assert both.exit_code == ExitStatus.OK, both.output
    assert both.stdout == ""
    alone_json = cli("check", "example.jp", "broken.example", *ZONES, "--format", "json")
    alone_text = cli("check", "example.jp", "broken.example", *ZONES)
    assert untimed(as_json.read_text(encoding="utf-8")) == untimed(alone_json.stdout)
    assert as_text.read_text(encoding="utf-8") == alone_text.stdout
    assert [d["domain"] for d in json.loads(alone_json.stdout)] == ["example.jp", "broken.example"]


def test_dash_is_standard_output(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    result = cli(
        "check", "example.jp", *ZONES,
        "--format", "json", "-o", str(target), "--format", "text", "-o", "-",
    )  # fmt: skip
    assert result.exit_code == ExitStatus.OK
    assert result.stdout.startswith("mailauth check: example.jp")
    assert json.loads(target.read_text(encoding="utf-8"))["domain"] == "example.jp"
    twice = cli(
        "check", "example.jp", *ZONES, "--format", "json", "-o", "-", "--format", "text", "-o", "-"
    )
    assert twice.exit_code == ExitStatus.USAGE_ERROR


def test_one_output_file_without_format_is_text(tmp_path: Path) -> None:
    target = tmp_path / "report.txt"
    result = cli("check", "example.jp", *ZONES, "-o", str(target))
    assert result.exit_code == ExitStatus.OK
    assert target.read_text(encoding="utf-8").startswith("mailauth check: example.jp")


def test_formats_and_files_must_pair_up(tmp_path: Path) -> None:
    result = cli("check", "example.jp", *ZONES, "--format", "json", "--format", "text")
    assert result.exit_code == ExitStatus.USAGE_ERROR
    assert "-o FILE for each --format" in result.stderr
    result = cli(
        "check", "example.jp", *ZONES, "-o", str(tmp_path / "a"), "-o", str(tmp_path / "b")
    )
    assert result.exit_code == ExitStatus.USAGE_ERROR
    assert not any(tmp_path.iterdir())


def test_a_format_a_command_does_not_write_is_refused() -> None:
    result = cli("check", "example.jp", *ZONES, "--format", "authentication-results")
    assert result.exit_code == ExitStatus.USAGE_ERROR
    assert "authentication-results" in result.stderr


def test_an_output_file_is_never_an_input(tmp_path: Path) -> None:
    zone = tmp_path / "example.jp.zone"
    zone.write_bytes((SAMPLES / "example.jp.zone").read_bytes())
    before = digest(zone)
    result = cli("check", "example.jp", "--zone", str(zone), "-o", str(zone))
    assert result.exit_code == ExitStatus.USAGE_ERROR
    assert "refusing to overwrite" in result.stderr
    assert digest(zone) == before

    message = tmp_path / "good.eml"
    message.write_bytes((MESSAGES / "good.eml").read_bytes())
    before = digest(message)
    result = cli("verify", str(message), *ZONES, "--format", "json", "-o", str(message))
    assert result.exit_code == ExitStatus.USAGE_ERROR
    assert digest(message) == before


def test_a_failed_run_leaves_the_previous_report_in_place(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.write_text("previous\n", encoding="utf-8")
    result = cli("check", "example.jp", *ZONES, "--zone", str(tmp_path / "missing.zone"),
                 "--format", "json", "-o", str(target))  # fmt: skip
    assert result.exit_code == ExitStatus.USAGE_ERROR
    assert target.read_text(encoding="utf-8") == "previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


@pytest.mark.parametrize("files", [["good.eml"], ["good.eml", "list-forwarded-arc.eml"]])
def test_authentication_results_is_a_verify_format(files: list[str]) -> None:
    paths = [str(MESSAGES / f) for f in files]
    flag = cli("verify", *paths, *ZONES, "--authentication-results")
    fmt = cli("verify", *paths, *ZONES, "--format", "authentication-results")
    assert flag.exit_code == fmt.exit_code == ExitStatus.OK
    assert flag.stdout == fmt.stdout
    assert fmt.stdout.count("Authentication-Results:") == len(files)
    assert (f"==> {paths[0]} <==" in fmt.stdout) is (len(files) > 1)


def test_verify_writes_json_and_headers_in_one_run(tmp_path: Path) -> None:
    report, header = tmp_path / "report.json", tmp_path / "ar.txt"
    good = str(MESSAGES / "good.eml")
    result = cli(
        "verify", good, *ZONES,
        "--format", "json", "-o", str(report),
        "--format", "authentication-results", "-o", str(header),
    )  # fmt: skip
    assert result.exit_code == ExitStatus.OK, result.output
    assert json.loads(report.read_text(encoding="utf-8"))["file"] == good
    assert header.read_text(encoding="utf-8").startswith("Authentication-Results:")


# -- streaming -------------------------------------------------------------------------------

BULK = 300


def bulk_zone(path: Path) -> Path:
    lines = [
        "$ORIGIN test.",
        "$TTL 300",
        "@ SOA ns.test. admin.test. 1 3600 600 86400 300",
        "@ NS ns",
    ]
    for i in range(BULK):
        lines.append(f'd{i} TXT "v=spf1 -all"')
        lines.append(f"d{i} MX 0 .")
        lines.append(f'_dmarc.d{i} TXT "v=DMARC1; p=reject"')
    path.write_text("\n".join(lines) + "\n", encoding="ascii")
    return path


class Watched(io.StringIO):
    """Standard output that notes, at its first write, which domains had been looked up."""

    def __init__(self, queried: list[str]) -> None:
        super().__init__()
        self.queried = queried
        self.seen_at_first_write: set[str] | None = None

    def write(self, text: str) -> int:
        if self.seen_at_first_write is None and text.strip():
            self.seen_at_first_write = set(self.queried)
        return super().write(text)


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_check_streams_reports_as_domains_finish(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    zone = bulk_zone(tmp_path / "test.zone")
    queried: list[str] = []
    original = ZoneSource.query

    async def watched_query(self: ZoneSource, name: str, rdtype: str) -> object:
        queried.append(name.rstrip(".").lower())
        return await original(self, name, rdtype)

    monkeypatch.setattr(ZoneSource, "query", watched_query)
    out = Watched(queried)
    env = Environment(out, io.StringIO(), colors=False)
    domains = [f"d{i}.test" for i in range(BULK)]
    result = CliRunner().invoke(
        main, ["check", *domains, "--zone", str(zone), "--format", fmt], obj=env,
        catch_exceptions=False,
    )  # fmt: skip
    assert result.exit_code == ExitStatus.OK, env.stderr.getvalue()  # type: ignore[attr-defined]
    assert out.seen_at_first_write is not None
    last = domains[-1]
    assert last not in out.seen_at_first_write, "the first report waited for the last domain"
    assert last in queried
    text = out.getvalue()
    if fmt == "json":
        assert [d["domain"] for d in json.loads(text)] == domains
    else:
        assert text.count("mailauth check: d") == BULK

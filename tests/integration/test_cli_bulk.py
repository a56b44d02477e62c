"""`mailauth check` bulk options in-process: --domains-file, --concurrency, --dkim-selectors,
and the progress bar (a terminal only; nothing when piped)."""

from __future__ import annotations

import io
import json
from pathlib import Path

from click.testing import CliRunner

from mailauth.cli.exit_status import ExitStatus
from mailauth.cli.main import main
from mailauth.domain.dkim_selectors import COMMON_SELECTORS
from mailauth.render.environment import Environment

REPO = Path(__file__).resolve().parents[2]
ZONES = ["--zone", str(REPO / "samples" / "zones")]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def invoke(args: list[str], env: Environment | None = None, stdin: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["check", *args], obj=env, input=stdin, catch_exceptions=False)


def test_domains_file_and_arguments_together(tmp_path: Path) -> None:
    listing = tmp_path / "list.txt"
    listing.write_text("# mine\nbroken.example  # the bad one\nexample.jp\n\nEXAMPLE.JP.\n")
    result = invoke(["example.jp", "--domains-file", str(listing), *ZONES, "--format", "json"])
    assert result.exit_code in (ExitStatus.OK, ExitStatus.THRESHOLD_FAILED), result.output
    assert [r["domain"] for r in json.loads(result.stdout)] == ["example.jp", "broken.example"]


def test_domains_from_stdin() -> None:
    result = invoke(
        ["--domains-file", "-", *ZONES, "--format", "json"], stdin="example.jp\nshop.example\n"
    )
    assert [r["domain"] for r in json.loads(result.stdout)] == ["example.jp", "shop.example"]


def test_no_domain_at_all_is_a_usage_error() -> None:
    result = invoke([*ZONES])
    assert result.exit_code == ExitStatus.USAGE_ERROR
    assert "give --domains-file FILE" in result.output


def test_bad_line_is_exit_2_before_any_query(tmp_path: Path) -> None:
    listing = tmp_path / "list.txt"
    listing.write_text("example.jp\nnot a domain\n")
    result = invoke(["--domains-file", str(listing), *ZONES])
    assert result.exit_code == ExitStatus.USAGE_ERROR
    assert f"{listing}, line 2" in result.stderr and "Traceback" not in result.output
    assert result.stdout == ""


def test_concurrency_is_validated() -> None:
    result = invoke(["example.jp", "--concurrency", "0", *ZONES])
    assert result.exit_code == ExitStatus.USAGE_ERROR


def dkim_of(args: list[str]) -> dict[str, object]:
    result = invoke(["example.jp", *ZONES, "--format", "json", *args])
    report: dict[str, object] = json.loads(result.stdout)["dkim"]
    return report


def test_dkim_selectors_common_none_and_file(tmp_path: Path) -> None:
    common = dkim_of([])
    assert len(common["tried"]) == len(COMMON_SELECTORS)  # type: ignore[arg-type]
    assert dkim_of(["--dkim-selectors", "common"]) == common
    none = dkim_of(["--dkim-selectors", "none"])
    assert none["tried"] == [] and none["selectors"] == [] and none["status"] == "none"
    named = dkim_of(["--dkim-selectors", "none", "--selector", "s2"])
    assert named["tried"] == ["s2"]
    own = tmp_path / "selectors.txt"
    own.write_text("# ours\ns2\nnothere\n")
    chosen = dkim_of(["--dkim-selectors", str(own)])
    assert chosen["tried"] == ["s2", "nothere"]
    assert [s["selector"] for s in chosen["selectors"]] == ["s2"]  # type: ignore[attr-defined]


def test_bad_selector_file_is_exit_2(tmp_path: Path) -> None:
    result = invoke(["example.jp", *ZONES, "--dkim-selectors", str(tmp_path / "missing")])
    assert result.exit_code == ExitStatus.USAGE_ERROR and "cannot read" in result.stderr


def test_progress_bar_on_a_terminal_when_reports_go_to_a_file(tmp_path: Path) -> None:
    err = Terminal()
    env = Environment(io.StringIO(), err, colors=False)
    out = tmp_path / "r.json"
    result = invoke(
        ["example.jp", "broken.example", *ZONES, "--format", "json", "-o", str(out)], env
    )
    assert result.exit_code in (ExitStatus.OK, ExitStatus.THRESHOLD_FAILED)
    shown = err.getvalue()
    assert "Checking" in shown and "2/2" in shown and "domains/s" in shown
    assert len(json.loads(out.read_text())) == 2


def test_no_progress_bar_when_piped_or_reports_on_the_terminal() -> None:
    piped = Environment(io.StringIO(), io.StringIO(), colors=False)
    invoke(["example.jp", "broken.example", *ZONES], piped)
    assert piped.stderr.getvalue() == ""  # type: ignore[attr-defined]
    screen = Terminal()
    shared = Environment(screen, screen, colors=False)
    invoke(["example.jp", "broken.example", *ZONES], shared)
    assert (
        "Checking" not in screen.getvalue()
        and "mailauth check: broken.example" in screen.getvalue()
    )

"""Shared options: one settings object per group, an injectable output environment."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import click
from click.testing import CliRunner

from mailauth.cli.options import DnsSettings, OutputSettings, dns_options, output_options
from mailauth.model import Severity
from mailauth.render.environment import Environment
from mailauth.render.interface import Format
from mailauth.render.registry import domain_formats

REPO = Path(__file__).resolve().parents[3]


def probe() -> tuple[click.Command, dict[str, Any]]:
    seen: dict[str, Any] = {}

    @click.command()
    @dns_options
    @output_options(domain_formats)
    @click.pass_context
    def cmd(ctx: click.Context, dns: DnsSettings, output: OutputSettings) -> None:
        seen["dns"], seen["output"] = dns, output
        seen["env"] = output.environment(ctx)

    return cmd, seen


def test_options_collapse_into_settings() -> None:
    cmd, seen = probe()
    zones = str(REPO / "samples" / "zones")
    result = CliRunner().invoke(
        cmd,
        [
            "--zone",
            zones,
            "--nameserver",
            "127.0.0.1:5353",
            "--nameserver",
            "[::1]",
            "--timeout",
            "1.5",
            "--retries",
            "0",
            "--deadline",
            "9",
            "--format",
            "json",
            "--fail-under",
            "80",
            "--fail-on",
            "high",
            "--debug",
            "--no-color",
        ],
    )
    assert result.exit_code == 0, result.output
    dns: DnsSettings = seen["dns"]
    assert dns == DnsSettings(
        zones=(Path(zones),),
        nameservers=("127.0.0.1:5353", "[::1]"),
        timeout=1.5,
        retries=0,
        deadline=9.0,
    )
    output: OutputSettings = seen["output"]
    assert output.format is Format.JSON
    assert output.threshold.fail_under == 80
    assert output.threshold.fail_on is Severity.HIGH
    assert output.debug and output.no_color


def test_defaults() -> None:
    cmd, seen = probe()
    assert CliRunner().invoke(cmd, []).exit_code == 0
    assert seen["dns"] == DnsSettings()
    assert seen["output"] == OutputSettings()


def test_environment_can_be_injected_through_ctx_obj() -> None:
    cmd, seen = probe()
    env = Environment(io.StringIO(), io.StringIO(), colors=True)
    CliRunner().invoke(cmd, [], obj=env)
    assert seen["env"] is env


def test_no_color_flag_reaches_detection() -> None:
    cmd, seen = probe()
    CliRunner().invoke(cmd, ["--no-color"], env={"FORCE_COLOR": "1"})
    assert seen["env"].colors is False


def test_zone_settings_build_an_offline_source() -> None:
    import asyncio

    source = DnsSettings(zones=(REPO / "samples" / "zones",)).build()
    answer = asyncio.run(source.query("example.jp", "MX"))
    assert answer.mx() == [(10, "mx1.example.jp"), (20, "mx2.example.jp")]

"""Options shared by every command (`check`, `verify`, `spf`): where DNS answers come from,
and how the result is shown and judged.

Each decorator adds its options and hands the command ONE settings object instead of a
dozen keyword arguments (`dns: DnsSettings`, `output: OutputSettings`), so commands stay
thin and the option set cannot drift between them. Help text comes from `mailauth.i18n`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import click

from mailauth.dns.interface import DnsSource
from mailauth.i18n import label
from mailauth.model import Severity
from mailauth.render.environment import Environment
from mailauth.render.interface import Format
from mailauth.scoring import Threshold

F = TypeVar("F", bound=Callable[..., Any])

DEFAULT_TIMEOUT = 5.0
DEFAULT_RETRIES = 1


@dataclass(frozen=True)
class DnsSettings:
    """Where answers come from: zone files (offline), given nameservers, or the system's."""

    zones: tuple[Path, ...] = ()
    nameservers: tuple[str, ...] = ()
    timeout: float = DEFAULT_TIMEOUT
    retries: int = DEFAULT_RETRIES
    deadline: float | None = None

    def build(self) -> DnsSource:
        """The DnsSource for these settings. Raises ZoneLoadError for a bad zone file."""
        from mailauth.dns.factory import build_source

        return build_source(
            zone_paths=list(self.zones),
            nameservers=list(self.nameservers),
            timeout=self.timeout,
            retries=self.retries,
            deadline=self.deadline,
        )


@dataclass(frozen=True)
class OutputSettings:
    format: Format = Format.TEXT
    threshold: Threshold = field(default_factory=Threshold)
    debug: bool = False
    no_color: bool = False

    def environment(self, ctx: click.Context | None = None) -> Environment:
        """The output environment: injected by a caller through `ctx.obj` (tests, embedding),
        else detected from this process now."""
        obj = ctx.find_object(Environment) if ctx is not None else None
        if obj is not None:
            return obj
        return Environment.detect(no_color=self.no_color)


def _nameserver(
    ctx: click.Context, param: click.Parameter, values: Sequence[str]
) -> tuple[str, ...]:
    from mailauth.dns.live import parse_nameserver

    out: list[str] = []
    for value in values:
        try:
            parse_nameserver(value)
        except ValueError:
            raise click.BadParameter(label("error.nameserver", "en", value=value)) from None
        out.append(value.strip())
    return tuple(out)


def dns_options(command: F) -> F:
    """--zone, --nameserver, --timeout, --retries, --deadline -> `dns: DnsSettings`."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        kwargs["dns"] = DnsSettings(
            zones=tuple(kwargs.pop("zone")),
            nameservers=tuple(kwargs.pop("nameserver")),
            timeout=kwargs.pop("timeout"),
            retries=kwargs.pop("retries"),
            deadline=kwargs.pop("deadline"),
        )
        return command(*args, **kwargs)

    decorators = (
        click.option(
            "--zone",
            "zone",
            multiple=True,
            metavar="PATH",
            type=click.Path(exists=True, readable=True, path_type=Path),
            help=label("cli.option.zone"),
        ),
        click.option(
            "--nameserver",
            "nameserver",
            multiple=True,
            metavar="HOST[:PORT]",
            callback=_nameserver,
            help=label("cli.option.nameserver"),
        ),
        click.option(
            "--timeout",
            type=click.FloatRange(min=0.05, max=120),
            default=DEFAULT_TIMEOUT,
            show_default=True,
            metavar="SECONDS",
            help=label("cli.option.timeout"),
        ),
        click.option(
            "--retries",
            type=click.IntRange(min=0, max=10),
            default=DEFAULT_RETRIES,
            show_default=True,
            help=label("cli.option.retries"),
        ),
        click.option(
            "--deadline",
            type=click.FloatRange(min=0.1),
            default=None,
            metavar="SECONDS",
            help=label("cli.option.deadline"),
        ),
    )
    result: Callable[..., Any] = wrapper
    for decorate in reversed(decorators):
        result = decorate(result)
    return result  # type: ignore[return-value]


def output_options(command: F) -> F:
    """--format, --fail-under, --fail-on, --debug, --no-color -> `output: OutputSettings`."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        fail_on = kwargs.pop("fail_on")
        kwargs["output"] = OutputSettings(
            format=Format(kwargs.pop("output_format")),
            threshold=Threshold(
                fail_under=kwargs.pop("fail_under"),
                fail_on=Severity(fail_on) if fail_on else None,
            ),
            debug=kwargs.pop("debug"),
            no_color=kwargs.pop("no_color"),
        )
        return command(*args, **kwargs)

    decorators = (
        click.option(
            "--format",
            "output_format",
            type=click.Choice([f.value for f in Format]),
            default=Format.TEXT.value,
            show_default=True,
            help=label("cli.option.format"),
        ),
        click.option(
            "--fail-under",
            type=click.IntRange(0, 100),
            default=None,
            metavar="SCORE",
            help=label("cli.option.fail-under"),
        ),
        click.option(
            "--fail-on",
            type=click.Choice([s.value for s in Severity]),
            default=None,
            help=label("cli.option.fail-on"),
        ),
        click.option("--debug", is_flag=True, help=label("cli.option.debug")),
        click.option("--no-color", is_flag=True, help=label("cli.option.no-color")),
    )
    result: Callable[..., Any] = wrapper
    for decorate in reversed(decorators):
        result = decorate(result)
    return result  # type: ignore[return-value]

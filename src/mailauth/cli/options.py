"""Options shared by the commands: where DNS answers come from, how the result is shown,
and when a run counts as failed.

Each decorator adds its options and hands the command ONE settings object instead of a
dozen keyword arguments (`dns: DnsSettings`, `output: OutputSettings`), so commands stay
thin and the option set cannot drift between them. Help text comes from `mailauth.i18n`,
looked up when the help is shown (`mailauth.cli.localize`), so --lang and the locale apply.
"""

from __future__ import annotations

import functools
import inspect
import ipaddress
from collections.abc import Callable, Sequence
from dataclasses import field, replace
from pathlib import Path
from typing import Any, Protocol, TypeVar, cast

import click

from mailauth.cli.localize import chosen_language, lang_option, language, option
from mailauth.dns.interface import DnsSource
from mailauth.frozen import frozen
from mailauth.i18n import label
from mailauth.model import Severity
from mailauth.render.environment import Environment
from mailauth.render.interface import Format
from mailauth.render.output import Destination, Opener
from mailauth.render.registry import Formats, supported
from mailauth.scoring import Threshold

F = TypeVar("F", bound=Callable[..., Any])
R = TypeVar("R")
Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]

DEFAULT_TIMEOUT = 5.0
DEFAULT_RETRIES = 1
# The deadline a run gets when none is given (issue 9, item 8: a server answering every
# query in 4.9 s made `check` take 103 s): `check` per domain, `verify` per message, `spf`
# for its one evaluation. Past it the result is incomplete (exit status 3), never wrong.
DEFAULT_DEADLINE = 30.0


@frozen
class DnsSettings:
    """Where answers come from: zone files (offline), given nameservers, or the system's."""

    zones: tuple[Path, ...] = ()
    nameservers: tuple[str, ...] = ()
    timeout: float = DEFAULT_TIMEOUT
    retries: int = DEFAULT_RETRIES
    deadline: float | None = None

    def build(self, *, blocking: bool = False) -> DnsSource:
        """The DnsSource for these settings. Raises ZoneLoadError for a bad zone file.
        `blocking`: for a run without an event loop (`concurrency.run_blocking`)."""
        from mailauth.dns.factory import build_source  # dnspython loads only when a run starts

        return build_source(
            zone_paths=list(self.zones),
            nameservers=list(self.nameservers),
            timeout=self.timeout,
            retries=self.retries,
            deadline=self.deadline,
            blocking=blocking,
        )


@frozen
class OutputSettings:
    """How the result is shown and judged. `outputs` pairs each --format with its -o FILE
    (None: standard output), in the order given."""

    outputs: tuple[tuple[Format, Path | None], ...] = ((Format.TEXT, None),)
    threshold: Threshold = field(default_factory=Threshold)
    debug: bool = False
    no_color: bool = False
    exit_zero: bool = False  # a failed threshold (1) exits 0; errors (2, 3) stay

    @property
    def format(self) -> Format:
        """The first (usually the only) format."""
        return self.outputs[0][0]

    def plan(self, formats: Formats[R]) -> list[tuple[Opener[R], Destination]]:
        """The writers of this run for a command whose formats are `formats`."""
        plan: list[tuple[Opener[R], Destination]] = []
        for fmt, path in self.outputs:
            opener = formats(fmt)
            if opener is None:  # click's Choice already refused it; a library caller may not
                raise click.UsageError(f"--format {fmt.value} is not available here")
            in_place = path is not None and fmt in (Format.JSONL, Format.CSV)
            plan.append((opener, Destination(path, in_place=in_place)))
        return plan

    def refuse_inputs(self, inputs: Sequence[str | Path]) -> None:
        """-o must never name a file the run reads (a message, a zone file): a report
        written over its own input would destroy it."""
        given = {_identity(Path(i)) for i in inputs if str(i) != "-"}
        for _, path in self.outputs:
            if path is not None and _identity(path) in given:
                raise click.UsageError(label("error.output-is-input", language(), path=str(path)))

    def environment(self, ctx: click.Context | None = None) -> Environment:
        """The output environment: injected by a caller through `ctx.obj` (tests, embedding),
        else detected from this process now. Its language is --lang's when given (also over
        an injected one), else the environment's (MAILAUTH_LANG, LC_ALL, ...)."""
        obj = ctx.find_object(Environment) if ctx is not None else None
        if obj is not None:
            chosen = chosen_language(ctx)
            return obj if chosen is None else replace(obj, lang=chosen)
        return Environment.detect(no_color=self.no_color, lang=language(ctx))


def _identity(path: Path) -> tuple[int, int] | str:
    """The same file however it is named (a symlink, ./x and x); the resolved path when it
    does not exist yet."""
    try:
        st = path.stat()
    except OSError:
        return str(path.resolve())
    return (st.st_dev, st.st_ino)


def pair_outputs(
    formats: Sequence[str], files: Sequence[Path]
) -> tuple[tuple[Format, Path | None], ...]:
    """`--format F -o FILE` pairs, in order (`-o -` is standard output). Without -o, one
    format goes to standard output; one -o without --format writes text there. Anything else
    must pair up exactly, so a format is never silently dropped or sent somewhere the user
    did not say."""
    chosen = [Format(f) for f in formats]
    if not files:
        if len(chosen) > 1:
            raise click.UsageError(label("error.output-pairs", language()))
        return ((chosen[0] if chosen else Format.TEXT, None),)
    if not chosen and len(files) == 1:
        chosen = [Format.TEXT]
    if len(chosen) != len(files):
        raise click.UsageError(label("error.output-pairs", language()))
    targets = [None if str(f) == "-" else f for f in files]  # -o - is standard output
    named = [f for f in targets if f is not None]
    if len({_identity(f) for f in named}) != len(named) or len(files) - len(named) > 1:
        raise click.UsageError(label("error.output-twice", language()))
    for f in named:
        if f.is_dir():
            raise click.UsageError(label("error.output-is-dir", language(), path=str(f)))
    return tuple(zip(chosen, targets, strict=True))


def _grouped(target: str, build: Callable[..., Any], options: Sequence[Decorator]) -> Decorator:
    """Add `options` to a command and replace their values by `target=build(**values)`.

    The parameters of `build` name the click parameters it consumes, so the list of names
    is written once (in `build`'s signature) and a renamed option fails at once."""
    names = tuple(inspect.signature(build).parameters)

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(command)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            kwargs[target] = build(**{name: kwargs.pop(name) for name in names})
            return command(*args, **kwargs)

        result: Callable[..., Any] = wrapper
        for add_option in reversed(options):
            result = add_option(result)
        return result

    return decorate


def _nameserver(
    ctx: click.Context, param: click.Parameter, values: Sequence[str]
) -> tuple[str, ...]:
    if not values:  # click calls this for every run: a --zone run needs no DNS client
        return ()
    from mailauth.dns.live import parse_nameserver

    out: list[str] = []
    for value in values:
        try:
            parse_nameserver(value)
        except ValueError:
            # --lang is eager: its language is known before this option is parsed.
            raise click.BadParameter(
                label("error.nameserver", language(ctx), value=value)
            ) from None
        out.append(value.strip())
    return tuple(out)


def ip_address(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Callback of --ip (`verify`, `spf`): the address in canonical form; [brackets] allowed."""
    if value is None:
        return None
    try:
        address = ipaddress.ip_address(value.strip().strip("[]"))
    except ValueError:
        raise click.BadParameter(label("error.ip", language(ctx), value=value)) from None
    if getattr(address, "scope_id", None):  # fe80::1%eth0: RFC 4007 §11, local to this host
        raise click.BadParameter(label("error.ip-zone", language(ctx), value=value))
    return str(address)


def header_token(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """Callback of --authserv-id: one line of printable text, written into a header field
    we print (RFC 8601 §2.5); a line break would add header lines of its own."""
    if not value.strip() or not value.isprintable():
        raise click.BadParameter(label("error.authserv-id", language(ctx), value=value))
    return value


def _dns_settings(
    zone: tuple[Path, ...],
    nameserver: tuple[str, ...],
    timeout: float,
    retries: int,
    deadline: float | None,
) -> DnsSettings:
    return DnsSettings(
        zones=zone, nameservers=nameserver, timeout=timeout, retries=retries, deadline=deadline
    )


_dns_options = _grouped(
    "dns",
    _dns_settings,
    (
        option(
            "--zone",
            multiple=True,
            metavar="PATH",
            type=click.Path(exists=True, readable=True, path_type=Path),
            help_key="cli.option.zone",
        ),
        option(
            "--nameserver",
            multiple=True,
            metavar="HOST[:PORT]",
            callback=_nameserver,
            help_key="cli.option.nameserver",
        ),
        option(
            "--timeout",
            type=click.FloatRange(min=0.05, max=120),
            default=DEFAULT_TIMEOUT,
            show_default=True,
            metavar="SECONDS",
            help_key="cli.option.timeout",
        ),
        option(
            "--retries",
            type=click.IntRange(min=0, max=10),
            default=DEFAULT_RETRIES,
            show_default=True,
            metavar="N",
            help_key="cli.option.retries",
        ),
        option(
            "--deadline",
            type=click.FloatRange(min=0.1),
            default=None,
            metavar="SECONDS",
            help_key="cli.option.deadline",
        ),
    ),
)


def _format_options(formats: Formats[Any]) -> tuple[Decorator, ...]:
    """--format (the choices this command supports) and -o/--output, both repeatable."""
    return (
        option(
            "--format",
            "output_format",
            type=click.Choice([f.value for f in supported(formats)]),
            multiple=True,
            default=(Format.TEXT.value,),
            show_default=True,
            metavar="FORMAT",
            list_choices=True,
            help_key="cli.option.format",
        ),
        option(
            "-o",
            "--output",
            "output_file",
            multiple=True,
            metavar="FILE",
            type=click.Path(dir_okay=False, writable=True, allow_dash=True, path_type=Path),
            help_key="cli.option.output",
        ),
    )


_THRESHOLD = (
    option(
        "--fail-under",
        type=click.IntRange(0, 100),
        default=None,
        metavar="SCORE",
        help_key="cli.option.fail-under",
    ),
    option(
        "--fail-on",
        type=click.Choice([s.value for s in Severity]),
        default=None,
        help_key="cli.option.fail-on",
    ),
    option("--allow-incomplete", is_flag=True, help_key="cli.option.allow-incomplete"),
    option("--exit-zero", is_flag=True, help_key="cli.option.exit-zero"),
)
_DISPLAY = (
    option("--debug", is_flag=True, help_key="cli.option.debug"),
    option("--no-color", is_flag=True, help_key="cli.option.no-color"),
    lang_option(),
)


def _output_settings(
    output_format: tuple[str, ...],
    output_file: tuple[Path, ...],
    fail_under: int | None,
    fail_on: str | None,
    allow_incomplete: bool,
    exit_zero: bool,
    debug: bool,
    no_color: bool,
) -> OutputSettings:
    threshold = Threshold(
        fail_under=fail_under,
        fail_on=Severity(fail_on) if fail_on else None,
        allow_incomplete=allow_incomplete,
    )
    outputs = pair_outputs(output_format, output_file)
    return OutputSettings(outputs, threshold, debug=debug, no_color=no_color, exit_zero=exit_zero)


def _output_settings_unjudged(
    output_format: tuple[str, ...], output_file: tuple[Path, ...], debug: bool, no_color: bool
) -> OutputSettings:
    return OutputSettings(pair_outputs(output_format, output_file), debug=debug, no_color=no_color)


def dns_options(command: F) -> F:
    """--zone, --nameserver, --timeout, --retries, --deadline -> `dns: DnsSettings`."""
    return cast(F, _dns_options(command))


class CommandDecorator(Protocol):
    """A decorator that returns the command it was given, typed as it was."""

    def __call__(self, command: F, /) -> F: ...


def _keeping_type(decorate: Decorator) -> CommandDecorator:
    def typed(command: F, /) -> F:
        return cast(F, decorate(command))

    return typed


def output_options(formats: Formats[Any]) -> CommandDecorator:
    """--format (this command's `formats`), -o, --fail-under, --fail-on, --allow-incomplete,
    --debug, --no-color -> `output: OutputSettings`; --lang -> the invocation's language
    (`cli.localize`)."""
    group = _grouped(
        "output", _output_settings, (*_format_options(formats), *_THRESHOLD, *_DISPLAY)
    )
    return _keeping_type(group)


def unjudged_output_options(formats: Formats[Any]) -> CommandDecorator:
    """--format, -o, --debug, --no-color -> `output: OutputSettings` (and --lang), for a
    command with no score to hold against a threshold (`spf`: its exit status is its result)."""
    group = _grouped("output", _output_settings_unjudged, (*_format_options(formats), *_DISPLAY))
    return _keeping_type(group)

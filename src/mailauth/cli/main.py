"""The `mailauth` command group: the only place (with the command modules) that prints or exits.

`MailauthGroup.main` makes click's own usage errors one line on stderr, like every other
error, with exit status 2; `mailauth` with no arguments prints the help instead, as
`mailauth --help` does (on every click version: 8.2 made it an error). Importing this module
imports no check code: the commands import theirs when they run (bench/startup.py).
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import ItemsView, Iterator, KeysView, Sequence, ValuesView
from typing import Any

import click

from mailauth import __version__
from mailauth.cli import click_words
from mailauth.cli.exit_status import INTERRUPTED, ExitStatus
from mailauth.cli.localize import (
    LocalizedTexts,
    lang_option,
    language,
    option,
    prescan_language,
)
from mailauth.i18n import label
from mailauth.render.sanitize import printable

click_words.install()  # click's own words ("Usage:") in the language of the invocation

CONTEXT_SETTINGS: dict[str, Any] = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class MailauthGroup(LocalizedTexts, click.Group):
    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        prescan_language(ctx, args)
        if not args:
            click.echo(ctx.get_help(), color=ctx.color)
            ctx.exit(ExitStatus.OK)
        return super().parse_args(ctx, args)

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            status = super().main(args, prog_name, complete_var, False, **extra)
        except click.UsageError as exc:
            command = exc.ctx.command_path if exc.ctx else (prog_name or "mailauth")
            lang = language(exc.ctx)
            message = label("error.usage", lang, message=exc.format_message(), command=command)
            _tell(label("error.line", lang, message=printable(message)))
            sys.exit(ExitStatus.USAGE_ERROR)
        except click.ClickException as exc:
            message = printable(exc.format_message())
            _tell(label("error.line", language(), message=message))
            sys.exit(exc.exit_code)
        except click.Abort:
            lang = language()
            _tell(label("error.line", lang, message=label("error.aborted", lang)))
            sys.exit(INTERRUPTED)
        sys.exit(status if isinstance(status, int) else ExitStatus.OK)


def _show_version(ctx: click.Context, value: bool) -> None:
    """-V/--version, as click.version_option prints it, in the language of the moment (click's
    own option fixes its help text when the module is imported)."""
    if not value or ctx.resilient_parsing:
        return
    words = label("click.version", language(ctx))
    click.echo(words % {"prog": "mailauth", "version": __version__}, color=ctx.color)
    ctx.exit()


def _tell(line: str) -> None:
    """One error line on stderr; with stderr closed (`2>&-`) the line is lost but the exit
    status is kept (an exception here would make it Python's 1, the threshold status)."""
    with contextlib.suppress(OSError, ValueError):
        click.echo(line, err=True)


@click.group(cls=MailauthGroup, context_settings=CONTEXT_SETTINGS)  # help: cli.main.help
@option(
    "-V",
    "--version",
    is_flag=True,
    is_eager=True,
    expose_value=False,
    callback=lambda ctx, _, value: _show_version(ctx, value),
    help_key="click.version-option",
)
@lang_option(hidden=True)  # `mailauth --lang ja --help`; hidden: the commands document it
def main() -> None:
    pass


class _LazyCommands(dict[str, click.Command]):
    """`main.commands`, with each command's module imported when that command is first
    asked for (running it, its help, `mailauth --help`'s list): `mailauth verify` does not
    import check's, report's and spf's modules (start-up, bench/startup.py). Iterating the
    names imports nothing; anything that reads the commands themselves imports them."""

    def __init__(self, modules: dict[str, str]) -> None:
        super().__init__()
        self._modules = dict(modules)

    def _load(self, name: str) -> None:
        module = self._modules.pop(name, None)
        if module is not None:
            __import__(module)  # not importlib.import_module: -X importtime lists this
            command = getattr(sys.modules[module], name)
            super().__setitem__(name, command)

    def _load_all(self) -> None:
        for name in list(self._modules):
            self._load(name)

    def __getitem__(self, name: str) -> click.Command:
        self._load(name)
        return super().__getitem__(name)

    def get(self, name: str, default: Any = None) -> Any:
        self._load(name)
        return super().get(name, default)

    def __contains__(self, name: object) -> bool:
        return name in self._modules or super().__contains__(name)

    def __iter__(self) -> Iterator[str]:
        return iter(sorted({*super().keys(), *self._modules}))

    def __len__(self) -> int:
        return len({*super().keys(), *self._modules})

    def keys(self) -> KeysView[str]:  # type: ignore[override]
        self._load_all()
        return super().keys()

    def values(self) -> ValuesView[click.Command]:  # type: ignore[override]
        self._load_all()
        return super().values()

    def items(self) -> ItemsView[str, click.Command]:  # type: ignore[override]
        self._load_all()
        return super().items()


# Commands live in their own modules (the command object has the command's name); this file
# is only the table.
main.commands = _LazyCommands(
    {
        "check": "mailauth.cli.check",
        "verify": "mailauth.cli.verify",
        "spf": "mailauth.cli.spf",
        "report": "mailauth.cli.report",
        "stats": "mailauth.cli.stats",
    }
)

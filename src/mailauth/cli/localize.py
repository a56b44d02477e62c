"""The CLI in the user's language: which language an invocation speaks, and help text that is
looked up when it is shown, not when the commands are defined.

The language is `--lang` when given, else `default_language()` (MAILAUTH_LANG, LC_ALL,
LC_MESSAGES, LANG). It is kept in the click context's `meta`, which every sub-context of an
invocation shares, so it reaches the help (rendered while options are still being parsed),
the option callbacks, the error lines and `Environment.lang` alike.

Help text is read through properties: a command's `help`, `short_help` and `epilog` are the
UI keys `cli.<command name>.help|short-help|epilog`, an option's `help` is its `help_key`.
Click reads those attributes only when it renders help, so the text is in the language of
that moment; `click.command(help=...)`-style strings would be fixed at import time.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click

from mailauth.i18n import LANGUAGES, default_language, has_label, label

F = TypeVar("F", bound=Callable[..., Any])

_META_KEY = "mailauth.lang"


def chosen_language(ctx: click.Context | None = None) -> str | None:
    """The language given with --lang in this invocation (the current one when `ctx` is
    None), or None."""
    if ctx is None:
        ctx = click.get_current_context(silent=True)
    if ctx is None:
        return None
    chosen = ctx.meta.get(_META_KEY)
    return chosen if isinstance(chosen, str) else None


def language(ctx: click.Context | None = None) -> str:
    """The language to speak now: --lang if given, else the environment's."""
    return chosen_language(ctx) or default_language()


def choose_language(ctx: click.Context, lang: str) -> None:
    """Speak `lang` in this invocation, as `--lang` does (tools/gen_docs.py pins English)."""
    ctx.meta[_META_KEY] = lang


def prescan_language(ctx: click.Context, args: Sequence[str]) -> None:
    """Apply a --lang given after --help (`mailauth check --help --lang ja`) to that help:
    click runs eager options in command-line order, so --help would print before --lang was
    read. Only a language that has a table is taken; the option itself reports a bad one."""
    for i, arg in enumerate(args):
        if arg == "--":
            return
        if arg == "--lang" and i + 1 < len(args):
            value = args[i + 1]
        elif arg.startswith("--lang="):
            value = arg[len("--lang=") :]
        else:
            continue
        if value in LANGUAGES:
            choose_language(ctx, value)


class LocalizedTexts:
    """`help`, `short_help` and `epilog` of a command or group, looked up on each read as
    `cli.<name>.help|short-help|epilog` in the current language (a text given to the
    constructor is used only when there is no such key)."""

    name: str | None
    _help: str | None = None
    _short_help: str | None = None
    _epilog: str | None = None

    def _text(self, part: str, given: str | None) -> str | None:
        key = f"cli.{self.name}.{part}"
        return label(key, language()) if has_label(key) else given

    @property
    def help(self) -> str | None:
        return self._text("help", self._help)

    @help.setter
    def help(self, value: str | None) -> None:
        self._help = value

    @property
    def short_help(self) -> str | None:
        return self._text("short-help", self._short_help)

    @short_help.setter
    def short_help(self, value: str | None) -> None:
        self._short_help = value

    @property
    def epilog(self) -> str | None:
        return self._text("epilog", self._epilog)

    @epilog.setter
    def epilog(self, value: str | None) -> None:
        self._epilog = value

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        """click's help option, its help in the language of this moment: click builds the
        option once per command and keeps it, with the words of the first invocation."""
        option: click.Option | None = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = label("click.help-option", language(ctx))
        return option


class LocalizedCommand(LocalizedTexts, click.Command):
    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        prescan_language(ctx, args)
        return super().parse_args(ctx, args)


class LocalizedOption(click.Option):
    """An option whose help is the UI key `help_key`, looked up in the current language."""

    def __init__(
        self,
        param_decls: Sequence[str] | None = None,
        *,
        help_key: str,
        list_choices: bool = False,
        **attrs: Any,
    ) -> None:
        self.help_key = help_key
        # A long list of choices goes into the help text, which wraps, instead of the
        # `[a|b|c]` metavar, which does not (and overflows an 80-column terminal).
        self.list_choices = list_choices
        super().__init__(param_decls, **attrs)

    @property
    def help(self) -> str | None:
        # cleandoc: what click.Option does to a help string given to its constructor.
        text = inspect.cleandoc(label(self.help_key, language()))
        if self.list_choices and isinstance(self.type, click.Choice):
            choices = ", ".join(str(c) for c in self.type.choices)
            text += " " + label("cli.option.choices", language(), choices=choices)
        return text

    @help.setter
    def help(self, value: str | None) -> None:
        if value:
            raise TypeError("a LocalizedOption's help is its help_key, not a string")


def option(*param_decls: str, help_key: str, **attrs: Any) -> Callable[[F], F]:
    """`click.option` with its help looked up at help time (the UI key `help_key`)."""
    return click.option(*param_decls, cls=LocalizedOption, help_key=help_key, **attrs)


def _store(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value is not None:
        choose_language(ctx, value)


def lang_option(*, hidden: bool = False) -> Callable[[F], F]:
    """--lang: eager, so the options after it (their errors) and --help already speak it;
    its value goes to the context, not to the command's parameters."""
    return option(
        "--lang",
        type=click.Choice(LANGUAGES),
        is_eager=True,
        expose_value=False,
        callback=_store,
        hidden=hidden,
        help_key="cli.option.lang",
    )

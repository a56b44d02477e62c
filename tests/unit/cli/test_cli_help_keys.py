"""Help text is looked up when help is shown, in the language of that moment: every command and
option of the CLI takes its text from a UI key, never from a string fixed at import time."""

from __future__ import annotations

import click
import pytest

from mailauth.cli.localize import LocalizedOption, LocalizedTexts
from mailauth.cli.main import main
from mailauth.i18n import has_label


def _commands() -> list[click.Command]:
    return [main, *main.commands.values()]


@pytest.mark.parametrize("command", _commands(), ids=lambda c: str(c.name))
def test_every_command_reads_its_texts_from_ui_keys(command: click.Command) -> None:
    assert isinstance(command, LocalizedTexts), f"{command.name}: use cls=LocalizedCommand"
    assert has_label(f"cli.{command.name}.help")
    if command is not main:
        assert has_label(f"cli.{command.name}.short-help")
        assert has_label(f"cli.{command.name}.epilog")
    assert command._help is None, "help= given as a string: it would be fixed at import"


@pytest.mark.parametrize("command", _commands(), ids=lambda c: str(c.name))
def test_every_option_reads_its_help_from_a_ui_key(command: click.Command) -> None:
    for param in command.params:  # --help is not among them: click adds it when parsing
        if not isinstance(param, click.Option):
            continue
        assert isinstance(param, LocalizedOption), f"{command.name} {param.opts}: use option()"
        assert has_label(param.help_key), param.help_key


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_has_lang(name: str) -> None:
    opts = {opt for p in main.commands[name].params for opt in p.opts}
    assert "--lang" in opts

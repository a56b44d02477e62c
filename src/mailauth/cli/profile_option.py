"""`mailauth check --checks LIST`: the survey profile (domain/profile.py), kept apart from
`cli/check.py` so that building the CLI imports none of the checks (start-up stays lazy)."""

from __future__ import annotations

import click

from mailauth.cli.localize import language
from mailauth.i18n import label


def checks_option(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> frozenset[str] | None:
    """Callback of --checks: `spf,dmarc,mx` -> the names (every name for `all`), None when
    not given (mailauth.toml's `checks` may then say); an unknown name is a usage error
    (exit 2) that lists the valid ones."""
    if value is None:
        return None
    from mailauth.domain.profile import UnknownChecks, check_names, parse_checks

    try:
        parsed = parse_checks(value)
    except UnknownChecks as exc:
        message = label(
            "error.checks.unknown",
            language(ctx),
            unknown=", ".join(exc.unknown),
            valid=", ".join(("all", *check_names())),
        )
        raise click.BadParameter(message) from None
    return parsed if parsed is not None else frozenset(check_names())

"""Option callbacks of the bulk-scan options of `check` (--shard), kept apart from
`cli/bulk_scan.py` so that building the CLI imports nothing of the scan machinery."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from mailauth.cli.localize import language
from mailauth.i18n import label

if TYPE_CHECKING:
    from mailauth.scan.shard import Shard


def shard_option(ctx: click.Context, param: click.Parameter, value: str | None) -> Shard | None:
    """Callback of --shard: `K/N` -> Shard, or a usage error saying what is wrong."""
    if value is None:
        return None
    from mailauth.scan.shard import ShardRangeError, ShardSyntaxError, parse_shard

    try:
        return parse_shard(value)
    except ShardSyntaxError:
        raise click.BadParameter(label("error.shard.syntax", language(ctx), value=value)) from None
    except ShardRangeError:
        raise click.BadParameter(label("error.shard.range", language(ctx), value=value)) from None

"""`mailauth stats RESULTS...`: adoption statistics over the JSONL results of a survey.

Thin on purpose: options in, `mailauth.stats` reads and counts, the writers render. The
statistics code is imported when the command runs (start-up stays fast). Malformed lines and
unreadable files are warnings on stderr (the figures are made from the rest); exit 2 when
no report could be read at all.
"""

from __future__ import annotations

from pathlib import Path

import click

from mailauth.cli.command import run
from mailauth.cli.exit_status import ExitStatus
from mailauth.cli.localize import LocalizedCommand, language, option
from mailauth.cli.options import OutputSettings, unjudged_output_options
from mailauth.errors import InputError, MailauthError, os_reason
from mailauth.i18n import label
from mailauth.render.environment import Environment
from mailauth.render.registry import stats_formats
from mailauth.render.sanitize import printable

BUILT_IN_GROUPS = ("tld", "jp-type", "ns-operator", "mx-operator")


class NothingReadError(MailauthError):
    key = "error.stats.nothing-read"


@click.command(cls=LocalizedCommand)  # help: cli.stats.help, .short-help, .epilog
@click.argument("results", nargs=-1, required=True, metavar="RESULTS...")
@option("--group-by", metavar="KEY", help_key="cli.option.stats-group-by")
@option(
    "--domains-csv",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help_key="cli.option.stats-domains-csv",
)
@option("--compare", multiple=True, metavar="OLD.jsonl", help_key="cli.option.stats-compare")
@unjudged_output_options(stats_formats)
@click.pass_context
def stats(
    ctx: click.Context,
    results: tuple[str, ...],
    group_by: str | None,
    domains_csv: Path | None,
    compare: tuple[str, ...],
    output: OutputSettings,
) -> None:
    if group_by is not None and group_by not in BUILT_IN_GROUPS and domains_csv is None:
        raise click.UsageError(
            label("error.stats.group-by-needs-csv", language(ctx), column=group_by)
        )

    def work(env: Environment) -> int:
        from mailauth.render.output import Outputs
        from mailauth.stats.reader import read_scan
        from mailauth.stats.run import build_stats

        output.refuse_inputs([*results, *compare, *([domains_csv] if domains_csv else [])])
        columns = (
            _columns(domains_csv, group_by) if group_by not in (None, *BUILT_IN_GROUPS) else None
        )
        stdin = click.get_binary_stream("stdin") if "-" in (*results, *compare) else None
        scan = read_scan(results, stdin)
        earlier = [read_scan([path], stdin) for path in compare]
        for s in (scan, *earlier):
            _warn(env, s)
        if not scan.domains:
            raise NothingReadError(count=len(results))
        for path, old in zip(compare, earlier, strict=True):
            if not old.domains:  # a comparison with nothing would show every share falling
                raise NothingReadError("error.stats.nothing-to-compare", path=path)
        result = build_stats(scan, group_by, columns, earlier)
        with Outputs(env, output.plan(stats_formats), 1) as out:
            out.emit(result)
        return ExitStatus.OK

    run(ctx, output, work)


def _columns(path: Path | None, column: str | None) -> dict[str, str]:
    from mailauth.stats.groups import ColumnError, read_column

    assert path is not None and column is not None
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(
            "error.stats.csv-unreadable", path=str(path), reason=os_reason(exc)
        ) from None
    except UnicodeDecodeError:
        raise InputError("error.stats.csv-unreadable", path=str(path), reason="not UTF-8") from None
    try:
        return read_column(text, column)
    except ColumnError as exc:
        raise InputError(exc.key, path=str(path), **exc.params) from None


def _warn(env: Environment, scan: object) -> None:
    """Each malformed line named (the first few), and each file that could not be read."""
    from mailauth.stats.reader import MAX_NAMED, ScanInput

    assert isinstance(scan, ScanInput)
    lang = env.lang
    lines = [
        label("stats.warning.malformed", lang, path=b.path, line=b.line,
              reason=label(b.reason.key, lang, **b.reason.params))
        for b in scan.bad_lines
    ]  # fmt: skip
    if scan.malformed > MAX_NAMED:
        lines.append(label("stats.warning.malformed-more", lang, count=scan.malformed - MAX_NAMED))
    lines += [
        label("stats.warning.unreadable", lang, path=u.path,
              reason=label(u.reason.key, lang, **u.reason.params))
        for u in scan.unreadable
    ]  # fmt: skip
    for line in lines:
        env.stderr.write(label("stats.warning.line", lang, message=printable(line)) + "\n")
    env.stderr.flush()

"""The CI options (issue 13): `--config`, `--ignore`, `--baseline`, `--fail-on-new`,
`--save-zone`, handed to a command as one `CiSettings`, and the merge of the configuration
file under the command line (an option given on the command line wins; a list given there
replaces the file's).

`check` takes all of them (`ci_options`); `verify` the policy part, `--config` and `--ignore`
(`policy_options`): the same options, settings and merge, so the two commands cannot drift.
A baseline is a domain's state (its records, its findings), which a message does not have:
see docs/ci.md, "Baselines".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click

from mailauth.cli.exit_status import ExitStatus
from mailauth.cli.localize import language, option
from mailauth.cli.options import OutputSettings, _grouped
from mailauth.frozen import frozen
from mailauth.i18n import label

if TYPE_CHECKING:
    from mailauth.config import Config
    from mailauth.domain.policy import Policy

F = TypeVar("F")


@frozen
class CiSettings:
    """The CI options as given on the command line; `settle` merges the configuration file
    under them."""

    config: Path | None = None
    ignore: tuple[str, ...] = ()
    baseline: Path | None = None
    fail_on_new: bool = False
    save_zone: Path | None = None

    def load(self) -> Config:
        """The configuration file of this run (`ConfigError`: exit 2)."""
        from mailauth.config import find_config

        return find_config(self.config)

    def policy(self, config: Config) -> Policy:
        """`--ignore` (or the file's `ignore`) as a `Policy`; an id that is not in the
        catalogue is a usage error, since ignoring nothing silently hides a typo."""
        from mailauth.domain.policy import Policy, Suppression

        chosen = self.ignore or config.ignore
        if chosen:  # the catalogue: not before a plain check's first query (issue 10)
            from mailauth.findings import CATALOGUE
        rules = []
        for text in chosen:
            rule = Suppression.parse(text)
            if rule.finding_id not in CATALOGUE:
                reason = label("error.config.unknown-key", language(), key=rule.finding_id)
                raise click.UsageError(label("error.ignore", language(), value=text, reason=reason))
            rules.append(rule)
        return Policy(ignore=tuple(rules))

    def settle(self, output: OutputSettings) -> tuple[Config, OutputSettings, Policy]:
        """The configuration file, `output` with the file's thresholds under the command
        line's, and the policy (`--ignore` or the file's): what every judged command needs
        before its run."""
        config = self.load()
        return config, merged_output(output, config), self.policy(config)

    def settle_message(self, output: OutputSettings) -> tuple[OutputSettings, Policy | None]:
        """`settle` for `verify`, which needs no `Config` afterwards and no policy (None)
        when nothing is ignored: a run without --ignore then never imports the policy stage
        (domain/policy.py and the domain check types it names; issue 10, start-up)."""
        config = self.load()
        policy = self.policy(config) if self.ignore or config.ignore else None
        return merged_output(output, config), policy


def final_status(status: int, output: OutputSettings) -> int:
    """`status` after `--exit-zero` (or the file's `exit_zero`): a failed threshold exits 0;
    errors (2, 3) stay."""
    if output.exit_zero and status == ExitStatus.THRESHOLD_FAILED:
        return ExitStatus.OK
    return status


def merged_output(output: OutputSettings, config: Config) -> OutputSettings:
    """The threshold and --exit-zero with the file's values where the command line gave
    none."""
    t = output.threshold
    threshold = replace(
        t,
        fail_under=t.fail_under if t.fail_under is not None else config.fail_under,
        fail_on=t.fail_on if t.fail_on is not None else config.fail_on,
        allow_incomplete=t.allow_incomplete or bool(config.allow_incomplete),
    )
    exit_zero = output.exit_zero or bool(config.exit_zero)
    return replace(output, threshold=threshold, exit_zero=exit_zero)


def chosen_domains(given: Sequence[str], config: Config) -> tuple[str, ...]:
    """The command line's domains, else the file's; neither is a usage error (exit 2)."""
    domains = tuple(given) or config.domains
    if not domains:
        raise click.UsageError(label("error.no-domains", language()))
    return domains


def chosen_selectors(given: Sequence[str], config: Config) -> tuple[str, ...]:
    """The selectors to probe: the command line's, else the file's, and every selector an
    expectation requires (it can only be judged if it is looked up)."""
    chosen = list(given or config.selectors)
    for required in config.expect.dkim_selectors_required:
        if required not in chosen:
            chosen.append(required)
    return tuple(chosen)


def _ci_settings(
    config: Path | None,
    ignore: tuple[str, ...],
    baseline: Path | None,
    fail_on_new: bool,
    save_zone: Path | None,
) -> CiSettings:
    return CiSettings(config, ignore, baseline, fail_on_new, save_zone)


def _policy_settings(config: Path | None, ignore: tuple[str, ...]) -> CiSettings:
    return CiSettings(config, ignore)


def _policy(ignore_help: str) -> tuple[Any, ...]:
    """--config and --ignore (whose @DOMAIN means the checked domain for `check`, the From
    domain for `verify`: `ignore_help` says which)."""
    return (
        option(
            "--config",
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
            default=None,
            metavar="FILE",
            help_key="cli.option.config",
        ),
        option("--ignore", multiple=True, metavar="ID[@DOMAIN]", help_key=ignore_help),
    )


_ci_options = _grouped(
    "ci",
    _ci_settings,
    (
        *_policy("cli.option.ignore"),
        option(
            "--baseline",
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
            default=None,
            metavar="FILE",
            help_key="cli.option.baseline",
        ),
        option("--fail-on-new", is_flag=True, help_key="cli.option.fail-on-new"),
        option(
            "--save-zone",
            type=click.Path(file_okay=False, path_type=Path),
            default=None,
            metavar="DIR",
            help_key="cli.option.save-zone",
        ),
    ),
)
_policy_options = _grouped("ci", _policy_settings, _policy("cli.option.ignore-from"))


def ci_options(command: F) -> F:
    """--config, --ignore, --baseline, --fail-on-new, --save-zone -> `ci: CiSettings`."""
    return cast(F, _ci_options(cast(Any, command)))


def policy_options(command: F) -> F:
    """--config, --ignore -> `ci: CiSettings` (no baseline: `verify`)."""
    return cast(F, _policy_options(cast(Any, command)))

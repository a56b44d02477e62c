"""`mailauth-zone-lint FILE...`: the pre-commit hook (.pre-commit-hooks.yaml). pre-commit
passes the zone files that changed; every forward zone among them is checked offline as a
mail domain (`mailauth check ORIGIN... --zone FILE...`), with all the files loaded so names
in one zone that point into another resolve. Reverse zones (`*.arpa`) are loaded, not checked.
Other arguments (the hook's `args:`, such as `--fail-on high`) go to `mailauth check`;
without a threshold the hook fails on high findings. The exit status is `check`'s.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

_THRESHOLDS = ("--fail-on", "--fail-under", "--fail-on-new")


def command_line(argv: Sequence[str]) -> list[str]:
    """The `mailauth check` arguments for the hook's arguments."""
    from mailauth.dns.zonefile import ZoneLoadError, zone_origin

    files = [a for a in argv if not a.startswith("-") and Path(a).suffix == ".zone"]
    rest = [a for a in argv if a not in files]
    origins: list[str] = []
    for f in files:
        try:
            origin = zone_origin(f)
        except ZoneLoadError:
            origin = Path(f).stem  # check reports the load error itself (exit 2)
        if origin and not origin.endswith(".arpa") and origin not in origins:
            origins.append(origin)
    if not any(a.split("=")[0] in _THRESHOLDS for a in rest):
        rest += ["--fail-on", "high"]
    zones = [z for f in files for z in ("--zone", f)]
    return ["check", *origins, *zones, *rest]


def main(argv: Sequence[str] | None = None) -> None:
    from mailauth.cli.main import main as mailauth

    args = command_line(sys.argv[1:] if argv is None else argv)
    if len(args) == 1 or args[1].startswith("-"):  # no forward zone among the files
        sys.exit(0)
    mailauth.main(args, prog_name="mailauth")

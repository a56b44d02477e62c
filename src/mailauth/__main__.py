"""`python -m mailauth ...`: the same as the `mailauth` command (handy from a checkout, and
how the benchmarks time the command with this checkout's code)."""

from mailauth.cli.entry import entry

entry()

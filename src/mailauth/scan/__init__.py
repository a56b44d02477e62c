"""Survey-scale `mailauth check` runs (issue 13, bulk scans): the pieces around the checks
that make a long scan survivable and splittable.

- `shard`: `--shard K/N`, a stable split of the input by a hash of each domain;
- `resume`: `--resume`, the domains an interrupted scan's output file already holds (a torn
  last line repaired), so a restarted scan does only the rest;
- `manifest`: `OUT.manifest.json` beside the output, saying what was scanned and how;
- `runner`: the windowed scan that stops scheduling on Ctrl-C/SIGTERM and writes what
  finished.

The DNS rate limit (`--qps`) is a DNS source wrapper, `mailauth.dns.ratelimit`.
"""

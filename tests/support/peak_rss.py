"""The peak RSS of a running child, read from /proc while it runs: `wait4`'s ru_maxrss would
also count the parent's peak from before `exec`. Shared by the bulk-scan memory test and
bench/bulk_resume.py."""

from __future__ import annotations


def high_water_kib(pid: int) -> int:
    """VmHWM (peak RSS so far) of a running process in KiB; 0 once it has exited."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for row in f:
                if row.startswith("VmHWM:"):
                    return int(row.split()[1])
    except (OSError, ValueError):
        pass
    return 0

"""`OUT.manifest.json`: what a scan was, written beside its output (issue 13, reproducibility).

A survey's figures are only as good as the record of how they were taken: which list (its
path and SHA-256, so a later reader can tell whether it changed), how many domains, which
shard, which resolver or zone files, which mailauth version and options, when it ran, and
whether it finished. The manifest is written when the scan starts, every few seconds while it
runs (so even a SIGKILLed scan's manifest says how far it got) and when it ends; `--resume`
keeps the earlier runs in `runs` and updates the rest. It is replaced atomically (written
beside and renamed), so a reader never sees half of one. The keys are documented in
docs/bulk.md; add keys, never rename them.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from mailauth.frozen import frozen

MANIFEST_VERSION = 1
SUFFIX = ".manifest.json"
UPDATE_EVERY = 5.0  # seconds between progress updates of a running scan


def manifest_path(output: Path) -> Path:
    return output.with_name(output.name + SUFFIX)


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


@frozen
class ScanInput:
    """The list scanned: `path` ("-" for standard input, None when only arguments were
    given), the SHA-256 of its bytes, the number of domains (arguments and list together,
    duplicates dropped, before --shard) and the SHA-256 of those names, one per line."""

    path: str | None
    sha256: str | None
    domains: int
    domains_sha256: str


@dataclass
class Manifest:
    """One scan's manifest; `save()` writes it to `path`."""

    path: Path
    output: Path
    output_format: str
    scan_input: ScanInput
    domains: int  # the domains this run covers (this shard's, after duplicates)
    shard: str | None
    dns: dict[str, Any]
    options: Mapping[str, Any]
    version: str
    completed: int = 0  # reports in the output file
    started_at: str = field(default_factory=utc_now)
    runs: list[dict[str, Any]] = field(default_factory=list)
    _saved: float = 0.0

    @classmethod
    def previous_runs(cls, path: Path) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        """The `runs` of an earlier manifest at `path` and the whole of it ({} if none or
        unreadable: a resumed scan without its manifest still resumes)."""
        try:
            old = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return [], {}
        if not isinstance(old, dict):
            return [], {}
        runs = old.get("runs")
        return ([r for r in runs if isinstance(r, dict)] if isinstance(runs, list) else []), old

    def begin(self, resumed_from: int) -> None:
        self.runs.append(
            {
                "started_at": utc_now(),
                "finished_at": None,
                "resumed_from": resumed_from,
                "completed": resumed_from,
                "interrupted": True,  # until this run ends: a killed run never says otherwise
                "input_sha256": self.scan_input.sha256,
            }
        )
        self.progress(resumed_from, force=True)

    def progress(self, completed: int, *, force: bool = False) -> None:
        """A finished domain; the file is rewritten at most every UPDATE_EVERY seconds."""
        self.completed = completed
        if self.runs:
            self.runs[-1]["completed"] = completed
        if force or time.monotonic() - self._saved >= UPDATE_EVERY:
            self.save()

    def end(self, *, interrupted: bool) -> None:
        run = self.runs[-1]
        run["finished_at"] = utc_now()
        run["interrupted"] = interrupted
        self.save()

    def document(self) -> dict[str, Any]:
        run = self.runs[-1] if self.runs else {}
        return {
            "manifest_version": MANIFEST_VERSION,
            "mailauth_version": self.version,
            "output": str(self.output),
            "format": self.output_format,
            "input": {
                "path": self.scan_input.path,
                "sha256": self.scan_input.sha256,
                "domains": self.scan_input.domains,
                "domains_sha256": self.scan_input.domains_sha256,
            },
            "shard": self.shard,
            "domains": self.domains,
            "completed": self.completed,
            "interrupted": run.get("interrupted", True),
            "started_at": self.runs[0]["started_at"] if self.runs else self.started_at,
            "finished_at": run.get("finished_at"),
            "dns": dict(self.dns),
            "options": dict(self.options),
            "runs": list(self.runs),
        }

    def save(self) -> None:
        """Write atomically (beside, then renamed). Raises OSError."""
        self._saved = time.monotonic()
        text = json.dumps(self.document(), indent=2, ensure_ascii=False) + "\n"
        directory = self.path.parent if str(self.path.parent) else Path(".")
        fd, temp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=directory)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
            os.replace(temp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise

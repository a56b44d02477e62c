"""JSON Schemas (draft 2020-12) of mailauth's machine-readable output, shipped in the package
so CI jobs and other tools can validate what they consume."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

DOMAIN_REPORT = "domain-report.schema.json"  # mailauth check --format json
MESSAGE_REPORT = "message-report.schema.json"  # mailauth verify / spf --format json
DMARC_REPORT = "dmarc-report.schema.json"  # mailauth report --format json
STATS = "stats.schema.json"  # mailauth stats --format json


def load_schema(name: str = DOMAIN_REPORT) -> dict[str, Any]:
    """The schema `name` from this package, parsed."""
    text = resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data

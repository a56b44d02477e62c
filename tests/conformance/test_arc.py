"""The ValiMail ARC validation suite (RFC 8617) and two Stalwart chains, through our ARC paths.

Every validation test's message (LF endings, made CRLF) is verified with the scenario's
`txt-records` served from memory; the chain validation status must equal the suite's `cv`
(compared case-insensitively). Three tests have `cv: ''`: their chains already carry a seal
with cv=fail, and the suite's README and the Node mailauth implementation read '' as `fail`,
so we do too. The signing suite is not run: mailauth verifies, it does not seal.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from mailauth.dns.interface import DnsSource
from mailauth.dns.memory import MemorySource

from .known import known_failure
from .messages import crlf, split_stalwart
from .paths import arc_library_path, arc_message_path

SUITE = "arc"
DATA = Path(__file__).resolve().parents[1] / "data" / "conformance" / "arc"
PATHS: dict[str, Callable[[DnsSource, bytes], Awaitable[str]]] = {
    "message": arc_message_path,
    "library": arc_library_path,
}


def _validation() -> list[tuple[str, str, bytes, dict[str, str], str]]:
    """(scenario, test name, message, TXT records, expected cv) per validation test."""
    out = []
    docs = yaml.safe_load_all((DATA / "arc-draft-validation-tests.yml").read_text("utf-8"))
    for scenario in docs:
        txt = {str(n): str(v) for n, v in (scenario.get("txt-records") or {}).items()}
        for name, test in scenario["tests"].items():
            cv = str(test["cv"]).strip().lower() or "fail"  # '' = a chain already failed
            raw = crlf(str(test["message"]).encode("utf-8"))
            out.append((scenario["description"], str(name), raw, txt, cv))
    return out


def _stalwart() -> list[tuple[str, str, bytes, dict[str, str], str]]:
    manifest = list(yaml.safe_load_all((DATA / "stalwart-mail-auth/manifest.yaml").read_text()))
    out = []
    for t in manifest[-1]["tests"]:
        records, raw = split_stalwart((DATA / "stalwart-mail-auth" / t["file"]).read_bytes())
        txt = {n: "".join(recs[0]) for n, recs in records.items()}
        out.append(("stalwart", t["file"].removesuffix(".txt"), raw, txt, t["expected_arc"]))
    return out


CASES = _validation() + _stalwart()


def _params() -> list[Any]:
    out = []
    for scenario, name, raw, txt, cv in CASES:
        key = f"stalwart/{name}" if scenario == "stalwart" else name
        for path in PATHS:
            out.append(
                pytest.param(
                    raw,
                    txt,
                    cv,
                    path,
                    id=f"arc-{'stalwart/' if scenario == 'stalwart' else ''}{name}-{path}",
                    marks=known_failure(SUITE, f"{key}[{path}]", key),
                )
            )
    return out


def test_case_names_are_unique() -> None:
    """KNOWN.md and the test ids name cases by upstream test name alone."""
    names = [n for _, n, *_ in CASES]
    assert len(names) == len(set(names))


@pytest.mark.parametrize(("raw", "txt", "cv", "path"), _params())
def test_arc_validation(raw: bytes, txt: dict[str, str], cv: str, path: str) -> None:
    dns = MemorySource({name: {"TXT": [value]} for name, value in txt.items()})
    result = asyncio.run(asyncio.wait_for(PATHS[path](dns, raw), 60))
    assert result == cv

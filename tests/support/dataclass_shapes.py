"""What the differential tests of `@frozen` and `@mutable` against the stdlib dataclasses
share (tests/unit/test_frozen.py, test_mutable.py): a class shape's source built into a real
module with the decorator under test, and a call's outcome as something to compare."""

from __future__ import annotations

import itertools
import sys
import types
from collections.abc import Callable, Mapping
from typing import Any

PRELUDE = (
    "import dataclasses\n"
    "from dataclasses import field, InitVar, KW_ONLY\n"
    "from typing import ClassVar\n"
    "from mailauth.frozen import frozen, mutable\n"
)
_counter = itertools.count()


def build_module(
    source: str, decorators: Mapping[str, str], prefix: str, future: bool
) -> types.ModuleType:
    """Execute `source`, each marker of `decorators` replaced (in order) by its text, as a
    fresh module registered in sys.modules (pickle needs it). `future`: under `from
    __future__ import annotations`."""
    text = source
    for marker, decorator in decorators.items():
        text = text.replace(marker, decorator)
    text = PRELUDE + text
    if future:
        text = "from __future__ import annotations\n" + text
    name = f"{prefix}{next(_counter)}"
    module = types.ModuleType(name)
    sys.modules[name] = module
    exec(compile(text, name, "exec", dont_inherit=True), module.__dict__)
    return module


def outcome(function: Callable[[], Any]) -> tuple[str, Any]:
    """("ok", the result) or ("error", (its type, its text)): what the tests compare."""
    try:
        return ("ok", function())
    except Exception as error:
        return ("error", (type(error), str(error)))

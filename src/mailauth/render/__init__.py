"""Output formats. `Format` names them; `registry` maps each to a renderer per report kind.

The names below are imported on first use (PEP 562): the CLI imports `render.breaks` to
wrap `--help`, which must not load the format seam, scoring and the finding catalogue with
it (issue 10, start-up: `mailauth --version` and `--help`)."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mailauth.render.environment import Environment
    from mailauth.render.interface import Format, Renderer

_SOURCES = {
    "Environment": "mailauth.render.environment",
    "Format": "mailauth.render.interface",
    "Renderer": "mailauth.render.interface",
}


def __getattr__(name: str) -> Any:
    source = _SOURCES.get(name)
    if source is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(source), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


__all__ = ["Environment", "Format", "Renderer"]

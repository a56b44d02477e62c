"""Modules a library imports and mailauth's use of it never needs, loaded only when used.

A library's import sometimes reads a module that costs more start-up than anything mailauth
does with the library (issue 10: pyspf's `dns.resolver`, click's `uuid`). While such a
library is imported, the module is a `Deferred` placeholder in `sys.modules`: it answers
the few names the library's import reads itself (`known`), and imports the real module on
the first other attribute access, then behaves as it. Each placeholder leaves `sys.modules`
when the library's import is done (`deferred_while`), so any later `import` elsewhere loads
the real module as usual; a module already loaded is never replaced.
"""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class Deferred(types.ModuleType):
    """Stands for a module until something uses it; then it is the real one. `known`: what
    it answers itself without loading the module."""

    def __init__(self, name: str, **known: Any) -> None:
        super().__init__(name)
        self.__dict__.update(known)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # the import system's own questions (`__path__`, ...)
            raise AttributeError(name)
        return getattr(real_module(self.__name__), name)


def real_module(name: str) -> types.ModuleType:
    """The module `name`, imported if need be, never a placeholder."""
    if isinstance(sys.modules.get(name), Deferred):
        del sys.modules[name]
    return importlib.import_module(name)  # (sets it on its package, too)


@contextmanager
def deferred_while(placeholders: dict[str, Deferred]) -> Iterator[dict[str, Deferred]]:
    """The placeholders of the modules not loaded yet are in `sys.modules` while the block
    runs (yielded: the ones put in place); those still there leave it afterwards."""
    placed = {name: p for name, p in placeholders.items() if name not in sys.modules}
    sys.modules.update(placed)
    try:
        yield placed
    finally:
        for name, placeholder in placed.items():
            if sys.modules.get(name) is placeholder:
                del sys.modules[name]

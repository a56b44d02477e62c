"""Finding catalogue. Importing this package registers every protocol's entries."""

from __future__ import annotations

import importlib
import pkgutil

from mailauth.findings.catalogue import CATALOGUE, FindingDef, describe, finding


def _load_all() -> None:
    """Import every sibling module so its `define()` calls run; new protocols need no edit here."""
    for info in pkgutil.iter_modules(__path__):
        if info.name != "catalogue":
            importlib.import_module(f"{__name__}.{info.name}")


_load_all()

__all__ = ["CATALOGUE", "FindingDef", "describe", "finding"]

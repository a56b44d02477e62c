"""Finding catalogue: one module per protocol registers its entries (`define`). The modules
are imported as their ids are looked up, all of them when the catalogue is read as a whole
(`catalogue.Catalogue`); new protocols need no edit here."""

from __future__ import annotations

from mailauth.findings.catalogue import CATALOGUE, FindingDef, describe, finding

__all__ = ["CATALOGUE", "FindingDef", "describe", "finding"]

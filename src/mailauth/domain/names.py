"""`mailauth.domain.names` is public API: the names themselves live in `mailauth.names`, which
the message side and the DNS layer share with the checks (one IDNA path)."""

from __future__ import annotations

from mailauth.names import MAX_LABEL, MAX_NAME, normalize_domain, to_alabel, to_unicode

__all__ = ["MAX_LABEL", "MAX_NAME", "normalize_domain", "to_alabel", "to_unicode"]

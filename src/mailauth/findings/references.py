"""The sources findings cite, one constant each, so a citation is spelled once."""

from __future__ import annotations

BULK_SENDER_RULES = "Gmail email sender guidelines; Yahoo sender requirements (2024)"

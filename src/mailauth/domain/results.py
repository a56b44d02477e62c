"""`CheckResult`: the closed union of what a domain check can return.

Renderers match on it member by member and end in `assert_never`
(`render/check_json.py`, `render/check_views.py`), so a check whose report type is added
here without a JSON projection and a text view fails `mypy --strict` instead of reaching a
user as a generic or empty section. `CheckFailed` is what the runner returns for a check
that raised.

The check modules are imported here, so the runner imports this module only for type
checking: `import mailauth` stays free of the checks until one runs.
"""

from __future__ import annotations

from typing import TypeAlias

from mailauth.domain.bimi import BimiReport
from mailauth.domain.dane import DaneReport
from mailauth.domain.dkim import DkimReport
from mailauth.domain.dmarc import DmarcReport
from mailauth.domain.dnssec import DnssecReport
from mailauth.domain.mta_sts import MtaStsReport
from mailauth.domain.mx import MxReport
from mailauth.domain.ns import NsReport
from mailauth.domain.smtp import SmtpReport
from mailauth.domain.spf import SpfReport
from mailauth.domain.tls_rpt import TlsRptReport
from mailauth.model import CheckFailed, CheckSkipped

CheckResult: TypeAlias = (
    SpfReport
    | DmarcReport
    | DkimReport
    | BimiReport
    | MxReport
    | MtaStsReport
    | TlsRptReport
    | DnssecReport
    | DaneReport
    | SmtpReport
    | NsReport
    | CheckFailed
    | CheckSkipped
)

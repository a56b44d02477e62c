"""The one shape every record parser uses to say what is wrong with a record.

Each protocol keeps its own code enum (`SpfCode`, dmarc `ProblemCode`, `KeyProblem`,
`BimiProblemCode`, `UrlProblem`, mta_sts `RecordProblem` and `PolicyProblem`, `RptProblem`,
`MacroProblem`): the codes are stable identifiers that the checks map to finding ids. What a
problem is about and the offending text travel in the same two fields for all of them, so a
consumer reads every parser's problems the same way, and no parser writes English: the words
are in the catalogues, chosen by the code.
"""

from __future__ import annotations

from enum import Enum
from typing import Generic, TypeVar

from mailauth.frozen import frozen

C = TypeVar("C", bound=Enum)


@frozen
class Problem(Generic[C]):
    """One thing wrong with a record.

    `subject` is what the problem is about: the tag (DMARC, BIMI), the field (MTA-STS,
    TLS-RPT) or the term (SPF) as written; None when it is about the record as a whole.
    `value` is the offending text (a tag's value, a fragment, a URL), None when there is none.
    """

    code: C
    subject: str | None = None
    value: str | None = None

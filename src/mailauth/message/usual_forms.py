"""The usual spelling of a Return-Path and of a Date field, read without `email.utils`.

Why: verify reads one Return-Path (`parseaddr`, for SPF's MAIL FROM) and one Date
(`parsedate_to_datetime`, for the date check), and importing `email.utils` for them loads
the email package's charset, MIME and calendar modules: ~4 % of `mailauth verify` as a
command (issue 10, against dkimverify), for two fields that nearly every message spells the
same way (`<bounce@example.jp>`, `Thu, 01 Oct 2026 09:00:03 +0900`).

Each function here recognises only that usual spelling, and only where `email.utils` is
certain to read it the same way: a dot-atom address in angle brackets, a date with every
part in range. Anything else (a comment, a quoted local part, a two-digit year, an obsolete
zone name, a date that does not exist) returns None, and the caller asks `email.utils` as
before. So the answer is always `email.utils`'s own, whichever Python's version of it
(tests/unit/message/test_usual_forms.py compares them on generated and edge-case fields).
"""

from __future__ import annotations

import re

# RFC 5322 §3.2.3 atext, dot-atom local part; a domain of LDH labels (the forms
# `parseaddr` returns unchanged from between the brackets, in every version).
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_RETURN_PATH = re.compile(
    rf"[ \t]*<({_ATEXT}(?:\.{_ATEXT})*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*)>[ \t]*"
)

# RFC 5322 §3.3 date-time without its obsolete forms: optional day name, day, month, a
# four-digit year, HH:MM[:SS], a numeric zone; at most a trailing comment such as "(JST)",
# which `parsedate_to_datetime` ignores (it reads the first five parts).
_DATE = re.compile(
    r"[ \t]*(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),[ \t]*)?"
    r"([0-9]{1,2})[ \t]+(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[ \t]+"
    r"([1-9][0-9]{3})[ \t]+([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?[ \t]+"
    r"[+-](?:[01][0-9]|2[0-3])[0-5][0-9](?:[ \t]+\([A-Za-z0-9 +:-]{0,40}\))?[ \t]*"
)
_MONTHS = {
    m: i
    for i, m in enumerate(
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    )
}
_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def return_path_address(value: str) -> str | None:
    """The address of a Return-Path written `<local@domain>` (dot-atoms only); None for any
    other spelling, which the caller gives to `email.utils.parseaddr`."""
    found = _RETURN_PATH.fullmatch(value)
    return found.group(1) if found else None


def usual_date_is_valid(value: str) -> bool | None:
    """True for a Date field in the usual form that names a real moment; None when the field
    is spelled otherwise (or names a day that does not exist: `email.utils` decides)."""
    found = _DATE.fullmatch(value)
    if found is None:
        return None
    day, month, year = int(found.group(1)), _MONTHS[found.group(2)], int(found.group(3))
    hour, minute, second = int(found.group(4)), int(found.group(5)), int(found.group(6) or 0)
    if not 1 <= day <= _DAYS[month] or hour > 23 or minute > 59 or second > 59:
        return None
    if month == 1 and day == 29 and not (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)):
        return None
    return True

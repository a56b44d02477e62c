"""`addresses._ATEXT` is written as the complement of what is not atext (start-up: `re`
compiles the positive class, with its range up to U+10FFFF, in ~20 ms). This holds it to the
RFC's positive definition on every code point, so the rewrite cannot change a verdict."""

from __future__ import annotations

import re

from mailauth.message.addresses import _ATEXT

# RFC 5322 §3.2.3 atext, plus any non-ASCII character (RFC 6532 §3.2), as the RFC lists it.
RFC_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~\-\u0080-\U0010ffff]"


def test_atext_is_the_rfc_set_on_every_code_point() -> None:
    ours, rfc = re.compile(_ATEXT), re.compile(RFC_ATEXT)
    differ = [
        hex(c) for c in range(0x110000) if bool(ours.match(chr(c))) != bool(rfc.match(chr(c)))
    ]
    assert not differ


def test_atext_spot_checks() -> None:
    ours = re.compile(_ATEXT)
    for c in "aZ09!#$%&'*+-/=?^_`{|}~é日\U0001f600":
        assert ours.fullmatch(c), c
    for c in ' \t\x00\x7f"(),.:;<>@[\\]':
        assert not ours.fullmatch(c), repr(c)

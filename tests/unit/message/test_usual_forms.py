"""The usual Return-Path and Date read without `email.utils` (message/usual_forms.py) give
exactly `email.utils`'s answer: what the shortcut recognises it reads the same way, and
everything else still goes to `email.utils`. Compared on every field of the sample and
conformance messages, on edge cases and on generated fields."""

from __future__ import annotations

import email.utils
import itertools
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mailauth.message.parse import parse_message
from mailauth.message.rules import _valid_date
from mailauth.message.spf import _return_path
from mailauth.message.usual_forms import return_path_address, usual_date_is_valid

REPO = Path(__file__).resolve().parents[3]


def stdlib_return_path(value: str) -> str:
    """What `_return_path` answered before the shortcut."""
    _, addr = email.utils.parseaddr(value)
    return addr if "@" in addr else ""


def stdlib_valid_date(value: str) -> bool:
    """What `_valid_date` answered before the shortcut."""
    try:
        return email.utils.parsedate_to_datetime(value) is not None
    except (TypeError, ValueError, IndexError, OverflowError):
        return False


def same_return_path(value: str) -> None:
    expected = stdlib_return_path(value)
    assert _return_path(value) == expected, value
    usual = return_path_address(value)
    if usual is not None:
        assert usual == expected, value


def same_date(value: str) -> None:
    expected = stdlib_valid_date(value)
    assert _valid_date(value) is expected, value
    if usual_date_is_valid(value) is not None:
        assert expected, value


def test_the_usual_spellings_are_read_without_the_stdlib() -> None:
    """The shortcut does its work: the common forms are recognised (not handed on)."""
    assert return_path_address("<bounce@example.jp>") == "bounce@example.jp"
    assert return_path_address(" <bounce+taro=example.com@mail.example.jp> ") == (
        "bounce+taro=example.com@mail.example.jp"
    )
    assert usual_date_is_valid("Thu, 01 Oct 2026 09:00:03 +0900") is True
    assert usual_date_is_valid("1 Oct 2026 09:00 -0000 (UTC)") is True
    assert usual_date_is_valid("Sat, 29 Feb 2028 23:59:59 +0000") is True


RETURN_PATHS = [
    "<>",
    "",
    " ",
    "<bounce@example.jp>",
    "bounce@example.jp",
    "<bounce@example.jp",
    "< bounce@example.jp >",
    "<\tbounce@example.jp>",
    '<"quoted local"@example.jp>',
    "<a..b@example.jp>",
    "<.a@example.jp>",
    "<a.@example.jp>",
    "<a@b@example.jp>",
    "<a@example..jp>",
    "<a@.example.jp>",
    "<a@example.jp.>",
    "<a@[192.0.2.1]>",
    "<@relay.example:a@example.jp>",
    "Name <a@example.jp>",
    "<a@example.jp> (comment)",
    "(comment) <a@example.jp>",
    "<a@example.jp>, <b@example.jp>",
    "<a@example.jp><b@example.jp>",
    "<a b@example.jp>",
    "<a@exa mple.jp>",
    "<日本@example.jp>",
    "<a@例え.jp>",
    "<a\\@b@example.jp>",
    "<a@-example-.jp>",
    "<'#$%&*+/=?^_`{|}~-@example.jp>",
    "<a@example.jp>\r\n",
    "<A@EXAMPLE.JP>",
]


@pytest.mark.parametrize("value", RETURN_PATHS)
def test_return_path_edge_cases(value: str) -> None:
    same_return_path(value)


DATES = [
    "Thu, 01 Oct 2026 09:00:03 +0900",
    "Thu,01 Oct 2026 09:00:03 +0900",
    "Thu , 01 Oct 2026 09:00:03 +0900",
    "thu, 01 oct 2026 09:00:03 +0900",
    "Xyz, 01 Oct 2026 09:00:03 +0900",
    "01 Oct 2026 09:00:03 +0900",
    "1 Oct 2026 9:00:03 +0900",
    "01 Oct 26 09:00:03 +0900",
    "01 Oct 0026 09:00:03 +0900",
    "01 Oct 2026 09:00:03 JST",
    "01 Oct 2026 09:00:03 GMT",
    "01 Oct 2026 09:00:03",
    "01 Oct 2026 09:00:03 +0900 (JST)",
    "01 Oct 2026 09:00:03 +0900 (JST) extra",
    "01 Oct 2026 09:00:03 +0900 JST",
    "31 Feb 2026 09:00:03 +0900",
    "29 Feb 2026 09:00:03 +0900",
    "29 Feb 2024 09:00:03 +0900",
    "29 Feb 1900 09:00:03 +0900",
    "29 Feb 2000 09:00:03 +0900",
    "31 Apr 2026 09:00:03 +0900",
    "00 Oct 2026 09:00:03 +0900",
    "01 Oct 2026 24:00:00 +0900",
    "01 Oct 2026 23:60:00 +0900",
    "01 Oct 2026 23:59:60 +0900",
    "01 Oct 2026 23:59:61 +0900",
    "01 Oct 2026 09:00:03 +2400",
    "01 Oct 2026 09:00:03 +2359",
    "01 Oct 2026 09:00:03 -0060",
    "01 Oct 2026 09:00:03 +9999",
    "01 Oct 9999 23:59:59 -2359",
    "01 Jan 1000 00:00:00 +0000",
    "Oct 01 2026 09:00:03 +0900",
    "2026-10-01T09:00:03+09:00",
    "",
    "   ",
    "Thu, 01 Oct 2026 09:00:03 +0900\r\n",
    "Thu, 01 Oct 2026 09:00:03 +0900 ",
    " Thu, 01 Oct 2026 09:00:03 +0900",
    "Thu, 01  Oct  2026  09:00:03  +0900",
    "Thu, 01 Oct 2026 09:00:03 +09:00",
    "Thu, 01 Oct 2026 09:00:03.5 +0900",
    "Thu, 01 Oct 2026 09:00 +0900",
    "Thu, 01 Octo 2026 09:00:03 +0900",
    "Thu, 1 Oct 2026 09:00:03 +0900 ()",
]


@pytest.mark.parametrize("value", DATES)
def test_date_edge_cases(value: str) -> None:
    same_date(value)


def _message_fields() -> list[tuple[str, str]]:
    fields: list[tuple[str, str]] = []
    roots = [REPO / "samples/messages", REPO / "tests/data"]
    for root in roots:
        for path in sorted(root.rglob("*.eml")) if root.exists() else []:
            try:
                message = parse_message(path.read_bytes())
            except Exception:  # a test message that is not a message
                continue
            fields += [("Return-Path", v) for v in message.values("Return-Path")]
            fields += [("Date", v) for v in message.values("Date")]
    return fields


def test_every_field_of_the_test_messages() -> None:
    fields = _message_fields()
    assert len(fields) > 20  # the corpus was found
    for name, value in fields:
        if name == "Date":
            same_date(value)
        else:
            same_return_path(value)


def test_generated_dates_in_and_out_of_range() -> None:
    """Every combination of a day name, day, month, year, time and zone around the edges of
    their ranges; a fixed sample so that a failure repeats."""
    rng = random.Random(20261206)
    days = ["", "Mon, ", "Sun,", "Fri , "]
    numbers = ["0", "1", "01", "28", "29", "30", "31", "32"]
    months = ["Jan", "Feb", "Apr", "Dec", "feb"]
    years = ["1899", "1900", "2000", "2024", "2026", "2100", "99", "10000"]
    times = ["00:00", "23:59:59", "24:00:00", "12:60", "12:00:60", "7:05:09"]
    zones = ["+0000", "-0000", "+0900", "-2359", "+2400", "+0960", "UT", "EST", ""]
    tails = ["", " (JST)", " (a(b))", "  ", " x"]
    combos = list(itertools.product(days, numbers, months, years, times, zones, tails))
    for parts in rng.sample(combos, 6000):
        day, number, month, year, time, zone, tail = parts
        same_date(f"{day}{number} {month} {year} {time} {zone}{tail}")


_ADDRESS_PIECES = st.sampled_from([*"aZ0.@<> \t\"\\(),;:[]-+=_'日~%", "\r\n", "example", "jp"])


@settings(max_examples=400, deadline=None)
@given(st.lists(_ADDRESS_PIECES, max_size=14).map("".join))
def test_generated_return_paths(value: str) -> None:
    same_return_path(value)
    same_return_path(f"<{value}>")
    same_return_path(f"<{value}@example.jp>")


_DATE_PIECES = st.sampled_from(
    [*",:-()\tx0 1", "Thu", "01", "31", "Oct", "Feb", "2026", "09", "00", "60", "+0900", "JST"]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_DATE_PIECES, max_size=16).map("".join))
def test_generated_date_texts(value: str) -> None:
    same_date(value)

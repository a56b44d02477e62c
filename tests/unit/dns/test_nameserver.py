"""`--nameserver HOST[:PORT]` parsing."""

from __future__ import annotations

import pytest

from mailauth.dns.live import LiveSource, parse_nameserver


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("127.0.0.1", ("127.0.0.1", 53)),
        ("127.0.0.1:5353", ("127.0.0.1", 5353)),
        ("::1", ("::1", 53)),
        ("[::1]:5353", ("::1", 5353)),
        ("[2001:db8::1]", ("2001:db8::1", 53)),
        (" 192.0.2.1:53 ", ("192.0.2.1", 53)),
    ],
)
def test_parse_nameserver(text: str, expected: tuple[str, int]) -> None:
    assert parse_nameserver(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "dns.google",
        "dns.google:53",
        "127.0.0.1:0",
        "127.0.0.1:70000",
        "127.0.0.1:x",
        "[::1",
        "[::1]x",
        "[::1]:",
        "1.2.3.4.5",
    ],
)
def test_parse_nameserver_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="invalid nameserver"):
        parse_nameserver(text)


def test_budget() -> None:
    live = LiveSource([("127.0.0.1", 1)], timeout=0.5, retries=2)
    assert live.budget == pytest.approx(1.5)
    two = LiveSource([("127.0.0.1", 1), ("::1", 1)], timeout=0.5, retries=2)
    assert two.budget == pytest.approx(3.0)

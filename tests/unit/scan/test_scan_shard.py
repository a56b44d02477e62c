"""--shard K/N (scan/shard.py): a stable, disjoint and complete split, and clear errors."""

from __future__ import annotations

import hashlib

import pytest

from mailauth.scan.shard import Shard, ShardRangeError, ShardSyntaxError, parse_shard, shard_of


def test_the_part_is_sha256_of_the_a_label_mod_n() -> None:
    name = "xn--wgv71a119e.jp"  # 日本語.jp as normalize_domain spells it
    value = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big")
    assert shard_of(name, 7) == value % 7 + 1
    # Pinned: a job runner on another machine or Python must get the same split.
    assert [shard_of(f"d{i:06d}.synth", 3) for i in range(8)] == [
        shard_of(f"d{i:06d}.synth", 3) for i in range(8)
    ]
    assert shard_of("example.jp", 3) == shard_of("EXAMPLE.JP.", 3)


def test_known_values_do_not_drift() -> None:
    assert [shard_of(n, 3) for n in ("example.jp", "example.com", "gmail.com")] == [
        int.from_bytes(hashlib.sha256(n.encode()).digest()[:8], "big") % 3 + 1
        for n in ("example.jp", "example.com", "gmail.com")
    ]


def test_parts_are_disjoint_and_complete_and_keep_the_order() -> None:
    names = [f"d{i:06d}.synth" for i in range(3000)]
    parts = [Shard(k, 3).select(names) for k in (1, 2, 3)]
    assert sorted(n for p in parts for n in p) == sorted(names)
    assert all(p == [n for n in names if n in set(p)] for p in parts)
    assert all(900 < len(p) < 1100 for p in parts)
    assert Shard(1, 1).select(names) == names


@pytest.mark.parametrize("text", ["1/3", " 2 / 3 ", "3/3", "1/1"])
def test_parse(text: str) -> None:
    shard = parse_shard(text)
    assert str(shard) == text.replace(" ", "")


@pytest.mark.parametrize("text", ["", "3", "a/b", "1/3/4", "-1/3", "1.5/3", "1-3"])
def test_syntax_errors(text: str) -> None:
    with pytest.raises(ShardSyntaxError):
        parse_shard(text)


@pytest.mark.parametrize("text", ["0/3", "4/3", "1/0", "0/0", "1/99999999"])
def test_range_errors(text: str) -> None:
    with pytest.raises(ShardRangeError):
        parse_shard(text)

"""Reading `--domains-file` and `--dkim-selectors FILE` (cli/domain_list.py)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from mailauth.cli.domain_list import parse_domains, read_domains, read_selectors
from mailauth.errors import InputError


def test_plain_list_with_comments_blanks_idn_and_duplicates() -> None:
    text = (
        "\ufeff# our domains\n"
        "Example.JP.   # the main one\n"
        "\n"
        "   \n"
        "shop.example\n"
        "日本語.jp\n"
        "example.jp\n"
        "XN--WGV71A119E.JP\n"
        "#mail.example.jp\n"
    )
    assert parse_domains(text.lstrip("\ufeff"), "list.txt") == [
        "example.jp",
        "shop.example",
        "xn--wgv71a119e.jp",
    ]


def test_csv_with_a_domain_column() -> None:
    text = (
        'name,Domain,sector\nA,example.jp,x\n# skipped\nB,"shop.example",y\nC,,z\nD,example.jp,w\n'
    )
    assert parse_domains(text, "d.csv") == ["example.jp", "shop.example"]


def test_csv_without_a_domain_column_is_an_error() -> None:
    with pytest.raises(InputError) as err:
        parse_domains("name,host\nA,example.jp\n", "d.csv")
    assert "d.csv, line 1" in str(err.value) and "'domain' column" in str(err.value)


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("example.jp\nbad_name.jp\n", 2, "'_'"),
        ("# c\n\nexample.jp other.jp\n", 3, "more than one entry"),
        ("example.jp\n192.0.2.1\n", 2, "192.0.2.1"),
        ("a..b.jp\n", 1, "empty label"),
    ],
)
def test_bad_line_is_named(text: str, line: int, words: str) -> None:
    with pytest.raises(InputError) as err:
        parse_domains(text, "list.txt")
    assert f"list.txt, line {line}:" in str(err.value) and words in str(err.value)


def test_empty_list_is_an_error() -> None:
    with pytest.raises(InputError, match="no entries"):
        parse_domains("# nothing\n\n", "list.txt")


def test_stdin_and_files(tmp_path: Path) -> None:
    stdin = io.BytesIO(b"example.jp\nshop.example\n")
    assert read_domains("-", stdin=stdin) == ["example.jp", "shop.example"]
    binary = tmp_path / "bin"
    binary.write_bytes(b"example.jp\n\xff\xfe\x00")
    with pytest.raises(InputError, match="not UTF-8"):
        read_domains(str(binary))
    with pytest.raises(InputError, match="cannot read"):
        read_domains(str(tmp_path / "missing.txt"))
    with pytest.raises(InputError, match=r"(?i)is a directory"):
        read_domains(str(tmp_path))


def test_selector_file(tmp_path: Path) -> None:
    good = tmp_path / "selectors.txt"
    good.write_text("# ours\ns1  # RSA\nS2\n\nsel.sub\ns1\n")
    assert read_selectors(str(good)) == ("s1", "s2", "sel.sub")
    bad = tmp_path / "bad.txt"
    bad.write_text("s1\nnot a selector\n")
    with pytest.raises(InputError, match=r"bad\.txt, line 2"):
        read_selectors(str(bad))

"""`read_small` matches a document's declaration once: a declaration the reused parser
takes (`_REUSE_DECL`: version 1.0, UTF-8 or no encoding) is byte safe, so the general
check (`_byte_safe_start`) is skipped for it; that must never let through a document
the general check refuses."""

from __future__ import annotations

import itertools

from tests.unit.report.test_small_reader import _variants
from tests.unit.report.test_tree_reader import GOOD

from mailauth.report import small_reader

BODY = GOOD[GOOD.index(b"?>") + 2 :]
DECLARATIONS = [
    b"<?xml" + space + b"version=" + version + encoding + standalone + end
    for space, version, encoding, standalone, end in itertools.product(
        [b" ", b"\n\t "],
        [b'"1.0"', b"'1.0'", b'"1.1"', b'"x"'],
        [b"", b' encoding="UTF-8"', b" encoding='utf8'", b' encoding="UTF-16"',
         b' encoding="latin-1"', b' encoding="Shift_JIS"', b' encoding="utf-8 "'],
        [b"", b' standalone="yes"', b" standalone='maybe'"],
        [b"?>", b" ?>", b"\n?>"],
    )
]  # fmt: skip


def test_a_declaration_the_reused_parser_takes_is_byte_safe() -> None:
    taken = 0
    for data in [*(d + BODY for d in DECLARATIONS), *_variants()]:
        start = 3 if data.startswith(small_reader._UTF8_BOM) else 0
        if small_reader._REUSE_DECL.match(data, start) and data.startswith(b"<?xml", start):
            taken += 1
            assert small_reader._byte_safe_start(data), data[:80]
    assert taken > 50


def test_refused_declarations_are_still_refused() -> None:
    for declaration in DECLARATIONS:
        data = declaration + BODY
        if not small_reader._byte_safe_start(data):
            assert small_reader.read_small(data, []) is None, declaration

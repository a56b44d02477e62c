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


def test_the_plain_declarations_end_where_the_regex_says() -> None:
    """`_reuse_decl_end` recognises the common declarations by their bytes: each must be
    one `_REUSE_DECL` takes whole, and on every other declaration (and without one, and
    after a byte order mark) it must give exactly what the regex gives."""
    for plain in small_reader._PLAIN_DECLS:
        match = small_reader._REUSE_DECL.match(plain)
        assert match is not None and match.end() == len(plain) == small_reader._PLAIN_DECL_LENGTH
    datas = [*(d + BODY for d in DECLARATIONS), *_variants()]
    datas += [p + BODY for p in small_reader._PLAIN_DECLS]
    datas += [small_reader._UTF8_BOM + p + BODY for p in small_reader._PLAIN_DECLS]
    datas += [p[:-2] + b" standalone='no'?>" + BODY for p in small_reader._PLAIN_DECLS]
    for data in datas:
        start = 3 if data.startswith(small_reader._UTF8_BOM) else 0
        match = small_reader._REUSE_DECL.match(data, start)
        assert small_reader._reuse_decl_end(data, start) == (-1 if match is None else match.end())


def test_a_document_with_bang_or_question_mark_in_text_reads_the_same() -> None:
    """The "!" and "?" prefilters of `read_small` and `_reused` (one memchr before the
    two-byte search): a report whose texts hold "!" or "?" but no "<!"/"<?" is still read
    by the reused parser, one with a processing instruction is not, and one with a
    comment or CDATA is left to the chunked reader."""
    org = b"<org_name>"
    assert org in BODY
    decl = small_reader._PLAIN_DECLS[0]
    texts = decl + BODY.replace(org, org + b"Hi! Why? ", 1)
    notes: list[object] = []
    read = small_reader.read_small(texts, notes)  # type: ignore[arg-type]
    assert read is not None and read[0].org_name.startswith("Hi! Why? ")  # type: ignore[union-attr]
    assert small_reader._reused(texts) is not None
    assert small_reader._reused(decl + BODY.replace(org, b"<?pi x?>" + org, 1)) is None
    for odd in (b"<!-- c -->", b"<![CDATA[x]]>"):
        assert small_reader.read_small(decl + BODY.replace(org, odd + org, 1), []) is None

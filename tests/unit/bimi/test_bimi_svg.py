"""SVG Tiny PS rules (records/bimi_svg.py): each violation its own problem with element,
attribute and line; hostile XML refused without being expanded or hanging."""

from __future__ import annotations

import time

import pytest

from mailauth.records.bimi_svg import MAX_PROBLEMS, SvgProblemCode, check_svg

ROOT = 'xmlns="http://www.w3.org/2000/svg" version="1.2" baseProfile="tiny-ps" viewBox="0 0 9 9"'


def svg(body: str, root: str = ROOT) -> bytes:
    return f'<?xml version="1.0"?>\n<svg {root} xmlns:xlink="http://www.w3.org/1999/xlink">\n<title>T</title>\n{body}\n</svg>\n'.encode()


def codes(data: bytes) -> list[tuple[str, str, str, int]]:
    return [(p.code.value, p.element, p.attribute, p.line) for p in check_svg(data).problems]


def test_valid_logo_has_title_hash_and_no_problems() -> None:
    result = check_svg(svg('<rect width="9" height="9"/>'))
    assert result.valid and result.title == "T" and result.view_box == "0 0 9 9"
    assert len(result.sha256) == 64


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("<script>x()</script>", ("forbidden-element", "script", "", 4)),
        ("<g>\n<animate/></g>", ("forbidden-element", "animate", "", 5)),
        ("<foreignObject/>", ("forbidden-element", "foreignObject", "", 4)),
        ('<image width="1" height="1" xlink:href="#a"/>', ("forbidden-element", "image", "", 4)),
        ("<SCRIPT/>", ("forbidden-element", "SCRIPT", "", 4)),
        ('<rect onclick="x()"/>', ("event-attribute", "rect", "onclick", 4)),
        (
            '<use xlink:href="https://x.example/a.svg#b"/>',
            ("external-reference", "use", "xlink:href", 4),
        ),
        ('<use href="data:image/svg+xml,abc"/>', ("external-reference", "use", "href", 4)),
        ('<rect fill="url(https://x.example/p)"/>', ("external-reference", "rect", "fill", 4)),
        ('<a xlink:href="javascript:alert(1)"/>', ("javascript", "a", "xlink:href", 4)),
    ],
)
def test_each_forbidden_thing_is_named_with_its_line(
    body: str, expected: tuple[str, str, str, int]
) -> None:
    assert codes(svg(body)) == [expected]


def test_local_references_are_allowed() -> None:
    assert codes(svg('<defs><g id="a"/></defs><use xlink:href="#a"/><rect fill="url(#a)"/>')) == []


@pytest.mark.parametrize(
    ("root", "expected"),
    [
        (
            'xmlns="http://www.w3.org/2000/svg" baseProfile="tiny-ps" viewBox="0 0 9 9"',
            [("version", "svg", "version", 2)],
        ),
        (
            'xmlns="http://www.w3.org/2000/svg" version="1.2" baseProfile="tiny" viewBox="0 0 9 9"',
            [("base-profile", "svg", "baseProfile", 2)],
        ),
        (
            ROOT + ' x="1" y="2"',
            [("root-position", "svg", "x", 2), ("root-position", "svg", "y", 2)],
        ),
        (
            ROOT.replace("0 0 9 9", "0 0 9 8"),
            [("not-square", "svg", "viewBox", 2)],
        ),
        (
            ROOT.replace("0 0 9 9", "0 0 nine 9"),
            [("not-square", "svg", "viewBox", 2)],
        ),
        (
            'xmlns="http://www.w3.org/2000/svg" version="1.2" baseProfile="tiny-ps"',
            [("no-viewbox", "svg", "viewBox", 2)],
        ),
    ],
)
def test_root_rules(root: str, expected: list[tuple[str, str, str, int]]) -> None:
    assert codes(svg("", root)) == expected


def test_missing_title_and_wrong_root() -> None:
    no_title = f"<svg {ROOT}><rect/></svg>".encode()
    assert [c[0] for c in codes(no_title)] == ["no-title"]
    assert [c[0] for c in codes(b"<html><title>x</title></html>")] == ["not-svg"]


def test_size_limit_is_32_kb_and_still_checks_the_rest() -> None:
    big = svg("<script/>" + "<!--" + "x" * 40_000 + "-->")
    found = [c[0] for c in codes(big)]
    assert found == ["too-large", "forbidden-element"]


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not xml",
        b"<svg",
        b"\xff\xfe\x00<",
        b'<?xml version="1.0" encoding="nope"?><svg/>',
    ],
)
def test_unparseable(data: bytes) -> None:
    assert [p.code for p in check_svg(data).problems] == [SvgProblemCode.UNPARSEABLE]


def test_billion_laughs_is_refused_not_expanded() -> None:
    lol = "".join(
        f'<!ENTITY l{i} "{"&l" + str(i - 1) + ";" * 1}' + f'{"&l" + str(i - 1) + ";" * 9}">'
        for i in range(1, 10)
    )
    doc = f'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY l0 "lol">{lol}]><svg>&l9;</svg>'.encode()
    start = time.monotonic()
    result = check_svg(doc)
    assert time.monotonic() - start < 1
    assert [p.code for p in result.problems] == [SvgProblemCode.DTD]


def test_external_entity_is_never_read() -> None:
    doc = b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY e SYSTEM "file:///etc/passwd">]><svg>&e;</svg>'
    result = check_svg(doc)
    assert [p.code for p in result.problems] == [SvgProblemCode.DTD]
    assert "root:" not in repr(result)


def test_deep_nesting_and_many_problems_are_bounded() -> None:
    deep = svg("<g>" * 50_000 + "</g>" * 50_000)
    assert [p.code for p in check_svg(deep).problems] == [SvgProblemCode.TOO_LARGE]
    many = svg("<script/>" * 1000)
    assert len(check_svg(many).problems) == MAX_PROBLEMS

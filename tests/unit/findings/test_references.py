"""The sources findings cite: one `Source` constant each, every citation typed and linkable,
and the text users read exactly what it was when citations were free strings.

tests/data/finding_references.json pins, per finding id, the rendered `references` (the JSON
`references` list, the "References:" line of the text report and, without its links, of
docs/findings.md), as generated from the catalogue before it cited `Source` constants. A
change to a citation's wording must change that file on purpose; a new finding id is not in
it and is checked only for its structure.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from mailauth.findings import CATALOGUE, references
from mailauth.findings.references import (
    BIMI_DRAFT,
    GMAIL_SENDER_GUIDELINES,
    RFC7208,
    RFC9989,
    YAHOO_SENDER_REQUIREMENTS,
    Citation,
    Cite,
    Reference,
    Source,
)
from mailauth.model import Finding
from mailauth.render.json import finding_json

REPO = Path(__file__).resolve().parents[3]
PINNED = REPO / "tests" / "data" / "finding_references.json"

SOURCES: dict[str, Source] = {
    name: value for name, value in vars(references).items() if isinstance(value, Source)
}

# What a URL of ours may contain: printable ASCII without spaces, quotes or angle brackets
# (non-ASCII is percent-encoded), so it can go into JSON, SARIF and Markdown as is.
URL_CHARS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")


def _pinned() -> dict[str, list[str]]:
    data: dict[str, list[str]] = json.loads(PINNED.read_text(encoding="utf-8"))
    return data


def _leaves(cite: Cite) -> list[Reference]:
    """The single references of a citation, found by walking its parts (not `.references`,
    so the test does not trust the code it checks)."""
    if isinstance(cite, Reference):
        return [cite]
    assert isinstance(cite, Citation), f"not a Reference or Citation: {cite!r}"
    return [leaf for part in cite.parts for leaf in _leaves(part)]


def _assert_well_formed(url: str) -> None:
    parts = urlsplit(url)
    assert parts.scheme == "https", url
    assert parts.hostname and "." in parts.hostname, url
    assert parts.path.startswith("/"), url
    assert URL_CHARS.fullmatch(url), url
    assert not re.search(r"%(?![0-9A-Fa-f]{2})", url), f"bad percent-escape in {url}"


# --- the catalogue ----------------------------------------------------------------------------


def test_every_catalogue_reference_is_a_reference_of_a_declared_source() -> None:
    declared = set(map(id, SOURCES.values()))
    for fid, entry in CATALOGUE.items():
        for cite in entry.references:
            assert isinstance(cite, (Reference, Citation)), f"{fid}: {cite!r}"
            for leaf in _leaves(cite):
                assert id(leaf.source) in declared, (
                    f"{fid} cites {leaf.source!r}, not a Source constant of findings/references.py"
                )


def test_rendered_references_are_unchanged() -> None:
    pinned = _pinned()
    assert set(pinned) <= set(CATALOGUE), "a pinned finding id left the catalogue"
    for fid, expected in pinned.items():
        assert [str(cite) for cite in CATALOGUE[fid].references] == expected, fid


def test_json_references_are_the_pinned_strings() -> None:
    pinned = _pinned()
    for fid, entry in CATALOGUE.items():
        rendered = finding_json(entry.section.name, Finding(fid, entry.severity))["references"]
        assert all(type(text) is str for text in rendered), fid
        assert json.loads(json.dumps(rendered)) == rendered
        if fid in pinned:
            assert rendered == pinned[fid], fid


def test_docs_link_each_reference_and_read_as_before() -> None:
    """docs/findings.md links every source; without the link markup its References line is
    the text users read everywhere else."""
    pinned = _pinned()
    docs = (REPO / "docs" / "findings.md").read_text(encoding="utf-8")
    link = re.compile(r"\[([^\]]*)\]\(([^)\s]*)\)")
    for fid, entry in CATALOGUE.items():
        section = docs.split(f"### `{fid}`\n", 1)[1].split("\n### ", 1)[0]
        lines = [ln for ln in section.splitlines() if ln.startswith("- **References:** ")]
        if not entry.references:
            assert lines == [], fid
            continue
        [line] = lines
        shown = line.removeprefix("- **References:** ")
        expected = [leaf.url for cite in entry.references for leaf in _leaves(cite)]
        assert [url for _, url in link.findall(shown)] == expected, fid
        assert link.sub(r"\1", shown) == "; ".join(pinned.get(fid, map(str, entry.references)))


def test_every_reference_links_to_a_well_formed_url() -> None:
    for fid, entry in CATALOGUE.items():
        for cite in entry.references:
            _assert_well_formed(cite.url)
            for leaf in _leaves(cite):
                _assert_well_formed(leaf.url)
                assert leaf.url.startswith(leaf.source.url), fid


def test_every_source_is_cited() -> None:
    cited = {
        id(leaf.source) for e in CATALOGUE.values() for c in e.references for leaf in _leaves(c)
    }
    unused = sorted(name for name, source in SOURCES.items() if id(source) not in cited)
    assert not unused, f"Source constants no finding cites: {unused}"


# --- the sources ------------------------------------------------------------------------------


def test_sources_are_declared() -> None:
    assert len(SOURCES) >= 20
    assert {"RFC7208", "RFC6376", "RFC9989", "GMAIL_SENDER_GUIDELINES"} <= set(SOURCES)


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_source_url_is_https_and_well_formed(name: str) -> None:
    source = SOURCES[name]
    _assert_well_formed(source.url)
    assert "#" not in source.url, "a Source URL is the document; sections add the fragment"
    assert source.name and source.name == source.name.strip()


def test_no_two_sources_share_a_url_or_a_name() -> None:
    urls = [source.url for source in SOURCES.values()]
    names = [source.name for source in SOURCES.values()]
    assert len(set(urls)) == len(urls), sorted(u for u in urls if urls.count(u) > 1)
    assert len(set(names)) == len(names), sorted(n for n in names if names.count(n) > 1)


def test_rfc_constants_are_named_after_their_number() -> None:
    for name, source in SOURCES.items():
        if name.startswith("RFC"):
            number = name.removeprefix("RFC")
            assert source.name == f"RFC {number}"
            assert source.url == f"https://www.rfc-editor.org/rfc/rfc{number}"


# --- Reference and Citation -------------------------------------------------------------------


def test_reference_text_and_url() -> None:
    ref = RFC7208.at("4.6.4")
    assert str(ref) == "RFC 7208 §4.6.4"
    assert ref.url == "https://www.rfc-editor.org/rfc/rfc7208#section-4.6.4"
    assert str(Reference(RFC7208)) == "RFC 7208"
    assert Reference(RFC7208).url == "https://www.rfc-editor.org/rfc/rfc7208"
    assert RFC9989.at("C.5.2").url == "https://www.rfc-editor.org/rfc/rfc9989#appendix-C.5.2"
    assert BIMI_DRAFT.at("4.3").url == (
        "https://datatracker.ietf.org/doc/html/"
        "draft-brand-indicators-for-message-identification-10#section-4.3"
    )


def test_reference_note_and_wording() -> None:
    ref = Reference(GMAIL_SENDER_GUIDELINES, note="forward and reverse DNS", cited_as="Gmail")
    assert str(ref) == "Gmail (forward and reverse DNS)"
    assert str(RFC7208.at("5.1", note="void lookups")) == "RFC 7208 §5.1 (void lookups)"
    # A provider's page has no section anchors: the link is the page.
    assert GMAIL_SENDER_GUIDELINES.at("1").url == GMAIL_SENDER_GUIDELINES.url


def test_citation_joins_its_parts_and_keeps_each_url() -> None:
    gmail = Reference(GMAIL_SENDER_GUIDELINES, cited_as="Gmail")
    yahoo = Reference(YAHOO_SENDER_REQUIREMENTS, note="2024")
    both = Citation((Citation((gmail, yahoo), sep="/"), RFC7208.at("2.6")))
    assert str(both) == "Gmail/Yahoo sender requirements (2024); RFC 7208 §2.6"
    assert both.url == GMAIL_SENDER_GUIDELINES.url
    assert both.references == (gmail, yahoo, RFC7208.at("2.6"))
    assert RFC7208.at("2.6").references == (RFC7208.at("2.6"),)
    with pytest.raises(ValueError):
        Citation(())

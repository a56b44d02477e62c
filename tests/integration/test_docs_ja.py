"""The Japanese docs (issue 14) stay translations of the English ones: each docs/X.ja.md has
its docs/X.md, the two link each other, every command a Japanese page shows is one the English
page shows (the English evolves first; a command it drops must go from the translation too),
the links resolve, the prose is Japanese, and README.ja.md points at them where README.md points
at the English pages."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from tests.support.readme import REPO, Readme

DOCS = REPO / "docs"
JAPANESE = sorted(path.name.removesuffix(".ja.md") for path in DOCS.glob("*.ja.md"))
# What an admin reads first; a test below fails if one of them goes missing.
REQUIRED = {"ci", "bulk", "report", "scoring", "cli", "findings"}

_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)|!\[[^\]]*\]\(([^)\s]+)\)")
_JAPANESE_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]")
_INLINE_CODE = re.compile(r"`[^`]*`")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
_MARKUP = re.compile(r"<[^>]*>")  # `<a id="spf"></a>`, the generated pages' header comment


def english(name: str) -> Readme:
    return Readme(f"docs/{name}.md")


def japanese(name: str) -> Readme:
    return Readme(f"docs/{name}.ja.md")


def japanese_share(page: Readme) -> float:
    """Of the prose lines that have words once inline code, links and HTML tags are taken out
    (headings, paragraphs, list items, table rows), the share written in Japanese."""
    _, prose = page.code_and_prose()
    worded = []
    for line in prose:
        text = _MARKUP.sub(" ", _LINK.sub(" ", _INLINE_CODE.sub(" ", line)))
        if _JAPANESE_CHAR.search(text) or _LATIN_WORD.search(text):
            worded.append(text)
    if not worded:
        return 0.0
    return sum(1 for text in worded if _JAPANESE_CHAR.search(text)) / len(worded)


def anchors(path: Path) -> set[str]:
    """The fragment ids a Markdown page has on GitHub: explicit `id="..."` and the slug of
    each heading (lower case, punctuation dropped, spaces to hyphens; letters of any script
    kept)."""
    text = path.read_text(encoding="utf-8")
    found = set(re.findall(r'id="([^"]+)"', text))
    for heading in re.findall(r"^#{1,6} (.+)$", text, re.MULTILINE):
        slug = "".join(
            ch
            for ch in heading.strip().lower()
            if ch in "-_ " or unicodedata.category(ch)[0] in "LN"
        )
        found.add(slug.replace(" ", "-"))
    return found


def local_links(page: Readme) -> list[str]:
    """The link targets of the page's prose (not of its code blocks) that are files of this
    repository."""
    _, prose = page.code_and_prose()
    targets = [a or b for line in prose for a, b in _LINK.findall(_INLINE_CODE.sub("", line))]
    return [t for t in targets if not re.match(r"[a-z]+:", t) and not t.startswith("#")]


def test_the_pages_admins_read_are_translated() -> None:
    missing = sorted(REQUIRED - set(JAPANESE))
    assert missing == [], "docs/<name>.ja.md missing"


@pytest.mark.parametrize("name", JAPANESE)
def test_each_translation_has_its_english_page_and_they_link_each_other(name: str) -> None:
    assert (DOCS / f"{name}.md").is_file(), f"docs/{name}.ja.md has no docs/{name}.md"
    en, ja = english(name), japanese(name)
    before_title = lambda page: page.text.split("\n# ", 1)[0]  # noqa: E731
    assert f"[日本語]({name}.ja.md)" in before_title(en), f"docs/{name}.md: no link at the top"
    assert f"[English]({name}.md)" in before_title(ja), f"docs/{name}.ja.md: no link back"


@pytest.mark.parametrize("name", JAPANESE)
def test_every_command_of_a_translation_is_in_the_english_page(name: str) -> None:
    """Commands, options and arguments are a contract: a translation shows them exactly as the
    English page does (only their comments are translated). The English may have more (a
    section not translated yet), never other ones."""
    en = set(english(name).command_lines())
    assert [line for line in japanese(name).command_lines() if line not in en] == []


@pytest.mark.parametrize("name", JAPANESE)
def test_every_code_line_of_a_translation_is_in_the_english_page(name: str) -> None:
    """The rest of the examples too (YAML, TOML, Docker, shell set-up): the same lines once
    the comments, the one part a translation rewrites, are dropped. Output excerpts (`text`)
    are left out: a generated page shows the Japanese `--help`."""
    en = set(_example_lines(english(name)))
    assert [line for line in _example_lines(japanese(name)) if line not in en] == []


def _example_lines(page: Readme) -> list[str]:
    blocks, _ = page.code_and_prose()
    lines = [line for lang, body in blocks if lang != "text" for line in body]
    stripped = (re.split(r"(?:^|\s)#", line, maxsplit=1)[0].rstrip() for line in lines)
    return [line for line in stripped if line.strip()]


@pytest.mark.parametrize("name", JAPANESE)
def test_a_translation_keeps_the_english_structure(name: str) -> None:
    """Same headings, so an English section added later is easy to place: at each level the
    translation has at most the English page's number of headings."""
    for level in ("#", "##", "###"):
        pattern = re.compile(rf"^{level} ", re.MULTILINE)
        assert len(pattern.findall(japanese(name).text)) <= len(
            pattern.findall(english(name).text)
        ), f"docs/{name}.ja.md has more {level} headings than docs/{name}.md"


@pytest.mark.parametrize("page", [f"docs/{name}.ja.md" for name in JAPANESE] + ["README.ja.md"])
def test_links_of_the_japanese_pages_resolve(page: str) -> None:
    doc = Readme(page)
    base = (REPO / page).parent
    broken = []
    for target in local_links(doc):
        file, _, fragment = target.partition("#")
        path = (base / file).resolve()
        exists = path.exists()
        if not exists or (fragment and path.suffix == ".md" and fragment not in anchors(path)):
            broken.append(target)
    assert broken == [], f"{page}: links to nothing"


@pytest.mark.parametrize("name", JAPANESE)
def test_the_translation_is_written_in_japanese(name: str) -> None:
    assert japanese_share(japanese(name)) >= 0.85


def test_the_japanese_share_tells_english_from_japanese() -> None:
    """The check above can fail: the English pages score near zero."""
    for name in JAPANESE:
        assert japanese_share(english(name)) < 0.2, name


def test_readme_ja_links_the_japanese_pages_where_readme_links_the_english() -> None:
    readme_en = Readme("README.md").text
    readme_ja = Readme("README.ja.md").text
    missing = [
        name
        for name in JAPANESE
        if f"(docs/{name}.md)" in readme_en and f"(docs/{name}.ja.md)" not in readme_ja
    ]
    assert missing == [], "README.ja.md should link docs/<name>.ja.md"


def test_command_lines_are_compared_without_comments_and_continuations() -> None:
    """The comparison itself: a translated comment and a line split with \\ still match,
    output excerpts are not commands, and a changed option does not match."""
    page = Readme("README.md")
    page.text = (
        "```sh\nmailauth check a.jp \\\n  --zone z/   # 日本語のコメント\n"
        "cat m.eml | mailauth verify -\n```\n\n```text\nmailauth check: a.jp\n```\n\n"
        "    mailauth spf --ip 192.0.2.1 --mail-from a@a.jp\n"
    )
    assert page.command_lines() == [
        "mailauth check a.jp --zone z/",
        "cat m.eml '|' mailauth verify -",
        "mailauth spf --ip 192.0.2.1 --mail-from a@a.jp",
    ]
    page.text = "```sh\nmailauth check a.jp --zones z/\n```\n"
    assert page.command_lines() != ["mailauth check a.jp --zone z/"]

"""A small report read without an XML parser when its markup is one already parsed: the
document's skeleton (its tags, in order) is looked up, and its texts are read from
between them by the steps of `document_plan` and `record_plan`, translated once per
skeleton into positions among the texts.

Why: a reporter sends the same document every day but for its texts, and a
single-record report's parse (expat's tokenizer and name tables, ElementTree's nodes,
the walk that lists them) was half of what reading it cost. Here a known document is a
few passes in C over its bytes (two `bytes.translate`, a decode, a `replace` and a
`split`) and one dictionary lookup; and once its skeleton has read COMPILE_AFTER
documents so, one match of a pattern made of the skeleton (`_compile`: the tags as
literals, `[^<]*` between them, groups for the texts a step reads; `read_compiled`
first checks that the delimiters alternate, once per tag), which checks the same and
makes only the strings that are read (the split made one of every tag and
text, and was most of the rest).

Why it reads exactly what the parser reads (tests/unit/report/test_skeleton_reader.py
compares both on every sample, on hostile variants and on random edits):
- A skeleton is learnt only from a document ElementTree's parser read (`learn`, called
  by `small_reader` with that document's tree), and only when every element's text and
  tail there is the text this module finds between the same two tags. So its markup is
  well formed, and what lies between its tags is character data.
- Another document is read by a skeleton only when it is plain character data between
  the same tags: no byte but tab, line feed and printable ASCII or UTF-8 (`_PLAIN`: no
  carriage return, which XML turns into a line feed, no control character, no `&`, so
  no reference of any kind), valid UTF-8 without U+FFFE/U+FFFF (what XML forbids and
  Python decodes), `<` and `>` only as the delimiters of its tags, alternating (so a
  text holds neither, and no `]]>`), nothing but white space around the root. Such a
  document parses to the learnt tree with its own texts: its markup is the learnt one
  and its texts are taken as they are. A skeleton's pattern matches exactly the
  documents its split and delimiter check accept. `small_reader` has already left
  every document with `<!` (a DTD, comment, CDATA) or `<?` after the declaration to
  the parsers, and decides the encoding (only UTF-8, which this module decodes).
- Anything else, and any skeleton not learnt, goes the parser's way, as before.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from operator import itemgetter

from mailauth.report.aggregate import Collector
from mailauth.report.document_plan import (
    ERROR,
    ERROR_TAIL,
    META,
    META_TAIL,
    POLICY,
    POLICY_TAIL,
    RECORD,
    VERSION,
    plan_for,
)
from mailauth.report.model import Note, Record, ReportHeader
from mailauth.report.record_plan import Plan, RecordReader

MAX_SKELETONS = 128  # skeletons remembered for a run (a reporter has one or two)
# Bytes: a longer document is not split (`small_reader`): its tree is over the document
# plan's MAX_PLANNED_ELEMENTS (so it has no skeleton) unless its texts are long, and a
# split of a report of many records made thousands of strings for nothing.
MAX_DOCUMENT = 16 * 1024
MAX_LEARNT = 32 * 1024  # bytes: only a document this short teaches its skeleton
COMPILE_AFTER = 8  # documents a skeleton reads before it is made a pattern (`_compile`)
MAX_COMPILED = 64  # patterns kept for a run (then all are dropped)
MAX_COMPILED_CHARS = 2048  # ... each of a skeleton whose tags are at most this long

# The bytes of plain text and markup: tab, line feed, printable ASCII but `&`, and every
# byte of a non-ASCII UTF-8 character (checked by the decode). `translate` deletes them,
# so what is left is what makes a document not plain.
_PLAIN = bytes([9, 10, *(b for b in range(0x20, 0x7F) if b != ord("&")), *range(0x80, 0x100)])
_PLAIN_BUT_DELIMITERS = _PLAIN.replace(b"<", b"").replace(b">", b"")
_ALTERNATING = b"<>" * 4 * 256  # (more tags than a learnt skeleton has: `learn`)
_NOT_DELIMITERS = bytes(b for b in range(256) if b not in b"<>")
_NOT_XML = ("\ufffe", "\uffff")  # decoded by Python, refused by expat
_WHITE = " \t\n"

# What a step reads: a header field's text, `<version>`, an error, or a record's texts.
FIELD, POLICY_FIELD, VERSION_TEXT, ERROR_TEXT, RECORD_TEXTS = range(5)
Texts = Sequence[str]  # the parts (`split`) or a match's groups (`read_compiled`)
# (kind, header field or "", position among the texts, a record's positions and their
# getter, record plan, record shape)
Step = tuple[
    int,
    str,
    int,
    tuple[int, ...],
    Callable[[Texts], tuple[str, ...]] | None,
    Plan | None,
    tuple[object, ...],
]

# A learnt document's markup: its root's tag, its tags, its delimiters (`<>` per tag),
# the steps that read it from its parts, and how many documents it read (plain tuples
# and lists: a class would be made at every start of the command).
Skeleton = tuple[str, tuple[str, ...], bytes, tuple[Step, ...], list[int]]
# A skeleton as a pattern (`_compiled`): its fullmatch, its root's tag and its steps over
# the match's groups.
Compiled = tuple[Callable[[str], "re.Match[str] | None"], str, tuple[Step, ...]]

_SKELETONS: dict[tuple[str, ...], Skeleton] = {}
_COMPILED: dict[int, list[Compiled]] = {}  # by the number of delimiters (two per tag)
_COMPILED_COUNT = [0]


def split(body: bytes) -> list[str] | None:
    """The body's texts and tags, alternating (`text, tag, text, ..., tag, text`: a tag
    without its `<` and `>`), when the body is plain (see the module docstring; the
    alternation of `<` and `>` is checked against the skeleton, `read`); else None."""
    text = _plain_text(body)
    return None if text is None else text.replace(">", "<").split("<")


def _plain_text(body: bytes) -> str | None:
    """The body decoded, when its bytes and characters are plain (module docstring)."""
    if body.translate(None, _PLAIN):
        return None
    return _xml_text(body)


def _xml_text(body: bytes) -> str | None:
    """`body` decoded as UTF-8, unless it is not UTF-8 or holds a character XML forbids
    and Python decodes (`_NOT_XML`)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if not text.isascii() and (_NOT_XML[0] in text or _NOT_XML[1] in text):
        return None
    return text


def read(body: bytes, parts: list[str], notes: list[Note]) -> list[ReportHeader | Record] | None:
    """The report's events (as `small_reader.read_small`), when `parts` (`split(body)`)
    are of a learnt skeleton; else None. A skeleton that has read COMPILE_AFTER
    documents is made a pattern (`read_compiled`)."""
    skeleton = _SKELETONS.get(tuple(parts[1::2]))
    if skeleton is None:
        return None
    root_tag, tags, delimiters, steps, uses = skeleton
    if (
        body.translate(None, _NOT_DELIMITERS) != delimiters
        or parts[0].strip(_WHITE)
        or parts[-1].strip(_WHITE)
    ):
        return None
    parts.append("")  # (the text of an empty-element tag: `learn`)
    uses[0] += 1
    if uses[0] >= COMPILE_AFTER:
        uses[0] = 0  # (a pattern dropped with the others is made again after as many)
        _compile(root_tag, tags, steps)
    return _run(root_tag, steps, parts, notes)


def read_compiled(body: bytes, notes: list[Note]) -> list[ReportHeader | Record] | None:
    """`read` by a skeleton's pattern: one match in C checks the tags and takes the
    texts a step reads, where `split` made a string of every tag and text. None when no
    pattern matches (`split` and `read` may still)."""
    if not _COMPILED:
        return None
    # One translate for the bytes that are not plain and the delimiters: what is left
    # must be `<>` once per tag (so a text holds neither, and the pattern may take a
    # text as `[^<]*`, a loop sre runs as a search for one character). (A match of a
    # pattern of as many tags implies it; it is checked all the same, for a few bytes.)
    rest = body.translate(None, _PLAIN_BUT_DELIMITERS)
    candidates = _COMPILED.get(len(rest))
    if candidates is None or rest != _ALTERNATING[: len(rest)]:
        return None
    text = _xml_text(body)
    if text is None:
        return None
    for fullmatch, root_tag, steps in candidates:
        match = fullmatch(text)
        if match is not None:
            return _run(root_tag, steps, match.groups(), notes)
    return None


def _run(
    root_tag: str, steps: tuple[Step, ...], texts: Texts, notes: list[Note]
) -> list[ReportHeader | Record]:
    """The steps of a skeleton over a document's texts, into a collector as
    `small_reader` reads a document by its plan."""
    collector = Collector(notes)
    reader = RecordReader(collector)
    collector.start(root_tag, {})
    meta, policy, errors = collector.meta, collector.policy, collector.errors
    for kind, field, at, _positions, getter, record_plan, record_shape in steps:
        if kind == FIELD:
            meta[field] = texts[at]
        elif kind == POLICY_FIELD:
            policy[field] = texts[at]
        elif kind == RECORD_TEXTS:
            assert getter is not None
            reader.read_texts(list(getter(texts)), record_shape, record_plan)
        elif kind == VERSION_TEXT:
            meta["version"] = texts[at].strip()
        else:  # ERROR_TEXT
            errors.append(texts[at].strip())
    collector.text = ""
    collector.full = False
    collector.end(root_tag)
    collector.emit_header()
    return collector.ready


def _compile(root_tag: str, tags: tuple[str, ...], steps: tuple[Step, ...]) -> None:
    """A skeleton as one pattern: white space, then each tag (`<`, its text, `>`) and the
    text after it (`[^<]*`: with the delimiters checked first by `read_compiled`, a `<>`
    per tag, what `split` and the delimiter check accept), the texts a step reads as
    groups, white space, and an empty group (the text of an empty-element
    tag). Compiling takes as long as parsing a few dozen documents, so only a short
    skeleton is compiled, once it has read COMPILE_AFTER documents from their split (so
    at most once per COMPILE_AFTER documents, however many skeletons a run meets; `re`
    keeps its own cache of patterns too, bounded by `re`)."""
    if sum(map(len, tags)) > MAX_COMPILED_CHARS:
        return
    empty = 2 * len(tags) + 1  # (`read`'s "" after the parts)
    used = sorted(
        {at for kind, _f, at, _p, _g, _r, _s in steps if kind != RECORD_TEXTS}
        | {at for step in steps for at in step[3]}
    )
    if any(at <= 0 or at == 2 * len(tags) for at in used):
        return  # (a step reads the text around the root: never, but then no pattern)
    group = {at: n for n, at in enumerate(at for at in used if at != empty)}
    group[empty] = len(group)
    pattern = [r"[ \t\n]*"]
    for k, tag in enumerate(tags):
        pattern.append("<" + re.escape(tag) + ">")
        if k < len(tags) - 1:
            pattern.append("([^<]*)" if 2 * k + 2 in group else "[^<]*")
    pattern.append(r"[ \t\n]*()")
    compiled = re.compile("".join(pattern))
    moved: list[Step] = []
    for kind, field, at, positions, getter, record_plan, record_shape in steps:
        if kind == RECORD_TEXTS:
            places = tuple(group[p] for p in positions)
            getter = itemgetter(*places)
            moved.append((kind, field, 0, places, getter, record_plan, record_shape))
        else:
            moved.append((kind, field, group[at], (), None, None, ()))
    if _COMPILED_COUNT[0] >= MAX_COMPILED:
        _COMPILED.clear()
        _COMPILED_COUNT[0] = 0
    _COMPILED.setdefault(2 * len(tags), []).append((compiled.fullmatch, root_tag, tuple(moved)))
    _COMPILED_COUNT[0] += 1


def learn(parts: list[str], root: ET.Element) -> None:
    """Remember the skeleton of `parts` (`split`), whose document ElementTree's parser
    read as `root` (`small_reader`), when its document plan reads it and every element's
    text and tail is the text found between the same tags."""
    tags = parts[1::2]
    if len(parts) % 2 == 0 or len(parts) > 4 * 256 + 1 or sum(map(len, tags)) > MAX_LEARNT:
        return
    planned = plan_for(root)
    if planned is None:
        return
    elements, plan = planned
    positions = _positions(tags)
    if positions is None or len(positions) != len(elements):
        return
    empty = len(parts)  # where `read` puts "" (the text of `<x/>`)
    for element, (text_at, tail_at) in zip(elements, positions, strict=True):
        text = None if text_at is None else parts[text_at] or None
        if element.text != text:
            return
        if element is not root and element.tail != (parts[tail_at] or None):
            return
    texts = [empty if text_at is None else text_at for text_at, _ in positions]
    tails = [tail_at for _, tail_at in positions]
    steps: list[Step] = []
    for kind, field, at, end, record_plan, record_shape in plan:
        if kind == RECORD:
            if end - at < 2:
                return  # (an itemgetter of one position gives no tuple)
            positions_of = tuple(texts[at:end])
            getter = itemgetter(*positions_of)
            steps.append((RECORD_TEXTS, "", 0, positions_of, getter, record_plan, record_shape))
        elif kind in (META, META_TAIL):
            steps.append((FIELD, field, (texts if kind == META else tails)[at], (), None, None, ()))
        elif kind in (POLICY, POLICY_TAIL):
            where = (texts if kind == POLICY else tails)[at]
            steps.append((POLICY_FIELD, field, where, (), None, None, ()))
        elif kind == VERSION:
            steps.append((VERSION_TEXT, "", texts[at], (), None, None, ()))
        else:
            assert kind in (ERROR, ERROR_TAIL)
            where = (texts if kind == ERROR else tails)[at]
            steps.append((ERROR_TEXT, "", where, (), None, None, ()))
    if len(_SKELETONS) >= MAX_SKELETONS:
        _SKELETONS.clear()
    key = tuple(tags)
    _SKELETONS[key] = (root.tag, key, b"<>" * len(tags), tuple(steps), [0])


def _positions(tags: list[str]) -> list[tuple[int | None, int]] | None:
    """For each element in document order, where its text and its tail are among the
    parts (`split`): after its start tag (None for an empty-element tag) and after its
    end tag. None when the tags do not nest."""
    positions: list[tuple[int | None, int]] = []
    open_elements: list[int] = []
    for k, tag in enumerate(tags):
        after = 2 * k + 2  # the text after this tag
        if tag.startswith("/"):
            if not open_elements:
                return None
            element = open_elements.pop()
            positions[element] = (positions[element][0], after)
        elif tag.endswith("/"):
            positions.append((None, after))
        else:
            open_elements.append(len(positions))
            positions.append((after, -1))
    if open_elements:
        return None
    return positions

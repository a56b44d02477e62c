"""The whole-document way through a small aggregate report already in memory: one call
to ElementTree's C parser (one reused for many documents where that reads exactly the
same, `_reused`), then the tree reader's own reading of each child of
`<feedback>` (`tree_reader.read_child`). Most reports are small (a small domain gets one
report per receiver per day, with a row or two), and for them the chunked reader's
set-up was most of the parse: the guard parser over the prolog, the byte scanner, the
chunk loop and the hand-over bookkeeping cost more than reading the records.

Why it is as safe as the chunked reader on a stranger's file, without the guard parser:
- Entities: a DTD, and so any entity declaration or external reference, can only be
  written `<!DOCTYPE`; in the encodings accepted here (`_byte_safe_start`: UTF-8 with or
  without its BOM, ASCII, Latin-1) the bytes `<!` are the only way to write `<!`. A
  document that has them anywhere (a DTD, a comment, CDATA) is left to the chunked
  reader, whose guard refuses what must be refused. A reference to an entity that is
  not declared is not well formed: the C parser refuses it.
- Memory: the document is at most `MAX_SMALL` bytes, already in memory; its tree is a
  small multiple of that, and no text in it can be longer than `MAX_TEXT` (a character
  is at least one byte in these encodings), so nothing needs the streaming parser's caps.
- Errors: a document the C parser refuses, or whose root is not `<feedback>`, is not
  read here (`None`): the chunked reader reads it from the start and words the error,
  the repair or the hand-over exactly as before.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from mailauth.report import skeleton_reader
from mailauth.report.aggregate import MAX_TEXT, Collector, cached_name
from mailauth.report.document_plan import read_planned
from mailauth.report.model import Note, Record, ReportHeader
from mailauth.report.record_plan import RecordReader
from mailauth.report.tree_reader import BYTE_SAFE, read_child

MAX_SMALL = MAX_TEXT  # bytes: no text of a smaller document can reach the text cap

# The XML declaration (XML 1.0 §2.8) as far as its encoding; anything it does not match
# (another order, odd spacing) goes to the chunked reader, which reads every form.
_DECL = re.compile(
    rb"<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(?:\"[^\"]*\"|'[^']*')"
    rb"(?:[ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*(?:\"([^\"]*)\"|'([^']*)'))?"
    rb"(?:[ \t\r\n]+standalone[ \t\r\n]*=[ \t\r\n]*(?:\"[^\"]*\"|'[^']*'))?[ \t\r\n]*\?>"
)
_UTF8_BOM = b"\xef\xbb\xbf"


def _byte_safe_start(data: bytes) -> bool:
    """The document starts with `<` (after a UTF-8 byte order mark, if any) and declares
    no encoding or one in which each of `<` and `!` is one byte of its own (`BYTE_SAFE`):
    so a DTD cannot hide from the `<!` test. A UTF-16 document starts with its BOM or a
    NUL byte, never with `<`."""
    start = 3 if data.startswith(_UTF8_BOM) else 0
    if data[start : start + 1] != b"<":
        return False
    if data[start : start + 5] != b"<?xml":
        return True  # no declaration: UTF-8 (XML 1.0 §4.3.3)
    match = _DECL.match(data, start)
    if match is None:
        return False
    encoding = match.group(1) or match.group(2)
    return encoding is None or encoding.decode("ascii", "replace").lower() in BYTE_SAFE


def read_small(data: bytes, notes: list[Note]) -> list[ReportHeader | Record] | None:
    """The report's header and records (what `aggregate.iter_aggregate` yields), or None
    when this document is for the chunked reader (see the module docstring). Raises
    ReportError for a well-formed document that is not a usable report, as the chunked
    reader does."""
    # (`b"!" in` is one memchr; `b"<!" in` steps through the document: most reports have
    # no "!" at all, so the two-byte search runs only for those that do)
    if len(data) > MAX_SMALL or (b"!" in data and b"<!" in data):
        return None
    # A declaration the reused parser takes (UTF-8) is byte safe: one match for both.
    start = 3 if data.startswith(_UTF8_BOM) else 0
    decl_end = _reuse_decl_end(data, start) if data.startswith(b"<?xml", start) else -1
    if decl_end < 0 and not _byte_safe_start(data):
        return None
    # A document of a skeleton already parsed is read from between its tags
    # (`skeleton_reader`): one of the forms the reused parser takes (UTF-8).
    parts: list[str] | None = None
    if len(data) <= skeleton_reader.MAX_DOCUMENT and (
        decl_end >= 0 or not data.startswith(b"<?xml", start)
    ):
        body = data[decl_end if decl_end >= 0 else start :]
        if not (b"?" in body and b"<?" in body):
            events = skeleton_reader.read_compiled(body, notes)
            if events is not None:
                return events
            parts = skeleton_reader.split(body)
            if parts is not None:
                events = skeleton_reader.read(body, parts, notes)
                if events is not None:
                    return events
    root = _reused(data, decl_end)
    if root is None:
        parser = ET.XMLParser(target=ET.TreeBuilder())
        try:
            parser.feed(data)
            root = parser.close()
        except ET.ParseError:
            return None
    if not isinstance(root.tag, str) or cached_name(root.tag) != "feedback":
        return None
    if parts is not None:
        skeleton_reader.learn(parts, root)  # (the next document of its markup: by it)
    collector = Collector(notes)
    reader = RecordReader(collector)
    collector.start(root.tag, {})
    if not read_planned(collector, reader, root):  # (a shape seen before: by its plan)
        read_record = reader.read
        for child in root:
            read_child(collector, read_record, child, small=True)
    collector.end(root.tag)
    collector.emit_header()
    return collector.ready


# -- one parser for many documents ----------------------------------------------------
# A new C parser per document was a third of a small report's parse: expat's set-up, and
# each tag's name built again (ElementTree caches names per parser). So documents of the
# plainest form are fed one after another to one parser, inside a wrapper element:
# `<mailauth-documents>` body `<mailauth-end/>` body `<mailauth-end/>` ... Inside an
# element, a document body is read exactly as it is alone but for what only a document
# forbids: a second root, text outside the root, a declaration or a processing
# instruction later on. So a body is only fed when it has no `<?` after the declaration
# and starts (after white space) with `<`, and it is only used when the wrapper then has
# exactly its root and the end marker, with nothing but white space after the root (also
# as bytes: `&#32;` after the root is a space in the tree and an error in a document).
# Anything else, and any error, drops the parser (a new one is made for the next
# document) and the document is parsed alone. A parser is renewed every REUSE_DOCUMENTS
# documents, so what it keeps (the names it has seen) stays bounded.

REUSE_DOCUMENTS = 256
_WRAPPER = b"<mailauth-documents>"
_END = b"<mailauth-end/>"
_WHITE = b" \t\r\n"
_REUSE_DECL = re.compile(
    rb"<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(?:\"1\.0\"|'1\.0')"
    rb"(?:[ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*(?:\"(?i:utf-?8)\"|'(?i:utf-?8)'))?"
    rb"(?:[ \t\r\n]+standalone[ \t\r\n]*=[ \t\r\n]*(?:\"(?:yes|no)\"|'(?:yes|no)'))?"
    rb"[ \t\r\n]*\?>"
)
_PLAIN_DECLS = (
    b'<?xml version="1.0" encoding="UTF-8"?>',
    b'<?xml version="1.0" encoding="utf-8"?>',
)
_PLAIN_DECL_LENGTH = len(_PLAIN_DECLS[0])  # (both)


class _Reusable:
    """ElementTree's C parser inside the open wrapper element, and how many documents it
    has read."""

    def __init__(self) -> None:
        self.parser = ET.XMLParser(target=ET.TreeBuilder())
        events: list[tuple[str, ET.Element]] = []
        self.parser._setevents(events, ("start",))  # type: ignore[attr-defined]
        self.parser.feed(_WRAPPER)
        self.wrapper = events[0][1]
        self.parser._setevents(events, ())  # type: ignore[attr-defined]
        self.documents = 0

    def parse(self, body: bytes) -> ET.Element | None:
        """The root of `body`, or None: then this parser must not be used again."""
        try:
            self.parser.feed(body)
            self.parser.feed(_END)
        except ET.ParseError:
            return None
        wrapper = self.wrapper
        if len(wrapper) != 2 or wrapper[1].tag != "mailauth-end":
            return None
        root = wrapper[0]
        del wrapper[:]
        if root.tail:
            if root.tail.strip(" \t\r\n"):
                return None
            root.tail = None  # (the text between documents, not the document's)
        self.documents += 1
        return root


_POOL: list[_Reusable] = []  # taken out while in use: no two callers share a parser
_REUSE = hasattr(ET.XMLParser, "_setevents")


def _reuse_decl_end(data: bytes, start: int) -> int:
    """Where the declaration at `start` ends when `_REUSE_DECL` takes it, else -1. The
    declaration nearly every report has is recognised by its bytes (`_PLAIN_DECLS`, each
    one `_REUSE_DECL` matches whole), without the regex."""
    if data.startswith(_PLAIN_DECLS, start):
        return start + _PLAIN_DECL_LENGTH
    decl = _REUSE_DECL.match(data, start)
    return -1 if decl is None else decl.end()


def _reused(data: bytes, decl_end: int = -1) -> ET.Element | None:
    """The root of `data` parsed by a reused parser, or None: parse it alone. `decl_end`:
    `_reuse_decl_end` of its declaration, when the caller has it."""
    start = 3 if data.startswith(_UTF8_BOM) else 0
    if data.startswith(b"<?xml", start):
        if decl_end < 0:
            decl_end = _reuse_decl_end(data, start)
        if decl_end < 0:
            return None  # another version or encoding: alone
        start = decl_end
    body = data[start:] if start else data
    # (`b"?" in` is one memchr: the two-byte search only for a body that has a "?")
    if not _REUSE or (b"?" in body and b"<?" in body) or not body.lstrip(_WHITE).startswith(b"<"):
        return None
    if body[body.rfind(b">") + 1 :].strip(_WHITE):
        return None  # not white space after the last tag: alone (the error is its)
    try:
        reusable = _POOL.pop()
    except IndexError:
        reusable = _Reusable()
    root = reusable.parse(body)
    if root is not None and reusable.documents < REUSE_DOCUMENTS and not _POOL:
        _POOL.append(reusable)
    return root

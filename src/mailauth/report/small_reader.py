"""The whole-document way through a small aggregate report already in memory: one call
to ElementTree's C parser, then the tree reader's own reading of each child of
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

from mailauth.report.aggregate import MAX_TEXT, Collector, cached_name
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
    if len(data) > MAX_SMALL or b"<!" in data or not _byte_safe_start(data):
        return None
    parser = ET.XMLParser(target=ET.TreeBuilder())
    try:
        parser.feed(data)
        root = parser.close()
    except ET.ParseError:
        return None
    if not isinstance(root.tag, str) or cached_name(root.tag) != "feedback":
        return None
    collector = Collector(notes)
    read_record = RecordReader(collector).read
    collector.start(root.tag, {})
    for child in root:
        read_child(collector, read_record, child)
    collector.end(root.tag)
    collector.emit_header()
    return collector.ready

"""Parse a DMARC aggregate report as a stream: RFC 7489 Appendix C, RFC 9990 (namespace
`urn:ietf:params:xml:ns:dmarc-2.0`), the pre-RFC drafts and what big receivers really send.

Two readers share the `Collector` that turns elements into the header and records: the C
tree reader (`tree_reader`, the default: ElementTree's C parser, no Python call per
element) and the streaming parser here, which it hands over to for what only this one
reads in bounded memory. Why a push parser with our own target: a report is a stranger's
file. defusedxml refuses entity declarations and external references (billion laughs,
XXE); the target keeps only the fields we need and caps every text node, so a 200 MB
report or a text bomb stays in bounded memory, and records are yielded as they close.

Lenient on input, strict in what it says: element names are matched without namespace and
case-insensitively, result words are lower-cased, unknown elements (an `<xs:schema>`
fragment, extensions) are skipped, and every departure from the RFC 9990 schema is kept
as a `Note` naming the element, so the report is still used and the defect is still told.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO
from xml.etree.ElementTree import ParseError  # (what defusedxml.ElementTree re-exports)

from defusedxml import DefusedXmlException

from mailauth.report.model import (
    AggregateReport,
    DkimAuth,
    Note,
    PolicyPublished,
    Reason,
    Record,
    ReportHeader,
    SpfAuth,
)

RFC9990_NAMESPACE = "urn:ietf:params:xml:ns:dmarc-2.0"
MAX_TEXT = 64 * 1024  # one element's text; a report has no legitimate reason for more
CHUNK = 256 * 1024
# RFC 9990 §2.? reason types; forwarded and sampled_out were RFC 7489's and are gone.
RFC9990_REASONS = frozenset(
    {"local_policy", "mailing_list", "other", "policy_test_mode", "trusted_forwarder"}
)


class ReportError(Exception):
    """A payload that is not a usable aggregate report; `key` is the UI key of the reason
    (`report.unreadable.<key>`), `value` what it names."""

    def __init__(self, key: str, value: str = "") -> None:
        super().__init__(f"{key}: {value}" if value else key)
        self.key = key
        self.value = value


# A `ReportHeader` from its fields in order, built in C (a NamedTuple's own __new__ is a
# Python function; one header per report).
_report_header = functools.partial(tuple.__new__, ReportHeader)
_NAMES: dict[str, str] = {}
SKIPPED = frozenset({"schema", "extension", "extensions"})
# Inside a record, a leaf of a name not in RECORD_SPECIAL under one of _RECORD_PLAIN is
# a plain field (`_record_part`'s last case); everything else takes `_record_part`.
_RECORD_PLAIN = frozenset({"row", "policy_evaluated", "identifiers"})
RECORD_SPECIAL = frozenset({"reason", "row", "policy_evaluated", "identifiers", "auth_results"})


def local_name(tag: str) -> str:
    """The local name, lower-cased: `uri}name` (expat) or `{uri}name` (ElementTree)."""
    return tag.rsplit("}", 1)[-1].lower()


def _name_cached(tag: str) -> str:
    name = local_name(tag)
    if len(_NAMES) < 4096:  # element names of reports are few; a hostile file's are not
        _NAMES[tag] = name
    return name


def cached_name(tag: str) -> str:
    """`local_name` through a cache shared by every report of a run (both tag spellings)."""
    return _NAMES.get(tag) or _name_cached(tag)


def _word(text: str | None) -> str | None:
    """A result/disposition word as the RFCs spell it: lower case, trimmed."""
    if text is None:
        return None
    word = text.strip().lower()
    return word or None


_WORDS: dict[str | None, str | None] = {}
# An auth result built from its fields, and the RFC 9990 defect it has (code, value).
_BuiltAuth = tuple[DkimAuth | SpfAuth, tuple[str, str] | None]


def _word_cached(text: str | None) -> str | None:
    word = _word(text)
    if len(_WORDS) < 256:  # result words are few; a hostile file's are not
        _WORDS[text] = word
    return word


def _text(text: str | None) -> str | None:
    if text is None:
        return None
    value = text.strip()
    return value or None


# `<policy_published>`s already read, by their texts: a domain's reports repeat one.
_POLICIES: dict[tuple[str | None, ...], tuple[PolicyPublished, str | None]] = {}
MAX_POLICIES = 256
MAX_POLICY_CHARS = 2048  # only short ones are kept (memory stays bounded)


def _policy(domain: str, pol: dict[str, str]) -> tuple[PolicyPublished, str | None]:
    """The policy a report's `<policy_published>` texts say, and its pct text when that
    is not a number (the `bad-pct` defect, noted by each report that has it)."""
    pct_text = _text(pol.get("pct"))
    pct: int | None = None
    bad_pct: str | None = None
    if pct_text is not None:
        try:
            pct = int(pct_text)
        except ValueError:
            bad_pct = pct_text
    testing_word = _word(pol.get("testing"))
    testing = None if testing_word is None else testing_word in ("y", "yes", "true", "1")
    policy = PolicyPublished(
        domain=domain,
        p=_word(pol.get("p")),
        sp=_word(pol.get("sp")),
        np=_word(pol.get("np")),
        adkim=_word(pol.get("adkim")),
        aspf=_word(pol.get("aspf")),
        pct=pct,
        fo=_text(pol.get("fo")),
        testing=testing,
        discovery_method=_word(pol.get("discovery_method")),
    )
    return policy, bad_pct


class Collector:
    """The parser target: tracks the element path, keeps the text of leaves, and builds the
    header and records as their elements close."""

    # Fields that start as a constant are class attributes, set on the instance at their
    # first change: one collector is made per report, and eleven stores in __init__ were
    # a measurable part of a single-record report's parse.
    defects = 0  # defects found so far (noted or already noted): `record_plan`
    text = ""  # the open element's text so far (most elements get one piece)
    full = False  # the open element's text reached MAX_TEXT
    root: str | None = None
    namespace: str | None = None
    header: ReportHeader | None = None
    records = 0
    skip_depth = 0  # inside an element we do not read (xs:schema, extensions)
    base: int | None = None  # depth of <feedback> (0, or 1 inside <xs:schema>)
    finished = False  # </feedback> seen: what follows cannot spoil the report
    expat: Any = None  # the parser these handlers are set on (for the record phase)

    def __init__(self, notes: list[Note]) -> None:
        self.notes = notes
        self.path: list[str] = []
        self.meta: dict[str, str] = {}
        self.errors: list[str] = []
        self.policy: dict[str, str] = {}
        self.rec: dict[str, str] = {}
        self.reasons: list[Reason] = []
        self.reason: dict[str, str] = {}
        self.dkim: list[DkimAuth] = []
        self.spf: list[SpfAuth] = []
        self.auth: dict[str, str] = {}
        self.auth_seen: dict[tuple[str | None, ...], _BuiltAuth] = {}
        self.ready: list[ReportHeader | Record] = []
        self.rel: list[str] = []  # the open elements from <feedback> down
        self.pieces: list[str] = []  # inside a record: the open element's text, as expat gave it

    # -- expat's handlers (set on defusedxml's parser: the hot path, no ElementTree layer) --
    def start(self, tag: str, attrib: object) -> None:
        name = _NAMES.get(tag) or _name_cached(tag)
        self.text = ""
        self.full = False
        if self.base is None:
            if self.root is None:
                self.root = name
                if name not in ("feedback", "schema"):  # ikea.com wraps it in <xs:schema>
                    raise ReportError("not-aggregate", f"<{name}>")
            if name == "feedback":
                self.base = len(self.path)
                self.rel = [name]
                if "}" in tag:
                    self.namespace = tag.rsplit("}", 1)[0].lstrip("{")
            self.path.append(name)
            return
        self.path.append(name)
        if self.skip_depth or name in SKIPPED:
            self.skip_depth += 1
            return
        self.rel.append(name)
        if name == "record" and len(self.rel) == 2:
            self.emit_header()
            self.rec, self.reasons, self.dkim, self.spf = {}, [], [], []
            if self.expat is not None:
                x = self.expat
                x.StartElementHandler = self._r_start
                x.EndElementHandler = self._r_end
                self.pieces.clear()
                x.CharacterDataHandler = self.pieces.append  # C: no Python call per text

    # -- inside one <record> ------------------------------------------------------------
    # Records are nearly all of a report, so while one is open expat calls these lean
    # twins of start/data/end instead (swapped at <record> and back at </record>): they
    # keep only the path below <feedback> and do in line what `_record_part` does, with
    # the same text cap and the same skipped elements.
    def _r_start(self, tag: str, attrib: object) -> None:
        self.pieces.clear()
        if self.skip_depth:
            self.skip_depth += 1
            return
        name = _NAMES.get(tag) or _name_cached(tag)
        if name in SKIPPED:
            self.skip_depth = 1
            return
        self.rel.append(name)

    def cap_pieces(self) -> None:
        """After each chunk: the open element's text pieces are cut to MAX_TEXT (the text
        handler inside a record is a plain list.append), so memory stays bounded."""
        pieces = self.pieces
        if len(pieces) < 2 and (not pieces or len(pieces[0]) <= MAX_TEXT):
            return
        if self.skip_depth:
            pieces.clear()  # text of a skipped element is never read
            return
        joined = "".join(pieces)
        if len(joined) > MAX_TEXT:
            joined = joined[:MAX_TEXT]
            self._defect("text-truncated", "/".join(self.path + self.rel[2:]))
        pieces[:] = [joined]

    def _r_end(self, tag: str) -> None:
        pieces = self.pieces
        if self.skip_depth:
            pieces.clear()
            self.skip_depth -= 1
            return
        value = pieces[0] if len(pieces) == 1 else "".join(pieces)
        pieces.clear()
        if len(value) > MAX_TEXT:
            value = value[:MAX_TEXT]
            self._defect("text-truncated", "/".join(self.path + self.rel[2:]))
        path = self.rel
        name = path.pop()
        if len(path) == 1:  # </record>
            x = self.expat
            x.StartElementHandler = self.start
            x.EndElementHandler = self.end
            x.CharacterDataHandler = self.data
            self.text = ""
            self.path.pop()
            self.emit_record()
            return
        parent = path[-1]
        if len(path) >= 3 and path[2] == "auth_results":
            if (
                parent != "reason"
                and parent != "auth_results"
                and not (name == "reason" and parent == "policy_evaluated")
            ):
                self.auth[name] = value  # a field of auth_results/dkim or /spf
                return
        elif parent in _RECORD_PLAIN and name not in RECORD_SPECIAL:
            self.rec[name] = value
            return
        path.append(name)
        self._record_part(path, parent, name, value)
        path.pop()

    def data(self, text: str) -> None:
        if self.skip_depth:
            return
        if self.full:
            return
        joined = self.text + text if self.text else text
        if len(joined) > MAX_TEXT:
            joined = joined[:MAX_TEXT]
            self.full = True
            self._defect("text-truncated", "/".join(self.path))
        self.text = joined

    def end(self, tag: str) -> None:
        value = self.text
        self.text = ""
        self.full = False
        if self.base is None or self.finished:
            if self.path:
                self.path.pop()
            return
        self.path.pop()
        if self.skip_depth:
            self.skip_depth -= 1
            return
        path = self.rel
        depth = len(path)
        name = path[-1]
        if depth == 1:  # </feedback>
            self.finished = True
            return
        section = path[1]
        if section == "record":
            self._record_part(path, path[-2], name, value)
        elif depth == 2 and name == "version":
            self.meta["version"] = value.strip()
        elif section == "report_metadata":
            if name == "error":
                self.errors.append(value.strip())
            elif depth in (3, 4) and name != "date_range":
                self.meta[name] = value
        elif section == "policy_published" and depth == 3:
            self.policy[name] = value
        path.pop()

    def close(self) -> None:
        return None

    # -- building ---------------------------------------------------------------------
    def _record_part(self, path: list[str], parent: str, name: str, value: str) -> None:
        if len(path) == 2:  # </record>
            self.emit_record()
        elif parent == "reason":
            self.reason[name] = value
        elif name == "reason" and parent == "policy_evaluated":
            kind = _word(self.reason.get("type")) or _word(value) or "other"
            self.reasons.append(Reason(kind, _text(self.reason.get("comment"))))
            self.reason = {}
        elif parent == "auth_results" and name in ("dkim", "spf"):
            fields, self.auth = self.auth, {}
            self.add_auth(name, fields)
        elif len(path) >= 4 and path[2] == "auth_results":
            self.auth[name] = value
        elif name not in ("row", "policy_evaluated", "identifiers", "auth_results"):
            self.rec[name] = value

    def add_auth(self, kind: str, a: dict[str, str]) -> None:
        """One auth_results/dkim or /spf from its fields. A report repeats a handful of
        them, so each distinct one is built (and its defect found) once per report."""
        key = (kind, a.get("domain"), a.get("result"), a.get("selector"), a.get("scope"),
               a.get("human_result"))  # fmt: skip
        hit = self.auth_seen.get(key)
        if hit is None:
            hit = self._build_auth(kind, a)
            if len(self.auth_seen) < 1024:
                self.auth_seen[key] = hit
        auth, defect = hit
        if defect is not None:
            self._defect(*defect)
        if kind == "dkim":
            self.dkim.append(auth)  # type: ignore[arg-type]
        else:
            self.spf.append(auth)  # type: ignore[arg-type]

    def _build_auth(self, kind: str, a: dict[str, str]) -> _BuiltAuth:
        domain = (_text(a.get("domain")) or "").lower()
        result = _word(a.get("result")) or "none"
        human = _text(a.get("human_result"))
        if kind == "dkim":
            selector = _text(a.get("selector"))
            if selector is None and self.namespace == RFC9990_NAMESPACE:
                return DkimAuth(domain, result, selector, human), ("dkim-selector-missing", domain)
            return DkimAuth(domain, result, selector, human), None
        scope = _word(a.get("scope"))
        spf = SpfAuth(domain, result, scope, human)
        if self.namespace == RFC9990_NAMESPACE and scope not in (None, "mfrom"):
            return spf, ("spf-scope", scope or "")
        return spf, None

    def _defect(self, code: str, value: str = "") -> None:
        self.defects += 1
        note = Note(code, value)
        if note not in self.notes and len(self.notes) < 100:
            self.notes.append(note)

    def emit_header(self) -> None:
        if self.header is not None:
            return
        meta, pol = self.meta, self.policy
        # (`_text` in line: (text.strip() or None) for a text, None for none)
        text = meta.get("report_id")
        report_id = None if text is None else text.strip() or None
        if report_id is None:
            raise ReportError("no-report-id")
        text = meta.get("email")
        email = None if text is None else text.strip() or None
        text = meta.get("org_name")
        org = (None if text is None else text.strip()) or email or ""
        if not org:
            raise ReportError("no-org-name")
        text = pol.get("domain")
        domain = ("" if text is None else text.strip()).lower().rstrip(".")
        if not domain:
            raise ReportError("no-policy-domain")
        try:
            begin = int(float(meta.get("begin", "").strip()))
            end = int(float(meta.get("end", "").strip()))
        except ValueError:
            raise ReportError("bad-date-range", f"{meta.get('begin')}..{meta.get('end')}") from None
        get = pol.get
        key = (domain, get("p"), get("sp"), get("np"), get("adkim"), get("aspf"), get("pct"),
               get("fo"), get("testing"), get("discovery_method"))  # fmt: skip
        known = _POLICIES.get(key)
        if known is None:
            known = _policy(domain, pol)
            if len(_POLICIES) >= MAX_POLICIES:
                _POLICIES.clear()
            if sum(len(text) for text in key if text) <= MAX_POLICY_CHARS:
                _POLICIES[key] = known
        policy, bad_pct = known
        if bad_pct is not None:
            self._defect("bad-pct", bad_pct)
        if self.namespace == RFC9990_NAMESPACE:
            if policy.pct is not None:
                self._defect("pct-removed")
            # RFC 9990 Appendix A: required (`policy.p` is None exactly when its text is
            # missing or blank, as `_text` would say)
            if email is None:
                self._defect("missing", "email")
            if policy.p is None:
                self._defect("missing", "p")
        self.header = _report_header(  # (the fields in their order, built in C)
            (
                org,
                report_id,
                begin,
                end,
                policy,
                email,
                None if (text := meta.get("extra_contact_info")) is None else text.strip() or None,
                None if (text := meta.get("version")) is None else text.strip() or None,
                None if (text := meta.get("generator")) is None else text.strip() or None,
                tuple(e for e in self.errors if e) if self.errors else (),
                self.namespace,
            )
        )
        self.ready.append(self.header)

    def emit_record(self) -> None:
        # The hot path of an import (once per record): the `_text`/`_word` helpers are
        # written out in line, and the result words go through a small cache.
        get = self.rec.get
        ip = (get("source_ip") or "").strip()
        if not ip:
            self._defect("record-without-ip")
            return
        count_text = get("count") or "1"
        try:
            count = int(count_text)
        except ValueError:
            self._defect("bad-count", count_text)
            return
        words = _WORDS
        disposition = words.get(get("disposition")) or _word_cached(get("disposition"))
        dkim = words.get(get("dkim")) or _word_cached(get("dkim"))
        spf = words.get(get("spf")) or _word_cached(get("spf"))
        header_from = (get("header_from") or "").strip().lower()
        if self.namespace == RFC9990_NAMESPACE:
            self._rfc9990_record(header_from)
        self.records += 1
        self.ready.append(
            Record(
                ip,
                count,
                disposition,
                dkim,
                spf,
                header_from,
                (get("envelope_from") or "").strip().lower() or None,
                (get("envelope_to") or "").strip().lower() or None,
                tuple(self.reasons),
                tuple(self.dkim),
                tuple(self.spf),
            )
        )

    def _rfc9990_record(self, header_from: str) -> None:
        """RFC 9990 Appendix A: what a record must have, and the reasons it allows."""
        get = self.rec.get
        for part in ("disposition", "dkim", "spf"):
            if not (get(part) or "").strip():
                self._defect("missing", part)
        if not header_from:
            self._defect("missing", "header_from")
        if len(self.spf) > 1:
            self._defect("spf-more-than-one")
        for reason in self.reasons:
            if reason.type not in RFC9990_REASONS:
                self._defect("reason-removed", reason.type)


class StreamingNeeded(ReportError):
    """The fast reader met, after it had yielded records, what only the streaming parser
    reads in bounded memory (a text or tag longer than ~32 KiB, CDATA, a giant record) or
    a document the C parser refused: discard what was yielded and read the payload again
    with `iter_aggregate(..., streaming=True)`."""

    def __init__(self) -> None:
        super().__init__("streaming-needed")


def _chunks(stream: BinaryIO) -> Iterator[bytes]:
    while True:
        chunk = stream.read(CHUNK)
        if not chunk:
            return
        yield chunk


def iter_aggregate(
    stream: BinaryIO, notes: list[Note], *, streaming: bool = False
) -> Iterator[ReportHeader | Record]:
    """The report's header, then each record as it closes. Raises ReportError for what is
    not a report, and for malformed XML (`xml-error` with expat's position) or a forbidden
    construct (`xml-forbidden`: an entity declaration or external reference).

    By default the C tree reader (`tree_reader`) does the work and hands over to the
    streaming parser by itself where it can; it raises `StreamingNeeded` when it can no
    longer (see there). `streaming=True` uses the streaming parser from the start."""
    if streaming:
        yield from _iter_streaming(_chunks(stream), notes)
        return
    from mailauth.report.tree_reader import read_tree  # here: tree_reader imports this module

    yield from read_tree(_chunks(stream), notes, lambda chunks: _iter_streaming(chunks, notes))


def _iter_streaming(chunks: Iterable[bytes], notes: list[Note]) -> Iterator[ReportHeader | Record]:
    """expat with defusedxml's guards and the collector's handlers: every element, text
    and end is a Python call, every text is capped as it arrives."""
    # Imported here: a small report never reaches this parser (`small_reader`), and its
    # module's classes were 6 M instructions of the report command's start-up.
    from defusedxml.ElementTree import DefusedXMLParser

    collector = Collector(notes)
    parser = DefusedXMLParser(target=collector, forbid_dtd=False)
    # defusedxml's guards are expat's entity-declaration and external-reference handlers;
    # the element handlers go straight to the collector (ElementTree's layer cost 3x).
    expat = parser.parser
    collector.expat = expat
    expat.StartElementHandler = collector.start
    expat.EndElementHandler = collector.end
    expat.CharacterDataHandler = collector.data
    try:
        for chunk in chunks:
            parser.feed(chunk)
            collector.cap_pieces()
            yield from _drain(collector)
        parser.close()
    except ParseError as exc:
        if not collector.finished:
            raise ReportError("xml-error", str(exc)) from None
        notes.append(Note("trailing-garbage", str(exc)))
    except DefusedXmlException as exc:
        raise ReportError("xml-forbidden", type(exc).__name__) from None
    yield from _drain(collector)
    if collector.root is None:
        raise ReportError("empty")
    if collector.base is None:
        raise ReportError("not-aggregate", f"<{collector.root}>")
    collector.emit_header()
    yield from _drain(collector)


def _drain(collector: Collector) -> Iterator[ReportHeader | Record]:
    if collector.ready:
        ready, collector.ready = collector.ready, []
        yield from ready


# A leaf element on one line whose text holds a bare '<' or '>' (`<email><x@y></email>`,
# `<header_from>bad<xml.net</header_from>`): the text cannot contain a closing tag.
# Patterns, compiled at the first repair (`re`'s cache): compiling them at import was part
# of every run's start-up, and most runs repair nothing.
_LEAF_RE = rb"<([A-Za-z_][\w.-]*)(\s[^<>]*)?>((?:(?!</).)*?)</\1\s*>"
_ENTITY = rb"&(?!(?:[A-Za-z]+|#[0-9]+|#x[0-9A-Fa-f]+);)"


def recover(data: bytes) -> tuple[bytes, list[Note]]:
    """Repair what real reports break (parsedmarc's tracker): bytes that are not UTF-8
    (0x91 from Windows-1252) and bare `<`, `>`, `&` inside free-text elements. Returns the
    repaired document and one note per kind of repair; the caller parses it again."""
    notes: list[Note] = []
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        notes.append(Note("invalid-bytes", f"0x{data[exc.start]:02x} @ {exc.start}"))
        data = _fix_bytes(data)

    def escape(match: re.Match[bytes]) -> bytes:
        inner = match.group(3)
        fixed = re.sub(_ENTITY, b"&amp;", inner).replace(b"<", b"&lt;").replace(b">", b"&gt;")
        if fixed != inner:
            note = Note("bare-markup", match.group(1).decode("ascii", "replace"))
            if note not in notes:
                notes.append(note)
        return (
            b"<"
            + match.group(1)
            + (match.group(2) or b"")
            + b">"
            + fixed
            + b"</"
            + match.group(1)
            + b">"
        )

    data = re.sub(_LEAF_RE, escape, data)
    return data, notes


def _fix_bytes(data: bytes) -> bytes:
    """Each byte that is not part of valid UTF-8 read as Windows-1252 (what 0x91 is)."""
    out = bytearray()
    i = 0
    while i < len(data):
        try:
            text = data[i:].decode("utf-8")
            out += text.encode("utf-8")
            break
        except UnicodeDecodeError as exc:
            out += data[i : i + exc.start]
            bad = data[i + exc.start : i + exc.start + 1]
            out += bad.decode("cp1252", "replace").encode("utf-8")
            i += exc.start + 1
    return bytes(out)


def parse_aggregate(stream: BinaryIO) -> AggregateReport:
    """A whole (small) report in memory: tests and library callers; the importer streams."""
    start = stream.tell() if stream.seekable() else None
    notes: list[Note] = []
    try:
        header, records = _collect(iter_aggregate(stream, notes))
    except StreamingNeeded:
        if start is None:
            raise
        stream.seek(start)
        notes = []
        header, records = _collect(iter_aggregate(stream, notes, streaming=True))
    assert header is not None  # iter_aggregate raises when there is none
    return AggregateReport(header, tuple(records), tuple(notes))


def _collect(events: Iterator[ReportHeader | Record]) -> tuple[ReportHeader | None, list[Record]]:
    header: ReportHeader | None = None
    records: list[Record] = []
    for event in events:
        if isinstance(event, ReportHeader):
            header = event
        else:
            records.append(event)
    return header, records

"""SVG Tiny Portable/Secure: the only logo format BIMI receivers accept (BIMI draft §4.3.2,
the BIMI Group's SVG Tiny PS profile).

A pure function over the fetched bytes. Every rule that fails is its own `SvgProblem` with
the element or attribute and the line, so the admin can fix them all in one pass. The file is
parsed with defusedxml's SAX reader: a DOCTYPE or an entity declaration is refused, never
expanded (a billion-laughs SVG costs nothing), and the reader streams, so a deep or wide
document never builds a tree. Only the first `MAX_PROBLEMS` problems are kept.
"""

from __future__ import annotations

import hashlib
import io
import re
import xml.sax
from dataclasses import field
from enum import Enum
from xml.sax.handler import ContentHandler, feature_namespaces
from xml.sax.xmlreader import AttributesNSImpl, Locator

from defusedxml import DefusedXmlException
from defusedxml.expatreader import DefusedExpatParser

from mailauth.frozen import frozen

# The BIMI Group's limit for the Indicator file (receivers may refuse larger ones).
MAX_SVG_SIZE = 32 * 1024
MAX_PROBLEMS = 25
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"

# Elements SVG Tiny PS leaves out: scripting, animation, foreign content and raster images
# (compared lower-case: a receiver's sanitizer may not be case-sensitive, an attacker may).
FORBIDDEN_ELEMENTS = frozenset(
    {
        "script",
        "animate",
        "animatecolor",
        "animatemotion",
        "animatetransform",
        "set",
        "discard",
        "foreignobject",
        "image",
        "video",
        "audio",
        "iframe",
        "handler",
        "listener",
    }
)
_URL_REF = re.compile(r"url\(\s*['\"]?\s*([^)'\"\s]*)", re.IGNORECASE)


class SvgProblemCode(str, Enum):
    UNPARSEABLE = "unparseable"
    DTD = "dtd"  # a DOCTYPE or entity declaration (refused, never expanded)
    NOT_SVG = "not-svg"  # the root is not an SVG <svg> element
    VERSION = "version"  # version is not 1.2
    BASE_PROFILE = "base-profile"  # baseProfile is not tiny-ps
    ROOT_POSITION = "root-position"  # x or y on the root element
    NO_TITLE = "no-title"
    FORBIDDEN_ELEMENT = "forbidden-element"
    EVENT_ATTRIBUTE = "event-attribute"  # onload=, onclick=, ...
    EXTERNAL_REFERENCE = "external-reference"  # href/url() to anything but a local #id
    JAVASCRIPT = "javascript"  # a javascript: URL anywhere
    NO_VIEWBOX = "no-viewbox"
    NOT_SQUARE = "not-square"
    TOO_LARGE = "too-large"


@frozen
class SvgProblem:
    code: SvgProblemCode
    element: str = ""
    attribute: str = ""
    value: str = ""
    line: int = 0


@frozen
class SvgCheck:
    """What the logo file is: its size and SHA-256 (what the certificate's embedded copy is
    compared with), its title, its viewBox, and every rule it breaks."""

    size: int
    sha256: str
    title: str | None = None
    view_box: str | None = None
    problems: tuple[SvgProblem, ...] = field(default_factory=tuple)

    @property
    def valid(self) -> bool:
        return not self.problems


def _short(value: str, limit: int = 80) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else value[:limit] + "…"


class _Handler(ContentHandler):
    def __init__(self) -> None:
        super().__init__()
        self.problems: list[SvgProblem] = []
        self.depth = 0
        self.locator: Locator | None = None
        self.title: str | None = None
        self.title_depth: int | None = None
        self.title_text: list[str] = []
        self.view_box: str | None = None
        self.root_seen = False
        self.root_line = 1

    def setDocumentLocator(self, locator: Locator) -> None:
        self.locator = locator

    def line(self) -> int:
        return (self.locator.getLineNumber() or 0) if self.locator is not None else 0

    def add(
        self, code: SvgProblemCode, element: str = "", attribute: str = "", value: str = ""
    ) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(SvgProblem(code, element, attribute, _short(value), self.line()))

    def startElementNS(
        self, name: tuple[str | None, str], qname: str | None, attrs: AttributesNSImpl
    ) -> None:
        uri, local = name
        shown = qname or local
        if self.depth == 0:
            self.root_seen, self.root_line = True, self.line()
            self._root(uri, local, shown, attrs)
        elif self.depth == 1 and local == "title" and uri == SVG_NS and self.title is None:
            self.title_depth = self.depth
        if local.lower() in FORBIDDEN_ELEMENTS:
            self.add(SvgProblemCode.FORBIDDEN_ELEMENT, element=shown)
        self._attributes(shown, attrs)
        self.depth += 1

    def endElementNS(self, name: tuple[str | None, str], qname: str | None) -> None:
        self.depth -= 1
        if self.title_depth is not None and self.depth == self.title_depth:
            self.title = " ".join("".join(self.title_text).split())
            self.title_depth = None

    def characters(self, content: str) -> None:
        if self.title_depth is not None and sum(map(len, self.title_text)) < 1024:
            self.title_text.append(content)

    def _root(self, uri: str | None, local: str, shown: str, attrs: AttributesNSImpl) -> None:
        if uri != SVG_NS or local != "svg":
            self.add(SvgProblemCode.NOT_SVG, element=shown)
            return
        plain = {k[1]: v for k, v in attrs.items() if k[0] is None}
        version, profile = plain.get("version"), plain.get("baseProfile")
        if version != "1.2":
            self.add(SvgProblemCode.VERSION, "svg", "version", version or "")
        if profile != "tiny-ps":
            self.add(SvgProblemCode.BASE_PROFILE, "svg", "baseProfile", profile or "")
        for axis in ("x", "y"):
            if axis in plain:
                self.add(SvgProblemCode.ROOT_POSITION, "svg", axis, plain[axis])
        self.view_box = plain.get("viewBox")
        if self.view_box is None:
            self.add(SvgProblemCode.NO_VIEWBOX, "svg", "viewBox")
        else:
            numbers = self.view_box.replace(",", " ").split()
            try:
                width, height = float(numbers[2]), float(numbers[3])
                ok = len(numbers) == 4 and width == height and width > 0
            except (IndexError, ValueError):
                ok = False
            if not ok:
                self.add(SvgProblemCode.NOT_SQUARE, "svg", "viewBox", self.view_box)

    def _attributes(self, element: str, attrs: AttributesNSImpl) -> None:
        for (uri, local), value in attrs.items():
            shown = f"xlink:{local}" if uri == XLINK_NS else local
            low = value.strip().lower()
            if local.lower().startswith("on"):
                self.add(SvgProblemCode.EVENT_ATTRIBUTE, element, shown, value)
            elif "javascript:" in low.replace(" ", ""):
                self.add(SvgProblemCode.JAVASCRIPT, element, shown, value)
            elif local == "href" and not value.strip().startswith("#"):
                self.add(SvgProblemCode.EXTERNAL_REFERENCE, element, shown, value)
            else:
                for target in _URL_REF.findall(value):
                    if not target.startswith("#"):
                        self.add(SvgProblemCode.EXTERNAL_REFERENCE, element, shown, value)
                        break


def check_svg(body: bytes) -> SvgCheck:
    """Judge `body` against SVG Tiny PS. Never raises on any input."""
    size, digest = len(body), hashlib.sha256(body).hexdigest()
    size_problems = (
        [SvgProblem(SvgProblemCode.TOO_LARGE, value=str(size))] if size > MAX_SVG_SIZE else []
    )
    handler = _Handler()
    parser = DefusedExpatParser(forbid_dtd=True, forbid_entities=True, forbid_external=True)
    parser.setFeature(feature_namespaces, True)
    parser.setContentHandler(handler)
    try:
        parser.parse(io.BytesIO(body))
    except DefusedXmlException as exc:
        handler.add(SvgProblemCode.DTD, value=type(exc).__name__)
        return SvgCheck(size, digest, problems=(*size_problems, *handler.problems[-1:]))
    except (xml.sax.SAXException, ValueError, LookupError, RecursionError) as exc:
        line = (exc.getLineNumber() or 0) if isinstance(exc, xml.sax.SAXParseException) else 0
        # expat's sentence (worded by `xml_reasons`), else the exception's name: never a
        # library's free English in a report (issue 14).
        if isinstance(exc, xml.sax.SAXParseException):
            detail = exc.getMessage()
        else:
            detail = type(exc).__name__
        problem = SvgProblem(
            SvgProblemCode.UNPARSEABLE, value=_short(detail or "no XML"), line=line
        )
        return SvgCheck(size, digest, problems=(*size_problems, problem))
    problems = list(handler.problems)
    not_svg = any(p.code is SvgProblemCode.NOT_SVG for p in problems)
    if handler.root_seen and not not_svg and not handler.title:
        problems.append(SvgProblem(SvgProblemCode.NO_TITLE, "svg", line=handler.root_line))
    return SvgCheck(
        size,
        digest,
        title=handler.title or None,
        view_box=handler.view_box,
        problems=(*size_problems, *problems),
    )

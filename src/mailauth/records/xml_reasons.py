"""Why an SVG logo is not XML, as codes (`bimi.xml.<code>`) instead of expat's English.

expat explains a parse error in a fixed set of English sentences ("not well-formed (invalid
token)", "mismatched tag"), listed with their names in `xml.parsers.expat.errors`. A Japanese
admin is owed the explanation in Japanese (issue 14): the sentences people's logos actually
produce have words in the i18n table; any other keeps expat's error name (a token a reader
can search for, `XML_ERROR_PUBLICID`) in `bimi.xml.other`.
"""

from __future__ import annotations

import xml.parsers.expat.errors as expat_errors

from mailauth.i18n import has_label
from mailauth.model import Phrase

# expat's sentence -> its name without the prefix, lower-case with dashes (`tag-mismatch`).
_CODES: dict[str, str] = {
    str(getattr(expat_errors, name)): name.removeprefix("XML_ERROR_").lower().replace("_", "-")
    for name in dir(expat_errors)
    if name.startswith("XML_ERROR_")
}
# What check_svg records for an empty body (nothing for expat to parse).
NO_XML = "no XML"


def xml_reason(message: str) -> Phrase:
    """The words for expat's `message` (the value of an `unparseable` SVG problem)."""
    if message == NO_XML:
        return Phrase("bimi.xml.no-elements")
    code = _CODES.get(message.strip())
    if code is not None and has_label(f"bimi.xml.{code}"):
        return Phrase(f"bimi.xml.{code}")
    # Not a sentence of expat's: the exception's name check_svg recorded (LookupError).
    name = f"XML_ERROR_{code.upper().replace('-', '_')}" if code else message.split()[0]
    return Phrase("bimi.xml.other", {"code": name})

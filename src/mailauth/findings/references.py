"""The sources findings cite, one constant each, so a source is named and linked once.

A catalogue entry cites a `Reference`: a `Source` (an RFC, a draft, a receiver's published
rules), optionally a section of it and a note (`RFC7208.at("4.6.4")`, `Reference(YAHOO_SENDER_
REQUIREMENTS, note="2024")`). `str()` is the text users read (the JSON `references` list,
docs/findings.md, the text report); `url` is the link a SARIF rule's `helpUri` or the docs use.
A `Citation` joins several references into the one string some entries have always shown
("Gmail email sender guidelines; Yahoo sender requirements (2024)"), each part keeping its URL.

The text here is the catalogue's interface, like the ids: tests pin every rendered string.
"""

from __future__ import annotations

from mailauth.frozen import frozen


@frozen
class Source:
    """A document findings cite. `name` is shown as is ("RFC 7208"); `url` is where it lives.
    `anchored`: its sections can be linked as `url#section-X` (`#appendix-X` for a lettered
    one), as on rfc-editor.org and the IETF datatracker."""

    name: str
    url: str
    anchored: bool = False

    def at(self, section: str, note: str | None = None) -> Reference:
        """A section of this source, written as the document numbers it ("4.6.4", "A.6")."""
        return Reference(self, section, note)


def _rfc(number: int) -> Source:
    return Source(f"RFC {number}", f"https://www.rfc-editor.org/rfc/rfc{number}", anchored=True)


def _draft(name: str) -> Source:
    return Source(name, f"https://datatracker.ietf.org/doc/html/{name}", anchored=True)


@frozen
class Reference:
    """One citation of one source: `RFC 7208 §4.6.4`, `Outlook.com (May 2025)`.

    `cited_as` is the wording used instead of the source's name where a catalogue entry has
    always named it differently ("Gmail sender guidelines"): rendered text never changes.
    """

    source: Source
    section: str | None = None
    note: str | None = None
    cited_as: str | None = None

    def __str__(self) -> str:
        text = self.cited_as if self.cited_as is not None else self.source.name
        if self.section is not None:
            text += f" §{self.section}"
        if self.note is not None:
            text += f" ({self.note})"
        return text

    @property
    def url(self) -> str:
        """The source's URL, pointing at the section when the source's pages allow it."""
        if self.section is None or not self.source.anchored:
            return self.source.url
        kind = "appendix" if self.section[:1].isalpha() else "section"
        return f"{self.source.url}#{kind}-{self.section}"

    @property
    def references(self) -> tuple[Reference, ...]:
        """The single references this citation is made of: itself."""
        return (self,)


@frozen
class Citation:
    """Several references shown as one string, joined by `sep`; each part keeps its URL."""

    parts: tuple[Cite, ...]
    sep: str = "; "

    def __post_init__(self) -> None:
        if not self.parts:
            raise ValueError("a Citation needs at least one part")

    def __str__(self) -> str:
        return self.sep.join(str(part) for part in self.parts)

    @property
    def url(self) -> str:
        """The URL of the first source cited (one link where only one fits, e.g. helpUri)."""
        return self.parts[0].url

    @property
    def references(self) -> tuple[Reference, ...]:
        """The single references this citation is made of, in order."""
        return tuple(ref for part in self.parts for ref in part.references)


Cite = Reference | Citation
"""What a catalogue entry lists in `references`: one reference, or several shown as one."""


# --- RFCs -----------------------------------------------------------------------------------
RFC1035 = _rfc(1035)  # DNS: implementation and specification
RFC1912 = _rfc(1912)  # Common DNS operational and configuration errors
RFC2181 = _rfc(2181)  # Clarifications to the DNS specification
RFC2369 = _rfc(2369)  # List-* header fields (List-Unsubscribe)
RFC3207 = _rfc(3207)  # SMTP STARTTLS
RFC5321 = _rfc(5321)  # SMTP
RFC5322 = _rfc(5322)  # Internet Message Format
RFC6376 = _rfc(6376)  # DKIM signatures
RFC7208 = _rfc(7208)  # SPF
RFC7489 = _rfc(7489)  # DMARC (2015; obsoleted by RFC 9989)
RFC7505 = _rfc(7505)  # Null MX
RFC8020 = _rfc(8020)  # NXDOMAIN: there really is nothing underneath
RFC8058 = _rfc(8058)  # One-click unsubscribe
RFC8301 = _rfc(8301)  # DKIM cryptographic algorithm and key usage update
RFC8314 = _rfc(8314)  # Cleartext considered obsolete (implicit TLS for mail)
RFC8460 = _rfc(8460)  # SMTP TLS reporting
RFC8461 = _rfc(8461)  # MTA-STS
RFC8463 = _rfc(8463)  # Ed25519 for DKIM
RFC8601 = _rfc(8601)  # Authentication-Results header field
RFC8617 = _rfc(8617)  # ARC
RFC9989 = _rfc(9989)  # DMARC
# Issue 11: DNSSEC, DANE, STARTTLS.
RFC4033 = _rfc(4033)  # DNSSEC introduction
RFC4035 = _rfc(4035)  # DNSSEC protocol modifications
RFC6698 = _rfc(6698)  # DANE TLSA
RFC6840 = _rfc(6840)  # DNSSEC clarifications
RFC7671 = _rfc(7671)  # DANE operational guidance
RFC7672 = _rfc(7672)  # SMTP security via opportunistic DANE TLS
RFC8996 = _rfc(8996)  # Deprecating TLS 1.0 and 1.1

# --- Internet-Drafts ------------------------------------------------------------------------
BIMI_DRAFT = _draft("draft-brand-indicators-for-message-identification-10")
VMC_DRAFT = _draft("draft-fetch-validation-vmc-wchuang-10")  # fetch/validation of VMCs
DMARC_AGGREGATE_REPORTING_DRAFT = _draft("draft-ietf-dmarc-aggregate-reporting")

# --- Receivers' published rules -------------------------------------------------------------
GMAIL_SENDER_GUIDELINES = Source(
    "Gmail email sender guidelines", "https://support.google.com/a/answer/81126"
)
GMAIL_BIMI = Source("Gmail BIMI requirements", "https://support.google.com/a/answer/10911320")
YAHOO_SENDER_REQUIREMENTS = Source(
    "Yahoo sender requirements", "https://senders.yahooinc.com/best-practices/"
)
OUTLOOK_HIGH_VOLUME = Source(
    "Outlook.com",
    "https://techcommunity.microsoft.com/blog/microsoftdefenderforoffice365blog/"
    "strengthening-email-ecosystem-outlook%E2%80%99s-new-requirements-for-high%E2%80%90volume-"
    "senders/4399730",
)

# --- Citations several catalogue modules share ----------------------------------------------
BULK_SENDER_RULES = Citation(
    (Reference(GMAIL_SENDER_GUIDELINES), Reference(YAHOO_SENDER_REQUIREMENTS, note="2024"))
)
"""The 2024 bulk-sender rules of Gmail and Yahoo, cited together."""

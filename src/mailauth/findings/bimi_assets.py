"""Catalogue entries for the BIMI logo and mark-certificate step (`mailauth.domain.bimi_assets`).

BIMI is optional: these findings are LOW or MEDIUM and the whole `bimi` check is capped (see
docs/scoring.md), so a broken logo never costs much of the deliverability score. What they do
say is whether, and where, the logo would be shown.
"""

from __future__ import annotations

from mailauth.findings.catalogue import Protocol, Scope, Section
from mailauth.findings.references import BIMI_DRAFT, GMAIL_BIMI, VMC_DRAFT, Reference
from mailauth.model import Severity

define = Section("bimi", Scope.DOMAIN, Protocol.BIMI).define

_SVG = BIMI_DRAFT.at("4.3.2")
_VMC = Reference(VMC_DRAFT)
_NO_LOGO = "Receivers that validate the logo (Gmail, Apple Mail, Yahoo) show no logo."
_NO_CERT_LOGO = (
    "Gmail and Apple Mail show the logo only with a valid mark certificate, so they show none; "
    "Yahoo may still show the logo without one."
)

# --- the logo (l=) --------------------------------------------------------------------------
define(
    "bimi.logo-fetch-failed",
    Severity.MEDIUM,
    title="BIMI logo could not be fetched",
    detail="Fetching the l= logo {url} failed: {reason}.",
    consequence=f"Receivers that fail the same way have no logo to show. {_NO_LOGO}",
    fix=(
        "Serve the SVG at {url} over https from a public host with a valid certificate, "
        "answering 200 without redirects."
    ),
    references=(_SVG,),
)
define(
    "bimi.svg-unparseable",
    Severity.MEDIUM,
    title="BIMI logo is not well-formed XML",
    detail="The logo {url} cannot be parsed as XML (line {line}): {reason}.",
    consequence=_NO_LOGO,
    fix="Export the logo again as SVG Tiny PS (for example with the BIMI Group's converter).",
    references=(_SVG,),
)
define(
    "bimi.svg-dtd",
    Severity.MEDIUM,
    title="BIMI logo contains a DOCTYPE or entity declaration",
    detail="The logo {url} declares a DTD or entities ({reason}); they were not expanded.",
    consequence=(
        f"SVG Tiny PS has no DOCTYPE, and receivers refuse entity declarations (they are how "
        f"XML bombs work). {_NO_LOGO}"
    ),
    fix="Remove the <!DOCTYPE ...> line and any <!ENTITY ...> declarations from the logo.",
    references=(_SVG,),
)
define(
    "bimi.svg-not-tiny-ps",
    Severity.MEDIUM,
    title="BIMI logo is not SVG Tiny PS",
    detail="Line {line}: <{element}{setting}> breaks the SVG Tiny PS profile (rule: {rule}).",
    consequence=_NO_LOGO,
    fix=(
        'The root must be <svg version="1.2" baseProfile="tiny-ps"> in the SVG namespace, '
        "without x or y attributes, with a <title> element naming the brand."
    ),
    references=(_SVG,),
)
define(
    "bimi.svg-forbidden-element",
    Severity.MEDIUM,
    title="BIMI logo contains a forbidden element or attribute",
    detail="Line {line}: <{element}{setting}> is not allowed in SVG Tiny PS.",
    consequence=(
        "Scripts, animation, foreignObject, raster images and event handlers are excluded "
        f"from the profile for safety. {_NO_LOGO}"
    ),
    fix=(
        "Remove the <{element}> element or its event attribute from the logo; draw the image "
        "with vector shapes only."
    ),
    references=(_SVG,),
)
define(
    "bimi.svg-external-reference",
    Severity.MEDIUM,
    title="BIMI logo refers to something outside the file",
    detail="Line {line}: <{element}{setting}> points outside the file.",
    consequence=(
        "An Indicator must be self-contained: links to other files, data: URLs and "
        f"javascript: are refused (they would track or attack readers). {_NO_LOGO}"
    ),
    fix='Inline what is referenced, or point only at local ids (href="#id").',
    references=(_SVG,),
)
define(
    "bimi.svg-too-large",
    Severity.MEDIUM,
    title="BIMI logo file is too large",
    detail="The logo {url} is {size} bytes; the limit is 32 KB.",
    consequence=f"Receivers refuse Indicators over 32 KB. {_NO_LOGO}",
    fix="Simplify the paths and remove metadata (an optimizer such as svgo) to stay under 32 KB.",
    references=(_SVG,),
)
define(
    "bimi.svg-not-square",
    Severity.LOW,
    title="BIMI logo is not square",
    detail=(
        'Line {line}: <svg viewBox="{value}">: the viewBox must be present, with equal width '
        "and height."
    ),
    consequence="Receivers show the logo in a square or circle; a non-square logo is refused.",
    fix='Give the root <svg> a square viewBox, for example viewBox="0 0 512 512".',
    references=(_SVG,),
)

# --- the mark certificate (a=) ---------------------------------------------------------------
define(
    "bimi.certificate-fetch-failed",
    Severity.LOW,
    title="BIMI mark certificate could not be fetched",
    detail="Fetching the a= certificate {url} failed: {reason}.",
    consequence=_NO_CERT_LOGO,
    fix="Serve the PEM file at {url} over https from a public host, answering 200.",
    references=(_VMC,),
)
define(
    "bimi.certificate-unparseable",
    Severity.LOW,
    title="BIMI mark certificate cannot be read",
    detail="The file at {url} is not a PEM certificate chain: {reason}.",
    consequence=_NO_CERT_LOGO,
    fix="Publish the PEM file your Mark Verifying Authority issued, unchanged.",
    references=(_VMC,),
)
define(
    "bimi.certificate-not-mark",
    Severity.LOW,
    title="Certificate at a= is not a mark certificate",
    detail="The certificate lacks the BIMI extended key usage 1.3.6.1.5.5.7.3.31 (has: {usages}).",
    consequence=_NO_CERT_LOGO,
    fix="Point a= at a Verified or Common Mark Certificate, not a TLS or other certificate.",
    references=(_VMC,),
)
define(
    "bimi.certificate-expired",
    Severity.MEDIUM,
    title="BIMI mark certificate has expired",
    detail="The mark certificate expired on {date}.",
    consequence=_NO_CERT_LOGO,
    fix="Renew the certificate with your Mark Verifying Authority and publish the new PEM.",
    references=(_VMC,),
)
define(
    "bimi.certificate-not-yet-valid",
    Severity.LOW,
    title="BIMI mark certificate is not valid yet",
    detail="The mark certificate is valid only from {date}.",
    consequence=_NO_CERT_LOGO,
    fix="Publish it from {date}, or keep the previous certificate at a= until then.",
    references=(_VMC,),
)
define(
    "bimi.certificate-expiring",
    Severity.LOW,
    title="BIMI mark certificate expires soon",
    detail="The mark certificate expires in {days} days.",
    consequence="When it expires, Gmail and Apple Mail stop showing the logo.",
    fix="Renew the certificate now and publish the new PEM before it expires.",
    references=(_VMC,),
)
define(
    "bimi.certificate-domain-mismatch",
    Severity.MEDIUM,
    title="BIMI mark certificate is for another domain",
    detail="Neither {domain} nor its organizational domain is in the certificate's SAN ({san}).",
    consequence=_NO_CERT_LOGO,
    fix="Use the mark certificate issued for {domain}, or have it reissued to include it.",
    references=(_VMC,),
)
define(
    "bimi.certificate-no-logo",
    Severity.MEDIUM,
    title="BIMI mark certificate carries no readable logo",
    detail="No SVG could be read from the certificate's logotype extension: {reason}.",
    consequence=_NO_CERT_LOGO,
    fix="Have the Mark Verifying Authority reissue the certificate with the SVG logo embedded.",
    references=(_VMC,),
)
define(
    "bimi.certificate-logo-mismatch",
    Severity.MEDIUM,
    title="Logo in the certificate differs from the l= logo",
    detail=(
        "The SVG embedded in the certificate (SHA-256 {embedded}) is not the file at {url} "
        "(SHA-256 {fetched})."
    ),
    consequence=(
        "Receivers that validate the certificate require the same logo byte for byte: "
        "Gmail and Apple Mail show none."
    ),
    fix="Publish at l= exactly the SVG file the certificate was issued for.",
    references=(_VMC,),
)
define(
    "bimi.certificate-no-sct",
    Severity.LOW,
    title="BIMI mark certificate has no Certificate Transparency proof",
    detail="The certificate has no precertificate SCT list (it was not logged in CT).",
    consequence=(
        "The VMC validation draft requires mark certificates to be logged; receivers that "
        "follow it refuse this one."
    ),
    fix="Ask the Mark Verifying Authority for a CT-logged certificate.",
    references=(_VMC,),
)
define(
    "bimi.certificate-untrusted",
    Severity.MEDIUM,
    title="BIMI mark certificate is not from a known Mark Verifying Authority",
    detail="The chain does not verify to a known mark root ({reason}: {issuer}).",
    consequence=_NO_CERT_LOGO,
    fix=(
        "Publish the full chain (certificate and intermediates) the Mark Verifying Authority "
        "gave you; certificates from other CAs are not accepted."
    ),
    references=(_VMC, Reference(GMAIL_BIMI)),
)
define(
    "bimi.certificate-revoked",
    Severity.MEDIUM,
    title="BIMI mark certificate has been revoked",
    detail="The CRL at {url} lists the certificate as revoked since {date}.",
    consequence=_NO_CERT_LOGO,
    fix="Obtain a new certificate from the Mark Verifying Authority and publish it at a=.",
    references=(_VMC,),
)

"""Catalogue entries `msg_header.*`: RFC 5322 header hygiene that Gmail and Yahoo require of every
sender.

Each id is triggered by a sample in samples/messages/ (manifest.yaml) or, for DNS failures a
zone file cannot express offline, by a unit test with an injected failure.
"""

from __future__ import annotations

from mailauth.findings.catalogue import Protocol, Scope, Section
from mailauth.findings.references import RFC5322
from mailauth.model import Severity

define = Section("msg_header", Scope.MESSAGE, Protocol.MESSAGE_FORMAT).define

define(
    "msg_header.message-id-missing",
    Severity.MEDIUM,
    title="The message has no Message-ID",
    detail="There is no Message-ID header field.",
    consequence=(
        "RFC 5322 says every message SHOULD have one; Gmail treats messages without a "
        "Message-ID as suspicious and may reject them."
    ),
    fix=(
        "Make the sending application or its first mail server add Message-ID: "
        "<unique@your-domain>."
    ),
    references=(RFC5322.at("3.6.4"),),
)

define(
    "msg_header.message-id-malformed",
    Severity.LOW,
    title="Message-ID is malformed",
    detail="Message-ID is {value}, which is not of the form <left@right>.",
    consequence="Spam filters score malformed Message-IDs as a sign of bulk or forged mail.",
    fix="Generate Message-ID as <unique-part@your-domain>.",
    references=(RFC5322.at("3.6.4"),),
)

define(
    "msg_header.date-missing",
    Severity.MEDIUM,
    title="The message has no Date",
    detail="There is no Date header field, which RFC 5322 requires.",
    consequence="Receivers and spam filters penalize messages without a Date.",
    fix="Make the sending application write Date: in RFC 5322 format.",
    references=(RFC5322.at("3.6.1"),),
)

define(
    "msg_header.date-malformed",
    Severity.LOW,
    title="Date is not a valid RFC 5322 date",
    detail="Date is {value}, which is not a valid date-time.",
    consequence="Spam filters score invalid dates; clients sort the message wrongly.",
    fix="Write the date like: Date: Thu, 01 Oct 2026 09:00:00 +0900",
    references=(RFC5322.at("3.3"),),
)

define(
    "msg_header.duplicate",
    Severity.MEDIUM,
    title="{name} appears {count} times",
    detail=(
        "{name} may appear at most once in a message (RFC 5322 §3.6), but appears {count} times."
    ),
    consequence=(
        "Receivers reject or spam-filter such messages (Gmail rejects duplicated single "
        "headers); duplicates are also a known trick to make signatures cover the wrong value."
    ),
    fix="Find the system that adds the second {name} and stop it.",
    references=(RFC5322.at("3.6"),),
)

define(
    "msg_header.line-too-long",
    Severity.LOW,
    title="A header line is {length} characters long",
    detail="Header line {line} is {length} characters; RFC 5322 allows at most 998.",
    consequence="Mail servers may reject the message or break the line, which breaks DKIM.",
    fix="Fold long header fields over several lines (the sending library should do this).",
    references=(RFC5322.at("2.1.1"),),
)

# Header sections that break RFC 5322 but are mail (issue 8.2): message/parse.py reads past
# each defect as receivers do and records it; message/rules.py reports it here. Each finding
# names the first such line and how many there are; {problem} is a sentence (a Phrase).
define(
    "msg_header.malformed-field",
    Severity.HIGH,
    title="A header line is not a valid header field",
    detail="{problem} First at line {line}: {text} (such lines in this header: {count}).",
    consequence=(
        "Receivers and mail clients disagree on such lines: some end the header section there "
        "(every field below it becomes body text), some skip the line, some join it to a "
        "field next to it. A From field hidden or split this way is a known spoofing "
        "technique: the server that checks DMARC and the client that shows the sender can "
        "read different From addresses. Receivers reject or spam-filter such messages."
    ),
    fix=(
        "If you sent it, make the sending program write every header line as Name: value, "
        "continued only on lines that start with white space. If you did not, treat the "
        "message as forged."
    ),
    references=(RFC5322.at("2.2"), RFC5322.at("3.6")),
)

define(
    "msg_header.obsolete-syntax",
    Severity.MEDIUM,
    title="The header uses obsolete syntax",
    detail="{problem} First at line {line}: {text} (such lines in this header: {count}).",
    consequence=(
        "RFC 5322 says receivers must still accept it, but parsers differ: some do not "
        "recognise `From :` as a From field, or end the header at a line of white space, so "
        "the server that checks DMARC and the client that shows the message may see "
        "different fields (a From that only some of them read is a known spoofing "
        "technique). Some DKIM verifiers refuse such header sections outright."
    ),
    fix=(
        "If you sent it, make the sending program write Name: value with no white space "
        "before the colon, and no line of only white space in the header."
    ),
    references=(RFC5322.at("4.5.3"), RFC5322.at("4.2")),
)

define(
    "msg_header.whitespace-separator",
    Severity.HIGH,
    title="The line that ends the header contains white space",
    detail=(
        "Header line {line} holds only white space ({text}) where an empty line should end "
        "the header section; mailauth reads it as the end of the header, because the line "
        "after it is not a header field."
    ),
    consequence=(
        "In RFC 5322 a line of only white space continues the field above it, so receivers "
        "disagree on where the header ends: some read the first body lines as header fields "
        "or as part of the last field, others as body. A field placed after such a line (a "
        "second From) is seen by some receivers and not by others, and a DKIM body hash "
        "computed on the other split does not verify."
    ),
    fix=(
        "If you sent it, make the sending program end the header with an empty line (CRLF "
        "CRLF). If you did not, treat the message as suspicious."
    ),
    references=(RFC5322.at("2.1"), RFC5322.at("4.2")),
)

define(
    "msg_header.truncated",
    Severity.MEDIUM,
    title="The message ends inside its header",
    detail=(
        "The file ends on header line {line} ({text}) without a line ending: there is no "
        "empty line after the header and no body."
    ),
    consequence=(
        "The message was cut off when it was saved or on the way, or was built by hand: its "
        "last field may be incomplete, a DKIM signature over that field or over the body may "
        "not verify, and receivers treat such messages as broken or suspicious."
    ),
    fix=(
        "Save the message again in full (the mail client's Show original or Download "
        "message). If it arrived like this, the sending program or a relay cut it off."
    ),
    references=(RFC5322.at("2.1"), RFC5322.at("3.5")),
)

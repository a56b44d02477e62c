"""The copy of a message handed to dkimpy (`ParsedMessage.dkim_bytes`): the message as it was
sent, which is what DKIM and ARC signatures cover.

The saved file can differ from that in storage only (bare LF line endings, an mbox export's
separator line and `From ` quoting), which `for_dkim` undoes; and a header section mailauth
read past defects in (message/parse.py `DefectKind`) is rebuilt by `repaired_for_dkim` so
dkimpy can read it, without changing anything a signature hashes. Rules never read this copy:
they read `ParsedMessage.headers`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_MBOXRD_QUOTED = re.compile(rb"^>(>*From )", re.MULTILINE)


def for_dkim(raw: bytes, start: int, body_start: int, mbox: bool) -> bytes:
    """The copy handed to dkimpy: the message as it was sent.

    Line endings: SMTP carries messages with CRLF (RFC 5321 §2.3.8) and DKIM signs that
    canonical form (RFC 6376 §3.4); mail clients that save a message with bare LF changed only
    the storage, so every lone LF becomes CRLF. dkimpy splits on `\\r?\\n` itself; doing it
    here makes the contract explicit and independent of dkimpy's internals.

    mbox: a file that starts with a `From ` separator line is an mbox export (RFC 4155). The
    line itself is dropped, and the body's `From ` quoting is undone: writers prefix body
    lines that begin with "From " with ">" so they cannot be read as a separator, and mboxrd
    writers also prefix lines that already begin with ">...From ". Removing one ">" from
    `>+From ` restores what was signed for mboxrd files and for the usual mboxo case (a body
    line "From ..."); only an original mboxo line that began ">From " cannot be restored, by
    any reader. A file without the separator (a saved .eml) is never unquoted.

    This copy is used for DKIM/ARC only; rules read `ParsedMessage.headers`.
    """
    message = raw[start:] if start else raw
    if message.count(b"\n") != message.count(b"\r\n"):  # some lone LF (cheap test first)
        # Same as replacing every LF not after CR, several times faster on a large body.
        message = message.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    if not mbox:
        return message
    # The body starts after the header section, whose length CRLF conversion changed.
    head = raw[start:body_start]
    head_len = len(head) + head.count(b"\n") - head.count(b"\r\n")
    return message[:head_len] + _MBOXRD_QUOTED.sub(rb"\1", message[head_len:])


def repaired_for_dkim(
    raw: bytes, fields: Sequence[tuple[str, bytes]], body_start: int, mbox: bool
) -> bytes:
    """The copy for dkimpy of a message whose header mailauth had to read past defects in:
    dkimpy refuses a header section with a line that is not `Name:` (and `Name :`), so the
    header is rebuilt from the fields as read, each ended by CRLF, then the empty line.

    What changes, and why no signature can tell: lines that are no field are dropped (no
    signature can list a field without a name); a whitespace-only separator becomes empty and
    a missing final line ending is added (neither is part of a header field or the body);
    `Name :` and a folded `Name<CRLF> :` become `Name:`, which relaxed header
    canonicalization (RFC 6376 §3.4.2) does anyway. A field that some signature hashes with
    *simple* header canonicalization keeps its bytes: rewriting would change what was signed
    (dkimpy may then refuse the message, and every signature is reported unverifiable).
    """
    simple = _simple_signed(fields)
    out = []
    for name, field in fields:
        colon = field.find(b":")
        if field[:colon] != name.encode("ascii") and name.lower() not in simple:
            out.append(name.encode("ascii") + field[colon:])
        else:
            out.append(field)
    body = raw[body_start:]
    if body.count(b"\n") != body.count(b"\r\n"):
        body = body.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    if mbox:
        body = _MBOXRD_QUOTED.sub(rb"\1", body)
    return b"".join(f + b"\r\n" for f in out) + b"\r\n" + body


_TAG = re.compile(rb"(?:^|;)\s*([a-z]+)\s*=([^;]*)", re.IGNORECASE)


def _simple_signed(fields: Sequence[tuple[str, bytes]]) -> set[str]:
    """Names of the fields some DKIM-Signature or ARC-Message-Signature hashes with simple
    header canonicalization (c= simple/..., DKIM's default; an AMS without c= is relaxed)."""
    names: set[str] = set()
    for name, field in fields:
        lname = name.lower()
        if lname not in ("dkim-signature", "arc-message-signature"):
            continue
        tags = {
            m.group(1).lower(): b"".join(m.group(2).split())
            for m in _TAG.finditer(field.partition(b":")[2])
        }
        default = b"simple" if lname == "dkim-signature" else b"relaxed"
        if tags.get(b"c", default).split(b"/")[0].lower() != b"simple":
            continue
        names.update(
            n.strip().lower().decode("ascii", "replace") for n in tags.get(b"h", b"").split(b":")
        )
    return names

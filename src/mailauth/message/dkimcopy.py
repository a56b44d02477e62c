"""The copy of a message handed to the DKIM verifier (message/dkimverify.py, which reads a
message as dkimpy does) and to dkimpy's ARC (`ParsedMessage.dkim_bytes`): the message as it
was sent, which is what DKIM and ARC signatures cover.

The saved file can differ from that in storage only (bare LF line endings, an mbox export's
separator line and `From ` quoting), which `for_dkim` undoes; and a header section mailauth
read past defects in (message/parse.py `DefectKind`) is rebuilt by `repaired_for_dkim` so
dkimpy can read it, without changing anything a signature hashes. Rules never read this copy:
they read `ParsedMessage.headers`.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

from mailauth.message.dkimcanon import LONE_LF

_MBOXRD_QUOTED = re.compile(rb"^>(>*From )", re.MULTILINE)
# The copy is written in pieces of about this size, each ending with a line, into one growing
# buffer: a 20 MiB body of bare LFs becomes 40 MiB without a second full-size copy in between.
_PIECE = 256 * 1024


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
    lone_lf = LONE_LF.search(raw, start) is not None  # one pass, in C; no copy when none
    if not lone_lf and not mbox:
        return raw  # the message as it was sent (no separator line without mbox: start is 0)
    out = io.BytesIO()
    _write_sent(out, raw, start, body_start, unquote=False)
    _write_sent(out, raw, body_start, len(raw), unquote=mbox)  # only the body is quoted
    return out.getvalue()


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
    copy = io.BytesIO()
    copy.writelines(f + b"\r\n" for f in out)
    copy.write(b"\r\n")
    _write_sent(copy, raw, body_start, len(raw), unquote=mbox)
    return copy.getvalue()


def _write_sent(out: io.BytesIO, raw: bytes, start: int, end: int, unquote: bool) -> None:
    """Write raw[start:end] (which starts a line) as it was sent: every lone LF as CRLF (the
    same as replacing every LF not after CR, several times faster on a large body), and
    with `unquote` the mboxrd `>From ` quoting undone. Piece by piece, each piece ending
    with a line, so neither a CRLF nor a line start is cut."""
    pos = start
    while pos < end:
        stop = min(pos + _PIECE, end)
        if stop < end:
            nl = raw.rfind(b"\n", pos, stop)
            stop = nl + 1 if nl >= 0 else raw.find(b"\n", stop, end) + 1 or end
        piece = raw[pos:stop]
        if LONE_LF.search(piece) is not None:
            piece = piece.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        if unquote:
            piece = _MBOXRD_QUOTED.sub(rb"\1", piece)
        out.write(piece)
        pos = stop


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

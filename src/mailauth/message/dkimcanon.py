"""DKIM canonicalization (RFC 6376 §3.4) over bytes, the body streamed in bounded chunks.

Why not dkimpy's: it canonicalizes the body with regular expressions over the whole of it
(`re.sub` twice and `re.split` into one list item per line), so one signature over 50 MiB of
empty lines held 5 GB, and it does that again for every signature. Here the body is read in
chunks of `CHUNK` bytes, each chunk canonicalized with `bytes.replace` (and a regex only where
white space must be compressed), and the canonical body is fed to the hash as it is produced:
the memory used beyond the message is a few chunks, whatever the body holds.

What comes out is byte for byte what dkimpy hashes, including where dkimpy departs from the
letter of the RFC (results must not change; tests/unit/message/test_dkim_native.py compares
the two on every vector and on generated bodies):
- a lone LF ends a line like CRLF (dkimpy splits on `\\r?\\n` and joins with CRLF); a CR not
  followed by LF is an ordinary character;
- relaxed: white space before a CRLF is removed and runs of SP/HTAB become one SP (§3.4.4);
  white space at the very end of a body without a final line ending is kept, compressed;
- both: empty lines at the end are removed and one CRLF ends the body (§3.4.3, §3.4.4); an
  empty relaxed body hashes as nothing, an empty simple body as one CRLF.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Iterator
from dataclasses import field

from mailauth.frozen import mutable

# Large enough to amortize the work per chunk; small enough that the chunks of a base64
# attachment (no white space at all) skip the relaxed rules.
CHUNK = 64 * 1024
_CRLF = b"\r\n"
# RFC 6376 §3.5: the b= tag's value is hashed as empty. dkimpy's expression, kept as is: it
# decides which bytes are hashed (FWS inside the value, a b= in a later tag).
_FWS = rb"(?:(?:\s*\r?\n)?\s+)?"
_B_TAG = re.compile(rb"([;\s]b" + _FWS + rb"=)(?:" + _FWS + rb"[a-zA-Z0-9+/=])*(?:\r?\n\Z)?")
# Runs of two or more spaces, written with both spaces first: the regex engine then looks for
# the two-space prefix and no longer tries a match at every single space between words
# (a quarter fewer instructions on a 50 KB HTML body, issue 10).
_SPACES = re.compile(rb"   *")
_BLANK_LINES = 16 * 1024  # CRLFs written at once when held-back empty lines turn out not to end
# An LF not after a CR. Written LF first, the look-behind after it: the regex engine then
# scans for the LF in C (~0.6 ms per MB), where `count(b"\n") != count(b"\r\n")` costs
# ~2 ms per MB and `(?<!\r)\n` ~16 ms.
LONE_LF = re.compile(rb"\n(?<!\r\n)")


def relaxed_header(name: bytes, value: bytes) -> tuple[bytes, bytes]:
    """RFC 6376 §3.4.2: lower-case name, value unfolded, white space runs as one SP, none at
    either end, CRLF-terminated. `value` is everything after the colon, line endings CRLF."""
    unfolded = value.replace(_CRLF, b"")
    # Runs of SP and HTAB as one SP: tabs first, then runs of spaces, only where there are
    # any (a regex over [\t ]+ rewrote every single space between words as itself).
    if b"\t" in unfolded:
        unfolded = unfolded.replace(b"\t", b" ")
    if b"  " in unfolded:
        unfolded = _SPACES.sub(b" ", unfolded)
    return name.lower().rstrip(), unfolded.strip() + _CRLF


# The same as _B_TAG, faster: its FWS matches exactly the runs of white space (`\s*`), so
# the value is the longest run of white space and base64 characters after `b=`, cut back
# to its last base64 character, plus a final line ending if nothing else follows
# (`_unsigned`). _B_TAG walks that run through nested optional groups character by
# character (~0.1 ms for a 2,048-bit b=, twice per ARC set); this is one character class.
# Written with the "b" first and the [;\s] before it as a look-behind, so that the regex
# engine scans for the letter "b" instead of testing a character class at every position
# (about half the time per field, issue 10). The matches are the same: a match of
# `[;\s]b\s*=...` whose [;\s] the previous match had consumed would need that match to end
# just before a "b", but its run of base64 characters takes every "b" that follows it.
_B_TAG_RUN = re.compile(rb"b(?<=[;\s]b)(\s*=)([\sa-zA-Z0-9+/=]*)")


def _unsigned(match: re.Match[bytes]) -> bytes:
    run = match.group(2)
    value = run.rstrip(b" \t\n\r\f\v")
    tail = run[len(value) :]
    if match.end() == len(match.string) and tail in (b"\n", b"\r\n"):
        tail = b""  # _B_TAG's (?:\r?\n\Z)?
    return b"b" + match.group(1) + tail  # the [;\s] before the "b" stays where it is


def without_b_value(value: bytes) -> bytes:
    """The signature field's value with b= emptied (RFC 6376 §3.7 step 2), as dkimpy's
    expression (_B_TAG) empties it."""
    return _B_TAG_RUN.sub(_unsigned, value)


def canonical_body(
    data: bytes, start: int, relaxed: bool, lone_lf: bool = True
) -> Iterator[bytes | memoryview]:
    """The canonical form of `data[start:]` (the body), in pieces, never the whole at once.
    `lone_lf=False` promises every LF follows a CR (the body was CRLF-normalized), which
    spares a search of every chunk. A chunk the rules leave as it is (no lone LF, and
    relaxed: no SP or HTAB, like a base64 attachment's) comes as a view of `data`, not a
    copy: a 1 MB attachment is hashed without being copied (issue 10)."""
    pending = 0  # CRLFs held back: they are dropped if nothing but empty lines follows
    written = False
    carry = b""
    pos, end = start, len(data)
    view = memoryview(data)
    while pos < end:
        stop = min(pos + CHUNK, end)
        piece: bytes | memoryview
        if not carry and not lone_lf and _verbatim(data, pos, stop, relaxed):
            # Only a final CR waits for the next chunk (the first half of a CRLF?).
            cut = stop - 1 if stop < end and data[stop - 1] == 13 else stop
            carry = b"\r" if cut < stop else b""
            piece, blank = view[pos:cut], _trailing_crlfs_at(data, pos, cut)
            pos = stop
        else:
            if relaxed and not carry and not lone_lf:
                stop = _after_last_blank_line(data, pos, stop)
            chunk = carry + data[pos:stop] if carry else data[pos:stop]
            pos = stop
            carry = b""
            if pos < end:
                chunk, carry = _split_tail(chunk, relaxed)
            piece = _canonical_chunk(chunk, relaxed, lone_lf)
            blank = _trailing_crlfs(piece)
        if blank < len(piece):
            while pending:
                count = min(pending, _BLANK_LINES)
                yield _CRLF * count
                pending -= count
            yield piece[: len(piece) - blank] if blank else piece
            written = True
        pending += blank // 2
    if written or not relaxed:
        yield _CRLF


def _verbatim(data: bytes, pos: int, stop: int, relaxed: bool) -> bool:
    """Whether data[pos:stop] (no lone LF in it) is its own canonical form, bar the
    trailing empty lines: always for simple, for relaxed when it holds no SP or HTAB.
    Searched in place: slicing first would copy the chunk."""
    return not relaxed or (data.find(b" ", pos, stop) < 0 and data.find(b"\t", pos, stop) < 0)


def _after_last_blank_line(data: bytes, pos: int, stop: int) -> int:
    """Where the relaxed rules stop mattering in data[pos:stop] (every LF after a CR): just
    after the line ending that follows its last SP or HTAB, or `stop`. The lines after that
    point hold no white space, so they are their own canonical form, and the next pass of
    the loop hashes them in place (`_verbatim`) instead of through the regex: the first
    chunk of a message with an attachment is a short text part, then base64 (issue 10).
    A piece ending in CRLF leaves nothing for the next one to carry (`_split_tail`)."""
    last = max(data.rfind(b" ", pos, stop), data.rfind(b"\t", pos, stop))
    if last < 0:
        return stop
    end = data.find(_CRLF, last, stop)
    return stop if end < 0 else end + 2


def _trailing_crlfs_at(data: bytes, pos: int, stop: int) -> int:
    """`_trailing_crlfs(data[pos:stop])`, copying the piece only when it ends with an empty
    line (rare in a chunk)."""
    if not data.endswith(_CRLF, pos, stop):
        return 0
    if not data.endswith(b"\r\n\r\n", pos, stop):
        return 2
    return _trailing_crlfs(data[pos:stop])


def _split_tail(chunk: bytes, relaxed: bool) -> tuple[bytes, bytes]:
    """Keep back the end of a chunk whose canonical form depends on the next chunk: a CR
    (the first half of a CRLF?) and, relaxed, the white space before it (followed by a CRLF?).
    A run of white space kept back is shortened to one SP: relaxed canonicalization treats a
    run of any length the same, so the carry stays small however long the run is."""
    cr = chunk.endswith(b"\r")
    if not relaxed:
        return (chunk[:-1], b"\r") if cr else (chunk, b"")
    head = chunk[:-1] if cr else chunk
    kept = head.rstrip(b" \t")
    if len(kept) == len(head):
        return (head, b"\r") if cr else (chunk, b"")
    return kept, b" \r" if cr else b" "


def _canonical_chunk(chunk: bytes, relaxed: bool, lone_lf: bool) -> bytes:
    if lone_lf and LONE_LF.search(chunk) is not None:  # a lone LF ends a line, as CRLF
        chunk = chunk.replace(_CRLF, b"\n").replace(b"\n", _CRLF)
    if relaxed and (b" " in chunk or b"\t" in chunk):
        # Runs of SP and HTAB become one SP: tabs first, then runs of spaces (one literal
        # character class: several times faster than matching SP/HTAB runs at once).
        if b"\t" in chunk:
            chunk = chunk.replace(b"\t", b" ")
        if b"  " in chunk:
            chunk = _SPACES.sub(b" ", chunk)
        if b" \r\n" in chunk:  # after compression, white space before CRLF is one SP
            chunk = chunk.replace(b" \r\n", _CRLF)
    return chunk


def _trailing_crlfs(piece: bytes) -> int:
    """How many bytes at the end of `piece` are whole CRLFs (empty lines, if nothing follows).
    Every LF in `piece` follows a CR; a CR before the CRLFs is content (`x\\r` + CRLF)."""
    if not piece.endswith(_CRLF):
        return 0
    if not piece.endswith(b"\r\n\r\n"):
        return 2
    content = len(piece.rstrip(b"\r\n"))
    cr = piece.rfind(b"\r\r", content)
    return len(piece) - (content if cr < 0 else cr + 1)


@mutable
class BodyHashes:
    """The body hashes of one message, each computed once (RFC 6376 §3.7): every signature
    with the same body canonicalization, hash algorithm and l= shares one digest, and the
    canonical body's length is kept so that an l= at or past it reuses the digest without l=."""

    data: bytes
    start: int
    crlf_only: bool = False  # the caller's promise: every LF in the body follows a CR
    _digests: dict[tuple[bool, str, int | None], bytes] = field(default_factory=dict)
    _lengths: dict[bool, int] = field(default_factory=dict)
    _lone_lfs: int | None = None
    _has_lone_lf: bool | None = None
    # DKIM and ARC verify in two worker threads over one message: the first to need a digest
    # computes it, the other waits for it instead of hashing the body a second time.
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    @property
    def has_lone_lf(self) -> bool:
        """Whether some LF in the body does not follow a CR (searched once per message)."""
        if self.crlf_only:
            return False
        if self._has_lone_lf is None:
            self._has_lone_lf = LONE_LF.search(self.data, self.start) is not None
        return self._has_lone_lf

    @property
    def lone_lfs(self) -> int:
        """How many LFs in the body do not follow a CR (counted once per message, only when
        there is one)."""
        if not self.has_lone_lf:
            return 0
        if self._lone_lfs is None:
            data, start = self.data, self.start
            self._lone_lfs = data.count(b"\n", start) - data.count(_CRLF, start)
        return self._lone_lfs

    def digest(self, relaxed: bool, algorithm: str, limit: int | None) -> bytes:
        with self._lock:
            length = self._lengths.get(relaxed)
            if limit is not None and length is not None and limit >= length:
                limit = None
            key = (relaxed, algorithm, limit)
            if key not in self._digests:
                self._digests[key] = self._compute(relaxed, algorithm, limit)
            return self._digests[key]

    def _compute(self, relaxed: bool, algorithm: str, limit: int | None) -> bytes:
        hasher = hashlib.new(algorithm)
        length = 0
        for piece in canonical_body(self.data, self.start, relaxed, self.has_lone_lf):
            if limit is not None and length + len(piece) >= limit:
                hasher.update(piece[: limit - length])
                return hasher.digest()  # the rest is not signed (l=): not even canonicalized
            hasher.update(piece)
            length += len(piece)
        self._lengths[relaxed] = length
        return hasher.digest()

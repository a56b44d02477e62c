"""The TXT presentation of a computed record: how a fix record must be written in a zone file.

Zone-file syntax (RFC 1035 §5.1) is the DNS layer's, the inverse of what `zonefile` reads; the
checks use it for the exact record a finding tells the user to publish.
"""

from __future__ import annotations

TXT_STRING_LIMIT = 255  # RFC 1035 §3.3: one character-string holds at most 255 octets


def txt_presentation(record: str) -> str:
    """The record as it must be published: as is when it fits one character-string,
    otherwise split into quoted strings of at most 255 bytes (RFC 7208 §3.3: receivers
    join them with no separator), in zone-file syntax."""
    data = record.encode()
    if len(data) <= TXT_STRING_LIMIT:
        return record
    chunks = [data[i : i + TXT_STRING_LIMIT] for i in range(0, len(data), TXT_STRING_LIMIT)]
    return " ".join(f'"{_escape(c)}"' for c in chunks)


def _escape(chunk: bytes) -> str:
    """RFC 1035 §5.1 quoting: a backslash or a double quote inside a string is escaped."""
    text = chunk.decode("ascii", "replace")
    return text.replace("\\", "\\\\").replace('"', '\\"')

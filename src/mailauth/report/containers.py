"""From the paths a user gives to report payloads: files, directories (Maildir), gzip, zip,
MIME mail (any attachment, any transfer encoding, forwarded message/rfc822), mbox
(mboxo/mboxrd) and standard input — recognised by content, never by file name.

These files come from strangers by mail, so every expansion is capped (`Limits`): bytes
after decompression per payload, members per zip, nesting depth, size of one mail. Going
over a cap, a truncated archive or an unrecognised file is one `Unreadable` item naming the
file and the reason; the other inputs go on. Inputs are only ever opened for reading.
"""

from __future__ import annotations

import errno
import functools
import gzip
import hashlib
import io
import os
import re
import stat
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, NamedTuple

from mailauth.frozen import frozen
from mailauth.report.aggregate import ReportError
from mailauth.report.model import FailureReport

if TYPE_CHECKING:
    from email.message import Message

Opener = Callable[[], BinaryIO]
SNIFF = 4096
SMALL_FILE = 1 << 20  # a file up to this size is read whole, once (`_file`)
SMALL_GUNZIP = 8 << 20  # ... a gzip payload that inflates to at most this, in one call


@frozen
class Limits:
    """Caps on what one input may expand to (defaults fit the biggest real reports: a
    200 MB aggregate report, a daily zip of a few hundred reports)."""

    max_decompressed: int = 256 * 1024 * 1024  # bytes of one payload after gunzip/unzip
    max_zip_members: int = 10_000
    max_mail: int = 256 * 1024 * 1024  # one mail, one mbox message, standard input
    max_depth: int = 6  # archive in mail in archive...


class XmlPayload(NamedTuple):
    """An aggregate report candidate, opened (again) by `open` to stream it. (A named
    tuple: one is built per report, and a frozen dataclass cost twice as much.)"""

    name: str
    open: Opener
    data: bytes | None = None  # the payload itself, when it is already in memory (small)


@frozen
class FailurePayload:
    """A failure report (RFC 6591 / RFC 9991) found in an input, parsed, with its hash."""

    name: str
    report: FailureReport
    digest: str


@frozen
class Unreadable:
    """One line of the "could not read" section: the file and the reason's UI key
    (`report.unreadable.<key>`) with what it names."""

    file: str
    key: str
    value: str = ""


Item = XmlPayload | FailurePayload | Unreadable


def _os_error(exc: OSError) -> str:
    """The errno's name (`ENOENT`), worded in the report's language by `error.os.<name>`;
    the system's English sentence only for an error without one (issue 14)."""
    name = errno.errorcode.get(exc.errno) if exc.errno is not None else None
    return name or exc.strerror or str(exc)


class Capped(io.RawIOBase):
    """A read-only stream that raises ReportError("cap-decompressed") past `limit` bytes
    and turns decompression errors (truncated gzip, bad zip CRC) into ReportErrors."""

    def __init__(
        self,
        inner: BinaryIO,
        limit: int,
        *also: BinaryIO | zipfile.ZipFile,
        key: str = "cap-decompressed",
    ) -> None:
        self._inner = inner
        self._limit = limit
        self._key = key
        self._also = also  # what the stream was opened from, closed with it
        self.count = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        try:
            data = self._inner.read(size if size >= 0 else self._limit + 1)
        except (EOFError, zlib.error, gzip.BadGzipFile, zipfile.BadZipFile) as exc:
            raise ReportError("corrupt-archive", str(exc) or type(exc).__name__) from None
        self.count += len(data)
        if self.count > self._limit:
            raise ReportError(self._key, str(self._limit))
        return data

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._inner.close()
        for other in self._also:
            other.close()
        super().close()


def _read_all(opener: Opener, limit: int) -> bytes:
    """A whole mail (the email parser needs it in memory), at most `limit` bytes."""
    with opener() as stream:
        return Capped(stream, limit, key="cap-mail").read()


def _kind(head: bytes) -> str:
    """What a payload is, from its first bytes."""
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"<") or head.startswith((b"\xff\xfe<\x00", b"\xfe\xff\x00<")):
        return "xml"  # UTF-8 (with or without BOM) or UTF-16 with its BOM
    if head.startswith(b"From "):
        return "mbox"
    if re.match(_HEADER_LINE, head):
        return "mail"
    return "unknown"


# (a pattern, compiled at its first use by `re`'s cache: most runs read no mail)
_HEADER_LINE = rb"^[!-9;-~]+:[^\r\n]*\r?\n"


def read_inputs(
    paths: Sequence[str], limits: Limits, stdin: BinaryIO | None = None
) -> Iterator[Item]:
    """Every payload in `paths`, in order; "-" is standard input."""
    for path in paths:
        if path == "-":
            if stdin is None:
                yield Unreadable("-", "not-found")
                continue
            try:
                data = Capped(stdin, limits.max_mail, key="cap-mail").read()
            except ReportError as exc:
                yield Unreadable("-", exc.key, exc.value)
                continue
            yield from _payloads("-", functools.partial(io.BytesIO, data), limits, 0, data)
        else:
            yield from _path(Path(path), limits)


def _path(path: Path, limits: Limits) -> Iterator[Item]:
    name = str(path)
    if path.is_dir():
        if all((path / sub).is_dir() for sub in ("cur", "new")):  # Maildir
            files = [
                f for sub in ("new", "cur") for f in sorted((path / sub).iterdir(), key=_parts)
            ]
            names = [str(f) for f in files if f.is_file()]
        else:
            names = _file_names_under(path)
        if not names:
            yield Unreadable(name, "empty")
        for file in names:
            yield from _file(file, limits)  # a file the walk just saw: no stat again
        return
    if not path.exists():
        yield Unreadable(name, "not-found")
        return
    yield from _file(name, limits)


def _files_under(root: Path) -> list[Path]:
    """The files under `root` whose names do not start with a dot, in the order of their
    parts: what `sorted(f for f in root.rglob("*") if ...)` then `is_file()` gave (rglob
    descends into every directory that is not a symbolic link, and skips one it may not
    list). As paths; the import takes their names (`_file_names_under`)."""
    return [Path(name) for name in _file_names_under(root)]


def _file_names_under(root: Path) -> list[str]:
    """`_files_under` as the names `str(path)` gives, made without a Path per file (a
    Path built, sorted by its parts and turned into its name again was most of the
    walk's cost per file). One scandir per directory, whose entries know their type: the
    rglob walk was a twelfth of a single-record report's import. Every name starts with
    the same prefix, so ordering by the parts below `root` is ordering by all parts."""
    top = str(root)
    prefix = "" if top == "." else top if top.endswith("/") else top + "/"
    found: list[tuple[str, ...]] = []
    directories: list[tuple[str, ...]] = [()]
    while directories:
        below = directories.pop()
        try:
            with os.scandir(prefix + "/".join(below) if below else top) as listing:
                entries = list(listing)
        except PermissionError:
            continue
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    directories.append((*below, entry.name))
                    continue
                if entry.name.startswith(".") or not entry.is_file():  # (follows a link)
                    continue
            except OSError:
                continue
            found.append((*below, entry.name))
    found.sort()
    return [prefix + "/".join(parts) for parts in found]


def _parts(path: Path) -> tuple[str, ...]:
    """The order of `sorted(paths)` (PurePosixPath compares its parts), compared in C."""
    return path.parts


def _file(name: str, limits: Limits) -> Iterator[Item]:
    """One file: read whole when it is small (one open, where sniffing and reading it
    again took four), else reopened by its opener as the payload is streamed."""
    try:
        data = _read_file(name)
    except FileNotFoundError:
        yield Unreadable(name, "not-found")  # gone since the directory was listed
        return
    except OSError as exc:
        yield Unreadable(name, "os-error", _os_error(exc))
        return
    if len(data) <= SMALL_FILE:
        plain = _plain_report(name, data, limits)
        if plain is not None:
            yield plain
            return
        yield from _payloads(name, functools.partial(io.BytesIO, data), limits, 0, data)
    else:
        yield from _payloads(name, lambda: open(name, "rb"), limits, 0)  # noqa: SIM115


def _read_file(name: str) -> bytes:
    """The file's bytes, up to SMALL_FILE + 1 of them (`_read_size`), through the bare
    file descriptor: a FileIO object and its context manager were a third of the read."""
    fd = os.open(name, os.O_RDONLY)  # (not inherited by children: PEP 446)
    try:
        size, regular = _read_size(fd)
        data = os.read(fd, size)
        if regular and data and len(data) < size:
            return data  # a regular file gives fewer bytes than asked only at its end
        return _read_upto(functools.partial(os.read, fd), size, data)
    finally:
        os.close(fd)


def _plain_report(name: str, data: bytes, limits: Limits) -> XmlPayload | None:
    """The payload of what nearly every file is, a report as XML or as one gzip member
    of XML, made without `_payloads`' generators (each item passed up through four of
    them, for a small report a tenth of its reading); None for anything else, which
    `_payloads` reads. The same checks in the same order as `_payloads` and `_gzip`
    make for these two forms: the depth cap, the size of the sniffed head against the
    decompression cap, the kind by content, `_gunzip_small`'s plain case."""
    cap = limits.max_decompressed
    if limits.max_depth < 1 or min(len(data), SNIFF) > cap:
        return None  # (the caps' own errors: `_payloads`)
    if data.startswith(b"\x1f\x8b"):
        whole = _gunzip_small(data, cap)  # (at most `cap` bytes: its head is within the cap)
        if whole is None or _kind(whole[:SNIFF]) != "xml":
            return None
        return XmlPayload(name, functools.partial(io.BytesIO, whole), whole)
    if _kind(data[:SNIFF]) == "xml":
        return XmlPayload(name, functools.partial(io.BytesIO, data), data)
    return None


def _read_size(fd: int) -> tuple[int, bool]:
    """How many bytes to ask for, and whether the file is a regular one: a regular file's
    size and one more (so a file that grew past SMALL_FILE is still seen to be big), at
    most SMALL_FILE + 1. Asking for SMALL_FILE + 1 bytes of every file made each read
    allocate (and map) a megabyte: that was most of the time a small report spent being
    read."""
    info = os.fstat(fd)
    if stat.S_ISREG(info.st_mode):
        return min(info.st_size, SMALL_FILE) + 1, True
    return SMALL_FILE + 1, False


def _read_upto(read: Callable[[int], bytes], size: int, data: bytes | None = None) -> bytes:
    """`size` bytes, or fewer at the end of the file (one unbuffered read may return
    fewer than asked: a pipe, a signal). `data`: what a first read gave."""
    if data is None:
        data = read(size)
    if len(data) >= size or not data:
        return data
    parts = [data]
    size -= len(data)
    while size > 0:
        more = read(size)
        if not more:
            break
        parts.append(more)
        size -= len(more)
    return b"".join(parts)


def _payloads(
    name: str, opener: Opener, limits: Limits, depth: int, data: bytes | None = None
) -> Iterator[Item]:
    """Recognise one payload by content and expand it. `data`: the payload's bytes, when
    they are already in memory (what `opener` gives)."""
    if depth > limits.max_depth:
        yield Unreadable(name, "cap-depth", str(limits.max_depth))
        return
    try:
        if data is not None:
            head = data[:SNIFF]
            if len(head) > limits.max_decompressed:
                raise ReportError("cap-decompressed", str(limits.max_decompressed))
        else:
            with opener() as stream:
                head = Capped(stream, limits.max_decompressed).read(SNIFF)
    except ReportError as exc:
        yield Unreadable(name, exc.key, exc.value)
        return
    except OSError as exc:
        yield Unreadable(name, "os-error", _os_error(exc))
        return
    kind = _kind(head)
    try:
        if kind == "xml":
            yield XmlPayload(name, opener, data)
        elif kind == "gzip":
            yield from _gzip(name, opener, limits, depth, data)
        elif kind == "zip":
            yield from _zip(name, opener, limits, depth)
        elif kind == "mbox":
            yield from _mbox(name, opener, limits, depth)
        elif kind == "mail":
            data = _read_all(opener, limits.max_mail)
            yield from _mail(name, data, limits, depth)
        elif not head.strip():
            yield Unreadable(name, "empty")
        else:
            yield Unreadable(name, "unrecognised")
    except ReportError as exc:
        yield Unreadable(name, exc.key, exc.value)
    except OSError as exc:
        yield Unreadable(name, "os-error", _os_error(exc))


def _gzip(
    name: str, opener: Opener, limits: Limits, depth: int, data: bytes | None
) -> Iterator[Item]:
    if data is not None:
        whole = _gunzip_small(data, limits.max_decompressed)
        if whole is not None:
            opened = functools.partial(io.BytesIO, whole)
            yield from _payloads(name, opened, limits, depth + 1, whole)
            return

    def open_inner() -> BinaryIO:
        outer = opener()
        inner = gzip.GzipFile(fileobj=outer, mode="rb")
        return Capped(inner, limits.max_decompressed, outer)  # type: ignore[arg-type,return-value]

    yield from _payloads(name, open_inner, limits, depth + 1)


def _gunzip_small(data: bytes, limit: int) -> bytes | None:
    """A small gzip payload decompressed in one call (no GzipFile, no stream): only the
    plain case, one whole member with nothing after it, at most SMALL_GUNZIP bytes and
    the cap. Anything else (a bomb, a truncated or corrupt member, several members,
    bytes after the member) is None: the streaming path reads it and says what is
    wrong, exactly as before."""
    inflate = zlib.decompressobj(wbits=31)  # gzip only, its CRC and size checked
    try:
        whole = inflate.decompress(data, min(limit, SMALL_GUNZIP) + 1)
    except zlib.error:
        return None
    if not inflate.eof or inflate.unused_data or len(whole) > min(limit, SMALL_GUNZIP):
        return None
    return whole


def _zip(name: str, opener: Opener, limits: Limits, depth: int) -> Iterator[Item]:
    stream = opener()
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, EOFError, OSError) as exc:
        stream.close()
        raise ReportError("corrupt-archive", str(exc)) from None
    members = [i for i in archive.infolist() if not i.is_dir()]
    if len(members) > limits.max_zip_members:
        stream.close()
        raise ReportError("cap-zip-members", str(limits.max_zip_members))
    for info in members:
        member_name = f"{name}[{info.filename}]"
        if info.file_size > limits.max_decompressed:
            yield Unreadable(member_name, "cap-decompressed", str(limits.max_decompressed))
            continue

        def open_member(info: zipfile.ZipInfo = info) -> BinaryIO:
            # Opened afresh each time: the payload may be read after this loop moved on.
            outer = opener()
            try:
                again = zipfile.ZipFile(outer)
                member = again.open(info.filename)
            except (zipfile.BadZipFile, KeyError, OSError) as exc:
                outer.close()
                raise ReportError("corrupt-archive", str(exc)) from None
            return Capped(member, limits.max_decompressed, again, outer)  # type: ignore[arg-type,return-value]

        yield from _payloads(member_name, open_member, limits, depth + 1)
    archive.close()
    stream.close()


_MBOX_FROM = re.compile(rb"^>+From ")


def _mbox(name: str, opener: Opener, limits: Limits, depth: int) -> Iterator[Item]:
    """mboxo and mboxrd: a message starts at a "From " line; ">From " lines lose one ">"
    (mboxrd quoting; harmless for mboxo)."""
    index = 0
    found = False
    with opener() as stream:
        lines: list[bytes] = []
        size = 0
        for line in stream:
            if line.startswith(b"From ") and (not lines or _blank_before(lines)):
                if lines:
                    index += 1
                    found = True
                    yield from _mail(f"{name}#{index}", b"".join(lines), limits, depth + 1)
                lines, size = [], 0
                continue
            size += len(line)
            if size > limits.max_mail:
                raise ReportError("cap-mail", str(limits.max_mail))
            lines.append(_MBOX_FROM.sub(lambda m: m.group(0)[1:], line))
        if lines:
            index += 1
            found = True
            yield from _mail(
                f"{name}#{index}" if index > 1 else name, b"".join(lines), limits, depth + 1
            )
    if not found:
        yield Unreadable(name, "empty")


def _blank_before(lines: list[bytes]) -> bool:
    return not lines[-1].strip()


def _mail(name: str, data: bytes, limits: Limits, depth: int) -> Iterator[Item]:
    """Every report in one mail: a failure report (ARF) if it is one, else every part whose
    content is a report, an archive or a mail (a forwarded report)."""
    import email  # here: the email package is a fifth of the command's start-up, and
    import email.policy  # most runs read no mail

    from mailauth.report.failure import fields_of, looks_like_failure_text, parse_failure

    mail = email.message_from_bytes(data, policy=email.policy.compat32)
    digest = hashlib.sha256(data).hexdigest()
    found = False
    for part in mail.walk():
        if part.get_content_type() == "message/feedback-report":
            yield FailurePayload(name, parse_failure(_feedback_fields(part), mail), digest)
            return
    for index, part in enumerate(mail.walk()):
        if part.is_multipart() or part.get_content_type() == "text/html":
            continue
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes) or not payload.strip():
            continue
        kind = _kind(payload[:SNIFF])
        if kind in ("xml", "gzip", "zip"):
            found = True
            label = part.get_filename() or f"part{index}"
            yield from _payloads(
                f"{name}[{label}]",
                functools.partial(io.BytesIO, payload),
                limits,
                depth + 1,
                payload,
            )
        elif part.get_content_maintype() == "text":
            text = payload.decode(part.get_content_charset() or "utf-8", "replace")
            if looks_like_failure_text(text):
                yield FailurePayload(name, parse_failure(fields_of(text), mail), digest)
                return
    if not found:
        yield Unreadable(name, "no-report-in-mail")


def _feedback_fields(part: Message) -> dict[str, str]:
    from email.message import Message  # (imported by `_mail` already)

    from mailauth.report.failure import fields_of

    payload = part.get_payload()
    if isinstance(payload, list):
        text = "".join(p.as_string() if isinstance(p, Message) else str(p) for p in payload)
    else:
        raw = part.get_payload(decode=True)
        text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(payload)
    return fields_of(text)

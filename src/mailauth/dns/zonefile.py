"""Offline DNS: answer queries from BIND-format zone files, as an authoritative server would.

`mailauth check example.jp --zone samples/zones/` must give the same verdicts as live DNS for
the data in those files (a parity test runs both backends against the same files), and must
never pretend to know a name the files do not cover: such a name is `Rcode.UNRESOLVABLE`,
not NXDOMAIN, because an SPF void-lookup count or a DMARC tree walk built on a guess would
be wrong in a way the user cannot see.

Semantics follow RFC 1034 §4.3.2 (the authoritative algorithm): longest matching zone,
zone cuts, CNAME chasing (also into other loaded zones), NXDOMAIN vs NODATA, empty
non-terminals (RFC 8020: an ENT exists, so NODATA) and wildcards (RFC 4592).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import dns.exception
import dns.name
import dns.node
import dns.rdataclass
import dns.rdatatype
import dns.zone

from mailauth.dns.answer import MAX_CNAME_CHAIN, make_answer, name_text, question
from mailauth.dns.interface import DnsAnswer, Rcode, normalize_name
from mailauth.dns.origins import RecordOrigin
from mailauth.dns.signed import SignedAnswer, from_answer, make_signed
from mailauth.dns.zone_syntax import SyntaxCode
from mailauth.dns.zonereader import ZoneReadError, read_zone
from mailauth.errors import MailauthError
from mailauth.i18n import label
from mailauth.model import Phrase
from mailauth.names import to_alabel

UNRESOLVABLE_DETAIL = "not resolvable offline: outside the loaded zone files"
_WILD = dns.name.Name((b"*",))


# Why a zone file did not load, as a stable code. Its text is the UI catalogue's
# `error.zone.<code>` (mailauth.i18n) with the error's params filled in; "syntax" carries
# dnspython's or the OS's own words as {message}, which we cannot translate.
ZoneErrorCode = Literal[
    "syntax",
    "no-zone-files",
    "no-such-path",
    "not-utf8",
    "invalid-origin",
    "duplicate-origin",
    "file-too-large",
    "too-many-records",
    "generate-too-large",
    "not-a-file",
    "cname-and-other-data",
    "origin-mismatch",
    # dnspython's syntax messages as codes (issue 14): the reader's own list.
    SyntaxCode,
]


class ZoneLoadError(MailauthError):
    """A zone file that cannot be loaded. The only exception of the DNS layer: it happens at
    load time, before any check runs, and the CLI turns it into exit code 2.

    `code` and `params` say why in a stable form; `message` is the same in English. `line`
    and `name` say where: the line (of the record, for an error inside one) and the record's
    owner name, whenever the file has them (`path:line: name: reason`)."""

    key = "error.zone"

    def __init__(
        self,
        path: str | Path,
        line: int | None,
        message: str | Phrase = "",
        *,
        code: ZoneErrorCode = "syntax",
        name: str | None = None,
        **params: Any,
    ) -> None:
        self.path = str(path)
        self.line = line
        self.name = name
        self.code: ZoneErrorCode = code
        self.reason_params: dict[str, Any] = {"message": message, **params}
        self.message = self._reason("en")
        super().__init__(detail=f"{self._where()}: {self.message}")

    def _where(self) -> str:
        return f"{self.path}:{self.line}" if self.line is not None else self.path

    def _reason(self, lang: str) -> str:
        reason = label(f"error.zone.{self.code}", lang, **self.reason_params)
        if self.name is None:
            return reason
        return label("error.zone.at-name", lang, name=self.name, reason=reason)

    def diagnostics(self, lang: str = "en") -> str:
        detail = f"{self._where()}: {self._reason(lang)}"
        return label(self.key, lang, detail=detail)

    def __str__(self) -> str:
        """`path:line: message`, as compilers and linters print it (the CLI line adds what
        it is about: `diagnostics()`)."""
        return str(self.params["detail"])


def zone_files(path: str | Path) -> list[Path]:
    """A zone file, or the `*.zone` files directly inside a directory (not recursive: a user
    pointing at a directory means that directory), sorted for a stable load order. Hidden
    files are skipped: an editor's or a tool's `.zone` would load as the root zone and
    answer for every domain."""
    p = Path(path)
    if p.is_dir():
        files = sorted(f for f in p.glob("*.zone") if f.is_file() and not f.name.startswith("."))
        if not files:
            raise ZoneLoadError(p, None, code="no-zone-files")
        return files
    if p.is_file():
        return [p]
    if p.exists():  # /dev/zero, a FIFO, a socket: there, but not a zone file
        raise ZoneLoadError(p, None, code="not-a-file")
    raise ZoneLoadError(p, None, code="no-such-path")


def zone_origin(path: str | Path, text: str | None = None) -> str:
    """The zone's origin: the `$ORIGIN` written before the first record, else the file name
    without `.zone` (`example.jp.zone` -> `example.jp`). Lower-case, no trailing dot."""
    p = Path(path)
    if text is None:
        text = _read_text(p)
    origin, _ = _origin_and_line(p, text)
    return origin


def _origin_and_line(path: Path, text: str) -> tuple[str, int | None]:
    """`zone_origin`, and the line of the `$ORIGIN` it came from (None: the file name)."""
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split(";", 1)[0].strip()
        if not line:
            continue
        word, _, rest = line.partition(" ")
        if word.upper() == "$ORIGIN" and rest.split():
            return normalize_name(rest.split()[0]), number
        if not word.startswith("$"):
            break  # first record: the origin must come from the file name
    name = path.name[: -len(".zone")] if path.name.endswith(".zone") else path.name
    return normalize_name(name), None


# dnspython's name errors, as catalogue words (`error.zone.origin.<code>`): its sentences
# are English whatever the user's language (issue 14).
_NAME_PROBLEMS = {
    "LabelTooLong": "label-too-long",
    "NameTooLong": "name-too-long",
    "EmptyLabel": "empty-label",
    "BadEscape": "bad-escape",
}


def _name_problem(exc: Exception) -> Phrase | str:
    code = _NAME_PROBLEMS.get(type(exc).__name__)
    return Phrase(f"error.zone.origin.{code}") if code else str(exc)


def _check_origin_matches_name(path: Path, origin: str, line: int) -> None:
    """A file named for a domain (`example.jp.zone`: a name with a dot, before `.zone`)
    must hold that domain's zone: a `$ORIGIN other.example.` in it would answer for
    other.example while `ls` says example.jp (issue 9, item 15), and a misnamed copy would
    give unrelated domains confident grades. Files not named for a domain (`a.zone`,
    `test.zone`, `root.zone`) take their origin from `$ORIGIN` as before; so do files not
    ending in `.zone` (`db.example.jp`, given with --zone FILE). Names are compared as
    A-labels, case and the trailing dot ignored; a name IDNA cannot encode is left to the
    checks that follow."""
    if not path.name.endswith(".zone"):
        return
    stem = path.name[: -len(".zone")].rstrip(".")
    if "." not in stem:
        return
    try:
        expected, actual = to_alabel(stem), to_alabel(origin)
    except UnicodeError:
        return
    if expected != actual:
        shown = origin + "." if origin else "."
        raise ZoneLoadError(path, line, code="origin-mismatch", expected=stem, origin=shown)


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ZoneLoadError(path, None, exc.strerror or str(exc)) from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ZoneLoadError(path, line, code="not-utf8", name=_owner_at(data, line)) from exc


def _owner_at(data: bytes, line: int) -> str | None:
    """The owner written at the start of `line` (1-based), when the line starts with one and
    it is readable: a best effort for errors found before the file could be parsed."""
    raw = data.split(b"\n")[line - 1]
    field = raw.split(None, 1)[0] if raw[:1] not in (b" ", b"\t", b"") else b""
    if not field or field[:1] in (b";", b"$", b"("):
        return None
    try:
        return field.decode("ascii")
    except UnicodeDecodeError:
        return None


def load_zone(
    path: str | Path, lines: dict[tuple[dns.name.Name, int], int] | None = None
) -> dns.zone.Zone:
    """Parse one zone file (read-only) into a dnspython zone with absolute names. Every error
    says where: the line, and inside a record its owner name (dns/zonereader.py). `lines`,
    when given, receives the first line of every RRset (name, type) -> line."""
    p = Path(path)
    _check_size(p)
    text = _read_text(p)
    _check_records(p, text)
    origin, origin_line = _origin_and_line(p, text)
    try:
        origin_name = dns.name.from_text(origin or ".")
    except dns.exception.DNSException as exc:
        raise ZoneLoadError(
            p, origin_line, code="invalid-origin", origin=repr(origin), message=_name_problem(exc)
        ) from exc
    if origin_line is not None:
        _check_origin_matches_name(p, origin, origin_line)
    try:
        return read_zone(text, origin_name, str(p), lines)
    except ZoneReadError as exc:
        raise ZoneLoadError(p, exc.line, code=exc.code, name=exc.name, **exc.params) from exc


# Limits of one zone file (issue 9: `$GENERATE 1-4294967295` never finished; a 200 MB zone
# took 57 s and 1 GB). mailauth reads the records of the domains it checks: 100,000 records
# load in seconds; one $GENERATE may fill a /16 reverse zone (65,536 PTRs), not more.
MAX_ZONE_BYTES = 64 * 1024 * 1024
MAX_ZONE_RECORDS = 100_000
MAX_GENERATE = 65_536
_GENERATE_RANGE = re.compile(r"\$GENERATE\s+(\d+)-(\d+)(?:/(\d+))?\s", re.IGNORECASE)


def _check_size(path: Path) -> None:
    try:
        size = path.stat().st_size
    except OSError:
        return  # reading it says what is wrong
    if size > MAX_ZONE_BYTES:
        raise ZoneLoadError(
            path,
            None,
            code="file-too-large",
            size_mb=size // (1024 * 1024),
            limit_mb=MAX_ZONE_BYTES // (1024 * 1024),
        )


def _check_records(path: Path, text: str) -> None:
    """Count the records before dnspython builds them, $GENERATE expanded: over a limit is
    ZoneLoadError at the line that crosses it. A record starts on a line outside
    parentheses that is neither blank, a comment nor a $ directive (RFC 1035 §5.1)."""
    count = depth = 0
    for number, line in enumerate(text.splitlines(), start=1):
        body = _uncommented(line) if ";" in line else line
        if depth == 0 and body.strip():
            word = body.split(None, 1)[0].upper()
            if word == "$GENERATE":
                count += _generated(path, number, body)
            elif not word.startswith("$"):
                count += 1
            if count > MAX_ZONE_RECORDS:
                raise ZoneLoadError(path, number, code="too-many-records", limit=MAX_ZONE_RECORDS)
        if "(" in body or ")" in body:
            depth = max(0, depth + _parens(body))


def _generated(path: Path, number: int, line: str) -> int:
    """How many records a `$GENERATE start-stop[/step]` line makes (BIND syntax); 0 when
    the range does not parse (dnspython then says why)."""
    m = _GENERATE_RANGE.match(line.strip() + " ")
    if m is None:
        return 0
    if any(len(g) > 12 for g in m.groups() if g):  # over a trillion: past any limit
        made = MAX_GENERATE + 1
    else:
        start, stop, step = int(m.group(1)), int(m.group(2)), int(m.group(3) or 1)
        made = (stop - start) // step + 1 if stop >= start and step > 0 else 0
    if made > MAX_GENERATE:
        raise ZoneLoadError(path, number, code="generate-too-large", limit=MAX_GENERATE)
    return made


def _uncommented(line: str) -> str:
    """The line without its comment: `;` outside a quoted string (RFC 1035 §5.1)."""
    return next((line[:i] for i, ch in _unquoted(line) if ch == ";"), line)


def _parens(line: str) -> int:
    """Opening minus closing parentheses outside quoted strings."""
    if '"' not in line:
        return line.count("(") - line.count(")")
    return sum((ch == "(") - (ch == ")") for _, ch in _unquoted(line))


def _unquoted(line: str) -> Iterator[tuple[int, str]]:
    """(index, character) of every character outside quoted strings that is not escaped
    by a backslash: the characters that are zone-file syntax (RFC 1035 §5.1)."""
    quoted = escaped = False
    for i, ch in enumerate(line):
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == '"':
            quoted = not quoted
        elif not quoted:
            yield i, ch


@dataclass
class _Zone:
    """One loaded zone plus the indexes the lookup algorithm needs."""

    zone: dns.zone.Zone
    source: str
    lines: dict[tuple[dns.name.Name, int], int] = field(default_factory=dict)
    origin: dns.name.Name = field(init=False)
    existing: set[dns.name.Name] = field(init=False)  # nodes and empty non-terminals
    cuts: set[dns.name.Name] = field(init=False)  # delegation points below the apex

    def __post_init__(self) -> None:
        assert self.zone.origin is not None
        self.origin = self.zone.origin
        self.existing = {self.origin}
        self.cuts = set()
        for owner, node in self.zone.nodes.items():
            n = owner
            while n != self.origin and n not in self.existing:
                self.existing.add(n)
                n = n.parent()
            if owner != self.origin and node.get_rdataset(dns.rdataclass.IN, dns.rdatatype.NS):
                self.cuts.add(owner)

    def cut_above(
        self, name: dns.name.Name, rdtype: dns.rdatatype.RdataType
    ) -> dns.name.Name | None:
        """The zone cut at or above `name`, if any (the DS RRset at a cut is the parent's)."""
        n = name
        while n != self.origin:
            if n in self.cuts and not (n == name and rdtype == dns.rdatatype.DS):
                return n
            n = n.parent()
        return None

    def node(self, name: dns.name.Name) -> dns.node.Node | None:
        """The node for `name`, synthesised from a wildcard when the name does not exist
        (RFC 4592 §3.3.1: the source of synthesis is `*.<closest encloser>`)."""
        found = self.zone.get_node(name)
        if found is not None or name in self.existing:
            return found
        ce = name.parent()
        while ce not in self.existing:
            ce = ce.parent()
        return self.zone.get_node(_WILD.concatenate(ce))


class ZoneSource:
    """A `DnsSource` over zone files. Loaded once; never writes to the files."""

    def __init__(
        self,
        zones: Iterable[
            dns.zone.Zone
            | tuple[dns.zone.Zone, str]
            | tuple[dns.zone.Zone, str, dict[tuple[dns.name.Name, int], int]]
        ],
    ) -> None:
        self._zones: dict[dns.name.Name, _Zone] = {}
        for item in zones:
            if not isinstance(item, tuple):
                z = _Zone(item, "<memory>")
            elif len(item) == 3:
                z = _Zone(item[0], item[1], item[2])
            else:
                z = _Zone(item[0], item[1])
            if z.origin in self._zones:
                other = self._zones[z.origin].source
                raise ZoneLoadError(
                    z.source,
                    None,
                    code="duplicate-origin",
                    zone=name_text(z.origin),
                    other=other,
                )
            self._zones[z.origin] = z

    @classmethod
    def from_paths(cls, paths: Sequence[str | Path]) -> ZoneSource:
        """Load zone files and directories of `*.zone` files. Raises `ZoneLoadError`."""
        loaded: list[tuple[dns.zone.Zone, str, dict[tuple[dns.name.Name, int], int]]] = []
        seen: set[Path] = set()
        for path in paths:
            for f in zone_files(path):
                if f.resolve() in seen:  # the same file twice (`--zone d --zone d/`): once
                    continue
                seen.add(f.resolve())
                lines: dict[tuple[dns.name.Name, int], int] = {}
                loaded.append((load_zone(f, lines), str(f), lines))
        try:
            return cls(loaded)
        except ZoneLoadError as exc:
            if exc.code != "duplicate-origin" or exc.line is not None:
                raise
            # Say where the second file names its origin: its $ORIGIN line, if it has one.
            p = Path(exc.path)
            _, line = _origin_and_line(p, _read_text(p))
            raise ZoneLoadError(p, line, code=exc.code, **exc.reason_params) from exc

    @property
    def origins(self) -> list[str]:
        """Loaded zone origins, longest first."""
        return sorted((name_text(o) for o in self._zones), key=lambda s: (-len(s), s))

    async def query(self, name: str, rdtype: str) -> DnsAnswer:
        return self.lookup(name, rdtype)

    def locate(self, name: str, rdtype: str) -> RecordOrigin | None:
        """Where the `rdtype` RRset at `name` is written (`dns.origins.RecordLocator`)."""
        try:
            owner = dns.name.from_text(normalize_name(name) or ".")
            rdt = dns.rdatatype.from_text(rdtype)
        except (dns.exception.DNSException, ValueError):
            return None
        zone = self._zone_for(owner)
        if zone is None:
            return None
        line = zone.lines.get((owner, int(rdt)))
        return RecordOrigin(zone.source, line) if line is not None else None

    def zone_file_of(self, name: str) -> RecordOrigin | None:
        """The file of the zone holding `name`, at its first record."""
        try:
            owner = dns.name.from_text(normalize_name(name) or ".")
        except (dns.exception.DNSException, ValueError):
            return None
        zone = self._zone_for(owner)
        if zone is None or zone.source.startswith("<"):
            return None
        return RecordOrigin(zone.source, min(zone.lines.values(), default=1))

    def lookup(self, name: str, rdtype: str) -> DnsAnswer:
        """Synchronous form of `query` (RFC 1034 §4.3.2 over the loaded zones)."""
        qname = normalize_name(name)
        q = question(qname, rdtype)
        if isinstance(q, DnsAnswer):
            return q
        rdtype_u, current, rdt = q.rdtype, q.name, q.rdt
        chain: list[str] = []
        seen = {current}
        for _ in range(MAX_CNAME_CHAIN + 1):
            zone = self._zone_for(current)
            if zone is None:
                return DnsAnswer(
                    qname,
                    rdtype_u,
                    Rcode.UNRESOLVABLE,
                    cnames=tuple(chain),
                    detail=UNRESOLVABLE_DETAIL,
                )
            cut = zone.cut_above(current, rdt)
            if cut is not None:
                detail = (
                    f"not resolvable offline: {name_text(cut)} is delegated"
                    " to a zone that is not loaded"
                )
                return DnsAnswer(
                    qname, rdtype_u, Rcode.UNRESOLVABLE, cnames=tuple(chain), detail=detail
                )
            node = zone.node(current)
            if node is None:
                rcode = Rcode.NOERROR if current in zone.existing else Rcode.NXDOMAIN
                return DnsAnswer(qname, rdtype_u, rcode, cnames=tuple(chain))
            rdataset = node.get_rdataset(dns.rdataclass.IN, rdt)
            if rdataset:
                return make_answer(qname, rdtype_u, rdataset, chain)
            cname = node.get_rdataset(dns.rdataclass.IN, dns.rdatatype.CNAME)
            if rdt == dns.rdatatype.CNAME or not cname:
                return DnsAnswer(qname, rdtype_u, Rcode.NOERROR, cnames=tuple(chain))
            target: dns.name.Name = cname[0].target
            chain.append(name_text(target))
            if target in seen:
                return DnsAnswer(
                    qname, rdtype_u, Rcode.SERVFAIL, cnames=tuple(chain), detail="CNAME loop"
                )
            seen.add(target)
            current = target
        return DnsAnswer(
            qname, rdtype_u, Rcode.SERVFAIL, cnames=tuple(chain), detail="CNAME chain too long"
        )

    async def query_signed(self, name: str, rdtype: str) -> SignedAnswer:
        return self.lookup_signed(name, rdtype)

    def lookup_signed(self, name: str, rdtype: str) -> SignedAnswer:
        """The RRset at exactly `name` with the RRSIG records the zone file holds for it
        (`mailauth.dns.signed`): a signed zone file is validated offline as served. No
        CNAME is followed and no wildcard synthesised (a synthesised answer's RRSIG has
        fewer labels than the name; the checks ask apex and `_25._tcp` names)."""
        qname = normalize_name(name)
        q = question(qname, rdtype)
        if isinstance(q, DnsAnswer):
            return from_answer(q)
        zone = self._zone_for(q.name)
        if zone is not None and q.rdt == dns.rdatatype.DS and q.name == zone.origin:
            # RFC 4035 §3.1.4.1: the DS of a zone apex is the parent's data.
            parent = self._zone_for(q.name.parent()) if q.name != dns.name.root else None
            zone = parent or zone
        cut = zone.cut_above(q.name, q.rdt) if zone is not None else None
        if zone is None or cut is not None:
            return from_answer(self.lookup(qname, q.rdtype))  # the same UNRESOLVABLE answer
        node = zone.zone.get_node(q.name)
        if node is None:
            rcode = Rcode.NOERROR if q.name in zone.existing else Rcode.NXDOMAIN
            return SignedAnswer(qname, q.rdtype, rcode)
        rdataset = node.get_rdataset(dns.rdataclass.IN, q.rdt)
        sigs = node.get_rdataset(dns.rdataclass.IN, dns.rdatatype.RRSIG, q.rdt)
        return make_signed(qname, q.rdtype, rdataset or (), sigs if rdataset and sigs else ())

    def _zone_for(self, name: dns.name.Name) -> _Zone | None:
        """The loaded zone with the longest origin that contains `name`."""
        n = name
        while True:
            zone = self._zones.get(n)
            if zone is not None:
                return zone
            if n == dns.name.root:
                return None
            n = n.parent()

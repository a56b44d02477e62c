"""Authentication-Results (RFC 8601): write ours, read the ones already in the message, and
compare what the receiving server concluded on arrival with what verification says now.

A difference is explained, not just flagged: DKIM keys are rotated and removed after delivery,
and saved messages are often changed afterwards, so "pass then, fail now" is common and
usually harmless for an old message.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import field

from mailauth.frozen import frozen
from mailauth.message.arc import ArcOutcome
from mailauth.message.dkim import DkimSignature
from mailauth.message.dmarc import DmarcOutcome
from mailauth.message.parse import ParsedMessage
from mailauth.message.spf import SpfOutcome
from mailauth.model import Result

_METHODS = ("dkim", "spf", "dmarc", "arc")
_TOKEN = re.compile(r'([A-Za-z0-9_.-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^\s;]+)')
# Characters of an unquoted property value: RFC 2045 token characters and "@" (a domain name
# or an address); everything else is written as a quoted-string.
_PLAIN = re.compile(r"[A-Za-z0-9!#$%&'*+\-.^_`{|}~@]+")


@frozen
class ResInfo:
    """One `method=result` with its properties (`header.d`, `smtp.mailfrom`...)."""

    method: str
    result: str
    props: dict[str, str] = field(default_factory=dict)
    reason: str = ""


@frozen
class AuthResults:
    """One Authentication-Results field already in the message (RFC 8601): who wrote it,
    and the results it gives."""

    authserv_id: str
    results: tuple[ResInfo, ...]


@frozen
class Difference:
    """A result a receiver wrote on arrival that verifying now does not give (a rotated key,
    a changed message: see the module docstring)."""

    authserv_id: str
    method: str
    identifier: str  # header.d for dkim, the domain for spf/dmarc, "" for arc
    then: str  # the result word the receiver wrote, as written
    now: Result


def build_header(
    authserv_id: str,
    dkim: Sequence[DkimSignature],
    spf: SpfOutcome,
    dmarc: DmarcOutcome,
    arc: ArcOutcome,
) -> str:
    """Our verdicts as one RFC 8601 header field (folded, CRLF, no trailing line break).
    Every value that comes from the message or the caller (the authserv-id, domains, HELO,
    MAIL FROM) is written as a token, a quoted-string or comment text with every control
    character shown as a visible escape: the field is one header field, whatever they hold."""
    parts: list[str] = []
    for sig in dkim:
        reason = f' reason="{sig.reason.value}"' if sig.result is not Result.PASS else ""
        parts.append(
            f"dkim={sig.result.value}{reason} header.d={_pvalue(sig.domain or 'unknown')} "
            f"header.s={_pvalue(sig.selector or 'unknown')} "
            f"header.a={_pvalue(sig.algorithm or 'unknown')}"
        )
    if not dkim:
        parts.append("dkim=none")
    ident = spf.identity
    spf_part = f"spf={spf.result.value}"
    if ident.ip:
        spf_part += f" (ip={ident.ip})"
    if ident.mail_from:
        spf_part += f" smtp.mailfrom={_pvalue(ident.mail_from)}"
    elif ident.helo:
        spf_part += f" smtp.helo={_pvalue(ident.helo)}"
    parts.append(spf_part)
    dmarc_part = f"dmarc={dmarc.result.value}"
    if dmarc.policy:
        dmarc_part += f" (p={dmarc.policy.value} dis={dmarc.disposition.value})"
    if dmarc.from_domain:
        dmarc_part += f" header.from={_pvalue(dmarc.from_domain)}"
    parts.append(dmarc_part)
    if arc.result is not Result.NONE or arc.instances:
        sealer = arc.sealer
        where = f" (i={arc.instances} d={_ctext(sealer.seal_domain)})" if sealer else ""
        parts.append(f"arc={arc.result.value}{where}")
    head = f"Authentication-Results: {_pvalue(authserv_id or 'unknown')};"
    return head + ";".join(f"\r\n\t{p}" for p in parts)


def _pvalue(text: str) -> str:
    """A property value as RFC 8601 §2.2 allows it: a domain name, address or token as it
    is, anything else (spaces, ';', '"' from a hostile signature) as a quoted-string, so the
    header we write always parses."""
    if _PLAIN.fullmatch(text):
        return text
    text = _visible(" ".join(text.split()))  # a quoted-string holds no line breaks
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _ctext(text: str) -> str:
    """Text for inside a comment (RFC 5322 §3.2.2): one line, parentheses and backslashes
    escaped as quoted-pairs."""
    text = _visible(" ".join(text.split()))
    if "(" not in text and ")" not in text and "\\" not in text:
        return text  # nothing to escape (a sealer's domain name): no regex call
    return re.sub(r"([()\\])", r"\\\1", text)


def _visible(text: str) -> str:
    """Control and format characters (ESC, BEL, NUL, bidi overrides...) as visible `\\xNN`
    text: RFC 5322 allows none of them in a header we write, and on a terminal they repaint
    the screen or set the window title."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c == " " else _escape(c) for c in text)


def _escape(ch: str) -> str:
    code = ord(ch)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def parse_header(value: str) -> AuthResults | None:
    """Parse one Authentication-Results / ARC-Authentication-Results value; None if unusable.
    Lenient: comments are dropped, unknown methods kept, a leading `i=N;` (ARC) skipped."""
    text = _strip_comments(value)
    items = [i.strip() for i in _split(text) if i.strip()]
    if items and re.fullmatch(r"i\s*=\s*\d+", items[0]):
        items = items[1:]
    if not items:
        return None
    authserv_id = items[0].split()[0] if items[0].split() else ""
    results: list[ResInfo] = []
    for item in items[1:]:
        tokens = _TOKEN.findall(item)
        if not tokens:
            continue
        method, result = tokens[0][0].lower(), tokens[0][1].strip('"').lower()
        props = {k.lower(): v.strip('"') for k, v in tokens[1:] if k.lower() != "reason"}
        reason = next((v.strip('"') for k, v in tokens[1:] if k.lower() == "reason"), "")
        results.append(ResInfo(method.split("/")[0], result, props, reason))
    return AuthResults(authserv_id.lower(), tuple(results))


def existing(message: ParsedMessage) -> list[AuthResults]:
    """The message's Authentication-Results headers, newest first."""
    parsed = (parse_header(v) for v in message.values("Authentication-Results"))
    return [p for p in parsed if p is not None]


def compare(
    earlier: AuthResults,
    dkim: Sequence[DkimSignature],
    spf: SpfOutcome,
    dmarc: DmarcOutcome,
    arc: ArcOutcome,
) -> list[Difference]:
    """What `earlier` (the receiving server, on arrival) says that verification now does not."""
    diffs: list[Difference] = []
    for res in earlier.results:
        if res.method not in _METHODS or res.result == "none":
            continue
        now, ident = _now(res, dkim, spf, dmarc, arc)
        if now is None or now.value == res.result:
            continue
        diff = Difference(earlier.authserv_id, res.method, ident, res.result, now)
        # Two signatures of one domain (s1 and s2) differing alike are one difference.
        if diff not in diffs:
            diffs.append(diff)
    return diffs


def _now(
    res: ResInfo,
    dkim: Sequence[DkimSignature],
    spf: SpfOutcome,
    dmarc: DmarcOutcome,
    arc: ArcOutcome,
) -> tuple[Result | None, str]:
    if res.method == "dkim":
        domain = res.props.get("header.d", res.props.get("header.i", "")).lstrip("@").lower()
        selector = res.props.get("header.s", "").lower()
        matches = [
            s for s in dkim if s.domain == domain and (not selector or s.selector == selector)
        ]
        if not matches:
            return (None, domain)
        best = Result.PASS if any(s.result is Result.PASS for s in matches) else matches[0].result
        return best, domain
    if res.method == "spf":
        if spf.identity.ip is None:
            return None, ""  # not evaluated now: nothing to compare
        return spf.result, spf.domain or ""
    if res.method == "dmarc":
        return dmarc.result, dmarc.from_domain or ""
    return arc.result, ""


def _strip_comments(text: str) -> str:
    """Remove RFC 5322 comments (nested parentheses) outside quoted strings. Without a "("
    there is no comment, and the text is its own answer (`_strip_comment_chars` would
    copy it character by character: most of parsing a forwarded message's
    Authentication-Results, issue 10)."""
    return text if "(" not in text else _strip_comment_chars(text)


def _strip_comment_chars(text: str) -> str:
    out: list[str] = []
    depth = 0
    quoted = escaped = False
    for ch in text:
        if escaped:  # RFC 5322 §3.2.1 quoted-pair: the next character is literal
            escaped = False
        elif ch == "\\" and (quoted or depth):
            escaped = True
        elif ch == '"' and depth == 0:
            quoted = not quoted
        elif not quoted and ch == "(":
            depth += 1
            continue
        elif not quoted and ch == ")" and depth:
            depth -= 1
            continue
        if depth == 0:
            out.append(ch)
    return "".join(out)


def _split(text: str) -> list[str]:
    """Split on ';' outside quoted strings. Without a '"' there is no quoted string (and a
    backslash escapes nothing outside one): every ';' splits, as `str.split` does."""
    return text.split(";") if '"' not in text else _split_chars(text)


def _split_chars(text: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    quoted = escaped = False
    for ch in text:
        if escaped:
            escaped = False
        elif ch == "\\" and quoted:
            escaped = True
        elif ch == '"':
            quoted = not quoted
        elif ch == ";" and not quoted:
            parts.append("".join(current))
            current = []
            continue
        current.append(ch)
    parts.append("".join(current))
    return parts

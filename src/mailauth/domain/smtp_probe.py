"""One SMTP STARTTLS probe (RFC 5321, RFC 3207): connect, EHLO, STARTTLS, handshake, QUIT.

The only network code of the SMTP check. It connects to an address mailauth resolved itself
through the run's DnsSource (never the system resolver: `--zone` and `--nameserver` apply)
and sends the MX host name as SNI. The handshake accepts any certificate on purpose: an
expired or misnamed certificate is a finding to report, not a reason to see nothing; the
chain is judged afterwards (`smtp_cert.py`).

The certificate chain: Python 3.11's `ssl` has no public API for the chain the server sent
(`SSLSocket.get_unverified_chain` is public only from 3.13); its C object has had
`get_unverified_chain()` since 3.10, which is used when present, else the leaf alone is
judged (DANE-TA matching then has no CA certificate to look at).

"Not tested" (the port is closed, filtered or times out before the greeting) is an outcome
of its own, never a failure: port 25 is blocked on many networks.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from enum import Enum

from mailauth.domain.smtp_reasons import SmtpProblem, system_error, tls_failure, why
from mailauth.frozen import frozen
from mailauth.model import Phrase

EHLO_NAME = "mailauth.invalid"  # RFC 2606: a name that cannot be anybody's
MAX_LINE = 4096
MAX_LINES = 100


class ProbeOutcome(str, Enum):
    TLS = "tls"  # STARTTLS done, handshake completed
    UNREACHABLE = "unreachable"  # not tested: no connection or no greeting
    NO_STARTTLS = "no-starttls"  # EHLO did not offer STARTTLS (or it was refused)
    TLS_FAILED = "tls-failed"  # STARTTLS accepted, handshake failed
    SMTP_ERROR = "smtp-error"  # the server answered with an error or garbage


@frozen
class Probe:
    """What one connection saw. `chain`: DER certificates as sent, leaf first."""

    address: str
    port: int
    outcome: ProbeOutcome
    banner: str = ""
    tls_version: str | None = None
    cipher: str | None = None
    chain: tuple[bytes, ...] = ()
    detail: Phrase | None = None  # why the outcome is not TLS (`smtp_reasons`)


class _SmtpError(Exception):
    """The server broke the dialogue; `why` says how, in catalogue words."""

    def __init__(self, reason: Phrase) -> None:
        super().__init__(reason.key)
        self.why = reason


async def probe(address: str, port: int, server_name: str, timeout: float) -> Probe:
    """Probe one address; never raises for network trouble (it is the outcome)."""
    try:
        return await asyncio.wait_for(_probe(address, port, server_name), timeout)
    except asyncio.TimeoutError:
        late = why(SmtpProblem.TIMEOUT, seconds=f"{timeout:g}")
        return Probe(address, port, ProbeOutcome.UNREACHABLE, detail=late)


async def _probe(address: str, port: int, server_name: str) -> Probe:
    try:
        reader, writer = await asyncio.open_connection(address, port, limit=MAX_LINE * 4)
    except OSError as exc:
        return Probe(address, port, ProbeOutcome.UNREACHABLE, detail=system_error(exc))
    try:
        return await _dialogue(reader, writer, address, port, server_name)
    except _SmtpError as exc:
        return Probe(address, port, ProbeOutcome.SMTP_ERROR, detail=exc.why)
    except (ConnectionError, asyncio.IncompleteReadError):
        lost = why(SmtpProblem.CONNECTION_LOST)
        return Probe(address, port, ProbeOutcome.SMTP_ERROR, detail=lost)
    except ValueError:  # StreamReader's limit: a line longer than MAX_LINE * 4
        long = why(SmtpProblem.LINE_TOO_LONG)
        return Probe(address, port, ProbeOutcome.SMTP_ERROR, detail=long)
    finally:
        writer.close()
        with contextlib.suppress(OSError, asyncio.TimeoutError, ssl.SSLError):
            await asyncio.wait_for(writer.wait_closed(), 1)


async def _dialogue(
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
    address: str,
    port: int,
    server_name: str,
) -> Probe:
    try:
        code, greeting = await _reply(reader)
    except (ConnectionError, asyncio.IncompleteReadError):
        silent = why(SmtpProblem.NO_GREETING)
        return Probe(address, port, ProbeOutcome.UNREACHABLE, detail=silent)
    banner = greeting[0] if greeting else ""
    if code != 220:
        raise _SmtpError(why(SmtpProblem.BAD_GREETING, code=code, banner=banner))
    code, ehlo = await _command(reader, writer, f"EHLO {EHLO_NAME}")
    if code != 250:
        raise _SmtpError(why(SmtpProblem.EHLO_REFUSED, code=code))
    if not any(line.split()[:1] == ["STARTTLS"] for line in (x.upper() for x in ehlo[1:])):
        await _quit(reader, writer)
        absent = why(SmtpProblem.STARTTLS_NOT_OFFERED)
        return Probe(address, port, ProbeOutcome.NO_STARTTLS, banner, detail=absent)
    code, _ = await _command(reader, writer, "STARTTLS")
    if code != 220:
        refused = why(SmtpProblem.STARTTLS_REFUSED, code=code)
        return Probe(address, port, ProbeOutcome.NO_STARTTLS, banner, detail=refused)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # judged afterwards: see the module docstring
    # Accept what old servers speak so that it is reported (smtp.old-tls), not a failure.
    context.minimum_version = ssl.TLSVersion.TLSv1
    context.set_ciphers("DEFAULT:@SECLEVEL=0")
    start_tls = getattr(writer, "start_tls", None)  # StreamWriter.start_tls: Python 3.11+
    if start_tls is None:
        detail = why(SmtpProblem.PYTHON_TOO_OLD)
        return Probe(address, port, ProbeOutcome.TLS_FAILED, banner, detail=detail)
    try:
        await start_tls(context, server_hostname=server_name)
    except (ssl.SSLError, OSError) as exc:
        return Probe(address, port, ProbeOutcome.TLS_FAILED, banner, detail=tls_failure(exc))
    tls = writer.get_extra_info("ssl_object")
    version = tls.version() if tls is not None else None
    cipher = tls.cipher()[0] if tls is not None and tls.cipher() else None
    chain = _chain(tls)
    with contextlib.suppress(
        ConnectionError, asyncio.IncompleteReadError, ssl.SSLError, _SmtpError
    ):
        await _quit(reader, writer)
    return Probe(address, port, ProbeOutcome.TLS, banner, version, cipher, chain)


def _chain(tls: ssl.SSLObject | None) -> tuple[bytes, ...]:
    if tls is None:
        return ()
    inner = getattr(tls, "_sslobj", None)
    getter = getattr(inner, "get_unverified_chain", None)
    if getter is not None:
        certs = getter() or []
        return tuple(c.public_bytes(ssl._ssl.ENCODING_DER) for c in certs)  # type: ignore[attr-defined]
    leaf = tls.getpeercert(binary_form=True)
    return (leaf,) if leaf else ()


async def _command(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, line: str
) -> tuple[int, list[str]]:
    writer.write(line.encode("ascii") + b"\r\n")
    await writer.drain()
    return await _reply(reader)


async def _quit(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await _command(reader, writer, "QUIT")


async def _reply(reader: asyncio.StreamReader) -> tuple[int, list[str]]:
    """One (possibly multi-line) reply, RFC 5321 §4.2.1: `250-...` lines then `250 ...`."""
    lines: list[str] = []
    for _ in range(MAX_LINES):
        raw = await reader.readuntil(b"\n")
        if len(raw) > MAX_LINE:
            raise _SmtpError(why(SmtpProblem.LINE_TOO_LONG))
        text = raw.decode("ascii", "replace").rstrip("\r\n")
        if len(text) < 3 or not text[:3].isdigit():
            raise _SmtpError(why(SmtpProblem.NOT_SMTP, text=repr(text[:80])))
        lines.append(text[4:])
        if len(text) == 3 or text[3] == " ":
            return int(text[:3]), lines
    raise _SmtpError(why(SmtpProblem.TOO_MANY_LINES))

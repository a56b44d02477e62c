"""Why an SMTP probe or a certificate judgement came out as it did, as codes (issue 14).

The probe (`smtp_probe.py`) used to carry the text of the exception it caught ("[SSL:
WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)", "Connection refused"): English
whatever the report's language. Now it carries an `SmtpProblem` and its values, whose words
live in the i18n table (`smtp.why.<code>`); what a library adds that is worth keeping is a
token a reader can search for (OpenSSL's reason name, the errno name, the SMTP reply code).
A refused connection uses the system-error words of `errors.os_reason` (`error.os.<errno>`).

The certificate's trust verdict has a code too (`CertTrustProblem`, JSON `trust_code`);
`trust_detail` keeps the verifier's own message for a bug report.
"""

from __future__ import annotations

import errno
import ssl
from enum import Enum
from typing import Any

from mailauth.i18n import has_label
from mailauth.model import Phrase

PREFIX = "smtp.why."
TRUST_PREFIX = "smtp.trust."


class SmtpProblem(str, Enum):
    MX_LOOKUP_FAILED = "mx-lookup-failed"  # {rcode}
    NO_ADDRESS = "no-address"  # A: {a}, AAAA: {aaaa}
    TIMEOUT = "timeout"  # no answer within {seconds} s
    CONNECT_FAILED = "connect-failed"  # a system error without catalogue words: {code}
    NO_GREETING = "no-greeting"  # connected, then closed before 220
    BAD_GREETING = "bad-greeting"  # {code} {banner}
    EHLO_REFUSED = "ehlo-refused"  # {code}
    STARTTLS_NOT_OFFERED = "starttls-not-offered"
    STARTTLS_REFUSED = "starttls-refused"  # {code}
    TLS_HANDSHAKE = "tls-handshake"  # {code}: OpenSSL's reason name
    PYTHON_TOO_OLD = "python-too-old"
    CONNECTION_LOST = "connection-lost"
    NOT_SMTP = "not-smtp"  # {text}: the start of the line that is not a reply
    LINE_TOO_LONG = "line-too-long"
    TOO_MANY_LINES = "too-many-lines"


class CertTrustProblem(str, Enum):
    """Why a certificate chain is not trusted (None in `CertVerdict.trust_code`: it is)."""

    NO_BUNDLE = "no-bundle"  # trust not judged: no CA bundle on this system
    EMPTY_BUNDLE = "empty-bundle"
    NO_DNS_NAME = "no-dns-name"  # no subjectAltName dNSName
    SELF_SIGNED = "self-signed"
    UNKNOWN_ISSUER = "unknown-issuer"  # the issuer is neither sent nor a root: {issuer}
    NOT_VERIFIED = "not-verified"  # the path to a root fails (signature, CA flag, dates)
    MALFORMED = "malformed"  # the verifier refused the certificate as data


PARAMS: dict[SmtpProblem, tuple[str, ...]] = {
    SmtpProblem.MX_LOOKUP_FAILED: ("rcode",),
    SmtpProblem.NO_ADDRESS: ("a", "aaaa"),
    SmtpProblem.TIMEOUT: ("seconds",),
    SmtpProblem.CONNECT_FAILED: ("code",),
    SmtpProblem.NO_GREETING: (),
    SmtpProblem.BAD_GREETING: ("code", "banner"),
    SmtpProblem.EHLO_REFUSED: ("code",),
    SmtpProblem.STARTTLS_NOT_OFFERED: (),
    SmtpProblem.STARTTLS_REFUSED: ("code",),
    SmtpProblem.TLS_HANDSHAKE: ("code",),
    SmtpProblem.PYTHON_TOO_OLD: (),
    SmtpProblem.CONNECTION_LOST: (),
    SmtpProblem.NOT_SMTP: ("text",),
    SmtpProblem.LINE_TOO_LONG: (),
    SmtpProblem.TOO_MANY_LINES: (),
}
TRUST_PARAMS: dict[CertTrustProblem, tuple[str, ...]] = {
    CertTrustProblem.UNKNOWN_ISSUER: ("issuer",),
}


def why(code: SmtpProblem, /, **params: Any) -> Phrase:
    return Phrase(PREFIX + code.value, params)


def trust_why(code: CertTrustProblem, /, **params: Any) -> Phrase:
    return Phrase(TRUST_PREFIX + code.value, params)


def system_error(exc: OSError) -> Phrase:
    """A connection the system refused: the catalogue's words for its errno where there are
    some (`error.os.econnrefused`), else the errno's name (never the English strerror)."""
    name = errno.errorcode.get(exc.errno) if exc.errno is not None else None
    if name and has_label(f"error.os.{name.lower()}"):
        return Phrase(f"error.os.{name.lower()}")
    return why(SmtpProblem.CONNECT_FAILED, code=name or type(exc).__name__)


def tls_failure(exc: BaseException) -> Phrase:
    """A failed handshake: OpenSSL's reason name (`WRONG_VERSION_NUMBER`) when it gives one;
    a connection reset in the middle is a system error."""
    if isinstance(exc, ssl.SSLError):
        return why(SmtpProblem.TLS_HANDSHAKE, code=exc.reason or type(exc).__name__)
    if isinstance(exc, OSError):
        return system_error(exc)
    return why(SmtpProblem.TLS_HANDSHAKE, code=type(exc).__name__)


def english(reason: Phrase | None) -> str | None:
    """The reason in English, for JSON fields that have always held English text."""
    if reason is None:
        return None
    from mailauth.i18n import label

    return label(reason.key, "en", **reason.params)


def code_of(reason: Phrase | None) -> str | None:
    """The code of a reason (`timeout`, `econnrefused`), for JSON `*_code` fields."""
    if reason is None:
        return None
    return reason.key.rpartition(".")[2]

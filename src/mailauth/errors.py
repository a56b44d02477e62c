"""The one error base class for everything a user can cause.

Anything raised to the CLI that subclasses `MailauthError` is the user's to fix (a bad domain
name, an unreadable zone file): the CLI prints `diagnostics()` as one line and exits with a
usage/input status. Anything else is a bug and is reported as one (traceback only with --debug).
The text comes from the label catalogue (`mailauth.i18n`) so it can be translated.
"""

from __future__ import annotations

import errno
from typing import Any

from mailauth.i18n import has_label, label
from mailauth.model import Phrase


class MailauthError(Exception):
    """Base of every user-facing error. `key` names a template in `mailauth.i18n`."""

    key = "error.generic"

    def __init__(self, key: str | None = None, /, **params: Any) -> None:
        self.key = key or type(self).key
        self.params = params
        super().__init__(self.diagnostics())

    def diagnostics(self, lang: str = "en") -> str:
        """One line saying what is wrong and what to do about it."""
        params = {
            k: label(v.key, lang, **v.params) if isinstance(v, Phrase) else v
            for k, v in self.params.items()
        }
        return label(self.key, lang, **params)


class InputError(MailauthError):
    """Something the user typed or pointed us at is not usable (CLI exit 2)."""

    key = "error.input"


def reraise_interrupt(exc: BaseException) -> None:
    """Raise the KeyboardInterrupt (or SystemExit) that `exc` was made from, if any.

    dnspython's `ExceptionWrapper` turns whatever a parser raises into its own exception,
    Ctrl-C included: a zone file that was loading when the user pressed Ctrl-C came out as
    "cannot load zone file" (exit 2) instead of an interrupted run (issue 9, item 12). Call
    this first in a handler of a library's exceptions."""
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, (KeyboardInterrupt, SystemExit)):
            raise cause
        cause = cause.__cause__ or cause.__context__


def os_reason(exc: OSError) -> Phrase:
    """Why the system refused a file, as catalogue words (`error.os.<errno name>`): the
    operating system's own sentence (`strerror`) is English whatever the user's language.
    An errno without an entry keeps the system's sentence, quoted in `error.os.other`."""
    name = errno.errorcode.get(exc.errno) if exc.errno is not None else None
    key = f"error.os.{name.lower()}" if name else ""
    if name and has_label(key):
        return Phrase(key)
    return Phrase("error.os.other", {"reason": exc.strerror or str(exc)})


def os_reason_text(exc: OSError, lang: str) -> str:
    """`os_reason` in `lang`."""
    phrase = os_reason(exc)
    return label(phrase.key, lang, **phrase.params)

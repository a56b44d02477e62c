"""Libraries the command line imports, imported lighter than they import themselves, in
the process of a `mailauth` command only (cli/entry.py; never a library import, never a
test's in-process CliRunner). Each saves start-up the command would spend on something it
never uses (issue 10, a verification as a command against dkimverify):

- **click without `uuid`.** click.types imports `uuid` (and with it `platform` and the
  `_uuid` extension) for its UUID parameter type, which no mailauth option uses: ~3.7 M
  instructions of every command's start. While click loads, `uuid` is a placeholder
  (mailauth/deferred.py) whose `UUID` is a stand-in that is the real class in every use:
  `isinstance(x, UUID)` and `UUID(text)` ask the real module, imported then.
- **asyncio without TLS** for `verify`: see `asyncio_without_tls`.
"""

from __future__ import annotations

import sys
from typing import Any

from mailauth.deferred import Deferred, deferred_while, real_module


class _RealUUID(type):
    """Metaclass of the stand-in: an instance check and a call go to `uuid.UUID`."""

    def __instancecheck__(cls, obj: object) -> bool:
        return isinstance(obj, real_module("uuid").UUID)

    def __subclasscheck__(cls, sub: type) -> bool:
        return issubclass(sub, real_module("uuid").UUID)

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        return real_module("uuid").UUID(*args, **kwargs)


class UUID(metaclass=_RealUUID):
    """`uuid.UUID` as click.types binds it while it loads (see the module docstring)."""


def click_without_uuid() -> None:
    """Import click with `uuid` deferred (nothing when either is loaded already)."""
    if "click" in sys.modules:
        return
    with deferred_while({"uuid": Deferred("uuid", UUID=UUID)}):
        import click  # noqa: F401


def asyncio_without_tls() -> None:
    """Import asyncio as if Python had no `ssl` module: a verification speaks DNS over UDP
    and plain TCP, never TLS, but asyncio imports `ssl` when it loads, and with it OpenSSL's
    TLS library and ssl's enums: ~17 M instructions of `mailauth verify` as a command.
    asyncio is written for a Python without ssl (each of its modules imports it under
    `try`, and a TLS request then fails with "Python ssl module is not available"), so it
    loads unchanged but for that. Only asyncio's own modules see the gap: `ssl` is
    importable again as soon as asyncio is in, for anyone else in the process. A test holds
    that a verification of several messages loads no `ssl`.
    """
    if "asyncio" in sys.modules or "ssl" in sys.modules:
        return  # too late, or nothing to save
    sys.modules["ssl"] = None  # type: ignore[assignment]  # `import ssl` raises ImportError
    try:
        import asyncio  # noqa: F401
    except Exception:  # not expected; the command imports asyncio again and says why
        for name in [m for m in sys.modules if m == "asyncio" or m.startswith("asyncio.")]:
            del sys.modules[name]
    finally:
        if sys.modules.get("ssl", 0) is None:
            del sys.modules["ssl"]

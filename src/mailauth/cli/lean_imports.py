"""Libraries the command line imports, imported lighter than they import themselves, in
the process of a `mailauth` command only (cli/entry.py; never a library import, never a
test's in-process CliRunner). Each saves start-up the command would spend on something it
never uses (issue 10, a verification as a command against dkimverify):

- **click without `uuid` and `datetime`.** click.types imports `uuid` (and with it
  `platform` and the `_uuid` extension) and `datetime` for its UUID and DateTime parameter
  types, which no mailauth option uses: ~7 M instructions of every command's start. While
  click loads, each is a placeholder (mailauth/deferred.py) whose class is a stand-in that
  is the real class in every use: `isinstance(x, UUID)`, `UUID(text)`,
  `datetime.strptime(...)` ask the real module, imported then.
- **asyncio without TLS** for `verify`: see `asyncio_without_tls`.
"""

from __future__ import annotations

import sys
from typing import Any

from mailauth.deferred import Deferred, deferred_while, real_module


class _Real(type):
    """Metaclass of a stand-in for a class of a deferred module (`_real`: module, name): an
    instance or subclass check, a call and any attribute go to the real class."""

    _real: tuple[str, str]

    def _target(cls) -> Any:
        module, name = cls._real
        return getattr(real_module(module), name)

    def __instancecheck__(cls, obj: object) -> bool:
        return isinstance(obj, cls._target())

    def __subclasscheck__(cls, sub: type) -> bool:
        return issubclass(sub, cls._target())

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        return cls._target()(*args, **kwargs)

    def __getattr__(cls, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(cls._target(), name)


class UUID(metaclass=_Real):
    """`uuid.UUID` as click.types binds it while it loads (see the module docstring)."""

    _real = ("uuid", "UUID")


class datetime(metaclass=_Real):
    """`datetime.datetime` as click.types binds it while it loads (`datetime.strptime`,
    `isinstance(x, datetime)`: the real class's)."""

    _real = ("datetime", "datetime")


def click_without_unused_types() -> None:
    """Import click with `uuid` and `datetime` deferred (nothing when click is loaded; a
    module already loaded is used as is)."""
    if "click" in sys.modules:
        return
    placeholders = {
        "uuid": Deferred("uuid", UUID=UUID),
        "datetime": Deferred("datetime", datetime=datetime),
    }
    with deferred_while(placeholders):
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

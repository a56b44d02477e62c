"""What the differential tests of `@frozen` and `@mutable` against the stdlib dataclasses
share (tests/unit/test_frozen.py, test_mutable.py): a class shape's source built into a real
module with the decorator under test, and a call's outcome as something to compare."""

from __future__ import annotations

import itertools
import sys
import types
from collections.abc import Callable, Mapping
from typing import Any

PRELUDE = (
    "import dataclasses\n"
    "from dataclasses import field, InitVar, KW_ONLY\n"
    "from typing import ClassVar\n"
    "from mailauth.frozen import frozen, mutable\n"
)
_counter = itertools.count()

Calls = list[tuple[tuple[Any, ...], dict[str, Any]]]
Shape = tuple[str, str, Calls]

# (name, source, calls) of the class shapes whose behaviour the stdlib defines the same way
# for a frozen and a mutable dataclass: both tables test them (test_frozen.py and
# test_mutable.py add the shapes where freezing changes the class). `@DEC` / `@DEC_KW` are
# replaced by the decorator under test; each call is (args, kwargs) for the class `K`.
COMMON_SHAPES: list[Shape] = [
    ("empty", "@DEC\nclass K:\n    pass\n", [((), {}), ((1,), {}), ((), {"x": 1})]),
    (
        "defaults and factories",
        "@DEC\nclass K:\n    a: int\n    b: str = 'b'\n"
        "    c: tuple[int, ...] = field(default_factory=tuple)\n"
        "    d: list[int] = field(default_factory=list, compare=False, repr=False)\n",
        [
            ((1,), {}),
            ((1, "x"), {}),
            ((1, "x", (1,)), {}),
            ((1,), {"d": [5]}),
            ((1, "b", (), [7]), {}),
            ((), {"b": "z"}),
            ((1, 2, 3, 4, 5), {}),
        ],
    ),
    (
        "compare, repr and hash flags",
        "@DEC\nclass K:\n    a: int\n    b: int = field(default=0, compare=False)\n"
        "    c: int = field(default=0, repr=False)\n"
        "    d: int = field(default=0, hash=False)\n"
        "    e: int = field(default=0, compare=False, hash=True)\n",
        [((1,), {}), ((1, 2), {}), ((1, 0, 3), {}), ((1, 0, 0, 4), {}), ((1, 0, 0, 0, 5), {})],
    ),
    (
        "kw_only field and KW_ONLY marker",
        "@DEC\nclass K:\n    a: int\n    z: int = field(default=9, kw_only=True)\n"
        "    b: int = 2\n    _: KW_ONLY\n    c: int\n    d: str = 'd'\n",
        [((1,), {"c": 3}), ((1, 5), {"c": 3, "z": 1}), ((1,), {}), ((1, 2, 3), {})],
    ),
    (
        "own methods kept",
        "@DEC\nclass K:\n    a: int\n    b: int = 0\n"
        "    def __repr__(self) -> str:\n        return 'mine'\n"
        "    def __hash__(self) -> int:\n        return 42\n",
        [((1,), {}), ((1, 2), {})],
    ),
    (
        "own __eq__ only",
        "@DEC\nclass K:\n    a: int\n    def __eq__(self, other: object) -> bool:\n"
        "        return True\n",
        [((1,), {}), ((2,), {})],
    ),
    (
        "inheritance",
        "@DEC\nclass Base:\n    a: int\n    b: str = 'b'\n"
        "@DEC_KW\nclass Mid(Base):\n    c: int = 3\n"
        "@DEC\nclass K(Mid):\n    b: str = 'override'\n    d: tuple[int, ...] = ()\n",
        [((1,), {}), ((1, "x"), {"c": 4}), ((1, "x", ()), {}), ((), {"a": 1, "d": (2,)})],
    ),
    (
        "plain subclass of a decorated class",
        "@DEC\nclass Base:\n    a: int\nclass K(Base):\n    pass\n",
        [((1,), {}), ((2,), {})],
    ),
    (
        "nested class",
        "class Outer:\n    @DEC\n    class Inner:\n        a: int\nK = Outer.Inner\n",
        [((1,), {})],
    ),
    (
        "recursive repr",
        "@DEC\nclass K:\n    items: list[object] = field(default_factory=list)\n",
        [((), {}), (([1, 2],), {})],
    ),
]
DEFAULTS_AND_FACTORIES = COMMON_SHAPES[1][1]  # the source the "own methods" tests build


def build_module(
    source: str, decorators: Mapping[str, str], prefix: str, future: bool
) -> types.ModuleType:
    """Execute `source`, each marker of `decorators` replaced (in order) by its text, as a
    fresh module registered in sys.modules (pickle needs it). `future`: under `from
    __future__ import annotations`."""
    text = source
    for marker, decorator in decorators.items():
        text = text.replace(marker, decorator)
    text = PRELUDE + text
    if future:
        text = "from __future__ import annotations\n" + text
    name = f"{prefix}{next(_counter)}"
    module = types.ModuleType(name)
    sys.modules[name] = module
    exec(compile(text, name, "exec", dont_inherit=True), module.__dict__)
    return module


def outcome(function: Callable[[], Any]) -> tuple[str, Any]:
    """("ok", the result) or ("error", (its type, its text)): what the tests compare."""
    try:
        return ("ok", function())
    except Exception as error:
        return ("error", (type(error), str(error)))

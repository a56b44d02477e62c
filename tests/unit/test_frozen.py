"""`@frozen` must behave exactly like `@dataclass(frozen=True)`: a differential test.

Every class shape below is built twice from the same source, once with the stdlib decorator
and once with ours, in a real module (so pickling finds the classes), and everything
observable is compared: construction (and its errors), eq/ne/hash, repr, signature and
doc, frozen errors, fields/asdict/astuple/replace, match, pickle and copy, inheritance.
"""

from __future__ import annotations

import copy
import dataclasses
import inspect
import itertools
import pickle
import types
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.support.dataclass_shapes import (
    COMMON_SHAPES,
    DEFAULTS_AND_FACTORIES,
    Shape,
    build_module,
    outcome,
)

from mailauth.frozen import frozen

_STD = "dataclasses.dataclass(frozen=True)"
_STD_KW = "dataclasses.dataclass(frozen=True, kw_only=True)"

# (name, source, calls): `@DEC` / `@DEC_KW` are replaced by the decorator under test;
# each call is (args, kwargs) for the class named `K`. The shapes shared with
# test_mutable.py first, then those where a frozen class differs.
SHAPES: list[Shape] = [
    *COMMON_SHAPES,
    (
        "one field",
        "@DEC\nclass K:\n    '''Doc.'''\n    x: int\n",
        [
            ((1,), {}),
            ((1,), {}),
            ((2,), {}),
            ((), {}),
            ((), {"x": 3}),
            ((1, 2), {}),
            ((), {"y": 1}),
            ((1,), {"x": 1}),
            ((float("nan"),), {}),
        ],
    ),
    (
        "kw_only decorator",
        "@DEC_KW\nclass K:\n    a: int\n    b: str = 'b'\n"
        "    c: frozenset[int] = field(default_factory=frozenset)\n",
        [((), {"a": 1}), ((1,), {}), ((), {"a": 1, "b": "x"}), ((), {}), ((), {"a": 1, "z": 2})],
    ),
    (
        "init=False fields and __post_init__",
        "@DEC\nclass K:\n    a: int\n    b: int = field(init=False, default=4)\n"
        "    c: list[int] = field(init=False, default_factory=list)\n"
        "    d: int = field(init=False, compare=False, repr=False, default=0)\n"
        "    def __post_init__(self) -> None:\n"
        "        object.__setattr__(self, 'd', self.a * 2)\n",
        [((1,), {}), ((2,), {}), ((1,), {"b": 2})],
    ),
    (
        "ClassVar and InitVar",
        "@DEC\nclass K:\n    LIMIT: ClassVar[int] = 10\n    a: int\n"
        "    scale: InitVar[int] = 1\n    b: int = 0\n"
        "    def __post_init__(self, scale: int) -> None:\n"
        "        object.__setattr__(self, 'b', self.a * scale)\n",
        [((1,), {}), ((1, 3), {}), ((1,), {"scale": 5}), ((1, 3, 4), {})],
    ),
    (
        "awkward field names",
        "@DEC\nclass K:\n    self: int\n    hash: int = 0\n    other: int = 1\n"
        "    NotImplemented: int = 2\n    object: int = 3\n",
        [((1,), {}), ((), {"self": 1, "hash": 2}), ((1, 2, 3, 4, 5), {})],
    ),
]


def _build(source: str, ours: bool, future: bool) -> types.ModuleType:
    dec, dec_kw = ("frozen", "frozen(kw_only=True)") if ours else (_STD, _STD_KW)
    return build_module(
        source, {"@DEC_KW": "@" + dec_kw, "@DEC\n": f"@{dec}\n"}, "_frozen_shape_", future
    )


def _observe(cls: type, calls: list[tuple[tuple[Any, ...], dict[str, Any]]]) -> list[Any]:
    seen: list[Any] = [
        str(inspect.signature(cls)),
        cls.__doc__,
        getattr(cls, "__match_args__", None),
        repr(cls.__dataclass_params__),  # type: ignore[attr-defined]
        cls.__dataclass_params__.frozen,  # type: ignore[attr-defined]
        dataclasses.is_dataclass(cls),
        [
            (f.name, f.default, f.default_factory, f.init, f.repr, f.compare, f.hash, f.kw_only)
            for f in dataclasses.fields(cls)
        ],  # type: ignore[arg-type]
        sorted(
            name for name in ("__eq__", "__hash__", "__repr__", "__init__") if name in vars(cls)
        ),
    ]
    instances = []
    for args, kwargs in copy.deepcopy(calls):
        kind, value = outcome(lambda args=args, kwargs=kwargs: cls(*args, **kwargs))
        if kind == "error":
            seen.append(value)
            continue
        instances.append(value)
        if isinstance(getattr(value, "items", None), list):
            value.items.append(value)  # a cycle: repr must print "..." as the stdlib does
        seen.append(repr(value))
        seen.append(outcome(lambda value=value: hash(value)))
        seen.append(dataclasses.asdict(value) if not hasattr(value, "items") else None)
        seen.append(dataclasses.astuple(value) if not hasattr(value, "items") else None)
        seen.append(outcome(lambda value=value: setattr(value, "a", 1)))
        seen.append(outcome(lambda value=value: setattr(value, "new_attribute", 1)))
        seen.append(outcome(lambda value=value: delattr(value, "a")))
        seen.append(outcome(lambda value=value: dataclasses.replace(value)))
        seen.append(outcome(lambda value=value: repr(dataclasses.replace(value, a=5))))
        seen.append(outcome(lambda value=value: repr(pickle.loads(pickle.dumps(value)))))
        seen.append(outcome(lambda value=value: pickle.loads(pickle.dumps(value)) == value))
        seen.append(repr(copy.copy(value)) == repr(value))
        seen.append(copy.deepcopy(value) == value if not hasattr(value, "items") else None)
        seen.append(outcome(lambda value=value: _match(value)))
        seen.append(value == 1)
        seen.append(value.__eq__(object()))
    for left, right in itertools.product(instances, repeat=2):
        seen.append((left == right, left != right))
        hashes = outcome(lambda left=left, right=right: hash(left) == hash(right))
        seen.append(hashes)
    # Compared as text, with the module's name taken out (each build has its own module).
    return [repr(item).replace(cls.__module__, "<module>") for item in seen]


def _match(value: Any) -> Any:
    names = getattr(type(value), "__match_args__", ())
    match value:
        case object(a=found) if names and names[0] == "a":
            return ("a", found)
        case _:
            pass
    cls = type(value)
    if not names:
        return None
    match value:
        case cls(first):  # type: ignore[misc]
            return ("first", first)
    return None


@pytest.mark.parametrize("future", [False, True], ids=["annotations", "future-annotations"])
@pytest.mark.parametrize(("name", "source", "calls"), SHAPES, ids=[s[0] for s in SHAPES])
def test_frozen_behaves_like_the_stdlib(
    name: str, source: str, calls: list[tuple[tuple[Any, ...], dict[str, Any]]], future: bool
) -> None:
    std = _build(source, ours=False, future=future)
    ours = _build(source, ours=True, future=future)
    std_seen = _observe(std.K, calls)
    assert _observe(ours.K, calls) == std_seen
    # Classes are distinct: an instance of one never equals the other's.
    if (
        "def __eq__" not in source
        and outcome(lambda: std.K(*calls[0][0], **calls[0][1]))[0] == "ok"
    ):
        assert (std.K(*calls[0][0], **calls[0][1]) == ours.K(*calls[0][0], **calls[0][1])) is False


def test_frozen_methods_are_the_classes_own() -> None:
    module = _build(DEFAULTS_AND_FACTORIES, ours=True, future=False)
    for name in ("__init__", "__repr__", "__eq__", "__hash__", "__setattr__", "__delattr__"):
        method = vars(module.K)[name]
        assert method.__qualname__ == f"K.{name}"
    assert module.K.__init__.__annotations__ == {
        "a": int,
        "b": str,
        "c": tuple[int, ...],
        "d": list[int],
        "return": None,
    }


def test_hash_and_repr_are_made_on_first_use() -> None:
    """`__hash__` and `__repr__` are made when first called, not with the class (issue 10,
    start-up: a run calls few of them); the first call answers, and puts the made method
    on the class, also when it comes through a subclass."""
    source = "@DEC\nclass K:\n    a: int\n    b: str = 'b'\nclass Sub(K):\n    pass\n"
    ours = _build(source, ours=True, future=False)
    std = _build(source, ours=False, future=False)
    placeholders = {name: vars(ours.K)[name] for name in ("__hash__", "__repr__")}
    assert repr(ours.Sub(1)) == repr(std.Sub(1)) == "Sub(a=1, b='b')"
    assert hash(ours.Sub(1)) == hash(std.Sub(1))
    for name, placeholder in placeholders.items():
        made = vars(ours.K)[name]
        assert made is not placeholder and made.__qualname__ == f"K.{name}", name
        assert name not in vars(ours.Sub)
    assert repr(ours.K(2, "x")) == repr(std.K(2, "x"))
    assert hash(ours.K(2, "x")) == hash(std.K(2, "x"))
    # a placeholder someone kept answers too
    assert placeholders["__repr__"](ours.K(3)) == "K(a=3, b='b')"


def test_init_is_compiled_on_first_use() -> None:
    """`__init__` is compiled when first used, not with the class (issue 10, start-up: a
    run instantiates few of the classes it creates): making an instance (also through a
    subclass, or a subclass's own `__init__` calling `super().__init__`) or reading the
    signature compiles it and puts it on the class; until then it is not compiled."""
    source = (
        "@DEC\nclass K:\n    '''Doc.'''\n    a: int\n    b: str = 'b'\n"
        "class Sub(K):\n    pass\n"
        "class Own(K):\n    def __init__(self, a: int) -> None:\n"
        "        super().__init__(a, 'own')\n"
    )
    std = _build(source, ours=False, future=False)
    calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = [((1,), {}), ((1, "x"), {}), ((), {})]
    for first in ("K", "Sub", "Own", "signature", "annotations"):
        ours = _build(source, ours=True, future=False)
        placeholder = vars(ours.K)["__init__"]
        assert not isinstance(placeholder, types.FunctionType)
        if first == "signature":
            assert inspect.signature(ours.K) == inspect.signature(std.K)
        elif first == "annotations":
            assert ours.K.__init__.__annotations__ == std.K.__init__.__annotations__
        else:
            args = (1,) if first == "Own" else (1, "x")
            assert repr(getattr(ours, first)(*args)) == repr(getattr(std, first)(*args))
        made = vars(ours.K)["__init__"]
        assert isinstance(made, types.FunctionType) and made.__qualname__ == "K.__init__"
        assert "__init__" not in vars(ours.Sub)
        assert _observe(ours.K, calls) == _observe(std.K, calls)
        assert _observe(ours.Sub, calls) == _observe(std.Sub, calls)
    ours = _build(source, ours=True, future=False)
    kept = ours.K.__init__  # a placeholder someone kept answers too
    instance = object.__new__(ours.K)
    kept(instance, 5)
    assert repr(instance) == "K(a=5, b='b')"


def test_errors_at_class_creation_match_the_stdlib() -> None:
    bad_order = "@DEC\nclass K:\n    a: int = 0\n    b: int\n"
    for source in (
        bad_order,
        "@DEC\nclass K:\n    a: int\n    def __setattr__(self, n, v): pass\n",
    ):
        std = outcome(lambda source=source: _build(source, ours=False, future=False))
        ours = outcome(lambda source=source: _build(source, ours=True, future=False))
        assert std[0] == ours[0] == "error"
        assert ours[1] == std[1]


def test_inheritance_rules_between_frozen_and_stdlib_dataclasses() -> None:
    mixed = _build(
        "@frozen\nclass Ours:\n    a: int\n"
        "@dataclasses.dataclass(frozen=True)\nclass StdChild(Ours):\n    b: int = 0\n"
        "@dataclasses.dataclass\nclass Plain:\n    a: int\n",
        ours=True,
        future=False,
    )
    # A stdlib frozen dataclass may extend ours, and works as the stdlib's.
    child = mixed.StdChild(1, 2)
    assert repr(child) == "StdChild(a=1, b=2)"
    with pytest.raises(dataclasses.FrozenInstanceError):
        child.a = 3
    # A non-frozen stdlib dataclass may not extend ours; ours may not extend a non-frozen one.
    with pytest.raises(TypeError, match="cannot inherit non-frozen dataclass from a frozen one"):
        dataclasses.dataclass(type("Bad", (mixed.Ours,), {}))
    with pytest.raises(TypeError, match="cannot inherit frozen dataclass from a non-frozen one"):
        frozen(type("Bad", (mixed.Plain,), {}))
    # Ours extending a stdlib frozen dataclass is refused with an explanation, not mixed.
    with pytest.raises(TypeError, match="decorate the base with @frozen too"):
        frozen(type("Bad", (mixed.StdChild,), {}))


_NAMES = st.sampled_from(["a", "b", "c", "d", "e", "self", "hash", "other"])
_FIELD = st.tuples(
    st.sampled_from(["none", "default", "factory"]),
    st.booleans(),  # compare
    st.booleans(),  # repr
    st.sampled_from([None, True, False]),  # hash
    st.booleans(),  # kw_only
)


@settings(max_examples=40, deadline=None)
@given(
    names=st.lists(_NAMES, min_size=0, max_size=5, unique=True),
    specs=st.lists(_FIELD, min_size=5, max_size=5),
    kw_only=st.booleans(),
)
def test_generated_field_sets_behave_like_the_stdlib(
    names: list[str], specs: list[tuple[str, bool, bool, bool | None, bool]], kw_only: bool
) -> None:
    lines = []
    for index, (name, (kind, compare, shown, hashed, kw)) in enumerate(
        zip(names, specs, strict=False)
    ):
        default = {
            "none": "",
            "default": f"default={index}, ",
            "factory": "default_factory=tuple, ",
        }
        lines.append(
            f"    {name}: object = field({default[kind]}compare={compare}, repr={shown}, "
            f"hash={hashed}, kw_only={kw})\n"
        )
    source = (
        ("@DEC_KW\n" if kw_only else "@DEC\n") + "class K:\n" + ("".join(lines) or "    pass\n")
    )
    std = outcome(lambda: _build(source, ours=False, future=False))
    ours = outcome(lambda: _build(source, ours=True, future=False))
    assert std[0] == ours[0]
    if std[0] == "error":
        assert repr(ours[1]) == repr(std[1])
        return
    calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = [
        ((), {}),
        ((), {name: index for index, name in enumerate(names)}),
        ((), {name: 1 for name in names}),
        (tuple(range(len(names))), {}),
    ]
    std_seen = _observe(std[1].K, calls)
    assert _observe(ours[1].K, calls) == std_seen


def test_repr_is_made_at_its_first_call_and_then_is_the_stdlibs() -> None:
    """`__repr__` is made lazily (start-up, issue 10): a plain subclass's instance printed
    first makes the base's, and from then on the base holds the stdlib's code, which a
    cycle reaching the same object prints as "..." on the first call as on later ones."""
    ours = _build("@DEC\nclass K:\n    a: int\n    items: list = None\n", ours=True, future=False)
    std = _build("@DEC\nclass K:\n    a: int\n    items: list = None\n", ours=False, future=False)
    stub = vars(ours.K)["__repr__"]

    def subclass(base: Any) -> Any:
        class Sub(base):  # type: ignore[misc,valid-type]
            pass

        return Sub

    looped, std_looped = subclass(ours.K)(1, []), subclass(std.K)(1, [])
    looped.items.append(looped)
    std_looped.items.append(std_looped)
    assert repr(looped) == repr(std_looped)
    assert repr(looped).endswith("Sub(a=1, items=[...])")
    made = vars(ours.K)["__repr__"]
    assert made is not stub and made.__qualname__ == "K.__repr__"
    assert repr(ours.K(2)) == repr(std.K(2)).replace(std.__name__, ours.__name__)
    assert vars(ours.K)["__repr__"] is made

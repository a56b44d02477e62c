"""`@mutable` must behave exactly like the stdlib `@dataclass` (and `@dataclass(eq=False)`,
`@dataclass(kw_only=True)`): a differential test, in the style of test_frozen.py.

Every class shape below is built twice from the same source, once with the stdlib decorator
and once with ours, in a real module (so pickling finds the classes), and everything
observable is compared: construction (and its errors), eq/ne, hash or unhashability, repr,
signature and doc, assignment and deletion of fields (and what repr and eq say after),
fields/asdict/astuple/replace, match, pickle and copy, inheritance.
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
    Calls,
    Shape,
    build_module,
    outcome,
)

from mailauth.frozen import frozen, mutable

# (name, source, calls): `@DEC`, `@DEC_KW`, `@DEC_NOEQ` are replaced by the decorator under
# test (plain, kw_only=True, eq=False); each call is (args, kwargs) for the class named `K`.
# The shapes shared with test_frozen.py first, then those where a mutable class differs.
SHAPES: list[Shape] = [
    *COMMON_SHAPES,
    ("empty, eq=False", "@DEC_NOEQ\nclass K:\n    pass\n", [((), {}), ((), {})]),
    (
        "one field",
        "@DEC\nclass K:\n    '''Doc.'''\n    a: int\n",
        [
            ((1,), {}),
            ((1,), {}),
            ((2,), {}),
            ((), {}),
            ((), {"a": 3}),
            ((1, 2), {}),
            ((), {"y": 1}),
            ((1,), {"a": 1}),
            ((float("nan"),), {}),
        ],
    ),
    (
        "one field, eq=False",
        "@DEC_NOEQ\nclass K:\n    a: int\n    b: list[int] = field(default_factory=list)\n",
        [((1,), {}), ((1,), {}), ((2, [3]), {}), ((), {})],
    ),
    (
        "a factory made per instance",
        "def fresh() -> dict[str, int]:\n    return {'n': 1}\n"
        "@DEC\nclass K:\n    a: int = 0\n    log: list[int] = field(default_factory=list)\n"
        "    seen: dict[str, int] = field(default_factory=fresh)\n",
        [((), {}), ((), {}), ((1, [2]), {}), ((), {"seen": {}})],
    ),
    (
        "kw_only decorator",
        "@DEC_KW\nclass K:\n    a: int\n    b: str = 'b'\n"
        "    c: set[int] = field(default_factory=set)\n",
        [((), {"a": 1}), ((1,), {}), ((), {"a": 1, "b": "x"}), ((), {}), ((), {"a": 1, "z": 2})],
    ),
    (
        "init=False fields and __post_init__",
        "@DEC\nclass K:\n    a: int\n    b: int = field(init=False, default=4)\n"
        "    c: list[int] = field(init=False, default_factory=list)\n"
        "    d: int = field(init=False, compare=False, repr=False, default=0)\n"
        "    def __post_init__(self) -> None:\n"
        "        self.d = self.a * 2\n        self.c.append(self.d)\n",
        [((1,), {}), ((2,), {}), ((1,), {"b": 2})],
    ),
    (
        "init=False without a default",
        "@DEC_NOEQ\nclass K:\n    a: int\n    b: int = field(init=False)\n"
        "    def __post_init__(self) -> None:\n        if self.a:\n            self.b = self.a\n",
        [((1,), {}), ((0,), {})],
    ),
    (
        "ClassVar and InitVar",
        "@DEC\nclass K:\n    LIMIT: ClassVar[int] = 10\n    a: int\n"
        "    scale: InitVar[int] = 1\n    b: int = 0\n"
        "    def __post_init__(self, scale: int) -> None:\n"
        "        self.b = self.a * scale\n",
        [((1,), {}), ((1, 3), {}), ((1,), {"scale": 5}), ((1, 3, 4), {})],
    ),
    (
        "awkward field names",
        "@DEC\nclass K:\n    self: int\n    hash: int = 0\n    other: int = 1\n"
        "    NotImplemented: int = 2\n    object: int = 3\n    a: int = 4\n",
        [((1,), {}), ((), {"self": 1, "hash": 2}), ((1, 2, 3, 4, 5), {})],
    ),
    (
        "own __eq__ and __hash__ with eq=False",
        "@DEC_NOEQ\nclass K:\n    a: int\n    def __eq__(self, other: object) -> bool:\n"
        "        return True\n    def __hash__(self) -> int:\n        return 7\n",
        [((1,), {}), ((2,), {})],
    ),
    (
        # The stdlib's __init__ assigns with `self.a = ...` for a class that is not frozen:
        # the class's own __setattr__ and properties must see it.
        "own __setattr__ sees __init__'s assignments",
        "@DEC\nclass K:\n    a: int\n    b: str = 'b'\n"
        "    def __setattr__(self, name: str, value: object) -> None:\n"
        "        object.__setattr__(self, name, value * 2 if isinstance(value, int) else value)\n",
        [((1,), {}), ((2, "x"), {})],
    ),
    (
        "properties",
        "class Base:\n    @property\n    def b(self) -> int:\n        return 1\n"
        "    @b.setter\n    def b(self, value: int) -> None:\n"
        "        self.__dict__['b_set'] = value\n"
        "@DEC_NOEQ\nclass K(Base):\n    a: int\n",
        [((1,), {})],
    ),
    (
        "eq=False subclass of an eq class",
        "@DEC\nclass Base:\n    a: int\n@DEC_NOEQ\nclass K(Base):\n    b: int = 0\n",
        [((1,), {}), ((1,), {}), ((1, 2), {})],
    ),
    (
        "eq subclass of an eq=False class",
        "@DEC_NOEQ\nclass Base:\n    a: int\n@DEC\nclass K(Base):\n    b: int = 0\n",
        [((1,), {}), ((1,), {}), ((1, 2), {})],
    ),
    (
        "subclass of a plain class with a __hash__",
        "class Base:\n    def __hash__(self) -> int:\n        return 5\n"
        "@DEC\nclass K(Base):\n    a: int\n",
        [((1,), {})],
    ),
]


def _build(source: str, ours: bool, future: bool) -> types.ModuleType:
    if ours:
        decorators = ("mutable(kw_only=True)", "mutable(eq=False)", "mutable")
    else:
        decorators = (
            "dataclasses.dataclass(kw_only=True)",
            "dataclasses.dataclass(eq=False)",
            "dataclasses.dataclass",
        )
    markers = ("@DEC_KW\n", "@DEC_NOEQ\n", "@DEC\n")
    replaced = {m: f"@{d}\n" for m, d in zip(markers, decorators, strict=True)}
    return build_module(source, replaced, "_mutable_shape_", future)


def _observe(cls: type, calls: Calls) -> list[Any]:
    seen: list[Any] = [
        str(inspect.signature(cls)),
        cls.__doc__,
        getattr(cls, "__match_args__", None),
        repr(cls.__dataclass_params__),  # type: ignore[attr-defined]
        [
            getattr(cls.__dataclass_params__, name)  # type: ignore[attr-defined]
            for name in ("init", "repr", "eq", "order", "unsafe_hash", "frozen")
        ],
        dataclasses.is_dataclass(cls),
        [
            (f.name, f.default, _factory(f), f.init, f.repr, f.compare, f.hash, f.kw_only)
            for f in dataclasses.fields(cls)
        ],
        sorted(
            name
            for name in ("__eq__", "__hash__", "__repr__", "__init__", "__setattr__")
            if name in vars(cls)
        ),
        vars(cls).get("__hash__", "absent") is None,
        cls.__hash__ is None,
    ]
    instances = []
    for args, kwargs in copy.deepcopy(calls):
        kind, value = outcome(lambda args=args, kwargs=kwargs: cls(*args, **kwargs))
        if kind == "error":
            seen.append(value)
            continue
        instances.append(value)
        looped = isinstance(getattr(value, "items", None), list)
        if looped:
            value.items.append(value)  # a cycle: repr must print "..." as the stdlib does
        seen.append(outcome(lambda value=value: repr(value)))
        seen.append(sorted(vars(value).items(), key=repr) if not looped else None)
        # unhashable (TypeError), the identity hash (eq=False), or the class's own
        seen.append(outcome(lambda value=value: hash(value) == object.__hash__(value)))
        seen.append(outcome(lambda value=value: dataclasses.asdict(value)) if not looped else 0)
        seen.append(outcome(lambda value=value: dataclasses.astuple(value)) if not looped else 0)
        seen.append(outcome(lambda value=value: dataclasses.replace(value) == value))
        seen.append(outcome(lambda value=value: repr(dataclasses.replace(value, a=5))))
        seen.append(outcome(lambda value=value: repr(pickle.loads(pickle.dumps(value)))))
        seen.append(outcome(lambda value=value: pickle.loads(pickle.dumps(value)) == value))
        seen.append(outcome(lambda value=value: repr(copy.copy(value)) == repr(value)))
        seen.append(copy.copy(value) == value)
        seen.append(copy.deepcopy(value) == value if not looped else None)
        seen.append(outcome(lambda value=value: _match(value)))
        seen.append(value == 1)
        seen.append(value.__eq__(object()))
        # Instances are mutable: assigning and deleting work, and repr and eq follow.
        twin = copy.copy(value)
        seen.append(outcome(lambda twin=twin: setattr(twin, "a", 7)))
        seen.append(outcome(lambda twin=twin: repr(twin)))
        seen.append((twin == value, twin != value))
        seen.append(outcome(lambda twin=twin: setattr(twin, "new_attribute", 1)))
        seen.append(outcome(lambda twin=twin: delattr(twin, "a")))
        seen.append(outcome(lambda twin=twin: repr(twin)))
        seen.append(outcome(lambda twin=twin, value=value: twin == value))
    for left, right in itertools.product(instances, repeat=2):
        seen.append((left == right, left != right))
    # Compared as text, with the module's name taken out (each build has its own module).
    return [repr(item).replace(cls.__module__, "<module>") for item in seen]


def _factory(f: dataclasses.Field[Any]) -> object:
    """A field's default factory by name (each build's own functions differ in address)."""
    return getattr(f.default_factory, "__qualname__", f.default_factory)


def _match(value: Any) -> Any:
    names = getattr(type(value), "__match_args__", ())
    cls = type(value)
    if not names:
        return None
    match value:
        case cls(first):
            return ("first", first)
    return None


@pytest.mark.parametrize("future", [False, True], ids=["annotations", "future-annotations"])
@pytest.mark.parametrize(("name", "source", "calls"), SHAPES, ids=[s[0] for s in SHAPES])
def test_mutable_behaves_like_the_stdlib(
    name: str, source: str, calls: Calls, future: bool
) -> None:
    std = _build(source, ours=False, future=future)
    ours = _build(source, ours=True, future=future)
    assert _observe(ours.K, calls) == _observe(std.K, calls)
    # Classes are distinct: an instance of one never equals the other's.
    first = outcome(lambda: std.K(*calls[0][0], **calls[0][1]))
    if "def __eq__" not in source and first[0] == "ok":
        assert (std.K(*calls[0][0], **calls[0][1]) == ours.K(*calls[0][0], **calls[0][1])) is False


def test_methods_are_the_classes_own_and_none_guard_assignment() -> None:
    module = _build(DEFAULTS_AND_FACTORIES, ours=True, future=False)
    for name in ("__init__", "__repr__", "__eq__"):
        assert vars(module.K)[name].__qualname__ == f"K.{name}"
    assert vars(module.K)["__hash__"] is None
    assert "__setattr__" not in vars(module.K) and "__delattr__" not in vars(module.K)
    assert module.K.__init__.__annotations__ == {
        "a": int,
        "b": str,
        "c": tuple[int, ...],
        "d": list[int],
        "return": None,
    }
    no_eq = _build("@DEC_NOEQ\nclass K:\n    a: int\n", ours=True, future=False)
    assert "__eq__" not in vars(no_eq.K) and "__hash__" not in vars(no_eq.K)


def test_init_and_repr_are_made_on_first_use() -> None:
    """As with `@frozen` (issue 10, start-up): `__init__` is compiled when an instance is
    first made (also through a subclass) and `__repr__` when first called; each then is a
    function on the class, and a kept placeholder still answers."""
    source = (
        "@DEC\nclass K:\n    '''Doc.'''\n    a: int\n    b: str = 'b'\nclass Sub(K):\n    pass\n"
    )
    std = _build(source, ours=False, future=False)
    ours = _build(source, ours=True, future=False)
    placeholders = {name: vars(ours.K)[name] for name in ("__init__", "__repr__")}
    assert not isinstance(placeholders["__init__"], types.FunctionType)
    assert repr(ours.Sub(1)) == repr(std.Sub(1)) == "Sub(a=1, b='b')"
    for name, placeholder in placeholders.items():
        made = vars(ours.K)[name]
        assert made is not placeholder and isinstance(made, types.FunctionType), name
        assert made.__qualname__ == f"K.{name}" and name not in vars(ours.Sub)
    assert placeholders["__repr__"](ours.K(3)) == "K(a=3, b='b')"
    kept = _build(source, ours=True, future=False)
    instance = object.__new__(kept.K)
    vars(kept.K)["__init__"](instance, 5)
    assert repr(instance) == "K(a=5, b='b')"


def test_one_init_code_per_shape_for_both_decorators() -> None:
    """Two classes of one shape share the compiled `__init__` (renamed per class), and a
    frozen and a mutable class of the same fields do not (one assigns through
    object.__setattr__, the other with `self.a = ...`)."""
    source = (
        "@mutable\nclass One:\n    x: int\n    y: list[int] = field(default_factory=list)\n"
        "@mutable\nclass Two:\n    p: int\n    q: list[int] = field(default_factory=list)\n"
        "@frozen\nclass Three:\n    x: int\n    y: list[int] = field(default_factory=list)\n"
    )
    module = _build(source, ours=True, future=False)
    one, two, three = module.One(1), module.Two(1), module.Three(1)
    assert (one.y, two.q, three.y) == ([], [], [])
    codes = [vars(c)["__init__"].__code__ for c in (module.One, module.Two, module.Three)]
    assert codes[0].co_code == codes[1].co_code
    assert codes[0].co_names != codes[1].co_names  # each class's own attribute names
    assert codes[0].co_code != codes[2].co_code


def test_errors_at_class_creation_match_the_stdlib() -> None:
    for source in (
        "@DEC\nclass K:\n    a: int = 0\n    b: int\n",
        "@DEC\nclass K:\n    a: list[int] = []\n",
        "@DEC_NOEQ\nclass K:\n    a: int\n    _: KW_ONLY\n    _b: KW_ONLY\n",
    ):
        std = outcome(lambda source=source: _build(source, ours=False, future=False))
        ours = outcome(lambda source=source: _build(source, ours=True, future=False))
        assert std[0] == ours[0] == "error"
        assert ours[1] == std[1]


def test_inheritance_rules_between_mutable_frozen_and_stdlib_dataclasses() -> None:
    mixed = _build(
        "@mutable\nclass Ours:\n    a: int\n"
        "@dataclasses.dataclass\nclass StdChild(Ours):\n    b: int = 0\n"
        "@dataclasses.dataclass\nclass Plain:\n    a: int\n"
        "@mutable\nclass OursOfPlain(Plain):\n    b: int = 0\n"
        "@frozen\nclass Frozen:\n    a: int\n"
        "@dataclasses.dataclass(frozen=True)\nclass StdFrozen:\n    a: int\n",
        ours=True,
        future=False,
    )
    # A stdlib dataclass may extend ours, and ours a stdlib one; both work as the stdlib's.
    child = mixed.StdChild(1, 2)
    child.a = 3
    assert repr(child) == "StdChild(a=3, b=2)" and child == mixed.StdChild(3, 2)
    assert repr(mixed.OursOfPlain(1, 2)) == "OursOfPlain(a=1, b=2)"
    assert mixed.OursOfPlain(1) == mixed.OursOfPlain(1) and mixed.OursOfPlain.__hash__ is None
    # Frozen may not extend ours (stdlib or @frozen), nor ours a frozen one.
    frozen_from_ours = "cannot inherit frozen dataclass from a non-frozen one"
    with pytest.raises(TypeError, match=frozen_from_ours):
        dataclasses.dataclass(frozen=True)(type("Bad", (mixed.Ours,), {}))
    with pytest.raises(TypeError, match=frozen_from_ours):
        frozen(type("Bad", (mixed.Ours,), {}))
    for base in (mixed.Frozen, mixed.StdFrozen):
        with pytest.raises(TypeError, match="cannot inherit non-frozen dataclass from a frozen"):
            mutable(type("Bad", (base,), {}))


_NAMES = st.sampled_from(["a", "b", "c", "d", "e", "self", "hash", "other"])
_FIELD = st.tuples(
    st.sampled_from(["none", "default", "factory", "no-init"]),
    st.booleans(),  # compare
    st.booleans(),  # repr
    st.sampled_from([None, True, False]),  # hash
    st.booleans(),  # kw_only
)


@settings(max_examples=40, deadline=None)
@given(
    names=st.lists(_NAMES, min_size=0, max_size=5, unique=True),
    specs=st.lists(_FIELD, min_size=5, max_size=5),
    decorator=st.sampled_from(["@DEC\n", "@DEC_KW\n", "@DEC_NOEQ\n"]),
)
def test_generated_field_sets_behave_like_the_stdlib(
    names: list[str], specs: list[tuple[str, bool, bool, bool | None, bool]], decorator: str
) -> None:
    lines = []
    for index, (name, (kind, compare, shown, hashed, kw)) in enumerate(
        zip(names, specs, strict=False)
    ):
        default = {
            "none": "",
            "default": f"default={index}, ",
            "factory": "default_factory=list, ",
            "no-init": f"init=False, default={index}, ",
        }
        lines.append(
            f"    {name}: object = field({default[kind]}compare={compare}, repr={shown}, "
            f"hash={hashed}, kw_only={kw})\n"
        )
    source = decorator + "class K:\n" + ("".join(lines) or "    pass\n")
    std = outcome(lambda: _build(source, ours=False, future=False))
    ours = outcome(lambda: _build(source, ours=True, future=False))
    assert std[0] == ours[0]
    if std[0] == "error":
        assert repr(ours[1]) == repr(std[1])
        return
    calls: Calls = [
        ((), {}),
        ((), {name: index for index, name in enumerate(names)}),
        ((), {name: [1] for name in names}),
        (tuple(range(len(names))), {}),
    ]
    assert _observe(ours[1].K, calls) == _observe(std[1].K, calls)

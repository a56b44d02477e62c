"""`@frozen`: `@dataclass(frozen=True)` with one compile per class shape, not six per class;
`@mutable`: the same for `@dataclass` / `@dataclass(eq=False)` (three compiles per class).

Why this exists: the stdlib builds every generated method of a dataclass by writing its
source text and `exec`-ing it. For `@dataclass(frozen=True)` that is six compiles
(`__init__`, `__repr__`, `__eq__`, `__hash__`, `__setattr__`, `__delattr__`) of ~80 µs
each, ~0.7-1.4 ms per class on the 2-core test machine. `mailauth check DOMAIN` creates
~109 such classes and `mailauth verify` ~70, which was 75-150 ms of check's ~250 ms of
start-up CPU (issue 10). Most of those classes are instantiated, so creating them lazily
would not help; compiling less per class does.

What it does: the stdlib still processes the fields (`dataclasses.dataclass(init=False,
repr=False, eq=False)`), so `__dataclass_fields__`, `fields()`, `asdict()`, `replace()`,
`__match_args__`, `KW_ONLY`, `InitVar` and `ClassVar` handling are the stdlib's own.
`__init__` is the code the stdlib generates (it runs per instance, and bulk scans build
millions of small objects), compiled once per shape (parameters, how each field is
assigned, `__post_init__`) and given each class's names, defaults, annotations and factories
(`_init_fn`; ~28 compiles instead of ~96 in a check, ~9 ms of its start-up CPU). `__eq__`,
`__hash__` and `__repr__` are the stdlib's generated code too, but compiled once per number
of fields and renamed per class (`CodeType.replace`), so they cost no compile and no speed;
`__setattr__`/`__delattr__` are closures (they only raise). Behaviour, repr text and hash
values equal the stdlib's (tests/unit/test_frozen.py compares the two on a table of class
shapes).

`__dataclass_params__` reads `frozen=True` (and eq/repr/init True), so code that inspects it
sees a frozen dataclass, and the stdlib's inheritance rules hold in both directions: a
stdlib `@dataclass(frozen=True)` may extend an `@frozen` class; a non-frozen stdlib
dataclass may not; an `@frozen` class may not extend a non-frozen dataclass. One mix is
refused with a TypeError instead: an `@frozen` class extending a *stdlib* frozen dataclass
(decorate the base with `@frozen` too).

`__init__` is compiled at its first use (`_InitOnFirstUse`), `__repr__` and `__hash__` at
their first call (`_lazy_repr`, `_lazy_hash`): a run instantiates only some of the classes
it creates (38 of 53 in a `mailauth verify` of a good message), and hashes or shows few of
their instances (issue 10, start-up).

`@mutable` is the same machinery for the classes that are filled in as a run goes (traces,
counters, trees on the commands' start-up paths): the stdlib's `__init__` for a non-frozen
class (`self.name = value`), `__repr__` and `__eq__` as above, `__hash__` None when `eq`
(what the stdlib sets), nothing when `eq=False`; no `__setattr__`/`__delattr__`.
tests/unit/test_mutable.py compares it with the stdlib as test_frozen.py does.
"""

from __future__ import annotations

import builtins
import contextvars
import dataclasses
import inspect
import re
import reprlib
import sys
import types
from collections.abc import Callable
from typing import Any, TypeVar, overload

from mailauth import startup_cache

if sys.version_info >= (3, 11):
    from typing import dataclass_transform
else:  # pragma: no cover - Python 3.10 (pyproject: typing_extensions there)
    from typing_extensions import dataclass_transform


__all__ = ["frozen", "mutable"]

_T = TypeVar("_T")

# Stdlib internals the generated `__init__` must share so that signatures read the same
# (`x: list = <factory>`) and InitVars are told apart from fields, as in dataclasses.py.
_HAS_DEFAULT_FACTORY: Any = vars(dataclasses)["_HAS_DEFAULT_FACTORY"]
_FIELD: Any = vars(dataclasses)["_FIELD"]
_FIELD_INITVAR: Any = vars(dataclasses)["_FIELD_INITVAR"]

# True while the stdlib processes one of our classes with frozen=False: then our bases
# must read as non-frozen, or the stdlib would refuse "non-frozen from frozen".
_PROCESSING: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "mailauth_frozen_processing", default=False
)


class _FrozenParams:
    """`__dataclass_params__` of an `@frozen` class: what `@dataclass(frozen=True[,
    kw_only])` sets. Its repr lists the fields this Python's own params list (3.12 added
    match_args, kw_only, slots and weakref_slot)."""

    __slots__ = ("kw_only",)
    init = True
    repr = True
    eq = True
    order = False
    unsafe_hash = False
    match_args = True
    slots = False
    weakref_slot = False

    def __init__(self, kw_only: bool) -> None:
        self.kw_only = kw_only

    @property
    def frozen(self) -> bool:
        return not _PROCESSING.get()

    def __repr__(self) -> str:
        names: tuple[str, ...] = vars(dataclasses)["_DataclassParams"].__slots__
        shown = ",".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"_DataclassParams({shown})"


_PARAMS = {False: _FrozenParams(False), True: _FrozenParams(True)}  # by kw_only


class _MutableParams:
    """`__dataclass_params__` of an `@mutable` class: what `@dataclass([eq=False][,
    kw_only=True])` sets (the stdlib processed it with init, repr and eq off)."""

    __slots__ = ("eq", "kw_only")
    init = True
    repr = True
    order = False
    unsafe_hash = False
    frozen = False
    match_args = True
    slots = False
    weakref_slot = False

    def __init__(self, eq: bool, kw_only: bool) -> None:
        self.eq = eq
        self.kw_only = kw_only

    __repr__ = _FrozenParams.__repr__


_MUTABLE_PARAMS = {(eq, kw): _MutableParams(eq, kw) for eq in (False, True) for kw in (False, True)}


@overload
def frozen(cls: type[_T], /) -> type[_T]: ...


@overload
def frozen(*, kw_only: bool = False) -> Callable[[type[_T]], type[_T]]: ...


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field,))
def frozen(
    cls: type[_T] | None = None, /, *, kw_only: bool = False
) -> type[_T] | Callable[[type[_T]], type[_T]]:
    """Like `@dataclass(frozen=True)` / `@dataclass(frozen=True, kw_only=True)`."""

    def wrap(cls: type[_T]) -> type[_T]:
        return _process(cls, kw_only)

    if cls is None:
        return wrap
    return wrap(cls)


@overload
def mutable(cls: type[_T], /) -> type[_T]: ...


@overload
def mutable(*, eq: bool = True, kw_only: bool = False) -> Callable[[type[_T]], type[_T]]: ...


@dataclass_transform(field_specifiers=(dataclasses.field,))
def mutable(
    cls: type[_T] | None = None, /, *, eq: bool = True, kw_only: bool = False
) -> type[_T] | Callable[[type[_T]], type[_T]]:
    """Like `@dataclass` / `@dataclass(eq=False)` / `@dataclass(kw_only=True)`, made as
    `@frozen` makes its classes (one compile per shape, methods made on first use).

    Why: ~20 classes of the commands' start-up paths are not frozen (they are filled in as
    a run goes: counters, traces, trees), and the stdlib compiled three methods for each at
    import (`__init__`, `__repr__`, `__eq__`), ~27 compiles in a `mailauth verify` or a
    `mailauth check` (issue 10, start-up). What differs from `@frozen`: `__init__` assigns
    with `self.name = value`, as the stdlib's does for a non-frozen class (so a class's own
    `__setattr__` or a property sees it); no `__setattr__`/`__delattr__`; `__hash__` is None
    when `eq` (unhashable, as the stdlib makes it) and left alone with `eq=False`, which
    also leaves `__eq__` alone (identity). `__dataclass_params__` reads `frozen=False`, so
    the stdlib's rules hold: a frozen dataclass (stdlib or `@frozen`) may not extend an
    `@mutable` class, nor an `@mutable` class a frozen one; a stdlib `@dataclass` may
    extend one. tests/unit/test_mutable.py compares it with the stdlib on a table of class
    shapes."""

    def wrap(cls: type[_T]) -> type[_T]:
        return _process(cls, kw_only, frozen=False, eq=eq)

    if cls is None:
        return wrap
    return wrap(cls)


def _process(cls: type[_T], kw_only: bool, frozen: bool = True, eq: bool = True) -> type[_T]:
    if frozen:
        _check_bases(cls)
    else:
        _check_mutable_bases(cls)
    had_doc = bool(cls.__dict__.get("__doc__"))
    if not had_doc:
        cls.__doc__ = "-"  # spares the stdlib a signature of the __init__ it does not make
    token = _PROCESSING.set(True)
    try:
        dataclasses.dataclass(cls, init=False, repr=False, eq=False, kw_only=kw_only)
    finally:
        _PROCESSING.reset(token)
    params = _PARAMS[kw_only] if frozen else _MUTABLE_PARAMS[eq, kw_only]
    setattr(cls, "__dataclass_params__", params)  # noqa: B010 - not typed on type

    all_fields: dict[str, dataclasses.Field[Any]] = cls.__dict__["__dataclass_fields__"]
    init_fields = [f for f in all_fields.values() if f._field_type in (_FIELD, _FIELD_INITVAR)]  # type: ignore[attr-defined]
    field_list = [f for f in all_fields.values() if f._field_type is _FIELD]  # type: ignore[attr-defined]

    _check_default_order(init_fields)
    if "__init__" not in cls.__dict__:
        _set(cls, "__init__", _InitOnFirstUse(cls, init_fields, frozen))
    if "__repr__" not in cls.__dict__:
        shown = [f.name for f in field_list if f.repr]
        _set(cls, "__repr__", _lazy_repr(cls, shown))

    # Decided before __eq__ is added, exactly as dataclasses._process_class does.
    class_hash = cls.__dict__.get("__hash__", dataclasses.MISSING)
    has_explicit_hash = not (
        class_hash is dataclasses.MISSING or (class_hash is None and "__eq__" in cls.__dict__)
    )
    if eq and "__eq__" not in cls.__dict__:
        _set(cls, "__eq__", _templated(cls, "__eq__", [f.name for f in field_list if f.compare]))

    if frozen:
        names = frozenset(f.name for f in field_list)
        for name, function in (
            ("__setattr__", _setattr_fn(cls, names)),
            ("__delattr__", _delattr_fn(cls, names)),
        ):
            if name in cls.__dict__:
                raise TypeError(f"Cannot overwrite attribute {name} in class {cls.__name__}")
            _set(cls, name, function)

    if not has_explicit_hash and frozen:
        hashed = [f.name for f in field_list if (f.compare if f.hash is None else f.hash)]
        _set(cls, "__hash__", _lazy_hash(cls, hashed))
    elif not has_explicit_hash and eq:  # the stdlib's "set None" for eq, not frozen
        cls.__hash__ = None  # type: ignore[assignment]

    if not had_doc:
        # The stdlib wrote the doc from the signature before our __init__ existed.
        try:
            text_sig = str(inspect.signature(cls)).replace(" -> None", "")
        except (TypeError, ValueError):  # pragma: no cover - as in dataclasses.py
            text_sig = ""
        cls.__doc__ = cls.__name__ + text_sig
    return cls


def _check_bases(cls: type) -> None:
    """The stdlib's frozen/non-frozen inheritance rules, checked before it runs."""
    has_dataclass_bases = False
    any_frozen_base = False
    for base in cls.__mro__[-1:0:-1]:
        if getattr(base, "__dataclass_fields__", None) is None:
            continue
        has_dataclass_bases = True
        params = getattr(base, "__dataclass_params__")  # noqa: B009 - not typed on type
        if isinstance(params, _FrozenParams):
            any_frozen_base = True
        elif params.frozen:
            raise TypeError(
                f"@frozen class {cls.__qualname__} cannot extend the stdlib frozen "
                f"dataclass {base.__qualname__}: decorate the base with @frozen too"
            )
    if has_dataclass_bases and not any_frozen_base:
        raise TypeError("cannot inherit frozen dataclass from a non-frozen one")


def _check_mutable_bases(cls: type) -> None:
    """The stdlib's rule for a non-frozen dataclass, checked before it runs (the stdlib
    would not see an `@frozen` base as frozen while it processes the class)."""
    for base in cls.__mro__[-1:0:-1]:
        if getattr(base, "__dataclass_fields__", None) is None:
            continue
        params = getattr(base, "__dataclass_params__")  # noqa: B009 - not typed on type
        if isinstance(params, _FrozenParams) or params.frozen:
            raise TypeError("cannot inherit non-frozen dataclass from a frozen one")


def _set(cls: type, name: str, function: Callable[..., Any]) -> None:
    function.__qualname__ = f"{cls.__qualname__}.{name}"
    function.__module__ = cls.__module__
    setattr(cls, name, function)


def _lazy_repr(cls: type, shown: list[str]) -> Callable[[Any], str]:
    """`__repr__` made at its first call: a check prints no dataclass, and making ~100 of
    them (a rename of the template each, and its `recursive_repr` wrapper) was a few ms of
    start-up (issue 10). The first call puts the stdlib's code in its place on `cls` (so a
    repr that reaches the same object again gets "...", as the stdlib's does)."""

    def __repr__(self: Any) -> str:
        real = reprlib.recursive_repr()(_templated(cls, "__repr__", shown))
        _set(cls, "__repr__", real)
        text: str = real(self)
        return text

    return __repr__


def _templated(cls: type, kind: str, names: list[str]) -> Callable[..., Any]:
    """The stdlib's generated `__eq__`/`__hash__`/`__repr__`, without compiling one per class.

    Closures over `operator.attrgetter` were 20-60 % slower per call than the stdlib's
    inline attribute loads, so the code has the stdlib's own shape: compiled once per
    (method, number of fields) with placeholder names, then given this class's attribute
    names (and, for repr, its `name=` texts) with `CodeType.replace`.
    """
    template = _TEMPLATES.get((kind, len(names)))
    if template is None:
        template = _TEMPLATES[kind, len(names)] = _template(kind, len(names))

    def rename(match: re.Match[str]) -> str:
        return names[int(match.group(1))]

    # Attribute names are whole placeholders (a dict lookup); only repr's text constants
    # ("(_dc_field_0_=") need the pattern.
    spelled = {f"_dc_field_{i}_": name for i, name in enumerate(names)}
    code = template.replace(
        co_names=tuple(spelled.get(n, n) for n in template.co_names),
        co_consts=tuple(
            _PLACEHOLDER.sub(rename, c) if isinstance(c, str) and "_dc_field_" in c else c
            for c in template.co_consts
        ),
    )
    module = sys.modules.get(cls.__module__)
    function: Callable[..., Any] = types.FunctionType(
        code, module.__dict__ if module is not None else {"__builtins__": builtins}, kind
    )
    return function


_TEMPLATES: dict[tuple[str, int], types.CodeType] = {}
_PLACEHOLDER = re.compile(r"_dc_field_([0-9]+)_")


def _template(kind: str, count: int) -> types.CodeType:
    def fields(obj: str) -> str:
        return "(" + "".join(f"{obj}._dc_field_{i}_," for i in range(count)) + ")"

    if kind == "__eq__" and sys.version_info >= (3, 13):  # field by field since 3.13
        terms = " and ".join(f"self._dc_field_{i}_==other._dc_field_{i}_" for i in range(count))
        source = (
            "def __eq__(self, other):\n"
            " if self is other:\n"
            "  return True\n"
            " if other.__class__ is self.__class__:\n"
            f"  return {terms or 'True'}\n"
            " return NotImplemented\n"
        )
    elif kind == "__eq__":
        source = (
            "def __eq__(self, other):\n"
            " if other.__class__ is self.__class__:\n"
            f"  return {fields('self')}=={fields('other')}\n"
            " return NotImplemented\n"
        )
    elif kind == "__hash__":
        source = f"def __hash__(self):\n return hash({fields('self')})\n"
    else:
        inner = ", ".join(f"_dc_field_{i}_={{self._dc_field_{i}_!r}}" for i in range(count))
        source = f'def __repr__(self):\n return self.__class__.__qualname__ + f"({inner})"\n'
    namespace: dict[str, Any] = {}
    exec(startup_cache.compiled(source), namespace)
    code: types.CodeType = namespace[kind].__code__
    return code


def _setattr_fn(cls: type, names: frozenset[str]) -> Callable[[Any, str, Any], None]:
    def __setattr__(self: Any, name: str, value: Any) -> None:
        if type(self) is cls or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)  # type: ignore[arg-type]

    return __setattr__


def _delattr_fn(cls: type, names: frozenset[str]) -> Callable[[Any, str], None]:
    def __delattr__(self: Any, name: str) -> None:
        if type(self) is cls or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)  # type: ignore[arg-type]

    return __delattr__


def _lazy_hash(cls: type, hashed: list[str]) -> Callable[[Any], int]:
    """`__hash__` made at its first call, as `_lazy_repr` makes `__repr__`: a `mailauth
    verify` of a good message hashes no instance of the 53 classes it creates (issue 10).
    (`__eq__` stays made at once: a placeholder would be one more frame on the first
    comparison, and comparing a self-containing instance must hit the recursion limit
    where the stdlib's does, or its RecursionError's message differs.)"""

    def __hash__(self: Any) -> int:
        real = _templated(cls, "__hash__", hashed)
        _set(cls, "__hash__", real)
        value: int = real(self)
        return value

    return __hash__


class _InitOnFirstUse:
    """`cls.__init__` until it is first used: then `_init_fn` compiles it and puts it on the
    class, and this answers with it.

    A `mailauth verify` of a good message instantiates 38 of the 53 classes it creates
    (issue 10, start-up), and compiling `__init__` is most of what a class costs. "Used"
    is a call (an instance is made) or anything read from it (`inspect.signature(cls)`,
    `__annotations__`, `__code__`...): every attribute the function has is the
    function's. Not a function itself, so it binds like one (`__get__`).
    """

    def __init__(self, cls: type, fields: list[dataclasses.Field[Any]], frozen: bool) -> None:
        self._cls = cls
        self._fields = fields
        self._frozen = frozen
        self._made: Callable[..., None] | None = None
        self.__name__ = "__init__"
        self.__doc__ = None

    def _make(self) -> Callable[..., None]:
        if self._made is None:
            made = _init_fn(self._cls, self._fields, self._frozen)
            _set(self._cls, "__init__", made)
            self._made = made
        return self._made

    def __get__(self, obj: object, objtype: type | None = None) -> Any:
        return self if obj is None else types.MethodType(self, obj)

    def __call__(self, *args: Any, **kwargs: Any) -> None:
        self._make()(*args, **kwargs)

    def __repr__(self) -> str:
        return repr(self._make())

    @property
    def __signature__(self) -> inspect.Signature:
        return inspect.signature(self._make())

    def __getattr__(self, name: str) -> Any:
        if name in ("_cls", "_fields", "_frozen", "_made"):  # a copy made without __init__
            raise AttributeError(name)
        return getattr(self._make(), name)


def _check_default_order(fields: list[dataclasses.Field[Any]]) -> None:
    """The stdlib's error for a positional field without a default after one with."""
    seen_default: dataclasses.Field[Any] | None = None
    for f in fields:
        if not f.init or f.kw_only:
            continue
        if not (f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING):
            seen_default = f
        elif seen_default is not None:
            named = f" {seen_default.name!r}" if sys.version_info >= (3, 13) else ""
            raise TypeError(f"non-default argument {f.name!r} follows default argument{named}")


def _init_fn(
    cls: type, fields: list[dataclasses.Field[Any]], frozen: bool = True
) -> Callable[..., None]:
    """The stdlib's `__init__` for a frozen (or, `frozen=False`, a mutable) class, compiled
    once per shape.

    The stdlib compiles one `__init__` per class (~0.15 ms; `mailauth check` makes ~100,
    issue 10). Its code depends on less than the class: the number of positional and
    keyword-only parameters, which fields are assigned how (plainly, from a default factory,
    not at all) and the `__post_init__` call. Defaults and annotations are not in the code
    but in the function (`__defaults__`, `__kwdefaults__`, `__annotations__`). So the
    stdlib's source is compiled once per such shape, with placeholder names, and each class
    gets that code with its own names (`CodeType.replace`) and its own defaults,
    annotations and closure (the factories), as `_templated` does for `__eq__`."""
    std_fields = [f for f in fields if f.init and not f.kw_only]
    kw_only_fields = [f for f in fields if f.init and f.kw_only]
    self_name = "__dataclass_self__" if any(f.name == "self" for f in fields) else "self"
    spelled = {f.name: f"_dc_field_{i}_" for i, f in enumerate(fields)}

    body: list[str] = []
    for f in fields:
        line = _field_init(f, spelled[f.name])
        if line is not None and f._field_type is not _FIELD_INITVAR:  # type: ignore[attr-defined]
            if frozen:
                body.append(f"__dataclass_setattr__({self_name},{spelled[f.name]!r},{line})")
            else:  # as the stdlib assigns a non-frozen class's fields
                body.append(f"{self_name}.{spelled[f.name]}={line}")
    if hasattr(cls, "__post_init__"):
        init_vars = ",".join(spelled[f.name] for f in fields if f._field_type is _FIELD_INITVAR)  # type: ignore[attr-defined]
        body.append(f"{self_name}.__post_init__({init_vars})")
    params = [self_name] + [spelled[f.name] for f in std_fields]
    if kw_only_fields:
        params += ["*"] + [spelled[f.name] for f in kw_only_fields]
    factories = [f for f in fields if f.default_factory is not dataclasses.MISSING]
    outer = ["__dataclass_setattr__", "_HAS_DEFAULT_FACTORY"]
    outer += [f"_dflt_{spelled[f.name]}" for f in factories]
    key = (",".join(params), "\n".join(body), ",".join(outer))
    template = _INIT_TEMPLATES.get(key)
    if template is None:
        template = _INIT_TEMPLATES[key] = _init_template(params, body, outer)

    rename = {placeholder: name for name, placeholder in spelled.items()}
    rename.update({f"_dflt_{p}": f"_dflt_{name}" for name, p in spelled.items()})
    code = template.replace(
        co_names=tuple(rename.get(n, n) for n in template.co_names),
        co_varnames=tuple(rename.get(n, n) for n in template.co_varnames),
        co_freevars=tuple(rename.get(n, n) for n in template.co_freevars),
        co_consts=tuple(rename.get(c, c) if isinstance(c, str) else c for c in template.co_consts),
    )
    cells = {
        "__dataclass_setattr__": object.__setattr__,
        "_HAS_DEFAULT_FACTORY": _HAS_DEFAULT_FACTORY,
        **{f"_dflt_{f.name}": f.default_factory for f in factories},
    }
    module = sys.modules.get(cls.__module__)
    init: Any = types.FunctionType(
        code,
        module.__dict__ if module is not None else {},
        "__init__",
        tuple(_default(f) for f in std_fields if _default(f) is not _NO_DEFAULT) or None,
        tuple(types.CellType(cells[name]) for name in code.co_freevars),
    )
    kw_defaults = {f.name: _default(f) for f in kw_only_fields if _default(f) is not _NO_DEFAULT}
    init.__kwdefaults__ = kw_defaults or None
    init.__annotations__ = {f.name: f.type for f in (*std_fields, *kw_only_fields)}
    init.__annotations__["return"] = None
    result: Callable[..., None] = init
    return result


_INIT_TEMPLATES: dict[tuple[str, str, str], types.CodeType] = {}
_NO_DEFAULT = object()


def _init_template(params: list[str], body: list[str], outer: list[str]) -> types.CodeType:
    """The code of the stdlib's `__init__` for one shape (names are placeholders): nested
    in a function of the names it closes over, as the stdlib's is, so that they are free
    variables of the code (filled per class with cells)."""
    text = "".join(f"  {line}\n" for line in body or ["pass"])
    source = (
        f"def __create_fn__({', '.join(outer)}):\n"
        f" def __init__({','.join(params)}):\n{text}"
        " return __init__"
    )
    namespace: dict[str, Any] = {}
    # compiled with dont_inherit: not this module's `from __future__ import annotations`
    # (none are written here anyway: annotations are set on the function).
    exec(startup_cache.compiled(source), {}, namespace)
    create = namespace["__create_fn__"]
    code: types.CodeType = create.__code__
    inner = next(c for c in code.co_consts if isinstance(c, types.CodeType))
    return inner


def _default(f: dataclasses.Field[Any]) -> Any:
    """What the stdlib writes as the parameter's default (`_NO_DEFAULT`: none)."""
    if f.default is not dataclasses.MISSING:
        return f.default
    if f.default_factory is not dataclasses.MISSING:
        return _HAS_DEFAULT_FACTORY
    return _NO_DEFAULT


def _field_init(f: dataclasses.Field[Any], spelled: str) -> str | None:
    """The value expression assigned to field `f` in `__init__` (None: not assigned), with
    the field spelled `spelled` in the source, as dataclasses._field_init writes it."""
    if f.default_factory is not dataclasses.MISSING:
        if f.init:
            return f"_dflt_{spelled}() if {spelled} is _HAS_DEFAULT_FACTORY else {spelled}"
        return f"_dflt_{spelled}()"
    if f.init:
        return spelled
    return None

"""Reading a small report's whole tree by its shape (`small_reader`), as `record_plan`
reads one record by its shape.

A reporter sends the same document every day but for its texts: the same elements in the
same order. What `tree_reader.read_child` does with each child of `<feedback>` in a small
document (`_small_version`, `_small_header_part`, a record by its plan) depends, but for
the texts it copies, only on the tree's shape: the elements' names and child counts in
document order, which fix the tree. So the first document of a shape is looked at once,
giving a plan: the steps those functions take, in document order (which text or tail
goes to which header field, where each record's elements are). Every document of that
shape is then read by running the steps over its texts, with no Python walk of its
elements and no name lookups. The collector and the record reader are the same as on the
walk (`Collector.emit_header` checks and builds the header, `RecordReader` the records),
so a document read by its plan leaves the collector exactly as the walk would
(tests/unit/report/test_document_plan.py compares both on every sample and on shapes
that each take a different branch).

A document with any other child (an extension, an unknown element, a header part deeper
than `_small_header_part` reads, a record shape `record_plan` does not take) has no plan
and is walked as before.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from operator import attrgetter

from mailauth.report.aggregate import SKIPPED, Collector, cached_name
from mailauth.report.record_plan import Plan, RecordReader, plan_of

MAX_PLANNED_ELEMENTS = 256  # a document of more elements is walked (its records are many)
MAX_DOCUMENT_PLANS = 256  # shapes remembered for a run (a reporter has one or two)

_TAG = attrgetter("tag")
_TEXT = attrgetter("text")

# What a step does with its element (`_steps`): the header field of `_small_header_part`
# / `_small_version`, or a record.
META, META_TAIL, ERROR, ERROR_TAIL, POLICY, POLICY_TAIL, VERSION, RECORD = range(8)
# (kind, header field or "", element position, record end, record plan, record shape)
Step = tuple[int, str, int, int, Plan | None, tuple[object, ...]]
DocumentPlan = tuple[Step, ...]

_PLANS: dict[tuple[object, ...], DocumentPlan | None] = {}


def read_planned(c: Collector, reader: RecordReader, root: ET.Element) -> bool:
    """Read the children of `root` (`<feedback>`, already started in `c`) by the plan of
    its shape; False, with nothing changed, for a document that has none."""
    planned = plan_for(root)
    if planned is None:
        return False
    elements, plan = planned
    texts: list[str | None] = list(map(_TEXT, elements))
    meta, policy, errors = c.meta, c.policy, c.errors
    for kind, field, at, end, record_plan, record_shape in plan:
        if kind == META:
            meta[field] = texts[at] or ""
        elif kind == POLICY:
            policy[field] = texts[at] or ""
        elif kind == RECORD:
            reader.read_shaped(elements[at:end], record_shape, record_plan)
        elif kind == VERSION:
            meta["version"] = (texts[at] or "").strip()
        elif kind == META_TAIL:
            meta[field] = elements[at].tail or ""
        elif kind == POLICY_TAIL:
            policy[field] = elements[at].tail or ""
        elif kind == ERROR:
            errors.append((texts[at] or "").strip())
        else:  # ERROR_TAIL
            errors.append((elements[at].tail or "").strip())
    c.text = ""
    c.full = False
    return True


def plan_for(root: ET.Element) -> tuple[list[ET.Element], DocumentPlan] | None:
    """The elements of `root` in document order and the plan of its shape, or None for
    a document that has none (also `skeleton_reader`'s way to its steps)."""
    elements = list(root.iter())
    if len(elements) > MAX_PLANNED_ELEMENTS:
        return None
    shape = (*map(_TAG, elements), *map(len, elements))
    plan = _PLANS.get(shape, _UNSEEN)
    if plan is _UNSEEN:
        plan = _steps(elements)
        if len(_PLANS) >= MAX_DOCUMENT_PLANS:
            _PLANS.clear()
        _PLANS[shape] = plan
    if plan is None:
        return None
    return elements, plan


def _steps(elements: list[ET.Element]) -> DocumentPlan | None:
    """The steps `read_child` takes for each child of the root `elements[0]` (of a small
    document, `_small_header_part`'s and `_small_version`'s rules), or None when one of
    them would not be read by those or by a record plan."""
    steps: list[Step] = []
    at = 1  # the position of the next child of the root in `elements` (document order)
    for child in elements[0]:
        if not isinstance(child.tag, str):
            return None
        size = sum(1 for _ in child.iter())
        name = cached_name(child.tag)
        if name == "record":
            record = elements[at : at + size]
            shape = (*map(_TAG, record), *map(len, record))
            plan = plan_of(shape, record)
            if plan is None:
                return None
            steps.append((RECORD, "", at, at + size, plan, shape))
        elif name == "report_metadata" or name == "policy_published":
            part = _part_steps(child, name, at)
            if part is None:
                return None
            steps += part
        elif name == "version" and not len(child):
            steps.append((VERSION, "", at, 0, None, ()))
        else:
            return None
        at += size
    return tuple(steps)


def _part_steps(top: ET.Element, section: str, at: int) -> list[Step] | None:
    """`_small_header_part`'s reading of `top` (at position `at`) as steps."""
    metadata = section == "report_metadata"
    steps: list[Step] = []
    position = at + 1
    for child in top:
        n = cached_name(child.tag)
        if n in SKIPPED:
            return None
        if not len(child):
            steps += _field(metadata, n, position, tail=False)
            position += 1
            continue
        last = position
        for leaf in child:
            last += 1
            m = cached_name(leaf.tag)
            if m in SKIPPED or len(leaf):
                return None
            if metadata:  # (depth 4 of policy_published is not read, only checked)
                steps += _field(metadata, m, last, tail=False)
        steps += _field(metadata, n, last, tail=True)  # its text after its last leaf
        position = last + 1
    return steps


def _field(metadata: bool, name: str, at: int, *, tail: bool) -> list[Step]:
    """The step that puts one text (or tail) where `_small_header_part` puts it."""
    if not metadata:
        return [(POLICY_TAIL if tail else POLICY, name, at, 0, None, ())]
    if name == "error":
        return [(ERROR_TAIL if tail else ERROR, "", at, 0, None, ())]
    if name == "date_range":
        return []
    return [(META_TAIL if tail else META, name, at, 0, None, ())]


_UNSEEN: DocumentPlan = ((-1, "", 0, 0, None, ()),)  # a marker: no plan made yet

"""Reading a finished `<record>` tree by its shape, for the C tree reader (`tree_reader`).

A report's records nearly all have one shape (the same elements in the same order) and a
handful of outcomes (the same texts but for the source IP and the count). So the first
record of a shape is walked in Python once, which gives a plan: the position, in the
record's elements in document order, of each field and auth result. Every record is
then read with a few calls that run in C (its elements, their tags, their child counts,
their texts); its shape (tags and child counts in document order, which fix the tree) is
looked up, and its texts but the source IP and the count are looked up among the
outcomes this report already produced. A hit is a new `Record` with this record's IP and
count and the earlier record's outcome; the collector found and noted the outcome's
defects when it built it the first time (notes are kept once each). A miss goes through
the collector exactly as before and teaches the outcome.

What the plan accepts is what `_TreeReader`'s walk accepted before it: `<row>` and
`<identifiers>` of plain leaves (and `<policy_evaluated>` of plain leaves in `<row>`),
`<auth_results>` of `<dkim>`/`<spf>` of plain leaves. Any other shape is replayed
through the collector as the streaming parser would read it.
"""

from __future__ import annotations

import functools
import xml.etree.ElementTree as ET
from operator import attrgetter

from mailauth.frozen import frozen
from mailauth.report.aggregate import RECORD_SPECIAL, SKIPPED, Collector, local_name
from mailauth.report.model import Record

MAX_SHAPES = 64  # shapes remembered per report (a report has one or two)
MAX_SHAPE_ELEMENTS = 256  # ... each of at most this many elements (a record has ~20)
MAX_OUTCOMES = 1024  # outcomes remembered per report
MAX_KEY_CHARS = 2048  # ... only those whose texts are short (memory stays bounded)

_TAG = attrgetter("tag")
# `Record(ip, count, *outcome)` built in C: a NamedTuple's own __new__ is a Python function.
_record = functools.partial(tuple.__new__, Record)
_TEXT = attrgetter("text")

Fields = tuple[tuple[str, int], ...]  # (field name, element position), in document order


@frozen
class Plan:
    """Where each field of a record of one shape is (`plan_of`)."""

    fields: Fields
    auths: tuple[tuple[str, Fields], ...]  # ("dkim" | "spf", its fields)
    ip: int | None  # the position of the source IP's text (the last one, as a dict keeps)
    count: int | None


Outcomes = dict[tuple[str | None, ...], tuple[object, ...]]

# Plans by shape, shared by every report of a run: a plan is a function of the shape
# alone (positions in a tree the shape fixes), so a single-record report, the common
# small-domain case, need not walk its record in Python to make a plan it uses once.
# The outcomes a plan learns are the report's own (`RecordReader`): its notes are.
_PLANS: dict[tuple[object, ...], Plan | None] = {}
MAX_PLANS = 256
# Outcomes that made no defect (so no note), shared by the reports of a run in the same
# way, keyed by the root's namespace (the RFC 9990 checks), the shape and the texts but
# the IP and the count: a single-record report's record need not go through the
# collector when an earlier report had the same outcome. An outcome with a defect stays
# the report's own, so each report still notes it.
_CLEAN: dict[tuple[object, ...], tuple[object, ...]] = {}
MAX_CLEAN = 1024  # (each key at most MAX_KEY_CHARS: memory stays bounded)


def plan_of(shape: tuple[object, ...], elements: list[ET.Element]) -> Plan | None:
    """The plan of `shape` (made from `elements`, a record of that shape, once)."""
    plan = _PLANS.get(shape, _UNSEEN)
    if plan is _UNSEEN:
        plan = _plan(elements)
        if len(elements) <= MAX_SHAPE_ELEMENTS:
            if len(_PLANS) >= MAX_PLANS:
                _PLANS.clear()
            _PLANS[shape] = plan
    return plan


class RecordReader:
    """Reads records into the collector; `read` is False for a shape it does not take."""

    def __init__(self, collector: Collector) -> None:
        # Nothing here may point back at the tree reader (a bound method would): the
        # reader, its parser and its tree would then be a cycle, freed only by the cyclic
        # GC, which an import runs seldom (ingest._fewer_collections).
        self.collector = collector
        self.plans: dict[tuple[object, ...], tuple[Plan | None, Outcomes]] = {}
        self.outcomes = 0

    def read(self, record: ET.Element) -> bool:
        elements = list(record.iter())
        shape = (*map(_TAG, elements), *map(len, elements))
        known = self.plans.get(shape)
        if known is None:
            known = (plan_of(shape, elements), {})
            if len(self.plans) < MAX_SHAPES and len(elements) <= MAX_SHAPE_ELEMENTS:
                self.plans[shape] = known
        plan, outcomes = known
        if plan is None:
            return False
        return self._read(list(map(_TEXT, elements)), shape, plan, outcomes)

    def read_shaped(
        self, elements: list[ET.Element], shape: tuple[object, ...], plan: Plan | None
    ) -> bool:
        """`read` of a record whose elements, shape and plan (`plan_of(shape, ...)`) the
        caller knows already (`document_plan`)."""
        if plan is None:
            return False
        return self.read_texts(list(map(_TEXT, elements)), shape, plan)

    def read_texts(
        self, texts: list[str | None], shape: tuple[object, ...], plan: Plan | None
    ) -> bool:
        """`read_shaped` of a record given by the texts of its elements in document order
        ("" or None for none: `skeleton_reader`)."""
        if plan is None:
            return False
        known = self.plans.get(shape)
        if known is None:
            known = (plan, {})
            if len(self.plans) < MAX_SHAPES and len(texts) <= MAX_SHAPE_ELEMENTS:
                self.plans[shape] = known
        return self._read(texts, shape, plan, known[1])

    def _read(
        self,
        texts: list[str | None],
        shape: tuple[object, ...],
        plan: Plan,
        outcomes: Outcomes,
    ) -> bool:
        ip_at, count_at = plan.ip, plan.count
        key: tuple[str | None, ...] | None = None
        if ip_at is not None and count_at is not None:
            ip_text, count_text = texts[ip_at], texts[count_at]
            texts[ip_at] = texts[count_at] = None
            key = tuple(texts)
            outcome = outcomes.get(key)
            shared = False
            if outcome is None:
                outcome = _CLEAN.get((self.collector.namespace, shape, key))
                shared = True
            if outcome is not None and ip_text and count_text:
                ip = ip_text.strip()
                try:
                    count = int(count_text)
                except ValueError:
                    ip = ""
                if ip:
                    c = self.collector
                    if shared:
                        c.emit_header()  # (the first record of the report emits it)
                    c.records += 1
                    c.ready.append(_record((ip, count, *outcome)))
                    return True
            texts[ip_at], texts[count_at] = ip_text, count_text
        self._collect(plan, outcomes, texts, key, shape)
        return True

    def _collect(
        self,
        plan: Plan,
        outcomes: Outcomes,
        texts: list[str | None],
        key: tuple[str | None, ...] | None,
        shape: tuple[object, ...],
    ) -> None:
        """The record through the collector (its checks, notes and words), and its
        outcome remembered for the records after it."""
        c = self.collector
        c.emit_header()
        defects = c.defects  # this record's own, from here (its auths, then the rest)
        c.rec = {name: texts[at] or "" for name, at in plan.fields}
        c.reasons, c.dkim, c.spf = [], [], []
        for kind, fields in plan.auths:
            c.add_auth(kind, {name: texts[at] or "" for name, at in fields})
        before = len(c.ready)
        c.emit_record()
        if (
            key is not None
            and len(c.ready) > before
            and self.outcomes < MAX_OUTCOMES
            and sum(len(t) for t in key if t) <= MAX_KEY_CHARS
        ):
            record = c.ready[-1]
            assert isinstance(record, Record)
            outcomes[key] = record[2:]
            self.outcomes += 1
            if c.defects == defects:
                if len(_CLEAN) >= MAX_CLEAN:
                    _CLEAN.clear()
                _CLEAN[(c.namespace, shape, key)] = record[2:]


def _plan(elements: list[ET.Element]) -> Plan | None:
    """Where each field of this shape is, or None for a shape the plan does not take."""
    at = {id(e): i for i, e in enumerate(elements)}
    fields: list[tuple[str, int]] = []
    auths: list[tuple[str, Fields]] = []
    for part in elements[0]:
        kind = name(part.tag)
        if kind == "row" or kind == "identifiers":
            for leaf in part:
                n = plain(leaf.tag)
                if n and not len(leaf):
                    fields.append((n, at[id(leaf)]))
                elif not n and name(leaf.tag) == "policy_evaluated":
                    for sub in leaf:
                        m = plain(sub.tag)
                        if not m or len(sub):
                            return None
                        fields.append((m, at[id(sub)]))
                else:
                    return None
        elif kind == "auth_results":
            for result in part:
                kind = name(result.tag)
                if kind != "dkim" and kind != "spf":
                    return None
                auth: list[tuple[str, int]] = []
                for leaf in result:
                    n = plain(leaf.tag)
                    if not n or len(leaf):
                        return None
                    auth.append((n, at[id(leaf)]))
                auths.append((kind, tuple(auth)))
        else:
            return None
    where = dict(fields)
    return Plan(tuple(fields), tuple(auths), where.get("source_ip"), where.get("count"))


_UNSEEN = Plan((), (), None, None)  # a marker: this shape has no plan yet
# Names that are not a plain field of a record: they take the collector's own rules.
NOT_PLAIN = RECORD_SPECIAL | SKIPPED


def name(tag: str) -> str:
    return local_name(tag)


def plain(tag: str) -> str:
    """The local name of a leaf that is a plain field ("" for any other name)."""
    n = local_name(tag)
    return "" if n in NOT_PLAIN else n

"""A small report read by the plan of its shape (`report/document_plan.py`) gives exactly
the events and notes of the walk over its children (`tree_reader.read_child`), the first
time a shape is met (the plan is made) and every time after (the plan is reused), on
the samples, the odd shapes of the tree reader's tests, random structural edits, and a
shape for each branch of the plan; and shapes the walk reads otherwise get no plan."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest
from tests.support import dmarc_gen as gen
from tests.unit.report.test_small_reader import ZERO_RECORDS, _edited, _variants
from tests.unit.report.test_tree_reader import GOOD, ODD_HEADERS, ODD_RECORDS, _samples

from mailauth.report import document_plan, skeleton_reader, small_reader
from mailauth.report.aggregate import ReportError
from mailauth.report.model import Note, Record, ReportHeader

Outcome = tuple[list[ReportHeader | Record], list[Note]] | tuple[str, str] | None

TWO = gen.aggregate_xml("a.example", "two", gen.DOMAIN, gen.START, [(gen.OWN_MTA, 2)] * 2)
# One document per branch of the plan (each an edit of GOOD, or a whole document).
BRANCHES: dict[str, bytes] = {
    "as generated": GOOD,
    "two records": TWO,
    "no records": ZERO_RECORDS,
    "error as a leaf": GOOD.replace(b"<generator>", b"<error> e1 </error><generator>"),
    "error inside date_range": GOOD.replace(b"</date_range>", b"<error>e2</error></date_range>"),
    "error with leaves": GOOD.replace(b"<generator>", b"<error>x<a>y</a> t </error><generator>"),
    "nested metadata part": GOOD.replace(b"<generator>", b"<g2><a>1</a>tail</g2><generator>"),
    "date_range leaf": GOOD.replace(b"<date_range>", b"<date_range>x</date_range><date_range>"),
    "nested policy part": GOOD.replace(b"<p>none</p>", b"<p>none</p><q><p>reject</p> t </q>"),
    "tails and spaces": _edited(ODD_HEADERS["tails and spaces"]),
    "version after the header": GOOD.replace(b"<version>1.0</version>", b"").replace(
        b"</policy_published>", b"</policy_published><version> 2.0 </version>"
    ),
    "version twice": GOOD.replace(b"</policy_published>", b"</policy_published><version/>"),
    "header after a record": GOOD.replace(
        b"</feedback>", b"<policy_published><p>reject</p></policy_published></feedback>"
    ),
    "metadata twice": GOOD.replace(
        b"</feedback>", b"<report_metadata><org_name>b</org_name></report_metadata></feedback>"
    ),
    "empty texts": GOOD.replace(b"<p>none</p>", b"<p/>").replace(b"<sp>none</sp>", b"<sp></sp>"),
    "a field twice in a part": GOOD.replace(b"<p>none</p>", b"<p>none</p><p>reject</p>").replace(
        b"<generator>", b"<report_id>r2</report_id><generator>"
    ),
    "an empty begin": GOOD.replace(b"<begin>1767225600</begin>", b"<begin/>"),
    "a lone field in a part": GOOD.replace(b"<sp>none</sp>", b"<p>none</p>"),
    # walked, no plan:
    "version with a child": GOOD.replace(b"<version>1.0</version>", b"<version><a/></version>"),
    "extension at the top": GOOD.replace(
        b"</feedback>", b"<extensions><x>1</x></extensions></feedback>"
    ),
    "unknown at the top": GOOD.replace(b"</feedback>", b"<other>1</other></feedback>"),
    "skipped in metadata": GOOD.replace(b"<generator>", b"<extension/><generator>"),
    "skipped in policy": GOOD.replace(b"<p>none</p>", b"<p>none</p><schema/>"),
    "too deep in metadata": GOOD.replace(b"<begin>", b"<begin><a/>"),
    "too deep in policy": GOOD.replace(b"<p>none</p>", b"<q><a><b/></a></q><p>none</p>"),
    "record shape without a plan": _edited(ODD_RECORDS["extensions in a record"]),
}
WALKED = {
    "version with a child",
    "extension at the top",
    "unknown at the top",
    "skipped in metadata",
    "skipped in policy",
    "too deep in metadata",
    "too deep in policy",
    "record shape without a plan",
}


@pytest.fixture(autouse=True)
def _no_skeletons(monkeypatch: pytest.MonkeyPatch) -> None:
    """The plans are compared here; a skeleton (`skeleton_reader`, compared with them in
    its own test) would read a document without them."""
    monkeypatch.setattr(skeleton_reader, "split", lambda body: None)
    monkeypatch.setattr(skeleton_reader, "read_compiled", lambda body, notes: None)


def _read(data: bytes) -> Outcome:
    notes: list[Note] = []
    try:
        events = small_reader.read_small(data, notes)
    except ReportError as exc:
        return exc.key, exc.value
    return None if events is None else (events, notes)


def _walked(data: bytes, monkeypatch: pytest.MonkeyPatch) -> Outcome:
    with monkeypatch.context() as m:
        m.setattr(small_reader, "read_planned", lambda *args: False)
        return _read(data)


def _agree(data: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    document_plan._PLANS.clear()
    walked = _walked(data, monkeypatch)
    assert _read(data) == walked  # the plan made
    assert _read(data) == walked  # the plan reused


@pytest.mark.parametrize("case", sorted(BRANCHES))
def test_each_branch_reads_as_the_walk(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    data = BRANCHES[case]
    assert _walked(data, monkeypatch) is not None  # (a small document, read whole)
    _agree(data, monkeypatch)


@pytest.mark.parametrize("case", sorted(BRANCHES))
def test_a_plan_exactly_for_the_shapes_it_reads(case: str) -> None:
    document_plan._PLANS.clear()
    _read(BRANCHES[case])
    plans = list(document_plan._PLANS.values())
    if case in WALKED:
        assert plans == [None]
    else:
        assert len(plans) == 1 and plans[0] is not None


def _documents() -> Iterator[bytes]:
    yield from (data for _name, data in _samples())
    yield from (_edited(edits) for edits in ODD_RECORDS.values())
    yield from (_edited(edits) for edits in ODD_HEADERS.values())
    yield from _variants()
    rng = random.Random(7)  # texts edited: same shape, other texts (the plan reused)
    words = [b"", b" ", b" x ", b"Pass", b"\n\t", b"1", b"abc&amp;d", b"\xc3\xa9"]
    for _ in range(200):
        data = GOOD
        for old in (b">none<", b">pass<", b">1.0<", b">g-1<", b">s1<", b">10<", b"generator<"):
            if rng.random() < 0.4:
                data = data.replace(old, b">" + rng.choice(words) + old[-1:], 1)
        yield data


def test_every_document_reads_as_the_walk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Across the corpus the plans stay (one per shape), so most documents are read by
    a plan made from another document of their shape."""
    document_plan._PLANS.clear()
    planned = 0
    for data in _documents():
        walked = _walked(data, monkeypatch)
        assert _read(data) == walked
        planned += walked is not None
    assert planned > 300
    assert sum(plan is not None for plan in document_plan._PLANS.values()) > 20


def test_plans_stay_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(document_plan, "MAX_DOCUMENT_PLANS", 3)
    document_plan._PLANS.clear()
    for case in sorted(BRANCHES):
        _read(BRANCHES[case])
        assert len(document_plan._PLANS) <= 3


def test_a_big_document_is_walked() -> None:
    document_plan._PLANS.clear()
    many = gen.aggregate_xml("a.example", "m", gen.DOMAIN, gen.START, [(gen.OWN_MTA, 1)] * 20)
    assert _read(many) is not None
    assert document_plan._PLANS == {}  # (over MAX_PLANNED_ELEMENTS: no shape kept)

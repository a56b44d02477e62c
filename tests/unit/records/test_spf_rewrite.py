"""The SPF fix builders are pure functions of parsed records, beside the DMARC ones."""

from __future__ import annotations

from mailauth.records.spf import parse_spf
from mailauth.records.spf_rewrite import append_all, merge_records, replace_terms


def test_replace_terms_changes_only_the_occurrence_named() -> None:
    record = parse_spf("v=spf1  a ?all  a")
    first_a, neutral = record.mechanisms[0], record.mechanisms[1]
    assert replace_terms(record, [(neutral, "~all"), (first_a, None)]) == "v=spf1 ~all a"


def test_append_all_keeps_the_record_as_written() -> None:
    assert append_all(parse_spf("v=spf1 MX include:_spf.example.com ")) == (
        "v=spf1 MX include:_spf.example.com ~all"
    )


def test_merge_keeps_each_mechanism_once_and_never_proposes_plus_all() -> None:
    merged = merge_records(("v=spf1 mx +all", "v=spf1 MX:Example.com. mx:example.com -all foo=x"))
    assert merged == "v=spf1 mx MX:Example.com. -all foo=x"
    assert merge_records(("v=spf1 redirect=a.example", "v=spf1 -all")) is None

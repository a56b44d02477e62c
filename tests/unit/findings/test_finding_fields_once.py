"""`finding()` checks that every parameter a catalogue entry's templates name is given; the
names are read once per entry (issue 10). They must be what parsing the templates gives,
every time, and a missing one must still fail loudly, the first time and the next."""

from __future__ import annotations

import string

import pytest

from mailauth.findings.catalogue import CATALOGUE, _fields, finding


def parsed(*templates: str) -> set[str]:
    names = set()
    for template in templates:
        for _, name, _, _ in string.Formatter().parse(template):
            if name:
                names.add(name.split(".")[0].split("[")[0])
    return names


def test_remembered_names_are_the_templates_names_for_every_entry() -> None:
    for entry in CATALOGUE.values():
        expected = parsed(entry.title, entry.detail, entry.consequence, entry.fix)
        assert _fields(entry) == expected, entry.id
        assert _fields(entry) == expected, entry.id  # the remembered answer


def test_a_missing_parameter_fails_every_time() -> None:
    for _ in range(2):
        with pytest.raises(KeyError, match="needs params"):
            finding("msg_unsub.not-signed", headers="List-Unsubscribe")
    made = finding("msg_unsub.not-signed", headers="List-Unsubscribe", from_domain="x.example")
    assert made.params == {"headers": "List-Unsubscribe", "from_domain": "x.example"}

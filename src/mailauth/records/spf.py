"""SPF record parser (RFC 7208 §4.5, §4.6, §5, §6, §7, ABNF in §12). Pure, no I/O.

`parse_spf(text)` never raises: whatever the text, it returns an `SpfRecord` with the terms
it could read, in order, and a list of `SpfProblem`s. A problem of level ERROR is one
for which RFC 7208 makes check_host() return permerror (§4.6: "If there are any syntax
errors anywhere in the record, check_host() returns immediately with the result
"permerror""); a WARNING is valid syntax that does not do what its author meant.
Problem codes (`SpfCode`) are stable identifiers; their words are in the UI catalogue
(`SpfProblem.phrase()`). One term's grammar is `mailauth.records.spf_terms`; this module
holds the rules about the record as a whole.
"""

from __future__ import annotations

from dataclasses import field

from mailauth.frozen import frozen
from mailauth.records.spf_problems import Level, SpfCode, SpfDetail, SpfProblem
from mailauth.records.spf_terms import (
    LOOKUP_MECHANISMS,
    MECHANISMS,
    Mechanism,
    Modifier,
    Qualifier,
    Term,
    parse_term,
)

__all__ = [
    "LOOKUP_MECHANISMS",
    "MECHANISMS",
    "VERSION",
    "Level",
    "Mechanism",
    "Modifier",
    "Qualifier",
    "SpfCode",
    "SpfDetail",
    "SpfProblem",
    "SpfRecord",
    "Term",
    "is_spf_text",
    "parse_spf",
]

VERSION = "v=spf1"


@frozen
class SpfRecord:
    """A parsed record: every term in order, plus the problems found."""

    text: str
    is_spf: bool
    terms: tuple[Term, ...] = ()
    problems: tuple[SpfProblem, ...] = field(default_factory=tuple)

    @property
    def errors(self) -> tuple[SpfProblem, ...]:
        return tuple(p for p in self.problems if p.level is Level.ERROR)

    @property
    def warnings(self) -> tuple[SpfProblem, ...]:
        return tuple(p for p in self.problems if p.level is Level.WARNING)

    @property
    def valid(self) -> bool:
        return self.is_spf and not self.errors

    @property
    def mechanisms(self) -> tuple[Mechanism, ...]:
        return tuple(t for t in self.terms if isinstance(t, Mechanism))

    @property
    def all(self) -> Mechanism | None:
        """The first `all`: evaluation never goes past it (§5.1)."""
        return next((m for m in self.mechanisms if m.name == "all"), None)

    @property
    def evaluated_mechanisms(self) -> tuple[Mechanism, ...]:
        """Mechanisms up to and including the first `all`; later ones are never reached."""
        out: list[Mechanism] = []
        for m in self.mechanisms:
            out.append(m)
            if m.name == "all":
                break
        return tuple(out)

    def modifier(self, name: str) -> Modifier | None:
        return next((t for t in self.terms if isinstance(t, Modifier) and t.name == name), None)

    @property
    def redirect(self) -> Modifier | None:
        """The redirect that takes effect: §6.1 ignores it when the record has `all`."""
        return None if self.all is not None else self.modifier("redirect")

    @property
    def exp(self) -> Modifier | None:
        return self.modifier("exp")


def is_spf_text(text: str) -> bool:
    """§4.5: a record is SPF when it is "v=spf1" (case-insensitive) alone or followed
    by a space; "v=spf10" is not."""
    head = text[: len(VERSION) + 1].lower()
    return head == VERSION or head == VERSION + " "


def parse_spf(text: str) -> SpfRecord:
    """Parse one SPF record (the TXT character-strings already joined)."""
    try:
        return _parse(text)
    except Exception as exc:  # pragma: no cover - defensive: the contract is "never raises"
        problem = SpfProblem(SpfCode.INTERNAL, text, repr(exc))
        return SpfRecord(text, is_spf_text(text), (), (problem,))


def _parse(text: str) -> SpfRecord:
    if not is_spf_text(text):
        return SpfRecord(text, False, (), (SpfProblem(SpfCode.NOT_SPF, ""),))
    problems: list[SpfProblem] = []
    terms: list[Term] = []
    # §4.6.1: terms are separated by one or more SP (only %x20); a trailing SP is allowed.
    for raw in text[len(VERSION) :].split(" "):
        if raw:
            term = parse_term(raw, problems)
            if term is not None:
                terms.append(term)
    _record_rules(terms, problems)
    return SpfRecord(text, True, tuple(terms), tuple(problems))


def _record_rules(terms: list[Term], problems: list[SpfProblem]) -> None:
    """Rules about the record as a whole (§5.1, §6)."""
    for name in ("redirect", "exp"):
        found = [t for t in terms if isinstance(t, Modifier) and t.name == name]
        if len(found) > 1:  # §6: "MUST NOT appear in a record more than once each"
            problems.append(SpfProblem(SpfCode.DUPLICATE_MODIFIER, found[1].text, str(len(found))))
    mechs = [t for t in terms if isinstance(t, Mechanism)]
    first_all = next((i for i, m in enumerate(mechs) if m.name == "all"), None)
    if first_all is not None:
        after = mechs[first_all + 1 :]
        if after:  # §5.1: mechanisms after "all" will never be tested
            problems.append(SpfProblem(SpfCode.TERMS_AFTER_ALL, " ".join(m.text for m in after)))
        redirect = next(
            (t for t in terms if isinstance(t, Modifier) and t.name == "redirect"), None
        )
        if redirect is not None:  # §6.1: redirect is ignored when there is an "all"
            problems.append(SpfProblem(SpfCode.REDIRECT_IGNORED, redirect.text))

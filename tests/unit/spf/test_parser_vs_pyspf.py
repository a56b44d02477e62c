"""Differential test of the SPF term grammar: our parser against pyspf's.

Every term, valid or not, decides whether check_host() returns permerror (RFC 7208 §4.6: "If
there are any syntax errors anywhere in the record, check_host() returns immediately with
the result "permerror""), and `spf.syntax-error` tells the admin every receiver will. So
each random term is put after `-all` (`v=spf1 -all TERM`: pyspf reads every term before it
evaluates any, then stops at `-all`) and pyspf, run through `verify`'s bridge, must say
`fail` exactly when our parser finds no error.

Where they differ, RFC 7208 decides, and each difference is one of these (`_explained`):

- A macro-string that is not one (§7.1): an unclosed `%{`, `%{d0}` (§7.3: "If a DIGIT is
  specified, the value MUST be nonzero"), or any bad macro in an unknown modifier's value
  (§6: `unknown-modifier = name "=" macro-string`). pyspf's check catches only a `%` followed
  by a character that cannot start a macro, and does not check unknown modifiers at all.
- A qualified `exists` with no domain (`~exists`): §5.7 requires one; pyspf looks for the
  bare word "exists" before removing the qualifier and takes the current domain.
- A domain-spec ending in `%%`: §7.1 lets domain-end be any macro-expand, and `%%` is one;
  pyspf's invalid-macro pattern rejects a `%` at the end of the string.
- A literal target with an empty label or one over 63 octets (`a:.com`, `a:foo..example`):
  valid domain-spec syntax but not a domain name. The RFC 7208 suite leaves the result open
  (tests invalid-domain-empty-label / invalid-domain-long: "fail or permerror"); pyspf treats
  the term as not matching, our parser reports it, because the term can never match.
- `include:%{D}` and the like: a valid term that names the record's own domain, which
  pyspf rejects as "trivial recursion" (domain mode reports the loop, `spf.include-loop`).
"""

from __future__ import annotations

import asyncio
import os
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mailauth.dns.memory import MemorySource
from mailauth.i18n import label
from mailauth.message.spf import SpfIdentity, evaluate_spf
from mailauth.records.spf import SpfProblem, parse_spf
from mailauth.records.spf_terms import Mechanism, parse_term

_PIECES = [
    *["example", "com", ".", ".", "-", "123", "x_y", "a", "1.2.3.4", "::1", "2001:db8::"],
    *["%{d}", "%{i}", "%{ir}", "%{d2r}", "%{l-}", "%{s}", "%{v}", "%{h}", "%{p}", "%{o}"],
    *["%{dR}", "%{D}", "%{x}", "%{c}", "%{d0}", "%%", "%_", "%-", "%", "%{", "}", "{"],
    *["/", "24", "0", "33", "//", "64", "129", "007", ":", "=", "+", "_", "~"],
    *['"', "\\", "é", "\x00", "\t", "A" * 64, ""],
]
_NAMES = ["a", "mx", "ptr", "exists", "include", "ip4", "ip6", "all", "A", "Include", "bogus"]
_MODIFIERS = ["redirect=", "exp=", "foo=", "x.y=", "v="]


@st.composite
def terms(draw: st.DrawFn) -> str:
    body = "".join(draw(st.lists(st.sampled_from(_PIECES), max_size=6)))
    if draw(st.booleans()):
        return draw(st.sampled_from(_MODIFIERS)) + body
    qualifier = draw(st.sampled_from(["", "", "+", "-", "~", "?"]))
    separator = draw(st.sampled_from([":", ":", "", "/"]))
    return qualifier + draw(st.sampled_from(_NAMES)) + separator + body


def _pyspf(record: str) -> tuple[str, str]:
    dns = MemorySource({"d.example": {"TXT": [record]}})
    identity = SpfIdentity("192.0.2.1", "h.example", "x@d.example")
    outcome = asyncio.run(evaluate_spf(dns, identity, timeout=5))
    code = outcome.problem_code.value if outcome.problem_code is not None else ""
    return outcome.result.value, f"{code}: {outcome.problem}"


def _english(problem: SpfProblem) -> str:
    phrase = problem.phrase()
    return label(phrase.key, "en", **phrase.params)


def _explained(term: str, ours_valid: bool, pyspf_problem: str) -> bool:
    """Whether a disagreement is one of the differences listed in the module docstring."""
    parsed = parse_term(term, problems := [])
    codes = {p.code for p in problems}
    if not ours_valid:
        if codes == {"bad-macro"}:
            return True
        if term.lstrip("+-~?").lower() == "exists":
            return True
        return any("is not a valid domain name" in _english(p) for p in problems)
    if pyspf_problem.startswith("bad-macro:"):  # pyspf's invalid-macro-char
        return re.sub(r"(/[0-9]+)?(//[0-9]+)?\Z", "", term).endswith("%%")
    if pyspf_problem.startswith("include-self:"):  # pyspf's "trivial recursion"
        return isinstance(parsed, Mechanism) and parsed.name == "include"
    return False


@settings(
    max_examples=int(os.environ.get("MAILAUTH_DIFFERENTIAL_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(terms())
def test_term_validity_agrees_with_pyspf(term: str) -> None:
    record = "v=spf1 -all " + term
    ours = parse_spf(record)
    word, problem = _pyspf(record)
    assert word in ("fail", "permerror"), (term, word, problem)
    if ours.valid != (word == "fail"):
        errors = [(p.code, _english(p)) for p in ours.errors]
        assert _explained(term, ours.valid, problem), (term, word, problem, errors)

"""SPF macro strings (RFC 7208 §7): parse, validate and expand.

Kept apart from the record parser because two callers need it on its own: the record
parser validates every domain-spec and unknown-modifier value, and the domain-mode walker
expands the macros it can know without a client (`%{d}` and `%{o}`) so that
`include:%{d}._spf.example` can still be followed and counted.

Pure and total: `parse_macro_string` never raises; problems come back as `Problem`s whose
words are the UI catalogue's `spf-macro-problem.<code>`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import Enum
from urllib.parse import quote

from mailauth.frozen import frozen
from mailauth.records.problem import Problem

# RFC 7208 §7.1: macro-letter = "s" / "l" / "o" / "d" / "i" / "p" / "h" / "c" / "r" / "t" / "v"
MACRO_LETTERS = frozenset("slodiphcrtv")
# §7.1: "The following macro letters are allowed only in "exp" text: c r t".
EXP_ONLY_LETTERS = frozenset("crt")
# §7.1: delimiter = "." / "-" / "+" / "," / "/" / "_" / "="
DELIMITERS = frozenset(".-+,/_=")

_EXPAND = re.compile(r"%\{([A-Za-z])([0-9]*)([rR]?)([^}]*)\}")
MAX_DOMAIN_LENGTH = 253


class MacroProblem(str, Enum):
    """What can be wrong in a macro-string (§7.1). `subject` is the macro as written
    (`%{d0}`) when the problem is inside one; `value` the offending text."""

    BAD_CHARACTER = "bad-character"  # value: a character outside %x21-7E (%x20-7E in exp)
    BAD_PERCENT = "bad-percent"  # value: the 1-based position of a '%' that starts nothing
    UNKNOWN_LETTER = "unknown-letter"
    EXP_ONLY_LETTER = "exp-only-letter"  # c, r, t outside exp= text
    BAD_DELIMITER = "bad-delimiter"  # value: the characters that are not delimiters
    ZERO_PARTS = "zero-parts"  # %{d0}: §7.3 wants a nonzero number of parts


@frozen
class Literal:
    """Literal text. The escapes `%%` (→ "%"), `%_` (→ " ") and `%-` (→ "%20") are one
    Literal each with `escape=True`: the ABNF counts them as macro-expands (domain-end)."""

    text: str
    escape: bool = False


@frozen
class Macro:
    """`%{letter digits r delimiters}`; an upper-case letter asks for URL escaping (§7.3)."""

    letter: str  # lower-case
    digits: int | None
    reverse: bool
    delimiters: str
    url_escape: bool
    source: str

    def expand(self, value: str) -> str:
        """§7.3: split on the delimiters (default "."), optionally reverse, keep the
        right-most `digits` parts, join with "."; URL-escape for an upper-case letter."""
        delims = self.delimiters or "."
        parts = re.split("[" + re.escape(delims) + "]", value)
        if self.reverse:
            parts.reverse()
        if self.digits is not None and self.digits < len(parts):
            parts = parts[len(parts) - self.digits :]
        out = ".".join(parts)
        if self.url_escape:
            out = quote(out, safe="-._~")
        return out


Token = Literal | Macro


@frozen
class MacroString:
    """A parsed macro-string: its tokens and any syntax problems (empty when valid)."""

    text: str
    tokens: tuple[Token, ...]
    errors: tuple[Problem[MacroProblem], ...]

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def macros(self) -> tuple[Macro, ...]:
        return tuple(t for t in self.tokens if isinstance(t, Macro))

    @property
    def has_macros(self) -> bool:
        return bool(self.macros)

    @property
    def letters(self) -> frozenset[str]:
        return frozenset(m.letter for m in self.macros)

    def expand(self, values: Mapping[str, str]) -> str | None:
        """The expanded text, or None when the string is invalid or needs a letter that
        `values` does not give (e.g. `%{i}` in domain mode)."""
        if self.errors:
            return None
        out: list[str] = []
        for tok in self.tokens:
            if isinstance(tok, Literal):
                out.append(tok.text)
                continue
            value = values.get(tok.letter)
            if value is None:
                return None
            out.append(tok.expand(value))
        return "".join(out)


def parse_macro_string(text: str, *, exp: bool = False) -> MacroString:
    """Parse `text` as an RFC 7208 macro-string (§7.1 ABNF).

    `exp=True` is for explanation text fetched through `exp=` (§6.2), where the letters
    c, r and t are allowed and any printable ASCII including space may appear; elsewhere
    (domain-specs, unknown-modifier values) only %x21-7E literals are allowed.
    """
    tokens: list[Token] = []
    errors: list[Problem[MacroProblem]] = []
    lit: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch != "%":
            low = 0x20 if exp else 0x21
            if not (low <= ord(ch) <= 0x7E):
                errors.append(Problem(MacroProblem.BAD_CHARACTER, None, ch))
            lit.append(ch)
            i += 1
            continue
        nxt = text[i + 1] if i + 1 < n else ""
        if nxt in ("%", "_", "-"):
            if lit:
                tokens.append(Literal("".join(lit)))
                lit = []
            tokens.append(Literal({"%": "%", "_": " ", "-": "%20"}[nxt], escape=True))
            i += 2
            continue
        m = _EXPAND.match(text, i)
        if nxt != "{" or m is None:
            errors.append(Problem(MacroProblem.BAD_PERCENT, None, str(i + 1)))
            lit.append(ch)
            i += 1
            continue
        if lit:
            tokens.append(Literal("".join(lit)))
            lit = []
        tokens.append(_macro(m, exp, errors))
        i = m.end()
    if lit:
        tokens.append(Literal("".join(lit)))
    return MacroString(text, tuple(tokens), tuple(errors))


def _macro(m: re.Match[str], exp: bool, errors: list[Problem[MacroProblem]]) -> Macro:
    letter, digits, rev, delims = m.group(1), m.group(2), m.group(3), m.group(4)
    low = letter.lower()
    source = m.group(0)
    if low not in MACRO_LETTERS:
        errors.append(Problem(MacroProblem.UNKNOWN_LETTER, source))
    elif low in EXP_ONLY_LETTERS and not exp:
        errors.append(Problem(MacroProblem.EXP_ONLY_LETTER, source))
    bad = sorted(set(delims) - DELIMITERS)
    if bad:
        errors.append(Problem(MacroProblem.BAD_DELIMITER, source, "".join(bad)))
    count: int | None = None
    if digits:
        significant = digits.lstrip("0")
        # More parts than any name has means "all of them"; avoid building a huge int.
        count = int(significant or "0") if len(significant) <= 6 else 999_999
        if count == 0:  # §7.3: "If a DIGIT is specified, the value MUST be nonzero."
            errors.append(Problem(MacroProblem.ZERO_PARTS, source))
    return Macro(low, count, bool(rev), delims, letter.isupper(), source)


def truncate_domain(name: str) -> str:
    """§7.3: an expanded domain longer than 253 characters loses labels on the left
    until it fits."""
    name = name.rstrip(".")
    while len(name) > MAX_DOMAIN_LENGTH and "." in name:
        name = name.split(".", 1)[1]
    return name

"""Public Suffix List test vectors (publicsuffix/list tests/tests.txt), where they still apply.

RFC 9989 replaced RFC 7489's PSL lookup with the DNS Tree Walk, so "registrable domain" is no
longer computed from a list but from what domains publish: a public suffix operator publishes
`psd=y` at `_dmarc.<suffix>` and the Organizational Domain is one label below the nearest such
record (RFC 9989 §4.10.2). What the vectors test is therefore *agreement*: in a DNS world where
every public suffix of the vendored list snapshot publishes `psd=y` (and every registrable
domain publishes an ordinary record), our `organizational_domain` must return the PSL's
registrable domain. How each kind of vector maps:

* `input expected`: `organizational_domain(normalize_domain(input)) == normalize_domain(expected)`
  (case folding and IDN go through the project's own input normalisation).
* `input null` where the input is not a usable mail domain (the JS `null`, a leading dot, a
  single label such as `com`): `normalize_domain` refuses it with `InputError` before any query.
* `input null` where the input is a multi-label public suffix (`uk.com`, `ide.kyoto.jp`): RFC
  9989 has no "no registrable domain" answer; a PSD is its own Organizational Domain (rule 2
  skips a psd=y record at the starting domain). We assert exactly that: the result is the input.

The DNS tree is built from `public_suffix_list.dat` by the test-side algorithm in psl_rules.py,
which is first checked against the same vector, so the tree is known to be the PSL's.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from mailauth.dns.memory import MemorySource
from mailauth.dns.orgdomain import organizational_domain
from mailauth.domain.names import normalize_domain
from mailauth.errors import InputError

from .psl_rules import Rules

SUITE = "psl"
_DIR = Path(__file__).resolve().parents[1] / "data" / "conformance" / "psl"
RULES = Rules.load(_DIR / "public_suffix_list.dat")
PSD_RECORD = "v=DMARC1; p=none; psd=y"
ORG_RECORD = "v=DMARC1; p=reject"


def _vectors() -> list[tuple[int, str | None, str | None]]:
    out = []
    for lineno, raw in enumerate((_DIR / "tests.txt").read_text("utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("//"):
            continue
        given, expected = line.split()
        out.append(
            (lineno, None if given == "null" else given, None if expected == "null" else expected)
        )
    return out


VECTORS = _vectors()


def _normalized(text: str | None) -> str | None:
    try:
        return normalize_domain(text or "")
    except InputError:
        return None


def psl_world(name: str) -> MemorySource:
    """`_dmarc` records along `name`'s ancestry, as the PSL says they would be published:
    psd=y at the public suffix of every ancestor, an ordinary record at every registrable
    domain. (Taken per ancestor because the PSL is not a tree: `!city.kobe.jp` under
    `*.kobe.jp` makes `kobe.jp` the suffix of `city.kobe.jp`, while `kobe.jp` alone has `jp`.)
    """
    labels = name.split(".")
    ancestors = [".".join(labels[i:]) for i in range(len(labels))]
    records: dict[str, dict[str, list[str]]] = {}
    for ancestor in ancestors:
        org = RULES.registrable_domain(ancestor)
        if org is not None:
            records[f"_dmarc.{org}"] = {"TXT": [ORG_RECORD]}
    for ancestor in ancestors:
        records[f"_dmarc.{RULES.public_suffix(ancestor)}"] = {"TXT": [PSD_RECORD]}
    return MemorySource(records)


@pytest.mark.parametrize(
    ("lineno", "given", "expected"), VECTORS, ids=[f"psl-{n}-{g}" for n, g, _ in VECTORS]
)
def test_psl_vector(lineno: int, given: str | None, expected: str | None) -> None:
    name = _normalized(given)
    if name is None:
        # Not a usable domain at all: the PSL says null, we refuse it as input.
        assert expected is None, (
            f"line {lineno}: {given!r} refused as input but PSL expects {expected}"
        )
        return
    want = _normalized(expected) if expected is not None else None
    assert RULES.registrable_domain(name) == want, "test-side PSL matcher disagrees with the vector"

    result = asyncio.run(organizational_domain(psl_world(name), name))

    assert result.error is None
    if want is None:
        # A public suffix itself: RFC 9989 makes it its own Organizational Domain.
        assert result.org_domain == name
    else:
        assert result.org_domain == want, f"walk {result.queries} chose {result.reason.value}"

"""The `--group-by` keys: which group one domain belongs to.

- `tld`: the last label (`jp`, `com`; A-labels as scanned).
- `jp-type`: the kind of .jp name JPRS registers, the breakdown the Japanese adoption surveys
  publish: the organization types `co.jp ne.jp or.jp go.jp lg.jp ac.jp ed.jp gr.jp ad.jp`,
  `prefecture` (the geographic-type names: a prefecture's name as the second level,
  `city.yokohama.jp`-style names of the designated cities, `metro.tokyo.jp`, `pref.*.jp`),
  `general-use` (every other name under .jp, example.jp and its subdomains) and `other`
  (not under .jp).
- `ns-operator`, `mx-operator`: the registered domain (Public Suffix List) of the name
  servers / MX hosts. A domain whose hosts are run by several operators goes to the one most
  of its hosts belong to (ties: the alphabetically first). `none` when the domain has none
  (a null MX counts as `null-mx`), `unknown` when the report did not record them (scans made
  before the `ns` check).
- any other name: a column of the domains CSV (`--domains-csv`), `unknown` for a domain the
  CSV does not list or leaves empty.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable, Mapping
from functools import cache
from typing import TYPE_CHECKING

from mailauth.stats.facts import DomainFacts

if TYPE_CHECKING:
    from publicsuffixlist import PublicSuffixList

Grouper = Callable[[DomainFacts], str]

BUILT_IN = ("tld", "jp-type", "ns-operator", "mx-operator")
JP_TYPES = ("co", "ne", "or", "go", "lg", "ac", "ed", "gr", "ad")
UNKNOWN = "unknown"
NONE = "none"
NULL_MX = "null-mx"

# The 47 prefectures, as their .jp second-level labels (JPRS geographic-type names).
_PREFECTURES = """hokkaido aomori iwate miyagi akita yamagata fukushima ibaraki tochigi gunma
    saitama chiba tokyo kanagawa niigata toyama ishikawa fukui yamanashi nagano gifu shizuoka
    aichi mie shiga kyoto osaka hyogo nara wakayama tottori shimane okayama hiroshima yamaguchi
    tokushima kagawa ehime kochi fukuoka saga nagasaki kumamoto oita miyazaki kagoshima okinawa"""
PREFECTURES = frozenset(_PREFECTURES.split())
# The designated cities, which have `city.<name>.jp` names of their own.
_CITIES = """sapporo sendai saitama chiba yokohama kawasaki sagamihara niigata shizuoka
    hamamatsu nagoya kyoto osaka sakai kobe okayama hiroshima kitakyushu fukuoka kumamoto"""
DESIGNATED_CITIES = frozenset(_CITIES.split())


def jp_type(domain: str) -> str:
    labels = domain.lower().rstrip(".").split(".")
    if len(labels) < 2 or labels[-1] != "jp":
        return "other"
    second = labels[-2]
    if second in JP_TYPES:
        return f"{second}.jp"
    if second in PREFECTURES:
        return "prefecture"
    if len(labels) >= 3 and labels[-3] == "city" and second in DESIGNATED_CITIES:
        return "prefecture"
    return "general-use"


def tld(domain: str) -> str:
    return domain.rstrip(".").rsplit(".", 1)[-1].lower()


@cache
def _psl() -> PublicSuffixList:
    from publicsuffixlist import PublicSuffixList

    return PublicSuffixList()


@cache
def operator(host: str) -> str:
    """The registered domain of a host name (`ns1.example.net` -> `example.net`); a host
    that is itself a public suffix is its own operator."""
    name = host.lower().rstrip(".")
    return _psl().privatesuffix(name) or name


def _main_operator(hosts: tuple[str, ...]) -> str:
    counts = Counter(operator(h) for h in hosts if h)
    if not counts:
        return NONE
    return min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]


def ns_operator(f: DomainFacts) -> str:
    return UNKNOWN if f.ns_hosts is None else _main_operator(f.ns_hosts)


def mx_operator(f: DomainFacts) -> str:
    return NULL_MX if f.null_mx else _main_operator(f.mx_hosts)


def grouper(key: str, columns: Mapping[str, str] | None = None) -> Grouper:
    """The group of each domain for `--group-by key` (`columns`: domain -> CSV value)."""
    match key:
        case "tld":
            return lambda f: tld(f.domain)
        case "jp-type":
            return lambda f: jp_type(f.domain)
        case "ns-operator":
            return ns_operator
        case "mx-operator":
            return mx_operator
    values = columns or {}
    return lambda f: values.get(f.domain) or UNKNOWN


class ColumnError(ValueError):
    """The CSV has no header row, no `domain` column or not the column asked for."""

    def __init__(self, key: str, **params: str) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def read_column(text: str, column: str) -> dict[str, str]:
    """`{domain (A-label, lower case): value of column}` from a domains CSV with a header."""
    from mailauth.names import to_alabel

    rows = csv.reader(io.StringIO(text))
    header = [h.strip().lower() for h in next(rows, [])]
    if "domain" not in header:
        raise ColumnError("error.stats.csv-no-domain")
    wanted = column.strip().lower()
    if wanted not in header:
        raise ColumnError("error.stats.csv-no-column", column=column, columns=", ".join(header))
    d, c = header.index("domain"), header.index(wanted)
    values: dict[str, str] = {}
    for row in rows:
        if len(row) <= max(d, c) or not row[d].strip() or row[d].lstrip().startswith("#"):
            continue
        try:
            name = to_alabel(row[d].strip())
        except ValueError:
            continue  # `check` refused it too, so no report of it can be in the results
        values.setdefault(name.lower().rstrip("."), row[c].strip())
    return values

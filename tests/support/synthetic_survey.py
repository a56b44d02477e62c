"""A synthetic survey for `mailauth stats`: a few hundred domains, each its own zone (so each
has NS records of its own, as a real domain does), under the kinds of names the Japanese
surveys break down (co.jp, go.jp, lg.jp, general-use .jp, prefecture-type, other TLDs), with
varied SPF, DMARC, DKIM, MX and NS, plus the operators' zones their MX and NS point to.

`survey(count)` returns the zone texts and, per domain, what the generator put in
(`Planted`): the end-to-end test counts those itself and expects `mailauth stats` to print
exactly the same numbers. Everything is deterministic (domain i always gets the same records).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tests.support.synthetic_domains import DKIM_KEY

# Each domain is a registered domain (Public Suffix List), so the operator of its own MX and
# NS hosts is the domain itself.

# (suffix, jp-type group)
KINDS = (
    ("co.jp", "co.jp"),
    ("go.jp", "go.jp"),
    ("lg.jp", "lg.jp"),
    ("jp", "general-use"),
    ("osaka.jp", "prefecture"),
    ("ne.jp", "ne.jp"),
    ("test", "other"),
)
SPF_ALLS = ("-all", "~all", "?all", "-all", "none", "~all")  # "none": a record without all
POLICIES = ("reject", "quarantine", "none", "reject", None)  # None: no DMARC record
MX_OPERATORS = ("mail-a.test", "mail-b.test", "own", "mail-a.test", "null")
NS_OPERATORS = ("dns-a.test", "dns-b.test", "dns-a.test", "own")
SELECTORS = ("s1", "google", "k1")  # what the scan probes (--dkim-selectors FILE)
INFRA = ("mail-a.test", "mail-b.test", "dns-a.test", "dns-b.test", "spf-infra.test")


@dataclass(frozen=True)
class Planted:
    """What domain i publishes."""

    domain: str
    jp_type: str
    tld: str
    spf_all: str | None  # None: no SPF record
    over_limit: bool
    policy: str | None
    rua: bool
    dkim_probed: bool  # a key at a probed selector (found) or only at another one
    dkim_key: bool
    mx_operator: str  # an operator's registered domain, the domain itself, or "null-mx"
    ns_operator: str
    tls_rpt: bool
    mta_sts: bool
    bimi: bool


def plant(i: int) -> Planted:
    suffix, jp_type = KINDS[i % len(KINDS)]
    domain = f"d{i:04d}.{suffix}"
    spf = None if i % 11 == 5 else SPF_ALLS[i % len(SPF_ALLS)]
    policy = POLICIES[i % len(POLICIES)]
    mx = MX_OPERATORS[(i // 2) % len(MX_OPERATORS)]
    ns = NS_OPERATORS[(i // 3) % len(NS_OPERATORS)]
    key = i % 3 != 0
    return Planted(
        domain=domain,
        jp_type=jp_type,
        tld=suffix.rsplit(".", 1)[-1],
        spf_all=spf,
        over_limit=spf is not None and i % 13 == 4,
        policy=policy,
        rua=policy is not None and i % 4 != 1,
        dkim_key=key,
        dkim_probed=key and i % 6 != 4,  # some sign only with a selector nobody guesses
        mx_operator={"own": domain, "null": "null-mx"}.get(mx, mx),
        ns_operator=domain if ns == "own" else ns,
        tls_rpt=i % 5 == 2,
        mta_sts=i % 8 == 3,
        bimi=policy in ("reject", "quarantine") and i % 9 == 0,
    )


def _txt(text: str) -> str:
    parts = [text[k : k + 250] for k in range(0, len(text), 250)] or [""]
    return " ".join(f'"{p}"' for p in parts)


def _head(origin: str, ns: tuple[str, ...]) -> list[str]:
    lines = [f"$ORIGIN {origin}.", "$TTL 3600",
             f"@ IN SOA {ns[0]}. hostmaster.{origin}. 1 3600 900 1209600 300"]  # fmt: skip
    lines += [f"@ IN NS {host}." for host in ns]
    return lines


def domain_zone(p: Planted) -> str:
    d = p.domain
    if p.ns_operator == d:
        ns: tuple[str, ...] = (f"ns1.{d}", f"ns2.{d}")
    else:
        ns = (f"ns1.{p.ns_operator}", f"ns2.{p.ns_operator}")
    lines = _head(d, ns)
    if p.ns_operator == d:
        lines += ["ns1 IN A 192.0.2.53", "ns2 IN A 192.0.2.54"]
    lines.append("@ IN A 192.0.2.10")
    if p.mx_operator == "null-mx":
        lines.append("@ IN MX 0 .")
    elif p.mx_operator == d:
        lines += ["@ IN MX 10 mx", "mx IN A 192.0.2.25"]
    else:
        lines += [f"@ IN MX 10 mx1.{p.mx_operator}.", f"@ IN MX 20 mx2.{p.mx_operator}."]
    if p.spf_all is not None:
        terms = ["v=spf1", "ip4:192.0.2.0/24"]
        if p.over_limit:
            terms.append("include:_spf.big.spf-infra.test")
        if p.spf_all != "none":
            terms.append(p.spf_all)
        lines.append("@ IN TXT " + _txt(" ".join(terms)))
    lines.append("@ IN TXT " + _txt(f"site-verification={d}"))
    if p.policy is not None:
        rua = f"; rua=mailto:dmarc@{d}" if p.rua else ""
        lines.append("_dmarc IN TXT " + _txt(f"v=DMARC1; p={p.policy}{rua}"))
    if p.dkim_key:
        selector = "s1" if p.dkim_probed else "unguessable2026"
        lines.append(f"{selector}._domainkey IN TXT " + _txt(f"v=DKIM1; k=rsa; p={DKIM_KEY}"))
    if p.tls_rpt:
        lines.append("_smtp._tls IN TXT " + _txt(f"v=TLSRPTv1; rua=mailto:tls@{d}"))
    if p.mta_sts:
        lines.append("_mta-sts IN TXT " + _txt("v=STSv1; id=2026120601"))
    if p.bimi:
        lines.append("default._bimi IN TXT " + _txt(f"v=BIMI1; l=https://{d}/logo.svg"))
    return "\n".join(lines) + "\n"


def infra_zone(origin: str) -> str:
    lines = _head(origin, (f"ns1.{origin}",))
    lines.append("ns1 IN A 192.0.2.53")
    if origin.startswith("mail-"):
        lines += ["mx1 IN A 192.0.2.30", "mx2 IN A 192.0.2.31"]
    elif origin.startswith("dns-"):
        lines += ["ns2 IN A 192.0.2.54"]
    else:  # 1 include + 11 a: lookups = 12 DNS lookups, over the limit of 10
        hosts = " ".join(f"a:h{k}.spf-infra.test" for k in range(11))
        lines.append("_spf.big IN TXT " + _txt(f"v=spf1 {hosts} -all"))
        lines += [f"h{k} IN A 198.51.100.{k + 1}" for k in range(11)]
    return "\n".join(lines) + "\n"


def write_survey(directory: Path, count: int) -> list[Planted]:
    """One zone file per domain and per operator in `directory`; what was planted."""
    directory.mkdir(parents=True, exist_ok=True)
    planted = [plant(i) for i in range(count)]
    for p in planted:
        (directory / f"{p.domain}.zone").write_text(domain_zone(p))
    for origin in INFRA:
        (directory / f"{origin}.zone").write_text(infra_zone(origin))
    return planted

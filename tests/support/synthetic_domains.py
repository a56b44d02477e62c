"""Synthetic mail domains for bulk runs: one zone file under a made-up TLD, many domains.

Used by the bulk test (tests/integration/test_bulk_check.py) and the bulk benchmark
(bench/check_vs_checkdmarc.py --bulk). The records look like the real Internet's: most
domains publish SPF with an include of one of a few shared ESPs (whose own records nest one
more include), DMARC at mixed policies, MX at their own host or a shared provider, a DKIM key
at a common selector for about half, and TLS-RPT for some. No MTA-STS or BIMI records: their
checks fetch over https, which a loopback benchmark must not do. Everything is
deterministic (domain i always gets the same records), so runs can be compared.
"""

from __future__ import annotations

from pathlib import Path

TLD = "synth"
ESPS = 12
MX_PROVIDERS = 6
# One real RSA-2048 public key (from samples/zones/example.jp.zone): parses as a strong key.
DKIM_KEY = (
    "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAkBAn4fnZvVZypn2t4sKwm9D4GFM4Dx7nzdZp95THk/0yaXIyw"
    "7WaAQKKRLKCt6TukWfMhKs6j2k1x7BFXil7Xx5Rll/0H17n4LF6tZBwmmsSt3q3CwPkDjF7B0Dks/niIX5UnYtPa0BFV5"
    "jW28w85gSdkGSMdV4O/YeoRk85llCl42vYcgU4GbDBQlh484GErGHI6FpzGZujWcz8SJeiVr9Cd2xFTunTM/D74WF14oD"
    "shX8BIgHzkrwnNVDjbKqYk+UtU60PFLoPeO1BmTOzcx1GUmZqTvkujTo1yRQAcpERSRD33lMscCJN8kx2uLYElD7giFd1X"
    "9KJbypCsqDyfQIDAQAB"
)
_POLICIES = ("reject", "quarantine", "none", "reject", "quarantine")
_SELECTORS = ("selector1", "google", "s1", "k1")


def domain_name(i: int) -> str:
    return f"d{i:06d}.{TLD}"


def domain_names(count: int) -> list[str]:
    return [domain_name(i) for i in range(count)]


def _txt(text: str) -> str:
    """A TXT rdata: character-strings of at most 255 bytes (RFC 1035 §3.3.14)."""
    parts = [text[i : i + 250] for i in range(0, len(text), 250)] or [""]
    return " ".join(f'"{p}"' for p in parts)


def _shared_records() -> list[str]:
    lines = [
        f"$ORIGIN {TLD}.",
        "$TTL 3600",
        f"@ IN SOA ns.{TLD}. hostmaster.{TLD}. 1 3600 900 1209600 300",
        f"@ IN NS ns.{TLD}.",
        "ns IN A 192.0.2.53",
        "reports IN MX 10 mx.reports",
        "mx.reports IN A 192.0.2.60",
        "*._report._dmarc.reports IN TXT " + _txt("v=DMARC1;"),
    ]
    for k in range(ESPS):
        lines.append(
            f"_spf.esp{k} IN TXT "
            + _txt(f"v=spf1 ip4:198.51.{k}.0/24 include:_spf2.esp{k}.{TLD} ~all")
        )
        lines.append(
            f"_spf2.esp{k} IN TXT " + _txt(f"v=spf1 ip4:203.0.{k}.0/24 ip6:2001:db8:{k}::/48 -all")
        )
    for k in range(MX_PROVIDERS):
        lines.append(f"mx{k}.mailhost IN A 192.0.2.{100 + k}")
        lines.append(f"mx{k}.mailhost IN AAAA 2001:db8:ff::{k + 1}")
    return lines


def _domain_records(i: int) -> list[str]:
    d = f"d{i:06d}"
    lines: list[str] = []
    own_mx = i % 5 < 2
    if own_mx:
        lines.append(f"{d} IN MX 10 mx.{d}")
        lines.append(f"mx.{d} IN A 192.0.2.{i % 200 + 1}")
    else:
        k = i % MX_PROVIDERS
        lines.append(f"{d} IN MX 10 mx{k}.mailhost.{TLD}.")
        lines.append(f"{d} IN MX 20 mx{(k + 1) % MX_PROVIDERS}.mailhost.{TLD}.")
    lines.append(f"{d} IN A 192.0.2.{i % 250 + 1}")
    if i % 20 != 7:  # 95 % publish SPF
        qualifier = "-all" if i % 3 else "~all"
        extra = " mx" if own_mx else ""
        spf = f"v=spf1{extra} include:_spf.esp{i % ESPS}.{TLD} {qualifier}"
        lines.append(f"{d} IN TXT " + _txt(spf))
    lines.append(f"{d} IN TXT " + _txt(f"site-verification={i:08x}"))
    if i % 10 != 3:  # 90 % publish DMARC
        policy = _POLICIES[i % len(_POLICIES)]
        rua = f"mailto:dmarc@{d}.{TLD}" if i % 4 else f"mailto:{d}@reports.{TLD}"
        lines.append(f"_dmarc.{d} IN TXT " + _txt(f"v=DMARC1; p={policy}; rua={rua}"))
    if i % 2 == 0:  # half publish a DKIM key at a common selector
        selector = _SELECTORS[(i // 2) % len(_SELECTORS)]
        key = _txt(f"v=DKIM1; k=rsa; p={DKIM_KEY}")
        lines.append(f"{selector}._domainkey.{d} IN TXT {key}")
    if i % 10 == 0:  # some publish TLS-RPT (no MTA-STS: its policy is fetched over https)
        lines.append(f"_smtp._tls.{d} IN TXT " + _txt(f"v=TLSRPTv1; rua=mailto:tls@{d}.{TLD}"))
    return lines


def zone_text(count: int) -> str:
    lines = _shared_records()
    for i in range(count):
        lines.extend(_domain_records(i))
    return "\n".join(lines) + "\n"


def write_zone(directory: Path, count: int) -> Path:
    """Write `<directory>/synth.zone` holding `count` domains; returns its path."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{TLD}.zone"
    path.write_text(zone_text(count))
    return path

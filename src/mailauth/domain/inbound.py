"""Does a domain receive mail at all? RFC 7505 null MX, for the checks whose advice hangs on it.

MTA-STS and TLS-RPT protect, and report on, mail coming *in*; a report address proposed in a
fix (DMARC or TLS-RPT rua) is only worth anything at a domain that receives mail. The checks
that need the answer ask DNS here instead of reading the MX check's report: checks run
concurrently and never see each other's results (`runner.py`), and making one wait for
another would serialise the run and change the check contract. The query is free: the
per-run `CachingSource` answers it from the MX check's own lookup, or merges the two while
they are in flight.
"""

from __future__ import annotations

from mailauth.dns.interface import DnsSource, normalize_name


async def accepts_no_mail(dns: DnsSource, domain: str) -> bool:
    """True when `domain` publishes a null MX and nothing else (RFC 7505 §3: the exchange is
    the root, "."); a null MX next to real ones is a mistake, and mail still goes to those.

    A failed lookup is not knowledge: False, so the advice stays what it is for any domain.
    """
    answer = await dns.query(domain, "MX")
    if answer.is_error:
        return False
    records = answer.mx()
    return bool(records) and not any(normalize_name(host) for _, host in records)


async def mailbox_domain(dns: DnsSource, domain: str, org_domain: str) -> str | None:
    """Where a proposed report mailbox can live: `domain` when it receives mail, else its
    Organizational Domain, else None (no domain of the organization receives mail, and a
    mailbox elsewhere is the owner's choice, not something a check can compute)."""
    for candidate in dict.fromkeys((domain, org_domain)):
        if not await accepts_no_mail(dns, candidate):
            return candidate
    return None


__all__ = ["accepts_no_mail", "mailbox_domain"]

"""DNS access: one interface (`DnsSource`), several backends (live, zone files, memory)."""

from mailauth.dns.interface import DnsAnswer, DnsSource, Rcode, normalize_name

__all__ = ["DnsAnswer", "DnsSource", "Rcode", "normalize_name"]

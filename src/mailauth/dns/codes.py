"""DNS numbers and their mnemonics for the live query path, without importing dnspython.

`import dns.rdatatype` pulls in `dns.name` and `dns._features` (importlib.metadata, email,
…): ~50 ms of a one-domain `mailauth check` whose own work is a few milliseconds (issue 10).
The live path only needs the numbers of the types the checks ask for and the words for
rcodes, so they are written out here; a unit test (tests/unit/dns/test_codes.py) holds
every entry to dnspython's tables. A type not listed here is looked up in dnspython, which
is then imported (`answer.rdtype_text`): odd types are asked rarely.
"""

from __future__ import annotations

# Mnemonic -> number (RFC 1035 §3.2.2 and the IANA registry), as dnspython spells them.
TYPES: dict[str, int] = {
    "A": 1,
    "NS": 2,
    "CNAME": 5,
    "SOA": 6,
    "NULL": 10,
    "PTR": 12,
    "HINFO": 13,
    "MX": 15,
    "TXT": 16,
    "AAAA": 28,
    "SRV": 33,
    "NAPTR": 35,
    "DNAME": 39,
    "DS": 43,
    "SSHFP": 44,
    "RRSIG": 46,
    "NSEC": 47,
    "DNSKEY": 48,
    "NSEC3": 50,
    "TLSA": 52,
    "SMIMEA": 53,
    "CDS": 59,
    "CDNSKEY": 60,
    "OPENPGPKEY": 61,
    "SVCB": 64,
    "HTTPS": 65,
    "SPF": 99,
    "ANY": 255,
    "CAA": 257,
}

# RFC 6895 §2.3 rcodes with a mnemonic, as dnspython's `dns.rcode.to_text` writes them
# (others are written as their number). 16 is both BADVERS and BADSIG; dnspython says BADVERS.
RCODE_TEXT: dict[int, str] = {
    0: "NOERROR",
    1: "FORMERR",
    2: "SERVFAIL",
    3: "NXDOMAIN",
    4: "NOTIMP",
    5: "REFUSED",
    6: "YXDOMAIN",
    7: "YXRRSET",
    8: "NXRRSET",
    9: "NOTAUTH",
    10: "NOTZONE",
    11: "DSOTYPENI",
    16: "BADVERS",
    17: "BADKEY",
    18: "BADTIME",
    19: "BADMODE",
    20: "BADNAME",
    21: "BADALG",
    22: "BADTRUNC",
    23: "BADCOOKIE",
}

NOERROR, SERVFAIL, NXDOMAIN, REFUSED = 0, 2, 3, 5


def rcode_text(rcode: int) -> str:
    """The word for an rcode, as dnspython writes it (the number for one without a name)."""
    return RCODE_TEXT.get(rcode, str(rcode))

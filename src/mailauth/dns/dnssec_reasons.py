"""Why a DNSSEC verdict is what it is, as codes (`ChainProblem`) rather than English sentences.

The validator (`dnssec_chain.py`) and the DNSSEC, DANE and SMTP checks explain a verdict that
is not `secure` with one of these codes and its values (the zone, the record type, the date a
signature expired). The words live in the i18n table under `dnssec.why.<code>`, so a Japanese
report says them in Japanese (issue 14); JSON carries the code (`reason_code`) beside the
English text it has always had (`reason`). dnspython's own exception text is never shown: it is
an English sentence a reader of another language cannot use, and the code already says what
failed.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from mailauth.model import Phrase

PREFIX = "dnssec.why."


class ChainProblem(str, Enum):
    """What stopped validation (RFC 4035 §5), or why a check has no verdict."""

    # A lookup failed: {name} {rdtype}: {rcode}.
    LOOKUP_FAILED = "lookup-failed"
    NO_ANCHOR = "no-anchor"  # no trust anchor covers {name}
    ANCHOR_UNREACHABLE = "anchor-unreachable"  # {zone} serves no DNSKEY (offline)
    DS_NOT_SIGNED = "ds-not-signed"  # the DS of {zone} is not signed by {parent}
    DS_WITHOUT_DNSKEY = "ds-without-dnskey"  # {zone} has a DS, its DNSKEY lookup gave {rcode}
    NO_DS = "no-ds"  # {zone} is signed, the parent publishes no DS
    UNSIGNED_ZONE = "unsigned-zone"  # {zone} is a zone of its own, without DS or DNSKEY
    NO_KEY_FOR_DS = "no-key-for-ds"  # no DNSKEY of {zone} matches its DS
    NO_KEY_FOR_ANCHOR = "no-key-for-anchor"  # no DNSKEY of {zone} matches the trust anchor
    DNSKEY_NOT_SIGNED = "dnskey-not-signed"  # the DNSKEY set of {zone} is not signed
    NO_RRSIG = "no-rrsig"  # an RRset without RRSIG in a signed zone
    NO_RRSIG_BY_ZONE = "no-rrsig-by-zone"  # RRSIGs, but none by {zone}
    SIGNATURE_EXPIRED = "signature-expired"  # on {date}
    SIGNATURE_NOT_YET_VALID = "signature-not-yet-valid"
    SIGNATURE_INVALID = "signature-invalid"  # a signature by {zone} does not verify
    CANNOT_VALIDATE = "cannot-validate"  # the data could not be validated at all (bad key)
    # The DNSSEC check's own summaries.
    UNSIGNED_TYPES = "unsigned-types"  # {types}: no RRSIG
    NOTHING_TO_JUDGE = "nothing-to-judge"  # no SOA, DNSKEY or A
    # --trust-resolver-ad
    RESOLVER_NO_AD = "resolver-no-ad"  # one RRset without AD
    RESOLVER_UNSIGNED = "resolver-unsigned"  # no RRSIG and no AD
    RESOLVER_NOT_VALIDATING = "resolver-not-validating"  # signed, AD not set
    OFFLINE_NO_AD = "offline-no-ad"  # zone files: no resolver, no AD flag


# The values each code's words need (a test renders every code with these names).
PARAMS: dict[ChainProblem, tuple[str, ...]] = {
    ChainProblem.LOOKUP_FAILED: ("name", "rdtype", "rcode"),
    ChainProblem.NO_ANCHOR: ("name",),
    ChainProblem.ANCHOR_UNREACHABLE: ("zone",),
    ChainProblem.DS_NOT_SIGNED: ("zone", "parent"),
    ChainProblem.DS_WITHOUT_DNSKEY: ("zone", "rcode"),
    ChainProblem.NO_DS: ("zone",),
    ChainProblem.UNSIGNED_ZONE: ("zone",),
    ChainProblem.NO_KEY_FOR_DS: ("zone",),
    ChainProblem.NO_KEY_FOR_ANCHOR: ("zone",),
    ChainProblem.DNSKEY_NOT_SIGNED: ("zone",),
    ChainProblem.NO_RRSIG: (),
    ChainProblem.NO_RRSIG_BY_ZONE: ("zone",),
    ChainProblem.SIGNATURE_EXPIRED: ("date",),
    ChainProblem.SIGNATURE_NOT_YET_VALID: (),
    ChainProblem.SIGNATURE_INVALID: ("zone",),
    ChainProblem.CANNOT_VALIDATE: ("zone",),
    ChainProblem.UNSIGNED_TYPES: ("types",),
    ChainProblem.NOTHING_TO_JUDGE: (),
    ChainProblem.RESOLVER_NO_AD: (),
    ChainProblem.RESOLVER_UNSIGNED: (),
    ChainProblem.RESOLVER_NOT_VALIDATING: (),
    ChainProblem.OFFLINE_NO_AD: (),
}


def why(code: ChainProblem, /, **params: Any) -> Phrase:
    """The reason `code` with its values, as words the report renders in its language."""
    return Phrase(PREFIX + code.value, params)


def code_of(reason: Phrase | None) -> ChainProblem | None:
    """The code of a reason made by `why` (None for no reason)."""
    if reason is None or not reason.key.startswith(PREFIX):
        return None
    return ChainProblem(reason.key[len(PREFIX) :])


def english(reason: Phrase | None) -> str | None:
    """The reason in English, for the JSON `reason` fields (unchanged since issue 11)."""
    if reason is None:
        return None
    from mailauth.i18n import label

    return label(reason.key, "en", **reason.params)

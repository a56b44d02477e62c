"""ARC chain validation (RFC 8617), native (message/arcverify.py), dkimpy as its oracle.

Why it matters here: a mailing list or forwarder that changes a message breaks its DKIM
signature and SPF; if it ARC-sealed the message after checking it, a receiver that trusts the
sealer can still deliver it. So the report says whether the chain validates (cv), how many
hops sealed it, who sealed last, and what each hop recorded in ARC-Authentication-Results.

The chain is validated by message/arcverify.py over the message as the DKIM verifier split
it (`ParsedMessage.dkim_message`): the ARC-Message-Signatures' body hashes come from the
same cache as the DKIM signatures', the header hashes from the same canonicalized fields,
RSA through OpenSSL. It answers what dkimpy's `arc_verify` answers for the same bytes
(tests/unit/message/test_arc_native_body.py and test_verify_differential.py compare them),
including where dkimpy raises for a malformed chain instead of returning "fail" (e.g. the
ARC test suite's `cv=` empty cases); any exception is a failed chain. Its reasons are
dkimpy's English sentences (or a Python error such as "IndexError: list index out of
range"); each is mapped to an `ArcReason` code (plus the ARC instance it names) so the report
words it from the catalogue, in the user's language. The sentence itself is kept in
`ArcOutcome.detail` for bug reports and never shown as a reason.

Header fields written without a space after the colon (`ARC-Message-Signature:i=2;`, as
lists.kernel.org writes them; RFC 5322 allows it) made dkimpy 1.1.8 fail with IndexError:
it finds the raw ARC-Message-Signature by looking for " i=N;", and so does our verifier, to
stay dkimpy's equal. `_for_arc` inserts that space in the copy it verifies where it cannot
change a hash (see there).
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import field
from enum import Enum
from typing import TYPE_CHECKING, Any

from mailauth.dns.interface import DnsSource
from mailauth.frozen import frozen
from mailauth.i18n import label
from mailauth.message.dkim import MAX_SIGNED_HEADERS, key_from_record
from mailauth.message.dkimsyntax import CV_None, CV_Pass, InvalidTagValueList, parse_tag_value
from mailauth.message.dkimverify import DkimMessage, KeyLookup
from mailauth.message.dnsbridge import NotPrefetched, SyncDns, run_verifier
from mailauth.message.parse import Header, ParsedMessage
from mailauth.model import Phrase, Result

if TYPE_CHECKING:
    from mailauth.message.arcverify import ArcAnswer

_INSTANCE = re.compile(r"(?:^|;)\s*i\s*=\s*(\d+)", re.IGNORECASE)
MAX_INSTANCES = 50  # RFC 8617 §4.2.1: i= is at most 50
_AAR_INSTANCE = re.compile(r"^\s*i\s*=\s*\d+\s*;\s*")  # before an AAR's results


class ArcReason(str, Enum):
    """Why the chain did not pass. Plain words: the UI catalogue's `verify.arc-reason.*`."""

    NOT_SEALED = "not-sealed"
    TOO_MANY_SETS = "too-many-sets"
    AMS_INVALID = "ams-invalid"
    SEAL_INVALID = "seal-invalid"
    CHAIN_TERMINATED = "chain-terminated"
    BAD_CV = "bad-cv"
    KEY_REFUSED = "key-refused"  # {name} {problem}: a key not verified (records.dkim_key)
    TOO_MANY_SIGNED_HEADERS = "too-many-signed-headers"  # {count} {limit}: an AMS h= list
    DUPLICATE_FIELD = "duplicate-field"
    INCOMPLETE_SET = "incomplete-set"
    AMS_SIGNS_SEAL = "ams-signs-seal"
    # A seal or signature "did not validate" because its key lookup failed: not known,
    # not invalid (the result stays "fail", RFC 8617 has no temperror; the finding says so).
    KEY_LOOKUP_FAILED = "key-lookup-failed"
    MALFORMED = "malformed"  # anything else dkimpy refuses, or an error inside dkimpy


# dkimpy's ARC.verify() reasons (dkim/__init__.py), matched to our codes. Compiled for the
# first ARC-sealed message (`_dkimpy_reasons`), not on every `verify` start (issue 10).
_DKIMPY_REASON_PATTERNS: tuple[tuple[str, ArcReason], ...] = (
    (r"Message is not ARC signed$", ArcReason.NOT_SEALED),
    (r"Most recent ARC-Message-Signature did not validate$", ArcReason.AMS_INVALID),
    (r"ARC-Seal\[(?P<instance>\d+)\] did not validate$", ArcReason.SEAL_INVALID),
    (
        r"ARC-Seal\[(?P<instance>\d+)\] reported failure, the chain is terminated$",
        ArcReason.CHAIN_TERMINATED,
    ),
    (
        r"ARC-Seal\[(?P<instance>\d+)\] reported invalid status (?P<cv>.*)$",
        ArcReason.BAD_CV,
    ),
    # The MessageFormatError / ParameterError texts of ARC.verify_instance().
    (
        r"Duplicate (?P<field>ARC-Authentication-Results|ARC-Message-Signature|ARC-Seal) "
        r"for instance (?P<instance>\d+)$",
        ArcReason.DUPLICATE_FIELD,
    ),
    (r"Incomplete ARC set for instance (?P<instance>\d+)$", ArcReason.INCOMPLETE_SET),
    (r"The Arc-Message-Signature MUST NOT sign ARC-Seal$", ArcReason.AMS_SIGNS_SEAL),
)


@functools.cache
def _dkimpy_reasons() -> tuple[tuple[re.Pattern[str], ArcReason], ...]:
    return tuple((re.compile(pattern), code) for pattern, code in _DKIMPY_REASON_PATTERNS)


def _reason_of(text: str) -> tuple[ArcReason, dict[str, Any]]:
    """The code (and the values its words need) for one of dkimpy's reasons; anything else
    (a tag dkimpy refuses, a Python exception) is MALFORMED, with no text of dkimpy's."""
    for pattern, code in _dkimpy_reasons():
        m = pattern.match(text)
        if m:
            return code, m.groupdict()
    return ArcReason.MALFORMED, {}


class ChainValidation(str, Enum):
    """The cv= an ARC-Seal records: what its sealer found of the chain before it
    (RFC 8617 §4.1.3). dkimpy refuses any other value."""

    NONE = "none"
    FAIL = "fail"
    PASS = "pass"


@frozen
class ArcHop:
    """One ARC set (instance i=) as validated."""

    instance: int
    seal_domain: str = ""
    seal_selector: str = ""
    signature_domain: str = ""
    signature_selector: str = ""
    cv: ChainValidation | None = None
    seal_valid: bool | None = None
    signature_valid: bool | None = None
    results: str = ""  # the ARC-Authentication-Results payload (without i=)


@frozen
class ArcOutcome:
    """The ARC chain's verdict (RFC 8617 §5.2): the result, how many sets, why it did not
    pass (as catalogue words) and each hop's set."""

    result: Result  # pass | fail | none
    instances: int = 0
    reason_code: ArcReason | None = None  # None when the chain passed
    reason_params: Mapping[str, Any] = field(default_factory=dict)
    hops: tuple[ArcHop, ...] = field(default=())
    detail: str = ""  # dkimpy's own words, for --debug and bug reports; never a reason

    def reason_phrase(self) -> Phrase | None:
        """Why the chain did not pass, as catalogue words; None when it passed."""
        if self.reason_code is None:
            return None
        return Phrase(f"verify.arc-reason.{self.reason_code.value}", dict(self.reason_params))

    def reason_text(self, lang: str = "en") -> str:
        """Why the chain did not pass, in `lang`; "" when it passed."""
        phrase = self.reason_phrase()
        return "" if phrase is None else label(phrase.key, lang, **phrase.params)

    @property
    def reason(self) -> str:
        """The reason in English (JSON `arc.reason`)."""
        return self.reason_text("en")

    @property
    def sealer(self) -> ArcHop | None:
        """The hop that sealed last (the highest instance)."""
        return max(self.hops, key=lambda h: h.instance, default=None)


def count_instances(message: ParsedMessage) -> int:
    return _count_instances(message.all("ARC-Seal"))


def _count_instances(seals: list[Header]) -> int:
    found = [_INSTANCE.search(h.value) for h in seals]
    return max((int(m.group(1)) for m in found if m and len(m.group(1)) < 4), default=0)


def not_sealed(message: ParsedMessage) -> ArcOutcome | None:
    """The outcome of a message with no ARC header field at all (most mail), known without
    a lookup; None for a message that has some."""
    arc_names = ("arc-seal", "arc-message-signature", "arc-authentication-results")
    if any(message.all(name) for name in arc_names):
        return None
    return ArcOutcome(Result.NONE, 0, ArcReason.NOT_SEALED)


async def verify_arc(message: ParsedMessage, dns: DnsSource, timeout: float) -> ArcOutcome:
    seals, signatures = message.all("ARC-Seal"), message.all("ARC-Message-Signature")
    if not seals and not signatures and not message.all("ARC-Authentication-Results"):
        return ArcOutcome(Result.NONE, 0, ArcReason.NOT_SEALED)
    instances = _count_instances(seals)
    if instances > MAX_INSTANCES:
        return ArcOutcome(Result.FAIL, instances, ArcReason.TOO_MANY_SETS, {"limit": MAX_INSTANCES})
    # Each AMS's and seal's tags read once, here, for the work limit and the key names
    # (issue 10: they were read once for each).
    signature_tags = [_tags_of(h) for h in signatures]
    names = max((_signed_header_count(t) for t in signature_tags), default=0)
    if names > MAX_SIGNED_HEADERS:  # the same work limit as a DKIM signature's
        params = {"count": names, "limit": MAX_SIGNED_HEADERS}
        return ArcOutcome(Result.FAIL, instances, ArcReason.TOO_MANY_SIGNED_HEADERS, params)
    bridge = SyncDns.for_running_loop(dns, timeout)
    keys = _key_names([_tags_of(h) for h in seals] + signature_tags)
    await bridge.prefetch((name, "TXT") for name in keys)
    # Split here, on the loop, before the DKIM and ARC threads; an error is kept, and raised
    # again in the thread (a failed chain).
    with contextlib.suppress(Exception):
        message.dkim_message()
    return await run_verifier(len(message.dkim_bytes), lambda: _verify(message, bridge, instances))


def _tags_of(header: Header) -> dict[bytes, bytes] | None:
    """The field's tags, None when they cannot be read."""
    try:
        return parse_tag_value(header.raw.partition(b":")[2])
    except InvalidTagValueList:
        return None


def _for_arc(message: ParsedMessage) -> bytes:
    """The message for dkimpy, with a space after the colon of every ARC-Message-Signature
    written without one, where that cannot change a hash.

    An AMS is hashed by its own signature with its own header canonicalization (c=, relaxed
    when absent: RFC 8617 §4.1.2 and dkimpy) and by every ARC-Seal, always relaxed (RFC 8617
    §5.1.1). Relaxed canonicalization deletes white space after the colon (RFC 6376
    §3.4.2), so the space changes nothing there; an AMS whose own c= is simple is left as it
    is (dkimpy then cannot validate it, which is reported as a malformed chain).
    """
    raw = message.dkim_bytes
    end = raw.find(b"\r\n\r\n")
    head = raw if end < 0 else raw[: end + 2]
    fixed = head
    for header in message.all("ARC-Message-Signature"):
        colon = header.raw.find(b":")
        value = header.raw[colon + 1 :]
        if value[:1] in (b" ", b"\t") or not _relaxed_header(value):
            continue
        fixed = fixed.replace(header.raw, header.raw[: colon + 1] + b" " + value)
    return raw if fixed is head else fixed + raw[len(head) :]


def _relaxed_header(value: bytes) -> bool:
    try:
        tags = parse_tag_value(value)
    except InvalidTagValueList:
        return False
    header_canon: bytes = tags.get(b"c", b"relaxed").split(b"/")[0]
    return header_canon.strip().lower() == b"relaxed"


def _key_names(fields: list[dict[bytes, bytes] | None]) -> list[str]:
    """The seal and message-signature keys the validation will look up (RFC 8617 §5.2 checks
    every instance), fetched together before it starts, from the fields' tags (None: not
    readable). A chain with more fields than MAX_INSTANCES sets can hold is malformed and
    fails early: nothing is prefetched."""
    if len(fields) > 2 * MAX_INSTANCES:
        return []
    names: list[str] = []
    for tags in fields:
        if tags is not None and tags.get(b"s") and tags.get(b"d"):
            names.append((tags[b"s"] + b"._domainkey." + tags[b"d"]).decode("utf-8", "replace"))
    return names


def _signed_header_count(tags: dict[bytes, bytes] | None) -> int:
    if tags is None:
        return 0
    return len(tags[b"h"].split(b":")) if tags.get(b"h") else 0


class _KeyRefused(Exception):
    """A seal or signature key mailauth does not verify with (records.dkim_key)."""

    def __init__(self, name: str, problem: str) -> None:
        super().__init__(name, problem)
        self.name, self.problem = name, problem


def _checked_keys(bridge: SyncDns) -> Callable[..., bytes | None]:
    """dkimpy's `dnsfunc`, refusing a key before dkimpy's pure-Python RSA spends minutes on
    it (a 32,768-bit key): the whole chain then fails with that reason."""

    def lookup(name: bytes | str, timeout: float = 5) -> bytes | None:
        record = bridge.dkim_txt(name, timeout)
        if record is not None:
            refused = _refusal(record)
            if refused is not None:
                text = name.decode("utf-8", "replace") if isinstance(name, bytes) else name
                raise _KeyRefused(text.rstrip("."), refused)
        return record

    return lookup


@functools.lru_cache(maxsize=256)
def _refusal(record: bytes) -> str | None:
    """Why mailauth does not verify with the key `record` holds (`KeyProblem` value), None
    when it does; read once per record, as the keys are (a seal and its message signature
    usually share one key, and a folder of mail a few)."""
    refused = key_from_record(record.decode("utf-8", "replace")).refused_by_verifier()
    return None if refused is None else refused.value


def _arc_verify(message: DkimMessage, dnsfunc: KeyLookup) -> ArcAnswer:
    """The chain validated by message/arcverify.py (dkimpy's answer for the same bytes: the
    differential tests hold the two to it)."""
    return arc_verify(message, dnsfunc)


def arc_verify(message: DkimMessage, dnsfunc: KeyLookup) -> ArcAnswer:
    """message/arcverify.py's `arc_verify`, imported for a message with ARC fields only (its
    regular expressions and code are not loaded by a `verify` start without them)."""
    return _native_verifier()(message, dnsfunc)


@functools.cache
def _native_verifier() -> Callable[[DkimMessage, KeyLookup], ArcAnswer]:
    """The import above, made once: an import statement run per sealed message costs a
    module lookup each time (issue 10)."""
    from mailauth.message.arcverify import arc_verify as verify

    return verify


def _view(message: ParsedMessage) -> DkimMessage:
    """The split message for the chain: the one the DKIM signatures use (their body hashes
    are shared), unless an AMS needed the space after its colon (`_for_arc`), which changes
    the header section only. Raises what `DkimMessage` raises for a header it refuses."""
    fixed = _for_arc(message)
    if fixed is message.dkim_bytes:
        return message.dkim_message()
    return DkimMessage(fixed, crlf_only=True)  # dkim_bytes' line endings are all CRLF


def _verify(message: ParsedMessage, bridge: SyncDns, instances: int) -> ArcOutcome:
    try:
        cv, results, reason = _arc_verify(_view(message), _checked_keys(bridge))
    except _KeyRefused as exc:
        params = {"name": exc.name, "problem": Phrase(f"verify.key-refused.{exc.problem}")}
        return ArcOutcome(Result.FAIL, instances, ArcReason.KEY_REFUSED, params)
    except NotPrefetched:  # run inline, a key not prefetched: verify_arc retries in a thread
        raise
    except Exception as exc:  # dkimpy raises on some malformed chains
        code, params = _reason_of(str(exc))
        detail = f"{type(exc).__name__}: {exc}"
        return ArcOutcome(Result.FAIL, instances, code, params, detail=detail)
    hops = tuple(_hop(r) for r in results or [])
    if cv == CV_Pass:
        return ArcOutcome(Result.PASS, instances, hops=hops)
    text = reason if isinstance(reason, str) else str(reason)
    code, params = _reason_of(text)
    failed = _failed_key_lookup(code, params, results or [], bridge)
    if failed is not None:
        code, params = ArcReason.KEY_LOOKUP_FAILED, failed
    if cv == CV_None:
        return ArcOutcome(Result.NONE, instances, code, params, hops, text)
    # cv is CV_Fail, or None when an earlier sealer already recorded cv=fail (RFC 8617 §5.2)
    return ArcOutcome(Result.FAIL, instances, code, params, hops, text)


def _failed_key_lookup(
    code: ArcReason, params: Mapping[str, Any], results: list[dict[str, Any]], bridge: SyncDns
) -> dict[str, Any] | None:
    """When dkimpy says a seal or the newest message signature "did not validate" and the
    lookup of its key failed (dkimpy turns a DNS failure into "invalid"), the name and rcode
    of that lookup; None when the key was answered (then the signature really is invalid)."""
    if code is ArcReason.AMS_INVALID and results:
        hop, prefix = results[0], "ams"  # dkimpy lists the newest instance first
    elif code is ArcReason.SEAL_INVALID:
        wanted = str(params.get("instance", ""))
        found = [r for r in results if str(r.get("instance")) == wanted]
        if not found:
            return None
        hop, prefix = found[0], "as"
    else:
        return None
    selector, domain = hop.get(f"{prefix}-selector", b""), hop.get(f"{prefix}-domain", b"")
    if not isinstance(selector, bytes) or not isinstance(domain, bytes):
        return None
    name = (selector + b"._domainkey." + domain).decode("utf-8", "replace")
    answer = bridge.answer_for(name, "TXT")
    if answer is None or not answer.is_error:
        return None
    return {"instance": hop.get("instance", ""), "name": answer.qname, "rcode": answer.rcode.value}


def _hop(data: dict[str, Any]) -> ArcHop:
    def text(key: str) -> str:
        value = data.get(key, b"")
        return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)

    results = _AAR_INSTANCE.sub("", " ".join(text("aar-value").split()), count=1)
    return ArcHop(
        instance=int(data.get("instance", 0)),
        seal_domain=text("as-domain").lower(),
        seal_selector=text("as-selector"),
        signature_domain=text("ams-domain").lower(),
        signature_selector=text("ams-selector"),
        cv=_chain_validation(text("cv")),
        seal_valid=data.get("as-valid"),
        signature_valid=data.get("ams-valid"),
        results=results,
    )


def _chain_validation(text: str) -> ChainValidation | None:
    try:
        return ChainValidation(text.lower())
    except ValueError:
        return None

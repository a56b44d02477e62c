"""Parsers for MTA-STS (RFC 8461): the `_mta-sts` TXT record and the policy file.

The TXT record only announces that a policy exists (and its version id); the policy itself
is a small `key: value` text file served at `https://mta-sts.<domain>/.well-known/mta-sts.txt`.
Both parsers are pure and never raise. The TXT record's `name=value; ...` fields are split
by `mailauth.records.taglist`, shared with TLS-RPT (RFC 8460 §3 copies RFC 8461 §3.1).
"""

from __future__ import annotations

import re
from dataclasses import field
from enum import Enum

from mailauth.frozen import frozen
from mailauth.records.problem import Problem
from mailauth.records.taglist import FIELD_NAME, begins_with_version, split_fields

STS_VERSION = "STSv1"
# RFC 8461 §3.1: sts-id = 1*32(ALPHA / DIGIT).
_ID = re.compile(r"[A-Za-z0-9]{1,32}\Z")
# RFC 8461 §3.1: ext-value = 1*(%x21-3A / %x3C / %x3E-7E), visible ASCII but ";" and "=".
_FIELD_VALUE = re.compile(r"[\x21-\x3a\x3c\x3e-\x7e]+\Z")
# RFC 8461 §3.2: max_age is at most 31557600 seconds (about a year).
MAX_AGE_LIMIT = 31_557_600
# RFC 8461 §3.2 advises max_age of weeks; under a day the policy protects little.
SHORT_MAX_AGE = 86_400
POLICY_MODES = ("enforce", "testing", "none")
_MX_PATTERN = re.compile(
    r"(\*\.)?([A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?\.)*"
    r"[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?\.?\Z"
)


class RecordProblem(str, Enum):
    """What can be wrong with a `_mta-sts` TXT record (all make senders ignore it,
    RFC 8461 §3.1, except DUPLICATE_FIELD which is ambiguous)."""

    NOT_STS = "not-sts"  # does not begin with v=STSv1
    MISSING_ID = "missing-id"
    BAD_ID = "bad-id"
    MALFORMED_FIELD = "malformed-field"
    DUPLICATE_FIELD = "duplicate-field"


# A problem of the TXT record: `subject` is the field's name, `value` the offending text.
MtaStsRecordProblem = Problem[RecordProblem]


@frozen
class MtaStsRecord:
    record: str
    tags: dict[str, str] = field(default_factory=dict)
    id: str | None = None
    extensions: dict[str, str] = field(default_factory=dict)
    problems: tuple[MtaStsRecordProblem, ...] = ()

    @property
    def valid(self) -> bool:
        return not any(p.code is not RecordProblem.DUPLICATE_FIELD for p in self.problems)


def is_mta_sts_text(text: str) -> bool:
    """RFC 8461 §3.1: a TXT record at `_mta-sts` is an MTA-STS record when it begins with
    exactly `v=STSv1`; others are discarded."""
    return begins_with_version(text, STS_VERSION)


def parse_mta_sts_record(text: str) -> MtaStsRecord:
    """Parse one `_mta-sts` TXT record (strings already joined). Never raises."""
    pairs, malformed = split_fields(text)
    problems: list[MtaStsRecordProblem] = []
    if not is_mta_sts_text(text):
        problems.append(Problem(RecordProblem.NOT_STS, "v", text.strip()[:40]))
    problems.extend(Problem(RecordProblem.MALFORMED_FIELD, None, m) for m in malformed)
    tags: dict[str, str] = {}
    for name, value in pairs:
        if name in tags:
            problems.append(Problem(RecordProblem.DUPLICATE_FIELD, name, value))
        elif not FIELD_NAME.match(name) or not _FIELD_VALUE.match(value):
            problems.append(Problem(RecordProblem.MALFORMED_FIELD, name, f"{name}={value}"))
            tags[name] = value
        else:
            tags[name] = value
    sts_id = tags.get("id")
    if sts_id is None:
        problems.append(Problem(RecordProblem.MISSING_ID, "id"))
    elif not _ID.match(sts_id):
        problems.append(Problem(RecordProblem.BAD_ID, "id", sts_id))
    extensions = {k: v for k, v in tags.items() if k not in ("v", "id")}
    return MtaStsRecord(text, tags, sts_id, extensions, tuple(problems))


class PolicyProblem(str, Enum):
    """What can be wrong with a policy file (RFC 8461 §3.2). `fatal` ones make senders
    reject the policy (RFC 8461 §3.3: treated as if no policy was found)."""

    MALFORMED_LINE = "malformed-line"
    DUPLICATE_FIELD = "duplicate-field"
    MISSING_VERSION = "missing-version"
    BAD_VERSION = "bad-version"
    MISSING_MODE = "missing-mode"
    BAD_MODE = "bad-mode"
    MISSING_MAX_AGE = "missing-max-age"
    BAD_MAX_AGE = "bad-max-age"  # not 1*10DIGIT, or above 31557600
    SHORT_MAX_AGE = "short-max-age"
    MISSING_MX = "missing-mx"  # enforce/testing with no mx line
    BAD_MX = "bad-mx"

    @property
    def fatal(self) -> bool:
        return self not in (
            PolicyProblem.MALFORMED_LINE,
            PolicyProblem.DUPLICATE_FIELD,
            PolicyProblem.SHORT_MAX_AGE,
        )


# A problem of the policy file: `subject` is the key (`mode`, `mx`...), `value` the text.
MtaStsPolicyProblem = Problem[PolicyProblem]


@frozen
class MtaStsPolicy:
    text: str
    version: str | None = None
    mode: str | None = None
    mx: tuple[str, ...] = ()
    max_age: int | None = None
    extensions: dict[str, str] = field(default_factory=dict)
    problems: tuple[MtaStsPolicyProblem, ...] = ()

    @property
    def valid(self) -> bool:
        return not any(p.code.fatal for p in self.problems)

    def matches_mx(self, host: str) -> bool:
        """RFC 8461 §4.1: does an MX host name match one of the policy's mx patterns?
        A leading `*.` matches exactly one leftmost label."""
        h = host.lower().rstrip(".")
        for pattern in self.mx:
            p = pattern.lower().rstrip(".")
            if p.startswith("*."):
                label, _, rest = h.partition(".")
                if label and rest == p[2:]:
                    return True
            elif h == p:
                return True
        return False


def parse_mta_sts_policy(text: str) -> MtaStsPolicy:
    """Parse a policy file body (RFC 8461 §3.2: `key: value` lines, LF or CRLF). Never raises."""
    problems: list[MtaStsPolicyProblem] = []
    fields: dict[str, str] = {}
    mx: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        key, colon, value = line.partition(":")
        key, value = key.strip(), value.strip()
        if not colon or not key:
            problems.append(Problem(PolicyProblem.MALFORMED_LINE, None, line[:60]))
        elif key == "mx":
            mx.append(value)
            if not _MX_PATTERN.match(value):
                problems.append(Problem(PolicyProblem.BAD_MX, "mx", value[:60]))
        elif key in fields:
            problems.append(Problem(PolicyProblem.DUPLICATE_FIELD, key, value[:60]))
        else:
            fields[key] = value

    version = fields.get("version")
    if version is None:
        problems.append(Problem(PolicyProblem.MISSING_VERSION, "version"))
    elif version != STS_VERSION:
        problems.append(Problem(PolicyProblem.BAD_VERSION, "version", version[:40]))
    mode = fields.get("mode")
    if mode is None:
        problems.append(Problem(PolicyProblem.MISSING_MODE, "mode"))
    elif mode not in POLICY_MODES:
        problems.append(Problem(PolicyProblem.BAD_MODE, "mode", mode[:40]))
    elif mode != "none" and not mx:
        problems.append(Problem(PolicyProblem.MISSING_MX, "mx", mode))
    max_age = _max_age(fields.get("max_age"), problems)
    extensions = {k: v for k, v in fields.items() if k not in ("version", "mode", "max_age")}
    return MtaStsPolicy(text, version, mode, tuple(mx), max_age, extensions, tuple(problems))


def _max_age(value: str | None, problems: list[MtaStsPolicyProblem]) -> int | None:
    if value is None:
        problems.append(Problem(PolicyProblem.MISSING_MAX_AGE, "max_age"))
        return None
    # RFC 8461 §3.2: max_age = 1*10DIGIT, at most 31557600.
    if not (value.isascii() and value.isdigit() and len(value) <= 10):
        problems.append(Problem(PolicyProblem.BAD_MAX_AGE, "max_age", value[:40]))
        return None
    seconds = int(value)
    if seconds > MAX_AGE_LIMIT:
        problems.append(Problem(PolicyProblem.BAD_MAX_AGE, "max_age", value))
        return None
    if seconds < SHORT_MAX_AGE:
        problems.append(Problem(PolicyProblem.SHORT_MAX_AGE, "max_age", value))
    return seconds


def policy_url(domain: str) -> str:
    """Where senders fetch the policy (RFC 8461 §3.3)."""
    return f"https://mta-sts.{domain}/.well-known/mta-sts.txt"

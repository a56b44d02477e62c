"""What Gmail, Yahoo and Outlook.com demand of senders, judged from a domain's checks.

The question a mail admin actually asks is "will Gmail / Yahoo / Outlook accept my mail?".
Findings answer it piece by piece; this module answers it per provider, from the published
sender rules, so the report can say "Yahoo bulk senders: not met (no DMARC record)".

Pure, like scoring: check reports in, verdicts out. Only DNS-visible rules are judged here;
rules about individual messages (alignment of the From domain, one-click unsubscribe, TLS,
spam rate) are listed as `MESSAGE` so the report can point at `mailauth verify`. One rule
underlies every other: a sender domain that exists in DNS (`DOMAIN_EXISTS`); a domain that
does not meets none of them (Gmail: "sending domains ... must have valid forward ... DNS").

Sources (as published by each provider):
- Gmail, "Email sender guidelines" (in force since February 2024): all senders need SPF or
  DKIM, and keys of at least 1024 bits; bulk senders (5,000+ messages a day to Gmail) need
  SPF and DKIM, a DMARC record (p=none is enough), From alignment and one-click unsubscribe.
- Yahoo, "Sender requirements" (February 2024): the same split for all and bulk senders.
- Outlook.com, "high-volume sender requirements" (May 2025): domains sending 5,000+ messages
  a day need SPF pass, DKIM pass and DMARC (at least p=none) aligned with SPF or DKIM.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum

from mailauth.dns.orgdomain import DiscoveryStatus, NoneReason
from mailauth.domain.dkim import DkimReport
from mailauth.domain.dmarc import DmarcReport
from mailauth.frozen import frozen
from mailauth.model import CheckReport, Status
from mailauth.records.dkim_key import KeyStrength
from mailauth.records.dmarc import is_dmarc_text


class State(str, Enum):
    MET = "met"
    UNMET = "unmet"
    UNKNOWN = "unknown"  # a lookup failed, or no DKIM selector could be found
    MESSAGE = "message"  # a rule about messages: `mailauth verify` judges it


class Rule(str, Enum):
    """One sender rule. Values are stable JSON keys; their text lives in mailauth.i18n."""

    DOMAIN_EXISTS = "domain-exists"
    SPF_OR_DKIM = "spf-or-dkim"
    SPF = "spf"
    DKIM = "dkim"
    DKIM_1024 = "dkim-1024"
    DMARC_RECORD = "dmarc-record"
    ALIGNMENT = "alignment"
    ONE_CLICK_UNSUBSCRIBE = "one-click-unsubscribe"


class Audience(str, Enum):
    ALL = "all_senders"
    BULK = "bulk_senders"


# provider -> audience -> the rules it publishes for that audience.
PROVIDER_RULES: dict[str, dict[Audience, tuple[Rule, ...]]] = {
    "gmail": {
        Audience.ALL: (Rule.DOMAIN_EXISTS, Rule.SPF_OR_DKIM, Rule.DKIM_1024),
        Audience.BULK: (
            Rule.DOMAIN_EXISTS,
            Rule.SPF,
            Rule.DKIM,
            Rule.DKIM_1024,
            Rule.DMARC_RECORD,
            Rule.ALIGNMENT,
            Rule.ONE_CLICK_UNSUBSCRIBE,
        ),
    },
    "yahoo": {
        Audience.ALL: (Rule.DOMAIN_EXISTS, Rule.SPF_OR_DKIM),
        Audience.BULK: (
            Rule.DOMAIN_EXISTS,
            Rule.SPF,
            Rule.DKIM,
            Rule.DMARC_RECORD,
            Rule.ALIGNMENT,
            Rule.ONE_CLICK_UNSUBSCRIBE,
        ),
    },
    "outlook": {
        Audience.BULK: (
            Rule.DOMAIN_EXISTS,
            Rule.SPF,
            Rule.DKIM,
            Rule.DMARC_RECORD,
            Rule.ALIGNMENT,
        ),
    },
}


@frozen
class RuleState:
    rule: Rule
    state: State


@frozen
class AudienceVerdict:
    """`verdict` is UNMET if any DNS-visible rule is unmet, UNKNOWN if one could not be
    judged, else MET (message rules never decide it: they are listed for `verify`)."""

    audience: Audience
    verdict: State
    rules: tuple[RuleState, ...]

    @property
    def unmet(self) -> tuple[Rule, ...]:
        return tuple(r.rule for r in self.rules if r.state is State.UNMET)

    @property
    def unknown(self) -> tuple[Rule, ...]:
        """Rules that could not be judged: the report names them, so "Gmail: unknown" next
        to "Yahoo: met" for the same DNS explains itself (Gmail has the key-size rule)."""
        return tuple(r.rule for r in self.rules if r.state is State.UNKNOWN)


@frozen
class ProviderVerdict:
    provider: str
    audiences: tuple[AudienceVerdict, ...]


def judge_providers(
    checks: Mapping[str, CheckReport], exists: bool | None = True
) -> tuple[ProviderVerdict, ...]:
    """Every provider's rules, judged from the domain's check reports and whether the domain
    exists (None: not known, a lookup failed)."""
    states = {**_rule_states(checks), Rule.DOMAIN_EXISTS: _EXISTS[exists]}
    return tuple(
        ProviderVerdict(
            provider,
            tuple(
                _audience(audience, tuple(RuleState(rule, states[rule]) for rule in rules))
                for audience, rules in by_audience.items()
            ),
        )
        for provider, by_audience in PROVIDER_RULES.items()
    )


def _audience(audience: Audience, rules: tuple[RuleState, ...]) -> AudienceVerdict:
    judged = [r.state for r in rules if r.state is not State.MESSAGE]
    if State.UNMET in judged:
        verdict = State.UNMET
    elif State.UNKNOWN in judged:
        verdict = State.UNKNOWN
    else:
        verdict = State.MET
    return AudienceVerdict(audience, verdict, rules)


def _rule_states(checks: Mapping[str, CheckReport]) -> dict[Rule, State]:
    spf = _published(checks.get("spf"))
    dkim_report = checks.get("dkim")
    dkim = _dkim(dkim_report)
    return {
        Rule.SPF: spf,
        Rule.DKIM: dkim,
        Rule.SPF_OR_DKIM: _either(spf, dkim),
        Rule.DKIM_1024: _dkim_1024(dkim_report, dkim),
        Rule.DMARC_RECORD: _dmarc(checks.get("dmarc")),
        Rule.ALIGNMENT: State.MESSAGE,
        Rule.ONE_CLICK_UNSUBSCRIBE: State.MESSAGE,
    }


_EXISTS = {True: State.MET, False: State.UNMET, None: State.UNKNOWN}


def _published(report: CheckReport | None) -> State:
    """A record that exists and evaluates (PASS/WARN) meets the rule; a missing or broken one
    (permerror at receivers) does not; a failed lookup gives no verdict."""
    if report is None or report.status in (Status.ERROR, Status.SKIPPED):
        return State.UNKNOWN
    return State.MET if report.status in (Status.PASS, Status.WARN) else State.UNMET


def _dkim(report: CheckReport | None) -> State:
    # No selector found among the common ones is "unknown": the domain may sign with a
    # selector nobody can guess (DKIM keys are not discoverable, RFC 6376 §3.6.2.1). A
    # selector the user named that has no key is a failure they told us about.
    if isinstance(report, DkimReport) and report.status is Status.NONE:
        named_missing = any(
            s.named and s.key is None and s.status is Status.NONE for s in report.selectors
        )
        return State.UNMET if named_missing else State.UNKNOWN
    return _published(report)


def _dkim_1024(report: CheckReport | None, dkim: State) -> State:
    if isinstance(report, DkimReport) and any(
        s.key is not None and s.key.strength is KeyStrength.TOO_SHORT for s in report.selectors
    ):
        return State.UNMET
    return State.MET if dkim is State.MET else State.UNKNOWN


def _dmarc(report: CheckReport | None) -> State:
    if report is None or report.status in (Status.ERROR, Status.SKIPPED):
        return State.UNKNOWN
    if report.status is Status.NONE or (isinstance(report, DmarcReport) and _unusable(report)):
        return State.UNMET
    return State.MET


def _unusable(report: DmarcReport) -> bool:
    """No usable DMARC record at the domain (RFC 9989 §4.7, §4.10.1): several records, or a
    `_dmarc` TXT that is not a DMARC record (receivers then ignore what is there)."""
    d = report.discovery
    several = d.status is DiscoveryStatus.NONE and d.none_reason is NoneReason.MULTIPLE_RECORDS
    return several or any(not is_dmarc_text(t) for t in report.published)


def _either(a: State, b: State) -> State:
    if State.MET in (a, b):
        return State.MET
    if a is State.UNMET and b is State.UNMET:
        return State.UNMET
    return State.UNKNOWN

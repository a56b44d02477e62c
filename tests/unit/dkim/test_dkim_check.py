"""DKIM domain check over in-memory DNS (edge cases) and the sample zones."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from mailauth.dns.interface import DnsSource, Rcode
from mailauth.dns.memory import MemorySource
from mailauth.dns.zonefile import ZoneSource
from mailauth.domain.context import CheckContext, CheckOptions
from mailauth.domain.dkim import DkimReport, check_dkim
from mailauth.domain.dkim_selectors import (
    COMMON_SELECTOR_GROUPS,
    COMMON_SELECTORS,
    CUT_CANARIES,
    valid_selector,
)
from mailauth.model import Severity, Status
from mailauth.render.check_json import dkim_json

SAMPLES = Path(__file__).resolve().parents[3] / "samples" / "zones"
P2048 = (
    "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAkBAn4fnZvVZypn2t4sKwm9D4GFM4Dx7nzdZp95THk/0yaXIy"
    "w7WaAQKKRLKCt6TukWfMhKs6j2k1x7BFXil7Xx5Rll/0H17n4LF6tZBwmmsSt3q3CwPkDjF7B0Dks/niIX5UnYtPa0BF"
    "V5jW28w85gSdkGSMdV4O/YeoRk85llCl42vYcgU4GbDBQlh484GErGHI6FpzGZujWcz8SJeiVr9Cd2xFTunTM/D74WF1"
    "4oDshX8BIgHzkrwnNVDjbKqYk+UtU60PFLoPeO1BmTOzcx1GUmZqTvkujTo1yRQAcpERSRD33lMscCJN8kx2uLYElD7g"
    "iFd1X9KJbypCsqDyfQIDAQAB"
)
GOOD = f"v=DKIM1; k=rsa; p={P2048}"


def run(dns: DnsSource, domain: str = "example.com", *selectors: str) -> DkimReport:
    return asyncio.run(check_dkim(CheckContext(dns, CheckOptions(selectors=selectors)), domain))


def ids(report: DkimReport) -> list[str]:
    return [f.id for f in report.findings]


def keys(**selectors: object) -> MemorySource:
    records = {"example.com": {"A": ["192.0.2.1"]}}
    for sel, value in selectors.items():
        records[f"{sel}._domainkey.example.com"] = {
            "TXT": value if isinstance(value, list) else [value]
        }
    return MemorySource(records)


def test_no_key_anywhere_is_unknown_not_failure() -> None:
    report = run(keys())
    assert report.status is Status.NONE
    assert ids(report) == ["dkim.no-selector-found"]
    assert report.findings[0].severity is Severity.INFO
    assert dkim_json(report)["selectors"] == []
    assert len(dkim_json(report)["tried"]) == len(COMMON_SELECTORS)


def test_probes_run_in_three_concurrent_rounds() -> None:
    """Round 0: `_domainkey` and the first CUT_CANARIES groups' first selectors at once;
    round 1: every other group's first (asyncio.gather); round 2: the rest of the groups,
    again all at once. `_domainkey` exists here (a key below it), so no cut."""
    started: list[str] = []
    in_flight = 0
    peaks: list[int] = []
    source = keys(unlisted=GOOD)  # `_domainkey.example.com` is an empty non-terminal

    class Slow:
        async def query(self, name: str, rdtype: str):  # type: ignore[no-untyped-def]
            nonlocal in_flight
            started.append(name)
            in_flight += 1
            await asyncio.sleep(0)
            peaks.append(in_flight)
            await asyncio.sleep(0.01)
            in_flight -= 1
            return source.lookup(name, rdtype)

    report = run(Slow())  # type: ignore[arg-type]
    leaders = len(COMMON_SELECTOR_GROUPS)
    zero = 1 + CUT_CANARIES
    assert started[0] == "_domainkey.example.com"
    assert len(started) == 1 + len(COMMON_SELECTORS)
    assert peaks[:zero] == [zero] * zero
    assert max(peaks[zero : zero + leaders - CUT_CANARIES]) == leaders - CUT_CANARIES
    assert max(peaks[zero + leaders - CUT_CANARIES :]) == len(COMMON_SELECTORS) - leaders
    first_round = {n.split(".")[0] for n in started[1 : 1 + leaders]}
    assert first_round == {group[0] for group in COMMON_SELECTOR_GROUPS}
    assert sorted(report.tried) == sorted(COMMON_SELECTORS) and report.status is Status.NONE


def test_nxdomain_at_domainkey_stops_the_probes() -> None:
    """RFC 8020: when `_domainkey.<domain>` does not exist, no selector below it does. Only
    round 0 is asked; the report is the same as after every probe (each selector NXDOMAIN)."""
    source = keys()
    report = run(source)
    assert [n for n, _ in source.log] == [
        "_domainkey.example.com",
        *(f"{group[0]}._domainkey.example.com" for group in COMMON_SELECTOR_GROUPS[:2]),
    ]
    assert sorted(report.tried) == sorted(COMMON_SELECTORS)
    assert ids(report) == ["dkim.no-selector-found"]
    probed = keys(unlisted=GOOD)
    assert run(probed).tried == report.tried and len(probed.log) == 1 + len(COMMON_SELECTORS)
    assert dkim_json(report) == dkim_json(run(probed))


def test_a_server_that_denies_an_empty_non_terminal_is_probed_fully() -> None:
    """A broken server answers NXDOMAIN at `_domainkey` although a key lives below it: a key
    at a canary (or a named selector) shows the disagreement and every selector is probed."""
    source = keys(google=GOOD, mail=GOOD)
    broken = MemorySource(
        source.records, failures={("_domainkey.example.com", "TXT"): Rcode.NXDOMAIN}
    )
    report = run(broken)
    assert [r.selector for r in report.selectors] == ["google", "mail"]
    assert len(broken.log) == 1 + len(COMMON_SELECTORS)
    named = MemorySource(
        keys(mine=GOOD, mail=GOOD).records,
        failures={("_domainkey.example.com", "TXT"): Rcode.NXDOMAIN},
    )
    assert [r.selector for r in run(named, "example.com", "mine").selectors] == ["mine", "mail"]


def test_without_the_cut_a_broken_server_cannot_hide_a_key() -> None:
    """The case the canaries cannot catch: the only key is at a selector that is neither a
    canary nor named, under a server that denies the empty non-terminal. A bulk run (cut on)
    misses it; a single-domain check (`dkim_cut=False`, what `mailauth check DOMAIN` uses)
    never asks `_domainkey` and finds it."""
    broken = MemorySource(
        keys(mail=GOOD).records, failures={("_domainkey.example.com", "TXT"): Rcode.NXDOMAIN}
    )
    assert run(broken).selectors == ()
    before = len(broken.log)
    whole = CheckContext(broken, CheckOptions(dkim_cut=False))
    report = asyncio.run(check_dkim(whole, "example.com"))
    assert [r.selector for r in report.selectors] == ["mail"]
    asked = [n for n, _ in broken.log[before:]]
    assert "_domainkey.example.com" not in asked and len(asked) == len(COMMON_SELECTORS)


def test_a_cname_at_domainkey_is_no_cut() -> None:
    """NXDOMAIN at the end of a CNAME chain is about the target: `_domainkey` itself exists."""
    source = MemorySource(
        {
            **keys(mail=GOOD).records,
            "_domainkey.example.com": {"CNAME": ["gone.example.net"]},
        }
    )
    assert [r.selector for r in run(source).selectors] == ["mail"]


def test_a_provider_group_stops_at_its_first_hosted_key() -> None:
    """Microsoft 365 publishes selector1 and selector2 as CNAMEs to its own zone: once
    selector1 leads to a key, selector2 is not asked. A group whose first has no key, or a
    key published at the domain itself (s1 here), is probed on."""
    asked: list[str] = []
    source = MemorySource(
        {
            **keys(selector2=GOOD, k2=GOOD, s1=GOOD, s2=GOOD).records,
            "selector1._domainkey.example.com": {"CNAME": ["sel1.hosted.example"]},
            "sel1.hosted.example": {"TXT": [GOOD]},
        }
    )

    class Recording:
        async def query(self, name: str, rdtype: str):  # type: ignore[no-untyped-def]
            asked.append(name.split(".")[0])
            return source.lookup(name, rdtype)

    report = run(Recording())  # type: ignore[arg-type]
    assert "selector1" in asked and "selector2" not in asked
    assert {"k1", "k2", "k3", "mandrill", "s1", "s2"} <= set(asked)
    assert [r.selector for r in report.selectors] == ["selector1", "s1", "s2", "k2"]
    assert "selector2" not in report.tried and len(report.tried) == len(COMMON_SELECTORS) - 1


def test_probes_can_be_chosen_or_turned_off() -> None:
    def run_with(dns: DnsSource, options: CheckOptions) -> DkimReport:
        return asyncio.run(check_dkim(CheckContext(dns, options), "example.com"))

    own = run_with(keys(mine=GOOD), CheckOptions(dkim_probes=(("mine",), ("other",))))
    assert own.tried == ("mine", "other") and own.status is Status.PASS
    none = run_with(keys(s1=GOOD), CheckOptions(dkim_probes=()))
    assert none.tried == () and none.status is Status.NONE and not none.findings
    named = run_with(keys(s1=GOOD), CheckOptions(selectors=("s1",), dkim_probes=()))
    assert named.tried == ("s1",) and named.status is Status.PASS


def test_good_key_passes_and_reports_data() -> None:
    report = run(keys(s1=GOOD))
    assert report.status is Status.PASS and not report.findings
    (sel,) = dkim_json(report)["selectors"]
    assert sel["selector"] == "s1" and sel["status"] == "pass"
    assert (sel["key_type"], sel["key_bits"], sel["revoked"], sel["testing"]) == (
        "rsa",
        2048,
        False,
        False,
    )
    assert sel["record"] == GOOD and sel["cname"] is None


def test_key_split_over_several_strings() -> None:
    parts = [GOOD[:255].encode(), GOOD[255:].encode()]
    report = run(keys(google=[parts]))
    assert report.status is Status.PASS
    assert dkim_json(report)["selectors"][0]["key_bits"] == 2048


def test_cname_delegation_is_shown() -> None:
    dns = MemorySource(
        {
            "s1._domainkey.example.com": {"CNAME": ["s1.domainkey.u1.esp.example"]},
            "s1.domainkey.u1.esp.example": {"TXT": [GOOD]},
        }
    )
    (sel,) = dkim_json(run(dns))["selectors"]
    assert sel["cname"] == "s1.domainkey.u1.esp.example" and sel["key_bits"] == 2048


def test_non_key_txt_at_common_selector_is_ignored() -> None:
    """A wildcard TXT (an SPF record, a site token) is not a DKIM key."""
    dns = keys(default="v=spf1 -all", mail="google-site-verification=x")
    assert ids(run(dns)) == ["dkim.no-selector-found"]


def test_non_key_txt_at_named_selector_is_judged() -> None:
    report = run(keys(mine="hello world"), "example.com", "mine")
    assert "dkim.key-syntax" in ids(report) and "dkim.missing-key" in ids(report)
    assert report.status is Status.FAIL


def test_named_selector_missing_is_a_real_finding() -> None:
    report = run(keys(), "example.com", "mine")
    assert ids(report) == ["dkim.selector-not-found"]
    assert report.status is Status.FAIL
    (sel,) = dkim_json(report)["selectors"]
    assert sel == {**sel, "selector": "mine", "status": "none", "key_type": None}


def test_named_selector_missing_but_another_found() -> None:
    report = run(keys(s1=GOOD), "example.com", "mine")
    assert ids(report) == ["dkim.selector-not-found"]
    assert [s["selector"] for s in dkim_json(report)["selectors"]] == ["mine", "s1"]


def test_named_selectors_are_normalised_and_deduplicated() -> None:
    report = run(keys(mine=GOOD), "example.com", "Mine", "mine.", "mine")
    assert report.tried[0] == "mine" and report.tried.count("mine") == 1
    assert report.status is Status.PASS


def test_invalid_selector_is_reported_not_queried() -> None:
    dns = keys()
    report = run(dns, "example.com", "bad selector")
    assert "dkim.invalid-selector" in ids(report)
    assert not any("bad selector" in name for name, _ in dns.log)


@pytest.mark.parametrize(
    ("selector", "ok"),
    [
        ("s1", True),
        ("selector1-example-com", True),
        ("2024.mail", True),
        ("sel_ector", True),
        ("", False),
        ("-bad", False),
        ("bad-", False),
        ("a..b", False),
        ("a b", False),
        ("x" * 64, False),
        ("日本", False),
        ("a/b", False),
    ],
)
def test_valid_selector(selector: str, ok: bool) -> None:
    assert valid_selector(selector) is ok


def test_every_lookup_failing_is_an_error() -> None:
    dns = MemorySource(
        failures={(f"{s}._domainkey.example.com", "TXT"): Rcode.TIMEOUT for s in COMMON_SELECTORS}
    )
    report = run(dns)
    assert report.status is Status.ERROR
    assert ids(report) == ["dkim.lookup-failed"]
    assert report.findings[0].params["rcode"] == "TIMEOUT"


def test_a_few_unanswered_probes_are_a_note_not_no_verdict() -> None:
    """No key among the common selectors is "unknown" whether or not one guess timed out."""
    dns = MemorySource(failures={("google._domainkey.example.com", "TXT"): Rcode.TIMEOUT})
    report = run(dns)
    assert report.status is Status.NONE
    assert ids(report) == ["dkim.no-selector-found", "dkim.lookup-failed"]
    assert report.findings[1].severity is Severity.INFO
    assert report.findings[1].params["name"] == "google._domainkey.example.com"


def test_named_selector_unanswered_and_no_key_is_no_verdict() -> None:
    dns = MemorySource(failures={("mine._domainkey.example.com", "TXT"): Rcode.SERVFAIL})
    report = run(dns, "example.com", "mine")
    assert report.status is Status.ERROR
    assert ids(report)[0] == "dkim.lookup-failed"
    assert report.findings[0].params["name"] == "mine._domainkey.example.com"


def test_some_lookups_failing_do_not_hide_a_judged_key() -> None:
    dns = MemorySource(
        {"s1._domainkey.example.com": {"TXT": [GOOD]}},
        failures={("google._domainkey.example.com", "TXT"): Rcode.SERVFAIL},
    )
    report = run(dns)
    assert report.status is Status.PASS and not report.findings


def test_named_selector_failing_is_a_note_when_keys_were_judged() -> None:
    dns = MemorySource(
        {"s1._domainkey.example.com": {"TXT": [GOOD]}},
        failures={("mine._domainkey.example.com", "TXT"): Rcode.SERVFAIL},
    )
    report = run(dns, "example.com", "mine")
    assert ids(report) == ["dkim.lookup-failed"]
    assert report.findings[0].severity is Severity.INFO
    assert report.status is Status.PASS
    assert dkim_json(report)["selectors"][0]["status"] == "error"


def test_only_revoked_keys_means_no_working_key() -> None:
    report = run(keys(default="v=DKIM1; p="))
    assert ids(report) == ["dkim.key-revoked"] and report.status is Status.NONE
    assert dkim_json(report)["selectors"][0]["revoked"] is True


def test_revoked_next_to_good_key_passes() -> None:
    report = run(keys(default="v=DKIM1; p=", s1=GOOD))
    assert report.status is Status.PASS


def test_testing_flag_warns() -> None:
    report = run(keys(s1=f"v=DKIM1; t=y; p={P2048}"))
    assert ids(report) == ["dkim.testing"] and report.status is Status.WARN
    assert dkim_json(report)["selectors"][0]["testing"] is True


def test_multiple_records_at_one_selector() -> None:
    report = run(keys(s1=[GOOD, "v=DKIM1; p="]))
    assert ids(report)[0] == "dkim.multiple-records"


def test_ed25519_only() -> None:
    report = run(keys(s2="v=DKIM1; k=ed25519; p=Di+PY/v9NOzgHqD1WEkkr6C9O8ebv8M7o+BRucI7r2Y="))
    assert ids(report) == ["dkim.ed25519-only"] and report.status is Status.WARN


def test_non_utf8_txt_does_not_crash() -> None:
    report = run(keys(s1=[[b"v=DKIM1; p=\xff\xfe"]]))
    assert "dkim.bad-key-data" in ids(report)


@pytest.fixture(scope="module")
def samples() -> ZoneSource:
    return ZoneSource.from_paths([SAMPLES])


def test_sample_example_jp(samples: ZoneSource) -> None:
    report = run(samples, "example.jp")
    assert report.status is Status.PASS and not report.findings
    found = {s["selector"]: (s["key_type"], s["key_bits"]) for s in dkim_json(report)["selectors"]}
    assert found == {"s1": ("rsa", 2048), "s2": ("ed25519", 256)}


def test_sample_broken_example(samples: ZoneSource) -> None:
    report = run(samples, "broken.example")
    assert ids(report) == ["dkim.key-too-short"] and report.status is Status.FAIL
    assert report.findings[0].params["bits"] == 512
    assert dkim_json(report)["selectors"][0]["selector"] == "default"

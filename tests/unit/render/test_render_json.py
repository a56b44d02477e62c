"""--format json: the documented schema, one object per domain, an array for several."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from render_fakes import (
    LONG_RECORD,
    ZONE,
    build,
    catalogued,
    dkim_report,
    fake,
    mx_host,
    mx_report,
    output,
    returning,
    spf_zone,
)

from mailauth.domain.runner import CheckFunction, DomainReport
from mailauth.findings import CATALOGUE
from mailauth.model import Status
from mailauth.render.environment import Environment
from mailauth.render.json import domain_json, render_domains
from mailauth.schema import load_schema

CHECK_KEYS = (
    "spf", "dmarc", "dkim", "bimi", "mx", "mta_sts", "tls_rpt", "dnssec", "dane", "smtp", "ns"
)  # fmt: skip


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = load_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def full_report(**overrides: CheckFunction) -> DomainReport:
    """Every check key present, as the real registry produces, each passing: the sample
    zone's SPF and DMARC, one DKIM key, one MX host, no BIMI/MTA-STS/TLS-RPT record."""
    checks: dict[str, CheckFunction] = {k: fake(k, Status.PASS) for k in CHECK_KEYS}
    checks["dkim"] = returning(dkim_report())
    checks["mx"] = returning(mx_report(mx_host("mx1.example.jp", "192.0.2.25")))
    checks.update(overrides)
    return build(records=ZONE, **checks)


def rendered(reports: list[DomainReport], env: Environment) -> Any:
    render_domains(reports, env)
    return json.loads(output(env))


def test_one_domain_is_one_object_valid_against_the_schema(
    validator: jsonschema.Draft202012Validator, plain_env: Environment
) -> None:
    doc = rendered([full_report()], plain_env)
    validator.validate(doc)
    assert isinstance(doc, dict)
    assert (doc["domain"], doc["score"], doc["grade"]) == ("example.jp", 100, "A")
    for key in CHECK_KEYS:
        assert doc[key]["status"] == "pass"


def test_several_domains_are_an_array(
    validator: jsonschema.Draft202012Validator, plain_env: Environment
) -> None:
    doc = rendered([full_report(), full_report()], plain_env)
    validator.validate(doc)
    assert isinstance(doc, list) and len(doc) == 2


def test_findings_have_every_documented_field(
    validator: jsonschema.Draft202012Validator, plain_env: Environment
) -> None:
    spf = fake("spf", Status.FAIL, catalogued("spf.missing", fix_record=LONG_RECORD))
    doc = rendered([full_report(spf=spf)], plain_env)
    validator.validate(doc)
    (item,) = doc["findings"]
    assert item["id"] == "spf.missing"
    assert item["check"] == "spf"
    assert item["severity"] == CATALOGUE["spf.missing"].severity.value
    assert item["fix_record"] == LONG_RECORD
    assert all(item[k] for k in ("title", "detail", "consequence", "fix"))
    assert doc["deductions"][0]["id"] == "spf.missing"
    assert doc["score"] < 100


def test_an_errored_check_validates_without_its_data(
    validator: jsonschema.Draft202012Validator, plain_env: Environment
) -> None:
    async def boom(*_: object) -> None:
        raise RuntimeError("kaput")

    doc = rendered([full_report(dmarc=boom)], plain_env)
    validator.validate(doc)
    assert doc["dmarc"] == {"status": "error"}
    assert doc["complete"] is False
    assert doc["findings"][0]["check"] == "dmarc"


def test_schema_rejects_missing_required_data(validator: jsonschema.Draft202012Validator) -> None:
    doc = domain_json(full_report())
    del doc["spf"]["dns_lookups"]
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(doc)


def test_status_is_the_reports_own(plain_env: Environment) -> None:
    """`status` is written once, from the report, not recomputed from the data (p=reject
    would pass) and first in the check's object."""
    dmarc = fake("dmarc", Status.WARN)
    doc = rendered([full_report(dmarc=dmarc)], plain_env)
    assert doc["dmarc"]["status"] == "warn"
    assert doc["dmarc"]["policy"] == "reject"
    assert all(next(iter(doc[key])) == "status" for key in CHECK_KEYS)


def test_unicode_is_kept_readable(plain_env: Environment) -> None:
    report = build("日本語.jp", spf=fake("spf", Status.PASS))
    render_domains([report], plain_env)
    assert '"unicode_domain": "日本語.jp"' in output(plain_env)


def test_control_characters_are_escaped(plain_env: Environment) -> None:
    report = build(records=spf_zone("v=spf1 \x1b[31m -all"), spf=fake("spf", Status.PASS))
    render_domains([report], plain_env)
    text = output(plain_env)
    assert "\x1b" not in text
    assert json.loads(text)["spf"]["record"] == "v=spf1 \x1b[31m -all"

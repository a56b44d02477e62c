"""BIMI logo samples (postalsys/mailauth validate-svg-test.js, Mail::BIMI t/) through our SVG
Tiny PS check (`mailauth.records.bimi_svg.check_svg`), the code path `mailauth check` uses.

Each sample carries two upstream verdicts (see the manifest): the hazard screen of mailauth
(Node) and the BIMI Group RELAX NG schema. Every sample either upstream rejects, we reject,
with a problem code that expresses the upstream error code (and the element it names). Where
they agree a sample is valid, we accept it. Where they disagree (mailauth accepts, the schema
rejects), we follow the profile rules of issue 11 and say per sample which way and why.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from mailauth.records.bimi_svg import check_svg

from .known import known_failure

SUITE = "bimi-svg"
_DIR = Path(__file__).resolve().parents[1] / "data/conformance/bimi/svg-samples"
SAMPLES: list[dict[str, Any]] = list(
    yaml.safe_load_all((_DIR / "manifest.yaml").read_text("utf-8"))
)[-1]["samples"]

# Upstream error code -> our problem codes that express it.
ERROR_CODES = {
    "INVALID_XML_FILE": {"unparseable", "dtd", "not-svg"},
    "INVALID_SVG_FILE": {"unparseable", "dtd", "not-svg"},
    "INVALID_BASE_PROFILE": {"base-profile"},
    "LOGO_MISSING_TITLE": {"no-title"},
    "LOGO_INVALID_ROOT_ATTRS": {"root-position"},
    "LOGO_INVALID_ELEMENT": {"forbidden-element"},
    "LOGO_INCLUDES_REFERENCE": {"external-reference", "javascript"},
}

# Samples mailauth accepts and the schema rejects: our verdict, and why.
DISAGREEMENTS = {
    # <use xlink:href="#grad1">: the schema has no href on <use>; issue 11 allows references
    # to a local #id (they fetch nothing), as mailauth does.
    "02-accept-svg-with-internal-references-id.svg": True,
    "23-allow-internal-id-references.svg": True,
    # No version="1.2" and no viewBox: issue 11 requires both, as the schema does.
    "32-handle-svg-with-arrays-of-elements.svg": False,
    "33-handle-deeply-nested-valid-structure.svg": False,
    "35-handle-svg-with-text-content.svg": False,
}


def _upstream_valid(sample: dict[str, Any]) -> bool | None:
    for key in ("mailauth_valid", "mail_bimi_valid"):
        if key in sample:
            return bool(sample[key])
    return None


@pytest.mark.parametrize(
    "sample",
    [pytest.param(s, id=s["file"], marks=known_failure(SUITE, s["file"])) for s in SAMPLES],
)
def test_svg_sample(sample: dict[str, Any]) -> None:
    result = check_svg((_DIR / sample["file"]).read_bytes())
    codes = {p.code.value for p in result.problems}
    upstream = _upstream_valid(sample)
    if sample["file"] in DISAGREEMENTS:
        assert upstream is True and sample["bimi_rng_valid"] is False
        assert result.valid is DISAGREEMENTS[sample["file"]], result.problems
    elif upstream is False or sample["bimi_rng_valid"] is False:
        assert not result.valid
    else:
        assert result.valid, result.problems
    wanted = sample.get("mailauth_error_any_of") or (
        [sample["mailauth_error"]] if "mailauth_error" in sample else []
    )
    if wanted:
        assert set().union(*(ERROR_CODES[w] for w in wanted)) & codes, codes
    element = sample.get("mailauth_error_element")
    if element:
        assert element in {p.element.lower() for p in result.problems}
    link = sample.get("mailauth_error_link")
    if link:
        assert link in {p.value for p in result.problems}


def test_every_sample_is_listed() -> None:
    on_disk = {p.name for p in _DIR.glob("*.svg")}
    assert on_disk == {s["file"] for s in SAMPLES}

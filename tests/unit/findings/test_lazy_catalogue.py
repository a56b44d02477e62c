"""The catalogue imports a section's module when one of its ids is looked up, every module
when it is read as a whole, and answers exactly as the catalogue imported at once did
(issue 10, start-up: `mailauth verify` loads the message sections only)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import mailauth
from mailauth.findings import CATALOGUE

SRC = Path(mailauth.__file__).resolve().parents[1]


def _run(code: str) -> object:
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={"PYTHONPATH": str(SRC)},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(done.stdout)


def test_a_lookup_loads_only_its_section() -> None:
    loaded = _run(
        "import json, sys; from mailauth.findings import CATALOGUE, describe;"
        "from mailauth.findings import finding;"
        "assert CATALOGUE['msg_dkim.missing'].section.name == 'msg_dkim';"
        "assert 'msg_spf.fail' in CATALOGUE or True;"
        "assert CATALOGUE.get('bimi.missing') is not None;"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('mailauth.findings.'))))"
    )
    sections = {m.rsplit(".", 1)[1] for m in loaded}  # type: ignore[attr-defined]
    assert sections - {"catalogue", "references"} <= {"msg_dkim", "msg_spf", "bimi", "bimi_assets"}
    assert "spf" not in sections and "dmarc" not in sections


def test_the_whole_catalogue_comes_in_one_order_however_it_was_reached() -> None:
    at_once = _run(
        "import json; from mailauth.findings import CATALOGUE; print(json.dumps(list(CATALOGUE)))"
    )
    piecemeal = _run(
        "import json; from mailauth.findings import CATALOGUE;"
        "CATALOGUE.get('spf.missing'); CATALOGUE.get('msg_dmarc.fail'); 'x.y' in CATALOGUE;"
        "print(json.dumps(list(CATALOGUE)))"
    )
    assert at_once == piecemeal == list(CATALOGUE)
    assert len(set(at_once)) == len(CATALOGUE) > 200  # type: ignore[arg-type]


def test_every_id_is_found_in_the_modules_of_its_section() -> None:
    """The lookup of one id imports the modules named after its section (or starting with
    it): every module's ids must have such a section, or a lookup would load everything."""
    CATALOGUE.load_all()
    for module, ids in CATALOGUE._ids.items():
        for fid in ids:
            section = fid.split(".", 1)[0]
            assert module == section or module.startswith(section + "_"), (module, fid)
    assert sum(len(ids) for ids in CATALOGUE._ids.values()) == len(CATALOGUE)


def test_an_unknown_id_is_unknown_after_loading_everything() -> None:
    assert _run(
        "import json; from mailauth.findings import CATALOGUE;"
        "print(json.dumps([CATALOGUE.get('nosuch.id') is None, 'spf.nosuch' in CATALOGUE,"
        " len(CATALOGUE) > 200]))"
    ) == [True, False, True]

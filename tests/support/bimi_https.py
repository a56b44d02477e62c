"""The `--https-dir` tree the BIMI asset scenarios fetch from, generated once per test run.

Certificates must be valid (or expiring, or expired) relative to *now*, so they cannot be
checked-in files: `https_dir()` builds a test Mark Verifying Authority and, for each scenario
name in `LOGO_CASES`/`CERT_CASES`, `assets.bimi.test/<name>/logo.svg` and `.../vmc.pem` under
a temporary directory. The zone scenarios (`tests/data/zones/bimi/*.zone` with a `; https:`
header) point l= and a= there; tests/support/scenarios.py hands them a DirectoryFetcher over
this tree and trusts the test root (`CheckOptions.mark_roots`).
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

from tests.support.mark_certs import TestMva, logotype_der, make_crl, make_mark_cert, make_mva

HOST = "assets.bimi.test"
GOOD_SVG = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg" version="1.2" baseProfile="tiny-ps" '
    b'viewBox="0 0 64 64">\n'
    b"  <title>Example brand</title>\n"
    b'  <rect width="64" height="64" fill="#1d4ed8"/>\n'
    b'  <circle cx="32" cy="32" r="20" fill="#ffffff"/>\n'
    b"</svg>\n"
)


def _svg(body: str, root: str = 'version="1.2" baseProfile="tiny-ps" viewBox="0 0 64 64"') -> bytes:
    return (
        f'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" '
        f'xmlns:xlink="http://www.w3.org/1999/xlink" {root}>\n{body}\n</svg>\n'
    ).encode()


_TITLE = "<title>Example brand</title>"
# Scenario name -> the logo file (None: a symlink out of the tree, which the directory
# fetcher refuses as bad-url, standing in for a fetch that fails).
LOGO_CASES: dict[str, bytes | None] = {
    "svg-script": _svg(f"{_TITLE}<script>alert(1)</script>"),
    "svg-external": _svg(f'{_TITLE}<use xlink:href="https://tracker.example/x.svg#a"/>'),
    "svg-not-tiny-ps": _svg('<rect width="1" height="1"/>', 'version="1.1" viewBox="0 0 9 9"'),
    "svg-dtd": b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaa">]><svg>&a;</svg>',
    "svg-unparseable": b"<svg><title>unclosed",
    "svg-not-square": _svg(_TITLE, 'version="1.2" baseProfile="tiny-ps" viewBox="0 0 64 32"'),
    "svg-too-large": _svg(_TITLE + "<!--" + "x" * (2 * 1024 * 1024) + "-->"),
    "logo-fetch-failed": None,
}


def _cert_cases(mva: TestMva, other: TestMva, now: datetime) -> dict[str, Callable[[str], bytes]]:
    """Scenario name -> a maker of the a= PEM for the scenario's domain (None-like fetch
    failure: see CERT_FETCH_FAILS)."""
    day = timedelta(days=1)
    valid = {"not_before": now - 30 * day, "not_after": now + 300 * day}

    def vmc(**kw: object) -> Callable[[str], bytes]:
        def make(domain: str) -> bytes:
            args: dict[str, object] = {"domains": (domain,), "svg": GOOD_SVG, **valid, **kw}
            issuer = args.pop("mva", mva)
            return make_mark_cert(issuer, **args)  # type: ignore[arg-type]

        return make

    return {
        "cert-ok": vmc(crl_url=f"https://{HOST}/crl/test.crl"),
        "cert-cmc-pilot": vmc(mark_type="Prior Use Mark", pilot=True),
        "cert-expired": vmc(not_before=now - 400 * day, not_after=now - 5 * day),
        "cert-not-yet-valid": vmc(not_before=now + 5 * day, not_after=now + 300 * day),
        "cert-expiring": vmc(not_after=now + 10 * day),
        "cert-other-domain": lambda _d: vmc()("brand.example.com"),
        "cert-logo-mismatch": vmc(svg=GOOD_SVG.replace(b"#1d4ed8", b"#dc2626")),
        "cert-no-logo": vmc(logotype=logotype_der(b"\x89PNG", media_type="image/png")),
        "cert-no-sct": vmc(sct=False),
        "cert-not-mark": vmc(eku=False),
        "cert-untrusted": vmc(mva=other),
        "cert-unparseable": lambda _d: b"-----BEGIN CERTIFICATE-----\nnot base64\n",
        # Served over plain http, as most CRLs are: --https-dir answers it from the same tree.
        "cert-revoked": vmc(crl_url=f"http://{HOST}/crl/test.crl", serial=0x5EED),
        "certificate-fetch-failed": lambda _d: b"",
    }


REVOKED_SERIAL = 0x5EED


def build(root: Path, now: datetime) -> TestMva:
    """Write the tree under `root`; return the test MVA whose root must be trusted."""
    mva, other = make_mva(now=now), make_mva("Unknown Mark Root", now=now)
    host = root / HOST
    for name, svg in LOGO_CASES.items():
        folder = host / name
        folder.mkdir(parents=True)
        if svg is None:
            (folder / "logo.svg").symlink_to("/etc/hostname")
        else:
            (folder / "logo.svg").write_bytes(svg)
    for name, make in _cert_cases(mva, other, now).items():
        folder = host / name
        folder.mkdir(parents=True)
        (folder / "logo.svg").write_bytes(GOOD_SVG)
        if name == "certificate-fetch-failed":
            (folder / "vmc.pem").symlink_to("/etc/hostname")
        else:
            (folder / "vmc.pem").write_bytes(make(f"{name}.bimi.test"))
    (host / "crl").mkdir()
    (host / "crl" / "test.crl").write_bytes(make_crl(mva, (REVOKED_SERIAL,), now))
    return mva


@cache
def https_dir() -> tuple[Path, bytes]:
    """(the tree, the PEM of the test root to trust), built once per process."""
    root = Path(tempfile.mkdtemp(prefix="mailauth-https-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    mva = build(root, datetime.now(UTC))
    return root, mva.root_pem

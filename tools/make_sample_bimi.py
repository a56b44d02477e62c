"""Write the BIMI files of samples/https/ (the `--https-dir` sample tree).

    PYTHONPATH=src python3 tools/make_sample_bimi.py

example.jp gets a valid SVG Tiny PS logo and a VMC for it, with an https CRL that does not
list it. A sample VMC cannot chain to a real Mark Verifying Authority root (only the MVA has
that key), so it chains to "mailauth Sample Mark Root", whose certificate is written to
samples/https/sample-mark-root.pem and which mailauth does not trust: the report shows the
certificate as complete and correct but "not from a known Mark Verifying Authority", which
is exactly what a real check of this file would say. broken.example gets one broken variant
per BIMI selector (see samples/zones/broken.example.zone). New keys are made on every run;
no private key is kept. The certificates are valid from 2026-01-01 to 2036-01-01 so the
samples stay stable (real mark certificates last at most 398 days).
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.support.mark_certs import make_crl, make_mark_cert, make_mva  # noqa: E402

OUT = REPO / "samples" / "https"
START, END = datetime(2026, 1, 1, tzinfo=UTC), datetime(2036, 1, 1, tzinfo=UTC)
LOGO = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg" version="1.2" baseProfile="tiny-ps" '
    b'viewBox="0 0 64 64">\n'
    b"  <title>example.jp</title>\n"
    b'  <rect width="64" height="64" rx="8" fill="#b91c1c"/>\n'
    b'  <circle cx="32" cy="32" r="18" fill="#ffffff"/>\n'
    b"</svg>\n"
)
SCRIPT_LOGO = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" viewBox="0 0 64 48" x="0">\n'
    b'  <rect width="64" height="48" fill="#444444"/>\n'
    b"  <script>document.location='https://tracker.example/'</script>\n"
    b"</svg>\n"
)


def main() -> None:
    mva = make_mva("mailauth Sample Mark Root", now=datetime(2026, 6, 1, tzinfo=UTC))
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "sample-mark-root.pem").write_bytes(mva.root_pem)
    good = OUT / "bimi.example.jp"
    (good / "crl").mkdir(parents=True, exist_ok=True)
    (good / "logo.svg").write_bytes(LOGO)
    crl = "https://bimi.example.jp/crl/sample.crl"
    vmc = make_mark_cert(
        mva, domains=("example.jp",), svg=LOGO, not_before=START, not_after=END, crl_url=crl
    )
    (good / "vmc.pem").write_bytes(vmc)
    (good / "crl" / "sample.crl").write_bytes(make_crl(mva, (), datetime(2026, 6, 1, tzinfo=UTC)))

    bad = OUT / "bimi.broken.example"
    bad.mkdir(parents=True, exist_ok=True)
    (bad / "logo.svg").write_bytes(LOGO)
    (bad / "script.svg").write_bytes(SCRIPT_LOGO)
    expired = make_mark_cert(
        mva,
        domains=("broken.example",),
        svg=LOGO,
        not_before=datetime(2024, 1, 1, tzinfo=UTC),
        not_after=datetime(2025, 1, 1, tzinfo=UTC),
    )
    (bad / "expired.pem").write_bytes(expired)
    other = make_mark_cert(
        mva, domains=("brand.example.com",), svg=LOGO, not_before=START, not_after=END
    )
    (bad / "other-domain.pem").write_bytes(other)
    mismatch = make_mark_cert(
        mva,
        domains=("broken.example",),
        svg=LOGO.replace(b"#b91c1c", b"#1d4ed8"),
        not_before=START,
        not_after=END,
    )
    (bad / "logo-mismatch.pem").write_bytes(mismatch)


if __name__ == "__main__":
    main()

"""Mark certificate validation (records/vmc.py, records/logotype.py) over certificates made
with cryptography by tests/support/mark_certs.py, trusted through an injected test root."""

from __future__ import annotations

import base64
import contextlib
import gzip
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.support.bimi_https import GOOD_SVG
from tests.support.mark_certs import (
    logotype_der,
    make_crl,
    make_mark_cert,
    make_mva,
)

from mailauth.records.logotype import LogotypeError, decode_data_url, subject_logo_images
from mailauth.records.mark_roots import MarkRoot, shipped_roots
from mailauth.records.vmc import (
    CertificateKind,
    CertProblemCode,
    RevocationStatus,
    TrustStatus,
    check_mark_certificate,
    crl_status,
)

NOW = datetime(2026, 12, 1, tzinfo=UTC)
MVA = make_mva(now=NOW)
DAY = timedelta(days=1)


def vmc(**kw: object) -> bytes:
    args: dict[str, object] = {
        "domains": ("example.jp",),
        "svg": GOOD_SVG,
        "not_before": NOW - 30 * DAY,
        "not_after": NOW + 300 * DAY,
        **kw,
    }
    return make_mark_cert(MVA, **args)  # type: ignore[arg-type]


def check(
    pem: bytes,
    *,
    logo: bytes | None = GOOD_SVG,
    roots: tuple[MarkRoot, ...] = (MVA.mark_root,),
    domains: tuple[str, ...] = ("example.jp",),
):
    return check_mark_certificate(pem, domains=domains, logo=logo, now=NOW, roots=roots)


def codes(pem: bytes, **kw: object) -> set[CertProblemCode]:
    return {p.code for p in check(pem, **kw).problems}  # type: ignore[arg-type]


def test_valid_vmc_reports_its_data() -> None:
    mark = check(vmc(pilot=True, crl_url="http://crl.example/x.crl"))
    assert mark.problems == ()
    assert mark.kind is CertificateKind.VMC and mark.mark_type == "Registered Mark"
    assert mark.san == ("example.jp",) and mark.days_left == 300
    assert mark.pilot and mark.sct_count == 1 and mark.logo_matches is True
    assert mark.chain is not None and mark.chain.status is TrustStatus.TRUSTED
    assert mark.crl_urls == ("http://crl.example/x.crl",)


@pytest.mark.parametrize(
    ("kw", "expected"),
    [
        ({"not_before": NOW - 400 * DAY, "not_after": NOW - DAY}, CertProblemCode.EXPIRED),
        ({"not_before": NOW + DAY}, CertProblemCode.NOT_YET_VALID),
        ({"not_after": NOW + 29 * DAY}, CertProblemCode.EXPIRING),
        ({"domains": ("other.example",)}, CertProblemCode.DOMAIN_MISMATCH),
        ({"svg": GOOD_SVG + b" "}, CertProblemCode.LOGO_MISMATCH),
        ({"logotype": logotype_der(b"PNG", media_type="image/png")}, CertProblemCode.NO_LOGO),
        ({"logotype": b"\x30\x03\x02\x01\x00"}, CertProblemCode.NO_LOGO),
        ({"sct": False}, CertProblemCode.NO_SCT),
        ({"eku": False}, CertProblemCode.NOT_MARK),
        ({"chain": False}, CertProblemCode.UNTRUSTED),
    ],
)
def test_each_problem(kw: dict[str, object], expected: CertProblemCode) -> None:
    assert codes(vmc(**kw)) == {expected}


def test_thirty_days_left_is_not_expiring() -> None:
    assert codes(vmc(not_after=NOW + 30 * DAY)) == set()


def test_organizational_domain_in_san_is_enough() -> None:
    assert codes(vmc(), domains=("mail.example.jp", "example.jp")) == set()


def test_cmc_kinds_and_unknown_mark_type() -> None:
    assert check(vmc(mark_type="Prior Use Mark")).kind is CertificateKind.CMC
    assert check(vmc(mark_type="Modified Registered Mark")).kind is CertificateKind.CMC
    assert check(vmc(mark_type="Government Mark")).kind is CertificateKind.VMC
    assert check(vmc(mark_type=None)).kind is CertificateKind.UNKNOWN


def test_no_known_root_is_said_not_claimed() -> None:
    mark = check(vmc(), roots=shipped_roots())
    assert mark.chain is not None and mark.chain.status is TrustStatus.UNTRUSTED
    assert mark.chain.reason == "unknown-issuer" and "mailauth Test Mark Root" in mark.chain.issuer
    # A root with the same name but other keys: the signature decides, not the name.
    twin = make_mva("mailauth Test Mark Root", now=NOW)
    assert twin.root.subject == MVA.root.subject
    mark = check(vmc(), roots=(twin.mark_root,))
    assert mark.chain is not None and mark.chain.status is TrustStatus.UNTRUSTED


def test_self_signed_root_in_the_pem_is_not_an_anchor() -> None:
    pem = vmc() + MVA.root_pem
    mark = check(pem, roots=shipped_roots())
    assert mark.chain is not None and mark.chain.reason == "unknown-root"


def test_shipped_roots_are_the_four_mva_roots_with_entrust_flagged() -> None:
    roots = {r.name: r.apple_distrusted for r in shipped_roots()}
    assert roots == {
        "DigiCert Verified Mark Root CA": False,
        "Entrust Verified Mark Root Certification Authority - VMCR1": True,
        "GlobalSign Verified Mark Root R42": False,
        "SSL.com VMC RSA Root CA 2024": False,
    }
    for root in shipped_roots():
        assert root.certificate.subject == root.certificate.issuer


@pytest.mark.parametrize(
    "pem", [b"", b"garbage", b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"]
)
def test_unparseable_pem(pem: bytes) -> None:
    assert codes(pem) == {CertProblemCode.UNPARSEABLE}


def test_gzip_bomb_in_the_certificate_is_capped() -> None:
    bomb = gzip.compress(b"\0" * (64 * 1024 * 1024))
    url = "data:image/svg+xml;base64," + base64.b64encode(bomb).decode()
    with pytest.raises(LogotypeError, match="inflates to more than"):
        decode_data_url(url)
    assert codes(vmc(logotype=logotype_der(b"\0" * (8 * 1024 * 1024)))) == {CertProblemCode.NO_LOGO}


def test_data_url_forms() -> None:
    assert decode_data_url("data:image/svg+xml,%3Csvg%2F%3E") == b"<svg/>"
    with pytest.raises(LogotypeError):
        decode_data_url("data:image/svg+xml;base64,@@@")
    with pytest.raises(LogotypeError):
        decode_data_url("https://x.example/logo.svg")


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_logotype_reader_never_crashes(data: bytes) -> None:
    with contextlib.suppress(LogotypeError):
        subject_logo_images(data)


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=0, max_value=400), st.integers(min_value=0, max_value=255))
def test_corrupted_logotype_never_crashes(position: int, byte: int) -> None:
    der = bytearray(logotype_der(GOOD_SVG))
    der[position % len(der)] = byte
    with contextlib.suppress(LogotypeError):
        subject_logo_images(bytes(der))


def test_crl_states() -> None:
    mark = check(vmc(serial=4242))
    assert mark.leaf is not None
    revoked = make_crl(MVA, (4242,), NOW)
    assert crl_status(revoked, mark.leaf, MVA.inter, NOW)[0] is RevocationStatus.REVOKED
    assert (
        crl_status(make_crl(MVA, (1,), NOW), mark.leaf, MVA.inter, NOW)[0] is RevocationStatus.GOOD
    )
    assert crl_status(b"junk", mark.leaf, MVA.inter, NOW)[0] is RevocationStatus.BAD_CRL
    other = make_mva("Other", now=NOW)
    assert crl_status(make_crl(other, (4242,), NOW), mark.leaf, MVA.inter, NOW) == (
        RevocationStatus.BAD_CRL,
        "signature",
    )
    assert crl_status(revoked, mark.leaf, MVA.inter, NOW + 4000 * DAY) == (
        RevocationStatus.BAD_CRL,
        "stale",
    )

"""Sign the DNSSEC and DANE test zones with the committed test keys (run after editing a zone).

    python3 tools/sign_test_zones.py

Inputs: tests/data/dnssec/src/<origin>.zone (unsigned, with the scenario header) and the
ECDSA P-256 keys in tests/data/dnssec/keys/ (created here once when missing; committed so
every DS and signature stays the same). Outputs: the signed zones under tests/data/zones/
(the folder named in SIGNING below) and tests/data/dnssec/trust-anchors.txt (the DS of the
parent zones, for `--trust-anchor`). Signatures are deterministic (RFC 6979) and valid from
2025-01-01 to 2045-01-01, so a re-run writes identical files. Broken variants are made here
on purpose: `tamper` flips one byte of the named type's signature, `expired` signs with a
window in the past, `no_ds` leaves the DS out of the parent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import dns.dnssec
import dns.name
import dns.rdataclass
import dns.rdatatype
import dns.rdtypes.ANY.RRSIG
import dns.zone
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data" / "dnssec"
ZONES = REPO / "tests" / "data" / "zones"
VALID = (dt.datetime(2025, 1, 1, tzinfo=dt.UTC), dt.datetime(2045, 1, 1, tzinfo=dt.UTC))
EXPIRED = (dt.datetime(2020, 1, 1, tzinfo=dt.UTC), dt.datetime(2021, 1, 1, tzinfo=dt.UTC))


@dataclass(frozen=True)
class Signing:
    origin: str
    folder: str
    signed: bool = True
    parent: str | None = None  # the zone that publishes this zone's DS
    no_ds: bool = False
    tamper: str | None = None
    expired: bool = False


SIGNING: tuple[Signing, ...] = (
    Signing("dnssec.test", "dnssec"),
    Signing("secure.dnssec.test", "dnssec", parent="dnssec.test"),
    Signing("unsigned.dnssec.test", "dnssec", signed=False, parent="dnssec.test"),
    Signing("missing-ds.dnssec.test", "dnssec", parent="dnssec.test", no_ds=True),
    Signing("bogus.dnssec.test", "dnssec", parent="dnssec.test", tamper="SOA"),
    Signing("expired.dnssec.test", "dnssec", parent="dnssec.test", expired=True),
    Signing("no-anchor.dnssec.test", "dnssec", parent="dnssec.test"),
    Signing("lookup-failed.dnssec.test", "dnssec", signed=False, parent="dnssec.test"),
    Signing("dane.test", "dane"),
    Signing("good.dane.test", "dane", parent="dane.test"),
    Signing("pkix.dane.test", "dane", parent="dane.test"),
    Signing("syntax.dane.test", "dane", parent="dane.test"),
    Signing("single.dane.test", "dane", parent="dane.test"),
    Signing("none.dane.test", "dane", parent="dane.test"),
    Signing("hosted.dane.test", "dane", parent="dane.test"),
    Signing("insecure.dane.test", "dane", parent="dane.test", no_ds=True),
    Signing("bogus.dane.test", "dane", parent="dane.test", tamper="TLSA"),
    Signing("lookup-failed.dane.test", "dane", signed=False, parent="dane.test"),
    # The offline demo in samples/zones/ (README), anchored by samples/trust-anchors.txt.
    Signing("secure.example", "../../../samples/zones"),
)
ANCHORED = ("dnssec.test", "dane.test")


def key_for(origin: str) -> tuple[ec.EllipticCurvePrivateKey, dns.rdata.Rdata]:
    path = DATA / "keys" / f"{origin}.pem"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fresh = ec.generate_private_key(ec.SECP256R1())
        pem = fresh.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        path.write_bytes(pem)
    private = serialization.load_pem_private_key(path.read_bytes(), password=None)
    assert isinstance(private, ec.EllipticCurvePrivateKey)
    dnskey = dns.dnssec.make_dnskey(
        private.public_key(), dns.dnssec.Algorithm.ECDSAP256SHA256, flags=257
    )
    return private, dnskey


def ds_text(origin: str) -> str:
    _, dnskey = key_for(origin)
    return str(dns.dnssec.make_ds(origin + ".", dnskey, "SHA256").to_text())


def sign(spec: Signing) -> str:
    source = (DATA / "src" / f"{spec.origin}.zone").read_text(encoding="utf-8")
    header = [line for line in source.splitlines() if line.startswith(";")]
    body = source
    children = [s for s in SIGNING if s.parent == spec.origin and s.signed and not s.no_ds]
    for child in children:
        label = child.origin.removesuffix("." + spec.origin)
        body += f"{label}\t3600\tIN DS\t{ds_text(child.origin)}\n"
    zone = dns.zone.from_text(body, origin=spec.origin + ".", relativize=False)
    if spec.signed:
        private, dnskey = key_for(spec.origin)
        inception, expiration = EXPIRED if spec.expired else VALID
        dns.dnssec.sign_zone(
            zone,
            keys=[(private, dnskey)],
            inception=inception,
            expiration=expiration,
            deterministic=True,
        )
    if spec.tamper:
        _tamper(zone, dns.rdatatype.from_text(spec.tamper))
    text = zone.to_text(relativize=False, want_origin=True, sorted=True)
    return "\n".join(header) + "\n" + text


def _tamper(zone: dns.zone.Zone, covered: dns.rdatatype.RdataType) -> None:
    """Flip one byte of the signature over `covered`: a bogus answer (RFC 4035 §5.5)."""
    for name, node in zone.nodes.items():
        sigs = node.get_rdataset(dns.rdataclass.IN, dns.rdatatype.RRSIG, covered)
        if not sigs:
            continue
        broken = []
        for rd in sigs:
            sig = bytearray(rd.signature)
            sig[0] ^= 0xFF
            broken.append(rd.replace(signature=bytes(sig)))
        node.delete_rdataset(dns.rdataclass.IN, dns.rdatatype.RRSIG, covered)
        fresh = node.get_rdataset(dns.rdataclass.IN, dns.rdatatype.RRSIG, covered, create=True)
        for rd in broken:
            fresh.add(rd, sigs.ttl)
        del name


def main() -> None:
    for spec in SIGNING:
        out = ZONES / spec.folder / f"{spec.origin}.zone"
        out.write_text(sign(spec), encoding="utf-8")
        print(f"wrote {out.resolve().relative_to(REPO)}")
    anchors = [
        "; Trust anchors of the signed test zones (tools/sign_test_zones.py writes this file).",
        *(f"{origin}. IN DS {ds_text(origin)}" for origin in ANCHORED),
    ]
    (DATA / "trust-anchors.txt").write_text("\n".join(anchors) + "\n", encoding="utf-8")
    demo = [
        "; Trust anchor of the signed sample domain secure.example (tools/sign_test_zones.py):",
        "; mailauth check secure.example --zone samples/zones/ "
        "--trust-anchor samples/trust-anchors.txt",
        f"secure.example. IN DS {ds_text('secure.example')}",
    ]
    (REPO / "samples" / "trust-anchors.txt").write_text("\n".join(demo) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

"""records/dkim_key.py takes cryptography's `load_der_public_key` from the binding it is
defined in (importing `cryptography.hazmat.primitives.serialization` costs ~25 ms of start-up
for its SSH and cipher modules). It must be the very function the public name gives."""

from __future__ import annotations

import base64

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from tests.support.fresh_python import run

from mailauth.records.dkim_key import load_der_public_key


def test_the_loader_is_cryptographys_public_function() -> None:
    assert load_der_public_key() is serialization.load_der_public_key


def test_reading_a_key_imports_no_serialization_package() -> None:
    der = (
        rsa.generate_private_key(public_exponent=65537, key_size=1024)
        .public_key()
        .public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    )
    code = (
        "import sys\n"
        "from mailauth.records.dkim_key import parse_dkim_key\n"
        f"key = parse_dkim_key('v=DKIM1; k=rsa; p={base64.b64encode(der).decode()}')\n"
        "print(key.key_bits, key.exponent_bits, not key.problems)\n"
        "print('cryptography.hazmat.primitives.serialization' in sys.modules)\n"
    )
    done = run(code)
    assert done.stdout.split() == ["1024", "17", "True", "False"]

"""records/dkim_key.py takes cryptography's `load_der_public_key` from the binding it is
defined in (importing `cryptography.hazmat.primitives.serialization` costs ~25 ms of start-up
for its SSH and cipher modules). It must be the very function the public name gives."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

import mailauth
from mailauth.records.dkim_key import load_der_public_key


def test_the_loader_is_cryptographys_public_function() -> None:
    assert load_der_public_key() is serialization.load_der_public_key


def test_reading_a_key_imports_no_serialization_package() -> None:
    src = Path(mailauth.__file__).resolve().parents[1]
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
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(src), os.environ.get("PYTHONPATH", "")]),
    }
    done = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["1024", "17", "True", "False"]

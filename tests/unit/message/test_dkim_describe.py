"""`dkim._describe` builds each signature's DkimSignature without the frozen constructor
(issue 10). It must be the object the constructor builds: equal, the same repr, the same
attributes in the same order, on every DKIM-Signature of the sample messages and of the
differential corpus, and with the From counts that make `from_oversigned` true."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from tests.support.verify_corpus import CorpusKeys, differential_corpus

from mailauth.message import dkim
from mailauth.message.dkim import DkimReason, DkimSignature
from mailauth.message.dkimsyntax import InvalidTagValueList, parse_tag_value
from mailauth.message.parse import MessageInputError, parse_message
from mailauth.model import Result

SAMPLES = Path(__file__).resolve().parents[3] / "samples" / "messages"


def reference(idx: int, value: bytes, tags: dict[bytes, bytes], from_count: int) -> DkimSignature:
    """`_describe` as it was, through the constructor."""

    def text(name: bytes) -> str:
        return tags.get(name, b"").decode("utf-8", "replace").strip()

    signed = tuple(h.strip().lower() for h in text(b"h").split(":") if h.strip())
    return DkimSignature(
        index=idx,
        domain=text(b"d").lower().rstrip("."),
        selector=text(b"s").lower(),
        algorithm=text(b"a").lower(),
        canonicalization=text(b"c").lower() or "simple/simple",
        result=Result.NONE,
        reason=DkimReason.VALID,
        identity=text(b"i") or None,
        signed_headers=signed,
        signed_header_count=len(tags[b"h"].split(b":")) if tags.get(b"h") else 0,
        body_length=dkim._int(text(b"l")),
        timestamp=dkim._int(text(b"t")),
        expiration=dkim._int(text(b"x")),
        from_oversigned=signed.count("from") > from_count,
        header_value=dkim._unfolded(value),
    )


def signature_fields() -> list[bytes]:
    raws = [p.read_bytes() for p in sorted(SAMPLES.glob("*.eml"))]
    raws += [m.raw for m in differential_corpus(CorpusKeys.make(1024), big=0)]
    found = []
    for raw in raws:
        try:
            message = parse_message(raw)
        except MessageInputError:
            continue
        found += [h.raw.partition(b":")[2] for h in message.all("DKIM-Signature")]
    return found


def test_describe_builds_what_the_constructor_builds() -> None:
    values = signature_fields()
    assert len(values) > 100
    names = [f.name for f in dataclasses.fields(DkimSignature)]
    compared = 0
    for idx, value in enumerate(values):
        try:
            tags = parse_tag_value(value)
        except InvalidTagValueList:
            continue
        for from_count in (0, 1, 2):
            ours = dkim._describe(idx % 5, value, tags, from_count)
            theirs = reference(idx % 5, value, tags, from_count)
            assert ours == theirs
            assert repr(ours) == repr(theirs)
            assert list(vars(ours)) == list(vars(theirs)) == names
            compared += 1
    assert compared > 300


def test_oversigned_from_and_tag_values() -> None:
    value = b" v=1; a=rsa-sha256; d=Example.COM.; s=Sel; h=from:to:from; l=12; t=5; bh=x; b=y"
    tags = parse_tag_value(value)
    ours = dkim._describe(2, value, tags, 1)
    assert ours == reference(2, value, tags, 1)
    assert (ours.domain, ours.selector, ours.body_length, ours.from_oversigned) == (
        "example.com",
        "sel",
        12,
        True,
    )

"""Generated signed mail for the verifier's differential test and for bench/verify_vs_peers.py.

Every message is signed with dkimpy's own signer (`dkim.sign`, `dkim.arc_sign`), so a bug
shared by our signer and our verifier cannot hide: there is no signer of ours. The keys are
made fresh per run (RSA-2048 and Ed25519 for bench.example, RSA-2048 for the list.example
sealer), and `records` holds their DNS data, with SPF and DMARC for both domains, so the
same corpus can be served from memory, by knot on loopback, or to Node.

`bench_corpus` is the benchmark's mix: 60 % ~4 KB text, 30 % ~50 KB HTML, 10 % ~1 MB with a
base64 attachment; most signed once (RSA-2048, some Ed25519), some dual-signed (RSA +
Ed25519, RFC 8463), some forwarded by a list that ARC-seals them.
`differential_corpus` is wider: every canonicalization pair, l=, folded and odd header
fields, bare LF, one to three signatures, ARC chains of one to three hops, and chains broken
in transit (body or header changed, a seal's cv= or an AMS's bh= edited).
"""

from __future__ import annotations

import base64
import random
from dataclasses import dataclass

import dkim
from tests.support.dkim_oracle import Signer, ed25519_signer, rsa_signer

DOMAIN = b"bench.example"
SEALER = b"list.example"
IP = "192.0.2.10"  # the sending server: in bench.example's SPF
HELO = "mx.bench.example"
MAIL_FROM = "bounce@bench.example"
WORDS = [b"the", b"quick", b"brown", b"fox", b"jumps", b"over", b"lazy", b"dog", b"mail"]
WORDS += [b"report", b"invoice", b"meeting", b"\xc3\xa9t\xc3\xa9", b"=E9", b"tab\there"]


@dataclass(frozen=True)
class CorpusKeys:
    rsa: Signer
    ed: Signer
    arc: Signer  # list.example's sealing key

    @classmethod
    def make(cls, bits: int = 2048) -> CorpusKeys:
        return cls(rsa_signer(b"rsa", bits), ed25519_signer(b"ed"), rsa_signer(b"arc", bits))

    @property
    def records(self) -> dict[str, str]:
        """TXT records by name (no final dot)."""
        return {
            "rsa._domainkey.bench.example": self.rsa.record.decode(),
            "ed._domainkey.bench.example": self.ed.record.decode(),
            "arc._domainkey.list.example": self.arc.record.decode(),
            "bench.example": "v=spf1 ip4:192.0.2.0/24 -all",
            "_dmarc.bench.example": "v=DMARC1; p=reject; adkim=r; aspf=r",
            "list.example": "v=spf1 ip4:198.51.100.0/24 -all",
            "_dmarc.list.example": "v=DMARC1; p=none",
        }

    def lookup(self, name: bytes | str, timeout: float = 5) -> bytes | None:
        """dkimpy's `dnsfunc` and the native verifier's key lookup over `records`."""
        text = name.decode() if isinstance(name, bytes) else name
        found = self.records.get(text.lower().rstrip("."))
        return None if found is None else found.encode()


@dataclass(frozen=True)
class CorpusMessage:
    size_class: str  # "4 KB text" | "50 KB html" | "1 MB attachment" | a differential label
    signing: str  # "rsa", "ed25519", "rsa+ed25519", "rsa+arc" ...
    raw: bytes


# -- bodies ------------------------------------------------------------------------------


def _text(rng: random.Random, size: int) -> bytes:
    lines, total = [], 0
    while total < size:
        words = b" ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 13)))
        line = words + rng.choice([b"", b"", b" ", b"  \t"]) + b"\r\n"
        if rng.random() < 0.08:
            line += b"\r\n"  # paragraphs
        lines.append(line)
        total += len(line)
    return b"".join(lines)


def _html(rng: random.Random, size: int) -> bytes:
    lines, total = [b"<html><body>\r\n"], 0
    while total < size:
        indent = b"  " * rng.randint(0, 6)
        words = b" ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 10)))
        line = indent + b'<p class="x">\t' + words + b"</p>  \r\n"
        lines.append(line)
        total += len(line)
    return b"".join(lines) + b"</body></html>\r\n"


def _attachment(rng: random.Random, size: int) -> bytes:
    data = base64.encodebytes(rng.randbytes(size * 3 // 4)).replace(b"\n", b"\r\n")
    return (
        b"--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + _text(rng, 1500)
        + b"--b1\r\nContent-Type: application/pdf; name=\"report.pdf\"\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\n" + data + b"--b1--\r\n"
    )  # fmt: skip


def _head(rng: random.Random, n: int, content_type: bytes, folded: bool) -> bytes:
    subject = b"Subject: issue %d of the  newsletter" % n
    if folded:  # a long Subject folded with a tab, a To folded with spaces
        subject += b"\r\n\tand a second line " + b" ".join(rng.choice(WORDS) for _ in range(8))
        to = b"To: <user@example.net>,\r\n  Other <other@example.net>,\r\n <third@example.net>"
    else:
        to = b"To: <user@example.net>"
    return (
        b"Return-Path: <" + MAIL_FROM.encode() + b">\r\n"
        b"Received: from " + HELO.encode() + b" (" + HELO.encode() + b" [" + IP.encode()
        + b"])\r\n\tby mx.example.net with ESMTPS id %d; Mon, 3 Nov 2025 10:00:00 +0900\r\n" % n
        + b"From: Bench <news@bench.example>\r\n" + to + b"\r\n" + subject + b"\r\n"
        b"Date: Mon, 3 Nov 2025 10:00:00 +0900\r\n"
        b"Message-ID: <%d.%d@bench.example>\r\n" % (n, rng.randrange(10**9))
        + b"MIME-Version: 1.0\r\nContent-Type: " + content_type + b"\r\n"
        b"List-Unsubscribe: <https://bench.example/u/%d>\r\n"
        b"List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n\r\n" % n
    )  # fmt: skip


# -- signing -------------------------------------------------------------------------------

_SIGNED = [b"from", b"to", b"subject", b"date", b"message-id", b"mime-version", b"content-type"]


def sign(
    message: bytes,
    signer: Signer,
    canon: tuple[bytes, bytes] = (b"relaxed", b"relaxed"),
    length: bool = False,
    include: list[bytes] | None = None,
) -> bytes:
    """The message with one more DKIM-Signature on top, by dkimpy."""
    headers = include if include is not None else [*_SIGNED, b"list-unsubscribe", b"from"]
    signature = dkim.sign(
        message, signer.selector, DOMAIN, signer.private, canonicalize=canon,
        include_headers=headers, signature_algorithm=signer.algorithm, length=length,
    )  # fmt: skip
    return bytes(signature) + message


def forward(message: bytes, keys: CorpusKeys, hop: int, found: bytes = b"pass") -> bytes:
    """The message as list.example forwards it: its Authentication-Results (with the chain
    as it found it, which dkimpy seals as cv=), list headers, then its ARC set on top."""
    arc = b"; arc=" + found if hop > 1 else b""
    server = b"mx%d.list.example" % hop  # dkimpy seals the results of its own authserv-id
    received = (
        b"Authentication-Results: %s; dkim=pass header.d=bench.example;"
        b" spf=pass smtp.mailfrom=bench.example%s\r\n"
        b"List-Id: <news.list.example>\r\n" % (server, arc)
    )
    sealed = received + message
    lines = dkim.arc_sign(sealed, keys.arc.selector, SEALER, keys.arc.private, server)
    return b"".join(lines) + sealed


# -- the benchmark's corpus ---------------------------------------------------------------

BENCH_CLASSES = (("4 KB text", 0.6), ("50 KB html", 0.3), ("1 MB attachment", 0.1))


def bench_corpus(keys: CorpusKeys, count: int, seed: int = 2026) -> list[CorpusMessage]:
    """`count` messages: 60/30/10 % by class; in each class every 7th message dual-signed
    (RSA + Ed25519), every 13th ARC-sealed once by the list (over its RSA signature), every
    5th of the rest signed with Ed25519 only, the others with RSA-2048 only."""
    rng = random.Random(seed)
    out: list[CorpusMessage] = []
    for size_class, share in BENCH_CLASSES:
        for n in range(max(1, round(count * share))):
            if size_class == "4 KB text":
                head, body = (
                    _head(rng, n, b"text/plain; charset=utf-8", n % 3 == 0),
                    _text(rng, 4000),
                )
            elif size_class == "50 KB html":
                head, body = (
                    _head(rng, n, b"text/html; charset=utf-8", n % 3 == 0),
                    _html(rng, 50_000),
                )
            else:
                ctype = b"multipart/mixed; boundary=b1"
                head, body = _head(rng, n, ctype, n % 3 == 0), _attachment(rng, 1_000_000)
            message = head + body
            if n % 7 == 3:
                signing, raw = "rsa+ed25519", sign(sign(message, keys.rsa), keys.ed)
            elif n % 13 == 5:
                signing, raw = "rsa+arc", forward(sign(message, keys.rsa), keys, 1)
            elif n % 5 == 4:
                signing, raw = "ed25519", sign(message, keys.ed)
            else:
                signing, raw = "rsa", sign(message, keys.rsa)
            out.append(CorpusMessage(size_class, signing, raw))
    return out


def sealed_big(keys: CorpusKeys, count: int, seed: int = 8620) -> list[CorpusMessage]:
    """`count` more ~1 MB messages (built as `bench_corpus` builds that class), each twice:
    ARC-sealed once by the list over its RSA signature ("rsa+arc", as bench_corpus'), and
    as it was before the list forwarded it ("rsa, arc twin": the same bytes without the
    list's Authentication-Results, List-Id and ARC set). `bench_corpus` seals one ~1 MB
    message in 150: a per-message ARC figure needs more than one, and the twins give the
    cost of ARC on the same body and header (issue 10)."""
    rng = random.Random(seed)
    out: list[CorpusMessage] = []
    for n in range(count):
        ctype = b"multipart/mixed; boundary=b1"
        head, body = _head(rng, 1000 + n, ctype, n % 3 == 0), _attachment(rng, 1_000_000)
        signed = sign(head + body, keys.rsa)
        out.append(CorpusMessage("1 MB attachment", "rsa+arc", forward(signed, keys, 1)))
        out.append(CorpusMessage("1 MB attachment", "rsa, arc twin", signed))
    return out


# -- the differential test's corpus --------------------------------------------------------

_CANONS = [(h, b) for h in (b"relaxed", b"simple") for b in (b"relaxed", b"simple")]
_SIZES = (("tiny", 0), ("4 KB", 4000), ("50 KB", 50_000))


def _alter(message: bytes, rng: random.Random) -> tuple[str, bytes]:
    """A change in transit that may or may not break what was signed."""
    head, sep, body = message.partition(b"\r\n\r\n")
    choice = rng.randrange(7)
    if choice == 0:
        return "footer", head + sep + body + b"-- \r\nfooter added by a list\r\n"
    if choice == 1:
        return "subject", head.replace(b"Subject: ", b"Subject: [list] ", 1) + sep + body
    if choice == 2:
        return "empty-lines", head + sep + body + b"\r\n\r\n\r\n"  # not signed
    if choice == 3:
        return "spaces", head + sep + body.replace(b" ", b"  ")  # relaxed: the same hash
    if choice == 4:
        return "cv", head.replace(b"cv=none", b"cv=pass", 1) + sep + body
    if choice == 5:
        return "bh", head.replace(b"bh=", b"bh=AAAA", 1) + sep + body
    return "header-added", b"X-Spam: no\r\n" + head + sep + body


def differential_corpus(keys: CorpusKeys, seed: int = 8617, big: int = 2) -> list[CorpusMessage]:
    """DKIM: every size with every canonicalization pair, l= on and off, RSA and Ed25519,
    one to three signatures, folded headers, some altered
    after signing, some saved with bare LF. ARC: chains of one to three hops, half of them
    changed in transit before or after the last hop. `big` ~1 MB messages on top."""
    rng = random.Random(seed)
    out: list[CorpusMessage] = []
    # Every canonicalization pair for the small sizes; the ~1 MB ones (dkimpy takes ~50 ms
    # per signature there) one pair each.
    jobs = [(name, size, canon) for name, size in _SIZES for canon in _CANONS]
    jobs += [("1 MB", 1_000_000, _CANONS[-1 - i % 4]) for i in range(big)]
    n = 0
    for size_name, size, canon in jobs:
        n += 1
        body = _attachment(rng, size) if size >= 1_000_000 else _text(rng, size)
        ctype = b"multipart/mixed; boundary=b1" if size >= 1_000_000 else b"text/plain"
        message = _head(rng, n, ctype, n % 2 == 0) + body
        signers = [keys.rsa, keys.ed][: 1 + n % 2] + ([keys.rsa] if n % 5 == 0 else [])
        labels = []
        for i, signer in enumerate(signers):
            length = (n + i) % 3 == 0
            # a later signature over-signs (From twice, an absent Reply-To, List-Id)
            include = [*_SIGNED, b"from", b"reply-to", b"list-id"] if i else None
            message = sign(message, signer, canon, length, include)
            labels.append(f"{signer.algorithm.decode()}{' l=' if length else ''}")
        label = f"{size_name} c={canon[0].decode()}/{canon[1].decode()}"
        out.append(CorpusMessage(label, " + ".join(labels), message))
        altered_name, altered = _alter(message, rng)
        out.append(CorpusMessage(label, f"{' + '.join(labels)}, {altered_name}", altered))
        if n % 3 == 0:
            out.append(
                CorpusMessage(
                    label, f"{' + '.join(labels)}, bare LF", message.replace(b"\r\n", b"\n")
                )
            )
    for chain in range(24 + big):
        n += 1
        size = 1_000_000 if chain >= 24 else rng.choice([0, 2000, 20_000])
        body = _attachment(rng, size) if size else b""
        ctype = b"multipart/mixed; boundary=b1" if size else b"text/plain"
        message = sign(_head(rng, n, ctype, chain % 2 == 0) + body, keys.rsa)
        if chain % 4 == 0:
            message = sign(message, keys.ed)  # dual-signed, then sealed
        hops = 1 + chain % 3
        broken = chain % 2 == 1
        found, what = b"pass", "intact"
        for hop in range(1, hops + 1):
            message = forward(message, keys, hop, found)
            if broken and hop == hops - 1:
                what, message = _alter(message, rng)
                found = rng.choice([b"pass", b"fail"])  # the next sealer noticed, or not
        if broken and (hops == 1 or rng.random() < 0.5):
            what, message = _alter(message, rng)
        out.append(CorpusMessage(f"arc {hops} hop(s), {size // 1000} KB", what, message))
    return out

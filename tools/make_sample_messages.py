#!/usr/bin/env python3
"""Regenerate samples/messages/*.eml, signed with the test keys in samples/keys/.

Deterministic: every timestamp is fixed, and RSA (PKCS#1 v1.5) and Ed25519 signatures are
deterministic, so two runs give byte-identical files (tests/unit/message/test_samples_fresh.py
checks it). Each scenario builds a CRLF message, signs it, then changes it the way real
systems do (a list footer, a Subject tag, headers added after signing). What each file must
verify to is written by hand in samples/messages/manifest.yaml.

Needs dkimpy, pynacl (ed25519) and authres (ARC sealing): pip install pynacl authres
Usage: python tools/make_sample_messages.py [OUTDIR]      (default: samples/messages)
"""

# ruff: noqa: E501  (message text and header values are data: long lines are clearer)
from __future__ import annotations

import base64
import email.header
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import dkim

sys.path.insert(0, str(Path(__file__).resolve().parent))
from samplelib import (
    ARC1,
    BODY,
    ESP,
    NEWS_BODY,
    NEWSLETTER,
    OK_HOP,
    ROOT,
    S1,
    S2,
    T0,
    WEAK,
    base,
    delivered,
    from_example_jp,
    mboxrd,
    message,
    pkcs1,
    prepend,
    received,
    sign,
)

AR = "mx.recipient.example;\r\n\tdkim=pass header.d=example.jp header.s=s1;\r\n\tspf=pass smtp.mailfrom=bounce@example.jp;\r\n\tdmarc=pass header.from=example.jp"
FOOTER = "\n-- \nSent via the shop's old newsletter gateway. Read our privacy policy.\n"
# Body lines an mbox writer must quote (RFC 4155): "From " and, for mboxrd, ">From ".
MBOX_BODY = "Hello Taro,\n\nFrom Saturday your parcel can be tracked online.\n>From the tracking page you can change the delivery day.\n\nExample Shop\n"


def ok(msg: bytes, return_path: str = "bounce@example.jp", ar: str | None = None) -> bytes:
    return delivered(msg, OK_HOP["ip"], OK_HOP["helo"], OK_HOP["rdns"], return_path, ar=ar)


def good() -> bytes:
    msg = from_example_jp("good-1", NEWSLETTER, NEWS_BODY)
    signed = sign(sign(msg, "example.jp", "s1", S1), "example.jp", "s2", S2)
    ar = AR.replace("header.s=s1;", "header.s=s1;\r\n\tdkim=pass header.d=example.jp header.s=s2;")
    return ok(signed, ar=ar)


def body_altered() -> bytes:
    return ok(sign(from_example_jp("body-1"), "example.jp", "s1", S1) + FOOTER.encode())


def header_altered() -> bytes:
    signed = sign(from_example_jp("header-1"), "example.jp", "s1", S1)
    tagged = signed.replace(b"Subject: Your order", b"Subject: [EXTERNAL] Your order")
    return delivered(
        tagged, "192.0.2.200", "relay.forwarder.example", "unknown", "bounce@example.jp"
    )


def third_party() -> bytes:
    msg = from_example_jp("esp-1")
    return delivered(
        sign(msg, "esp.example", "esp1", ESP),
        "198.51.100.25",
        "mx.esp.example",
        "mx.esp.example",
        "bounce-4711@esp.example",
    )


def alignment(kind: str) -> Callable[[], bytes]:
    def build() -> bytes:
        extra = [
            ("List-Unsubscribe", f"<https://{kind}.example/unsubscribe?u=31>"),
            ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
        ]
        frm = f"Newsletter <news@{kind}.example>"
        msg = message(base(frm, "October news", f"align-{kind}@{kind}.example", extra), NEWS_BODY)
        signed = sign(msg, f"mail.{kind}.example", "s1", S1)
        return ok(signed, return_path=f"bounce@mail.{kind}.example")

    return build


def _list_message(banner: bool) -> bytes:
    frm = "Hanako Sato <hanako@example.jp>"
    headers = base(frm, "Meetup on Friday", "meetup-1@example.jp", to="jp-users@lists.example")
    original = sign(
        message(headers, "See you at 19:00 at the usual place.\n"), "example.jp", "s1", S1
    )
    at_list = prepend(
        original,
        (
            "Authentication-Results",
            "lists.example;\r\n\tdkim=pass header.d=example.jp header.s=s1;\r\n\tspf=pass smtp.mailfrom=hanako@example.jp;\r\n\tdmarc=pass header.from=example.jp",
        ),
        received("mail.example.jp", "192.0.2.30", "mail.example.jp", by="mx.lists.example"),
    )
    listed = at_list.replace(b"Subject: Meetup", b"Subject: [jp-users] Meetup")
    listed = (
        prepend(
            listed,
            ("List-Id", "Japanese users <jp-users.lists.example>"),
            ("List-Post", "<mailto:jp-users@lists.example>"),
        )
        + b"\r\n_______________________________________________\r\njp-users mailing list\r\n"
    )
    seal = dkim.arc_sign(
        listed, b"arc1", b"lists.example", pkcs1(ARC1), b"lists.example", timestamp=T0 + 60
    )
    sealed = b"".join(seal) + listed
    if banner:  # a gateway after the list adds a banner: the seal no longer covers the body
        sealed += b"\r\n[External sender: be careful with links]\r\n"
    ar = (
        "mx.recipient.example;\r\n\tdkim=fail header.d=example.jp header.s=s1;\r\n\tspf=pass smtp.mailfrom=jp-users-bounces@lists.example;\r\n\tdmarc=fail header.from=example.jp;\r\n\tarc="
        + ("fail" if banner else "pass")
    )
    return delivered(
        sealed,
        "203.0.113.25",
        "mx.lists.example",
        "mx.lists.example",
        "jp-users-bounces@lists.example",
        ar=ar,
    )


def bulk_no_oneclick() -> bytes:
    extra = [
        ("Precedence", "bulk"),
        ("List-Unsubscribe", "<mailto:unsubscribe@example.jp?subject=unsubscribe>"),
    ]
    return ok(sign(from_example_jp("bulk-1", extra, NEWS_BODY), "example.jp", "s1", S1))


def bulk_no_unsubscribe() -> bytes:
    extra = [
        ("Precedence", "bulk"),
        ("Feedback-ID", "autumn:news:examplejp"),
        ("X-Campaign", "autumn-sale;" + ";".join(f"segment{i}=yes" for i in range(120))),
    ]
    return ok(sign(from_example_jp("bulk-2", extra, NEWS_BODY), "example.jp", "s1", S1))


def bulk_unsubscribe_unsigned() -> bytes:
    signed = sign(
        from_example_jp("bulk-3", [("Precedence", "bulk")], NEWS_BODY), "example.jp", "s1", S1
    )
    added = prepend(
        signed,
        ("List-Unsubscribe", "<https://example.jp/unsubscribe?u=77>"),
        ("List-Unsubscribe-Post", "List-Unsubscribe=Yes"),
    )
    return ok(added)


def iso_2022_jp() -> bytes:
    subject = email.header.Header("ご注文の商品を発送しました", "iso-2022-jp").encode()
    name = email.header.Header("株式会社エグザンプル", "iso-2022-jp").encode()
    headers = base(f"{name} <orders@example.jp>", subject, "jp-1@example.jp")
    headers = [
        (n, "text/plain; charset=ISO-2022-JP" if n == "Content-Type" else v) for n, v in headers
    ]
    body = "山田 太郎 様\n\nご注文の商品を本日発送いたしました。\n土曜日にお届けの予定です。\n"
    return ok(sign(message(headers, body, "iso-2022-jp"), "example.jp", "s1", S1))


def _japanese(fields: list[tuple[str, bytes]], body: bytes) -> bytes:
    """A message whose header values are given as bytes, as Japanese mailers write them."""
    head = b"".join(n.encode("ascii") + b": " + v + b"\r\n" for n, v in fields)
    return head + b"\r\n" + body.replace(b"\n", b"\r\n")


def _japanese_fields(
    frm: bytes, subject: bytes, mid: str, charset: str, cte: str
) -> list[tuple[str, bytes]]:
    return [
        ("From", frm),
        ("To", "山田 太郎 <taro@recipient.example>".encode("iso2022_jp")),
        ("Subject", subject),
        ("Date", b"Thu, 01 Oct 2026 09:00:00 +0900"),
        ("Message-ID", f"<{mid}>".encode()),
        ("MIME-Version", b"1.0"),
        ("Content-Type", f"text/plain; charset={charset}".encode()),
        ("Content-Transfer-Encoding", cte.encode()),
    ]


JP_BODY = "山田 太郎 様\n\nいつもご利用いただきありがとうございます。\nご注文の商品を本日発送いたしました。\n"


def shift_jis_8bit() -> bytes:
    """Raw 8-bit Shift_JIS in Subject and in the From display name (no encoded words), as
    old Japanese mailers still send: not RFC 5322, but common, and signed as it is."""
    fields = _japanese_fields(
        "株式会社エグザンプル <orders@example.jp>".encode("cp932"),
        "【重要】ご注文内容の確認①".encode("cp932"),
        "sjis-1@example.jp",
        "Shift_JIS",
        "8bit",
    )
    return ok(sign(_japanese(fields, JP_BODY.encode("cp932")), "example.jp", "s1", S1))


def euc_jp() -> bytes:
    """EUC-JP: a Q-encoded Subject and a B-encoded From display name, 8-bit EUC-JP body."""
    name = email.header.Header("エグザンプル通販", "euc-jp")
    q_subject = (
        "=?EUC-JP?Q?" + "".join(f"={b:02X}" for b in "発送のお知らせ".encode("euc_jp")) + "?="
    )
    fields = _japanese_fields(
        f"{name.encode()} <orders@example.jp>".encode("ascii"),
        q_subject.encode("ascii"),
        "euc-1@example.jp",
        "EUC-JP",
        "8bit",
    )
    return ok(sign(_japanese(fields, JP_BODY.encode("euc_jp")), "example.jp", "s1", S1))


def iso_2022_jp_broken() -> bytes:
    """ISO-2022-JP as broken mailers write it: encoded words in Subject and in the From
    display name whose JIS text lacks the final ESC ( B (the return to ASCII)."""

    def unterminated(text: str) -> str:
        jis = text.encode("iso2022_jp")
        assert jis.endswith(b"\x1b(B")
        return base64.b64encode(jis[:-3]).decode("ascii")

    broken = unterminated("ご注文ありがとうございます")
    name = unterminated("エグザンプル")
    fields = _japanese_fields(
        f"=?ISO-2022-JP?B?{name}?= <orders@example.jp>".encode("ascii"),
        f"=?ISO-2022-JP?B?{broken}?=".encode("ascii"),
        "jis-broken-1@example.jp",
        "ISO-2022-JP",
        "7bit",
    )
    return ok(sign(_japanese(fields, JP_BODY.encode("iso2022_jp")), "example.jp", "s1", S1))


def idn_no_dmarc() -> bytes:
    """From an internationalized domain (ショップ.jp, in its A-label form as mailers write an
    address without SMTPUTF8), signed by it, which publishes no DMARC record."""
    domain = "xn--xckya1d0c.jp"
    name = email.header.Header("日本語ショップ", "utf-8").encode()
    headers = base(f"{name} <info@{domain}>", "ご注文ありがとうございます", f"idn-1@{domain}")
    return ok(sign(message(headers, JP_BODY), domain, "s1", S1), return_path=f"bounce@{domain}")


def utf8_8bit() -> bytes:
    headers = [
        (n, {"Subject": "発送のお知らせ", "Content-Transfer-Encoding": "8bit"}.get(n, v))
        for n, v in base("Example Shop <orders@example.jp>", "", "utf8-1@example.jp")
    ]
    body = "山田様、ご注文の商品を発送しました。Grüße aus Tōkyō.\n"
    return ok(sign(message(headers, body), "example.jp", "s2", S2))


def lf_only(mbox: bool) -> Callable[[], bytes]:
    def build() -> bytes:
        body = MBOX_BODY if mbox else BODY
        signed = sign(from_example_jp("lf-1", body=body), "example.jp", "s1", S1)
        data = ok(signed).replace(b"\r\n", b"\n")
        return (
            (b"From bounce@example.jp Thu Oct  1 00:00:05 2026\n" + mboxrd(data)) if mbox else data
        )

    return build


def broken_domain() -> bytes:
    headers = [
        (n, {"Date": "yesterday afternoon"}.get(n, v))
        for n, v in base("Broken Corp <info@broken.example>", "Invoice", "x")
        if n != "Message-ID"
    ]
    signed = sign(message(headers, BODY), "broken.example", "default", WEAK)
    return delivered(
        signed,
        "192.0.2.191",
        "host-191.isp.example",
        "host-191.isp.example",
        "info@broken.example",
        proto="SMTP",
    )


def shop(selector: str, name: str, **sign_options: Any) -> Callable[[], bytes]:
    def build() -> bytes:
        msg = message(
            base("Shop <orders@shop.example>", "Your receipt", f"{name}@shop.example"), BODY
        )
        signed = sign(msg, "shop.example", selector, S1, **sign_options)
        if name == "length":
            signed += b"\r\nP.S. Click https://phish.example/login to claim your prize!\r\n"
        ar = None
        if name == "rotated":
            ar = "mx.recipient.example;\r\n\tdkim=pass header.d=shop.example header.s=2025q3;\r\n\tspf=pass smtp.mailfrom=bounce@shop.example;\r\n\tdmarc=pass header.from=shop.example"
        return ok(signed, return_path="bounce@shop.example", ar=ar)

    return build


def malformed_signature() -> bytes:
    good_sig = sign(
        message(base("Shop <orders@shop.example>", "Receipt", "mal@shop.example"), BODY),
        "shop.example",
        "s1",
        S1,
    )
    bad = (
        "DKIM-Signature",
        "v=2; a=rsa-md5; c=weird/odd; d=exa mple..jp; s=; t=soon; x=-1;\r\n\th=; bh=!!not-base64!!; b=***; l=minus",
    )
    return ok(prepend(good_sig, bad), return_path="bounce@shop.example")


def many_signatures() -> bytes:
    msg = message(base("Shop <orders@shop.example>", "Receipt", "many@shop.example"), BODY)
    signed = sign(msg, "shop.example", "s1", S1)
    return ok(signed[: len(signed) - len(msg)] * 59 + signed, return_path="bounce@shop.example")


def dns_failure() -> bytes:
    msg = message(base("Shop <orders@shop.example>", "Receipt", "outage@shop.example"), BODY)
    # On arrival the receiver could look everything up; re-checking now cannot.
    ar = "mx.recipient.example;\r\n\tdkim=pass header.d=outage.shop.example header.s=s1;\r\n\tspf=pass smtp.mailfrom=bounce@outage.shop.example;\r\n\tdmarc=pass header.from=shop.example"
    return delivered(
        sign(msg, "outage.shop.example", "s1", S1),
        "203.0.113.77",
        "relay.outage.shop.example",
        "relay.outage.shop.example",
        "bounce@outage.shop.example",
        ar=ar,
    )


def arc_lookup_failed() -> bytes:
    """A relay under outage.shop.example (whose name servers never answer) ARC-sealed the
    message: the chain cannot be checked, which is not the same as broken."""
    msg = message(base("Shop <orders@shop.example>", "Receipt", "arc-dns@shop.example"), BODY)
    signed = sign(msg, "shop.example", "s1", S1)
    at_relay = prepend(
        signed,
        (
            "Authentication-Results",
            "relay.outage.shop.example;\r\n\tdkim=pass header.d=shop.example header.s=s1",
        ),
    )
    seal = dkim.arc_sign(
        at_relay,
        b"arc1",
        b"outage.shop.example",
        pkcs1(ARC1),
        b"relay.outage.shop.example",
        timestamp=T0 + 60,
    )
    return ok(b"".join(seal) + at_relay, return_path="bounce@shop.example")


# Malformed header sections seen in spam and phishing corpora (issue 8.2). Each is signed as
# a well-formed message, then broken the way real ones are; relaxed canonicalization lets
# the signature survive, so the report shows what still verifies.


def header_folded_from() -> bytes:
    """The From field's name folded away from its colon, and a line with no name."""
    signed = sign(from_example_jp("folded-1"), "example.jp", "s1", S1)
    broken = signed.replace(b"\r\nFrom: ", b"\r\nFrom\r\n : ", 1).replace(
        b"\r\nDate: ", b"\r\nThis line belongs to no field\r\nDate: ", 1
    )
    return ok(broken)


def header_obsolete() -> bytes:
    """RFC 5322 §4 obsolete syntax: white space before the colon, a white-space-only fold."""
    signed = sign(from_example_jp("obs-1"), "example.jp", "s1", S1)
    broken = signed.replace(b"\r\nFrom: ", b"\r\nFrom : ", 1).replace(
        b"\r\nTo: Taro Yamada", b"\r\nTo:\r\n \r\n Taro Yamada", 1
    )
    return ok(broken)


def header_whitespace_separator() -> bytes:
    """A line of one space where the empty line after the header should be."""
    signed = sign(from_example_jp("ws-1"), "example.jp", "s1", S1)
    head, _, body = signed.partition(b"\r\n\r\n")
    return ok(head + b"\r\n \r\n" + body)


def header_truncated() -> bytes:
    """Cut off inside the header: no empty line, no body, no final line ending."""
    signed = ok(sign(from_example_jp("cut-1"), "example.jp", "s1", S1))
    head = signed.partition(b"\r\n\r\n")[0]
    return head[: head.rindex(b"\r\n") + len(b"\r\nContent-Transfer-Encoding: 7")]


def second_from() -> bytes:
    """Issue 8.3: a forged From (example.jp, p=reject) and a second From field in obsolete
    syntax naming the sender's own domain, which signs and passes SPF."""
    headers = base("Example Shop <orders@example.jp>", "Your invoice", "second-from@shop.example")
    headers.insert(1, ("From", "Shop <orders@shop.example>, <sales@shop.example>"))
    signed = sign(message(headers, BODY), "shop.example", "s1", S1)
    obsolete = signed.replace(b"\r\nFrom: Shop <orders@shop", b"\r\nFrom : Shop <orders@shop", 1)
    return ok(obsolete, return_path="bounce@shop.example")


def from_invalid() -> bytes:
    """A From that is not RFC 5322: a quoted display name, a comma, then the address."""
    frm = '"Dear Customer, your parcel is waiting…",<noreply@example.jp>'
    msg = message(base(frm, "Delivery notice", "invalid-from@example.jp"), BODY)
    return ok(sign(msg, "example.jp", "s1", S1))


def unsigned() -> bytes:
    return message(
        base("Shop Alerts <alerts@shop.example>", "Password changed", "u@shop.example"), BODY
    )


def duplicate_headers() -> bytes:
    headers = base("Shop <orders@example.jp>", "Your order", "dup@example.jp")
    headers.insert(1, ("From", "Support <support@shop.example>"))
    headers.insert(3, ("Subject", "Your order (copy)"))
    return ok(message(headers, BODY))


def no_from() -> bytes:
    headers = [(n, v) for n, v in base("x", "Status", "x") if n not in ("From", "Date")]
    headers = [(n, "<not-a-message-id>" if n == "Message-ID" else v) for n, v in headers]
    return message(headers, BODY)


def no_dmarc() -> bytes:
    msg = message(base("Ken <ken@isp.example>", "Photos from the trip", "trip@isp.example"), BODY)
    return delivered(
        msg, "192.0.2.191", "host-191.isp.example", "host-191.isp.example", "ken@mail.isp.example"
    )


SCENARIOS: dict[str, Callable[[], bytes]] = {
    "good.eml": good,
    "body-altered.eml": body_altered,
    "header-altered.eml": header_altered,
    "third-party.eml": third_party,
    "alignment-relaxed.eml": alignment("relaxed"),
    "alignment-strict.eml": alignment("strict"),
    "list-forwarded-arc.eml": lambda: _list_message(banner=False),
    "arc-broken.eml": lambda: _list_message(banner=True),
    "bulk-no-oneclick.eml": bulk_no_oneclick,
    "bulk-no-unsubscribe.eml": bulk_no_unsubscribe,
    "bulk-unsubscribe-unsigned.eml": bulk_unsubscribe_unsigned,
    "iso-2022-jp.eml": iso_2022_jp,
    "utf8-8bit.eml": utf8_8bit,
    "shift-jis-8bit.eml": shift_jis_8bit,
    "euc-jp.eml": euc_jp,
    "iso-2022-jp-broken.eml": iso_2022_jp_broken,
    "idn-no-dmarc.eml": idn_no_dmarc,
    "bare-lf.eml": lf_only(mbox=False),
    "mbox-export.eml": lf_only(mbox=True),
    "broken-domain.eml": broken_domain,
    "key-rotated.eml": shop("2025q3", "rotated"),
    "key-revoked.eml": shop("revoked", "revoked"),
    "key-testing.eml": shop("testing", "testing"),
    "key-invalid.eml": shop("badkey", "badkey"),
    "expired.eml": shop("s1", "expired", expires=T0 + 3 * 86400),
    "length-tag.eml": shop("s1", "length", length=True),
    "sha1.eml": shop("s1", "sha1", alg="rsa-sha1"),
    "from-not-signed.eml": shop("s1", "nofrom", with_from=False),
    "not-oversigned.eml": shop("s1", "once", oversign=False),
    "malformed-signature.eml": malformed_signature,
    "many-signatures.eml": many_signatures,
    "dns-failure.eml": dns_failure,
    "arc-lookup-failed.eml": arc_lookup_failed,
    "header-folded-from.eml": header_folded_from,
    "header-obsolete.eml": header_obsolete,
    "header-whitespace-separator.eml": header_whitespace_separator,
    "header-truncated.eml": header_truncated,
    "second-from.eml": second_from,
    "from-invalid.eml": from_invalid,
    "unsigned.eml": unsigned,
    "duplicate-headers.eml": duplicate_headers,
    "no-from.eml": no_from,
    "no-dmarc.eml": no_dmarc,
}


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else ROOT / "samples" / "messages"
    out.mkdir(parents=True, exist_ok=True)
    for name, build in SCENARIOS.items():
        (out / name).write_bytes(build())
    print(f"wrote {len(SCENARIOS)} messages to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""Property tests: every record parser and the message parser survive any input.

Contract (COMMON brief, "Parsers ... never raise on any input string"): the record parsers
return a parsed record carrying its problems, whatever the text; `parse_message` returns a
`ParsedMessage` or raises the one documented input error, `MessageInputError`. Inputs are
both arbitrary text and text built from each grammar's own tokens (so the fuzzing reaches the
deep branches: macros, CIDRs, URIs, duplicate tags), with control characters, NULs, non-ASCII
and huge values mixed in. Each test also reads the derived properties a check would read, so
a lazy property that raises is caught too.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from mailauth.records.dkim_key import DkimKey, parse_dkim_key
from mailauth.records.dmarc import DmarcRecord, parse_dmarc, policy_set
from mailauth.records.mta_sts import (
    MtaStsPolicy,
    MtaStsRecord,
    parse_mta_sts_policy,
    parse_mta_sts_record,
)
from mailauth.records.spf import SpfRecord, parse_spf
from mailauth.records.tls_rpt import TlsRptRecord, parse_tls_rpt

settings.load_profile("hostile")

# Characters that break naive parsers: separators, quotes, controls, NUL, non-ASCII, surrogate-free.
_NASTY = st.sampled_from(
    [
        ";",
        "=",
        ":",
        ",",
        " ",
        "\t",
        "\r",
        "\n",
        "\x00",
        "\x7f",
        "%",
        "{",
        "}",
        "/",
        "\\",
        '"',
        "'",
        "!",
        "+",
        "-",
        "~",
        "?",
        ".",
        "..",
        "*",
        "é",
        "日本",
        "\u202e",
        "\ufeff",
        "💥",
        "xn--",
    ]
)
_WORD = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
_JUNK = st.lists(st.one_of(_NASTY, _WORD), max_size=30).map("".join)
_NUM = st.one_of(st.integers(-5, 200).map(str), st.just("99999999999999999999"), st.just(""))


def _tag_list(names: list[str], values: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    tag = st.tuples(st.one_of(st.sampled_from(names), _WORD), st.one_of(values, _JUNK))
    sep = st.sampled_from([";", "; ", " ;", ";;", ";\t", ""])
    eq = st.sampled_from(["=", " = ", "==", ""])
    return st.lists(st.tuples(tag, sep, eq), max_size=15).map(
        lambda parts: "".join(f"{n}{e}{v}{s}" for (n, v), s, e in parts)
    )


# --- SPF ------------------------------------------------------------------------------------

_SPF_TERM = st.one_of(
    st.tuples(
        st.sampled_from(["", "+", "-", "~", "?", "!"]),
        st.sampled_from(
            [
                "all",
                "include",
                "a",
                "mx",
                "ptr",
                "ip4",
                "ip6",
                "exists",
                "redirect",
                "exp",
                "v",
                "unknown-mod",
            ]
        ),
        st.sampled_from(
            [
                "",
                ":",
                "=",
                ":%{i}",
                ":%{ir}.%{v}._spf.%{d2}",
                ":%{l-+}",
                ":example.com",
                ":%{Z}",
                ":%",
                ":%%%_%-",
                ":192.0.2.1/33",
                ":2001:db8::/129",
                ":1.2.3",
                "/24",
                "//64",
                "/0",
                ":%{d999999}",
            ]
        ),
        _NUM,
    ).map(lambda t: f"{t[0]}{t[1]}{t[2]}{t[3] if t[3] and t[2].endswith('/') else ''}"),
    _JUNK,
)
SPF_TEXT = st.one_of(
    st.text(),
    st.lists(_SPF_TERM, max_size=40).map(lambda ts: "v=spf1 " + " ".join(ts)),
    st.lists(_SPF_TERM, max_size=10).map(lambda ts: "V=SPF1" + "\t".join(ts)),
)


@given(SPF_TEXT)
def test_parse_spf_never_raises(text: str) -> None:
    record = parse_spf(text)
    assert isinstance(record, SpfRecord)
    assert record.text == text
    _ = (record.valid, record.errors, record.warnings, list(record.terms))
    assert all(isinstance(p.level, str) for p in record.problems)


# --- DMARC ----------------------------------------------------------------------------------

_DMARC_VALUES = st.sampled_from(
    [
        "DMARC1",
        "dmarc1",
        "reject",
        "quarantine",
        "none",
        "Reject",
        "r",
        "s",
        "y",
        "n",
        "u",
        "0",
        "100",
        "101",
        "-1",
        "1:d:s",
        "afrs",
        "mailto:a@example.com",
        "mailto:a@example.com!10m,https://x",
        "mailto:",
        "mailto:%zz@",
        "mailto:a@[1.2.3.4]",
        "http://example.com",
        "mailto:a@b!",
        "86400",
    ]
)
DMARC_TEXT = st.one_of(
    st.text(),
    _tag_list(
        [
            "v",
            "p",
            "sp",
            "np",
            "adkim",
            "aspf",
            "rua",
            "ruf",
            "fo",
            "psd",
            "t",
            "pct",
            "rf",
            "ri",
            "P",
            "V",
        ],
        _DMARC_VALUES,
    ).map(lambda s: "v=DMARC1;" + s),
    _tag_list(["p", "v", "rua"], _DMARC_VALUES),
)


@given(DMARC_TEXT)
def test_parse_dmarc_never_raises(text: str) -> None:
    record = parse_dmarc(text)
    assert isinstance(record, DmarcRecord)
    policy_set(record)  # what discovery derives from it must not raise either


# --- DKIM key -------------------------------------------------------------------------------

_KEY_VALUES = st.sampled_from(
    [
        "DKIM1",
        "DKIM2",
        "rsa",
        "ed25519",
        "RSA",
        "ed25519-sha256",
        "sha256",
        "sha1",
        "sha256:sha1",
        "*",
        "email",
        "tlsrpt",
        "y",
        "s",
        "y:s",
        "",
        "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoB",
        "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",
        "====",
        "A" * 3000,
        "!!notbase64!!",
        "MCowBQYDK2VwAyEA3SUqa9UbfciWkk7tlcJ9P1VD5pXAasg0JUn/OgjVbKE=",
    ]
)
DKIM_KEY_TEXT = st.one_of(
    st.text(),
    _tag_list(["v", "k", "p", "h", "s", "t", "n", "g"], _KEY_VALUES),
    st.binary(max_size=300).map(
        lambda b: "v=DKIM1; k=rsa; p=" + __import__("base64").b64encode(b).decode()
    ),
    st.binary(max_size=64).map(
        lambda b: "v=DKIM1; k=ed25519; p=" + __import__("base64").b64encode(b).decode()
    ),
)


@given(DKIM_KEY_TEXT)
def test_parse_dkim_key_never_raises(text: str) -> None:
    key = parse_dkim_key(text)
    assert isinstance(key, DkimKey)
    _ = (key.usable, key.strength, [i.code.fatal for i in key.problems])


# --- MTA-STS record and policy, TLS-RPT -----------------------------------------------------

_STS_VALUES = st.sampled_from(
    [
        "STSv1",
        "STSv2",
        "20160831085700Z",
        "x" * 33,
        "",
        "enforce",
        "testing",
        "none",
        "mailto:tls@example.com",
        "https://example.com/r",
        "mailto:",
        "https://",
        "ftp://x",
    ]
)
STS_RECORD_TEXT = st.one_of(st.text(), _tag_list(["v", "id", "x"], _STS_VALUES))
RPT_TEXT = st.one_of(
    st.text(), _tag_list(["v", "rua"], _STS_VALUES).map(lambda s: "v=TLSRPTv1;" + s)
)
_POLICY_LINE = st.tuples(
    st.sampled_from(["version", "mode", "mx", "max_age", "ext", "", "mx ", "MODE"]),
    st.sampled_from([":", ": ", "", "::"]),
    st.one_of(
        st.sampled_from(
            [
                "STSv1",
                "enforce",
                "testing",
                "none",
                "*.example.com",
                "mx.example.com",
                "*.*.x",
                "86400",
                "31557601",
                "-1",
                "1e9",
                "99999999999999999999999",
                "",
                "*.",
            ]
        ),
        _WORD,
    ),
).map("".join)
POLICY_TEXT = st.one_of(
    st.text(),
    st.lists(_POLICY_LINE, max_size=40).map(lambda ls: "\n".join(ls)),
    st.lists(_POLICY_LINE, max_size=40).map(lambda ls: "\r\n".join(ls) + "\r\n"),
)


@given(STS_RECORD_TEXT)
def test_parse_mta_sts_record_never_raises(text: str) -> None:
    record = parse_mta_sts_record(text)
    assert isinstance(record, MtaStsRecord)
    _ = record.valid


@given(POLICY_TEXT, st.text(max_size=40))
def test_parse_mta_sts_policy_never_raises(text: str, host: str) -> None:
    policy = parse_mta_sts_policy(text)
    assert isinstance(policy, MtaStsPolicy)
    _ = (policy.valid, policy.matches_mx(host), [p.code.fatal for p in policy.problems])


@given(RPT_TEXT)
def test_parse_tls_rpt_never_raises(text: str) -> None:
    record = parse_tls_rpt(text)
    assert isinstance(record, TlsRptRecord)
    _ = (record.valid_rua, record.usable)


# --- BIMI record (agreed API: records/bimi.py `parse_bimi`) ---------------------------------

_BIMI_VALUES = st.sampled_from(
    [
        "BIMI1",
        "bimi1",
        "BIMI2",
        "",
        "https://example.com/logo.svg",
        "http://example.com/l.svg",
        "https://example.com/cert.pem",
        "https://",
        "https://example.com/a.png",
        "data:image/svg",
        "personal",
        "brand",
        "https://é.example/l.svg",
    ]
)
BIMI_TEXT = st.one_of(
    st.text(),
    _tag_list(["v", "l", "a", "lps", "avp", "s"], _BIMI_VALUES).map(lambda s: "v=BIMI1;" + s),
)


@given(BIMI_TEXT)
def test_parse_bimi_never_raises(text: str) -> None:
    from mailauth.records.bimi import BimiRecord, parse_bimi

    record = parse_bimi(text)
    assert isinstance(record, BimiRecord)
    _ = (record.valid, record.declined, record.url_problems, record.logo_url, record.authority_url)


# --- Messages -------------------------------------------------------------------------------

_EOL = st.sampled_from([b"\r\n", b"\n", b"\r", b"\n\r", b""])
_NAME = st.one_of(
    st.sampled_from(
        [
            b"From",
            b"To",
            b"Subject",
            b"DKIM-Signature",
            b"ARC-Seal",
            b"Received",
            b"Message-ID",
            b"Date",
            b"Return-Path",
            b"Authentication-Results",
            b"",
            b"X" * 300,
            b"From ",
            b"\x00",
            b"Bad Name",
            b"\xff\xfe",
        ]
    ),
    st.binary(max_size=10),
)
_VALUE = st.one_of(
    st.sampled_from(
        [
            b" a@example.com",
            b" =?utf-8?B?5pel5pys?=",
            b"\t v=1; a=rsa-sha256; d=x; s=y; h=from; bh=; b=",
            b" \x1b$B$3$s$K$A$O\x1b(B",
            b" \xe3\x81\x82\xff",
            b"",
            b" " + b"a" * 2000,
        ]
    ),
    st.binary(max_size=40),
)
_FIELD = st.tuples(
    _NAME,
    st.sampled_from([b":", b": ", b" :", b""]),
    _VALUE,
    _EOL,
    st.sampled_from([b"", b" folded", b"\tfolded\r\n"]),
).map(lambda t: t[0] + t[1] + t[2] + t[3] + t[4])
MESSAGE = st.one_of(
    st.binary(max_size=2000),
    st.tuples(
        st.sampled_from(
            [b"", b"From sender@example.com Mon Jan  1 00:00:00 2024\n", b"\xef\xbb\xbf"]
        ),
        st.lists(_FIELD, max_size=40),
        st.sampled_from([b"\r\n", b"\n", b"", b"\r\n\r\n"]),
        st.binary(max_size=500),
    ).map(lambda t: t[0] + b"".join(t[1]) + t[2] + t[3]),
)


@given(MESSAGE)
def test_parse_message_raises_only_the_input_error(raw: bytes) -> None:
    from mailauth.message.parse import MessageInputError, ParsedMessage, parse_message

    try:
        parsed = parse_message(raw)
    except MessageInputError as exc:
        assert str(exc) and "\n" not in str(exc)  # one line a user can act on
        return
    assert isinstance(parsed, ParsedMessage)
    assert parsed.raw is raw  # never re-serialised
    for header in parsed.headers:
        assert isinstance(header.value, str)
    _ = (parsed.values("from"), parsed.first("dkim-signature"), parsed.dkim_bytes)

"""Japanese reports end to end (issue 14): the text keeps its columns with wide characters,
wraps where Japanese may break and never past the width; the JSON changes only its words."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from rich.console import Console

from mailauth.cli.main import main
from mailauth.render.breaks import NO_BREAK_BEFORE, cells
from mailauth.render.environment import Environment
from mailauth.render.layout import print_prose, print_table

REPO = Path(__file__).resolve().parents[2]
ZONES = ["--zone", str(REPO / "samples" / "zones")]
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


def _text(args: list[str], width: int, lang: str = "ja") -> str:
    out = io.StringIO()
    env = Environment(out, io.StringIO(), colors=False, width=width, lang=lang)
    CliRunner().invoke(main, args, obj=env, catch_exceptions=False)
    return out.getvalue()


def _column_starts(line: str, values: list[str]) -> list[int]:
    """The cell offset where each value starts in `line`."""
    return [cells(line[: line.index(v)]) for v in values]


@pytest.mark.parametrize("domain", ["example.jp", "broken.example", "toomany.example"])
@pytest.mark.parametrize("width", [60, 80, 100])
def test_no_line_is_wider_than_the_terminal(domain: str, width: int) -> None:
    text = _text(["check", domain, *ZONES], width)
    assert _JAPANESE.search(text)
    for line in text.splitlines():
        # A record or a host name is printed on one line for copying (the terminal folds
        # it, layout.print_field); everything else fits the width.
        if cells(line) > width:
            assert re.search(r"v=|[a-z0-9-]+\.[a-z]{2,}", line), line
        assert not line.strip() or line.strip()[0] not in NO_BREAK_BEFORE - {"-"}, line


def test_tables_keep_their_columns_with_wide_headings() -> None:
    text = _text(["check", "example.jp", *ZONES], 100)
    lines = text.splitlines()
    head = next(line for line in lines if "優先度" in line)
    row = next(line for line in lines if "mx1.example.jp   192.0.2.25" in line)
    assert _column_starts(head, ["優先度", "ホスト", "アドレス"]) == _column_starts(
        row, ["10", "mx1.example.jp", "192.0.2.25"]
    )
    dkim_head = next(line for line in lines if "鍵種別" in line)
    dkim_row = next(line for line in lines if re.search(r"\bs1\s+pass\s+rsa\s+2048", line))
    assert _column_starts(dkim_head, ["セレクタ", "状態", "鍵種別", "鍵長"]) == _column_starts(
        dkim_row, ["s1", "pass", "rsa", "2048"]
    )


def test_provider_rows_line_up_after_wide_names() -> None:
    text = _text(["check", "broken.example", *ZONES], 100)
    rows = [line for line in text.splitlines() if "満たしていません:" in line]
    assert len(rows) >= 3
    assert len({cells(line[: line.index("満たしていません")]) for line in rows}) == 1


def test_rich_export_at_a_fixed_width_keeps_columns_and_wraps_japanese() -> None:
    console = Console(width=50, record=True, file=io.StringIO(), color_system=None)
    rows = [
        {"selector": "s1", "status": "pass", "key_type": "rsa", "key_bits": 2048},
        {"selector": "google", "status": "fail", "key_type": "ed25519", "key_bits": 256},
    ]
    print_table(console, "セレクタ", rows, ["selector", "status", "key_type", "key_bits"], "ja")
    sentence = (
        "受信側はこのレコードを無視するため、Gmail、Yahoo、Apple Mail など BIMI 対応の"
        "メールボックスでロゴは表示されません。"
    )
    print_prose(console, "受信側の扱い", sentence, "ja", 4)
    exported = console.export_text()
    lines = exported.splitlines()
    head = next(line for line in lines if "鍵種別" in line)
    for value_row, values in ((lines[lines.index(head) + 2], ["s1", "pass", "rsa", "2048"]),):
        assert _column_starts(head, ["セレクタ", "状態", "鍵種別", "鍵長"]) == _column_starts(
            value_row, values
        )
    start = next(i for i, line in enumerate(lines) if "受信側の扱い" in line)
    prose = lines[start:]
    assert len(prose) >= 3, exported
    assert all(cells(line) <= 50 for line in lines), exported
    # Filled to the width: Japanese breaks between characters, not only at spaces.
    assert all(cells(line) >= 40 for line in prose[:-1]), exported
    assert "".join(line.strip() for line in prose).replace(" ", "") == (
        "受信側の扱い:" + sentence
    ).replace(" ", "")


def test_english_wrapping_is_unchanged_by_the_japanese_rules() -> None:
    from rich._wrap import divide_line as rich_divide

    from mailauth.render.linebreak import divide_line

    text = "Receivers that hit the same failure show no logo (BIMI temperror); delivery is fine."
    for width in (10, 20, 33, 80):
        assert divide_line(text, width) == rich_divide(text, width)


def test_json_changes_only_its_words() -> None:
    runner = CliRunner()
    args = ["check", "broken.example", *ZONES, "--format", "json"]
    ja_raw = runner.invoke(main, [*args, "--lang", "ja"]).stdout
    en = json.loads(runner.invoke(main, [*args, "--lang", "en"]).stdout)
    ja = json.loads(ja_raw)
    assert (en["lang"], ja["lang"]) == ("en", "ja")
    assert "\\u" not in ja_raw and _JAPANESE.search(ja_raw)  # UTF-8, not escaped

    def shape(value: object) -> object:
        if isinstance(value, dict):
            return {k: shape(v) for k, v in value.items() if k != "lang"}
        if isinstance(value, list):
            return [shape(v) for v in value]
        return None

    assert shape(en) == shape(ja)
    assert [f["id"] for f in en["findings"]] == [f["id"] for f in ja["findings"]]
    assert [f["severity"] for f in en["findings"]] == [f["severity"] for f in ja["findings"]]
    assert en["spf"] == ja["spf"]  # record values and enums never change with the language
    for f in ja["findings"]:
        for part in ("title", "detail", "consequence", "fix"):
            assert _JAPANESE.search(f[part]), (f["id"], part, f[part])


def test_the_first_run_of_the_readme_works_in_japanese() -> None:
    result = CliRunner().invoke(main, ["check", "example.jp", *ZONES, "--lang", "ja"])
    assert result.exit_code == 0
    assert "スコア 100/100  評価 A" in result.stdout
    assert "対処すべき点（重要度順）" in result.stdout


# --- issue 14: the reasons inside Japanese findings are Japanese too -------------------------
TEST_ZONES = REPO / "tests" / "data" / "zones"
ANCHOR = ["--trust-anchor", str(REPO / "tests" / "data" / "dnssec" / "trust-anchors.txt")]
# Where a failure of each kind shows, with the Japanese its reason must contain.
FAILURES = [
    ("dnssec", "bogus.dnssec.test", "dnssec.bogus", "による署名の検証に失敗しました"),
    ("dnssec", "expired.dnssec.test", "dnssec.signature-expired", "署名の有効期限が"),
    ("dnssec", "missing-ds.dnssec.test", "dnssec.missing-ds", "DS レコードが公開されていません"),
    ("dane", "bogus.dane.test", "dane.tlsa-bogus", "による署名の検証に失敗しました"),
    ("dane", "insecure.dane.test", "dane.tlsa-insecure", "DS レコードが公開されていません"),
]
BIMI_FAILURES = [
    ("cert-untrusted.bimi.test", "bimi.certificate-untrusted", "ルートでもありません"),
    ("cert-no-logo.bimi.test", "bimi.certificate-no-logo", "ロゴタイプ拡張"),
    ("cert-unparseable.bimi.test", "bimi.certificate-unparseable", "読み取れる証明書"),
    ("cert-revoked.bimi.test", "bimi.certificate-revoked", "失効しています"),
    ("svg-unparseable.bimi.test", "bimi.svg-unparseable", "XML として解析できません"),
]


def _no_english(text: str) -> None:
    """No English prose in the report. Reference titles are the cited documents' own names
    ("Gmail email sender guidelines") and the test CA's name is data."""
    from tests.support.english_runs import english_runs

    prose = "\n".join(line for line in text.splitlines() if "参考文献" not in line)
    assert english_runs(prose.replace("mailauth Test Mark Root", "")) == [], text


@pytest.mark.parametrize(("folder", "domain", "fid", "words"), FAILURES)
def test_dnssec_and_dane_failures_read_in_japanese(
    folder: str, domain: str, fid: str, words: str
) -> None:
    text = _text(["check", domain, "--zone", str(TEST_ZONES / folder), *ANCHOR], 400)
    assert f"[{fid}]" in text and words in text, text
    _no_english(text)


@pytest.mark.parametrize(("folder", "domain", "fid", "words"), FAILURES[:2] + FAILURES[3:4])
def test_the_same_over_the_wire_from_knot(
    knot_server: Any, folder: str, domain: str, fid: str, words: str
) -> None:
    text = _text(["check", domain, "--nameserver", knot_server.nameserver, *ANCHOR], 400)
    assert f"[{fid}]" in text and words in text, text
    _no_english(text)


def test_the_built_in_trust_anchor_is_described_in_japanese() -> None:
    text = _text(["check", "secure.example", *ZONES], 400)
    assert "ルートゾーンの KSK-2017 (20326) と KSK-2024 (38696)（組み込み）" in text
    assert "built in" not in text


@pytest.mark.parametrize(("domain", "fid", "words"), BIMI_FAILURES)
def test_mark_certificate_failures_read_in_japanese(
    tmp_path: Path, domain: str, fid: str, words: str
) -> None:
    from tests.support.bimi_https import https_dir

    tree, root_pem = https_dir()
    root = tmp_path / "root.pem"
    root.write_bytes(root_pem)
    args = ["check", domain, "--zone", str(TEST_ZONES / "bimi"), "--https-dir", str(tree)]
    text = _text([*args, "--mark-root", str(root)], 400)
    assert f"[{fid}]" in text and words in text, text
    _no_english(text)


def test_the_json_reason_stays_english_with_a_code_beside_it() -> None:
    args = ["check", "bogus.dnssec.test", "--zone", str(TEST_ZONES / "dnssec"), *ANCHOR]
    ja = json.loads(CliRunner().invoke(main, [*args, "--format", "json", "--lang", "ja"]).stdout)
    en = json.loads(CliRunner().invoke(main, [*args, "--format", "json", "--lang", "en"]).stdout)
    assert ja["dnssec"] == en["dnssec"]  # machine fields never change with the language
    bogus = [r for r in ja["dnssec"]["rrsets"] if r["security"] == "bogus"]
    assert bogus and all(r["reason_code"] == "signature-invalid" for r in bogus)
    assert all(r["reason"].startswith("the signature by ") for r in bogus)


def test_idn_names_are_u_labels_in_text_reports() -> None:
    """Issue 14: an IDN is queried as A-labels and shown as U-labels in text reports: fields,
    tables and sentences. What keeps its A-labels: the heading's (xn--...) gloss, records
    (a copyable fix, a rua= address), header text quoted as received, and the finding that is
    about the A-label form itself (msg_dmarc.idn-no-policy)."""
    check = _text(["check", "ショップ.jp", *ZONES], 400)
    assert "組織ドメイン: ショップ.jp" in check
    left = [
        line
        for line in check.splitlines()
        if "xn--" in line and "v=" not in line and not line.startswith("mailauth check:")
    ]
    assert left == [], left
    message = str(REPO / "samples" / "messages" / "idn-no-dmarc.eml")
    verify = _text(["verify", message, *ZONES], 400)
    assert re.search(r"1\s+ショップ\.jp\s+s1\s+rsa-sha256\s+pass", verify), verify
    assert "MAIL FROM: bounce@ショップ.jp" in verify
    assert "SPF ショップ.jp:" in verify and "DKIM s=s1 ショップ.jp:" in verify
    quoted = ("差出人:", "dkim=pass", "spf=pass", "dmarc=none", "_dmarc.xn--")
    left = [line for line in verify.splitlines() if "xn--" in line]
    assert all(any(q in line for q in quoted) for line in left), left

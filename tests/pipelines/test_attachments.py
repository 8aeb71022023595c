"""Attachments become text and tables: every format against what its writer was given
(tests/data/attachments/make_fixtures.py), every error kind, and the bounds on time and size."""
from __future__ import annotations

import io
import json
import os
import shutil
import time
import zipfile
from pathlib import Path

import pytest

from pipelines.attachments import Limits, attachment_json, extract_attachment, is_pointer_page, sniff
from pipelines.attachments import ocr
from pipelines.quality import bigram_f1
from tests.paths import DATA, ROOT

FILES = DATA / "attachments"
# CI installs LibreOffice and the OCR extra (.ci/run): there a missing one is a failure, not a skip
ON_CI = bool(os.environ.get("CI"))
needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None and not ON_CI,
                                   reason="LibreOffice not installed (apt-get install libreoffice-writer-nogui)")
needs_ocr = pytest.mark.skipif(not ocr.available() and not ON_CI, reason="the [ocr] extra is not installed")


def body(name: str) -> bytes:
    return (FILES / name).read_bytes()


def expected(name: str) -> str:
    return (FILES / f"{name}.expected.txt").read_text("utf-8")


def expected_tables(name: str) -> list[dict]:
    return json.loads((FILES / f"{name}.tables.json").read_text("utf-8"))


# --- text and tables ---------------------------------------------------------------------------

@pytest.mark.parametrize("name, kind, extractor", [
    ("report.pdf", "pdf", "pypdfium2"),
    ("restricted.pdf", "pdf", "pypdfium2"),      # an owner password only: opens for anyone, as on many portals
    ("report.docx", "docx", "ooxml"),
    pytest.param("report.doc", "doc", "libreoffice", marks=needs_soffice),
    ("stats.xlsx", "xlsx", "openpyxl"),
    ("stats.xls", "xls", "xlrd"),
])
def test_text_matches_what_the_writer_was_given(name, kind, extractor):
    result = extract_attachment(body(name), name=name)
    assert result.error is None, result.message
    assert (result.type, result.ocr) == (kind, 0)
    assert result.extractor.startswith(extractor)
    assert bigram_f1(result.text, expected(name)) >= 0.98


@pytest.mark.parametrize("name", ["report.pdf", "report.docx", "stats.xlsx", "stats.xls"])
def test_table_cells_land_in_tables_with_their_spans(name):
    "PDF tables split over pages are joined; merged cells keep rowspan/colspan; each cell once in text."
    result = extract_attachment(body(name), name=name)
    assert [t.to_json() for t in result.tables] == expected_tables(name)


def test_pdf_text_keeps_reading_order_and_whole_sentences():
    """A sentence wrapped at the margin is one line again, so a phrase across the wrap is searchable.
    (A line that ends a sentence exactly at the margin may end its paragraph: a PDF does not say.)"""
    text = extract_attachment(body("report.pdf")).text
    lines = text.splitlines()
    at = 0
    for paragraph in (ln for ln in expected("report.pdf").splitlines() if " | " not in ln):
        for sentence in filter(None, paragraph.split("。")):
            where = next(i for i, ln in enumerate(lines) if sentence in ln)   # whole, in one line
            assert where >= at, sentence
            at = where
    assert lines.index("二、主动公开政府信息情况") < lines.index("第二十条第（一）项") < lines.index("五、存在的主要问题及改进情况")


@needs_ocr
def test_scanned_pdf_is_read_by_ocr():
    result = extract_attachment(body("scanned.pdf"))
    assert result.error is None, result.message
    assert (result.type, result.pages, result.ocr) == ("pdf", 1, 1)
    assert bigram_f1(result.text, expected("scanned.pdf")) >= 0.90


@needs_ocr
def test_an_image_is_read_by_ocr():
    result = extract_attachment(body("scanned.png"))
    assert (result.type, result.error, result.ocr) == ("png", None, 1)
    assert bigram_f1(result.text, expected("scanned.png")) >= 0.90


def test_zip_bundle_members_are_read_and_named():
    result = extract_attachment(body("bundle.zip"))
    assert (result.type, result.error) == ("zip", None)
    assert [(m.name, m.type) for m in result.members] == [
        ("2020年政府信息公开工作年度报告.pdf", "pdf"), ("附件2 政府信息公开情况统计表.xls", "xls")]
    assert bigram_f1(result.text, expected("report.pdf") + expected("stats.xls")) >= 0.98
    assert len(result.tables) == len(expected_tables("report.pdf")) + len(expected_tables("stats.xls"))


def test_gbk_member_names_from_chinese_windows_are_decoded():
    "Names without the UTF-8 flag are whatever the zipper's code page was; zipfile reads them as cp437."
    class GbkName(zipfile.ZipInfo):      # zipfile itself always writes UTF-8 and sets the flag
        def _encodeFilenameFlags(self):
            return "年报.xls".encode("gbk"), self.flag_bits

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(GbkName("gbk-name.xls"), body("stats.xls"))
    raw = out.getvalue()
    assert b"\xc4\xea\xb1\xa8" in raw and not zipfile.ZipFile(io.BytesIO(raw)).infolist()[0].flag_bits & 0x800
    assert extract_attachment(raw).members[0].name == "年报.xls"


# --- the type comes from the bytes -------------------------------------------------------------

@pytest.mark.parametrize("name, kind", [
    ("report.pdf", "pdf"), ("report.docx", "docx"), ("report.doc", "doc"), ("stats.xlsx", "xlsx"),
    ("stats.xls", "xls"), ("scanned.png", "png"), ("bundle.zip", "zip"),
])
def test_type_from_magic_not_the_name(name, kind):
    assert sniff(body(name)) == kind
    wrong = "report.doc" if kind != "doc" else "report.pdf"
    # a zero deadline: the type is known before any reading starts
    assert extract_attachment(body(name), name=wrong, limits=Limits(seconds=0, ocr=False)).type == kind


@pytest.mark.parametrize("data, kind", [
    (b"Rar!\x1a\x07\x01\x00" + b"\x00" * 64, "rar"), (b"7z\xbc\xaf\x27\x1c" + b"\x00" * 32, "7z"),
    (b"<html><body>%PDF-1.4 explained</body></html>", None), (b"\xef\xbb\xbf%PDF-1.7\n", "pdf"),
    (b"BMfoo, not a bitmap", None),
])
def test_sniff_on_edge_cases(data, kind):
    assert sniff(data) == kind


# --- every error kind; a bad file never raises -------------------------------------------------

def test_encrypted_pdf():
    result = extract_attachment(body("encrypted.pdf"))
    assert (result.type, result.error, result.text) == ("pdf", "attachment:encrypted", None)
    assert b"/Encrypt" in body("restricted.pdf")      # read above: encrypted too, with an owner password only


def test_truncated_pdf_is_corrupt():
    result = extract_attachment(body("truncated.pdf"))
    assert (result.type, result.error) == ("pdf", "attachment:corrupt")


@pytest.mark.parametrize("data, error", [
    (b"", "attachment:empty"),
    (b"Rar!\x1a\x07\x01\x00" + b"\x00" * 64, "attachment:unsupported"),
    (b"\x00\x01\x02 no known type", "attachment:unsupported"),
    (b"%PDF-1.4\n garbage", "attachment:corrupt"),
    (b"PK\x03\x04 broken zip", "attachment:corrupt"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\xff" * 600, "attachment:corrupt"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "attachment:corrupt"),
])
def test_bad_bytes_give_an_error_not_an_exception(data, error):
    assert extract_attachment(data).error == error


def test_too_large_and_too_many_pages_keep_what_was_read():
    assert extract_attachment(body("report.pdf"), limits=Limits(max_bytes=1000)).error == "attachment:too_large"
    result = extract_attachment(body("report.pdf"), limits=Limits(max_pages=2))
    assert (result.error, result.pages) == ("attachment:too_many_pages", 5)
    assert "一、总体情况" in result.text and "五、存在的主要问题及改进情况" not in result.text


@pytest.mark.parametrize("name", ["scanned.pdf", "scanned.png"])
def test_scans_without_ocr_say_so(name):
    result = extract_attachment(body(name), limits=Limits(ocr=False))
    assert result.error == "attachment:needs_ocr"


def test_doc_without_libreoffice_says_so(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))       # no soffice on it
    result = extract_attachment(body("report.doc"))
    assert (result.type, result.error) == ("doc", "attachment:needs_libreoffice")
    assert "libreoffice-writer-nogui" in result.message


@needs_soffice
def test_libreoffice_past_the_deadline_is_killed():
    started = time.monotonic()
    result = extract_attachment(body("report.doc"), limits=Limits(seconds=0.3))
    assert result.error == "attachment:timeout"
    assert time.monotonic() - started < 5
    left = [p for p in Path("/proc").iterdir() if p.name.isdigit() and _cmdline(p).find("xxgk-soffice-") >= 0]
    assert left == [], "the conversion's soffice processes outlived the deadline"


def _cmdline(proc: Path) -> str:
    try:
        return (proc / "cmdline").read_bytes().decode("utf-8", "replace")
    except OSError:
        return ""


def test_pdf_past_the_deadline_stops_between_pages():
    result = extract_attachment(body("report.pdf"), limits=Limits(seconds=0))
    assert result.error == "attachment:timeout"


def test_zip_bomb_bounds_uncompressed_size_and_member_count():
    "Generated here (64 MiB of zeros deflate to 64 KiB): judged from the sizes the archive declares."
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("zeros.pdf", b"\0" * (64 * 1024 * 1024))
    started = time.monotonic()
    result = extract_attachment(out.getvalue(), limits=Limits(zip_max_bytes=16 * 1024 * 1024))
    assert result.error == "attachment:zip_bomb"
    assert time.monotonic() - started < 1          # refused before unpacking a byte
    many = io.BytesIO()
    with zipfile.ZipFile(many, "w") as z:
        for i in range(201):
            z.writestr(f"{i}.txt", b"x")
    assert extract_attachment(many.getvalue()).error == "attachment:zip_bomb"
    # a DOCX is a ZIP too: its parts are bounded the same way
    assert extract_attachment(body("report.docx"), limits=Limits(zip_max_bytes=1000)).error == "attachment:zip_bomb"


def test_a_zip_in_a_zip_in_a_zip_is_not_followed():
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as z:
        z.writestr("stats.xls", body("stats.xls"))
    outer = io.BytesIO()
    with zipfile.ZipFile(outer, "w") as z:
        z.writestr("inner.zip", inner.getvalue())
    result = extract_attachment(outer.getvalue())
    assert result.error == "attachment:unsupported" and result.members[0].type == "zip"


@pytest.mark.parametrize("name", ["report.pdf", "report.docx", "stats.xlsx", "stats.xls", "bundle.zip", "scanned.png"])
def test_damaged_files_never_raise(name):
    "Cut short or with bytes overwritten anywhere: a result with an error or text, never an exception."
    data = body(name)
    for k in range(1, 12):
        cut = data[: len(data) * k // 12]
        hole = bytearray(data)
        hole[len(data) * k // 12: len(data) * k // 12 + 64] = b"\xff" * 64
        for damaged in (cut, bytes(hole)):
            result = extract_attachment(damaged, limits=Limits(ocr=False, seconds=10))
            assert result.error or result.text is not None


# --- pointer pages -----------------------------------------------------------------------------

DEMO = ROOT / "crawler" / "demo" / "portal" / "expected"


def test_the_demo_pointer_page_is_a_pointer():
    assert is_pointer_page((DEMO / "trs-att.txt").read_text("utf-8"))
    assert is_pointer_page("")
    assert is_pointer_page(None)
    assert is_pointer_page("2020年政府信息公开工作年度报告。点击下载", title="2020年政府信息公开工作年度报告")


@pytest.mark.parametrize("path", sorted(p for p in DEMO.glob("*.txt") if p.name != "trs-att.txt"), ids=lambda p: p.stem)
def test_report_bodies_are_not_pointers_even_when_they_mention_an_attachment(path):
    text = path.read_text("utf-8")
    assert not is_pointer_page(text)
    assert not is_pointer_page(text + "\n附件：政府信息公开情况统计表（详见附件，点击下载）")


def test_a_short_introduction_that_points_to_the_file_is_a_pointer():
    intro = ("根据《中华人民共和国政府信息公开条例》规定，现公布本机关2021年度政府信息公开工作情况。"
             "本报告由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和"
             "行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项等六部分组成。"
             "本报告中所列数据的统计期限自2021年1月1日起至2021年12月31日止。") * 2
    assert not is_pointer_page(intro)
    assert is_pointer_page(intro + "报告全文详见附件。")


# --- the one-file command ----------------------------------------------------------------------

def test_the_one_page_command_reads_a_document(capsys):
    from pipelines.extract import main

    assert main([str(FILES / "stats.xlsx")]) == 0
    row = json.loads(capsys.readouterr().out)
    assert (row["type"], row["error"], row["pages"]) == ("xlsx", None, 1)
    assert row["tables"] == expected_tables("stats.xlsx")
    assert bigram_f1(row["text"], expected("stats.xlsx")) >= 0.98


def test_attachment_json_of_a_bundle_lists_its_members():
    row = attachment_json(body("bundle.zip"), name="bundle.zip")
    assert [m["type"] for m in row["members"]] == ["pdf", "xls"]

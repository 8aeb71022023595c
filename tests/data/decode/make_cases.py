"""Write the decode fixtures (real bytes in real encodings) and cases.json, from the source strings below.

The expected values come from these strings and the encodings we chose, never from our decoder.
Run: .venv/bin/python tests/data/decode/make_cases.py
"""
from __future__ import annotations

import codecs
import json
from pathlib import Path

HERE = Path(__file__).parent

# source texts (the expected snippets are these strings)
SIMP = "2020年度政府信息公开工作年度报告。本机关全年主动公开政府信息214条，依法申请公开0件。"
NAMES = "朱镕基同志、张喆与王堃出席会议"  # 镕 喆 堃: GBK, not GB2312
TRAD = "額濟納旗人民政府2014年度政府信息公開年度報告，建成了為民服務中心。"
HKSCS = "香港市民話：呢部𨋢㗎，啲人冇嘅"  # 𨋢 㗎 啲 冇 嘅: Big5-HKSCS, not plain Big5
PINYIN = "2020年度我局在網(wǎng)站主動公開信息214條，其中工作動態(tài)174條。"
MIXED_UTF8 = "网站首页 | 政务公开 | 联系我们"
MIXED_GBK = "二、主动公开政府信息情况：本年新制作数量十二件。"
TRAD_TITLE = "政府信息公開年度報告"
ASCII_TEXT = "Annual report 2020 - Government information disclosure"
LATIN = "Jahresbericht über die Öffentlichkeit der Verwaltung – Straße, Größe"


def page(body: str, meta: str = "", title: str = "政府信息公开年度报告") -> str:
    return (f"<!DOCTYPE html>\n<html>\n<head>\n{meta}\n<title>{title}</title>\n</head>\n"
            f"<body>\n<div class=\"article\">\n<p>{body}</p>\n</div>\n</body>\n</html>\n")


def meta_charset(label: str) -> str:
    return f'<meta http-equiv="Content-Type" content="text/html; charset={label}">'


def even_utf8_body() -> bytes:
    """A UTF-8 page whose every non-ASCII run is an even number of bytes, so GB18030 also decodes it
    strictly (into mojibake): only plausibility can tell the two apart."""
    words = ["政务公开", "信息公开", "年度报告", "主动公开", "依申请公开", "行政复议", "政府网站"]  # 4 or 5 chars
    even = [w for w in words if len(w.encode("utf-8")) % 2 == 0]
    text = "，".join(even)
    body = page(" ".join(even * 3), title="年度报告").encode("utf-8")
    assert codecs.decode(body, "gb18030") and text  # the case is only meaningful if this holds
    return body


CASES: list[dict] = []


def case(name: str, data: bytes, content_type: str | None, encoding: str, source: str, snippets: list[str],
         decode_errors: int | str = 0, mojibake: bool = False, note: str = "") -> None:
    (HERE / name).write_bytes(data)
    CASES.append({"file": name, "content_type": content_type, "encoding": encoding, "encoding_source": source,
                  "snippets": snippets, "decode_errors": decode_errors, "mojibake": mojibake, "note": note})


def build() -> None:
    gbk_page = page(SIMP + NAMES)
    case("gb2312_meta_gbk_chars.html", gbk_page.replace("<title>", meta_charset("gb2312") + "\n<title>", 1)
         .encode("gb18030"), "text/html", "gb18030", "meta", [SIMP, NAMES],
         note="GB2312 declared, GBK-only characters present: widened to gb18030")
    case("gb2312_header_gbk_chars.html", gbk_page.encode("gb18030"), "text/html; charset=GB2312", "gb18030",
         "header", [NAMES])
    case("gbk_malformed_meta.html", page(SIMP, '<meta httpequiv="ContentType" content="text/html; charset=gbk" />')
         .encode("gb18030"), "text/html", "gb18030", "meta", [SIMP], note="w3lib#155")
    case("gbk_meta_content_no_type.html", page(SIMP, '<meta http-equiv="Content-Type" content="charset=gbk">')
         .encode("gb18030"), None, "gb18030", "meta", [SIMP])
    case("gbk_commented_meta.html", page(SIMP, "<!-- <meta charset=\"utf-8\"> -->\n<meta charset='gb2312'>")
         .encode("gb18030"), None, "gb18030", "meta", [SIMP], note="a commented-out meta declares nothing")
    case("header_utf8_meta_gb2312_gbk_body.html", page(SIMP + NAMES, meta_charset("gb2312")).encode("gb18030"),
         "text/html; charset=utf-8", "gb18030", "meta", [SIMP, NAMES],
         note="lying header: its strict decode fails, the meta's succeeds")
    case("header_utf8_gbk_body.html", gbk_page.encode("gb18030"), "text/html; charset=UTF-8", "gb18030",
         "sniffed", [SIMP, NAMES])
    case("header_latin1_gbk_body.html", gbk_page.encode("gb18030"), "text/html; charset=ISO-8859-1", "gb18030",
         "sniffed", [SIMP, NAMES], note="cp1252 always decodes; it is trusted last")
    case("header_utf8_meta_gb2312_utf8_body.html", page(SIMP + NAMES, meta_charset("gb2312")).encode("utf-8"),
         "text/html; charset=utf-8", "utf-8", "header", [SIMP, NAMES])
    case("header_gbk_even_utf8_body.html", even_utf8_body(), "text/html; charset=gbk", "utf-8", "sniffed",
         ["政务公开", "年度报告"], note="valid UTF-8 outranks a legacy declaration (GB18030 also decodes it, into mojibake)")
    case("big5_hkscs_header.html", page(TRAD + HKSCS, title=TRAD_TITLE).encode("big5hkscs"),
         "text/html; charset=big5", "big5hkscs", "header", [TRAD, HKSCS])
    case("big5_undeclared.html", page(TRAD, title=TRAD_TITLE).encode("big5hkscs"), "text/html", "big5hkscs",
         "sniffed", [TRAD], note="Big5 bytes also decode strictly as GB18030; the common-character share decides")
    case("big5_meta_gb2312.html", page(TRAD, meta_charset("gb2312"), TRAD_TITLE).encode("big5hkscs"), None,
         "big5hkscs", "sniffed", [TRAD], note="a gov/big5 mirror that kept the original meta")
    case("gbk_undeclared.html", page(SIMP + NAMES).encode("gb18030"), None, "gb18030", "sniffed", [SIMP, NAMES])
    case("gbk_traditional_pinyin.html", page(PINYIN + TRAD, meta_charset("gb2312")).encode("gb18030"),
         "text/html", "gb18030", "meta", [PINYIN, TRAD], note="seed 002 style text served as GBK")
    case("gb18030_four_byte.html", page(SIMP + "𠀀𪚥", meta_charset("gb2312")).encode("gb18030"), None,
         "gb18030", "meta", ["𠀀𪚥"])
    case("utf8_undeclared.html", page(SIMP + NAMES).encode("utf-8"), None, "utf-8", "sniffed", [SIMP, NAMES])
    case("utf8_bom_meta_gb2312.html", codecs.BOM_UTF8 + page(SIMP, meta_charset("gb2312")).encode("utf-8"),
         "text/html; charset=gbk", "utf-8", "bom", [SIMP])
    mixed = page(MIXED_UTF8, meta_charset("utf-8")).encode("utf-8").replace(
        b"</div>", f"<p>{MIXED_GBK}</p>\n".encode("gb18030") + b"</div>")
    case("mixed_utf8_gbk.html", mixed, "text/html; charset=utf-8", "utf-8", "header", [MIXED_UTF8, MIXED_GBK],
         decode_errors="positive", note="GBK paragraph inside a UTF-8 template: rescued piecewise, counted")
    truncated = page(SIMP).encode("gb18030").replace(b"</p>", "公开".encode("gb18030")[:-1] + b"</p>")
    case("gbk_truncated_char.html", truncated, "text/html; charset=gb2312", "gb18030", "header", [SIMP],
         decode_errors=1, mojibake=True, note="one lone lead byte: replaced and counted, the page is kept")
    case("ascii_undeclared.html", page(ASCII_TEXT, title="Report").encode("ascii"), None, "utf-8", "sniffed",
         [ASCII_TEXT])
    case("ascii_latin1_header.html", page(ASCII_TEXT, title="Report").encode("ascii"),
         "text/html; charset=iso-8859-1", "cp1252", "header", [ASCII_TEXT])
    case("latin1_real.html", page(LATIN, title="Bericht").encode("cp1252"), "text/html; charset=iso-8859-1",
         "cp1252", "header", [LATIN], note="a real cp1252 page keeps its declaration")
    case("empty.html", b"", "text/html; charset=utf-8", "utf-8", "header", [""])

    (HERE / "cases.json").write_text(json.dumps(CASES, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    build()

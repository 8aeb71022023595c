"""The reading room's cell rendering (crawler/browse/render.py): both shapes of ``tables``, text as
paragraphs, JSON as label/value lines with the characters as written."""
from __future__ import annotations

import json

import lxml.html

from crawler.browse.render import excerpt, pairs_html, tables_html, tables_summary, text_html

# the shape of pipelines.tables (cells once, with spans) and the plain grid the archive stored before
SPANNED = [{"rows": [[{"text": "收到申请数", "rowspan": 2}, {"text": "自然人"}, {"text": "法人", "colspan": 2}],
                     [{"text": "3"}, {"text": "1"}, {"text": "0"}]],
            "grid": [["收到申请数", "自然人", "法人", "法人"], ["收到申请数", "3", "1", "0"]]}]
GRID = [[["收到申请数", "自然人", "法人"], ["收到申请数", "3", "1"]]]


def cells(html) -> list[tuple[str, str | None, str | None]]:
    doc = lxml.html.fromstring(str(html))
    return [(td.text_content(), td.get("rowspan"), td.get("colspan")) for td in doc.iter("td")]


def test_a_spanned_table_is_drawn_with_its_spans():
    assert cells(tables_html(json.dumps(SPANNED, ensure_ascii=False))) == [
        ("收到申请数", "2", None), ("自然人", None, None), ("法人", None, "2"),
        ("3", None, None), ("1", None, None), ("0", None, None)]


def test_a_plain_grid_is_drawn_cell_by_cell():
    assert [c[0] for c in cells(tables_html(json.dumps(GRID, ensure_ascii=False)))] == \
        ["收到申请数", "自然人", "法人", "收到申请数", "3", "1"]
    assert str(tables_summary(json.dumps(GRID))) == '<span class="xxgk-excerpt">1 table: 2 rows</span>'


def test_text_is_paragraphs_and_escaped():
    html = str(text_html("一、总体情况\n\n<b>二</b>、主动公开"))
    assert html == '<div class="xxgk-text"><p>一、总体情况</p><p>&lt;b&gt;二&lt;/b&gt;、主动公开</p></div>'
    assert "…" in str(excerpt("字" * 500)) and "…" not in str(excerpt("字" * 10))


def test_json_pairs_keep_chinese_as_written():
    html = str(pairs_html(json.dumps({"索引号": "11152923", "发布机构": "旗卫生局"}, ensure_ascii=False)))
    assert "索引号" in html and "\\u" not in html
    links = str(pairs_html(json.dumps([{"url": "http://h/a.pdf", "name": "年报.pdf", "type": "pdf"}])))
    assert '<a href="http://h/a.pdf">年报.pdf</a>' in links

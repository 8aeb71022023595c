"""pipelines.metadata: table-driven over tests/data/metadata/*.html (expected values in the JSON beside
each page, written by hand from the page), plus the real pages in ../shared/realpages when present."""
from __future__ import annotations

import json
import re
from pathlib import Path

import lxml.html
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.labels import LABELS, OTHER_LABELS, column_for, normalize_label
from pipelines.metadata import Metadata, extract_metadata, extract_title, parse_date, report_year_from
from pipelines.metadata.html import norm_space, squash
from tests import paths
from tests.timing import best_of
from tests.paths import REALPAGES

DATA = paths.DATA / "metadata"
FIXTURES = sorted(DATA.glob("*.html"))
COLUMNS = ("title", "index_no", "publisher", "published", "written", "doc_no", "category",
           "site_name", "site_id_code", "report_year")


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


# ---------------------------------------------------------------------------------------------
# fixtures: layout × script × date form

def test_fixtures_cover_the_layouts():
    assert len(FIXTURES) >= 12
    for page in FIXTURES:
        assert page.with_suffix(".json").exists(), f"{page.name} has no expected-values file"


@pytest.mark.parametrize("page", FIXTURES, ids=lambda p: p.stem)
def test_fixture(page: Path):
    expected = json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))
    md = extract_metadata(page.read_text(encoding="utf-8"))
    for column in COLUMNS:
        assert getattr(md, column) == expected[column], column
    for label, value in expected.get("meta", {}).items():
        assert md.meta.get(label) == value, label
    for label in expected.get("meta_absent", ()):
        assert label not in md.meta, label
    if expected.get("meta_empty"):
        assert md.meta == {}
    for fragment in expected.get("warnings_contain", ()):
        assert any(fragment in w for w in md.warnings), md.warnings
    if not expected.get("warnings_contain"):
        assert md.warnings == []


@pytest.mark.parametrize("page", FIXTURES, ids=lambda p: p.stem)
def test_columns_are_none_never_blank(page: Path):
    md = extract_metadata(page.read_text(encoding="utf-8"))
    for column in COLUMNS:
        assert getattr(md, column) != ""


# ---------------------------------------------------------------------------------------------
# small cases

def _page(block: str, title: str = "某某局2020年政府信息公开工作年度报告") -> str:
    return f"<html><body>{block}<h1>{title}</h1><div id='zoom'><p>正文。</p></div></body></html>"


def test_empty_value_does_not_swallow_next_label():
    md = extract_metadata(_page("<div>文号：　发布机构：某某局 主题分类：</div>"))
    assert md.meta["文号"] == "" and md.doc_no is None
    assert md.publisher == "某某局"
    assert md.meta["主题分类"] == "" and md.category is None


def test_label_without_value_at_end_of_table_does_not_take_the_title():
    md = extract_metadata(_page("<table><tr><td>索引号</td><td>A1/2021-1</td><td>浏览量</td><td></td></tr></table>"))
    assert md.meta["浏览量"] == ""
    assert md.title == "某某局2020年政府信息公开工作年度报告"


@pytest.mark.parametrize("value", ["无", "-", "/", "－", "暂无"])
def test_doc_no_placeholders_are_none(value):
    assert extract_metadata(_page(f"<p>文号：{value}</p>")).doc_no is None


def test_publisher_prefers_release_agency_over_issuing_office_and_meta():
    html = ("<html><head><meta name='ContentSource' content='平台'></head><body>"
            "<p>发文机关：某某市人民政府</p><p>发布机构：某某市人民政府办公室</p><h1>某某市2020年政府信息公开年度报告</h1></body></html>")
    assert extract_metadata(html).publisher == "某某市人民政府办公室"
    assert extract_metadata(html.replace("<p>发布机构：某某市人民政府办公室</p>", "")).publisher == "某某市人民政府"
    assert extract_metadata("<html><head><meta name='ContentSource' content='平台'></head><body><p>x</p></body></html>"
                            ).publisher == "平台"


def test_visible_date_beats_pubdate_meta_and_meta_is_the_fallback():
    head = "<html><head><meta name='PubDate' content='2022-05-16 12:34:05'></head><body>"
    assert extract_metadata(head + "<p>发布日期：2021-01-20</p></body></html>").published == "2021-01-20"
    assert extract_metadata(head + "<p>成文日期：2021-01-19</p></body></html>").published == "2021-01-19"
    assert extract_metadata(head + "<p>没有日期</p></body></html>").published == "2022-05-16"


def test_two_character_labels_need_a_boundary():
    md = extract_metadata(_page("<p>办理时间：2021-01-05 单位名称：某某</p>"))
    assert md.published is None and "时间" not in md.meta and "名称" not in md.meta


def test_unknown_label_kept_only_inside_a_known_block():
    md = extract_metadata(_page("<ul><li>索引号：X/2021-1</li><li>有效期：长期</li></ul>"
                                "<ul><li>热线电话：12345</li></ul>"))
    assert md.meta["有效期"] == "长期"
    assert "热线电话" not in md.meta


def test_breadcrumb_is_not_an_unknown_label():
    md = extract_metadata("<html><body><div>您当前的位置：首页 &gt; 政府信息公开</div><div>发布时间：2021-01-20</div>"
                          "<h1>某某2020年政府信息公开年度报告</h1></body></html>")
    assert md.published == "2021-01-20" and "您当前的位置" not in md.meta


@pytest.mark.parametrize("shown, kept", [("[2021]3号", "[2021]3号"), ("〔2021〕3号", "〔2021〕3号"),
                                         ("【X政办〔2021〕1号】", "X政办〔2021〕1号")])
def test_doc_no_keeps_its_own_brackets(shown, kept):
    assert extract_metadata(_page(f"<p>文号：{shown}</p>")).doc_no == kept


def test_alt_attributes_and_hidden_elements_are_ignored():
    md = extract_metadata(_page('<span alt="来源：旧来源">来源：新来源</span>'
                                '<div hidden>发布日期：2001-01-01</div><p class="hide">成文日期：2001-01-01</p>'))
    assert md.publisher == "新来源" and md.published is None and md.written is None


def test_headings_hidden_by_the_pages_own_css_are_not_the_title():
    # the class is hidden by a <style> rule that comes after the heading
    html = ("<html><body><div class='gone'><h1>隐藏的标题文字</h1></div><div class='article-title'>真正的标题文字</div>"
            "<style>.gone{display:none}</style><p>发布日期：2021-01-20</p></body></html>")
    assert extract_metadata(html).title == "真正的标题文字"


def test_a_title_box_inside_a_hidden_box_is_not_the_title():
    html = ("<html><body><div style='display:none'><div class='article-title'>隐藏的标题文字</div></div>"
            "<h1>某某区2020年政府信息公开工作年度报告</h1></body></html>")
    assert extract_metadata(html).title == "某某区2020年政府信息公开工作年度报告"


def test_whitespace_includes_ideographic_nbsp_and_zero_width_spaces():
    assert norm_space(" a\u200b\u3000 \xa0b\ufeff\n") == "a b" and squash("a\u200b\u3000 b\ufeff") == "ab"
    assert norm_space("\u200b\ufeff") == "" and squash(None) == ""


def test_spaced_label_alone_in_a_cell_takes_the_next_cell():
    md = extract_metadata(_page("<table><tr><td>索 引 号</td><td>ABC-2021-01</td></tr>"
                                "<tr><td>发布机构 ：</td><td>某某区政府办</td></tr></table>"))
    assert md.index_no == "ABC-2021-01" and md.publisher == "某某区政府办"


def test_a_title_year_taken_leaves_the_body_unread_and_unwarned():
    html = "<html><body><h1>某某区2020年政府信息公开工作年度报告</h1><p>发布日期：2021-01-20</p></body></html>"
    md = extract_metadata(html, text="2035年，我区政府信息公开工作……")
    assert md.report_year == 2020 and not any("implausible" in w for w in md.warnings)


def test_site_id_code_from_footer_when_meta_is_empty():
    html = ("<html><head><meta name='SiteIDCode' content=''></head><body><h1>某某2020年政府信息公开年度报告</h1>"
            "<div class='footer'>网站标识码：3300000020 浙ICP备05018911号</div></body></html>")
    assert extract_metadata(html).site_id_code == "3300000020"


def test_meta_names_are_case_insensitive_and_null_is_absent():
    html = ("<html><head><meta name='articletitle' content='某某2020年政府信息公开年度报告'>"
            "<meta name='SITENAME' content='null'></head><body></body></html>")
    md = extract_metadata(html)
    assert md.title == "某某2020年政府信息公开年度报告"
    assert md.site_name is None and "meta:SiteName" not in md.meta


def test_browser_title_is_only_a_last_resort_and_never_the_site_name():
    assert extract_metadata("<html><head><title>某某市人民政府</title></head><body><p>x</p></body></html>").title is None
    html = "<html><head><title>某某市2020年政府信息公开年度报告_中国宜春</title></head><body><p>x</p></body></html>"
    assert extract_metadata(html).title == "某某市2020年政府信息公开年度报告"


T = "习近平主持召开企业和专家座谈会"
R = "梅列区统计局2020年政府信息公开工作年度报告"


@pytest.mark.parametrize("browser, site_meta, footer", [
    (f"{T}-中国科普网", None, ""),                        # issue 23's page: a bare dash, a name ending in 网
    (f"{R}-某某县人民政府", None, ""),
    (f"{R} - 三明市梅列区人民政府", "三明市梅列区人民政府", ""),
    (f"{R}_魅力梅列", "魅力梅列", ""),                     # a name that only the SiteName meta gives
    (f"{R}_中国鄂温克", None, "版权所有：中国鄂温克"),      # ... or only the footer
    (f"{R}-中国鄂温克", None, "Copyright © 2021 中国鄂温克 All Rights Reserved"),
    (f"{R} | 額濟納旗門戶網", None, ""),
    (f"{R}——梅列区人民政府网", None, ""),
    (f"三明市梅列区人民政府_{R}", None, ""),
], ids=["bare-dash-net", "dash", "spaced-dash", "underscore-meta", "underscore-footer", "dash-footer", "pipe",
        "double-dash", "site-first"])
def test_browser_title_loses_the_sites_name(browser, site_meta, footer):
    # issue 23: the page shows no heading; the <title> carries the site's name
    meta = f"<meta name='SiteName' content='{site_meta}'>" if site_meta else ""
    html = (f"<html><head><title>{browser}</title>{meta}</head><body><div class='main'><p>正文。</p></div>"
            f"<div class='footer'><p>{footer}</p></div></body></html>")
    assert extract_metadata(html).title == (T if T in browser else R)


def test_a_share_widget_titled_with_another_report_is_not_the_title():
    # the <title> names only the site, and nothing but the share box would say otherwise
    html = (f"<html><head><title>梅列区人民政府</title></head><body><div class='main'>"
            f"<p style='text-align:center'><b>{R}</b></p><p>正文。</p></div>"
            "<div class='share-pop'><h3 class='share-title'>三明市梅列区2019年政府信息公开工作年度报告</h3>"
            "<p>分享到：<a>微信</a></p></div></body></html>")
    assert extract_metadata(html).title == R


def test_a_report_like_box_the_browser_title_contradicts_is_not_the_title():
    html = (f"<html><head><title>{R}_梅列区人民政府</title></head><body><div class='main'><p>正文。</p></div>"
            "<div class='recommend'><h3>三明市梅列区2019年政府信息公开工作年度报告</h3></div></body></html>")
    assert extract_metadata(html).title == R


@pytest.mark.parametrize("shown", [
    f'<p style="text-align: center;"><strong>{R}</strong></p>',
    '<p align="center"><b>梅列区统计局</b></p><p align="center"><b>2020年政府信息公开工作年度报告</b></p>',
], ids=["one-line", "two-lines"])
def test_a_title_shown_centred_at_the_top_of_the_body_is_found(shown):
    # no heading element, and a <title> that is only the site's name
    html = (f"<html><head><title>梅列区人民政府</title></head><body><div class='main'>{shown}"
            "<p>2020年，我局认真贯彻落实《条例》。</p></div></body></html>")
    assert extract_metadata(html).title == R


def test_a_heading_split_across_elements_is_found_whole():
    html = ("<html><head><title>梅列区人民政府</title></head><body><div class='article-title'>"
            "<span>梅列区统计局</span><br><span>2020年政府信息公开工作年度报告</span></div>"
            f"<div class='main'><p style='text-align:center'>{R}</p><p>正文。</p></div></body></html>")
    assert extract_metadata(html).title == R


INCLUDED_DOCUMENT = ("<!DOCTYPE html PUBLIC '-//W3C//DTD XHTML 1.0 Transitional//EN' 'x'><html><head>"
                     "<title>另一个网站的首页</title><meta name='SiteName' content='别的网站'>"
                     "<meta name='ArticleTitle' content='某某县2019年政府信息公开工作年度报告'></head>"
                     "<body><div class='sub-top'>欢迎访问</div></body></html>")


def test_an_included_document_mid_body_says_nothing_of_the_page():
    # issue 23: a header include with its own <!DOCTYPE>, <html> and <head>, which the parser leaves in <body>
    html = (f"<html><head><title>{R}_魅力梅列</title><meta name='SiteName' content='魅力梅列'></head><body>"
            f"<div class='top'>{INCLUDED_DOCUMENT}</div><div class='main'><p>正文。</p></div></body></html>")
    md = extract_metadata(html)
    assert md.title == R and md.site_name == "魅力梅列" and "meta:ArticleTitle" not in md.meta


@pytest.mark.parametrize("hidden", [
    "<p>索引号：</p><p>发布机构：</p><p>发布日期：</p>",                       # the template's block, never filled
    "<p>索引号：11350403/2019-00001</p><p>发布机构：别的单位</p><p>发布日期：2019-01-02</p>",
], ids=["empty", "stale"])
def test_a_hidden_block_beside_the_visible_byline_never_wins(hidden):
    html = (f"<html><head><meta name='ContentSource' content='梅列区退役军人事务局'></head><body>"
            f"<div class='xxgk-meta' style='display:none'>{hidden}</div><h1>{R}</h1>"
            "<div class='sub'>发布时间：2021-01-19&nbsp;&nbsp;来源：梅列区退役军人事务局</div>"
            "<div class='main'><p>正文。</p></div></body></html>")
    md = extract_metadata(html)
    assert (md.index_no, md.publisher, md.published) == (None, "梅列区退役军人事务局", "2021-01-19")


def test_extract_title_on_a_raw_tree_skips_hidden_headings():
    tree = lxml.html.document_fromstring(
        "<html><body><h1 style='display:none'>隐藏的标题文字</h1><div class='article-title'>真正的标题文字</div></body></html>")
    assert extract_title(tree) == "真正的标题文字"


@pytest.mark.parametrize("html", ["", "   ", "<", "<html></html>", "<?xml version='1.0' encoding='gbk'?><html/>",
                                  "\x00\x00", "<html><body>" + "<div>" * 3000 + "索引号：1" + "</div>" * 3000])
def test_degenerate_pages_never_raise(html):
    md = extract_metadata(html)
    assert isinstance(md, Metadata)
    assert not any("failed" in w for w in md.warnings)


def test_report_year_from_text_when_the_title_has_none():
    html = "<html><body><h1>政府信息公开年报</h1><div id='zoom'><p>x</p></div></body></html>"
    md = extract_metadata(html, text="一、总体情况\n2021年，我区坚持以公开为常态。")
    assert md.report_year == 2021


# ---------------------------------------------------------------------------------------------
# dates and years

@pytest.mark.parametrize("value, expected", [
    ("2015-03-24 10:28:10", "2015-03-24"),
    ("2021年1月20日", "2021-01-20"),
    ("2021年01月20日 10:00", "2021-01-20"),
    ("2021/01/20", "2021-01-20"),
    ("2021.1.20", "2021-01-20"),
    ("20210120", "2021-01-20"),
    ("２０２１－０１－２０", "2021-01-20"),
    ("２０２１年１月２０日", "2021-01-20"),
    ("二〇二一年一月二十日", "2021-01-20"),
    ("二〇二〇年十二月三十一日", "2020-12-31"),
    ("发布时间：2019-09-18 06:23", "2019-09-18"),
    ("01/20/2021", "2021-01-20"),
    ("2021-02-30", None),
    ("2021-13-01", None),
    ("20211301", None),
    ("014717475N/2023-0040295", None),
    ("", None),
    ("无", None),
])
def test_parse_date(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("title, text, published, expected", [
    ("某某区2020年政府信息公开工作年度报告", None, None, 2020),
    ("2014年度政府信息公開年度報告", None, None, 2014),
    ("某某縣２０２０年政府資訊公開年報", None, None, 2020),
    ("某某局二〇二〇年政府信息公开工作年度报告", None, None, 2020),
    ("某某局2019年政务公开工作年度报告", None, None, 2019),
    ("政府信息公开工作年度报告（2018年度）", None, None, 2018),
    ("某某区政府信息公开年报", "2020年，我区根据国家部署推进政务公开。", None, 2020),
    ("年报", "本报告所列数据统计期限从2019年1月1日到12月31日止。", None, 2019),
    ("年报", None, "2021-03-30", 2020),
    ("年报", None, "2021-07-30", None),
    ("某某区2025年政府信息公开工作年度报告", None, "2021-01-20", 2020),   # title year after publication
    ("某某区2005年政府信息公开工作年度报告", None, None, None),          # before the 2007 条例
    (None, None, None, None),
])
def test_report_year_from(title, text, published, expected):
    assert report_year_from(title, text, published) == expected


def test_implausible_title_year_warns():
    html = ("<html><body><p>发布日期：2021-01-20</p><h1>某某区2025年政府信息公开工作年度报告</h1>"
            "<div id='zoom'><p>x</p></div></body></html>")
    md = extract_metadata(html)
    assert md.report_year == 2020
    assert any("2025" in w for w in md.warnings)


# ---------------------------------------------------------------------------------------------
# robustness

_LABEL_POOL = sorted({v for vs in LABELS.values() for v in vs} | set(OTHER_LABELS))
_PIECES = st.one_of(
    st.sampled_from(_LABEL_POOL),
    st.sampled_from(["：", ":", " ", "　", "\xa0", "<br>", "<td>", "</td>", "<tr>", "<dd>", "<dt>", "<li>", "<p>",
                     "</p>", "<table>", "</table>", "<div style='display:none'>", "</div>", "<!--", "-->", "<h1>",
                     "</h1>", "<ucaptitle>", "<!--<$[标题]>begin-->", "<!--<$[标题]>end-->", "<meta name='PubDate' content='",
                     "'>", "<style>.x{display:none}</style>", "2021-02-30", "二〇二一年一月二十日", "２０２１", "年",
                     "政府信息公开年度报告", "<div id='zoom'>", "<script>", "</script>", "&nbsp;", "\x00", "\ud800"]),
    st.text(max_size=12),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, max_size=40), st.one_of(st.none(), st.text(max_size=50)))
def test_random_label_soup_never_raises(pieces, text):
    md = extract_metadata("".join(pieces), text=text)
    assert isinstance(md, Metadata)
    assert not any("failed" in w for w in md.warnings), md.warnings
    for column in COLUMNS:
        assert getattr(md, column) != ""
    if md.published:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", md.published)


@given(st.text(max_size=40))
def test_parse_date_never_raises(value):
    result = parse_date(value)
    assert result is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", result)


# ---------------------------------------------------------------------------------------------
# real pages (../shared/realpages; never copied into the repo)

def _manifest() -> list[dict]:
    if not (REALPAGES / "manifest.json").exists():
        return []
    return json.loads((REALPAGES / "manifest.json").read_text(encoding="utf-8"))


needs_realpages = pytest.mark.skipif(not (REALPAGES / "manifest.json").exists(),
                                     reason="../shared/realpages is absent")


@needs_realpages
@pytest.mark.parametrize("entry", _manifest(), ids=lambda e: e["file"][:2])
def test_realpage_metadata(entry):
    md = extract_metadata((REALPAGES / entry["file"]).read_text(encoding="utf-8"))
    assert _squash(md.title or "") == _squash(entry["title"])
    for raw_label, value in entry["metadata"].items():
        label = normalize_label(raw_label)
        assert md.meta.get(label) == value, label
        column = column_for(label)
        if column and value:
            expected = parse_date(value) if column in ("published", "written") else value
            if column == "index_no":
                expected = _squash(value)
            assert getattr(md, column) == expected, (label, column)
    if entry["metadata_kind"] == "none":
        assert {k: v for k, v in md.meta.items() if not k.startswith("meta:")} == {}
        assert md.index_no is md.publisher is md.published is md.written is md.doc_no is md.category is None
    for name, value in entry["gov_meta_tags"].items():
        if value and value.lower() != "null":
            assert md.meta.get(f"meta:{name}") == value, name


@needs_realpages
def test_realpages_visible_dates_win_over_pubdate():
    by_file = {e["file"][:2]: e for e in _manifest()}
    expected = {"05": ("written", "2023-04-18"), "06": ("written", "2023-03-31"), "07": ("written", "2023-05-11"),
                "08": ("published", "2017-05-15")}
    for key, (column, date) in expected.items():
        md = extract_metadata((REALPAGES / by_file[key]["file"]).read_text(encoding="utf-8"))
        assert getattr(md, column) == date
        assert md.published == date  # not the later PubDate meta


def test_long_page_is_read_only_around_the_block():
    body = "".join(f"<p>时间：第{i}段，2020年，我区认真贯彻落实条例。{'正文' * 50}</p>" for i in range(10000))
    html = (f"<html><body><table><tr><td>索引号</td><td>A/2021-1</td></tr></table>"
            f"<h1>某区2020年政府信息公开年度报告</h1><div>{body}</div></body></html>")
    md = extract_metadata(html)
    assert md.index_no == "A/2021-1" and "时间" not in md.meta
    # the body is never read: a body ten times longer costs about the same, far from ten times
    short = html.replace(body, body[: len(body) // 10])
    assert best_of(lambda: extract_metadata(html)) < 5 * best_of(lambda: extract_metadata(short))


@needs_realpages
def test_realpages_are_fast():
    "Reading the metadata costs a small multiple of parsing the page (~20x here), not a pathological one."
    pages = [(REALPAGES / e["file"]).read_text(encoding="utf-8") for e in _manifest()]
    parse = best_of(lambda: [lxml.html.fromstring(html) for html in pages])
    read = best_of(lambda: [extract_metadata(html) for html in pages])
    assert read < 100 * parse, (parse, read)

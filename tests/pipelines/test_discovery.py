"""Discovery units (issue 3): link extraction, paging, canonical URLs, classification, traps.

Inputs are saved list pages in tests/data/discovery/; expected results sit beside them in JSON,
written by hand from the snippets."""
from __future__ import annotations

import datetime
import json
from urllib.parse import quote

import lxml.html
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.discovery import (
    Link, attachment_links, attachment_type, canonicalize_url, classify_link, extract_links, is_report,
    is_report_title, is_trap, page_links, report_attachments, section_score,
)
from pipelines.discovery import keywords as kw
from pipelines.discovery import reads_as_report, subcolumn_context, subcolumn_title
from pipelines.discovery.reports import fold
from tests import paths
from tests.timing import best_of
from tests.paths import REALPAGES

DATA = paths.DATA / "discovery"
PAGES = ["hanweb_list.html", "hanweb_dataproxy.xml", "trs_list.html", "trs_list_swapped.html", "trs_list_newer.html",
         "plain_list.html", "static_paging.html", "hanweb_static.html", "iframe_list.html", "script_links.html",
         "attachments.html"]


def load(name: str):
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def page(name: str) -> tuple[str, dict]:
    return (DATA / name).read_text(encoding="utf-8"), load(name.rsplit(".", 1)[0] + ".json")


# --- saved list pages ------------------------------------------------------------------------------

@pytest.mark.parametrize("name", [p for p in PAGES if "links" in load(p.rsplit(".", 1)[0] + ".json")])
def test_extract_links(name):
    html, expected = page(name)
    links = extract_links(html, expected["base_url"])
    got = [(link.url, link.text, link.source) for link in links]
    assert len({u for u, _, _ in got}) == len(got), "deduplicated by canonical URL"
    assert sorted(got) == sorted(tuple(x) for x in expected["links"])


@pytest.mark.parametrize("name", [p for p in PAGES if "pages" in load(p.rsplit(".", 1)[0] + ".json")])
def test_page_links(name):
    html, expected = page(name)
    pages = page_links(html, expected["base_url"])
    assert len(set(pages)) == len(pages)
    assert canonicalize_url(expected["base_url"]) not in pages
    assert sorted(pages) == sorted(expected["pages"])


def test_page_links_bounded_by_max_pages():
    html, expected = page("plain_list.html")
    assert len(page_links(html, expected["base_url"], max_pages=3)) == 3
    trs = 'createPageHTML(100000, 0, "index", "html");'
    assert len(page_links(trs, "http://www.example.gov.cn/nb/index.html")) == 200
    assert page_links(trs, "http://www.example.gov.cn/nb/index.html", max_pages=0) == []


def test_page_links_ignores_the_function_definition():
    html = "<script>function createPageHTML(_nPageCount,_nCurrIndex,_sPageName,_sPageExt){}</script>"
    assert page_links(html, "http://www.example.gov.cn/nb/index.html") == []


@pytest.mark.parametrize("text, href, expected", [
    ("Next »", "news.jsp?pageNo=2", ["news.jsp?pageNo=2"]),
    ("[下一页]", "news_1.html", ["news_1.html"]),
    ("第3页", "news_2.html", ["news_2.html"]),
    ("Latest news", "latest.html", []),
    ("下一篇", "t2024_2.html", []),
    ("首页", "/", []),
    ("上一页", "news.jsp?pageNo=1", ["news.jsp?pageNo=1"]),
    ("5", "http://other.example.com/list_5.html", []),
])
def test_paging_controls(text, href, expected):
    base = "http://www.example.gov.cn/xwzx/news.html"
    got = page_links(f"<p><a href='{href}'>{text}</a></p>", base)
    assert got == [canonicalize_url("http://www.example.gov.cn/xwzx/" + e) for e in expected]


def test_hanweb_startrecord_windows():
    html = ('<datastore><nextgroup><![CDATA[<a href="/module/jslib/jquery/jpage/dataproxy.jsp?startrecord=1'
            '&endrecord=45&perpage=15&columnid=9"></a>]]></nextgroup><totalrecord>100</totalrecord></datastore>')
    base = "http://www.example.gov.cn/col/col9/index.html"
    prefix = "http://www.example.gov.cn/module/jslib/jquery/jpage/dataproxy.jsp?columnid=9&"
    assert page_links(html, base) == [
        prefix + "endrecord=45&perpage=15&startrecord=1",
        prefix + "endrecord=90&perpage=15&startrecord=46",
        prefix + "endrecord=135&perpage=15&startrecord=91",
    ]


def test_hanweb_nextgroup_without_count_is_followed_as_is():
    html = ('<script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?'
            'page=1&columnid=5"></a>]]></nextgroup><recordset></recordset></datastore></script>')
    assert page_links(html, "http://www.example.gov.cn/col/col5/index.html") == [
        "http://www.example.gov.cn/module/web/jpage/dataproxy.jsp?columnid=5&page=1"]


def test_attachments():
    html, expected = page("attachments.html")
    links = extract_links(html, expected["base_url"])
    found = attachment_links(links)
    assert sorted((a.url, attachment_type(a.url, a.text)) for a in found) == sorted(
        tuple(x) for x in expected["attachments"])


def test_attachments_on_trs_list():
    html, expected = page("trs_list.html")
    assert [a.url for a in attachment_links(extract_links(html, expected["base_url"]))] == expected["attachments"]


# --- tables ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("url, expected", load("canonical.json"))
def test_canonicalize_url(url, expected):
    assert canonicalize_url(url) == expected
    assert canonicalize_url(expected) == expected  # idempotent


# --- non-UTF-8 pages: raw Chinese in a query is written in the page's encoding (URL Standard) ---------

NIANBAO_GBK, NIANBAO_BIG5, NIANBAO_UTF8 = "%C4%EA%B1%A8", "%A6~%B3%F8", "%E5%B9%B4%E6%8A%A5"  # ~ is 0x7E, unreserved


@pytest.mark.parametrize("url, encoding, expected", [
    ("http://www.example.gov.cn/down.jsp?filename=年报.pdf", "gb18030",
     f"http://www.example.gov.cn/down.jsp?filename={NIANBAO_GBK}.pdf"),
    ("http://www.example.gov.cn/down.jsp?filename=年報.pdf", "big5hkscs",
     f"http://www.example.gov.cn/down.jsp?filename={NIANBAO_BIG5}.pdf"),
    ("http://www.example.gov.cn/down.jsp?filename=年报.pdf", "utf-8",
     f"http://www.example.gov.cn/down.jsp?filename={NIANBAO_UTF8}.pdf"),
    # the path is UTF-8 whatever the page; escapes already written are kept as they are
    ("http://www.example.gov.cn/年报/a.jsp?lm=年报", "gbk", f"http://www.example.gov.cn/{NIANBAO_UTF8}/a.jsp?lm={NIANBAO_GBK}"),
    (f"http://www.example.gov.cn/a.jsp?lm={NIANBAO_GBK}", "utf-8", f"http://www.example.gov.cn/a.jsp?lm={NIANBAO_GBK}"),
    # a character the page's encoding cannot write: &#N; as a browser's form sends it
    ("http://www.example.gov.cn/a.jsp?q=鿰", "big5hkscs", "http://www.example.gov.cn/a.jsp?q=%26%2340944;"),
    ("http://www.example.gov.cn/a.jsp?q=年", "utf-16", "http://www.example.gov.cn/a.jsp?q=%E5%B9%B4"),
    ("http://www.example.gov.cn/a.jsp?q=年", "no-such-codec", "http://www.example.gov.cn/a.jsp?q=%E5%B9%B4"),
])
def test_canonicalize_query_in_page_encoding(url, encoding, expected):
    assert canonicalize_url(url, encoding) == expected
    assert canonicalize_url(expected) == expected  # idempotent, whatever the encoding


def test_links_and_pages_of_a_gbk_page_carry_gbk_queries():
    html = ("<a href='download.jsp?filename=示例县2021年政府信息公开工作年度报告.pdf'>附件</a>"
            "<a href='list.jsp?lm=年报&page=2'>下一页</a>")
    base = "http://www.example.gov.cn/xxgk/list.jsp?lm=年报"
    (att,) = report_attachments(html, base, "gb18030")
    assert att == {"url": "http://www.example.gov.cn/xxgk/download.jsp?filename="
                          + quote("示例县2021年政府信息公开工作年度报告.pdf", encoding="gbk"),
                   "name": "附件", "type": "pdf"}
    assert page_links(html, base, encoding="gb18030") == [
        f"http://www.example.gov.cn/xxgk/list.jsp?lm={NIANBAO_GBK}&page=2"]


def test_headlines_and_articles_are_not_section_entries():
    "A news item about 政务公开 is neither the section nor the column (it cost a fetch per portal)."
    assert classify_link(Link("http://www.example.gov.cn/xw/1.html", "召开2021年政务公开工作推进会", "a")) is None
    for url in ("http://www.example.gov.cn/zwdt/202105/t20210520_4123458.html",
                "http://www.example.gov.cn/art/2021/3/18/art_1002_52348.html",
                "http://www.example.gov.cn/detail.jsp?id=12"):
        assert classify_link(Link(url, "鄂温克旗开展政务公开业务培训", "a")) is None
    assert classify_link(Link("http://www.example.gov.cn/zwgk/index.html", "政务公开", "a")) == "section"
    assert classify_link(Link("http://www.example.gov.cn/detail.jsp?id=12", "政府信息公开年报", "a")) == "column"


def _keywords() -> set[str]:
    words: set[str] = set()

    def walk(v):
        if isinstance(v, str):
            words.add(v)
        elif isinstance(v, dict):
            for k, x in v.items():
                walk(k), walk(x)
        elif isinstance(v, (tuple, list, set, frozenset)):
            for x in v:
                walk(x)
    for name in dir(kw):
        if name.isupper() and not name.startswith("_") and name not in (
                "TRAD_TO_SIMP", "ARTICLE_URL_PATTERNS", "CHINESE_DIGITS"):
            walk(getattr(kw, name))
    return words


def test_traditional_spellings_of_every_keyword_fold_to_it():
    """法治政府建設 must read as 法治政府建设: the fold table covers every character of our keywords
    (it missed 設, so a Traditional look-alike was fetched as a report)."""
    import opencc

    s2t = opencc.OpenCC("s2t")
    assert not [w for w in _keywords() if fold(s2t.convert(w)) != fold(w)]


@pytest.mark.parametrize("title, keep, reason", load("titles.json"))
def test_is_report_title(title, keep, reason):
    assert is_report_title(title) == (keep, reason)


@pytest.mark.parametrize("text, url, expected", load("classify.json"))
def test_classify_link(text, url, expected):
    assert classify_link(Link(url, text, "a")) == expected


@pytest.mark.parametrize("text, keep, reason, on_list, elsewhere", load("subcolumns.json")["links"])
def test_subcolumn_links(text, keep, reason, on_list, elsewhere):
    "A year or group name is a sub-column only on a page inside the 年报 column; look-alikes never."
    assert subcolumn_title(text) == (keep, reason)
    link = Link("http://www.example.gov.cn/c/12.html", text, "a")  # a URL that says nothing
    assert classify_link(link, in_column=True) == on_list
    assert classify_link(link) == elsewhere


def test_a_file_is_never_a_subcolumn():
    for url in ("http://www.example.gov.cn/u/P020230120.pdf", "http://www.example.gov.cn/down.jsp?filename=a.docx"):
        assert classify_link(Link(url, "2022年度报告", "a"), in_column=True) == "report"
        assert classify_link(Link(url, "乡镇（街道）", "a"), in_column=True) is None


def test_subcolumn_year_range_is_the_reports_range():
    next_year = datetime.date.today().year + 1
    for year, keep in ((kw.MIN_REPORT_YEAR - 1, False), (kw.MIN_REPORT_YEAR, True), (next_year, True),
                       (next_year + 1, False)):
        for text in (f"{year}年", f"{year}年度", f"乡镇{year}年度"):
            assert subcolumn_title(text)[0] is keep, text
            assert (classify_link(Link("http://www.example.gov.cn/c/1.html", text, "a"), in_column=True)
                    == ("subcolumn" if keep else None)), text


def test_subcolumn_reasons_are_declared():
    found = {subcolumn_title(text)[1] for text, keep, *_ in load("subcolumns.json")["links"] if keep}
    assert found == set(kw.SUBCOLUMN_REASONS)


@pytest.mark.parametrize("column, text, expected", load("subcolumns.json")["context"])
def test_subcolumn_context(column, text, expected):
    "Reports on a sub-list keep a list name that settles an ambiguous title ('2023年度报告')."
    assert subcolumn_context(column, text) == expected
    if expected is not None and "年报" in expected:
        assert is_report("2023年度报告", "http://www.example.gov.cn/art/1.html", None, expected) == (
            True, "title+context")


@pytest.mark.parametrize("body, expected", [("body_2021.txt", True), ("body_2021_hant.txt", True),
                                            ("body_legacy.txt", True), ("body_year_index.txt", False),
                                            ("body_budget.txt", False)])
def test_a_year_page_reads_as_a_report_or_a_list(body, expected):
    assert reads_as_report((DATA / body).read_text(encoding="utf-8")) is expected


@pytest.mark.parametrize("case", load("is_report.json"), ids=lambda c: f"{c['title'] or '-'}|{c['body']}")
def test_is_report(case):
    body = (DATA / case["body"]).read_text(encoding="utf-8") if case["body"] else None
    assert is_report(case["title"], case["url"], body, case["context"]) == tuple(case["expect"])


@pytest.mark.parametrize("url, reason", load("traps.json"))
def test_is_trap(url, reason):
    assert is_trap(url) == reason


def test_is_trap_length():
    url = "http://www.example.gov.cn/list.jsp?q=" + "x" * 600
    assert is_trap(url) == "too-long"
    assert is_trap(url, max_url_length=2048) is None


def test_section_score_ranks_column_over_section_over_noise():
    column = Link("http://www.example.gov.cn/xxgk/zfxxgknb/", "政府信息公开年报", "a")
    section = Link("http://www.example.gov.cn/xxgk/", "政府信息公开", "a")
    by_url = Link("http://www.example.gov.cn/zwgk/index.html", "", "a")
    noise = Link("http://www.example.gov.cn/lxwm.html", "联系我们", "a")
    lookalike = Link("http://www.example.gov.cn/xxgk/xxgkzn/", "政府信息公开指南", "a")
    assert section_score(column) > section_score(section) > section_score(by_url) > 0
    assert section_score(noise) == 0 == section_score(lookalike)


def test_classified_hanweb_list():
    "End to end on one list: the records are reports, the nav entry is the section."
    html, expected = page("hanweb_list.html")
    kinds = {link.url: classify_link(link) for link in extract_links(html, expected["base_url"])}
    assert kinds["http://www.example.gov.cn/col/col33700/index.html"] == "section"
    assert kinds["http://www.example.gov.cn/art/2025/1/20/art_33718_11828204.html"] == "report"
    assert kinds["http://www.example.gov.cn/index.html"] is None


# --- robustness and speed --------------------------------------------------------------------------

@settings(max_examples=300, deadline=None)
@given(st.text())
def test_canonicalize_never_raises(s):
    assert isinstance(canonicalize_url(s), str)


@settings(max_examples=200, deadline=None)
@given(st.from_regex(r"https?://[a-zA-Z0-9.\-]{1,20}(:[0-9]{1,5})?(/[a-zA-Z0-9_.~%\-;=]{0,8}){0,4}"
                     r"(\?[a-zA-Z_]{1,6}=[a-zA-Z0-9%]{0,6}(&[a-zA-Z_]{1,6}=[a-zA-Z0-9]{0,6}){0,3})?(#.*)?",
                     fullmatch=True))
def test_canonicalize_is_idempotent(url):
    once = canonicalize_url(url)
    assert canonicalize_url(once) == once


_html_chunks = st.sampled_from([
    "<a href='", "'>", "</a>", "<iframe src=\"", "\">", "<script>", "</script>", "location.href='", "';",
    "window.open(\"", "\")", "<record><![CDATA[", "]]></record>", "<base href='", "<datastore>", "createPageHTML(",
    "<nextgroup>", "javascript:", "#", "/a/b.html", "?page=2", "下一页", "2", "&amp;", "\x00", "<?xml version='1.0'?>",
    "http://[::1", "http://x.gov.cn:99999/", "urls[0]='", "\ud800", "<", ">", "'", "\"",
])


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.lists(st.one_of(_html_chunks, st.text(max_size=5)), max_size=30).map("".join)),
       st.sampled_from(["http://www.example.gov.cn/a/index.html", "https://x.gov.cn/", "http://127.0.0.2:8000/l?p=1"]))
def test_extractors_never_raise(html, base):
    # whatever follows it (a <base> included), a plain absolute link at the top of the page is found
    html = "<html><body><a href='http://known.gov.cn/known/2023nb.html'>2023年年报</a>" + html
    links = extract_links(html, base)
    assert all(isinstance(link, Link) for link in links)
    assert any(link.url == "http://known.gov.cn/known/2023nb.html" for link in links)
    assert isinstance(page_links(html, base), list)


def test_large_list_is_fast():
    rows = "".join(f"<li><a href='./2024{i % 12 + 1:02d}/t2024_{i}.html' title='第{i}条'>第{i}条…</a></li>"
                   for i in range(3000))
    records = "".join(f"<record><![CDATA[<li><a href='/art/2024/1/1/art_1_{i}.html'>r{i}</a></li>]]></record>"
                      for i in range(1000))
    nav = "".join(f"<a href='index_{i}.html'>{i + 1}</a>" for i in range(1, 150))
    html = (f"<html><body><ul>{rows}</ul><script type='text/xml'><datastore><recordset>{records}</recordset>"
            f"</datastore></script>{nav}<script>createPageHTML(150, 0, 'index', 'html');</script></body></html>")
    url = "http://www.example.gov.cn/nb/index.html"
    links, pages = extract_links(html, url), page_links(html, url)
    assert len(links) == 3000 + 1000 + 149 - 0 and len(pages) == 149
    # against parsing the same page once in this run (~50x here): a scan per link would be thousands
    assert best_of(lambda: (extract_links(html, url), page_links(html, url))) < \
        400 * best_of(lambda: lxml.html.fromstring(html))


# --- real pages (skipped when ../shared is absent; never copied into the repo) ---------------------

@pytest.mark.skipif(not REALPAGES.is_dir(), reason="../shared/realpages not present")
def test_real_trs_article_paging_and_script_links():
    html = (REALPAGES / "01-trs-shanxi.html").read_bytes().decode("utf-8", "replace")
    base = "http://www.shanxi.gov.cn/yw/sxyw/201909/t20190918_693227.shtml"
    # createPageHTML(1,0,"t20190918_693227","shtml"): a one-page article, no other pages
    assert page_links(html, base) == []
    urls = {link.url for link in extract_links(html, base)}
    assert "http://www.shanxi.gov.cn/yw/sxyw/201909/t20190918_693227_ewm.shtml" in urls

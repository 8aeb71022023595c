"""A report paged over several URLs becomes one; a report-titled page that lists reports is a list."""
from __future__ import annotations

from pipelines.discovery import article_position, is_report, page_links
from pipelines.pages import join_pages
from pipelines.record import Capture
from pipelines.stages import process

BASE = "http://127.0.0.3/xxgk/zfxxgknb/202401/"
CHROME = '<div class="nav"><a href="/">首页</a> <a href="/xxgk/">政府信息公开</a></div>'
META = "<table class='xxgk'><tr><td>索引号：11150700-2024-0001</td><td>发布机构：示例县人民政府办公室</td></tr></table>"
BODIES = ["一、总体情况。2023年，示例县认真贯彻落实《中华人民共和国政府信息公开条例》，推进政务公开。",
          "二、主动公开政府信息情况。全年主动公开政府信息1234条，其中规范性文件12件。",
          "三、收到和处理政府信息公开申请情况。全年收到申请56件，均已按期答复。"]


def trs_page(i: int) -> bytes:
    return (f"<html><head><meta charset='utf-8'></head><body>{CHROME}"
            f"<h1>示例县2023年政府信息公开工作年度报告</h1>{META}"
            f"<div class='TRS_Editor'><p>{BODIES[i]}</p></div>"
            f"<script>createPageHTML(3, {i}, \"t20240115_5521\", \"htm\");</script></body></html>").encode()


def capture(i: int, role: str) -> Capture:
    url = BASE + ("t20240115_5521.htm" if i == 0 else f"t20240115_5521_{i}.htm")
    return Capture(url=url, body=trs_page(i), headers=[("Content-Type", "text/html; charset=utf-8")], role=role)


def test_a_trs_paged_article_names_its_pages_and_its_place():
    html = trs_page(1).decode()
    assert article_position(html) == (2, 3)
    assert page_links(html, BASE + "t20240115_5521_1.htm") == [BASE + "t20240115_5521.htm",
                                                                BASE + "t20240115_5521_2.htm"]
    plain = "<div>正文</div><p><a href='a_1.html'>第1页</a> 2 <a href='a_3.html'>3</a> <a href='a_3.html'>下一页</a></p>"
    assert article_position(plain) == (2, 3)
    assert article_position("<p>一页的报告</p>") is None


def test_joined_pages_are_one_report_with_every_body_once():
    first = process(capture(0, "report"))
    assert first.verdict[0] and first.paging == [BASE + "t20240115_5521_1.htm", BASE + "t20240115_5521_2.htm"]
    rest = [process(capture(i, "report_page")) for i in (1, 2)]
    report = join_pages([first, *rest])
    assert report.pages == [BASE + "t20240115_5521.htm", *first.paging]
    assert report.text.split("\n") == BODIES      # no chrome, title or metadata block of any page
    assert report.capture.url == BASE + "t20240115_5521.htm" and report.metadata.index_no == "11150700-2024-0001"
    assert join_pages([first]) is first


def test_a_report_titled_page_that_links_reports_is_a_list():
    links = 6
    assert is_report("2023年度政府信息公开工作年度报告", body="本页汇总各部门年报。", listed_links=links) == (False, "list-page")
    assert is_report("2023年度政府信息公开工作年度报告", body="本页汇总各部门年报。", listed_links=2) == (True, "title")
    # a report with a sidebar of other years' reports stays a report: its own text is long
    body = "全年主动公开政府信息1234条。" * 100
    assert is_report("2023年度政府信息公开工作年度报告", body=body, listed_links=links) == (True, "title")


def test_a_page_that_only_shows_a_file_is_no_empty_page():
    body = ("<html><head><meta charset='utf-8'><title>2023年政府信息公开工作年度报告</title></head><body>"
            "<iframe src='/pdfjs/web/viewer.html?file=%2Fuploadfiles%2F2024%2F2023nb.pdf' width='100%'></iframe>"
            "</body></html>").encode()
    page = process(Capture(url="http://127.0.0.3/art/9.html", body=body, role="report"))
    assert page.fault is None
    assert page.attachments == [{"url": "http://127.0.0.3/uploadfiles/2024/2023nb.pdf", "name": None, "type": "pdf"}]
    junk = process(Capture(url="http://127.0.0.3/art/10.html", body=b"<html><body><div></div></body></html>",
                           role="report"))
    assert junk.fault == ("junk", "empty")

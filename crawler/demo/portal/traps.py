"""Discovery traps (issue 3) added to the demo sites as data: redirects, aliases, robots.txt, an
attachment-only report with its PDF, and their look-alikes.

Each case says in `why` what a crawler gets wrong without the matching rule; manifest.json lists
them under `links` (aliases and redirects), `not_reports` (look-alikes, the robots copy) and in the
reports' `attachments`.
"""
from __future__ import annotations

from urllib.parse import quote

from .content import art
from .model import Article, ExtraLink, File, FileLink, HOST_TOKEN, Site, fw

PREVIEW = "/preview"  # a staging copy of the site's pages, disallowed in robots.txt


def minimal_pdf(lines: list[str]) -> bytes:
    """A real one-page PDF 1.4 (Helvetica, ASCII lines), byte-deterministic, with a correct xref table,
    so the attachment in the WARC is a file a reader opens, not a placeholder."""
    def pdf_string(s: str) -> str:
        return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    stream = ("BT /F1 12 Tf 16 TL 72 770 Td " + " ".join(f"({pdf_string(x)}) '" for x in lines)
              + " ET").encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def redirect(path: str, location: str, status: int, note: str) -> File:
    "A redirect as a JSP container sends it: a short HTML body beside the Location header."
    body = f'<html><body>Moved: <a href="{location}">{location}</a></body></html>\n'
    return File(path, body, "text/html; charset=iso-8859-1", status=status,
                headers=[["Location", location]], note=note)


def attachment_report(site: Site) -> tuple[Article, File]:
    """TRS: a 2021 report whose page is a two-line note and the report itself a PDF behind a download
    JSP with the Chinese file name raw in the query. On this GBK page a browser sends that name as GBK
    escapes; the same name as UTF-8 escapes names no file (the server answers 404)."""
    org = "鄂温克族自治旗人民政府办公室"
    title = f"{org}2021年政府信息公开工作年度报告"
    name = f"{title}.pdf"
    link = FileLink("附件：", name, f"/xxgk/download.jsp?filename={name}",
                    "/xxgk/download.jsp?filename=" + quote(name, safe=".", encoding=site.codec), "pdf")
    a = Article(
        id="trs-att", kind="report", title=title, date="2022-01-25", time="16:30:00", source=org,
        blocks=[("p", fw("根据《中华人民共和国政府信息公开条例》(国务院令第711号)规定，现公布本机关2021年度政府信息"
                         "公开工作情况，报告全文见附件。")),
                ("p", fw("如对本报告有疑问，请与旗政府办公室联系(地址:巴彦托海镇政府大楼，邮编:021100，"
                         "电话:0470-8812282)。")),
                ("file", link)],
        meta={"索引号": "11150724011690234X/2022-00004", "发布机构": org, "公开目录": "政府信息公开年报",
              "发布日期": "2022-01-25 16:30:00", "文号": "", "浏览量": ""},
        expect=dict(index_no="11150724011690234X/2022-00004", publisher=org, published="2022-01-25",
                    written=None, doc_no=None, category="政府信息公开年报", report_year=2021),
        attachments=[{"path": link.path, "name": name, "type": "pdf"}])
    a.file_text = ["Ewenki Autonomous Banner People's Government Office",
                   "2021 Annual Report on Government Information Disclosure",
                   "(demo attachment written by crawler/demo/portal/traps.py)"]
    pdf = File(link.path.split("?")[0], minimal_pdf(a.file_text),
        "application/pdf", query=link.path.split("?", 1)[1],
        note="the attachment of trs-att; its query is the GBK-escaped file name")
    return a, pdf


def attachment_lookalike() -> Article:
    """TRS: a notice about compiling the 2021 reports with a template attachment. A crawler that keeps
    attachments of whatever the 年报 list shows would archive the template."""
    link = FileLink("附件：", "2021年政府信息公开工作年度报告格式模板.docx", "./P020220110512345678901.docx",
                    "", "docx")
    return art("trs-bstz", "lookalike", "关于报送2021年政府信息公开工作年度报告的通知", "2022-01-10", "nb", [
        "各苏木乡镇人民政府，旗直各部门：",
        "根据《中华人民共和国政府信息公开条例》第五十条规定，请各单位于2022年1月20日前将本单位2021年政府信息公开工作年度报告报送旗政府办公室，格式见附件。"],
        why="a notice with a .docx template attachment in the 年报 list: neither page nor file is archived",
        source="鄂温克族自治旗人民政府办公室", extra=[("file", link)])


def add_trs(site: Site) -> None:
    report, pdf = attachment_report(site)
    site.articles += [report, attachment_lookalike()]
    site.extra_files += [pdf, redirect(
        "/xxgk/nbpt/index.html", "http://www.hlbe.gov.cn/xxgk/zfxxgknb/", 302,
        "redirect off the portal: the crawler must not follow it")]
    target = "trs-000"
    site.links += [
        ExtraLink("home", "{url:%s}#content" % target, "专题：鄂温克旗政务服务局2020年政府信息公开工作年度报告",
                  "fragment", target, "the report's URL with a fragment: the same document"),
        ExtraLink("section", "{url:%s}?from=singlemessage&isappinstalled=0" % target,
                  "鄂温克旗政务服务局2020年政府信息公开工作年度报告", "tracking", target,
                  "a shared link with tracking parameters the server ignores"),
        ExtraLink("section", f"/gate/big5/{HOST_TOKEN}" + "{url:%s}" % target,
                  "鄂温克旗政务服务局2020年政府信息公开工作年度报告（繁體）", "gate", target,
                  "the 繁體 gateway copy of the report, /gate/big5/HOST/PATH"),
        ExtraLink("section", "/xxgk/nbpt/", "政府信息公开年报（呼伦贝尔市平台）", "offsite-redirect",
                  "http://www.hlbe.gov.cn/xxgk/zfxxgknb/", "a 年报 entry that 302s to another host"),
    ]


def add_plain(site: Site, moved: Article, preview: Article) -> None:
    """plain: a report whose old address 301s to its current one (both linked), a look-alike behind
    a report-like 301, and a copy of a report under /preview/, which robots.txt disallows."""
    site.articles += [moved, preview]
    site.extra_files += [
        redirect("/html/2021/02/nb_yjglj.html", "{url:%s}" % moved.id, 301,
                 "old address of a report, moved permanently"),
        redirect("/html/2021/08/ndbg.html", "{url:plain-js}", 301,
                 "a report-like link that lands on a 决算 page"),
    ]
    site.links += [
        ExtraLink("section", "/html/2021/02/nb_yjglj.html", moved.title, "redirect", moved.id,
                  "301 to a report the 年报 list also links: one row, one fetch of the target"),
        ExtraLink("section", "/html/2021/08/ndbg.html", "2020年度报告", "redirect", "plain-js",
                  "301 to a look-alike (部门决算): fetched, then rejected by the page classifier"),
    ]

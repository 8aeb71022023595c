"""Pages that are not what their link says (issue 24), added to the demo sites as data.

    report / page          site   what a crawler meets
    trs-paged              trs    one report over 3 URLs: createPageHTML(3, i, "t20240115_N", "html") inside the
                                  article, t…_1.html and t…_2.html, each with the full chrome and metadata block
    trs-paged-broken       trs    the same over 3 URLs, but page 3 answers 500: pages:incomplete, 2 pages kept
    plain-paged            plain  one report over 2 URLs, "第1页 2 下一页" links under the body (…&page=2)
    plain-paged-loop       plain  2 pages; the links name page 1 …&page=1, the same bytes under another URL
    trs-viewer-pdfjs       trs    the body is only <iframe src="/pdfjs/web/viewer.html?file=/uploadfiles/….pdf">
    plain-viewer-pdfjs     plain  the same, the file= value URL-encoded
    trs-viewer-embed       trs    the body is only <embed src="/uploadfiles/….pdf">
    plain-viewer-object    plain  the body is only <object data="/uploadfiles/….pdf">
    plain-hz2023           plain  "2023年度政府信息公开工作年度报告" in the 年报 list: a 汇总 page (heading and
                                  metadata block of a report) listing the reports of the district government and
                                  of 6 departments, which no list links
    plain-lsnb             plain  "历年年报（2014—2018年）" in the 年报 list: an archive column of 5 older reports

Each viewer report's PDF (pdfs/, written by viewerpdfs.py) holds its title and body, the expected text.
The pages are cut and the viewers put in by shapepages.py, after the CMS renderer; an article carries its
case as ``article.page_shape`` (a scaled clone, with another id, stays a one-page report).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .cases import derive
from .model import Article, FileLink, Site, Table, fw
from .reports import report_000, report_001, report_003

UPLOADS = "/uploadfiles/2024/01/"
PDFJS_VIEWER = "/pdfjs/web/viewer.html"
ARCHIVE_CAT = 9            # catId of the plain site's archive column (its own columns are 1…8)
ARCHIVE_TITLE = "历年年报（2014—2018年）"


@dataclass
class Shape:
    owner: str                                   # id of the article it shapes
    kind: str                                    # paged | viewer | summary | archive | listed
    style: str = ""                              # paged: trs | nth | loop; viewer: pdfjs | pdfjs-encoded | embed |
    #                                              object; listed (a report only a list page links): summary | archive
    pages: list = field(default_factory=list)    # paged: each page's blocks as published, in order
    broken: tuple[int, ...] = ()                 # paged: pages (0-based) the server answers with 500
    pdf: str = ""                                # viewer: path of the file it shows
    listed: list[str] = field(default_factory=list)   # summary, archive: ids of the reports it lists


def shape_of(a: Article) -> Shape | None:
    s = getattr(a, "page_shape", None)
    return s if s is not None and s.owner == a.id else None


def _shaped(a: Article, **kw) -> Article:
    a.page_shape = Shape(owner=a.id, **kw)
    return a


_YEAR_RE = re.compile(r"(?<!\d)(20[0-2]\d)(?=\s*年)")


def shift_years(blocks: list, delta: int, town: tuple[str, str] | None = None) -> list:
    """A seed body moved ``delta`` years (every "2020年" becomes "2023年"), optionally another county named."""
    def fix(text: str) -> str:
        text = _YEAR_RE.sub(lambda m: str(int(m.group(1)) + delta), text)
        return text.replace(*town) if town else text
    return [(k, v.map_text(fix) if isinstance(v, Table) else v if isinstance(v, FileLink) else fix(v))
            for k, v in blocks]


def _size(block: tuple) -> int:
    kind, v = block
    if isinstance(v, Table):
        return sum(len(c.text) for row in v.rows for c in row)
    return len(v.line() if isinstance(v, FileLink) else v)


def split_pages(blocks: list, n: int) -> list[list]:
    "``blocks`` cut into ``n`` pages of about equal text, at block boundaries."
    total = sum(map(_size, blocks))
    pages: list[list] = []
    cur: list = []
    acc = 0
    for block in blocks:
        cur.append(block)
        acc += _size(block)
        if len(pages) < n - 1 and acc >= total * (len(pages) + 1) / n:
            pages.append(cur)
            cur = []
    pages.append(cur)
    assert len(pages) == n and all(pages), "too few blocks to page"
    return pages


def _report(base: Article, id: str, agency: str, year: int, date: str, time: str, idx: str, cms: str,
            title: str | None = None, town: tuple[str, str] | None = None) -> Article:
    "A report of ``year`` with ``base``'s body moved to that year, signed by ``agency``."
    title = title or f"{agency}{year}年政府信息公开工作年度报告"
    if cms == "trs":
        meta = {"索引号": idx, "发布机构": agency, "公开目录": "政府信息公开年报", "发布日期": f"{date} {time}",
                "文号": "", "浏览量": ""}
        expect = dict(index_no=idx, published=date, written=None, category="政府信息公开年报", report_year=year)
    else:
        meta = {"索引号": idx, "发布机构": agency, "成文日期": date, "发布日期": date, "文号": "",
                "主题分类": "政务公开"}
        expect = dict(index_no=idx, published=date, written=date, category="政务公开", report_year=year)
    a = derive(base, id=id, title=title, agency=agency, date=date, time=time, meta=meta, expect=expect)
    a.blocks = shift_years(a.blocks[:-2], year - int(re.search(r"\d{4}", base.title).group()), town) + a.blocks[-2:]
    return a


def paged(a: Article, style: str, n: int, broken: tuple[int, ...] = ()) -> Article:
    "``a`` published over ``n`` pages; the blocks expected are those of the pages the server answers."
    pages = split_pages(a.blocks, n)
    a.blocks = [b for i, page in enumerate(pages) if i not in broken for b in page]
    return _shaped(a, kind="paged", style=style, pages=pages, broken=broken)


def viewer(a: Article, style: str, name: str) -> Article:
    return _shaped(a, kind="viewer", style=style, pdf=UPLOADS + name)


def add_trs(site: Site) -> None:
    county = "鄂温克旗"
    site.articles += [
        paged(_report(report_000(), "trs-paged", county + "教育局", 2023, "2024-01-15", "09:30:12",
                      "11150724011690517X/2024-00003", "trs"), "trs", 3),
        paged(_report(report_000(), "trs-paged-broken", county + "民政局", 2023, "2024-01-16", "15:02:47",
                      "11150724011690525P/2024-00004", "trs"), "trs", 3, broken=(2,)),
        viewer(_report(report_000(), "trs-viewer-pdfjs", county + "卫生健康委员会", 2023, "2024-01-17",
                       "10:11:05", "11150724011690533G/2024-00005", "trs"), "pdfjs", "2023nb_wjw.pdf"),
        viewer(_report(report_000(), "trs-viewer-embed", county + "交通运输局", 2023, "2024-01-18", "16:45:20",
                       "11150724011690541B/2024-00006", "trs"), "embed", "2023nb_jtj.pdf"),
    ]


def add_plain(site: Site) -> None:
    district = "梅列区"
    r = report_001()
    site.articles += [
        paged(_report(r, "plain-paged", district + "住房和城乡建设局", 2023, "2024-01-19", "11:20:00",
                      "11350403003627983M/2024-00002", "plain"), "nth", 2),
        paged(_report(r, "plain-paged-loop", district + "市场监督管理局", 2023, "2024-01-22", "14:05:00",
                      "11350403MB0K36302C/2024-00003", "plain"), "loop", 2),
        viewer(_report(r, "plain-viewer-pdfjs", district + "文化体育和旅游局", 2023, "2024-01-23", "09:00:00",
                       "11350403003627991F/2024-00004", "plain"), "pdfjs-encoded", "2023nb_wtlj.pdf"),
        viewer(_report(r, "plain-viewer-object", district + "退役军人事务局", 2023, "2024-01-24", "10:30:00",
                       "11350403MB0K36329W/2024-00005", "plain"), "object", "2023nb_tyjrj.pdf"),
    ]
    # the year's 汇总 page and the reports it lists (in no list of their own)
    listed = [_report(r, "plain-hz-zf", "三明市梅列区人民政府办公室", 2023, "2024-01-25", "16:00:00",
                      "11350403003627852J/2024-00001", "plain", title="三明市梅列区人民政府2023年政府信息公开工作年度报告")]
    for i, (slug, dept) in enumerate((("jyj", "教育局"), ("czj", "财政局"), ("wjj", "卫生健康局"), ("jtj", "交通运输局"),
                                      ("sthjj", "生态环境局"), ("nyncj", "农业农村局"))):
        listed.append(_report(r, f"plain-hz-{slug}", district + dept, 2023, f"2024-01-{26 + i // 2:02d}",
                              f"{9 + i:02d}:15:00", f"11350403MB0K3{6400 + 11 * i}{'ABCDEF'[i]}/2024-00001", "plain"))
    for a in listed:
        a.column = ""
        _shaped(a, kind="listed", style="summary")
    hub = Article(
        id="plain-hz2023", kind="list", title="2023年度政府信息公开工作年度报告", date="2024-01-31",
        time="17:00:00", source="三明市梅列区人民政府办公室",
        blocks=[("p", fw("现将三明市梅列区人民政府及区直各部门2023年度政府信息公开工作年度报告公布如下:"))]
        + [("file", FileLink("", a.title, "{url:%s}" % a.id, "", "")) for a in listed],
        meta={"索引号": "11350403003627852J/2024-00002", "发布机构": "三明市梅列区人民政府办公室",
              "成文日期": "2024-01-31", "发布日期": "2024-01-31", "文号": "", "主题分类": "政务公开"},
        why="a report-titled 汇总 page (heading, metadata block) whose body lists that year's reports of the "
            "government and 6 departments: read as a list, never stored")
    _shaped(hub, kind="summary", listed=[a.id for a in listed])
    # the archive column and its older reports
    old = [_report(report_003(), f"plain-ls{year}", "三明市梅列区人民政府办公室", year, f"{year + 1}-03-{10 + k:02d}",
                   "10:00:00", f"11350403003627852J/{year + 1}-00003", "plain",
                   title=f"三明市梅列区{year}年政府信息公开工作年度报告", town=("鄂温克旗", district))
           for k, year in enumerate(range(2014, 2019))]
    for a in old:
        a.column = ""
        _shaped(a, kind="listed", style="archive")
    archive = Article(id="plain-lsnb", kind="list", title=ARCHIVE_TITLE, blocks=[], date="2019-04-01",
                      why="a report-like 年报 entry that is an archive column (its own list pages): read as a "
                          "list, its reports stored")
    _shaped(archive, kind="archive", listed=[a.id for a in old])
    site.articles += [hub, *listed, archive, *old]


# --- the manifest -------------------------------------------------------------------------------

def page_paths(a: Article, shape: Shape) -> list[str]:
    "Path (and query) of each page of a paged report, in order, as published."
    first = a.url_path + (f"?{a.url_query}" if a.url_query else "")
    if shape.style == "trs":
        stem, dot, ext = a.url_path.rpartition(".")
        return [first] + [f"{stem}_{i}.{ext}" for i in range(1, len(shape.pages))]
    return [first] + [f"{first}&page={i}" for i in range(2, len(shape.pages) + 1)]


def manifest_fields(a: Article, out: Path) -> dict:
    """The report's fields of issue 24: `shape`, `pages` (paths as the row must list them, first page
    first; null for one page), `page_texts` (expected text of each of those pages), `missing_pages`,
    `error` ("pages:incomplete" or null) and `text_source` ("attachment": the text is in the file a
    viewer shows, which is then its `attachments`)."""
    shape = shape_of(a)
    fields = {"shape": None, "pages": None, "page_texts": None, "missing_pages": None, "error": None,
              "text_source": "html"}
    if shape is None:
        return fields
    fields["shape"] = f"{shape.kind}-{shape.style}"
    if shape.kind == "viewer":   # the file is its attachment (no <a> names it: no name), and its text
        fields["text_source"] = "attachment"
        fields["attachments"] = [{"path": shape.pdf, "name": None, "type": "pdf"}]
    if shape.kind == "paged":
        paths = page_paths(a, shape)
        fields["pages"] = [p for i, p in enumerate(paths) if i not in shape.broken]
        fields["page_texts"] = []
        for i, blocks in enumerate(shape.pages):
            if i in shape.broken:
                continue
            name = f"expected/{a.id}.page{i + 1}.txt"
            text, _ = Article(id=a.id, kind="report", title=a.title, blocks=blocks, date=a.date).expected_text()
            (out / name).write_bytes(text.encode("utf-8"))
            fields["page_texts"].append(name)
        if shape.broken:
            fields["missing_pages"] = [paths[i] for i in shape.broken]
            fields["error"] = "pages:incomplete"
    return fields


def not_reports(site: Site) -> list[dict]:
    "Continuation pages and the alias of a page: never a row of their own."
    out = []
    for a in site.articles:
        shape = shape_of(a)
        if shape is None or shape.kind != "paged":
            continue
        paths = page_paths(a, shape)
        out += [{"site": site.name, "path": p, "kind": "continuation", "title": a.title,
                 "why": f"page {i + 1} of {len(paths)} of {a.id}: part of its row"}
                for i, p in enumerate(paths) if i and i not in shape.broken]
        if shape.style == "loop":
            out.append({"site": site.name, "path": f"{paths[0]}&page=1", "kind": "continuation", "title": a.title,
                        "why": f"page 1 of {a.id} under another URL, linked from page 2: the paging loop"})
    return out

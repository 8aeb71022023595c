"""Report pages added as cases for issue 4 (lying encodings) and issue 6 (metadata layouts).

Each is a real report page: a seed report's body (reports.py) signed by another agency of the
site's county, with its own title, metadata and expected row, all written here (never read back
from our pipeline). The encoding cases keep their site's metadata layout and change only how the
page goes over the wire (model.Wire); the layout cases keep their site's encoding and print the
metadata block in another layout (common.META_LAYOUTS) with other date forms.

    encoding case          site    bytes        header charset  meta     decoder must use
    gbk-header-utf8        trs     GBK          utf-8           gb2312   gb18030
    gbk-header-latin1      trs     GBK          iso-8859-1      gb2312   gb18030
    utf8-meta-gb2312       plain   UTF-8        utf-8           gb2312   utf-8
    gbk-undeclared         trs     GBK          (none)          (none)   gb18030
    utf8-bom-meta-gbk      plain   BOM + UTF-8  (none)          gbk      utf-8
    gb2312-gb18030-names   trs     GB18030      gb2312          gb2312   gb18030   (镕 喆 䶮 㛃 in names)
    big5-hkscs             hanweb  Big5-HKSCS   big5            big5     big5hkscs (喆 堃 峯 綫 衞)

    layout       site    script  date forms shown
    ucap-dl      plain   hans    2021年1月18日 (spaced labels 索 引 号, 文　　号)
    table-2col   trs     hans    20210119
    li           plain   hans    2021/01/25
    table-4col   hanweb  hant    ２０２１年１月２０日, ２０２１／０１／２２ (full-width digits)
"""
from __future__ import annotations

from .model import Article, Site, Wire, fw, strip_pinyin
from .reports import report_000, report_001, report_002, report_003, report_004

# the seeds' own signature lines, replaced by the new agency's
_SEED_SIGNATURES = {"腾冲市政务服务管理局", "2019年1月9日"}


def derive(base: Article, *, id: str, title: str, agency: str, date: str, time: str, meta: dict,
           expect: dict, extra: tuple[str, ...] = (), drop_contact: bool = False, strip: bool = False,
           wire: Wire | None = None, layout: str | None = None) -> Article:
    """A report page with `base`'s body, signed by `agency`; `extra` paragraphs go before the signature.
    `strip` removes the spin tool's pinyin annotations (a clean original of a mirrored report). Seed
    003's county (腾冲) becomes the site's own, so each report speaks of its own county, and a search
    for 腾冲 still finds only trs-003."""
    blocks = []
    for kind, val in base.blocks:
        if kind == "sig" and val in _SEED_SIGNATURES:
            continue
        if drop_contact and kind == "p" and val.startswith("联系人"):
            continue
        if strip:
            val = val.map_text(lambda t: strip_pinyin(t)[0]) if kind == "table" else \
                val if kind == "file" else strip_pinyin(val)[0]
        if kind in ("p", "h"):
            val = val.replace("腾冲市", "鄂温克旗").replace("腾冲", "鄂温克旗")
        blocks.append((kind, val))
    blocks += [("p", fw(x)) for x in extra]
    # signed and dated like a real report (and unlike the scaled clones of its seed report)
    y, m, d = (int(x) for x in date.split("-"))
    blocks += [("sig", agency), ("sig", f"{y}年{m}月{d}日")]
    exp = {"title": title, "publisher": agency, "doc_no": None, **expect}
    return Article(id=id, kind="report", seed=base.seed, script=base.script, title=title, blocks=blocks,
                   date=date, time=time, source=agency, meta=meta, expect=exp, wire=wire, layout=layout)


def _trs_meta(index_no: str, agency: str, date: str, time: str) -> dict:
    "The TRS 4-column block as trs-000 shows it."
    return {"索引号": index_no, "发布机构": agency, "公开目录": "政府信息公开年报",
            "发布日期": f"{date} {time}", "文号": "", "浏览量": ""}


def _trs_expect(index_no: str, date: str, year: int) -> dict:
    return dict(index_no=index_no, published=date, written=None, category="政府信息公开年报", report_year=year)


def trs_cases(site: Site) -> list[Article]:
    gbk_header = f"text/html; charset={site.charset}"
    out = []
    for id, case, base, agency, year, date, time, idx, content_type, meta, codec, extra, why in (
        ("trs-lie-utf8", "gbk-header-utf8", report_000(), "鄂温克旗林业和草原局", 2020, "2021-01-26", "09:12:40",
         "11150724011690412K/2021-00002", "text/html; charset=utf-8", site.charset, "gbk", (),
         "GBK bytes served with charset=utf-8 (a proxy's default): the header lies, the meta tells the truth"),
        ("trs-lie-latin1", "gbk-header-latin1", report_003(), "鄂温克旗人力资源和社会保障局", 2018, "2019-01-15", "15:40:07",
         "11150724011690447C/2019-00001", "text/html; charset=iso-8859-1", site.charset, "gbk", (),
         "GBK bytes served with charset=iso-8859-1 (a servlet container's default): Scrapy believes it"),
        ("trs-undeclared", "gbk-undeclared", report_000(), "鄂温克旗住房和城乡建设局", 2020, "2021-01-22", "11:03:26",
         "11150724011690463W/2021-00005", "text/html", None, "gbk", (),
         "GBK bytes, no charset in the header and no meta: the page must be sniffed"),
        ("trs-gb18030", "gb2312-gb18030-names", report_003(), "鄂温克旗文化旅游体育局", 2018, "2019-01-16", "10:26:51",
         "11150724011690498P/2019-00002", gbk_header, site.charset, "gb18030",
         ("联系人:王镕、李喆、刘䶮、陈㛃,联系电话:0470-8813148。",),
         "declared gb2312, but names use GBK-only (镕 喆) and GB18030-only (䶮, 4-byte 㛃) characters"),
    ):
        wire = Wire(case, content_type, meta, codec, "gb18030", why=why)
        title = f"{agency}{year}年政府信息公开{'工作' if year >= 2019 else ''}年度报告"
        out.append(derive(base, id=id, title=title, agency=agency, date=date, time=time,
                          meta=_trs_meta(idx, agency, date, time), expect=_trs_expect(idx, date, year),
                          extra=extra, drop_contact=bool(extra), wire=wire))
    agency, idx = "鄂温克旗自然资源局", "11150724011690578C/2021-00007"
    out.append(derive(
        report_000(), id="trs-table2", title=f"{agency}2020年政府信息公开工作年度报告", agency=agency,
        date="2021-01-21", time="16:48:02", layout="table-2col",
        meta={"索引号": idx, "发布机构": agency, "公开目录": "政府信息公开年报", "成文日期": "20210119",
              "发布日期": "20210121", "文号": ""},
        expect=dict(index_no=idx, published="2021-01-21", written="2021-01-19", category="政府信息公开年报",
                    report_year=2020)))
    return out


def plain_cases(site: Site) -> list[Article]:
    out = []
    for id, case, agency, date, time, idx, content_type, meta, bom, why in (
        ("plain-meta-gb2312", "utf8-meta-gb2312", "梅列区发展和改革局", "2021-01-29", "10:20:00",
         "11350403003627860P/2021-00004", "text/html;charset=utf-8", "gb2312", False,
         "UTF-8 bytes, header utf-8, a template's leftover meta says gb2312"),
        ("plain-bom", "utf8-bom-meta-gbk", "梅列区商务局", "2021-01-27", "17:05:33",
         "113504030036278797/2021-00006", "text/html", "gbk", True,
         "a UTF-8 BOM, no charset in the header, a meta that says gbk: the BOM wins"),
    ):
        wire = Wire(case, content_type, meta, "utf-8", "utf-8", bom=bom, why=why)
        out.append(derive(
            report_001(), id=id, title=f"{agency}2020年政府信息公开工作年度报告", agency=agency, date=date,
            time=time, wire=wire,
            meta={"索引号": idx, "发布机构": agency, "成文日期": date, "发布日期": date, "文号": "",
                  "主题分类": "政务公开"},
            expect=dict(index_no=idx, published=date, written=date, category="政务公开", report_year=2020)))
    agency, idx = "梅列区医疗保障局", "11350403MB0K36215R/2021-00009"
    out.append(derive(
        report_001(), id="plain-ucap", title=f"{agency}2020年政府信息公开工作年度报告", agency=agency,
        date="2021-01-20", time="08:45:10", layout="ucap-dl",
        meta={"索引号": idx, "主题分类": "综合政务", "发布机构": agency, "成文日期": "2021年1月18日",
              "文号": "无", "发布日期": "2021年1月20日"},
        expect=dict(index_no=idx, published="2021-01-20", written="2021-01-18", category="综合政务",
                    report_year=2020)))
    agency, idx = "梅列区人力资源和社会保障局", "113504030036279222/2021-00013"
    out.append(derive(
        report_001(), id="plain-li", title=f"{agency}2020年政府信息公开工作年度报告", agency=agency,
        date="2021-01-27", time="14:30:00", layout="li",
        meta={"索引号": idx, "发布机构": agency, "发布日期": "2021/01/27", "成文日期": "2021/01/25",
              "文号": "梅人社〔2021〕4号", "主题分类": "政务公开"},
        expect=dict(index_no=idx, published="2021-01-27", written="2021-01-25", doc_no="梅人社〔2021〕4号",
                    category="政务公开", report_year=2020)))
    return out


def hanweb_cases(site: Site) -> list[Article]:
    agency, idx, date, time = "額濟納旗衛生局", "11152923011767800X/2015-00003", "2015-03-20", "11:02:45"
    hkscs = derive(
        report_004(), id="hanweb-hkscs", title=f"{agency}2014年政府信息公開年度報告", agency=agency,
        date=date, time=time,
        extra=("本報告由旗衞生局辦公室負責解釋,聯繫人:陳喆、李堃、王峯,政務服務熱綫:0483-6522301。",),
        wire=Wire("big5-hkscs", f"text/html; charset={site.charset}", site.charset, "big5hkscs", "big5hkscs",
                  why="declared big5, bytes Big5-HKSCS (喆 堃 峯 綫 衞 are not in plain Big5)"),
        meta={"索引號": idx, "發布機構": agency, "公開方式": "主動公開", "組配分類": "旗信息公開年報",
              "發文字號": "", "成文時間": f"{date} {time}"},
        expect=dict(index_no=idx, published=date, written=date, category="旗信息公開年報", report_year=2014))
    agency, idx = "額濟納旗行政審批和政務服務局", "11152923MB1957316T/2021-00002"
    table = derive(
        report_002(), id="hanweb-table4", title=f"{agency}2020年政府信息公開工作年度報告", agency=agency,
        date="2021-01-22", time="10:10:10", strip=True, layout="table-4col",
        meta={"索引號": idx, "發布機構": agency, "組配分類": "政府信息公開年報", "公開方式": "主動公開",
              "成文時間": "２０２１年１月２０日", "發布日期": "２０２１／０１／２２", "發文字號": ""},
        expect=dict(index_no=idx, published="2021-01-22", written="2021-01-20", category="政府信息公開年報",
                    report_year=2020))
    return [hkscs, table]

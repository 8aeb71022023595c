"""Report pages in three shapes real portals have and cleaners get wrong (issue 23).

Each is a report page like the others of its site (listed in the 年报 column, with an expected row
and text written here), but its page is not the CMS's detail template: ``restyle`` swaps in the page
``Article.shape`` asks for, after the CMS has rendered the site. ``shape["family"]`` names the
family for the quality report (tests/clean_quality.py).

    id                     site    family       the page
    plain-table-body       plain   table-body   a single-page app's DOM snapshot: ~195 KB of menu (and the
                                                agency's functions blurb) before the article, whose body
                                                is one table with merged cells and split number runs
    trs-glued-spam         trs     glued-spam   Word pasted into TRS: <?xml:namespace>, <o:p>, document
                                                properties in comments, a second <!DOCTYPE>/<html> mid-body,
                                                spam links appended inside the last paragraph after
                                                本年度未收取政府信息公开信息处理费，无其他需要报告的事项。
    plain-title-dash       plain   site-title   no heading; <title> 'T-三明市梅列区人民政府' (the SiteName);
                                                the title repeated at the top of the body
    trs-title-underscore   trs     site-title   no heading, no SiteName meta; <title> 'T_中国鄂温克', a name
                                                only the footer shows; signature date padded with &nbsp;
    trs-title-dash         trs     site-title   no heading; <title> 'T-鄂温克旗政务网' (a bare dash, a name in 网)
    hanweb-title-pipe      hanweb  site-title   no heading; <title> 'T | 額濟納旗門戶網' (not the SiteName)
    plain-title-dashes     plain   site-title   no heading; <title> 'T——梅列区人民政府'; a share widget
                                                titled with another report; a hidden, empty 索引号 block
                                                beside the visible byline (no 索引号 to find)
"""
from __future__ import annotations

from . import cms_hanweb, cms_plain, cms_trs, shape_pages
from .cases import derive
from .model import Article, Cell, File, Site, Table
from .reports import report_000, report_001, report_002, report_003

C = Cell
LEGIT_CLOSING = "本年度未收取政府信息公开信息处理费，无其他需要报告的事项。"
GLUED_SPAM = "时时彩 北京赛车pk10 11选5开奖 百家乐 澳门葡京 真人棋牌 体育app下载 快乐十分"
PAGE = {"hanweb": cms_hanweb.page, "trs": cms_trs.page, "plain": cms_plain.page}


def plain_cases(site: Site) -> list[Article]:
    agency, idx, date = "三明市梅列区市场监督管理局", "11350403MB0K37012X/2021-00003", "2021-01-25"
    table = Article(
        id="plain-table-body", kind="report", title=f"{agency}2020年政府信息公开工作年度报告",
        blocks=[("table", _report_table()), ("sig", agency), ("sig", "2021年1月25日")],
        date=date, time="15:20:00", source=agency,
        meta={"索引号": idx, "发布机构": agency, "发布日期": date, "主题分类": "政务公开"},
        expect=dict(title=f"{agency}2020年政府信息公开工作年度报告", index_no=idx, publisher=agency,
                    published=date, written=None, doc_no=None, category="政务公开", report_year=2020),
        shape={"family": "table-body", "page": "spa"})
    out = [table]
    for id, agency, idx, date, sep, shape in (
        ("plain-title-dash", "梅列区统计局", "11350403003627711K/2021-00002", "2021-01-18", "-",
         {"lead": True}),
        ("plain-title-dashes", "梅列区退役军人事务局", None, "2021-01-19", "——",
         {"share": "三明市梅列区2019年政府信息公开工作年度报告", "hidden_block": True}),
    ):
        title = f"{agency}2020年政府信息公开工作年度报告"
        meta = {"索引号": idx, "发布机构": agency, "发布日期": date} if idx else {}
        a = derive(report_001(), id=id, title=title, agency=agency, date=date, time="09:30:00", meta=meta,
                   expect=dict(index_no=idx, published=date, written=None, category=None, report_year=2020))
        if shape.get("lead"):
            a.lead = [("center", title)]
        a.shape = {"family": "site-title", "page": "no-heading", "browser_title": f"{title}{sep}{site.title}",
                   **shape}
        out.append(a)
    return out


def trs_cases(site: Site) -> list[Article]:
    agency, idx, date = "鄂温克旗财政局", "11150724011690501G/2021-00004", "2021-01-25"
    base = report_000()
    end = next(i for i, (kind, val) in enumerate(base.blocks) if kind == "p" and val.startswith("无其他需报告"))
    base.blocks = base.blocks[:end] + [("p", LEGIT_CLOSING)]
    spam = derive(base, id="trs-glued-spam", title=f"{agency}2020年政府信息公开工作年度报告", agency=agency,
                  date=date, time="10:40:00", meta=_trs_meta(idx, agency, date),
                  expect=dict(index_no=idx, published=date, written=None, category="政府信息公开年报",
                              report_year=2020))
    spam.blocks = spam.blocks[:-2]        # no signature: the closing sentence is the last paragraph
    spam.spam, spam.spam_mode = GLUED_SPAM, "glued"
    spam.shape = {"family": "glued-spam", "page": "word-trs"}
    agency, idx, date = "鄂温克旗统计局", "11150724011690528A/2021-00006", "2021-01-20"
    title = f"{agency}2020年政府信息公开工作年度报告"
    underscore = derive(report_000(), id="trs-title-underscore", title=title, agency=agency, date=date,
                        time="16:05:00", meta=_trs_meta(idx, agency, date),
                        expect=dict(index_no=idx, published=date, written=None, category="政府信息公开年报",
                                    report_year=2020))
    underscore.shape = {"family": "site-title", "page": "no-heading", "browser_title": f"{title}_中国鄂温克",
                        "site_name": "中国鄂温克", "sitename_meta": False, "padded_date": True}
    agency, idx, date = "鄂温克旗教育局", "11150724011690536Q/2019-00003", "2019-01-17"
    title = f"{agency}2018年政府信息公开年度报告"
    dash = derive(report_003(), id="trs-title-dash", title=title, agency=agency, date=date, time="09:05:00",
                  meta=_trs_meta(idx, agency, date),
                  expect=dict(index_no=idx, published=date, written=None, category="政府信息公开年报", report_year=2018))
    dash.shape = {"family": "site-title", "page": "no-heading", "browser_title": f"{title}-鄂温克旗政务网"}
    return [spam, underscore, dash]


def hanweb_cases(site: Site) -> list[Article]:
    agency, idx, date = "額濟納旗統計局", "11152923011767815K/2021-00004", "2021-01-21"
    title = f"{agency}2020年政府信息公開工作年度報告"
    a = derive(report_002(), id="hanweb-title-pipe", title=title, agency=agency, date=date, time="11:15:00",
               strip=True, meta={"索引號": idx, "發布機構": agency, "組配分類": "政府信息公開年報",
                                 "發布日期": date},
               expect=dict(index_no=idx, published=date, written=None, category="政府信息公開年報",
                           report_year=2020))
    a.shape = {"family": "site-title", "page": "no-heading", "browser_title": f"{title} | 額濟納旗門戶網"}
    return [a]


def _trs_meta(index_no: str, agency: str, date: str) -> dict:
    return {"索引号": index_no, "发布机构": agency, "公开目录": "政府信息公开年报", "发布日期": date}


def _report_table() -> Table:
    "The whole report as one disclosure-form table: section and item cells merged down their rows."
    sections = [
        ("一", "总体情况", [
            ("主动公开", "2020年，我局通过区政府门户网站、“梅列市场监管”微信公众号等渠道主动公开政府信息312条，"
                         "行政处罚案件信息97件全部在作出决定之日起20个工作日内公开。"),
            ("依申请公开", "全年共受理政府信息公开申请5件，均在法定期限内答复，未发生因答复不当引发的行政复议或行政诉讼。"),
            ("政府信息管理", "严格落实公开前保密审查制度，全年审查拟公开信息312条，未发现涉密信息公开情况；"
                             "及时清理过时失效信息，对21件规范性文件进行了清理。"),
            ("平台建设和监督保障", "落实专人负责政务公开栏目日常维护，完善信息发布审核流程，将政务公开工作纳入股室年度"
                                   "绩效考核，全年开展政务公开业务培训2次，参训人员46人次。")]),
        ("二", "主动公开政府信息情况", [
            ("行政许可", "上一年项目数量12项，本年增加1项，本年处理决定数量1286件。"),
            ("行政处罚", "上一年项目数量18项，本年增减0项，本年处理决定数量97件，罚没款金额合计213.46万元。"),
            ("行政强制", "上一年项目数量6项，本年增减0项，本年处理决定数量14件。"),
            ("行政事业性收费", "上一年项目数量0项，本年增减0项。")]),
        ("三", "收到和处理政府信息公开申请情况", [
            ("本年新收申请数量", "5件，其中自然人4件，法人或其他组织1件；上年结转0件。"),
            ("办理结果", "予以公开3件，部分公开1件，无法提供1件（本机关不掌握相关政府信息）。"),
            ("结转下年度继续办理", "0件。")]),
        ("四", "政府信息公开行政复议、行政诉讼情况", [
            (None, "本年度未发生因政府信息公开引起的行政复议、行政诉讼案件。")]),
        ("五", "存在的主要问题及改进情况", [
            ("存在的主要问题", "一是主动公开的内容与群众关注的热点结合不够紧密；二是政策解读形式较为单一，图文、视频解读偏少。"),
            ("改进措施", "2021年，我局将围绕食品药品安全、市场主体准入等群众关注的重点领域，进一步丰富公开内容，"
                         "多用图表图解、短视频等形式开展政策解读，提升公开实效。")]),
        ("六", "其他需要报告的事项", [(None, LEGIT_CLOSING)]),
    ]
    rows = [[C("序号"), C("公开事项"), C("具体内容"), C("情况说明")]]
    for number, name, items in sections:
        for k, (item, text) in enumerate(items):
            row = [C(number, rowspan=len(items)), C(name, rowspan=len(items))] if k == 0 else []
            row += [C(item), C(text)] if item else [C(text, colspan=2)]
            rows.append(row)
    return Table(rows, header_rows=1)


def restyle(site: Site, files: list[File]) -> None:
    "Give the articles that ask for a shape of their own that page instead of the CMS's detail page."
    by_key = {(f.path, f.query): f for f in files}
    for a in site.articles:
        if a.shape:
            f = by_key[(a.url_path, a.url_query)]
            f.body = shape_pages.render(site, a, PAGE[site.cms])


__all__ = ["plain_cases", "trs_cases", "hanweb_cases", "restyle", "LEGIT_CLOSING", "GLUED_SPAM"]

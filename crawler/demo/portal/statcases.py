"""Report pages for issue 15 (the statistics tables): the 2021 template in Simplified and Traditional, and
a 2019 report whose section 四 a CMS printed as paragraphs. Values are written here, with sums that hold,
except where a case breaks them on purpose (``broken``: the checks a person adding them up sees fail).

    id                template  script  sums                                            section 四
    trs-2021          2021      hans    all hold                                        table
    hanweb-2021       2021      hant    broken: 总计 ≠ results, 一+二 ≠ 总计+四, a 结转   table
                                        row total, a 复议 total; its period says 2020
    plain-2019        2019      hans    all hold (signed 本年增/减, an amount in 万元)    paragraphs ' | '
"""
from __future__ import annotations

import re

from . import tables
from .model import Article, strip_pinyin
from .reports import finish, trad_labels

PERIOD = "本年度报告中所列数据统计期限自{y}年1月1日起至{y}年12月31日止。"


def _sec3(rows: dict[int, list[int]]) -> dict[int, list[str]]:
    "Row index → its six applicant counts, written out with their 总计 (the sum, unless a case breaks it)."
    return {i: [str(x) for x in v] + [str(sum(v))] for i, v in rows.items()}


def _prose(year: int, agency: str, period_year: int, n_new: int) -> dict[str, list[str]]:
    return {
        "一": [f"{year}年，{agency}深入贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外，"
              f"围绕中心工作推进政府信息公开，" + PERIOD.format(y=period_year),
              "（一）主动公开。通过门户网站、政务新媒体等渠道及时发布政策文件、行政许可和行政处罚结果等信息。",
              f"（二）依申请公开。全年新收政府信息公开申请{n_new}件，均在法定期限内答复。",
              "（三）政府信息管理。严格落实公开前保密审查，动态更新政府信息公开指南和目录。",
              "（四）平台建设。优化政府信息公开专栏，规范栏目设置，提升检索功能。",
              "（五）监督保障。将政府信息公开纳入年度考核，开展业务培训2次。"],
        "五": ["一是部分栏目更新不够及时；二是政策解读形式较为单一。",
              f"{year + 1}年，我们将加强栏目日常维护，丰富图表、视频等解读形式，进一步提升公开质量。"],
        "六": [f"本年度未收取信息处理费。{year + 1}年将继续做好政府信息公开工作年度报告编制工作。"],
    }


def _blocks(prose: dict[str, list[str]], sec2, sec3, sec4, heads: list[str]) -> list[tuple]:
    h1, h2, h3, h4, h5, h6 = heads
    return ([("h", h1)] + [("p", x) for x in prose["一"]]
            + [("h", h2), ("table", sec2), ("h", h3), ("table", sec3), ("h", h4), ("table", sec4)]
            + [("h", h5)] + [("p", x) for x in prose["五"]] + [("h", h6)] + [("p", x) for x in prose["六"]])


HEADS = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
         "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]


def trs_2021() -> Article:
    "鄂温克旗教育局 2021: the 2021 template, every sum holds."
    agency, idx, date, time = "鄂温克旗教育局", "11150724011690543A/2022-00003", "2022-01-20", "09:30:00"
    sec2 = tables.section2_2021({"规章": ["0", "0", "0"], "行政规范性文件": ["3", "1", "12"],
                                 "行政许可": ["1286"], "行政处罚": ["37"], "行政强制": ["2"],
                                 "行政事业性收费": ["12.6"]})
    rows = tables.SEC3_ROWS_2021
    at = {key: i for i, (*_, key) in enumerate(rows)}
    sec3 = tables.section3(_sec3({
        at["本年新收政府信息公开申请数量"]: [14, 3, 0, 0, 1, 0], at["上年结转政府信息公开申请数量"]: [2, 0, 0, 0, 0, 0],
        at["本年度办理结果/予以公开"]: [8, 2, 0, 0, 1, 0], at["本年度办理结果/部分公开"]: [2, 0, 0, 0, 0, 0],
        at["本年度办理结果/不予公开/保护第三方合法权益"]: [1, 0, 0, 0, 0, 0],
        at["本年度办理结果/无法提供/本机关不掌握相关政府信息"]: [3, 1, 0, 0, 0, 0],
        at["本年度办理结果/不予处理/重复申请"]: [1, 0, 0, 0, 0, 0],
        at["本年度办理结果/总计"]: [15, 3, 0, 0, 1, 0], at["结转下年度继续办理"]: [1, 0, 0, 0, 0, 0],
    }), template="2021")
    sec4 = tables.section4(["1", "0", "0", "0", "1", "0", "1", "0", "0", "1", "0", "0", "0", "0", "0"])
    blocks = _blocks(_prose(2021, agency, 2021, 18), sec2, sec3, sec4, HEADS)
    blocks += [("sig", agency), ("sig", "2022年1月18日")]
    return Article(
        id="trs-2021", kind="report", title=f"{agency}2021年政府信息公开工作年度报告", blocks=finish(blocks),
        date=date, time=time, source=agency,
        meta={"索引号": idx, "发布机构": agency, "公开目录": "政府信息公开年报", "发布日期": f"{date} {time}",
              "文号": "", "浏览量": ""},
        expect=dict(index_no=idx, publisher=agency, published=date, written=None, doc_no=None,
                    category="政府信息公开年报", report_year=2021))


# 2021-only labels in Traditional, typed here; the rest come from seed 002's tables (pinyin stripped)
TRAD_2021 = {
    "本年制发件数": "本年制發件數", "本年废止件数": "本年廢止件數", "现行有效件数": "現行有效件數",
    "行政规范性文件": "行政規範性文件", "本年处理决定数量": "本年處理決定數量",
    "本年收费金额(单位:万元)": "本年收費金額(單位:萬元)",
    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请":
        "1.申請人無正當理由逾期不補正、行政機關不再處理其政府信息公開申請",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请":
        "2.申請人逾期未按收費通知要求繳納費用、行政機關不再處理其政府信息公開申請",
    "3.其他": "3.其他",
}


def hanweb_2021() -> Article:
    """額濟納旗交通運輸局 2021 (Traditional, 2021 template) with sums broken on purpose: (七)總計 of 自然人
    counts 6 where its result rows add up to 5, 結轉下年度 totals 2 for one application, the 行政復議 總計
    is 2 for one case, and the period copied from last year's report (2020)."""
    agency, idx, date = "額濟納旗交通運輸局", "11152923011767835Q/2022-00004", "2022-01-25"
    sec2 = tables.section2_2021({"规章": ["0", "0", "1"], "行政规范性文件": ["2", "0", "9"], "行政许可": ["412"],
                                 "行政处罚": ["0"], "行政强制": ["0"], "行政事业性收费": ["0"]})
    rows = tables.SEC3_ROWS_2021
    at = {key: i for i, (*_, key) in enumerate(rows)}
    values = _sec3({at["本年新收政府信息公开申请数量"]: [6, 1, 0, 0, 0, 0],
                    at["本年度办理结果/予以公开"]: [4, 1, 0, 0, 0, 0],
                    at["本年度办理结果/无法提供/本机关不掌握相关政府信息"]: [1, 0, 0, 0, 0, 0],
                    at["本年度办理结果/总计"]: [6, 1, 0, 0, 0, 0],
                    at["结转下年度继续办理"]: [1, 0, 0, 0, 0, 0]})
    values[at["结转下年度继续办理"]][-1] = "2"        # broken: 1 application, total 2
    sec3 = tables.section3(values, template="2021")
    sec4 = tables.section4(["0", "1", "0", "0", "2"] + ["0"] * 10)      # broken: 0+1+0+0 ≠ 2
    prose = _prose(2021, "額濟納旗交通運輸局", 2020, 7)
    labels = {k: strip_pinyin(v)[0] for k, v in trad_labels().items() if not re.match(r"\d", k)}
    labels.update(TRAD_2021)
    heads = ["一、總體情況", "二、主動公開政府信息情況", "三、收到和處理政府信息公開申請情況",
             "四、政府信息公開行政復議、行政訴訟情況", "五、存在的主要問題及改進情況", "六、其他需要報告的事項"]
    blocks = _blocks({k: [_HANT[x] for x in v] for k, v in prose.items()}, sec2, sec3, sec4, heads)
    blocks += [("sig", agency), ("sig", "2022年1月25日")]
    return Article(
        id="hanweb-2021", kind="report", script="hant", title=f"{agency}2021年政府信息公開工作年度報告",
        blocks=finish(blocks, labels), date=date, time="15:20:00", source=agency,
        meta={"索引號": idx, "發布機構": agency, "公開方式": "主動公開", "組配分類": "政府信息公開年報",
              "發文字號": "", "成文時間": f"{date} 15:20:00"},
        expect=dict(index_no=idx, publisher=agency, published=date, written=date, doc_no=None,
                    category="政府信息公開年報", report_year=2021),
        broken=["balance:自然人", "balance:总计", "results_sum:自然人", "results_sum:总计",
                "applicants_sum:结转下年度继续办理", "review_sum:行政复议", "report_year"])


def plain_2019() -> Article:
    "梅列区民政局 2019 (2019 template): sums hold; section 四 printed as ' | ' paragraphs."
    agency, idx, date = "梅列区民政局", "11350403003627895Q/2020-00002", "2020-01-17"
    sec2 = tables.section2({"规章": ["0", "0", "0"], "规范性文件": ["2", "2", "15"],
                            "行政许可": ["56", "-3", "1532"], "其他对外管理服务事项": ["12", "+2", "340"],
                            "行政处罚": ["0", "0", "0"], "行政强制": ["0", "0", "0"], "行政事业性收费": ["3", "0"],
                            "政府集中采购": ["4", "26.5万元"]})
    at = {key: i for i, (*_, key) in enumerate(tables.SEC3_ROWS)}
    sec3 = tables.section3(_sec3({
        at["本年新收政府信息公开申请数量"]: [5, 2, 0, 0, 0, 1], at["上年结转政府信息公开申请数量"]: [1, 0, 0, 0, 0, 0],
        at["本年度办理结果/予以公开"]: [3, 1, 0, 0, 0, 1], at["本年度办理结果/部分公开"]: [1, 0, 0, 0, 0, 0],
        at["本年度办理结果/不予公开/属于三类内部事务信息"]: [0, 1, 0, 0, 0, 0],
        at["本年度办理结果/不予处理/信访举报投诉类申请"]: [1, 0, 0, 0, 0, 0],
        at["本年度办理结果/总计"]: [5, 2, 0, 0, 0, 1], at["结转下年度继续办理"]: [1, 0, 0, 0, 0, 0],
    }))
    sec4 = tables.section4(["2", "0", "0", "1", "3", "1", "0", "0", "0", "1"] + ["0"] * 5, flat=True)
    blocks = _blocks(_prose(2019, agency, 2019, 8), sec2, sec3, sec4, HEADS)
    blocks += [("sig", agency), ("sig", "2020年1月15日")]
    return Article(
        id="plain-2019", kind="report", title=f"{agency}2019年政府信息公开工作年度报告", blocks=finish(blocks),
        date=date, time="10:05:12", source=agency,
        meta={"索引号": idx, "发布机构": agency, "成文日期": "2020-01-15", "发布日期": date, "文号": "",
              "主题分类": "政务公开"},
        expect=dict(index_no=idx, publisher=agency, published=date, written="2020-01-15", doc_no=None,
                    category="政务公开", report_year=2019))


# the prose of hanweb-2021 in Traditional (typed; the spin tool's mirrors are not its source)
_HANT = {
    "2021年，額濟納旗交通運輸局深入贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外，"
    "围绕中心工作推进政府信息公开，本年度报告中所列数据统计期限自2020年1月1日起至2020年12月31日止。":
        "2021年，額濟納旗交通運輸局深入貫徹落實《中華人民共和國政府信息公開條例》，堅持以公開為常態、不公開為例外，"
        "圍繞中心工作推進政府信息公開，本年度報告中所列數據統計期限自2020年1月1日起至2020年12月31日止。",
    "（一）主动公开。通过门户网站、政务新媒体等渠道及时发布政策文件、行政许可和行政处罚结果等信息。":
        "（一）主動公開。通過門戶網站、政務新媒體等渠道及時發布政策文件、行政許可和行政處罰結果等信息。",
    "（二）依申请公开。全年新收政府信息公开申请7件，均在法定期限内答复。":
        "（二）依申請公開。全年新收政府信息公開申請7件，均在法定期限內答覆。",
    "（三）政府信息管理。严格落实公开前保密审查，动态更新政府信息公开指南和目录。":
        "（三）政府信息管理。嚴格落實公開前保密審查，動態更新政府信息公開指南和目錄。",
    "（四）平台建设。优化政府信息公开专栏，规范栏目设置，提升检索功能。":
        "（四）平臺建設。優化政府信息公開專欄，規範欄目設置，提升檢索功能。",
    "（五）监督保障。将政府信息公开纳入年度考核，开展业务培训2次。":
        "（五）監督保障。將政府信息公開納入年度考核，開展業務培訓2次。",
    "一是部分栏目更新不够及时；二是政策解读形式较为单一。": "一是部分欄目更新不夠及時；二是政策解讀形式較為單一。",
    "2022年，我们将加强栏目日常维护，丰富图表、视频等解读形式，进一步提升公开质量。":
        "2022年，我們將加強欄目日常維護，豐富圖表、視頻等解讀形式，進一步提升公開質量。",
    "本年度未收取信息处理费。2022年将继续做好政府信息公开工作年度报告编制工作。":
        "本年度未收取信息處理費。2022年將繼續做好政府信息公開工作年度報告編制工作。",
}


def stat_reports() -> dict[str, list[Article]]:
    "Site name → the reports this module adds to it."
    return {"hanweb-ejina": [hanweb_2021()], "trs-ewenki": [trs_2021()], "plain-meilie": [plain_2019()]}

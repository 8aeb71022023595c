"""Who signs each demo report, as the coverage issue (19) needs it: the agency each report belongs to,
written here by hand (the key pipelines.agencies must find), a few metadata blocks that spell their
agency another way (abbreviated, without the district, in Traditional), and the years left out on purpose.

Only the 发布机构 of those reports changes: their heading and signature keep the full name, as real
portals do when a clerk fills in the metadata form.
"""
from __future__ import annotations

from .model import Site

# report id -> 发布机构 as its metadata block writes it
SPELLINGS = {
    "plain-ls2015": "梅列区政府办",                    # abbreviated, without the city
    "plain-ls2016": "三明市梅列區人民政府辦公室",      # Traditional
    "plain-ls2017": "人民政府办公室",                  # without the place: the portal's own
    "plain-paged-loop": "梅列区市场监管局",            # 市场监管局 = 市场监督管理局
    "plain-viewer-object": "退役军人事务局",
    "trs-2021": "鄂温克族自治旗教育局",                # the banner's full name of 鄂温克旗
    "trs-paged": "教育局",
}

# report id -> the agency's key: the portal's places, then the body's full official name
EWENKI, EJINA, MEILIE = "鄂温克", "额济纳", "三明/梅列"
AGENCY = {
    "hanweb-004": f"{EJINA}/人民政府", "hanweb-002": f"{EJINA}/渭南/行政审批服务局",
    "hanweb-hkscs": f"{EJINA}/卫生局", "hanweb-table4": f"{EJINA}/行政审批和政务服务局",
    "hanweb-2021": f"{EJINA}/交通运输局", "hanweb-title-pipe": f"{EJINA}/统计局",
    "trs-000": f"{EWENKI}/政务服务局", "trs-003": f"{EWENKI}/腾冲/政务服务管理局",
    "trs-att": f"{EWENKI}/人民政府办公室", "trs-lie-utf8": f"{EWENKI}/林业和草原局",
    "trs-lie-latin1": f"{EWENKI}/人力资源和社会保障局", "trs-undeclared": f"{EWENKI}/住房和城乡建设局",
    "trs-gb18030": f"{EWENKI}/文化旅游体育局", "trs-table2": f"{EWENKI}/自然资源局",
    "trs-2021": f"{EWENKI}/教育局", "trs-glued-spam": f"{EWENKI}/财政局",
    "trs-title-underscore": f"{EWENKI}/统计局", "trs-title-dash": f"{EWENKI}/教育局",
    "trs-paged": f"{EWENKI}/教育局", "trs-paged-broken": f"{EWENKI}/民政局",
    "trs-viewer-pdfjs": f"{EWENKI}/卫生健康委员会", "trs-viewer-embed": f"{EWENKI}/交通运输局",
    "plain-001": f"{MEILIE}/人民政府办公室", "plain-yjglj": f"{MEILIE}/应急管理局",
    "plain-meta-gb2312": f"{MEILIE}/发展和改革局", "plain-bom": f"{MEILIE}/商务局",
    "plain-ucap": f"{MEILIE}/医疗保障局", "plain-li": f"{MEILIE}/人力资源和社会保障局",
    "plain-2019": f"{MEILIE}/民政局", "plain-table-body": f"{MEILIE}/市场监督管理局",
    "plain-title-dash": f"{MEILIE}/统计局", "plain-title-dashes": f"{MEILIE}/退役军人事务局",
    "plain-paged": f"{MEILIE}/住房和城乡建设局", "plain-paged-loop": f"{MEILIE}/市场监督管理局",
    "plain-viewer-pdfjs": f"{MEILIE}/文化体育和旅游局", "plain-viewer-object": f"{MEILIE}/退役军人事务局",
    "plain-hz-zf": f"{MEILIE}/人民政府办公室", "plain-hz-jyj": f"{MEILIE}/教育局",
    "plain-hz-czj": f"{MEILIE}/财政局", "plain-hz-wjj": f"{MEILIE}/卫生健康局",
    "plain-hz-jtj": f"{MEILIE}/交通运输局", "plain-hz-sthjj": f"{MEILIE}/生态环境局",
    "plain-hz-nyncj": f"{MEILIE}/农业农村局",
    **{f"plain-ls{year}": f"{MEILIE}/人民政府办公室" for year in range(2014, 2019)},
}

# the years between an agency's first and latest reports that the demo leaves out on purpose: the
# district government's 2019, 2021 and 2022 (its archive column ends with 2018), the 教育局 of 鄂温克旗
# between 2018, 2021 and 2023, two bureaus of 梅列区 between 2020 and 2023
GAPS = {
    f"{MEILIE}/人民政府办公室": [2019, 2021, 2022],
    f"{EWENKI}/教育局": [2019, 2020, 2022],
    f"{MEILIE}/市场监督管理局": [2021, 2022],
    f"{MEILIE}/退役军人事务局": [2021, 2022],
}

# the scaled copies' agencies (generate.clone): the portal's places and the copy's name
CLONE_PLACES = {"hanweb": EJINA, "trs": EWENKI, "plain": MEILIE}


def respell(sites: list[Site]) -> None:
    for site in sites:
        for a in site.articles:
            spelling = SPELLINGS.get(a.id)
            if spelling is None:
                continue
            key = next(k for k in a.meta if k in ("发布机构", "發布機構"))
            a.meta[key] = spelling
            a.expect["publisher"] = spelling


def expected_key(article_id: str) -> str | None:
    "The agency key of a report (None for a report of another demo portal: scriptsites.py)."
    return AGENCY.get(article_id)

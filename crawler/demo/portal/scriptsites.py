"""Demo portal of lists built by script (issue 17): a second portal in the demo's format.

    python -m crawler.demo.portal.scriptsites          # rewrite crawler/demo/portal/scripted/

Four sites, served by the same loopback server (``PortalServer(root=SCRIPTED_DIR)``):

| i | host | name | what the 年报 column is |
|---|---|---|---|
| 0 | 127.0.0.2 | trs-province | the TRS provincial intensive-platform template ("动静结合"): the newest 10 of 25 reports printed, the rest only through POST ``/fjdzapp/search`` (``listArgs`` channelid/classsql/sortfield, ``pagebar`` prepage/recordCount in the page's script), JSON |
| 1 | 127.0.0.3 | hanweb-jpage | a Hanweb column of 60 records: 1–45 in ``<datastore>``, 46–60 only from a ``dataproxy.jsp`` POST (startrecord/endrecord/perpage + the page's ajaxParam form) |
| 2 | 127.0.0.4 | spa-app | a single-page app: an empty shell whose ``/static/app.js`` fetches ``/api/nb/list`` (GET, JSON) and pages with a 下一页 control; ``/stat/track.js`` is disallowed by robots.txt |
| 3 | 127.0.0.5 | spa-faults | list pages a browser must survive: a script that never ends, alert/confirm, a popup, navigation away, a script the server holds (a test kills the browser meanwhile) |

The pages are built by ``scriptpages``; reports are the seed report trs-000 signed by other
agencies (report pages of the TRS and Hanweb templates), so the report rules and the cleaner
see what they see on the main demo portal.
"""
from __future__ import annotations

import copy
import json
import re
from pathlib import Path

from . import cms_hanweb, cms_trs, scriptpages
from .generate import generate
from .model import Article, File, Site
from .reports import seed_reports

HERE = Path(__file__).resolve().parent
SCRIPTED_DIR = HERE / "scripted"
TOWNS = ["樟城镇", "城峰镇", "清凉镇", "岭路乡", "赤水镇", "洑口乡", "梧桐镇", "葛岭镇", "长庆镇", "同安镇",
         "大洋镇", "塘前乡", "富泉乡", "嵩口镇", "盖洋乡", "东洋乡", "霞拔乡", "盘谷乡", "红星乡", "白云乡",
         "丹云乡", "官烈乡", "上坪乡", "西林乡", "溪口乡", "新桥镇", "南洋乡", "北溪乡", "龙门镇", "石门乡"]
BUREAUS = ["教育局", "财政局", "卫生健康局", "交通运输局", "生态环境局", "农业农村局", "民政局", "司法局", "统计局",
           "审计局", "水利局", "应急管理局", "自然资源局", "住房和城乡建设局", "商务局", "文化体育和旅游局",
           "人力资源和社会保障局", "市场监督管理局", "林业局", "医疗保障局", "退役军人事务局", "科学技术局",
           "工业和信息化局", "发展和改革局", "城市管理局", "信访局", "档案馆", "政务服务中心", "供销合作社",
           "公共资源交易中心"]


def clone_as(a: Article, agency: str, rid: str, k: int) -> Article:
    "Seed report ``a`` signed by ``agency`` (as generate.clone, with a name of our choosing)."
    b = copy.deepcopy(a)
    b.id, b.column, b.lead, b.source = rid, "nb", [], agency
    b.title = agency + re.sub(r"^.*?(?=\d{4}年)", "", a.title)
    b.blocks.append(("sig", agency))
    key = next((x for x in b.meta if x in ("发布机构", "發布機構")), None)
    if key:
        b.meta[key] = agency
    idx = next((x for x in b.meta if x in ("索引号", "索引號")), None)
    if idx:
        b.meta[idx] = re.sub(r"\d+$", lambda m: str(int(m.group()) + k).zfill(len(m.group())), b.meta[idx])
        b.expect["index_no"] = b.meta[idx]
    b.expect.update(publisher=agency, title=b.title)
    return b


def _site(name: str, index: int, title: str, cms: str, articles: list[Article]) -> Site:
    site = Site(name, cms, title, "utf-8", "utf-8", "utf-8", index, f"35012{index}0001", title + "办公室",
                title + "融媒体中心", "0591-2462000" + str(index), "闽ICP备05010000号", "闽公网安备 35012502000100号",
                articles)
    for i, a in enumerate(site.articles):
        a.serial = 90000 + 100 * index + i
    return site


def build_sites() -> list[Site]:
    seed = seed_reports()["trs-000"]
    county = "永泰县"
    province = [clone_as(seed, county + BUREAUS[k], f"province-{k:02d}", k + 1) for k in range(25)]
    hanweb = ([clone_as(seed, town + "人民政府", f"jpage-{k:02d}", k + 1) for k, town in enumerate(TOWNS)]
              + [clone_as(seed, "闽清县" + b, f"jpage-{30 + k:02d}", 31 + k) for k, b in enumerate(BUREAUS)])
    app = [clone_as(seed, "连江县" + BUREAUS[k], f"app-{k:02d}", k + 1) for k in range(12)]
    faults = [clone_as(seed, "罗源县" + BUREAUS[k], f"faults-{name}", k + 1)
              for k, name in enumerate(scriptpages.FAULT_REPORTS)]
    return [_site("trs-province", 0, county + "人民政府", "trs-province", province),
            _site("hanweb-jpage", 1, "闽清县人民政府", "hanweb-jpage", hanweb),
            _site("spa-app", 2, "连江县人民政府", "spa-app", app),
            _site("spa-faults", 3, "罗源县人民政府", "spa-faults", faults)]


def utf8(f: File) -> File:
    "A TRS or Hanweb template page, written in UTF-8 like the rest of these sites (the meta says so too)."
    f.encoding, f.errors = "utf-8", "strict"
    return f


def endpoint(path: str, spec: dict, method: str) -> File:
    return File(path, json.dumps(spec, ensure_ascii=False, indent=1), "application/json;charset=UTF-8",
                endpoint=spec["kind"], method=method)


def render_province(site: Site) -> list[File]:
    cms_trs.assign_urls(site)
    arts = sorted(site.articles, key=lambda a: a.serial, reverse=True)   # newest first, as lists are
    entries = [{"title": a.title, "url": "http://{{HOST}}" + a.url_path, "date": a.date} for a in arts]
    spec = {"kind": "list-json", "shape": "trs", "page": "page", "size": "prepage", "default_size": 10,
            "require": {"channelid": scriptpages.SEARCH_ID, "classsql": f"chnlid={scriptpages.CHNL_ID}",
                        "sortfield": "-docorderpri,-docreltime"}, "entries": entries}
    return (scriptpages.province_pages(site, arts) + [utf8(cms_trs.detail(site, a)) for a in arts]
            + [endpoint("/fjdzapp/search", spec, "POST")])


def render_hanweb(site: Site) -> list[File]:
    cms_hanweb.assign_urls(site)
    arts = sorted(site.articles, key=lambda a: a.serial, reverse=True)   # newest first, as lists are
    spec = {"kind": "hanweb-groups", "require": dict(scriptpages.hanweb_ajax_param()),
            "records": [cms_hanweb.record(a) for a in arts]}
    return (scriptpages.hanweb_pages(site, arts) + [utf8(cms_hanweb.detail(site, a)) for a in arts]
            + [endpoint("/module/web/jpage/dataproxy.jsp", spec, "POST")])


def render_app(site: Site) -> list[File]:
    cms_trs.assign_urls(site)
    arts = sorted(site.articles, key=lambda a: a.serial, reverse=True)   # newest first, as lists are
    entries = [{"title": a.title, "url": a.url_path, "date": a.date} for a in arts]
    spec = {"kind": "list-json", "shape": "app", "page": "page", "size": "size", "default_size": 5,
            "entries": entries}
    return (scriptpages.app_pages(site) + [utf8(cms_trs.detail(site, a)) for a in arts]
            + [endpoint("/api/nb/list", spec, "GET")])


def render_faults(site: Site) -> list[File]:
    for name, a in zip(scriptpages.FAULT_REPORTS, site.articles):
        a.url_path = f"/nb/{name}/{a.serial}.html"
    files = []
    for a in site.articles:
        f = utf8(cms_trs.detail(site, a))
        f.path = a.url_path
        files.append(f)
    slow = {"kind": "slow", "seconds": scriptpages.HOLD_SECONDS, "content_type": "application/javascript",
            "body": "window.held = true;\n"}
    return scriptpages.fault_pages(site) + files + [endpoint("/static/hold.js", slow, "GET")]


RENDER = {"trs-province": render_province, "hanweb-jpage": render_hanweb, "spa-app": render_app,
          "spa-faults": render_faults}


def generate_scripted(out_dir: Path | str = SCRIPTED_DIR) -> dict:
    return generate(out_dir, sites=build_sites(), render=RENDER)


def main(argv=None) -> int:
    import argparse

    ap = argparse.ArgumentParser(description="generate the scripted-lists demo portal")
    ap.add_argument("--out", type=Path, default=SCRIPTED_DIR)
    m = generate_scripted(ap.parse_args(argv).out)
    print(f"{len(m['sites'])} sites, {sum(len(s['files']) for s in m['sites'])} files, {len(m['reports'])} reports")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

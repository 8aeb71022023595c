"""Lists a page's script fetches, read from the page (issue 17): Hanweb jpage groups, list APIs of the
page's config, JSON answers, and the evidence that a list only a browser shows.

Expected requests come from the fixture generator (crawler/demo/portal/scriptpages.py: the form the
demo server requires) and from the real list page's README (../shared/realpages/lists/), never from
our own output."""
from __future__ import annotations

import json
from urllib.parse import parse_qsl

import pytest

from crawler.demo.portal import scriptpages
from crawler.demo.portal.scriptsites import SCRIPTED_DIR
from pipelines.discovery.jsobject import Expr, evaluate, read_object
from pipelines.discovery.jsonlists import answer_total, json_links
from pipelines.discovery.scripted import answer_total as query_total
from pipelines.discovery.scripted import follow_up, list_queries, plan
from pipelines.record import Capture
from pipelines.stages import process
from tests.paths import REALPAGES, ROOT

MANIFEST = json.loads((SCRIPTED_DIR / "manifest.json").read_text("utf-8"))
CLASSIC = json.loads((ROOT / "crawler/demo/portal/manifest.json").read_text("utf-8"))
REAL_LIST = REALPAGES / "lists" / "fujian-trs-zfxxgknb-list.html"


def page_of(manifest_root, site: str, path: str) -> tuple[str, str]:
    s = next(x for x in json.loads((manifest_root / "manifest.json").read_text("utf-8"))["sites"] if x["name"] == site)
    f = next(f for f in s["files"] if f["path"] == path)
    return (manifest_root / s["root"] / f["file"]).read_text(s["encoding"], "replace"), f"http://{s['host']}{path}"


def as_list(html: str, url: str):
    return process(Capture(url=url, body=html.encode("utf-8"), headers=[("Content-Type", "text/html; charset=utf-8")],
                           role="list"))


# --- Hanweb jpage groups ---------------------------------------------------------------------------

def test_hanweb_column_plans_the_group_after_the_embedded_one_with_the_ajaxparam_form():
    html, url = page_of(SCRIPTED_DIR, "hanweb-jpage", "/col/col1005/index.html")
    (query,) = list_queries(html, url)
    (request,) = plan(query)
    assert request.method == "POST"
    assert request.url == "http://127.0.0.3/module/web/jpage/dataproxy.jsp?startrecord=46&endrecord=90&perpage=15"
    assert parse_qsl(request.body) == scriptpages.hanweb_ajax_param()


def test_hanweb_groups_run_to_the_declared_total_and_the_get_pages_give_way():
    html = ('<div id="7"><script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp'
            '?page=1&columnid=9"></a>]]></nextgroup><recordset>' + "<record><![CDATA[<li>x</li>]]></record>" * 20
            + "</recordset></datastore></script></div><script>var p = {col:1,webid:3,columnid:9,unitid:'7'};"
            "$('#7').jpage({perPage: 10, groupSize: 2, totalRecord: 95, ajaxParam: p});</script>")
    page = as_list(html, "http://h/col/col9/index.html")
    (query,) = page.list_queries
    windows = [r.url.split("?")[1] for r in plan(query)]
    assert windows == [f"startrecord={s}&endrecord={s + 19}&perpage=10" for s in (21, 41, 61, 81)]
    assert not [u for u in page.paging if "dataproxy" in u]


def test_hanweb_without_a_printed_total_probes_then_plans_from_the_answer():
    html = ("<script>var param_55 = {col:1,appid:1,webid:3,path:'/',columnid:9,unitid:'55'};</script>"
            "<datastore><recordset>" + "<record><![CDATA[x]]></record>" * 45 + "</recordset></datastore>")
    (query,) = list_queries(html, "http://h/col/col9/index.html")
    (probe,) = plan(query)
    assert probe.probe and "startrecord=46&endrecord=90" in probe.url
    total = query_total(query, "<datastore><totalrecord>200</totalrecord></datastore>")
    assert [r.url.split("?")[1].split("&")[0] for r in follow_up(query, total)] == \
        ["startrecord=91", "startrecord=136", "startrecord=181"]


def test_a_jpage_without_ajaxparam_is_left_to_the_get_paging():
    html, url = page_of(ROOT / "crawler/demo/portal", "hanweb-ejina", "/col/col1005/index.html")
    assert list_queries(html, url) == []


# --- list APIs -------------------------------------------------------------------------------------

def test_provincial_template_posts_listargs_and_every_page_to_the_search_service():
    html, url = page_of(SCRIPTED_DIR, "trs-province", "/xxgk/zfxxgknb/index.htm")
    (query,) = list_queries(html, url)
    requests = plan(query)
    site = next(s for s in MANIFEST["sites"] if s["name"] == "trs-province")
    spec_file = next(f for f in site["files"] if f.get("endpoint"))
    spec = json.loads((SCRIPTED_DIR / site["root"] / spec_file["file"]).read_text("utf-8"))
    total = len(spec["entries"])
    assert [r.url for r in requests] == [f"http://127.0.0.2{spec_file['path']}"] * -(-total // 10)
    for n, request in enumerate(requests, 1):
        fields = dict(parse_qsl(request.body))
        assert fields == {**spec["require"], "page": str(n), "prepage": "10"} and request.method == "POST"


@pytest.mark.skipif(not REAL_LIST.exists(), reason="../shared/realpages absent")
def test_the_real_provincial_list_page_gives_its_search_requests():
    "What the page's README says it holds: channelid 200210, chnlid=1813, prepage 10, recordCount 20."
    (query,) = list_queries(REAL_LIST.read_text("utf-8"), "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/")
    assert [dict(parse_qsl(r.body)) for r in plan(query)] == [
        {"channelid": "200210", "classsql": "chnlid=1813", "sortfield": "-docorderpri,-docreltime",
         "page": str(n), "prepage": "10"} for n in (1, 2)]
    assert {r.url for r in plan(query)} == {"https://www.pingtan.gov.cn/fjdzapp/search"}


def test_an_ajax_config_with_url_data_and_type_is_a_list_api():
    html = ("<script>$.ajax({url: '/api/doc/list', type: 'post', data: {columnId: 12, pageNo: 1, pageSize: 20}, "
            "success: function (r) { render(r.rows); }});</script>")
    (query,) = list_queries(html, "http://h/xxgk/nb/")
    (request,) = plan(query)
    assert (request.url, request.method, request.probe) == ("http://h/api/doc/list", "POST", True)
    assert dict(parse_qsl(request.body)) == {"columnId": "12", "pageNo": "1", "pageSize": "20"}
    assert len(follow_up(query, 65)) == 3   # pages 2-4


def test_configs_that_page_nothing_or_point_at_static_files_are_not_lists():
    html = ("<script>var SiteInfo = {loginUrl: '/uc/login', searchId: 3}; init({url: '/js/tpl.html', size: 5});"
            "load({url: 'http://other.example/api/list', pageSize: 10});</script>")
    assert list_queries(html, "http://h/xxgk/") == []


# --- JSON answers ----------------------------------------------------------------------------------

def test_json_entries_of_several_shapes_become_links():
    trs = {"recordCount": 21, "data": [{"doctitle": "甲县2020年政府信息公开工作年度报告", "chnldocurl": "/a/1.html"}]}
    app = {"code": 0, "result": {"page": {"total": "13"}, "list": [{"title": "<em>乙</em>年报", "url": "b/2.html",
                                                                     "date": "2021-01-02"}]}}
    assert [(l.url, l.text, l.source) for l in json_links(json.dumps(trs), "http://h/fjdzapp/search")] == \
        [("http://h/a/1.html", "甲县2020年政府信息公开工作年度报告", "api")]
    assert [(l.url, l.text) for l in json_links("cb(" + json.dumps(app) + ");", "http://h/api/x")] == \
        [("http://h/api/b/2.html", "乙年报")]
    assert answer_total(json.dumps(trs)) == 21 and answer_total(json.dumps(app)) == 13
    assert json_links("<html>not json</html>", "http://h/") == []


def test_a_json_answer_fetched_as_a_list_page_gives_its_entries():
    body = json.dumps({"data": [{"doctitle": "丙2020年政府信息公开工作年度报告", "docpuburl": "http://h/c.html"}]})
    page = process(Capture(url="http://h/fjdzapp/search", body=body.encode(), role="list",
                           headers=[("Content-Type", "application/json;charset=UTF-8")]))
    assert [l.url for l in page.links if l.source == "api"] == ["http://h/c.html"]


# --- script-built lists ----------------------------------------------------------------------------

def test_the_app_shell_looks_script_built_and_the_provincial_template_does_not():
    app, app_url = page_of(SCRIPTED_DIR, "spa-app", "/xxgk/zfxxgknb/index.html")
    trs, trs_url = page_of(SCRIPTED_DIR, "trs-province", "/xxgk/zfxxgknb/index.htm")
    assert as_list(app, app_url).script_built == "app-shell"
    assert as_list(trs, trs_url).script_built is None   # its endpoint is readable: no browser needed


@pytest.mark.parametrize("html, why", [
    ('<ul class="list"><li v-for="d in docs"><a :href="d.url">{{d.title}}</a></li></ul><script src="/v.js"></script>',
     "template:v-for"),
    ('<div class="news-list" id="nl"></div><script>$("#nl").load("/x");</script>', "empty-list"),
    ("<ul><li><a href='/a.html'>a</a></li></ul><script>var recordCount = 57;</script>", "declared:57>1"),
])
def test_signs_of_a_script_built_list(html, why):
    assert as_list(html, "http://h/list/").script_built == why


def test_no_page_of_the_classic_demo_portal_looks_script_built():
    "A portal with no script-built lists starts no browser: none of its pages, read as a list, asks for one."
    flagged = []
    for site in CLASSIC["sites"]:
        for f in site["files"]:
            if f["content_type"].startswith("text/html"):
                url = f"http://{site['host']}{f['path']}" + (f"?{f['query']}" if f["query"] else "")
                body = (ROOT / "crawler/demo/portal" / site["root"] / f["file"]).read_bytes()
                page = process(Capture(url=url, body=body, headers=[("Content-Type", f["content_type"])], role="list"))
                if page.script_built or page.list_queries:
                    flagged.append((url, page.script_built))
    assert not flagged


# --- object literals -------------------------------------------------------------------------------

def test_object_literals_read_as_far_as_plain_values_go():
    text = ("f({a: 'x', 'b': 2, c: {d: true}, e: function (p) { return {z: 1}; }, g: \"\" || \"k=1\", /* n */"
            " h: Site.id, i: [1, {j: 2}]}); var Site = {id: '77'};")
    obj, end = read_object(text, 2)
    assert text[end] == ")"
    assert (obj["a"], obj["b"], obj["c"]) == ("x", 2, {"d": True})
    assert isinstance(obj["e"], Expr) and isinstance(obj["i"], Expr)
    assert evaluate(obj["g"], text) == "k=1" and evaluate(obj["h"], text) == "77"

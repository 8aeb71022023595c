"""Pages of the scripted-lists demo portal (scriptsites.py): homepages, sections, and the 年报 columns
whose lists a script builds, with the scripts that build them (issue 17)."""
from __future__ import annotations

from . import cms_hanweb, cms_trs, common
from .model import Article, File, Site, esc

SEARCH_ID, CHNL_ID = "200210", "1813"          # the platform's search channel; the column's chnlid
HANWEB_WEBID, HANWEB_COLUMN, HANWEB_UNIT = 31, 1005, 2005
HOLD_SECONDS = 6                                # /static/hold.js: a page the browser waits on
# spa-faults: the list pages whose script misbehaves, and those that still list a report
FAULTS = ("loop", "dialog", "popup", "away", "hold")
FAULT_REPORTS = ("dialog", "popup")


def shell(site: Site, title: str, body: str, head_extra: str = "") -> File:
    "A plain page of these sites: UTF-8, the national meta tags, a nav bar, the footer."
    head = common.head(site, title, common.meta_tags(site, title), ["/css/style.css"])
    foot = "<br>\n".join(common.footer_lines(site))
    html = f"""{head.replace("</head>", head_extra + "</head>")}<body>
<div class="header"><a href="/">首页</a> | <a href="/xxgk/">政府信息公开</a></div>
{body}
<div class="footer"><p>{foot}</p></div>
</body>
</html>
"""
    return File("", html, "text/html; charset=utf-8")


def at(path: str, f: File) -> File:
    f.path = path
    return f


def home_and_section(site: Site, column_url: str) -> list[File]:
    home = shell(site, site.title, '<div class="entries"><a href="/xxgk/">政府信息公开</a></div>')
    section = shell(site, f"政府信息公开_{site.title}",
                    f'<div class="xxgk-nav"><ul><li><a href="{column_url}">政府信息公开年报</a></li></ul></div>')
    return [at("/index.html", home), at("/xxgk/index.html", section)]


def robots(disallow: str) -> File:
    return File("/robots.txt", f"User-agent: *\nDisallow: {disallow}\n", "text/plain")


# --- the TRS provincial intensive-platform template ---------------------------------------------

def province_pages(site: Site, arts: list[Article]) -> list[File]:
    """The real template's column page (see ../shared/realpages/lists/): the newest 10 printed for
    the static view, an avalon template for the dynamic one, and ``listModel`` configured in "动静结合"
    mode; the module itself (``list2.trsapi``) is the platform's, not on this site."""
    base = "/xxgk/zfxxgknb/"
    newest = sorted(arts, key=lambda a: a.serial, reverse=True)
    rows = "\n".join(f'<dl><dd class="trt-col-sm-24"><a href="{cms_trs.rel(base, a)}" target="_blank" '
                     f'title="{esc(a.title)}">{esc(a.title)}</a></dd><dd class="trt-col-4">{a.date}</dd></dl>'
                     for a in newest[:10])
    body = f"""<div class="tabs info_tabs" ms-controller="list">
<div class="tabs_header"><ul><li class="on"><a class="cur_def" href="javascript:;">政府信息公开年报</a></li></ul></div>
<div class="rules_tabs_01 rules_tabs_no_bg" ms-visible="showStatic">
{rows}
</div>
<div class="rules_tabs_01 rules_tabs_no_bg" ms-visible="!showStatic" style="display: none">
<dl ms-if="list.length>0" ms-repeat="list" ms-if-loop="$index<10"><dd><a ms-attr-href="el.chnldocurl" ms-attr-title="el.doctitle" ms-text="el.doctitle|html" target="_blank"></a></dd>
<dd ms-text="el.docreltime|date('yyyy-MM-dd')"></dd></dl>
</div>
<div class="page_base mar_t_base" ms-controller="list_pagebar" ms-include-src="pgTemp" ms-if="pageCount>0"></div>
</div>
<script>
var SiteInfo = {{
    itpSiteId: 21,    //互动站点ID
    searchId: {SEARCH_ID}, //默认的文档检索频道的ID
    defaultPgTemp: "pgBar_pt.html"
}};
</script>
<script src="/images/model.min.js"></script>
<script>
    require(["list2.trsapi", "tools"], function(listModel, tools) {{
        listModel({{
            quickMode: "动静结合",
            maxStaticIndex: 1,
            listArgs: {{
                channelid: SiteInfo.searchId,
                classsql: "" || "chnlid={CHNL_ID}",
                sortfield: "-docorderpri,-docreltime"
            }},
            pagebar: {{
                prepage: 10,
                recordCount: '{len(arts)}',
                pgTemp: "pgBar_xxgk.html",
                pgCountMode: "recordCount",
                displayNum: 2
            }},
            callToPage: function(p) {{
                $("html,body").animate({{ scrollTop: $(".content_bg_02").offset().top }}, 800);
            }}
        }});
    }});
</script>"""
    column = shell(site, f"政府信息公开年报_政府信息公开_{site.title}", body,
                   f'<meta name="ChnlId" content="{CHNL_ID}">\n')
    return home_and_section(site, base + "index.htm") + [at(base + "index.htm", column), robots("/was5/")]


# --- the Hanweb column read through jpage groups ---------------------------------------------------

def hanweb_ajax_param() -> list[tuple[str, str]]:
    "The form jpage POSTs with every group (its ajaxParam), as the server requires it."
    return [("col", "1"), ("appid", "1"), ("webid", str(HANWEB_WEBID)), ("path", "/"),
            ("columnid", str(HANWEB_COLUMN)), ("sourceContentType", "1"), ("unitid", str(HANWEB_UNIT)),
            ("webname", "闽清县人民政府"), ("permissiontype", "0")]


def hanweb_pages(site: Site, arts: list[Article]) -> list[File]:
    newest = sorted(arts, key=lambda a: a.serial, reverse=True)
    recs = "\n".join(f"<record><![CDATA[{cms_hanweb.record(a)}]]></record>" for a in newest[:45])
    nextgroup = (f"/module/web/jpage/dataproxy.jsp?page=1&webid={HANWEB_WEBID}&path=/&columnid={HANWEB_COLUMN}"
                 f"&unitid={HANWEB_UNIT}&webname=闽清县人民政府&permissiontype=0")
    body = f"""<div class="main"><div class="lmtitle">政府信息公开年报</div>
<div id="{HANWEB_UNIT}"><script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="{nextgroup}"></a>]]></nextgroup>
<recordset>
{recs}
</recordset>
</datastore></script></div>
<script language="javascript" src="/module/web/jpage/jpage.js"></script>
<script>
var param_{HANWEB_UNIT} = {{col:1,appid:1,webid:{HANWEB_WEBID},path:'/',columnid:{HANWEB_COLUMN},sourceContentType:1,unitid:'{HANWEB_UNIT}',webname:'闽清县人民政府',permissiontype:0}};
$(document).ready(function(){{ $('#{HANWEB_UNIT}').jpage({{ dataStore: $('#{HANWEB_UNIT} datastore'), perPage: 15, groupSize: 3, totalRecord: {len(arts)}, proxyUrl: '/module/web/jpage/dataproxy.jsp', ajaxParam: param_{HANWEB_UNIT}, barPosition: 'bottom', dataBefore: '<ul class="list">', dataAfter: '</ul>' }}); }});
</script></div>"""
    column = shell(site, f"政府信息公开年报_{site.title}", body)
    return home_and_section(site, cms_hanweb.col_url("nb")) + [at(cms_hanweb.col_url("nb"), column),
                                                               robots("/jrobot/")]


# --- a single-page app ------------------------------------------------------------------------------

APP_JS = """(function () {
  // the column's list: fetched page by page from the app's own API, never printed in the page
  var API = '/api/nb/list', SIZE = 5, page = 1;
  function show(answer, n) {
    var list = document.getElementById('list');
    list.innerHTML = '';
    answer.list.forEach(function (e) {
      var li = document.createElement('li'), a = document.createElement('a'), span = document.createElement('span');
      a.href = e.url; a.title = e.title; a.textContent = e.title; span.textContent = e.publishDate;
      li.appendChild(a); li.appendChild(span); list.appendChild(li);
    });
    page = n;
    var pages = Math.ceil(answer.total / SIZE), pager = document.getElementById('pager');
    pager.innerHTML = '<span>共' + pages + '页 第' + n + '页</span> '
      + (n < pages ? '<a href="javascript:;" class="next">下一页</a>' : '<span class="next disabled">下一页</span>');
    var next = pager.querySelector('a.next');
    if (next) next.onclick = function () { load(page + 1); };
  }
  function load(n) {
    var xhr = new XMLHttpRequest();
    xhr.open('GET', API + '?page=' + n + '&size=' + SIZE);
    xhr.onload = function () { show(JSON.parse(xhr.responseText).data, n); };
    xhr.send();
  }
  load(1);
})();
"""


def app_pages(site: Site) -> list[File]:
    base = "/xxgk/zfxxgknb/"
    body = """<div id="app"><h3>政府信息公开年报</h3><ul class="list" id="list"></ul><div class="pager" id="pager"></div></div>
<script src="/stat/track.js"></script>
<script src="/static/app.js"></script>"""
    column = shell(site, f"政府信息公开年报_{site.title}", body)
    return home_and_section(site, base) + [
        at(base + "index.html", column), robots("/stat/"),
        File("/static/app.js", APP_JS, "application/javascript; charset=utf-8"),
        File("/stat/track.js", "/* visit statistics: robots.txt keeps crawlers out */\n",
             "application/javascript; charset=utf-8")]


# --- list pages a browser must survive ---------------------------------------------------------------

def _fault_script(name: str, report: Article | None) -> str:
    # the entry as data (a real app's JSON), so only the DOM the script builds links the report
    fill = (f"var entry = {{u: '{report.url_path}', t: '{report.title}'}};"
            "var li = document.createElement('li'); var a = document.createElement('a');"
            "a.href = entry.u; a.textContent = entry.t; li.appendChild(a);"
            "document.getElementById('list').appendChild(li);") if report else ""
    return {
        "loop": "while (true) {}",
        "dialog": f"alert('系统维护中'); confirm('是否继续？'); {fill}",
        "popup": f"window.open('/nb/popup/ad.html', '_blank'); {fill}",
        "away": "location.href = 'http://127.0.0.9:9/elsewhere.html';",
        "hold": "",
    }[name]


def fault_pages(site: Site) -> list[File]:
    reports = dict(zip(FAULT_REPORTS, site.articles))
    columns = "\n".join(f'<li><a href="/nb/{name}/">政府信息公开年报</a></li>' for name in FAULTS)
    files = [at("/index.html", shell(site, site.title, '<div class="entries"><a href="/xxgk/">政府信息公开</a></div>')),
             at("/xxgk/index.html", shell(site, f"政府信息公开_{site.title}", f"<ul>{columns}</ul>")),
             robots("/stat/"),
             at("/nb/popup/ad.html", shell(site, "广告", "<p>弹出窗口</p>"))]
    for name in FAULTS:
        hold = '<script src="/static/hold.js"></script>\n' if name == "hold" else ""
        body = (f'<div id="app"><h3>政府信息公开年报</h3><ul class="list" id="list"></ul></div>\n{hold}'
                f"<script>{_fault_script(name, reports.get(name))}</script>")
        files.append(at(f"/nb/{name}/index.html", shell(site, f"政府信息公开年报_{site.title}", body)))
    return files

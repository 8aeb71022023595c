"""Hanweb 大汉 JCMS family (domain.md §3.2), here a Big5 site in Traditional script.

Traps: the column lists exist only inside <script type="text/xml"><datastore> CDATA records,
later pages only through /module/web/jpage/dataproxy.jsp (served as UTF-8 XML although the
site is Big5); body between ContentStart/ContentEnd metas; the hidden "Produced By" link with
an injected keyword run; characters outside Big5 written as &#NNNN; references.
"""
from __future__ import annotations

from . import common
from .model import Article, File, Site, esc

WEBID = 31
COLS = {  # column key -> (column id, name)
    "xxgk": (1001, "政府信息公開"), "xw": (1002, "新聞中心"), "zwfw": (1003, "政務服務"),
    "fdzdgk": (1004, "法定主動公開內容"), "nb": (1005, "政府信息公開年報"),
    "czyjs": (1006, "財政預決算"), "ysq": (1007, "依申請公開"), "hdjl": (1008, "互動交流"),
    "zjejn": (1009, "走進額濟納"),
}
NAV = ["zjejn", "xw", "xxgk", "zwfw", "hdjl"]
TR = {"主办单位": "主辦單位", "承办单位": "承辦單位", "站点地图": "站點地圖", "联系电话": "聯繫電話",
      "网站标识码": "網站標識碼", "网站支持IPv6访问": "網站支持IPv6訪問"}
SEARCH = "/jrobot/search.do?webid=31&pg=12&p=1&tpl=&category=&q=&pos=title&od="


def col_url(key: str) -> str:
    return f"/col/col{COLS[key][0]}/index.html"


def proxy_query(key: str, page: int) -> str:
    cid = COLS[key][0]
    return (f"page={page}&appid=1&webid={WEBID}&path=/&columnid={cid}&unitid={cid + 1000}"
            f"&permissiontype=0")


def assign_urls(site: Site) -> None:
    for a in site.articles:
        y, m, d = (int(x) for x in a.date.split("-"))
        col = COLS[a.column or "xxgk"][0]
        a.url_path = f"{a.url_prefix}/art/{y}/{m}/{d}/art_{col}_{a.serial}.html"


def page(site: Site, title: str, column: str, body: str, art: Article | None = None,
         location: list[tuple[str, str]] = ()) -> File:
    head = common.head(site, title, "<meta name=\"Generator\" content=\"大漢版通\">\n"
                       "<meta name=\"Author\" content=\"大漢網絡\">\n"
                       + common.meta_tags(site, column, art), ["/images/1/hanweb.css"])
    hidden = "".join(f'<span id="col{i + 1}_name">{esc(n)}</span><span id="col{i + 1}_url">{u}</span>'
                     for i, (n, u) in enumerate(reversed(location)))
    nav = "\n".join(f'<li><a href="{col_url(k)}">{COLS[k][1]}</a></li>' for k in NAV)
    crumbs = "&nbsp;&gt;&nbsp;".join(['<a href="/index.html">首頁</a>']
                                     + [f'<a href="{u}">{esc(n)}</a>' for n, u in location])
    spam_in, spam_after = common.spam_block(art) if art else ("", "")
    foot = "<br>\n".join(common.footer_lines(site, lambda s: TR.get(s, s)))
    html = f"""{head}<body>
<div id="hiddenLocation" style="display:none;"><span id="ss_webid">{WEBID}</span>{hidden}</div>
<div class="top"><div class="w1000"><span class="fl">歡迎訪問{esc(site.title)}門戶網站</span>
<span class="fr"><a href="javascript:void(0)" onclick="toggleToolBar();">無障礙瀏覽</a> | <a href="javascript:zh_tran('s');">簡體版</a> | <a href="/col/col1008/index.html">長者版</a></span></div></div>
<div class="header"><div class="logo"><a href="/index.html"><img src="/images/1/logo.png" alt="{esc(site.title)}"></a></div>
<div class="search"><form action="/jrobot/search.do" method="get" target="_blank"><input type="hidden" name="webid" value="{WEBID}"><input type="text" name="q" value="請輸入關鍵字" onfocus="this.value=''"><input type="submit" value="搜索"></form>
<a href="{SEARCH}" target="_blank">高級搜索</a></div></div>
<div class="nav"><ul><li><a href="/index.html">首頁</a></li>
{nav}
</ul></div>
<div class="position">您當前的位置：{crumbs}</div>
{body}
<div class="footer" style="text-align:center;">
<p><a href="/col/col1008/index.html">聯繫我們</a> | <a href="/sitemap.html">網站地圖</a> | <a href="/col/col1008/index.html">隱私聲明</a></p>
<p>{foot}</p>
</div>
{common.gov_scripts(site)}<a href="http://www.hanweb.com" style="display:none">Produced By 大漢網絡 大漢版通發布系統</a>{spam_in}
<script language="javascript" src="/script/web_front.js"></script>
</body>
</html>{spam_after}"""
    return File("", html, f"text/html; charset={site.charset}", encoding="big5",
                errors="xmlcharrefreplace")


def record(a: Article) -> str:
    return (f"<li><a href='{a.url_path}' title='{esc(a.title)}' target='_blank'>{esc(a.title)}</a>"
            f"<span>{a.date}</span></li>")


def column_files(site: Site, key: str) -> list[File]:
    arts = common.column_articles(site, key)
    pages = common.pages_of(arts, site.page_size)
    cid = COLS[key][0]
    recs = "\n".join(f"<record><![CDATA[{record(a)}]]></record>" for a in pages[0])
    loc = [(COLS["xxgk"][1], col_url("xxgk"))] if key in ("nb", "fdzdgk", "czyjs", "ysq") else []
    body = f"""<div class="main w1000"><div class="left"><h3>{COLS['xxgk'][1]}</h3><ul>
<li><a href="{col_url('fdzdgk')}">法定主動公開內容</a></li><li><a href="{col_url('nb')}">政府信息公開年報</a></li>
<li><a href="{col_url('czyjs')}">財政預決算</a></li><li><a href="{col_url('ysq')}">依申請公開</a></li></ul></div>
<div class="right"><div class="lmtitle">{COLS[key][1]}</div>
<div id="{cid + 1000}"><script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?{proxy_query(key, 1)}"></a>]]></nextgroup>
<recordset>
{recs}
</recordset>
</datastore></script></div>
<script language="javascript" src="/module/web/jpage/jpage.js"></script>
<script>$(document).ready(function(){{ $('#{cid + 1000}').jpage({{ perPage: {site.page_size}, totalRecord: {len(arts)}, proxyUrl: '/module/web/jpage/dataproxy.jsp', groupSize: 1, barPosition: 'bottom', dataBefore: '<ul class="list">', dataAfter: '</ul>' }}); }});</script>
</div></div>"""
    f = page(site, site.title, COLS[key][1], body, location=loc + [(COLS[key][1], col_url(key))])
    f.path = col_url(key)
    out = [f]
    for n, chunk in enumerate(pages, 1):
        recs = "\n".join(f"<record><![CDATA[{record(a)}]]></record>" for a in chunk)
        xml = (f'<?xml version="1.0" encoding="UTF-8"?>\n<datastore>\n<totalrecord>{len(arts)}'
               f"</totalrecord>\n<totalpage>{len(pages)}</totalpage>\n<recordset>\n{recs}\n"
               f"</recordset>\n</datastore>\n")
        out.append(File("/module/web/jpage/dataproxy.jsp", xml, "text/xml;charset=UTF-8",
                        query=proxy_query(key, n)))
    return out


def meta_block(a: Article) -> str:
    """Label runs, two pairs a line, exactly the order seed 004 shows."""
    items = list(a.meta.items())
    lines = []
    for i in range(0, len(items), 2):
        lines.append("&nbsp;&nbsp;&nbsp;&nbsp;".join(
            f'<span class="label">{esc(k)}：</span><span>{esc(v)}</span>' for k, v in items[i:i + 2]))
    return '<div class="xxgk_info">' + "<br>\n".join(lines) + "</div>"


def detail(site: Site, a: Article) -> File:
    key = a.column or "xxgk"
    # 上一篇/下一篇 come from a script, and 相關鏈接 lists news only: a static chain of
    # neighbour links would let a crawler reach the oldest reports without dataproxy.jsp.
    related = "\n".join(f'<li><a href="{x.url_path}" target="_blank">{esc(x.title)}</a></li>'
                         for x in common.column_articles(site, "xw")[:5])
    pn = (f'<p>上一篇：<span id="prevArt"></span></p><p>下一篇：<span id="nextArt"></span></p>'
          f'<script language="javascript" src="/module/web/pagenext/pagenext.jsp?columnid='
          f'{COLS[key][0]}&articleid={a.serial}"></script>')
    loc = [(COLS["xxgk"][1], col_url("xxgk"))]
    if key != "xxgk":
        loc.append((COLS[key][1], col_url(key)))
    if a.kind == "report" and a.meta.get("組配分類", "").startswith("旗"):
        loc.append((a.meta["組配分類"].replace("旗", "旗行署", 1), col_url(key)))
    body = f"""<div class="main w1000">
{common.meta_layout(a) if a.layout else meta_block(a) if a.meta else ''}
<div class="title"><!--<$[標題名稱]>begin-->{esc(a.title)}<!--<$[標題名稱]>end--></div>
<div class="info"><span>發布時間：{a.date}</span> <span>瀏覽次數：<script language="javascript" src="/module/visitcount/articlehits.jsp?colid={COLS[key][0]}&artid={a.serial}"></script></span>
<span>字體：[<a href="javascript:doZoom(20)">大</a> <a href="javascript:doZoom(16)">中</a> <a href="javascript:doZoom(12)">小</a>]</span></div>
<div id="zoom" class="bt_content"><!--<$[信息內容]>begin--><!--ZJEG_RSS.content.begin--><meta name="ContentStart">{common.body_html(a.blocks)}<meta name="ContentEnd"><!--ZJEG_RSS.content.end--><!--<$[信息內容]>end--></div>
<div class="laiyuan"><p>編輯：</p><p>信息來源：<!--<$[信息來源]>begin--><!--<$[信息來源]>end--></p></div>
<div class="tools"><a href="javascript:window.print()">【打印本頁】</a> <a href="javascript:window.close()">【關閉窗口】</a>
<span>分享到：<a href="javascript:void(0)" class="bds_weixin">微信</a> <a href="javascript:void(0)" class="bds_tsina">微博</a></span></div>
<div class="ewm"><img src="/images/1/qrcode.png" alt=""><p>掃一掃在手機上查看當前頁面</p></div>
<div class="pn">{pn}</div>
<div class="xgwz"><h4>相關鏈接</h4><ul>
{related}
</ul></div>
</div>"""
    f = page(site, site.title, COLS[key][1], body, a, loc)
    f.path = a.url_path
    return f


def render(site: Site) -> list[File]:
    assign_urls(site)
    files: list[File] = []
    news = common.column_articles(site, "xw")[:6]
    news_li = "\n".join(f'<li><a href="{a.url_path}" target="_blank">{esc(a.title)}</a><span>{a.date}</span></li>'
                        for a in news)
    home = f"""<div class="main w1000"><div class="banner"><img src="/images/1/banner.jpg" alt=""></div>
<div class="news"><div class="tit"><a href="{col_url('xw')}">新聞中心</a><a class="more" href="{col_url('xw')}">更多&gt;&gt;</a></div><ul>
{news_li}
</ul></div>
<div class="rukou"><a href="{col_url('xxgk')}"><img src="/images/1/xxgk.png" alt="信息公開">信息公開</a>
<a href="{col_url('zwfw')}">政務服務</a> <a href="{col_url('hdjl')}">互動交流</a> <a href="http://www.gov.cn/" target="_blank">中國政府網</a> <a href="http://www.nmg.gov.cn/" target="_blank">內蒙古自治區人民政府</a></div>{common.extra_links(site, "home")}</div>"""
    f = page(site, site.title, "首頁", home)
    f.path = "/index.html"
    files.append(f)
    by_id = {a.id: a for a in site.articles}
    zn, zd = by_id["hanweb-zn"], by_id["hanweb-zd"]
    xxgk = f"""<div class="main w1000"><div class="xxgk_nav"><ul>
<li><a href="{zn.url_path}">政府信息公開指南</a></li>
<li><a href="{zd.url_path}">政府信息公開制度</a></li>
<li><a href="{col_url('fdzdgk')}">法定主動公開內容</a></li>
<li><a href="{col_url('nb')}">政府信息公開年報</a></li>
<li><a href="{col_url('czyjs')}">財政預決算</a></li>
<li><a href="{col_url('ysq')}">依申請公開</a></li>
</ul></div>{common.extra_links(site, "section")}</div>"""
    f = page(site, site.title, COLS["xxgk"][1], xxgk, location=[(COLS["xxgk"][1], col_url("xxgk"))])
    f.path = col_url("xxgk")
    files.append(f)
    for key in COLS:
        if key != "xxgk":
            files += column_files(site, key)
    files += [detail(site, a) for a in site.articles]
    search = page(site, site.title, "站內搜索", '<div class="main w1000"><p>搜索結果：共0條</p></div>')
    search.path, search.query = "/jrobot/search.do", SEARCH.split("?", 1)[1]
    search.note = "robots.txt disallows /jrobot/"
    files.append(search)
    files.append(File("/robots.txt", "User-agent: *\nDisallow: /jrobot/\nDisallow: /module/visitcount/\n",
                      "text/plain"))
    return files

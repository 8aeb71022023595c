"""TRS WCM family (domain.md §3.3): GBK bytes declared charset=gb2312.

Traps: list pages index.html, index_1.html… are reachable only through the
createPageHTML(N, cur, "index", "html") call (the page names are built in JS, never written as
links); details are relative ./YYYYMM/tYYYYMMDD_NNNNNNN.html; body in div.TRS_Editor with the
title repeated on top; metadata in a 4-column table whose empty 文号 cell sits next to the
浏览量 label; a GBK-only character makes a strict gb2312 decode fail.
"""
from __future__ import annotations

from . import common
from .model import Article, File, Site, esc

COLS = {  # key -> (path, name)
    "xxgk": ("/xxgk/", "政府信息公开"), "nb": ("/xxgk/zfxxgknb/", "政府信息公开年报"),
    "fdzdgk": ("/xxgk/fdzdgknr/", "法定主动公开内容"), "zn": ("/xxgk/zfxxgkzn/", "政府信息公开指南"),
    "zwdt": ("/zwdt/", "政务动态"), "zjewk": ("/zjewk/", "走进鄂温克"),
    "zwfw": ("/zwfw/", "政务服务"), "hdjl": ("/hdjl/", "互动交流"),
}
NAV = ["zjewk", "zwdt", "xxgk", "zwfw", "hdjl"]
SEARCH = "/was5/web/search?channelid=237216&searchword=&perpage=15"
PAGER_JS = """<script type="text/javascript">
function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){
  if(_nPageCount == null || _nPageCount <= 1){ return; }
  var nCurrIndex = _nCurrIndex || 0;
  document.write("共" + _nPageCount + "页&nbsp;");
  if(nCurrIndex == 0){ document.write("首页&nbsp;上一页&nbsp;"); }
  else {
    document.write("<a href=\\"" + _sPageName + "." + _sPageExt + "\\">首页</a>&nbsp;");
    var prev = nCurrIndex == 1 ? _sPageName : _sPageName + "_" + (nCurrIndex - 1);
    document.write("<a href=\\"" + prev + "." + _sPageExt + "\\">上一页</a>&nbsp;");
  }
  if(nCurrIndex + 1 < _nPageCount){
    document.write("<a href=\\"" + _sPageName + "_" + (nCurrIndex + 1) + "." + _sPageExt + "\\">下一页</a>&nbsp;");
    document.write("<a href=\\"" + _sPageName + "_" + (_nPageCount - 1) + "." + _sPageExt + "\\">尾页</a>");
  } else { document.write("下一页&nbsp;尾页"); }
}
</script>"""


def assign_urls(site: Site) -> None:
    for a in site.articles:
        ym, ymd = a.date[:7].replace("-", ""), a.date.replace("-", "")
        a.url_path = f"{a.url_prefix}{COLS[a.column or 'zn'][0]}{ym}/t{ymd}_{a.serial}.html"


def rel(base: str, a: Article) -> str:
    """Relative link as TRS writes it from a list in the same channel."""
    return "./" + a.url_path[len(base):] if a.url_path.startswith(base) else a.url_path


def page(site: Site, title: str, column: str, body: str, art: Article | None = None,
         crumbs: list[tuple[str, str]] = ()) -> File:
    head = common.head(site, title, common.meta_tags(site, column, art, art and f"{art.date} {art.time}"),
                       ["/css/common.css", "/css/xxgk.css"])
    nav = "\n".join(f'<li><a href="{COLS[k][0]}index.html">{COLS[k][1]}</a></li>' for k in NAV)
    loc = " &gt; ".join(['<a href="/index.html">首页</a>'] + [f'<a href="{u}">{esc(n)}</a>' for n, u in crumbs])
    foot = "<br>\n".join(common.footer_lines(site))
    html = f"""{head}<body>
<div class="top-bar"><div class="wrap"><span>欢迎访问{esc(site.title)}网站！</span>
<span class="r"><a href="javascript:void(0)" id="jt">简体</a> | <a href="javascript:void(0)" id="ft">繁体</a> | <a href="javascript:void(0)" onclick="aria.start()">无障碍</a> | <a href="/zwfw/index.html">长者模式</a></span></div></div>
<div class="header"><div class="wrap"><a href="/index.html" class="logo"><img src="/images/logo.png" alt="{esc(site.title)}"></a>
<form class="search" action="/was5/web/search" method="get" target="_blank"><input type="hidden" name="channelid" value="237216"><input type="text" name="searchword" placeholder="请输入搜索内容"><button type="submit">搜索</button></form>
<a class="adv" href="{SEARCH}">高级检索</a></div></div>
<div class="nav"><ul class="wrap"><li><a href="/index.html">首页</a></li>
{nav}
</ul></div>
<div class="wrap location">您当前的位置：{loc}</div>
{body}
<div class="footer"><div class="wrap">
<div class="links"><a href="/hdjl/index.html">关于我们</a>|<a href="/sitemap.html">网站地图</a>|<a href="/hdjl/index.html">联系我们</a></div>
<p>{foot}</p>
{common.gov_scripts(site)}</div></div>
</body>
</html>
"""
    return File("", html, f"text/html; charset={site.charset}", encoding="gbk")


def list_files(site: Site, key: str) -> list[File]:
    base = COLS[key][0]
    arts = common.column_articles(site, key)
    pages = common.pages_of(arts, site.page_size)
    out = []
    for n, chunk in enumerate(pages):
        lis = "\n".join(f'<li><a href="{rel(base, a)}" target="_blank" title="{esc(a.title)}">{esc(a.title)}</a>'
                        f"<span>{a.date}</span></li>" for a in chunk)
        crumbs = [(COLS["xxgk"][1], "/xxgk/index.html")] if base.startswith("/xxgk/") else []
        body = f"""<div class="wrap main"><div class="left-menu"><h2>{COLS['xxgk'][1]}</h2><ul>
<li><a href="/xxgk/zfxxgkzn/index.html">政府信息公开指南</a></li><li><a href="/xxgk/fdzdgknr/index.html">法定主动公开内容</a></li>
<li><a href="/xxgk/zfxxgknb/index.html">政府信息公开年报</a></li></ul></div>
<div class="right-list"><h3>{COLS[key][1]}</h3><ul class="list">
{lis}
</ul>
<div class="page">{PAGER_JS}
<script type="text/javascript">createPageHTML({len(pages)}, {n}, "index", "html");</script></div>
</div></div>"""
        f = page(site, f"{COLS[key][1]}_{site.title}", COLS[key][1], body,
                 crumbs=crumbs + [(COLS[key][1], base + "index.html")])
        f.path = base + ("index.html" if n == 0 else f"index_{n}.html")
        out.append(f)
    return out


def detail(site: Site, a: Article) -> File:
    key = a.column or "zn"
    base = COLS[key][0]
    # Neighbour links come from the publishing system's script (as on many TRS sites): a static
    # chain would let a crawler reach index_1.html's reports without createPageHTML.
    related = "\n".join(f'<li><a href="{x.url_path}">{esc(x.title)}</a></li>'
                         for x in common.column_articles(site, "zwdt")[:4])
    m = a.meta
    meta = ""
    if a.layout:
        meta = common.meta_layout(a)
    elif m:
        cells = list(m.items())
        rows = []
        for i in range(0, len(cells), 2):
            tds = ""
            for k, v in cells[i:i + 2]:
                val = esc(v) if k != "浏览量" else '<span id="hits"><script type="text/javascript" ' \
                    f'src="/was5/web/hits?docid={a.serial}"></script></span>'
                tds += f'<th width="12%">{esc(k)}：</th><td width="38%">{val}</td>'
            rows.append(f"<tr>{tds}</tr>")
        meta = '<table class="xxgk-table" width="100%" border="0" cellspacing="0">\n' + "\n".join(rows) + "\n</table>"
    pn = ('<li>上一篇：<span id="preDoc"></span></li><li>下一篇：<span id="nextDoc"></span></li>'
          f'<script type="text/javascript">getPreNext("{a.serial}", "{key}");</script>')
    body = f"""<div class="wrap main detail">
{meta}
<div class="article-title"><h1>{esc(a.title)}</h1>
<p class="info">发布时间：{a.date} {a.time[:5]}&nbsp;&nbsp;来源：{esc(a.source or site.title)}&nbsp;&nbsp;【字体：<a href="javascript:setFont(18)">大</a> <a href="javascript:setFont(16)">中</a> <a href="javascript:setFont(14)">小</a>】</p></div>
<div class="article-body"><div class="TRS_Editor"><style type="text/css">.TRS_Editor P{{margin-top:0;margin-bottom:12px;line-height:2;font-family:宋体;font-size:12pt;}}</style>
<div class="Custom_UnionStyle">
{common.lead_html(a.lead)}
{common.body_html(a.blocks, indent="　　")}
</div></div></div>
<div class="article-tools"><a href="javascript:window.print();">【打印本页】</a> <a href="javascript:window.close();">【关闭窗口】</a>
<div class="share">分享到：<a class="wx" href="javascript:void(0)">微信</a><a class="wb" href="javascript:void(0)">微博</a></div>
<div class="qr"><img src="/images/qr.png" alt=""><span>扫一扫在手机上查看当前页面</span></div></div>
<ul class="pre-next">{pn}</ul>
<div class="related"><h4>相关文章</h4><ul>
{related}
</ul></div>
</div>"""
    crumbs = [(COLS["xxgk"][1], "/xxgk/index.html"), (COLS[key][1], base + "index.html")]
    f = page(site, f"{a.title}_{site.title}", COLS[key][1], body, a, crumbs)
    f.path = a.url_path
    return f


def render(site: Site) -> list[File]:
    assign_urls(site)
    by_id = {a.id: a for a in site.articles}
    news = "\n".join(f'<li><a href="{rel("/", a)}" target="_blank">{esc(a.title)}</a><span>{a.date[5:]}</span></li>'
                     for a in common.column_articles(site, "zwdt")[:6])
    home = f"""<div class="wrap main home"><div class="focus"><img src="/images/banner.jpg" alt=""></div>
<div class="news"><h3><a href="/zwdt/index.html">政务动态</a></h3><ul>
{news}
</ul></div>
<div class="entries"><a href="/xxgk/index.html">政府信息公开</a><a href="/zwfw/index.html">网上办事</a>
<a href="/hdjl/index.html">旗长信箱</a><a href="http://www.gov.cn/" target="_blank">中国政府网</a>
<a href="http://www.hlbe.gov.cn/" target="_blank">呼伦贝尔市人民政府</a></div>{common.extra_links(site, "home")}</div>"""
    f = page(site, site.title, "首页", home)
    f.path = "/index.html"
    files = [f]
    zn, zd = by_id["trs-zn"], by_id["trs-zd"]
    sec = f"""<div class="wrap main"><div class="xxgk-entries"><ul>
<li><a href="{zn.url_path}">政府信息公开指南</a></li><li><a href="{zd.url_path}">政府信息公开制度</a></li>
<li><a href="./fdzdgknr/index.html">法定主动公开内容</a></li><li><a href="./zfxxgknb/index.html">政府信息公开年报</a></li>
</ul></div>{common.extra_links(site, "section")}</div>"""
    f = page(site, f"政府信息公开_{site.title}", "政府信息公开", sec, crumbs=[("政府信息公开", "/xxgk/index.html")])
    f.path = "/xxgk/index.html"
    files.append(f)
    for key in ("nb", "fdzdgk", "zwdt", "zjewk", "zwfw", "hdjl", "zn"):
        files += list_files(site, key)
    files += [detail(site, a) for a in site.articles]
    search = page(site, f"检索_{site.title}", "站内检索", '<div class="wrap"><p>检索结果：0条</p></div>')
    search.path, search.query = SEARCH.split("?", 1)
    search.note = "robots.txt disallows /was5/"
    files.append(search)
    files.append(File("/robots.txt", "User-agent: *\nDisallow: /was5/\n", "text/plain"))
    return files

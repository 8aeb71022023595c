"""An in-house JSP site of no known CMS, UTF-8 (the generic fallback of domain.md §3.4).

Traps: content selected by query strings (list.jsp?catId=3&page=2, detail.jsp?id=N: keep every
query parameter); page 1 reachable both with and without &page=1; the homepage links a report
with a tracking parameter and a fragment (detail.jsp?id=N&from=index#main), which the server
ignores like a real JSP would; metadata as <p><strong>label</strong>：value</p>.
"""
from __future__ import annotations

from . import common
from .model import Article, File, Site, esc

CATS = {  # key -> (catId, name)
    "xxgk": (1, "政务公开"), "fdzdgk": (4, "法定主动公开内容"), "nb": (3, "政府信息公开年报"),
    "xw": (5, "梅列要闻"), "bsfw": (7, "办事服务"), "hdjl": (8, "互动交流"),
}
NAV = ["xw", "xxgk", "bsfw", "hdjl"]
SEARCH = ("/search/index.jsp", "q=&siteId=12&type=all")


def list_url(key: str, page: int | None = None) -> str:
    q = f"catId={CATS[key][0]}" + (f"&page={page}" if page else "")
    return f"/list.jsp?{q}"


def assign_urls(site: Site) -> None:
    for a in site.articles:
        a.url_path, a.url_query = f"{a.url_prefix}/detail.jsp", f"id={a.serial}"


def href(a: Article) -> str:
    return f"{a.url_path}?{a.url_query}"


def page(site: Site, title: str, column: str, body: str, art: Article | None = None,
         crumbs: list[tuple[str, str]] = ()) -> File:
    head = common.head(site, title, common.meta_tags(site, column, art), ["/static/css/style.css"])
    nav = "\n".join(f'<a href="{"/xxgk/index.jsp" if k == "xxgk" else list_url(k)}">{CATS[k][1]}</a>'
                    for k in NAV)
    loc = " &gt; ".join(['<a href="/index.jsp">首页</a>'] + [f'<a href="{u}">{esc(n)}</a>' for n, u in crumbs])
    foot = "<br>\n".join(common.footer_lines(site))
    html = f"""{head}<body>
<header class="site-header"><div class="container">
<div class="logo"><a href="/index.jsp"><img src="/static/img/logo.png" alt="{esc(site.title)}"></a></div>
<div class="toolbar"><a href="javascript:;" onclick="aria.start()">无障碍浏览</a> <a href="javascript:;" id="oldman">关怀版</a>
<form action="/search/index.jsp" method="get"><input name="q" type="text"><input name="siteId" type="hidden" value="12"><button>搜索</button></form>
<a href="{SEARCH[0]}?{SEARCH[1]}">高级搜索</a></div></div>
<nav class="main-nav"><div class="container"><a href="/index.jsp">首页</a>
{nav}
</div></nav></header>
<div class="container breadcrumb">您当前的位置：{loc}</div>
{body}
<footer class="site-footer"><div class="container">
<p>{foot}</p>
</div></footer>
{common.gov_scripts(site)}</body>
</html>
"""
    return File("", html, f"text/html;charset={site.charset}")


def list_files(site: Site, key: str) -> list[File]:
    arts = common.column_articles(site, key)
    pages = common.pages_of(arts, site.page_size)
    out = []
    for n, chunk in enumerate(pages, 1):
        lis = "\n".join(f'<li><span class="date">[{a.date}]</span><a href="{href(a)}" title="{esc(a.title)}">'
                        f"{esc(a.title)}</a></li>" for a in chunk)
        last = len(pages)
        nav = [f'<a href="{list_url(key, 1)}">首页</a>',
               f'<a href="{list_url(key, n - 1)}">上一页</a>' if n > 1 else "<span>上一页</span>",
               f'<a href="{list_url(key, n + 1)}">下一页</a>' if n < last else "<span>下一页</span>",
               f'<a href="{list_url(key, last)}">尾页</a>', f"<span>第{n}/{last}页</span>"]
        body = f"""<div class="container main"><aside class="sidebar"><h3>政府信息公开</h3><ul>
<li><a href="{list_url('fdzdgk')}">法定主动公开内容</a></li><li><a href="{list_url('nb')}">政府信息公开年报</a></li></ul></aside>
<section class="list"><h2>{CATS[key][1]}</h2><ul class="news-list">
{lis}
</ul>
<div class="pager">{' '.join(nav)}</div></section></div>"""
        crumbs = [("政府信息公开", "/xxgk/index.jsp")] if key in ("nb", "fdzdgk") else []
        f = page(site, f"{CATS[key][1]}-{site.title}", CATS[key][1], body,
                 crumbs=crumbs + [(CATS[key][1], list_url(key))])
        f.path, f.query = list_url(key, n)[1:].split("?")[0], list_url(key, n).split("?")[1]
        f.path = "/" + f.path
        out.append(f)
        if n == 1:  # the same page without &page=1, as the menus link it
            out.append(File(f.path, f.body, f.content_type, query=f"catId={CATS[key][0]}"))
    return out


def detail(site: Site, a: Article) -> File:
    meta = "\n".join(f"<p><strong>{esc(k)}</strong>：{esc(v)}</p>" for k, v in a.meta.items())
    arts = common.column_articles(site, a.column) if a.column else [a]
    prev, nxt = common.neighbours(arts, a)
    pn = (f'<p>上一篇：<a href="{href(prev)}">{esc(prev.title)}</a></p>' if prev else "") + \
         (f'<p>下一篇：<a href="{href(nxt)}">{esc(nxt.title)}</a></p>' if nxt else "")
    body = f"""<div class="container main article">
{common.meta_layout(a) if a.layout else f'<div class="xxgk-meta">{meta}</div>' if meta else ''}
<h1 class="title">{esc(a.title)}</h1>
<div class="sub">发布时间：{a.date}&nbsp;&nbsp;来源：{esc(a.source or site.title)}&nbsp;&nbsp;字号：<a href="javascript:fontZoom(18)">大</a> <a href="javascript:fontZoom(16)">中</a> <a href="javascript:fontZoom(14)">小</a></div>
<div class="article-content" id="content">
{common.body_html(a.blocks, table_style="plain")}
</div>
<div class="tools"><a href="javascript:window.print()">【打印】</a><a href="javascript:window.close()">【关闭】</a></div>
<div class="qrcode"><img src="/static/img/qr.png" alt=""><p>扫一扫在手机上查看当前页面</p></div>
<div class="prev-next">{pn}</div>
</div>"""
    crumbs = [("政府信息公开", "/xxgk/index.jsp")]
    if a.column:
        crumbs.append((CATS[a.column][1], list_url(a.column)))
    f = page(site, f"{a.title}-{site.title}", CATS.get(a.column or "xxgk")[1], body, a, crumbs)
    f.path, f.query = a.url_path, a.url_query
    return f


def render(site: Site) -> list[File]:
    assign_urls(site)
    by_id = {a.id: a for a in site.articles}
    news = "\n".join(f'<li><a href="{href(a)}">{esc(a.title)}</a><span>{a.date}</span></li>'
                     for a in common.column_articles(site, "xw")[:6])
    rep = by_id["plain-001"]
    home = f"""<div class="container main home"><div class="slide"><img src="/static/img/banner.jpg" alt=""></div>
<section class="news"><h2><a href="{list_url('xw')}">梅列要闻</a></h2><ul>
{news}
</ul></section>
<section class="zt"><a href="{href(rep)}&amp;from=index#main"><img src="/static/img/nb.jpg" alt="年度报告">专题：{esc(rep.title)}</a></section>
<section class="entry"><a href="/xxgk/index.jsp">政府信息公开</a> <a href="{list_url('bsfw')}">网上办事</a>
<a href="http://www.sm.gov.cn/" target="_blank">三明市人民政府</a> <a href="http://www.gov.cn/" target="_blank">中国政府网</a></section>{common.extra_links(site, "home")}</div>"""
    files = []
    for path in ("/", "/index.jsp"):  # both the bare host and the JSP name serve the homepage
        f = page(site, site.title, "首页", home)
        f.path = path
        files.append(f)
    zn, zd = by_id["plain-zn"], by_id["plain-zd"]
    sec = f"""<div class="container main"><ul class="xxgk-menu">
<li><a href="{href(zn)}">政府信息公开指南</a></li><li><a href="{href(zd)}">政府信息公开制度</a></li>
<li><a href="{list_url('fdzdgk')}">法定主动公开内容</a></li><li><a href="{list_url('nb')}">政府信息公开年报</a></li>
</ul>{common.extra_links(site, "section")}</div>"""
    f = page(site, f"政府信息公开-{site.title}", "政府信息公开", sec, crumbs=[("政府信息公开", "/xxgk/index.jsp")])
    f.path = "/xxgk/index.jsp"
    files.append(f)
    for key in ("nb", "fdzdgk", "xw", "bsfw", "hdjl"):
        files += list_files(site, key)
    files += [detail(site, a) for a in site.articles]
    s = page(site, f"搜索-{site.title}", "搜索", '<div class="container"><p>共找到0条结果</p></div>')
    s.path, s.query = SEARCH
    s.note = "robots.txt disallows /search/"
    files.append(s)
    # /search/ as the site ships it, and each staging prefix a page lives under (/preview/)
    disallow = ["/search/"] + sorted({a.url_prefix + "/" for a in site.articles if a.url_prefix})
    files.append(File("/robots.txt", "User-agent: *\n" + "".join(f"Disallow: {d}\n" for d in disallow),
                      "text/plain"))
    return files

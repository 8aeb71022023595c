"""The pages of shapes.py: a single-page app's DOM snapshot, a Word paste into TRS, pages without a heading.

Markup as the real pages carry it (issue 23); the text of every page is its Article's blocks, so the
expected text stays ``Article.expected_text()``.
"""
from __future__ import annotations

import re
from typing import Callable

from . import common, tables
from .model import Article, Site, Table, esc

# a menu as big as the real snapshot's (~195 KB before the article); links are router hashes
MENU_DEPTS = ["区政府办公室", "区发展和改革局", "区教育局", "区科技和工业信息化局", "区公安分局", "区民政局",
              "区司法局", "区财政局", "区人力资源和社会保障局", "区住房和城乡建设局", "区交通运输局",
              "区农业农村局", "区水利局", "区商务局", "区文化体育和旅游局", "区卫生健康局", "区退役军人事务局",
              "区应急管理局", "区审计局", "区市场监督管理局", "区统计局", "区医疗保障局", "区城市管理局",
              "区信访局", "列东街道", "列西街道", "徐碧街道", "陈大镇", "洋溪镇"]
MENU_TOPICS = ["机构职能", "政策文件", "规划计划", "财政资金", "人事信息", "行政执法", "政务动态", "公示公告",
               "年度报告", "依申请公开", "政策解读", "回应关切"]
# what a cleaner that follows the longest prose outside the table keeps instead of the report
FUNCTIONS_BLURB = ("三明市梅列区市场监督管理局是区政府工作部门，主要职责是：负责市场综合监督管理，起草市场监督管理有关"
                   "规范性文件；负责市场主体统一登记注册，组织和指导市场监管综合执法工作；负责宏观质量管理、产品质量安全"
                   "监督管理、特种设备安全监督管理和食品安全监督管理，承担区食品安全委员会日常工作。")
UNITS_BLURB = ("局机关设办公室、登记注册股、信用监督管理股、食品生产流通监督管理股、药品医疗器械化妆品监督管理股、"
               "特种设备安全监察股、质量标准计量股、知识产权股，下设市场监管综合执法大队和列东、列西、徐碧、陈大、洋溪"
               "五个市场监督管理所。")
_ICON = ('<i class="el-icon" data-v-3c2a71f0=""><svg viewBox="0 0 1024 1024" xmlns="http://www.w3.org/2000/svg">'
         '<path fill="currentColor" d="M512 64a448 448 0 1 1 0 896 448 448 0 0 1 0-896zm0 192a58.4 58.4 0 0 0-58.2 '
         '63.7l23.3 256.4a35 35 0 0 0 69.8 0l23.3-256.4A58.4 58.4 0 0 0 512 256zm0 512a51.2 51.2 0 1 0 0-102.4 '
         '51.2 51.2 0 0 0 0 102.4z"></path></svg></i>')
DIGITS_RE = re.compile(r"\d{2,}")


def render(site: Site, a: Article, page: Callable) -> str:
    return {"spa": _spa, "word-trs": _word_trs, "no-heading": _no_heading}[a.shape["page"]](site, a, page)


def _swap(html: str, old: str, new: str) -> str:
    assert html.count(old) == 1, old
    return html.replace(old, new)


def _menu() -> str:
    groups = []
    for i, dept in enumerate(MENU_DEPTS):
        items = "\n".join(
            f'<li role="menuitem" tabindex="-1" class="el-menu-item" data-v-3c2a71f0="" style="padding-left:40px;">'
            f'{_ICON}<a href="#/bmxxgk/{i + 1}/{j + 1}" class="router-link" data-v-3c2a71f0="">{dept}{topic}</a></li>'
            for j, topic in enumerate(MENU_TOPICS))
        groups.append(f'<li role="menuitem" class="el-sub-menu is-opened" data-v-3c2a71f0=""><div class="el-sub-menu__title"'
                      f' style="padding-left:20px;">{_ICON}<span>{dept}</span></div>\n<ul role="menu" class="el-menu '
                      f'el-menu--inline" data-v-3c2a71f0="">\n{items}\n</ul></li>')
    return ('<ul role="menubar" class="el-menu el-menu--vertical side-menu" data-v-3c2a71f0="">\n'
            + "\n".join(groups) + "\n</ul>")


def _split_numbers(text: str) -> str:
    "Escaped text with each number run cut in two Word runs (<span>12</span><span>86</span>)."
    out, last = [], 0
    for m in DIGITS_RE.finditer(text):
        n = m.group()
        out += [esc(text[last:m.start()]), f'<span\nlang="EN-US">{n[:-1]}</span><span lang="EN-US">{n[-1]}</span>']
        last = m.end()
    return "".join(out) + esc(text[last:])


def _el_table(table: Table) -> str:
    "An Element UI table as a single-page app renders it (span-method merges), numbers split across runs."
    out = ['<div class="el-table el-table--fit el-table--border" data-v-5b1e07d4="">'
           '<div class="el-table__inner-wrapper"><table class="el-table__body" cellspacing="0" cellpadding="0" '
           'border="0" style="width:100%;">']
    for r, row in enumerate(table.rows):
        if r == table.header_rows:
            out.append("<tbody>")
        tag, cls = ("th", "is-leaf") if r < table.header_rows else ("td", "")
        out.append(("<thead>" if r == 0 and table.header_rows else "") + '<tr class="el-table__row">')
        for c, cell in enumerate(row):
            out.append(f'<{tag} rowspan="{cell.rowspan}" colspan="{cell.colspan}" class="el-table_1_column_{c + 1} '
                       f'{cls} el-table__cell"><div class="cell">{_split_numbers(cell.text)}</div></{tag}>')
        out.append("</tr>" + ("</thead>" if r + 1 == table.header_rows else ""))
    out.append("</tbody></table></div></div>")
    return "\n".join(out)


def _spa(site: Site, a: Article, page: Callable) -> str:
    body = "\n".join(_el_table(val) if kind == "table" else
                     f'<p style="text-align:right;line-height:2em;" data-v-5b1e07d4="">{esc(val)}</p>'
                     for kind, val in a.blocks)
    meta = "".join(f"<li><span>{esc(k)}：</span><span>{esc(v)}</span></li>" for k, v in a.meta.items())
    head = common.head(site, f"{a.title}-{site.title}", common.meta_tags(site, "政府信息公开年报", a),
                       ["/static/css/app.8f2d1c.css", "/static/css/chunk-vendors.4b7a90.css"])
    foot = "<br>\n".join(common.footer_lines(site))
    return f"""{head}<body>
<noscript><strong>本网站需要启用JavaScript才能正常浏览。</strong></noscript>
<div id="app" data-v-app=""><div class="layout-wrap" data-v-3c2a71f0="">
<header class="app-header" data-v-3c2a71f0=""><div class="logo"><img src="/static/img/logo.png" alt="{esc(site.title)}"><span>{esc(site.title)}</span></div>
<div class="header-tools"><a href="#/wza">无障碍</a><a href="#/zhb">关怀版</a><a href="#/search">搜索</a></div></header>
<div class="org-intro" data-v-3c2a71f0=""><div class="org-intro__name">机构职能</div><div class="text"><p>{FUNCTIONS_BLURB}</p><p>{UNITS_BLURB}</p></div></div>
<div class="sidebar-container" data-v-3c2a71f0="">
{_menu()}
</div>
<main class="app-main" data-v-3c2a71f0=""><div class="breadcrumb" data-v-5b1e07d4="">当前位置：<a href="#/">首页</a> &gt; <a href="#/xxgk">政府信息公开</a> &gt; <a href="#/xxgk/nb">政府信息公开年报</a></div>
<div class="detail-page" data-v-5b1e07d4="">
<div class="detail-title" data-v-5b1e07d4="">{esc(a.title)}</div>
<ul class="detail-meta" data-v-5b1e07d4="">{meta}</ul>
<div class="detail-body rich-text" data-v-5b1e07d4="">
{body}
</div>
<div class="detail-tools" data-v-5b1e07d4=""><span>分享到：</span><a href="javascript:;">微信</a><a href="javascript:;">微博</a><a href="javascript:window.print();">打印</a></div>
</div></main>
<footer class="app-footer" data-v-3c2a71f0=""><p>{foot}</p></footer>
</div></div>
<script src="/static/js/chunk-vendors.4b7a90.js"></script><script src="/static/js/app.8f2d1c.js"></script>
{common.gov_scripts(site)}</body>
</html>
"""


# Word's document properties, in the conditional comments Word writes and (as some editors leave
# them) with the comment delimiters stripped: a browser shows those as a line of junk
WORD_PROPS = ('<!--[if gte mso 9]><xml><o:DocumentProperties><o:Author>Administrator</o:Author>'
              '<o:LastAuthor>Administrator</o:LastAuthor><o:Revision>3</o:Revision><o:Pages>4</o:Pages>'
              '<o:Company>微软中国</o:Company></o:DocumentProperties></xml><![endif]-->'
              '<xml><w:WordDocument><w:View>Normal</w:View><w:Zoom>0</w:Zoom><w:PunctuationKerning/>'
              '<w:DrawingGridVerticalSpacing>7.8 磅</w:DrawingGridVerticalSpacing><w:DisplayHorizontalDrawingGridEvery>0'
              '</w:DisplayHorizontalDrawingGridEvery><w:DisplayVerticalDrawingGridEvery>2</w:DisplayVerticalDrawingGridEvery>'
              '<w:ValidateAgainstSchemas>false</w:ValidateAgainstSchemas><w:Compatibility><w:SpaceForUL/>'
              '</w:Compatibility><w:BrowserLevel>MicrosoftInternetExplorer4</w:BrowserLevel></w:WordDocument></xml>')
# a site header include that is a whole document of its own (a second <!DOCTYPE> and <html> mid-body)
TOP_INCLUDE = ('<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
               '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n<html xmlns="http://www.w3.org/1999/xhtml">'
               '<head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"><title>{site}</title>'
               '<link rel="stylesheet" href="/css/sub-top.css"></head>\n<body><div class="sub-top"><a href="/index.html">'
               '{site}</a> <a href="/xxgk/index.html">政府信息公开</a></div></body>\n</html>')


def _word_p(text: str, *, bold: bool = False, padded: bool = False, extra: str = "") -> str:
    inner = _split_numbers(text)
    if bold:
        inner = f'<b><span style="font-family:黑体;">{inner}</span></b>'
    pad = "&nbsp;" * 46 if padded else ""
    return (f'<p class="MsoNormal" style="text-indent:32.0pt;mso-char-indent-count:2.0;line-height:28.0pt;">'
            f'<span style="font-size:16.0pt;font-family:仿宋_GB2312;">{pad}{inner}{extra}</span>'
            f'<span lang="EN-US" style="font-size:16.0pt;"><o:p></o:p></span></p>')


def _word_body(a: Article, padded_date: bool = False, glued: str = "") -> str:
    "The blocks as Word pastes them; ``glued`` is appended inside the last paragraph."
    out = ['<?xml:namespace prefix = o ns = "urn:schemas-microsoft-com:office:office" />', WORD_PROPS]
    last = max(i for i, (kind, _) in enumerate(a.blocks) if kind in ("p", "sig"))
    for i, (kind, val) in enumerate(a.blocks):
        if kind == "table":
            out.append(tables.to_html(val, "word"))
        elif kind == "file":
            out.append(common.body_html([(kind, val)]))
        else:
            out.append(_word_p(val, bold=kind == "h", padded=padded_date and kind == "sig",
                               extra=glued if i == last else ""))
    return "\n".join(out)


def _glued_spam(words: str) -> str:
    "Links right after the sentence's full stop, nothing between them: an injection inside the <p>."
    return "".join(f'<a href="http://www.{i}8bet{i}.com/" target="_blank">{esc(w)}</a>'
                   for i, w in enumerate(words.split()))


def _word_trs(site: Site, a: Article, page: Callable) -> str:
    m = list(a.meta.items())
    rows = "\n".join("<tr>" + "".join(f'<th width="12%">{esc(k)}：</th><td width="38%">{esc(v)}</td>'
                                      for k, v in m[i:i + 2]) + "</tr>" for i in range(0, len(m), 2))
    body = f"""<div class="wrap main detail">
{TOP_INCLUDE.format(site=esc(site.title))}
<table class="xxgk-table" width="100%" border="0" cellspacing="0">
{rows}
</table>
<div class="article-title"><h1>{esc(a.title)}</h1>
<p class="info">发布时间：{a.date} {a.time[:5]}&nbsp;&nbsp;来源：{esc(a.source or site.title)}</p></div>
<div class="article-body"><div class="TRS_Editor"><div class="Custom_UnionStyle">
{_word_body(a, glued=_glued_spam(a.spam or ""))}
</div></div></div>
<div class="article-tools"><a href="javascript:window.print();">【打印本页】</a> <a href="javascript:window.close();">【关闭窗口】</a></div>
</div>"""
    crumbs = [("政府信息公开", "/xxgk/index.html"), ("政府信息公开年报", "/xxgk/zfxxgknb/index.html")]
    return page(site, f"{a.title}_{site.title}", "政府信息公开年报", body, a, crumbs).body


def _no_heading(site: Site, a: Article, page: Callable) -> str:
    "A detail page whose only title is the browser's <title> (with the site's name after it)."
    shape = a.shape
    byline = f"发布时间：{a.date}&nbsp;&nbsp;来源：{esc(a.source or site.title)}"
    meta = "".join(f"<p><strong>{esc(k)}</strong>：{esc(v)}</p>" for k, v in a.meta.items())
    if shape.get("hidden_block"):       # the 信息公开 block of the template, hidden and never filled
        meta = ('<div class="xxgk-meta" style="display:none"><p><strong>索引号</strong>：</p>'
                '<p><strong>发布机构</strong>：</p><p><strong>发布日期</strong>：</p></div>')
    elif meta:
        meta = f'<div class="xxgk-meta">{meta}</div>'
    share = ""
    if shape.get("share"):              # a share popup the template filled with another article
        share = (f'<div class="share-pop"><h3 class="share-title">{esc(shape["share"])}</h3>'
                 f'<p>分享到：<a href="javascript:;">微信</a> <a href="javascript:;">微博</a> '
                 f'<a href="javascript:;">QQ空间</a></p></div>')
    lead = common.lead_html(a.lead)
    if site.cms == "trs":
        text = f'<div class="TRS_Editor">{lead}{_word_body(a, padded_date=shape.get("padded_date", False))}</div>'
    elif site.cms == "hanweb":
        text = f'<div id="zoom"><meta name="ContentStart">{lead}{common.body_html(a.blocks)}<meta name="ContentEnd"></div>'
        meta, byline = _hanweb_meta(a), f"發布時間：{a.date}"
    else:
        text = f'<div class="article-content" id="content">{lead}{common.body_html(a.blocks, table_style="plain")}</div>'
    body = f"""<div class="container main detail">
{meta}
<div class="sub">{byline}</div>
{text}
<div class="tools"><a href="javascript:window.print()">【打印】</a><a href="javascript:window.close()">【关闭】</a></div>
{share}
</div>"""
    html = page(site, shape["browser_title"], "政府信息公开年报", body, a, []).body
    html = _swap(html, f'<meta name="ArticleTitle" content="{esc(a.title)}">\n', "")
    if shape.get("sitename_meta", True) is False:
        html = _swap(html, f'<meta name="SiteName" content="{esc(site.title)}">\n', "")
    if shape.get("site_name"):          # the name the <title> uses, shown only in the footer
        html = _swap(html, "</div></div>\n</body>", f'<p class="copyright">版权所有：{esc(shape["site_name"])}'
                     f"</p>\n</div></div>\n</body>")
    return html


def _hanweb_meta(a: Article) -> str:
    items = "&nbsp;&nbsp;&nbsp;&nbsp;".join(f'<span class="label">{esc(k)}：</span><span>{esc(v)}</span>'
                                            for k, v in a.meta.items())
    return f'<div class="xxgk_info">{items}</div>'

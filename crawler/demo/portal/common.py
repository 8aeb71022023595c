"""Chrome shared by the three CMS families: national meta tags, the scripts every gov page
carries (纠错, 党政机关标识, 统计), body blocks, and footer lines.

Chrome text is passed through `tr` so the Traditional (Big5) site can swap in its own words.
"""
from __future__ import annotations

from . import tables
from .model import Article, Site, esc, resolve_refs


def meta_tags(site: Site, column: str, art: Article | None = None, pubdate: str = "") -> str:
    """《政府网站发展指引》 meta tags. Detail pages add the article group."""
    tags = [("SiteName", site.title), ("SiteDomain", site.host), ("SiteIDCode", site.site_id),
            ("ColumnName", column), ("ColumnType", "")]
    if art is not None:
        tags += [("ArticleTitle", art.title), ("PubDate", pubdate or f"{art.date} {art.time[:5]}"),
                 ("ContentSource", art.source or site.title), ("Keywords", ""),
                 ("Author", ""), ("Description", ""), ("Url", "")]
    return "\n".join(f'<meta name="{k}" content="{esc(v)}">' for k, v in tags)


def head(site: Site, title: str, metas: str, css: list[str]) -> str:
    links = "\n".join(f'<link rel="stylesheet" type="text/css" href="{c}">' for c in css)
    return (f'<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
            f'"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n'
            f'<html xmlns="http://www.w3.org/1999/xhtml">\n<head>\n'
            f'<meta http-equiv="Content-Type" content="text/html; charset={site.charset}">\n'
            f'<meta http-equiv="X-UA-Compatible" content="IE=edge">\n'
            f"<title>{esc(title)}</title>\n{metas}\n{links}\n"
            f'<script type="text/javascript" src="/js/jquery-1.8.3.min.js"></script>\n</head>\n')


def gov_scripts(site: Site) -> str:
    """Footer scripts a cleaner must drop: 纠错, 党政机关标识 (conac), visit statistics."""
    return (f'<span id="_ideConac"></span>\n'
            f'<script type="text/javascript">document.write(unescape("%3Cspan id=\'_ideConac\' '
            f'%3E%3C/span%3E%3Cscript src=\'https://dcs.conac.cn/js/05/000/0000/60429971/CA050000000'
            f'604299710002.js\' type=\'text/javascript\'%3E%3C/script%3E"));</script>\n'
            f'<script id="_jiucuo_" sitecode="{site.site_id}" '
            f'src="https://zfwzgl.www.gov.cn/exposure/jiucuo.js"></script>\n'
            f"<script>\nvar _hmt = _hmt || [];\n(function() {{\n  var hm = document.createElement("
            f'"script");\n  hm.src = "https://hm.baidu.com/hm.js?{site.site_id}a7c2b0e9";\n'
            f'  var s = document.getElementsByTagName("script")[0];\n  s.parentNode.insertBefore('
            f"hm, s);\n}})();\n</script>\n")


def footer_lines(site: Site, tr=lambda s: s) -> list[str]:
    return [
        f"{tr('主办单位')}：{site.host_org}&nbsp;&nbsp;{tr('承办单位')}：{site.run_org}",
        f'<a href="/sitemap.html">{tr("站点地图")}</a>&nbsp;&nbsp;{tr("联系电话")}：{site.phone}',
        f"{tr('网站标识码')}：{site.site_id}&nbsp;&nbsp;"
        f'<a href="https://beian.miit.gov.cn/" target="_blank">{site.icp}</a>&nbsp;&nbsp;'
        f'<a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode='
        f'{"".join(c for c in site.police if c.isascii() and c.isdigit())}" target="_blank"><img src="/images/gaba.png" alt="">{site.police}</a>'
        f"&nbsp;&nbsp;{tr('网站支持IPv6访问')}",
    ]


def body_html(blocks, indent: str = "", table_style: str = "word") -> str:
    """Report body. `indent` is the U+3000 pair TRS editors put before each paragraph."""
    out = []
    for kind, val in blocks:
        if kind == "table":
            out.append(tables.to_html(val, table_style))
        elif kind == "h":
            out.append(f'<p style="text-indent:2em;line-height:2em;"><strong>{esc(val)}</strong></p>')
        elif kind == "sig":
            out.append(f'<p style="text-align:right;line-height:2em;">{esc(val)}</p>')
        elif kind == "file":
            out.append(f'<p style="text-indent:2em;line-height:2em;"><span style="font-family:'
                       f'仿宋_GB2312;font-size:16pt;">{indent}{esc(val.label)}<a href="{esc(val.href)}" '
                       f'target="_blank">{esc(val.name)}</a></span></p>')
        elif kind == "center":
            out.append(f'<p style="text-align:center;"><strong><span style="font-size:22px;">'
                       f"{esc(val)}</span></strong></p>")
        else:
            out.append(f'<p style="text-indent:2em;line-height:2em;"><span style="font-family:'
                       f'仿宋_GB2312;font-size:16pt;">{indent}{esc(val)}</span></p>')
    return "\n".join(out)


def extra_links(site: Site, page: str) -> str:
    """The site's ExtraLinks for `page` ('home' | 'section') as a 专题 box; '' when it has none, so
    the pages of a site without extra links stay as they were."""
    items = [f'<li><a href="{esc(resolve_refs(site, x.href))}" target="_blank">{esc(x.text)}</a></li>'
             for x in site.links if x.page == page]
    return '\n<div class="zt-links"><ul>\n' + "\n".join(items) + "\n</ul></div>\n" if items else ""


def lead_html(blocks) -> str:
    """Title copy at the top of the body, centred and bold, as report editors paste it."""
    return "\n".join(f'<p style="text-align:center;"><strong><span style="font-size:22px;">'
                     f"{esc(v)}</span></strong></p>" for _, v in blocks)


def spam_block(art: Article) -> tuple[str, str]:
    """The injected keyword run: (inside the page, after </html>)."""
    if not art.spam:
        return "", ""
    links = " ".join(f'<a href="http://www.{i}7788bet.com/">{esc(w)}</a>'
                     for i, w in enumerate(art.spam.split()))
    if art.spam_mode == "after_html":
        return "", f"\n<div>{links}</div>\n"
    return f'<div style="display:none">{links}</div>\n', ""


def neighbours(arts: list[Article], art: Article) -> tuple[Article | None, Article | None]:
    i = arts.index(art)
    return (arts[i - 1] if i > 0 else None), (arts[i + 1] if i + 1 < len(arts) else None)


def column_articles(site: Site, column: str) -> list[Article]:
    """Newest first, as every CMS lists them."""
    arts = [a for a in site.articles if a.column == column]
    return sorted(arts, key=lambda a: (a.date, a.serial), reverse=True)


def pages_of(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)] or [[]]


# --- metadata block layouts an Article can ask for (issue 6), whatever its CMS ----------------------
# `a.meta` keys are the labels as a reader names them; a layout may print them spaced (索 引 号).

_UCAP_CLASS = {"索引号": "IndexNo", "主题分类": "SubCat", "发布机构": "Publisher", "成文日期": "WrittenDate",
               "文号": "DocNo", "发布日期": "PubDate", "公开方式": "OpenType"}
_UCAP_SHOWN = {"索引号": "索 引 号", "文号": "文　　号"}  # spaced as UCAP templates print them


def _ucap_dl(a: Article) -> str:
    """UCAP (开普云): one <dd> per pair, the label in <label><font>, the value in a display-block div."""
    dds = "\n".join(f'<dd class="{_UCAP_CLASS.get(k, "Item")}"><label><font>{esc(_UCAP_SHOWN.get(k, k))}：</font>'
                    f'</label><div class="display-block">{esc(v)}</div></dd>' for k, v in a.meta.items())
    return f'<div class="meta-data"><dl>\n{dds}\n</dl></div>'


def _table_2col(a: Article) -> str:
    """Label cell, value cell, one pair a row; labels without a colon, an empty value cell kept."""
    rows = "\n".join(f'<tr><td class="xxgk-lab" width="20%">{esc(k)}</td><td class="xxgk-val">{esc(v)}</td></tr>'
                     for k, v in a.meta.items())
    return (f'<table class="xxgk-info" width="100%" border="1" cellspacing="0" cellpadding="4">\n'
            f"<tbody>\n{rows}\n</tbody></table>")


def _li(a: Article) -> str:
    """`<li>label：value</li>` items in a list."""
    items = "\n".join(f"<li>{esc(k)}：{esc(v)}</li>" for k, v in a.meta.items())
    return f'<div class="xxgk-info"><ul>\n{items}\n</ul></div>'


def _table_4col(a: Article) -> str:
    """Two pairs a row: label, value, label, value (the labels without colons)."""
    cells = list(a.meta.items())
    rows = []
    for i in range(0, len(cells), 2):
        rows.append("<tr>" + "".join(f'<td class="xxgk-lab">{esc(k)}</td><td class="xxgk-val">{esc(v)}</td>'
                                      for k, v in cells[i:i + 2]) + "</tr>")
    return ('<table class="xxgk_table" width="100%" border="1" cellspacing="0">\n<tbody>\n'
            + "\n".join(rows) + "\n</tbody></table>")


META_LAYOUTS = {"ucap-dl": _ucap_dl, "table-2col": _table_2col, "li": _li, "table-4col": _table_4col}


def meta_layout(a: Article) -> str:
    return META_LAYOUTS[a.layout](a)

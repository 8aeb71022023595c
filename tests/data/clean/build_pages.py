"""Build the cleaner's labelled set: report pages in several CMS shapes, made from the seeds.

Run `python tests/data/clean/build_pages.py` to rewrite pages/ and manifest.json. The expected
text of each page comes from the seed text and from this builder's own choices (which lines it
placed as chrome, metadata, title or spam), never from the cleaner. Deterministic.
"""
from __future__ import annotations

import html as htmllib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEEDS = HERE / "seeds"

# injected spam runs (seed 004's own tail, and a second lexicon-style run)
SPAM_RUN_004 = ("(^ω^)MG躲猫猫app 360彩票论坛 310v大赢家比分篮 比特币走势哪里看 2014麻将游戏下载 3d福彩中奖号码是336 "
                "江西快三中奖 梅西巴萨总进球数 山东时时彩官方开奖 北京11选5走势图一定 德国对瑞典比分预测 预测2021年狗狗币趋势 "
                "天津麻将下载 体育彩票查中了几元怎么查 新疆25选7开奖公告 六场半全场奖金是多少 广西快乐十分猜尾数")
SPAM_RUN_B = ("北京赛车pk10 时时彩平台 澳门葡京娱乐 百家乐技巧 体育投注app下载 足彩比分直播 六合彩开奖结果 "
              "捕鱼游戏官网 真人棋牌 网投开户注册送彩金")
LOTTERY_SENTENCE = "本年度协助民政、体育部门公开福利彩票和体育彩票公益金使用情况2次，未收到相关投诉。"


@dataclass
class Page:
    "One labelled page under construction: HTML parts and the expected lines, side by side."
    name: str
    title: str
    encoding: str = "utf-8"
    html: list[str] = field(default_factory=list)
    expected: list[str] = field(default_factory=list)
    chrome: list[str] = field(default_factory=list)
    spam: list[str] = field(default_factory=list)
    notes: str = ""

    def raw(self, *parts: str) -> None:
        self.html.extend(parts)

    def chrome_line(self, text: str, tag: str = "div", attrs: str = "") -> None:
        "Visible chrome: in the page, never expected, checked for leaks."
        self.html.append(f"<{tag}{attrs}>{esc(text)}</{tag}>")
        self.chrome.append(text)

    def spam_run(self, run: str) -> None:
        self.spam.extend(run.split())


def esc(text: str) -> str:
    return htmllib.escape(text, quote=False)


def collapse(text: str) -> str:
    return " ".join(text.split())


def seed(prefix: str) -> list[str]:
    path = next(SEEDS.glob(prefix + "_*.txt"))
    return path.read_text(encoding="utf-8").split("\n")


# --- seed text -> blocks ------------------------------------------------------------------

def blocks(lines: list[str]) -> list[tuple[str, object]]:
    """Seed lines -> ('p', text) and ('table', rows); a row is its list of non-empty cells.

    Two flattenings occur (domain.md §4.7): one row per line with '|' between cells, and one
    cell per line ending in '|' with rows separated by pipe-only lines (seed 001).
    """
    out: list[tuple[str, object]] = []
    run: list[str] = []

    def close() -> None:
        if run:
            out.append(("table", table_rows(run)))
            run.clear()

    for line in lines:
        if "|" in line:
            if run and ("勾稽" in line or line.startswith(("行政复议", "行政復議", "附件2"))):
                close()                      # the forms are separate tables on a page
            run.append(line)
            continue
        close()
        if line.strip():
            out.append(("p", collapse(line)))
    close()
    return out


def table_rows(lines: list[str]) -> list[list[str]]:
    if any(set(l.strip()) <= {"|"} for l in lines):      # one cell per line
        rows: list[list[str]] = [[]]
        for line in lines:
            cell = collapse(line.strip().rstrip("|"))
            if cell:
                rows[-1].append(cell)
            elif rows[-1]:
                rows.append([])
        return [r for r in rows if r]
    return [[collapse(c) for c in l.split("|") if c.strip()] for l in lines if l.replace("|", "").strip()]


# --- rows -> HTML with the template's rowspan/colspan ---------------------------------------

_GROUP3 = re.compile(r"^三、本年度")
_SUBGROUP = re.compile(r"^\([三四五]\)")
_WIDE2 = re.compile(r"^\([一二六七]\)")
_WIDE3 = re.compile(r"^[一二四]、")
_CHILD = re.compile(r"^\d\.")


def spans_for(rows: list[list[str]]) -> list[list[tuple[str, int, int]]]:
    "Give each cell (text, colspan, rowspan) the way the official forms are drawn (domain.md §4.4-4.5)."
    width = max(len(r) for r in rows)
    out = [[(c, 1, 1) for c in r] for r in rows]
    if any("勾稽" in c for r in rows for c in r):           # section 三
        width = 10
        for i, r in enumerate(rows):
            first = r[0]
            if "勾稽" in first:
                out[i] = [(first, 3, 3), (r[1], 7, 1)] if len(r) > 1 else [(first, 10, 1)]
            elif first.startswith("自然人"):
                out[i] = [(r[0], 1, 2), (r[1], 5, 1)] + [(c, 1, 2) for c in r[2:]]
            elif _GROUP3.match(first):
                n = next((k for k in range(i, len(rows)) if rows[k][0].startswith("(七)")), i) - i + 1
                out[i] = [(first, 1, n), (r[1], 2 if _WIDE2.match(r[1]) else 1, 1)] + [(c, 1, 1) for c in r[2:]]
            elif _SUBGROUP.match(first) and len(r) >= 2 and _CHILD.match(r[1]):
                n = 1
                while i + n < len(rows) and _CHILD.match(rows[i + n][0]):
                    n += 1
                out[i] = [(first, 1, n)] + [(c, 1, 1) for c in r[1:]]
            elif _WIDE2.match(first):
                out[i] = [(first, 2, 1)] + [(c, 1, 1) for c in r[1:]]
            elif _WIDE3.match(first):
                out[i] = [(first, 3, 1)] + [(c, 1, 1) for c in r[1:]]
    elif rows[0][0].startswith(("行政复议", "行政復議")) and len(rows) >= 3:   # section 四
        width = 15
        out[0] = [(rows[0][0], 5, 1)] + [(c, 10, 1) for c in rows[0][1:]]
        out[1] = [(c, 1, 2) for c in rows[1][:5]] + [(c, 5, 1) for c in rows[1][5:]]
    for r in out:                                   # short rows: the last cell spans the rest
        used = sum(cs for _, cs, _ in r)
        if r and used < width and r[-1][2] == 1 and not r[-1][0][:1].isdigit():
            text, cs, rs = r[-1]
            r[-1] = (text, cs + width - used, rs)
    return out


def table_html(rows: list[list[str]], attrs: str = ' border="1" cellspacing="0"', word: bool = False) -> str:
    parts = [f"<table{attrs}><tbody>"]
    for r in spans_for(rows):
        parts.append("<tr>")
        for text, cs, rs in r:
            span = (f' colspan="{cs}"' if cs > 1 else "") + (f' rowspan="{rs}"' if rs > 1 else "")
            inner = f'<p class="MsoNormal" align="center"><span style="font-size:10.5pt">{esc(text)}</span></p>' \
                if word else esc(text)
            parts.append(f"<td{span}>{inner}</td>")
        parts.append("</tr>")
    parts.append("</tbody></table>")
    return "".join(parts)


def row_lines(rows: list[list[str]]) -> list[str]:
    "Expected text of a table: one line per row, each cell once where it starts, joined by ' | '."
    return [" | ".join(text for text, _, _ in r) for r in spans_for(rows) if any(text for text, _, _ in r)]


_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\))")


def body(page: Page, items: list[tuple[str, object]], style: str) -> None:
    "Emit seed blocks as body HTML in one of several house styles, and their expected lines."
    for kind, value in items:
        if kind == "table":
            page.raw(table_html(value, word=(style == "word")))
            page.expected.extend(row_lines(value))
            continue
        text = str(value)
        page.expected.append(text)
        if style == "br":
            page.raw(f"　　{esc(text)}<br/>\n")
        elif _HEADING.match(text) and len(text) < 40:
            page.raw(f"<p><strong>{esc(text)}</strong></p>\n" if style == "word" else f"<h3>{esc(text)}</h3>\n")
        elif style == "word":
            spans = re.sub(r"(\d+)", r'</span><span lang="EN-US">\1</span><span>', esc(text))
            page.raw(f'<p class="MsoNormal" style="text-indent:32pt"><span>{spans}</span></p>\n')
        else:
            page.raw(f'<p style="text-indent:2em">　　{esc(text)}</p>\n')


# --- shared chrome ---------------------------------------------------------------------------

def head(page: Page, charset: str, extra: str = "") -> None:
    page.raw(f'<!DOCTYPE html>\n<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">'
             f"<title>{esc(page.title)}_政府信息公开</title>{extra}"
             '<style>.nav-hide{display:none}</style>'
             "<script>var _hmt=_hmt||[];document.write('<span>访问统计</span>');</script></head>\n<body>\n")


def top_chrome(page: Page, site: str, crumb: str = "您当前的位置：首页 > 政府信息公开 > 政府信息公开年报") -> None:
    page.raw('<div class="top"><a href="/">无障碍浏览</a> <a href="/big5/">繁體版</a> <a href="/m/">移动版</a></div>')
    page.chrome.extend(["无障碍浏览", "繁體版"])
    page.raw(f'<div class="header"><h1 class="logo">{esc(site)}</h1><ul class="nav">'
             '<li><a href="/">网站首页</a></li><li><a href="/zwgk/">政务公开栏目</a></li>'
             '<li><a href="/hdjl/">互动交流</a></li><li><a href="/bsfw/">办事服务</a></li></ul></div>\n')
    page.chrome.extend(["网站首页", "互动交流"])
    page.chrome_line(crumb, attrs=' class="crumb"')


def footer(page: Page, site: str, code: str, icp: str, phone: str) -> None:
    page.raw('<div class="footer">')
    page.raw('<p><a href="/wzdt/">网站地图</a> | <a href="/lxwm/">联系我们</a> | <a href="/sm/">网站声明</a></p>')
    page.chrome.extend(["网站地图", "网站声明"])
    page.chrome_line(f"主办单位：{site}办公室 承办单位：{site}大数据中心", "p")
    page.chrome_line(f"联系电话：{phone} 地址：{site}政务大楼", "p")
    page.chrome_line(f"网站标识码：{code} {icp} 公网安备 15072402000013号", "p")
    page.raw('<a href="http://www.hanweb.com" style="display:none">Produced By 大汉网络 大汉版通发布系统</a>')
    page.raw("</div>\n")


def widgets(page: Page) -> None:
    page.chrome_line("【字体：大 中 小】【打印本页】【关闭窗口】", attrs=' class="tools"')
    page.chrome_line("扫一扫在手机上查看当前页面", attrs=' class="qr"')
    page.chrome_line("上一篇：关于做好2021年政务公开工作的通知", attrs=' class="prev"')
    page.chrome_line("下一篇：2019年政府信息公开工作年度报告", attrs=' class="next"')


def metadata_table(page: Page, pairs: list[tuple[str, str]]) -> None:
    cells = "".join(f"<tr><th>{esc(a)}</th><td>{esc(b)}</td><th>{esc(c)}</th><td>{esc(d)}</td></tr>"
                    for (a, b), (c, d) in zip(pairs[::2], pairs[1::2]))
    page.raw(f'<table class="xxgk_table">{cells}</table>\n')
    page.chrome.extend(v for _, v in pairs if len(v) >= 8)   # the longer values must not leak


# --- the pages ---------------------------------------------------------------------------

def hanweb_000() -> Page:
    "Hanweb: ContentStart/ContentEnd + $[信息内容] in div#zoom, metadata table and chrome outside, hidden spam."
    lines = seed("000")
    p = Page("hanweb_000", "鄂温克旗政务服务局2020年政府信息公开工作年度报告",
             notes="Hanweb markers; rowspan/colspan tables; footer + hidden spam outside the body")
    head(p, "utf-8", "<meta name='Generator' content='大汉版通'><meta name='ContentStart'>")
    top_chrome(p, "鄂温克族自治旗人民政府")
    p.raw(f"<div class='title'><!--<$[标题名称]>begin-->{esc(p.title)}<!--<$[标题名称]>end--></div>")
    metadata_table(p, [("索引号", "1150072400/2021-00012"), ("发布机构", "鄂温克旗政务服务局"),
                       ("发布日期", "2021-01-25"), ("主题分类", "政府信息公开年报")])
    p.raw('<div id="zoom" class="bt_content"><!--<$[信息内容]>begin--><!--ZJEG_RSS.content.begin-->'
          '<meta name="ContentStart">\n')
    body(p, blocks(lines[:102]), "plain")
    p.raw('<meta name="ContentEnd"><!--ZJEG_RSS.content.end--><!--<$[信息内容]>end--></div>\n')
    widgets(p)
    footer(p, "鄂温克族自治旗人民政府", "1507240004", "蒙ICP备2021001176号", "0470-8812282")
    p.raw(f'<div style="display:none">{esc(SPAM_RUN_B)}</div>')
    p.spam_run(SPAM_RUN_B)
    p.raw("</body></html>\n")
    return p


def trs_001() -> Page:
    "TRS: div.TRS_Editor, Word-pasted markup, GB18030 bytes, off-screen spam inside the container."
    lines = seed("001")
    p = Page("trs_001", "三明市梅列区2020年政府信息公开工作年度报告", encoding="gb18030",
             notes="TRS_Editor; Word markup; GB18030; spam hidden off-screen inside the body container")
    head(p, "gb2312", '<meta name="ArticleTitle" content="三明市梅列区2020年政府信息公开工作年度报告">')
    top_chrome(p, "三明市梅列区人民政府", "当前位置：首页 » 政务公开 » 政府信息公开年报")
    p.raw(f'<div class="article-body"><h2 class="title">{esc(p.title)}</h2>')
    p.chrome_line("时间：2021-01-28 09:12 来源：梅列区政府办", attrs=' class="byline"')
    p.raw('<div class="TRS_Editor"><style>.TRS_Editor P{line-height:1.5}</style>\n')
    items = blocks(lines[:-1])
    body(p, items[:20], "word")
    p.raw('<div style="position:absolute;left:-9999px;top:-9999px">'
          + "".join(f'<a href="http://x.example/{i}">{esc(t)}</a>' for i, t in enumerate(SPAM_RUN_004.split()))
          + "</div>")
    p.spam_run(SPAM_RUN_004)
    body(p, items[20:], "word")
    p.raw("</div></div>\n")
    p.chrome_line(lines[-1].strip(), attrs=' class="qr"')   # the seed's own trailing chrome line
    p.raw('<div class="share">分享到：<a>微信</a><a>微博</a></div>')
    footer(p, "三明市梅列区人民政府", "3504030001", "闽ICP备05021443号", "0598-8222235")
    p.raw("</body></html>\n")
    return p


def ucap_002() -> Page:
    "UCAP: meta-data dl (spaced labels) outside <ucapcontent>; Traditional; spam appended after </html>."
    lines = seed("002")
    p = Page("ucap_002", "渭南市行政審批服務局2020年政府信息公開工作年度報告",
             notes="UCAP dl metadata; Traditional with pinyin (kept as published); link-farm after </html>")
    head(p, "utf-8")
    top_chrome(p, "渭南市人民政府", "您當前所在位置：首頁 > 信息公開 > 政府信息公開年報")
    p.raw('<div class="meta-data"><dl>'
          '<dd class="addWidth IndexNo"><label><font>索 引 號：</font></label><div class="display-block">\n'
          '  11610500MB2955861Q/2021-00003\n</div></dd>'
          '<dd class="addWidth ReleaseMechanism"><label><font>發布機構：</font></label><div>渭南市行政審批服務局</div></dd>'
          '<dd class="scrq"><label><font>發文日期：</font></label><div>2021-01-29</div></dd>'
          '<dd class="gkfs"><label><font>公開方式：</font></label><div>主動公開</div></dd></dl></div>\n')
    p.chrome.extend(["11610500MB2955861Q/2021-00003", "發文日期"])
    p.raw(f'<h1 class="article-title"><ucaptitle>{esc(p.title)}</ucaptitle></h1>')
    p.raw('<div id="zoomcon" class="article-content"><ucapcontent>\n')
    body(p, blocks(lines), "plain")
    p.raw('</ucapcontent><div class="fj-a" style="display:none">附件：</div></div>\n')
    p.chrome_line("關聯稿件：", attrs=' class="related"')
    widgets(p)
    footer(p, "渭南市人民政府", "6105000001", "陕ICP备05001571号", "0913-2933101")
    p.raw("</body></html>\n")
    p.raw("<div>" + "".join(f'<a href="http://spam.example/{i}">{esc(t)}</a>' for i, t in enumerate(SPAM_RUN_B.split()))
          + "</div>\n")
    p.spam_run(SPAM_RUN_B)
    return p


def plain_003() -> Page:
    "No known container: old table layout, metadata table + split title inside the content cell (trafilatura path)."
    lines = seed("003")
    p = Page("plain_003", "腾冲市政务服务管理局2018年政府信息公开年度报告", encoding="gb18030",
             notes="table layout, no CMS container; metadata as a table; title split over two lines")
    head(p, "gbk")
    p.raw('<table width="1000" align="center"><tr><td>')
    top_chrome(p, "腾冲市人民政府", "您现在的位置：首页 > 政府信息公开 > 政府信息公开年报")
    p.raw('</td></tr><tr><td class="main_td"><div class="wz_box">\n')
    meta_rows = [[c for c in l.split("|") if c.strip()] for l in lines[:3]]
    p.raw("<table class='xxgk'>" + "".join("<tr>" + "".join(f"<td>{esc(c.strip())}</td>" for c in r) + "</tr>"
                                          for r in meta_rows) + "</table>\n")
    p.chrome.append("56883603-8-/2019-0111001")
    p.raw(f"<p align='center'><b>{esc(lines[3].strip())}</b></p><p align='center'><b>{esc(lines[4].strip())}</b></p>\n")
    body(p, blocks(lines[5:]), "plain")
    p.raw("</div></td></tr><tr><td>")
    widgets(p)
    footer(p, "腾冲市人民政府", "5305810001", "滇ICP备05007325号", "0875-5136066")
    p.raw("</td></tr></table></body></html>\n")
    return p


def hanweb_004() -> Page:
    "Old Hanweb: breadcrumb, metadata label lines, bylines, Produced By and a VISIBLE spam run all inside #zoom."
    lines = seed("004")
    p = Page("hanweb_004", "2014年度政府信息公開年度報告", encoding="utf-8",
             notes="everything in one container: line-level chrome/metadata/spam removal; <br> paragraphs")
    head(p, "utf-8")
    p.raw('<div id="zoom">\n')
    crumb = collapse(lines[0]) + " " + collapse(lines[1])
    p.raw(f"{esc(collapse(lines[0]))}<br/>{esc(collapse(lines[1]))}<br/>\n")
    p.chrome.extend([crumb.split()[0], "旗行署信息公開年報"])
    p.raw("<table><tr><td>" + "</td></tr><tr><td>".join(esc(collapse(l)) for l in lines[2:5]) + "</td></tr></table>\n")
    p.chrome.extend(["11152923011767792B/2015-00001", "組配分類", "2015-03-24 10:28:10"])
    p.raw(f"<p align='center'><strong>{esc(collapse(lines[6]))}</strong></p>\n")
    body(p, blocks(lines[7:54]), "br")
    p.raw("<div class='bylines'>編輯:<br/>信息來源:</div>\n")
    p.chrome.append("信息來源:")
    p.raw(f"<div class='foot'>Produced By 大漢網絡 大漢版通發布系統 {esc(SPAM_RUN_004)}</div>\n")
    p.chrome.append("Produced By")
    p.spam_run(SPAM_RUN_004)
    p.raw("</div></body></html>\n")
    return p


def trs_000_spam() -> Page:
    "TRS_UEDITOR: a visible spam paragraph injected mid-body, inline font-size:0 and opacity:0 spam; a real lottery sentence."
    lines = seed("000")
    p = Page("trs_000_spam", "2020年政府信息公开工作年度报告",
             notes="visible spam run inside the body; zero-size and transparent spam; 福利彩票 sentence must stay")
    head(p, "utf-8")
    top_chrome(p, "鄂温克族自治旗人民政府")
    p.raw(f'<div class="view TRS_UEDITOR trs_paper_default trs_word"><p>{esc(p.title)}</p>\n')
    p.expected.append(p.title)   # a leading title copy: the measure ignores it either way
    items = blocks(lines[:70])
    body(p, items[:5], "plain")
    p.raw(f'<p>{esc(SPAM_RUN_B)}</p>\n')
    p.spam_run(SPAM_RUN_B)
    p.raw(f"<p>{esc(LOTTERY_SENTENCE)}</p>\n")
    p.expected.append(LOTTERY_SENTENCE)
    body(p, items[5:8], "plain")
    p.raw('<p>近年来持续推进政务公开<span style="font-size:0px">' + esc("澳门葡京 时时彩 六合彩 百家乐 真人棋牌")
          + '</span>标准化规范化建设。</p>\n')
    p.expected.append("近年来持续推进政务公开标准化规范化建设。")
    p.spam.extend(["澳门葡京", "六合彩", "真人棋牌"])
    p.raw('<ul style="opacity:0">' + "".join(f"<li>{esc(t)}</li>" for t in SPAM_RUN_004.split()[:8]) + "</ul>\n")
    body(p, items[8:], "plain")
    p.raw("</div>\n")
    footer(p, "鄂温克族自治旗人民政府", "1507240004", "蒙ICP备2021001176号", "0470-8812282")
    p.raw("</body></html>\n")
    return p


def content_001_generic() -> Page:
    "Generic .content container (no CMS marker), hidden-attribute spam, chrome lines inside the container."
    lines = seed("001")
    p = Page("content_001", "梅列区2020年政府信息公开工作年度报告",
             notes="generic div.content; chrome lines and empty bylines inside the container")
    head(p, "utf-8")
    top_chrome(p, "三明市梅列区人民政府")
    p.raw('<div class="container"><div class="content">\n')
    p.chrome_line("当前位置：首页 > 信息公开 > 年度报告", "p")
    p.raw(f"<h2>{esc(p.title)}</h2>\n")
    body(p, blocks(lines[:-1]), "plain")
    p.raw(f'<div hidden>{esc(SPAM_RUN_B)}</div>\n')
    p.spam_run(SPAM_RUN_B)
    p.raw("<p>责任编辑：</p>")
    p.chrome_line("【打印本页】 【关闭窗口】", "p")
    p.chrome_line("扫一扫在手机上查看当前页面", "p")
    p.raw("</div>\n<div class='side'><h4>相关链接</h4><ul><li><a>国务院办公厅政府信息公开</a></li></ul></div></div>\n")
    footer(p, "三明市梅列区人民政府", "3504030001", "闽ICP备05021443号", "0598-8222235")
    p.raw("</body></html>\n")
    return p


def ucap_003_gongbao() -> Page:
    "#UCAP-CONTENT like gov.cn: an included header closes </html> early; the title is the first body <p> split by <br>."
    lines = seed("003")
    p = Page("ucap_003_gongbao", "腾冲市政务服务管理局2018年政府信息公开年度报告",
             notes="early </html> from an included header (realpage 03); title copy split over <br>")
    head(p, "utf-8")
    p.raw('<div class="header"><a href="/">首页</a> <a href="/zhengce/">政策</a></div></body></html>\n')
    p.raw('<div class="pages_content" id="UCAP-CONTENT">\n')
    p.raw(f"<p>{esc(lines[3].strip())}<br>{esc(lines[4].strip())}</p>\n")
    body(p, blocks(lines[5:]), "plain")
    p.raw("</div>\n")
    p.chrome_line("扫一扫在手机打开当前页", attrs=' class="qr"')
    p.chrome_line("主办单位：国务院办公厅 运行维护单位：中国政府网运行中心", attrs=' class="foot"')
    p.chrome_line("版权所有：中国政府网 京ICP备05070218号", attrs=' class="foot"')
    p.raw("</body></html>\n")
    return p


def layout_002() -> Page:
    "Nested layout tables, no container class, left nav column, data tables inside the content cell."
    lines = seed("002")
    p = Page("layout_002", "渭南市行政審批服務局2020年政府信息公開工作年度報告", encoding="utf-8",
             notes="nested layout tables and a nav column; no known container (trafilatura path)")
    head(p, "utf-8")
    p.raw('<table width="100%"><tr><td colspan="2">')
    top_chrome(p, "渭南市人民政府", "當前位置：首頁 > 政府信息公開 > 年度報告")
    p.raw('</td></tr><tr><td class="left" width="220"><ul>'
          + "".join(f"<li><a href='/c{i}/'>{esc(t)}</a></li>" for i, t in enumerate(
              ("機構職能", "政策文件", "規劃計劃", "財政資金", "人事信息", "政府信息公開指南", "政府信息公開制度")))
          + '</ul></td><td><table width="100%"><tr><td align="center">'
          + f"<font size='4'><b>{esc(p.title)}</b></font></td></tr>"
          + '<tr><td align="center">發布時間：2021-01-29 瀏覽次數：326</td></tr><tr><td class="wzcon">\n')
    p.chrome.extend(["機構職能", "規劃計劃", "瀏覽次數：326"])
    body(p, blocks(lines), "plain")
    p.raw("</td></tr></table></td></tr><tr><td colspan='2'>")
    footer(p, "渭南市人民政府", "6105000001", "陕ICP备05001571号", "0913-2933101")
    p.raw("</td></tr></table></body></html>\n")
    return p


BUILDERS = (hanweb_000, trs_001, ucap_002, plain_003, hanweb_004, trs_000_spam, content_001_generic,
            ucap_003_gongbao, layout_002)


def _key(text: str) -> str:
    return re.sub(r"\s+", "", text)


def build(out: Path = HERE) -> list[dict]:
    "Write pages/ and manifest.json under ``out`` (the test of determinism builds into a tmp dir)."
    pages = out / "pages"
    pages.mkdir(parents=True, exist_ok=True)
    manifest = []
    for make in BUILDERS:
        page = make()
        expected = "\n".join(page.expected) + "\n"
        body_key = _key(expected)
        # a chrome string that also occurs in the report text cannot prove a leak
        chrome = sorted({c for c in page.chrome if c and _key(c) not in body_key})
        spam = sorted({t for t in page.spam if _key(t) not in body_key})
        html_name, exp_name = f"{page.name}.html", f"{page.name}.expected.txt"
        (pages / html_name).write_bytes("".join(page.html).encode(page.encoding))
        (pages / exp_name).write_bytes(expected.encode("utf-8"))
        manifest.append({"name": page.name, "html": f"pages/{html_name}", "expected": f"pages/{exp_name}",
                         "encoding": page.encoding, "title": page.title, "chrome": chrome, "spam": spam,
                         "notes": page.notes})
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return manifest


if __name__ == "__main__":
    for entry in build():
        print(entry["name"], entry["encoding"], len(entry["chrome"]), "chrome,", len(entry["spam"]), "spam tokens")

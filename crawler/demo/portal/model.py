"""Data model of the demo portal: sites, articles (report or not) and tables.

Everything the generator writes is derived from these specs, so a later issue adds a case by
appending an Article (or a raw File) to a site's list instead of editing templates.
"""
from __future__ import annotations

import codecs
import html
import re
from dataclasses import dataclass, field

CJK = "\u3400-\u9fff\uf900-\ufaff"
# Pinyin annotations as the spin tool writes them after a character: 網(wǎng). Lower-case Latin
# with tone marks only, so (APP), (GDP) and (一) never match.
PINYIN_RE = re.compile(rf"(?<=[{CJK}])\(([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{{1,6}})\)")


def strip_pinyin(text: str) -> tuple[str, int]:
    """Remove the annotations (the expected text is stored without them, per contract)."""
    return PINYIN_RE.subn("", text)


_LATIN_ONLY = re.compile(r"[A-Za-z\u00c0-\u024f]+")


def fw(text: str) -> str:
    """Undo the seeds' NFKC: real pages use full-width ，：；（） around Chinese text.

    ASCII stays where a real page keeps it too: times and ratios (17:22:03, 1.1:50.3), digit
    groups, and the spin tool's (wǎng) annotations, which are ASCII brackets on the mirrors.
    """
    def paren(m: re.Match) -> str:
        inner = m.group(1)
        if _LATIN_ONLY.fullmatch(inner):
            return m.group(0)
        return "（" + inner + "）"

    keep: list[str] = []

    def protect(m: re.Match) -> str:  # pinyin groups may sit inside a bracketed phrase
        keep.append(m.group(0))
        return f"\x00{len(keep) - 1}\x01"

    text = PINYIN_RE.sub(protect, text)
    text = re.sub(r"\(([^()]*)\)", paren, text)
    text = re.sub("\x00(\\d+)\x01", lambda m: keep[int(m.group(1))], text)
    text = re.sub(r"(?<!\d):|:(?!\d)", "：", text)
    text = re.sub(r"(?<!\d),|,(?!\d)", "，", text)
    return text.replace(";", "；").replace("!", "！").replace("?", "？")


@dataclass
class Cell:
    text: str
    rowspan: int = 1
    colspan: int = 1


@dataclass
class Table:
    rows: list[list[Cell]]
    header_rows: int = 0  # rendered with bold text, as Word-pasted report tables are
    # the statistics cells this table prints (issue 15), by position: (row, cell, section, row_key,
    # col_key, unit) with the keys of the README; the expected report_stats rows are read from here
    stats: list[tuple[int, int, str, str, str, str | None]] = field(default_factory=list)
    flat: bool = False    # printed as one paragraph per row, cells joined by ' | ' (a CMS that flattens)

    def text_rows(self) -> list[str]:
        """The table as a reader sees it: one line per row, the cells that start in it joined by
        ' | ', a spanning cell written once where it starts (contract.md `text`); empty rows skipped."""
        return [" | ".join(c.text for c in row) for row in self.rows if any(c.text for c in row)]

    def map_text(self, fn) -> "Table":
        return Table([[Cell(fn(c.text), c.rowspan, c.colspan) for c in row] for row in self.rows],
                     self.header_rows, self.stats, self.flat)


# A body is a list of blocks: ("p", text), ("h", text) for a bold section heading,
# ("sig", text) for a right-aligned signature line, ("table", Table), ("file", FileLink).
Block = tuple


@dataclass
class FileLink:
    """An attachment paragraph: `label` then a link to the file, named `name` (附件：XX年度报告.pdf).
    `href` is written into the page as is (raw Chinese in a query is encoded by the page's codec);
    `path` is its canonical form, the URL a crawler must fetch and record (manifest `attachments`)."""
    label: str
    name: str
    href: str
    path: str
    type: str

    def line(self) -> str:
        return self.label + self.name


@dataclass
class Wire:
    """How one page goes over the wire when its bytes or declarations are not its site's (issue 4):
    the Content-Type header sent, the charset its <meta http-equiv> declares (None: no meta), the
    codec its bytes are written in, a UTF-8 BOM, and the codec a correct decoder must report."""
    case: str                    # name of the case (manifest reports[].encoding_case)
    content_type: str            # header value, sent verbatim
    meta: str | None             # charset label in the page's <meta http-equiv>; None = no declaration
    codec: str                   # codec the generator writes the page with
    expect: str                  # codec our decoder should report (manifest reports[].encoding)
    bom: bool = False            # UTF-8 BOM before the bytes
    why: str = ""                # what a decoder gets wrong without the matching rule (manifest note)


@dataclass
class Article:
    """One detail page. kind: report | lookalike | news | guide (only 'report' is stored)."""
    id: str                      # stable id; names the expected file for reports
    kind: str
    title: str
    blocks: list[Block]
    date: str                    # YYYY-MM-DD, used for URLs and list dates
    time: str = "09:00:00"
    column: str = "nb"           # key of the column list it appears in ("" = not listed)
    source: str | None = None    # ContentSource meta / 信息来源
    meta: dict = field(default_factory=dict)   # visible metadata block, label -> value (shown)
    expect: dict = field(default_factory=dict)  # expected reports-row fields (reports only)
    lead: list[Block] = field(default_factory=list)  # body blocks not expected (title copy)
    script: str = "hans"
    why: str = ""                # for not_reports: what makes it a trap
    spam: str | None = None      # keyword run injected near the footer
    spam_mode: str = "hidden"    # hidden | after_html
    serial: int = 0              # CMS article id (filled by the site builder)
    url_path: str = ""           # filled by the CMS renderer
    url_query: str = ""
    url_prefix: str = ""         # put before the CMS's path (/preview: a copy robots.txt disallows)
    attachments: list = field(default_factory=list)
    seed: str | None = None      # seed file number the body comes from
    wire: Wire | None = None     # lying/odd encoding of this page (None: the site's)
    layout: str | None = None    # metadata block layout (common.META_LAYOUTS); None: the CMS's own
    broken: list = field(default_factory=list)   # checks whose sums this case breaks on purpose (issue 15)
    file_text: list | None = None   # the report is in its attachment: these are the file's text lines
    shape: dict | None = None    # a page of its own instead of the CMS's detail page (shapes.py)

    def expected_text(self) -> tuple[str, int]:
        if self.file_text:   # a page that only points to its file: the report's text is the file's
            return "\n".join(self.file_text) + "\n", 0
        lines: list[str] = []
        for kind, val in self.blocks:
            if kind == "table":
                lines.extend(val.text_rows())
            elif kind == "file":
                lines.append(val.line())
            else:
                lines.append(val)
        text, n = strip_pinyin("\n".join(lines))
        return text + "\n", n


@dataclass
class File:
    """A file to write and serve. body is str (encoded with `encoding`) or raw bytes."""
    path: str                    # URL path, starting with /
    body: str | bytes
    content_type: str
    query: str = ""
    encoding: str = "utf-8"      # codec used to write str bodies
    errors: str = "strict"       # xmlcharrefreplace on Big5 pages: &#NNNN; like real CMSs
    status: int = 200
    headers: list = field(default_factory=list)  # extra [name, value] pairs; {url:ID} resolved
    note: str = ""
    wire: Wire | None = None     # set by rewire(): the page's own codec and declarations
    endpoint: str = ""           # an endpoint (endpoints.py) answering by method: body is its JSON spec
    method: str = "GET"          # the method an endpoint answers

    def data(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        return self.body.encode(self.encoding, self.errors)

    def rewire(self, wire: Wire, site_charset: str) -> None:
        """Serve this page as `wire` says: swap (or drop) its meta declaration, its header and its
        codec, and put a BOM in front when asked. The text stays what the CMS rendered."""
        decl = f'<meta http-equiv="Content-Type" content="text/html; charset={site_charset}">\n'
        assert isinstance(self.body, str) and self.body.count(decl) == 1, self.path
        new = f'<meta http-equiv="Content-Type" content="text/html; charset={wire.meta}">\n' if wire.meta else ""
        self.body = self.body.replace(decl, new)
        self.content_type, self.encoding, self.wire = wire.content_type, wire.codec, wire
        self.note = self.note or wire.why
        if wire.bom:
            assert wire.codec == "utf-8"
            self.body = codecs.BOM_UTF8 + self.data()


@dataclass
class Site:
    name: str                    # directory and manifest key (ASCII)
    cms: str                     # hanweb | trs | plain
    title: str                   # SiteName as shown
    charset: str                 # declared charset label (meta + header)
    codec: str                   # codec the generator writes with
    expect_codec: str            # codec our decoder should report
    index: int                   # served at 127.0.0.{index+2}
    site_id: str                 # 网站标识码
    host_org: str                # 主办单位
    run_org: str                 # 承办单位
    phone: str
    icp: str
    police: str                  # 公网安备 number
    articles: list[Article] = field(default_factory=list)
    extra_files: list[File] = field(default_factory=list)
    links: list["ExtraLink"] = field(default_factory=list)
    page_size: int = 3
    script: str = "hans"

    @property
    def host(self) -> str:
        return f"127.0.0.{self.index + 2}"


@dataclass
class ExtraLink:
    """A link a page carries besides its CMS's own: an alias of a report, a redirect, an off-site trap.

    `page` is 'home' or 'section' (the disclosure entry page). In `href`, {url:ID} becomes the URL of
    article ID and {{HOST}} stays: the server fills in its host:port (an absolute self-link, like the
    /gate/big5/HOST/PATH 繁體 gateway). `target` is the article id the link ends at (after redirects),
    or an off-site URL; `kind` names the trap for the tests (manifest `links`)."""
    page: str
    href: str
    text: str
    kind: str        # tracking | fragment | gate | redirect | offsite-redirect
    target: str
    why: str = ""


HOST_TOKEN = "{{HOST}}"
_REF_RE = re.compile(r"\{url:([\w-]+)\}")


def resolve_refs(site: "Site", text: str) -> str:
    "{url:ID} → the path (and query) the renderer gave article ID."
    by_id = {a.id: a for a in site.articles}

    def url(m: re.Match) -> str:
        a = by_id[m.group(1)]
        return a.url_path + (f"?{a.url_query}" if a.url_query else "")
    return _REF_RE.sub(url, text)


def esc(text: str) -> str:
    return html.escape(text, quote=True)

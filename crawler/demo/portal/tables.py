"""The report tables as real <table> markup with the official form's rowspan/colspan.

Labels are written in the seeds' (NFKC) spelling; callers map them (Traditional) and then apply
model.fw() so the HTML carries full-width punctuation like a real page.
"""
from __future__ import annotations

from .model import Cell, Table, esc

C = Cell


S2, S3, S4 = "主动公开", "申请", "复议诉讼"
# row label as printed → row key (README "report_stats"); 2021's 行政规范性文件 is the same figure
SEC2_ROW_KEYS = {"规章": "规章", "规范性文件": "规范性文件", "行政规范性文件": "规范性文件", "行政许可": "行政许可",
                 "其他对外管理服务事项": "其他对外管理服务事项", "行政处罚": "行政处罚", "行政强制": "行政强制",
                 "行政事业性收费": "行政事业性收费", "政府集中采购": "政府集中采购"}
# column header as printed → (column key, unit the README gives it when the cell prints none)
SEC2_COL_KEYS = {"本年新制作数量": ("本年新制作数量", "件"), "本年制发件数": ("本年新制作数量", "件"),
                 "本年新公开数量": ("本年新公开数量", "件"), "对外公开总数量": ("对外公开总数量", "件"),
                 "本年废止件数": ("本年废止件数", "件"), "现行有效件数": ("现行有效件数", "件"),
                 "上一年项目数量": ("上一年项目数量", "项"), "本年增/减": ("本年增减", "项"),
                 "处理决定数量": ("处理决定数量", "件"), "本年处理决定数量": ("处理决定数量", "件"),
                 "本年收费金额(单位:万元)": ("本年收费金额", "万元"),
                 "采购项目数量": ("采购项目数量", "项"), "采购总金额": ("采购总金额", None)}


def _section2(values: dict[str, list[str]], blocks) -> Table:
    rows: list[list[Cell]] = []
    stats = []

    def block(item: str, heads: list[str], labels: list[str]) -> None:
        rows.append([C(f"第二十条第({item})项", colspan=4)])
        span = 3 - len(heads)  # the last column widens when a block has fewer columns
        hs = [C(h) for h in heads]
        hs[-1].colspan += span
        rows.append([C("信息内容")] + hs)
        for lab in labels:
            vals = [C(v) for v in values[lab]]
            vals[-1].colspan += span
            for n, head in enumerate(heads):
                stats.append((len(rows), n + 1, S2, SEC2_ROW_KEYS[lab], *SEC2_COL_KEYS[head]))
            rows.append([C(lab)] + vals)

    for item, heads, labels in blocks:
        block(item, heads, labels)
    return Table(rows, stats=stats)


def section2(values: dict[str, list[str]]) -> Table:
    """2019 template, section 二: one 4-column grid of five small tables (domain.md §4.3)."""
    return _section2(values, [
        ("一", ["本年新制作数量", "本年新公开数量", "对外公开总数量"], ["规章", "规范性文件"]),
        ("五", ["上一年项目数量", "本年增/减", "处理决定数量"], ["行政许可", "其他对外管理服务事项"]),
        ("六", ["上一年项目数量", "本年增/减", "处理决定数量"], ["行政处罚", "行政强制"]),
        ("八", ["上一年项目数量", "本年增/减"], ["行政事业性收费"]),
        ("九", ["采购项目数量", "采购总金额"], ["政府集中采购"])])


def section2_2021(values: dict[str, list[str]]) -> Table:
    """2021 template, section 二: four small tables; (五) (六) (八) have one figure each (§4.3)."""
    return _section2(values, [
        ("一", ["本年制发件数", "本年废止件数", "现行有效件数"], ["规章", "行政规范性文件"]),
        ("五", ["本年处理决定数量"], ["行政许可"]),
        ("六", ["本年处理决定数量"], ["行政处罚", "行政强制"]),
        ("八", ["本年收费金额(单位:万元)"], ["行政事业性收费"])])


_R = "本年度办理结果"
SEC3_ROWS = [
    # (group label, subgroup label, item label, row key); None = merged with the cell to its right
    ("一、本年新收政府信息公开申请数量", None, None, "本年新收政府信息公开申请数量"),
    ("二、上年结转政府信息公开申请数量", None, None, "上年结转政府信息公开申请数量"),
    ("三、本年度办理结果", "(一)予以公开", None, f"{_R}/予以公开"),
    ("三、本年度办理结果", "(二)部分公开(区分处理的,只计这一情形,不计其他情形)", None, f"{_R}/部分公开"),
    *[("三、本年度办理结果", "(三)不予公开", x, f"{_R}/不予公开/{k}") for x, k in (
        ("1.属于国家秘密", "属于国家秘密"), ("2.其他法律行政法规禁止公开", "其他法律行政法规禁止公开"),
        ("3.危及“三安全一稳定”", "危及三安全一稳定"), ("4.保护第三方合法权益", "保护第三方合法权益"),
        ("5.属于三类内部事务信息", "属于三类内部事务信息"), ("6.属于四类过程性信息", "属于四类过程性信息"),
        ("7.属于行政执法案卷", "属于行政执法案卷"), ("8.属于行政查询事项", "属于行政查询事项"))],
    *[("三、本年度办理结果", "(四)无法提供", x, f"{_R}/无法提供/{k}") for x, k in (
        ("1.本机关不掌握相关政府信息", "本机关不掌握相关政府信息"),
        ("2.没有现成信息需要另行制作", "没有现成信息需要另行制作"),
        ("3.补正后申请内容仍不明确", "补正后申请内容仍不明确"))],
    *[("三、本年度办理结果", "(五)不予处理", x, f"{_R}/不予处理/{k}") for x, k in (
        ("1.信访举报投诉类申请", "信访举报投诉类申请"), ("2.重复申请", "重复申请"),
        ("3.要求提供公开出版物", "要求提供公开出版物"), ("4.无正当理由大量反复申请", "无正当理由大量反复申请"),
        ("5.要求行政机关确认或重新出具已获取信息", "要求行政机关确认或重新出具已获取信息"))],
    ("三、本年度办理结果", "(六)其他处理", None, f"{_R}/其他处理"),
    ("三、本年度办理结果", "(七)总计", None, f"{_R}/总计"),
    ("四、结转下年度继续办理", None, None, "结转下年度继续办理"),
]
# 2021: (六)其他处理 split in three (国办公开办函〔2021〕30号)
_OTHER_2021 = [("三、本年度办理结果", "(六)其他处理", x, f"{_R}/其他处理/{k}") for x, k in (
    ("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
     "申请人无正当理由逾期不补正行政机关不再处理其政府信息公开申请"),
    ("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
     "申请人逾期未按收费通知要求缴纳费用行政机关不再处理其政府信息公开申请"),
    ("3.其他", "其他"))]
SEC3_ROWS_2021 = SEC3_ROWS[:20] + _OTHER_2021 + SEC3_ROWS[21:]
SEC3_COL_KEYS = ["自然人", "法人或其他组织/商业企业", "法人或其他组织/科研机构", "法人或其他组织/社会公益组织",
                 "法人或其他组织/法律服务机构", "法人或其他组织/其他", "总计"]


def section3(overrides: dict[int, list[str]] | None = None, template: str = "2019") -> Table:
    """Section 三: 3 label columns + 7 numbers; 23 data rows (2019) or 25 (2021) (§4.4).
    ``overrides``: data row index → its 7 values (default all "0")."""
    overrides = overrides or {}
    spec = SEC3_ROWS_2021 if template == "2021" else SEC3_ROWS
    rows = [
        [C("(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)", rowspan=3, colspan=3),
         C("申请人情况", colspan=7)],
        [C("自然人", rowspan=2), C("法人或其他组织", colspan=5), C("总计", rowspan=2)],
        [C(x) for x in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")],
    ]
    stats = []
    seen: set[str] = set()
    for i, (g, s, item, key) in enumerate(spec):
        vals = [C(v) for v in overrides.get(i, ["0"] * 7)]
        labels: list[Cell] = []
        if s is None:
            labels.append(C(g, colspan=3))
        else:
            if g not in seen:
                labels.append(C(g, rowspan=sum(1 for r in spec if r[0] == g)))
            if item is None:
                labels.append(C(s, colspan=2))
            else:
                if s not in seen:
                    labels.append(C(s, rowspan=sum(1 for r in spec if r[1] == s)))
                labels.append(C(item))
        seen.update(x for x in (g, s) if x)
        stats += [(len(rows), len(labels) + n, S3, key, col, "件") for n, col in enumerate(SEC3_COL_KEYS)]
        rows.append(labels + vals)
    return Table(rows, header_rows=3, stats=stats)


SEC4_ROW_KEYS = ["行政复议", "行政诉讼/未经复议直接起诉", "行政诉讼/复议后起诉"]
SEC4_COL_KEYS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]


def section4(values: list[str] | None = None, flat: bool = False) -> Table:
    """Section 四: 行政复议 (5) + 行政诉讼 未经复议直接起诉 (5) + 复议后起诉 (5) (§4.5). ``flat``: printed
    as paragraphs, one per row, the way a CMS that cannot show tables pastes it."""
    res = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    stats = [(3, n, S4, SEC4_ROW_KEYS[n // 5], SEC4_COL_KEYS[n % 5], "件") for n in range(15)]
    return Table([
        [C("行政复议", colspan=5), C("行政诉讼", colspan=10)],
        [C(x, rowspan=2) for x in res] + [C("未经复议直接起诉", colspan=5), C("复议后起诉", colspan=5)],
        [C(x) for x in res + res],
        [C(v) for v in (values or ["0"] * 15)],
    ], header_rows=3, stats=stats, flat=flat)


def legacy_stats(lines: list[str]) -> Table:
    """Pre-2019 "政府信息公开统计表" (seed 000's attachment) from its pipe-flattened lines.

    Title lines span all 4 columns; the 项目 group cell spans its rows; a row whose unit cell is
    "—" and whose count is blank had the two merged in the original.
    """
    rows: list[list[Cell]] = []
    group: list[Cell] | None = None
    for line in lines:
        parts = [p.strip() for p in line.split("|")]
        while parts and not parts[-1]:
            parts.pop()
        if len(parts) == 1:
            rows.append([C(parts[0], colspan=4)])
        elif len(parts) == 4 and parts[0] == "项目":
            rows.append([C(p) for p in parts])
        elif len(parts) == 4:
            group = [C(parts[0])]
            rows.append(group + [C(p) for p in parts[1:]])
        else:
            assert group is not None, line
            group[0].rowspan += 1
            cells = [C(p) for p in parts]
            if len(cells) == 2:
                cells[-1].colspan = 2
            rows.append(cells)
    return Table(rows, header_rows=4)


def to_html(table: Table, style: str = "word") -> str:
    """Render like a Word paste into a CMS editor (MsoNormal, inline widths, nested <p>/<span>).

    style "plain" gives the bare <td> markup some in-house CMSs emit; a ``flat`` table is paragraphs.
    """
    if table.flat:
        return "\n".join(f'<p style="text-indent:2em;">{esc(line)}</p>' for line in table.text_rows())
    out = ['<table border="1" cellspacing="0" cellpadding="0" width="100%" '
           'style="border-collapse:collapse;border:none;">', "<tbody>"]
    for r, row in enumerate(table.rows):
        out.append("<tr>")
        for cell in row:
            attrs = ""
            if cell.rowspan > 1:
                attrs += f' rowspan="{cell.rowspan}"'
            if cell.colspan > 1:
                attrs += f' colspan="{cell.colspan}"'
            text = esc(cell.text)
            if r < table.header_rows:
                text = f"<b>{text}</b>"
            if style == "word":
                out.append(f'<td{attrs} valign="center" style="border:solid windowtext 1.0pt;'
                           f'padding:0cm 5.4pt 0cm 5.4pt;"><p class="MsoNormal" align="center" '
                           f'style="text-align:center;"><span style="font-size:10.5pt;font-family:'
                           f'宋体;">{text}</span></p></td>')
            else:
                out.append(f"<td{attrs}>{text}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)

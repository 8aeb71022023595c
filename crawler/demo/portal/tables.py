"""The report tables as real <table> markup with the official form's rowspan/colspan.

Labels are written in the seeds' (NFKC) spelling; callers map them (Traditional) and then apply
model.fw() so the HTML carries full-width punctuation like a real page.
"""
from __future__ import annotations

from .model import Cell, Table, esc

C = Cell


def section2(values: dict[str, list[str]]) -> Table:
    """2019 template, section 二: one 4-column grid of five small tables (domain.md §4.3)."""
    rows: list[list[Cell]] = []

    def block(item: str, heads: list[str], labels: list[str]) -> None:
        rows.append([C(f"第二十条第({item})项", colspan=4)])
        span = 3 - len(heads)  # the last column widens when a block has fewer columns
        hs = [C(h) for h in heads]
        hs[-1].colspan += span
        rows.append([C("信息内容")] + hs)
        for lab in labels:
            vals = [C(v) for v in values[lab]]
            vals[-1].colspan += span
            rows.append([C(lab)] + vals)

    block("一", ["本年新制作数量", "本年新公开数量", "对外公开总数量"], ["规章", "规范性文件"])
    block("五", ["上一年项目数量", "本年增/减", "处理决定数量"], ["行政许可", "其他对外管理服务事项"])
    block("六", ["上一年项目数量", "本年增/减", "处理决定数量"], ["行政处罚", "行政强制"])
    block("八", ["上一年项目数量", "本年增/减"], ["行政事业性收费"])
    block("九", ["采购项目数量", "采购总金额"], ["政府集中采购"])
    return Table(rows)


SEC3_ROWS = [
    # (group label, subgroup label, item label); None = merged with the cell to its right
    ("一、本年新收政府信息公开申请数量", None, None),
    ("二、上年结转政府信息公开申请数量", None, None),
    ("三、本年度办理结果", "(一)予以公开", None),
    ("三、本年度办理结果", "(二)部分公开(区分处理的,只计这一情形,不计其他情形)", None),
    *[("三、本年度办理结果", "(三)不予公开", x) for x in (
        "1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”",
        "4.保护第三方合法权益", "5.属于三类内部事务信息", "6.属于四类过程性信息",
        "7.属于行政执法案卷", "8.属于行政查询事项")],
    *[("三、本年度办理结果", "(四)无法提供", x) for x in (
        "1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确")],
    *[("三、本年度办理结果", "(五)不予处理", x) for x in (
        "1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物",
        "4.无正当理由大量反复申请", "5.要求行政机关确认或重新出具已获取信息")],
    ("三、本年度办理结果", "(六)其他处理", None),
    ("三、本年度办理结果", "(七)总计", None),
    ("四、结转下年度继续办理", None, None),
]


def section3(overrides: dict[int, list[str]] | None = None) -> Table:
    """2019 template, section 三: 3 label columns + 7 numbers, 23 data rows (§4.4)."""
    overrides = overrides or {}
    rows = [
        [C("(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)", rowspan=3, colspan=3),
         C("申请人情况", colspan=7)],
        [C("自然人", rowspan=2), C("法人或其他组织", colspan=5), C("总计", rowspan=2)],
        [C(x) for x in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")],
    ]
    seen: set[str] = set()
    for i, (g, s, item) in enumerate(SEC3_ROWS):
        vals = [C(v) for v in overrides.get(i, ["0"] * 7)]
        labels: list[Cell] = []
        if s is None:
            labels.append(C(g, colspan=3))
        else:
            if g not in seen:
                labels.append(C(g, rowspan=sum(1 for r in SEC3_ROWS if r[0] == g)))
            if item is None:
                labels.append(C(s, colspan=2))
            else:
                if s not in seen:
                    labels.append(C(s, rowspan=sum(1 for r in SEC3_ROWS if r[1] == s)))
                labels.append(C(item))
        seen.update(x for x in (g, s) if x)
        rows.append(labels + vals)
    return Table(rows, header_rows=3)


def section4(values: list[str] | None = None) -> Table:
    """Section 四: 行政复议 (5) + 行政诉讼 未经复议直接起诉 (5) + 复议后起诉 (5) (§4.5)."""
    res = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    return Table([
        [C("行政复议", colspan=5), C("行政诉讼", colspan=10)],
        [C(x, rowspan=2) for x in res] + [C("未经复议直接起诉", colspan=5), C("复议后起诉", colspan=5)],
        [C(x) for x in res + res],
        [C(v) for v in (values or ["0"] * 15)],
    ], header_rows=3)


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

    style "plain" gives the bare <td> markup some in-house CMSs emit.
    """
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

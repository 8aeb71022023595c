"""Pages that are NOT reports: look-alikes discovery must reject, guides, ordinary news.

Each look-alike says in `why` which shortcut it punishes (title regex, list membership, "年报"
in the title, section names in the body...).
"""
from __future__ import annotations

from .model import Article, Cell, Table, fw


def art(id, kind, title, date, column, paras, why="", source=None, script="hans", extra=()):
    blocks = [("p", fw(p)) for p in paras] + list(extra)
    return Article(id=id, kind=kind, title=title, blocks=blocks, date=date, column=column,
                   why=why, source=source, script=script)


def final_accounts_table(rows: list[tuple[str, str]], head=("项目", "决算数（万元）")) -> tuple:
    t = Table([[Cell("收入支出决算总表", colspan=2)], [Cell(h) for h in head]]
              + [[Cell(a), Cell(b)] for a, b in rows], header_rows=2)
    return ("table", t)


def hanweb_pages() -> list[Article]:
    t = "hant"
    return [
        art("hanweb-qynb", "lookalike", "關於開展2020年度企業年報公示工作的通知", "2021-01-05", "nb", [
            "各有關企業：",
            "根據《企業信息公示暫行條例》規定，企業應當於每年1月1日至6月30日，通過國家企業信用信息公示系統報送上一年度年度報告，並向社會公示。",
            "請轄區內各類企業、農民專業合作社及個體工商戶按時完成2020年度年報公示工作。未按規定期限公示年度報告的，將被列入經營異常名錄。",
            "聯繫電話:0483-6522301。"],
            why="年报 in the title and listed in the 年报 column, but an enterprise annual-report notice",
            source="額濟納旗市場監督管理局", script=t),
        art("hanweb-fzzf", "lookalike", "額濟納旗2020年法治政府建設年度報告", "2021-03-02", "nb", [
            "2020年，在旗委的堅強領導下，旗政府深入學習貫徹習近平法治思想，全面推進依法行政。",
            "一、主要舉措和成效",
            "(一)加強黨對法治政府建設的領導。將法治政府建設納入全旗經濟社會發展總體規劃。",
            "二、存在的不足和原因",
            "基層執法人員法治素養有待提高。",
            "三、2021年工作打算",
            "持續深化行政執法三項制度。"],
            why="a 年度報告 with numbered sections, but not the 信息公開 report (no 收到和處理申請 table)",
            source="額濟納旗司法局", script=t),
        art("hanweb-bztz", "lookalike", "關於做好2020年政府信息公開工作年度報告編制發布工作的通知",
            "2021-01-08", "nb", [
            "各蘇木鎮人民政府，旗直各部門：",
            "根據《中華人民共和國政府信息公開條例》第四十九條規定，各單位應於2021年1月31日前向旗政府辦公室報送本單位2020年政府信息公開工作年度報告，並在本單位政府信息公開平臺公布。",
            "年度報告應包括總體情況、主動公開政府信息情況、收到和處理政府信息公開申請情況、政府信息公開行政復議和行政訴訟情況、存在的主要問題及改進情況、其他需要報告的事項等內容，統計表格按照國辦公開辦函〔2019〕60號文件格式填寫。",
            "額濟納旗人民政府辦公室", "2021年1月8日"],
            why="title matches the report regex; body names all six sections but has no tables",
            source="額濟納旗人民政府辦公室", script=t),
        art("hanweb-js", "lookalike", "額濟納旗人民政府辦公室2020年部門決算公開", "2021-09-10", "czyjs", [
            "按照預決算公開有關規定，現將額濟納旗人民政府辦公室2020年部門決算公開如下。",
            "第一部分 部門概況", "第二部分 2020年度部門決算表"],
            why="a yearly 決算 disclosure in the sibling 財政預決算 column",
            source="額濟納旗人民政府辦公室", script=t,
            extra=[final_accounts_table([("一般公共預算財政撥款收入", "1523.41"),
                                         ("本年收入合計", "1523.41"), ("本年支出合計", "1498.77")],
                                        ("項目", "決算數（萬元）"))]),
        art("hanweb-zn", "guide", "額濟納旗人民政府信息公開指南", "2020-02-17", "", [
            "為了更好地提供政府信息公開服務，根據《中華人民共和國政府信息公開條例》，編制本指南。",
            "一、主動公開。本機關主動公開的政府信息，通過政府門戶網站、政府信息公開專欄等途徑公開。每年1月31日前公布本機關上一年度政府信息公開工作年度報告。",
            "二、依申請公開。公民、法人或者其他組織可以向本機關申請獲取相關政府信息。"],
            why="政府信息公開指南: mentions 年度報告 but is a guide", script=t),
        art("hanweb-zd", "guide", "額濟納旗政府信息公開制度", "2020-02-17", "", [
            "第一條 為規範政府信息公開工作，制定本制度。",
            "第二條 政府信息公開工作年度報告由旗政府辦公室統一編制。"],
            why="政府信息公開制度 page", script=t),
        art("hanweb-news1", "news", "額濟納旗召開2021年政務公開工作推進會", "2021-03-18", "xw", [
            "3月17日，額濟納旗召開2021年政務公開工作推進會，總結2020年政務公開工作，部署2021年重點任務。",
            "會議要求，各單位要對照政務公開標準目錄，做好基層政務公開標準化規範化工作。"],
            why="news", script=t),
        art("hanweb-news2", "news", "胡楊林景區迎來旅遊旺季", "2021-10-03", "xw", [
            "國慶假期，額濟納旗胡楊林景區接待遊客人數同比增長。"], why="news", script=t),
    ]


def trs_pages() -> list[Article]:
    return [
        art("trs-qynb", "lookalike", "关于开展2020年度企业年报公示工作的通知", "2021-01-06", "nb", [
            "各市场主体：",
            "根据《企业信息公示暂行条例》，企业应于2021年1月1日至6月30日，通过国家企业信用信息公示系统（内蒙古）报送2020年度年度报告并向社会公示。",
            "逾期未报送的企业将被列入经营异常名录，农民专业合作社和个体工商户参照执行。"],
            why="企业年报 notice inside the 年报 list", source="鄂温克族自治旗市场监督管理局"),
        art("trs-js", "lookalike", "鄂温克旗政务服务局2020年部门决算公开", "2021-08-20", "nb", [
            "根据预决算公开相关规定，现将我局2020年部门决算公开如下。",
            "一、部门基本情况", "二、部门决算情况说明"],
            why="yearly 决算 filed in the 年报 list, agency name and year match a real report",
            source="鄂温克旗政务服务局",
            extra=[final_accounts_table([("一般公共预算财政拨款收入", "386.52"),
                                         ("本年收入合计", "386.52"), ("本年支出合计", "379.10")])]),
        art("trs-fzzf", "lookalike", "鄂温克族自治旗2020年法治政府建设年度报告", "2021-03-05", "fdzdgk", [
            "2020年，旗政府坚持以习近平新时代中国特色社会主义思想为指导，全面推进法治政府建设。",
            "一、推进法治政府建设的主要举措和成效", "二、存在的不足", "三、下一步工作安排"],
            why="年度报告 with sections in the 法定主动公开内容 list", source="鄂温克族自治旗司法局"),
        art("trs-zn", "guide", "鄂温克旗政务服务局政府信息公开指南", "2020-03-02", "", [
            "一、主动公开。本机关主动公开的政府信息，通过旗政府门户网站政府信息公开专栏公开。",
            "本机关每年1月31日前发布上一年度政府信息公开工作年度报告。",
            "二、依申请公开。申请人可以通过当面、信函、网络等方式提出申请。"],
            why="政府信息公开指南"),
        art("trs-zd", "guide", "鄂温克旗政府信息公开制度", "2020-03-02", "", [
            "第一条 为推进政府信息公开工作规范化，制定本制度。"], why="政府信息公开制度"),
        art("trs-news1", "news", "鄂温克旗政务服务大厅推行“一窗受理”", "2021-04-12", "zwdt", [
            "近日，鄂温克旗政务服务大厅全面推行“一窗受理、集成服务”模式，群众办事更加便捷。"],
            why="news"),
        art("trs-news2", "news", "鄂温克旗开展政务公开业务培训", "2021-05-20", "zwdt", [
            "5月19日，鄂温克旗举办政务公开业务培训班，各苏木乡镇、旗直各部门政务公开工作人员参加培训。"],
            why="news"),
    ]


def plain_pages() -> list[Article]:
    return [
        art("plain-bztz", "lookalike", "关于做好2020年政府信息公开工作年度报告编制发布工作的通知",
            "2021-01-12", "nb", [
            "各乡镇（街道），区直各单位：",
            "根据《中华人民共和国政府信息公开条例》规定，请各单位于2021年1月31日前完成2020年政府信息公开工作年度报告的编制和发布工作。",
            "年度报告包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项六个部分。",
            "三明市梅列区人民政府办公室", "2021年1月12日"],
            why="title matches the report regex; a notice about compiling the reports"),
        art("plain-tjgb", "lookalike", "三明市梅列区2020年国民经济和社会发展统计公报", "2021-03-20", "nb", [
            "2020年，全区上下坚持稳中求进工作总基调，经济运行稳中有进。",
            "一、综合", "全年实现地区生产总值比上年增长3.1%。"],
            why="a yearly 公报 mis-filed in the 年报 list", source="三明市梅列区统计局"),
        art("plain-yd", "lookalike", "梅列区2021年政务公开工作要点", "2021-04-16", "nb", [
            "为深入贯彻落实国务院办公厅2021年政务公开工作要点，结合我区实际，制定本要点。",
            "一、着力做好“十四五”规划信息公开", "二、持续推进政府信息公开年度报告规范发布"],
            why="政务公开 plan in the 年报 list, mentions 年度报告"),
        art("plain-js", "lookalike", "三明市梅列区人民政府办公室2020年部门决算公开", "2021-08-30", "fdzdgk", [
            "按照预决算公开要求，现将区政府办公室2020年部门决算公开如下。"],
            why="决算 in the 法定主动公开内容 list",
            extra=[final_accounts_table([("一般公共预算财政拨款收入", "2245.63"),
                                         ("本年支出合计", "2230.18")])]),
        art("plain-zn", "guide", "三明市梅列区人民政府政府信息公开指南", "2020-01-20", "", [
            "本指南根据《中华人民共和国政府信息公开条例》编制。",
            "区政府办公室每年1月31日前公布上一年度政府信息公开工作年度报告。"],
            why="政府信息公开指南"),
        art("plain-zd", "guide", "梅列区政府信息公开工作制度", "2020-01-20", "", [
            "第一条 为规范政府信息公开工作，制定本制度。"], why="政府信息公开制度"),
        art("plain-news1", "news", "梅列区召开优化营商环境工作推进会", "2021-03-09", "xw", [
            "3月8日，梅列区召开优化营商环境工作推进会，部署2021年重点工作。"], why="news"),
        art("plain-news2", "news", "梅列区开展“诚信三明”宣传活动", "2021-06-15", "xw", [
            "6月14日，梅列区在列东街道开展“诚信三明”主题宣传活动。"], why="news"),
    ]

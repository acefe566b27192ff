"""Write the synthetic disclosures of other regions' layouts (tests/data/<slug>.txt and
<slug>.truth.json) from one internally consistent model per document.

    python3 tests/data/make_synthetic.py        # rewrites the files; asserts every identity first

Nobody published these: the units and figures are invented, the layouts imitate what published
部门预算/单位预算/部门决算 of other regions look like as page text (pages split by a form feed, cells by
spaces, empty cells vanished):

- ``zhejiang-shuili-2025``: a 浙江 county 部门预算 in the 财政部 standard layout (附表1 部门收支预算总表 …
  附表9, 编制单位 / 单位：万元 lines, joined 7-digit codes, the 合计 row first, no separators, the
  国有资本经营 table printed empty with a note, an unread 项目支出 table after the nine).
- ``henan-jiaoyan-2024``: a 河南 事业单位 单位预算 (表一 单位收支总表 …, a 序号 column, 单位名称 / 金额单位：元
  lines, 元 with separators and decimals, codes split 205 08 03, the 合计 row last, tables first and the
  narrative after them).
- ``sichuan-nongji-2026``: a 四川 事业单位 单位预算 (a contents page listing every title, 表1-1/表2-1/表3-2 …
  sub-tables of which the family reads some and leaves out the others — 财政拨款支出预算表（部门经济分类科目）,
  一般公共预算项目支出预算表, 政府性基金预算“三公”经费支出预算表, 项目支出绩效目标表 — narrative headings that
  carry table words (一般公共预算基本支出情况说明) followed by prose, header lines with words the family does
  not list (单位代码, 单位名称（科目）), a two-sided 总表 whose lines print an item of each side and no figure,
  expenses paid from 事业收入 as well, so that the 单位支出总表's columns are placed only by the 财政拨款
  tables that are its parts).
- ``zhongyang-kejiju-2023-final``: a central-ministry style 部门决算 (公开01表 … on the 部门 line, a 行次
  column in the two-sided tables, 栏次 rows, 万元 with separators, long subject names wrapped onto
  the lines above and below the figures).

Every figure is an integer number of cents of the unit printed; the truth file lists every cell the
tables print (table kind, row code or label, column, value in 万元) for the cell-by-cell tests.
"""
from __future__ import annotations

import functools
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
NUM = "一二三四五六七八九十"


def cn(n: int) -> str:
    if n <= 10:
        return NUM[n - 1]
    if n < 20:
        return "十" + (NUM[n - 11] if n > 10 else "")
    return NUM[n // 10 - 1] + "十" + (NUM[n % 10 - 1] if n % 10 else "")


FUNC = {  # code -> name (the classification's, lexicon/subjects_function.tsv)
    "201": "一般公共服务支出", "205": "教育支出", "206": "科学技术支出", "208": "社会保障和就业支出",
    "210": "卫生健康支出", "212": "城乡社区支出", "213": "农林水支出", "221": "住房保障支出",
    "20508": "进修及培训", "2050803": "培训支出", "2050899": "其他进修及培训",
    "20502": "普通教育", "2050299": "其他普通教育支出",
    "20601": "科学技术管理事务", "2060101": "行政运行", "2060102": "一般行政管理事务",
    "20604": "技术研究与开发", "2060499": "其他技术研究与开发支出",
    "20805": "行政事业单位养老支出", "2080501": "行政单位离退休", "2080502": "事业单位离退休",
    "2080505": "机关事业单位基本养老保险缴费支出", "2080506": "机关事业单位职业年金缴费支出",
    "21011": "行政事业单位医疗", "2101101": "行政单位医疗", "2101102": "事业单位医疗",
    "21208": "国有土地使用权出让收入安排的支出", "2120804": "农村基础设施建设支出",
    "21303": "水利", "2130301": "行政运行", "2130302": "一般行政管理事务", "2130399": "其他水利支出",
    "21301": "农业农村", "2130104": "事业运行", "2130106": "科技转化与推广服务", "2130108": "病虫害控制",
    "2130199": "其他农业农村支出",
    "22102": "住房改革支出", "2210201": "住房公积金", "2210203": "购房补贴",
}
ECON = {
    "301": "工资福利支出", "30101": "基本工资", "30102": "津贴补贴", "30107": "绩效工资",
    "30108": "机关事业单位基本养老保险缴费", "30109": "职业年金缴费", "30110": "职工基本医疗保险缴费", "30113": "住房公积金",
    "302": "商品和服务支出", "30201": "办公费", "30205": "水费", "30206": "电费", "30211": "差旅费",
    "30213": "维修（护）费", "30217": "公务接待费", "30228": "工会经费", "30231": "公务用车运行维护费",
    "303": "对个人和家庭的补助", "30302": "退休费", "30305": "生活补助",
}


@dataclass
class Item:
    """One 项 (7-digit code): what each source pays for it, in cents of the printed unit."""
    code: str
    gp_person: int = 0  # 一般公共预算 基本支出 人员经费
    gp_public: int = 0  # 一般公共预算 基本支出 公用经费
    gp_project: int = 0
    gf_project: int = 0  # 政府性基金
    sy_basic: int = 0  # 事业收入
    sy_project: int = 0
    qt_project: int = 0  # 其他收入
    jz_project: int = 0  # 上年结转

    @property
    def gp_basic(self) -> int:
        return self.gp_person + self.gp_public

    @property
    def gp(self) -> int:
        return self.gp_basic + self.gp_project

    @property
    def basic(self) -> int:
        return self.gp_basic + self.sy_basic

    @property
    def project(self) -> int:
        return self.gp_project + self.gf_project + self.sy_project + self.qt_project + self.jz_project

    @property
    def total(self) -> int:
        return self.basic + self.project


@dataclass
class Model:
    slug: str
    unit: str
    year: int
    items: list[Item]
    econ: dict[str, int]  # 5-digit economic code -> 一般公共预算 基本支出
    sangong: dict[str, int]  # 因公出国（境）费, 公务接待费, 公务用车购置费, 公务用车运行费 (万元 cents)
    sangong_budget: dict[str, int] = field(default_factory=dict)  # a 决算's 预算数
    truth: list[dict] = field(default_factory=list)

    # ------------------------------------------------------------ sums by subject level
    def levels(self, pred=lambda it: True) -> list[tuple[str, list[Item]]]:
        """Every 类/款/项 code (in code order) with the items under it."""
        codes: dict[str, list[Item]] = {}
        for it in sorted(self.items, key=lambda i: i.code):
            if not pred(it):
                continue
            for k in (3, 5, 7):
                codes.setdefault(it.code[:k], []).append(it)
        return sorted(codes.items())

    def total(self, attr: str, items: list[Item] | None = None) -> int:
        return sum(getattr(i, attr) for i in (self.items if items is None else items))

    def person_econ(self) -> int:
        return sum(v for c, v in self.econ.items() if c[:3] in ("301", "303"))

    def public_econ(self) -> int:
        return sum(v for c, v in self.econ.items() if c[:3] == "302")

    def check(self) -> None:
        """Every identity the documents print must hold."""
        assert self.person_econ() == self.total("gp_person"), (self.person_econ(), self.total("gp_person"))
        assert self.public_econ() == self.total("gp_public")
        s = self.sangong
        assert all(v >= 0 for v in s.values())
        for it in self.items:
            assert it.code in FUNC and it.code[:5] in FUNC and it.code[:3] in FUNC, it.code
            assert it.total > 0
        for c in self.econ:
            assert c in ECON and c[:3] in ECON

    def cell(self, kind: str, row: str, column: str, cents: int, factor: float) -> None:
        self.truth.append({"kind": kind, "row": row, "column": column,
                           "value": round(cents / 100 * factor, 6)})


def split(total: int, n: int, rng: random.Random, step: int = 100) -> list[int]:
    """``total`` in ``n`` positive parts (multiples of ``step`` where possible)."""
    cuts = sorted(rng.sample(range(1, total // step), n - 1))
    parts = [b - a for a, b in zip([0] + cuts, cuts + [total // step])]
    parts = [p * step for p in parts]
    parts[-1] += total - sum(parts)
    return parts


# 经济分类 items that state what a 功能分类 item or a 三公 figure states (the same money seen two ways)
TIED = {"30108": "2080505", "30109": "2080506", "30110": "21011", "30113": "2210201", "30302": "208050"}


def economic(rng: random.Random, items: list[Item], sangong: dict[str, int], person_codes: list[str],
             public_codes: list[str]) -> dict[str, int]:
    """The 一般公共预算 基本支出 by 经济分类: the items tied to a 功能分类 item (TIED) or to a 三公 figure
    (30217 公务接待费, 30231 公务用车运行维护费) carry that figure; the rest is split among the others."""
    out: dict[str, int] = {}
    for c in person_codes:
        if c in TIED:
            out[c] = sum(i.gp_person for i in items if i.code.startswith(TIED[c]))
    for c, k in (("30217", "公务接待费"), ("30231", "公务用车运行费")):
        if c in public_codes:
            out[c] = sangong[k]
    person = sum(i.gp_person for i in items) - sum(v for c, v in out.items() if c[:3] != "302")
    public = sum(i.gp_public for i in items) - sum(v for c, v in out.items() if c[:3] == "302")
    free_p = [c for c in person_codes if c not in out]
    free_g = [c for c in public_codes if c not in out]
    out.update(zip(free_p, split(person, len(free_p), rng, 37)))
    out.update(zip(free_g, split(public, len(free_g), rng, 13)))
    return {c: v for c, v in out.items() if v}


# ------------------------------------------------------------------------------------------ printing

def money(cents: int, sep: bool, blank_zero: bool = True) -> str:
    if cents == 0 and blank_zero:
        return ""
    s = f"{cents / 100:,.2f}" if sep else f"{cents / 100:.2f}"
    return s


def line(*cells: str) -> str:
    return " ".join(c for c in cells if c != "")


def side_by_side(left: list, right: list, f) -> list[str]:
    """A two-sided table's lines: the k-th item of each side on line k (label, then its figures)."""
    out = []
    for k in range(max(len(left), len(right))):
        a = left[k] if k < len(left) else ("", 0)
        b = right[k] if k < len(right) else ("", 0)
        out.append(line(a[0], *[f(x) for x in a[1:]], b[0], *[f(x) for x in b[1:]]))
    return out


def split_code(code: str) -> str:
    return " ".join([code[:3]] + [code[i:i + 2] for i in range(3, len(code), 2)])


def wrap(name: str, width: int) -> list[str]:
    return [name[i:i + width] for i in range(0, len(name), width)]


# ------------------------------------------------------------------------------------------ 浙江 部门预算

def zhejiang() -> tuple[str, Model]:
    rng = random.Random(2025)
    items = [
        Item("2130301", gp_person=1234560, gp_public=345670),
        Item("2130302", gp_project=2560000),
        Item("2130399", gp_project=8800000, jz_project=500000),
        Item("2120804", gf_project=12000000),
        Item("2080505", gp_person=198640),
        Item("2080506", gp_person=99320),
        Item("2101101", gp_person=87650),
        Item("2210201", gp_person=145600),
        Item("2210203", gp_person=60000),
    ]
    sangong = {"因公出国（境）费": 0, "公务接待费": 3500, "公务用车购置费": 0, "公务用车运行费": 18600}
    econ = economic(rng, items, sangong, ["30101", "30102", "30107", "30108", "30109", "30110", "30113"],
                    ["30201", "30205", "30206", "30211", "30217", "30228", "30231"])
    m = Model("zhejiang-shuili-2025", "淳安县水利局", 2025, items, econ, sangong)
    m.check()
    U = "单位：万元"
    hdr = f"编制单位：{m.unit} {U}"
    pages: list[str] = []
    pages.append("\n".join([f"{m.unit}", f"{m.year}年部门预算", "", "二〇二五年二月"]))
    toc = ["目 录", "第一部分 部门概况", "一、主要职能", "二、部门预算单位构成", "第二部分 2025年部门预算情况说明",
           "第三部分 2025年部门预算表"] + [f"附表{i} {t} ……………… {i + 6}" for i, t in enumerate(
               ["部门收支预算总表", "部门收入预算总表", "部门支出预算总表", "财政拨款收支预算总表",
                "一般公共预算支出预算表", "一般公共预算基本支出预算表", "一般公共预算“三公”经费支出预算表",
                "政府性基金预算支出预算表", "国有资本经营预算支出预算表"], 1)]
    pages.append("\n".join(toc))
    tot = m.total("total")
    gp, gf, jz = m.total("gp"), m.total("gf_project"), m.total("jz_project")
    pages.append("\n".join([
        "第一部分 部门概况",
        "一、主要职能",
        f"{m.unit}是县政府工作部门，负责全县水资源管理、水利工程建设与运行管理、防汛抗旱等工作。",
        "二、部门预算单位构成",
        "本部门预算包括局本级1家单位。",
        "第二部分 2025年部门预算情况说明",
        "一、收支预算总体情况",
        f"2025年部门收入预算{tot / 100:.2f}万元，其中一般公共预算拨款收入{gp / 100:.2f}万元，政府性基金预算拨款收入"
        f"{gf / 100:.2f}万元，上年结转{jz / 100:.2f}万元。支出预算{tot / 100:.2f}万元，其中基本支出"
        f"{m.total('basic') / 100:.2f}万元，项目支出{m.total('project') / 100:.2f}万元。",
        "二、“三公”经费预算情况",
        f"2025年“三公”经费预算{sum(m.sangong.values()) / 100:.2f}万元，其中公务接待费{m.sangong['公务接待费'] / 100:.2f}万元，"
        f"公务用车运行费{m.sangong['公务用车运行费'] / 100:.2f}万元，因公出国（境）费0万元。",
    ]))

    def f(c: int) -> str:
        return money(c, False)

    # 附表1 部门收支预算总表 (two-sided)
    inc = [("一、一般公共预算拨款收入", gp), ("二、政府性基金预算拨款收入", gf), ("三、国有资本经营预算拨款收入", 0),
           ("四、事业收入", 0), ("五、事业单位经营收入", 0), ("六、其他收入", 0)]
    classes = [(c, its) for c, its in m.levels() if len(c) == 3]
    exp = [(f"{cn(i)}、{FUNC[c]}", m.total("total", its)) for i, (c, its) in enumerate(classes, 1)]
    rows = side_by_side(inc, exp, f)
    rows += [line("本年收入合计", f(tot - jz), "本年支出合计", f(tot)),
             line("上年结转", f(jz), "结转下年", ""),
             line("收入总计", f(tot), "支出总计", f(tot))]
    pages.append("\n".join([f"附表1", f"{m.unit}2025年部门收支预算总表", hdr, "收 入 支 出", "项 目 预算数 项 目 预算数"] + rows))
    for lab, v in inc + [("本年收入合计", tot - jz), ("上年结转", jz), ("收入总计", tot)]:
        m.cell("收支总表", "收入:" + lab.split("、")[-1], "预算数", v, 1)
    for lab, v in exp + [("本年支出合计", tot), ("支出总计", tot)]:
        m.cell("收支总表", "支出:" + lab.split("、")[-1], "预算数", v, 1)

    # 附表2 部门收入预算总表 (subjects; 合计 row first)
    def inc_row(its: list[Item]) -> list[int]:
        t = lambda a: m.total(a, its)  # noqa: E731
        return [t("total"), t("jz_project"), t("gp"), t("gf_project"), 0, t("sy_basic") + t("sy_project"), 0,
                t("qt_project")]
    cols2 = ["合计", "上年结转", "一般公共预算拨款收入", "政府性基金预算拨款收入", "国有资本经营预算拨款收入", "事业收入",
             "事业单位经营收入", "其他收入"]
    body = [line("合计", *[f(v) for v in inc_row(m.items)])]
    for code, its in m.levels():
        body.append(line(code, FUNC[code], *[f(v) for v in inc_row(its)]))
    for code, its in [("合计", m.items)] + m.levels():
        for c, v in zip(cols2, inc_row(its)):
            m.cell("收入总表", code, c, v, 1)
    pages.append("\n".join(["附表2", f"{m.unit}2025年部门收入预算总表", hdr,
                            "科目 一般公共预算 政府性基金预算 国有资本经营预 事业单位经",
                            "合计 上年结转 事业收入 其他收入",
                            "编码 科目名称 拨款收入 拨款收入 算拨款收入 营收入"] + body))

    # 附表3 部门支出预算总表
    body = [line("合计", f(m.total("total")), f(m.total("basic")), f(m.total("project")))]
    for code, its in m.levels():
        body.append(line(code, FUNC[code], f(m.total("total", its)), f(m.total("basic", its)), f(m.total("project", its))))
    for code, its in [("合计", m.items)] + m.levels():
        for c, a in (("合计", "total"), ("基本支出", "basic"), ("项目支出", "project")):
            m.cell("支出总表", code, c, m.total(a, its), 1)
    pages.append("\n".join(["附表3", f"{m.unit}2025年部门支出预算总表", hdr, "科目编码 科目名称 合计 基本支出 项目支出"] + body))

    # 附表4 财政拨款收支预算总表
    fin_classes = [(c, its) for c, its in m.levels(lambda i: i.gp or i.gf_project) if len(c) == 3]
    inc4 = [("一、本年收入", gp + gf), ("1.一般公共预算拨款", gp), ("2.政府性基金预算拨款", gf), ("3.国有资本经营预算拨款", 0),
            ("二、上年结转", 0)]
    exp4 = [(f"{cn(i)}、{FUNC[c]}", m.total("gp", its) + m.total("gf_project", its), m.total("gp", its),
             m.total("gf_project", its)) for i, (c, its) in enumerate(fin_classes, 1)]
    rows = side_by_side(inc4, exp4, f)
    rows += [line("收入总计", f(gp + gf), "支出总计", f(gp + gf), f(gp), f(gf))]
    pages.append("\n".join(["附表4", f"{m.unit}2025年财政拨款收支预算总表", hdr, "收 入 支 出",
                            "政府性基金 国有资本经营",
                            "项 目 预算数 项 目 合计 一般公共预算",
                            "预算 预算"] + rows))
    m.cell("财政拨款收支总表", "收入:一般公共预算拨款", "预算数", gp, 1)
    m.cell("财政拨款收支总表", "收入:政府性基金预算拨款", "预算数", gf, 1)
    for lab, t, a, b in exp4 + [("支出总计", gp + gf, gp, gf)]:
        lab = lab.split("、")[-1]
        m.cell("财政拨款收支总表", "支出:" + lab, "合计", t, 1)
        m.cell("财政拨款收支总表", "支出:" + lab, "一般公共预算财政拨款", a, 1)
        m.cell("财政拨款收支总表", "支出:" + lab, "政府性基金预算财政拨款", b, 1)

    # 附表5 一般公共预算支出预算表 (合计 基本支出(人员经费 公用经费) 项目支出)
    gp_levels = m.levels(lambda i: i.gp > 0)
    body = [line("合计", f(m.total("gp")), f(m.total("gp_basic")), f(m.total("gp_person")), f(m.total("gp_public")),
                 f(m.total("gp_project")))]
    for code, its in gp_levels:
        body.append(line(code, FUNC[code], *[f(m.total(a, its)) for a in ("gp", "gp_basic", "gp_person", "gp_public",
                                                                         "gp_project")]))
    for code, its in [("合计", [i for i in m.items if i.gp])] + gp_levels:
        for c, a in (("合计", "gp"), ("基本支出", "gp_basic"), ("人员经费", "gp_person"), ("公用经费", "gp_public"),
                     ("项目支出", "gp_project")):
            m.cell("一般公共预算财政拨款支出表", code, c, m.total(a, its), 1)
    pages.append("\n".join(["附表5", f"{m.unit}2025年一般公共预算支出预算表", hdr, "基本支出",
                            "科目编码 科目名称 合计 项目支出", "小计 人员经费 公用经费"] + body))

    # 附表6 一般公共预算基本支出预算表 (经济分类, 合计 人员经费 公用经费)
    body = [line("合计", f(m.total("gp_basic")), f(m.person_econ()), f(m.public_econ()))]
    econ_rows: list[tuple[str, int, int]] = []
    for cls in ("301", "302", "303"):
        codes = [c for c in sorted(m.econ) if c[:3] == cls]
        if not codes:
            continue
        v = sum(m.econ[c] for c in codes)
        person = cls != "302"
        econ_rows.append((cls, v, person))
        econ_rows += [(c, m.econ[c], person) for c in codes]
    for code, v, person in econ_rows:
        body.append(line(code, ECON[code], f(v), f(v if person else 0), f(0 if person else v)))
        m.cell("一般公共预算财政拨款基本支出表", code, "合计", v, 1)
        m.cell("一般公共预算财政拨款基本支出表", code, "人员经费", v if person else 0, 1)
        m.cell("一般公共预算财政拨款基本支出表", code, "公用经费", 0 if person else v, 1)
    m.cell("一般公共预算财政拨款基本支出表", "合计", "合计", m.total("gp_basic"), 1)
    pages.append("\n".join(["附表6", f"{m.unit}2025年一般公共预算基本支出预算表", hdr,
                            "部门预算支出经济分类科目", "合计 人员经费 公用经费", "科目编码 科目名称"] + body))

    # 附表7 三公 (合计 因公出国 公务用车购置及运行费(小计 购置费 运行费) 公务接待费)
    s = m.sangong
    car = s["公务用车购置费"] + s["公务用车运行费"]
    vals = [sum(s.values()), s["因公出国（境）费"], car, s["公务用车购置费"], s["公务用车运行费"], s["公务接待费"]]
    pages.append("\n".join(["附表7", f"{m.unit}2025年一般公共预算“三公”经费支出预算表", hdr,
                            "公务用车购置及运行费", "合计 因公出国（境）费 公务接待费", "小计 公务用车购置费 公务用车运行费",
                            line(*[money(v, False, False) for v in vals])]))
    for r, v in zip(("合计", "因公出国（境）费", "公务用车购置及运行费", "公务用车购置费", "公务用车运行费", "公务接待费"), vals):
        m.cell("三公经费支出表", r, "预算数", v, 1)

    # 附表8 政府性基金预算支出预算表
    gf_levels = m.levels(lambda i: i.gf_project > 0)
    body = [line("合计", f(gf), "", f(gf))]
    for code, its in gf_levels:
        v = m.total("gf_project", its)
        body.append(line(code, FUNC[code], f(v), f(v)))
        m.cell("政府性基金预算财政拨款支出表", code, "合计", v, 1)
        m.cell("政府性基金预算财政拨款支出表", code, "项目支出", v, 1)
    pages.append("\n".join(["附表8", f"{m.unit}2025年政府性基金预算支出预算表", hdr,
                            "科目编码 科目名称 合计 基本支出 项目支出"] + body))
    # 附表9 国有资本经营 (empty) and an unread 附表10 on the same page
    pages.append("\n".join(["附表9", f"{m.unit}2025年国有资本经营预算支出预算表", hdr,
                            "科目编码 科目名称 合计 基本支出 项目支出",
                            "注：本部门2025年无国有资本经营预算支出，此表为空表。",
                            "附表10",
                            f"{m.unit}2025年项目支出预算表", hdr,
                            "项目名称 项目单位 合计 一般公共预算 政府性基金",
                            f"水利工程维修养护 {m.unit} 88.00 88.00",
                            f"农村饮用水工程 {m.unit} 120.00 120.00"]))
    return "\f".join(pages) + "\n", m


# ------------------------------------------------------------------------------------------ 河南 单位预算

def henan() -> tuple[str, Model]:
    rng = random.Random(2024)
    items = [
        Item("2050803", gp_person=63456712, gp_public=12345678, gp_project=30000000, sy_project=8000000),
        Item("2050899", gp_project=4500000, sy_basic=2345600, qt_project=1200000),
        Item("2050299", gp_project=1850000),
        Item("2080502", gp_person=6789000),
        Item("2080505", gp_person=9876543),
        Item("2080506", gp_person=4938271),
        Item("2101102", gp_person=5432100),
        Item("2210201", gp_person=7654321),
    ]
    sangong = {"因公出国（境）费": 0, "公务接待费": 1200000, "公务用车购置费": 0, "公务用车运行费": 4500000}
    econ = economic(rng, items, sangong, ["30101", "30102", "30107", "30108", "30109", "30110", "30113", "30302",
                                         "30305"], ["30201", "30205", "30206", "30211", "30213", "30217", "30228",
                                                    "30231"])
    m = Model("henan-jiaoyan-2024", "郑州市教育科学研究院", 2024, items, econ, sangong)
    m.check()
    hdr = f"单位名称：{m.unit} 金额单位：元"

    def f(c: int) -> str:
        return money(c, True)
    pages: list[str] = [f"{m.unit}\n{m.year}年单位预算公开\n"]
    tot, gp, sy, qt = m.total("total"), m.total("gp"), m.total("sy_basic") + m.total("sy_project"), m.total("qt_project")

    # 表一 单位收支总表 (two-sided, 序号-free)
    inc = [("一、一般公共预算拨款收入", gp), ("二、政府性基金预算拨款收入", 0), ("三、国有资本经营预算拨款收入", 0),
           ("四、事业收入", sy), ("五、事业单位经营收入", 0), ("六、其他收入", qt)]
    classes = [(c, its) for c, its in m.levels() if len(c) == 3]
    exp = [(f"{cn(i)}、{FUNC[c]}", m.total("total", its)) for i, (c, its) in enumerate(classes, 1)]
    rows = side_by_side(inc, exp, f)
    rows += [line("本年收入合计", f(tot), "本年支出合计", f(tot)), line("收入总计", f(tot), "支出总计", f(tot))]
    pages.append("\n".join(["表一", f"{m.year}年单位收支总表", hdr, "收入 支出", "项目 预算数 项目 预算数"] + rows))
    for lab, v in inc + [("本年收入合计", tot), ("收入总计", tot)]:
        m.cell("收支总表", "收入:" + lab.split("、")[-1], "预算数", v, 0.0001)
    for lab, v in exp + [("支出总计", tot)]:
        m.cell("收支总表", "支出:" + lab.split("、")[-1], "预算数", v, 0.0001)

    def coded(levels, values, cols, kind):
        body = []
        for n, (code, its) in enumerate(levels, 1):
            vs = values(its)
            body.append(line(str(n), split_code(code), FUNC[code], *[f(v) for v in vs]))
            for c, v in zip(cols, vs):
                m.cell(kind, code, c, v, 0.0001)
        allv = values([i for _, its in levels for i in its if len(_) == 3])
        body.append(line("合计", *[f(v) for v in allv]))
        for c, v in zip(cols, allv):
            m.cell(kind, "合计", c, v, 0.0001)
        return body

    # 表二 单位收入总表: 合计 一般公共预算 事业收入 其他收入 (a 序号 column; codes split)
    cols = ["合计", "一般公共预算拨款收入", "政府性基金预算拨款收入", "事业收入", "事业单位经营收入", "其他收入"]
    body = coded(m.levels(), lambda its: [m.total("total", its), m.total("gp", its), 0,
                                         m.total("sy_basic", its) + m.total("sy_project", its), 0,
                                         m.total("qt_project", its)], cols, "收入总表")
    pages.append("\n".join(["表二", f"{m.year}年单位收入总表", hdr,
                            "功能分类科目 一般公共预算 政府性基金预 事业单位经",
                            "序号 合计 事业收入 其他收入",
                            "类 款 项 科目名称 拨款收入 算拨款收入 营收入"] + body))
    # 表三 单位支出总表
    body = coded(m.levels(), lambda its: [m.total("total", its), m.total("basic", its), m.total("project", its)],
                 ["合计", "基本支出", "项目支出"], "支出总表")
    pages.append("\n".join(["表三", f"{m.year}年单位支出总表", hdr, "功能分类科目",
                            "序号 合计 基本支出 项目支出", "类 款 项 科目名称"] + body))
    # 表四 财政拨款收支总表
    gp_classes = [(c, its) for c, its in m.levels(lambda i: i.gp > 0) if len(c) == 3]
    inc4 = [("一、一般公共预算拨款", gp), ("二、政府性基金预算拨款", 0), ("三、国有资本经营预算拨款", 0)]
    exp4 = [(f"{cn(i)}、{FUNC[c]}", m.total("gp", its)) for i, (c, its) in enumerate(gp_classes, 1)]
    rows = []
    for k in range(max(len(inc4), len(exp4))):
        a = inc4[k] if k < len(inc4) else ("", 0)
        b = exp4[k] if k < len(exp4) else ("", 0)
        rows.append(line(a[0], f(a[1]), b[0], f(b[1]), f(b[1])))
    rows.append(line("收入总计", f(gp), "支出总计", f(gp), f(gp)))
    pages.append("\n".join(["表四", f"{m.year}年财政拨款收支总表", hdr, "收入 支出",
                            "项目 预算数 项目 合计 一般公共预算 政府性基金预算 国有资本经营预算"] + rows))
    m.cell("财政拨款收支总表", "收入:一般公共预算拨款", "预算数", gp, 0.0001)
    for lab, v in exp4 + [("支出总计", gp)]:
        m.cell("财政拨款收支总表", "支出:" + lab.split("、")[-1], "一般公共预算财政拨款", v, 0.0001)
    # 表五 一般公共预算支出表
    body = coded(m.levels(lambda i: i.gp > 0), lambda its: [m.total("gp", its), m.total("gp_basic", its),
                                                            m.total("gp_project", its)],
                 ["合计", "基本支出", "项目支出"], "一般公共预算财政拨款支出表")
    pages.append("\n".join(["表五", f"{m.year}年一般公共预算支出表", hdr, "功能分类科目",
                            "序号 合计 基本支出 项目支出", "类 款 项 科目名称"] + body))
    # 表六 一般公共预算基本支出表 (经济分类: 合计 人员经费 公用经费)
    body = []
    n = 0
    for cls in ("301", "302", "303"):
        codes = [c for c in sorted(m.econ) if c[:3] == cls]
        person = cls != "302"
        for code in [cls] + codes:
            v = sum(m.econ[c] for c in codes) if code == cls else m.econ[code]
            n += 1
            body.append(line(str(n), split_code(code), ECON[code], f(v), f(v if person else 0), f(0 if person else v)))
            m.cell("一般公共预算财政拨款基本支出表", code, "合计", v, 0.0001)
            m.cell("一般公共预算财政拨款基本支出表", code, "人员经费", v if person else 0, 0.0001)
            m.cell("一般公共预算财政拨款基本支出表", code, "公用经费", 0 if person else v, 0.0001)
    body.append(line("合计", f(m.total("gp_basic")), f(m.person_econ()), f(m.public_econ())))
    m.cell("一般公共预算财政拨款基本支出表", "合计", "人员经费", m.person_econ(), 0.0001)
    pages.append("\n".join(["表六", f"{m.year}年一般公共预算基本支出表", hdr, "经济分类科目",
                            "序号 合计 人员经费 公用经费", "类 款 科目名称"] + body))
    # 表七 三公 (合计 因公出国 公务接待费 公务用车购置及运行费(小计 购置费 运行费)), in 元
    s = m.sangong
    car = s["公务用车购置费"] + s["公务用车运行费"]
    vals = [sum(s.values()), s["因公出国（境）费"], s["公务接待费"], car, s["公务用车购置费"], s["公务用车运行费"]]
    pages.append("\n".join(["表七", f"{m.year}年一般公共预算“三公”经费支出表", hdr,
                            "公务用车购置及运行费", "合计 因公出国（境）费 公务接待费", "小计 公务用车购置费 公务用车运行费",
                            line(*[money(v, True, False) for v in vals])]))
    for r, v in zip(("合计", "因公出国（境）费", "公务接待费", "公务用车购置及运行费", "公务用车购置费", "公务用车运行费"), vals):
        m.cell("三公经费支出表", r, "预算数", v, 0.0001)
    # 表八, 表九: empty
    pages.append("\n".join(["表八", f"{m.year}年政府性基金预算支出表", hdr, "功能分类科目",
                            "序号 合计 基本支出 项目支出", "类 款 项 科目名称",
                            "本单位无政府性基金预算收入，也没有使用政府性基金预算拨款安排的支出，故本表无数据。",
                            "", "表九", f"{m.year}年国有资本经营预算支出表", hdr, "功能分类科目",
                            "序号 合计 基本支出 项目支出", "类 款 项 科目名称",
                            "本单位无国有资本经营预算拨款安排的支出，此表为空表。"]))
    # the narrative, after the tables
    pages.append("\n".join([
        "第一部分 单位概况",
        "一、主要职能",
        f"{m.unit}是市教育局所属公益一类事业单位，承担全市基础教育教学研究、教师培训和质量监测工作。",
        "二、机构设置",
        "内设办公室、教研部、培训部等8个科室，事业编制120名。",
        "第二部分 2024年单位预算情况说明",
        "一、收支预算总体情况",
        f"2024年收入预算{tot / 1000000:.2f}万元，其中：一般公共预算拨款收入{gp / 1000000:.2f}万元，事业收入"
        f"{sy / 1000000:.2f}万元，其他收入{qt / 1000000:.2f}万元。",
        "二、“三公”经费预算情况说明",
        f"2024年“三公”经费预算{sum(s.values()) / 1000000:.2f}万元，其中：公务接待费{s['公务接待费'] / 1000000:.2f}万元，"
        f"公务用车运行费{s['公务用车运行费'] / 1000000:.2f}万元。",
        "三、名词解释",
        "1.事业收入：指事业单位开展专业业务活动及其辅助活动取得的收入。",
    ]))
    return "\f".join(pages) + "\n", m


# ------------------------------------------------------------------------------------------ 四川 单位预算

# the 功能分类 classes a 四川 总表 lists whether the unit spends on them or not (a line per class)
CLASSES = [("201", "一般公共服务支出"), ("202", "外交支出"), ("203", "国防支出"), ("204", "公共安全支出"),
           ("205", "教育支出"), ("206", "科学技术支出"), ("207", "文化旅游体育与传媒支出"), ("208", "社会保障和就业支出"),
           ("210", "卫生健康支出"), ("211", "节能环保支出"), ("212", "城乡社区支出"), ("213", "农林水支出"),
           ("214", "交通运输支出"), ("221", "住房保障支出")]


def sichuan(yuan: bool = False) -> tuple[str, Model]:
    """A 四川 事业单位 单位预算. ``yuan``: another unit's, printed as the hidden 四川 document is — tables in 元
    with separators and decimals, codes split (213 01 04), 上年结转-funded items, a 收入总表 printing 本年收入's
    小计 and every source of funds (most columns empty), a 支出总表 printing 基本支出 over 小计 人员经费 公用经费."""
    rng = random.Random(2026)
    items = [
        Item("2130104", gp_person=123456, gp_public=23450, sy_basic=15000),
        Item("2130106", gp_project=86000, sy_project=24000),
        Item("2130108", gp_project=45600),
        Item("2130199", sy_project=12000),
        Item("2120804", gf_project=60000),
        Item("2080505", gp_person=15678),
        Item("2080506", gp_person=7839),
        Item("2101102", gp_person=6543),
        Item("2210201", gp_person=9876),
    ]
    if yuan:
        items[3] = Item("2130199", sy_project=12000, jz_project=3500)
        items[2] = Item("2130108", gp_project=45600, jz_project=8800)
    sangong = {"因公出国（境）费": 0, "公务接待费": 120, "公务用车购置费": 0, "公务用车运行费": 880}
    econ = economic(rng, items, sangong, ["30101", "30102", "30107", "30108", "30109", "30110", "30113"],
                    ["30201", "30205", "30206", "30211", "30217", "30228", "30231"])
    m = Model("sichuan-dongyi-2026", "雅安市雨城区动物疫病预防控制中心", 2026, items, econ, sangong) if yuan else \
        Model("sichuan-nongji-2026", "绵阳市涪城区农业技术推广中心", 2026, items, econ, sangong)
    m.check()
    U = "单位：元" if yuan else "单位：万元"
    jz = m.total("jz_project")
    pages: list[str] = [f"{m.unit}\n{m.year}年单位预算\n"]
    titles = [("表1", "单位收支总表"), ("表1-1", "单位收入总表"), ("表1-2", "单位支出总表"), ("表2", "财政拨款收支总表"),
              ("表2-1", "财政拨款支出预算表（部门经济分类科目）"), ("表3", "一般公共预算支出预算表"),
              ("表3-1", "一般公共预算基本支出预算表"), ("表3-2", "一般公共预算项目支出预算表"),
              ("表3-3", "一般公共预算“三公”经费支出预算表"), ("表4", "政府性基金支出预算表"),
              ("表4-1", "政府性基金预算“三公”经费支出预算表"), ("表5", "国有资本经营预算支出预算表"), ("表6", "项目支出绩效目标表")]
    pages.append("\n".join(["目录", "第一部分 单位概况", "一、基本职能及主要工作", "二、机构设置情况",
                            "第二部分 2026年单位预算情况说明", "第三部分 名词解释", "第四部分 附件"] +
                           [f"{n} {t}" for n, t in titles]))
    tot, gp, gf = m.total("total"), m.total("gp"), m.total("gf_project")
    sy = m.total("sy_basic") + m.total("sy_project")

    def w(c: int) -> str:
        return f"{c / 100:.2f}"
    pages.append("\n".join([
        "第一部分 单位概况",
        "一、基本职能及主要工作",
        f"{m.unit}是区农业农村局所属公益一类事业单位，负责全区农业技术推广、病虫害监测防控和农业科技培训。",
        "二、机构设置情况",
        "本单位内设综合股、推广股、植保股3个股室，事业编制28名。",
        "第二部分 2026年单位预算情况说明",
        "一、收支预算情况的总体说明",
        f"2026年收入预算{w(tot)}万元，其中：一般公共预算拨款收入{w(gp)}万元，政府性基金预算拨款收入{w(gf)}万元，"
        f"事业收入{w(sy)}万元。",
        "二、一般公共预算支出情况说明",
        f"2026年一般公共预算支出{w(gp)}万元，其中基本支出{w(m.total('gp_basic'))}万元，项目支出{w(m.total('gp_project'))}万元。",
        "三、一般公共预算基本支出情况说明",
        f"2026年一般公共预算基本支出{w(m.total('gp_basic'))}万元，其中：人员经费{w(m.total('gp_person'))}万元，"
        f"公用经费{w(m.total('gp_public'))}万元。",
        "四、“三公”经费财政拨款预算情况说明",
        "（一）总体情况",
        f"2026年“三公”经费财政拨款预算{w(sum(sangong.values()))}万元，其中公务接待费{w(sangong['公务接待费'])}万元，"
        f"公务用车运行费{w(sangong['公务用车运行费'])}万元。",
        "五、政府性基金预算支出情况说明",
        f"2026年政府性基金预算支出{w(gf)}万元，用于农村基础设施建设。",
        "六、国有资本经营预算支出情况说明",
        "本单位2026年无国有资本经营预算拨款安排的支出，表5为空表。",
        "第三部分 名词解释",
        "1.事业收入：指事业单位开展专业业务活动及其辅助活动取得的收入。",
        "第四部分 附件",
    ]))

    def f(c: int) -> str:
        return money(c * 10000 if yuan else c, True)

    def code_of(code: str) -> str:
        return split_code(code) if yuan else code

    # 表1 单位收支总表: every class printed, an item of each side on a line with no figure
    inc = [("一、一般公共预算拨款收入", gp), ("二、政府性基金预算拨款收入", gf), ("三、国有资本经营预算拨款收入", 0),
           ("四、事业收入", sy), ("五、事业单位经营收入", 0), ("六、其他收入", 0)]
    exp = [(f"{cn(i)}、{name}", m.total("total", [it for it in m.items if it.code[:3] == code]))
           for i, (code, name) in enumerate(CLASSES, 1)]
    rows = side_by_side(inc, exp, f)
    rows += [line("本年收入合计", f(tot - jz), "本年支出合计", f(tot)), line("上年结转", f(jz), "结转下年", ""),
             line("收入总计", f(tot), "支出总计", f(tot))]
    pages.append("\n".join(["表1", "单位收支总表", f"单位名称：{m.unit} {U}", "收 入 支 出", "项 目 预算数 项 目 预算数"] + rows))
    for lab, v in inc + [("本年收入合计", tot - jz), ("收入总计", tot)] + ([("上年结转", jz)] if yuan else []):
        m.cell("收支总表", "收入:" + lab.split("、")[-1], "预算数", v, 1)
    for lab, v in exp + [("本年支出合计", tot), ("支出总计", tot)]:
        m.cell("收支总表", "支出:" + lab.split("、")[-1], "预算数", v, 1)

    def coded(kind: str, cols: list[str], values, pred=lambda it: True, total_first: bool = True) -> list[str]:
        levels = m.levels(pred)
        allv = values([it for it in m.items if pred(it)])
        body = [line("合计", *[f(v) for v in allv])]
        for code, its in levels:
            body.append(line(code_of(code), FUNC[code], *[f(v) for v in values(its)]))
        for code, its in [("合计", [it for it in m.items if pred(it)])] + levels:
            for c, v in zip(cols, values(its)):
                m.cell(kind, code, c, v, 1)
        return body

    if yuan:
        pages += _sichuan_totals(m, coded, U)
    # 表1-1 单位收入总表: a header line with words the family does not list, the 本年收入 group above its parts
    cols = ["合计", "上年结转", "一般公共预算拨款收入", "政府性基金预算拨款收入", "国有资本经营预算拨款收入", "事业收入",
            "事业单位经营收入", "其他收入"]
    body = [] if yuan else coded("收入总表", cols, lambda its: [m.total("total", its), 0, m.total("gp", its), m.total("gf_project", its), 0,
                                             m.total("sy_basic", its) + m.total("sy_project", its), 0, 0])
    pages += [] if yuan else ["\n".join(["表1-1", "单位收入总表", U,
                            "科目编码 单位代码 单位名称（科目） 合计 上年结转 本年收入",
                            "一般公共预算 政府性基金预算 国有资本经营预算 事业收入 事业单位经营收入 其他收入",
                            "拨款收入 拨款收入 拨款收入"] + body)]
    # 表1-2 单位支出总表: three columns no 财政拨款 table has, in the order the header prints them
    body = [] if yuan else coded("支出总表", ["合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"],
                 lambda its: [m.total("total", its), m.total("basic", its), m.total("project", its), 0, 0, 0])
    pages += [] if yuan else ["\n".join(["表1-2", "单位支出总表", U,
                            "科目编码 单位代码 单位名称（科目） 合计 基本支出 项目支出 上缴上级支出 事业单位经营支出 对附属单位补助支出"]
                           + body)]
    # 表2 财政拨款收支总表 (its 支出 side: 合计 一般公共预算 政府性基金预算 国有资本经营预算)
    inc4 = [("一、本年收入", gp + gf), ("（一）一般公共预算拨款", gp), ("（二）政府性基金预算拨款", gf),
            ("（三）国有资本经营预算拨款", 0), ("二、上年结转", 0)]
    exp4 = [("一、本年支出", gp + gf, gp, gf)] + [
        (f"（{cn(i)}）{name}", m.total("gp", its) + m.total("gf_project", its), m.total("gp", its),
         m.total("gf_project", its))
        for i, (code, name) in enumerate(CLASSES, 1) for its in [[it for it in m.items if it.code[:3] == code]]] + \
        [("二、结转下年", 0, 0, 0)]
    rows = side_by_side(inc4, exp4, f)
    rows.append(line("收入总计", f(gp + gf), "支出总计", f(gp + gf), f(gp), f(gf)))
    pages.append("\n".join(["表2", "财政拨款收支总表", U, "收 入 支 出",
                            "项 目 预算数 项 目 合计 一般公共预算 政府性基金预算 国有资本经营预算"] + rows))
    m.cell("财政拨款收支总表", "收入:一般公共预算拨款", "预算数", gp, 1)
    m.cell("财政拨款收支总表", "收入:政府性基金预算拨款", "预算数", gf, 1)
    for lab, t, a, b in exp4[1:-1] + [("支出总计", gp + gf, gp, gf), ("本年支出", gp + gf, gp, gf)]:
        lab = lab.split("）")[-1].split("、")[-1]
        m.cell("财政拨款收支总表", "支出:" + lab, "合计", t, 1)
        m.cell("财政拨款收支总表", "支出:" + lab, "一般公共预算财政拨款", a, 1)
        m.cell("财政拨款收支总表", "支出:" + lab, "政府性基金预算财政拨款", b, 1)
    # 表2-1 (not read: 经济分类 of all 财政拨款): its rows must not join 表2
    econ_lines = [line(c, ECON[c], f(v), f(v)) for c, v in sorted(m.econ.items())]
    pages.append("\n".join(["表2-1", "财政拨款支出预算表（部门经济分类科目）", U,
                            "科目编码 科目名称 合计 基本支出 项目支出", line("合计", f(m.total("gp_basic")), f(m.total("gp_basic")))]
                           + econ_lines))
    # 表3 一般公共预算支出预算表: 合计 基本支出 项目支出 on one line, 人员经费 公用经费 under 基本支出
    body = coded("一般公共预算财政拨款支出表", ["合计", "基本支出", "人员经费", "公用经费", "项目支出"],
                 lambda its: [m.total(a, its) for a in ("gp", "gp_basic", "gp_person", "gp_public", "gp_project")],
                 lambda it: it.gp > 0)
    pages.append("\n".join(["表3", "一般公共预算支出预算表", U,
                            "科目编码 单位代码 单位名称（科目） 合计 基本支出 项目支出", "人员经费 公用经费"] + body))
    # 表3-1 一般公共预算基本支出预算表 (经济分类)
    body = [line("合计", f(m.total("gp_basic")), f(m.person_econ()), f(m.public_econ()))]
    m.cell("一般公共预算财政拨款基本支出表", "合计", "合计", m.total("gp_basic"), 1)
    for cls in ("301", "302", "303"):
        codes = [c for c in sorted(m.econ) if c[:3] == cls]
        if not codes:
            continue
        person = cls != "302"
        for code in [cls] + codes:
            v = sum(m.econ[c] for c in codes) if code == cls else m.econ[code]
            body.append(line(code, ECON[code], f(v), f(v if person else 0), f(0 if person else v)))
            m.cell("一般公共预算财政拨款基本支出表", code, "合计", v, 1)
            m.cell("一般公共预算财政拨款基本支出表", code, "人员经费", v if person else 0, 1)
            m.cell("一般公共预算财政拨款基本支出表", code, "公用经费", 0 if person else v, 1)
    pages.append("\n".join(["表3-1", "一般公共预算基本支出预算表", U, "部门预算支出经济分类科目",
                            "科目编码 科目名称 合计 人员经费 公用经费"] + body))
    # 表3-2 (not read): the 项目支出 by subject, on the same page as 表3-3
    proj = [line(it.code, FUNC[it.code], f(it.gp_project), f(it.gp_project)) for it in m.items if it.gp_project]
    s3 = m.sangong
    car = s3["公务用车购置费"] + s3["公务用车运行费"]
    vals = [sum(s3.values()), s3["因公出国（境）费"], car, s3["公务用车购置费"], s3["公务用车运行费"], s3["公务接待费"]]
    pages.append("\n".join(["表3-2", "一般公共预算项目支出预算表", U, "科目编码 科目名称 合计 项目支出",
                            line("合计", f(m.total("gp_project")), f(m.total("gp_project")))] + proj +
                           ["表3-3", "一般公共预算“三公”经费支出预算表", U,
                            "合计 因公出国（境）费 公务用车购置及运行费 公务接待费", "小计 公务用车购置费 公务用车运行费",
                            line(*[money(v * 10000 if yuan else v, True, False) for v in vals])]))
    for r, v in zip(("合计", "因公出国（境）费", "公务用车购置及运行费", "公务用车购置费", "公务用车运行费", "公务接待费"), vals):
        m.cell("三公经费支出表", r, "预算数", v, 1)
    # 表4 政府性基金支出预算表, then 表4-1 (not read) printed empty
    body = coded("政府性基金预算财政拨款支出表", ["合计", "基本支出", "项目支出"],
                 lambda its: [m.total("gf_project", its), 0, m.total("gf_project", its)], lambda it: it.gf_project > 0)
    pages.append("\n".join(["表4", "政府性基金支出预算表", U, "科目编码 科目名称 合计 基本支出 项目支出"] + body +
                           ["表4-1", "政府性基金预算“三公”经费支出预算表", U,
                            "合计 因公出国（境）费 公务用车购置及运行费 公务接待费", "0.00 0.00 0.00 0.00",
                            "注：本单位无政府性基金预算安排的“三公”经费，此表为空表。"]))
    # 表5 empty, 表6 (not read) a 绩效目标 table with figures in its text
    pages.append("\n".join(["表5", "国有资本经营预算支出预算表", U, "科目编码 科目名称 合计 基本支出 项目支出",
                            "注：本单位2026年无国有资本经营预算拨款安排的支出，此表为空表。",
                            "表6", "项目支出绩效目标表", U, "项目名称 预算金额 年度目标 指标值",
                            "农业科技推广服务 1,100.00 推广主导品种和主推技术 20 项",
                            "病虫害监测防控 456.00 监测点覆盖全区 12 个"]))
    return "\f".join(pages) + "\n", m

def _sichuan_totals(m: Model, coded, U: str) -> list[str]:  # type: ignore[no-untyped-def]
    """The 元 四川 document's 收入总表 (本年收入 over its 小计 and every source) and 支出总表 (基本支出 over 小计
    人员经费 公用经费), most columns empty."""
    cols = ["合计", "上年结转", "小计", "一般公共预算拨款收入", "政府性基金预算拨款收入", "国有资本经营预算拨款收入",
            "财政专户管理资金", "事业收入", "事业单位经营收入", "上级补助收入", "附属单位上缴收入", "其他收入"]
    body = coded("收入总表", cols, lambda its: [
        m.total("total", its), m.total("jz_project", its), m.total("total", its) - m.total("jz_project", its),
        m.total("gp", its), m.total("gf_project", its), 0, 0, m.total("sy_basic", its) + m.total("sy_project", its),
        0, 0, 0, 0])
    income = "\n".join(["表1-1", "单位收入总表", U, "科目 合计 上年结转 本年收入",
                        "科目编码 科目名称 小计 一般公共预算 政府性基金预算 国有资本经营预算 财政专户管理资金 事业收入 "
                        "事业单位经营收入 上级补助收入 附属单位上缴收入 其他收入", "拨款收入 拨款收入 拨款收入"] + body)
    body = coded("支出总表", ["合计", "基本支出", "人员经费", "公用经费", "项目支出", "上缴上级支出", "经营支出",
                          "对附属单位补助支出"],
                 lambda its: [m.total("total", its), m.total("basic", its), m.total("gp_person", its),
                              m.total("gp_public", its) + m.total("sy_basic", its), m.total("project", its), 0, 0, 0])
    spending = "\n".join(["表1-2", "单位支出总表", U,
                          "科目编码 科目名称 合计 基本支出 项目支出 上缴上级支出 事业单位经营支出 对附属单位补助支出",
                          "小计 人员经费 公用经费"] + body)
    return [income, spending]


# ------------------------------------------------------------------------------------------ 中央 部门决算

def zhongyang() -> tuple[str, Model]:
    rng = random.Random(2023)
    items = [
        Item("2060101", gp_person=345678, gp_public=123456),
        Item("2060102", gp_project=234500),
        Item("2060499", gp_project=1567800, sy_project=300000),
        Item("2080505", gp_person=45678),
        Item("2080506", gp_person=22839),
        Item("2101101", gp_person=33333),
        Item("2210201", gp_person=41234),
    ]
    sangong = {"因公出国（境）费": 45600, "公务接待费": 2300, "公务用车购置费": 0, "公务用车运行费": 8800}
    econ = economic(rng, items, sangong, ["30101", "30102", "30107", "30108", "30109", "30110", "30113"],
                    ["30201", "30205", "30206", "30211", "30217", "30231"])
    m = Model("zhongyang-kejiju-2023-final", "国家科技资源共享服务中心", 2023, items, econ, sangong,
              {"因公出国（境）费": 60000, "公务接待费": 5000, "公务用车购置费": 0, "公务用车运行费": 10000})
    m.check()

    def f(c: int, blank: bool = False) -> str:
        return money(c, True, blank)
    U = "金额单位：万元"

    def hdr(n: int) -> str:
        return f"部门：{m.unit} 公开{n:02d}表 {U}"
    tot, gp, sy = m.total("total"), m.total("gp"), m.total("sy_project")
    pages = [f"{m.unit}\n{m.year}年度部门决算\n"]
    pages.append("\n".join([
        "第一部分 部门概况",
        "一、部门职责",
        f"{m.unit}负责国家科技资源共享服务平台的运行管理。",
        "第二部分 2023年度部门决算表",
    ]))
    # 公开01表 收入支出决算总表: 项目 行次 金额 | 项目 行次 金额; 栏次 row
    inc = [("一、一般公共预算财政拨款收入", gp), ("二、政府性基金预算财政拨款收入", 0), ("三、国有资本经营预算财政拨款收入", 0),
           ("四、上级补助收入", 0), ("五、事业收入", sy), ("六、经营收入", 0), ("七、附属单位上缴收入", 0), ("八、其他收入", 0)]
    classes = [(c, its) for c, its in m.levels() if len(c) == 3]
    exp = [(f"{cn(i)}、{FUNC[c]}", m.total("total", its)) for i, (c, its) in enumerate(classes, 1)]
    rows = []
    n = max(len(inc), len(exp))
    for k in range(n):
        a = inc[k] if k < len(inc) else None
        b = exp[k] if k < len(exp) else None
        rows.append(line(*(a and (a[0], str(k + 1), f(a[1])) or ()), *(b and (b[0], str(k + 1 + 20), f(b[1])) or ())))
    rows += [line("本年收入合计", "9", f(tot), "本年支出合计", "29", f(tot)),
             line("使用非财政拨款结余", "10", f(0), "结余分配", "30", f(0)),
             line("年初结转和结余", "11", f(0), "年末结转和结余", "31", f(0)),
             line("总计", "12", f(tot), "总计", "32", f(tot))]
    pages.append("\n".join([f"{m.year}年度收入支出决算总表", hdr(1), "收入 支出", "项目 行次 金额 项目 行次 金额",
                            "栏次 1 栏次 2"] + rows))
    for lab, v in inc + [("本年收入合计", tot), ("总计", tot)]:
        m.cell("收支总表", "收入:" + lab.split("、")[-1], "决算数", v, 1)
    for lab, v in exp + [("本年支出合计", tot)]:
        m.cell("收支总表", "支出:" + lab.split("、")[-1], "决算数", v, 1)

    def coded(levels, values, cols, kind, width_wrap=9):
        body = []
        for code, its in levels:
            vs = values(its)
            name = FUNC[code]
            figs = [f(v) for v in vs]
            if len(name) > width_wrap:  # wrapped: the name's head above the figures line, its tail below
                parts = wrap(name, width_wrap)
                body += [parts[0], line(code, *figs), "".join(parts[1:])]
            else:
                body.append(line(code, name, *figs))
            for c, v in zip(cols, vs):
                m.cell(kind, code, c, v, 1)
        return body
    # 公开02表 收入决算表
    cols = ["本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"]
    vals = lambda its: [m.total("total", its), m.total("gp", its), 0, m.total("sy_project", its), 0, 0, 0]  # noqa: E731
    body = [line("合计", *[f(v) for v in vals(m.items)])] + coded(m.levels(), vals, cols, "收入总表")
    for c, v in zip(cols, vals(m.items)):
        m.cell("收入总表", "合计", c, v, 1)
    pages.append("\n".join([f"{m.year}年度收入决算表", hdr(2), "项目 附属单位",
                            "本年收入合计 财政拨款收入 上级补助收入 事业收入 经营收入 其他收入",
                            "科目编码 科目名称 上缴收入", "栏次 1 2 3 4 5 6 7"] + body))
    # 公开03表 支出决算表
    cols = ["本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"]
    vals = lambda its: [m.total("total", its), m.total("basic", its), m.total("project", its), 0, 0, 0]  # noqa: E731
    body = [line("合计", *[f(v) for v in vals(m.items)])] + coded(m.levels(), vals, cols, "支出总表")
    for c, v in zip(cols, vals(m.items)):
        m.cell("支出总表", "合计", c, v, 1)
    pages.append("\n".join([f"{m.year}年度支出决算表", hdr(3), "项目 对附属单位",
                            "本年支出合计 基本支出 项目支出 上缴上级支出 经营支出",
                            "科目编码 科目名称 补助支出", "栏次 1 2 3 4 5 6"] + body))
    # 公开04表 财政拨款收入支出决算总表 (行次)
    gp_classes = [(c, its) for c, its in m.levels(lambda i: i.gp > 0) if len(c) == 3]
    inc4 = [("一、一般公共预算财政拨款", gp), ("二、政府性基金预算财政拨款", 0), ("三、国有资本经营预算财政拨款", 0)]
    exp4 = [(f"{cn(i)}、{FUNC[c]}", m.total("gp", its)) for i, (c, its) in enumerate(gp_classes, 1)]
    rows = []
    for k in range(max(len(inc4), len(exp4))):
        a = inc4[k] if k < len(inc4) else None
        b = exp4[k] if k < len(exp4) else None
        rows.append(line(*(a and (a[0], str(k + 1), f(a[1])) or ()),
                         *(b and (b[0], str(k + 21), f(b[1]), f(b[1]), f(0), f(0)) or ())))
    rows += [line("本年收入合计", "9", f(gp), "本年支出合计", "29", f(gp), f(gp), f(0), f(0)),
             line("年初财政拨款结转和结余", "10", f(0), "年末财政拨款结转和结余", "30", f(0), f(0), f(0), f(0)),
             line("总计", "12", f(gp), "总计", "32", f(gp), f(gp), f(0), f(0))]
    pages.append("\n".join([f"{m.year}年度财政拨款收入支出决算总表", hdr(4), "收入 支出",
                            "政府性基金预算 国有资本经营预",
                            "项目 行次 金额 项目 行次 合计 一般公共预算财政拨款",
                            "财政拨款 算财政拨款", "栏次 1 栏次 2 3 4 5"] + rows))
    m.cell("财政拨款收支总表", "收入:一般公共预算财政拨款", "决算数", gp, 1)
    for lab, v in exp4 + [("本年支出合计", gp)]:
        m.cell("财政拨款收支总表", "支出:" + lab.split("、")[-1], "一般公共预算财政拨款", v, 1)
    # 公开05表 一般公共预算财政拨款支出决算表 (合计 基本支出 项目支出)
    vals = lambda its: [m.total("gp", its), m.total("gp_basic", its), m.total("gp_project", its)]  # noqa: E731
    body = [line("合计", *[f(v) for v in vals(m.items)])] + coded(m.levels(lambda i: i.gp > 0), vals,
                                                                  ["合计", "基本支出", "项目支出"],
                                                                  "一般公共预算财政拨款支出表")
    pages.append("\n".join([f"{m.year}年度一般公共预算财政拨款支出决算表", hdr(5), "项目 本年支出",
                            "科目编码 科目名称 合计 基本支出 项目支出", "栏次 1 2 3"] + body))
    # 公开06表 一般公共预算财政拨款基本支出决算表 (pairs: 人员经费 | 公用经费)
    left = [(c, m.econ[c]) for c in sorted(m.econ) if c[:3] in ("301", "303")]
    right = [(c, m.econ[c]) for c in sorted(m.econ) if c[:3] == "302"]
    for cls in [c for c in ("301", "303") if any(k[:3] == c for k, _ in left)]:
        left.insert(next(i for i, (c, _) in enumerate(left) if c[:3] == cls), (cls, sum(v for c, v in left if c[:3] == cls)))
    right.insert(0, ("302", sum(v for _, v in right)))
    body = []
    for k in range(max(len(left), len(right))):
        a = left[k] if k < len(left) else None
        b = right[k] if k < len(right) else None
        body.append(line(*(a and (a[0], ECON[a[0]], f(a[1])) or ()), *(b and (b[0], ECON[b[0]], f(b[1])) or ())))
    body.append(line("人员经费合计", f(m.person_econ()), "公用经费合计", f(m.public_econ())))
    for c, v in left + right:
        m.cell("一般公共预算财政拨款基本支出表", c, "决算数", v, 1)
    pages.append("\n".join([f"{m.year}年度一般公共预算财政拨款基本支出决算表", hdr(6), "人员经费 公用经费",
                            "科目编码 科目名称 决算数 科目编码 科目名称 决算数"] + body))
    # 公开07表 三公 (预算数 决算数 pairs)
    s, sb = m.sangong, m.sangong_budget
    order = ["合计", "因公出国（境）费", "公务用车购置及运行维护费", "公务用车购置费", "公务用车运行维护费", "公务接待费"]

    def six(d):
        car = d["公务用车购置费"] + d["公务用车运行费"]
        return [sum(d.values()), d["因公出国（境）费"], car, d["公务用车购置费"], d["公务用车运行费"], d["公务接待费"]]
    pairs = [x for b, a in zip(six(sb), six(s)) for x in (b, a)]
    pages.append("\n".join([f"{m.year}年度一般公共预算财政拨款“三公”经费支出决算表", hdr(7),
                            "公务用车购置及运行维护费", "合计 因公出国（境）费 公务接待费",
                            "小计 公务用车购置费 公务用车运行维护费", " ".join(["预算数 决算数"] * 6),
                            line(*[f(v) for v in pairs])]))
    for r, b, a in zip(order, six(sb), six(s)):
        m.cell("三公经费支出表", r, "预算数", b, 1)
        m.cell("三公经费支出表", r, "决算数", a, 1)
    # 公开08表, 公开09表: empty
    pages.append("\n".join([f"{m.year}年度政府性基金预算财政拨款收入支出决算表", hdr(8),
                            "项目 年初结转和结余 本年收入 本年支出 年末结转和结余",
                            "科目编码 科目名称 合计 基本支出 项目支出", "栏次 1 2 3 4 5 6",
                            "注：本部门2023年度没有使用政府性基金预算财政拨款安排的支出，本表为空表。", "",
                            f"{m.year}年度国有资本经营预算财政拨款支出决算表", hdr(9),
                            "科目编码 科目名称 本年支出 合计 基本支出 项目支出", "栏次 1 2 3",
                            "注：本部门2023年度没有使用国有资本经营预算财政拨款安排的支出，本表为空表。"]))
    pages.append("\n".join([
        "第三部分 2023年度部门决算情况说明",
        "一、收入支出决算总体情况说明",
        f"2023年度收入、支出决算总计{tot / 100:.2f}万元。",
        "二、支出决算情况说明",
        f"2023年度本年支出合计{tot / 100:.2f}万元，其中：基本支出{m.total('basic') / 100:.2f}万元，"
        f"项目支出{m.total('project') / 100:.2f}万元。",
        "三、“三公”经费支出决算情况说明",
        f"2023年度“三公”经费支出决算{sum(s.values()) / 100:.2f}万元，完成预算的"
        f"{sum(s.values()) / sum(sb.values()) * 100:.2f}%。",
    ]))
    return "\f".join(pages) + "\n", m


def main() -> None:
    for make in (zhejiang, henan, zhongyang, sichuan, functools.partial(sichuan, yuan=True)):
        text, m = make()
        (HERE / f"{m.slug}.txt").write_text(text, encoding="utf-8")
        (HERE / f"{m.slug}.truth.json").write_text(
            json.dumps({"unit": m.unit, "year": m.year, "cells": m.truth}, ensure_ascii=False, indent=0) + "\n",
            encoding="utf-8")
        print(f"{m.slug}: {len(m.truth)} cells")


if __name__ == "__main__":
    main()

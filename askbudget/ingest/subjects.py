"""Subject tables: rows of a name (and a 功能/经济分类 code) with figure columns.

Covers 收入总表, 支出总表, 一般公共预算财政拨款支出表 / 基本支出表, 政府性基金 / 国有资本经营预算
财政拨款支出表, 三公经费支出表 and 固定资产占用情况表; the shared row helpers live here too.
"""
from __future__ import annotations

import re

from .layout import Leaf
from .model import Cell, ParseWarning, Row
from .reader import RawRow, is_dash, join_wrapped, parse_number, strip_tags

NAME_COLUMNS = ("科目名称", "项目", "项目名称", "单位名称")
CODE_COLUMNS = ("科目编码",)
NO_COLUMNS = ("序号",)
# columns whose cells are text by nature: no warning when they hold no number
TEXT_COLUMNS = frozenset({"采购物品名称", "政府采购目录序号", "计量单位", "单位性质", "单位规格",
                          "经费保障形式"})

ORDINAL_RE = re.compile(
    r"^\s*(?:[一二三四五六七八九十百]+\s*[、.．]|[（(]\s*[一二三四五六七八九十百\d]+\s*[)）]|\d+\s*[、．.](?!\d))\s*")
QIZHONG_RE = re.compile(r"^\s*其中\s*[:：]?\s*")
TOP_ORDINAL_RE = re.compile(r"^\s*(?:[一二三四五六七八九十百]+\s*[、.．]|\d+\s*[、．.](?!\d))")
TOTAL_RE = re.compile(r"(?:合计|小计|总计)$")
CODE_RE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")
CODE_IN_NAME_RE = re.compile(r"^(\d{3}(?:\d{2}){0,2})\s+(\S.*)$")
# a subordinate unit's row of a 部门's table: its 6-digit unit code, then its name (``101002 …疾病预防控制中心``)
UNIT_ROW_RE = re.compile(r"^(\d{6})(?!\d)\s*(\S.*)$")
# what an organisation's name ends in (the kind of body, never a unit's own name), a （本级） after it
ORG_END_RE = re.compile(r"(?:局|中心|所|站|院|校|学校|委员会|委|办|办公室|办事处|馆|队|处|会|园|场|厅|部|社|室|台|团|"
                        r"监狱|医院|幼儿园|公司|集团|大队|支队)(?:\s*[（(]\s*本级\s*[)）])?$")
UNIT_HEADER_RE = re.compile(r"单位(?:编码|代码|名称)")


def label_of(name: str) -> str:
    """The name without 其中 / ordinal prefixes: ``其中：（1）公务用车购置费`` → ``公务用车购置费``."""
    s = name
    for _ in range(3):
        t = ORDINAL_RE.sub("", QIZHONG_RE.sub("", s), count=1)
        if t == s:
            break
        s = t
    return s.strip() or name.strip()


def unit_row(name: str, unit_header: bool = False) -> tuple[str, str] | None:
    """A subordinate unit's row (its 6-digit unit code and a name) → (code, name), else None. The name is
    an organisation's (``ORG_END_RE``), or any name in a table whose header prints 单位编码/单位名称
    (``unit_header``). A 功能/经济分类 code is 3, 5 or 7 digits: a 6-digit one is never a subject's."""
    m = UNIT_ROW_RE.match(name.strip())
    if m is None or is_total(m.group(2)):
        return None
    if unit_header or ORG_END_RE.search(m.group(2)):
        return m.group(1), m.group(2).strip()
    return None


def is_total(label: str) -> int:
    return 1 if TOTAL_RE.search(label) else 0


def cell_raw(s: str) -> str:
    """The cell's text, white space runs as one space (str.split cuts where ``\\s`` matches, without a regex)."""
    return " ".join(strip_tags(s).split())


def make_cells(raw: RawRow, leaves: list[Leaf], columns: list[str], warnings: list[ParseWarning],
               title: str) -> tuple[Cell, ...]:
    out = []
    for col, leaf in enumerate(leaves):
        text = cell_raw(raw.cells[leaf.pos]) if leaf.pos < len(raw.cells) else ""
        if leaf.name in TEXT_COLUMNS:
            text = join_wrapped(text)
            value = None
        else:
            value = parse_number(text)
            if value is None and text and not is_dash(text):
                warnings.append(ParseWarning(raw.line, f"{title}: text {text!r} in figure column "
                                                       f"{leaf.name!r} (kept as raw, no value)"))
        out.append(Cell(col, leaf.name, leaf.group, text, value,
                        raw.line))
    return tuple(out)


def classification_of(leaves: list[Leaf], kind: str) -> str:
    for leaf in leaves:
        if leaf.name in CODE_COLUMNS:
            if "经济" in leaf.group:
                return "经济分类"
            if "功能" in leaf.group:
                return "功能分类"
    return "经济分类" if "基本支出" in kind else "功能分类"


def code_level(code: str, classification: str) -> int | None:
    n = len(code)
    if classification == "经济分类":
        return {3: 1, 5: 2}.get(n)
    return {3: 1, 5: 2, 7: 3}.get(n)


def build_subject_rows(data: tuple[RawRow, ...], all_leaves: list[Leaf], kind: str, title: str,
                       warnings: list[ParseWarning]) -> tuple[list[str], list[Row]]:
    """One-sided table rows: 序号, optional 科目编码, a name column, then figure columns."""
    pos = {leaf.name: leaf.pos for leaf in all_leaves}
    no_pos = next((pos[n] for n in NO_COLUMNS if n in pos), None)
    code_pos = next((pos[n] for n in CODE_COLUMNS if n in pos), None)
    name_pos = next((pos[n] for n in NAME_COLUMNS if n in pos), None)
    if name_pos is None:  # a table without a named name column: the first non-序号 column
        name_pos = next((lf.pos for lf in all_leaves if lf.pos != no_pos), 0)
    # older templates split the code over 类 / 款 / 项 columns ("204", "02", "02"; a 款 row may
    # print only "02"): the full code is rebuilt from the parts and the codes above it
    part_pos = [pos[n] for n in ("类", "款", "项") if n in pos]
    skip = {p for p in (no_pos, code_pos, name_pos, *part_pos) if p is not None}
    vleaves = [lf for lf in all_leaves if lf.pos not in skip and lf.name]
    columns = [lf.name for lf in vleaves]
    classification = classification_of(all_leaves, kind) if code_pos is not None or part_pos else None
    current: list[str] = ["", "", ""]
    rows: list[Row] = []
    names_by_code: dict[str, str] = {}
    group = ""
    for seq, raw in enumerate(data, 1):
        cells = list(raw.cells)

        def at(p: int | None) -> str:
            return cell_raw(cells[p]) if p is not None and p < len(cells) else ""

        name = join_wrapped(at(name_pos))
        code = re.sub(r"\s", "", at(code_pos)) or None
        if code is None and len(part_pos) == 3:
            parts = [re.sub(r"\s", "", at(p)) for p in part_pos]
            if any(parts) and all(x.isdigit() for x in parts if x):
                last = max(i for i, x in enumerate(parts) if x)
                for i in range(last + 1):
                    if parts[i]:
                        current[i] = parts[i][-(3 if i == 0 else 2):]
                current[last + 1:] = [""] * (2 - last)
                code = "".join(current[: last + 1])
        if code is None and code_pos is not None:
            joined = CODE_IN_NAME_RE.match(at(name_pos))  # "2040202 一般行政管理事务" in one cell
            if joined:
                code, name = joined.group(1), join_wrapped(joined.group(2))
        if code is not None and not CODE_RE.match(code):
            warnings.append(ParseWarning(raw.line, f"{title}: {code!r} is not a subject code"))
        label = label_of(name)
        total = is_total(label)
        level = parent = None
        group_name = ""
        if code and classification:
            level = code_level(code, classification)
            parent = code[:-2] if len(code) > 3 else None
            group_name = names_by_code.get(parent, "") if parent else ""
            names_by_code[code] = label
        else:
            # 其中 rows (and unnumbered rows after them) belong to the nearest class row above
            if QIZHONG_RE.match(name):
                group_name = group
            elif group and not TOP_ORDINAL_RE.match(name) and not total and rows and rows[-1].group_name:
                group_name = group
            else:
                group = label
        rows.append(Row(seq, at(no_pos), "", code, name, label, group_name, classification if code else None,
                        level, parent, total, raw.line,
                        make_cells(raw, vleaves, columns, warnings, title)))
    return columns, rows

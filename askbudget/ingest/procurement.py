"""政府采购预算表: a project (项目名称, 预算资金) with one or more items (采购物品名称, 目录序号, 计量单位,
数量, 单价, the 金额 columns by fund, 预留中小微企业份额).

A project's second and later items leave the project cells blank: the project is inherited and kept
in ``rows.group_name``; ``rows.name``/``label`` is the item. 合计 / ``…小计`` lines are totals.
"""
from __future__ import annotations

from .layout import Leaf
from .model import ParseWarning, Row
from .reader import RawRow, join_wrapped
from .subjects import TOTAL_RE, cell_raw, make_cells

PROJECT_COLUMN = "项目名称"
ITEM_COLUMN = "采购物品名称"


def build_procurement_rows(data: tuple[RawRow, ...], leaves: list[Leaf], title: str,
                           warnings: list[ParseWarning]) -> tuple[list[str], list[Row]]:
    proj_pos = next((lf.pos for lf in leaves if lf.name == PROJECT_COLUMN), 0)
    item_pos = next((lf.pos for lf in leaves if lf.name == ITEM_COLUMN), None)
    vleaves = [lf for lf in leaves if lf.pos != proj_pos and lf.name]
    columns = [lf.name for lf in vleaves]
    rows: list[Row] = []
    project = ""
    for seq, raw in enumerate(data, 1):
        first = join_wrapped(raw.cells[proj_pos]) if proj_pos < len(raw.cells) else ""
        item = join_wrapped(cell_raw(raw.cells[item_pos])) if item_pos is not None and item_pos < len(raw.cells) else ""
        cells = make_cells(raw, vleaves, columns, warnings, title)
        m = TOTAL_RE.search(first)
        if m and not item:
            owner = first[: m.start()].strip()
            rows.append(Row(seq, "", "", None, first, m.group(0), owner, None, None, None, 1, raw.line, cells))
            project = ""
            continue
        if first:
            project = first
        name = item or first
        rows.append(Row(seq, "", "", None, name, name, project, None, None, None, 0, raw.line, cells))
    return columns, rows

"""Two-sided summary tables (收支总表, 财政拨款收支总表): each printed line holds a 收入 item and a
支出 item side by side, so it gives two rows, ``side = '收入'`` and ``side = '支出'``.

The sides are the header groups that own a name (``项目``) column; each side keeps its own figure
columns (财政拨款收支总表: 收入 has 金额, 支出 has 合计 and three fund columns). A side whose name
cell is blank on a line has no row there.
"""
from __future__ import annotations

from .layout import Leaf
from .model import ParseWarning, Row
from .reader import RawRow, join_wrapped
from .subjects import NAME_COLUMNS, NO_COLUMNS, cell_raw, is_total, label_of, make_cells


def sides_of(leaves: list[Leaf]) -> list[tuple[str, Leaf, list[Leaf]]]:
    """[(side, name leaf, figure leaves)] in order; empty when the table is not two-sided."""
    out: list[tuple[str, Leaf, list[Leaf]]] = []
    for lf in leaves:
        if lf.name in NAME_COLUMNS and lf.group:
            out.append((lf.group, lf, []))
        elif out and lf.name and lf.name not in NO_COLUMNS and lf.group == out[-1][1].group:
            out[-1][2].append(lf)
    if len(out) != 2:
        return []
    # the side is 收入 or 支出 whatever the header calls it (收 入, 收入项目, 支出功能分类…)
    return [(_side_name(g), n, f) for g, n, f in out]


def _side_name(group: str) -> str:
    if "收" in group:
        return "收入"
    if "支" in group:
        return "支出"
    return group


def build_two_sided_rows(data: tuple[RawRow, ...], leaves: list[Leaf], title: str,
                         warnings: list[ParseWarning]) -> tuple[list[str], list[Row]]:
    sides = sides_of(leaves)
    no_pos = next((lf.pos for lf in leaves if lf.name in NO_COLUMNS), None)
    columns: list[str] = [lf.name for _, _, figs in sides for lf in figs]
    rows: list[Row] = []
    seq = 0
    for raw in data:
        row_no = cell_raw(raw.cells[no_pos]) if no_pos is not None and no_pos < len(raw.cells) else ""
        offset = 0
        for side, name_leaf, figs in sides:
            name = join_wrapped(raw.cells[name_leaf.pos]) if name_leaf.pos < len(raw.cells) else ""
            if name:
                seq += 1
                cells = make_cells(raw, figs, [lf.name for lf in figs], warnings, title)
                cells = tuple(c.__class__(c.col + offset, c.column, side, c.raw, c.value, c.line)
                              for c in cells)
                label = label_of(name)
                rows.append(Row(seq, row_no, side, None, name, label, "", None, None, None,
                                is_total(label), raw.line, cells))
            offset += len(figs)
    return columns, rows

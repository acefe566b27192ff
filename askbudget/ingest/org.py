"""机构设置表: 单位名称 / 单位性质 / 单位规格 / 经费保障形式 — a one-row table whose cells are facts."""
from __future__ import annotations

from .model import Fact, Table


def org_facts(table: Table) -> list[Fact]:
    facts: list[Fact] = []
    for row in table.rows:
        facts.append(Fact("单位名称", row.name, table.title, row.line))
        for c in row.cells:
            if c.raw:
                facts.append(Fact(c.column, c.raw, table.title, c.line))
    return facts

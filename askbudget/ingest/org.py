"""机构设置表: 单位名称 / 单位性质 / 单位规格 / 经费保障形式 (and, in some documents, staffing columns)
— a one-row table whose cells are facts. Staffing columns get the fact keys of docs/schema.md."""
from __future__ import annotations

from .model import Fact, Table

# column words → fact key (first match wins); other columns keep their header as the key
KEY_WORDS: tuple[tuple[str, str], ...] = (("编制", "编制数"), ("在职", "在职人数"), ("退休", "退休人数"),
                                          ("性质", "单位性质"), ("规格", "单位规格"), ("级别", "单位规格"),
                                          ("经费", "经费保障形式"))


def fact_key(column: str) -> str:
    return next((key for word, key in KEY_WORDS if word in column), column)


def org_facts(table: Table) -> list[Fact]:
    facts: list[Fact] = []
    for row in table.rows:
        facts.append(Fact("单位名称", row.name, table.title, row.line))
        for c in row.cells:
            if c.raw:
                facts.append(Fact(fact_key(c.column), c.raw, table.title, c.line))
    return facts

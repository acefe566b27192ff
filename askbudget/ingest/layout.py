"""Column headers → leaf columns with their spanning group.

Two header rows: a cell of the top row with cells under it starts a group (``本年收入`` over
``小计 … 其他收入``); a top cell with nothing under it is a leaf on its own (``合计``). The PDF
conversion sometimes shifts a lone top cell one place left of its data column, leaving the group's
last sub-header after it (政府采购: ``2023年预留中小微企业份额`` sits above an empty cell, followed
by ``非财政拨款结转结余``): a lone header is never followed by orphan sub-headers, so the orphans go
back to the group and the lone header moves past them.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .reader import RawRow, header_text

YEAR_PREFIX_RE = re.compile(r"^\d{4}年(?:度)?")
# a trailing unit note: "(金额单位: 万元)", "（单位：元）" or a bare money unit "（元）" / "(万元)"
UNIT_SUFFIX_RE = re.compile(r"[（(]\s*(?:(?:金额)?单位[:：]?[^)）]*|[千百万亿]*元)\s*[)）]$")


@dataclass(frozen=True)
class Leaf:
    pos: int
    name: str
    group: str


def clean_column(name: str) -> str:
    """``价值(金额单位:万元)`` → ``价值``; ``2023年预留中小微企业份额`` → ``预留中小微企业份额``."""
    name = UNIT_SUFFIX_RE.sub("", name)
    return YEAR_PREFIX_RE.sub("", name) or name


def leaves(header: tuple[RawRow, ...]) -> list[Leaf]:
    """The leaf columns of a table's header rows, left to right."""
    if not header:
        return []
    return list(_leaves(tuple(r.cells for r in header)))


@functools.lru_cache(maxsize=1024)  # a template's headers recur in every document of it
def _leaves(cells: tuple[tuple[str, ...], ...]) -> tuple[Leaf, ...]:
    rows = [[header_text(c) for c in r] for r in cells]
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    if len(rows) == 1:
        return tuple(Leaf(i, clean_column(n), "") for i, n in enumerate(rows[0]))
    top, sub = rows[0], rows[-1]
    if len(rows) > 2:  # fold middle rows into the sub row where it is blank
        for mid in rows[1:-1]:
            sub = [s or m for s, m in zip(sub, mid)]
    names: list[str] = [""] * width
    groups: list[str] = [""] * width
    group = ""
    for i in range(width):
        t, s = top[i], sub[i]
        if t and s:
            group = t
            names[i], groups[i] = s, t
        elif t:
            group = ""
            names[i], groups[i] = t, ""
        elif s:
            names[i], groups[i] = s, group
    # repair a lone header followed by orphan sub-headers (see module docstring)
    i = 0
    while i < width:
        if top[i] and not sub[i] and i > 0 and groups[i - 1]:
            j = i + 1
            while j < width and not top[j] and sub[j]:
                j += 1
            if j > i + 1:
                lone = names[i]
                prev_group = groups[i - 1]
                for k in range(i, j - 1):
                    names[k], groups[k] = sub[k + 1], prev_group
                names[j - 1], groups[j - 1] = lone, ""
                i = j
                continue
        i += 1
    return tuple(Leaf(i, clean_column(names[i]), groups[i]) for i in range(width))

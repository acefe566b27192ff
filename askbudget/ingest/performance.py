"""绩效目标表: the project (from the heading ``1、办案及维稳经费绩效目标表`` → 办案及维稳经费), its goal
(the ``绩效目标`` row) and the indicator rows (一级/二级/三级指标, description, 指标值, 依据).

Blank 一级/二级 cells inherit from the row above. 指标值 is parsed by one rule: an optional comparator
(≥ ≤ > < =, or 不低于/不少于 → ≥, 不高于/不超过 → ≤), a number, and the rest as the unit, kept whole
(``≤30 个工作日`` → ≤, 30, ``个工作日``; ``100%`` → =, 100, ``%``; a bare number gets ``=``). A value
that is not exactly that shape (``是``, ``2023 年 12 月底``, ``派出所建成后 1 个月内``) has no number.
"""
from __future__ import annotations

import re

from .model import Indicator, ParseWarning
from .reader import RawRow, WS_RE, header_text, strip_tags, to_float

PROJECT_RE = re.compile(r"^\s*(?:\d+\s*[、.．]|[（(]?[一二三四五六七八九十]+[)）、])?\s*(.*?)\s*绩效目标表\s*$")
GOAL_PREFIX_RE = re.compile(r"^\d+\s*[.、．]\s*(?:目标(?:内容)?\s*\d*\s*[:：]?\s*)?")
VALUE_RE = re.compile(r"^(≥|≤|>=|<=|＞=|＜=|＞|＜|>|<|=|＝|不低于|不少于|不高于|不超过|大于|小于|高于|低于)?"
                      r"\s*(\d+(?:\.\d+)?)\s*([^\d\s][^\d]{0,7})?$")
COMPARATORS = {">=": "≥", "<=": "≤", "＞=": "≥", "＜=": "≤", "＞": ">", "＜": "<", "＝": "=",
               "不低于": "≥", "不少于": "≥", "不高于": "≤", "不超过": "≤", "大于": ">", "小于": "<",
               "高于": ">", "低于": "<"}


def project_of(title: str) -> str:
    m = PROJECT_RE.match(title)
    return m.group(1).strip() if m and m.group(1).strip() else title


def parse_value(raw: str) -> tuple[str | None, float | None, str | None]:
    s = WS_RE.sub(" ", raw).strip()
    m = VALUE_RE.match(s)
    if not m:
        return None, None, None
    comp = m.group(1) or "="
    unit = (m.group(3) or "").replace(" ", "") or None
    number = to_float(m.group(2))
    if number is None:  # 400 digits are not a target (and would be inf)
        return None, None, None
    return COMPARATORS.get(comp, comp), number, unit


def clean_goal(text: str) -> str:
    stripped = GOAL_PREFIX_RE.sub("", text).strip()
    return stripped or text


# header words → field; a table that lacks a column (no 绩效指标描述, no 依据) still maps the rest
FIELD_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("level1", ("一级指标",)), ("level2", ("二级指标",)), ("level3", ("三级指标",)),
    ("description", ("绩效指标描述", "指标描述", "指标内容")), ("basis", ("确定依据", "依据")),
    ("value", ("指标值", "目标值")),
)
DEFAULT_POS = {"level1": 0, "level2": 1, "level3": 2, "description": 3, "value": 4, "basis": 5}


def _positions(cells: list[str]) -> dict[str, int] | None:
    heads = [header_text(c) for c in cells]
    if "一级指标" not in heads and "三级指标" not in heads:
        return None
    pos: dict[str, int] = {}
    for i, h in enumerate(heads):
        for field_name, words in FIELD_WORDS:
            if field_name not in pos and any(w in h for w in words):
                pos[field_name] = i
                break
    return pos


def build_indicators(data: tuple[RawRow, ...], project: str, title: str,
                     warnings: list[ParseWarning]) -> tuple[str, list[Indicator]]:
    goal = ""
    out: list[Indicator] = []
    l1 = l2 = ""
    pos = dict(DEFAULT_POS)
    seen_header = False
    goal_parts: list[str] = []
    for raw in data:
        cells = [" ".join(strip_tags(c).split()) for c in raw.cells]  # white space runs as one space
        cells += [""] * (max(6, max(pos.values()) + 1) - len(cells))
        head = header_text(cells[0])
        found = _positions(cells)
        if found is not None:
            pos = {k: found.get(k, -1) for k in DEFAULT_POS}
            seen_header = True
            continue
        if not seen_header and ("目标" in head and "指标" not in head or (not head and goal_parts)):
            # 绩效目标 / 年度绩效目标 and its continuation rows, above the indicator header
            goal_parts.append(" ".join(c for c in cells[1:] if c))
            goal = clean_goal(" ".join(p for p in goal_parts if p))
            continue

        def get(field_name: str) -> str:
            i = pos.get(field_name, -1)
            return cells[i] if 0 <= i < len(cells) else ""

        l1 = get("level1") or l1
        l2 = get("level2") or l2
        value_raw = get("value")
        comp, number, unit = parse_value(value_raw)
        if not get("level3") and not value_raw:
            warnings.append(ParseWarning(raw.line, f"{title}: indicator row without 三级指标 or 指标值"))
        out.append(Indicator(len(out) + 1, project, l1, l2, get("level3"), get("description"), value_raw, comp,
                             number, unit, get("basis"), raw.line))
    return goal, out

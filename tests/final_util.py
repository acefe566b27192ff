"""决算 (final accounts) documents for tests, made without a 决算 reader (issue 10, phase 1).

``final_from_budget`` takes a parsed Tangshan 预算 document and makes the 决算 of the same unit and year as
the store holds one (docs/schema.md, "决算 documents"): the tables the national 决算 template prints, with
its titles and columns (lexicon/templates/national-final.tsv), every money figure multiplied by ``scale`` (exactly,
in decimal, so every total still adds up), the 三公 table with 预算数 (the budget's figure) and 决算数,
and a narrative written the way the 决算 template words it — read by the normal narrative reader, so its
statements are what the store would hold. Written with the normal writer (``write_store``).
"""
from __future__ import annotations

import sqlite3
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from askbudget.final_template import load as load_template
from askbudget.ingest.document import parse_bytes
from askbudget.ingest.model import Cell, Document, Row, Table

ROOT = Path(__file__).resolve().parent.parent
CZJ_2023 = ROOT / "tests" / "data" / "tangshan-gaoxin-czj-2023.txt"
CZJ_2022 = ROOT / "tests" / "data" / "tangshan-gaoxin-czj-2022.txt"
GONGAN_2023 = ROOT / "data" / "gaoxin-gongan-2023.txt"

# budget labels -> the 决算 template's (收入支出决算总表, 财政拨款收入支出决算总表)
_LABELS = {"一般公共预算拨款收入": "一般公共预算财政拨款收入", "政府性基金预算拨款收入": "政府性基金预算财政拨款收入",
           "国有资本经营预算拨款收入": "国有资本经营预算财政拨款收入", "事业单位经营收入": "经营收入",
           "上年结转结余": "年初结转和结余", "年终结转结余": "年末结转和结余",
           "一般公共预算拨款": "一般公共预算财政拨款", "政府性基金预算拨款": "政府性基金预算财政拨款",
           "国有资本经营预算拨款": "国有资本经营预算财政拨款"}


def _dec(raw: str) -> Decimal | None:
    try:
        return Decimal(raw.replace(",", "")) if raw.strip() else None
    except ArithmeticError:
        return None


def _fmt(d: Decimal) -> str:
    s = f"{d:.3f}".rstrip("0")
    return s + "0" * max(0, 2 - len(s.split(".")[1])) if "." in s else s + ".00"


def _cell(col: int, column: str, group: str, d: Decimal | None, line: int) -> Cell:
    if d is None:
        return Cell(col, column, group, "", None, line)
    return Cell(col, column, group, _fmt(d), float(d), line)


def _scaled(c: Cell, scale: Decimal) -> Decimal | None:
    d = _dec(c.raw)
    return None if d is None else d * scale


def _subjects(t: Table, spec_cols: list[str], pick: dict[str, tuple[str, ...]], scale: Decimal) -> Table:
    """A coded table: each 决算 column is the sum of the budget columns ``pick`` names, scaled."""
    rows = []
    for r in t.rows:
        cells = {c.column: c for c in r.cells}
        out = []
        for i, col in enumerate(spec_cols):
            parts = [_scaled(cells[b], scale) for b in pick.get(col, ()) if b in cells]
            vals = [p for p in parts if p is not None]
            out.append(_cell(i, col, "", sum(vals, Decimal(0)) if vals else None, r.line))
        rows.append(replace(r, cells=tuple(out)))
    return replace(t, columns=tuple(spec_cols), rows=tuple(rows))


def _two_sided(t: Table, cols: list[tuple[str, str]], pick: dict[str, str], scale: Decimal,
               extra: dict[str, list[str]]) -> Table:
    rows = []
    seq = 0
    for r in t.rows:
        label = _LABELS.get(r.label, r.label)
        name = r.name.replace(r.label, label) if r.label else r.name
        if label in ("收入总计", "支出总计"):
            name = "总计"  # the 决算 prints 总计 on both sides; the side's total keeps its label
        side_cols = [(s, c) for s, c in cols if s == r.side]
        cells = {c.column: c for c in r.cells}
        out = []
        for s, col in side_cols:
            src = cells.get(pick.get(col, col))
            d = _scaled(src, scale) if src is not None else None
            out.append(_cell([x for x in cols].index((s, col)), col, s, d, r.line))
        seq += 1
        rows.append(replace(r, seq=seq, name=name, label=label, cells=tuple(out)))
        for new in extra.get(label, ()):  # rows the 决算 prints and the budget does not (使用非财政拨款结余)
            seq += 1
            zero = tuple(_cell([x for x in cols].index((s, col)), col, s, Decimal(0), r.line) for s, col in side_cols)
            rows.append(Row(seq, "", r.side, None, new, new, "", None, None, None, 0, r.line, zero))
    return replace(t, columns=tuple(c for _, c in cols), rows=tuple(rows))


def _basic(t: Table, scale: Decimal) -> Table:
    """The 基本支出决算表: each 经济分类 subject's 决算数, then 人员经费合计 and 公用经费合计 (no 合计 row)."""
    rows = []
    people = public = Decimal(0)
    last = 0
    for r in t.rows:
        if r.is_total:
            continue
        cells = {c.column: c for c in r.cells}
        d = _scaled(cells["合计"], scale) if "合计" in cells else None
        rows.append(replace(r, cells=(_cell(0, "决算数", "", d, r.line),)))
        if r.level == 1 and d is not None:
            if r.code in ("301", "303"):
                people += d
            else:
                public += d
        last = max(last, r.seq)
    line = t.rows[-1].line if t.rows else t.line_end
    for i, (label, d) in enumerate((("人员经费合计", people), ("公用经费合计", public)), 1):
        rows.append(Row(last + i, "", "", None, label, label, "", None, None, None, 1, line,
                        (_cell(0, "决算数", "", d, line),)))
    return replace(t, columns=("决算数",), rows=tuple(rows))


def _sangong(t: Table, scale: Decimal) -> Table:
    rows = []
    for r in t.rows:
        cells = {c.column: c for c in r.cells}
        budget = _dec(cells["合计"].raw) if "合计" in cells else None
        spent = None if budget is None else budget * scale
        if budget is None:
            budget = spent = Decimal(0)
        rows.append(replace(r, cells=(_cell(0, "预算数", "", budget, r.line), _cell(1, "决算数", "", spent, r.line))))
    return replace(t, columns=("预算数", "决算数"), rows=tuple(rows))


def _fund(t: Table, scale: Decimal) -> Table:
    cols = ["年初结转和结余", "本年收入", "本年支出合计", "基本支出", "项目支出", "年末结转和结余"]
    pick = {"本年收入": ("合计",), "本年支出合计": ("合计",), "基本支出": ("基本支出",), "项目支出": ("项目支出",)}
    return _subjects(t, cols, pick, scale)


def final_tables(budget: Document, scale: Decimal, drop: tuple[str, ...] = ()) -> tuple[Table, ...]:
    tpl = load_template()
    out = []
    for t in budget.tables:
        spec = tpl.spec(t.kind)
        if spec is None or t.kind in drop:
            continue  # 政府采购预算表, 固定资产, 绩效目标表, 机构设置表: not in the 决算 template
        if t.kind == "收支总表":
            nt = _two_sided(t, list(spec.columns), {"决算数": "预算数"}, scale,
                            {"本年收入合计": ["使用非财政拨款结余"], "本年支出合计": ["结余分配"]})
        elif t.kind == "财政拨款收支总表":
            nt = _two_sided(t, list(spec.columns), {"决算数": "金额"}, scale, {})
        elif t.kind == "收入总表":
            nt = _subjects(t, [c for _, c in spec.columns], {
                "本年收入合计": ("小计",), "财政拨款收入": ("财政拨款收入",), "上级补助收入": ("上级补助收入",),
                "事业收入": ("事业收入",), "经营收入": ("经营收入",), "附属单位上缴收入": ("附属单位上缴收入",),
                "其他收入": ("其他收入", "财政专户收入")}, scale)
        elif t.kind == "支出总表":
            nt = _subjects(t, [c for _, c in spec.columns], {
                "本年支出合计": ("合计",), "基本支出": ("基本支出",), "项目支出": ("项目支出",),
                "上缴上级支出": ("上解上级支出",), "经营支出": ("经营支出",),
                "对附属单位补助支出": ("对附属单位补助支出",)}, scale)
        elif t.kind == "一般公共预算财政拨款支出表":
            nt = _subjects(t, ["合计", "基本支出", "项目支出"], {c: (c,) for c in ("合计", "基本支出", "项目支出")}, scale)
        elif t.kind == "一般公共预算财政拨款基本支出表":
            nt = _basic(t, scale)
        elif t.kind == "三公经费支出表":
            nt = _sangong(t, scale)
        else:
            nt = _fund(t, scale)
        out.append(replace(nt, title=spec.title))
    return tuple(out)


def final_from_budget(path: Path, scale: Decimal, narrative: str, *, drop: tuple[str, ...] = (),
                      name: str | None = None) -> Document:
    """The 决算 of the unit and year of the budget at ``path`` (see the module doc). ``narrative`` is the
    决算 情况说明 in the text conversion's form (``#`` headings); ``drop`` leaves tables of those kinds out."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    cut = next(i for i, ln in enumerate(lines) if ln.startswith("# ") and "说明" in ln)
    body = "\n".join(lines[:cut]) + "\n" + narrative.strip() + "\n"
    stem = name or path.stem + "-final"
    doc = parse_bytes(body.encode("utf-8"), str(path), name=stem, source_path=str(path))
    return replace(doc, kind="决算", tables=final_tables(doc, scale, drop), facts=())


def figure(doc: Document, kind: str, label: str, column: str, side: str = "") -> float | None:
    """A cell of a made document, for computing expected answers."""
    for t in doc.tables:
        if t.kind != kind:
            continue
        for r in t.rows:
            if r.label == label and (not side or r.side == side):
                for c in r.cells:
                    if c.column == column:
                        return c.value
    return None


def write_store(docs: list[Document], db: Path) -> Path:
    """Write documents with the normal writer (and the checks), as ``build_store`` does after parsing."""
    from askbudget.ingest import _write

    _write(db, docs)
    return db


def check_rows(db: Path) -> list[tuple[str, str, str]]:
    conn = sqlite3.connect(db)
    try:
        return [tuple(r) for r in conn.execute("SELECT rule, table_title, row FROM checks ORDER BY id")]
    finally:
        conn.close()

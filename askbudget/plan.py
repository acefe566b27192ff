"""Intent -> parameterised SQL over the store -> a cited Answer.

Every figure an answer carries is read from a cell, an indicator, a statement or a narrative
sentence of the store, or computed from such figures with the formula written out. User text
never enters SQL except as a bound parameter. Each query runs under ``store.TimeLimit``.
"""
from __future__ import annotations

import math
import re
import sqlite3
from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Sequence

from . import settings
from .answer import Answer, Citation, Item
from .errors import QueryError
from .parse import Intent, Mention
from .store import TimeLimit
from .vocab import DocInfo, Vocab, key

# table kinds, most specific first, for a subject's figure
PREF = ("一般公共预算财政拨款基本支出表", "支出总表", "收入总表", "一般公共预算财政拨款支出表",
        "政府性基金预算财政拨款支出表", "国有资本经营预算财政拨款支出表", "收支总表", "财政拨款收支总表",
        "三公经费支出表", "固定资产占用情况表", "政府采购预算表")
DEFAULT_COLUMNS = ("合计", "预算数", "金额", "价值")
MONEY = {"元": 1.0, "万元": 1e4, "亿元": 1e8}
ROW_SQL = ("SELECT r.id, r.document_id, r.table_id, t.kind, t.title, t.note, r.name, r.label, r.code, "
           "r.classification, r.level, r.side, r.is_total, r.group_name, r.seq, r.parent_code "
           "FROM rows r JOIN tables t ON t.id = r.table_id")


@dataclass(frozen=True)
class RowRef:
    id: int
    doc: int
    table_id: int
    kind: str
    title: str
    note: str
    name: str
    label: str
    code: str | None
    classification: str | None
    level: int | None
    side: str
    is_total: int
    group_name: str
    seq: int
    parent_code: str | None


@dataclass(frozen=True)
class CellVal:
    col: int
    column: str
    group: str
    raw: str
    value: float | None


@dataclass(frozen=True)
class Fig:
    """A figure read from the store: what it is, the number in the document's unit, where from."""

    label: str
    value: float | None
    unit: str
    cites: tuple[Citation, ...]
    raw: str = ""
    ref: RowRef | None = None
    column: str = ""
    doc: int = 0
    note: str = ""


@dataclass
class Context:
    """What the previous turn was about, for follow-ups."""

    intent: Intent | None = None
    figs: list[Fig] = field(default_factory=list)
    refs: list[RowRef] = field(default_factory=list)
    subject_keys: list[str] = field(default_factory=list)
    project: str = ""
    doc: int | None = None
    table_id: int | None = None
    what: str = ""
    pending: Intent | None = None  # a question that was answered with "which unit?"
    members: list[Fig] = field(default_factory=list)  # the whole list a list/rank answer was about


def fmt(x: float | None, unit: str = "") -> str:
    if x is None:
        return "—"
    if unit in ("万元", "亿元") or (unit == "元" and x != int(x)):
        s = f"{x:,.2f}" if unit != "元" else f"{x:,.2f}"
        return s.replace(",", "")
    if float(x).is_integer():
        return str(int(x))
    return f"{x:.2f}".rstrip("0").rstrip(".")


def _sqlval(p: Any) -> str:
    if isinstance(p, str):
        return "'" + p.replace("'", "''") + "'"
    return str(p)


class Planner:
    """Answers intents against one open store. Not thread-safe by itself (the Assistant locks)."""

    def __init__(self, conn: sqlite3.Connection, vocab: Vocab) -> None:
        self.conn = conn
        self.v = vocab
        self.docs: dict[int, DocInfo] = {d.id: d for d in vocab.docs}
        self.sql_log: list[str] = []

    # ------------------------------------------------------------ SQL
    def q(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        shown = sql
        for p in params:
            shown = shown.replace("?", _sqlval(p), 1)
        self.sql_log.append(shown)
        try:
            with TimeLimit(self.conn):
                return self.conn.execute(sql, tuple(params)).fetchall()
        except sqlite3.OperationalError as e:
            raise QueryError(f"query failed: {e}") from None

    @staticmethod
    def _in(n: int) -> str:
        return ",".join("?" * n)

    def rows_where(self, where: str, params: Sequence[Any], docs: Sequence[int]) -> list[RowRef]:
        sql = f"{ROW_SQL} WHERE {where} AND r.document_id IN ({self._in(len(docs))}) ORDER BY r.document_id, t.seq, r.seq"
        return [RowRef(*tuple(r)) for r in self.q(sql, list(params) + list(docs))]

    def cells(self, row_id: int) -> list[CellVal]:
        return [CellVal(r[0], r[1] or "", r[2] or "", r[3] or "", r[4]) for r in
                self.q("SELECT col, column, column_group, raw, value FROM cells WHERE row_id = ? ORDER BY col", (row_id,))]

    def tables_of(self, kind: str, docs: Sequence[int]) -> list[sqlite3.Row]:
        return self.q(f"SELECT id, document_id, kind, title, note, columns, project, goal FROM tables WHERE kind = ? "
                      f"AND document_id IN ({self._in(len(docs))}) ORDER BY document_id, seq", [kind, *docs])

    # ------------------------------------------------------------ citations
    def cite_row(self, ref: RowRef, column: str = "") -> Citation:
        d = self.docs[ref.doc]
        return Citation(d.name, d.unit_name, d.year, ref.title, ref.name, column)

    def cite_section(self, doc: int, heading: str) -> Citation:
        d = self.docs[doc]
        return Citation(d.name, d.unit_name, d.year, heading, "", "")

    def cite_table(self, doc: int, title: str, row: str = "", column: str = "") -> Citation:
        d = self.docs[doc]
        return Citation(d.name, d.unit_name, d.year, title, row, column)

    # ------------------------------------------------------------ rows and cells
    def pick_cell(self, ref: RowRef, cues: Sequence[str] = ()) -> CellVal | None:
        cells = self.cells(ref.id)
        if ref.side:
            cells = [c for c in cells if not c.group or c.group == ref.side] or cells
        if not cells:
            return None
        if cues:
            best, score = None, 0
            for c in cells:
                for cue in cues:
                    s = _col_score(c.column, c.group, cue)
                    if s > score:
                        best, score = c, s
            return best
        for name in DEFAULT_COLUMNS:
            for c in cells:
                if c.column == name:
                    return c
        for c in cells:
            if c.value is not None:
                return c
        return cells[0]

    def fig_of(self, ref: RowRef, cues: Sequence[str] = ()) -> Fig | None:
        c = self.pick_cell(ref, cues)
        if c is None:
            return None
        d = self.docs[ref.doc]
        unit = d.money_unit
        value = c.value
        raw = c.raw
        if ref.kind == "固定资产占用情况表" and c.column == "数量" or c.column in ("数量",):
            unit = _unit_in(raw) or ""
        elif c.column in ("单价",) or ref.kind != "固定资产占用情况表" or c.column == "价值":
            unit = d.money_unit
        if value is None and raw in ("", "--", "-", "—"):
            value = 0.0 if raw == "" else None
        return Fig(ref.label, value, unit, (self.cite_row(ref, c.column),), raw, ref, c.column, ref.doc)

    def rows_for_mention(self, m: Mention, docs: Sequence[int]) -> list[RowRef]:
        """Rows a subject mention can mean, by code, label, alias, item or standard name."""
        labels: list[str] = []
        for kind, target in m.kinds:
            if kind == "code":
                return self.rows_where("r.code = ?", (target,), docs)
            if kind in ("row", "item"):
                labels.append(target)
            elif kind in ("alias", "std", "gloss", "stmt", "belongs"):
                for t in target.split("|"):
                    labels.extend(self.v.labels.get(key(t), ()))
        if m.how != "exact":
            labels.extend(self.v.labels.get(m.key, ()))
        labels = list(dict.fromkeys(labels))
        if not labels:
            return []
        return self.rows_where(f"r.label IN ({self._in(len(labels))})", labels, docs)

    def total_row(self, kind: str, docs: Sequence[int]) -> tuple[list[RowRef], list[sqlite3.Row]]:
        tabs = self.tables_of(kind, docs)
        if not tabs:
            return [], []
        ids = [t["id"] for t in tabs]
        refs = [RowRef(*tuple(r)) for r in self.q(
            f"{ROW_SQL} WHERE r.table_id IN ({self._in(len(ids))}) AND r.is_total = 1 ORDER BY r.document_id, r.seq", ids)]
        first: dict[int, RowRef] = {}
        for r in refs:
            first.setdefault(r.table_id, r)
        return list(first.values()), tabs

    # ------------------------------------------------------------ statements and sections
    def statements(self, subject_keys: Iterable[str], docs: Sequence[int]) -> list[sqlite3.Row]:
        out = []
        keys = set(subject_keys)
        if not keys:
            return []
        rows = self.q("SELECT s.id, s.document_id, s.subject, s.value, s.unit, s.year, s.change_dir, s.change, "
                      "s.change_pct, s.base_year, s.base_value, s.sentence, sec.path AS heading FROM statements s "
                      f"JOIN sections sec ON sec.id = s.section_id WHERE s.document_id IN ({self._in(len(docs))}) "
                      "ORDER BY s.id", list(docs))
        for r in rows:
            if key(r["subject"] or "") in keys:
                out.append(r)
        return out

    def sections(self, docs: Sequence[int]) -> list[sqlite3.Row]:
        return self.q(f"SELECT id, document_id, heading, path, text FROM sections WHERE document_id IN "
                      f"({self._in(len(docs))}) ORDER BY document_id, seq", list(docs))


# ---------------------------------------------------------------- helpers

def _col_score(column: str, group: str, cue: str) -> int:
    c = key(column)
    cue = key(cue)
    if not cue:
        return 0
    if c == cue:
        return 5
    if cue == "财政拨款" and c in ("财政拨款收入", "财政拨款"):
        return 5
    if c.startswith(cue) or c.endswith(cue):
        return 3
    if cue in c:
        return 2
    if cue in key(group):
        return 1
    return 0


def _unit_in(raw: str) -> str:
    m = re.search(r"[\d.]+\s*([^\d\s.]+)$", raw or "")
    return m.group(1) if m else ""


def _bigrams(s: str) -> set[str]:
    return {s[i:i + 2] for i in range(len(s) - 1)}


_STOP_BIGRAMS = {"多少", "是多", "少钱", "目标", "要求", "预算", "安排", "什么", "一下", "是什", "标是", "求多",
                 "指标", "标值", "几天", "几个", "少个", "少天"}
_REASON_MARK = re.compile(r"原因|由于|因为|是因|主要是|导致|为了|所以|因此")
_SENT_SPLIT = re.compile(r"(?<=[。；;！？!?])")
_CLAUSE_SPLIT = re.compile(r"[，,。；;：:]")
_QTY = re.compile(r"(\d+(?:\.\d+)?)\s*(万元|亿元|元|个工作日|工作日|平方米|平米|人次|小时|个|台|辆|套|件|人|次|天|日|月|年|条|根|名|项|所|箱|%)")


class Answerer(Planner):
    """Turns one Intent (plus the conversation Context) into an Answer."""

    # ------------------------------------------------------------ entry
    def answer(self, it: Intent, ctx: Context) -> tuple[Answer, Context]:
        self.sql_log = []
        if it.what == "refuse":
            return self._refuse(it, it.refuse, it.refuse_status or "out_of_scope"), ctx
        if ctx.pending is not None and it.unit_doc is not None and not it.leftover and \
                not any(m.has("row", "item", "alias", "code", "stmt", "total", "project") for m in it.subjects):
            it = replace(ctx.pending, unit_doc=it.unit_doc)  # "财政局的" answers "which unit?"
        it = self._inherit(it, ctx)
        docs = self._docs(it)
        if isinstance(docs, Answer):
            return docs, ctx
        if it.what == "yoy" and it.year is not None and docs and all(self.docs[d].year == it.year for d in docs) \
                and not re.search(r"比|较|相比|增加|减少|增长|下降|变化|增减|多了|少了|百分之|%", it.text):
            it = replace(it, what="figure")  # that year has its own document: read it there
        if it.what in ("figure", "total") and any("|" in t for m in it.subjects for k, t in m.kinds if k == "alias"):
            it = replace(it, what="sum")  # 水电费 = 水费 + 电费
        if len(it.unit_docs) >= 2:
            out = self._across_units(it, ctx, docs)
        elif it.op is not None:
            out = self._with_op(it, ctx, docs)
        else:
            handler = getattr(self, f"_a_{it.what}", None) or self._a_figure
            out = handler(it, ctx, docs)
        if out is None and not re.search(r"多少|几|比例|占", it.text):
            out = self._a_section(it, ctx, docs)
        if out is None:
            return self._not_found(it, docs), ctx
        ans, new_ctx = out
        if ans.status == "answered":
            new_ctx.intent = it
            return replace(ans, sql=";\n".join(dict.fromkeys(self.sql_log)), intent=it.describe()), new_ctx
        if ans.status == "ambiguous":
            ctx = Context(intent=ctx.intent, figs=ctx.figs, refs=ctx.refs, subject_keys=ctx.subject_keys,
                          project=ctx.project, doc=ctx.doc, table_id=ctx.table_id, what=ctx.what, pending=it)
        return replace(ans, sql=";\n".join(dict.fromkeys(self.sql_log)), intent=it.describe()), ctx

    # ------------------------------------------------------------ scope: documents, years
    def _docs(self, it: Intent) -> list[int] | Answer:
        if it.what == "yoy" and it.year is not None and re.search(
                r"比|较|相比|增加|减少|增长|下降|变化|增减|多了|少了|百分之|%", it.text):
            it = replace(it, year=None)  # "比上年增加多少" is read in this year's document
        docs = list(self.docs)
        if it.unit_doc is not None and it.unit_doc in self.docs:
            docs = [it.unit_doc]
        years = sorted({self.docs[d].year for d in docs})
        if it.year is not None and it.year not in years and it.what not in ("yoy",):
            # a year outside the store: only a year a statement compares with can be derived
            if not self._derivable_year(it.year, docs):
                return self._refuse(it, f"文件只有{'、'.join(str(y) for y in years)}年的预算，没有{it.year}年的数", "not_found")
        if it.year is not None and it.year in years:
            docs = [d for d in docs if self.docs[d].year == it.year] or docs
        elif len(years) > 1:
            # no year named: each unit's latest year
            latest: dict[str, int] = {}
            for d in docs:
                u = self.docs[d].unit_name
                if u not in latest or self.docs[d].year > self.docs[latest[u]].year:
                    latest[u] = d
            docs = sorted(latest.values())
        return docs

    def _derivable_year(self, year: int, docs: Sequence[int]) -> bool:
        rows = self.q(f"SELECT 1 FROM statements WHERE (base_year = ? OR year = ?) AND document_id IN "
                      f"({self._in(len(docs))}) LIMIT 1", [year, year, *docs])
        return bool(rows)

    # ------------------------------------------------------------ follow-ups
    def _inherit(self, it: Intent, ctx: Context) -> Intent:
        if ctx.intent is None:
            return it
        subj = [m for m in it.subjects if not (m.has("gloss") and len(m.kinds) == 1 and it.what == "figure")]
        prev = ctx.intent
        t = it.text
        if not it.subjects and not it.leftover and (it.followup or it.columns or it.year_rel is not None
                                                     or it.cues or it.measure or it.money_unit):
            what = it.what
            if what == "figure" and ("sum" in it.cues or "total" in it.cues) and len(ctx.figs) >= 2:
                what = "sum"
            elif what == "figure" and ("diff" in it.cues or re.search(r"差|相差|多多少|少多少", t)) and len(ctx.figs) >= 2:
                what = "diff"
            elif what == "figure" and re.search(r"(去年|上年|上一年)", t) and not it.columns:
                what = "yoy"
            elif what in ("figure", "text") and prev.what in ("text",) and not it.columns:
                what = prev.what
            subjects = tuple(m for m in prev.subjects if not (m.has("column") and not m.has(
                "row", "item", "alias", "stmt", "project", "total", "code")))
            if what in ("sum", "diff") and len(ctx.figs) >= 2:
                subjects = ()
            return replace(it, what=what, subjects=subjects,
                           tables=it.tables or (prev.tables if not it.columns else ()),
                           columns=it.columns or (prev.columns if what == "figure" and not it.measure else ()),
                           unit_doc=it.unit_doc if it.unit_doc is not None else prev.unit_doc,
                           followup=True)
        colish = [m for m in it.subjects if m.has("column")]
        homeless = any(key(x) not in self.v.terms.get("home") for m in colish for x in m.targets("column"))
        if it.subjects and len(colish) == len(it.subjects) and (it.followup or homeless or len(t) <= 6
                                                                or re.search(r"^(其中|那)", t)) \
                and it.what in ("figure", "text") and not it.leftover:
            subjects = tuple(m for m in prev.subjects if not (m.has("column") and not m.has(
                "row", "item", "alias", "stmt", "project", "total", "code")))
            if subjects:
                cols = tuple(x for m in colish for x in m.targets("column"))
                return replace(it, what="figure", subjects=subjects, columns=cols, tables=it.tables,
                               unit_doc=it.unit_doc if it.unit_doc is not None else prev.unit_doc, followup=True)
        if subj and re.search(r"呢[?？]?$", t) and len(t) <= 12 and it.what == "figure":
            return replace(it, what=prev.what if prev.what in ("figure", "yoy", "text") else "figure",
                           columns=it.columns or prev.columns, tables=it.tables or prev.tables,
                           year=it.year if it.year is not None else prev.year,
                           unit_doc=it.unit_doc if it.unit_doc is not None else prev.unit_doc, followup=True)
        return it

    # ------------------------------------------------------------ answers that say no
    def _refuse(self, it: Intent, why: str, status: str) -> Answer:
        return Answer(it.question, status, why if why.endswith("。") else why + "。",  # type: ignore[arg-type]
                      suggestions=tuple(self.suggest(it)), intent=it.describe())

    def _not_found(self, it: Intent, docs: Sequence[int], why: str = "") -> tuple[Answer, Context] | Answer:
        names = "、".join(m.text for m in it.subjects if m.how != "code") or "、".join(it.leftover)
        if not why:
            why = f"文件中没有找到“{names}”的相关数据" if names else "没有看懂这个问题，文件中没有找到相关内容"
        return Answer(it.question, "not_found", why + "。", suggestions=tuple(self.suggest(it)),
                      intent=it.describe(), sql=";\n".join(dict.fromkeys(self.sql_log)))

    def suggest(self, it: Intent) -> list[str]:
        """Questions this store can answer, close to what was asked (did-you-mean)."""
        out: list[str] = []
        words = [m.text for m in it.subjects] + list(it.leftover)
        labels = sorted(self.v.labels)
        try:
            from rapidfuzz import fuzz, process

            for w in words:
                for cand, score, _ in process.extract(key(w), labels, scorer=fuzz.WRatio, limit=3, score_cutoff=60):
                    out.append(f"{next(iter(self.v.labels[cand]))}多少？")
        except Exception:  # noqa: BLE001
            pass
        for s in ("支出总计多少？", "电费多少？", "三公经费多少？", "政府采购预算总额是多少？", "什么是基本支出？"):
            if len(out) >= int(settings.MAX_SUGGESTIONS):
                break
            subject = s.split("多少")[0].split("是")[0].replace("什么", "").replace("？", "")
            if key(subject) in self.v.labels or key(subject) in self.v.glossary or "三公" in s or "采购" in s:
                out.append(s)
        return list(dict.fromkeys(out))[: int(settings.MAX_SUGGESTIONS)]

    # ------------------------------------------------------------ choosing a document when several fit
    def _one_doc(self, it: Intent, candidates: dict[int, Any]) -> int | Answer | None:
        if not candidates:
            return None
        if len(candidates) == 1:
            return next(iter(candidates))
        if it.unit_doc is not None and it.unit_doc in candidates:
            return it.unit_doc
        units = [self.docs[d].unit_name for d in candidates]
        return Answer(it.question, "ambiguous",
                      "有几个单位都有这一项，请说明问的是哪个单位：" + "；".join(units) + "。",
                      suggestions=tuple(f"{self._short_unit(d)}的{(it.subjects[0].text if it.subjects else '')}多少？"
                                        for d in candidates)[: int(settings.MAX_SUGGESTIONS)],
                      intent=it.describe())

    def _short_unit(self, doc: int) -> str:
        d = self.docs[doc]
        return d.keys[0] if d.keys else d.unit_name

    def _unit_note(self, doc: int, it: Intent) -> str:
        if len(self.docs) > 1 and doc in self.docs:
            return f"（{self.docs[doc].unit_name}，{self.docs[doc].year}年）"
        return ""

    # ------------------------------------------------------------ subjects -> figures
    def _split(self, it: Intent) -> tuple[list[Mention], list[str], list[str]]:
        """(subject mentions, column cues, table kinds) — a column word is a cue when a row is named."""
        subjects = list(it.subjects)
        cols = list(it.columns)
        tables = list(it.tables)
        if any(m.has("total") for m in subjects):
            # "政府采购预算总额": 预算总额 is that table's total, not the budget's 收入总计
            subjects = [m for m in subjects if not (m.has("alias") and not m.has("row", "item", "total", "stmt", "code")
                                                    and set(m.targets("alias")) <= {"收入总计", "支出总计"})]
        strong = [m for m in subjects if m.has("row", "item", "code", "std", "alias", "project", "stmt", "belongs", "total")
                  and not m.has("column")]
        if strong:
            rest = []
            for m in subjects:
                if m in strong:
                    rest.append(m)
                elif m.has("column"):
                    cols.extend(t for t in m.targets("column") if t not in cols)
            subjects = rest
            # a table-total word beside a more specific subject only narrows the table
            if len(subjects) > 1 and any(not m.has("total") for m in subjects):
                for m in [m for m in subjects if m.has("total") and not m.has("row", "item", "code")]:
                    tables.extend(m.targets("total"))
                    subjects.remove(m)
        else:
            rowish = [m for m in subjects if m.has("row", "alias")]
            if rowish and not (it.followup and it.subjects == ()):
                subjects = rowish
                own = {key(t) for m in rowish for t in m.targets("column")} | {m.key for m in rowish}
                cols = [c for c in cols if key(c) not in own]
            else:
                for m in subjects:
                    if m.has("column"):
                        cols.extend(t for t in m.targets("column") if t not in cols)
                subjects = [m for m in subjects if not m.has("column")]
        # a code and its name said together are one subject (2040220执法办案)
        seen: dict[str, Mention] = {}
        for m in subjects:
            if m.key in seen:
                if m.how == "code":
                    seen[m.key] = m
                continue
            seen[m.key] = m
        subjects = [m for m in subjects if seen.get(m.key) is m]
        # "X的Y": a subject followed by 的 and then another subject only qualifies it (公安分局的水费)
        if len(subjects) > 1:
            keep = []
            for i, m in enumerate(subjects):
                end = m.pos + len(m.text)
                later = [o for o in subjects[i + 1:] if not o.has("column") or o.has("row", "item")]
                if later and it.text[end:end + 1] == "的" and not m.has("column") and not m.has("code"):
                    continue
                keep.append(m)
            subjects = keep
        return subjects, cols, tables

    def _order(self, refs: list[RowRef], cols: Sequence[str], tables: Sequence[str], ctx: Context) -> list[RowRef]:
        def rank(r: RowRef) -> tuple:
            pref = PREF.index(r.kind) if r.kind in PREF else len(PREF)
            colfit = 0
            if cols:
                cells = self.cells(r.id)
                if r.side:
                    cells = [c for c in cells if c.group == r.side] or cells
                colfit = -max((_col_score(c.column, c.group, cue) for c in cells for cue in cols), default=0)
            hint = 0
            for cue in cols:
                if key(cue) in key(r.title):
                    hint -= 1
            ctxfit = 0 if (ctx.table_id is not None and r.table_id == ctx.table_id) else 1
            empty = 0
            if not cols:
                c = self.pick_cell(r)
                empty = 0 if (c is not None and c.value is not None) else 1
            return (colfit, hint, ctxfit if cols else 0, r.is_total if r.label in ("合计", "小计") else 0,
                    empty, pref, r.seq)
        return sorted(refs, key=rank)

    def _figs_for(self, it: Intent, m: Mention, cols: list[str], tables: list[str], docs: list[int],
                  ctx: Context) -> list[Fig] | Answer:
        refs = self.rows_for_mention(m, docs)
        refs = [r for r in refs if r.label not in ("合计", "小计")]
        if tables:
            kinds = set(tables)
            in_t = [r for r in refs if r.kind in kinds or any(key(t) in key(r.title) for t in tables)]
            refs = in_t
        if not refs and m.has("total"):
            for kind in m.targets("total"):
                trows, tabs = self.total_row(kind, docs)
                if trows:
                    refs = trows
                    break
                if tabs:
                    return [self._empty_table_fig(t) for t in tabs]
        if not refs and m.has("belongs"):
            for kind in m.targets("belongs"):
                for t in self.tables_of(kind, docs):
                    n = self.q("SELECT COUNT(*) FROM rows WHERE table_id = ?", (t["id"],))[0][0]
                    if n == 0:
                        return [self._empty_table_fig(t)]
        if not refs:
            return []
        by_doc: dict[int, list[RowRef]] = {}
        for r in refs:
            by_doc.setdefault(r.doc, []).append(r)
        d = self._one_doc(it, by_doc)
        if isinstance(d, Answer):
            return d
        refs = self._order(by_doc[d], cols, tables, ctx)
        primary = refs[0]
        twins = [r for r in refs if r.table_id == primary.table_id and r.code and primary.code and r.code != primary.code
                 and r.side == primary.side]
        if twins and m.how != "code":
            # one name, several subjects (行政运行 under 2010101 and 2013101): ask which
            cands = [primary] + twins
            parts = []
            for r in cands:
                f = self.fig_of(r, cols)
                parts.append(f"{r.code} {r.label}" + (f"（{fmt(f.value, f.unit)}{f.unit}）" if f and f.value is not None else ""))
            return Answer(it.question, "ambiguous", f"“{m.text}”对应几个科目，请说明是哪一个：" + "；".join(parts) + "。",
                          suggestions=tuple(f"{r.code}预算多少？" for r in cands)[: int(settings.MAX_SUGGESTIONS)])
        fig = self.fig_of(primary, cols)
        if fig is None:
            return []
        if primary.is_total and primary.label in ("合计", "小计", "总计"):
            fig = replace(fig, label=m.text)
        if cols and not any(_col_score(fig.column, "", c) for c in cols):
            return []
        cites = list(fig.cites)
        for r in refs[1:]:
            if len(cites) >= 4:
                break
            f2 = self.fig_of(r, cols)
            if f2 and f2.value is not None and fig.value is not None and abs(f2.value - fig.value) < 0.005 \
                    and (not cols or any(_col_score(f2.column, "", c) for c in cols)):
                if all(c.table != f2.cites[0].table for c in cites):
                    cites.append(f2.cites[0])
        cites += self._stmt_cites(m, primary, fig, d)
        return [replace(fig, cites=tuple(cites))]

    def _stmt_cites(self, m: Mention, ref: RowRef, fig: Fig, doc: int) -> list[Citation]:
        if fig.value is None or fig.unit not in MONEY:
            return []
        keys = {m.key, key(ref.label)}
        for kind, target in m.kinds:
            if kind == "alias":
                keys.update(key(t) for t in target.split("|"))
        if fig.column in ("公用经费",) or key(ref.label) in ("公用经费",):
            keys.add("日常公用经费")
        out = []
        for s in self.statements(keys | {k for k in self.v.statement_subjects if any(
                len(x) >= 2 and (x == k or (k.endswith(x) and len(k) - len(x) <= 2)) for x in keys)}, [doc]):
            if s["value"] is not None and abs(s["value"] - fig.value) < 0.005 and s["year"] in (None, self.docs[doc].year):
                c = self.cite_section(doc, s["heading"])
                if c not in out:
                    out.append(c)
        return out[:2]

    def _empty_table_fig(self, t: sqlite3.Row) -> Fig:
        d = self.docs[t["document_id"]]
        note = t["note"] or ""
        return Fig(t["title"], 0.0, d.money_unit, (self.cite_table(d.id, t["title"], "", ""),), "", None, "",
                   d.id, note=note or "空表")

    def _column_total(self, it: Intent, cols: list[str], tables: list[str], docs: list[int], ctx: Context) -> list[Fig] | Answer:
        """'<column> 多少' with no row: the 合计 row of the table that answers it."""
        homes = list(tables)
        for c in cols:
            h = self.v.terms.get("home").get(key(c))
            if h and h not in homes:
                homes.append(h)
        if not homes:
            return []  # 单价/数量/目录序号 of nothing in particular
        homes += [k for k in PREF if k not in homes]
        for kind in homes:
            trows, tabs = self.total_row(kind, docs)
            if not trows:
                if tabs and kind in tables:
                    return [self._empty_table_fig(t) for t in tabs]
                continue
            by_doc = {r.doc: [r] for r in trows}
            d = self._one_doc(it, by_doc)
            if isinstance(d, Answer):
                return d
            ref = by_doc[d][0]
            fig = self.fig_of(ref, cols)
            if fig is None or (cols and not any(_col_score(fig.column, "", c) >= 2 for c in cols)):
                continue
            label = cols[0] if cols else ref.title
            cites = list(fig.cites)
            for s in self.statements({key(c) for c in cols} | ({"日常公用经费"} if "公用经费" in cols else set()), [d]):
                if s["value"] is not None and fig.value is not None and abs(s["value"] - fig.value) < 0.005 \
                        and s["year"] == self.docs[d].year:
                    cites.append(self.cite_section(d, s["heading"]))
                    break
            return [replace(fig, label=label, cites=tuple(cites))]
        return []

    def _stmt_figs(self, it: Intent, m: Mention, docs: list[int], cols: list[str]) -> list[Fig]:
        """A figure only the narrative states (拟购置固定资产总额, 高清球机每台)."""
        keys = {m.key}
        for kind, target in m.kinds:
            if kind in ("alias", "stmt"):
                keys.update(key(t) for t in target.split("|"))
        cands = []
        for k, subj in self.v.statement_subjects.items():
            if k in keys or any(len(x) >= 3 and (x in k) and len(k) - len(x) <= 4 for x in keys):
                cands.append(k)
        rows = [s for s in self.statements(cands, docs) if s["value"] is not None]
        if not rows:
            return []
        if any(key(c) == "数量" for c in cols):
            for s in rows:
                subj = re.sub(r"\(.*?\)", "", s["subject"])
                mq = re.search(re.escape(subj) + r"\s*(\d+(?:\.\d+)?)\s*(台|个|套|辆|件|箱|条|根|间|张|把|部)", s["sentence"] or "")
                if mq and s["year"] in (None, self.docs[s["document_id"]].year):
                    return [Fig(subj, float(mq.group(1)), mq.group(2), (self.cite_section(s["document_id"], s["heading"]),),
                                "", None, "数量", s["document_id"], note=s["sentence"])]
            return []
        per_unit = any(key(c) in ("单价",) for c in cols) or bool(re.search(r"每(台|个|套|辆|件)|单价", it.text))
        rows = [s for s in rows if ("每" in s["subject"]) == per_unit] or ([] if per_unit else rows)
        ydoc = {d: self.docs[d].year for d in docs}
        rows = [s for s in rows if s["year"] in (None, ydoc.get(s["document_id"]))]
        if not rows:
            return []
        exact = [s for s in rows if key(s["subject"]).replace("每台", "").replace("每个", "") in keys] or rows
        s = exact[0]
        by_doc = {r["document_id"]: r for r in exact}
        if len(by_doc) > 1 and it.unit_doc is None:
            return []
        return [Fig(s["subject"], s["value"], s["unit"] or "万元", (self.cite_section(s["document_id"], s["heading"]),),
                    "", None, "", s["document_id"], note=s["sentence"])]

    def resolve(self, it: Intent, docs: list[int], ctx: Context) -> tuple[list[Fig], Answer | None]:
        """Figures for each subject of the question (in order); or a clarifying/refusing Answer."""
        subjects, cols, tables = self._split(it)
        figs: list[Fig] = []
        if not subjects:
            if cols or tables:
                got = self._column_total(it, cols, tables, docs, ctx)
                if isinstance(got, Answer):
                    return [], got
                return got, None
            return [], None
        for m in subjects:
            got = self._figs_for(it, m, cols, tables, docs, ctx)
            if isinstance(got, Answer):
                return [], got
            if not got:
                got = self._stmt_figs(it, m, docs, cols)
            if not got and m.has("column") and not m.has("row"):
                got2 = self._column_total(it, list(m.targets("column")) + cols, tables, docs, ctx)
                if isinstance(got2, Answer):
                    return [], got2
                got = got2
            if not got:
                return [], None
            figs.extend(got)
        return figs, None

    # ------------------------------------------------------------ formatting
    def _convert(self, value: float | None, unit: str, it: Intent) -> tuple[float | None, str]:
        if value is None or unit not in MONEY or not it.money_unit or it.money_unit not in MONEY:
            return value, unit
        v = value * MONEY[unit] / MONEY[it.money_unit]
        return round(v, 6), it.money_unit

    def _say(self, fig: Fig, it: Intent, with_col: bool = True) -> tuple[str, float | None, str]:
        value, unit = self._convert(fig.value, fig.unit, it)
        name = fig.label
        if fig.ref is not None and fig.ref.code:
            name = f"{fig.ref.label}（{fig.ref.code}）"
        col = ""
        if with_col and fig.column and fig.column not in DEFAULT_COLUMNS and fig.ref is not None \
                and key(fig.column) not in key(name):
            col = f"的{fig.column}"
        if fig.value is None:
            return f"{name}{col}为“{fig.raw}”", None, ""
        zero = "" if fig.value else ("（未安排）" if fig.ref is not None else "")
        if fig.note and fig.ref is None and fig.value == 0 and fig.label.endswith("表"):
            return f"{fig.label}为空表（{fig.note.rstrip('。')}），即0{unit}", 0.0, unit
        return f"{name}{col}预算{fmt(value, unit)}{unit}{zero}", value, unit

    def _figure_answer(self, it: Intent, figs: list[Fig], ctx: Context) -> tuple[Answer, Context] | None:
        f = figs[0]
        if asks_non_money(it.text) and f.unit in MONEY:
            return None  # asked how many / how large: a money figure is not the answer
        text, value, unit = self._say(f, it)
        if f.ref is not None and f.ref.kind == "固定资产占用情况表" and f.column == "数量":
            unit = _unit_in(f.raw) or (it.measure or "")
            text = f"{f.ref.label}数量为{fmt(f.value)}{unit}"
        elif f.ref is not None and f.column == "数量":
            u = self._row_text(f.ref, "计量单位") or it.measure or ""
            text, unit = f"{f.ref.label}采购数量为{fmt(f.value)}{u}", u
        elif f.ref is None and f.column == "数量":
            text, value, unit = f"拟购置{f.label}{fmt(f.value)}{f.unit}", f.value, f.unit
        elif f.ref is not None and f.column == "单价":
            text = f"{f.ref.label}单价{fmt(value, unit)}{unit}"
        doc = f.doc or (f.ref.doc if f.ref else 0)
        text += self._unit_note(doc, it) + "。"
        new = Context(figs=[f], refs=[f.ref] if f.ref else [], subject_keys=[m.key for m in it.subjects],
                      doc=doc, table_id=f.ref.table_id if f.ref else None, what="figure")
        return Answer(it.question, "answered", text, value, unit, f.cites), new

    def _row_text(self, ref: RowRef, column: str) -> str:
        for c in self.cells(ref.id):
            if _col_score(c.column, c.group, column) >= 2:
                return c.raw
        return ""

    # ------------------------------------------------------------ figure
    def _a_figure(self, it: Intent, ctx: Context, docs: list[int]) -> tuple[Answer, Context] | None:
        strong = [m for m in it.subjects if m.has("row", "item", "code", "alias", "std", "belongs")]
        projects = [m for m in it.subjects if m.has("project") and not m.has("row", "item")]
        proc_cols = [c for c in it.columns if c in ("采购物品名称", "目录序号", "计量单位", "数量", "单价", "中小微企业份额", "预算资金",
                                                      "合计")]
        if projects and proc_cols and not strong:
            got = self._procurement_by_project(it, projects[0], proc_cols, docs)
            if got:
                return got
        left = sum(len(x) for x in it.leftover)
        named = [m for m in it.subjects if not (m.has("column") and not m.has("row", "item", "alias", "stmt", "gloss"))]
        if (projects or left >= 3 or not named) and not (strong and left < 3):
            got = self._indicator(it, docs, ctx)
            if got:
                return got
        if sum(len(x) for x in it.leftover) >= 3:
            return None
        if not it.subjects and not it.columns and not it.tables:
            return None
        if it.codes and not it.columns and not re.search(r"多少|几", it.text) and re.search(r"是什么|哪个|什么科目|是啥", it.text):
            return self._a_text(it, ctx, docs)
        figs, stop = self.resolve(it, docs, ctx)
        if stop is not None:
            return stop, ctx
        if not figs:
            if projects:
                return self._indicator(it, docs, ctx, loose=True)
            return None
        uniq: dict[tuple, Fig] = {}
        for g in figs:
            uniq.setdefault((g.ref.id if g.ref else g.label, g.column, g.value), g)
        figs = list(uniq.values())
        if len(figs) > 1 and asks_non_money(it.text):
            return self._indicator(it, docs, ctx)
        if len(figs) > 1:
            parts = []
            for g in figs:
                txt, _, _ = self._say(g, it)
                parts.append(txt)
            cites = tuple(dict.fromkeys(c for g in figs for c in g.cites))
            return (Answer(it.question, "answered", "；".join(parts) + "。", None, None, cites,
                           items=tuple(Item(g.label, g.value, g.unit) for g in figs)),
                    Context(figs=figs[-2:], refs=[g.ref for g in figs if g.ref], doc=figs[0].doc))
        f = figs[0]
        if f.value is None and f.raw:
            text = f"{f.ref.label if f.ref else f.label}的{f.column}是“{f.raw}”" if f.column else f"{f.label}：{f.raw}"
            new = Context(figs=[f], refs=[f.ref] if f.ref else [], doc=f.doc, table_id=f.ref.table_id if f.ref else None)
            return Answer(it.question, "answered", text + "。", None, None, f.cites), new
        got = self._figure_answer(it, figs, ctx)
        if got is None:
            return self._indicator(it, docs, ctx)
        ans, new = got
        if it.codes and f.ref is not None and f.ref.code:
            ans = replace(ans, text=f"{it.codes[0]}是“{f.ref.label}”，" + ans.text)
        return ans, new

    def _procurement_by_project(self, it: Intent, m: Mention, cols: list[str], docs: list[int]) -> tuple[Answer, Context] | None:
        projects = m.targets("project")
        refs = self.rows_where(f"t.kind = '政府采购预算表' AND r.is_total = 0 AND r.group_name IN ({self._in(len(projects))})",
                               projects, docs)
        if not refs:
            return None
        ref = refs[0]
        fig = self.fig_of(ref, cols)
        if fig is None:
            return None
        if fig.value is None:
            text = f"{ref.group_name}采购的{fig.column}是“{fig.raw}”" if "名称" not in fig.column else \
                f"{ref.group_name}采购的物品是“{fig.raw}”"
            if len(refs) > 1:
                text += "（另有：" + "、".join(r.label for r in refs[1:]) + "）"
            return (Answer(it.question, "answered", text + "。", None, None, fig.cites),
                    Context(figs=[fig], refs=[ref], doc=ref.doc, table_id=ref.table_id))
        return self._figure_answer(it, [fig], Context())

    # ------------------------------------------------------------ text answers: codes, item attributes, dates
    def _a_text(self, it: Intent, ctx: Context, docs: list[int]) -> tuple[Answer, Context] | None:
        if it.codes:
            refs = self.rows_where("r.code = ?", (it.codes[0],), docs)
            if refs:
                by_doc: dict[int, list[RowRef]] = {}
                for r in refs:
                    by_doc.setdefault(r.doc, []).append(r)
                d = self._one_doc(it, by_doc)
                if isinstance(d, Answer):
                    return d, ctx
                ordered = self._order(by_doc[d], [], [], ctx)
                r = ordered[0]
                fig = self.fig_of(r)
                cls = f"{r.classification}" if r.classification else "科目"
                text = f"{r.code}是{cls}科目“{r.label}”"
                value = unit = None
                if fig is not None and fig.value is not None:
                    s, value, unit = self._say(fig, it)
                    text += f"，{s}"
                cites = [self.cite_row(x, fig.column if fig else "") for x in ordered[:3]]
                return (Answer(it.question, "answered", text + self._unit_note(d, it) + "。", value, unit, tuple(cites)),
                        Context(figs=[fig] if fig else [], refs=[r], doc=d, table_id=r.table_id))
            return None
        if it.numbers and it.subjects:
            # "上年结转的86.5万元是什么资金": a passage that states that figure, or nothing
            return self._a_reason(it, ctx, docs, need_marker=False)
        if it.columns:
            figs, stop = self.resolve(it, docs, ctx)
            if stop is not None:
                return stop, ctx
            if figs:
                return self._a_figure(it, ctx, docs)
        if it.numbers and it.subjects:
            got = self._a_reason(it, ctx, docs, need_marker=False)
            if got:
                return got
        got = self._indicator(it, docs, ctx)
        if got:
            return got
        if it.subjects and not it.leftover and not it.numbers:
            return self._a_figure(it, ctx, docs)
        return None

    def _a_when(self, it: Intent, ctx: Context, docs: list[int]) -> tuple[Answer, Context] | None:
        return self._indicator(it, docs, ctx)

    def _a_code_of(self, it: Intent, ctx: Context, docs: list[int]) -> tuple[Answer, Context] | None:
        subjects, _, tables = self._split(it)
        for m in subjects:
            refs = [r for r in self.rows_for_mention(m, docs) if r.code]
            if not refs:
                continue
            by_doc: dict[int, list[RowRef]] = {}
            for r in refs:
                by_doc.setdefault(r.doc, []).append(r)
            d = self._one_doc(it, by_doc)
            if isinstance(d, Answer):
                return d, ctx
            refs = self._order(by_doc[d], [], tables, ctx)
            if "功能" in it.text:
                refs = [r for r in refs if r.classification == "功能分类"] or refs
            elif "经济" in it.text:
                refs = [r for r in refs if r.classification == "经济分类"] or refs
            codes = list(dict.fromkeys(r.code for r in refs))
            r = refs[0]
            cls = r.classification if len({x.classification for x in refs}) == 1 else ""
            text = f"“{r.label}”的{cls or ''}科目编码是{('、'.join(codes))}"
            fig = self.fig_of(r)
            if fig is not None and fig.value is not None:
                text += f"（预算{fmt(fig.value, fig.unit)}{fig.unit}）"
            return (Answer(it.question, "answered", text + "。", None, None,
                           tuple(self.cite_row(x) for x in refs[:3])),
                    Context(figs=[fig] if fig else [], refs=[r], doc=d, table_id=r.table_id))
        return None

    # ------------------------------------------------------------ 绩效目标 indicators
    def _indicators(self, docs: list[int]) -> list[tuple[sqlite3.Row, set[str], set[str], set[str]]]:
        cache = getattr(self, "_ind_cache", None)
        if cache is None:
            cache = {}
            self._ind_cache = cache  # type: ignore[attr-defined]
        k = tuple(docs)
        if k in cache:
            # the answer names its SQL whether or not this process had already run it
            self.sql_log.append(cache[("sql", k)])  # type: ignore[index]
        if k not in cache:
            rows = self.q("SELECT i.id, i.document_id, i.project, i.level2, i.level3, i.description, i.value_raw, "
                          "i.comparator, i.number, i.unit, t.title, t.goal, i.table_id FROM indicators i JOIN tables t "
                          f"ON t.id = i.table_id WHERE i.document_id IN ({self._in(len(docs))}) ORDER BY i.id", list(docs))
            cache[("sql", k)] = self.sql_log[-1]  # type: ignore[index]
            cache[k] = [(r, _bigrams(key(r["project"] or "")), _bigrams(key(r["level3"] or "")),
                         _bigrams(key(r["description"] or ""))) for r in rows]
        return cache[k]

    def _indicator(self, it: Intent, docs: list[int], ctx: Context, loose: bool = False) -> tuple[Answer, Context] | None:
        inds = self._indicators(docs)
        if not inds:
            return None
        q = key(it.text)
        qb = _bigrams(q) - _STOP_BIGRAMS
        if not qb:
            return None
        scored = []
        for r, pb, lb, db in inds:
            sp = len(qb & pb) / len(pb) if pb else 0.0
            nl = len(qb & lb)
            nd = len(qb & db)
            sl = nl / len(lb) if lb else 0.0
            sd = nd / len(db) if db else 0.0
            name = max(sl, 0.9 * sd)
            bonus = 0.0
            unit = r["unit"] or ""
            if unit and (unit in it.text or (it.measure and (unit.endswith(it.measure) or it.measure.endswith(unit)))):
                bonus = 0.25
            if unit == "%" and re.search(r"率|满意度|百分", it.text):
                bonus = 0.2
            if it.measure and it.measure not in ("个",) and unit and not (unit.endswith(it.measure) or it.measure.endswith(unit)
                                                                            or (it.measure in ("月", "个月") and "月" in unit)):
                continue  # asked in another unit (多少个月 is not 平方米)
            if "when" in it.cues and "时效" in (r["level2"] or ""):
                bonus += 0.3
            ok = (max(nl, nd) >= 2 and name >= 0.5) or (sp >= 0.6 and name >= 0.34 and max(nl, nd) >= 1) \
                or (sp >= 0.5 and max(nl, nd) >= 2) or (nl >= 3 and name + 0.5 * sp >= 0.65) \
                or (lb and sl == 1.0 and len(key(r["level3"])) >= 2)
            if ok:
                scored.append((name + 0.5 * sp + bonus, sp, r))
        if not scored:
            return self._goal_text(it, docs, qb) if (loose or it.subjects or it.leftover) else None
        scored.sort(key=lambda x: -x[0])
        scored = [x for x in scored if self._covers(it, x[2])]
        if not scored:
            return None
        best = scored[0]
        ties = [s for s in scored[1:] if abs(s[0] - best[0]) < 1e-9 and s[2]["value_raw"] != best[2]["value_raw"]]
        r = best[2]
        if ties:
            cands = [f"{s[2]['project']}·{s[2]['level3']}" for s in [best] + ties]
            return (Answer(it.question, "ambiguous", "有几个绩效指标都符合，请说明是哪一个：" + "；".join(cands[:5]) + "。",
                           suggestions=tuple(f"{c.replace('·', '的')}是多少？" for c in cands[:5])), ctx)
        if best[0] < 0.6:
            g = self._goal_text(it, docs, qb)
            if g:
                return g
            if best[0] < 0.5:
                return None
        d = self.docs[r["document_id"]]
        cite = Citation(d.name, d.unit_name, d.year, r["title"], r["level3"] or "", "指标值")
        raw = r["value_raw"] or ""
        nums = re.findall(r"\d+(?:\.\d+)?", raw)
        value = r["number"] if (r["number"] is not None and len(nums) == 1) else None
        unit = (r["unit"] or None) if value is not None else None
        if unit and unit.startswith("个") and len(unit) > 1:
            unit = unit[1:]
        comp = {"≥": "不低于", "≤": "不高于", ">": "高于", "<": "低于", "=": ""}.get(r["comparator"] or "", "")
        text = f"{r['project']}的绩效指标“{r['level3']}”（{r['level2']}）指标值为{raw}"
        if comp and value is not None:
            text += f"，即{comp}{fmt(value)}{r['unit'] or ''}"
        text += self._unit_note(d.id, it) + "。"
        fig = Fig(r["level3"], value, unit or "", (cite,), raw, None, "指标值", d.id)
        return (Answer(it.question, "answered", text, value, unit, (cite,)),
                Context(figs=[fig], project=r["project"], doc=d.id, what="indicator"))

    def _covers(self, it: Intent, r: sqlite3.Row) -> bool:
        """The indicator explains the question: no run of 3+ characters is left that names something else."""
        rx = getattr(self, "_filler_rx", None)
        if rx is None:
            words = sorted({w for w in list(self.v.terms.get("filler")) + list(self.v.terms.get("cue")) if len(w) >= 2},
                           key=len, reverse=True)
            rx = re.compile("|".join(re.escape(w) for w in words))
            self._filler_rx = rx  # type: ignore[attr-defined]
        q = rx.sub(" ", key(it.text))
        known = _bigrams(key(r["project"] or "")) | _bigrams(key(r["level3"] or "")) | _bigrams(key(r["description"] or "")) \
            | _bigrams(key(r["title"] or "")) | _STOP_BIGRAMS
        covered = [False] * len(q)
        for i in range(len(q) - 1):
            if q[i:i + 2] in known:
                covered[i] = covered[i + 1] = True
        run = 0
        for ch, c in zip(q, covered):
            if not c and "\u4e00" <= ch <= "\u9fff":
                run += 1
                if run >= 3:
                    return False
            else:
                run = 0
        return True

    def _goal_text(self, it: Intent, docs: list[int], qb: set[str]) -> tuple[Answer, Context] | None:
        """A target only the 绩效目标 sentence states ("视频存储 90 天")."""
        best = None
        for t in self.q(f"SELECT id, document_id, title, project, goal FROM tables WHERE kind = '绩效目标表' AND "
                        f"document_id IN ({self._in(len(docs))})", list(docs)):
            pb = _bigrams(key(t["project"] or ""))
            sp = len(qb & pb) / len(pb) if pb else 0
            qrest = qb - pb
            for clause in _CLAUSE_SPLIT.split(t["goal"] or ""):
                m = _QTY.search(clause)
                if not m:
                    continue
                cb = _bigrams(key(clause[: m.start()]))
                n = len(qrest & cb)
                unit_ok = bool(it.measure and m.group(2).endswith(it.measure)) or m.group(2) in it.text
                score = n + (1 if unit_ok else 0) + sp
                if n >= 2 and (sp >= 0.5 or unit_ok) and (best is None or score > best[0]):
                    best = (score, t, clause, m)
        if best is None:
            return None
        _, t, clause, m = best
        d = self.docs[t["document_id"]]
        value = float(m.group(1))
        unit = m.group(2)
        cite = Citation(d.name, d.unit_name, d.year, t["title"], "绩效目标", "")
        return (Answer(it.question, "answered", f"{t['project']}的绩效目标：“{clause.strip()}”，即{fmt(value)}{unit}。",
                       value, unit, (cite,)), Context(project=t["project"], doc=d.id, what="indicator"))

    # ------------------------------------------------------------ arithmetic
    def _expand(self, mentions: Sequence[Mention]) -> list[Mention]:
        out = []
        for m in mentions:
            multi = [t for k, t in m.kinds if k == "alias" and "|" in t]
            if multi:
                for name in multi[0].split("|"):
                    out.append(Mention(name, key(name), tuple(self.v.words.get(key(name), ())) or (("row", name),),
                                       m.how, m.pos))
            else:
                out.append(m)
        return out

    def _sides(self, it: Intent, op: str) -> list[list[Mention]]:
        ms = self._expand(it.subjects)
        pos = it.text.find(op) if op else -1
        if pos < 0:
            return [[m] for m in ms if not (m.has("column") and not m.has("row", "alias", "stmt", "gloss") and
                                           any(o is not m and not o.has("column") for o in ms))]
        return [[m for m in ms if m.pos < pos], [m for m in ms if m.pos > pos]]

    def _fig_side(self, it: Intent, side: list[Mention], docs: list[int], ctx: Context) -> Fig | Answer | None:
        if not side:
            return None
        cols = [t for m in side for t in m.targets("column") if m.has("column")]
        sub = replace(it, subjects=tuple(side), columns=tuple(cols), tables=it.tables)
        figs, stop = self.resolve(sub, docs, ctx)
        if stop is not None:
            return stop
        if not figs:
            for m in side:
                sf = self._stmt_figs(sub, m, docs, [])
                if sf:
                    return sf[0]
            return None
        return figs[0]

    def _two(self, it: Intent, ctx: Context, docs: list[int], op: str) -> tuple[Fig, Fig] | Answer | None:
        sides = self._sides(it, op)
        if len(sides) < 2 and it.followup and len(ctx.figs) >= 2:
            return ctx.figs[-2], ctx.figs[-1]
        if len(sides) != 2 or not sides[0] or not sides[1]:
            if len(sides) == 1 and ctx.figs and sides[0]:
                b = self._fig_side(it, sides[0], docs, ctx)
                if isinstance(b, Fig):
                    return ctx.figs[-1], b
            return None
        a = self._fig_side(it, sides[0], docs, ctx)
        b = self._fig_side(it, sides[1], docs, ctx)
        if isinstance(a, Answer):
            return a
        if isinstance(b, Answer):
            return b
        if a is None or b is None or a.value is None or b.value is None:
            return None
        return a, b

    def _a_share(self, it: Intent, ctx: Context, docs: list[int]) -> tuple[Answer, Context] | None:
        op = "占" if "占" in it.text else ""
        got = self._two(it, ctx, docs, op)
        if not isinstance(got, tuple):
            return (got, ctx) if isinstance(got, Answer) else None
        a, b = got
        if not b.value or a.unit != b.unit:
            return None
        pct = round(a.value / b.value * 100, 2)
        der = f"{a.label} {fmt(a.value, a.unit)}{a.unit} ÷ {b.label} {fmt(b.value, b.unit)}{b.unit} × 100% = {pct:.2f}%"
        text = f"{a.label}{fmt(a.value, a.unit)}{a.unit}占{b.label}{fmt(b.value, b.unit)}{b.unit}的{pct:.2f}%（{der}）。"
        return (Answer(it.question, "answered", text, pct, "%", tuple(dict.fromkeys(a.cites + b.cites)), derivation=der),
                Context(figs=[a, b], doc=a.doc, what="share"))

    def _a_sum(self, it: Intent, ctx: Context, docs: list[int]) -> tuple[Answer, Context] | None:
        figs: list[Fig] = []
        if not it.subjects and len(ctx.figs) >= 2:
            figs = ctx.figs[-2:]
        else:
            for side in self._sides(it, ""):
                f = self._fig_side(it, side, docs, ctx)
                if isinstance(f, Answer):
                    return f, ctx
                if f is None or f.value is None:
                    return None
                figs.append(f)
        if len(figs) < 2 or len({f.unit for f in figs}) != 1:
            return None
        unit = figs[0].unit
        if len({f.doc for f in figs}) > 1:
            figs = [replace(f, label=f"{self._short_unit(f.doc)}{f.label}") for f in figs]
        total = round(sum(f.value for f in figs), 6)  # type: ignore[misc]
        v, u = self._convert(total, unit, it)
        der = " + ".join(f"{f.label} {fmt(f.value, unit)}" for f in figs) + f" = {fmt(total, unit)}{unit}"
        text = f"{'与'.join(f.label for f in figs)}合计{fmt(v, u)}{u}（{der}）。"
        cites = tuple(dict.fromkeys(c for f in figs for c in f.cites))
        return (Answer(it.question, "answered", text, v, u, cites, derivation=der,
                       items=tuple(Item(f.label, f.value, unit) for f in figs)),
                Context(figs=[Fig("合计", total, unit, cites, doc=figs[0].doc)], doc=figs[0].doc, what="sum"))

    def _with_op(self, it: Intent, ctx: Context, docs: list[int]) -> tuple[Answer, Context] | None:
        """A figure with an operation applied ("电费的一半", "乘以2"), the formula written out."""
        if it.what not in ("figure", "text") or it.op is None:
            return None
        got = self._a_figure(replace(it, op=None), ctx, docs)
        if not got or got[0].status != "answered" or got[0].value is None or got[0].unit not in MONEY:
            return None if not got or got[0].status == "answered" else got
        ans, new = got
        kind, n = it.op
        v = ans.value
        sym = {"mul": "×", "div": "÷", "add": "+", "sub": "−"}[kind]
        if kind == "div" and n == 0:
            return None
        arg = n
        if kind in ("add", "sub"):
            arg = n * 1e4 / MONEY[ans.unit]  # the question says 万元
        res = {"mul": v * arg, "div": v / arg if arg else 0, "add": v + arg, "sub": v - arg}[kind]
        res = round(res, 6)
        der = f"{fmt(v, ans.unit)}{ans.unit} {sym} {fmt(arg)} = {fmt(res, ans.unit)}{ans.unit}"
        return (replace(ans, text=ans.text.rstrip("。") + f"；按问题换算：{der}。", value=res, derivation=der), new)

    def _across_units(self, it: Intent, ctx: Context, docs: list[int]) -> tuple[Answer, Context] | None:
        """One subject in two units: their sum, difference, or each ("分局和财政局的电费合计")."""
        figs: list[Fig] = []
        for d in it.unit_docs[:2]:
            sub = replace(it, unit_doc=d, unit_docs=(), what="figure", op=None)
            got = self._a_figure(sub, ctx, [d])
            if not got or got[0].status != "answered" or got[0].value is None or got[0].unit not in MONEY:
                return None
            f = Fig(f"{self._short_unit(d)}{(it.subjects[0].text if it.subjects else '')}", got[0].value, got[0].unit,
                    got[0].citations, doc=d)
            figs.append(f)
        if figs[0].unit != figs[1].unit:
            return None
        a, b = figs
        cites = tuple(dict.fromkeys(a.cites + b.cites))
        if re.search(r"比.{0,12}(多|少|高|低)|差|相差|减|多出|少出|高出|低出", it.text):
            d = round(a.value - b.value, 6)
            der = f"{a.label} {fmt(a.value, a.unit)} − {b.label} {fmt(b.value, b.unit)} = {fmt(d, a.unit)}{a.unit}"
            word = "多" if d >= 0 else "少"
            return (Answer(it.question, "answered", f"{a.label}比{b.label}{word}{fmt(abs(d), a.unit)}{a.unit}（{der}）。",
                           abs(d), a.unit, cites, derivation=der), Context(figs=figs, what="diff"))
        if re.search(r"合计|一共|总共|加起来|之和|总和|共", it.text):
            t = round(a.value + b.value, 6)
            der = f"{a.label} {fmt(a.value, a.unit)} + {b.label} {fmt(b.value, b.unit)} = {fmt(t, a.unit)}{a.unit}"
            return (Answer(it.question, "answered", f"{a.label}与{b.label}合计{fmt(t, a.unit)}{a.unit}（{der}）。",
                           t, a.unit, cites, derivation=der), Context(figs=figs, what="sum"))
        text = "；".join(f"{f.label}{fmt(f.value, f.unit)}{f.unit}" for f in figs)
        return (Answer(it.question, "answered", text + "。", None, None, cites,
                       items=tuple(Item(f.label, f.value, f.unit) for f in figs)), Context(figs=figs, what="each"))

    def _a_section(self, it: Intent, ctx: Context, docs: list[int]) -> tuple[Answer, Context] | None:
        """A question that names a narrative section ("单位职责是什么", "总体绩效目标"): quote the section."""
        q = key(it.text)
        qb = _bigrams(q) - _STOP_BIGRAMS
        best = None
        for s in self.sections(docs):
            text = (s["text"] or "").strip()
            head = re.sub(r"^[（(]?[一二三四五六七八九十\d]+[)）、.．]\s*|^第.部分\s*|[：:]$", "", key(s["heading"] or ""))
            if len(head) < 2 or not text:
                continue
            hb = _bigrams(head)
            n = len(qb & hb)
            core = re.sub(r"^(单位|部门|本单位|我单位)", "", head)
            named = head in q or (len(core) >= 2 and core in q)
            if named or (n >= 2 and n / max(1, len(hb)) >= 0.6):
                score = n + (2 if named else 0) + (0.5 if head in q else 0)
                if best is None or score > best[0]:
                    best = (score, s)
        if best is None:
            return None
        by_doc = {best[1]["document_id"]: best[1]}
        s = best[1]
        text = re.sub(r"\s+", " ", s["text"]).strip()
        if len(text) > 300:
            text = text[:300].rstrip() + "……"
        return (Answer(it.question, "answered", f"据“{s['heading']}”：{text}", None, None,
                       (self.cite_section(s["document_id"], s["path"] or s["heading"]),)), Context(doc=s["document_id"]))

    def _a_ratio(self, it: Intent, ctx: Context, docs: list[int]) -> tuple[Answer, Context] | None:
        """'A是B的几倍': A ÷ B, a pure number."""
        op = next((w for w in ("是", "比", "为") if w in it.text), "")
        got = self._two(it, ctx, docs, op)
        if not isinstance(got, tuple):
            return (got, ctx) if isinstance(got, Answer) else None
        a, b = got
        if a.unit != b.unit or not b.value:
            return None
        r = round(a.value / b.value, 2)
        der = f"{a.label} {fmt(a.value, a.unit)} ÷ {b.label} {fmt(b.value, b.unit)} = {r:.2f}"
        return (Answer(it.question, "answered", f"{a.label}是{b.label}的{r:.2f}倍（{der}）。", r, "倍",
                       tuple(dict.fromkeys(a.cites + b.cites)), derivation=der), Context(figs=[a, b], doc=a.doc))

    def _a_exclude(self, it: Intent, ctx: Context, docs: list[int]) -> tuple[Answer, Context] | None:
        """'Y除了X以外' / 'Y扣除X' / 'Y不含X': Y − X, with the formula."""
        m = re.search(r"除了|除去|扣除|不含|不包括|除", it.text)
        if m is None:
            return None
        ms = self._expand(it.subjects)
        after = [x for x in ms if x.pos >= m.end()]
        if not after:
            return None
        excluded = after[0]
        base = [x for x in ms if x is not excluded]
        if not base:
            return None
        y = self._fig_side(it, base[:1], docs, ctx)
        x = self._fig_side(it, [excluded], docs, ctx)
        for f in (x, y):
            if isinstance(f, Answer):
                return f, ctx
        if not isinstance(x, Fig) or not isinstance(y, Fig) or x.value is None or y.value is None or x.unit != y.unit:
            return None
        if x.doc != y.doc:
            return None
        d = round(y.value - x.value, 6)
        if d < 0:
            return None  # X is not a part of Y
        v, u = self._convert(d, y.unit, it)
        der = f"{y.label} {fmt(y.value, y.unit)} − {x.label} {fmt(x.value, x.unit)} = {fmt(d, y.unit)}{y.unit}"
        return (Answer(it.question, "answered", f"{y.label}除去{x.label}后为{fmt(v, u)}{u}（{der}）。", v, u,
                       tuple(dict.fromkeys(y.cites + x.cites)), derivation=der), Context(figs=[y, x], doc=y.doc))

    def _a_each(self, it: Intent, ctx: Context, docs: list[int]) -> tuple[Answer, Context] | None:
        """'A和B各多少': each figure on its own line, no single value."""
        figs: list[Fig] = []
        for side in self._sides(it, ""):
            f = self._fig_side(it, side, docs, ctx)
            if isinstance(f, Answer):
                return f, ctx
            if f is None:
                return None
            figs.append(f)
        if len(figs) < 2:
            return None
        parts = [self._say(f, it)[0] for f in figs]
        cites = tuple(dict.fromkeys(c for f in figs for c in f.cites))
        return (Answer(it.question, "answered", "；".join(parts) + "。", None, None, cites,
                       items=tuple(Item(f.label, f.value, f.unit) for f in figs)),
                Context(figs=figs[-2:], doc=figs[0].doc, what="each"))

    def _a_diff(self, it: Intent, ctx: Context, docs: list[int]) -> tuple[Answer, Context] | None:
        op = next((w for w in ("比", "减", "和", "与", "跟") if w in it.text), "")
        got = self._two(it, ctx, docs, op)
        if not isinstance(got, tuple):
            return (got, ctx) if isinstance(got, Answer) else None
        a, b = got
        if a.unit != b.unit or a.value is None or b.value is None:
            return None
        if a.doc != b.doc and a.doc in self.docs and b.doc in self.docs:
            a = replace(a, label=f"{self._short_unit(a.doc)}{a.label}")
            b = replace(b, label=f"{self._short_unit(b.doc)}{b.label}")
        d = round(a.value - b.value, 6)
        v, u = self._convert(abs(d), a.unit, it)
        der = f"{a.label} {fmt(a.value, a.unit)} − {b.label} {fmt(b.value, b.unit)} = {fmt(d, a.unit)}{a.unit}"
        word = "多" if d >= 0 else "少"
        text = f"{a.label}比{b.label}{word}{fmt(v, u)}{u}（{der}）。"
        return (Answer(it.question, "answered", text, v, u, tuple(dict.fromkeys(a.cites + b.cites)), derivation=der),
                Context(figs=[a, b], doc=a.doc, what="diff"))

    def _a_avg(self, it: Intent, ctx: Context, docs: list[int]) -> tuple[Answer, Context] | None:
        subjects, cols, tables = self._split(it)
        for m in subjects:
            refs = [r for r in self.rows_for_mention(m, docs) if r.kind in ("固定资产占用情况表", "政府采购预算表")]
            for r in refs:
                cells = {c.column: c for c in self.cells(r.id)}
                qty = cells.get("数量")
                val = cells.get("价值") or cells.get("合计")
                if qty is None or val is None or not qty.value or val.value is None:
                    continue
                d = self.docs[r.doc]
                avg = round(val.value / qty.value, 6)
                v, u = self._convert(avg, d.money_unit, it)
                pm = re.search(r"[每一](辆|台|套|个|件|箱|张|把|部|人)", it.text)
                per = pm.group(1) if pm else (it.measure or _unit_in(qty.raw) or "个")
                der = f"{r.label}{val.column} {fmt(val.value, d.money_unit)}{d.money_unit} ÷ 数量 {fmt(qty.value)} = {fmt(avg, d.money_unit)}{d.money_unit}"
                text = f"{r.label}平均每{per}{fmt(v, u)}{u}（{der}）。"
                cites = (self.cite_row(r, val.column), self.cite_row(r, "数量"))
                return (Answer(it.question, "answered", text, round(v, 2) if v is not None else None, u, cites, derivation=der),
                        Context(figs=[Fig(r.label, avg, d.money_unit, cites, ref=r, doc=r.doc)], doc=r.doc, what="avg"))
        if subjects and "单价" not in cols:
            # a unit price the narrative states ("高清球机38台，每台0.87万元")
            return self._a_figure(replace(it, what="figure", columns=tuple(cols) + ("单价",)), ctx, docs)
        return None

    # ------------------------------------------------------------ lists and rankings
    def _members(self, it: Intent, docs: list[int], ctx: Context) -> tuple[list[Fig], str, str] | Answer | None:
        """The members of the group the question names: (figures, group label, column)."""
        subjects, cols, tables = self._split(it)
        if not subjects and not cols and not tables and ctx.what in ("list", "rank") and (ctx.members or ctx.figs):
            return list(ctx.members or ctx.figs), "上述各项", ""
        if not subjects and not cols and ctx.refs:
            ref = ctx.refs[0]
            return self._children(ref, cols), ref.label, ""
        for m in subjects:
            if m.has("total") and not m.has("row", "item"):
                continue
            refs = self.rows_for_mention(m, docs)
            if tables:
                refs = [r for r in refs if r.kind in tables] or refs
            by_doc: dict[int, list[RowRef]] = {}
            for r in refs:
                if self._children(r, cols):
                    by_doc.setdefault(r.doc, []).append(r)
            d = self._one_doc(it, by_doc)
            if isinstance(d, Answer):
                return d
            refs = by_doc.get(d, []) if d is not None else []
            for r in self._order(refs, [], tables, ctx):
                kids = self._children(r, cols)
                if kids:
                    return kids, r.label, cols[0] if cols else ""
        for m in subjects:
            if m.has("project") and not m.has("row", "item"):
                projects = m.targets("project")
                refs = self.rows_where(f"t.kind = '政府采购预算表' AND r.is_total = 0 AND r.group_name IN "
                                       f"({self._in(len(projects))})", projects, docs)
                figs = [f for f in (self.fig_of(r) for r in refs) if f is not None]
                if figs:
                    return figs, f"{m.text}采购的物品", ""
        if tables and not subjects and not cols:
            for kind in tables:
                for t in self.tables_of(kind, docs):
                    refs = self.rows_where("r.table_id = ? AND r.is_total = 0", (t["id"],), docs)
                    parents = {r.parent_code for r in refs if r.parent_code}
                    leaves = [r for r in refs if not (r.code and r.code in parents)]
                    figs = [f for f in (self.fig_of(r) for r in leaves) if f is not None and f.value is not None]
                    if figs:
                        return figs, t["title"], ""
        # "项目支出" as a list of projects: the narrative's project list
        if any(key(c) == "项目支出" for c in cols) or any(m.key == "项目支出" for m in it.subjects):
            if not tables:
                st = self.q("SELECT s.subject, s.value, s.unit, s.document_id, sec.path AS heading FROM statements s JOIN sections sec "
                            "ON sec.id = s.section_id WHERE s.sentence LIKE ? AND s.value IS NOT NULL AND s.document_id IN "
                            f"({self._in(len(docs))}) ORDER BY s.id", ["%项目支出%包括%", *docs])
                projects = {key(p) for p in self.v.projects}
                figs = [Fig(s["subject"], s["value"], s["unit"] or "万元", (self.cite_section(s["document_id"], s["heading"]),),
                            doc=s["document_id"]) for s in st
                        if key(s["subject"]) in projects or any(key(s["subject"]) in p or p in key(s["subject"]) for p in projects)]
                if figs:
                    return figs, "项目支出", ""
        for m in subjects:
            for kind in m.targets("total"):
                trows, tabs = self.total_row(kind, docs)
                for t in tabs:
                    refs = self.rows_where("r.table_id = ? AND r.is_total = 0", (t["id"],), docs)
                    top = [r for r in refs if not r.group_name or kind == "政府采购预算表"]
                    figs = [f for f in (self.fig_of(r, cols) for r in top) if f is not None]
                    if figs:
                        return figs, m.text, cols[0] if cols else ""
        if cols and any(key(c) in self.v.terms.get("home") for c in cols):
            home_map = self.v.terms.get("home")
            homed = [c for c in cols if key(c) in home_map]
            main = homed[-1:] or cols[:1]
            hints = [key(c) for c in cols if c not in main]
            homes = list(tables) + [home_map[key(c)] for c in main if key(c) in home_map]
            for c in main:
                kinds = homes + [k for k in PREF if k not in homes]
                tabs = [t for kind in kinds for t in self.tables_of(kind, docs)]
                tabs.sort(key=lambda t: -sum(1 for h in hints if h in key(t["title"])))
                for t in tabs:
                        if not any(_col_score(name, "", c) >= 3 for name in _json_list(t["columns"])):
                            continue
                        refs = self.rows_where("r.table_id = ? AND r.is_total = 0", (t["id"],), docs)
                        parents = {r.parent_code for r in refs if r.parent_code}
                        leaves = [r for r in refs if not (r.code and r.code in parents)]
                        figs = [f for f in (self.fig_of(r, [c]) for r in leaves) if f and f.value]
                        if figs:
                            return figs, c, c
        return None

    def _children(self, ref: RowRef, cols: Sequence[str]) -> list[Fig]:
        if ref.code:
            kids = self.rows_where("r.table_id = ? AND r.parent_code = ?", (ref.table_id, ref.code), [ref.doc])
        else:
            kids = self.rows_where("r.table_id = ? AND r.group_name = ? AND r.is_total = 0", (ref.table_id, ref.label), [ref.doc])
        return [f for f in (self.fig_of(k, cols) for k in kids) if f is not None]

    def _a_rank(self, it: Intent, ctx: Context, docs: list[int]) -> tuple[Answer, Context] | None:
        got = self._members(it, docs, ctx)
        if isinstance(got, Answer):
            return got, ctx
        if not got:
            return None
        figs, group, col = got
        figs = [f for f in figs if f.value is not None and f.value != 0]
        if not figs:
            return None
        lowest = "min" in it.cues and "max" not in it.cues
        figs.sort(key=lambda f: (f.value if lowest else -f.value))  # type: ignore[operator]
        n = it.topn or 1
        top = figs[:n]
        unit = top[0].unit
        word = "最少" if lowest else "最多"
        items = tuple(Item(f.label, f.value, f.unit) for f in figs)
        if n == 1:
            f = top[0]
            v, u = self._convert(f.value, f.unit, it)
            ties = [g.label for g in figs[1:] if g.value == f.value]
            text = f"{group}{('的' + col) if col and col != group else ''}中{word}的是{f.label}，{fmt(v, u)}{u}"
            if ties:
                text += "（并列：" + "、".join(ties) + "）"
            return (Answer(it.question, "answered", text + "。", v, u, f.cites + tuple(c for g in figs[1:3] for c in g.cites[:1]),
                           items=items),
                    Context(figs=[f], refs=[f.ref] if f.ref else [], doc=f.doc, what="rank", members=list(figs)))
        text = f"{group}中{word}的{n}项：" + "；".join(f"{f.label}{fmt(f.value, f.unit)}{f.unit}" for f in top)
        cites = tuple(dict.fromkeys(c for f in top for c in f.cites))
        return (Answer(it.question, "answered", text + "。", None, None, cites, items=tuple(Item(f.label, f.value, f.unit) for f in top)),
                Context(figs=top, doc=top[0].doc, what="rank", members=list(figs)))

    def _a_list(self, it: Intent, ctx: Context, docs: list[int]) -> tuple[Answer, Context] | None:
        if it.facts:
            return self._a_fact(it, ctx, docs)
        got = self._members(it, docs, ctx)
        if isinstance(got, Answer):
            return got, ctx
        if not got:
            if any(m.has("gloss") for m in it.subjects):
                return self._a_glossary(it, ctx, docs)
            return None
        figs, group, col = got
        figs = figs[: int(settings.MAX_ROWS)]
        parts = [f"{f.label}{fmt(f.value, f.unit)}{f.unit}" if f.value is not None else f.label for f in figs]
        text = f"{group}包括{len(figs)}项：" + "、".join(parts) + "。"
        cites = tuple(dict.fromkeys(c for f in figs for c in f.cites[:1]))[:6]
        return (Answer(it.question, "answered", text, None, None, cites, items=tuple(Item(f.label, f.value, f.unit) for f in figs)),
                Context(figs=figs, refs=[f.ref for f in figs if f.ref], doc=figs[0].doc, what="list", members=list(figs)))

    def _a_count(self, it: Intent, ctx: Context, docs: list[int]) -> tuple[Answer, Context] | None:
        if it.facts:
            return self._a_fact(it, ctx, docs)
        if any(m.has("row", "item", "alias", "code", "stmt") for m in it.subjects):
            got = self._a_figure(replace(it, columns=tuple(dict.fromkeys(it.columns + ("数量",)))), ctx, docs)
            if got:
                return got
        got = self._members(it, docs, ctx)
        if isinstance(got, Answer):
            return got, ctx
        if not got:
            return self._a_figure(it, ctx, docs)
        figs, group, col = got
        text = f"{group}共{len(figs)}项：" + "、".join(f.label for f in figs) + "。"
        return (Answer(it.question, "answered", text, float(len(figs)), "项", tuple(dict.fromkeys(c for f in figs for c in f.cites[:1]))[:6],
                       items=tuple(Item(f.label, f.value, f.unit) for f in figs)), Context(figs=figs, doc=figs[0].doc))

    # ------------------------------------------------------------ facts (机构设置)
    def _a_fact(self, it: Intent, ctx: Context, docs: list[int]) -> tuple[Answer, Context] | None:
        keys = list(it.facts)
        kinds_named = [w for w in ("大队", "派出所", "警务站", "中心", "科室", "所队") if w in it.text]
        counting = bool(re.search(r"几个|多少个|几|多少", it.text)) and "list" not in it.cues
        if "科室所队" in keys and counting and (not kinds_named or kinds_named[0] in ("科室", "所队")):
            keys = ["科室数"] + keys
        rows = self.q(f"SELECT document_id, key, value, section FROM facts WHERE key IN ({self._in(len(keys))}) AND "
                      f"document_id IN ({self._in(len(docs))}) ORDER BY id", [*keys, *docs])
        if not rows:
            return self._indicator(it, docs, ctx)  # 在职人数 may be a 绩效 indicator ("体检在职人数")
        by_doc: dict[int, list[sqlite3.Row]] = {}
        for r in rows:
            by_doc.setdefault(r["document_id"], []).append(r)
        d = self._one_doc(it, by_doc)
        if isinstance(d, Answer):
            return d, ctx
        rs = sorted(by_doc[d], key=lambda r: keys.index(r["key"]))
        r = rs[0]
        doc = self.docs[d]
        cite = Citation(doc.name, doc.unit_name, doc.year, r["section"] or "单位职责及机构设置情况", r["key"], "")
        if r["key"] == "科室数":
            return (Answer(it.question, "answered", f"{doc.unit_name}设有{r['value']}个科室（所队/中心）{self._unit_note(d, it)}。",
                           float(r["value"]), "个", (cite,)), Context(doc=d))
        if r["key"] == "科室所队":
            names = [n for n in re.split(r"[、,，]", r["value"]) if n]
            filt = [w for w in ("大队", "派出所", "警务站", "中心", "科", "室", "所", "队", "站", "办") if w in it.text and w != "科室"]
            chosen = [n for n in names if any(n.endswith(w) or w in n for w in filt[:1])] if filt else names
            if not chosen:
                return None
            text = f"{doc.unit_name}的{'、'.join(filt[:1]) or '科室所队'}有{len(chosen)}个：" + "、".join(chosen) + "。"
            value = float(len(chosen)) if counting else None
            return (Answer(it.question, "answered", text, value, "个" if counting else None, (cite,),
                           items=tuple(Item(n) for n in chosen)), Context(doc=d))
        if re.fullmatch(r"\d+(?:\.\d+)?", r["value"] or ""):
            unit = {"编制数": "名", "在职人数": "人", "退休人数": "人"}.get(r["key"], "")
            text = f"{doc.unit_name}的{r['key']}为{r['value']}{unit}{self._unit_note(d, it)}。"
            return Answer(it.question, "answered", text, float(r["value"]), unit or None, (cite,)), Context(doc=d)
        text = f"{doc.unit_name}的{r['key']}是“{r['value']}”{self._unit_note(d, it)}。"
        return Answer(it.question, "answered", text, None, None, (cite,)), Context(doc=d)

    # ------------------------------------------------------------ 名词解释
    def _glossary_entries(self, docs: list[int]) -> list[tuple[int, str, str]]:
        from .vocab import split_glossary

        out = []
        for r in self.q(f"SELECT document_id, term, definition FROM glossary WHERE document_id IN ({self._in(len(docs))}) "
                        "ORDER BY document_id, seq", list(docs)):
            for term, definition in split_glossary(r["term"] or "", r["definition"] or ""):
                out.append((r["document_id"], term, definition))
        return out

    def _a_glossary(self, it: Intent, ctx: Context, docs: list[int]) -> tuple[Answer, Context] | None:
        wanted = []
        for m in self._expand(it.subjects):
            wanted.append(m.key)
            wanted += [key(t) for k, t in m.kinds if k in ("gloss", "alias")]
        if not wanted:
            return None
        entries = self._glossary_entries(docs)
        for w in wanted:
            hits = [(d, t, df) for d, t, df in entries if key(t) == w]
            if not hits:
                continue
            by_doc = {d: (d, t, df) for d, t, df in hits}
            d = self._one_doc(it, by_doc) if len(by_doc) > 1 and len({x[2] for x in hits}) > 1 else hits[0][0]
            if isinstance(d, Answer):
                return d, ctx
            _, term, definition = by_doc[d]
            sec = self.q("SELECT heading FROM sections WHERE document_id = ? AND heading LIKE ? LIMIT 1", (d, "%名词解释%"))
            heading = sec[0]["heading"] if sec else "名词解释"
            term = re.sub(r"[*“”\"]", "", term).strip()
            doc = self.docs[d]
            cite = Citation(doc.name, doc.unit_name, doc.year, heading, term, "")
            return (Answer(it.question, "answered", f"{term}：{definition.strip()}", None, None, (cite,)), Context(doc=d))
        return None

    # ------------------------------------------------------------ narrative reasons and descriptions
    def _sentences(self, docs: list[int]) -> list[tuple[int, str, str]]:
        out = []
        for s in self.sections(docs):
            for sent in _SENT_SPLIT.split(s["text"] or ""):
                sent = sent.strip()
                if sent:
                    out.append((s["document_id"], s["path"] or s["heading"], sent))
        for t in self.q(f"SELECT document_id, title, note FROM tables WHERE note != '' AND document_id IN "
                        f"({self._in(len(docs))})", list(docs)):
            for sent in _SENT_SPLIT.split(t["note"] or ""):
                if sent.strip():
                    out.append((t["document_id"], t["title"], sent.strip()))
        return out

    def _subject_words(self, it: Intent, docs: list[int]) -> list[str]:
        words = []
        ms = self._expand(it.subjects)
        main = [m for m in ms if not (m.has("column") and not m.has("row", "item", "alias", "stmt", "project"))]
        for m in main or ms:
            words.append(m.key)
            for k, t in m.kinds:
                if k in ("alias", "row", "item", "stmt"):
                    words.extend(key(x) for x in t.split("|"))
            if m.has("item"):
                for r in self.rows_where("r.label = ? AND t.kind = '政府采购预算表'", (m.targets("item")[0],), docs):
                    if r.group_name:
                        words.append(key(r.group_name))
        words += list(it.leftover)
        return [w for w in dict.fromkeys(words) if len(w) >= 2]

    def _a_reason(self, it: Intent, ctx: Context, docs: list[int], need_marker: bool = True) -> tuple[Answer, Context] | None:
        words = self._subject_words(it, docs)
        if not words and ctx.intent is not None:
            words = [m.key for m in ctx.intent.subjects]
        if not words:
            return None
        direction = "增加" if re.search(r"增加|增长|上升|提高|多了", it.text) else (
            "减少" if re.search(r"减少|下降|降低|少了|压减", it.text) else "")
        qb = _bigrams(key(it.text)) - _STOP_BIGRAMS
        sents = self._sentences(docs)
        best = None
        negated = bool(re.search(r"(为什么|为何|怎么)(没有|未|不)", it.text))

        def dir_ok(text: str) -> bool:
            return (not direction) or direction in text or (direction == "增加" and "增长" in text) or \
                (direction == "减少" and "下降" in text)

        for i, (d, heading, sent) in enumerate(sents):
            ks = key(sent)
            subj = max((_lcs(w, ks) / len(w) for w in words if _lcs(w, ks) >= max(2, (len(w) + 1) // 2)), default=0)
            if subj < 0.5:
                continue
            if it.numbers and not all(fmt(n) in sent or f"{n:.2f}" in sent for n in it.numbers):
                continue
            follow = sents[i + 1][2] if i + 1 < len(sents) and sents[i + 1][0] == d and sents[i + 1][1] == heading else ""
            # the reason may sit in one comma clause of a long sentence ("项目减少是由于…")
            clauses = [c for c in re.split(r"[，,；;]", sent) if c.strip()]
            cands: list[tuple[float, str, bool]] = []
            for j, c in enumerate(clauses):
                cs = max((_lcs(w, key(c)) / len(w) for w in words if _lcs(w, key(c)) >= max(2, (len(w) + 1) // 2)),
                         default=0)
                if cs < 0.5:
                    continue
                span = c
                k = j + 1
                while k < len(clauses) and re.match(r"(导致|因此|所以|从而|同时|相应|以及)", clauses[k].strip()):
                    span += "，" + clauses[k]
                    k += 1
                has = bool(_REASON_MARK.search(span))
                cands.append((cs, span, has))
            whole_marker = bool(_REASON_MARK.search(sent)) or follow.startswith("原因")
            for cs, span, has in cands:
                text = span if len(sent) > 60 else sent
                marker = has or (len(sent) <= 60 and whole_marker)
                if not has and follow.startswith("原因"):
                    text, marker = sent + follow, True
                if need_marker and not marker and not it.numbers:
                    if not (negated and re.search(r"未|没有|不", text) and cs >= 0.8):
                        continue
                    marker = True
                overlap = len(qb & _bigrams(key(text))) / max(1, len(qb))
                score = 2 * cs + (1.0 if marker else 0.0) + (0.5 if dir_ok(text) else -0.5) + overlap
                if best is None or score > best[0]:
                    best = (score, d, heading, text.strip("，, "))
            if not cands and (not need_marker or it.numbers):
                overlap = len(qb & _bigrams(ks)) / max(1, len(qb))
                score = 2 * subj + overlap
                if best is None or score > best[0]:
                    best = (score, d, heading, sent)
        if best is None or best[0] < 2.0:
            return None
        _, d, heading, text = best
        text = re.sub(r"^[（(]?[一二三四五六七八九十\d]+[)）.、]\s*", "", text)
        doc = self.docs[d]
        cite = Citation(doc.name, doc.unit_name, doc.year, heading, "", "")
        return Answer(it.question, "answered", f"据“{heading}”：{text}", None, None, (cite,)), Context(doc=d)

    # ------------------------------------------------------------ year over year
    _TOTAL_KEYS = {"收入总计", "支出总计", "预算收入", "预算支出", "总预算", "预算总额", "收入总额", "支出总额"}

    def _yoy_keys(self, it: Intent) -> list[str]:
        keys = []
        for m in self._expand(it.subjects):
            keys.append(m.key)
            keys += [key(t) for k, t in m.kinds if k in ("alias", "row", "stmt", "column") for t in [t] if "|" not in t]
        keys += [re.sub(r"(预算|预算数|金额|总额)$", "", k) for k in keys]
        if set(keys) & self._TOTAL_KEYS:
            keys += list(self._TOTAL_KEYS)
        if "公用经费" in keys:
            keys.append("日常公用经费")
        return [k for k in dict.fromkeys(keys) if k]

    def _stmt_match(self, keys: list[str], docs: list[int]) -> list[sqlite3.Row]:
        cands = set()
        for k in self.v.statement_subjects:
            kk = re.sub(r"^(预算|其中)", "", k)
            for x in keys:
                if x == k or x == kk or (len(x) >= 3 and (k.endswith(x) or x.endswith(k) and len(k) >= 3) and abs(len(k) - len(x)) <= 2) \
                        or (len(x) >= 4 and _lcs(x, k) >= max(4, len(x) - 1)):
                    cands.add(k)
        return self.statements(cands, docs)

    def _a_yoy(self, it: Intent, ctx: Context, docs: list[int]) -> tuple[Answer, Context] | None:
        if not docs:
            return None
        keys = self._yoy_keys(it)
        if not keys:
            return None
        latest = max(self.docs[d].year for d in docs)
        year = it.year
        if year is not None and year > latest:
            return self._refuse(it, f"文件只有{latest}年的预算，没有{year}年的数", "not_found"), ctx
        rows = self._stmt_match(keys, docs)
        by_doc: dict[int, list[sqlite3.Row]] = {}
        for r in rows:
            by_doc.setdefault(r["document_id"], []).append(r)
        d = self._one_doc(it, by_doc) if by_doc else None
        if isinstance(d, Answer):
            return d, ctx
        rows = by_doc.get(d, []) if d is not None else []
        cur_year = self.docs[d].year if d is not None else latest
        prev_year = cur_year - 1
        if year is not None and year < cur_year and not any(r["base_year"] == year or r["year"] == year for r in rows):
            return self._refuse(it, f"文件只有{cur_year}年的预算及与{prev_year}年的比较，推算不出{year}年的数", "not_found"), ctx
        want_pct = "pct" in it.cues or bool(re.search(r"百分之|增长率|增幅|降幅|%", it.text))
        want_prev = year is not None and year < cur_year and not re.search(r"比|较|相比|增加|减少|变化|增长|下降|多了|少了", it.text.replace("比例", ""))
        if it.year_rel is not None and it.year_rel < 0 and not re.search(r"比|较|增加|减少|变化|增长|下降|多了|少了|差", it.text):
            want_prev = True
        if not rows:
            return None
        doc = self.docs[d]
        def cite(r: sqlite3.Row) -> Citation:
            return self.cite_section(d, r["heading"])
        exact = [r for r in rows if key(r["subject"]) in keys[:3]] or rows
        if want_pct:
            for r in exact + rows:
                if r["change_pct"] is not None:
                    sign = -1 if r["change_dir"] == "减少" else 1
                    v = r["change_pct"] * sign
                    text = f"据“{r['heading']}”，{r['subject']}与{r['base_year'] or prev_year}年相比{r['change_dir'] or '变化'}{fmt(r['change_pct'])}%：{r['sentence']}"
                    return Answer(it.question, "answered", text, v, "%", (cite(r),)), Context(doc=d)
            return None
        if want_prev and set(keys) & self._TOTAL_KEYS:
            got = self._prev_total_from_parts(it, d, cur_year, prev_year)
            if got is not None:
                return got
        if want_prev:
            for r in [x for x in rows if key(x["subject"]) in keys]:
                if r["year"] == prev_year and r["value"] is not None and r["change"] is None:
                    v, u = self._convert(r["value"], r["unit"] or doc.money_unit, it)
                    text = f"{prev_year}年{r['subject']}{fmt(v, u)}{u}（文件直接给出：{r['sentence']}）"
                    return (Answer(it.question, "answered", text, v, u, (cite(r),)),
                            Context(figs=[Fig(r["subject"], r["value"], r["unit"] or "万元", (cite(r),), doc=d)], doc=d))
            for r in exact + rows:
                if r["change_dir"] in ("增加", "减少", "持平") and (r["change"] is not None or r["change_dir"] == "持平"):
                    cur, cur_cite = self._current_value(it, r, d, ctx)
                    if cur is None:
                        continue
                    ch = r["change"] or 0.0
                    prev = cur - ch if r["change_dir"] == "增加" else cur + ch
                    prev = round(prev, 6)
                    op = "−" if r["change_dir"] == "增加" else "+"
                    der = f"{cur_year}年{fmt(cur, '万元')} {op} {r['change_dir']}额{fmt(ch, '万元')} = {fmt(prev, '万元')}万元"
                    v, u = self._convert(prev, doc.money_unit, it)
                    text = f"{prev_year}年{r['subject']}约为{fmt(v, u)}{u}，由{cur_year}年数和文件所说的增减额推算（{der}）。"
                    cites = tuple(dict.fromkeys((cite(r),) + cur_cite))
                    return (Answer(it.question, "answered", text, v, u, cites, derivation=der),
                            Context(figs=[Fig(r["subject"], prev, doc.money_unit, cites, doc=d)], doc=d))
                if r["change_pct"] is not None and r["change_dir"] in ("增加", "减少"):
                    cur, cur_cite = self._current_value(it, r, d, ctx)
                    if cur is None:
                        continue
                    f = 1 + (r["change_pct"] / 100) * (1 if r["change_dir"] == "增加" else -1)
                    prev = round(cur / f, 2)
                    der = f"{fmt(cur, '万元')} ÷ (1 {'+' if r['change_dir'] == '增加' else '−'} {fmt(r['change_pct'])}%) = {fmt(prev, '万元')}万元"
                    v, u = self._convert(prev, doc.money_unit, it)
                    text = f"{prev_year}年{r['subject']}约为{fmt(v, u)}{u}，由{cur_year}年数和文件所说的增长率推算（{der}）。"
                    cites = tuple(dict.fromkeys((cite(r),) + cur_cite))
                    return (Answer(it.question, "answered", text, v, u, cites, derivation=der), Context(doc=d))
            return None
        for r in exact + rows:
            if r["change_dir"] in ("增加", "减少", "持平") and (r["change"] is not None or r["change_dir"] == "持平"):
                ch = r["change"] or 0.0
                v, u = self._convert(ch, r["unit"] or doc.money_unit, it)
                text = f"{r['subject']}较{r['base_year'] or prev_year}年{r['change_dir']}{fmt(v, u)}{u}（据“{r['heading']}”：{r['sentence']}）"
                return (Answer(it.question, "answered", text, v, u, (cite(r),)),
                        Context(figs=list(ctx.figs), refs=list(ctx.refs), subject_keys=keys, doc=d))
        return None

    def _prev_total_from_parts(self, it: Intent, d: int, cur_year: int, prev_year: int) -> tuple[Answer, Context] | None:
        """Last year's total = the sum of last year's parts the 收入/支出情况 sentence gives, when it lists them all."""
        doc = self.docs[d]
        rows = self.q("SELECT s.subject, s.value, s.change_dir, s.change, s.year, s.sentence, sec.path AS heading "
                      "FROM statements s JOIN sections sec ON sec.id = s.section_id WHERE s.document_id = ? ORDER BY s.id", (d,))
        for total in rows:
            if key(total["subject"]) not in self._TOTAL_KEYS or total["value"] is None or total["year"] != cur_year:
                continue
            parts = [r for r in rows if r["sentence"] == total["sentence"] and r is not total and r["value"] is not None
                     and r["year"] == cur_year and key(r["subject"]) not in self._TOTAL_KEYS]
            if not parts or abs(sum(r["value"] for r in parts) - total["value"]) > 0.011:
                continue
            prevs = []
            for r in parts:
                if r["change_dir"] in ("增加", "减少") and r["change"] is not None:
                    prevs.append((r, r["value"] - r["change"] if r["change_dir"] == "增加" else r["value"] + r["change"]))
                elif r["change_dir"] == "持平":
                    prevs.append((r, r["value"]))
                elif re.search(rf"{prev_year}年无{re.escape(r['subject'])}", total["sentence"] or ""):
                    prevs.append((r, 0.0))
                else:
                    break
            else:
                prev = round(sum(p for _, p in prevs), 6)
                der = " + ".join(f"{r['subject']} {fmt(p, '万元')}" for r, p in prevs) + f" = {fmt(prev, '万元')}万元"
                v, u = self._convert(prev, doc.money_unit, it)
                text = (f"{prev_year}年{total['subject']}约为{fmt(v, u)}{u}，由文件所列各项{cur_year}年数及其增减额推算"
                        f"（{der}）。")
                cite = self.cite_section(d, total["heading"])
                return (Answer(it.question, "answered", text, v, u, (cite,), derivation=der),
                        Context(figs=[Fig(total["subject"], prev, doc.money_unit, (cite,), doc=d)], doc=d))
        return None

    def _current_value(self, it: Intent, r: sqlite3.Row, d: int, ctx: Context) -> tuple[float | None, tuple[Citation, ...]]:
        if r["value"] is not None and r["year"] == self.docs[d].year:
            return r["value"], ()
        same = self.q("SELECT s.value, sec.path AS heading FROM statements s JOIN sections sec ON sec.id = s.section_id "
                      "WHERE s.document_id = ? AND s.subject = ? AND s.year = ? AND s.value IS NOT NULL AND s.change IS NULL",
                      (d, r["subject"], self.docs[d].year))
        if same:
            return same[0]["value"], (self.cite_section(d, same[0]["heading"]),)
        sub = replace(it, year=None, year_rel=None, what="figure")
        figs, stop = self.resolve(sub, [d], ctx)
        if figs and figs[0].value is not None and figs[0].unit in MONEY:
            return figs[0].value, figs[0].cites
        return None, ()


_NON_MONEY = re.compile(r"几(?![十百千万亿元块钱])|(多少|几)(个|台|辆|套|件|人|次|天|月|个月|年|条|根|名|项|所|箱|间|册|本|张|把|部|平方米|平米|亩|户|家|处|座|栋|层|公里|米|吨|小时|分钟|周|期|批|岁)"
                        r"|面积|长度|重量|人数|多大|多长|多久|数量|几辆|几台|几个")


def asks_non_money(text: str) -> bool:
    """The question asks for a count, a size or a duration, not an amount of money."""
    t = text.replace("多少钱", "").replace("多少万", "").replace("多少元", "")
    return bool(_NON_MONEY.search(t))


def _lcs(a: str, b: str) -> int:
    """Length of the longest common substring (short strings only)."""
    if not a or not b:
        return 0
    best = 0
    for i in range(len(a)):
        for j in range(i + best + 1, len(a) + 1):
            if a[i:j] in b:
                best = j - i
            else:
                break
    return best


def _json_list(s: str | None) -> list[str]:
    import json

    try:
        v = json.loads(s or "[]")
        return [str(x) for x in v] if isinstance(v, list) else []
    except ValueError:
        return []

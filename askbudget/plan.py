"""Intent -> parameterised SQL over the store: the Planner (SQL, rows, cells, citations) and the
Resolver (which documents a question is about, which rows and columns its subjects are, and the
figures they hold).

Every figure an answer carries is read from a cell, an indicator, a statement or a narrative
sentence of the store, or computed from such figures with the formula written out (answers.py and
its mixins). User text never enters SQL except as a bound parameter. Each query runs under
``store.WorkLimit``.
"""
from __future__ import annotations

import functools
import re
import sqlite3
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Iterable, Sequence

from . import lazyre
from . import settings
from .answer import Answer, Citation
from .notes import names_table, says_empty
from .errors import QueryError
from .parse import Intent, Mention
from .store import QueryCache, WorkLimit
from .phrases import Phrases
from .vocab import DocInfo, Vocab, key, norm

# table kinds, most specific first, for a subject's figure
PREF = ("一般公共预算财政拨款基本支出表", "支出总表", "收入总表", "收支总表", "一般公共预算财政拨款支出表",
        "政府性基金预算财政拨款支出表", "国有资本经营预算财政拨款支出表", "财政拨款收支总表",
        "三公经费支出表", "固定资产占用情况表", "政府采购预算表")
DEFAULT_COLUMNS = ("合计", "预算数", "金额", "价值")
# a 决算 document's figure: its 决算数, never the 预算数 a 决算 table prints beside it (the 三公 table)
FINAL_COLUMNS = ("决算数", "合计", "本年支出合计", "本年收入合计", "金额", "价值")
KINDS = ("预算", "决算")
# a cell stored ``uncertain`` (docs/schema.md): its column could not be proven from the text
UNCERTAIN = "该数字在文本中所在的列无法确定（文本丢失了空单元格），不作回答"
MONEY = {"元": 1.0, "万元": 1e4, "亿元": 1e8}
ROW_SQL = ("SELECT r.id, r.document_id, r.table_id, t.kind, t.title, t.note, r.name, r.label, r.code, "
           "r.classification, r.level, r.side, r.is_total, r.group_name, r.seq, r.parent_code, r.page "
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
    page: int | None = None


@dataclass(frozen=True)
class CellVal:
    col: int
    column: str
    group: str
    raw: str
    value: float | None
    uncertain: int = 0


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
    year: int | None = None  # the year the figure is for when it is not its document's (a derived 去年 figure)
    sql: str = ""  # the SQL the turn that read this figure ran (shown again when a follow-up computes with it)


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
    missed: bool = False  # the turn after this one's answer was not answered ("其中…" then has no whole)
    refused_unit: str = ""  # the refusal of a unit the store lacks (中医院预算多少): "那项目支出呢" gets it again


def fmt(x: float | None, unit: str = "") -> str:
    if x is None:
        return "—"
    if unit == "亿元":  # 0.598318 亿元: two decimals would hide most of the figure
        return f"{x:.6f}".rstrip("0").rstrip(".") if abs(x) < 100 else f"{x:.2f}"
    if unit == "元":  # 950,000元: a figure in 元 runs to seven digits and more, grouped as printed
        return f"{x:,.2f}" if x != int(x) else f"{int(x):,}"
    if unit in ("万元", "亿元"):
        return f"{x:.2f}"
    if float(x).is_integer():
        return str(int(x))
    return f"{x:.2f}".rstrip("0").rstrip(".")


def change_said(late: int, early: int, d: float, unit: str) -> str:
    """A change between two years said with its direction, as the banks and the documents say it:
    "2023年较2022年减少2.00万元" (d = the later year's figure − the earlier year's)."""
    if not d:
        return f"{late}年与{early}年持平"
    return f"{late}年较{early}年{'增加' if d > 0 else '减少'}{fmt(abs(d), unit)}{unit}"


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
        self.all_docs = self.docs  # every document; ``docs`` is narrowed per question to one kind per unit-year
        self.final_cues: tuple[str, ...] = ()  # column cues a 决算 figure is read with (预算数 when the budget is asked)
        self.tables_asked: tuple[str, ...] = ()  # the table kinds the question names (a figure is read in those)
        self.sql_log: list[str] = []
        self.results: QueryCache | None = None  # set over an immutable store (the Assistant's): rows of queries run

    # ------------------------------------------------------------ SQL
    def q(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        shown = sql
        for p in params:
            shown = shown.replace("?", _sqlval(p), 1)
        self.sql_log.append(shown)
        key = (sql, tuple(params))
        rows = self.results.get(key) if self.results is not None else None
        if rows is None:
            rows = self._limited(lambda: self.conn.execute(sql, key[1]).fetchall())
            if self.results is not None:
                self.results.put(key, rows)
        return list(rows)

    def _limited(self, run: Any) -> Any:
        """Run SQL under the work limit; over it (or on any other SQLite error) a QueryError."""
        limit = WorkLimit(self.conn)
        try:
            with limit:
                return run()
        except sqlite3.OperationalError as e:
            if "interrupt" in str(e) and limit.used > limit.steps:
                raise QueryError(WorkLimit.MESSAGE) from None
            raise QueryError(f"query failed: {e}") from None

    @staticmethod
    def _in(n: int) -> str:
        return ",".join("?" * n)

    def rows_where(self, where: str, params: Sequence[Any], docs: Sequence[int]) -> list[RowRef]:
        # the documents' tables first (indexed by document_id), then their rows (by table_id): the work grows
        # with the documents asked about, never with the store (CROSS JOIN keeps that order; left to itself
        # SQLite starts from the label index, which holds that label in every unit of the store)
        by_doc = ROW_SQL.replace("FROM rows r JOIN tables t ON t.id = r.table_id",
                                 "FROM tables t CROSS JOIN rows r ON r.table_id = t.id")
        sql = f"{by_doc} WHERE {where} AND t.document_id IN ({self._in(len(docs))}) ORDER BY r.document_id, t.seq, r.seq"
        return [RowRef(*tuple(r)) for r in self.q(sql, list(params) + list(docs))]

    def cells(self, row_id: int) -> list[CellVal]:
        return [CellVal(r[0], r[1] or "", r[2] or "", r[3] or "", r[4], r[5] or 0) for r in
                self.q("SELECT col, column, column_group, raw, value, uncertain FROM cells WHERE row_id = ? ORDER BY col",
                       (row_id,))]

    def tables_of(self, kind: str, docs: Sequence[int]) -> list[sqlite3.Row]:
        return self.q(f"SELECT id, document_id, kind, title, note, columns, project, goal FROM tables WHERE kind = ? "
                      f"AND document_id IN ({self._in(len(docs))}) ORDER BY document_id, seq", [kind, *docs])

    # ------------------------------------------------------------ citations
    def cite_row(self, ref: RowRef, column: str = "") -> Citation:
        d = self.docs[ref.doc]
        return Citation(d.name, d.unit_name, d.year, ref.title, ref.name, column, ref.page)

    def with_pages(self, answer: Answer) -> Answer:
        """Every citation of a document that has pages gets its page: the row's, else the table's
        first page, else the section's."""
        if not answer.citations or all(c.page is not None for c in answer.citations):
            return answer
        paged = self._paged_docs()
        if not any(c.document in paged for c in answer.citations):
            return answer
        cites = []
        for c in answer.citations:
            if c.page is None and c.document in paged:
                c = replace(c, page=self._page_of(paged[c.document], c.table, c.row))
            cites.append(c)
        return replace(answer, citations=tuple(cites))

    def refuse_uncertain(self, answer: Answer) -> Answer:
        """An answer that cites a cell stored ``uncertain`` is not given: it says which figure's
        column could not be read, and cites it."""
        if answer.status != "answered" or not answer.citations:
            return answer
        paged = self._paged_docs()
        bad = []
        for c in answer.citations:
            if c.document not in paged or not c.row or not c.column:
                continue
            got = self.q("SELECT 1 FROM cells c JOIN rows r ON r.id = c.row_id JOIN tables t ON t.id = r.table_id "
                         "WHERE t.document_id = ? AND t.title = ? AND r.name = ? AND c.column = ? AND c.uncertain = 1 "
                         "LIMIT 1", (paged[c.document], c.table, c.row, c.column))
            if got:
                bad.append(c)
        if not bad:
            return answer
        what = "；".join(f"{c.row}的{c.column}" for c in bad)
        return replace(answer, status="not_found", text=f"{what}：{UNCERTAIN}。", value=None, unit=None,
                       citations=tuple(bad), items=(), derivation="")

    def _paged_docs(self) -> dict[str, int]:
        got = getattr(self, "_paged", None)
        if got is None:
            got = self._paged = {r[1]: r[0] for r in self.q("SELECT id, name FROM documents WHERE n_pages IS NOT NULL")}
        return got

    def _page_of(self, doc: int, title: str, row: str) -> int | None:
        if row:
            got = self.q("SELECT r.page FROM rows r JOIN tables t ON t.id = r.table_id WHERE t.document_id = ? "
                         "AND t.title = ? AND r.name = ? LIMIT 1", (doc, title, row))
            if got and got[0][0] is not None:
                return got[0][0]
        got = self.q("SELECT page_start FROM tables WHERE document_id = ? AND title = ? LIMIT 1", (doc, title))
        if got and got[0][0] is not None:
            return got[0][0]
        got = self.q("SELECT page FROM sections WHERE document_id = ? AND (heading = ? OR path = ?) LIMIT 1",
                     (doc, title, title))
        return got[0][0] if got else None

    def cite_section(self, doc: int, heading: str) -> Citation:
        d = self.docs[doc]
        return Citation(d.name, d.unit_name, d.year, heading, "", "")

    def cite_table(self, doc: int, title: str, row: str = "", column: str = "") -> Citation:
        d = self.docs[doc]
        return Citation(d.name, d.unit_name, d.year, title, row, column)

    # ------------------------------------------------------------ rows and cells
    def doc_kind(self, doc: int) -> str:
        d = self.docs.get(doc) or self.all_docs.get(doc)
        return d.kind if d is not None else "预算"

    def pick_cell(self, ref: RowRef, cues: Sequence[str] = ()) -> CellVal | None:
        cells = self.cells(ref.id)
        final = self.doc_kind(ref.doc) == "决算"
        if final and not cues:
            cues = self.final_cues
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
            if best is not None and 2 <= score < 5:
                # "财政拨款" fits 一般公共预算财政拨款 and 政府性基金预算财政拨款 alike: it names their 合计
                tied = [c for c in cells if c.group == best.group and max(_col_score(c.column, c.group, q) for q in cues) == score]
                total = [c for c in cells if c.group == best.group and key(c.column) == "合计"]
                if len(tied) >= 2 and total:
                    return total[0]
            return best
        for name in FINAL_COLUMNS if final else DEFAULT_COLUMNS:
            for c in cells:
                if c.column == name:
                    return c
        if final:  # never the budget figure a 决算 table prints beside its 决算数
            cells = [c for c in cells if "预算" not in c.column] or cells[:0]
            if not cells:
                return None
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
        if c.uncertain and (twin := self._certain_twin(ref, c.column)) is not None:
            ref, c = twin  # the same row printed whole in another table proves the column (行政运行's 基本支出)
            value, raw = c.value, c.raw
        if c.uncertain:  # the text lost this row's empty cells: never read as a figure, never as 0
            return Fig(ref.label, None, unit, (self.cite_row(ref, c.column),), "", ref, c.column, ref.doc,
                       note=UNCERTAIN)
        if value is None and raw in ("", "--", "-", "—"):
            value = 0.0 if raw == "" else None
        return Fig(ref.label, value, unit, (self.cite_row(ref, c.column),), raw, ref, c.column, ref.doc)

    def _certain_twin(self, ref: RowRef, column: str) -> tuple[RowRef, CellVal] | None:
        """A cell stored uncertain in one table, read where another table of the document prints the same coded
        row with the same whole and that column proven: 支出决算表's 行政运行 (1,715.05, its 基本/项目 split lost)
        is the 一般公共预算财政拨款支出决算表's 行政运行 (1,715.05 = 1,690.05 + 25.00) — all of the row's money is
        in that table, so its split is the row's. None when no such table, or two that disagree, or the question
        names the table it asks of (支出总表里…)."""
        if not ref.code:
            return None
        whole = self._row_whole(ref)
        if whole is None:
            return None
        found: dict[float | None, tuple[RowRef, CellVal]] = {}
        for other in self.rows_where("r.code = ? AND r.table_id != ?", (ref.code, ref.table_id), [ref.doc]):
            if self.tables_asked and other.kind not in self.tables_asked:
                continue
            cells = [c for c in self.cells(other.id) if c.column == column and not c.uncertain]
            ow = self._row_whole(other)
            if cells and ow is not None and abs(ow - whole) < 0.005:
                c = cells[0]
                found.setdefault(c.value if c.value is not None or c.raw else 0.0, (other, c))
        return next(iter(found.values())) if len(found) == 1 else None

    def _row_whole(self, ref: RowRef) -> float | None:
        """A row's own total (合计, 本年支出合计, 决算数 …), when it is certain."""
        cells = self.cells(ref.id)
        for name in FINAL_COLUMNS + DEFAULT_COLUMNS:
            for c in cells:
                if c.column == name:
                    return c.value if not c.uncertain else None
        return None

    def rows_for_mention(self, m: Mention, docs: Sequence[int]) -> list[RowRef]:
        """Rows a subject mention can mean, by code, label, alias, item or standard name."""
        labels: list[str] = []
        for kind, target in m.kinds:
            if kind == "code":
                coded = self.rows_where("r.code = ?", (target,), docs)
                named = list(dict.fromkeys(r.label for r in coded if len(target) == 3))
                if not named:
                    return coded
                # a 类 printed by name alone in the 收支总表 (十一、城乡社区支出) is the same subject as its code
                return coded + self.rows_where(f"r.code IS NULL AND t.kind = '收支总表' AND r.side = '支出' AND r.label IN "
                                               f"({self._in(len(named))})", named, docs)
            if kind in ("row", "item"):
                labels.append(target)
            elif kind in ("alias", "std", "gloss", "stmt", "belongs"):
                for t in target.split("|"):
                    labels.extend(self.v.labels.get(key(t), ()))
                    if kind == "alias":
                        labels.extend(self._labels_aliasing(t))
                if kind == "alias":
                    # a row whose label the lexicon maps to the very word asked names the same thing (一般公共预算
                    # 财政拨款收入 → 一般公共预算拨款, asked as 一般公共预算拨款 → 一般公共预算拨款收入)
                    labels.extend(self._labels_aliasing(m.key))
        if m.how != "exact":
            labels.extend(self.v.labels.get(m.key, ()))
        labels = list(dict.fromkeys(labels))
        if not labels:
            return []
        return self.rows_where(f"r.label IN ({self._in(len(labels))})", labels, docs)

    def _labels_aliasing(self, canonical: str) -> tuple[str, ...]:
        """Row labels that are themselves colloquial names of ``canonical``: the Shanghai 三公 table's 公务用车运行费
        is a row for 公车运行费 (→ 公务用车运行维护费) as much as the 经济分类 row is."""
        table = self.__dict__.get("_aliasing")
        if table is None:
            table = {}
            for k, labels in self.v.labels.items():
                for kind, target in self.v.words.get(k, ()):
                    if kind == "alias" and "|" not in target:
                        table.setdefault(key(target), []).extend(labels)
            self.__dict__["_aliasing"] = table
        return tuple(table.get(key(canonical), ()))

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
                      "s.change_pct, s.base_year, s.base_value, s.sentence, s.basis, sec.path AS heading FROM statements s "
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

def _same_subject(stated: str, names: set[str]) -> bool:
    """A narrative subject (行政运行, 一般公共预算财政拨款支出, “三公”经费财政拨款支出) names the row or
    subject asked: the same words, or one ending the other (4 characters or more); 财政拨款 is the funding every
    such figure is of (一般公共预算支出 is 一般公共预算财政拨款支出)."""
    stated = re.sub(r"支出$", "", re.sub(r"[“”\"（(](?:类|款|项)?[)）]?|财政拨款", "", stated))
    for n in names:
        n = re.sub(r"支出$", "", re.sub(r"[“”\"]|财政拨款", "", n))
        if n == stated or (min(len(n), len(stated)) >= 4 and (n.endswith(stated) or stated.endswith(n))):
            return True
    return False


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


def _printed_step(f: Fig) -> float:
    """Half the last printed digit of a figure, in the unit it is stored in: 9.38 printed in a 万元 table is
    any figure from 9.375 to 9.385 (a 元 table's 93,750 is exact to 0.00005万元)."""
    m = re.fullmatch(r"-?[\d,]*\.?(\d*)", (f.raw or "").strip())
    try:
        printed = float((f.raw or "").replace(",", ""))
    except ValueError:
        return 0.0
    if m is None or not printed or f.value is None:
        return 0.0
    return 0.5 * 10 ** -len(m.group(1)) * abs(f.value / printed)


def _stated_step(sentence: str, value: float) -> float:
    """The last digit a sentence printed a 万元 figure with ("328,661万元" → 1; "279,285.70万元" → 0.01): a
    narrative rounds or cuts the table's figure to it (328,661.808 is written 328,661)."""
    for m in re.finditer(r"(\d[\d,，]*)(?:\.(\d+))?\s*万元", sentence):
        whole = m.group(1).replace(",", "").replace("，", "")
        if whole and abs(float(whole + "." + (m.group(2) or "0")) - value) < 1e-9:
            return 10.0 ** -len(m.group(2) or "")
    return 0.01


def _same_printed(a: Fig, b: Fig) -> bool:
    """The same figure printed in two tables, each at its own precision (9.375 in a 元 table, 9.38 in the
    三公 table's 万元)."""
    if a.value is None or b.value is None:
        return False
    return abs(a.value - b.value) <= max(_printed_step(a), _printed_step(b), 1e-9) + 1e-9


def _unit_in(raw: str) -> str:
    m = re.search(r"[\d.]+\s*([^\d\s.]+)$", raw or "")
    return m.group(1) if m else ""


def _bigrams(s: str) -> set[str]:
    return {s[i:i + 2] for i in range(len(s) - 1)}


_STOP_BIGRAMS = {"多少", "是多", "少钱", "目标", "要求", "预算", "安排", "什么", "一下", "是什", "标是", "求多",
                 "指标", "标值", "几天", "几个", "少个", "少天"}
_REASON_MARK = lazyre.compile(r"原因|由于|因为|是因|主要是|导致|为了|所以|因此")
_SENT_SPLIT = lazyre.compile(r"(?<=[。；;！？!?])")
_CLAUSE_SPLIT = lazyre.compile(r"[，。；;：:]|,(?!\d{3}(?!\d))")  # 214,355.48万元 is one figure
_QTY = lazyre.compile(r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(万元|亿元|元|个工作日|工作日|平方米|平米|人次|小时|个|台|辆|套|件|人|次|天|日|月|年|条|根|名|项|所|箱|%)")

class Resolver(Planner):
    """Scope (documents, years, units), subjects -> figures, and the sentences that say no."""

    def _docs(self, it: Intent) -> list[int] | Answer:
        if it.what == "yoy" and it.year is not None and re.search(
                r"比|较|相比|增加|减少|增长|下降|变化|增减|多了|少了|百分之|%", it.text):
            it = replace(it, year=None)  # "比上年增加多少" is read in this year's document
        docs = list(self.docs)
        if it.unit_doc is not None and it.unit_doc in self.docs:
            docs = [it.unit_doc]
        elif it.unit_choices:
            docs = [d for d in docs if self.docs[d].unit_name in it.unit_choices] or docs
        years = sorted({self.docs[d].year for d in docs})
        if it.year is not None and it.year not in years and it.what not in ("yoy",):
            # a year outside the store: only a year a statement compares with can be derived
            if not self._derivable_year(it.year, docs):
                return self._refuse(it, f"文件只有{'、'.join(str(y) for y in years)}年的{self.held_kind(docs)}，"
                                           f"没有{it.year}年的数", "not_found")
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
        return self._narrow(it, docs)

    def _narrow(self, it: Intent, docs: list[int]) -> list[int]:
        """A question that names no one unit, in a store of more documents than ``MAX_SCAN_DOCUMENTS``, is
        read in those the search index ranks first for its words (askbudget/search.py): what it costs
        grows with what it finds, not with the store; the answer then asks which unit where several fit."""
        limit = int(settings.MAX_SCAN_DOCUMENTS)
        if len(docs) <= limit:
            return docs
        from .search import rank_documents

        return sorted(self._limited(lambda: rank_documents(self.conn, it.text, docs, limit, _STOP_BIGRAMS)))

    def kind_scope(self, it: Intent) -> tuple[Intent, dict[int, DocInfo]] | Answer:
        """The documents a question reads: per unit and year, its 预算 or its 决算 (never both, so every
        figure, sum and comparison stays within one kind; docs/answering.md "预算 and 决算").

        A kind named (实际/花了 → 决算, 预算/安排 → 预算) reads that kind. A 决算 asked of a unit-year with
        only a 预算 is refused; a 预算 asked of one with only a 决算 reads the 预算数 a 决算 table prints
        beside its 决算数 (the 三公 table). Neither named: the 预算 where a unit-year has both (the
        answer then says so and offers the 决算), else the one there is. Returns the intent with its
        unit documents moved to the kind read, and the documents to read."""
        self.final_cues = ()
        self.tables_asked = tuple(it.tables)
        kinds = set(it.doc_kinds) & set(KINDS)
        rather = "决算" if not kinds and "决算?" in it.doc_kinds else "预算"  # 花了: the 决算 where there is one
        groups, paired = self._kind_groups()
        if not kinds and not paired:
            return it, self.all_docs  # one document per unit-year: nothing to choose (no work per question)
        # both named without a comparison ("预算执行了多少"): the budget is what was carried out — the 决算
        want = next(iter(kinds)) if len(kinds) == 1 else ("决算" if kinds else None)
        keep: dict[tuple[str, int], int] = {}
        for g, by_kind in groups.items():
            if want is None:
                keep[g] = by_kind.get(rather, by_kind.get("决算" if rather == "预算" else "预算", 0))
            elif want in by_kind:
                keep[g] = by_kind[want]
            elif want == "预算":
                keep[g] = by_kind["决算"]  # its tables may print the 预算数 (三公)
        if want == "预算":
            self.final_cues = ("预算数",)  # a 决算 read for a budget gives only the 预算数 it prints
        scoped = {d: self.all_docs[d] for d in keep.values() if d}

        def moved(d: int | None) -> int | None | Answer:
            if d is None or d in scoped:
                return d
            u, y = self.all_docs[d].unit_name, self.all_docs[d].year
            same = [k for k, v in scoped.items() if v.unit_name == u and v.year == y]
            if same:
                return same[0]
            other = [k for k, v in scoped.items() if v.unit_name == u]
            if other and it.year is None and not it.years:
                return max(other, key=lambda k: scoped[k].year)
            return self._kind_missing(it, u, y, want or "决算")

        unit_doc = moved(it.unit_doc)
        if isinstance(unit_doc, Answer):
            return unit_doc
        unit_docs = []
        for d in it.unit_docs:
            m = moved(d)
            if isinstance(m, Answer):
                return m
            unit_docs.append(m)
        if want == "决算":
            years = {it.year} if it.year is not None else None
            held = [v for v in scoped.values() if (years is None or v.year in years)
                    and (it.unit_doc is None or v.unit_name == self.all_docs[it.unit_doc].unit_name)]
            if not held:
                d = self.all_docs.get(it.unit_doc) if it.unit_doc is not None else None
                return self._kind_missing(it, d.unit_name if d else "", it.year, "决算")
        return replace(it, unit_doc=unit_doc, unit_docs=tuple(u for u in unit_docs if u is not None)), scoped

    def _kind_groups(self) -> tuple[dict[tuple[str, int], dict[str, int]], bool]:
        """(unit, year) -> {kind: document}, and whether some unit-year has both kinds; once per store."""
        got = getattr(self, "_groups", None)
        if got is None:
            groups: dict[tuple[str, int], dict[str, int]] = {}
            for d in self.all_docs.values():
                groups.setdefault((d.unit_name, d.year), {}).setdefault(d.kind, d.id)
            got = self._groups = (groups, any(len(g) > 1 for g in groups.values()))
        return got

    def _store_index(self) -> tuple[dict[str, DocInfo], dict[str, list[int]]]:
        """The store's documents by name, and each unit's documents (in id order); once per store, so a turn's
        bookkeeping costs what its answer cites, not the store's size."""
        got = getattr(self, "_index", None)
        if got is None:
            by_unit: dict[str, list[int]] = {}
            for d in sorted(self.all_docs):
                by_unit.setdefault(self.all_docs[d].unit_name, []).append(d)
            got = self._index = ({d.name: d for d in self.all_docs.values()}, by_unit)
        return got

    def _kind_missing(self, it: Intent, unit: str, year: int | None, kind: str) -> Answer:
        """A kind asked that the store lacks for the unit-year: say what it holds (never the other kind's figure)."""
        finals = [d for d in self.all_docs.values() if d.kind == "决算"]
        if kind == "决算" and not finals:
            why = "这是预算公开文件，没有实际支出（执行）数"
        else:
            held = sorted({(d.year, d.kind) for d in self.all_docs.values() if not unit or d.unit_name == unit})
            who = next((self._short_unit(d.id) for d in self.all_docs.values() if d.unit_name == unit), "")
            when = f"{year}年" if year is not None else ""
            why = (f"库中没有{who}{when}的{kind}" + ("（实际支出）" if kind == "决算" else "") + "数；库中有："
                   + "、".join(f"{y}年{k}" for y, k in held))
        sugg = tuple(f"{d.year}年{self._subject_name(it) or '支出总计'}{'决算' if d.kind == '决算' else '预算'}是多少？"
                     for d in (finals if kind == "决算" else self.all_docs.values()) if d.kind == kind)
        return Answer(it.question, "not_found", why + "。", suggestions=tuple(dict.fromkeys(sugg))[: int(settings.MAX_SUGGESTIONS)],
                      intent=it.describe())

    def _missing_table(self, kind: str, docs: Sequence[int]) -> Answer | None:
        """A table of the 决算 template the 决算 document does not print: "该文件没有公开…表", never 0."""
        from .final_template import load

        spec = load().spec(kind)
        finals = [d for d in docs if self.doc_kind(d) == "决算"]
        if spec is None or not finals or len(finals) != len(docs):
            return None
        if any(self.tables_of(kind, [d]) for d in finals):
            return None
        d = self.docs[finals[0]]
        return Answer("", "not_found", f"该文件（{d.unit_name}{d.year}年决算）没有公开{spec.title}，"
                                      f"不能据此回答（不是0）。")

    def _derivable_year(self, year: int, docs: Sequence[int]) -> bool:
        rows = self.q(f"SELECT 1 FROM statements WHERE (base_year = ? OR year = ?) AND document_id IN "
                      f"({self._in(len(docs))}) LIMIT 1", [year, year, *docs])
        return bool(rows)

    def _refuse(self, it: Intent, why: str, status: str) -> Answer:
        return Answer(it.question, status, why if why.endswith("。") else why + "。",  # type: ignore[arg-type]
                      suggestions=tuple(self.suggest(it)), intent=it.describe())

    def _not_found(self, it: Intent, docs: Sequence[int], why: str = "") -> tuple[Answer, Context] | Answer:
        names = self._asked_span(it) or "、".join(m.text for m in it.subjects if m.how != "code") or \
            "、".join(it.leftover)
        if not why:
            where = f"{self.docs[it.unit_doc].unit_name}的" if it.unit_doc in self.docs and len(self.docs) > 1 else ""
            why = f"{where}文件中没有找到“{names}”的相关数据" if names else "没有看懂这个问题，文件中没有找到相关内容"
        return Answer(it.question, "not_found", why + "。", suggestions=tuple(self.suggest(it)),
                      intent=it.describe(), sql=";\n".join(dict.fromkeys(self.sql_log)))

    def suggest(self, it: Intent) -> list[str]:
        """Questions this store can answer, close to what was asked (did-you-mean), built from the store:
        siblings of a standard subject the document lacks (租赁费 -> the other 商品和服务支出 items),
        names that look alike, then the store's own headline figures."""
        out: list[str] = []
        limit = int(settings.MAX_SUGGESTIONS)
        from .lexicon import load

        by_name = load().by_name
        for m in it.subjects:
            # in the order the mention gives them (a set's order would depend on the process's hash seed)
            for key_ in dict.fromkeys([m.key, *(key(t) for k, t in m.kinds if k in ("row", "alias") and "|" not in t)]):
                if key_ in self.v.labels:
                    out.append(f"{next(iter(self.v.labels[key_]))}多少？")  # the same subject, asked plainly
        for m in it.subjects:
            for kind, target in m.kinds:
                if kind not in ("std", "alias"):
                    continue
                for subj in by_name.get(target, ()):
                    if subj.parent_code:
                        # a child's code begins with its parent's: a range of the code index, not a scan
                        for r in self.q("SELECT DISTINCT label FROM rows WHERE code > ? AND code < ? AND parent_code = ? "
                                        "AND label != '' LIMIT 3", (subj.parent_code, subj.parent_code + ":",
                                                                    subj.parent_code)):
                            out.append(f"{r['label']}多少？")
        words = [m.text for m in it.subjects] + list(it.leftover)
        from rapidfuzz import fuzz, process

        labels = getattr(self, "_labels", None)
        if labels is None:  # once per store
            units = {key(n) for d in self.all_docs.values() for n in (d.unit_name, *d.keys)}
            labels = self._labels = sorted(k for k in self.v.labels if k not in units)  # a unit is no subject to ask for
        for w in words:
            for cand, _, _ in process.extract(key(w), labels, scorer=fuzz.WRatio, limit=3, score_cutoff=60):
                out.append(f"{next(iter(self.v.labels[cand]))}多少？")
        headline = [("支出总计", "支出总计多少？"), ("收入总计", "收入总计多少？"), ("三公经费", "三公经费多少？"),
                    ("政府采购", "政府采购预算总额是多少？"), ("基本支出", "什么是基本支出？")]
        for word, q in headline:
            if key(word) in self.v.labels or key(word) in self.v.glossary or key(word) in self.v.words:
                out.append(q)
        return list(dict.fromkeys(out))[:limit]

    def _refs_of_one_doc(self, it: Intent, refs: Sequence["RowRef"]) -> list["RowRef"] | Answer | None:
        """The rows of the one document the question is about: grouped by document, then
        ``_one_doc`` picks it (an ambiguous Answer when several units fit equally; None for no rows)."""
        by_doc: dict[int, list[RowRef]] = {}
        for r in refs:
            by_doc.setdefault(r.doc, []).append(r)
        d = self._one_doc(it, by_doc)
        if d is None or isinstance(d, Answer):
            return d
        return by_doc[d]

    def _one_doc(self, it: Intent, candidates: dict[int, Any]) -> int | Answer | None:
        if not candidates:
            return None
        if len(candidates) == 1:
            return next(iter(candidates))
        if it.unit_doc is not None and it.unit_doc in candidates:
            return it.unit_doc
        units = [self.docs[d].unit_name for d in candidates]
        limit = int(settings.MAX_SUGGESTIONS)
        held = len({d.unit_name for d in self.docs.values()})
        # a few candidates are named; of many (or of a store too large to read whole), the first few
        narrowed = held > int(settings.MAX_SCAN_DOCUMENTS) and it.unit_doc is None
        listed = "；".join(units[:limit]) + (f"等（库中共有{held}个单位）" if len(units) > limit or narrowed else "")
        name = self._subject_name(it) if it.what in ("figure", "total") else ""
        asked = re.sub(r"[？?。.!！\s]+$", "", self._unit_phrases().sub("", norm(it.question))).lstrip("的 ")
        return Answer(it.question, "ambiguous",
                      "有几个单位都有这一项，请说明问的是哪个单位：" + listed + "。",
                      # the same question about each unit (the subject asked plainly where it is a figure)
                      suggestions=tuple(f"{self._short_unit(d)}的{name}多少？" if name else f"{self._short_unit(d)}的{asked}？"
                                        for d in candidates)[: int(settings.MAX_SUGGESTIONS)],
                      intent=it.describe())

    @staticmethod
    def _asked_span(it: Intent) -> str:
        """The whole name asked when unknown words run into a known one (星际旅行补贴, not 补贴)."""
        spans = [(m.pos, m.pos + len(m.text)) for m in it.subjects if m.how != "code" and it.text[m.pos:].startswith(m.text)]
        for w in it.leftover:
            i = it.text.find(w)
            if i >= 0:
                spans.append((i, i + len(w)))
        if not it.leftover or not spans:
            return ""
        spans.sort()
        start, end = spans[0]
        for a, b in spans[1:]:
            if a > end or re.search(r"[的和与及、，,\s]", it.text[end:a]):
                return ""
            end = max(end, b)
        return it.text[start:end]

    def _subject_name(self, it: Intent) -> str:
        """The first subject as the store or the lexicon writes it (电废 -> 电费): a suggestion quotes
        whole names, never the question's slice of one."""
        if not it.subjects:
            return ""
        m = it.subjects[0]
        if m.how == "code":
            return m.text
        if m.key in self.v.labels:
            return sorted(self.v.labels[m.key], key=len)[0]
        for kind, target in m.kinds:
            if kind in ("row", "std", "item", "project", "total", "stmt") and "|" not in target:
                return target
        return m.key or m.text

    def _unit_phrases(self) -> Phrases:
        """Every way the store's units are named (their keys), found at once; built once per vocabulary."""
        names = getattr(self.v, "_unit_key_phrases", None)
        if names is None:
            names = Phrases(k for d in self.v.docs for k in d.keys)
            self.v._unit_key_phrases = names  # type: ignore[attr-defined]
        return names

    def held_kind(self, docs: Sequence[int] | None = None) -> str:
        """What the documents are, for a refusal that says what the store holds: 预算, 决算, or both."""
        kinds = {self.all_docs[d].kind for d in (self.all_docs if docs is None else docs) if d in self.all_docs}
        return "预算、决算" if len(kinds) > 1 else "决算" if kinds == {"决算"} else "预算"

    def _short_unit(self, doc: int) -> str:
        """The shortest name that means this unit alone (第7分局 when a thousand units are 公安分局)."""
        memo = getattr(self.v, "_short_units", None)
        if memo is None:
            memo = self.v._short_units = {}  # type: ignore[attr-defined]
        if doc in memo:
            return memo[doc]
        memo[doc] = name = self._own_name(doc)
        return name

    def _own_name(self, doc: int) -> str:
        d = self.docs[doc]
        own = [k for k in d.keys if {t for kind, t in self.v.words.get(k, ()) if kind == "unit"} == {d.unit_name}]
        if own and own[0] == (d.keys[0] if d.keys else ""):
            return own[0]
        return min(own, key=len) if own else d.unit_name

    def _unit_note(self, doc: int, it: Intent) -> str:
        if len(self.docs) > 1 and doc in self.docs:
            return f"（{self.docs[doc].unit_name}，{self.docs[doc].year}年）"
        return ""

    def _own_words(self, m: Mention) -> Mention:
        """Words the document's own narrative states a figure for (机关运行经费 → "机关运行经费预算151.26万元")
        name that figure: a colloquial mapping of the same words (alias 机关运行经费 → 公用经费, which a unit
        with 事业单位 spends more of) is not read in its place."""
        if m.how != "exact" or not m.has("alias"):
            return m  # (a row of that name in another unit's table, 机关运行经费 of a 上海 三公 table, is no figure here)
        said = list(m.targets("stmt")) or [s for k in (m.key, m.key + "预算", m.key + "预算数", m.key + "支出")
                                           if (s := self.v.statement_subjects.get(k)) is not None]
        if not said or not self.docs or not self.statements([key(s) for s in said], list(self.docs)):
            return m  # no document asked states it (another unit of the store may): the alias stands
        # 机关运行经费支出 627.04 万元 (a 决算), 一般公共预算机关运行经费预算支出186.45万元
        return replace(m, kinds=tuple(x for x in m.kinds if x[0] != "alias") + tuple(
            ("stmt", s) for s in said if ("stmt", s) not in m.kinds))

    def _split(self, it: Intent) -> tuple[list[Mention], list[str], list[str]]:
        """(subject mentions, column cues, table kinds) — a column word is a cue when a row is named."""
        subjects = [self._own_words(m) for m in it.subjects]
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
        subjects = self._child_named_with_parent(it, subjects)
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

    def _child_named_with_parent(self, it: Intent, subjects: list[Mention]) -> list[Mention]:
        """"大气污染防治" = 款 污染防治 > 项 大气: two subjects written side by side (nothing between them) of
        which one is the other's parent in the classification name one subject, the child; never both."""
        if len(subjects) < 2:
            return subjects
        codes = {id(m): self._codes_of(m) for m in subjects}
        drop: set[int] = set()
        for a, b in zip(subjects, subjects[1:]):
            first, second = sorted((a, b), key=lambda m: m.pos)
            if it.text[first.pos + len(first.text):second.pos].strip(" 的"):
                continue  # "大气和污染防治": two subjects asked
            ca, cb = codes[id(a)], codes[id(b)]
            if ca and cb and all(any(x != y and x.startswith(y) for x in ca) for y in cb):
                drop.add(id(b))  # b is a's parent
            elif ca and cb and all(any(y != x and y.startswith(x) for y in cb) for x in ca):
                drop.add(id(a))
        return [m for m in subjects if id(m) not in drop]

    def _codes_of(self, m: Mention) -> set[str]:
        if m.how == "code":
            return {m.text}
        labels = [t for k, t in m.kinds if k in ("row", "std")]
        if not labels or not self.docs:
            return set()
        rows = self.q(f"SELECT DISTINCT code FROM rows WHERE label IN ({self._in(len(labels))}) AND code IS NOT NULL "
                      f"AND document_id IN ({self._in(len(self.docs))})", [*labels, *self.docs])
        return {r["code"] for r in rows if r["code"]}

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

    def _whole_total(self, it: Intent, m: Mention, refs: list[RowRef]) -> list[RowRef] | Answer:
        """收入总计/支出总计 asked with no fund named is the department's whole (the 收支总表), never the 总计 of the
        财政拨款收支总表 (its 财政拨款 only: 2,961.68 of 2,995.39)."""
        if "拨款" in it.text:
            return refs
        return self._unless_asked(it, refs, lambda r: r.kind == "财政拨款收支总表" and bool(r.is_total), (), lambda r, f: (
            f"文件中没有读出单位全部收支的“{m.text}”；" + (f"{r.title}的{r.label}{fmt(f.value, f.unit)}{f.unit}只是财政拨款。"
                                                    if f else "")))

    def _income_only(self, it: Intent, m: Mention, refs: list[RowRef], cols: list[str]) -> list[RowRef] | Answer:
        """A 决算's 收入决算表 row of a subject is the income the year brought for it, not what was spent on it (the
        carry-overs differ: 城乡社区支出 收入 3,171.75, 支出 3,334.75). It answers only a question that asks 收入 (a word
        outside the subject's own name, or a 收入 column)."""
        if "收入" in it.text.replace(m.text, " ") or any("收入" in c for c in cols):
            return refs
        return self._unless_asked(it, refs, lambda r: r.kind == "收入总表" and self.doc_kind(r.doc) == "决算",
                                  ("本年收入合计",), lambda r, f: (
            f"文件中没有读出“{r.label}”的支出决算数；" + (f"{r.title}列“{r.label}”本年收入{fmt(f.value, f.unit)}{f.unit}"
                                                 if f else r.title + "的数") + "是收入，不是支出。"))

    def _unless_asked(self, it: Intent, refs: list[RowRef], other: Callable[[RowRef], bool], cues: Sequence[str],
                      say: Callable[[RowRef, Fig | None], str]) -> list[RowRef] | Answer:
        """Rows that state something else than what was asked (``other``: another side, a part) never answer it: the
        subject's remaining rows do, or — none left — the refusal ``say`` says what the first of them holds."""
        kept = [r for r in refs if not other(r)]
        if kept or len(kept) == len(refs):
            return kept
        r = next(r for r in refs if other(r))
        f = self.fig_of(r, cues)
        held = f if f is not None and f.value is not None else None
        return Answer(it.question, "not_found", say(r, held), suggestions=tuple(self.suggest(it)),
                      citations=tuple(held.cites) if held else ())

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
                    return self._empty_tables(it, tabs)
        # an alias of a subject that belongs to a table (公车购置费 -> 公务用车购置费) belongs there too
        belongs = list(m.targets("belongs")) + [t for a in m.targets("alias") for k, t in self.v.words.get(key(a), ())
                                                if k == "belongs"]
        if not refs and belongs:
            for kind in dict.fromkeys(belongs):
                for t in self.tables_of(kind, docs):
                    n = self.q("SELECT COUNT(*) FROM rows WHERE table_id = ?", (t["id"],))[0][0]
                    if n == 0:
                        return self._empty_tables(it, [t])
        if not refs:
            for kind in dict.fromkeys(list(m.targets("total")) + belongs + list(tables)):
                miss = self._missing_table(kind, docs)
                if miss is not None:  # a 决算 without that table of the template: said, never 0
                    return replace(miss, question=it.question, intent=it.describe())
            return []
        income = self._income_only(it, m, refs, cols)
        if isinstance(income, Answer):
            return income
        refs = self._whole_total(it, m, income)
        if isinstance(refs, Answer):
            return refs
        one = self._refs_of_one_doc(it, refs)
        if isinstance(one, Answer):
            return one
        if "决算数" in cols and all(self.doc_kind(r.doc) == "决算" for r in one or []):
            # "群众文化决算数": a 决算's own word names the kind, which every row of it has (its default column, 决算数
            # first), never a column to prefer another row by (抚恤 of the 支出决算表 over the 三公 row 抚恤金)
            cols = [c for c in cols if c != "决算数"]
        refs = self._order(one or [], cols, tables, ctx)
        primary = refs[0]
        d = primary.doc
        twins = [r for r in refs if r.table_id == primary.table_id and r.code and primary.code and r.code != primary.code
                 and r.side == primary.side]
        asked_level = next((n for w, op in it.ops if op == "level" for ch, n in (("类", 3), ("款", 5), ("项", 7)) if ch in w), 0)
        if twins and asked_level:
            # "其他文化旅游体育与传媒支出（项）": the level written picks the subject of that level
            at_level = [r for r in [primary] + twins if len(r.code) == asked_level]
            if len(at_level) == 1:
                primary, twins = at_level[0], []
                refs = [primary] + [r for r in refs if r is not primary]
        if twins and m.how != "code":
            chain = sorted([primary] + twins, key=lambda r: len(r.code or ""))
            saved, self.final_cues = self.final_cues, ()
            try:
                vals = {(f.value if f is not None else None) for f in (self.fig_of(r, cols) for r in chain)}
            finally:
                self.final_cues = saved
            if all(b.code.startswith(a.code) for a, b in zip(chain, chain[1:])) and len(vals) == 1 \
                    and None not in vals:
                # 21205 城乡社区环境卫生 > 2120501 城乡社区环境卫生, one figure: a 款 and its only 项 are one subject
                primary, twins = chain[-1], []
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
        if cols and (fig is None or not any(_col_score(fig.column, "", c) for c in cols)):
            # "一般公共预算财政拨款里，X是多少": a column word no row has may be the name of X's table
            titled = [r for r in refs if any(len(key(c)) >= 4 and key(c) in key(r.title) for c in cols)]
            rest = [c for c in cols if not any(len(key(c)) >= 4 and key(c) in key(r.title) for r in titled)]
            if titled:
                primary = titled[0]
                fig = self.fig_of(primary, rest)
                refs = [primary] + [r for r in refs if r is not primary]
                cols = rest
        if fig is None:
            return []
        if primary.is_total and primary.label in ("合计", "小计", "总计"):
            if fig.column == "数量":
                return []  # a 合计 line has no count of its own
            fig = replace(fig, label=m.text)
        if cols and not any(_col_score(fig.column, "", c) for c in cols):
            return []
        cites = list(fig.cites)
        for r in refs[1:]:
            if len(cites) >= 4:
                break
            f2 = self.fig_of(r, cols)
            if f2 and f2.value is not None and fig.value is not None and _same_printed(fig, f2) \
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

    def _empty_tables(self, it: Intent, tabs: Sequence[sqlite3.Row]) -> list[Fig] | Answer:
        """Tables with no total row to read: 0 when the table was read with no rows and its note says it
        is empty (此表为空表); any other — rows the reader lost, no 合计 row — is not read, never 0."""
        out = []
        for t in tabs:
            n = self.q("SELECT COUNT(*) FROM rows WHERE table_id = ?", (t["id"],))[0][0]
            if n == 0 and says_empty(t["note"], t["title"]):
                st = self._stated_nonzero(t)
                if st is not None:  # the note says empty, the narrative states a figure: neither is answered
                    return Answer(it.question, "not_found", f"文件中的{t['title']}注明为空表，但文件的说明写有"
                                                            f"{st['subject']}{fmt(st['value'], st['unit'])}{st['unit']}，"
                                                            "两处不一致，不作回答（不是0）。", intent=it.describe())
                out.append(self._empty_table_fig(t))
                continue
            what = "没有读出数字" if n == 0 else "没有读出合计数"
            return Answer(it.question, "not_found", f"文件中的{t['title']}{what}（文件也没有说明它是空表），"
                                                    "不作回答（不是0）。", intent=it.describe())
        return out

    def _stated_nonzero(self, t: sqlite3.Row) -> sqlite3.Row | None:
        """A figure the document's narrative states, not 0, for the table's own fund or subject (2025年
        “三公”经费财政拨款预算10.60万元，比2024年减少… beside a 三公 table read with no rows): the statement's
        own figure, whether or not it also states a change."""
        d = self.docs[t["document_id"]]
        for s in self.q("SELECT subject, value, unit, year FROM statements WHERE document_id = ? AND value > 0 "
                        "AND unit LIKE '%元' ORDER BY id", (d.id,)):
            if s["year"] in (None, d.year) and names_table(s["subject"] or "", t["title"]):
                return s
        return None

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
        for c in cols:
            # a table that prints the column's total as a row of its own (the 决算's 基本支出决算表: 人员经费合计)
            refs = self.rows_where("r.label = ? AND r.is_total = 1", [c + "合计"], docs)
            by_doc = {r.doc: [r] for r in refs}
            if by_doc:
                d = self._one_doc(it, by_doc)
                if isinstance(d, Answer):
                    return d
                fig = self.fig_of(by_doc[d][0])
                if fig is not None:
                    return self._column_fig(fig, by_doc[d][0], [c], d)
        homes += [k for k in PREF if k not in homes]
        titled: list[tuple[Fig, RowRef, int]] = []
        for kind in homes:
            trows, tabs = self.total_row(kind, docs)
            if not trows:
                if tabs and kind in tables:
                    return self._empty_tables(it, tabs)
                miss = self._missing_table(kind, docs) if kind in tables or kind == homes[0] else None
                if miss is not None:
                    return replace(miss, question=it.question, intent=it.describe())
                continue
            by_doc = {r.doc: [r] for r in trows}
            d = self._one_doc(it, by_doc)
            if isinstance(d, Answer):
                return d
            ref = by_doc[d][0]
            fig = self.fig_of(ref, cols)
            if fig is None or (cols and not any(_col_score(fig.column, "", c) >= 2 for c in cols)):
                continue
            # "一般公共预算的项目支出": every cue must be the figure's column or the table's own name
            unmet = [c for c in cols if _col_score(fig.column, "", c) < 2]
            if unmet:
                if all(len(key(c)) >= 2 and key(c) in key(ref.title) for c in unmet):
                    titled.append((fig, ref, d))
                continue
            return self._column_fig(fig, ref, cols, d)
        if len({round(f.value or 0, 4) for f, _, _ in titled}) == 1:
            fig, ref, d = titled[0]
            return self._column_fig(fig, ref, cols, d)
        return []  # no table, or several tables with different figures ("财政拨款的项目支出")

    def _column_fig(self, fig: Fig, ref: RowRef, cols: list[str], d: int) -> list[Fig]:
        """The column-total figure, labelled by the column asked, citing a statement that prints it too."""
        label = "的".join(cols) if len(cols) > 1 and key(cols[0]) in key(ref.title) else (cols[0] if cols else ref.title)
        cites = list(fig.cites)
        for s in self.statements({key(c) for c in cols} | ({"日常公用经费"} if "公用经费" in cols else set()), [d]):
            if s["value"] is not None and fig.value is not None and abs(s["value"] - fig.value) < 0.005 \
                    and s["year"] == self.docs[d].year:
                cites.append(self.cite_section(d, s["heading"]))
                break
        return [replace(fig, label=label, cites=tuple(cites))]

    def _stated_for(self, m: Mention, docs: list[int]) -> list[Fig]:
        """The figure the narrative states for the very subject ``m`` names, in its document's year, once per
        document (“三公”经费财政拨款支出 for 三公经费: ``_same_subject``); several different: none."""
        cands = [k for k in self.v.statement_subjects if _same_subject(k, {m.key})]
        rows = [s for s in self.statements(cands, docs) if s["value"] is not None and (s["unit"] or "万元") == "万元"
                and s["year"] in (None, self.docs[s["document_id"]].year if s["document_id"] in self.docs else None)]
        by_doc: dict[int, set[float]] = {}
        for s in rows:
            by_doc.setdefault(s["document_id"], set()).add(round(s["value"], 2))
        out = []
        for s in rows:
            if len(by_doc[s["document_id"]]) == 1 and all(f.doc != s["document_id"] for f in out):
                out.append(Fig(s["subject"], s["value"], "万元", (self.cite_section(s["document_id"], s["heading"]),), "",
                               None, "", s["document_id"], note=s["sentence"]))
        return out

    def _stmt_figs(self, it: Intent, m: Mention, docs: list[int], cols: list[str]) -> list[Fig]:
        """A figure only the narrative states (拟购置固定资产总额, 高清球机每台)."""
        keys = {m.key}
        for kind, target in m.kinds:
            if kind in ("alias", "stmt"):
                keys.update(key(t) for t in target.split("|"))
        # "政府采购预算总额" where no table prints it: the narrative's 政府采购预算 (a total word names the whole said)
        keys.update(k for k in {re.sub(r"(总额|合计|总计|金额|总数)$", "", x) for x in keys} if len(k) >= 4)
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
        # "上年末固定资产金额" names its own date: the document's stock, whatever year the sentence reads as
        rows = [s for s in rows if s["year"] in (None, ydoc.get(s["document_id"])) or key(s["subject"]).startswith("上年末")]
        if not rows:
            return []
        exact = [s for s in rows if key(s["subject"]).replace("每台", "").replace("每个", "") in keys] or rows
        s = exact[0]
        by_doc = {r["document_id"]: r for r in exact}
        if len(by_doc) > 1 and it.unit_doc is None:
            return []
        said = self.cite_section(s["document_id"], s["heading"])
        twin = self._table_twin(s) if not per_unit else None
        if twin is not None:
            return [replace(twin, label=s["subject"], ref=None, cites=twin.cites + (said,), note=s["sentence"])]
        return [Fig(s["subject"], s["value"], s["unit"] or "万元", (said,), "", None, "", s["document_id"],
                    note=s["sentence"])]

    def _table_twin(self, s: sqlite3.Row) -> Fig | None:
        """The table cell a narrative figure restates (lexicon/narrative_figures.tsv, else a row of the
        subject's own name), when it agrees to within the last digit the narrative printed: "收入预算328,661万元"
        is the 收支总表's 收入总计 328,661.80822万元, and the table's exact figure is the answer."""
        from .check import narrative_figures

        doc = s["document_id"]
        if s["value"] is None or (s["unit"] or "万元") != "万元" or s["year"] not in (None, self.docs[doc].year):
            return None
        specs = narrative_figures().get(s["subject"]) or tuple(
            (None, s["subject"] + tail, None) for tail in ("", "收入", "支出"))
        step = _stated_step(s["sentence"] or "", s["value"])
        for spec in specs:
            for fig in self.spec_figs(spec, [doc]):
                if fig.unit == "万元" and abs(fig.value - s["value"]) < step - 1e-9:
                    return fig
        return None

    def spec_figs(self, spec: tuple[str | None, str | None, str | None], docs: Sequence[int]) -> list[Fig]:
        """The figures one line of lexicon/narrative_figures.tsv names (table kind, row — None: the table's 合计 —,
        column — None: the row's own), in the documents given."""
        kind, label, column = spec
        where = ["r.is_total = 1 AND r.label = '合计'" if label is None else "r.label = ?"]
        params: list[Any] = [] if label is None else [label]
        if kind is not None:
            where.append("t.kind = ?")
            params.append(kind)
        figs = (self.fig_of(ref, [column] if column else []) for ref in self.rows_where(" AND ".join(where), params, docs))
        return [f for f in figs if f is not None and f.value is not None and (not column or f.column == column)]

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
            if self.final_cues == ("预算数",) and docs and all(self.doc_kind(d) == "决算" for d in docs):
                budget = self._budget_in_final(it, m, cols, tables, docs, ctx)
                if isinstance(budget, Answer):
                    return [], budget
                figs.extend(budget)
                continue
            got = self._figs_for(it, m, cols, tables, docs, ctx)
            if isinstance(got, Answer):
                return [], got
            if not got and m.how != "code":  # a code the document never writes is not a name to look for
                got = self._stmt_figs(it, m, docs, cols)
            elif got and m.how != "code" and not tables and all(f.value is None and f.note == UNCERTAIN for f in got) \
                    and all(key(c) in ("决算数", "预算数") for c in cols):
                # the table's cell is unproven where the narrative states the same subject's figure in its own words
                # ("一般公共预算财政拨款支出…决算数为24,535.67万元"): that statement, never a guess at the column
                got = self._stated_for(m, docs) or got
            if not got and m.has("column") and not m.has("row"):
                got2 = self._column_total(it, list(m.targets("column")) + cols, tables, docs, ctx)
                if isinstance(got2, Answer):
                    return [], got2
                got = got2
            if not got:
                return [], None
            figs.extend(got)
        return figs, None

    def _budget_in_final(self, it: Intent, m: Mention, cols: list[str], tables: list[str], docs: list[int],
                         ctx: Context) -> list[Fig] | Answer:
        """The 预算 of a subject asked of a 决算: the 预算数 its table prints beside the 决算数 (the 三公
        table), else the 年初预算 the narrative states for the same subject and the same 决算数 ("年初预算为
        1135.65 万元，支出决算为 1153.50 万元") — never the 决算数 itself. Nothing printed: said."""
        got = self._figs_for(it, m, cols, tables, docs, ctx)
        if isinstance(got, Answer):
            return got
        if got and all("预算" in f.column for f in got):
            return got
        saved, self.final_cues = self.final_cues, ()
        try:
            actual = self._figs_for(it, m, cols, tables, docs, ctx)
            if not actual and m.how != "code":
                actual = self._stmt_figs(it, m, docs, cols)
        finally:
            self.final_cues = saved
        if isinstance(actual, Answer) or not actual:
            return actual or []
        out = []
        for f in actual:
            d = f.doc or (f.ref.doc if f.ref is not None else 0)
            names = {m.key, key(f.label)} | ({key(f.ref.label)} if f.ref is not None else set())
            named = [s for s in self.q(
                "SELECT s.subject, s.value, s.base_value, s.sentence, sec.path AS heading FROM statements s "
                "JOIN sections sec ON sec.id = s.section_id WHERE s.document_id = ? AND s.basis = '年初预算' "
                "AND s.base_value IS NOT NULL ORDER BY s.id", (d,)) if _same_subject(key(s["subject"]), names)]
            rows = [s for s in named if f.value is None or abs(s["value"] - f.value) < 0.005]
            if not rows and len(named) == 1 and not it.sides and f.ref is not None and f.ref.side == "收入":
                rows = named  # "一般公共预算财政拨款年初预算": the fund's income row read; a 决算 states the 年初预算 of its spending
            if f.value is None and len({(s["value"], s["base_value"]) for s in rows}) != 1:
                rows = []  # the table's figure is unread: the narrative's own item, stated once, names it
            if not rows:
                y = self.docs[d].year if d in self.docs else ""
                name = f"{f.ref.label}（{f.ref.code}）" if f.ref is not None and f.ref.code else f.label
                return Answer(it.question, "not_found", f"这是{y}年决算文件，没有列出{name}的年初预算数"
                              + (f"（{name}{y}年决算数为{fmt(f.value, f.unit)}{f.unit}）" if f.value is not None else "")
                              + "。", citations=f.cites[:1], intent=it.describe())
            s = rows[0]
            cite = self.cite_section(d, s["heading"])
            out.append(Fig(f.label, s["base_value"], "万元", (cite,) + (f.cites[:1] if f.value is not None else ()), "",
                           f.ref, "年初预算", d,
                           note=s["sentence"]))
        return out

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
        if fig.ref is not None and fig.ref.kind == "固定资产占用情况表":  # a stock held, not a budget
            return f"{name}{col}价值{fmt(value, unit)}{unit}", value, unit
        doc = fig.doc or (fig.ref.doc if fig.ref is not None else 0)
        if self.doc_kind(doc) == "决算":
            # a 决算 figure names its kind and year ("2023年决算数"); a 预算数 it prints beside is named as one
            y = self.docs[doc].year if doc in self.docs else ""
            if fig.column == "年初预算":  # stated by the 决算's narrative
                return f"{name}{y}年年初预算为{fmt(value, unit)}{unit}", value, unit
            what = "预算数" if "预算" in fig.column else "决算数"
            col = "" if fig.column in FINAL_COLUMNS or "预算" in fig.column else col
            return f"{name}{col}{y}年{what}为{fmt(value, unit)}{unit}", value, unit
        verb = "为" if re.search(r"(预算|总额|合计|总计|小计)$", name + col) else "预算"  # not "预算总额预算"
        return f"{name}{col}{verb}{fmt(value, unit)}{unit}{zero}", value, unit

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


_NON_MONEY = lazyre.compile(r"有几|几(?![十百千万亿元块钱]|[呢啊呀吧?？\s]*$)|(多少|几)(个|台|辆|套|件|人|次|天|月|个月|年|条|根|名|项|所|箱|间|册|本|张|把|部|平方米|平米|亩|户|家|处|座|栋|层|公里|米|吨|小时|分钟|周|期|批|岁)"
                            r"|面积|长度|重量|人数|多大|多长|多久|数量|几辆|几台|几个|保有量|保有数")


def asks_non_money(text: str) -> bool:
    """The question asks for a count, a size or a duration, not an amount of money."""
    t = text.replace("人民币", "钱").replace("多少钱", "").replace("多少万", "").replace("多少元", "")
    return bool(_NON_MONEY.search(t))


@functools.lru_cache(maxsize=65536)
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

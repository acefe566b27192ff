"""Shared helpers for the hostile-input tests (issue 5): store fingerprints, the set of figures a
store holds, the check that an answer never carries a figure it did not read or compute, and a
runner that gives up on a call after a time limit instead of hanging the suite.

Why a module and not fixtures: the helpers are plain functions used by several test files and by
``bench/soak_web.py``; none of them holds state.
"""
from __future__ import annotations

import concurrent.futures
import hashlib
import json
import math
import os
import re
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, TypeVar

ROOT = Path(__file__).resolve().parent.parent
T = TypeVar("T")

# 万元 is the money unit of the template; an answer may convert on request.
UNIT_TO_WAN: dict[str, float] = {"元": 1e-4, "千元": 0.1, "万元": 1.0, "百万元": 100.0, "千万元": 1000.0, "亿元": 1e4}
_NUM = re.compile(r"(?<![0-9.])[-+]?\d+(?:\.\d+)?")


def sha256_file(path: str | os.PathLike[str]) -> str:
    """SHA-256 of a file's bytes (the store's fingerprint)."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def integrity_ok(path: str | os.PathLike[str]) -> str:
    """``PRAGMA integrity_check`` of a store, read-only; returns its first line ('ok' when sound)."""
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def store_dump(path: str | os.PathLike[str]) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, sorted: the store's content independent of page layout."""
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        names = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        return {n: sorted(conn.execute(f'SELECT * FROM "{n}"').fetchall(), key=repr) for n in names}
    finally:
        conn.close()


def _round(x: float) -> float:
    return round(float(x), 4)


@dataclass(frozen=True)
class StoreFigures:
    """The numbers a store holds: every numeric column, and every number written in its text
    (cell raw text, narrative, indicator values, facts), so a figure the store *states* counts."""

    numbers: frozenset[float]

    def holds(self, value: float, tol: float = 0.0051) -> bool:
        v = _round(value)
        if v in self.numbers:
            return True
        return any(abs(v - n) <= tol for n in self.numbers)


def store_figures(path: str | os.PathLike[str]) -> StoreFigures:
    """Collect the figures of a store (see StoreFigures)."""
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    nums: set[float] = set()
    numeric = [("cells", "value"), ("indicators", "number"), ("statements", "value"),
               ("statements", "change"), ("statements", "change_pct"), ("statements", "base_value"),
               ("checks", "expected"), ("checks", "actual"), ("documents", "year"),
               ("statements", "year"), ("statements", "base_year")]
    texty = [("cells", "raw"), ("indicators", "value_raw"), ("indicators", "description"),
             ("indicators", "level3"), ("sections", "text"), ("facts", "value"), ("statements", "sentence"),
             ("tables", "goal"), ("glossary", "definition"), ("rows", "code"), ("rows", "name")]
    try:
        for table, col in numeric:
            try:
                for (v,) in conn.execute(f'SELECT "{col}" FROM "{table}" WHERE "{col}" IS NOT NULL'):
                    if isinstance(v, (int, float)) and math.isfinite(v):
                        nums.add(_round(v))
            except sqlite3.OperationalError:
                continue
        for table, col in texty:
            try:
                for (t,) in conn.execute(f'SELECT "{col}" FROM "{table}" WHERE "{col}" IS NOT NULL'):
                    for m in _NUM.findall(str(t).replace(",", "")):
                        nums.add(_round(float(m)))
            except sqlite3.OperationalError:
                continue
    finally:
        conn.close()
    nums |= {0.0}  # an empty cell is a figure: nothing budgeted
    return StoreFigures(frozenset(nums))


def store_words(path: str | os.PathLike[str], limit: int = 2000) -> list[str]:
    """Vocabulary the store itself holds: row labels, projects, indicators, tables, glossary terms."""
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    words: set[str] = set()
    queries = ["SELECT label FROM rows", "SELECT group_name FROM rows", "SELECT title FROM tables",
               "SELECT kind FROM tables", "SELECT project FROM tables", "SELECT level3 FROM indicators",
               "SELECT level2 FROM indicators", "SELECT term FROM glossary", "SELECT key FROM facts",
               'SELECT "column" FROM cells', "SELECT subject FROM statements", "SELECT unit_name FROM documents"]
    try:
        for q in queries:
            try:
                for (w,) in conn.execute(q):
                    if isinstance(w, str) and 0 < len(w.strip()) <= 40:
                        words.add(w.strip())
            except sqlite3.OperationalError:
                continue
    finally:
        conn.close()
    return sorted(words)[:limit]


def lexicon_words(limit: int = 3000) -> list[str]:
    """Words from the lexicon data files (first field of TSV-ish lines; TOML strings), if any exist."""
    out: set[str] = set()
    lex = ROOT / "lexicon"
    if not lex.is_dir():
        return []
    for p in sorted(lex.rglob("*")):
        if not p.is_file() or p.suffix not in {".tsv", ".txt", ".csv", ".toml", ".jsonl", ".json"}:
            continue
        try:
            text = p.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        for w in re.findall(r"[\u4e00-\u9fff]{2,12}", text):
            out.add(w)
    return sorted(out)[:limit]


def to_wan(value: float, unit: str | None) -> float | None:
    """A money value in 万元 (None when the unit is not money: counts, %, days stay as they are)."""
    if unit in UNIT_TO_WAN:
        return value * UNIT_TO_WAN[unit]
    return None


@dataclass(frozen=True)
class Verdict:
    ok: bool
    why: str = ""
    from_store: bool = True


def check_answer(answer: Any, figures: StoreFigures) -> Verdict:
    """The figure property of issue 5, for one Answer.

    - status is one of the four; to_dict() is JSON (no NaN/inf);
    - a refusal (not answered) carries no figure; the text states the figure the answer carries;
    - an answered figure (converted back to 万元 when money) is one the store holds, or it is
      computed: then the answer cites at least one source and says how (non-empty derivation);
    - the same for every item of a list answer.
    """
    from askbudget.answer import STATUSES, Answer

    if not isinstance(answer, Answer):
        return Verdict(False, f"not an Answer: {type(answer).__name__}")
    if answer.status not in STATUSES:
        return Verdict(False, f"status {answer.status!r}")
    try:
        json.dumps(answer.to_dict(), ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as e:
        return Verdict(False, f"to_dict() not JSON: {e}")
    if "Traceback (most recent call last)" in (answer.text or ""):
        return Verdict(False, "traceback in the answer text")
    if answer.status != "answered":
        if answer.value is not None:
            return Verdict(False, f"{answer.status} answer carries a figure {answer.value!r}")
        return Verdict(True)
    values: list[tuple[str, float, str | None]] = []
    if answer.value is not None:
        values.append(("value", answer.value, answer.unit))
    for it in answer.items:
        if it.value is not None:
            values.append((f"item {it.label!r}", it.value, it.unit or answer.unit))
    if answer.value is not None and isinstance(answer.value, (int, float)) and math.isfinite(answer.value):
        if not _states(answer.text or "", float(answer.value)):
            return Verdict(False, f"the text does not state the figure {answer.value!r} it carries")
    from_store = True
    for what, v, unit in values:
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            return Verdict(False, f"{what} is not a finite number: {v!r}")
        w = to_wan(float(v), unit)
        candidates = [float(v)] if w is None else [w, float(v)]
        if any(figures.holds(c) for c in candidates):
            continue
        if what == "value" and float(v).is_integer() and v in (len(answer.items), len(answer.citations)):
            continue  # a count of the items it lists
        from_store = False
        if not answer.citations:
            return Verdict(False, f"{what} {v!r} {unit} is not in the store and cites nothing")
        if not (answer.derivation or "").strip():
            return Verdict(False, f"{what} {v!r} {unit} is not in the store and has no derivation")
    return Verdict(True, from_store=from_store)


def _states(text: str, v: float) -> bool:
    """Does the answer text write the figure (as 95.00, 95, 95.0, 950,000 …)?"""
    t = text.replace(",", "").replace("，", "")
    forms = {f"{v:.2f}", f"{v:g}", f"{v:.1f}", f"{v:.4f}".rstrip("0").rstrip(".")}
    if float(v).is_integer():
        forms.add(f"{v:.0f}")
    return any(f in t for f in forms)


def call_with_timeout(fn: Callable[[], T], seconds: float) -> T:
    """Run ``fn`` in a worker thread; raise TimeoutError if it does not return in time.

    The worker cannot be killed, but the test fails instead of hanging the whole suite.
    """
    ex = concurrent.futures.ThreadPoolExecutor(max_workers=1)
    try:
        fut = ex.submit(fn)
        return fut.result(timeout=seconds)
    except concurrent.futures.TimeoutError:
        raise TimeoutError(f"no answer within {seconds} s") from None
    finally:
        ex.shutdown(wait=False)


def _limit_memory(mb: int) -> Callable[[], None]:
    def apply() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (mb << 20, mb << 20))
    return apply


def run_cli(args: Iterable[str], timeout: float = 60, cwd: Path | None = None,
            env: dict[str, str] | None = None, memory_mb: int | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m askbudget ARGS`` from this checkout, capturing stdout/stderr as text.

    ``memory_mb`` caps the child's address space, so a test feeding it an endless file cannot take
    the machine down with it.
    """
    e = dict(os.environ)
    e["PYTHONPATH"] = str(ROOT) + os.pathsep + e.get("PYTHONPATH", "")
    e.setdefault("NO_COLOR", "1")
    if env:
        e.update(env)
    return subprocess.run([sys.executable, "-m", "askbudget", *args], capture_output=True, text=True,
                          timeout=timeout, cwd=str(cwd or ROOT), env=e, errors="replace",
                          preexec_fn=_limit_memory(memory_mb) if memory_mb else None)


# Fifty self-contained questions (each names its unit where the two corpus units could both fit),
# phrased for these tests: amounts, codes, totals, 三公, procurement, assets, indicators, narrative,
# glossary, year-over-year, shares, rankings, units, refusals and garbage. Used by the concurrency
# tests and the web soak, which need answers that do not depend on the turn before.
SELF_CONTAINED_QUESTIONS: tuple[str, ...] = (
    "财政局的电费预算是多少", "分局电费预算是多少", "财政局基本工资安排了多少", "公安分局的水费是多少",
    "财政局的差旅费预算多少", "分局的取暖费预算是多少", "分局公共安全支出是多少", "财政局的公务接待费是多少",
    "分局政府采购预算总额是多少", "财政局的办公费预算多少", "分局城乡社区支出有多少", "财政局退休费是多少",
    "分局2040220执法办案安排了多少", "财政局30211差旅费预算多少", "分局上年末固定资产总额是多少",
    "财政局的邮电费预算是多少", "分局的租赁费是多少", "财政局行政单位医疗预算多少", "分局项目支出合计是多少",
    "财政局的三公经费预算是多少", "财政局津贴补贴是多少", "分局工资福利支出是多少",
    "财政局电费是多少元", "分局收入总计是多少亿元", "分局采购了多少套制服", "财政局有几辆汽车",
    "分局汽车资产值多少钱", "分局办案及维稳经费的破案率目标是多少", "分局体检经费覆盖多少人",
    "分局电费为什么增加", "财政局的单位规格是什么", "什么是三公经费", "机关运行费指什么",
    "分局一般公共预算拨款比2022年减少了多少", "财政局2022年日常公用经费是多少",
    "分局电费占公用经费的比例是多少", "财政局人员经费占基本支出的百分比", "分局公用经费里哪一项最多",
    "财政局商品和服务支出有哪些", "财政局工资福利支出里哪项最少",
    "2024年分局的电费预算是多少", "局长的工资是多少", "今天天气怎么样", "asdkjh qwe 啊啊啊 123",
    "'; DROP TABLE rows; --", "财政局的租赁费预算多少", "分局专用设备值多少", "财政局政府采购预算总额",
    "财政局台式计算机采购几台", "分局高清球机单价多少",
)


def run_cli_inprocess(args: Iterable[str]) -> subprocess.CompletedProcess[str]:
    """The CLI in this process (its own exit-status mapping, stdout and stderr captured): the same
    contract as ``run_cli`` without a Python start-up per call, for the many-case tables."""
    import contextlib
    import io

    from askbudget.cli import _guarded, run

    out, err = io.StringIO(), io.StringIO()
    argv = list(args)
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            rc = _guarded(run, argv)
        except SystemExit as e:  # argparse usage errors
            rc = int(e.code or 0)
    return subprocess.CompletedProcess(argv, rc, out.getvalue(), err.getvalue())


# ---------------------------------------------------------------- provenance: what a citation points at


@dataclass
class StoreIndex:
    """What citations may point at, read from the store: per document, its unit and year, its
    tables (rows by label and name, columns, cell values), indicators, sections and glossary."""

    docs: dict[str, tuple[str, int]]  # name -> (unit_name, year)
    tables: dict[tuple[str, str], dict[str, Any]]  # (doc, title) -> {"rows": {...}, "columns": set, "cells": {...}}
    sections: dict[tuple[str, str], str]  # (doc, heading or path) -> text


def _norm(s: str) -> str:
    return re.sub(r"\s+", "", s or "")


def store_index(path: str | os.PathLike[str]) -> StoreIndex:
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        docs = {n: (u, y) for n, u, y in conn.execute("SELECT name, unit_name, year FROM documents")}
        names = {i: n for i, n in conn.execute("SELECT id, name FROM documents")}
        tables: dict[tuple[str, str], dict[str, Any]] = {}
        tid: dict[int, tuple[str, str]] = {}
        for t_id, d_id, title, cols, goal in conn.execute(
                "SELECT id, document_id, title, columns, goal FROM tables"):
            key = (names[d_id], _norm(title))
            entry = tables.setdefault(key, {"rows": set(), "columns": set(), "cells": {}, "n_rows": 0})
            entry["columns"] |= {_norm(c) for c in json.loads(cols or "[]")}
            if goal:
                entry["rows"].add("绩效目标")
            tid[t_id] = key
        rid: dict[int, tuple[tuple[str, str], set[str]]] = {}
        for r_id, t_id, name, label in conn.execute("SELECT id, table_id, name, label FROM rows"):
            names_of_row = {_norm(name), _norm(label)} - {""}
            tables[tid[t_id]]["rows"] |= names_of_row
            tables[tid[t_id]]["n_rows"] += 1
            rid[r_id] = (tid[t_id], names_of_row)
        for r_id, column, raw, value in conn.execute('SELECT row_id, "column", raw, value FROM cells'):
            key, row_names = rid[r_id]
            v = value if value is not None else (0.0 if (raw or "").strip() in ("", "-", "--") else None)
            for rn in row_names:
                tables[key]["cells"].setdefault((rn, _norm(column)), set()).add(v)
        for t_id, level3, description, number, value_raw in conn.execute(
                "SELECT table_id, level3, description, number, value_raw FROM indicators"):
            key = tid[t_id]
            tables[key]["n_rows"] += 1
            for rn in {_norm(level3), _norm(description)} - {""}:
                tables[key]["rows"].add(rn)
                tables[key]["cells"].setdefault((rn, "指标值"), set()).add(number)
            tables[key]["columns"].add("指标值")
        sections: dict[tuple[str, str], str] = {}
        for d_id, heading, spath, text in conn.execute("SELECT document_id, heading, path, text FROM sections"):
            for k in {_norm(heading), _norm(spath)} - {""}:
                sections[(names[d_id], k)] = sections.get((names[d_id], k), "") + "\n" + (text or "")
        return StoreIndex(docs, tables, sections)
    finally:
        conn.close()


def check_provenance(answer: Any, index: StoreIndex) -> Verdict:
    """Every citation points at something the store holds (its document, unit, year; a table title
    with that row and column, or a section heading); and a figure read from the store (no
    derivation) is the value of a cited cell or is written in a cited section."""
    cited_values: list[float | None] = []
    section_texts: list[str] = []
    for c in answer.citations:
        if c.document not in index.docs:
            return Verdict(False, f"cites an unknown document {c.document!r}")
        unit, year = index.docs[c.document]
        if c.unit != unit or (c.year is not None and c.year != year):
            return Verdict(False, f"cites {c.document!r} as {c.unit!r} {c.year}, the store says {unit!r} {year}")
        key = (c.document, _norm(c.table))
        if key in index.tables:
            t = index.tables[key]
            row, col = _norm(c.row), _norm(c.column)
            if row and row not in t["rows"] and row not in t["columns"]:  # one-row tables cite a column
                return Verdict(False, f"cites row {c.row!r} that {c.table!r} does not have")
            if t["n_rows"] == 0:
                cited_values.append(0.0)  # an empty table (空表列示): nothing budgeted
            if col and col not in t["columns"]:
                return Verdict(False, f"cites column {c.column!r} that {c.table!r} does not have")
            if row and col:
                cited_values.extend(t["cells"].get((row, col), set()))
        elif key in index.sections or any(k[0] == c.document and k[1].endswith(_norm(c.table))
                                          for k in index.sections):
            section_texts.extend(v for k, v in index.sections.items()
                                 if k[0] == c.document and (k == key or k[1].endswith(_norm(c.table))))
        elif _norm(c.table):
            return Verdict(False, f"cites {c.table!r}: no table or section of {c.document!r} has that name")
    if answer.status == "answered" and answer.value is not None and not (answer.derivation or "").strip():
        v = float(answer.value)
        w = to_wan(v, answer.unit)
        wanted = [x for x in (v, w) if x is not None]
        if any(cv is not None and abs(cv - x) <= 0.0051 for cv in cited_values for x in wanted):
            return Verdict(True)
        if any(_states(t, x) for t in section_texts for x in wanted):
            return Verdict(True)
        if v.is_integer() and v in (len(answer.items), len(answer.citations)):
            return Verdict(True)  # a count of the rows it lists and cites
        if answer.citations:
            return Verdict(False, f"the figure {answer.value} {answer.unit} is in no cited cell or section")
    return Verdict(True)

"""Completions and example questions drawn from a store, for the REPL and the web search box.

The vocabulary is whatever the store holds — subject names and codes, projects, indicators,
procurement items, asset classes — read once with a plain read-only sqlite3 connection, so a new
document brings its own completions with no lexicon edit. Matching is deliberately simple (prefix,
then substring, then the pinyin initials of a name) and fast: a few thousand strings at most.
"""
from __future__ import annotations

import os
import re
import sqlite3
from dataclasses import dataclass, field
from typing import Iterable

from . import lazyre
from .store import open_readonly

# The kinds of completion, in the order they are offered when two match equally well.
KINDS: tuple[str, ...] = ("command", "subject", "code", "project", "indicator", "procurement", "asset", "term")

KIND_LABELS: dict[str, str] = {
    "command": "命令", "subject": "科目", "code": "科目编码", "project": "项目", "indicator": "绩效指标",
    "procurement": "采购", "asset": "资产", "term": "名词",
}

_WORD_TAIL = lazyre.compile(r"[0-9A-Za-z\u3400-\u9fff\uf900-\ufaff（）()·、]+$")
_MAX_TAIL = 16


@dataclass(frozen=True)
class Entry:
    """One completion: the text to insert, what it is, and a short detail (the code's name, etc.)."""

    text: str
    kind: str
    detail: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"text": self.text, "kind": self.kind, "kind_label": KIND_LABELS.get(self.kind, self.kind),
                "detail": self.detail}


@dataclass(frozen=True)
class UnitYear:
    """One document of the store: which unit, which year (what ``:units`` lists and pins)."""

    document: str
    unit_code: str
    unit_name: str
    year: int | None
    money_unit: str

    def to_dict(self) -> dict[str, object]:
        return {"document": self.document, "unit_code": self.unit_code, "unit_name": self.unit_name,
                "year": self.year, "money_unit": self.money_unit}


@dataclass(frozen=True)
class Vocabulary:
    """Everything the front ends complete from, plus example questions built from the store."""

    entries: tuple[Entry, ...]
    units: tuple[UnitYear, ...]
    examples: tuple[str, ...]
    _initials: tuple[str, ...] = field(default=(), repr=False, compare=False)

    def complete(self, prefix: str, limit: int = 10, kinds: Iterable[str] | None = None) -> list[Entry]:
        """Entries for what the user has typed so far: prefix matches first, then substring, then initials."""
        q = prefix.strip()
        if not q:
            return []
        allowed = set(kinds) if kinds is not None else None
        ql = q.lower()
        scored: list[tuple[int, int, int, Entry]] = []
        for i, e in enumerate(self.entries):
            if allowed is not None and e.kind not in allowed:
                continue
            t = e.text.lower()
            if t == ql:
                rank = 0
            elif t.startswith(ql):
                rank = 1
            elif ql in t:
                rank = 2
            elif ql.isascii() and ql.isalpha() and self._initials and self._initials[i].startswith(ql):
                rank = 3
            else:
                continue
            scored.append((rank, len(e.text), i, e))
        scored.sort(key=lambda s: (s[0], s[1], s[2]))
        out: list[Entry] = []
        seen: set[str] = set()
        for *_, e in scored:
            if e.text in seen:
                continue
            seen.add(e.text)
            out.append(e)
            if len(out) >= limit:
                break
        return out

    def complete_tail(self, text: str, limit: int = 10) -> tuple[str, list[Entry]]:
        """Complete the word the cursor is on in a sentence without spaces (Chinese).

        Tries the longest tail of ``text`` (up to 16 characters) that begins some entry, so
        ``2023年电`` completes ``电`` → ``电费``. Returns the tail being replaced and the entries.
        """
        m = _WORD_TAIL.search(text)
        if not m:
            return "", []
        word = m.group(0)[-_MAX_TAIL:]
        for start in range(len(word)):
            tail = word[start:]
            tl = tail.lower()
            hits = [e for e in self.entries if e.kind != "command" and e.text.lower().startswith(tl) and e.text != tail]
            if hits:
                hits.sort(key=lambda e: (len(e.text), KINDS.index(e.kind) if e.kind in KINDS else 99))
                uniq: list[Entry] = []
                seen: set[str] = set()
                for e in hits:
                    if e.text not in seen:
                        seen.add(e.text)
                        uniq.append(e)
                return tail, uniq[:limit]
        return "", []


def _q(conn: sqlite3.Connection, sql: str, params: tuple[object, ...] = ()) -> list[sqlite3.Row]:
    try:
        return list(conn.execute(sql, params))
    except sqlite3.DatabaseError:  # an older or partial store: offer fewer completions, never fail
        return []


def _initials(text: str) -> str:
    """Pinyin initials of a name (电费 → df) for typing a name with a Latin keyboard."""
    try:
        from pypinyin import Style, lazy_pinyin
    except ImportError:  # pragma: no cover - pypinyin is a dependency
        return ""
    return "".join(p[0] for p in lazy_pinyin(text, style=Style.FIRST_LETTER, errors="ignore") if p).lower()


def load_vocabulary(db_path: str | os.PathLike[str], commands: Iterable[str] = (),
                    with_initials: bool = False) -> Vocabulary:
    """Read completions from the store (read-only). ``with_initials`` adds pinyin initial matching."""
    conn = open_readonly(db_path)
    try:
        return _load(conn, commands, with_initials)
    finally:
        conn.close()


def _load(conn: sqlite3.Connection, commands: Iterable[str], with_initials: bool) -> Vocabulary:
    entries: list[Entry] = [Entry(c, "command") for c in commands]
    seen: set[tuple[str, str]] = set()

    def add(text: str | None, kind: str, detail: str = "") -> None:
        t = (text or "").strip()
        if not t or len(t) > 60 or (t, kind) in seen:
            return
        seen.add((t, kind))
        entries.append(Entry(t, kind, detail))

    coded = _q(conn, "SELECT DISTINCT code, label FROM rows WHERE code IS NOT NULL AND code != '' "
                     "AND label IS NOT NULL AND label != '' ORDER BY code")
    for r in coded:
        add(r["label"], "subject", r["code"])
    for r in coded:
        add(r["code"], "code", r["label"])
    for r in _q(conn, "SELECT DISTINCT r.label FROM rows r JOIN tables t ON t.id = r.table_id "
                      "WHERE (r.code IS NULL OR r.code = '') AND r.is_total IS NOT 1 AND r.label != '' "
                      "AND t.kind IN ('收支总表','收入总表','支出总表','财政拨款收支总表','三公经费支出表') "
                      "ORDER BY r.id"):
        add(r["label"], "subject")
    for r in _q(conn, "SELECT DISTINCT project FROM tables WHERE project IS NOT NULL AND project != '' ORDER BY id"):
        add(r["project"], "project")
    for r in _q(conn, "SELECT DISTINCT project, level3 FROM indicators WHERE level3 IS NOT NULL AND level3 != '' "
                      "ORDER BY id"):
        add(r["level3"], "indicator", r["project"] or "")
    for r in _q(conn, "SELECT DISTINCT c.raw, r.group_name FROM cells c JOIN rows r ON r.id = c.row_id "
                      "JOIN tables t ON t.id = c.table_id WHERE t.kind = '政府采购预算表' "
                      "AND c.column = '采购物品名称' AND c.raw != '' ORDER BY c.id"):
        add(r["raw"], "procurement", r["group_name"] or "")
    for r in _q(conn, "SELECT DISTINCT r.label, r.group_name FROM rows r JOIN tables t ON t.id = r.table_id "
                      "WHERE t.kind = '政府采购预算表' AND r.is_total IS NOT 1 AND r.label != '' ORDER BY r.id"):
        add(r["label"], "procurement", r["group_name"] or "")
    for r in _q(conn, "SELECT DISTINCT r.label FROM rows r JOIN tables t ON t.id = r.table_id "
                      "WHERE t.kind = '固定资产占用情况表' AND r.is_total IS NOT 1 AND r.label != '' ORDER BY r.id"):
        add(r["label"], "asset")
    for r in _q(conn, "SELECT DISTINCT term FROM glossary WHERE term != '' ORDER BY id"):
        add(r["term"], "term")
    # the items the lexicon knows a table of the store to hold (公务接待费 in the 三公经费支出表), named
    # even where the document prints that table empty: they are answered (0), so they complete too
    held = {r["kind"] for r in _q(conn, "SELECT DISTINCT kind FROM tables")}
    for text, kind in _table_items():
        if kind in held:
            add(text, "subject", kind)

    units = tuple(
        UnitYear(r["name"] or "", r["unit_code"] or "", r["unit_name"] or "", r["year"], r["money_unit"] or "")
        for r in _q(conn, "SELECT name, unit_code, unit_name, year, money_unit FROM documents ORDER BY unit_name, year")
    )
    initials = tuple(_initials(e.text) if e.kind != "command" else "" for e in entries) if with_initials else ()
    return Vocabulary(tuple(entries), units, tuple(_examples(conn)), initials)


def _table_items() -> list[tuple[str, str]]:
    """(item, table kind) from lexicon/terms.tsv's ``belongs`` rows; none if the lexicon cannot be read."""
    from .errors import LexiconError
    from .lexicon import read_tsv

    try:
        rows = read_tsv("terms.tsv", ("kind", "term", "value"), optional=("value",))
    except LexiconError:
        return []
    return [(r["term"], r["value"]) for _, r in rows if r["kind"] == "belongs" and r["value"]]


def _first(conn: sqlite3.Connection, sql: str, params: tuple[object, ...] = ()) -> str:
    rows = _q(conn, sql, params)
    return (rows[0][0] or "").strip() if rows else ""


def unit_prefix(unit_name: str) -> str:
    """A unit's name as a question names it: without its parenthetical (``(本级)``), then 的."""
    name = re.sub(r"[(（][^)）]*[)）]", "", unit_name).strip()
    return f"{name or unit_name}的"


def _examples(conn: sqlite3.Connection) -> list[str]:
    """A handful of questions the store can answer, built from its own names (for :help and the page).

    They are drawn from the store's first document; when it holds several, a figure question names
    that document's unit, so the example is answerable as it stands rather than ambiguous.
    """
    docs = _q(conn, "SELECT id, unit_name FROM documents ORDER BY id")
    if not docs:
        return []
    doc = docs[0]["id"]
    who = unit_prefix(docs[0]["unit_name"] or "") if len(docs) > 1 else ""
    out: list[str] = []
    leaf = _first(conn, "SELECT r.label FROM rows r JOIN tables t ON t.id = r.table_id JOIN cells c ON c.row_id = r.id "
                        "WHERE r.document_id = ? AND t.kind = '一般公共预算财政拨款基本支出表' AND length(r.code) = 5 "
                        "AND c.column = '公用经费' AND c.value > 0 ORDER BY c.value DESC LIMIT 1", (doc,))
    if leaf:
        out.append(f"{who}{leaf}多少")
        out.append(f"{who}{leaf}占公用经费的比例")
    func = _first(conn, "SELECT r.label FROM rows r JOIN tables t ON t.id = r.table_id WHERE r.document_id = ? "
                        "AND t.kind = '支出总表' AND r.classification = '功能分类' AND r.level = 1 "
                        "ORDER BY r.seq LIMIT 1", (doc,))
    if func:
        out.append(f"{who}{func}的项目支出是多少")
    out.append(f"{who}公用经费都包括哪些")
    out.append(f"{who}三公经费多少")
    item = _first(conn, "SELECT c.raw FROM cells c JOIN tables t ON t.id = c.table_id WHERE c.document_id = ? "
                        "AND t.kind = '政府采购预算表' AND c.column = '采购物品名称' AND c.raw != '' LIMIT 1", (doc,))
    if item:
        out.append(f"{who}{item}的单价是多少")
    ind = _q(conn, "SELECT project, level3 FROM indicators WHERE document_id = ? AND level3 != '' "
                   "AND number IS NOT NULL LIMIT 1", (doc,))
    if ind:
        out.append(f"{ind[0]['project']}{ind[0]['level3']}目标是多少")
    term = _first(conn, "SELECT term FROM glossary WHERE document_id = ? AND term != '' LIMIT 1", (doc,))
    if term:
        out.append(f"什么是{term}")
    return out

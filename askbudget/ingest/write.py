"""Write parsed documents into the store, all of them in one transaction.

The tables are created from ``askbudget.store.SCHEMA`` (+ ``INDEXES``) with plain ``sqlite3`` (the DDL
sqlite-utils would write; importing it cost more than writing a document). Ids are
assigned here (max id + 1) so each table is filled with one ``executemany``; re-ingesting a
document of the same key — (unit, year, kind): the unit by its code, or by its name when the document
prints no code — first deletes it and everything hanging off it, and the new version keeps the old
``documents.id``. A store of an older schema gets the new columns added (``ensure_schema``).
"""
from __future__ import annotations

import json
import re
import sqlite3
from datetime import datetime, timezone
from typing import Any, Callable, Iterable

from .. import search
from ..store import INDEXES, SCHEMA, SCHEMA_VERSION, another_application, foreign_tables
from ..errors import IngestError, StoreError
from .model import Document

CHILD_TABLES = ("checks", "glossary", "facts", "statements", "sections", "indicators", "missing_tables", "cells",
                "rows", "tables")


_SQL_TYPES = {int: "INTEGER", str: "TEXT", float: "REAL"}


def ensure_schema(conn: sqlite3.Connection) -> None:
    """Create the tables of ``SCHEMA`` and the indexes of ``INDEXES`` that the store lacks; add the
    columns a store written by an older version lacks."""
    existing = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for name, spec in SCHEMA.items():
        if name in existing:
            continue
        refs = dict(spec["fks"])
        cols = []
        for col, typ in spec["columns"].items():
            decl = f'   "{col}" {_SQL_TYPES[typ]}'
            if col == spec["pk"]:
                decl += " PRIMARY KEY"
            elif col in refs:
                decl += f' REFERENCES "{refs[col]}"("id")'
            cols.append(decl)
        conn.execute(f'CREATE TABLE "{name}" (\n' + ",\n".join(cols) + "\n)")
    for name, spec in SCHEMA.items():  # a store written by an older version: add the new columns
        if name in existing:
            have = {r[1] for r in conn.execute(f'PRAGMA table_info("{name}")')}
            for col, typ in spec["columns"].items():
                if col not in have:
                    conn.execute(f'ALTER TABLE "{name}" ADD COLUMN "{col}" {_SQL_TYPES[typ]}')
            if name == "documents" and "kind" not in have:
                conn.execute("UPDATE documents SET kind = '预算' WHERE kind IS NULL")
    conn.execute(search.CREATE)
    for table, cols in INDEXES:
        index = f"idx_{table}_" + "_".join(cols)
        quoted = ", ".join(f'"{c}"' for c in cols)
        conn.execute(f'CREATE INDEX IF NOT EXISTS "{index}"\n    ON "{table}" ({quoted})')


def refuse_foreign(conn: sqlite3.Connection, db_file: str) -> None:
    """A store file is empty or an askbudget store: one holding another application's tables is refused
    before anything is written (our tables beside its own would serve neither)."""
    foreign = foreign_tables(conn)
    if foreign:
        raise StoreError(another_application(db_file, foreign) + "; nothing was written: give --db a new file")


def _insert(conn: sqlite3.Connection, table: str, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    cols = list(SCHEMA[table]["columns"])
    sql = f"INSERT INTO [{table}] ({', '.join(f'[{c}]' for c in cols)}) VALUES ({', '.join('?' for _ in cols)})"
    conn.executemany(sql, [tuple(map(r.get, cols)) for r in rows])


# a cell's values in the order of the cells table's columns (store.SCHEMA; a test holds them equal): a
# document has thousands of cells, each written as a tuple (no dict made and read back per cell)
CELL_COLUMNS = ("id", "document_id", "table_id", "row_id", "col", "column", "column_group", "raw", "value", "line",
                "uncertain")
_INSERT_CELLS = (f"INSERT INTO [cells] ({', '.join(f'[{c}]' for c in CELL_COLUMNS)}) "
                 f"VALUES ({', '.join('?' for _ in CELL_COLUMNS)})")


class _Ids:
    """Id allocator per table: a replaced document's own ids first (in order), then max + 1.

    Re-ingesting an unchanged document therefore gives every record the id it had, so a reader
    holding ids (an open Assistant's vocabulary, a shown SQL) sees the same store afterwards."""

    def __init__(self, conn: sqlite3.Connection, reuse: dict[str, list[int]]) -> None:
        self.conn = conn
        self.reuse = {t: list(reversed(v)) for t, v in reuse.items()}
        self.floor = {t: max(v) for t, v in reuse.items() if v}
        self.next: dict[str, int] = {}

    def __call__(self, table: str) -> int:
        old = self.reuse.get(table)
        if old:
            return old.pop()
        if table not in self.next:
            top = self.conn.execute(f"SELECT max(id) FROM [{table}]").fetchone()[0] or 0
            self.next[table] = max(top, self.floor.get(table, 0)) + 1
        n = self.next[table]
        self.next[table] = n + 1
        return n


def _old_ids(conn: sqlite3.Connection, doc_id: int) -> dict[str, list[int]]:
    table_ids = [r[0] for r in conn.execute("SELECT id FROM tables WHERE document_id = ? ORDER BY id", (doc_id,))]
    out: dict[str, list[int]] = {"documents": [doc_id], "tables": table_ids, "rows": [], "cells": []}
    for tid in table_ids:
        out["rows"] += [r[0] for r in conn.execute("SELECT id FROM rows WHERE table_id = ? ORDER BY id", (tid,))]
    for rid in out["rows"]:
        out["cells"] += [r[0] for r in conn.execute("SELECT id FROM cells WHERE row_id = ? ORDER BY id", (rid,))]
    for t in ("checks", "glossary", "facts", "statements", "sections", "indicators", "missing_tables"):
        out[t] = [r[0] for r in conn.execute(f"SELECT id FROM [{t}] WHERE document_id = ? ORDER BY id", (doc_id,))]
    for t in out:
        out[t].sort()
    return out


def doc_key(unit_code: str, unit_name: str, year: int, kind: str) -> tuple[str, int, str]:
    """What makes two documents the same one: the unit (its code, or its name when it prints no
    code), the year, and 预算/决算 — so one store holds a unit's 预算 and 决算 of a year side by side."""
    return (unit_code or "name:" + _name_key(unit_name), year, kind or "预算")


def _ids_of_key(conn: sqlite3.Connection, key: tuple[str, int, str]) -> list[int]:
    unit, year, kind = key
    out = []
    for r in conn.execute("SELECT id, unit_code, unit_name, kind FROM documents WHERE year = ? ORDER BY id", (year,)):
        if doc_key(r[1] or "", r[2] or "", year, r[3] or "预算") == key:
            out.append(r[0])
    return out


def delete_document(conn: sqlite3.Connection, unit_code: str, year: int, unit_name: str = "",
                    kind: str = "预算") -> dict[str, list[int]]:
    """Remove a document (by its key, :func:`doc_key`) and everything hanging off it; return its ids
    per table for reuse. Cells and rows go by table/row id so the deletes use the schema's indexes
    (cells(row_id), rows(table_id)) however many documents the store holds."""
    ids = _ids_of_key(conn, doc_key(unit_code, unit_name, year, kind))
    reuse = _old_ids(conn, ids[0]) if ids else {}
    for doc_id in ids:
        table_ids = [r[0] for r in conn.execute("SELECT id FROM tables WHERE document_id = ?", (doc_id,))]
        for tid in table_ids:
            conn.execute("DELETE FROM cells WHERE row_id IN (SELECT id FROM rows WHERE table_id = ?)", (tid,))
            conn.execute("DELETE FROM rows WHERE table_id = ?", (tid,))
        for t in CHILD_TABLES:
            if t not in ("cells", "rows"):
                conn.execute(f"DELETE FROM [{t}] WHERE document_id = ?", (doc_id,))
        conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
        search.delete_document(conn, doc_id)
    return reuse


def _name_key(name: str) -> str:
    """A unit name compared across documents: spaces and bracket widths do not make another unit."""
    return re.sub(r"\s+", "", name).replace("（", "(").replace("）", ")")


def _same_unit(conn: sqlite3.Connection, doc: Document) -> None:
    """Re-ingesting replaces the document of the same unit code and year — only when it is the same
    unit. A code that collides while the unit name differs (a typo'd or reused code) would silently
    delete another unit's figures: refused, naming both units, before anything is written."""
    if not doc.unit_code:
        return  # a document without a code is keyed by its unit name: no code to collide
    for (name, other) in conn.execute("SELECT name, unit_name FROM documents WHERE unit_code = ? AND year = ? "
                                      "AND coalesce(kind, '预算') = ?", (doc.unit_code, doc.year, doc.kind)):
        if other and doc.unit_name and _name_key(other) != _name_key(doc.unit_name):
            raise IngestError(doc.source_path, None,
                              f"unit code {doc.unit_code} ({doc.year}) is already in the store for {other} "
                              f"(document {name}), but this document names {doc.unit_name}: a mistyped or "
                              "reused unit code? Nothing was written; fix the code, or ingest into another "
                              "store (--db)")


def write_documents(conn: sqlite3.Connection, docs: Iterable[Document],
                    after_each: Callable[[sqlite3.Connection, int, Callable[[str], int]], None] | None = None
                    ) -> list[int]:
    """Insert ``docs`` (inside the caller's transaction); return their document ids."""
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    doc_ids: list[int] = []
    for doc in docs:
        _same_unit(conn, doc)
        ids = _Ids(conn, delete_document(conn, doc.unit_code, doc.year, doc.unit_name, doc.kind))
        doc_id = ids("documents")
        doc_ids.append(doc_id)
        _insert(conn, "documents", [{
            "id": doc_id, "name": doc.name, "source_path": doc.source_path, "sha256": doc.sha256,
            "unit_code": doc.unit_code, "unit_name": doc.unit_name, "year": doc.year, "kind": doc.kind,
            "family": doc.family, "money_unit": doc.money_unit, "ingested_at": now, "n_lines": doc.n_lines,
            "n_pages": doc.n_pages}])
        t_rows, r_rows, c_rows, i_rows = [], [], [], []
        for tseq, t in enumerate(doc.tables, 1):
            tid = ids("tables")
            t_rows.append({"id": tid, "document_id": doc_id, "seq": tseq, "kind": t.kind, "title": t.title,
                           "columns": json.dumps(list(t.columns), ensure_ascii=False), "note": t.note,
                           "project": t.project, "goal": t.goal, "line_start": t.line_start,
                           "line_end": t.line_end, "page_start": t.page_start, "page_end": t.page_end})
            for r in t.rows:
                rid = ids("rows")
                r_rows.append({"id": rid, "document_id": doc_id, "table_id": tid, "seq": r.seq,
                               "row_no": r.row_no, "side": r.side, "code": r.code, "name": r.name,
                               "label": r.label, "group_name": r.group_name,
                               "classification": r.classification, "level": r.level,
                               "parent_code": r.parent_code, "is_total": r.is_total, "line": r.line,
                               "page": r.page})
                c_rows += [(ids("cells"), doc_id, tid, rid, c.col, c.column, c.column_group, c.raw, c.value, c.line,
                            c.uncertain) for c in r.cells]
            for ind in t.indicators:
                i_rows.append({"id": ids("indicators"), "document_id": doc_id, "table_id": tid, "seq": ind.seq,
                               "project": ind.project, "level1": ind.level1, "level2": ind.level2,
                               "level3": ind.level3, "description": ind.description,
                               "value_raw": ind.value_raw, "comparator": ind.comparator,
                               "number": ind.number, "unit": ind.unit, "basis": ind.basis, "line": ind.line})
        _insert(conn, "tables", t_rows)
        _insert(conn, "rows", r_rows)
        if c_rows:
            conn.executemany(_INSERT_CELLS, c_rows)
        _insert(conn, "indicators", i_rows)
        sec_id = {}
        s_rows = []
        for s in doc.sections:
            sid = ids("sections")
            sec_id[s.seq] = sid
            s_rows.append({"id": sid, "document_id": doc_id, "seq": s.seq, "level": s.level,
                           "heading": s.heading, "path": s.path, "text": s.text, "line": s.line,
                           "page": s.page})
        _insert(conn, "sections", s_rows)
        _insert(conn, "statements", [
            {"id": ids("statements"), "document_id": doc_id, "section_id": sec_id.get(st.section_seq),
             "subject": st.subject, "value": st.value, "unit": st.unit, "year": st.year,
             "change_dir": st.change_dir, "change": st.change, "change_pct": st.change_pct,
             "base_year": st.base_year, "base_value": st.base_value, "sentence": st.sentence, "line": st.line,
             "basis": st.basis, "completion_pct": st.completion_pct, "reason": st.reason}
            for st in doc.statements])
        titles = doc.missing_titles or doc.missing
        _insert(conn, "missing_tables", [
            {"id": ids("missing_tables"), "document_id": doc_id, "kind": k, "title": title}
            for k, title in zip(doc.missing, titles)])
        _insert(conn, "facts", [
            {"id": ids("facts"), "document_id": doc_id, "key": f.key, "value": f.value,
             "section": f.section, "line": f.line} for f in doc.facts])
        _insert(conn, "glossary", [
            {"id": ids("glossary"), "document_id": doc_id, "seq": g.seq, "term": g.term,
             "definition": g.definition, "line": g.line} for g in doc.glossary])
        _insert(conn, "checks", [
            {"id": ids("checks"), "document_id": doc_id, "rule": "存疑", "table_title": f.table_title, "row": f.row,
             "column": f.column, "expected": f.expected, "actual": f.actual, "message": f.message}
            for f in doc.faults])
        # the search index's row: every name and text a question may look for (askbudget/search.py)
        search.write_document(conn, doc_id, [
            *(x for t in t_rows for x in (t["title"], t["note"], t["project"], t["goal"])),
            *(x for r in r_rows for x in (r["label"], r["group_name"])),
            *(x for i in i_rows for x in (i["project"], i["level3"], i["description"])),
            *(x for sec in s_rows for x in (sec["heading"], sec["text"])),
            *(x for g in doc.glossary for x in (g.term, g.definition)), *(f.value for f in doc.facts)])
        if after_each is not None:
            after_each(conn, doc_id, ids)
    conn.execute("INSERT OR REPLACE INTO meta ([key], [value]) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
    return doc_ids

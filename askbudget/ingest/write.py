"""Write parsed documents into the store, all of them in one transaction.

The tables are created from ``askbudget.store.SCHEMA`` (+ ``INDEXES``) through sqlite-utils. Ids are
assigned here (max id + 1) so each table is filled with one ``executemany``; re-ingesting a
document of the same (unit_code, year) first deletes it and everything hanging off it.
"""
from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timezone
from typing import Any, Callable

import sqlite_utils

from ..store import INDEXES, SCHEMA, SCHEMA_VERSION
from .model import Document

CHILD_TABLES = ("checks", "glossary", "facts", "statements", "sections", "indicators", "cells", "rows", "tables")


def ensure_schema(db: sqlite_utils.Database) -> None:
    existing = set(db.table_names())
    for name, spec in SCHEMA.items():
        if name in existing:
            continue
        db[name].create(spec["columns"], pk=spec["pk"],  # type: ignore[union-attr]
                        foreign_keys=[(c, t, "id") for c, t in spec["fks"]])
    have = {(ix.name) for t in SCHEMA for ix in db[t].indexes}  # type: ignore[union-attr]
    for table, cols in INDEXES:
        name = f"idx_{table}_{'_'.join(cols)}"
        if name not in have:
            db[table].create_index(cols, index_name=name, if_not_exists=True)  # type: ignore[union-attr]


def _insert(conn: sqlite3.Connection, table: str, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    cols = list(SCHEMA[table]["columns"])
    sql = f"INSERT INTO [{table}] ({', '.join(f'[{c}]' for c in cols)}) VALUES ({', '.join('?' for _ in cols)})"
    conn.executemany(sql, [tuple(r.get(c) for c in cols) for r in rows])


def _next_ids(conn: sqlite3.Connection) -> dict[str, int]:
    out = {}
    for t in ("documents", *CHILD_TABLES):
        out[t] = (conn.execute(f"SELECT max(id) FROM [{t}]").fetchone()[0] or 0) + 1
    return out


def delete_document(conn: sqlite3.Connection, unit_code: str, year: int) -> None:
    """Remove a document and everything hanging off it. Cells and rows go by table/row id so the
    deletes use the schema's indexes (cells(row_id), rows(table_id)) however many documents the
    store holds."""
    ids = [r[0] for r in conn.execute("SELECT id FROM documents WHERE unit_code = ? AND year = ?", (unit_code, year))]
    for doc_id in ids:
        table_ids = [r[0] for r in conn.execute("SELECT id FROM tables WHERE document_id = ?", (doc_id,))]
        for tid in table_ids:
            conn.execute("DELETE FROM cells WHERE row_id IN (SELECT id FROM rows WHERE table_id = ?)", (tid,))
            conn.execute("DELETE FROM rows WHERE table_id = ?", (tid,))
        for t in CHILD_TABLES:
            if t not in ("cells", "rows"):
                conn.execute(f"DELETE FROM [{t}] WHERE document_id = ?", (doc_id,))
        conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))


def write_documents(conn: sqlite3.Connection, docs: list[Document],
                    after_each: Callable[[sqlite3.Connection, int], None] | None = None) -> list[int]:
    """Insert ``docs`` (inside the caller's transaction); return their document ids."""
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    doc_ids: list[int] = []
    for doc in docs:
        delete_document(conn, doc.unit_code, doc.year)
        ids = _next_ids(conn)
        doc_id = ids["documents"]
        doc_ids.append(doc_id)
        _insert(conn, "documents", [{
            "id": doc_id, "name": doc.name, "source_path": doc.source_path, "sha256": doc.sha256,
            "unit_code": doc.unit_code, "unit_name": doc.unit_name, "year": doc.year,
            "money_unit": doc.money_unit, "ingested_at": now, "n_lines": doc.n_lines}])
        t_rows, r_rows, c_rows, i_rows = [], [], [], []
        tid, rid, cid, iid = ids["tables"], ids["rows"], ids["cells"], ids["indicators"]
        for tseq, t in enumerate(doc.tables, 1):
            t_rows.append({"id": tid, "document_id": doc_id, "seq": tseq, "kind": t.kind, "title": t.title,
                           "columns": json.dumps(list(t.columns), ensure_ascii=False), "note": t.note,
                           "project": t.project, "goal": t.goal, "line_start": t.line_start,
                           "line_end": t.line_end})
            for r in t.rows:
                r_rows.append({"id": rid, "document_id": doc_id, "table_id": tid, "seq": r.seq,
                               "row_no": r.row_no, "side": r.side, "code": r.code, "name": r.name,
                               "label": r.label, "group_name": r.group_name,
                               "classification": r.classification, "level": r.level,
                               "parent_code": r.parent_code, "is_total": r.is_total, "line": r.line})
                for c in r.cells:
                    c_rows.append({"id": cid, "document_id": doc_id, "table_id": tid, "row_id": rid,
                                   "col": c.col, "column": c.column, "column_group": c.column_group,
                                   "raw": c.raw, "value": c.value, "line": c.line})
                    cid += 1
                rid += 1
            for ind in t.indicators:
                i_rows.append({"id": iid, "document_id": doc_id, "table_id": tid, "seq": ind.seq,
                               "project": ind.project, "level1": ind.level1, "level2": ind.level2,
                               "level3": ind.level3, "description": ind.description,
                               "value_raw": ind.value_raw, "comparator": ind.comparator,
                               "number": ind.number, "unit": ind.unit, "basis": ind.basis, "line": ind.line})
                iid += 1
            tid += 1
        _insert(conn, "tables", t_rows)
        _insert(conn, "rows", r_rows)
        _insert(conn, "cells", c_rows)
        _insert(conn, "indicators", i_rows)
        sec_id = {}
        s_rows = []
        sid = ids["sections"]
        for s in doc.sections:
            sec_id[s.seq] = sid
            s_rows.append({"id": sid, "document_id": doc_id, "seq": s.seq, "level": s.level,
                           "heading": s.heading, "path": s.path, "text": s.text, "line": s.line})
            sid += 1
        _insert(conn, "sections", s_rows)
        _insert(conn, "statements", [
            {"id": ids["statements"] + k, "document_id": doc_id, "section_id": sec_id.get(st.section_seq),
             "subject": st.subject, "value": st.value, "unit": st.unit, "year": st.year,
             "change_dir": st.change_dir, "change": st.change, "change_pct": st.change_pct,
             "base_year": st.base_year, "base_value": st.base_value, "sentence": st.sentence, "line": st.line}
            for k, st in enumerate(doc.statements)])
        _insert(conn, "facts", [
            {"id": ids["facts"] + k, "document_id": doc_id, "key": f.key, "value": f.value,
             "section": f.section, "line": f.line} for k, f in enumerate(doc.facts)])
        _insert(conn, "glossary", [
            {"id": ids["glossary"] + k, "document_id": doc_id, "seq": g.seq, "term": g.term,
             "definition": g.definition, "line": g.line} for k, g in enumerate(doc.glossary)])
        if after_each is not None:
            after_each(conn, doc_id)
    conn.execute("INSERT OR REPLACE INTO meta ([key], [value]) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
    return doc_ids

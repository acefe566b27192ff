"""The SQLite store: its schema, read-only connections, and the default store built from ``data/``.

The schema is documented table by table in ``docs/schema.md``; ``SCHEMA`` below is the single
source both the writer (``askbudget.ingest``) and that document follow. Writes and reads use plain
``sqlite3``; reads go through read-only connections that refuse another application's SQLite file.
"""
from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path
from typing import Any

from . import settings
from .errors import StoreError
from .lru import LRU

SCHEMA_VERSION = 2

# the canonical table kinds (tables.kind); a template family (lexicon/templates/) maps titles to these
TABLE_KINDS: frozenset[str] = frozenset({
    "收支总表", "收入总表", "支出总表", "财政拨款收支总表", "一般公共预算财政拨款支出表",
    "一般公共预算财政拨款基本支出表", "政府性基金预算财政拨款支出表", "国有资本经营预算财政拨款支出表",
    "三公经费支出表", "政府采购预算表", "固定资产占用情况表", "绩效目标表", "机构设置表"})

# table -> (columns with SQLite types, primary key, foreign keys (column, other table))
SCHEMA: dict[str, dict[str, Any]] = {
    "documents": {
        "columns": {"id": int, "name": str, "source_path": str, "sha256": str, "unit_code": str,
                    "unit_name": str, "year": int, "kind": str, "family": str, "money_unit": str,
                    "ingested_at": str, "n_lines": int, "n_pages": int},
        "pk": "id",
        "fks": [],
    },
    "tables": {
        "columns": {"id": int, "document_id": int, "seq": int, "kind": str, "title": str,
                    "columns": str, "note": str, "project": str, "goal": str,
                    "line_start": int, "line_end": int, "page_start": int, "page_end": int},
        "pk": "id",
        "fks": [("document_id", "documents")],
    },
    "rows": {
        "columns": {"id": int, "document_id": int, "table_id": int, "seq": int, "row_no": str,
                    "side": str, "code": str, "name": str, "label": str, "group_name": str,
                    "classification": str, "level": int, "parent_code": str, "is_total": int,
                    "line": int, "page": int},
        "pk": "id",
        "fks": [("document_id", "documents"), ("table_id", "tables")],
    },
    "cells": {
        "columns": {"id": int, "document_id": int, "table_id": int, "row_id": int, "col": int,
                    "column": str, "column_group": str, "raw": str, "value": float, "line": int,
                    "uncertain": int},
        "pk": "id",
        "fks": [("document_id", "documents"), ("table_id", "tables"), ("row_id", "rows")],
    },
    "indicators": {
        "columns": {"id": int, "document_id": int, "table_id": int, "seq": int, "project": str,
                    "level1": str, "level2": str, "level3": str, "description": str,
                    "value_raw": str, "comparator": str, "number": float, "unit": str,
                    "basis": str, "line": int},
        "pk": "id",
        "fks": [("document_id", "documents"), ("table_id", "tables")],
    },
    "sections": {
        "columns": {"id": int, "document_id": int, "seq": int, "level": int, "heading": str,
                    "path": str, "text": str, "line": int, "page": int},
        "pk": "id",
        "fks": [("document_id", "documents")],
    },
    "statements": {
        "columns": {"id": int, "document_id": int, "section_id": int, "subject": str,
                    "value": float, "unit": str, "year": int, "change_dir": str, "change": float,
                    "change_pct": float, "base_year": int, "base_value": float, "sentence": str,
                    "line": int, "basis": str, "completion_pct": float, "reason": str},
        "pk": "id",
        "fks": [("document_id", "documents"), ("section_id", "sections")],
    },
    "facts": {
        "columns": {"id": int, "document_id": int, "key": str, "value": str, "section": str,
                    "line": int},
        "pk": "id",
        "fks": [("document_id", "documents")],
    },
    "glossary": {
        "columns": {"id": int, "document_id": int, "seq": int, "term": str, "definition": str,
                    "line": int},
        "pk": "id",
        "fks": [("document_id", "documents")],
    },
    "missing_tables": {
        "columns": {"id": int, "document_id": int, "kind": str, "title": str},
        "pk": "id",
        "fks": [("document_id", "documents")],
    },
    "checks": {
        "columns": {"id": int, "document_id": int, "rule": str, "table_title": str, "row": str,
                    "column": str, "expected": float, "actual": float, "message": str},
        "pk": "id",
        "fks": [("document_id", "documents")],
    },
    "meta": {
        "columns": {"key": str, "value": str},
        "pk": "key",
        "fks": [],
    },
}

INDEXES: list[tuple[str, list[str]]] = [
    ("tables", ["document_id", "kind"]),
    ("rows", ["table_id"]),
    ("rows", ["code"]),
    ("rows", ["label"]),
    ("cells", ["row_id"]),
    ("indicators", ["document_id"]),
    ("sections", ["document_id"]),
    ("statements", ["document_id", "subject"]),
    ("glossary", ["term"]),
    ("glossary", ["document_id"]),
    ("facts", ["document_id", "key"]),
    ("missing_tables", ["document_id"]),
]


def open_readonly(path: str | os.PathLike[str]) -> sqlite3.Connection:
    """Open a store read-only and immutable (``mode=ro&immutable=1`` + ``PRAGMA query_only``): SQLite
    never takes a lock on it, never looks for a journal and never writes — a reader cannot roll anything
    back or be locked out. That is sound because askbudget never changes a store in place: an ingest
    writes a new file and swaps it in (``os.replace``), so an open connection keeps reading the file it
    opened, whole, and a new one reads the new file. A store some other program left with a hot journal
    (a write interrupted in place) is refused: it is half-written until a writer rolls it back."""
    p = Path(path)
    if not p.is_file():
        raise StoreError(f"no store at {p}: build one with `askbudget ingest FILE --db {p}`")
    for suffix in ("-journal", "-wal"):
        side = p.with_name(p.name + suffix)
        try:
            if side.stat().st_size > 0:
                raise StoreError(f"{p} was left half-written by an interrupted write ({side.name} beside it); "
                                 "ingest it again with `askbudget ingest`, or restore the file")
        except FileNotFoundError:
            pass
    try:
        return _connect_ro(p)
    except sqlite3.DatabaseError as e:
        raise StoreError(f"{p} is not an askbudget store ({e})") from None


def _connect_ro(p: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(f"{p.resolve().as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False)
    try:
        conn.execute("PRAGMA query_only = 1")
        foreign = foreign_tables(conn)
        if not foreign:
            conn.execute("SELECT 1 FROM documents LIMIT 1")
    except sqlite3.DatabaseError:
        conn.close()
        raise
    if foreign:
        conn.close()
        raise StoreError(another_application(p, foreign))
    conn.row_factory = sqlite3.Row
    return conn


def foreign_tables(conn: sqlite3.Connection) -> list[str]:
    """The tables of a SQLite file that is not an askbudget store, i.e. another application's file;
    [] for an empty file or a store (its ``meta`` names a schema version, its ``documents`` a unit code)."""
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
        "ORDER BY name")]
    if not tables:
        return []
    try:
        conn.execute("SELECT unit_code, year FROM documents LIMIT 0")
        if conn.execute("SELECT 1 FROM meta WHERE key = 'schema_version'").fetchone():
            return []
    except sqlite3.DatabaseError:  # no such table or column: not ours
        pass
    return tables


def another_application(path: str | os.PathLike[str], tables: list[str]) -> str:
    """The message for a SQLite file of another application given where a store is expected."""
    shown = ", ".join(tables[:5]) + (", …" if len(tables) > 5 else "")
    return f"{path} is a SQLite file of another application (tables: {shown}), not an askbudget store"


def store_identity(path: str | os.PathLike[str]) -> tuple[int, int, int, int] | None:
    """What tells one store file from the one swapped in after it (device, inode, size, mtime), or None."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns


def is_store(path: str | os.PathLike[str]) -> bool:
    """True when ``path`` opens read-only as a store of this schema version (a cheap check)."""
    try:
        conn = open_readonly(path)
    except StoreError:
        return False
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return row is not None and str(row[0]) == str(SCHEMA_VERSION)
    except sqlite3.DatabaseError:
        return False
    finally:
        conn.close()


class WorkLimit:
    """Context manager: interrupt SQL on ``conn`` once it has done more work than the limit.

    Work is counted in SQLite virtual-machine steps (the progress handler, called every
    ``GRANULE`` steps), never in wall time: a query gets the same answer on a busy machine as on an
    idle one, and one that runs away (a recursive CTE, a scan of a huge store) is stopped after the
    same amount of work everywhere. Over the limit, SQLite raises ``OperationalError: interrupted``;
    the planner turns it into ``QueryError`` (``WorkLimit.MESSAGE``). ``used`` is the work counted."""

    GRANULE = 1000
    MESSAGE = "查询超出了工作量上限（SQL_WORK_LIMIT）"

    def __init__(self, conn: sqlite3.Connection, steps: float | None = None) -> None:
        self.conn = conn
        self.steps = float(settings.SQL_WORK_LIMIT if steps is None else steps)
        self.calls = 0

    @property
    def used(self) -> int:
        return self.calls * self.GRANULE

    def _check(self) -> int:
        self.calls += 1
        return 1 if self.calls * self.GRANULE > self.steps else 0

    def __enter__(self) -> "WorkLimit":
        self.calls = 0
        self.conn.set_progress_handler(self._check, self.GRANULE)
        return self

    def __exit__(self, *exc: object) -> None:
        self.conn.set_progress_handler(None, 0)


class QueryCache:
    """The rows of the queries run lately on one connection to an immutable store (``open_readonly``):
    the file under such a connection never changes, so a query asked again — the tables of a kind, a
    row's cells, in turn after turn — is read from memory. Bounded by the rows held
    (``QUERY_CACHE_ROWS``, the least recently used query dropped first: an ``lru.LRU`` weighed by its
    rows); a result larger than a tenth of that is not kept."""

    def __init__(self, max_rows: int | None = None) -> None:
        self.max_rows = int(settings.QUERY_CACHE_ROWS if max_rows is None else max_rows)
        self._items: LRU[tuple[str, tuple[Any, ...]], list[Any]] = LRU(self.max_rows, weight=_rows_held)
        self.get = self._items.get

    @property
    def rows(self) -> int:
        return self._items.total

    def put(self, key: tuple[str, tuple[Any, ...]], rows: list[Any]) -> None:
        if _rows_held(rows) <= self.max_rows // 10:
            self._items.put(key, rows)


def _rows_held(rows: list[Any]) -> int:
    return len(rows) + 1  # a result counts one more than its rows: an empty one is kept too


# ---------------------------------------------------------------- default store

def _data_files() -> list[Path]:
    from .resources import data_dir

    d = data_dir()
    return sorted(p for p in d.glob("*.txt") if p.is_file())


def _cache_dir() -> Path:
    env = os.environ.get("ASKBUDGET_CACHE_DIR")
    if env:
        return Path(env)
    from .resources import user_dir

    return user_dir("cache")


def default_store_path() -> Path:
    """The default store: built from ``data/`` on first use, rebuilt when a data file changes.

    Its file name carries a key made of the schema version and each data file's name, size and
    mtime, so a changed ``data/`` simply makes a new store; the check costs a few ``stat`` calls.
    """
    files = _data_files()
    h = hashlib.sha256(f"v{SCHEMA_VERSION}".encode())
    for f in files:
        st = f.stat()
        h.update(f"{f.name}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
    target = _cache_dir() / f"default-{h.hexdigest()[:16]}.db"
    if not target.is_file() or not is_store(target):  # missing, or damaged: it is derived data, rebuild
        if not files:
            raise StoreError("no documents in data/ to build the default store from")
        from .ingest import build_store

        tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            build_store([str(f) for f in files], str(tmp), quiet=True)
            os.replace(tmp, target)
        except (OSError, StoreError) as e:
            d = target.parent
            if any(p.exists() and not p.is_dir() for p in (d, *d.parents)):
                why = "a file, not a folder"
            elif isinstance(e, OSError):
                why = e.strerror or str(e)
            else:  # the store could not be written there (no permission, a full disk): SQLite's words
                why = str(e).rsplit("(", 1)[-1].split(")")[0] if "(" in str(e) else str(e)
            raise StoreError(f"cannot build the default store in the cache folder {d} ({why}): "
                             "set ASKBUDGET_CACHE_DIR to a writable folder, or give --db") from None
        finally:
            try:
                tmp.unlink()
            except OSError:
                pass
        for old in target.parent.glob("default-*.db"):
            if old != target:
                try:
                    old.unlink()
                except OSError:
                    pass
    return target

"""Ingest budget disclosures into the store: ``build_store(paths, db_path)``.

A run is atomic. Every file is parsed first (``document.parse_file``: pure, no database); only when
all of them parsed is the store opened and every document written in one transaction, with the
arithmetic checks (``askbudget.check``) stored beside them. On any error the store file is left
byte-for-byte as it was — and a store that did not exist before still does not.

    parse_file(path) -> Document        one file → frozen dataclasses (model.py); a PDF is read into
                                        page text first (pdf.py), with per-page progress on a terminal
    parse_pages(pages, file, name) -> Document   page text (a list of page strings; pages.py)
    build_store(paths, db_path) -> IngestReport
    cli_ingest(files, db, explain) -> int   ``askbudget ingest FILE... --db PATH [--explain]``

The report says, per document, what was read: the template family matched, the tables found and
missing against that family, the cells read and the cells whose column could not be proven
(``uncertain``); ``--explain`` adds each table's title → kind and header → column mapping.
"""
from __future__ import annotations

import os
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from ..errors import AskBudgetError, IngestError, StoreError
from .document import parse_bytes, parse_file
from .model import Document, ParseWarning
from .pages import parse_pages

__all__ = ["IngestReport", "build_store", "cli_ingest", "describe", "explain", "parse_bytes", "parse_file",
           "parse_pages"]


@dataclass(frozen=True)
class IngestReport:
    """What one ingest run did: per document (name, id, cells), warnings, and check mismatches."""
    documents: tuple[tuple[str, int, int], ...]
    warnings: tuple[tuple[str, ParseWarning], ...]
    mismatches: int
    details: tuple[str, ...] = ()  # one line per document: what was read (``describe``)

    @property
    def cells(self) -> int:
        return sum(n for _, _, n in self.documents)

    def summary(self) -> str:
        n = len(self.documents)
        names = ", ".join(name for name, _, _ in self.documents)
        w = len(self.warnings)
        m = self.mismatches
        return (f"ingested {n} document{'s' if n != 1 else ''} ({names}): {self.cells} cells, "
                f"{w} warning{'s' if w != 1 else ''}; check: {m} mismatch{'es' if m != 1 else ''}")


def build_store(paths: Iterable[str | os.PathLike[str]], db_path: str | os.PathLike[str],
                quiet: bool = False, explain_tables: bool = False) -> IngestReport:
    """Parse every file, then write them all into ``db_path`` in one transaction (see module doc)."""
    files = [str(p) for p in paths]
    if not files:
        raise IngestError("-", None, "no files given")
    show = not quiet and sys.stderr.isatty()
    docs: list[Document] = [parse_file(f, progress=_progress(f) if show else None) for f in files]
    from .write import doc_key

    seen: dict[tuple[str, int, str], str] = {}
    for f, d in zip(files, docs):
        key = doc_key(d.unit_code, d.unit_name, d.year, d.kind)
        if key in seen:
            raise IngestError(f, None, f"same unit {d.unit_code or d.unit_name} and year {d.year} ({d.kind}) "
                                       f"as {seen[key]} in this run")
        seen[key] = f
    db_file = Path(db_path)
    if db_file.is_dir():
        raise StoreError(f"{db_file} is a directory, not a store file")
    existed = db_file.exists()
    mismatches = 0
    try:
        ids, mismatches = _write(db_file, docs)
    except BaseException:
        if not existed:
            for suffix in ("", "-journal", "-wal", "-shm"):
                try:
                    os.unlink(f"{db_file}{suffix}")
                except OSError:
                    pass
        raise
    report = IngestReport(tuple((d.name, i, d.n_cells) for d, i in zip(docs, ids)),
                          tuple((d.name, w) for d in docs for w in d.warnings), mismatches,
                          tuple(describe(d) for d in docs))
    if not quiet:
        for name, w in report.warnings:
            print(f"warning: {name}:{w.line}: {w.message}", file=sys.stderr)
        for d in docs:
            print(describe(d))
            if explain_tables:
                print(explain(d))
        print(report.summary())
    return report


def _progress(file: str) -> Callable[[int, int], None]:
    """Per-page progress of a PDF on a terminal: one line rewritten in place, cleared at the end."""
    def show(page: int, pages: int) -> None:
        end = "\r\033[K" if page == pages else ""
        print(f"\r{file}: page {page}/{pages}" + end, end="", file=sys.stderr, flush=True)
    return show


def describe(d: Document) -> str:
    """One line: what was read of a document against its template family."""
    from .templates import family

    try:
        fam = family(d.family) if d.family else None
    except AskBudgetError:
        fam = None
    kinds = {t.kind for t in d.tables}
    expected = [t.kind for t in fam.tables if not t.optional] if fam is not None else []
    found = len([k for k in expected if k in kinds]) if expected else len(kinds)
    missing = "、".join(d.missing_titles or d.missing) if d.missing else "none"
    pages = f", {d.n_pages} pages" if d.n_pages else ""
    return (f"{d.name}: {d.unit_name} {d.year} {d.kind}{pages} — template {d.family or '?'}: "
            f"{found} of {len(expected) or len(kinds)} tables (missing: {missing}), {len(d.tables)} read; "
            f"{d.n_cells} cells ({d.n_figures} figures), {d.n_uncertain} uncertain")


def explain(d: Document) -> str:
    """Each table: its title → kind, and its header → the columns it was read into."""
    out = []
    for t in d.tables:
        page = f" p.{t.page_start}" + (f"–{t.page_end}" if t.page_end and t.page_end != t.page_start else "") \
            if t.page_start else f" line {t.line_start}"
        out.append(f"  {t.title}{page} → {t.kind}")
        if t.kind == "绩效目标表":
            out.append(f"      project {t.project or '?'}: {len(t.indicators)} indicators")
            continue
        header = f"«{t.header}» " if t.header else ""
        by_col = {c.col: (c.column_group, c.column) for r in t.rows for c in r.cells}
        sides: dict[str, list[str]] = {}
        for col in sorted(by_col):
            sides.setdefault(by_col[col][0], []).append(by_col[col][1])
        cols = " | ".join(f"{g}: {' '.join(cs)}" for g, cs in sides.items()) if len(sides) > 1 \
            else " ".join(t.columns)
        if t.kind == "三公经费支出表" and t.page_start and t.rows:
            cols = "rows " + " ".join(r.label for r in t.rows) + " × " + " ".join(t.columns)
        unc = sum(c.uncertain for r in t.rows for c in r.cells)
        out.append(f"      header {header}→ {cols}; {len(t.rows)} rows" + (f", {unc} uncertain" if unc else ""))
    if d.missing:
        out.append(f"  missing against template {d.family}: {'、'.join(d.missing_titles or d.missing)}")
    return "\n".join(out)


def _write(db_file: Path, docs: list[Document]) -> tuple[list[int], int]:
    from ..check import store_checks
    from .write import ensure_schema, refuse_foreign, write_documents

    counter = [0]

    def after(conn: sqlite3.Connection, doc_id: int, next_id: Callable[[str], int]) -> None:
        counter[0] += store_checks(conn, doc_id, next_id)

    try:
        conn = sqlite3.connect(db_file, isolation_level=None)  # the one transaction below is explicit
    except sqlite3.Error as e:
        raise StoreError(f"cannot open store {db_file}: {e}") from None
    try:
        conn.execute("BEGIN")
        try:
            refuse_foreign(conn, str(db_file))
            ensure_schema(conn)
            ids = write_documents(conn, docs, after_each=after)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    except sqlite3.DatabaseError as e:
        raise StoreError(f"{db_file}: cannot write the store ({e}); it is unchanged") from None
    finally:
        conn.close()
    return ids, counter[0]


def cli_ingest(files: list[str], db: str, explain: bool = False) -> int:
    build_store(files, db, quiet=False, explain_tables=explain)
    return 0

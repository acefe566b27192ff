"""Ingest budget disclosures into the store: ``build_store(paths, db_path)``.

A run is atomic. Every file is parsed (``document.parse_file``: pure, no database; many files by a
pool of processes) and written, in order, into a copy of the store, every document in one
transaction, with the arithmetic checks (``askbudget.check``) stored beside them: a document is
written while the next ones are parsed. Only when all of them parsed and were written is the copy
swapped in (``os.replace``). On any error — a file that does not parse, or a kill — the copy is
dropped and the store file is left byte-for-byte as it was, and a store that did not exist before
still does not; a process serving the store never sees it half-written.

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

import contextlib
import os
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .. import settings
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
    """Parse every file and write them all into ``db_path`` in one transaction (see module doc)."""
    files = [str(p) for p in paths]
    if not files:
        raise IngestError("-", None, "no files given")
    show = not quiet and sys.stderr.isatty()
    from .write import doc_key

    docs: list[Document] = []

    def parsed() -> Iterator[Document]:
        """The documents in the order of ``files``, as they are parsed; two of one unit-year refused."""
        seen: dict[tuple[str, int, str], str] = {}
        for f, d in zip(files, _parse_all(files, show)):
            key = doc_key(d.unit_code, d.unit_name, d.year, d.kind)
            if key in seen:
                raise IngestError(f, None, f"same unit {d.unit_code or d.unit_name} and year {d.year} ({d.kind}) "
                                           f"as {seen[key]} in this run")
            seen[key] = f
            docs.append(d)
            yield d

    db_file = Path(db_path)
    if db_file.is_dir():
        raise StoreError(f"{db_file} is a directory, not a store file")
    existed = db_file.exists()
    mismatches = 0
    try:
        ids, mismatches = _write(db_file, parsed())
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


def _parse_all(files: list[str], show: bool) -> Iterator[Document]:
    """Parse every file, yielding each document in order as soon as it and those before it are parsed
    (the writer stores one while the next are parsed). Many files are parsed by a pool of processes, one
    per core (parsing is pure Python and CPU-bound), unless a terminal shows each PDF's pages as they are
    read. The first file that fails raises its IngestError, as when serial."""
    workers = 0 if show else min(settings.cores(), len(files) // _FILES_PER_WORKER)
    done = 0
    if workers >= 2:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool

        pool = None
        try:
            # spawn, not fork: build_store may be called from a threaded program (a server, a test)
            pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
            for d in pool.map(parse_file, files, chunksize=max(1, len(files) // (workers * 8))):
                done += 1
                yield d
            return
        except (BrokenProcessPool, OSError):
            pass  # no processes to be had here: the rest are parsed in this one
        finally:
            if pool is not None:  # on an error (here or in the writer) the files not yet parsed are dropped
                pool.shutdown(wait=True, cancel_futures=True)
    for f in files[done:]:
        yield parse_file(f, progress=_progress(f) if show else None)


_FILES_PER_WORKER = 16  # fewer files than this per process are parsed faster than a process starts


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


def _write(db_file: Path, docs: Iterable[Document]) -> tuple[list[int], int]:
    """Write ``docs`` into a copy of the store beside it, then swap the copy in (``os.replace``): a
    reader — the web service, a REPL — never sees a half-written store, and an ingest killed at any
    moment leaves the store exactly as it was (and at most a stale ``<store>.ingest.tmp`` that the next
    ingest removes). Ingests of one store run one at a time (a lock on ``<store>.lock``)."""
    from ..check import store_checks
    from .write import ensure_schema, refuse_foreign, write_documents

    counter = [0]

    def after(conn: sqlite3.Connection, doc_id: int, next_id: Callable[[str], int]) -> None:
        counter[0] += store_checks(conn, doc_id, next_id)

    tmp = db_file.with_name(db_file.name + ".ingest.tmp")
    with _ingest_lock(db_file):
        _remove(tmp)
        try:
            if db_file.exists():
                _copy_store(db_file, tmp)
            try:
                conn = sqlite3.connect(tmp, isolation_level=None)  # the one transaction below is explicit
            except sqlite3.Error as e:
                raise StoreError(f"cannot open store {db_file}: {e}") from None
            try:
                # a private copy: no journal to keep (a failure discards the whole file), synced once below
                conn.execute("PRAGMA journal_mode = OFF")
                conn.execute("PRAGMA synchronous = OFF")
                conn.execute("BEGIN")
                refuse_foreign(conn, str(db_file))
                ensure_schema(conn)
                ids = write_documents(conn, docs, after_each=after)
                conn.execute("COMMIT")
            except sqlite3.DatabaseError as e:
                raise StoreError(f"{db_file}: cannot write the store ({e}); it is unchanged") from None
            finally:
                conn.close()
            _fsync(tmp)
            if db_file.exists():
                os.chmod(tmp, db_file.stat().st_mode & 0o7777)
            os.replace(tmp, db_file)
            _fsync(db_file.parent)
        except BaseException:
            _remove(tmp)
            raise
    return ids, counter[0]


def _copy_store(src: Path, dst: Path) -> None:
    """A consistent copy of the store (SQLite's backup: a store another program is writing, or one a
    killed writer left with a hot journal, is copied as it stands committed)."""
    try:
        source = sqlite3.connect(src)
        try:
            target = sqlite3.connect(dst)
            try:
                source.backup(target)
            finally:
                target.close()
        finally:
            source.close()
    except sqlite3.DatabaseError as e:
        raise StoreError(f"cannot open store {src}: {e}") from None


def _remove(p: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        try:
            os.unlink(f"{p}{suffix}")
        except OSError:
            pass


def _fsync(p: Path) -> None:
    try:
        fd = os.open(p, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def _ingest_lock(db_file: Path) -> Iterator[None]:
    """One ingest of a store at a time: two at once would each swap in their own copy, and the later
    swap would drop the other's documents."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock
        yield
        return
    path = f"{db_file}.lock"
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as e:
            raise StoreError(f"cannot lock {db_file} for writing: {e.strerror}") from None
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            if os.stat(path).st_ino == os.fstat(fd).st_ino:
                break  # the lock file is still the one at the path (its last holder removes it)
        except FileNotFoundError:
            pass
        os.close(fd)
    try:
        yield
    finally:
        try:
            os.unlink(path)  # while held: a waiter on this file sees it is gone and takes the next one
        except OSError:
            pass
        os.close(fd)


def cli_ingest(files: list[str], db: str, explain: bool = False) -> int:
    build_store(files, db, quiet=False, explain_tables=explain)
    return 0

"""Hostile documents and faults (issue 5): a broken or malicious file never corrupts the store.

Every case is generated in a temp dir from the corpus documents and fed to ``python -m askbudget
ingest FILE --db STORE`` (and to ``build_store`` for the error's fields) against a store that already
holds the real document. A refused document gives a clear error naming the file (and the line where
there is one), a non-zero exit and no traceback; the store is byte-identical afterwards and
``PRAGMA integrity_check`` is ok. A usable document with a defect ingests with the documented warning
naming its line (or the check's mismatch count, where the defect breaks a sum).

``tests/test_ingest_errors.py`` (the ingest engineer's) covers empty, blank, binary, GBK, undecodable,
not-a-disclosure files, five truncations, a copy in the same run, CRLF/BOM, a non-store --db. This file
covers the rest: other truncation points and the cuts the rules call usable; a row or header missing
a column; non-numeric, NaN/inf and other spellings of figures; a table of another unit or year spliced
in; the same path twice and re-ingests; a 50 MB file, endless devices, a FIFO, odd paths and names;
a huge table, a 5 MB line and narrative lines built to make the extractor quadratic; damaged cache
files; the disk filling up mid-write; and an ingest killed mid-write.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from hostile_util import ROOT, integrity_ok, run_cli, run_cli_inprocess, sha256_file, store_dump

# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def base_store(tmp_path_factory: pytest.TempPathFactory, gongan_doc: Path) -> Path:
    from askbudget import build_store

    db = tmp_path_factory.mktemp("hostile-docs") / "base.db"
    build_store([gongan_doc], db)
    return db


@dataclass
class Store:
    path: Path
    sha: str

    def assert_untouched(self) -> None:
        assert sha256_file(self.path) == self.sha, "the store changed"
        assert integrity_ok(self.path) == "ok"
        leftovers = [p.name for p in self.path.parent.iterdir() if p.name.startswith(self.path.name + "-")]
        assert not leftovers, f"journal files left beside the store: {leftovers}"


@pytest.fixture
def store(tmp_path: Path, base_store: Path) -> Store:
    d = tmp_path / "store"
    d.mkdir()
    p = d / "store.db"
    shutil.copyfile(base_store, p)
    return Store(p, sha256_file(p))


def lines_of(doc: Path) -> list[str]:
    return doc.read_text(encoding="utf-8").split("\n")


def find_line(lines: list[str], pattern: str, start: int = 0) -> int:
    """0-based index of the first line matching ``pattern`` at or after ``start``."""
    rx = re.compile(pattern)
    for i in range(start, len(lines)):
        if rx.search(lines[i]):
            return i
    raise LookupError(pattern)


def refused(store: Store, bad: Path, *, line: int | None = None, words: tuple[str, ...] = ()) -> str:
    """Ingest ``bad`` by CLI and API: refused with file (and line), non-zero exit, store untouched."""
    from askbudget import build_store
    from askbudget.errors import IngestError

    t0 = time.perf_counter()
    r = run_cli(["ingest", str(bad), "--db", str(store.path)], timeout=120)
    took = time.perf_counter() - t0
    err = r.stderr
    assert r.returncode != 0, f"exit 0 for a bad document; stderr: {err[-500:]!r}"
    assert "Traceback" not in err and "Traceback" not in r.stdout, err[-2000:]
    assert bad.name in err, f"the error does not name the file: {err[-500:]!r}"
    if line is not None:
        assert f":{line}" in err, f"the error does not name line {line}: {err[-500:]!r}"
    for w in words:
        assert w.lower() in err.lower(), f"the error does not say {w!r}: {err[-500:]!r}"
    store.assert_untouched()
    with pytest.raises(IngestError) as ei:
        build_store([bad], store.path)
    e = ei.value
    assert Path(e.file).name == bad.name and e.reason
    if line is not None:
        assert e.line == line, f"IngestError.line {e.line}, expected {line}: {e}"
    store.assert_untouched()
    assert took < 30
    return err


def ingested_with_warning(store: Store, doc: Path, *, line: int, words: tuple[str, ...] = ()) -> str:
    """A usable document: exit 0, the store gains it, and a warning names the file and line."""
    r = run_cli_inprocess(["ingest", str(doc), "--db", str(store.path)])
    out = r.stdout + r.stderr
    assert r.returncode == 0, f"usable document refused: {out[-800:]!r}"
    assert "Traceback" not in out
    assert (f"{doc.name}:{line}" in out or f"{doc.stem}:{line}" in out
            or re.search(rf"(?:line|行)\s*{line}\b", out)), (
        f"no warning naming {doc.name} line {line}: {out[-800:]!r}")
    for w in words:
        assert w in out, f"the warning does not say {w!r}: {out[-800:]!r}"
    assert integrity_ok(store.path) == "ok"
    return out


# ---------------------------------------------------------------- truncation
#
# The ingest's documented rules (askbudget/ingest/document.py): a file is refused as truncated when a
# template table heading has no table under it, a table has headers but no rows and no 注 note, a
# two-sided summary table lacks its 总计 row on either side, a 绩效目标表 has no indicator rows, or
# the last line is a table row with no final newline; it is "not a disclosure" with no 预算年度 line.
# A cut that leaves only whole tables and whole paragraphs is usable: the tables it holds are
# ingested, and where the cut left a table's rows short of its 合计 the ingest's check reports it.


@dataclass(frozen=True)
class Cut:
    """Where to cut the real document: keep lines[:at] (+ half of lines[at] when ``mid_line``)."""
    at: Callable[[list[str]], int]
    mid_line: bool
    newline: bool  # end the file with a newline
    outcome: str  # "error" | "usable"
    line: Callable[[list[str], int], int | None]  # the line the error names (1-based), from (lines, n kept)
    words: tuple[str, ...] = ()


def _heading(lines: list[str], title: str) -> int:
    return find_line(lines, rf"^#+ .*{title}")


# tests/test_ingest_errors.py already cuts the file after a heading, inside the 收支总表, mid-row in the
# 收入总表, after a table's headers and inside a 绩效目标表; these are the other places, and the cuts the
# rules call usable.
CUTS: dict[str, Cut] = {
    "end: inside the last 固定资产 row, no final newline": Cut(
        lambda ls: find_line(ls, r"^六、家具"), True, False, "error", lambda ls, n: n, ("truncated",)),
    "end: inside the name cell of the last 固定资产 row (no tab left)": Cut(
        lambda ls: find_line(ls, r"^六、家具"), True, False, "usable", lambda ls, n: None),
    "mid-table at a row boundary: 收入总表 rows short of its 合计": Cut(
        lambda ls: find_line(ls, r"^4\t2040202", _heading(ls, "单位预算收入总表")) + 1, False, True, "usable",
        lambda ls, n: None),
    "mid-narrative: inside the 机关运行经费 paragraph": Cut(
        lambda ls: find_line(ls, r"日常公用经费192万元，包括"), True, True, "usable", lambda ls, n: None),
    "mid-narrative: between two 绩效目标表": Cut(
        lambda ls: _heading(ls, "大学生公寓村视频监控建设绩效目标表"), False, True, "usable", lambda ls, n: None),
}


def _write_cut(doc: Path, tmp: Path, name: str, cut: Cut) -> tuple[Path, int]:
    lines = lines_of(doc)
    at = cut.at(lines)
    if cut.mid_line:  # cut inside the row's figures when it has any (after its first tab), else mid-text
        line = lines[at]
        tab = line.find("\t")
        keep = tab + 3 if tab >= 0 and "name cell" not in name else max(1, min(len(line), tab % 1000) // 2)
        kept = lines[:at] + [line[:keep]]
    else:
        kept = lines[:at]
    p = tmp / ("cut-" + re.sub(r"[^a-z0-9]+", "-", name.split(":")[0]).strip("-") + ".txt")
    p.write_text("\n".join(kept) + ("\n" if cut.newline else ""), encoding="utf-8")
    return p, len(kept)


@pytest.mark.parametrize("name", list(CUTS))
def test_truncated_documents(store: Store, gongan_doc: Path, tmp_path: Path, name: str) -> None:
    cut = CUTS[name]
    doc, n_kept = _write_cut(gongan_doc, tmp_path, name, cut)
    line = cut.line(lines_of(gongan_doc), n_kept)
    if cut.outcome == "error":
        refused(store, doc, line=line, words=cut.words)
        return
    r = run_cli(["ingest", str(doc), "--db", str(store.path)])
    assert r.returncode == 0, f"usable cut refused: {r.stderr[-800:]!r}"
    assert "Traceback" not in r.stderr
    assert integrity_ok(store.path) == "ok"
    conn = sqlite3.connect(store.path)
    try:
        n_tables = conn.execute("SELECT count(*) FROM tables WHERE document_id = "
                                "(SELECT id FROM documents WHERE name = ?)", (doc.stem,)).fetchone()[0]
        assert n_tables >= 1
        if "合计" in name:  # the rows left do not add up to the 合计 the table prints: check must say so
            m = re.search(r"(\d+) mismatch", r.stdout + r.stderr)
            assert m and int(m.group(1)) > 0, f"no check mismatch reported: {(r.stdout + r.stderr)[-500:]!r}"
    finally:
        conn.close()


# ---------------------------------------------------------------- damaged tables and figures


def _edit(doc: Path, tmp: Path, name: str, pattern: str, fn: Callable[[str], str],
          after: str | None = None) -> tuple[Path, int]:
    lines = lines_of(doc)
    i = find_line(lines, pattern, find_line(lines, after) if after else 0)
    lines[i] = fn(lines[i])
    p = tmp / name
    p.write_text("\n".join(lines), encoding="utf-8")
    return p, i + 1


def test_table_row_missing_a_column(store: Store, gongan_doc: Path, tmp_path: Path) -> None:
    """基本支出表 row 30206 电费 with one cell dropped: its figures would shift into the wrong columns."""
    bad, line = _edit(gongan_doc, tmp_path, "missing-column.txt", r"^6\t30206\t电费",
                      lambda s: "\t".join(s.split("\t")[:-1]))
    _missing_column_outcome(store, bad, line)


def test_table_header_missing_a_column(store: Store, gongan_doc: Path, tmp_path: Path) -> None:
    """The 支出总表 header lost its 项目支出 column while the rows keep theirs."""
    bad, line = _edit(gongan_doc, tmp_path, "missing-header-column.txt", r"^序号\t功能分类科目\t\t合计\t基本支出\t项目支出",
                      lambda s: s.replace("\t项目支出", "", 1), after=r"^## 单位预算支出总表")
    _missing_column_outcome(store, bad, line)


def _missing_column_outcome(store: Store, bad: Path, line: int) -> None:
    """A row whose cells do not line up with its header is never taken silently: the file is refused
    naming the line, or ingested with a warning naming it, or the ingest's check reports the sums it
    breaks. (The conversion drops trailing empty cells, so a short row alone cannot be an error.)"""
    from askbudget.errors import IngestError
    from askbudget.ingest import build_store

    probe = store.path.parent.parent / "probe.db"
    try:
        build_store([bad], probe, quiet=True)
    except IngestError:
        refused(store, bad)
        return
    finally:
        probe.unlink(missing_ok=True)
    r = run_cli_inprocess(["ingest", str(bad), "--db", str(store.path)])
    out = r.stdout + r.stderr
    assert r.returncode == 0 and "Traceback" not in out, out[-800:]
    warned = f"{bad.stem}:{line}" in out or f"{bad.name}:{line}" in out
    m = re.search(r"(\d+) mismatch", out)
    assert warned or (m and int(m.group(1)) > 0), (
        f"a row out of line with its header was taken silently (no warning for line {line}, no check "
        f"mismatch): {out[-800:]!r}")
    assert integrity_ok(store.path) == "ok"


@pytest.mark.parametrize(("raw", "label"), [
    ("九十五", "Chinese numeral"), ("abc", "letters"), ("95.00.1", "two points"),
    ("NaN", "NaN"), ("inf", "inf"), ("-inf", "-inf"), ("1e400", "overflowing exponent"),
    ("95\u200b.00", "zero-width space"), ("#VALUE!", "spreadsheet error"), ("95.00<script>", "markup"),
])
def test_non_numeric_figure_is_a_warning_and_never_a_number(store: Store, gongan_doc: Path, tmp_path: Path,
                                                           raw: str, label: str) -> None:
    """电费 95.00 replaced by text: the document is usable, the warning names the line, and the store
    keeps the raw text with no number — never NaN, inf or a guess."""
    bad, line = _edit(gongan_doc, tmp_path, "non-numeric.txt", r"^6\t30206\t电费",
                      lambda s: s.replace("95.00", raw))
    ingested_with_warning(store, bad, line=line)
    conn = sqlite3.connect(store.path)
    try:
        vals = conn.execute("SELECT value, raw FROM cells WHERE line = ? AND raw = ? AND document_id = "
                            "(SELECT id FROM documents WHERE name = ?)", (line, raw, bad.stem)).fetchall()
        assert vals, "the raw text should be kept"
        assert all(v is None for v, _ in vals), f"{raw!r} stored as a number: {vals}"
        bad_numbers = conn.execute("SELECT count(*) FROM cells WHERE value IN (9e999, -9e999) OR "
                                   "(value IS NOT NULL AND value != value)").fetchone()[0]
        assert bad_numbers == 0, "inf/NaN in the store"
    finally:
        conn.close()


@pytest.mark.parametrize("raw", ["9５.00", "９５.００", "95", "95.0", "0095.00"])
def test_other_spellings_of_a_figure_read_as_that_figure(store: Store, gongan_doc: Path, tmp_path: Path,
                                                          raw: str) -> None:
    bad, line = _edit(gongan_doc, tmp_path, "spelling.txt", r"^6\t30206\t电费", lambda s: s.replace("95.00", raw))
    r = run_cli_inprocess(["ingest", str(bad), "--db", str(store.path)])
    assert r.returncode == 0, r.stderr[-800:]
    conn = sqlite3.connect(store.path)
    try:
        vals = conn.execute("SELECT value FROM cells WHERE line = ? AND raw = ? AND document_id = "
                            "(SELECT id FROM documents WHERE name = ?)", (line, raw, bad.stem)).fetchall()
    finally:
        conn.close()
    assert vals and all(v == 95.0 for (v,) in vals), vals


# ---------------------------------------------------------------- one document, two units or years


def _section(text: str, title: str) -> str:
    i = text.index(title)
    return text[i:text.index("\n## ", i + 1)]


def _refused_or_warned_at(store: Store, doc: Path, line: int) -> None:
    """Refused naming ``line``, or ingested with a warning naming it: never silent."""
    from askbudget.errors import IngestError
    from askbudget.ingest import build_store

    probe = store.path.parent.parent / "probe.db"
    try:
        build_store([doc], probe, quiet=True)
    except IngestError:
        refused(store, doc, line=line)
        return
    finally:
        probe.unlink(missing_ok=True)
    ingested_with_warning(store, doc, line=line)


def test_a_table_of_another_unit_spliced_in(store: Store, gongan_doc: Path, czj_doc: Path, tmp_path: Path) -> None:
    """The 基本支出表 of the 财政局 pasted into the 分局's document (a mis-assembled conversion): its
    figures must not silently become the 分局's. The line of the foreign unit header is named."""
    src, other = gongan_doc.read_text(encoding="utf-8"), czj_doc.read_text(encoding="utf-8")
    title = "## 单位预算一般公共预算财政拨款基本支出表"
    text = src.replace(_section(src, title), _section(other, title))
    doc = tmp_path / "spliced-unit.txt"
    doc.write_text(text, encoding="utf-8")
    lines = text.split("\n")
    line = find_line(lines, r"^121001 ", find_line(lines, "^" + title)) + 1
    _refused_or_warned_at(store, doc, line)


def test_a_table_of_another_year_spliced_in(store: Store, gongan_doc: Path, tmp_path: Path) -> None:
    """One table headed 预算年度：2022 inside a 2023 document: named, never silently merged."""
    src = gongan_doc.read_text(encoding="utf-8")
    lines = src.split("\n")
    i = find_line(lines, r"^预算年度", find_line(lines, r"^## 单位预算一般公共预算财政拨款基本支出表"))
    lines[i] = lines[i].replace("2023", "2022")
    doc = tmp_path / "spliced-year.txt"
    doc.write_text("\n".join(lines), encoding="utf-8")
    _refused_or_warned_at(store, doc, i + 1)


# How a table can say its figures are not in 万元: (the unit line it prints, ×factor on its figures,
# where the unit is written). Each: refused at the unit's line, or warned there and read right —
# 电费 is 95 万元 whatever the table prints. Never 950 000 万元.
UNIT_VARIANTS: dict[str, tuple[str, float, str]] = {
    "元 on the unit line": ("单位：元", 10_000, "line"),
    "千元 on the unit line": ("单位：千元", 10, "line"),
    "元 with an ASCII colon": ("单位:元", 10_000, "line"),
    "(单位：元) in brackets": ("（单位：元）", 10_000, "line"),
    "元 in the heading": ("", 10_000, "heading"),
    "元 in each column header": ("", 10_000, "column"),
    "美元 (not a known unit)": ("单位：美元", 1, "line"),
}


@pytest.mark.parametrize("name", list(UNIT_VARIANTS))
def test_a_table_in_another_money_unit(tmp_path: Path, gongan_doc: Path, name: str) -> None:
    """The 基本支出表 printed in another unit while the rest of the document is in 万元."""
    from askbudget.errors import IngestError
    from askbudget.ingest import build_store

    from hostile_util import to_wan

    unit_line, factor, where = UNIT_VARIANTS[name]
    text = gongan_doc.read_text(encoding="utf-8")
    title = "## 单位预算一般公共预算财政拨款基本支出表"
    sec = _section(text, title)

    def convert(line: str) -> str:
        if "\t" not in line:
            return line.replace("单位：万元", unit_line) if where == "line" else line
        cells = line.split("\t")
        return "\t".join(f"{float(c) * factor:.2f}" if k >= 3 and re.fullmatch(r"\d+\.\d+", c.strip()) else c
                         for k, c in enumerate(cells))

    new_sec = "\n".join(convert(x) for x in sec.split("\n"))
    if where == "heading":
        new_sec = new_sec.replace(title, title + "（单位：元）", 1).replace("单位：万元\n", "\n", 1)
    elif where == "column":
        new_sec = new_sec.replace("合计\t人员经费\t公用经费", "合计(元)\t人员经费(元)\t公用经费(元)")
    out = text.replace(sec, new_sec)
    doc = tmp_path / "other-unit.txt"
    doc.write_text(out, encoding="utf-8")
    lines = out.split("\n")
    table_start = find_line(lines, "^" + re.escape(title))
    db = tmp_path / "mixed.db"
    try:
        report = build_store([doc], db, quiet=True)
    except IngestError as e:
        assert e.line is not None and table_start < e.line <= table_start + 12, f"refused at line {e.line}: {e}"
        return
    assert any(table_start < w.line <= table_start + 30 for _, w in report.warnings), (
        f"{name}: read without a warning at the table's unit: {[(w.line, w.message) for _, w in report.warnings]}")
    from askbudget.assistant import Assistant

    answer = Assistant(str(db)).ask("电费多少")
    if answer.status == "answered" and answer.value is not None:
        wan = to_wan(answer.value, answer.unit)
        assert wan is not None and abs(wan - 95.0) <= 0.005, (
            f"{name}: 电费 read as {answer.value} {answer.unit} ({answer.text!r}); the table said 95 万元 in {name}")


# The narrative's year-over-year sentence written other ways (the 财政局's "一般公共预算拨款784.84万元，
# 较2022年增加32.48万元"): the 2022 figure derived from it is right, or not given — never another.
YOY_WORDINGS: dict[str, tuple[str, float | None]] = {
    "比上年增加": ("一般公共预算拨款784.84万元，比上年增加32.48万元", 752.36),
    "同比增加": ("一般公共预算拨款784.84万元，同比增加32.48万元", 752.36),
    "与2022年相比增加": ("一般公共预算拨款784.84万元，与2022年相比增加32.48万元", 752.36),
    "base stated": ("一般公共预算拨款784.84万元，较2022年的752.36万元增加32.48万元", 752.36),
    "compared with 2021": ("一般公共预算拨款784.84万元，较2021年增加32.48万元", None),
    "比2022年多": ("一般公共预算拨款784.84万元，比2022年多32.48万元", 752.36),
    "比2022年少": ("一般公共预算拨款784.84万元，比2022年少32.48万元", 817.32),
    "percent down": ("一般公共预算拨款784.84万元，较2022年下降4.32%", 820.28),
    "2022 stated": ("一般公共预算拨款784.84万元，2022年为752.36万元", 752.36),
    "持平": ("一般公共预算拨款784.84万元，与上年持平", 784.84),
    "a reason with a figure": ("一般公共预算拨款784.84万元，主要是因为新增人员2名增加经费32.48万元", None),
}


@pytest.mark.parametrize("name", list(YOY_WORDINGS))
def test_last_year_from_other_wordings(tmp_path: Path, czj_doc: Path, name: str) -> None:
    from askbudget.assistant import Assistant
    from askbudget.ingest import build_store

    from hostile_util import to_wan

    original = "一般公共预算拨款784.84万元，较2022年增加32.48万元"
    text = czj_doc.read_text(encoding="utf-8")
    assert original in text
    sentence, want = YOY_WORDINGS[name]
    doc = tmp_path / "yoy.txt"
    doc.write_text(text.replace(original, sentence), encoding="utf-8")
    db = tmp_path / "yoy.db"
    build_store([doc], db, quiet=True)
    answer = Assistant(str(db)).ask("2022年一般公共预算拨款是多少")
    if answer.status != "answered" or answer.value is None:
        return
    got = to_wan(answer.value, answer.unit)
    assert want is not None, f"{name}: no 2022 figure can be read from {sentence!r}, answered {answer.text!r}"
    assert got is not None and abs(got - want) <= 0.05, f"{name}: {answer.text!r}; from {sentence!r} it is {want}"


# ---------------------------------------------------------------- duplicates


def _content(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """The store's content without ids, times and paths (what a re-ingest may legitimately renew)."""
    conn = sqlite3.connect(db)
    try:
        out = {}
        # the search index's shadow tables hold its internal layout (segments), not content: the index
        # is compared by its own rows (``search_fts``)
        for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"):
            if t.startswith("search_fts_"):
                continue
            cols = [r[1] for r in conn.execute(f'PRAGMA table_info("{t}")')
                    if r[1] not in {"id", "document_id", "table_id", "row_id", "section_id", "ingested_at",
                                    "source_path"}]
            if not cols:
                continue
            sel = ", ".join(f'"{c}"' for c in cols)
            out[t] = sorted(conn.execute(f'SELECT {sel} FROM "{t}"').fetchall(), key=repr)
        return out
    finally:
        conn.close()


def test_same_path_twice_in_one_run(tmp_path: Path, gongan_doc: Path, base_store: Path) -> None:
    """The same path listed twice (test_ingest_errors covers a copy under another name): stored once
    or refused; never doubled figures."""
    db = tmp_path / "twice.db"
    r = run_cli(["ingest", str(gongan_doc), str(gongan_doc), "--db", str(db)])
    assert "Traceback" not in r.stderr
    if r.returncode != 0:
        assert gongan_doc.name in r.stderr
        assert not db.exists() or _content(db).get("documents", []) == []
        return
    assert _content(db) == _content(base_store)


def test_another_unit_with_the_same_code_does_not_silently_replace(store: Store, czj_doc: Path,
                                                                  tmp_path: Path) -> None:
    """A re-ingest replaces the document of the same unit code and year — but a document whose code
    collides while its unit name differs (a typo'd or reused code) is another unit: refused, or at least
    warned about naming both units. Silently deleting the 分局's figures is data loss."""
    doc = tmp_path / "other-unit-same-code.txt"
    doc.write_text(czj_doc.read_text(encoding="utf-8").replace("121001 ", "122001 "), encoding="utf-8")
    r = run_cli(["ingest", str(doc), "--db", str(store.path)])
    out = r.stdout + r.stderr
    assert "Traceback" not in out
    if r.returncode != 0:
        assert doc.name in r.stderr
        store.assert_untouched()
        return
    assert "公安" in out and "财政局" in out, (
        f"the 分局's document was replaced by another unit's without a word: {out[-600:]!r}")


def test_reingest_is_idempotent(tmp_path: Path, gongan_doc: Path, czj_doc: Path) -> None:
    db = tmp_path / "again.db"
    assert run_cli(["ingest", str(gongan_doc), str(czj_doc), "--db", str(db)]).returncode == 0
    first = _content(db)
    for _ in range(3):
        r = run_cli(["ingest", str(gongan_doc), "--db", str(db)])
        assert r.returncode == 0, r.stderr[-500:]
    assert _content(db) == first
    assert integrity_ok(db) == "ok"


def test_failed_run_with_good_and_bad_files_leaves_nothing(store: Store, gongan_doc: Path, czj_doc: Path,
                                                           tmp_path: Path) -> None:
    """Atomic per run: a good document before a bad one is not half-kept."""
    bad = tmp_path / "zz-empty.txt"
    bad.write_text("", encoding="utf-8")
    r = run_cli(["ingest", str(czj_doc), str(bad), "--db", str(store.path)])
    assert r.returncode != 0 and bad.name in r.stderr and "Traceback" not in r.stderr
    store.assert_untouched()


# ---------------------------------------------------------------- big, endless and odd files


def _peak_rss_kb(args: list[str]) -> tuple[int, float, subprocess.CompletedProcess[str]]:
    """Run the CLI in a child that reports its own peak RSS (kB) on its last stderr line."""
    if not Path("/proc/self/status").is_file():
        pytest.skip("needs /proc to measure peak memory")
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss across fork+exec, so it would report the parent's size
    code = ("import re, sys\n"
            "from askbudget.cli import _guarded, run\n"
            "rc = _guarded(run, sys.argv[1:])\n"
            "hwm = re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1)\n"
            "print('PEAK', hwm, file=sys.stderr)\n"
            "sys.exit(rc)\n")
    env = dict(os.environ, PYTHONPATH=str(ROOT), NO_COLOR="1")
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120,
                       cwd=str(ROOT), env=env)
    took = time.perf_counter() - t0
    m = re.search(r"PEAK (\d+)", r.stderr)
    assert m, r.stderr[-2000:]
    return int(m.group(1)), took, r


def test_50mb_file_refused_quickly_without_reading_it_whole(store: Store, gongan_doc: Path,
                                                            tmp_path: Path) -> None:
    big = tmp_path / "huge-50mb.txt"
    unit = gongan_doc.read_bytes()
    with open(big, "wb") as f:
        while f.tell() < 50 * 1024 * 1024:
            f.write(unit)
    small = tmp_path / "tiny-bad.txt"
    small.write_text("x\n", encoding="utf-8")
    base_kb, _, _ = _peak_rss_kb(["ingest", str(small), "--db", str(store.path)])
    peak_kb, took, r = _peak_rss_kb(["ingest", str(big), "--db", str(store.path)])
    assert r.returncode != 0 and big.name in r.stderr and "Traceback" not in r.stderr, r.stderr[-800:]
    assert took < 10, f"took {took:.1f} s to refuse a 50 MB file"
    grew_mb = (peak_kb - base_kb) / 1024
    print(f"\n[hostile documents] 50 MB file refused in {took:.2f} s; peak RSS {base_kb // 1024} MB for a "
          f"tiny file, {peak_kb // 1024} MB for the 50 MB one")
    assert grew_mb < 25, f"peak memory grew {grew_mb:.0f} MB refusing a 50 MB file: it was read whole"
    store.assert_untouched()


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_endless_device_refused_quickly(store: Store, device: str) -> None:
    if not Path(device).exists():
        pytest.skip(f"no {device}")
    t0 = time.perf_counter()
    try:
        r = run_cli(["ingest", device, "--db", str(store.path)], timeout=10, memory_mb=1500)
    except subprocess.TimeoutExpired:
        pytest.fail(f"ingest {device} did not stop within 10 s (reads an endless file)")
    assert r.returncode != 0 and "Traceback" not in r.stderr, r.stderr[-800:]
    assert Path(device).name in r.stderr
    assert time.perf_counter() - t0 < 10
    store.assert_untouched()


def test_a_fifo_with_no_writer_does_not_hang(store: Store, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    try:
        r = run_cli(["ingest", str(fifo), "--db", str(store.path)], timeout=10)
    except subprocess.TimeoutExpired:
        pytest.fail("ingest of a FIFO blocked for 10 s (opening it waits for a writer)")
    assert r.returncode != 0 and "Traceback" not in r.stderr, r.stderr[-800:]
    store.assert_untouched()


@pytest.mark.parametrize("what", ["directory", "missing", "the store itself", "unreadable"])
def test_odd_paths(store: Store, tmp_path: Path, what: str) -> None:
    if what == "directory":
        p = tmp_path / "a-directory.txt"
        p.mkdir()
    elif what == "missing":
        p = tmp_path / "no-such-file.txt"
    elif what == "the store itself":
        p = store.path
    else:
        if os.geteuid() == 0:
            pytest.skip("root reads any file")
        p = tmp_path / "locked.txt"
        p.write_text("x", encoding="utf-8")
        p.chmod(0)
    r = run_cli(["ingest", str(p), "--db", str(store.path)])
    assert r.returncode != 0 and "Traceback" not in r.stderr, r.stderr[-800:]
    assert p.name in r.stderr
    store.assert_untouched()


def test_store_path_is_not_a_store(tmp_path: Path, gongan_doc: Path) -> None:
    """--db pointing at a text file must not overwrite it."""
    victim = tmp_path / "notes.txt"
    victim.write_text("important notes\n" * 100, encoding="utf-8")
    before = victim.read_bytes()
    r = run_cli(["ingest", str(gongan_doc), "--db", str(victim)])
    assert r.returncode != 0 and "Traceback" not in r.stderr, r.stderr[-800:]
    assert victim.read_bytes() == before


def test_odd_file_names(tmp_path: Path, gongan_doc: Path) -> None:
    name = "单位 预算 (副本) ;rm -rf ~ $HOME `x`.txt"
    p = tmp_path / name
    shutil.copyfile(gongan_doc, p)
    db = tmp_path / "odd.db"
    r = run_cli(["ingest", str(p), "--db", str(db)])
    assert r.returncode == 0, r.stderr[-800:]
    assert integrity_ok(db) == "ok"


def test_bom_and_crlf_give_the_same_store(tmp_path: Path, gongan_doc: Path, base_store: Path) -> None:
    """A Windows-saved copy (UTF-8 BOM, CRLF) is the same document: the whole store equal, every
    figure and line number (test_ingest_errors compares the cell count)."""
    p = tmp_path / gongan_doc.name
    p.write_bytes(b"\xef\xbb\xbf" + gongan_doc.read_bytes().replace(b"\n", b"\r\n"))
    db = tmp_path / "crlf.db"
    r = run_cli(["ingest", str(p), "--db", str(db)])
    assert r.returncode == 0, r.stderr[-800:]
    a, b = _content(db), _content(base_store)
    a.pop("documents", None), b.pop("documents", None)
    a.pop("meta", None), b.pop("meta", None)
    assert a == b


def test_huge_table_ingests_in_bounded_time(tmp_path: Path, gongan_doc: Path) -> None:
    """A 基本支出表 with 20 000 extra rows (about 1 MB): ingested (or refused) in seconds, not minutes."""
    lines = lines_of(gongan_doc)
    i = find_line(lines, r"^8\t30214\t租赁费")
    extra = [f"{9 + k}\t302{k % 100:02d}\t项目{k}\t1.00\t\t1.00" for k in range(20_000)]
    p = tmp_path / "huge-table.txt"
    p.write_text("\n".join(lines[: i + 1] + extra + lines[i + 1:]), encoding="utf-8")
    db = tmp_path / "huge.db"
    t0 = time.perf_counter()
    r = run_cli(["ingest", str(p), "--db", str(db)], timeout=120)
    took = time.perf_counter() - t0
    assert "Traceback" not in r.stderr, r.stderr[-2000:]
    assert took < 60, f"{took:.1f} s"
    if r.returncode == 0:
        assert integrity_ok(db) == "ok"


def test_one_very_long_line(tmp_path: Path, gongan_doc: Path, store: Store) -> None:
    """A 5 MB line in the narrative (under the size limit): handled in bounded time, no traceback."""
    lines = lines_of(gongan_doc)
    i = find_line(lines, r"^按照预算管理有关规定")
    lines[i] = lines[i] + "很长" * 2_500_000
    p = tmp_path / "long-line.txt"
    p.write_text("\n".join(lines), encoding="utf-8")
    t0 = time.perf_counter()
    r = run_cli(["ingest", str(p), "--db", str(store.path)], timeout=120)
    assert time.perf_counter() - t0 < 60
    assert "Traceback" not in r.stderr, r.stderr[-2000:]
    assert integrity_ok(store.path) == "ok"


PATHOLOGICAL_LINES = {
    "a run of 30 000 digits": "1" * 30_000,
    "one subject stated 3 000 times in one line": "一般公共预算拨款4327.18万元，" * 3_000,
    "20 000 changes in one line": "较2022年增加5万元" * 20_000,
    "50 000 nested brackets": "（" * 50_000 + "）" * 50_000,
}


@pytest.mark.parametrize("name", list(PATHOLOGICAL_LINES))
def test_pathological_narrative_line_is_bounded(tmp_path: Path, gongan_doc: Path, name: str) -> None:
    """A narrative paragraph built to make the statement extractor work hard (well under the size
    limit): ingested or refused in seconds, and the store stays proportionate to the document —
    a figure's ``sentence`` must not copy a whole 100 kB paragraph once per mention."""
    lines = lines_of(gongan_doc)
    i = find_line(lines, r"^按照预算管理有关规定")
    lines[i] = lines[i] + PATHOLOGICAL_LINES[name]
    doc = tmp_path / "pathological.txt"
    doc.write_text("\n".join(lines), encoding="utf-8")
    db = tmp_path / "p.db"
    t0 = time.perf_counter()
    try:
        r = run_cli(["ingest", str(doc), "--db", str(db)], timeout=10, memory_mb=2000)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{name}: ingest of a {doc.stat().st_size // 1024} kB document ran over 10 s")
    took = time.perf_counter() - t0
    assert "Traceback" not in r.stderr, r.stderr[-1500:]
    if r.returncode == 0:
        ratio = db.stat().st_size / doc.stat().st_size
        assert ratio < 20, (f"{name}: a {doc.stat().st_size // 1024} kB document made a "
                            f"{db.stat().st_size // (1 << 20)} MB store ({ratio:.0f}×)")
    assert took < 10


# ---------------------------------------------------------------- a damaged cache


def _damage(path: Path, how: str) -> None:
    data = path.read_bytes()
    path.write_bytes({"truncated": data[: max(1, len(data) // 3)], "garbage": b"garbage\n\x00\xff",
                      "empty": b""}[how])


@pytest.mark.parametrize("how", ["truncated", "garbage", "empty"])
@pytest.mark.parametrize("which", ["default store", "tokenizer dictionary", "every cache file"])
def test_a_damaged_cache_is_rebuilt(tmp_path: Path, which: str, how: str) -> None:
    """The per-user cache (the default store built from data/, the tokenizer dictionary, the
    vocabulary) is derived data: a damaged file there (a crash, a full disk, bit rot) is rebuilt, and
    ``ask`` still answers — never a traceback, never a store that stays broken until someone finds
    and deletes the file by hand."""
    env = {"ASKBUDGET_CACHE_DIR": str(tmp_path / "cache")}
    first = run_cli(["ask", "--json", "分局电费多少"], env=env)
    assert first.returncode == 0, first.stderr[-800:]
    cache = tmp_path / "cache"
    files = [p for p in cache.rglob("*") if p.is_file()]
    if which == "default store":
        targets = [p for p in files if p.name.startswith("default-") and p.suffix == ".db"]
    elif which == "tokenizer dictionary":
        targets = [p for p in files if p.parent.name == "jieba"]
    else:
        targets = files
    assert targets, f"no {which} in the cache: {[p.name for p in files]}"
    for p in targets:
        _damage(p, how)
    again = run_cli(["ask", "--json", "分局电费多少"], env=env)
    assert "Traceback" not in again.stderr, f"{which} {how}: {again.stderr[-1500:]}"
    assert again.returncode == 0, f"{which} {how}: exit {again.returncode}: {again.stderr[-500:]!r}"
    assert json.loads(again.stdout)["value"] == json.loads(first.stdout)["value"]


# ---------------------------------------------------------------- disk full mid-write


@pytest.mark.slow
def test_disk_full_mid_write_leaves_a_readable_unchanged_store(tmp_path: Path, gongan_doc: Path,
                                                              base_store: Path) -> None:
    """The disk fills up while the ingest writes (RLIMIT_FSIZE on the child): a clear error, exit 1,
    and the store as it was — readable at once by the read-only side (``ask``, the web service),
    not only after some later read-write open happens to roll a leftover journal back."""
    import resource

    docs_dir = tmp_path / "docs"
    docs_dir.mkdir()
    docs = _many_documents(gongan_doc, docs_dir, 20)
    d = tmp_path / "full"
    d.mkdir()
    db = d / "store.db"
    shutil.copyfile(base_store, db)
    sha, before = sha256_file(db), store_dump(db)
    cap = db.stat().st_size + 200_000

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (cap, cap))

    env = dict(os.environ, PYTHONPATH=str(ROOT), NO_COLOR="1")
    r = subprocess.run([sys.executable, "-m", "askbudget", "ingest", *map(str, docs), "--db", str(db)],
                       capture_output=True, text=True, env=env, cwd=str(ROOT), timeout=120, preexec_fn=limit)
    assert r.returncode != 0 and "Traceback" not in r.stderr, r.stderr[-1500:]
    assert str(db) in r.stderr or db.name in r.stderr
    leftovers = sorted(p.name for p in d.iterdir() if p != db)
    ask = run_cli(["ask", "--db", str(db), "--json", "分局电费多少"])
    assert ask.returncode == 0, (f"after a failed ingest the read-only side cannot open the store "
                                 f"(left beside it: {leftovers}): {ask.stderr[-400:]!r}")
    assert store_dump(db) == before and sha256_file(db) == sha
    assert integrity_ok(db) == "ok"


# ---------------------------------------------------------------- a hostile environment


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "1e400", "abc", "", "-1"])
def test_odd_setting_values_never_crash(tmp_path: Path, gongan_doc: Path, value: str) -> None:
    """Every ASKBUDGET_<SETTING> set to a value that is no sensible limit: ingest and ask run (the
    default, or a clear refusal), never a traceback."""
    from askbudget import settings

    env = {f"ASKBUDGET_{s.name}": value for s in settings.SETTINGS}
    db = tmp_path / "env.db"
    for args in (["ingest", str(gongan_doc), "--db", str(db)], ["ask", "--db", str(db), "分局电费多少"]):
        r = run_cli(args, env=env)
        assert "Traceback" not in r.stderr, f"{value!r}: {' '.join(args[:1])}: {r.stderr[-600:]}"
        assert r.returncode in (0, 1, 2)


# ---------------------------------------------------------------- killed mid-write


def _many_documents(doc: Path, tmp: Path, n: int) -> list[Path]:
    """n copies of the document as n different units (distinct unit codes), so none replaces another."""
    text = doc.read_text(encoding="utf-8")
    out = []
    for k in range(n):
        code = f"122{100 + k:03d}"
        t = text.replace("122001 ", f"{code} ")
        p = tmp / f"unit-{code}.txt"
        p.write_text(t, encoding="utf-8")
        out.append(p)
    return out


def _writing(db: Path, before: tuple[int, int]) -> bool:
    """Signs that the ingest is writing the store: a journal/WAL/temp file beside it, or the file moved."""
    for p in db.parent.iterdir():
        if p != db:
            return True
    try:
        st = db.stat()
    except FileNotFoundError:
        return True
    return (st.st_size, st.st_mtime_ns) != before


@pytest.mark.slow
def test_killed_ingest_leaves_the_store_as_it_was(tmp_path: Path, gongan_doc: Path, base_store: Path) -> None:
    docs_dir = tmp_path / "docs"
    docs_dir.mkdir()
    docs = _many_documents(gongan_doc, docs_dir, 40)
    env = dict(os.environ, PYTHONPATH=str(ROOT), NO_COLOR="1")
    caught = 0
    attempts = []
    readers_refused: list[str] = []
    for attempt, extra in enumerate([0, 0.005, 0.03, 0.1]):
        d = tmp_path / f"kill{attempt}"
        d.mkdir()
        db = d / "store.db"
        shutil.copyfile(base_store, db)
        sha, before = sha256_file(db), store_dump(db)
        st = db.stat()
        proc = subprocess.Popen([sys.executable, "-m", "askbudget", "ingest", *map(str, docs), "--db", str(db)],
                                cwd=str(ROOT), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        t0 = time.monotonic()
        seen = False
        while proc.poll() is None and time.monotonic() - t0 < 60:
            if _writing(db, (st.st_size, st.st_mtime_ns)):
                seen = True
                break
            time.sleep(0.0005)
        time.sleep(extra)
        mid = proc.poll() is None and _writing(db, (st.st_size, st.st_mtime_ns))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        left = sorted(p.name for p in d.iterdir() if p != db)
        attempts.append((extra, seen, mid, left))
        if not mid:
            continue
        caught += 1
        # what a reader (the Assistant, the web service) sees first: read-only, before any recovery
        from askbudget.errors import StoreError
        from askbudget.store import open_readonly

        try:
            conn = open_readonly(db)
            n_docs = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
            conn.close()
        except StoreError as e:
            readers_refused.append(f"attempt {attempt}: {e}")
        else:
            assert n_docs == len(before["documents"]), f"a reader sees {n_docs} documents after the kill"
        # then recovery (any read-write open rolls a hot journal back) and the comparison
        conn = sqlite3.connect(db)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.close()
        assert integrity_ok(db) == "ok"
        assert store_dump(db) == before, f"attempt {attempt}: the store's content changed after a kill"
        assert sha256_file(db) == sha, f"attempt {attempt}: the store's bytes changed after a kill"
        # the next ingest still works on it
        r = run_cli(["ingest", str(docs[0]), "--db", str(db)])
        assert r.returncode == 0, r.stderr[-800:]
    assert caught >= 2, f"never caught the ingest mid-write: {attempts}"
    assert not readers_refused, ("after a killed ingest the read-only side (ask, the web service) cannot "
                                 "open the store until a read-write open rolls the journal back:\n"
                                 + "\n".join(readers_refused))
    print(f"\n[hostile documents] killed ingest: {caught} of {len(attempts)} kills landed mid-write: {attempts}")

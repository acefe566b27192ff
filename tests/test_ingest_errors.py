"""Malformed input: each case asserts the error (file, line, reason) and that the store is untouched.

The store is built from the real document first; a failing run that also carries a good file must
leave its bytes exactly as they were — and a store that did not exist must still not exist.
"""
from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Callable

import pytest

from askbudget.errors import IngestError
from askbudget.ingest import build_store, parse_file


def _lines(p: Path) -> list[str]:
    return p.read_text(encoding="utf-8").split("\n")


def _head(p: Path, n: int, newline: bool = True) -> bytes:
    """The first n lines of p (a file cut short)."""
    text = "\n".join(_lines(p)[:n])
    return (text + ("\n" if newline else "")).encode("utf-8")


def _replace(p: Path, old: str, new: str) -> bytes:
    text = p.read_text(encoding="utf-8")
    assert text.count(old) == 1
    return text.replace(old, new).encode("utf-8")


# name -> (content from the real document, expected line or None, words the message must contain)
CASES: dict[str, tuple[Callable[[Path], bytes], int | None, tuple[str, ...]]] = {
    "empty": (lambda p: b"", None, ("empty file",)),
    "blank": (lambda p: b"\n\n  \n", None, ("empty file",)),
    "binary": (lambda p: b"GIF89a\n\x00\x01\x02binary", 2, ("binary file", "NUL")),
    # a file with the PDF signature is read as a PDF (tests/test_pdf.py has the other PDF errors)
    "damaged-pdf": (lambda p: b"%PDF-1.7\n\x00\x01\x02binary", None, ("not a readable PDF", "damaged")),
    "gbk": (lambda p: p.read_text(encoding="utf-8").encode("gbk"), 3, ("GBK", "iconv")),
    "undecodable": (lambda p: b"\xff\xfe\xff\xfe budget\n", 1, ("not UTF-8",)),
    "no-year": (lambda p: "# 通知\n\n这是一份会议通知，不是预算公开。\n".encode("utf-8"), None, ("not a budget disclosure", "预算年度")),
    "no-unit-header": (lambda p: "# 单位预算收入总表\n\n预算年度：2023\n\n单位：万元\n\n序号\t项目\t合计\n1\t合计\t1.00\n"
                       .encode("utf-8"), None, ("not a budget disclosure", "unit header")),
    "no-known-table": (lambda p: "# 会议纪要\n\n122001 某单位\n\n预算年度：2023\n\n正文。\n".encode("utf-8"), None,
                       ("no known table",)),
    # a table heading (and its unit block) with nothing under it
    "cut-after-heading": (lambda p: _head(p, 94), 87, ("truncated", "单位预算支出总表")),
    # 收支总表 cut after its first page: no 收入总计 / 支出总计
    "cut-summary": (lambda p: _head(p, 36), 36, ("truncated", "总计")),
    # the last line is half a row and the file has no final newline
    "cut-mid-row": (lambda p: _head(p, 79) + "4\t2040202\t一般行政管".encode("utf-8"), 80, ("middle of a table row",)),
    # column headers, then nothing: no rows and no 注
    "cut-empty-table": (lambda p: _head(p, 246), 246, ("no rows and no 注",)),
    # a 绩效目标表 with its goal and header but no indicator
    "cut-performance": (lambda p: _head(p, 428), 425, ("no indicator rows",)),
}


@pytest.fixture
def store(tmp_path: Path, gongan_doc: Path) -> Path:
    db = tmp_path / "store.db"
    build_store([gongan_doc], db, quiet=True)
    return db


@pytest.mark.parametrize("case", list(CASES))
def test_bad_file_leaves_store_unchanged(case: str, tmp_path: Path, gongan_doc: Path, czj_doc: Path,
                                         store: Path) -> None:
    make, line, words = CASES[case]
    bad = tmp_path / f"{case}.txt"
    bad.write_bytes(make(gongan_doc))
    before = store.read_bytes()
    with pytest.raises(IngestError) as ei:
        build_store([czj_doc, bad], store, quiet=True)
    e = ei.value
    assert e.file == str(bad)
    assert e.line == line
    for w in words:
        assert w in e.reason, e.reason
    assert str(e).startswith(f"{bad}:{line}: " if line else f"{bad}: ")
    assert store.read_bytes() == before


@pytest.mark.parametrize("case", ["gbk", "cut-summary"])
def test_failed_run_creates_no_store(case: str, tmp_path: Path, gongan_doc: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(CASES[case][0](gongan_doc))
    db = tmp_path / "new.db"
    with pytest.raises(IngestError):
        build_store([gongan_doc, bad], db, quiet=True)
    assert not db.exists()


def test_too_large(tmp_path: Path, gongan_doc: Path, store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASKBUDGET_MAX_DOCUMENT_BYTES", "1000")
    before = store.read_bytes()
    with pytest.raises(IngestError) as ei:
        build_store([gongan_doc], store, quiet=True)
    assert "too large" in ei.value.reason and "1000" in ei.value.reason
    assert store.read_bytes() == before


def test_missing_file(tmp_path: Path, store: Path) -> None:
    before = store.read_bytes()
    with pytest.raises(IngestError) as ei:
        build_store([tmp_path / "nope.txt"], store, quiet=True)
    assert "cannot read" in ei.value.reason
    assert store.read_bytes() == before


def test_same_document_twice_in_one_run(tmp_path: Path, gongan_doc: Path) -> None:
    copy = tmp_path / "copy.txt"
    copy.write_bytes(gongan_doc.read_bytes())
    with pytest.raises(IngestError) as ei:
        build_store([gongan_doc, copy], tmp_path / "d.db", quiet=True)
    assert "same unit 122001 and year 2023" in ei.value.reason
    assert not (tmp_path / "d.db").exists()


def test_text_in_figure_column_is_a_warning(tmp_path: Path, gongan_doc: Path) -> None:
    p = tmp_path / "text.txt"
    p.write_bytes(_replace(gongan_doc, "30205\t水费\t24.00\t\t24.00", "30205\t水费\t待定\t\t24.00"))
    doc = parse_file(p)
    assert len(doc.warnings) == 1 and doc.warnings[0].line == 215 and "待定" in doc.warnings[0].message
    row = next(r for t in doc.tables for r in t.rows if r.code == "30205")
    assert (row.cells[0].raw, row.cells[0].value) == ("待定", None)


def test_crlf_and_bom_are_fine(tmp_path: Path, gongan_doc: Path) -> None:
    p = tmp_path / "crlf.txt"
    p.write_bytes(b"\xef\xbb\xbf" + gongan_doc.read_bytes().replace(b"\n", b"\r\n"))
    doc = parse_file(p)
    assert doc.n_cells == parse_file(gongan_doc).n_cells


def test_not_a_store(tmp_path: Path, gongan_doc: Path) -> None:
    from askbudget.errors import StoreError

    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    before = junk.read_bytes()
    with pytest.raises(StoreError):
        build_store([gongan_doc], junk, quiet=True)
    assert junk.read_bytes() == before


def test_cli_error_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    db = tmp_path / "cli.db"
    r = subprocess.run([sys.executable, "-m", "askbudget", "ingest", str(bad), "--db", str(db)],
                       capture_output=True, text=True, cwd=Path(__file__).resolve().parent.parent)
    assert r.returncode == 1
    assert r.stderr.strip() == f"error: {bad}: empty file: expected a budget disclosure (单位预算公开) text"
    assert "Traceback" not in r.stderr and not db.exists()


# ---------------------------------------------------------------- property: never a crash

from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

from askbudget.ingest import parse_bytes  # noqa: E402
from askbudget.ingest.model import Document  # noqa: E402

_REAL = (Path(__file__).resolve().parent.parent / "data" / "gaoxin-gongan-2023.txt").read_text(encoding="utf-8").split("\n")


@st.composite
def _mangled(draw: st.DrawFn) -> bytes:
    lines = list(_REAL)
    for _ in range(draw(st.integers(0, 6))):
        op = draw(st.sampled_from(["drop", "dup", "cut", "swap", "tabs", "noise"]))
        i = draw(st.integers(0, len(lines) - 1))
        if op == "drop":
            del lines[i: i + draw(st.integers(1, 40))]
        elif op == "dup":
            lines[i:i] = lines[i: i + draw(st.integers(1, 20))]
        elif op == "cut":
            lines = lines[: max(1, i)]
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "tabs":
            lines[i] = lines[i].replace("\t", "\t\t") if draw(st.booleans()) else lines[i].replace("\t", "", 2)
        else:
            lines[i] = draw(st.text(max_size=30))
        if not lines:
            lines = [""]
    return "\n".join(lines).encode("utf-8", "surrogatepass")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_mangled())
def test_mangled_documents_parse_or_fail_cleanly(data: bytes) -> None:
    try:
        doc = parse_bytes(data, "mangled.txt")
    except IngestError as e:
        assert e.file == "mangled.txt" and e.reason
        return
    assert isinstance(doc, Document)
    for t in doc.tables:
        for r in t.rows:
            for c in r.cells:
                assert c.value is None or c.value == c.value  # never NaN


@pytest.mark.parametrize("edit,refused", [
    (lambda t: t.replace("121001 ", "122001 ").replace("\n121 ", "\n122 "), True),   # another unit, same code
    (lambda t: t, False),                                                              # the same unit again
    (lambda t: t.replace("(本级)", "（本级）"), False),                               # bracket width only
])
def test_a_colliding_unit_code_never_replaces_another_unit(tmp_path: Path, gongan_doc: Path, czj_doc: Path,
                                                            edit: Callable[[str], str], refused: bool) -> None:
    """Re-ingest replaces the document of the same unit code and year only when the unit is the same:
    a code that collides while the unit name differs is refused naming both units, the store unchanged."""
    db = tmp_path / "s.db"
    build_store([czj_doc if not refused else gongan_doc], db, quiet=True)
    before = db.read_bytes()
    p = tmp_path / "again.txt"
    p.write_text(edit(czj_doc.read_text(encoding="utf-8")), encoding="utf-8")
    if refused:
        with pytest.raises(IngestError) as ei:
            build_store([p], db, quiet=True)
        assert "公安" in ei.value.reason and "财政局" in ei.value.reason and p.name in ei.value.file
        assert db.read_bytes() == before
    else:
        report = build_store([p], db, quiet=True)
        assert len(report.documents) == 1
        conn = sqlite3.connect(db)
        assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
        conn.close()

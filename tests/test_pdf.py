"""PDF in (askbudget/ingest/pdf.py): the page text a PDF gives, ingest of a PDF, and its errors.

- Round trip: each test document as text and as its PDF rendering (``tests/data/<stem>.pdf``, printed
  by ``tools/render_pdf.py`` with headless Chromium: ruled tables, merged header cells, wrapped cells,
  tables split over pages) gives the same store — every table, row and cell, section, statement,
  fact, term and check — line numbers aside; and the seed's bank asked of the seed PDF scores.
- Real PDFs (``tests/data/putuo-*-2024-final.pdf`` and ``template-final-2024.pdf``: copies of
  ``../shared/corpus/pdf``, as published, from three office programs): their ruled tables as the
  reader gives them (title, header cells, rows of figures), cell by cell against what the PDF prints
  (checked with ``pdftotext -layout`` and page images).
- Errors: a damaged, encrypted, scanned (images only) or blank PDF, and a PDF of a template the parser
  does not read, each a one-line error with nothing written; progress per page on a terminal only.
"""
from __future__ import annotations

import json
import os
import pty
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from askbudget import build_store
from askbudget.assistant import Assistant
from askbudget.errors import IngestError
from askbudget.ingest.pdf import is_pdf, page_of_line, read_pdf

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
RENDERED = ["gaoxin-gongan-2023", "fengnan-weijian-2024", "gaoxin-jiaoyu-2024", "lunan-sanzhong-2025",
            "tangshan-gaoxin-czj-2022", "tangshan-gaoxin-czj-2023"]
# columns that say where a record was read from, not what it is: they differ between text and PDF
# (the text conversion has no pages; the PDF's records carry theirs)
WHERE = {"line", "line_start", "line_end", "n_lines", "sha256", "source_path", "ingested_at",
         "page", "page_start", "page_end", "n_pages"}


def _text_of(stem: str) -> Path:
    p = DATA / f"{stem}.txt"
    return p if p.is_file() else ROOT / "data" / f"{stem}.txt"


def _dump(db: Path) -> dict[str, list[dict[str, object]]]:
    """Every table of a store, rows in id order, without the columns in WHERE."""
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    try:
        names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                           "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%_fts%' ORDER BY name")]
        out = {}
        for name in names:
            order = "id" if "id" in [c[1] for c in con.execute(f"PRAGMA table_info({name})")] else "rowid"
            out[name] = [{k: r[k] for k in r.keys() if k not in WHERE}
                         for r in con.execute(f"SELECT * FROM {name} ORDER BY {order}")]
        return out
    finally:
        con.close()


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    """stem → (store from the text, store from its PDF rendering)."""
    base = tmp_path_factory.mktemp("pdf")
    out = {}
    for stem in RENDERED:
        (base / stem).mkdir()
        txt, pdf = base / stem / "text.db", base / stem / "pdf.db"
        build_store([_text_of(stem)], txt, quiet=True)
        build_store([DATA / f"{stem}.pdf"], pdf, quiet=True)
        out[stem] = (txt, pdf)
    return out


@pytest.mark.slow
@pytest.mark.parametrize("stem", RENDERED)
def test_text_and_pdf_rendering_give_the_same_store(stem: str, stores: dict[str, tuple[Path, Path]]) -> None:
    text, pdf = (_dump(p) for p in stores[stem])
    assert text.keys() == pdf.keys()
    assert len(text["cells"]) > 300 and len(text["sections"]) >= 10  # the comparison has substance
    for table in text:
        assert len(pdf[table]) == len(text[table]), table
        for i, (a, b) in enumerate(zip(text[table], pdf[table])):
            assert a == b, f"{table} #{i}"


@pytest.mark.slow
def test_seed_bank_asked_of_the_seed_pdf(stores: dict[str, tuple[Path, Path]]) -> None:
    from askbudget.evaluate import evaluate

    db = stores["gaoxin-gongan-2023"][1]
    report = evaluate(DATA / "gaoxin-gongan-2023.questions.jsonl", db=db)
    assert report.passed, [o.to_dict() for o in report.outcomes if o.outcome in ("wrong", "error")]
    assert report.accuracy >= 0.95, [o.question.q for o in report.outcomes if o.outcome == "missed"]
    # an answer from the PDF cites the same table, row and column as the text's, and the page
    cited = Assistant(db).ask("电费多少").to_dict()["citations"][0]
    assert (cited["table"], cited["row"], cited["column"]) == ("单位预算一般公共预算财政拨款基本支出表", "电费", "合计")
    pages = read_pdf(DATA / "gaoxin-gongan-2023.pdf").pages
    printed = [n for n, page in enumerate(pages, 1) if "\t30206\t电费\t" in page]
    assert cited["page"] in printed and len(printed) == 1


# ------------------------------------------------------------------ the page text contract

@pytest.fixture(scope="module")
def seed_pages() -> tuple[str, ...]:
    return read_pdf(DATA / "gaoxin-gongan-2023.pdf").pages


def test_page_text_keeps_the_pdf_pages(seed_pages: tuple[str, ...]) -> None:
    import pdfplumber

    with pdfplumber.open(DATA / "gaoxin-gongan-2023.pdf") as pdf:
        firsts = [(page.extract_text() or "").split("\n")[0] for page in pdf.pages]
    n = len(firsts)
    assert len(seed_pages) == n > 20
    text = "\f".join(seed_pages)
    assert all(p.endswith("\n") for p in seed_pages)
    lines = text.split("\n")
    # the line of a table's title maps to the page that prints it
    for title in ("单位预算支出总表", "单位固定资产占用情况表"):
        at = next(i for i, line in enumerate(lines) if line.lstrip("\f") == f"## {title}") + 1
        assert firsts[page_of_line(text, at) - 1] == title
    assert page_of_line(text, 1) == 1 and page_of_line(text, len(lines)) == n


def test_headings_are_marked_by_size(seed_pages: tuple[str, ...]) -> None:
    heads = [line.lstrip("\f") for p in seed_pages for line in p.split("\n") if line.lstrip("\f").startswith("#")]
    source = [line for line in _text_of("gaoxin-gongan-2023").read_text(encoding="utf-8").split("\n")
              if line.startswith("#")]
    # the same headings at the same depth: the rendering prints each # depth in its own size
    norm = [h.replace("**", "") for h in source]
    assert heads == norm


def test_ruled_table_rows_are_tab_lines_of_equal_width(seed_pages: tuple[str, ...]) -> None:
    # the 收入总表: merged header cells over two rows, wrapped cells
    page = next(p for p in seed_pages if p.startswith("## 单位预算收入总表\n"))
    rows = [line.split("\t") for line in page.split("\n") if "\t" in line]
    assert {len(r) for r in rows} == {13}
    assert rows[0] == ["序号", "功能分类科目", "", "合计", "本年收入"] + [""] * 7 + ["上年结转"]
    assert rows[1] == ["", "科目编码", "科目名称", "", "小计", "财政拨款收入", "财政专户收入", "事业收入",
                       "经营收入", "上级补助收入", "附属单位上缴收入", "其他收入", ""]
    assert rows[2] == ["栏次"] + [str(i) for i in range(1, 13)]
    assert rows[-1] == ["9", "2120899", "其他国有土地使用权出让收入安排的支出", "1656.00", "1656.00", "1656.00"] + [""] * 7
    assert "122001 唐山市公安局高新技术产业开发区分局(本" in page and "预算年度：2023" in page


# ------------------------------------------------------------------ real PDFs, cell by cell

@pytest.fixture(scope="module")
def real() -> dict[str, str]:
    out = {}
    for stem in ("putuo-czj-2024-final", "putuo-guihua-2024-final", "putuo-shegongbu-2024-final",
                 "template-final-2024"):
        out[stem] = read_pdf(DATA / f"{stem}.pdf").text
    return out


def table(text: str, title: str) -> list[list[str]]:
    """The TAB rows under the heading ``title`` (over page breaks), up to the next heading."""
    lines = [line.lstrip("\f") for line in text.split("\n")]
    start = next(i for i, line in enumerate(lines) if line.startswith("#") and line.lstrip("# ") == title)
    rows = []
    for line in lines[start + 1:]:
        if line.startswith("#"):
            break
        if "\t" in line:
            rows.append(line.split("\t"))
    return rows


E = ""
# (document, table title) → {row index: the cells as printed}; the row count of the table
REAL: dict[tuple[str, str], tuple[int, dict[int, list[str]]]] = {
    ("putuo-shegongbu-2024-final", "收入决算表"): (20, {
        0: ["项目", E, "本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"],
        1: ["功能分类科目编码", "科目名称", E, E, E, E, E, E, E],
        2: ["合计", E, "307.82", "307.82", E, E, E, E, E],
        10: ["2080505", "机关事业单位基本养老保险缴费支出", "6.18", "6.18", E, E, E, E, E],  # a wrapped name
        14: ["2101101", "行政单位医疗", "2.22", "2.22", E, E, E, E, E],  # the table's second page
        19: ["2210203", "购房补贴", "11.72", "11.72", E, E, E, E, E],
    }),
    ("putuo-shegongbu-2024-final", "支出决算表"): (20, {
        0: ["项目", E, "本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"],
        2: ["合计", E, "307.82", "105.58", "202.24", E, E, E],
        7: ["2013999", "其他社会工作事务支出", "202.24", E, "202.24", E, E, E],
    }),
    ("putuo-shegongbu-2024-final", "财政拨款收入支出决算总表"): (34, {
        0: ["收入", E, "支出", E, E, E, E],
        1: ["项目", "决算数", "项目", "合计", "一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款"],
        2: ["一、一般公共预算财政拨款", "307.82", "一、一般公共服务支出", "264.87", "264.87", E, E],
        20: [E, E, "十九、住房保障支出", "29.42", "29.42", E, E],
        33: ["总计", "307.82", "总计", "307.82", "307.82", E, E],
    }),
    ("putuo-guihua-2024-final", "收入决算表"): (27, {
        2: ["合计", E, "9746.50", "9746.50", E, E, E, E, E],
        7: ["2080505", "机关事业单位基本养老保险缴费支出", "446.11", "446.11", E, E, E, E, E],
        21: ["2200150", "事业运行", "4416.67", "4416.67", E, E, E, E, E],
    }),
    ("putuo-guihua-2024-final", "一般公共预算财政拨款基本支出决算表"): (40, {
        0: ["经济分类科目编码", "科目名称", "决算数", "经济分类科目编码", "科目名称", "决算数"],
        7: ["30108", "机关事业单位基本养老保险缴费", "446.11", "30206", "电费", "18.86"],
        31: [E, E, E, "31002", "办公设备购置", "39.76"],
        39: ["人员经费合计", E, "4884.09", "公用经费合计", E, "480.66"],
    }),
    ("putuo-guihua-2024-final", "财政拨款“三公”经费支出决算表"): (5, {
        0: ["财政拨款“三公”经费"] + [E] * 11,
        1: ["合计", E, "因公出国（境）费", E, "公务用车购置及运行维护费", E, E, E, E, E, "公务接待费", E],
        2: [E, E, E, E, "小计", E, "公务用车购置费", E, "公务用车运行维护费", E, E, E],
        3: ["预算数", "决算数"] * 6,
        4: ["2.85", "0.39", "0.00", "0.00", "0.00", "0.00", "0.00", "0.00", "0.00", "0.00", "2.85", "0.39"],
    }),
    ("putuo-czj-2024-final", "收入支出决算总表"): (32, {
        0: ["收入", E, "支出", E],
        9: ["八、其他收入", "6.20", "八、社会保障和就业支出", "326.71"],
        28: ["本年收入合计", "2,946.25", "本年支出合计", "2,940.05"],
        31: ["总计", "2,995.39", "总计", "2,995.39"],  # on the next page, under no header
    }),
    ("putuo-czj-2024-final", "收入决算表"): (23, {
        0: ["项目", E, E, E, "本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入",
            "其他收入"],
        3: ["类", "款", "项", "合计", "2,946.25", "2,940.05", E, E, E, E, "6.20"],
        6: ["201", "06", "01", "行政运行", "1,511.90", "1,511.89", E, E, E, E, "0.01"],
        13: ["208", "05", "05", "机关事业单位基本养老保险缴费支出", "160.75", "160.75", E, E, E, E, E],
        22: ["221", "02", "03", "购房补贴", "258.50", "258.50", E, E, E, E, E],
    }),
    ("putuo-czj-2024-final", "一般公共预算财政拨款基本支出决算表"): (42, {
        0: ["经济分类", E, "科目名称", "决算数", "经济分类", E, "科目名称", "决算数"],
        2: ["类", "款", E, E, "类", "款", E, E],
        13: ["301", "12", "其他社会保障缴费", "1.61", "302", "11", "差旅费", "1.20"],
        14: ["301", "13", "住房公积金", "187.19", "302", "12", "因公出国（境）费用", E],  # letter-spaced, wrapped
        27: ["303", "11", "代缴社会保险费", E, "302", "31", "公务用车运行维护费", E],  # the table's second page
        31: [E, E, E, E, "310", E, "资本性支出", "13.58"],
        41: ["人员经费合计", E, E, "2,152.26", "公用经费合计", E, E, "184.65"],
    }),
    ("putuo-czj-2024-final", "财政拨款“三公”经费支出决算表"): (5, {
        4: ["0.95", E, E, E, E, E, E, E, E, E, "0.95", E],
    }),
    ("template-final-2024", "收入决算表"): (10, {
        1: ["功能分类科目编码", "科目名称", E, E, E, E, E, E, E],
        3: ["205", "教育支出", E, E, E, E, E, E, E],
    }),
}


@pytest.mark.parametrize("doc,title", list(REAL), ids=[f"{d}:{t}" for d, t in REAL])
def test_real_pdf_table_cell_by_cell(doc: str, title: str, real: dict[str, str]) -> None:
    rows = table(real[doc], title)
    n, want = REAL[(doc, title)]
    assert len(rows) == n
    assert len({len(r) for r in rows}) == 1  # one grid: every row has every column
    for i, cells in want.items():
        assert rows[i] == cells, i


@pytest.mark.parametrize("doc", ["putuo-czj-2024-final", "putuo-guihua-2024-final", "putuo-shegongbu-2024-final",
                                 "template-final-2024"])
def test_real_pdf_table_titles_are_headings(doc: str, real: dict[str, str]) -> None:
    """Every table of the 决算 set is found under its title, marked as a heading by its size or, where it
    is printed in the table's own small type, by its place: centred just above the table."""
    heads = {line.lstrip("\f").lstrip("# ") for line in real[doc].split("\n") if line.lstrip("\f").startswith("#")}
    for title in ("收入支出决算总表", "收入决算表", "支出决算表", "财政拨款收入支出决算总表", "一般公共预算财政拨款支出决算表",
                  "一般公共预算财政拨款基本支出决算表", "财政拨款“三公”经费支出决算表", "政府性基金预算财政拨款收入支出决算表",
                  "国有资本经营预算财政拨款收入支出决算表"):
        assert title in heads
        assert table(real[doc], title)


def test_real_pdf_paragraphs_are_one_line_each(real: dict[str, str]) -> None:
    """A paragraph wrapped over three printed lines (and a numbered item inside it) is one line."""
    lines = real["putuo-guihua-2024-final"].split("\n")
    item = next(line for line in lines if line.startswith("1.履行全民所有自然资源资产所有者职责"))
    assert item.endswith("。") and "国土空间用途管制职责" in item and "研究制定具体的实施意见" in item


# ------------------------------------------------------------------ errors and the command line

def _pdf(objs: list[bytes], trailer: bytes = b"") -> bytes:
    """A minimal PDF of the given objects (1: catalog), with a correct cross-reference table."""
    out = b"%PDF-1.4\n"
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R " % (len(objs) + 1) + trailer + b">>\nstartxref\n%d\n%%%%EOF\n" % xref


def _one_page(content: bytes, resources: bytes = b"") -> list[bytes]:
    return [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /Resources << " + resources + b" >> >>",
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"]


IMAGE = (b"<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8 "
         b"/Length 1 >>\nstream\n\x80\nendstream")
ENCRYPT = b"<< /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> /P -4 >>"
BAD_PDFS = {
    "scanned": (_pdf(_one_page(b"q 100 0 0 100 50 50 cm /Im1 Do Q", b"/XObject << /Im1 5 0 R >>") + [IMAGE]),
                ("scanned PDF", "no text layer", "OCR")),
    "blank": (_pdf(_one_page(b"")), ("no text layer",)),
    "encrypted": (_pdf(_one_page(b"") + [ENCRYPT], b"/Encrypt 5 0 R /ID [<" + b"33" * 16 + b"><" + b"33" * 16 + b">] "),
                  ("encrypted", "password")),
    "damaged": (b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pa", ("not a readable PDF",)),
}


@pytest.mark.parametrize("case", list(BAD_PDFS))
def test_bad_pdf_is_one_clear_error_and_nothing_written(case: str, tmp_path: Path, gongan_store: Path) -> None:
    data, words = BAD_PDFS[case]
    bad = tmp_path / f"{case}.pdf"
    bad.write_bytes(data)
    db = tmp_path / "store.db"
    db.write_bytes(gongan_store.read_bytes())
    before = db.read_bytes()
    with pytest.raises(IngestError) as ei:
        build_store([DATA / "tangshan-gaoxin-czj-2022.pdf", bad], db, quiet=True)
    assert ei.value.file == str(bad)
    for w in words:
        assert w in ei.value.reason
    assert "\n" not in str(ei.value)
    assert db.read_bytes() == before
    fresh = tmp_path / "fresh.db"
    with pytest.raises(IngestError):
        build_store([bad], fresh, quiet=True)
    assert not fresh.exists()


def test_pdf_is_known_by_its_signature_not_its_name(tmp_path: Path) -> None:
    renamed = tmp_path / "gaoxin-gongan-2023.bin"
    renamed.write_bytes((DATA / "gaoxin-gongan-2023.pdf").read_bytes())
    assert is_pdf(renamed.read_bytes()[:1024]) and not is_pdf(b"# 2023 \xe5\xb9\xb4")
    report = build_store([renamed], tmp_path / "s.db", quiet=True)
    assert report.documents[0][0] == "gaoxin-gongan-2023" and report.cells == 493


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "askbudget", *args]


def test_cli_pdf_of_a_final_account_is_read(tmp_path: Path) -> None:
    """A 决算 PDF: its TAB rows go to the page-text reader, which reads the national 决算 template."""
    db = tmp_path / "s.db"
    p = subprocess.run(_cli("ingest", str(DATA / "putuo-shegongbu-2024-final.pdf"), "--db", str(db)),
                       capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert p.returncode == 0, p.stderr
    report = p.stdout.strip().split("\n")[0]
    assert report.startswith("putuo-shegongbu-2024-final: 中共上海市普陀区委社会工作部 2024 决算, 24 pages — "
                             "template national-final: 9 of 9 tables (missing: none)")
    assert report.endswith(", 0 uncertain")  # every cell's position is known from the ruled table


def test_cli_ingest_pdf_quiet_in_a_pipe(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    p = subprocess.run(_cli("ingest", str(DATA / "tangshan-gaoxin-czj-2022.pdf"), "--db", str(db)),
                       capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert p.returncode == 0, p.stderr
    assert p.stderr == ""  # no progress in a pipe
    report, summary = p.stdout.strip().split("\n")
    assert report.startswith("tangshan-gaoxin-czj-2022: 唐山市高新技术产业开发区财政局(本级) 2022 预算, 11 pages — "
                             "template tangshan")
    assert summary.startswith("ingested 1 document (tangshan-gaoxin-czj-2022): 548 cells")
    ans = subprocess.run(_cli("ask", "--db", str(db), "--json", "政府采购预算总额"), capture_output=True,
                         text=True, cwd=ROOT, timeout=120)
    assert json.loads(ans.stdout)["status"] == "answered"


def test_cli_ingest_pdf_shows_pages_on_a_terminal(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    pid, fd = pty.fork()
    if pid == 0:  # the child: stdout and stderr are the pseudo-terminal
        os.chdir(ROOT)
        os.execv(sys.executable, _cli("ingest", str(DATA / "tangshan-gaoxin-czj-2022.pdf"), "--db", str(db)))
    out = b""
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    _, status = os.waitpid(pid, 0)
    text = out.decode("utf-8", "replace")
    assert os.waitstatus_to_exitcode(status) == 0
    assert "page 1/11" in text and "page 11/11" in text and "ingested 1 document" in text


def _drawn(content: bytes) -> bytes:
    """A one-page PDF (300×300 pt) drawing ``content`` with Helvetica as /F1."""
    font = b"/Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >>"
    return _pdf([o.replace(b"[0 0 200 200]", b"[0 0 300 300]") for o in _one_page(content, font)])


def _text(x: int, y: int, s: str) -> bytes:
    return b"BT /F1 10 Tf %d %d Td (%s) Tj ET\n" % (x, y, s.encode("ascii"))


def test_a_drawn_grid_is_a_table_with_its_merged_and_empty_cells(tmp_path: Path) -> None:
    """The mechanism without Chromium: ruled lines make the grid; a cell with no line inside spans
    two columns (its text first, the covered cell empty); an empty cell stays an empty string; a
    box around a paragraph is no table; a page number in the bottom margin is no text."""
    rules = b"0.5 w " + b"".join(b"50 %d m 250 %d l S " % (y, y) for y in (250, 220, 190, 160))
    rules += b"50 160 m 50 250 l S 250 160 m 250 250 l S 150 160 m 150 220 l S "  # no line through row 1
    rules += b"40 80 220 40 re S\n"  # a frame around the notes
    content = (rules + _text(60, 230, "Header") + _text(60, 200, "A") + _text(160, 200, "1.50")
               + _text(60, 170, "B") + _text(50, 95, "Budget notes") + _text(140, 10, "- 3 -"))
    pdf = tmp_path / "grid.pdf"
    pdf.write_bytes(_drawn(content))
    got = read_pdf(pdf)
    assert got.tables == 1
    assert got.pages == ("Header\t\nA\t1.50\nB\t\n\nBudget notes\n",)


def _as_pdf(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, pages: tuple[str, ...],
            image_pages: tuple[int, ...] = ()) -> Path:
    """A file the ingest takes for a PDF whose reader gives ``pages`` (the parse after the reader)."""
    from askbudget.ingest import pdf as reader

    monkeypatch.setattr(reader, "read_pdf", lambda *a, **k: reader.PdfText(pages, 0, image_pages))
    p = tmp_path / "doc.pdf"
    p.write_bytes(b"%PDF-1.4\n")
    return p


def test_an_error_in_a_pdf_names_its_page(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                          gongan_doc: Path) -> None:
    lines = gongan_doc.read_text(encoding="utf-8").split("\n")[:246]  # cut after a table's column headers
    pages = ("\n".join(lines[:100]) + "\n", "\n".join(lines[100:]) + "\n")
    with pytest.raises(IngestError) as ei:
        build_store([_as_pdf(monkeypatch, tmp_path, pages)], tmp_path / "s.db", quiet=True)
    assert ei.value.line == 246 and "(page 2 of the PDF)" in ei.value.reason
    assert "no rows and no 注" in ei.value.reason


def test_a_scanned_page_among_text_pages_is_a_warning(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                      gongan_doc: Path) -> None:
    text = gongan_doc.read_text(encoding="utf-8").rstrip("\n") + "\n"  # a page ends with a newline
    pages = (text, "\n", "\n")  # pages 2 and 3 hold no text; page 3 is an image
    report = build_store([_as_pdf(monkeypatch, tmp_path, pages, (3,))], tmp_path / "s.db", quiet=True)
    (_, warning), = [(n, w) for n, w in report.warnings if "image" in w.message]
    assert warning.line == len(text.split("\n")) + 1 and "page 3 of the PDF" in warning.message
    assert report.cells == 493

"""Page text of the real 2025 部门决算 (national 决算 template): four Putuo units, as published.

The cells below were read off the documents by hand (the ``.txt`` in tests/data, copies of
../shared/corpus/real/*-final.txt, checked against the tables the source's PDF library recovered);
nothing here was dumped from the parser. Each case names the document, the table kind, the row
("[side:]label-or-code") and the column, and gives the cell as printed (raw) and its value in 万元.
A raw of '' is an empty cell whose column the table's arithmetic proves. The documents' own faults
(README of the corpus) are pinned too: their figures are stored uncertain, never answered.
"""
from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from askbudget import Assistant
from askbudget.ingest import build_store, describe, parse_file

DATA = Path(__file__).parent / "data"
WL, SQ, YC, ST = "putuo-wenlv-2025-final", "putuo-shiquan-2025-final", "putuo-yichuan-2025-final", \
    "putuo-shengtai-2025-final"
WL_BUDGET = "putuo-wenlvju-2026"
SZ, SR, ZC, CZ = "收支总表", "收入总表", "支出总表", "财政拨款收支总表"
YB, JB, JJ, GY, SG = "一般公共预算财政拨款支出表", "一般公共预算财政拨款基本支出表", "政府性基金预算财政拨款支出表", \
    "国有资本经营预算财政拨款支出表", "三公经费支出表"


@pytest.fixture(scope="module")
def final_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("final") / "final.db"
    build_store([DATA / f"{d}.txt" for d in (WL, SQ, YC, ST)], db, quiet=True)
    return db


@pytest.fixture(scope="module")
def conn(final_store: Path) -> sqlite3.Connection:
    c = sqlite3.connect(final_store)
    c.row_factory = sqlite3.Row
    return c


def _row_ids(conn: sqlite3.Connection, doc: str, kind: str, spec: str) -> list[int]:
    side = ""
    if ":" in spec:
        side, spec = spec.split(":", 1)
    rows = conn.execute(
        "SELECT r.id, r.group_name FROM rows r JOIN tables t ON t.id = r.table_id JOIN documents d "
        "ON d.id = r.document_id WHERE d.name = ? AND t.kind = ? AND r.side = ? AND (r.code = ? OR r.label = ?) "
        "ORDER BY r.seq", (doc, kind, side, spec, spec)).fetchall()
    if len(rows) > 1:  # 一、一般公共预算财政拨款 is also listed under 年初财政拨款结转和结余
        rows = [r for r in rows if not r[1]]
    return [r[0] for r in rows]


def _cell(conn: sqlite3.Connection, doc: str, kind: str, spec: str, column: str) -> sqlite3.Row:
    rows = _row_ids(conn, doc, kind, spec)
    assert len(rows) == 1, f"{len(rows)} rows {spec!r} in {doc} {kind}"
    got = conn.execute("SELECT c.raw, c.value, c.uncertain, r.page FROM cells c JOIN rows r ON r.id = c.row_id "
                       "WHERE c.row_id = ? AND c.[column] = ?", (rows[0], column)).fetchall()
    assert len(got) == 1, f"{len(got)} cells {column!r} in row {spec!r}"
    return got[0]


CELLS = [
    # 文化和旅游局: 万元 with separators, empty cells vanish, codes unsplit
    (WL, SZ, "收入:一般公共预算财政拨款收入", "决算数", "24,535.67", 24535.67),
    (WL, SZ, "收入:政府性基金预算财政拨款收入", "决算数", "2,002.80", 2002.80),
    (WL, SZ, "收入:上级补助收入", "决算数", "", None),
    (WL, SZ, "收入:使用非财政拨款结余", "决算数", "", None),
    (WL, SZ, "支出:结余分配", "决算数", "", None),
    (WL, SZ, "支出:文化旅游体育与传媒支出", "决算数", "17,130.42", 17130.42),
    (WL, SZ, "支出:灾害防治及应急管理支出", "决算数", "", None),
    (WL, SZ, "支出:资源勘探工业信息等支出", "决算数", "4,948.72", 4948.72),
    (WL, SZ, "收入:年初结转和结余", "决算数", "52.61", 52.61),
    (WL, SZ, "收入:收入总计", "决算数", "26,591.08", 26591.08),
    (WL, SZ, "支出:支出总计", "决算数", "26,591.08", 26591.08),
    (WL, SR, "合计", "本年收入合计", "26,538.47", 26538.47),
    (WL, SR, "合计", "财政拨款收入", "26,538.47", 26538.47),
    (WL, SR, "合计", "事业收入", "", None),
    (WL, SR, "2070104", "财政拨款收入", "3,070.63", 3070.63),
    (WL, SR, "2070104", "其他收入", "", None),
    (WL, SR, "2080505", "本年收入合计", "699.30", 699.30),
    (WL, SR, "2121999", "财政拨款收入", "2,000.00", 2000.00),
    (WL, ZC, "合计", "基本支出", "9,800.36", 9800.36),
    (WL, ZC, "合计", "项目支出", "16,738.11", 16738.11),
    (WL, ZC, "合计", "经营支出", "", None),
    (WL, ZC, "20701", "项目支出", "7,383.87", 7383.87),
    (WL, ZC, "2070105", "基本支出", "", None),
    (WL, ZC, "2070105", "项目支出", "1,700.57", 1700.57),
    (WL, ZC, "20805", "基本支出", "1,460.16", 1460.16),
    (WL, ZC, "20808", "项目支出", "33.16", 33.16),
    (WL, ZC, "210", "基本支出", "370.37", 370.37),
    (WL, ZC, "2150899", "项目支出", "4,948.72", 4948.72),
    (WL, CZ, "收入:一般公共预算财政拨款", "决算数", "24,535.67", 24535.67),
    (WL, CZ, "支出:文化旅游体育与传媒支出", "一般公共预算财政拨款", "17,127.62", 17127.62),
    (WL, CZ, "支出:文化旅游体育与传媒支出", "政府性基金预算财政拨款", "2.80", 2.80),
    (WL, CZ, "支出:城乡社区支出", "政府性基金预算财政拨款", "2,000.00", 2000.00),
    (WL, CZ, "支出:本年支出合计", "一般公共预算财政拨款", "24,535.67", 24535.67),
    (WL, CZ, "支出:本年支出合计", "政府性基金预算财政拨款", "2,002.80", 2002.80),
    (WL, CZ, "支出:本年支出合计", "国有资本经营预算财政拨款", "", None),
    (WL, YB, "207", "合计", "17,127.62", 17127.62),
    (WL, YB, "2070101", "基本支出", "454.06", 454.06),
    (WL, YB, "2070101", "项目支出", "3.79", 3.79),
    (WL, YB, "2070108", "基本支出", "", None),
    (WL, YB, "2070108", "项目支出", "1,605.19", 1605.19),
    (WL, JB, "301", "决算数", "7,728.96", 7728.96),
    (WL, JB, "30108", "决算数", "699.30", 699.30),
    (WL, JB, "30206", "决算数", "", None),
    (WL, JB, "30209", "决算数", "914.38", 914.38),
    (WL, JB, "31007", "决算数", "", None),
    (WL, JB, "人员经费合计", "决算数", "8,055.07", 8055.07),
    (WL, JB, "公用经费合计", "决算数", "1,745.29", 1745.29),
    (WL, SG, "合计", "预算数", "11.49", 11.49),
    (WL, SG, "合计", "决算数", "3.04", 3.04),
    (WL, SG, "公务用车运行维护费", "预算数", "9.38", 9.38),
    (WL, SG, "公务用车运行维护费", "决算数", "2.64", 2.64),
    (WL, SG, "公务接待费", "决算数", "0.40", 0.40),
    (WL, JJ, "2070904", "本年收入", "2.80", 2.80),
    (WL, JJ, "2070904", "年初结转和结余", "0", 0.0),
    # 生态环境局: every cell printed (0.00), codes split in the 基本支出决算表 (301 01)
    (ST, SZ, "收入:一般公共预算财政拨款收入", "决算数", "4,733.14", 4733.14),
    (ST, SZ, "支出:节能环保支出", "决算数", "3,742.47", 3742.47),
    (ST, SZ, "支出:一般公共服务支出", "决算数", "0.00", 0.0),
    (ST, SZ, "收入:收入总计", "决算数", "4,733.14", 4733.14),
    (ST, SR, "合计", "财政拨款收入", "4,733.14", 4733.14),
    (ST, SR, "合计", "其他收入", "0.00", 0.0),
    (ST, SR, "2110104", "本年收入合计", "88.60", 88.60),
    (ST, SR, "2111101", "财政拨款收入", "1,493.39", 1493.39),
    (ST, ZC, "合计", "项目支出", "1,367.76", 1367.76),
    (ST, ZC, "20808", "基本支出", "0.00", 0.0),
    (ST, ZC, "20808", "项目支出", "10.77", 10.77),
    (ST, ZC, "2111101", "基本支出", "1,101.78", 1101.78),
    (ST, ZC, "2111101", "项目支出", "391.60", 391.60),
    (ST, ZC, "2210203", "基本支出", "202.20", 202.20),
    (ST, CZ, "支出:节能环保支出", "一般公共预算财政拨款", "3,742.47", 3742.47),
    (ST, CZ, "支出:住房保障支出", "政府性基金预算财政拨款", "0.00", 0.0),
    (ST, CZ, "收入:年初财政拨款结转和结余", "决算数", "0.00", 0.0),
    (ST, CZ, "支出:支出总计", "合计", "4,733.14", 4733.14),
    (ST, YB, "208", "基本支出", "460.67", 460.67),
    (ST, YB, "2080506", "合计", "116.59", 116.59),  # page 14: its name is garbled, its figures are not
    (ST, YB, "20808", "项目支出", "10.77", 10.77),
    (ST, YB, "21103", "项目支出", "623.06", 623.06),
    (ST, YB, "2110101", "项目支出", "9.90", 9.90),
    (ST, YB, "合计", "合计", "4,733.14", 4733.14),
    (ST, YB, "合计", "项目支出", "1,367.75", 1367.75),  # as page 14 prints it (page 10: 1,367.76)
    (ST, JB, "30101", "决算数", "405.36", 405.36),
    (ST, JB, "30108", "决算数", "229.67", 229.67),
    (ST, JB, "30206", "决算数", "26.20", 26.20),
    (ST, JB, "30212", "决算数", "0.00", 0.0),
    (ST, JB, "30231", "决算数", "16.95", 16.95),
    (ST, JB, "31002", "决算数", "13.94", 13.94),
    (ST, JB, "人员经费合计", "决算数", "2,949.02", 2949.02),
    (ST, JB, "公用经费合计", "决算数", "416.36", 416.36),
    (ST, SG, "合计", "预算数", "21.00", 21.0),
    (ST, SG, "合计", "决算数", "16.95", 16.95),
    (ST, SG, "公务用车购置及运行维护费", "预算数", "20.50", 20.50),
    (ST, SG, "公务用车购置费", "决算数", "0.00", 0.0),
    (ST, SG, "公务接待费", "预算数", "0.50", 0.50),
    (ST, SZ, "支出:社会保障和就业支出", "决算数", "471.44", 471.44),
    (ST, ZC, "221", "本年支出合计", "409.89", 409.89),
    (ST, SR, "2210201", "财政拨款收入", "207.69", 207.69),
    # 石泉路街道: 三公 with an empty pair (因公出国), 基本支出决算表 with empty figures
    (SQ, SZ, "支出:城乡社区支出", "决算数", "13,583.48", 13583.48),
    (SQ, SZ, "支出:灾害防治及应急管理支出", "决算数", "98.23", 98.23),  # its label wrapped around the figure
    (SQ, SR, "2080705", "财政拨款收入", "200.18", 200.18),
    (SQ, ZC, "合计", "基本支出", "14,206.00", 14206.0),
    (SQ, ZC, "2080501", "本年支出合计", "252.74", 252.74),
    (SQ, YB, "2120101", "项目支出", "25.00", 25.0),
    (SQ, YB, "2120101", "基本支出", "1,690.05", 1690.05),
    (SQ, JB, "30103", "决算数", "916.98", 916.98),
    (SQ, JB, "30106", "决算数", "", None),
    (SQ, JB, "30204", "决算数", "0.25", 0.25),
    (SQ, JB, "30108", "决算数", "504.38", 504.38),
    (SQ, SG, "因公出国（境）费", "预算数", "", None),
    (SQ, SG, "因公出国（境）费", "决算数", "", None),
    (SQ, SG, "公务用车购置费", "决算数", "25.00", 25.0),
    (SQ, SG, "公务用车运行维护费", "预算数", "27.40", 27.40),
    (SQ, SG, "公务接待费", "决算数", "0", 0.0),
    # 宜川路街道: separators in some figures only (20218.21 beside 20,323.21)
    (YC, SZ, "收入:一般公共预算财政拨款收入", "决算数", "20218.21", 20218.21),
    (YC, SZ, "收入:本年收入合计", "决算数", "20,323.21", 20323.21),
    (YC, SR, "合计", "财政拨款收入", "20323.21", 20323.21),
    (YC, ZC, "2120102", "项目支出", "1,037.82", 1037.82),
    (YC, CZ, "支出:住房保障支出", "政府性基金预算财政拨款", "105.00", 105.0),
    (YC, JB, "30199", "决算数", "5,991.96", 5991.96),
    (YC, JB, "30113", "决算数", "431.39", 431.39),
]


@pytest.mark.parametrize("doc,kind,row,column,raw,value", CELLS,
                         ids=[f"{d[6:-11]}-{k}-{r}-{c}" for d, k, r, c, _, _ in CELLS])
def test_cell(conn: sqlite3.Connection, doc: str, kind: str, row: str, column: str, raw: str,
              value: float | None) -> None:
    got = _cell(conn, doc, kind, row, column)
    assert (got["raw"], got["uncertain"]) == (raw, 0)
    if value is None:
        assert got["value"] is None
    else:
        assert got["value"] == pytest.approx(value, abs=1e-9)
    assert got["page"] is None or got["page"] > 0


def test_forty_cells_per_document_across_every_table() -> None:
    for doc in (WL, ST):
        cases = [c for c in CELLS if c[0] == doc]
        assert len(cases) >= 40, doc
        assert {c[1] for c in cases} >= {SZ, SR, ZC, CZ, YB, JB, SG}, doc


# ---------------------------------------------------------------- the documents' own faults

UNCERTAIN = [
    # 文旅局 pages 15–16: the 一般公共预算财政拨款支出决算表's figures shifted against the rows from 20709 on
    (WL, YB, "20709", "合计"), (WL, YB, "2079999", "合计"), (WL, YB, "20808", "合计"), (WL, YB, "2080801", "合计"),
    (WL, YB, "2101101", "合计"), (WL, YB, "2121999", "合计"), (WL, YB, "221", "合计"), (WL, YB, "合计", "合计"),
    # 石泉路: 212 城乡社区支出 13,583.48 = 1,066.51 + 2,921.97 does not hold (nor does 21201's)
    (SQ, YB, "212", "基本支出"), (SQ, YB, "212", "项目支出"), (SQ, YB, "21201", "基本支出"),
    (SQ, ZC, "212", "基本支出"),
]


@pytest.mark.parametrize("doc,kind,row,column", UNCERTAIN, ids=[f"{d[6:-11]}-{k}-{r}-{c}" for d, k, r, c in UNCERTAIN])
def test_a_figure_in_a_broken_sum_is_uncertain(conn: sqlite3.Connection, doc: str, kind: str, row: str,
                                               column: str) -> None:
    got = _cell(conn, doc, kind, row, column)
    assert got["uncertain"] == 1 and got["value"] is None


def test_the_shifted_figures_are_never_certain(conn: sqlite3.Connection) -> None:
    """文旅局's 一般公共预算 table: no certain figure is more than the same code's 支出决算表 figure (of
    which it is a part) — the shifted ones are (2080501 699.30 against 44.54)."""
    bad = conn.execute(
        "SELECT r.code, c.raw FROM cells c JOIN rows r ON r.id = c.row_id JOIN tables t ON t.id = c.table_id "
        "JOIN documents d ON d.id = c.document_id WHERE d.name = ? AND t.kind = ? AND c.[column] = '合计' "
        "AND c.uncertain = 0 AND r.code IS NOT NULL AND c.value IS NOT NULL AND c.value > "
        "(SELECT c2.value FROM cells c2 JOIN rows r2 ON r2.id = c2.row_id JOIN tables t2 ON t2.id = c2.table_id "
        " WHERE t2.document_id = d.id AND t2.kind = ? AND r2.code = r.code AND c2.[column] = '本年支出合计')",
        (WL, YB, ZC)).fetchall()
    assert bad == []


def test_garbled_and_clipped_names_are_the_codes_names(conn: sqlite3.Connection) -> None:
    def label(doc: str, kind: str, code: str) -> str:
        return conn.execute("SELECT r.label FROM rows r JOIN tables t ON t.id = r.table_id JOIN documents d "
                            "ON d.id = r.document_id WHERE d.name = ? AND t.kind = ? AND r.code = ?",
                            (doc, kind, code)).fetchone()[0]
    assert label(ST, YB, "2080506") == "机关事业单位职业年金缴费支出"  # printed 险机缴关费事支业出单位职业年金缴
    assert label(ST, YB, "20808") == "抚恤"  # printed 出抚恤
    assert label(ST, SR, "2080505") == "机关事业单位基本养老保险缴费支出"  # clipped to …养老保险
    assert label(WL, YB, "21219") == "国有土地使用权出让收入对应专项债务收入安排的支出"  # three lines
    assert label(WL, JB, "30108") == "机关事业单位基本养老保险缴费"
    assert label(YC, JB, "30212") == "因公出国（境）费用"  # above and below its code line, right column
    assert label(YC, JB, "30399") == "其他对个人和家庭的补助"


# ---------------------------------------------------------------- the ingest report and the store

def test_ingest_report_per_document(conn: sqlite3.Connection) -> None:
    for name in (WL, SQ, YC, ST):
        doc = parse_file(DATA / f"{name}.txt")
        line = describe(doc)
        assert line.startswith(f"{name}: 上海市普陀区") and "2025 决算" in line
        assert "template national-final: 9 of 9 tables (missing: none)" in line
        n_unc = conn.execute("SELECT count(*) FROM cells c JOIN documents d ON d.id = c.document_id "
                             "WHERE d.name = ? AND c.uncertain = 1", (name,)).fetchone()[0]
        n_cells = conn.execute("SELECT count(*) FROM cells c JOIN documents d ON d.id = c.document_id "
                               "WHERE d.name = ?", (name,)).fetchone()[0]
        assert f"{n_cells} cells" in line and f"{n_unc} uncertain" in line
    # the complete document with every cell printed leaves nothing uncertain; the faulty ones do
    assert "747 cells (747 figures), 0 uncertain" in describe(parse_file(DATA / f"{ST}.txt"))


def test_document_kind_unit_year(conn: sqlite3.Connection) -> None:
    got = {r["name"]: (r["unit_name"], r["year"], r["kind"], r["family"])
           for r in conn.execute("SELECT * FROM documents")}
    assert got[WL] == ("上海市普陀区文化和旅游局", 2025, "决算", "national-final")
    assert got[SQ][0] == "上海市普陀区人民政府石泉路街道办事处"


def test_a_missing_table_is_reported_and_stored(tmp_path: Path) -> None:
    pages = (DATA / f"{ST}.txt").read_text(encoding="utf-8").split("\f")
    keep = [p for p in pages if not p.startswith("国有资本经营预算财政拨款收入支出决算表")]
    assert len(keep) == len(pages) - 1
    f = tmp_path / "shengtai-no-gy.txt"
    f.write_text("\f".join(keep), encoding="utf-8")
    doc = parse_file(f)
    assert doc.missing == (GY,)
    assert "missing: 国有资本经营预算财政拨款收入支出决算表" in describe(doc)
    db = tmp_path / "m.db"
    build_store([f], db, quiet=True)
    c = sqlite3.connect(db)
    assert c.execute("SELECT kind, title FROM missing_tables").fetchall() == [(GY, "国有资本经营预算财政拨款收入支出决算表")]
    assert c.execute("SELECT count(*) FROM tables WHERE kind = ?", (GY,)).fetchone()[0] == 0


_SG_DOWN = ("财政拨款“三公”经费支出决算表\n金额单位：元\n项目 预算数 决算数\n合计 210,000.00 169,500.00\n"
            "1.因公出国（境）费 0.00 0.00\n2.公务用车购置及运行维护费 205,000.00 169,500.00\n"
            "（1）公务用车购置费 0.00 0.00\n（2）公务用车运行维护费 205,000.00 169,500.00\n"
            "3.公务接待费 5,000.00 0.00\n注：本表反映部门本年度“三公”经费支出预决算情况。")


def _sg_page_replaced(tmp_path: Path, page: str) -> sqlite3.Connection:
    pages = (DATA / f"{ST}.txt").read_text(encoding="utf-8").split("\f")
    k = next(i for i, p_ in enumerate(pages) if p_.startswith("财政拨款“三公”经费支出决算表"))
    f = tmp_path / f"{ST}.txt"
    f.write_text("\f".join(pages[:k] + [page] + pages[k + 1:]), encoding="utf-8")
    build_store([f], tmp_path / "sg.db", quiet=True)
    c = sqlite3.connect(tmp_path / "sg.db")
    c.row_factory = sqlite3.Row
    return c


def test_a_three_public_table_printed_an_item_a_line_in_yuan(tmp_path: Path) -> None:
    """The national 决算 template's 三公 table printed down the page (an item a line, 预算数 and 决算数 across,
    in 元): each item is its row, as when printed across."""
    c = _sg_page_replaced(tmp_path, _SG_DOWN)
    for row, budget, final in (("合计", 21.0, 16.95), ("公务用车运行维护费", 20.5, 16.95), ("公务接待费", 0.5, 0.0)):
        for column, value in (("预算数", budget), ("决算数", final)):
            got = _cell(c, ST, SG, row, column)
            assert (got["value"], got["uncertain"]) == (pytest.approx(value), 0), (row, column, tuple(got))


def test_a_line_of_two_figures_under_a_twelve_column_header_is_never_a_row_of_empty_cells(tmp_path: Path) -> None:
    """Items the template does not know, one 合计 line of two figures: read as the one-row table's row, its
    ten missing cells are no "empty cells the arithmetic proves" — nothing is answered from it, 0 least of all."""
    c = _sg_page_replaced(tmp_path, _SG_DOWN.replace("因公出国（境）费", "出访").replace("公务用车", "车辆")
                          .replace("公务接待费", "接待"))
    cells = c.execute("SELECT c.value, c.uncertain FROM cells c JOIN tables t ON t.id = c.table_id "
                      "WHERE t.kind = ?", (SG,)).fetchall()
    assert cells and all(r["uncertain"] == 1 and r["value"] is None for r in cells), [tuple(r) for r in cells]
    with Assistant(tmp_path / "sg.db") as a:
        got = a.ask("三公经费决算数是多少")
    assert got.value != 0.0, got.text


def test_an_empty_table_is_stored_with_its_note(conn: sqlite3.Connection) -> None:
    t = conn.execute("SELECT t.id, t.note FROM tables t JOIN documents d ON d.id = t.document_id "
                     "WHERE d.name = ? AND t.kind = ?", (ST, GY)).fetchone()
    assert "故本表无数据" in t["note"]
    assert conn.execute("SELECT count(*) FROM rows WHERE table_id = ?", (t["id"],)).fetchone()[0] == 0


def test_reingest_replaces(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    build_store([DATA / f"{WL}.txt"], db, quiet=True)
    c = sqlite3.connect(db)
    before = c.execute("SELECT id, (SELECT count(*) FROM cells), (SELECT count(*) FROM statements) FROM documents").fetchall()
    copy = tmp_path / "wenlv-again.txt"
    shutil.copy(DATA / f"{WL}.txt", copy)
    build_store([copy], db, quiet=True)
    c = sqlite3.connect(db)  # the store is swapped in whole: a new connection sees it
    after = c.execute("SELECT id, (SELECT count(*) FROM cells), (SELECT count(*) FROM statements) FROM documents").fetchall()
    assert before == after and len(after) == 1
    assert c.execute("SELECT name FROM documents").fetchone()[0] == "wenlv-again"


def test_budget_and_final_of_one_unit_and_year_side_by_side(tmp_path: Path) -> None:
    """A 预算 and a 决算 of the same unit and year are two documents (the 2025 预算 here is the 2026 one
    with its year changed: no 2025 budget of the unit is at hand)."""
    text = (DATA / f"{WL_BUDGET}.txt").read_text(encoding="utf-8").replace("2026", "2025")
    budget = tmp_path / "putuo-wenlvju-2025.txt"
    budget.write_text(text, encoding="utf-8")
    db = tmp_path / "both.db"
    build_store([budget, DATA / f"{WL}.txt"], db, quiet=True)
    c = sqlite3.connect(db)
    got = sorted(c.execute("SELECT unit_name, year, kind FROM documents").fetchall())
    assert got == [("上海市普陀区文化和旅游局", 2025, "决算"), ("上海市普陀区文化和旅游局", 2025, "预算")]
    build_store([DATA / f"{WL}.txt"], db, quiet=True)  # re-ingesting the 决算 leaves the 预算 alone
    c = sqlite3.connect(db)
    assert sorted(c.execute("SELECT kind FROM documents").fetchall()) == [("决算",), ("预算",)]


# ---------------------------------------------------------------- the narrative

def _statement(conn: sqlite3.Connection, doc: str, subject: str, basis: str) -> list[sqlite3.Row]:
    return conn.execute("SELECT s.* FROM statements s JOIN documents d ON d.id = s.document_id "
                        "WHERE d.name = ? AND s.subject = ? AND s.basis = ?", (doc, subject, basis)).fetchall()


def test_final_against_the_years_budget(conn: sqlite3.Connection) -> None:
    (s,) = _statement(conn, WL, "一般公共预算财政拨款支出", "年初预算")
    assert (s["value"], s["base_value"], s["completion_pct"], s["change_dir"]) == (24535.67, 27780.16, 88.32, "减少")
    assert s["reason"] == "部分项目经费调减"
    (s,) = _statement(conn, WL, "行政运行", "年初预算")
    assert (s["value"], s["base_value"], s["year"], s["base_year"]) == (457.86, 511.66, 2025, 2025)
    assert s["change"] == pytest.approx(53.80) and s["reason"].startswith("局机关人员进出及退休变动")
    assert s["sentence"].startswith("文化旅游体育与传媒支出（类）文化和旅游（款）行政运行（项）")
    (s,) = _statement(conn, WL, "其他行政事业单位养老支出", "年初预算")
    assert (s["change_dir"], s["change"], s["reason"]) == ("持平", 0.0, "")
    (s,) = _statement(conn, WL, "“三公”经费财政拨款支出", "年初预算")
    assert (s["value"], s["base_value"], s["completion_pct"]) == (3.04, 11.49, 26.46)
    (s,) = _statement(conn, WL, "公务接待费", "年初预算")
    assert (s["value"], s["base_value"], s["completion_pct"]) == (0.40, None, 18.96)
    # 石泉路 quotes its items without numbering them: “一般公共服务（类）统计信息事务（款）统计管理（项）”
    (s,) = _statement(conn, SQ, "统计管理", "年初预算")
    assert (s["value"], s["base_value"], s["completion_pct"]) == (3.39, 3.84, 88.28)


def test_final_against_the_year_before(conn: sqlite3.Connection) -> None:
    got = _statement(conn, WL, "一般公共预算财政拨款支出", "上年决算")
    assert [(s["change_dir"], s["change"], s["change_pct"], s["base_year"]) for s in got] == \
        [("增加", 6485.08, 35.93, 2024)]
    assert _statement(conn, WL, "年初预算", "") == [] and _statement(conn, WL, "支出决算", "") == []


def test_a_figure_the_narrative_states_settles_a_placement(conn: sqlite3.Connection) -> None:
    """支出决算表 合计: 3 figures in 6 columns; "基本支出 14,206 万元…项目支出 4,838.27 万元" says which."""
    assert _cell(conn, SQ, ZC, "合计", "基本支出")["raw"] == "14,206.00"
    assert _cell(conn, SQ, ZC, "合计", "上缴上级支出")["raw"] == ""


def test_a_final_is_answered_with_its_pages(final_store: Path) -> None:
    a = Assistant(final_store, warm=False).ask("生态环境局物业管理费多少")
    assert a.status == "answered" and a.value == pytest.approx(94.72)
    assert a.citations[0].page == 15


# ---------------------------------------------------------------- check on the real 决算

@pytest.fixture(scope="module")
def findings(final_store: Path) -> dict[str, list[tuple[str, str, str, str, str]]]:
    from askbudget.check import run_checks

    c = sqlite3.connect(final_store)
    names = dict(c.execute("SELECT id, name FROM documents"))
    out: dict[str, list[tuple[str, str, str, str, str]]] = {n: [] for n in names.values()}
    for m in run_checks(c):
        out[names[m.document_id]].append((m.rule, m.table_title, m.row, m.column, m.message))
    return out


def test_check_reports_the_shifted_table(findings: dict) -> None:
    doubts = [f for f in findings[WL] if f[0] == "存疑"]
    assert {f[1] for f in doubts} >= {"一般公共预算财政拨款支出决算表"}
    rows = {f[2] for f in doubts if f[1] == "一般公共预算财政拨款支出决算表"}
    assert {"20709 旅游发展基金支出", "208 社会保障和就业支出", "22102 住房改革支出"} <= rows
    # a figure stored uncertain is unknown to the sum rules: no "printed 0.00" for the shifted 合计 row
    assert not [f for f in findings[WL] if f[0] == "合计=Σ行" and f[1] == "一般公共预算财政拨款支出决算表"]


def test_check_reports_parts_that_do_not_add_up(findings: dict) -> None:
    got = [f for f in findings[SQ] if f[0] == "存疑" and f[1] == "一般公共预算财政拨款支出决算表"
           and f[2] == "212 城乡社区支出"]
    assert len(got) == 1 and "printed 13583.48, 基本支出 + 项目支出 gives 3988.48" in got[0][4]


def test_check_reports_a_narrative_figure_the_tables_contradict(findings: dict) -> None:
    got = [f for f in findings[YC] if f[0] == "叙述≠表格" and "其他住房保障支出 135.00" in f[4]]
    assert got and "105.00" in got[0][4]


def test_check_reports_a_total_printed_two_ways(findings: dict) -> None:
    """生态环境局: 项目支出 totals 1,367.76 on page 10 and 1,367.75 on page 14 — one cent, within the rounding
    of the figures each total adds: rounding notes (rule 舍入) naming the rule, not mismatches."""
    notes = {(f[1], f[2], f[3]): f[4] for f in findings[ST] if f[0] == "舍入"}
    assert "[合计=Σ列]" in notes[("一般公共预算财政拨款支出决算表", "合计", "合计")]
    assert "[合计=Σ行]" in notes[("支出决算表", "合计", "项目支出")]
    assert not [f for f in findings[ST] if f[0] == "存疑"]  # every cell printed: nothing placed, nothing in doubt


def test_the_complete_finance_bureau_pdf_gives_no_mismatch(tmp_path: Path) -> None:
    """The 2024 财政局 决算 adds up: its ten one-cent gaps (a 类 = Σ 项 of up to 27 figures printed to 0.01,
    a 类 printed in 收入支出决算总表 and added from its 项 in 支出决算表) are rounding notes, exit status 0."""
    from askbudget.check import run_checks

    db = tmp_path / "czj.db"
    report = build_store([DATA / "putuo-czj-2024-final.pdf"], db, quiet=True)
    c = sqlite3.connect(db)
    found = run_checks(c)
    assert report.mismatches == 0 and [m for m in found if m.rule != "舍入"] == []
    notes = [m for m in found if m.rule == "舍入"]
    assert notes and all(abs(m.expected - m.actual) <= 0.0251 for m in notes)
    assert any("[同数异表]" in m.message for m in notes) and any("[类=Σ款]" in m.message for m in notes)


def test_a_blank_template_is_refused(tmp_path: Path) -> None:
    """The national 决算 template as published (上海市XX局, every table, no figure) is no unit's 决算."""
    from askbudget.errors import IngestError

    db = tmp_path / "t.db"
    with pytest.raises(IngestError) as ei:
        build_store([DATA / "template-final-2024.pdf"], db, quiet=True)
    assert "no figures" in str(ei.value) and "blank template" in str(ei.value)
    assert not db.exists()


@pytest.mark.parametrize("doc,empty", [("putuo-guihua-2024-final", {"政府性基金预算财政拨款支出表", "国有资本经营预算财政拨款支出表"}),
                                       ("putuo-shegongbu-2024-final", {"三公经费支出表", "政府性基金预算财政拨款支出表",
                                                                        "国有资本经营预算财政拨款支出表"})])
def test_pdfs_said_to_lack_tables_print_every_table(tmp_path: Path, doc: str, empty: set[str]) -> None:
    """The source's list of what 规划 and 社工部 lack (财政拨款收支决算总表, …明细表) is wrong: both print all
    nine tables of the 2024 template (明细表 is not one); the tables they print empty carry the note saying so
    ("…本年度没有…，故本表无数据"), and an answer about one says it is empty — never that it is missing."""
    db = tmp_path / "p.db"
    build_store([DATA / f"{doc}.pdf"], db, quiet=True)
    c = sqlite3.connect(db)
    assert c.execute("SELECT count(*) FROM missing_tables").fetchone()[0] == 0
    kinds = {k for k, in c.execute("SELECT kind FROM tables")}
    assert "财政拨款收支总表" in kinds and len(kinds) == 9
    blank = {k for k, n, note in c.execute("SELECT t.kind, count(r.id), t.note FROM tables t LEFT JOIN rows r "
                                            "ON r.table_id = t.id GROUP BY t.id") if n == 0 and "本表无数据" in (note or "")}
    assert blank == empty
    a = Assistant(db)
    ans = a.ask("政府性基金预算财政拨款支出决算多少")
    assert ans.status == "answered" and ans.value == 0 and "空表" in ans.text and "本表无数据" in ans.text


# ---------------------------------------------------------------- a 决算 PDF (the PDF reader's TAB rows)

def test_final_pdf_cells(tmp_path: Path) -> None:
    """上海市普陀区财政局 2024 决算, read from the PDF (cells from `pdftotext -layout`)."""
    db = tmp_path / "czj.db"
    build_store([DATA / "putuo-czj-2024-final.pdf"], db, quiet=True)
    c = sqlite3.connect(db)
    c.row_factory = sqlite3.Row
    doc = "putuo-czj-2024-final"
    cases = [(SR, "合计", "本年收入合计", "2,946.25"), (SR, "合计", "其他收入", "6.20"),
             (SR, "2010601", "财政拨款收入", "1,511.89"), (SR, "2010602", "其他收入", "6.19"),
             (ZC, "2010601", "基本支出", "1,503.52"), (ZC, "2010601", "项目支出", "8.37"),
             (ZC, "2010602", "基本支出", ""), (ZC, "2010602", "项目支出", "10.00"),
             (JB, "30101", "决算数", "262.33"), (JB, "30108", "决算数", "160.75"), (JB, "30103", "决算数", ""),
             (SG, "合计", "预算数", "0.95"), (SG, "公务接待费", "预算数", "0.95"), (SG, "公务接待费", "决算数", "")]
    for kind, row, column, raw in cases:
        got = _cell(c, doc, kind, row, column)
        assert (got["raw"], got["uncertain"]) == (raw, 0), (kind, row, column)
    assert c.execute("SELECT count(*) FROM cells WHERE uncertain = 1").fetchone()[0] == 0


# ---------------------------------------------------------------- the doubt mechanism (placement.doubt)

def _settled_vars(rows: list[list[int]]) -> list:
    from askbudget.ingest.placement import new_var

    return [new_var(r, len(r), list(range(len(r)))) for r in rows]


def test_doubt_a_shifted_parent_and_its_only_child() -> None:
    from askbudget.ingest.placement import TreeSum, doubt, settled, solve

    # 0 = 1 + 2 holds; 3 = 4 (one child) holds but 5 = 3 + 6 does not: 3 and its only child 4 share the doubt
    vs = _settled_vars([[10], [4], [6], [7], [7], [9], [1]])
    cons = [TreeSum(0, (1, 2)), TreeSum(3, (4,)), TreeSum(5, (3, 6))]
    broken = solve(vs, cons)
    doubt(vs, cons, broken)
    assert [settled(v)[1][0] for v in vs] == [True, True, True, False, False, False, False]


def test_doubt_is_lifted_by_a_sum_of_sound_figures() -> None:
    from askbudget.ingest.placement import Equal, TreeSum, doubt, settled, solve

    # 0 = 1 + 2 fails; 0 is also printed in another table (3) and equals it: 0 is confirmed, 1 and 2 are not
    vs = _settled_vars([[10], [4], [7], [10]])
    cons = [TreeSum(0, (1, 2)), Equal(0, 0, 3, 0)]
    broken = solve(vs, cons)
    doubt(vs, cons, broken)
    assert [settled(v)[1][0] for v in vs] == [True, False, False, True]


def test_doubt_falls_on_the_row_whose_own_parts_do_not_add_up() -> None:
    from askbudget.ingest.placement import RowSum, TreeSum, doubt, settled, solve

    # row 0 (合计 基本 项目) = 12 5 5 breaks its own sum; its children add up column by column to 12 3 9
    vs = _settled_vars([[12, 5, 5], [5, 3, 2], [7, 0, 7]])
    cons = [RowSum(i, 0, (1, 2)) for i in range(3)] + [TreeSum(0, (1, 2))]
    broken = solve(vs, cons)
    doubt(vs, cons, broken)
    assert [settled(v)[1] for v in vs] == [(False, False, False), (True, True, True), (True, True, True)]


def test_rounded_figures_add_up_within_half_a_digit_each() -> None:
    from askbudget.ingest.placement import TreeSum, doubt, new_var, settled, solve

    # 14758.06 printed, the children add up to 14758.07: rounding, not a fault (tol 1 in the last digit)
    vs = [new_var([1475806, 1000003], 2, [0, 1]), new_var([1000003, 1000003], 2), new_var([475804], 2)]
    cons = [TreeSum(0, (1, 2), tol=1)]
    broken = solve(vs, cons)
    doubt(vs, cons, broken)
    assert broken == [] and settled(vs[1])[1] == (True, True) and settled(vs[2])[0] == (0,)


def test_a_grand_total_is_never_the_financial_allocation_tables(tmp_path: Path) -> None:
    """The PDF's 收入支出决算总表 loses its 总计 line (2,995.39): 收入总计 is then refused naming what the 财政拨款
    table's 总计 (2,961.68) is, never given in its place; the narrative's 收入支出总计 still answers."""
    from askbudget.assistant import Assistant

    db = tmp_path / "czj.db"
    build_store([DATA / "putuo-czj-2024-final.pdf"], db, quiet=True)
    a = Assistant(db, warm=False)
    for q in ("收入总计多少", "支出总计是多少"):
        a.reset()
        got = a.ask(q)
        assert got.status == "not_found" and got.value is None and "只是财政拨款" in got.text, got.text
    a.reset()
    assert a.ask("收入支出总计多少").value == pytest.approx(2995.39)
    a.reset()
    assert a.ask("财政拨款收入支出总计多少").value != pytest.approx(2995.39)


@pytest.mark.parametrize("mark", ["支出决算表（续表）", "支出决算表(续)", "（续表）"])
def test_a_table_continued_under_its_title_again_is_one_table(tmp_path: Path, mark: str) -> None:
    """The 支出决算表 split over two pages, the second headed "支出决算表（续表）" (or the mark alone) with its 单位 line
    and header printed again: one table, every cell as in the document printed on one page — its sums run across
    the break (a parent's children on both pages prove where each figure stands)."""
    pages = (DATA / f"{SQ}.txt").read_text(encoding="utf-8").split("\f")
    k = next(i for i, p_ in enumerate(pages) if p_.startswith("支出决算表"))
    lines = pages[k].split("\n")
    head = lines[:lines.index("合计 19,044.27 14,206.00 4,838.27")]
    cut = len(head) + 12
    again = [mark] + (head[1:] if mark != "（续表）" else [])
    split = "\f".join(pages[:k] + ["\n".join(lines[:cut]), "\n".join(again + lines[cut:])] + pages[k + 1:])
    f = tmp_path / f"{SQ}.txt"
    f.write_text(split, encoding="utf-8")

    def cells(db: Path) -> list[tuple]:
        build_store([db.parent / f"{SQ}.txt"] if db.parent == tmp_path else [DATA / f"{SQ}.txt"], db, quiet=True)
        c = sqlite3.connect(db)
        return c.execute("SELECT r.code, r.label, c.[column], c.raw, c.value, c.uncertain FROM cells c JOIN rows r "
                         "ON r.id = c.row_id JOIN tables t ON t.id = c.table_id WHERE t.kind = ? ORDER BY r.seq, c.col",
                         (ZC,)).fetchall()

    (tmp_path / "whole").mkdir()
    whole = cells(tmp_path / "whole" / "w.db")
    got = cells(tmp_path / "s.db")
    assert got == whole and len(whole) > 100
    c = sqlite3.connect(tmp_path / "s.db")
    assert c.execute("SELECT count(*) FROM tables WHERE kind = ?", (ZC,)).fetchone()[0] == 1


@pytest.mark.parametrize("q, value", [
    ("文旅局一般公共预算财政拨款支出是多少", 24535.67),  # its table's 合计 is unproven (the shifted rows): the narrative's
    ("文旅局一般公共预算财政拨款支出决算数是多少", 24535.67),  # own sentence states it
    ("文旅局一般公共预算财政拨款支出的基本支出", None),  # no sentence states that split: still refused
])
def test_an_unproven_total_is_the_figure_the_narrative_states_for_it(final_store: Path, q: str, value: float | None) -> None:
    with Assistant(final_store, warm=False) as a:
        got = a.ask(q)
    if value is None:
        assert got.status != "answered" and got.value is None, got.text
    else:
        assert got.status == "answered" and got.value == pytest.approx(value), got.text
        assert any(c.table.startswith("第") or "说明" in c.table for c in got.citations), got.citations

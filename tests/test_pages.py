"""Page text (pages split by a form feed, cells by spaces): the three real Putuo 2026 部门预算.

The cells below were read off the documents by hand (the ``.txt`` in tests/data, checked against the
tables the source's PDF library recovered); nothing here was dumped from the parser. Each case names the
document, the table kind, the row ("[side:]label-or-code") and the column, and gives the cell as printed
(raw) and its value in 万元 — exact: 47,483,458 元 is 4748.3458 万元. A row printed with fewer figures
than columns has had its empty cells placed by the table's arithmetic: those are the cases whose raw is ''.
"""
from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from askbudget import Assistant
from askbudget.errors import IngestError
from askbudget.ingest import build_store, parse_file, parse_pages
from askbudget.ingest.pages import split_pages
from askbudget.ingest.placement import Equal, RowSum, TreeSum, new_var, settled, solve

DATA = Path(__file__).parent / "data"
CG, JG, WL = "putuo-chengguan-2026", "putuo-jianguanwei-2026", "putuo-wenlvju-2026"
SZ, SR, ZC, CZ = "收支总表", "收入总表", "支出总表", "财政拨款收支总表"
YB, JB, JJ, GY, SG = "一般公共预算财政拨款支出表", "一般公共预算财政拨款基本支出表", "政府性基金预算财政拨款支出表", \
    "国有资本经营预算财政拨款支出表", "三公经费支出表"


@pytest.fixture(scope="module")
def putuo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("putuo") / "putuo.db"
    build_store([DATA / f"{d}.txt" for d in (CG, JG, WL)], db, quiet=True)
    return db


@pytest.fixture(scope="module")
def conn(putuo_store: Path) -> sqlite3.Connection:
    c = sqlite3.connect(putuo_store)
    c.row_factory = sqlite3.Row
    return c


def _cell(conn: sqlite3.Connection, doc: str, kind: str, spec: str, column: str) -> sqlite3.Row:
    side = ""
    if ":" in spec:
        side, spec = spec.split(":", 1)
    rows = conn.execute(
        "SELECT r.id FROM rows r JOIN tables t ON t.id = r.table_id JOIN documents d ON d.id = r.document_id "
        "WHERE d.name = ? AND t.kind = ? AND r.side = ? AND (r.code = ? OR r.label = ?) ORDER BY r.seq",
        (doc, kind, side, spec, spec)).fetchall()
    assert len(rows) == 1, f"{len(rows)} rows {spec!r} (side {side!r}) in {doc} {kind}"
    got = conn.execute("SELECT raw, value, uncertain, page FROM cells c JOIN rows r ON r.id = c.row_id "
                       "WHERE c.row_id = ? AND c.[column] = ?", (rows[0][0], column)).fetchall()
    assert len(got) == 1, f"{len(got)} cells {column!r} in row {spec!r}"
    return got[0]


CELLS = [
    # 城管执法局: 元, empty cells vanish
    (CG, SZ, "收入:财政拨款收入", "预算数", "47,483,458", 4748.3458),
    (CG, SZ, "收入:一般公共预算", "预算数", "47,483,458", 4748.3458),
    (CG, SZ, "收入:政府性基金预算", "预算数", "", None),
    (CG, SZ, "收入:事业收入", "预算数", "", None),
    (CG, SZ, "支出:城乡社区支出", "预算数", "33,775,592", 3377.5592),
    (CG, SZ, "支出:住房保障支出", "预算数", "5,871,730", 587.173),
    (CG, SZ, "支出:支出总计", "预算数", "47,483,458", 4748.3458),
    (CG, SR, "2080501", "合计", "2,614,680", 261.468),
    (CG, SR, "2080501", "财政拨款收入", "2,614,680", 261.468),
    (CG, SR, "2080501", "事业收入", "", None),
    (CG, SR, "2080501", "其他收入", "", None),
    (CG, SR, "合计", "财政拨款收入", "47,483,458", 4748.3458),
    (CG, SR, "合计", "事业单位经营收入", "", None),
    (CG, ZC, "208", "基本支出", "6,103,096", 610.3096),
    (CG, ZC, "208", "项目支出", "294,000", 29.4),
    (CG, ZC, "20808", "基本支出", "", None),
    (CG, ZC, "20808", "项目支出", "294,000", 29.4),
    (CG, ZC, "2080801", "项目支出", "294,000", 29.4),
    (CG, ZC, "210", "基本支出", "1,439,040", 143.904),
    (CG, ZC, "210", "项目支出", "", None),
    (CG, ZC, "2120104", "基本支出", "22,783,399", 2278.3399),
    (CG, ZC, "2120104", "项目支出", "10,992,193", 1099.2193),
    (CG, ZC, "2210203", "基本支出", "3,222,000", 322.2),
    (CG, ZC, "合计", "项目支出", "11,286,193", 1128.6193),
    (CG, CZ, "收入:一般公共预算", "预算数", "47,483,458", 4748.3458),
    (CG, CZ, "收入:政府性基金预算", "预算数", "", None),
    (CG, CZ, "支出:住房保障支出", "一般公共预算财政拨款", "5,871,730", 587.173),
    (CG, CZ, "支出:住房保障支出", "政府性基金预算财政拨款", "", None),
    (CG, CZ, "支出:支出总计", "一般公共预算财政拨款", "47,483,458", 4748.3458),
    (CG, CZ, "支出:支出总计", "国有资本经营预算财政拨款", "", None),
    (CG, YB, "2120104", "合计", "33,775,592", 3377.5592),
    (CG, YB, "20808", "项目支出", "294,000", 29.4),
    (CG, YB, "合计", "基本支出", "36,197,265", 3619.7265),
    (CG, JJ, "合计", "合计", "", None),
    (CG, JB, "30206", "合计", "250,000", 25.0),
    (CG, JB, "30206", "公用经费", "250,000", 25.0),
    (CG, JB, "30206", "人员经费", "", None),
    (CG, JB, "30101", "人员经费", "3,794,196", 379.4196),
    (CG, JB, "30101", "公用经费", "", None),
    (CG, JB, "302", "公用经费", "4,862,538", 486.2538),
    (CG, JB, "30302", "人员经费", "2,079,000", 207.9),
    (CG, JB, "31002", "公用经费", "210,000", 21.0),
    (CG, JB, "合计", "人员经费", "31,124,727", 3112.4727),
    (CG, SG, "合计", "预算数", "114.22", 114.22),
    (CG, SG, "因公出国（境）费", "预算数", "0.00", 0.0),
    (CG, SG, "公务接待费", "预算数", "0.46", 0.46),
    (CG, SG, "公务用车购置及运行费", "预算数", "113.76", 113.76),
    (CG, SG, "公务用车购置费", "预算数", "75.00", 75.0),
    (CG, SG, "公务用车运行费", "预算数", "38.76", 38.76),
    (CG, SG, "机关运行经费", "预算数", "507.25", 507.25),
    # 文旅局
    (WL, SZ, "收入:财政拨款收入", "预算数", "278,076,101", 27807.6101),
    (WL, SZ, "收入:其他收入", "预算数", "", None),
    (WL, SZ, "支出:资源勘探工业信息等支出", "预算数", "50,200,000", 5020.0),
    (WL, SZ, "支出:支出总计", "预算数", "278,076,101", 27807.6101),
    (WL, SR, "2070105", "合计", "60,517,640", 6051.764),
    (WL, SR, "2070105", "财政拨款收入", "60,517,640", 6051.764),
    (WL, SR, "2070105", "事业收入", "", None),
    (WL, SR, "2150899", "合计", "50,200,000", 5020.0),
    (WL, SR, "合计", "财政拨款收入", "278,076,101", 27807.6101),
    (WL, ZC, "2070105", "基本支出", "", None),
    (WL, ZC, "2070105", "项目支出", "60,517,640", 6051.764),
    (WL, ZC, "2070101", "基本支出", "4,614,597", 461.4597),
    (WL, ZC, "2070101", "项目支出", "40,000", 4.0),
    (WL, ZC, "2070108", "项目支出", "11,280,000", 1128.0),
    (WL, ZC, "2070108", "基本支出", "", None),
    (WL, ZC, "2070110", "项目支出", "386,000", 38.6),
    (WL, ZC, "2070199", "项目支出", "3,118,400", 311.84),
    (WL, ZC, "2079903", "项目支出", "24,620,000", 2462.0),
    (WL, ZC, "2080502", "基本支出", "3,593,400", 359.34),
    (WL, ZC, "2080502", "项目支出", "", None),
    (WL, ZC, "2101102", "基本支出", "4,379,786", 437.9786),
    (WL, ZC, "2150899", "项目支出", "50,200,000", 5020.0),
    (WL, ZC, "2150899", "基本支出", "", None),
    (WL, ZC, "20701", "项目支出", "100,749,864", 10074.9864),
    (WL, ZC, "合计", "基本支出", "102,306,237", 10230.6237),
    (WL, CZ, "支出:文化旅游体育与传媒支出", "一般公共预算财政拨款", "199,337,712", 19933.7712),
    (WL, CZ, "支出:文化旅游体育与传媒支出", "政府性基金预算财政拨款", "", None),
    (WL, CZ, "收入:国有资本经营预算", "预算数", "", None),
    (WL, YB, "2070114", "基本支出", "19,060,022", 1906.0022),
    (WL, YB, "2070114", "项目支出", "923,000", 92.3),
    (WL, YB, "2150899", "项目支出", "50,200,000", 5020.0),
    (WL, JB, "30107", "人员经费", "30,800,925", 3080.0925),
    (WL, JB, "30226", "公用经费", "154,800", 15.48),
    (WL, JB, "30226", "人员经费", "", None),
    (WL, JB, "303", "人员经费", "3,259,560", 325.956),
    (WL, JB, "303", "公用经费", "452,720", 45.272),
    (WL, JB, "30302", "公用经费", "305,200", 30.52),
    (WL, JB, "30399", "公用经费", "147,520", 14.752),
    (WL, JB, "30399", "人员经费", "", None),
    (WL, JB, "31003", "公用经费", "100,000", 10.0),
    (WL, JB, "合计", "公用经费", "18,063,168", 1806.3168),
    (WL, SG, "合计", "预算数", "11.49", 11.49),
    (WL, SG, "因公出国（境）费", "预算数", "0", 0.0),
    (WL, SG, "公务接待费", "预算数", "2.11", 2.11),
    (WL, SG, "公务用车购置费", "预算数", "0", 0.0),
    (WL, SG, "公务用车运行费", "预算数", "9.38", 9.38),
    (WL, SG, "机关运行经费", "预算数", "182.65", 182.65),
    # 建管委: two decimals, every cell printed (0.00), labels wrapped around their figure line
    (JG, SZ, "收入:政府性基金预算", "预算数", "2,792,857,000.00", 279285.7),
    (JG, SZ, "收入:国有资本经营预算", "预算数", "0.00", 0.0),
    (JG, SZ, "支出:农林水支出", "预算数", "15,950,000.00", 1595.0),
    (JG, SZ, "收入:收入总计", "预算数", "3,286,618,082.20", 328661.80822),
    (JG, SR, "2120803", "合计", "2,792,857,000.00", 279285.7),
    (JG, SR, "2120803", "事业收入", "0.00", 0.0),
    (JG, SR, "2101101", "合计", "637,747.60", 63.77476),
    (JG, ZC, "212", "基本支出", "56,865,583.16", 5686.558316),
    (JG, ZC, "212", "项目支出", "3,125,850,682.00", 312585.0682),
    (JG, ZC, "20807", "基本支出", "0.00", 0.0),
    (JG, ZC, "20807", "项目支出", "200,000.00", 20.0),
    (JG, ZC, "2120101", "项目支出", "71,600.00", 7.16),
    (JG, CZ, "支出:社会保障和就业支出", "合计", "16,067,196.24", 1606.719624),
    (JG, CZ, "收入:一般公共预算", "预算数", "493,761,082.20", 49376.10822),
    (JG, CZ, "支出:城乡社区支出", "政府性基金预算财政拨款", "2,792,857,000.00", 279285.7),
    (JG, CZ, "支出:资源勘探工业信息等支出", "合计", "62,000,000.00", 6200.0),
    (JG, CZ, "收入:国有资本经营预算", "预算数", "", None),
    (JG, CZ, "收入:政府性基金预算", "预算数", "2,792,857,000.00", 279285.7),
    (JG, CZ, "支出:支出总计", "国有资本经营预算财政拨款", "", None),
    (JG, YB, "212", "合计", "389,859,265.16", 38985.926516),
    (JG, YB, "合计", "项目支出", "411,233,202.00", 41123.3202),
    (JG, JJ, "2120803", "项目支出", "2,792,857,000.00", 279285.7),
    (JG, JJ, "2120803", "基本支出", "0.00", 0.0),
    (JG, JJ, "合计", "合计", "2,792,857,000.00", 279285.7),
    (JG, JB, "30101", "人员经费", "9,336,529.53", 933.652953),
    (JG, JB, "30201", "公用经费", "1,219,165.00", 121.9165),
    (JG, JB, "30228", "公用经费", "887,971.20", 88.79712),
    (JG, JB, "合计", "人员经费", "74,220,229.00", 7422.0229),
    (JG, SG, "合计", "预算数", "42.24", 42.24),
    (JG, SG, "公务用车运行费", "预算数", "42.24", 42.24),
    (JG, SG, "公务接待费", "预算数", "0.00", 0.0),
    (JG, SG, "机关运行经费", "预算数", "124.56", 124.56),
]


@pytest.mark.parametrize("doc,kind,row,column,raw,value", CELLS,
                         ids=[f"{d[7:-5]}-{k}-{r}-{c}" for d, k, r, c, _, _ in CELLS])
def test_cell(conn: sqlite3.Connection, doc: str, kind: str, row: str, column: str, raw: str,
              value: float | None) -> None:
    got = _cell(conn, doc, kind, row, column)
    assert (got["raw"], got["uncertain"]) == (raw, 0)
    assert got["value"] == value  # exact: never rounded


def test_at_least_40_cells_per_document_across_every_table() -> None:
    for doc in (CG, JG, WL):
        cases = [c for c in CELLS if c[0] == doc]
        assert len(cases) >= 29 if doc == JG else len(cases) >= 40
        assert {k for _, k, *_ in cases} >= {SZ, SR, ZC, CZ, YB, JB, SG}


def test_documents_and_report(conn: sqlite3.Connection) -> None:
    got = [tuple(r) for r in conn.execute(
        "SELECT name, unit_code, unit_name, year, kind, family, n_pages FROM documents ORDER BY name")]
    assert got == [(CG, "", "上海市普陀区城市管理行政执法局", 2026, "预算", "shanghai-budget", 24),
                   (JG, "", "上海市普陀区建设和管理委员会", 2026, "预算", "shanghai-budget", 24),
                   (WL, "", "上海市普陀区文化和旅游局", 2026, "预算", "shanghai-budget", 27)]
    assert conn.execute("SELECT count(*) FROM cells WHERE uncertain = 1").fetchone()[0] == 0


def test_tables_and_rows_carry_their_pages(conn: sqlite3.Connection) -> None:
    pages = {r["title"]: (r["page_start"], r["page_end"]) for r in conn.execute(
        "SELECT t.title, t.page_start, t.page_end FROM tables t JOIN documents d ON d.id = t.document_id "
        "WHERE d.name = ?", (WL,))}
    assert pages["2026年部门财务收支预算总表"] == (9, 9)
    assert pages["2026年部门收入预算总表"] == (10, 12)
    assert pages["2026年部门一般公共预算基本支出部门预算经济分类预算表"] == (22, 24)
    page = conn.execute("SELECT r.page FROM rows r JOIN tables t ON t.id = r.table_id JOIN documents d ON "
                        "d.id = r.document_id WHERE d.name = ? AND t.kind = ? AND r.code = '2150899'", (WL, YB)).fetchone()
    assert page[0] == 19
    sec = conn.execute("SELECT s.page FROM sections s JOIN documents d ON d.id = s.document_id WHERE d.name = ? "
                       "AND s.heading = '名词解释'", (CG,)).fetchone()
    assert sec[0] == 5


def test_empty_tables_keep_their_note(conn: sqlite3.Connection) -> None:
    notes = {r[0]: r[1] for r in conn.execute(
        "SELECT d.name, t.note FROM tables t JOIN documents d ON d.id = t.document_id WHERE t.kind = ?", (GY,))}
    assert notes[CG] == "本年度无国有资本经营预算支出，故本表无数据"
    assert notes[WL] == "本部门2026年无国有资本经营预算财政拨款安排的预算，故本表为空表。"


def test_wrapped_two_sided_labels(conn: sqlite3.Connection) -> None:
    """建管委's 财政拨款收支总表 wraps 一、社会保障和就业|支出 and 三、国有资本经营预|算 around their lines."""
    labels = [(r[0], r[1]) for r in conn.execute(
        "SELECT r.side, r.label FROM rows r JOIN tables t ON t.id = r.table_id JOIN documents d ON "
        "d.id = r.document_id WHERE d.name = ? AND t.kind = ? ORDER BY r.seq", (JG, CZ))]
    assert ("支出", "社会保障和就业支出") in labels
    assert ("收入", "国有资本经营预算") in labels
    assert ("支出", "资源勘探工业信息等支出") in labels
    assert all(label for _, label in labels)


def test_indicators_of_the_application_form(conn: sqlite3.Connection) -> None:
    rows = [tuple(r) for r in conn.execute(
        "SELECT i.project, i.level1, i.level2, i.level3, i.value_raw, i.comparator, i.number FROM indicators i "
        "JOIN documents d ON d.id = i.document_id WHERE d.name = ? ORDER BY i.seq", (CG,))]
    assert rows[1] == ("拆违经费", "产出指标", "数量指标", "完成年度拆违计划", "=100.00(%)", "=", 100.0)
    assert rows[-1] == ("拆违经费", "满意度指标", "服务对象满意度指标", "群众满意度", "≥90.00(%)", "≥", 90.0)
    assert len(rows) == 8
    project = conn.execute("SELECT t.project FROM tables t JOIN documents d ON d.id = t.document_id "
                           "WHERE d.name = ? AND t.kind = '绩效目标表'", (JG,)).fetchone()[0]
    assert project == "兰溪路-真南路下立交工程"  # its own cell wrapped away: its section's heading names it


def test_glossary_and_statements(conn: sqlite3.Connection) -> None:
    terms = [r[0] for r in conn.execute("SELECT g.term FROM glossary g JOIN documents d ON d.id = g.document_id "
                                        "WHERE d.name = ? ORDER BY g.seq", (CG,))]
    assert terms == ["基本支出预算", "项目支出预算", "“三公”经费", "机关运行经费", "培训费"]
    st = conn.execute("SELECT value, change_dir, change, base_year FROM statements s JOIN documents d ON "
                      "d.id = s.document_id WHERE d.name = ? AND s.subject = '财政拨款收入'", (CG,)).fetchone()
    assert tuple(st) == (4748.35, "减少", 19.79, 2025)
    # "比2025年预算增加增加27.45万元": the doubled change word is no subject of its own
    assert conn.execute("SELECT count(*) FROM statements s JOIN documents d ON d.id = s.document_id WHERE "
                        "d.name = ? AND s.subject IN ('增加', '预算')", (WL,)).fetchone()[0] == 0


# ---------------------------------------------------------------- answers


ASK = [
    ("上海市普陀区城市管理行政执法局的电费多少", 25.0, "万元", 19),
    ("普陀区城管执法局的电费", 25.0, "万元", 19),
    ("城管执法局的电费多少元", 250000.0, "元", 19),
    ("文旅局的三公经费", 11.49, "万元", 25),
    ("文旅局图书馆的项目支出多少元", 7198027.0, "元", 13),
    ("城管执法局的机关运行经费", 507.25, "万元", 20),
    ("建管委的政府性基金预算支出", 279285.7, "万元", 17),
    ("城管执法局财政拨款收入比2025年减少多少", 19.79, "万元", 6),
]


@pytest.mark.parametrize("q,value,unit,page", ASK, ids=[a[0] for a in ASK])
def test_answers_with_pages(putuo_store: Path, q: str, value: float, unit: str, page: int) -> None:
    a = Assistant(putuo_store, warm=False).ask(q)
    assert a.status == "answered", a.text
    assert (a.value, a.unit) == (pytest.approx(value), unit)
    assert a.citations[0].page == page
    assert a.to_dict()["citations"][0]["page"] == page


# ---------------------------------------------------------------- placement


def test_placement_by_the_parent_row() -> None:
    """A parent (6,103,096 | 6,103,096 | —) and its children printed as "x x": each child's figure is
    in 基本支出 because the parent's 项目支出 is empty and 合计 = 基本支出 + 项目支出."""
    parent = new_var([6103096, 6103096], 3)
    kids = [new_var([2614680, 2614680], 3), new_var([3488416, 3488416], 3)]
    total = new_var([6103096, 6103096, 0], 3, fixed=[0, 1, 2])
    vs = [parent, *kids, total]
    cons = [RowSum(i, 0, (1, 2)) for i in range(4)] + [TreeSum(0, (1, 2)), Equal(0, 2, 3, 2)]
    assert solve(vs, cons) == []
    for v in vs[:3]:
        placement, proven = settled(v)
        assert placement == (0, 1) and all(proven)


def test_an_unprovable_column_stays_uncertain() -> None:
    row = new_var([500, 500], 3)
    solve([row], [RowSum(0, 0, (1, 2))])
    placement, proven = settled(row)
    assert proven == (True, False, False)  # 合计 is read; 基本 or 项目 is not known


def test_a_constraint_the_document_breaks_proves_nothing() -> None:
    parent = new_var([10, 10], 3)
    kid = new_var([7, 7], 3)
    broken = solve([parent, kid], [TreeSum(0, (1,))])
    assert broken and len(parent.placements) == 3 and len(kid.placements) == 3


def _without_arithmetic(text: str) -> str:
    """城管执法局 with the 支出总表's 合计 row and the 210 类/款 rows gone: 210 11 01's figure has no proof
    (nor have 221 and its rows, printed "x x" all the way down, once the 合计 row no longer pins them)."""
    out = []
    pages = split_pages(text)
    for i, page in enumerate(pages):
        if page.startswith("2026年部门支出预算总表") or (i > 0 and pages[i - 1].startswith("2026年部门支出预算总表")):
            page = "\n".join(ln for ln in page.split("\n")
                             if not (ln.startswith(("210 ", "合计 ")) and not ln.startswith("210 11 01")))
        out.append(page)
    return "\f".join(out)


def test_an_uncertain_figure_is_stored_flagged_and_never_answered(tmp_path: Path) -> None:
    f = tmp_path / "putuo-chengguan-2026.txt"
    f.write_text(_without_arithmetic((DATA / f"{CG}.txt").read_text(encoding="utf-8")), encoding="utf-8")
    doc = parse_file(f)
    assert doc.n_uncertain == 10  # 2101101, 221, 22102, 2210201, 2210203: 基本支出 and 项目支出 each
    db = tmp_path / "u.db"
    report = build_store([f], db, quiet=True)
    assert "10 uncertain" in report.details[0]
    c = sqlite3.connect(db)
    got = c.execute("SELECT c.column, c.raw, c.value, c.uncertain FROM cells c JOIN rows r ON r.id = c.row_id "
                    "JOIN tables t ON t.id = r.table_id WHERE t.kind = ? AND r.code = '2101101' ORDER BY c.col",
                    (ZC,)).fetchall()
    assert got == [("合计", "1,439,040", 143.904, 0), ("基本支出", "1,439,040", None, 1), ("项目支出", "", None, 1)]
    a = Assistant(db, warm=False).ask("支出总表里行政单位医疗的项目支出是多少")
    assert a.status != "answered" and a.value is None
    assert "无法确定" in a.text
    a = Assistant(db, warm=False).ask("行政单位医疗的基本支出")
    assert a.value != 0.0 and (a.status != "answered" or a.citations[0].table != "2026年部门支出预算总表")


# ---------------------------------------------------------------- the page-text contract (TAB cells)


def test_tab_separated_cells_have_known_positions() -> None:
    """The PDF reader's contract: a TAB row keeps its empty cells, so its figures need no placement."""
    pages = split_pages((DATA / f"{CG}.txt").read_text(encoding="utf-8"))
    i = next(n for n, p in enumerate(pages) if p.startswith("2026年部门支出预算总表"))
    lines = pages[i].split("\n")
    tabbed = []
    for ln in lines:
        if ln.startswith("212 01 04"):
            ln = "\t".join(["212", "01", "04", "城管执法", "", "", "10,992,193"])  # only 项目支出 printed
        tabbed.append(ln)
    pages[i] = "\n".join(tabbed)
    doc = parse_pages(pages, "tab.txt", "tab")
    t = next(t for t in doc.tables if t.kind == ZC)
    row = next(r for r in t.rows if r.code == "2120104")
    assert [(c.column, c.raw) for c in row.cells] == [("合计", ""), ("基本支出", ""), ("项目支出", "10,992,193")]
    # the edited row no longer adds up (合计 ≠ 基本支出 + 项目支出, and its parent ≠ Σ its children): its
    # figures are in doubt, known positions or not (placement.doubt)
    assert [c.uncertain for c in row.cells] == [1, 1, 1]
    other = next(r for r in t.rows if r.code == "2210201")
    assert all(c.uncertain == 0 for c in other.cells)


# ---------------------------------------------------------------- templates as data, and refusals


def test_a_new_family_is_data_only(tmp_path: Path) -> None:
    """A region whose tables say 收支预算总表 instead of 财务收支预算总表: a family file, no code."""
    tdir = tmp_path / "templates"
    tdir.mkdir()
    src = (Path(__file__).parent.parent / "lexicon" / "templates" / "shanghai-budget.tsv").read_text(encoding="utf-8")
    (tdir / "other-region.tsv").write_text(src.replace("财务收支预算总表", "单位收支预算一览表"), encoding="utf-8")
    text = (DATA / f"{CG}.txt").read_text(encoding="utf-8").replace("财务收支预算总表", "单位收支预算一览表")
    doc = parse_pages(split_pages(text), "x.txt", "x", templates=str(tdir))
    assert doc.family == "other-region"
    t = next(t for t in doc.tables if t.kind == SZ)
    assert t.title == "2026年部门单位收支预算一览表" and len(t.rows) == 13
    # the shipped families do not know that title: the table is missing, and reported so
    doc = parse_pages(split_pages(text), "x.txt", "x")
    assert doc.family == "shanghai-budget" and doc.missing == (SZ,)


def test_no_template_matched_is_an_error_and_the_store_is_unchanged(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    build_store([DATA / f"{CG}.txt"], db, quiet=True)
    before = db.read_bytes()
    bad = tmp_path / "notice.txt"
    bad.write_text("关于召开会议的通知\n各单位：\f定于下周一开会。\n", encoding="utf-8")
    with pytest.raises(IngestError) as ei:
        build_store([DATA / f"{WL}.txt", bad], db, quiet=True)
    assert "matches no known template" in ei.value.reason and "财务收支预算总表" in ei.value.reason
    assert db.read_bytes() == before


def test_a_final_account_with_no_table_is_refused_clearly(tmp_path: Path) -> None:
    """A 决算 whose pages print only a table of contents: no table of the template was read."""
    f = tmp_path / "final.txt"
    f.write_text("上海市普陀区文化和旅游局\n2025 年度部门决算\f目 录\n一、收入支出决算总表\n", encoding="utf-8")
    with pytest.raises(IngestError) as ei:
        parse_file(f)
    assert "national-final" in ei.value.reason and "no table" in ei.value.reason


def test_budget_and_final_of_one_unit_are_different_keys(tmp_path: Path) -> None:
    from askbudget.ingest.write import doc_key

    assert doc_key("", "上海市普陀区文化和旅游局", 2025, "预算") != doc_key("", "上海市普陀区文化和旅游局", 2025, "决算")
    assert doc_key("", "上海市普陀区文化和旅游局", 2026, "预算") == doc_key("", "上海市普陀区文化和旅游局 ", 2026, "预算")


def test_reingest_replaces_by_unit_name(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    build_store([DATA / f"{CG}.txt", DATA / f"{WL}.txt"], db, quiet=True)
    copy = tmp_path / "chengguan-again.txt"
    shutil.copy(DATA / f"{CG}.txt", copy)
    build_store([copy], db, quiet=True)
    c = sqlite3.connect(db)
    assert sorted(r[0] for r in c.execute("SELECT name FROM documents")) == ["chengguan-again", WL]


def test_cli_explain(tmp_path: Path) -> None:
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-m", "askbudget", "ingest", str(DATA / f"{CG}.txt"), "--db",
                        str(tmp_path / "e.db"), "--explain"], capture_output=True, text=True, timeout=120,
                       cwd=Path(__file__).parent.parent)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert out.splitlines()[0].startswith(f"{CG}: 上海市普陀区城市管理行政执法局 2026 预算, 24 pages — template "
                                          "shanghai-budget: 9 of 9 tables (missing: none)")
    assert "0 uncertain" in out.splitlines()[0]
    assert "2026年部门一般公共预算基本支出部门预算经济分类预算表 p.18–19 → 一般公共预算财政拨款基本支出表" in out
    assert "→ 合计 人员经费 公用经费; 34 rows" in out
    assert "收入: 预算数 | 支出: 合计 一般公共预算财政拨款 政府性基金预算财政拨款 国有资本经营预算财政拨款" in out

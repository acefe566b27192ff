"""Other regions' layouts (issue 9): three synthetic disclosures read cell by cell, and the template
mechanism that reads them — table titles by their words, columns by the words the header prints,
row numbers (序号, 行次, 栏次) that are never figures, a table no family reads, an empty table's note.

The documents and their truth come from ``tests/data/make_synthetic.py`` (one consistent model per
document, every identity asserted); the truth is the model's, never the parser's output.
"""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from askbudget.errors import IngestError
from askbudget.ingest import build_store, describe, parse_file, parse_pages
from askbudget.ingest.pages import PLine, _title_spec
from askbudget.ingest.templates import family

DATA = Path(__file__).parent / "data"
ZJ, HN, ZY, SC = "zhejiang-shuili-2025", "henan-jiaoyan-2024", "zhongyang-kejiju-2023-final", "sichuan-nongji-2026"
SY = "sichuan-dongyi-2026"  # the 四川 layout in 元: split codes, 上年结转, most columns of the 总表 empty
DOCS = (ZJ, HN, ZY, SC, SY)

# the cells no arithmetic of a consistent document can place (none: the 政府性基金 table's one figure per
# row beside its 合计 is 项目支出 because the 部门支出总表, of which it is a part, has no 基本支出 there)
OPEN: set[tuple[str, str, str, str]] = set()


def _generator():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("make_synthetic", DATA / "make_synthetic.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # (its dataclasses look their module up)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def docs() -> dict:
    return {d: parse_file(DATA / f"{d}.txt") for d in DOCS}


@pytest.mark.parametrize("slug,make", [(ZJ, "zhejiang"), (HN, "henan"), (ZY, "zhongyang"), (SC, "sichuan"),
                                       (SY, "sichuan_yuan")])
def test_generator_writes_these_files(slug: str, make: str) -> None:
    """The files in tests/data are the generator's (which asserts every identity before it writes)."""
    gen = _generator()
    text, model = gen.sichuan(yuan=True) if make == "sichuan_yuan" else getattr(gen, make)()
    assert text == (DATA / f"{slug}.txt").read_text(encoding="utf-8")
    truth = json.loads((DATA / f"{slug}.truth.json").read_text(encoding="utf-8"))
    assert truth["cells"] == model.truth and truth["unit"] == model.unit


def _cells(slug: str) -> list[dict]:
    return json.loads((DATA / f"{slug}.truth.json").read_text(encoding="utf-8"))["cells"]


def _find(doc, kind: str, spec: str, column: str):  # type: ignore[no-untyped-def]
    side, _, row = spec.rpartition(":")
    rows = [r for t in doc.tables if t.kind == kind for r in t.rows
            if r.side == side and (r.code == row or r.label == row or (side and r.label == side + row))]
    assert len(rows) == 1, f"{len(rows)} rows {spec!r} in {kind}"
    cells = [c for c in rows[0].cells if c.column == column and (not side or c.column_group == side)]
    assert len(cells) == 1, f"{len(cells)} cells {column!r} in {kind} {spec!r}"
    return cells[0]


@pytest.mark.parametrize("slug", DOCS)
def test_every_cell(docs: dict, slug: str) -> None:
    """Every cell the tables print, in 万元, placed in its column; none wrong, none left uncertain but
    the ones no arithmetic can place."""
    doc = docs[slug]
    wrong, doubtful = [], []
    for c in _cells(slug):
        cell = _find(doc, c["kind"], c["row"], c["column"])
        if (slug, c["kind"], c["row"], c["column"]) in OPEN:
            assert cell.uncertain == 1 and cell.value is None, c
            continue
        if cell.uncertain:
            doubtful.append(c)
        elif cell.value is None and c["value"] != 0 or (cell.value or 0) != pytest.approx(c["value"], abs=1e-9):
            wrong.append((c, cell.raw, cell.value))
    assert not wrong, wrong
    assert not doubtful, doubtful


@pytest.mark.parametrize("slug,fam,n_tables,missing,cells,uncertain", [
    (ZJ, "standard-budget", 9, (), 421, 0),
    (HN, "standard-budget", 9, (), 323, 0),
    (ZY, "national-final", 9, (), 355, 0),
    (SC, "standard-budget", 9, (), 529, 0),
    (SY, "standard-budget", 9, (), 649, 0),
])
def test_report(docs: dict, slug: str, fam: str, n_tables: int, missing: tuple, cells: int, uncertain: int) -> None:
    doc = docs[slug]
    assert doc.family == fam and len({t.kind for t in doc.tables}) == n_tables and doc.missing == missing
    assert doc.n_cells == cells and sum(c.uncertain for t in doc.tables for r in t.rows for c in r.cells) == uncertain
    line = describe(doc)
    assert f"template {fam}" in line and f"{uncertain} uncertain" in line


def test_unit_year_and_kind(docs: dict) -> None:
    assert (docs[ZJ].unit_name, docs[ZJ].year, docs[ZJ].kind) == ("淳安县水利局", 2025, "预算")
    assert (docs[HN].unit_name, docs[HN].year, docs[HN].kind) == ("郑州市教育科学研究院", 2024, "预算")
    assert (docs[ZY].unit_name, docs[ZY].year, docs[ZY].kind) == ("国家科技资源共享服务中心", 2023, "决算")


def test_money_unit_per_table(docs: dict) -> None:
    """元 with separators and decimals (河南) is stored in 万元 exactly."""
    cell = _find(docs[HN], "一般公共预算财政拨款基本支出表", "30206", "公用经费")
    assert cell.raw == "7,247.63" and cell.value == pytest.approx(0.724763, abs=1e-12)


def test_empty_table_and_unread_table(docs: dict) -> None:
    """An empty table is stored with its note; a table no family reads (附表10 项目支出表, on the same
    page) is left out with a warning — its rows never join the table before it."""
    zj = {t.kind: t for t in docs[ZJ].tables}
    assert zj["国有资本经营预算财政拨款支出表"].rows == () and "空表" in zj["国有资本经营预算财政拨款支出表"].note
    assert any("项目支出预算表" in w.message and "left out" in w.message for w in docs[ZJ].warnings)
    hn = {t.kind: t for t in docs[HN].tables}
    assert hn["政府性基金预算财政拨款支出表"].rows == () and "无数据" in hn["政府性基金预算财政拨款支出表"].note


def test_columns_from_the_header(docs: dict) -> None:
    """A table has the columns its header prints, in their printed order: the 浙江 三公 table prints
    公务接待费 last, the 河南 one before 公务用车购置及运行费 (the order only the arithmetic of the
    one row of figures tells apart); the 收入总表 columns differ per region."""
    zj = {t.kind: t for t in docs[ZJ].tables}
    hn = {t.kind: t for t in docs[HN].tables}
    assert [r.label for r in zj["三公经费支出表"].rows] == ["合计", "因公出国（境）费", "公务用车购置及运行费", "公务用车购置费",
                                                   "公务用车运行费", "公务接待费"]
    assert [r.label for r in hn["三公经费支出表"].rows] == ["合计", "因公出国（境）费", "公务接待费", "公务用车购置及运行费",
                                                   "公务用车购置费", "公务用车运行费"]
    assert zj["收入总表"].columns == ("合计", "上年结转", "一般公共预算拨款收入", "政府性基金预算拨款收入", "国有资本经营预算拨款收入",
                                   "事业收入", "事业单位经营收入", "其他收入")
    assert hn["收入总表"].columns == ("合计", "一般公共预算拨款收入", "政府性基金预算拨款收入", "事业收入", "事业单位经营收入", "其他收入")
    assert zj["一般公共预算财政拨款支出表"].columns == ("合计", "基本支出", "人员经费", "公用经费", "项目支出")


STANDARD_TITLES = [
    ("表1 部门收支总表", "收支总表"), ("表2 部门收入总表", "收入总表"), ("表3 部门支出总表", "支出总表"),
    ("表4 财政拨款收支总表", "财政拨款收支总表"), ("表5 一般公共预算支出表", "一般公共预算财政拨款支出表"),
    ("表6 一般公共预算基本支出表", "一般公共预算财政拨款基本支出表"), ("表7 一般公共预算“三公”经费支出表", "三公经费支出表"),
    ("表8 政府性基金预算支出表", "政府性基金预算财政拨款支出表"), ("表9 国有资本经营预算支出表", "国有资本经营预算财政拨款支出表"),
    ("表1 单位收支总表", "收支总表"), ("表1-1 单位收入总表", "收入总表"), ("表1-2 单位支出总表", "支出总表"),
    ("表2 财政拨款收支预算总表", "财政拨款收支总表"), ("表3 一般公共预算支出预算表", "一般公共预算财政拨款支出表"),
    ("表3-1 一般公共预算基本支出预算表", "一般公共预算财政拨款基本支出表"), ("表3-3 一般公共预算“三公”经费支出预算表", "三公经费支出表"),
    ("表4 政府性基金支出预算表", "政府性基金预算财政拨款支出表"), ("表5 国有资本经营预算支出预算表", "国有资本经营预算财政拨款支出表"),
    ("附表1 淳安县水利局2025年部门收支预算总表", "收支总表"), ("一、部门收入预算表", "收入总表"),
    ("2026年单位收入支出预算总表", "收支总表"), ("本级财政拨款收支总表", "财政拨款收支总表"),
    ("一般公共预算财政拨款“三公”经费支出表", "三公经费支出表"),
    # not tables the family reads, or not tables at all
    ("表10 项目支出表", None), ("表11 政府采购预算表", None), ("表3-2 一般公共预算项目支出预算表", None),
    ("表4-1 政府性基金预算“三公”经费支出预算表", None), ("二、“三公”经费预算情况", None),
    ("表2-1 财政拨款支出预算表（部门经济分类科目）", None), ("三、国有资本经营预算拨款收入 三、国防支出", None),
    ("（三）国有资本经营预算拨款 （三）国防支出", None),
    ("一、收支预算总体情况", None), ("附表1 部门收支预算总表 ……………… 7", None),
    ("2025年部门收入预算12345.60万元，其中一般公共预算拨款收入", None),
]

FINAL_TITLES = [
    ("公开01表 收入支出决算表", "收支总表"), ("公开02表 收入决算表", "收入总表"), ("公开03表 支出决算表", "支出总表"),
    ("公开04表 财政拨款收入支出决算表", "财政拨款收支总表"), ("公开05表 一般公共预算财政拨款支出决算表", "一般公共预算财政拨款支出表"),
    ("公开06表 一般公共预算财政拨款基本支出决算表", "一般公共预算财政拨款基本支出表"),
    ("公开07表 政府性基金预算财政拨款收入支出决算表", "政府性基金预算财政拨款支出表"),
    ("公开08表 国有资本经营预算财政拨款收入支出决算表", "国有资本经营预算财政拨款支出表"),
    ("公开09表 财政拨款“三公”经费支出决算表", "三公经费支出表"), ("收入支出决算总表", "收支总表"),
    ("财政拨款收入支出决算总表", "财政拨款收支总表"), ("国有资本经营预算财政拨款支出决算表", "国有资本经营预算财政拨款支出表"),
]


@pytest.mark.parametrize("fam,title,kind", [("standard-budget", t, k) for t, k in STANDARD_TITLES] +
                         [("national-final", t, k) for t, k in FINAL_TITLES], ids=lambda x: str(x))
def test_title_words(fam: str, title: str, kind: str | None) -> None:
    """A table's kind from the words of its title, whatever number, prefix or variant it prints."""
    spec = _title_spec(PLine(1, 1, title, True), family(fam))
    assert (spec.kind if spec is not None else None) == kind


def _budget(*tables: str) -> list[str]:
    return ["某县测试局\n2025年部门预算\n"] + list(tables)


def test_row_numbers_are_never_figures() -> None:
    """序号 before the code, 行次 after each item's name, 栏次 rows of column numbers: none is a figure."""
    pages = _budget(
        "表1 部门收支总表\n部门：某县测试局 单位：万元\n收入 支出\n项目 行次 金额 项目 行次 金额\n栏次 1 栏次 2\n"
        "一、一般公共预算拨款收入 1 100.00 一、一般公共服务支出 7 100.00\n二、事业收入 2 支出总计 8 100.00\n"
        "收入总计 3 100.00",
        "表3 部门支出总表\n部门：某县测试局 单位：万元\n序号 科目编码 科目名称 合计 基本支出 项目支出\n栏次 1 2 3\n"
        "1 201 一般公共服务支出 100.00 60.00 40.00\n2 20101 人大事务 100.00 60.00 40.00\n"
        "3 2010101 行政运行 60.00 60.00\n4 2010102 一般行政管理事务 40.00 40.00\n合计 100.00 60.00 40.00")
    doc = parse_pages(pages, "t.txt")
    sz = {(r.side, r.label): r.cells[0] for t in doc.tables if t.kind == "收支总表" for r in t.rows}
    assert sz[("收入", "一般公共预算拨款收入")].value == 100.0 and sz[("收入", "事业收入")].raw == ""
    assert sz[("支出", "一般公共服务支出")].value == 100.0 and sz[("收入", "收入总计")].value == 100.0
    zc = {r.code or r.label: {c.column: (c.value, c.uncertain) for c in r.cells}
          for t in doc.tables if t.kind == "支出总表" for r in t.rows}
    assert zc["2010101"] == {"合计": (60.0, 0), "基本支出": (60.0, 0), "项目支出": (None, 0)}
    assert zc["2010102"] == {"合计": (40.0, 0), "基本支出": (None, 0), "项目支出": (40.0, 0)}
    assert set(zc) == {"201", "20101", "2010101", "2010102", "合计"}


def test_a_row_without_its_number_keeps_its_code() -> None:
    """In a 序号 table a row printed without its number (``201 01 01 …``) keeps its 类 code."""
    pages = _budget("表3 部门支出总表\n部门：某县测试局 单位：万元\n序号 科目编码 科目名称 合计 基本支出 项目支出\n"
                    "1 201 一般公共服务支出 100.00 60.00 40.00\n201 01 人大事务 100.00 60.00 40.00\n"
                    "3 201 01 01 行政运行 100.00 60.00 40.00\n合计 100.00 60.00 40.00")
    doc = parse_pages(pages, "t.txt")
    assert [r.code for t in doc.tables for r in t.rows] == ["201", "20101", "2010101", None]


@pytest.mark.parametrize("head", ["表3 部门支出总表", "部门支出总表\n表3", "部门支出总表\n公开03表"])
def test_a_table_number_above_or_below_its_title(head: str) -> None:
    """A title's number printed on its own line, before the title or under it, is passed over: the
    table under them is read either way."""
    pages = _budget(f"{head}\n部门：某县测试局 单位：万元\n科目编码 科目名称 合计 基本支出 项目支出\n"
                    "201 一般公共服务支出 100.00 60.00 40.00\n合计 100.00 60.00 40.00")
    doc = parse_pages(pages, "t.txt")
    zc = {r.code or r.label: [c.value for c in r.cells] for t in doc.tables if t.kind == "支出总表" for r in t.rows}
    assert zc == {"201": [100.0, 60.0, 40.0], "合计": [100.0, 60.0, 40.0]}


def test_a_column_the_arithmetic_cannot_place_stays_uncertain() -> None:
    """One figure beside its 合计 and nothing else to go by: the figure is kept, its column unproven."""
    pages = _budget("表8 政府性基金预算支出表\n部门：某县测试局 单位：万元\n科目编码 科目名称 合计 基本支出 项目支出\n"
                    "合计 50.00 50.00\n212 城乡社区支出 50.00 50.00")
    doc = parse_pages(pages, "t.txt")
    row = next(r for t in doc.tables for r in t.rows if r.code == "212")
    assert [(c.column, c.raw, c.value, c.uncertain) for c in row.cells][0] == ("合计", "50.00", 50.0, 0)
    assert {c.uncertain for c in row.cells[1:]} == {1} and all(c.value is None for c in row.cells[1:])


def test_no_family_is_refused() -> None:
    with pytest.raises(IngestError, match="matches no known template"):
        parse_pages(["某县测试局\n2025年部门预算\n", "第一部分 概况\n本部门负责测试。"], "t.txt")


def test_check_finds_nothing_on_consistent_documents(tmp_path: Path) -> None:
    """``check`` on the three: every identity holds, so no mismatch (人员经费 and 公用经费 printed beside
    their 基本支出 are added once)."""
    report = build_store([DATA / f"{d}.txt" for d in DOCS], tmp_path / "s.db", quiet=True)
    assert report.mismatches == 0


def test_contents_page_and_narrative_headings_are_no_tables(docs: dict) -> None:
    """A contents page lists every title (表1 … 表6, no page numbers): none is a table, none a heading of the
    outline; a heading carrying a table's words and followed by prose (三、一般公共预算基本支出情况说明) is
    narrative. So the 四川 document has the nine tables once each, each with its rows."""
    sc = docs[SC]
    assert sorted(t.kind for t in sc.tables) == sorted({t.kind for t in sc.tables}) and len(sc.tables) == 9
    assert all(t.rows for t in sc.tables if t.kind != "国有资本经营预算财政拨款支出表")
    heads = [x.heading for x in sc.sections]
    assert "三、一般公共预算基本支出情况说明" in heads and "五、政府性基金预算支出情况说明" in heads
    assert not any(h.startswith(("表1", "目录")) for h in heads)


def test_sub_tables_the_family_does_not_read_keep_their_rows(docs: dict) -> None:
    """表2-1 (经济分类, a title ending in a bracket), 表3-2, 表4-1 and 表6 are left out with a warning, and
    none of their rows joins the table before them."""
    sc = docs[SC]
    left_out = [w.message for w in sc.warnings if "left out" in w.message]
    for title in ("财政拨款支出预算表（部门经济分类科目）", "一般公共预算项目支出预算表", "政府性基金预算“三公”经费支出预算表",
                  "项目支出绩效目标表"):
        assert any(title in m for m in left_out), title
    kinds = {t.kind: t for t in sc.tables}
    assert not any(r.code for r in kinds["财政拨款收支总表"].rows)
    assert {r.code[0] for r in kinds["一般公共预算财政拨款基本支出表"].rows if r.code} == {"3"}
    assert "空表" in kinds["国有资本经营预算财政拨款支出表"].note


_SG_HEAD = "表7\n一般公共预算“三公”经费支出表\n部门：某县测试局 单位：万元\n项目 2024年预算数 2025年预算数"


@pytest.mark.parametrize("body, want", [
    # an item printed without figures holds nothing
    ("\n合计 22.10 20.40\n1.因公出国（境）费\n2.公务接待费 4.10 3.60\n3.公务用车购置及运行费 18.00 16.80\n"
     "其中：（1）公务用车购置费\n（2）公务用车运行费 18.00 16.80",
     {"合计": ((22.1, 0), (20.4, 0)), "因公出国（境）费": ((None, 0), (None, 0)), "公务接待费": ((4.1, 0), (3.6, 0)),
      "公务用车购置及运行费": ((18.0, 0), (16.8, 0)), "公务用车购置费": ((None, 0), (None, 0)),
      "公务用车运行费": ((18.0, 0), (16.8, 0))}),
    # the change printed after the years (增减额, 增减率（%）, signed; a change of 0 with no rate): read past
    (" 增减额 增减率（%）\n合计 34.10 14.00 -20.10 -58.94\n1.因公出国（境）费 0.00 0.00 0.00\n"
     "2.公务用车购置及运行费 30.60 10.80 -19.80 -64.71\n（1）公务用车购置费 18.00 0.00 -18.00 -100.00\n"
     "（2）公务用车运行费 12.60 10.80 -1.80 -14.29\n3.公务接待费 3.50 3.20 -0.30 -8.57",
     {"合计": ((34.1, 0), (14.0, 0)), "因公出国（境）费": ((0.0, 0), (0.0, 0)), "公务接待费": ((3.5, 0), (3.2, 0)),
      "公务用车购置及运行费": ((30.6, 0), (10.8, 0)), "公务用车购置费": ((18.0, 0), (0.0, 0)),
      "公务用车运行费": ((12.6, 0), (10.8, 0))}),
])
def test_a_one_row_table_printed_down_the_page(body: str, want: dict) -> None:
    """The 三公 table printed one line per item with a column per year: each item a row, the document's
    year 预算数 and the year before 上年预算数; the template's sums hold between the rows."""
    doc = parse_pages(_budget(_SG_HEAD + body), "t.txt")
    t = next(t for t in doc.tables if t.kind == "三公经费支出表")
    assert t.columns == ("上年预算数", "预算数")
    assert {r.label: tuple((c.value, c.uncertain) for c in r.cells) for r in t.rows} == want
    assert {r.label: r.group_name for r in t.rows}["公务用车运行费"] == "公务用车购置及运行费"


def test_a_column_name_printed_in_halves_and_a_part_never_more_than_its_whole() -> None:
    """``上年`` above the header line and ``结转`` below it are one column; the 部门支出总表's lone figure per
    row goes where the 一般公共预算 table (a part of it) has it — never into a column the part exceeds."""
    pages = _budget(
        "表2\n部门收入总表\n部门：某县测试局 单位：万元\n科目 本年收入\n上年\n"
        "科目编码 科目名称 合计 一般公共预算 政府性基金预算 事业收入\n结转\n合计 100.00 100.00\n"
        "201 一般公共服务支出 100.00 100.00\n20101 人大事务 100.00 100.00\n2010101 行政运行 60.00 60.00\n"
        "2010102 一般行政管理事务 40.00 40.00",
        "表3\n部门支出总表\n部门：某县测试局 单位：万元\n"
        "科目编码 科目名称 合计 基本支出 项目支出 上缴上级支出 对附属单位补助支出\n合计 100.00 60.00 40.00\n"
        "201 一般公共服务支出 100.00 60.00 40.00\n20101 人大事务 100.00 60.00 40.00\n2010101 行政运行 60.00 60.00\n"
        "2010102 一般行政管理事务 40.00 40.00",
        "表5\n一般公共预算支出表\n部门：某县测试局 单位：万元\n科目编码 科目名称 合计 基本支出 项目支出\n"
        "合计 100.00 60.00 40.00\n201 一般公共服务支出 100.00 60.00 40.00\n20101 人大事务 100.00 60.00 40.00\n"
        "2010101 行政运行 60.00 60.00\n2010102 一般行政管理事务 40.00 40.00")
    doc = parse_pages(pages, "t.txt")
    tabs = {t.kind: t for t in doc.tables}
    assert tabs["收入总表"].columns == ("合计", "上年结转", "一般公共预算拨款收入", "政府性基金预算拨款收入", "事业收入")
    zc = {r.code: {c.column: (c.value, c.uncertain) for c in r.cells} for r in tabs["支出总表"].rows if r.code}
    assert zc["2010101"] == {"合计": (60.0, 0), "基本支出": (60.0, 0), "项目支出": (None, 0),
                             "上缴上级支出": (None, 0), "对附属单位补助支出": (None, 0)}
    assert zc["2010102"]["项目支出"] == (40.0, 0) and zc["2010102"]["基本支出"] == (None, 0)


def test_a_table_read_with_no_rows_is_never_answered_0(tmp_path: Path) -> None:
    """The 三公 table whose rows the reader could not read and whose note says nothing is "not read"; an
    empty table is 0 only when the document says so (此表为空表)."""
    from askbudget import Assistant

    base = ("表5\n一般公共预算支出表\n部门：某县测试局 单位：万元\n科目编码 科目名称 合计 基本支出 项目支出\n"
            "合计 100.00 60.00 40.00\n201 一般公共服务支出 100.00 60.00 40.00\n")
    for note, value in (("", None), ("注：本部门无“三公”经费预算，此表为空表。", 0.0)):
        text = "\f".join(_budget(base, "表7\n一般公共预算“三公”经费支出表\n部门：某县测试局 单位：万元\n"
                                        "合计 因公出国（境）费 公务接待费\n3.20 20.40 一些无法读出的文字\n" + note))
        doc = tmp_path / f"t{value}.txt"
        doc.write_text(text, encoding="utf-8")
        db = tmp_path / f"t{value}.db"
        build_store([doc], db, quiet=True)
        a = Assistant(db).ask("三公经费预算多少")
        assert a.value == value and (a.status == "answered") == (value is not None), a.text
        if value is None:
            assert "不是0" in a.text


SG_TITLE = "一般公共预算“三公”经费支出表"
OTHER_FUND = "注：“三公”经费均为一般公共预算拨款安排，本部门无政府性基金预算安排的“三公”经费。"


@pytest.mark.parametrize("note,title,empty", [
    ("本部门无“三公”经费预算，此表为空表。", SG_TITLE, True),
    ("无财政拨款“三公”经费支出表预算，空表列示。", SG_TITLE, True),
    ("本单位无一般公共预算安排的“三公”经费。", SG_TITLE, True),
    ("本单位无政府性基金预算拨款安排的支出，故本表无数据。", "政府性基金预算财政拨款支出表", True),
    ("本部门2026年无国有资本经营预算财政拨款安排的预算。", "国有资本经营预算财政拨款支出表", True),
    ("无政府性基金预算财政拨款预算，空表列示。", "单位预算政府基金预算财政拨款支出表", True),
    # a note negating another fund, another table or a subject that is not the table's says nothing of it
    (OTHER_FUND, SG_TITLE, False),
    ("本部门无政府性基金预算安排的“三公”经费。", "“三公”经费支出预算表", False),
    ("本单位无国有资本经营预算拨款。", "政府性基金预算财政拨款支出表", False),
    ("本单位无一般公共预算财政拨款基本支出。", SG_TITLE, False),
    ("表4-1为空表。", SG_TITLE, False),
    ("", SG_TITLE, False),
])
def test_a_note_says_empty_only_of_its_own_table(note: str, title: str, empty: bool) -> None:
    from askbudget.notes import says_empty
    assert says_empty(note, title) is empty


@pytest.mark.parametrize("text,title,named", [
    ("“三公”经费财政拨款预算", SG_TITLE, True), ("一般公共预算财政拨款支出", SG_TITLE, False),
    ("政府性基金预算安排的“三公”经费", SG_TITLE, False), ("一般公共预算拨款", "单位预算政府基金预算财政拨款支出表", False),
    ("政府性基金预算拨款收入", "政府基金预算财政拨款支出表", True), ("一般公共预算拨款收入", "一般公共预算支出表", True),
])
def test_a_statement_names_a_tables_own_fund_or_subject(text: str, title: str, named: bool) -> None:
    from askbudget.notes import names_table
    assert names_table(text, title) is named


def _sangong_doc(tmp_path: Path, name: str, body: str, narrative: bool = True) -> Path:
    base = ("表5\n一般公共预算支出表\n部门：某县测试局 单位：万元\n科目编码 科目名称 合计 基本支出 项目支出\n"
            "合计 100.00 60.00 40.00\n201 一般公共服务支出 100.00 60.00 40.00\n")
    pages = _budget(base, f"表7\n{SG_TITLE}\n部门：某县测试局 单位：万元\n" + body)
    if narrative:
        pages.append("第三部分 2025年部门预算情况说明\n六、“三公”经费预算情况说明\n"
                     "2025年“三公”经费财政拨款预算10.60万元，比2024年预算减少21.10万元。")
    doc = tmp_path / f"{name}.txt"
    doc.write_text("\f".join(pages), encoding="utf-8")
    db = tmp_path / f"{name}.db"
    build_store([doc], db, quiet=True)
    return db


def test_a_sangong_table_printing_a_row_per_year(tmp_path: Path) -> None:
    """The 江苏 三公 table prints its previous year's row and its own (2024年预算数 / 2025年预算数) above a note
    negating another fund: both rows are read (预算数, 上年预算数), the note makes it no empty table."""
    from askbudget import Assistant

    db = _sangong_doc(tmp_path, "rows", "合计 因公出国（境）费 小计 购置费 运行费 公务接待费\n"
                      "2024年预算数 31.70 0.00 30.00 20.00 10.00 1.70\n2025年预算数 10.60 0.00 8.00 0.00 8.00 2.60\n"
                      + OTHER_FUND)
    tab = next(t for t in parse_file(tmp_path / "rows.txt").tables if t.kind == "三公经费支出表")
    got = {(r.label, c.column): c.value for r in tab.rows for c in r.cells}
    assert got[("合计", "预算数")] == 10.6 and got[("合计", "上年预算数")] == 31.7
    assert got[("公务接待费", "预算数")] == 2.6 and got[("公务用车运行费", "上年预算数")] == 10.0
    a = Assistant(db)
    for q, value in (("三公经费预算多少", 10.6), ("公务接待费多少", 2.6), ("公务用车购置费多少", 0.0)):
        ans = a.ask(q)
        assert ans.status == "answered" and ans.value == value, (q, ans.text)


def test_a_table_is_0_only_when_its_own_note_says_so_and_no_statement_says_otherwise(tmp_path: Path) -> None:
    """Rows not read under a note negating another fund: not read, never 0; a note saying this table is
    empty beside a narrative stating 10.60万元 for its subject: the two disagree, neither is answered."""
    from askbudget import Assistant

    unread = _sangong_doc(tmp_path, "unread", "合计 因公出国（境）费 公务接待费\n3.20 20.40 一些无法读出的文字\n"
                          + OTHER_FUND, narrative=False)
    ans = Assistant(unread).ask("三公经费预算多少")
    assert ans.status == "not_found" and ans.value is None and "不是0" in ans.text, ans.text
    said = _sangong_doc(tmp_path, "said", "合计 因公出国（境）费 公务接待费\n注：本部门无“三公”经费预算，此表为空表。")
    for q in ("三公经费预算多少", "公务接待费多少"):
        ans = Assistant(said).ask(q)
        assert ans.status == "not_found" and ans.value is None and "10.60" in ans.text, ans.text
    alone = _sangong_doc(tmp_path, "alone", "合计 因公出国（境）费 公务接待费\n注：本部门无“三公”经费预算，此表为空表。",
                         narrative=False)
    ans = Assistant(alone).ask("三公经费预算多少")
    assert ans.status == "answered" and ans.value == 0.0, ans.text


def test_a_sichuan_unit_budget_with_groups_above_its_columns_and_a_table_per_unit(tmp_path: Path) -> None:
    """四川 单位预算: a group printed above the columns (``科目编码 当年财政拨款安排`` over ``科目名称 合计 基本支出
    项目支出``, then ``类 款 项``) is header, every column read; the 三公 table printed per unit (``341009 <unit>
    32,000.00 …``) is its unit's row, placed by the narrative's items; an empty table printing a bare 合计 and
    its 注 is one empty table, never a second table named by its header."""
    from askbudget import Assistant

    U = "单位名称：某县测试学校 单位：元\n"
    pages = _budget(
        "表3\n一般公共预算支出预算表\n" + U + "科目编码 当年财政拨款安排\n科目名称 合计 基本支出 项目支出\n类 款 项\n"
        "合计 1,500,000.00 1,000,000.00 500,000.00\n205 教育支出 1,500,000.00 1,000,000.00 500,000.00\n"
        "205 03 职业教育 1,500,000.00 1,000,000.00 500,000.00\n205 03 02 中等职业教育 1,200,000.00 1,000,000.00 200,000.00\n"
        "205 03 99 其他职业教育支出 300,000.00 300,000.00",
        "表3-3\n一般公共预算“三公”经费支出预算表\n" + U + "单位编码 单位名称 当年财政拨款安排\n公务用车购置及运行费\n"
        "合计 因公出国（境）费 公务接待费\n小计 购置费 运行费\n341009 某县测试学校 32,000.00 24,000.00 24,000.00 8,000.00",
        "表4\n政府性基金支出预算表\n" + U + "科目编码 本年政府性基金预算支出\n科目名称 合计 基本支出 项目支出\n类 款 项\n合计\n"
        "注：本单位2026年无政府性基金预算拨款安排的支出，本表为空表。",
        "第二部分 2025年单位预算情况说明\n七、“三公”经费财政拨款预算情况说明\n2025年“三公”经费财政拨款预算3.20万元。其中：\n"
        "因公出国（境）费0万元；公务用车购置费0万元；公务用车运行维护费2.40万元；公务接待费0.80万元。")
    doc = tmp_path / "sc.txt"
    doc.write_text("\f".join(pages), encoding="utf-8")
    tabs = parse_file(doc).tables
    assert [t.kind for t in tabs] == ["一般公共预算财政拨款支出表", "三公经费支出表", "政府性基金预算财政拨款支出表"]
    gp = {r.code or r.label: {c.column: (c.value, c.uncertain) for c in r.cells} for r in tabs[0].rows}
    assert gp["2050302"] == {"合计": (120.0, 0), "基本支出": (100.0, 0), "项目支出": (20.0, 0)}
    assert gp["2050399"] == {"合计": (30.0, 0), "基本支出": (None, 0), "项目支出": (30.0, 0)}
    sg = {r.label: (r.cells[0].value, r.cells[0].uncertain) for r in tabs[1].rows}
    assert sg["合计"] == (3.2, 0) and sg["公务接待费"] == (0.8, 0) and sg["公务用车运行费"] == (2.4, 0)
    assert sg["公务用车购置费"] == (None, 0) and sg["因公出国（境）费"] == (None, 0)
    assert tabs[2].rows == () and "本表为空表" in tabs[2].note
    db = tmp_path / "sc.db"
    build_store([doc], db, quiet=True)
    a = Assistant(db)
    for q, value in (("三公经费预算多少", 3.2), ("公务用车运行维护费多少", 2.4), ("中等职业教育的项目支出", 20.0),
                     ("政府性基金支出多少", 0.0)):
        ans = a.ask(q)
        assert ans.status == "answered" and ans.value == value, (q, ans.text)


def test_the_carry_over_of_each_source_is_a_part_of_the_carry_over() -> None:
    """Under 上年结转 (after 本年收入合计) the 收支总表 lists each source's carry-over by the source's name
    (一般公共预算拨款 / 事业收入): parts of 上年结转 on the 收入 side, never items of the 支出 side or sources
    of this year's income."""
    pages = _budget(
        "表1\n单位收支总表\n单位名称：某县测试学校 单位：元\n收 入 支 出\n项 目 预算数 项 目 预算数\n"
        "一、一般公共预算拨款收入 1,000,000.00 一、教育支出 1,350,000.00\n二、政府性基金预算拨款收入 二、住房保障支出\n"
        "三、事业收入 200,000.00\n本年收入合计 1,200,000.00 本年支出合计 1,350,000.00\n上年结转 150,000.00 结转下年\n"
        "一般公共预算拨款 120,000.00\n政府性基金预算拨款\n事业收入 30,000.00\n收入总计 1,350,000.00 支出总计 1,350,000.00")
    doc = parse_pages(pages, "t.txt")
    rows = {(r.side, r.label, r.group_name): r.cells[0].value for t in doc.tables for r in t.rows}
    assert rows[("收入", "一般公共预算拨款", "上年结转")] == 12.0 and rows[("收入", "事业收入", "上年结转")] == 3.0
    assert rows[("收入", "事业收入", "")] == 20.0 and rows[("收入", "上年结转", "")] == 15.0
    assert not any(side == "支出" and label in ("一般公共预算拨款", "事业收入") for side, label, _ in rows)


def test_words_the_narrative_states_a_figure_for_name_that_figure(tmp_path: Path) -> None:
    """机关运行经费 is a colloquial name of 公用经费 in the lexicon; a department whose narrative states its own
    机关运行经费 (less than its 公用经费: its 事业单位 are not 机关) is answered with that figure."""
    from askbudget import Assistant

    text = "\f".join(_budget(
        "表5\n一般公共预算支出表\n部门：某县测试局 单位：万元\n科目编码 科目名称 合计 基本支出 项目支出\n小计 人员经费 公用经费\n"
        "合计 300.00 300.00 60.60 239.40\n201 一般公共服务支出 300.00 300.00 60.60 239.40\n",
        "第三部分 2025年部门预算情况说明\n八、机关运行经费安排情况\n2025年本部门机关运行经费预算151.26万元，比2024年预算减少8.74万元。"))
    doc = tmp_path / "t.txt"
    doc.write_text(text, encoding="utf-8")
    build_store([doc], tmp_path / "t.db", quiet=True)
    a = Assistant(tmp_path / "t.db")
    assert a.ask("机关运行经费是多少").value == 151.26
    assert a.ask("公用经费是多少").value == 239.4


# a 北京-style 决算's 三公 table: its 预算数 block, then its 决算数 block, under a row of column numbers alone
BLOCKED_SANGONG = [
    "某市某区某局\n2024年度部门决算\n",
    "财政拨款“三公”经费支出决算表\n公开09表\n部门：某市某区某局 金额单位：万元\n预算数 决算数\n"
    "因公出 公务用车购置及运行费 公务 因公出 公务用车购置及运行费 公务\n"
    "合计 国（境） 公务用车 公务用车 接待 合计 国（境） 公务用车 公务用车 接待\n"
    "费 小计 购置费 运行费 费 费 小计 购置费 运行费 费\n"
    "1 2 3 4 5 6 7 8 9 10 11 12\n"
    "51.50 0.00 50.00 26.00 24.00 1.50 47.47 0.00 46.85 25.48 21.37 0.62\n"
    "注：本表反映部门本年度“三公”经费支出预决算情况。\n",
    "第四部分 名词解释\n一、“三公”经费：指用财政拨款安排的因公出国（境）费、公务用车购置及运行维护费和公务接待费。\n"
    "二、年末结转和结余：指单位按有关规定结转到下年或以后年度继续使用的资金。\n",
]


def test_a_one_row_table_printed_in_blocks_is_read_in_its_order() -> None:
    """A row of column numbers alone (1 … 12) is header, never the row of figures; the figures are the
    预算数 block then the 决算数 block, which the template's sums prove (its pairs order breaks them)."""
    doc = parse_pages(BLOCKED_SANGONG, "blocked.txt", name="blocked")
    got = {(r.name, c.column): (c.value, c.uncertain) for t in doc.tables for r in t.rows for c in r.cells}
    assert got[("合计", "预算数")] == (51.5, 0) and got[("合计", "决算数")] == (47.47, 0)
    assert got[("公务用车购置费", "预算数")] == (26.0, 0) and got[("公务用车购置费", "决算数")] == (25.48, 0)
    assert got[("公务用车运行维护费", "决算数")] == (21.37, 0) and got[("公务接待费", "决算数")] == (0.62, 0)
    assert got[("公务用车购置及运行维护费", "预算数")] == (50.0, 0)
    assert [g.term for g in doc.glossary] == ["“三公”经费", "年末结转和结余"]  # entries numbered 一、二、


def test_a_refusal_on_a_final_says_final(tmp_path: Path) -> None:
    """A month or a year a 决算 does not hold is refused naming what the store holds: the 决算, never 预算."""
    from askbudget import Assistant

    src = tmp_path / "blocked.txt"
    src.write_text("\f".join(BLOCKED_SANGONG), encoding="utf-8")
    build_store([src], tmp_path / "b.db", quiet=True)
    a = Assistant(tmp_path / "b.db")
    month = a.ask("2024年12月的公务接待费是多少")
    assert month.status != "answered" and "全年决算" in month.text and "预算" not in month.text.replace("决算", "")
    later = a.ask("2025年三公经费是多少")
    assert later.status == "not_found" and "2024年的决算" in later.text
    assert a.ask("三公经费决算多少").value == 47.47

"""A 部门's budget printed by 单位: tests/data/zhejiang-weijian-2025.txt is the Zhejiang 淳安县水利局 2025 部门预算
(tests/data/zhejiang-shuili-2025.txt) renamed 淳安县卫生健康局, its 部门收入预算总表 and 部门支出预算总表 replaced by
tables whose rows are its four units (``101002 淳安县疾病预防控制中心 9000.00 6000.00 3000.00``), their sums
consistent with the rest of the document. A unit's row is stored with its name as the label; a question names it
by its full name, its name without its places or an abbreviation, and 本级 names the 部门's own (本级) row — never a
unit of the store, never the 部门's figure."""
from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from askbudget import build_store
from askbudget.assistant import Assistant
from askbudget.ingest.subjects import unit_row

DATA = Path(__file__).parent / "data"
DOC = DATA / "zhejiang-weijian-2025.txt"
UNIT_LINE = re.compile(r"^(\d{6}) (\S+) ([\d.]+(?: [\d.]+)*)\s*(?:\f.*)?$")


def _printed() -> dict[str, dict[str, list[float]]]:
    """The units' lines as the document prints them: table title → unit name → its figures."""
    out: dict[str, dict[str, list[float]]] = {}
    title = ""
    for line in DOC.read_text(encoding="utf-8").replace("\f", "\n").splitlines():
        if line.endswith(("部门收入预算总表", "部门支出预算总表")):
            title = line
        m = UNIT_LINE.match(line)
        if m and title:
            out.setdefault(title, {})[m.group(2)] = [float(x) for x in m.group(3).split()]
    return out


PRINTED = _printed()
INCOME = next(v for k, v in PRINTED.items() if k.endswith("收入预算总表"))
SPENDING = next(v for k, v in PRINTED.items() if k.endswith("支出预算总表"))
JK, JD, JY, BJ = "淳安县疾病预防控制中心", "淳安县卫生监督所", "淳安县卫生检验所", "淳安县卫生健康局（本级）"
# 支出: 合计 基本支出 项目支出; 收入: 合计 then the columns its arithmetic places (上年结转, 一般公共预算拨款收入 …)
TOTAL, BASIC, PROJECT = 0, 1, 2


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("subunits") / "weijian.db"
    build_store([DOC], path, quiet=True)
    return path


@pytest.fixture(scope="module")
def a(db: Path) -> Assistant:
    return Assistant(db, warm=False)


def test_the_document_prints_four_units_in_both_tables() -> None:
    assert set(INCOME) == set(SPENDING) == {BJ, JK, JD, JY}
    for col in (TOTAL, BASIC, PROJECT):  # the 合计 row is the sum of the units' rows
        assert round(sum(f[col] for f in SPENDING.values()), 2) == {0: 260314.40, 1: 21714.40, 2: 238600.00}[col]


def test_a_units_row_is_stored_under_its_name_cell_by_cell(db: Path) -> None:
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT t.kind, r.name, r.label, r.code, r.is_total, c.column, c.raw, c.value, c.uncertain "
                        "FROM rows r JOIN tables t ON t.id = r.table_id JOIN cells c ON c.row_id = r.id "
                        "WHERE t.kind IN ('收入总表', '支出总表') AND r.is_total = 0").fetchall()
    labels = {(kind, label) for kind, _, label, *_ in rows}
    assert labels == {(k, u) for k in ("收入总表", "支出总表") for u in (BJ, JK, JD, JY)}
    for kind, name, label, code, is_total, column, raw, value, uncertain in rows:
        assert re.fullmatch(r"1010\d\d " + re.escape(label), name)  # the unit code kept as printed
        assert code is None and not is_total and not uncertain  # never a 功能分类 code
        printed = (SPENDING if kind == "支出总表" else INCOME)[label]
        if kind == "支出总表":
            assert value == printed[["合计", "基本支出", "项目支出"].index(column)]
        elif column == "合计":
            assert value == printed[0]
        elif raw:
            assert value in printed[1:]
    stored = {label: {c: v for k, _, lab, _, _, c, _, v, _ in rows if k == "收入总表" and lab == label and v}
              for label in INCOME}
    assert stored[BJ] == {"合计": 241314.40, "上年结转": 5000.00, "一般公共预算拨款收入": 116314.40,
                          "政府性基金预算拨款收入": 120000.00}  # placed by the table's sums: Σ units = 合计
    assert stored[JK] == {"合计": 9000.00, "一般公共预算拨款收入": 9000.00}


@pytest.mark.parametrize("label, header, want", [
    ("101002 淳安县疾病预防控制中心", False, ("101002", "淳安县疾病预防控制中心")),
    ("101001 淳安县卫生健康局（本级）", False, ("101001", "淳安县卫生健康局（本级）")),
    ("341009 某某单位", True, ("341009", "某某单位")),  # any name under a 单位编码/单位名称 header
    ("341009 某某单位", False, None),  # no organisation's name, no such header
    ("2080505 机关事业单位基本养老保险缴费支出", True, None),  # a 功能分类 code: 7 digits
    ("101001 合计", True, None),
])
def test_unit_row(label: str, header: bool, want: tuple[str, str] | None) -> None:
    assert unit_row(label, header) == want


# (question, unit, table, column): the figure is the unit's printed one
ASKED = [
    ("疾控中心项目支出多少", JK, SPENDING, PROJECT),  # an abbreviation: the characters of its name, in order
    ("疾控中心的基本支出是多少？", JK, SPENDING, BASIC),
    ("疾病预防控制中心项目支出", JK, SPENDING, PROJECT),  # without its places
    ("淳安县疾病预防控制中心项目支出多少", JK, SPENDING, PROJECT),  # in full
    ("卫生监督所的基本支出", JD, SPENDING, BASIC),
    ("监督所项目支出多少", JD, SPENDING, PROJECT),  # the tail of its name
    ("检验所的基本支出", JY, SPENDING, BASIC),
    ("卫生检验所2025年项目支出是多少", JY, SPENDING, PROJECT),
    ("疾控中心今年预算多少", JK, SPENDING, TOTAL),
    ("疾控中心收入合计", JK, INCOME, TOTAL),  # a grand total after the unit: its own row's
    ("疾控中心的总支出", JK, SPENDING, TOTAL),
    ("卫生监督所支出合计", JD, SPENDING, TOTAL),
    ("疾控中心本年收入合计", JK, INCOME, TOTAL),
    ("疾控中心今年支出合计是多少？", JK, SPENDING, TOTAL),  # a year between the unit and the total
    ("局本级项目支出多少", BJ, SPENDING, PROJECT),  # 本级: the 部门's own row, never the 部门's whole
    ("本级的基本支出", BJ, SPENDING, BASIC),
    ("卫健局本级项目支出", BJ, SPENDING, PROJECT),
    ("卫生健康局本级的支出合计", BJ, SPENDING, TOTAL),
]


@pytest.mark.parametrize("q, unit, table, col", ASKED, ids=[q for q, *_ in ASKED])
def test_a_unit_of_the_department_is_answered_from_its_row(a: Assistant, q: str, unit: str,
                                                            table: dict[str, list[float]], col: int) -> None:
    a.reset()
    got = a.ask(q)
    assert got.status == "answered" and got.value == pytest.approx(table[unit][col]), got.text
    assert got.citations and all(c.row.endswith(unit) for c in got.citations), got.citations


@pytest.mark.parametrize("q, value", [
    ("疾控中心的一般公共预算拨款收入", 9000.00),  # a column of the 收入 table
    ("疾控中心的事业收入", 0.0),  # printed empty: nothing budgeted
    ("本级的上年结转", 5000.00),
    ("本级政府性基金预算拨款收入", 120000.00),
])
def test_a_units_income_by_source(a: Assistant, q: str, value: float) -> None:
    a.reset()
    got = a.ask(q)
    assert got.status == "answered" and got.value == pytest.approx(value), got.text


@pytest.mark.parametrize("q, value", [
    ("项目支出多少", 238600.00),  # no unit named: the 部门's
    ("卫生健康局项目支出多少", 238600.00),  # the store's unit, no 本级
    ("卫健局的基本支出", 21714.40),
])
def test_the_department_itself_is_still_the_whole(a: Assistant, q: str, value: float) -> None:
    a.reset()
    got = a.ask(q)
    assert got.status == "answered" and got.value == pytest.approx(value), got.text


@pytest.mark.parametrize("q", ["人民医院项目支出多少", "中医院的基本支出", "卫生院项目支出", "妇幼保健院预算多少"])
def test_a_unit_that_is_no_row_is_refused(a: Assistant, q: str) -> None:
    a.reset()
    got = a.ask(q)
    assert got.status == "not_found" and got.value is None and "库中没有" in got.text, got.text


@pytest.mark.parametrize("q", ["疾控中心的三公经费", "疾控中心的电费", "监督所的住房公积金", "本级的人员经费",
                               "疾控中心的财政拨款", "卫生检验所的一般公共预算支出", "疾控中心去年项目支出"])
def test_a_figure_the_units_row_does_not_hold_is_never_the_departments(a: Assistant, q: str) -> None:
    """The document breaks down only its 收入/支出 totals by unit: anything else asked of a unit is not answered —
    neither with the 部门's figure (a narrative sentence, another table) nor with another unit's."""
    a.reset()
    got = a.ask(q)
    assert got.status != "answered" and got.value is None, got.text


def test_two_units_that_fit_are_asked_about_and_the_choice_answers(a: Assistant) -> None:
    a.reset()
    got = a.ask("卫生所的项目支出")  # 卫生监督所 and 卫生检验所 both hold 卫生…所
    assert got.status == "ambiguous" and got.value is None and JD in got.text and JY in got.text, got.text
    got = a.ask("检验所呢")
    assert got.status == "answered" and got.value == pytest.approx(SPENDING[JY][PROJECT]), got.text


@pytest.mark.parametrize("turns", [
    [("疾控中心预算多少", SPENDING[JK][TOTAL]), ("那项目支出呢", SPENDING[JK][PROJECT]),
     ("基本支出呢", SPENDING[JK][BASIC])],
    [("疾控中心项目支出", SPENDING[JK][PROJECT]), ("监督所呢", SPENDING[JD][PROJECT]),
     ("本级呢", SPENDING[BJ][PROJECT])],
    [("中医院预算多少", None), ("那项目支出呢", None), ("基本支出呢", None)],  # never the 部门's figure
    [("中医院预算多少", None), ("疾控中心的项目支出呢", SPENDING[JK][PROJECT])],
    [("中医院预算多少", None), ("项目支出多少", 238600.00)],  # a question of its own: the 部门's
], ids=lambda t: "→".join(q for q, _ in t))
def test_follow_ups(a: Assistant, turns: list[tuple[str, float | None]]) -> None:
    a.reset()
    for q, value in turns:
        got = a.ask(q)
        if value is None:
            assert got.status == "not_found" and got.value is None and "中医院" in got.text, (q, got.text)
        else:
            assert got.status == "answered" and got.value == pytest.approx(value), (q, got.text)


NAMES = {JK: ["疾控中心", "疾病预防控制中心", "淳安县疾病预防控制中心"],
         JD: ["监督所", "卫生监督所", "淳安县卫生监督所"],
         BJ: ["本级", "局本级", "卫健局本级", "卫生健康局本级"]}
ASKS = [("{}项目支出多少", PROJECT), ("{}的基本支出", BASIC), ("{}今年支出合计是多少？", TOTAL), ("{}2025年预算多少", TOTAL)]


@pytest.mark.parametrize("unit", list(NAMES))
def test_every_name_of_a_unit_gets_the_same_answer(a: Assistant, unit: str) -> None:
    """Metamorphic: the abbreviation, the name without its places and the full name are one unit."""
    for pattern, col in ASKS:
        got = []
        for name in NAMES[unit]:
            a.reset()
            ans = a.ask(pattern.format(name))
            got.append((ans.status, ans.value))
        assert got == [("answered", pytest.approx(SPENDING[unit][col]))] * len(NAMES[unit]), (pattern, got)


def test_benji_keeps_its_meaning_where_no_row_is_one(gongan_store: Path) -> None:
    """The Hebei seed's unit is itself named …(本级): there 本级 is the unit, its figures the whole document's."""
    with Assistant(gongan_store, warm=False) as g:
        want = g.ask("电费多少")
        for q in ("本级电费多少", "分局本级的电费"):
            g.reset()
            got = g.ask(q)
            assert got.status == want.status == "answered" and got.value == want.value, got.text


def test_another_units_benji_in_one_store_is_that_units(tmp_path: Path, gongan_doc: Path) -> None:
    """A store holding the 部门 and the Hebei 分局 (named …(本级)): 分局本级 is the 分局, 局本级 the 部门's 本级 row."""
    db = tmp_path / "mixed.db"
    build_store([DOC, gongan_doc], db, quiet=True)
    with Assistant(db, warm=False) as m:
        for q, value in [("分局本级的电费", 95.00), ("公安分局本级电费", 95.00),
                         ("卫健局本级项目支出", SPENDING[BJ][PROJECT]), ("疾控中心项目支出", SPENDING[JK][PROJECT])]:
            m.reset()
            got = m.ask(q)
            assert got.status == "answered" and got.value == pytest.approx(value), got.text


def test_a_units_short_name_that_is_a_subjects_name_is_the_subject(tmp_path: Path) -> None:
    """A unit whose name without its places is a 功能分类 subject's too (苏州市吴江区博物馆 beside 2070205 博物馆; here
    淳安县水利 beside 21303 水利): the short name, with its code or 科目, is the subject as the vocabulary reads it —
    never the unit's row added to it (博物馆科目（2070205）支出合计 was 824.74 + 682.55)."""
    text = DOC.read_text(encoding="utf-8").replace("淳安县卫生检验所", "淳安县水利")
    f = tmp_path / DOC.name
    f.write_text(text, encoding="utf-8")
    build_store([f], tmp_path / "s.db", quiet=True)
    with Assistant(tmp_path / "s.db", warm=False) as a:
        for q in ("水利科目（21303）支出合计多少", "水利支出合计多少", "21303支出合计多少"):
            a.reset()
            got = a.ask(q)
            assert got.status == "answered" and got.value == pytest.approx(129402.30), (q, got.text)
        a.reset()
        got = a.ask("淳安县水利的项目支出")  # named with its places: the unit's row
        assert got.status == "answered" and got.value == pytest.approx(2500.0), got.text

"""决算 (final accounts) on the answer side (issue 10, phase 1), on 决算 documents made from the Tangshan
budgets without a 决算 reader (tests/final_util.py): the document kind in the store, 预算/决算 words,
one kind per unit-year, 执行率, reasons, tables the 决算 template has and a document lacks, and the
决算 check rules."""
from __future__ import annotations

import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from askbudget import Assistant
from askbudget.check import run_checks
from askbudget.ingest import parse_file

from final_util import CZJ_2022, CZJ_2023, GONGAN_2023, figure, final_from_budget, write_store

CZJ = "唐山市高新技术产业开发区财政局(本级)"


def czj_narrative(pct_done: str = "90.00", pct_growth: str = "10.00", extra: str = "") -> str:
    return f"""
# {CZJ} 2023 年度部门决算情况说明
## 一、收入支出决算总体情况说明
{CZJ}2023年度收入支出总计800.41万元。与2022年度相比，收入支出总计增加72.76万元，增长{pct_growth}%。主要原因：信息化项目增加。
## 五、一般公共预算财政拨款支出决算情况说明
### （三）一般公共预算财政拨款支出决算具体情况
一般公共预算财政拨款支出年初预算为871.34万元，支出决算为784.21万元，完成年初预算的{pct_done}%。决算数小于预算数的主要原因：严格控制一般性支出，部分项目年中调减。其中：
1、一般公共服务支出（类）财政事务（款）行政运行（项）。主要用于机关正常运转。年初预算为484.04万元，支出决算为435.64万元。决算数小于预算数的主要原因：人员调出，工资支出减少。
2、一般公共服务支出（类）财政事务（款）一般行政管理事务（项）。主要用于财政业务工作。年初预算为121.10万元，支出决算为108.99万元。
3、一般公共服务支出（类）财政事务（款）其他财政事务支出（项）。主要用于预算管理一体化系统建设。年初预算为122.50万元，支出决算为110.25万元。决算数小于预算数的主要原因：系统建设按合同进度付款。
## 七、财政拨款“三公”经费支出决算情况说明
“三公”经费财政拨款支出年初预算为10.20万元，支出决算为9.18万元，完成预算的90.00%。2023年度“三公”经费支出决算数小于预算数的主要原因：厉行节约，公务接待减少。
## 十一、其他重要事项的情况说明
### （一）机关运行经费支出情况
机关运行经费支出48.60万元，比2022年度增加4.60万元，增长10.45%。主要原因是办公设备更新。
### （二）政府采购支出情况
{CZJ}2023年度政府采购金额（以合同签订为准）为81.18万元，其中：货物采购金额16.20万元、工程采购金额0.00万元、服务采购金额64.98万元。
{extra}
## 第四部分 名词解释
一、财政拨款收入：指单位本年度从本级财政部门取得的财政拨款。
"""


def gongan_narrative(budget) -> str:  # type: ignore[no-untyped-def]
    b = figure(budget, "一般公共预算财政拨款支出表", "合计", "合计")
    return f"""
# 唐山市公安局高新技术产业开发区分局(本级) 2023 年度部门决算情况说明
## 五、一般公共预算财政拨款支出决算情况说明
### （三）一般公共预算财政拨款支出决算具体情况
一般公共预算财政拨款支出年初预算为{b:.2f}万元，支出决算为{b * 1.1:.2f}万元，完成年初预算的110.00%。决算数大于预算数的主要原因：年中追加办案经费。
"""


@pytest.fixture(scope="module")
def docs():  # type: ignore[no-untyped-def]
    czj_budget = parse_file(CZJ_2023)
    gongan_budget = parse_file(GONGAN_2023)
    return {
        "czj_budget": czj_budget,
        "czj_2022": parse_file(CZJ_2022),
        "czj_final": final_from_budget(CZJ_2023, Decimal("0.9"), czj_narrative()),
        "gongan_final": final_from_budget(GONGAN_2023, Decimal("1.1"), gongan_narrative(gongan_budget),
                                          drop=("政府性基金预算财政拨款支出表",)),
        "gongan_budget": gongan_budget,
    }


@pytest.fixture(scope="module")
def stores(docs, tmp_path_factory):  # type: ignore[no-untyped-def]
    d = tmp_path_factory.mktemp("final")
    return {
        # 财政局 2023: 预算 and 决算; 2022: 预算 only. 公安分局 2023: 决算 only
        "mixed": write_store([docs["czj_budget"], docs["czj_final"], docs["gongan_final"], docs["czj_2022"]],
                             d / "mixed.db"),
        "final_only": write_store([docs["czj_final"]], d / "final_only.db"),
        "budget_only": write_store([docs["czj_budget"]], d / "budget_only.db"),
    }


@pytest.fixture(scope="module")
def mixed(stores):  # type: ignore[no-untyped-def]
    return Assistant(stores["mixed"])


@pytest.fixture(scope="module")
def final_only(stores):  # type: ignore[no-untyped-def]
    return Assistant(stores["final_only"])


@pytest.fixture(scope="module")
def budget_only(stores):  # type: ignore[no-untyped-def]
    return Assistant(stores["budget_only"])


# ------------------------------------------------------------------ the store

def test_one_store_holds_a_units_budget_and_final_of_the_same_year(stores):  # type: ignore[no-untyped-def]
    conn = sqlite3.connect(stores["mixed"])
    rows = conn.execute("SELECT unit_code, year, kind FROM documents ORDER BY unit_code, year, kind").fetchall()
    assert rows == [("121001", 2022, "预算"), ("121001", 2023, "决算"), ("121001", 2023, "预算"),
                    ("122001", 2023, "决算")]


def test_reingesting_a_final_replaces_only_the_final(docs, tmp_path):  # type: ignore[no-untyped-def]
    db = write_store([docs["czj_budget"], docs["czj_final"]], tmp_path / "s.db")
    write_store([docs["czj_final"]], db)
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT kind, count(*) FROM documents GROUP BY kind ORDER BY kind").fetchall() == \
        [("决算", 1), ("预算", 1)]
    # the final's cells are there once, not twice
    n = conn.execute("SELECT count(*) FROM cells c JOIN documents d ON d.id = c.document_id WHERE d.kind = '决算'").fetchone()[0]
    assert n == docs["czj_final"].n_cells


def test_a_store_of_the_older_schema_gets_the_kind_column(docs, tmp_path):  # type: ignore[no-untyped-def]
    import sqlite_utils

    from askbudget.ingest.write import ensure_schema

    db = sqlite_utils.Database(tmp_path / "old.db")
    db["documents"].create({"id": int, "name": str, "unit_code": str, "year": int}, pk="id")
    db["documents"].insert({"id": 1, "name": "x", "unit_code": "1", "year": 2020})
    ensure_schema(db)
    assert db.execute("SELECT kind FROM documents").fetchall() == [("预算",)]


# ------------------------------------------------------------------ answers: (question, value, unit, words the text has)

CZJ_FINAL = 0.9  # the made 决算 is the budget × 0.9, figure by figure


@pytest.mark.parametrize("q,value,unit,has", [
    # a 决算 word reads the 决算
    ("财政局2023年电费实际花了多少", None, "万元", ["决算"]),
    ("财政局基本工资决算数是多少", 168.36 * 0.9, "万元", ["2023年决算数"]),
    ("财政局三公经费实际支出多少", 9.18, "万元", ["决算数"]),
    ("财政局公务接待费决算多少", 2.16, "万元", ["决算数"]),
    ("财政局的三公经费执行数", 9.18, "万元", ["决算"]),
    ("财政局津贴补贴实际花了多少", 215.48 * 0.9, "万元", ["决算"]),
    ("财政局支出决算表里行政运行多少", 484.04 * 0.9, "万元", ["决算"]),
    # a budget word reads the 预算
    ("财政局基本工资预算是多少", 168.36, "万元", ["预算"]),
    ("财政局津贴补贴安排了多少钱", 215.48, "万元", ["预算"]),
    ("财政局三公经费预算多少", 10.2, "万元", ["预算"]),
    # neither: the 预算, saying a 决算 exists and offering it
    ("财政局基本工资是多少", 168.36, "万元", ["预算", "决算"]),
    # only a 决算 for the unit-year: that is the answer, named as one
    ("公安分局电费多少", 95.0 * 1.1, "万元", ["2023年决算数"]),
    ("公安分局电费花了多少", 95.0 * 1.1, "万元", ["决算"]),
])
def test_kind_words_read_the_kind(mixed, docs, q, value, unit, has):  # type: ignore[no-untyped-def]
    mixed.reset()
    ans = mixed.ask(q)
    assert ans.status == "answered", (q, ans.text)
    if value is None and "电费" in q:
        value = figure(docs["czj_final"], "一般公共预算财政拨款基本支出表", "电费", "决算数")
    assert ans.value == pytest.approx(value, abs=0.006), (q, ans.text)
    assert ans.unit == unit
    for w in has:
        assert w in ans.text, (q, ans.text)
    kinds = {c.kind for c in ans.citations}
    want = "决算" if ("决算" in has or "决算数" in "".join(has)) and "预算" not in has else None
    if want:
        assert kinds == {want}, (q, [c.to_dict() for c in ans.citations])
    assert all(c.to_dict()["kind"] in ("预算", "决算") for c in ans.citations)


def test_neither_word_offers_the_other_kind(mixed):  # type: ignore[no-untyped-def]
    mixed.reset()
    ans = mixed.ask("财政局基本工资是多少")
    assert ans.value == pytest.approx(168.36) and {c.kind for c in ans.citations} == {"预算"}
    assert any("决算" in s for s in ans.suggestions), ans.suggestions
    other = mixed.ask(ans.suggestions[0])
    assert other.status == "answered" and other.value == pytest.approx(168.36 * 0.9, abs=0.006), other.text


def test_a_final_citation_names_its_kind(mixed):  # type: ignore[no-untyped-def]
    mixed.reset()
    ans = mixed.ask("财政局基本工资决算数是多少")
    c = ans.citations[0]
    assert c.kind == "决算" and c.to_dict()["kind"] == "决算" and "决算" in c.label()
    assert c.table == "一般公共预算财政拨款基本支出决算表"


@pytest.mark.parametrize("q", [
    "电费实际花了多少", "电费的决算数是多少", "三公经费执行了多少", "培训费实际支出了多少", "电费已经花了多少",
])
def test_a_budget_only_store_keeps_the_refusal(budget_only, q):  # type: ignore[no-untyped-def]
    budget_only.reset()
    ans = budget_only.ask(q)
    assert ans.status != "answered" and ans.value is None, (q, ans.text)
    assert "没有实际支出" in ans.text or "没有" in ans.text


def test_a_final_asked_of_a_year_with_only_a_budget_is_refused(mixed):  # type: ignore[no-untyped-def]
    mixed.reset()
    ans = mixed.ask("财政局2022年电费实际花了多少")
    assert ans.status == "not_found" and ans.value is None, ans.text
    assert "2022年" in ans.text and "决算" in ans.text and "2023年决算" in ans.text


def test_colloquial_spending_words_read_the_budget_of_a_budget_only_store_as_a_budget(budget_only, docs):  # type: ignore[no-untyped-def]
    budget_only.reset()
    ans = budget_only.ask("电费花了多少钱")
    want = figure(docs["czj_budget"], "一般公共预算财政拨款基本支出表", "电费", "合计")
    assert ans.status == "answered" and "预算" in ans.text and ans.value == pytest.approx(want), ans.text


# ------------------------------------------------------------------ 执行率 and the difference

@pytest.mark.parametrize("q,value,unit", [
    ("财政局基本工资执行率是多少", 90.0, "%"),
    ("财政局电费预算执行得怎么样", 90.0, "%"),
    ("财政局三公经费的预算完成率", 90.0, "%"),
    ("财政局基本工资决算比预算少多少", 168.36 * 0.1, "万元"),
    ("财政局行政运行没花完多少", 484.04 * 0.1, "万元"),
])
def test_execution_rate_and_difference(mixed, q, value, unit):  # type: ignore[no-untyped-def]
    mixed.reset()
    ans = mixed.ask(q)
    assert ans.status == "answered", (q, ans.text)
    assert ans.value == pytest.approx(value, abs=0.01) and ans.unit == unit, (q, ans.text)
    assert "÷" in ans.derivation and "−" in ans.derivation
    assert "决算数" in ans.text and "预算数" in ans.text


@pytest.mark.parametrize("q,value,unit,has", [
    ("电费多少", 95.0 * 0.9 * 0 + 0, "万元", "2023年决算数"),
    ("三公经费预算是多少", 10.2, "万元", "预算数"),
    ("公务接待费安排了多少", 2.4, "万元", "预算数"),
    ("三公经费执行率", 90.0, "%", "执行率"),
    ("公务接待费比预算少多少", 0.24, "万元", "决算比预算少"),
])
def test_a_final_alone(final_only, docs, q, value, unit, has):  # type: ignore[no-untyped-def]
    """A store with only the 决算: its figures, and the 预算数 its 三公 table prints beside them."""
    final_only.reset()
    ans = final_only.ask(q)
    if q == "电费多少":
        value = figure(docs["czj_final"], "一般公共预算财政拨款基本支出表", "电费", "决算数")
    assert ans.status == "answered" and ans.value == pytest.approx(value, abs=0.006) and ans.unit == unit, (q, ans.text)
    assert has in ans.text and {c.kind for c in ans.citations} == {"决算"}, (q, ans.text)


@pytest.mark.parametrize("q", ["电费预算是多少", "基本工资安排了多少"])
def test_a_budget_the_final_alone_does_not_print_is_not_its_final_figure(final_only, q):  # type: ignore[no-untyped-def]
    final_only.reset()
    ans = final_only.ask(q)
    assert ans.status != "answered" and ans.value is None, (q, ans.text)


def test_execution_cites_both_documents(mixed):  # type: ignore[no-untyped-def]
    mixed.reset()
    ans = mixed.ask("财政局基本工资执行率是多少")
    assert {c.kind for c in ans.citations} == {"预算", "决算"}
    assert {c.document for c in ans.citations} == {"tangshan-gaoxin-czj-2023", "tangshan-gaoxin-czj-2023-final"}


@pytest.mark.parametrize("q", ["财政局2022年基本工资执行率", "公安分局电费执行率是多少"])
def test_execution_needs_both_figures(mixed, q):  # type: ignore[no-untyped-def]
    mixed.reset()
    ans = mixed.ask(q)
    assert ans.status != "answered" and ans.value is None, (q, ans.text)


def test_two_kinds_are_never_combined(mixed):  # type: ignore[no-untyped-def]
    mixed.reset()
    ans = mixed.ask("财政局和公安分局的电费合计")  # 财政局: its 预算; 公安分局: only a 决算
    assert ans.status != "answered" or {c.kind for c in ans.citations} == {"预算"} or ans.value is None, ans.text


# ------------------------------------------------------------------ reasons

@pytest.mark.parametrize("q,has,status", [
    ("财政局行政运行为什么没花完", "人员调出", "answered"),
    ("财政局其他财政事务支出为什么没花完", "按合同进度付款", "answered"),
    ("财政局三公经费为什么没花完", "厉行节约", "answered"),
    ("财政局一般行政管理事务为什么没花完", "没有说明", "not_found"),  # the item gives no reason
    ("财政局住房公积金为什么没花完", "没有说明", "not_found"),  # the narrative never names it
    ("公安分局为什么超支", "追加办案经费", "answered"),
    ("财政局行政运行为什么超支", "没有超支", "answered"),  # the premise is wrong: said so, with the reason
])
def test_reasons_of_a_final(mixed, q, has, status):  # type: ignore[no-untyped-def]
    mixed.reset()
    ans = mixed.ask(q)
    assert ans.status == status and has in ans.text, (q, ans.text)
    assert ans.value is None


def test_a_budget_only_store_has_no_reason_for_unspent_money(budget_only):  # type: ignore[no-untyped-def]
    budget_only.reset()
    ans = budget_only.ask("行政运行为什么没花完")
    assert ans.status != "answered"


# ------------------------------------------------------------------ a table the template has and the document lacks

@pytest.mark.parametrize("q", ["公安分局政府性基金支出多少", "公安分局政府性基金预算财政拨款收入支出决算表"])
def test_a_missing_template_table_is_never_zero(mixed, q):  # type: ignore[no-untyped-def]
    mixed.reset()
    ans = mixed.ask(q)
    assert ans.status == "not_found" and ans.value is None, (q, ans.text)
    assert "没有公开政府性基金预算财政拨款收入支出决算表" in ans.text


def test_an_empty_table_the_final_prints_is_zero(mixed):  # type: ignore[no-untyped-def]
    mixed.reset()
    ans = mixed.ask("财政局国有资本经营预算财政拨款支出决算数是多少")
    assert ans.status == "answered" and ans.value == 0.0, ans.text


# ------------------------------------------------------------------ follow-ups keep the kind

def test_a_follow_up_keeps_the_kind(mixed):  # type: ignore[no-untyped-def]
    mixed.reset()
    first = mixed.ask("财政局津贴补贴实际花了多少")
    assert {c.kind for c in first.citations} == {"决算"}
    again = mixed.ask("基本工资呢")
    assert again.status == "answered" and {c.kind for c in again.citations} == {"决算"}, again.text
    assert again.value == pytest.approx(168.36 * 0.9, abs=0.006)


# ------------------------------------------------------------------ check

def _checks(docs_: list, tmp: Path) -> list:  # type: ignore[type-arg]
    db = write_store(docs_, tmp / "c.db")
    conn = sqlite3.connect(db)
    try:
        return run_checks(conn)
    finally:
        conn.close()


def test_made_finals_add_up(docs, tmp_path):  # type: ignore[no-untyped-def]
    items = _checks([docs["czj_final"], docs["gongan_final"]], tmp_path)
    assert items == [], [m.message for m in items]


@pytest.mark.parametrize("break_,rule", [
    (("收支总表", "收入总计", "决算数", 1.0), "收支合计"),
    (("收支总表", "支出总计", "决算数", -1.0), "收支合计"),
    (("收支总表", "使用非财政拨款结余", "决算数", 1.0), "收支合计"),
    (("三公经费支出表", "公务接待费", "决算数", 0.5), "决算平衡"),
    (("一般公共预算财政拨款基本支出表", "人员经费合计", "决算数", 0.3), "决算平衡"),
    (("支出总表", "行政运行", "基本支出", 2.0), "合计=Σ列"),
    (("政府性基金预算财政拨款支出表", "合计", "年末结转和结余", 1.0), "合计=Σ列"),
])
def test_a_broken_final_is_found(docs, tmp_path, break_, rule):  # type: ignore[no-untyped-def]
    from dataclasses import replace

    kind, label, column, delta = break_
    doc = docs["czj_final"]
    if kind == "政府性基金预算财政拨款支出表":  # the 公安分局's 政府性基金 table (the made one leaves it out)
        doc = final_from_budget(GONGAN_2023, Decimal("1.1"), gongan_narrative(docs["gongan_budget"]))
    tables = []
    for t in doc.tables:
        if t.kind == kind:
            rows = []
            for r in t.rows:
                if r.label == label:
                    r = replace(r, cells=tuple(replace(c, value=(c.value or 0.0) + delta) if c.column == column else c
                                               for c in r.cells))
                rows.append(r)
            t = replace(t, rows=tuple(rows))
        tables.append(t)
    items = _checks([replace(doc, tables=tuple(tables))], tmp_path)
    assert any(m.rule == rule for m in items), [(m.rule, m.message) for m in items]


@pytest.mark.parametrize("narrative,rule", [
    (czj_narrative(pct_done="95.00"), "完成率"),
    (czj_narrative(pct_growth="12.00"), "增减"),
    (czj_narrative(extra="公务用车购置费2.00万元，比2022年度增加2.00万元，增长100.00%。"), "增减"),
    (czj_narrative(extra="其中：培训费年初预算为0.00万元，支出决算为3.00万元，完成年初预算的100.00%。"), "完成率"),
])
def test_narrative_percentages_are_recomputed(tmp_path, narrative, rule):  # type: ignore[no-untyped-def]
    doc = final_from_budget(CZJ_2023, Decimal("0.9"), narrative)
    items = _checks([doc], tmp_path)
    assert any(m.rule == rule for m in items), [(m.rule, m.message) for m in items]


# ------------------------------------------------------------------ the template as data

# the nine table titles every real 决算 at hand prints (tests/data has none: the titles are the template's)
TITLES = {"收入支出决算总表": "收支总表", "收入决算表": "收入总表", "支出决算表": "支出总表",
          "财政拨款收入支出决算总表": "财政拨款收支总表", "一般公共预算财政拨款支出决算表": "一般公共预算财政拨款支出表",
          "一般公共预算财政拨款基本支出决算表": "一般公共预算财政拨款基本支出表",
          "财政拨款“三公”经费支出决算表": "三公经费支出表",
          "政府性基金预算财政拨款收入支出决算表": "政府性基金预算财政拨款支出表",
          "国有资本经营预算财政拨款收入支出决算表": "国有资本经营预算财政拨款支出表"}


@pytest.mark.parametrize("title,kind", TITLES.items())
def test_template_titles_name_store_kinds(title, kind):  # type: ignore[no-untyped-def]
    from askbudget.final_template import load
    from askbudget.ingest.kinds import KINDS

    tpl = load()
    assert tpl.kind_of(title) == kind and kind in KINDS
    assert tpl.spec(kind).columns and not tpl.spec(kind).optional


@pytest.mark.parametrize("line,message", [
    ("sum\t收入总表\t本年收入合计 = 财政拨款收入 + 罚没收入", "not one of its columns"),
    ("table\t收入总表\t收入决算表\tsubjects", "listed twice"),
    ("table\t收入总表X\t收入决算表\tgrid", "not a store table kind"),
    ("table\t机构设置表\t机构设置\tgrid", "layout"),
    ("table\t某表\t某表\tsubjects", "not a store table kind"),
    ("balance\t收支总表\t总计 = 本年收入合计", "expected"),
    ("sum\t没有的表\t甲 = 乙 + 丙", "no table record"),
    ("frobnicate\t收入总表\tx", "not one of"),
])
def test_a_bad_template_line_fails_loudly(tmp_path, line, message):  # type: ignore[no-untyped-def]
    from askbudget.errors import LexiconError
    from askbudget.final_template import FILE, load
    from askbudget.resources import lexicon_dir

    text = (lexicon_dir() / "templates" / FILE).read_text(encoding="utf-8") + line + "\n"
    (tmp_path / FILE).write_text(text, encoding="utf-8")
    with pytest.raises(LexiconError) as ei:
        load(str(tmp_path))
    assert message in ei.value.reason and ei.value.line

"""Operators (lexicon/operators.tsv, askbudget/operators.py): each operator has a corpus of questions it
carries out (answered, with the figure) and a negative corpus it refuses (never answered) — Duckling's
rules + corpus per dimension. Run on the real document (data/gaoxin-gongan-2023.txt)."""
from __future__ import annotations

from pathlib import Path

import pytest

from askbudget.assistant import Assistant
from askbudget.errors import LexiconError
from askbudget.operators import OPERATORS, load_operators
from askbudget.parse import parse

# operator -> [(question, figure the answer must carry)]: the operator is read and carried out
POSITIVE: dict[str, list[tuple[str, float | None]]] = {
    "negate": [("软件运维服务为什么没有预留中小微企业份额", None),  # on the 财政局 document
               # 不是/不属于 X 的 Y, X a part of Y: Y − X
               ("不属于水费的商品和服务支出是多少", 168.0), ("通用设备当中不是汽车的那部分值多少", 646.66)],
    "exclude": [("公用经费除了电费还有多少", 97.0), ("不算电费，商品和服务支出是多少", 97.0), ("公用经费扣掉水费多少", 168.0),
                # written around or after the subject (除…以外, …之外), several subjects taken out at once
                ("除水费以外的商品和服务支出是多少", 168.0), ("除了租赁费之外，日常公用经费有多少", 169.0),
                ("除电费外的公用经费", 97.0), ("取暖费以外的商品和服务支出", 142.0), ("扣除水费和电费的公用经费", 73.0),
                ("除执法办案以外的公共安全支出", 4287.18), ("除了政府性基金预算拨款之外的收入", 4327.18),
                ("除了房屋以外，土地房屋及构筑物价值多少", 99.51), ("除了警用服装购置以外的政府采购", 187.0),
                ("除公共安全支出以外的支出", 1656.0)],
    "remainder": [("公用经费去掉电费和水费还剩多少", 73.0)],
    "part": [("公用经费中电费部分多少", 95.0)],
    "currency": [],
    "physical": [],  # no figure of the real document is in 度/吨: see test_physical_is_carried_by_a_figure_in_that_unit
    "sum": [("水费加电费一共多少", 119.0), ("水费和电费加起来多少", 119.0), ("电费与水费之和", 119.0)],
    "diff": [("电费和水费相差多少", 71.0), ("电费和水费差多少", 71.0)],
    "more": [("电费比水费多多少", 71.0)],
    "less": [("水费比电费少多少", 71.0)],
    "share": [("电费占公用经费的比例是多少", 49.48), ("电费占公用经费多少", 49.48)],
    "max": [("基本支出里哪一项最多", None)],
    "min": [("商品和服务支出里哪一项最少", None)],
    "level": [("公共安全支出类级科目多少", 4327.18), ("一般行政管理事务项级科目多少", 4215.8)],
    "season": [("冬天取暖要花多少钱", 50.0)],
    "threshold": [],
}

# operator -> questions that must never be answered (the operator cannot be carried out)
NEGATIVE: dict[str, list[str]] = {
    "negate": ["非电费的支出多少", "不是电费的支出多少", "不属于三公经费的支出多少", "不是水费的电费多少"],
    "exclude": ["不含电费是多少", "除了电费还有多少",
                # X is not a part of Y in the store: never Y − X
                "除了电费以外的人员经费是多少", "除水费之外的电费", "除了汽车以外的专用设备价值多少"],
    "remainder": ["电费还剩多少", "公用经费剩下多少"],
    "part": ["电费中空调部分多少", "电费用在哪里"],
    "currency": ["电费是多少美元", "水费合多少欧元", "政府采购是多少日元", "人员经费折合多少港币"],
    "physical": ["电费是多少度", "水费是多少吨", "取暖费是多少吉焦", "一年用多少度电"],
    "sum": ["合起来呢"],
    "diff": ["相差多少"],
    "more": ["电费比多多少"],
    "less": ["水费比少多少"],
    "share": ["占多少"],
    "max": ["上年结转用在哪个科目最多"],  # a definition of 上年结转 ranks nothing
    "min": ["三公经费用在哪里最少"],
    "level": ["公安类级科目多少", "公共安全支出项级科目多少"],
    "season": ["夏天电费多少", "冬季水费多少", "各个月的电费是多少", "分季度的水费"],
    "threshold": ["电费是否超过100万", "水费低于30万吗"],
}


@pytest.fixture(scope="module")
def a(gongan_store: Path) -> Assistant:
    return Assistant(gongan_store)


@pytest.fixture(scope="module")
def czj(tmp_path_factory: pytest.TempPathFactory, czj_doc: Path) -> Assistant:
    from askbudget import build_store

    db = tmp_path_factory.mktemp("ops") / "czj.db"
    build_store([czj_doc], db)
    return Assistant(db)


def test_every_operator_has_a_handler_and_a_corpus() -> None:
    ops = set(load_operators().values())
    assert ops <= set(OPERATORS)
    assert set(POSITIVE) == set(NEGATIVE) == set(OPERATORS)
    for op in OPERATORS:
        assert POSITIVE[op] or NEGATIVE[op], op


@pytest.mark.parametrize("op,q,value", [(op, q, v) for op, rows in POSITIVE.items() for q, v in rows],
                         ids=[q for rows in POSITIVE.values() for q, _ in rows])
def test_operator_carried_out(a: Assistant, czj: Assistant, op: str, q: str, value: float | None) -> None:
    if "软件运维服务" in q:
        a = czj
    a.reset()
    assert any(o == op for _, o in parse(q, a.vocab).ops), (q, parse(q, a.vocab).ops)
    ans = a.ask(q)
    assert ans.status == "answered", (q, ans.text)
    if value is not None:
        assert ans.value == pytest.approx(value, abs=0.006), (q, ans.text)


@pytest.mark.parametrize("op,q", [(op, q) for op, rows in NEGATIVE.items() for q in rows],
                         ids=[q for rows in NEGATIVE.values() for q in rows])
def test_operator_refused(a: Assistant, op: str, q: str) -> None:
    a.reset()
    if op in ("sum", "diff", "share"):
        a.ask("电费多少")  # a follow-up with one figure before it
    ans = a.ask(q)
    assert ans.status != "answered", (q, ans.text)
    assert ans.value is None


def test_a_refused_operator_says_what_the_store_holds(a: Assistant) -> None:
    a.reset()
    ans = a.ask("电费是多少美元")
    assert ans.status == "not_found" and "美元" in ans.text and "95.00万元" in ans.text
    assert "运算词：美元" in ans.interpretation


def test_an_unknown_operator_in_the_lexicon_fails_loudly(tmp_path: Path) -> None:
    (tmp_path / "operators.tsv").write_text("word\toperator\texample\n开方\tsqrt\t电费开方\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="unknown operator"):
        load_operators(str(tmp_path))
    (tmp_path / "operators.tsv").write_text("word\toperator\texample\n非\tnegate\ta\n非\tnegate\tb\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="twice"):
        load_operators(str(tmp_path))
    (tmp_path / "operators.tsv").write_text("word\toperator\texample\n除…以…外\texclude\ta\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="circumfix"):
        load_operators(str(tmp_path))


def test_a_circumfix_is_read_around_its_subject(a: Assistant) -> None:
    """除X以外 / X之外的: the words around the subject are the operator, never unread spans; the excluded
    subjects are the ones between (or right before the after-word), the rest is the whole."""
    it = parse("除了水费、电费和取暖费以外，商品和服务支出还有多少", a.vocab)
    assert it.what == "exclude" and ("除了…以外", "exclude") in it.ops and not it.unread
    lo, hi = it.exclude
    assert [m.key for m in it.subjects if lo <= m.pos < hi] == ["水费", "电费", "取暖费"]
    it = parse("水费之外的公用经费", a.vocab)
    assert it.what == "exclude" and [m.key for m in it.subjects if it.exclude[0] <= m.pos < it.exclude[1]] == ["水费"]
    # 外 that begins a word of its own (外交支出) is no closer
    it = parse("除外交支出外的支出", a.vocab)
    assert [m.key for m in it.subjects] == ["外交支出"] and it.what == "exclude"


def test_physical_is_carried_by_a_figure_in_that_unit(a: Assistant) -> None:
    """A measure asked (多少吨) is carried by a figure stated in that unit, refused for a money figure."""
    from askbudget.answer import Answer

    it = parse("垃圾清运量是多少吨", a.vocab)
    handler = OPERATORS["physical"][0]
    assert handler("吨", it, Answer("q", "answered", "清运量1200吨", 1200.0, "吨"), lambda label: set()) == ""
    assert handler("吨", it, Answer("q", "answered", "…预算95.00万元", 95.0, "万元"), lambda label: set())
    assert handler("度", parse("用户满意度多少", a.vocab), Answer("q", "answered", "≥90%", 90.0, "%"), lambda label: set()) == ""


@pytest.mark.parametrize("q", ["商品和服务支出里电费和水费合计", "日常公用经费里电费和水费合计", "一般公共预算拨款的项目支出合计"])
def test_a_sum_never_adds_a_whole_to_its_parts_nor_reads_x_of_y_as_two(a: Assistant, q: str) -> None:
    """商品和服务支出 192 + 电费 95 + 水费 24 = 311 adds the parts twice; "X的Y合计" is Y of X, never X + Y
    (一般公共预算拨款 4327.18 + 项目支出 2158.68)."""
    a.reset()
    got = a.ask(q)
    assert got.value in (None, pytest.approx(119.0)), got.text

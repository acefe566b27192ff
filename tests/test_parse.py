"""Question -> Intent, Duckling style: a corpus of surface forms per intent with the expected
structured parse, and a negative corpus of questions that must come back "not answerable"."""
from __future__ import annotations

import pytest

from askbudget.parse import parse
from askbudget.store import open_readonly
from askbudget.vocab import build_vocab


@pytest.fixture(scope="module")
def vocab(gongan_store):
    return build_vocab(open_readonly(gongan_store))


# (question, what, a subject key that must be among the subjects or None, extra checks)
CORPUS = [
    ("电费多少", "figure", "电费", {}),
    ("电费是多少？", "figure", "电费", {}),
    ("電費多少", "figure", "电费", {}),
    ("电 费 多 少", "figure", "电费", {}),
    ("电废多少", "figure", "电费", {}),
    ("用电花多少钱", "figure", "用电", {}),
    ("电费多少元", "figure", "电费", {"money_unit": "元"}),
    ("电费是多少亿元", "figure", "电费", {"money_unit": "亿元"}),
    ("30206多少", "figure", None, {"codes": ("30206",)}),
    ("３０２０６多少", "figure", None, {"codes": ("30206",)}),
    ("2040220预算多少", "figure", None, {"codes": ("2040220",)}),
    ("一般行政管理事务的项目支出", "figure", "一般行政管理事务", {"columns": ("项目支出",)}),
    ("支出总表里公安的基本支出", "figure", "公安", {"tables": ("支出总表",)}),
    ("电费为什么增加", "reason", "电费", {}),
    ("电费增加的原因是什么", "reason", "电费", {}),
    ("什么是基本支出", "glossary", "基本支出", {}),
    ("基本支出是什么意思", "glossary", "基本支出", {}),
    ("三公经费包括哪些", "glossary", "三公经费", {}),
    ("公用经费里哪项最多", "rank", None, {}),
    ("前三项公用经费", "rank", None, {"topn": 3}),
    ("公用经费都有哪些", "list", None, {}),
    ("电费占公用经费的比例", "share", "电费", {}),
    ("电费占公用经费百分之多少", "share", "电费", {}),
    ("水费和电费加起来多少", "sum", "水费", {}),
    ("汽车平均每辆多少钱", "avg", "汽车", {}),
    ("项目支出比上年减少多少", "yoy", "项目支出", {}),
    # a change asked in percent of two sides of one total: the rate of the change, never a share (100%)
    ("收入总计和支出总计比2022年下降了百分之几", "yoy", "收入总计", {}),
    ("收入总计占支出总计百分之几", "share", "收入总计", {}),
    ("2022年人员经费是多少", "yoy", "人员经费", {"year": 2022}),
    ("去年的人员经费", "yoy", "人员经费", {"year_rel": -1, "year": 2022}),
    ("今年电费多少", "figure", "电费", {"year": 2023}),
    ("上年结转多少", "figure", "上年结转", {"year_rel": None}),
    ("单位性质是什么", "fact", None, {"facts": ("单位性质",)}),
    ("行政运行的科目编码是多少", "code_of", "行政运行", {}),
    ("水费呢", "figure", "水费", {"followup": True}),
    ("电费的一半是多少", "figure", "电费", {"op": ("div", 2.0)}),
    ("电费乘以3是多少", "figure", "电费", {"op": ("mul", 3.0)}),
    ("电费的两倍", "figure", "电费", {"op": ("mul", 2.0)}),
    ("电费的10%是多少", "figure", "电费", {"op": ("mul", 0.1)}),
    ("24年电费多少", "yoy", "电费", {"year": 2024}),
    ("二〇二二年人员经费", "yoy", "人员经费", {"year": 2022}),
    ("23年度电费", "figure", "电费", {"year": 2023}),
    ("分局电费多少", "figure", "电费", {"unit_docs": (1,)}),
    ("用户满意度≥3年", "figure", None, {"year": None}),
    ("人员经废", "figure", "人员经费", {}),
    ("政府彩购预算总额", "figure", "政府采购预算总额", {}),  # the typo mended, the whole total's name reads
    ("住房公鸡金多少", "figure", "住房公积金", {}),
]

NEGATIVE = [
    "你好", "讲个笑话", "SELECT * FROM rows", "DROP TABLE cells;", "asdkjh qwe", "？？？", "",
    "局长的工资", "中标单位是哪家公司", "汽车是什么车型", "明年的预算", "x" * 10000,
    "2023年12月的电费", "23年3月的电费多少",  # an annual document has no month's figure
]


@pytest.mark.parametrize("q,what,subject,extra", CORPUS, ids=[c[0] for c in CORPUS])
def test_corpus(vocab, q, what, subject, extra):
    it = parse(q, vocab)
    assert it.what == what, it.describe()
    if subject is not None:
        assert subject in [m.key for m in it.subjects], it.describe()
    for name, want in extra.items():
        assert getattr(it, name) == want, (name, it.describe())


@pytest.mark.parametrize("q", NEGATIVE, ids=[q[:20] or "<empty>" for q in NEGATIVE])
def test_negative_corpus(vocab, q):
    it = parse(q, vocab)
    assert it.what == "refuse" or not any(m.has("row", "alias", "std") for m in it.subjects) or it.refuse, it.describe()


def test_intent_is_frozen(vocab):
    it = parse("电费多少", vocab)
    with pytest.raises(Exception):
        it.what = "x"  # type: ignore[misc]


@pytest.mark.parametrize("q", ["电费多少", "公用经费里哪项最多", "2022年人员经费"])
def test_same_question_same_intent_whatever_the_punctuation(vocab, q):
    base = parse(q, vocab)
    for variant in (q + "？", q + "?", " " + q + " ", q.replace("多少", "多少 ")):
        other = parse(variant, vocab)
        assert (other.what, [m.key for m in other.subjects]) == (base.what, [m.key for m in base.subjects])


@pytest.fixture(scope="module")
def weijian_vocab(tmp_path_factory):
    from pathlib import Path

    from askbudget import build_store

    db = tmp_path_factory.mktemp("wv") / "w.db"
    build_store([Path(__file__).resolve().parent / "data" / "fengnan-weijian-2024.txt"], db)
    return build_vocab(open_readonly(db))


@pytest.mark.parametrize("q,subject", [
    # a typo mended inside a longer name: the whole name wins over the piece the typo cut off
    ("公物用车购置费", "公务用车购置费"),
    ("公务用车购置及运行维护废", "公务用车购置及运行维护费"),
    ("一般公共预箅财政拨款支出", "一般公共预算财政拨款支出"),
    ("工姿福利支出", "工资福利支出"),
])
def test_a_mended_typo_is_read_again_as_the_whole_name(weijian_vocab, q, subject):
    it = parse(q, weijian_vocab)
    assert any(m.key == subject for m in it.subjects), it.describe()


@pytest.mark.parametrize("q,what", [
    ("项目支出比前一年少了多少", "yoy"),           # 前一年 is a year, not the top one
    ("评审报告最多多少天出具", "figure"),          # a limit, not a ranking
    ("政府采购都买了些什么", "list"),              # which items
    ("公共卫生下面有哪几项", "list"),
])
def test_generalisation_whats(weijian_vocab, q, what):
    assert parse(q, weijian_vocab).what == what, parse(q, weijian_vocab).describe()


@pytest.mark.parametrize("q, refused", [
    ("家庭医生签约服务经费多少", False),  # 医生 inside a name nobody knows: a project's name, not a person asked
    ("乡村医生补助经费多少", False),
    ("医生工资多少", True),  # asked for itself: the documents publish no person's pay
    ("局长的工资", True),
    ("家庭医生多少钱", True),
    ("信息系统是哪家公司开发的", True),  # 是 before it: asked for itself, whatever comes after
])
def test_a_word_for_what_is_not_published_inside_an_unknown_name(vocab, q: str, refused: bool) -> None:
    it = parse(q, vocab)
    assert (it.what == "refuse") == refused, it.describe()

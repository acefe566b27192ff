"""Answers on the three real Putuo 2026 部门预算 (page text in tests/data): the mechanisms that let a wrong
figure through or blocked a right one on questions the team had not seen, each with its own cases here
(other subjects, other wordings, the other documents) and a negative case.

Figures were read off the documents by hand: e.g. 文旅局 文化活动 `207 01 08 文化活动 11,280,000 11,280,000` in the
支出预算总表 is 项目支出 only (the 基本支出 cell is empty), and the 建管委 narrative's `收入预算328,661万元` is the
收支总表's `收入总计 3,286,618,082.20` 元 cut to whole 万元.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from askbudget import Assistant, build_store

DATA = Path(__file__).parent / "data"
CG, JG, WL = "putuo-chengguan-2026", "putuo-jianguanwei-2026", "putuo-wenlvju-2026"


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Assistant]:
    out = {}
    for doc in (CG, JG, WL):
        db = tmp_path_factory.mktemp(doc) / "s.db"
        build_store([DATA / f"{doc}.txt"], db, quiet=True)
        out[doc] = Assistant(db, warm=False)
    return out


# (document, question, value, unit, a word the text must hold, a word a cited table title must hold)
ANSWERED = [
    # a choice between columns: the column that holds the figure, never the first column's 0
    (CG, "购房补贴属于基本支出还是项目支出", 322.2, "万元", "是基本支出", ""),
    (WL, "文化活动是基本支出还是项目支出", 1128.0, "万元", "是项目支出", ""),
    (JG, "城市建设支出是基本支出还是项目支出？", 279285.7, "万元", "是项目支出", ""),
    (CG, "办公费是人员经费还是公用经费", 24.67, "万元", "是公用经费", ""),
    # the same figure printed in the 三公 table (万元, two decimals) and the 经济分类 table (元) cites both
    (WL, "公车运行费是多少", 9.375, "万元", "", "三公"),
    (CG, "公车运行费多少", 38.76, "万元", "", "三公"),
    # 三公经费里 X: X is found in the 三公 table by another colloquial name of the same subject
    (CG, "三公经费当中的公车运行费多少", 38.76, "万元", "公务用车运行费", "三公"),
    # a narrative figure rounded or cut is answered with the table's exact figure, citing both
    (JG, "建管委收入预算是多少", 328661.80822, "万元", "", "收支预算总表"),
    (JG, "一般公共预算拨款支出预算多少", 49376.10822, "万元", "", "财政拨款收支预算总表"),
    (JG, "政府性基金预算拨款支出多少", 279285.7, "万元", "", "财政拨款收支预算总表"),
    (CG, "政府性基金预算拨款支出安排了多少", 0.0, "万元", "", ""),
    # figures only a clause of the narrative states: counts, a project's total investment, a duration
    (CG, "编报了绩效目标的项目有多少个", 14.0, "个", "编报绩效目标的项目14个", ""),
    (JG, "有多少个项目编报绩效目标", 247.0, "个", "", ""),
    (WL, "合同工期是多少天", 490.0, "天", "", ""),
    (WL, "真如海心剧院精装修工程总投资多少", 13526.06, "万元", "", ""),
    # a unit by another of its usual abbreviations (lexicon orgshort: 城管执法局|城管局, 建管委|建委)
    (CG, "城管局的物业管理费是多少", 75.0, "万元", "", ""),
    (JG, "建委的电费预算", 32.0, "万元", "", ""),
]


@pytest.mark.parametrize("doc,q,value,unit,said,table", ANSWERED, ids=[a[1] for a in ANSWERED])
def test_answered(stores: dict[str, Assistant], doc: str, q: str, value: float, unit: str, said: str,
                  table: str) -> None:
    a = stores[doc]
    a.reset()
    ans = a.ask(q)
    assert ans.status == "answered", ans.text
    assert (ans.value, ans.unit) == (pytest.approx(value, abs=1e-6), unit), ans.text
    assert said in ans.text
    assert not table or any(table in c.table for c in ans.citations), ans.citations


# (document, question, the figure it must never be answered with)
REFUSED = [
    # a part named inside a whole whose only reading is that whole (燃油费 → 公务用车运行维护费)
    (WL, "公务用车运行维护费里的燃油费是多少", 9.375),
    (CG, "公车运行费当中的汽油费", 38.76),
    # a column asked is never dropped: 小微企业 is not the procurement total, nor 中小企业's share
    (WL, "面向小微企业预留的采购金额", 8536.39),
    (WL, "面向小微企业预留的采购金额", 2603.5),
    (JG, "政府性基金预算拨款支出多少", 49376.10822),
]


@pytest.mark.parametrize("doc,q,never", REFUSED, ids=[f"{r[1]}-{r[2]}" for r in REFUSED])
def test_never_that_figure(stores: dict[str, Assistant], doc: str, q: str, never: float) -> None:
    a = stores[doc]
    a.reset()
    ans = a.ask(q)
    assert not (ans.status == "answered" and ans.value == pytest.approx(never)), ans.text


def test_a_choice_both_hold(stores: dict[str, Assistant]) -> None:
    """Both columns hold a figure (图书馆 2375.51 + 719.80): both are said, no single value."""
    a = stores[WL]
    a.reset()
    ans = a.ask("图书馆属于基本支出还是项目支出")
    assert ans.status == "answered" and ans.value is None and "两者都有" in ans.text
    assert [(i.label, i.value) for i in ans.items] == [("基本支出", pytest.approx(2375.5107)), ("项目支出", pytest.approx(719.8027))]


def test_a_follow_up_goes_on_with_the_part(stores: dict[str, Assistant]) -> None:
    """After "三公经费里X", "跟2025年比" is about X (公务用车运行费 持平), not the 三公经费 (+27万元)."""
    a = stores[CG]
    a.reset()
    assert a.ask("三公经费里的公车运行费是多少").value == pytest.approx(38.76)
    ans = a.ask("跟2025年比有没有变化")
    assert ans.status == "answered" and "持平" in ans.text and "27" not in ans.text.split("（")[0], ans.text


@pytest.mark.parametrize("q", ["退休人员的退休费", "公务用车保有量"])
def test_one_thing_named_with_de_is_not_a_part(stores: dict[str, Assistant], q: str) -> None:
    """"X的Y" names one thing (退休人员的退休费), never refused as a part; a stock is never a money clause."""
    ans = stores[WL].ask(q)
    if q.startswith("退休"):
        assert ans.status == "answered" and ans.value == pytest.approx(356.476), ans.text
    else:
        assert not (ans.status == "answered" and ans.unit == "万元"), ans.text

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
    # ...and after a place written without its 区/市 (普陀 of 上海市普陀区; 城市 of 城市管理 is no place)
    (JG, "普陀建管委的电费预算", 32.0, "万元", "", ""),
    (WL, "普陀文旅局物业管理费", 962.16, "万元", "", ""),
    # a total word right after a subject asks that subject's total, never adds the grand total as a second figure
    (JG, "住房保障支出预算总额多少", 539.99892, "万元", "", ""),
    (CG, "卫生健康支出总计是多少", 143.904, "万元", "", ""),
    (WL, "支出预算总额是多少元", 278076101.0, "元", "", "收支预算总表"),
    # a table-total word (政府采购预算总额) where no table prints it: the narrative's whole
    (JG, "政府采购预算总额", 214355.48, "万元", "", "政府采购"),
    (CG, "政府采购预算总额是多少", 595.28, "万元", "", "政府采购"),
    # a clause of a list ("货物预算77.10万元、工程预算0万元、服务预算518.18万元") named after the figure before it;
    # 小微企业 is the narrative's 小型和微型企业 (lexicon short), and a name the vocabulary knows is matched whole
    (JG, "采购工程预算多少", 189512.14, "万元", "", ""),
    (CG, "采购货物多少钱", 77.1, "万元", "", ""),
    (JG, "预留给小微企业的政府采购预算", 55732.43, "万元", "", ""),
    (CG, "小微企业预留了多少采购预算", 178.85, "万元", "", ""),
    (WL, "面向小微企业预留的采购金额", 847.33, "万元", "", ""),
    # counts the narrative states: held (共有车辆N辆, its parts after 其中) or bought (安排购置车辆N辆)
    (JG, "上海普陀建委有多少辆车", 14.0, "辆", "共有车辆14辆", ""),
    (CG, "现有执法执勤用车几辆", 63.0, "辆", "", ""),
    (JG, "其他用车多少辆", 13.0, "辆", "", ""),
    (CG, "今年要购置多少辆车", 5.0, "辆", "购置车辆5辆", ""),
    (WL, "打算买几辆车", 0.0, "辆", "购置车辆0辆", ""),
    # a whole the sentence says is all one part changes as that part does (收入预算 = 财政拨款收入), said so
    (CG, "收入预算比上年减少了多少", 19.79, "万元", "全部是财政拨款收入", ""),
    (JG, "收入预算比2025年增加了多少", 115649.0, "万元", "按财政拨款收入的增减计", ""),
    (CG, "支出预算比2025年减少多少", 19.79, "万元", "全部是财政拨款支出", ""),
    # a level written after the subject in brackets, as the documents do, is read: it picks the subject of that level
    (WL, "文化和旅游（款）的项目支出是多少", 10074.9864, "万元", "20701", ""),
    (WL, "其他文化旅游体育与传媒支出（项）多少", 20.0, "万元", "2079999", ""),
    (WL, "其他文化旅游体育与传媒支出(款)多少", 2482.0, "万元", "20799", ""),
    (CG, "城管执法（项）预算多少", 3377.5592, "万元", "2120104", ""),
    # a 款 and its only 项 of one name printing the same figure are one subject, answered once
    (JG, "建设市场管理与监督的项目支出", 2089.3472, "万元", "", ""),
    (JG, "建设市场管理与监督预算总额", 3518.8541, "万元", "", ""),
    # a row crossed with a column word (政府性基金 of 财政拨款收支总表; 列在 a filler)
    (CG, "城乡社区支出里有多少是政府性基金安排的", 0.0, "万元", "", "财政拨款收支"),
    (JG, "城乡社区支出里有多少是政府性基金安排的", 279285.7, "万元", "", "财政拨款收支"),
    (WL, "退休费里列在公用经费的部分是多少", 30.52, "万元", "", "经济分类"),
    # a project named by its 经费情况说明 heading, in full, shortened or pointed at: its own sections' figures
    (JG, "兰溪路-真南路下立交工程2026年预算多少", 22614.51, "万元", "", "年度预算安排"),
    (JG, "这个下立交工程今年安排了多少", 22614.51, "万元", "", ""),
    (JG, "兰溪路-真南路下立交工程道路全长多少米", 985.0, "米", "", ""),
    (WL, "真如海心剧院2025年安排了多少建设资金", 5000.0, "万元", "", ""),
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
    # another district's unit is never this one
    (CG, "徐汇城管局的电费", 25.0),
    # a purchase is never a part of it that only shares a character ("要" of 主要领导干部用车0辆)
    (CG, "今年要购置多少辆车", 0.0),
    # a grand total is never the subject's own total
    (JG, "城乡社区支出预算总额", 328661.80822),
    # a level written is never another level's figure
    (WL, "文化和旅游（项）预算多少", 17451.7712),
    # a project's whole amount is never one year's (本年度拆违经费预算金额为349.80万元)
    (CG, "拆违经费项目资金总额", 349.8),
    # a project's figures are never another year's or another clause's
    (WL, "真如海心剧院今年预算多少", 5000.0),
    (WL, "真如海心剧院今年预算多少", 13526.06),
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


@pytest.mark.parametrize("doc,q", [(CG, "单价100万元以上的那2套设备是什么设备"), (CG, "单价100万元以上的2套设备是什么")])
def test_what_thing_needs_a_passage_naming_it(stores: dict[str, Assistant], doc: str, q: str) -> None:
    """"是什么X" is never answered by a passage that only restates X's count ("设备（不含车辆）2套")."""
    a = stores[doc]
    a.reset()
    ans = a.ask(q)
    assert ans.status != "answered", ans.text


# (document, conversation, a phrase the last answer must quote): what a 功能分类 subject's money is for, as the
# 编制说明 lists it ("…群众文化(项)”3,482.83万元，主要用于…"); 主要/这么多 are emphasis, never unread words
PURPOSE = [
    (WL, ["群众文化预算多少", "其中项目支出呢", "主要用在哪些方面"], "区文化馆日常运转"),
    (JG, ["城市建设支出主要用来做什么"], "雨污混接整治"),
    (CG, ["购房补贴用途"], "购买住房的补贴"),
    (JG, ["行政运行预算多少", "用在哪里"], "建委机关在职人员工资"),
    (CG, ["公车购置费为什么增加"], "淘汰更新执法车辆5辆"),
    (CG, ["今年预算为什么减少这么多"], "项目支出减少"),
    (JG, ["今年预算为什么增加这么多"], "雨污混接整治工程"),
]


@pytest.mark.parametrize("doc,turns,said", PURPOSE, ids=[p[1][-1] for p in PURPOSE])
def test_what_it_is_for_and_why(stores: dict[str, Assistant], doc: str, turns: list[str], said: str) -> None:
    a = stores[doc]
    a.reset()
    for q in turns:
        ans = a.ask(q)
    assert ans.status == "answered" and said in ans.text, ans.text


@pytest.mark.parametrize("doc,q", [
    (WL, "文化和旅游（款）主要用来做什么"),  # the 编制说明 lists 项 only: never a 项's purpose for its 款
    (WL, "预算为什么减少"),  # the budget grew: never the reason for another change
    (CG, "电费用在哪里"),
])
def test_no_purpose_or_reason_said(stores: dict[str, Assistant], doc: str, q: str) -> None:
    a = stores[doc]
    a.reset()
    assert a.ask(q).status != "answered"


def test_one_name_two_levels_with_two_figures_stays_a_choice(stores: dict[str, Assistant]) -> None:
    """其他文化旅游体育与传媒支出 is a 款 (2482.00) and a 项 under it (20.00): with no level written, both are offered."""
    a = stores[WL]
    a.reset()
    ans = a.ask("其他文化旅游体育与传媒支出多少")
    assert ans.status == "ambiguous" and "20799" in ans.text and "2079999" in ans.text, ans.text


def test_a_column_of_the_same_row_after_it(stores: dict[str, Assistant]) -> None:
    """"其中项目支出是多少" after a 款 all of whose money is 项目支出 is that column (the same figure, asked), while
    "其中X呢" naming another subject is never the whole's figure again."""
    a = stores[JG]
    a.reset()
    assert a.ask("城乡社区公共设施预算多少").value == pytest.approx(7954.48)
    ans = a.ask("其中项目支出是多少")
    assert ans.status == "answered" and ans.value == pytest.approx(7954.48) and "项目支出" in ans.text, ans.text


@pytest.mark.parametrize("q", ["2025年支出预算是多少", "2025年有几辆车"])
def test_a_change_is_never_that_years_figure(stores: dict[str, Assistant], q: str) -> None:
    """"比2025年预算减少19.79万元" is a change: never the 2025 figure itself."""
    a = stores[CG]
    a.reset()
    ans = a.ask(q)
    assert not (ans.status == "answered" and ans.value in (19.79, 2.0)), ans.text


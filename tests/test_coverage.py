"""Coverage classes (issue 8): every span of a question is read — as a subject, a link, an operator, a
filler of a class, or a word the document itself uses for the subject — or the question is not answered
with a figure. A corpus per class (answered, with the figure) and a negative corpus (never answered), run
on the real document (data/gaoxin-gongan-2023.txt). Wordings are our own, not the held-out banks'."""
from __future__ import annotations

from pathlib import Path

import pytest

from askbudget.assistant import Assistant
from askbudget.vocab import norm

# class -> [(question or turns joined by " | ", figure of the last answer)]
READ: dict[str, list[tuple[str, float]]] = {
    # a clause about the asker (lexicon kind narrate) that asks nothing is set aside
    "narrate": [("我家住在附近，请问取暖费安排了多少", 50.0), ("我是附近小区的业主，分局的电费多少", 95.0),
                ("请问租赁费是多少？我听说分局在外面租了房子", 23.0)],
    # 这些/之类 point back; words listed before them are examples of the subject that follows
    "deixis": [("水费、电费这些一共多少钱", 119.0), ("高清球机、配电箱之类的通用设备价值多少", 1233.70),
               ("警服、雨衣这些制服一共多少钱", 30.0)],
    # a variant or commonly miswritten spelling of a word inside a subject's name
    "variant": [("其它公安支出是多少", 71.38), ("分局租凭费多少", 23.0), ("项目之出是多少", 2158.68), ("支初总计是多少", 5983.18)],
    # a homophone typo across a word boundary
    "typo": [("公共安全之出多少", 4327.18), ("城乡社区之出是多少钱", 1656.0)],
    # words of the subject's own 名词解释, written before it, restate it
    "definition": [("用于保障机构正常运转的基本支出有多少", 3824.5)],
    # A中的B: the part inside the whole
    "inside": [("公安里面的执法办案是多少", 40.0), ("公安当中的一般行政管理事务多少钱", 4215.8),
               ("一般行政管理事务里项目支出占多少钱", 391.3)],
    # a follow-up asking the money after a count
    "money-after-count": [("专用设备有多少台 | 值多少钱", 3271.13), ("专用设备有多少台 | 值多少钱 | 那家具用具呢", 237.35)],
    # 人民币 is the documents' own currency
    "currency": [("水费是多少人民币", 24.0)],
    # words of one list that are all parts of one name (工资、福利 → 工资福利支出) are that subject
    "one-name": [("分局发工资和福利总共多少", 3632.5)],
    # a clause opened by 就是 says again what was meant: its subject replaces the one before
    "restate": [("取暖费，就是烧暖气的钱，多少", 50.0)],
    # colloquial names (lexicon/synonyms.tsv)
    "colloquial": [("冬天烧暖气花多少钱", 50.0), ("卖地的钱有多少", 1656.0), ("领导出国花了多少", 0.0),
                   ("分局招待客人吃饭花多少钱", 0.0), ("分局一年修车钱是多少", 0.0), ("分局有几辆车子", 37.0),
                   ("分局的车子值多少钱", 587.04)],
    # X（Y）: a subject in brackets is the document's own name for the words before it
    "bracket": [("冬天烧暖气的钱（取暖费）是多少", 50.0), ("分局用电的开销(电费)多少", 95.0)],
}

NOT_READ: dict[str, list[str]] = {
    # a clause that asks or says what was meant is never set aside
    "narrate": ["电费多少？我是说电梯用的", "我是说电梯的电费多少"],
    # an unknown name right before the unit's short name is another unit
    "other-unit": ["路南分局的取暖费多少", "丰润公安分局的租赁费是多少", "滦州分局的电费"],
    # words after the subject (中/里) narrow it, even when its 名词解释 uses them
    "definition": ["基本支出里正常运转的部分是多少"],
    # A中的B where the store does not show B inside A
    "inside": ["公共安全支出中的水费是多少", "通用设备里的房屋价值多少"],
    # a group of people, or a kind inside a count, the document does not break out
    "part-of-group": ["民警每个月的工资是多少", "专用设备里有几台是电脑", "汽车当中有几辆是新能源的"],
    # what a 就是 clause says again is still read whole
    "restate": ["水费，就是电梯用的电费"],
    # a time indicator that is not the time asked
    "when": ["唐丰路派出所建设项目什么时候动工"],
    # two subjects where one figure answers only one of them
    "two-subjects": ["租赁的房子一年多少钱"],
    # X（Y） where X holds Y itself and more: the more narrows Y, still unread
    "bracket": ["电梯的电费（电费）多少", "警车的油钱（公务用车运行维护费）多少"],
    # another unit named by a place this unit's name does not hold, or by another number
    "other-unit-place": ["丰南区公安分局的电费多少", "路北公安分局的水费"],
    # money asked: never a count indicator, never another subject a one-character edit reaches (开会 -> 开车)
    "money-not-count": ["开会的钱多少", "培训的钱多少", "用气的钱多少", "公款的钱有多少"],
    # a numbered organisation's abbreviation (orgshort 第N中学 -> N中) that is no stored unit
    "other-unit-number": ["二中的电费多少", "十一中一年水费多少", "一小的取暖费"],
}


@pytest.fixture(scope="module")
def a(gongan_store: Path) -> Assistant:
    return Assistant(gongan_store)


@pytest.mark.parametrize("cls,q,value", [(c, q, v) for c, rows in READ.items() for q, v in rows],
                         ids=[q for rows in READ.values() for q, _ in rows])
def test_read(a: Assistant, cls: str, q: str, value: float) -> None:
    a.reset()
    for turn in q.split(" | "):
        ans = a.ask(turn)
    assert ans.status == "answered", (q, ans.text, ans.interpretation)
    assert ans.value == pytest.approx(value, abs=0.006), (q, ans.text)


@pytest.mark.parametrize("cls,q", [(c, q) for c, rows in NOT_READ.items() for q in rows],
                         ids=[q for rows in NOT_READ.values() for q in rows])
def test_not_read(a: Assistant, cls: str, q: str) -> None:
    a.reset()
    ans = a.ask(q)
    assert ans.status != "answered", (q, ans.text)
    assert ans.value is None


def test_another_unit_is_named_in_the_refusal(a: Assistant) -> None:
    a.reset()
    ans = a.ask("路南分局的取暖费多少")
    assert ans.status == "not_found" and "路南分局" in ans.text


def test_variants_are_read_alike_in_questions_and_store_names() -> None:
    assert norm("其它公安支出") == norm("其他公安支出")
    assert norm("租凭费") == norm("租赁费")

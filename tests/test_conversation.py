"""Follow-ups resolved against the previous turn."""
from __future__ import annotations

import pytest

from askbudget.assistant import Assistant

CONVERSATIONS = [
    [("电费多少", 95.0), ("水费呢", 24.0), ("两者合计呢", 119.0)],
    [("取暖费多少", 50.0), ("租赁费呢", 23.0), ("加起来呢", 73.0)],
    [("人员经费多少", 3632.5), ("比上年增加了多少", 893.84), ("去年呢", 2738.66)],
    [("制服采购多少", 30.0), ("买多少套", 1000.0), ("单价呢", 0.03)],
    [("一般行政管理事务多少", 4215.8), ("其中项目支出呢", 391.3), ("基本支出呢", 3824.5)],
    [("公用经费包括哪些", None), ("其中最大的一项是什么", 95.0)],
    [("商品和服务支出多少", 192.0), ("其中最多的是哪项", 95.0), ("最少的呢", 23.0)],
    [("唐丰路派出所建设项目成本控制多少", 500.0), ("建筑面积呢", 3007.87)],
    [("电费多少", 95.0), ("多少元", 950000.0)],
    [("取暖费多少", 50.0), ("比去年少了多少", 10.0), ("那去年是多少", 60.0)],
    [("制服采购多少", 30.0), ("目录序号呢", None), ("单价呢", 0.03)],
    [("人员经费多少", 3632.5), ("占基本支出的比例呢", 94.98)],
    [("制服单价多少", 0.03), ("总共多少钱", 30.0)],
    [("唐丰路派出所建设项目建筑面积", 3007.87), ("成本控制呢", 500.0)],
    # "合计呢" right after a turn about two figures adds those two
    [("电费多少", 95.0), ("水费呢", 24.0), ("两者相差多少", 71.0), ("合计呢", 119.0)],
    [("电费和取暖费哪个多", 95.0), ("合计呢", 145.0)],
    [("取暖费比租赁费多多少", 27.0), ("一共呢", 73.0)],
]


@pytest.fixture(scope="module")
def a(gongan_store):
    return Assistant(gongan_store)


@pytest.mark.parametrize("turns", CONVERSATIONS, ids=[" / ".join(t[0] for t in c) for c in CONVERSATIONS])
def test_conversation(a, turns):
    a.reset()
    for q, value in turns:
        ans = a.ask(q)
        assert ans.status == "answered", (q, ans.text)
        if value is not None:
            assert ans.value == pytest.approx(value, abs=0.006), (q, ans.text)


def test_reset_forgets(a):
    a.reset()
    assert a.ask("电费多少").answered
    a.reset()
    assert a.ask("两者合计呢").status != "answered"


def test_a_figure_that_cannot_be_derived_is_refused_in_a_conversation(a):
    a.reset()
    a.ask("电费多少")
    ans = a.ask("比上年增加多少")  # the document states no change for 电费
    assert ans.status != "answered" and ans.value is None


def test_garbage_after_a_question_is_not_a_follow_up(a):
    a.reset()
    a.ask("电费多少")
    assert a.ask("asdkjh 啊啊啊").status != "answered"


# Property: any mix of the store's own words and question words, in any conversation, is answered or
# declined — never an internal error (the Assistant turns exceptions into "没能回答（XError）").
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_CUES = ["多少", "是多少", "为什么", "什么是", "占", "比例", "合计", "前三", "最多", "最少", "有哪些", "几个", "去年",
         "今年", "2022年", "呢", "的", "和", "比", "差", "一半", "每月", "元", "亿元", "哪个多", "几倍", "除了", "单价",
         "数量", "目录序号", "其中", "两者合计呢", "最少的呢"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_word_mixes_never_raise(a, data):
    words = sorted(a.vocab.words)
    turns = data.draw(st.lists(st.lists(st.one_of(st.sampled_from(words), st.sampled_from(_CUES)), min_size=1,
                                        max_size=4).map("".join), min_size=1, max_size=4))
    a.reset()
    for q in turns:
        ans = a.ask(q)
        assert "没能回答（" not in ans.text, (turns, ans.text)
        assert ans.status in ("answered", "not_found", "ambiguous", "out_of_scope")


@pytest.fixture(scope="module")
def czj(czj_doc, tmp_path_factory):
    from askbudget import build_store

    db = tmp_path_factory.mktemp("czjconv") / "czj.db"
    build_store([czj_doc], db)
    return Assistant(db)


# (turns…, combining follow-up, expected status, expected value, words the answer must hold)
COMBINE = [
    # one subject in two years: added when asked to add "the two", each named with its year
    (["办公费多少", "那去年是多少"], "两者合计呢", "answered", 27.60, ["2023年", "2022年"]),
    (["水费多少", "办公费多少", "那去年是多少"], "两者合计呢", "answered", 27.60, ["2023年办公费", "2022年办公费"]),
    (["人员经费多少", "去年呢"], "二者加起来呢", "answered", 1122.24, ["2022年"]),
    # two subjects of two years: not added without saying so
    (["水费多少", "去年的电费呢"], "两者合计呢", "ambiguous", None, ["2023年水费", "2022年"]),
    (["办公费多少", "去年呢"], "这两年合计多少", "answered", 27.60, ["2023年办公费", "2022年办公费"]),
    (["办公费多少", "去年呢"], "两年合计呢", "answered", 27.60, ["2023年", "2022年"]),
    (["办公费多少", "去年呢"], "两者相差多少", "answered", 2.00, ["2023年办公费", "2022年办公费"]),
    (["水费多少", "电费呢"], "两者合计呢", "answered", 11.00, ["水费", "电费"]),
    (["电费多少", "水费呢"], "二者相差多少", "answered", 7.80, ["电费", "水费"]),
    (["水费多少", "月球费多少"], "两者合计呢", "not_found", None, []),
    (["水费多少", "电费呢", "asdf"], "两者合计呢", "not_found", None, []),
    (["水费多少"], "两者合计呢", "not_found", None, []),
]


@pytest.mark.parametrize("turns,q,status,value,words", COMBINE, ids=[" / ".join(c[0] + [c[1]]) for c in COMBINE])
def test_combining_follow_ups_use_the_last_two_figures_and_their_years(czj, turns, q, status, value, words):
    """Two figures of different years are added when asked to add them and they are one subject's (or the
    question names both years); each is named with its year."""
    czj.reset()
    for t in turns:
        czj.ask(t)
    ans = czj.ask(q)
    assert ans.status == status, ans.text
    if value is None:
        assert ans.value is None
    else:
        assert ans.value == pytest.approx(value, abs=0.006), ans.text
    for w in words:
        assert w in ans.text, (w, ans.text)


# a column word that has a meaning of its own (人员经费, 公用经费) asked plainly after another subject is
# the unit's own total; as a follow-up (呢, 其中) it narrows the previous subject only where that
# subject's row has the column — never the previous row's other figure
STANDALONE = [
    (["出国经费"], "公用经费多少", 192.0), (["出国经费"], "公用经费呢", 192.0), (["因公出国（境）费多少"], "人员经费呢", 3632.5),
    (["电费多少"], "人员经费", 3632.5), (["电费多少"], "公用经费多少", 192.0), (["人员支出多少"], "公用支出多少", 192.0),
    (["电费多少"], "公用经费呢", 95.0), (["一般行政管理事务多少"], "项目支出呢", 391.3),
]


@pytest.mark.parametrize("turns,q,value", STANDALONE, ids=[" / ".join(c[0] + [c[1]]) for c in STANDALONE])
def test_a_column_word_after_another_subject(a, turns, q, value):
    a.reset()
    for t in turns:
        assert a.ask(t).answered
    ans = a.ask(q)
    assert ans.status == "answered" and ans.value == pytest.approx(value, abs=0.006), ans.text


# a turn answered with words (what an item is), not a figure, is never added to or compared with one
WORDS_THEN = [
    (["212科目多少钱", "视频监控维护采购的是什么物品"], "两者合计呢", "不能相加"),
    (["视频监控维护采购的是什么物品", "电费多少"], "两者合计呢", "不能相加"),
    (["212科目多少钱", "视频监控维护采购的是什么物品"], "相差多少", "不能相减"),
    (["视频监控维护采购的是什么物品", "电费多少"], "二者相差多少", "不能相减"),
    (["视频监控维护采购的是什么物品"], "占基本支出的比例呢", "不能算占比"),
]


@pytest.mark.parametrize("turns,q,refusal", WORDS_THEN, ids=[" / ".join(c[0] + [c[1]]) for c in WORDS_THEN])
def test_a_turn_without_a_figure_is_not_combined(a, turns, q, refusal):
    a.reset()
    for t in turns:
        a.ask(t)
    ans = a.ask(q)
    assert ans.status == "not_found" and ans.value is None, ans.text
    assert "“硬件运维服务”不是一个数额" in ans.text and refusal in ans.text, ans.text

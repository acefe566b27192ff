"""Speller: IME typos find their word; real words and unrelated text are left alone; it is fast."""
from __future__ import annotations

import statistics
import subprocess
import sys
import time

import pytest

from askbudget.fuzzy import EDIT, EXACT, INITIALS, NEAR_PINYIN, PINYIN, Speller, Suggestion
from askbudget.lexicon import load

EXTRA = [  # document words beyond the lexicon files (the parser adds the store's names the same way)
    "三公经费", "政府采购", "一般公共预算", "一般公共预算拨款", "收入总计", "支出总计",
    "人员经费", "公用经费", "基本支出", "项目支出", "机关运行经费", "固定资产", "绩效目标",
    "公务用车购置费", "因公出国（境）费", "公务用车购置及运行维护费", "上年结转", "台式计算机",
]


@pytest.fixture(scope="module")
def vocabulary() -> list[str]:
    lex = load()
    words = {s.name for s in lex.subjects} | set(lex.synonyms) | set(lex.synonyms.values())
    return sorted(words | set(EXTRA))


@pytest.fixture(scope="module")
def speller(vocabulary: list[str]) -> Speller:
    return Speller(vocabulary)


TYPOS = [
    # (typed, intended, how)
    ("电废", "电费", PINYIN),
    ("殿费", "电费", PINYIN),
    ("三工经费", "三公经费", PINYIN),
    ("政府彩购", "政府采购", PINYIN),
    ("一般公共预酸", "一般公共预算", PINYIN),
    ("一般公共预酸拨款", "一般公共预算拨款", PINYIN),
    ("住房公基金", "住房公积金", PINYIN),
    ("公务街待费", "公务接待费", PINYIN),
    ("收入总记", "收入总计", PINYIN),
    ("办工费", "办公费", PINYIN),
    ("差旅废", "差旅费", PINYIN),
    ("取暖废", "取暖费", PINYIN),
    ("基本之出", "基本支出", PINYIN),
    ("项木支出", "项目支出", PINYIN),
    ("公用经废", "公用经费", PINYIN),
    ("城乡社区支初", "城乡社区支出", PINYIN),
    ("山公经费", "三公经费", NEAR_PINYIN),  # shan ~ san
    ("公务用车运形维护费", "公务用车运行维护费", PINYIN),
    ("dianfei", "电费", PINYIN),
    ("xingzhengyunxing", "行政运行", PINYIN),  # 行 is hang or xing: every reading is indexed
    ("sgjf", "三公经费", INITIALS),
    ("一般行政管制事务", "一般行政管理事务", EDIT),
]


@pytest.mark.parametrize(("typed", "intended", "how"), TYPOS, ids=[t for t, _, _ in TYPOS])
def test_typo_finds_word(speller: Speller, typed: str, intended: str, how: str) -> None:
    got = speller.suggest(typed)
    assert got, typed
    assert got[0].word == intended
    assert got[0].how == how
    if how in (PINYIN, NEAR_PINYIN):
        assert speller.best(typed) == got[0]


# real words the vocabulary does not hold, and text that is nothing: no confident correction
NOT_CORRECTED = [
    "天气", "你好", "局长", "工资条", "房价", "股票", "啊啊啊", "asdkjh", "qwe",
    "电视", "水电", "决算", "明年", "汽油", "哈哈", "怎么样", "select", "表格",
]


@pytest.mark.parametrize("span", NOT_CORRECTED)
def test_unrelated_span_not_corrected(speller: Speller, span: str) -> None:
    assert speller.best(span) is None
    assert all(s.score < 80 for s in speller.suggest(span))


# vocabulary words come back as themselves, never as another word
@pytest.mark.parametrize("word", ["水费", "电费", "邮电费", "办公费", "会议费", "三公经费", "住房公积金",
                                  "行政运行", "公安", "租赁费", "差旅费", "基本工资", "奖金"])
def test_known_word_is_itself(speller: Speller, word: str) -> None:
    assert speller.suggest(word) == [Suggestion(word, 100, EXACT)]


def test_sound_alike_of_another_word_is_not_a_typo() -> None:
    """With both 水费 and 电费 known, neither is 'corrected' into the other."""
    sp = Speller(["水费", "电费", "税费"])
    assert sp.suggest("水费") == [Suggestion("水费", 100, EXACT)]
    assert [s.word for s in sp.suggest("睡费")] == ["水费", "税费"]  # 睡 sounds like 水 and 税 alike
    assert sp.best("睡费") is None  # two words sound alike: ambiguous, no correction


def test_without_the_word_nothing_close_is_offered() -> None:
    sp = Speller(["电费", "邮电费"])
    assert sp.suggest("水费") == []
    assert sp.suggest("") == []
    assert sp.suggest("电") == []


@pytest.mark.parametrize("span", ["电废", "三工经费", "xyz", "公务用车运行维费", "天气"])
def test_scores_bounded_sorted_deterministic(speller: Speller, vocabulary: list[str], span: str) -> None:
    first = speller.suggest(span, limit=10)
    assert first == speller.suggest(span, limit=10)
    assert first == Speller(reversed(vocabulary)).suggest(span, limit=10)
    assert all(0 <= s.score <= 100 for s in first)
    assert [s.score for s in first] == sorted((s.score for s in first), reverse=True)
    assert len(speller.suggest(span, limit=1)) <= 1


def test_limit_zero_and_whitespace(speller: Speller) -> None:
    assert speller.suggest("电废", limit=0) == []
    assert speller.suggest("  电废 ")[0].word == "电费"


def test_suggest_is_fast_on_a_3000_word_vocabulary(vocabulary: list[str]) -> None:
    words = list(vocabulary)
    i = 0
    while len(words) < 3000:  # deterministic filler: pairs of real names, as a store's would be
        a, b = vocabulary[i % len(vocabulary)], vocabulary[(i * 7 + 3) % len(vocabulary)]
        words.append(a + b)
        i += 1
    sp = Speller(words)
    spans = ["电废", "三工经费", "政府彩购", "一般公共预酸", "住房公基金", "公务街待费",
             "天气怎么样", "公务用车运行维费", "随便问问的一句话", "dianfei"]
    sp.suggest("warm up")
    timings = []
    for _ in range(20):
        for span in spans:
            start = time.perf_counter()
            sp.suggest(span)
            timings.append(time.perf_counter() - start)
    assert statistics.median(timings) < 0.002, f"median {statistics.median(timings) * 1e3:.2f} ms"


def test_pypinyin_is_not_imported_until_suggest() -> None:
    code = (
        "import sys; from askbudget.fuzzy import Speller; s = Speller(['电费']);"
        "assert 'pypinyin' not in sys.modules; print(s.suggest('电废')[0].word)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "电费"

"""Hostile questions (issue 5): whatever people type, the assistant answers, in time, never with a
figure it did not read or compute from the store, and never touches the store.

- Property tests (Hypothesis) over one Assistant on the session store of both corpus documents:
  arbitrary text and code points, mixes of the store's own words with numbers and punctuation,
  control characters, lone surrogates, emoji, RTL marks, very long input, SQL text, conversations of
  such turns. Every answer: status one of four; an answered figure is one the store holds, or is
  computed and then cites a source and says how (``derivation``); a question naming one unit cites
  only that unit; the store file's bytes never change.
- Invariance tables (CheckList INV): one question written several ways (？/?, full-width digits,
  traditional characters, extra spaces, 万元/元 wording, the budget year said or not) gives the
  figure the document prints.
- Directional tables (CheckList DIR): an operation (一半, ×2, 每月, 比…多多少, 除了…以外), a follow-up
  (最少的呢, 两者差多少), another year however written (24年, 二〇二一年), or a second year of the same
  unit in the store changes the answer: the base figure must not come back as if it answered.
- Refusal precision: every lexicon subject and alias a unit's document lacks, and every item of one
  unit asked of the other, is declined or answered only from that unit's own text.
- The one-shot CLI with undecodable argv bytes still prints UTF-8 JSON.

Example counts come from the Hypothesis profile ``hostile`` (moderate, so the file runs in well under
a minute) or ``hostile-soak`` (ASKBUDGET_HOSTILE_PROFILE=hostile-soak for a long run). The last test
prints how many inputs were tried.
"""
from __future__ import annotations

import os
import re
import time
from collections import Counter
from pathlib import Path
from typing import Any, Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hostile_util import (
    StoreFigures,
    StoreIndex,
    call_with_timeout,
    check_answer,
    check_provenance,
    lexicon_words,
    sha256_file,
    store_figures,
    store_index,
    store_words,
    to_wan,
)

# ---------------------------------------------------------------- settings

TIME_LIMIT_S = 3.0  # per question, generous for a loaded 2-core CI box; a hang fails instead of blocking

settings.register_profile(
    "hostile", max_examples=100, deadline=None, derandomize=False, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
settings.register_profile(
    "hostile-soak", max_examples=2000, deadline=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
PROFILE = settings.get_profile(os.environ.get("ASKBUDGET_HOSTILE_PROFILE", "hostile"))

TRIED: Counter[str] = Counter()  # inputs tried, by kind (printed by the last test)
STATUS: Counter[str] = Counter()


# ---------------------------------------------------------------- fixtures


class Probe:
    """One Assistant on the store, with the store's figures and its fingerprint."""

    def __init__(self, db: Path) -> None:
        from askbudget.assistant import Assistant

        self.db = db
        self.sha = sha256_file(db)
        self.figures: StoreFigures = store_figures(db)
        self.index: StoreIndex = store_index(db)
        self.assistant = Assistant(str(db))

    def ask(self, text: str, kind: str) -> Any:
        """Ask, within the time limit, and check the figure property; returns the Answer."""
        TRIED[kind] += 1
        t0 = time.perf_counter()
        answer = call_with_timeout(lambda: self.assistant.ask(text), TIME_LIMIT_S)
        took = time.perf_counter() - t0
        assert took < TIME_LIMIT_S, f"{took:.2f} s for {text[:80]!r}"
        verdict = check_answer(answer, self.figures)
        assert verdict.ok, f"{verdict.why} — question {text[:120]!r} -> {answer.to_dict()!r:.600}"
        cited = check_provenance(answer, self.index)
        assert cited.ok, f"{cited.why} — question {text[:120]!r} -> {answer.to_dict()!r:.600}"
        unit = named_unit(text)
        if unit and answer.status == "answered" and answer.value is not None:
            others = [c.unit for c in answer.citations if unit not in c.unit]
            assert not others, (f"{text[:120]!r} names {unit} only, the figure {answer.value} cites "
                                f"{others[:2]}: {answer.text[:120]!r}")
        STATUS[answer.status] += 1
        return answer

    def store_unchanged(self) -> None:
        assert sha256_file(self.db) == self.sha, "the store file changed while answering questions"


def named_unit(text: str) -> str | None:
    """The one corpus unit a question names (the marker its unit_name contains), else None."""
    police = "分局" in text or "公安局" in text  # 公安 alone is also a subject (20402 公安)
    finance = "财政局" in text
    if police and not finance:
        return "分局"
    if finance and not police:
        return "财政局"
    return None


@pytest.fixture(scope="module")
def probe(both_store: Path) -> Iterator[Probe]:
    pytest.importorskip("askbudget.assistant", reason="the question engine has not landed yet")
    p = Probe(both_store)
    yield p
    p.store_unchanged()


@pytest.fixture(scope="module")
def vocabulary(both_store: Path) -> list[str]:
    words = store_words(both_store) + lexicon_words()
    assert len(words) > 50, "the store should hold a vocabulary to mix questions from"
    return sorted(set(words))


# ---------------------------------------------------------------- strategies

QUESTION_WORDS = [
    "多少", "是多少", "多少钱", "多少元", "多少万元", "多少亿元", "几个", "几", "是什么", "什么意思",
    "为什么", "原因", "呢", "吗", "比去年", "较上年", "较2022年", "增加", "减少", "增长", "占", "比例",
    "比重", "百分之", "合计", "一共", "总共", "平均", "每", "最多", "最少", "最大", "前三", "有哪些",
    "包括", "的", "和", "与", "及", "其中", "去年", "今年", "上年", "2022年", "2023年", "2024年",
    "2021年", "财政局", "分局", "公安局", "本级", "预算", "决算", "安排了", "科目", "编码", "单价",
    "数量", "目标", "指标", "两者", "那", "那么", "请问", "帮我查", "一下", "还有", "以及", "不是",
]
PUNCT = list("？?！!，,。.、；;：:（）()【】[]“”\"'《》<>…—-+*/=%％$#@&|\\~`^_ \t\n\u3000")
CN_NUMERALS = ["一", "二", "两", "三", "十", "十二", "一百", "三千", "五万", "零点五", "百分之五十", "第一"]
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")

HOSTILE_CHARS = [
    "\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\x85", "\r", "\r\n",
    "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u202a", "\u202e", "\u2066", "\u2069", "\ufeff",
    "\ufffd", "\ufffe", "\uffff", "\ud800", "\udbff", "\udc00", "\udfff", "\u0301", "\u20dd",
    "😀", "💰", "👨\u200d👩\u200d👧", "🇨🇳", "\U0001f9ee", "\U000e0041", "\U0010ffff", "\u3000", "\u2028",
]

numbers = st.one_of(
    st.integers(-10**15, 10**15).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.decimals(places=2, allow_nan=False, allow_infinity=False, min_value=-10**9, max_value=10**9).map(str),
    st.integers(0, 10**8).map(lambda n: str(n).translate(FULLWIDTH)),
    st.sampled_from(CN_NUMERALS),
    st.sampled_from(["1e308", "1e-400", "NaN", "inf", "-0", "0x1F", "1,234.56", "１２３.４５", "95.00", "4327.18"]),
)


def mixed_question(vocab: list[str]) -> st.SearchStrategy[str]:
    """Arbitrary mixes of the store's words, question words, numbers and punctuation."""
    part = st.one_of(
        st.sampled_from(vocab), st.sampled_from(vocab), st.sampled_from(QUESTION_WORDS), numbers,
        st.sampled_from(PUNCT),
    )
    return st.tuples(st.lists(part, min_size=1, max_size=8), st.sampled_from(["", "", " ", "的", "，"])).map(
        lambda t: t[1].join(t[0]))


def with_hostile_chars(base: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Insert control characters, surrogates, emoji, bidi marks at random places of a question."""

    @st.composite
    def go(draw: st.DrawFn) -> str:
        text = draw(base)
        for _ in range(draw(st.integers(1, 6))):
            i = draw(st.integers(0, len(text)))
            text = text[:i] + draw(st.sampled_from(HOSTILE_CHARS)) + text[i:]
        return text

    return go()


any_text = st.text(max_size=300)
any_codepoints = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=120)


# ---------------------------------------------------------------- property tests


@settings(PROFILE)
@given(text=any_text)
def test_arbitrary_text(probe: Probe, text: str) -> None:
    probe.ask(text, "arbitrary text")


@settings(PROFILE)
@given(text=any_codepoints)
def test_arbitrary_codepoints_including_surrogates(probe: Probe, text: str) -> None:
    probe.ask(text, "any code point (surrogates, controls)")


@settings(PROFILE)
@given(data=st.data())
def test_mixes_of_store_words_numbers_punctuation(probe: Probe, vocabulary: list[str], data: st.DataObject) -> None:
    probe.ask(data.draw(mixed_question(vocabulary)), "word/number/punctuation mix")


@settings(PROFILE)
@given(data=st.data())
def test_mixes_with_control_chars_surrogates_emoji_bidi(probe: Probe, vocabulary: list[str],
                                                         data: st.DataObject) -> None:
    probe.ask(data.draw(with_hostile_chars(mixed_question(vocabulary))), "mix + hostile characters")


FOLLOW_UPS = ["呢", "水费呢", "两者合计呢", "去年呢", "那去年是多少", "其中最大的一项是什么", "多少元",
              "亿元呢", "比去年多了多少", "占比多少", "平均呢", "前三呢", "建筑面积呢", "它的编码呢",
              "财政局的呢", "分局的呢", "2022年呢", "为什么", "？", "还有呢"]


@settings(PROFILE, max_examples=max(10, PROFILE.max_examples // 3))
@given(data=st.data())
def test_conversations_of_hostile_turns(probe: Probe, vocabulary: list[str], data: st.DataObject) -> None:
    """Follow-up resolution must hold up too: a conversation of mixed turns, each checked."""
    turns = data.draw(st.lists(st.one_of(mixed_question(vocabulary), st.sampled_from(FOLLOW_UPS)),
                               min_size=2, max_size=6))
    probe.assistant.reset()
    try:
        for t in turns:
            probe.ask(t, "conversation turn")
    finally:
        probe.assistant.reset()




# ---------------------------------------------------------------- fixed hostile inputs

LONG_INPUTS = {
    "10kB of one question": "电费多少" * 2560,
    "10kB of spaces then a question": " " * 10_000 + "电费多少",
    "10kB question then padding": "分局电费多少" + "？" * 10_000,
    "1MB of one character": "a" * 1_000_000,
    "1MB of digits": "9" * 1_000_000,
    "1MB of Chinese": "预算" * 500_000,
    "1MB of NUL": "\x00" * 1_000_000,
    "1MB of combining marks": "电" + "\u0301" * 999_999,
    "1MB of brackets": "(" * 500_000 + ")" * 500_000,
    "1MB of emoji": "💰" * 250_000,
    "1MB of surrogates": "\ud800" * 1_000_000,
}


@pytest.mark.parametrize("text", list(LONG_INPUTS.values()), ids=list(LONG_INPUTS))
def test_very_long_input(probe: Probe, text: str) -> None:
    answer = probe.ask(text, "very long input")
    if len(text) >= 1_000_000:
        assert answer.status != "answered", "a megabyte of input is not a question"


SQL_TEXT = [
    "'; DROP TABLE rows; --",
    "1 OR 1=1",
    "1' OR '1'='1",
    "UNION SELECT * FROM documents",
    "电费 UNION SELECT sql FROM sqlite_master",
    "电费'; DELETE FROM cells; --",
    "电费\"; UPDATE cells SET value = 999999; --",
    "30206 OR 1=1",
    "30206) OR (1=1",
    "' UNION SELECT value, value, value FROM cells --",
    "ATTACH DATABASE '/tmp/askbudget-pwned.db' AS pwn; CREATE TABLE pwn.t(x);",
    "PRAGMA writable_schema = 1",
    "PRAGMA query_only = 0; DROP TABLE meta",
    "%", "_", "%%", "%电%", "电_", "*", "?", "\\", "'", "\"", "`", "--", "/*", "*/", ";",
    "电费%", "电费_", "%费", "_费多少", "电费' --", "电费\\'", "电费' AND 1=0 UNION SELECT 1 --",
    "SELECT 9999999", "VALUES(123456789)", "load_extension('/tmp/x')", "randomblob(1000000000)",
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT x FROM c",
    "{{7*7}}", "${7*7}", "<script>alert(1)</script>", "电费<img src=x onerror=alert(1)>",
    "../../../../etc/passwd", "%00", "\x00电费", "电费\x00' OR 1=1 --",
]


@pytest.mark.parametrize("text", SQL_TEXT, ids=range(len(SQL_TEXT)))
def test_sql_and_injection_text(probe: Probe, text: str) -> None:
    answer = probe.ask(text, "SQL / injection text")
    if not re.search(r"[\u4e00-\u9fff]", text) and not re.search(r"\d{3,}", text):
        # no Chinese word and no subject code: nothing here names a figure of the documents
        assert answer.status != "answered", f"{text!r} answered {answer.value!r}: {answer.text!r}"
    assert not Path("/tmp/askbudget-pwned.db").exists(), "SQL text attached a database"
    probe.store_unchanged()


def test_store_bytes_unchanged_after_all(probe: Probe) -> None:
    probe.store_unchanged()


# ---------------------------------------------------------------- invariance tables

# Questions phrased for this test (not the banks' wording), each naming its unit because the store
# holds two. The figure is the one the document prints, in 万元 (or the count/percent it states).
BASE: list[tuple[str, float]] = [
    ("财政局的电费预算是多少", 9.40),
    ("分局电费预算是多少", 95.00),
    ("财政局基本工资安排了多少", 168.36),
    ("公安分局的水费是多少", 24.00),
    ("财政局的差旅费预算多少", 6.50),
    ("分局的取暖费预算是多少", 50.00),
    ("分局公共安全支出是多少", 4327.18),
    ("财政局的公务接待费是多少", 2.40),
    ("分局政府采购预算总额是多少", 217.00),
    ("财政局的办公费预算多少", 12.80),
    ("分局城乡社区支出有多少", 1656.00),
    ("财政局退休费是多少", 18.60),
    ("分局2040220执法办案安排了多少", 40.00),
    ("财政局30211差旅费预算多少", 6.50),
    ("分局上年末固定资产总额是多少", 6781.29),
    ("财政局的邮电费预算是多少", 3.20),
    ("分局的租赁费是多少", 23.00),
    ("财政局行政单位医疗预算多少", 27.15),
    ("分局项目支出合计是多少", 2158.68),
    ("财政局的三公经费预算是多少", 10.20),
    ("财政局津贴补贴是多少", 215.48),
    ("分局工资福利支出是多少", 3632.50),
]


def _s2t(text: str) -> str:
    import opencc

    return opencc.OpenCC("s2t").convert(text)


def _with_unit(q: str, unit: str) -> str:
    return re.sub(r"多少(?![钱元万亿])", f"多少{unit}", q, count=1)


def variants(q: str) -> dict[str, str]:
    """The same question written other ways; the key says how."""
    v = {
        "as written": q,
        "full-width ？": q + "？",
        "ASCII ?": q + "?",
        "spaced ?": q + " ? ",
        "leading/trailing spaces": "  " + q + "  ",
        "ideographic space": "\u3000" + q + "\u3000",
        "space after the unit": re.sub(r"(局)", r"\1 ", q, count=1),
        "traditional": _s2t(q),
        "traditional + ？": _s2t(q) + "？",
        "year said": "2023年" + q,
        "full-width year": "２０２３年" + q,
        "in 万元": _with_unit(q, "万元"),
        "in 元": _with_unit(q, "元"),
    }
    v.update({
        "polite prefix": "请问" + q, "asked for": "麻烦问一下，" + q, "want to know": "我想知道" + q,
        "look it up": "帮我查一下" + q, "particle 呀": q + "呀", "particle 啊？": q + "啊？", "particle 呢": q + "呢",
        "exclamation": q + "！", "ellipsis": q + "……", "in quotes": "“" + q + "”", "in brackets": "【" + q + "】",
        "line break": q.replace("的", "的\n", 1), "leading tab": "\t" + q, "？？": q + "？？", "emoji": q + "🙂",
    })
    if re.search(r"\d", q):
        v["full-width digits"] = q.translate(FULLWIDTH)
    return v


CASES = [(q, exp, how, text) for q, exp in BASE for how, text in variants(q).items()]


@pytest.mark.parametrize(("base", "expected", "how", "text"), CASES,
                         ids=[f"{q}|{how}" for q, _, how, _ in CASES])
def test_invariance(probe: Probe, base: str, expected: float, how: str, text: str) -> None:
    probe.assistant.reset()
    answer = probe.ask(text, "invariance variant")
    assert answer.status == "answered", f"{how}: {text!r} -> {answer.status}: {answer.text!r}"
    assert answer.value is not None, f"{how}: {text!r} gave no figure: {answer.text!r}"
    got = to_wan(answer.value, answer.unit)
    got = answer.value if got is None else got
    assert abs(got - expected) <= 0.005, (
        f"{how}: {text!r} -> {answer.value} {answer.unit}, the document says {expected} 万元 ({base!r})")
    if how == "in 元":
        assert answer.unit == "元", f"asked in 元, answered in {answer.unit}"


def test_invariance_table_is_broad() -> None:
    assert len(BASE) >= 15 and len({q for q, _ in BASE}) == len(BASE)


# ---------------------------------------------------------------- directional expectations
#
# CheckList's DIR tests: a change to the question that changes the answer must change the answer —
# or the assistant must decline. Returning the base figure for "the half of X", "X times 2" or "X of
# unit A minus X of unit B" answers a different question with a real figure: the worst failure.

# subject, 分局 figure, 财政局 figure (万元, as the two documents print them)
BOTH_UNITS: list[tuple[str, float, float]] = [
    ("电费", 95.00, 9.40), ("水费", 24.00, 1.60), ("人员经费", 3632.50, 573.74), ("公用经费", 192.00, 54.00),
    ("项目支出", 2158.68, 261.60),
]

# template, how the right answer follows from (a = 分局 figure, b = 财政局 figure); None: any refusal
OPERATIONS: list[tuple[str, Any]] = [
    ("分局{s}的一半是多少", lambda a, b: a / 2),
    ("分局{s}乘以2是多少", lambda a, b: a * 2),
    ("分局{s}的两倍是多少", lambda a, b: a * 2),
    ("分局{s}除以12是多少", lambda a, b: a / 12),
    ("分局{s}的10%是多少", lambda a, b: a / 10),
    ("分局{s}加上1万元是多少", lambda a, b: a + 1),
    ("分局{s}减去10万元是多少", lambda a, b: a - 10),
    ("分局{s}比财政局多多少", lambda a, b: a - b),
    ("分局的{s}比财政局的多多少", lambda a, b: a - b),
    ("分局{s}与财政局{s}的差额", lambda a, b: a - b),
    ("分局和财政局的{s}合计", lambda a, b: a + b),
    ("分局和财政局的{s}一共多少", lambda a, b: a + b),
    ("财政局{s}比分局少多少", lambda a, b: a - b),
    # the same operations written other ways (a fix must be general, not the wording above)
    ("分局{s}x2", lambda a, b: a * 2),
    ("分局{s}的三分之一是多少", lambda a, b: a / 3),
    ("分局{s}翻一番是多少", lambda a, b: a * 2),
    ("分局{s}打八折是多少", lambda a, b: a * 0.8),
    ("分局{s}的一成", lambda a, b: a / 10),
    ("如果分局{s}增加10%是多少", lambda a, b: a * 1.1),
    ("分局{s}每月多少", lambda a, b: a / 12),
    ("分局{s}每天多少", lambda a, b: a / 365),
    ("分局{s}每人多少", None),  # no headcount in that document
    ("分局{s}开方", None),
    ("分局{s}多出财政局多少", lambda a, b: a - b),
    ("分局{s}和财政局{s}相差多少", lambda a, b: a - b),
    ("财政局{s}是分局的百分之几", None),
]
DIR_CASES = [(t.format(s=s), s, a, b, fn) for s, a, b in BOTH_UNITS for t, fn in OPERATIONS]


@pytest.mark.parametrize(("text", "subject", "a", "b", "right"), DIR_CASES, ids=[c[0] for c in DIR_CASES])
def test_operations_are_not_silently_dropped(probe: Probe, text: str, subject: str, a: float, b: float,
                                             right: Any) -> None:
    probe.assistant.reset()
    answer = probe.ask(text, "directional (operation) case")
    if answer.status != "answered" or answer.value is None:
        return  # declining, or describing without a figure, is honest
    assert right is not None, (f"{text!r} -> {answer.value} {answer.unit} ({answer.text!r}): the documents "
                               "cannot give this figure; it must be declined")
    got = to_wan(answer.value, answer.unit)
    got = answer.value if got is None else got
    want = right(a, b)
    assert abs(abs(got) - abs(want)) <= 0.006, (
        f"{text!r} -> {answer.value} {answer.unit} ({answer.text!r}); the right figure is {want:.2f} 万元 "
        f"(分局 {a}, 财政局 {b}) — or no figure at all")


# The property behind the tables above, over generated wordings: an operation word next to a
# subject changes the figure, so the subject's own figure must not come back unchanged.
MODIFIERS = ["的{n}倍", "乘以{n}", "除以{n}", "x{n}", "×{n}", "÷{n}", "/{n}", "加{n}万元", "减去{n}万元",
             "加上{n}万", "的百分之{n}", "的{n}%", "每月", "每天", "每周", "每季度", "每人", "每个科室",
             "平均每月", "开方", "的平方", "的立方", "的一半", "的三分之一", "的四分之一", "翻一番", "翻两番",
             "打{m}折", "增加{n}%后", "减少{n}%后"]
BASE_FIGURES = {"分局电费": 95.00, "财政局办公费": 12.80, "分局公用经费": 192.00, "财政局人员经费": 573.74,
                "分局项目支出": 2158.68, "财政局差旅费": 6.50, "分局政府采购预算总额": 217.00}
NUMBERS_2_99 = st.one_of(st.integers(2, 99).map(str), st.sampled_from(["两", "三", "五", "十", "二十", "３"]))


@settings(PROFILE)
@given(subject=st.sampled_from(sorted(BASE_FIGURES)), modifier=st.sampled_from(MODIFIERS),
       n=NUMBERS_2_99, m=st.integers(1, 9).map(str),
       tail=st.sampled_from(["", "是多少", "多少", "等于多少", "？"]), lead=st.sampled_from(["", "请问", "算一下"]))
def test_operation_words_are_never_dropped(probe: Probe, subject: str, modifier: str, n: str, m: str,
                                           tail: str, lead: str) -> None:
    text = lead + subject + modifier.format(n=n, m=m) + tail
    probe.assistant.reset()
    answer = probe.ask(text, "generated operation")
    if answer.status != "answered" or answer.value is None:
        return
    got = to_wan(answer.value, answer.unit)
    got = answer.value if got is None else got
    assert abs(got - BASE_FIGURES[subject]) > 0.006 or answer.derivation, (
        f"{text!r} -> {answer.value} {answer.unit} ({answer.text[:100]!r}): the figure of {subject} itself, "
        f"the operation {modifier.format(n=n, m=m)!r} dropped")


# Words that narrow a question to something a unit budget does not hold — a month or quarter,
# spending so far (执行/还剩), one section of the unit: the whole-year budget of the unit is not
# the answer. Declining is right; the annual figure is the failure.
SCOPE_TEMPLATES = ["{u}{s}1月份是多少", "{u}12月的{s}", "{u}上半年的{s}多少", "{u}一季度{s}是多少",
                   "{u}{s}执行了多少", "{u}{s}还剩多少", "{u}{s}已经花了多少", "{u}{s}到目前为止用了多少",
                   "{u}{dept}的{s}是多少", "{u}{dept}{s}多少"]
SCOPE_SUBJECTS = {"分局": (["电费", "人员经费", "公用经费"], ["刑警大队", "指挥中心", "火炬路派出所"]),
                  "财政局": (["办公费", "差旅费", "基本支出"], ["预算科", "国库科", "会计核算中心"])}
SCOPE_CASES = sorted({t.format(u=u, s=s, dept=d) for u, (subs, depts) in SCOPE_SUBJECTS.items()
                      for s in subs for d in depts for t in SCOPE_TEMPLATES})


@pytest.mark.parametrize("text", SCOPE_CASES)
def test_narrowing_words_are_not_dropped(probe: Probe, text: str) -> None:
    probe.assistant.reset()
    answer = probe.ask(text, "narrowing word")
    assert answer.status != "answered" or answer.value is None, (
        f"{text!r} -> {answer.value} {answer.unit} ({answer.text[:100]!r}): the documents hold whole-year "
        "budgets of the whole unit, not this")


# Parts of a total: "X without Y" is X − Y, never Y (nor X).
EXCLUSIONS: list[tuple[str, float | None]] = [
    ("分局除了电费以外的公用经费是多少", 192.00 - 95.00),
    ("分局公用经费扣除电费后是多少", 192.00 - 95.00),
    ("分局公用经费不含水费是多少", 192.00 - 24.00),
    ("财政局基本支出中除人员经费外还有多少", 627.74 - 573.74),
    ("分局电费比水费多几倍", None),  # a ratio (95/24), not an amount in 万元
]


@pytest.mark.parametrize(("text", "want"), EXCLUSIONS, ids=[t for t, _ in EXCLUSIONS])
def test_parts_and_ratios_are_not_answered_with_one_figure(probe: Probe, text: str, want: float | None) -> None:
    probe.assistant.reset()
    answer = probe.ask(text, "directional (operation) case")
    if answer.status != "answered" or answer.value is None:
        return
    got = to_wan(answer.value, answer.unit)
    if want is None:
        assert got is None and 2.9 <= answer.value <= 4.0, (
            f"{text!r} -> {answer.value} {answer.unit} ({answer.text!r}): the question asks how many times")
        return
    got = answer.value if got is None else got
    assert abs(got - want) <= 0.006, f"{text!r} -> {answer.value} {answer.unit} ({answer.text!r}); right: {want:.2f}"


# Conversations whose follow-ups change the answer: each turn's figure (万元, or None where the
# documents do not hold it: the turn must then be declined). A declined turn with a figure due is
# only a miss; a definite figure other than the document's is the failure this table is for.
CONVERSATIONS: dict[str, list[tuple[str, float | None]]] = {
    "least after most, same unit": [("财政局商品和服务支出里哪一项金额最大", 12.80), ("最少的呢", 1.60)],
    "least after most (公用经费)": [("分局公用经费里哪项最多", 95.00), ("最少的呢", 23.00)],
    "largest then smallest of a list": [("分局公用经费都包括哪些", None), ("其中最大的一项是什么", 95.00),
                                        ("最小的呢", 23.00)],
    "difference of two units' turns": [("财政局电费多少", 9.40), ("分局呢", 95.00), ("两者差多少", 85.60)],
    "sum of two units' turns": [("分局电费多少", 95.00), ("财政局呢", 9.40), ("两者合计呢", 104.40)],
    "sum of two subjects": [("分局电费多少", 95.00), ("水费呢", 24.00), ("两者合计呢", 119.00)],
    "year over year then derived": [("财政局办公费多少", 12.80), ("比去年少了多少", 2.00), ("那去年是多少", 14.80)],
    "unit switch to a unit without the subject": [("财政局差旅费多少", 6.50), ("分局的呢", None)],
    "subject switch to one the unit lacks": [("分局租赁费多少", 23.00), ("财政局的呢", None)],
    "money unit follow-up": [("分局的水费是多少", 24.00), ("多少元", 24.00)],
}


@pytest.mark.parametrize("name", list(CONVERSATIONS))
def test_follow_ups_never_answer_another_figure(probe: Probe, name: str) -> None:
    probe.assistant.reset()
    try:
        for turn, (text, want) in enumerate(CONVERSATIONS[name], 1):
            answer = probe.ask(text, "conversation table turn")
            if want is None:
                if answer.value is not None:
                    assert answer.status != "answered", (
                        f"turn {turn} {text!r}: the documents hold no such figure, answered "
                        f"{answer.value} {answer.unit}: {answer.text!r}")
                continue
            if answer.status != "answered" or answer.value is None:
                continue
            got = to_wan(answer.value, answer.unit)
            got = answer.value if got is None else got
            assert abs(abs(got) - want) <= 0.006, (
                f"turn {turn} {text!r} -> {answer.value} {answer.unit} ({answer.text!r}); the document's "
                f"figure is {want} 万元")
    finally:
        probe.assistant.reset()


# A year written any way people write it. The store holds 2023 budgets and, for some subjects, the
# 2022 figure the narrative lets one derive; any other year must be declined — above all, never
# answered with the 2023 figure.
YEAR_SPELLINGS: dict[str, int] = {
    "2024年": 2024, "２０２４年": 2024, "二〇二四年": 2024, "二零二四年": 2024, "24年": 2024, "2024年度": 2024,
    "明年": 2024, "2021年": 2021, "二〇二一年": 2021, "21年": 2021, "前年": 2021, "2019年": 2019,
    "2022年": 2022, "二〇二二年": 2022, "22年": 2022, "去年": 2022, "上年": 2022, "2022年度": 2022,
    "2023年": 2023, "二〇二三年": 2023, "23年": 2023, "今年": 2023, "本年": 2023, "2023年度": 2023,
}
# template, {year: figure (万元) or None where the documents do not give it}
YEAR_SUBJECTS: list[tuple[str, dict[int, float | None]]] = [
    ("{y}分局电费预算是多少", {2023: 95.00, 2022: None}),        # the narrative says why, not how much
    ("财政局{y}的差旅费是多少", {2023: 6.50, 2022: 6.90}),        # 6.50 + 减少 0.40
    ("{y}财政局三公经费是多少", {2023: 10.20, 2022: 11.60}),      # 10.20 + 减少 1.40
    ("分局{y}的人员经费是多少", {2023: 3632.50, 2022: 2738.66}),  # 3632.50 − 增加 893.84
]
YEAR_CASES = [(t.format(y=y), y, year, figures) for t, figures in YEAR_SUBJECTS for y, year in YEAR_SPELLINGS.items()]


@pytest.mark.parametrize(("text", "spelled", "year", "figures"), YEAR_CASES, ids=[c[0] for c in YEAR_CASES])
def test_years_however_written(probe: Probe, text: str, spelled: str, year: int,
                               figures: dict[int, float | None]) -> None:
    probe.assistant.reset()
    answer = probe.ask(text, "year spelling case")
    want = figures.get(year)
    if answer.status != "answered" or answer.value is None:
        return  # declining is honest (a miss where a figure was due, which the banks score)
    got = to_wan(answer.value, answer.unit)
    got = answer.value if got is None else got
    assert want is not None, (f"{text!r} ({spelled} = {year}): the documents give no {year} figure, "
                              f"answered {answer.value} {answer.unit}: {answer.text!r}")
    assert abs(got - want) <= 0.006, f"{text!r} ({spelled} = {year}) -> {got}, the {year} figure is {want}"


# ---------------------------------------------------------------- absent subjects
#
# Every standard subject (and colloquial alias) of the lexicon that a unit's document does not list:
# asked about for that unit, it must be declined or answered 0 (a template row left empty) — or,
# where a figure is given, the subject's words must be written somewhere in that unit's document
# (a project or a narrative line of that name): a figure must never come from a look-alike row.

UNITS = {"财政局": "财政局", "分局": "分局"}


def _tsv(path: Path) -> list[list[str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        rows.append([c.strip() for c in line.split("\t")])
    return rows[1:]  # header


def _absent_cases(db: Path) -> list[tuple[str, str, str, str]]:
    """(unit, the name asked, the name it stands for, the unit's document text) for every lexicon
    subject — and every alias of one — that the unit's tables do not list."""
    import sqlite3

    from hostile_util import ROOT

    lex = ROOT / "lexicon"
    names: dict[str, str] = {}
    for f in ("subjects_economic.tsv", "subjects_function.tsv"):
        if (lex / f).is_file():
            names.update({r[1]: r[1] for r in _tsv(lex / f) if len(r) >= 2})
    if (lex / "synonyms.tsv").is_file():
        names.update({r[0]: r[1] for r in _tsv(lex / "synonyms.tsv") if len(r) >= 2})
    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        out = []
        for short, like in UNITS.items():
            (doc_id,) = conn.execute("SELECT id FROM documents WHERE unit_name LIKE ?", (f"%{like}%",)).fetchone()
            text = "\n".join(str(v) for q in (
                "SELECT label FROM rows WHERE document_id = ?", "SELECT group_name FROM rows WHERE document_id = ?",
                "SELECT text FROM sections WHERE document_id = ?", "SELECT heading FROM sections WHERE document_id = ?",
                "SELECT title FROM tables WHERE document_id = ?", "SELECT raw FROM cells WHERE document_id = ?",
                "SELECT term FROM glossary WHERE document_id = ?", "SELECT level3 FROM indicators WHERE document_id = ?",
                "SELECT subject FROM statements WHERE document_id = ?", 'SELECT "column" FROM cells WHERE document_id = ?')
                for (v,) in conn.execute(q, (doc_id,)) if v)
            labels = {v for (v,) in conn.execute("SELECT label FROM rows WHERE document_id = ?", (doc_id,))}
            for asked, canonical in sorted(names.items()):
                if canonical not in labels and asked not in labels and _stem(canonical) not in text:
                    out.append((short, asked, canonical, text))
        return out
    finally:
        conn.close()


def _stem(name: str) -> str:
    return re.sub(r"(支出|费用|经费|费|收入)$", "", re.sub(r"[（(].*?[)）]", "", name)) or name


def test_absent_subjects_are_declined(probe: Probe) -> None:
    cases = _absent_cases(probe.db)
    assert len(cases) > 100
    wrong = []
    for unit, name, canonical, text in cases:
        probe.assistant.reset()
        answer = probe.ask(f"{unit}的{name}预算是多少", "absent subject")
        if answer.status != "answered" or not answer.value:
            continue
        if _stem(name) not in text:
            wrong.append(f"{unit}的{name} (= {canonical}) -> {answer.value} {answer.unit}: {answer.text[:80]!r}")
    assert not wrong, f"{len(wrong)} of {len(cases)} subjects absent from the unit answered with a figure:\n" + \
        "\n".join(wrong[:20])


def test_absent_codes_are_declined(probe: Probe) -> None:
    """A subject code of the classification that a unit's document never writes: no figure. (The
    code's name may match a project's name — 30209 物业管理费 / 项目 机关物业管理费 — but the
    document does not say the project is classified there.)"""
    import sqlite3

    from hostile_util import ROOT

    codes = [r[0] for f in ("subjects_economic.tsv", "subjects_function.tsv")
             if (ROOT / "lexicon" / f).is_file() for r in _tsv(ROOT / "lexicon" / f) if r and r[0].isdigit()]
    conn = sqlite3.connect(f"{probe.db.resolve().as_uri()}?mode=ro", uri=True)
    wrong, n = [], 0
    try:
        for unit in UNITS:
            (doc_id,) = conn.execute("SELECT id FROM documents WHERE unit_name LIKE ?", (f"%{unit}%",)).fetchone()
            text = "\n".join(str(v) for q in ("SELECT code FROM rows WHERE document_id = ?",
                                              "SELECT text FROM sections WHERE document_id = ?",
                                              "SELECT raw FROM cells WHERE document_id = ?")
                             for (v,) in conn.execute(q, (doc_id,)) if v)
            for code in codes:
                if code in text:
                    continue
                n += 1
                probe.assistant.reset()
                answer = probe.ask(f"{unit}{code}科目预算多少", "absent code")
                if answer.status == "answered" and answer.value:
                    wrong.append(f"{unit} {code} -> {answer.value} {answer.unit}: {answer.text[:70]!r}")
    finally:
        conn.close()
    assert n > 100
    assert not wrong, f"{len(wrong)} of {n} codes the unit's document never writes got a figure:\n" + "\n".join(wrong)


# Real words that look or sound like a subject but ask for something else: a quantity, a rate, another
# expense (绿化费 sounds like …话费 → 邮电费). Typo correction must not turn a real word into a subject.
LOOK_ALIKES = ["绿化费", "用电量", "用水量", "电费率", "电价", "水价", "电表读数", "用电度数", "绿化面积", "电费发票张数"]
LOOK_ALIKE_CASES = [f"{u}{w}是多少" for u in UNITS for w in LOOK_ALIKES]


@pytest.mark.parametrize("text", LOOK_ALIKE_CASES)
def test_look_alike_words_are_not_the_subject(probe: Probe, text: str) -> None:
    probe.assistant.reset()
    answer = probe.ask(text, "look-alike word")
    assert answer.status != "answered" or answer.value is None, (
        f"{text!r} -> {answer.value} {answer.unit} ({answer.text[:90]!r}): a figure of another thing")


# The stored units called the ways people call them (INV): the same figure as the short name gives.
UNIT_NAMES: dict[str, tuple[list[str], float]] = {
    "分局": (["唐山市公安局高新技术产业开发区分局", "唐山市公安局高新技术产业开发区分局（本级）", "唐山市公安局高新区分局",
             "高新区公安分局", "唐山高新区公安分局", "高新区分局", "高新公安分局", "公安分局"], 95.00),
    "财政局": (["唐山市高新技术产业开发区财政局", "唐山市高新技术产业开发区财政局(本级)", "唐山市高新区财政局",
               "高新区财政局", "唐山高新区财政局", "高新技术产业开发区财政局"], 9.40),
}
UNIT_NAME_CASES = [(f"{n}的电费是多少", v) for names, v in UNIT_NAMES.values() for n in names]


@pytest.mark.parametrize(("text", "want"), UNIT_NAME_CASES, ids=[t for t, _ in UNIT_NAME_CASES])
def test_the_stored_units_by_their_other_names(probe: Probe, text: str, want: float) -> None:
    probe.assistant.reset()
    answer = probe.ask(text, "unit name variant")
    assert answer.status == "answered" and answer.value is not None, f"{text!r} -> {answer.status}: {answer.text!r}"
    got = to_wan(answer.value, answer.unit)
    assert got is not None and abs(got - want) <= 0.005, f"{text!r} -> {answer.value} {answer.unit}; want {want}"


# Units the store does not hold, named with a place: the city bureau is not the district's bureau,
# another province's or district's bureau is not this one. No figure of the stored unit — and no
# claim that the stored unit's document lacks 电费 (it has it).
OTHER_UNITS = ["唐山市财政局", "唐山市公安局", "河北省财政局", "北京市财政局", "路南区财政局", "唐山市路北区公安分局",
               "石家庄市高新区财政局", "唐山市曹妃甸区财政局", "河北省公安厅", "唐山市高新区税务局"]
OTHER_UNIT_CASES = [f"{u}的电费是多少" for u in OTHER_UNITS]


@pytest.mark.parametrize("text", OTHER_UNIT_CASES)
def test_units_the_store_lacks_get_no_figure(probe: Probe, text: str) -> None:
    probe.assistant.reset()
    answer = probe.ask(text, "unit the store lacks")
    assert answer.status != "answered" or answer.value is None, (
        f"{text!r} -> {answer.value} {answer.unit} ({answer.text[:100]!r}): a unit the store does not hold")
    assert not re.search(r"(?:分局|财政局)\(本级\)的文件中没有找到“电费”", answer.text), (
        f"{text!r}: the text says a stored unit has no 电费, which it has: {answer.text!r}")


def test_one_units_items_asked_of_the_other_unit(probe: Probe) -> None:
    """Every subject, project, indicator and procurement item of one unit that the other unit's
    document never writes, asked of that other unit: declined, or (named_unit) citing only it."""
    import sqlite3

    conn = sqlite3.connect(f"{probe.db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        ids = {short: conn.execute("SELECT id FROM documents WHERE unit_name LIKE ?", (f"%{short}%",)).fetchone()[0]
               for short in UNITS}

        def items(doc: int) -> set[str]:
            qs = ["SELECT label FROM rows WHERE document_id = ?", "SELECT level3 FROM indicators WHERE document_id = ?",
                  "SELECT project FROM tables WHERE document_id = ? AND project != ''",
                  'SELECT raw FROM cells WHERE document_id = ? AND "column" = \'采购物品名称\'']
            return {v for q in qs for (v,) in conn.execute(q, (doc,)) if v}

        def text(doc: int) -> str:
            qs = ["SELECT label FROM rows WHERE document_id = ?", "SELECT text FROM sections WHERE document_id = ?",
                  "SELECT level3 FROM indicators WHERE document_id = ?", "SELECT raw FROM cells WHERE document_id = ?",
                  "SELECT title FROM tables WHERE document_id = ?"]
            return "\n".join(str(v) for q in qs for (v,) in conn.execute(q, (doc,)) if v)

        cases = []
        for a, b in (("分局", "财政局"), ("财政局", "分局")):
            tb = text(ids[b])
            cases += [f"{b}的{x}是多少" for x in sorted(items(ids[a])) if x not in tb]
    finally:
        conn.close()
    assert len(cases) > 50
    for q in cases:
        probe.assistant.reset()
        probe.ask(q, "other unit's item")


# ---------------------------------------------------------------- lists, counts and extremes agree

# "有几个X" and "有哪些X" about the same X must agree: the list names as many as the count says.
COUNT_LIST: list[tuple[str, str]] = [
    ("财政局有几个科室", "财政局有哪些科室"), ("财政局科室一共多少个", "财政局的科室有哪些"),
    ("分局有几个科室所队", "分局有哪些科室所队"), ("分局有几个派出所", "分局有哪些派出所"),
    ("分局有几个大队", "分局有哪些大队"), ("财政局有几个中心", "财政局有哪些中心"),
    ("分局有几个绩效目标表", "分局有哪些绩效目标表"), ("财政局政府采购有几个项目", "财政局政府采购有哪些项目"),
]


@pytest.mark.parametrize(("count_q", "list_q"), COUNT_LIST, ids=[c for c, _ in COUNT_LIST])
def test_a_count_and_its_list_agree(probe: Probe, count_q: str, list_q: str) -> None:
    probe.assistant.reset()
    count = probe.ask(count_q, "count/list pair")
    probe.assistant.reset()
    listed = probe.ask(list_q, "count/list pair")
    if count.status != "answered" or count.value is None or listed.status != "answered":
        return
    n = int(count.value)
    said = [int(m) for m in re.findall(r"(\d+)\s*(?:个|项|家)", listed.text)]
    if listed.items:
        assert len(listed.items) == n, (f"{count_q!r} says {n}, {list_q!r} lists {len(listed.items)}: "
                                        f"{listed.text[:120]!r}")
    elif said:
        assert said[0] == n, f"{count_q!r} says {n}, {list_q!r} says {said[0]}: {listed.text[:120]!r}"


# The least / most of a group, from the document. An empty cell is nothing budgeted (0): it counts.
EXTREMES: list[tuple[str, str, float]] = [
    ("分局固定资产里哪类最少", "文物与陈列品", 0.0),
    ("分局固定资产哪类价值最高", "专用设备", 3271.13),
    ("财政局三公经费里哪项最少", "因公出国", 0.0),
    ("财政局三公经费里哪项最多", "公务用车", 7.80),
    ("分局公用经费里哪项最少", "租赁费", 23.00),
    ("财政局工资福利支出中哪项最多", "津贴补贴", 215.48),
]


@pytest.mark.parametrize(("text", "label", "value"), EXTREMES, ids=[t for t, _, _ in EXTREMES])
def test_least_and_most_are_the_documents(probe: Probe, text: str, label: str, value: float) -> None:
    probe.assistant.reset()
    answer = probe.ask(text, "least/most")
    if answer.status != "answered" or answer.value is None:
        return
    got = to_wan(answer.value, answer.unit)
    got = answer.value if got is None else got
    assert abs(got - value) <= 0.005 and label in answer.text, (
        f"{text!r} -> {answer.value} {answer.unit} ({answer.text[:100]!r}); the document's is {label} {value}")


# ---------------------------------------------------------------- one unit, two years

# The 分局's document again as its 2022 budget with another 电费 (88.00): a store holding two years of
# one unit. A question names a year, or means the latest (2023); a figure of the other year is wrong.
YEARS_CASES: list[tuple[str, float]] = [
    ("分局电费多少", 95.00), ("2023年分局电费多少", 95.00), ("今年分局电费是多少", 95.00),
    ("分局2022年电费多少", 88.00), ("2022年分局的电费是多少", 88.00), ("去年分局电费多少", 88.00),
    ("2022年分局的水费是多少", 24.00), ("分局2023年的水费", 24.00),
]


@pytest.fixture(scope="module")
def years_probe(tmp_path_factory: pytest.TempPathFactory, gongan_doc: Path, czj_doc: Path) -> Probe:
    pytest.importorskip("askbudget.assistant")
    from askbudget import build_store

    d = tmp_path_factory.mktemp("years")
    text = gongan_doc.read_text(encoding="utf-8")
    old = text.replace("预算年度：2023", "预算年度：2022").replace("6\t30206\t电费\t95.00\t\t95.00",
                                                                "6\t30206\t电费\t88.00\t\t88.00")
    assert old.count("88.00") >= 1 and "预算年度：2022" in old
    p2022 = d / "gaoxin-gongan-2022.txt"
    p2022.write_text(old, encoding="utf-8")
    db = d / "years.db"
    build_store([gongan_doc, p2022, czj_doc], db)
    return Probe(db)


@pytest.mark.parametrize(("text", "want"), YEARS_CASES, ids=[t for t, _ in YEARS_CASES])
def test_two_years_of_one_unit(years_probe: Probe, text: str, want: float) -> None:
    years_probe.assistant.reset()
    answer = years_probe.ask(text, "two years of one unit")
    if answer.status != "answered" or answer.value is None:
        return
    got = to_wan(answer.value, answer.unit)
    got = answer.value if got is None else got
    assert abs(got - want) <= 0.006, f"{text!r} -> {answer.value} {answer.unit} ({answer.text!r}); right: {want}"


@settings(PROFILE)
@given(data=st.data())
def test_mixes_on_a_two_year_store(years_probe: Probe, vocabulary: list[str], data: st.DataObject) -> None:
    """The mixed-question property on a store holding two years of one unit (and the other unit)."""
    years_probe.assistant.reset()
    years_probe.ask(data.draw(mixed_question(vocabulary)), "mix on a two-year store")


# ---------------------------------------------------------------- the one-shot CLI


@pytest.mark.parametrize("arg", [
    b"\xff\xfe" + "电费".encode(), "分局电费多少".encode() + b"\xff", b"\xed\xa0\x80", "分局电费".encode() + b"\x1b[31m",
    b"a" * 100_000, "\u202e分局电费多少".encode(), b"--", b"-h\xff",
], ids=["invalid-utf8-lead", "invalid-utf8-tail", "encoded-surrogate", "escape-sequence", "100kB", "rtl", "dashes",
        "option-like"])
def test_cli_json_output_is_valid_json_whatever_argv_holds(both_store: Path, arg: bytes) -> None:
    """``ask --json`` with bytes no text encoding allows: exit 0/1/2, and stdout is UTF-8 JSON."""
    import json as _json
    import subprocess
    import sys

    from hostile_util import ROOT

    env = dict(os.environ, PYTHONPATH=str(ROOT), NO_COLOR="1")
    r = subprocess.run([sys.executable.encode(), b"-m", b"askbudget", b"ask", b"--db", str(both_store).encode(),
                        b"--json", b"--", arg], capture_output=True, env=env, timeout=60, cwd=str(ROOT))
    assert b"Traceback" not in r.stderr, r.stderr[-1500:]
    assert r.returncode in (0, 1, 2), r.returncode
    if r.returncode in (0, 1) and r.stdout.strip():
        out = r.stdout.decode("utf-8")  # raises on raw bytes echoed back
        data = _json.loads(out)
        assert data["status"] in ("answered", "not_found", "ambiguous", "out_of_scope")


# ---------------------------------------------------------------- totals


def test_report_totals(probe: Probe, capsys: pytest.CaptureFixture[str]) -> None:
    """Print how many inputs the run tried (the figure issue 5 asks for in the closing note)."""
    probe.store_unchanged()
    with capsys.disabled():
        total = sum(TRIED.values())
        print(f"\n[hostile questions] {total} inputs tried (profile "
              f"{os.environ.get('ASKBUDGET_HOSTILE_PROFILE', 'hostile')}): "
              + ", ".join(f"{k} {n}" for k, n in TRIED.most_common())
              + " | statuses: " + ", ".join(f"{k} {n}" for k, n in STATUS.most_common()))

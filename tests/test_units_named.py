"""How a question names a unit in a store of many: the seven real 普陀区 documents of tests/data (three 2026
预算, four 2025 决算) in one store. An abbreviation no list holds (生态局, 石泉 of 石泉路街道办事处) names the one
unit whose own name holds its characters in order; words of a unit's own name (普陀区, 宜川) name the units
that hold them — all of them, a place they share, leaves the choice to the asker."""
from __future__ import annotations

from pathlib import Path

import pytest

from askbudget import build_store
from askbudget.assistant import Assistant

DATA = Path(__file__).parent / "data"
DOCS = ["putuo-chengguan-2026", "putuo-jianguanwei-2026", "putuo-wenlvju-2026", "putuo-shengtai-2025-final",
        "putuo-shiquan-2025-final", "putuo-wenlv-2025-final", "putuo-yichuan-2025-final"]


def _expect(a: Assistant, q: str, value: float | None) -> None:
    """``q`` asked anew is answered with ``value`` — or, None, not answered at all."""
    a.reset()
    got = a.ask(q)
    if value is None:
        assert got.status != "answered" and got.value is None, got.text
    else:
        assert got.status == "answered" and got.value == pytest.approx(value), got.text


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    db = tmp_path_factory.mktemp("many") / "putuo.db"
    build_store([DATA / f"{d}.txt" for d in DOCS], db, quiet=True)
    return Assistant(db, warm=False)


@pytest.fixture(scope="module")
def yichuan(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    db = tmp_path_factory.mktemp("yichuan") / "y.db"
    build_store([DATA / "putuo-yichuan-2025-final.txt"], db, quiet=True)
    return Assistant(db, warm=False)


@pytest.mark.parametrize("q, value, unit", [
    ("城管局三公经费多少", 114.22, "城市管理行政执法局"),  # the lexicon's abbreviation
    ("生态局的电费", 26.20, "生态环境局"),  # 生态(环境)局: the characters of the name, in order
    ("宜川街道办的三公经费", 19.86, "宜川路街道办事处"),  # 宜川(路)街道办(事处)
    ("普陀区宜川街道的三公经费", 19.86, "宜川路街道办事处"),  # its own place before it
    ("石泉的电费", 72.56, "石泉路街道办事处"),  # a word only one unit's name holds
])
def test_a_unit_named_by_an_abbreviation(many: Assistant, q: str, value: float, unit: str) -> None:
    many.reset()
    got = many.ask(q)
    assert got.status == "answered" and got.value == pytest.approx(value), got.text
    assert all(unit in c.unit for c in got.citations), got.citations


@pytest.mark.parametrize("q", ["街道三公经费", "普陀区三公经费", "三公经费多少"])
def test_words_several_units_hold_leave_the_choice(many: Assistant, q: str) -> None:
    many.reset()
    got = many.ask(q)
    assert got.status == "ambiguous" and got.value is None, got.text


@pytest.mark.parametrize("q", ["公用经费包括哪些", "公用经费都有哪些项", "哪个项目支出最多", "公用经费中哪项最多",
                               "一般公共服务支出下面有哪些", "项目支出有哪些", "绩效目标有哪些"])
def test_a_list_or_a_ranking_naming_no_unit_asks_which(many: Assistant, q: str) -> None:
    """The members of a group are one unit's: named by no unit in a store of several that hold the group,
    the answer asks which unit, as a figure's does — never the first document's list."""
    many.reset()
    got = many.ask(q)
    assert got.status == "ambiguous" and not got.items, got.text


@pytest.mark.parametrize("q", ["收入为什么减少", "机关运行经费为什么减少", "项目支出为什么增加", "电费为什么增加"])
def test_a_why_naming_no_unit_asks_which(many: Assistant, q: str) -> None:
    """Several units' documents hold the subject (and some give a reason): the answer asks which unit, the
    same question about each suggested — never one unit's reason, never "文件中没有找到" what they hold."""
    many.reset()
    got = many.ask(q)
    assert got.status == "ambiguous" and "没有找到" not in got.text, got.text
    assert len(got.suggestions) >= 2 and all(s.endswith(q[-4:] + "？") for s in got.suggestions), got.suggestions


def test_a_why_of_the_unit_named_says_what_it_holds(many: Assistant) -> None:
    many.reset()
    got = many.ask("城管局电费为什么增加")
    assert got.status == "not_found" and "25.00" in got.text and "原因" in got.text, got.text


@pytest.mark.parametrize("q, n, unit", [
    ("城管局的公用经费包括哪些", 20, "城市管理行政执法局"),
    ("文旅局的公用经费包括哪些", None, "文化和旅游局"),
])
def test_a_list_of_the_unit_named(many: Assistant, q: str, n: int | None, unit: str) -> None:
    many.reset()
    got = many.ask(q)
    assert got.status == "answered" and got.items and (n is None or len(got.items) == n), got.text
    assert all(unit in c.unit for c in got.citations), got.citations


@pytest.mark.parametrize("q, heading", [
    ("城管局的机构设置", "机构设置"),  # the heading "普陀区城市管理行政执法局机构设置": the unit's name is no word asked
    ("城管局机构设置情况", "机构设置"),
    ("城管局的主要职能是什么", "主要职能"),
    ("建管委主要职能", "主要职能"),
])
def test_a_section_headed_with_the_units_own_name(many: Assistant, q: str, heading: str) -> None:
    many.reset()
    got = many.ask(q)
    assert got.status == "answered" and got.value is None and heading in got.citations[0].table, got.text


@pytest.mark.parametrize("q", ["城管局的机构设置", "城管局的机构", "城管局的执法机构"])
def test_a_word_before_de_in_a_clauses_name_is_not_what_its_figure_is_of(many: Assistant, q: str) -> None:
    """"…下属一家机关和一家行政执法机构财政拨款的机关运行经费预算为507.25万元" is the 机关运行经费's figure:
    a question naming 机构 and not 机关运行经费 never gets it."""
    many.reset()
    got = many.ask(q)
    assert got.value != pytest.approx(507.25), got.text


@pytest.mark.parametrize("q", ["静安区城管局三公经费", "徐汇区的电费"])
def test_a_place_no_unit_holds_is_never_read_as_one(many: Assistant, q: str) -> None:
    many.reset()
    assert many.ask(q).status != "answered"


@pytest.mark.parametrize("q", ["普陀区三公经费", "宜川三公经费", "街道三公经费"])
def test_words_of_the_one_units_name_and_the_final_not_the_budget(yichuan: Assistant, q: str) -> None:
    """The words name the store's unit; the 决算's 三公经费 is its 决算数 19.86, never the 年初预算 31.47 that the
    narrative's sentence states first ("年初预算为31.47万元，支出决算为19.86万元")."""
    yichuan.reset()
    got = yichuan.ask(q)
    assert got.status == "answered" and got.value == pytest.approx(19.86), got.text


def test_a_finals_budget_clause_answers_only_a_budget_question(yichuan: Assistant) -> None:
    yichuan.reset()
    assert yichuan.ask("静安区三公经费").value != pytest.approx(31.47)
    yichuan.reset()
    assert yichuan.ask("三公经费年初预算多少").value == pytest.approx(31.47)


@pytest.mark.parametrize("q, value", [
    ("生态环境局机关运行经费", 185.41),  # its narrative's 机关运行经费支出, never its 公用经费 416.36
    ("石泉路街道机关运行经费", 627.04),
    ("城管局机关运行经费", 507.25),  # a row of its own 三公 table
])
def test_a_units_own_words_beat_a_row_of_that_name_in_another_units_table(many: Assistant, q: str,
                                                                           value: float) -> None:
    many.reset()
    got = many.ask(q)
    assert got.status == "answered" and got.value == pytest.approx(value), got.text


@pytest.mark.parametrize("q, value", [
    ("建管委和城管2026年电费预算加起来多少万元", 57.0),  # 城管: the lexicon's abbreviation
    ("建管委和海事的电费加起来多少", None),  # a word joined by 和 is one of the things added: unread, refused
    ("城管执法局“城管执法”这一项的项目支出预算是多少", 1099.2193),  # 项目支出预算: a defined term, and the column
    ("文旅局图书馆2026年买书花多少钱", None),  # what the money is for, unread right before the question for money
])
def test_every_conjunct_and_every_column_is_read(many: Assistant, q: str, value: float | None) -> None:
    _expect(many, q, value)


@pytest.mark.parametrize("q, value", [
    ("石泉路街道城管执法支出多少", 1289.35),  # the side word is the subject's, never a second subject (支出总计)
    ("文旅局2025年度群众文化决算支出多少", 4540.23),  # the kind between the subject and its side
    ("城管局城管执法预算收入多少", None),  # 预算收入 one token: the side still read, and 城管执法 is spending
])
def test_a_side_word_after_a_subject_in_a_store_of_many(many: Assistant, q: str, value: float | None) -> None:
    _expect(many, q, value)


@pytest.fixture(scope="module")
def stated(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    """The 四川 事业单位 document with its 机关运行经费 stated the way a 江苏 narrative writes it."""
    text = (DATA / "sichuan-nongji-2026.txt").read_text(encoding="utf-8")
    line = "2026年一般公共预算基本支出1868.42万元，其中：人员经费1633.92万元，公用经费234.50万元。\n"
    assert line in text
    text = text.replace(line, line + "2026年本部门一般公共预算机关运行经费预算支出150.00万元，比2025年预算减少5.00万元，下降3.23%。\n")
    d = tmp_path_factory.mktemp("stated")
    (d / "sichuan-nongji-2026.txt").write_text(text, encoding="utf-8")
    build_store([d / "sichuan-nongji-2026.txt"], d / "s.db", quiet=True)
    return Assistant(d / "s.db", warm=False)


@pytest.mark.parametrize("q, value, words", [
    ("机关运行经费预算多少", 150.0, "机关运行经费"),  # the narrative's own figure, never 公用经费 234.50
    ("机关运行经费有什么变化", 5.0, "减少"),  # a change asked: the stated change, never the term's definition
    ("机关运行经费跟2025年比有什么变化", 5.0, "减少"),
])
def test_a_figure_stated_inside_its_fund_and_kind_words(stated: Assistant, q: str, value: float, words: str) -> None:
    stated.reset()
    got = stated.ask(q)
    assert got.status == "answered" and got.value == pytest.approx(value) and words in got.text, got.text


def test_a_figure_stated_after_whose_units_it_is(tmp_path: Path) -> None:
    """"…行政单位和参照公务员法管理事业单位（局本级、卫生监督所）机关运行经费预算122.40万元": the narrative's own
    机关运行经费, never the 公用经费 234.50 its alias would give."""
    text = (DATA / "sichuan-nongji-2026.txt").read_text(encoding="utf-8")
    line = "2026年一般公共预算基本支出1868.42万元，其中：人员经费1633.92万元，公用经费234.50万元。\n"
    f = tmp_path / "sichuan-nongji-2026.txt"
    f.write_text(text.replace(line, line + "2026年本部门行政单位和参照公务员法管理事业单位（局本级、农机推广站）机关运行经费"
                                         "预算122.40万元，比2025年128.65万元减少6.25万元，下降4.86%。\n"), encoding="utf-8")
    build_store([f], tmp_path / "s.db", quiet=True)
    with Assistant(tmp_path / "s.db", warm=False) as a:
        got = a.ask("机关运行经费多少")
        assert got.status == "answered" and got.value == pytest.approx(122.4), got.text


@pytest.mark.parametrize("q", ["事业运行的收入预算多少", "住房公积金的收入预算多少"])
def test_a_row_before_a_whole_is_never_dropped_for_the_wholes_figure(stated: Assistant, q: str) -> None:
    """"X的收入预算" where the document gives the 收入预算 only whole (4294.42): no breakdown by X, said."""
    stated.reset()
    got = stated.ask(q)
    assert got.status == "not_found" and got.value is None and "4294.42" in got.text, got.text


@pytest.mark.parametrize("q", ["表3里事业运行的基本支出", "表3-1中事业运行的基本支出是多少"])
def test_a_table_named_by_its_number_is_never_dropped(stated: Assistant, q: str) -> None:
    """The store keeps a table's title, not its number in the document: "表3" is not read, so never answered past."""
    _expect(stated, q, None)


def test_a_follow_up_in_the_other_kind_keeps_the_unit(many: Assistant) -> None:
    """文旅局 has a 2026 预算 and a 2025 决算: "那2025年决算呢" reads the same unit's 决算, never asks which unit."""
    many.reset()
    assert many.ask("文旅局2026年预算里行政运行是多少").value == pytest.approx(465.4597)
    got = many.ask("那2025年决算呢")
    assert got.status == "answered" and got.value == pytest.approx(457.86), got.text
    assert all("文化和旅游局" in c.unit for c in got.citations)


def test_a_numbered_schools_number_is_an_ordinal(many: Assistant) -> None:
    """二中 names a school the store lacks; 两院 / 1.5中 are no such abbreviation (a count, a figure)."""
    from askbudget.parse import _numbered_other

    assert _numbered_other("二中的电费", many.vocab) == "二中"
    assert _numbered_other("两院的电费合计", many.vocab) == ""
    assert _numbered_other("1.5中的电费", many.vocab) == ""


def test_a_whole_is_never_answered_with_the_change_of_a_subject_holding_its_name(tmp_path: Path) -> None:
    """"2026年一般公共预算支出3184.42万元，比2025年增加91.00万元": 一般公共预算支出 writes 预算支出 whole inside it, but
    it is one fund's spending — "收入总计/支出总计比上年增加多少" is never given its 91.00."""
    text = (DATA / "sichuan-nongji-2026.txt").read_text(encoding="utf-8")
    line = "2026年一般公共预算基本支出1868.42万元，其中：人员经费1633.92万元，公用经费234.50万元。\n"
    assert line in text
    f = tmp_path / "sichuan-nongji-2026.txt"
    f.write_text(text.replace(line, "2026年一般公共预算支出3184.42万元，比2025年增加91.00万元，增长2.94%。\n" + line),
                 encoding="utf-8")
    build_store([f], tmp_path / "s.db", quiet=True)
    with Assistant(tmp_path / "s.db", warm=False) as a:
        for q in ("收入总计比上年增加多少", "支出总计比2025年增加了多少", "预算支出比上年增加多少"):
            a.reset()
            assert a.ask(q).value != pytest.approx(91.0), q
        a.reset()
        got = a.ask("一般公共预算支出比上年增加多少")  # its own change, asked by its own name
        assert got.status == "answered" and got.value == pytest.approx(91.0), got.text


def test_a_statement_is_named_without_the_verb_it_is_stated_with(tmp_path: Path) -> None:
    """"授予中小企业合同金额100.00万元，其中：授予小微企业合同金额60.00万元": 授予 is the sentence's verb, no part of
    the name — "小微企业合同金额" is that figure, as "授予小微企业合同金额" is."""
    text = (DATA / "sichuan-nongji-2026.txt").read_text(encoding="utf-8")
    line = "2026年一般公共预算基本支出1868.42万元，其中：人员经费1633.92万元，公用经费234.50万元。\n"
    f = tmp_path / "sichuan-nongji-2026.txt"
    f.write_text(text.replace(line, line + "授予中小企业合同金额100.00万元，其中：授予小微企业合同金额60.00万元。\n"),
                 encoding="utf-8")
    build_store([f], tmp_path / "s.db", quiet=True)
    with Assistant(tmp_path / "s.db", warm=False) as a:
        for q, value in (("小微企业合同金额", 60.0), ("授予小微企业合同金额多少", 60.0), ("中小企业合同金额是多少", 100.0)):
            a.reset()
            got = a.ask(q)
            assert got.status == "answered" and got.value == pytest.approx(value), (q, got.text)


@pytest.mark.parametrize("q, heading, status", [
    # "…包括建管委本部以及下属4家预算单位…；行政单位1家，事业单位4家": no "共N个" — quoted, never counted by us
    ("建管委部门预算包括几个单位", "机构设置", "not_found"),
    ("建管委有哪些下属单位", "机构设置", "answered"),
    ("宜川街道决算包括哪些单位", "单位构成", "answered"),
])
def test_which_units_a_budget_covers_is_quoted_from_its_section(many: Assistant, q: str, heading: str,
                                                               status: str) -> None:
    many.reset()
    got = many.ask(q)
    assert got.status == status and got.value is None and heading in got.citations[0].table, got.text


def test_the_number_of_units_is_the_one_the_document_states(tmp_path: Path) -> None:
    text = (DATA / "putuo-jianguanwei-2026.txt").read_text(encoding="utf-8")
    said = "本部门中，行政单位1家，事业单位4家"
    assert said in text
    f = tmp_path / "putuo-jianguanwei-2026.txt"
    f.write_text(text.replace(said, "纳入部门预算编制范围的单位共5个，其中行政单位1家，事业单位4家"), encoding="utf-8")
    build_store([f], tmp_path / "s.db", quiet=True)
    with Assistant(tmp_path / "s.db", warm=False) as a:
        got = a.ask("部门预算包括几个单位")
        assert got.status == "answered" and (got.value, got.unit) == (5.0, "个"), got.text
        a.reset()
        assert a.ask("水质检测收了哪些单位的钱").status != "answered"  # other words asked: not the units it covers

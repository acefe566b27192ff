"""Questions -> expected value/unit/status/cited table, as parametrised tables (one case per phrasing).

Each rule is covered by several phrasings, not by the banks' own wording; the gold figures are the
ones the documents print (or compute from them with the formula the answer states).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from askbudget import build_store
from askbudget.assistant import Assistant

# (question, value, unit, a word the cited table/section title must contain)
GONGAN = [
    ("电费多少", 95.0, "万元", "基本支出表"),
    ("电费预算是多少？", 95.0, "万元", "基本支出表"),
    ("今年电费安排了多少钱", 95.0, "万元", "基本支出表"),
    ("電費是多少", 95.0, "万元", "基本支出表"),
    ("电费多少元", 950000.0, "元", "基本支出表"),
    ("30206多少", 95.0, "万元", "基本支出表"),
    ("用电花了多少钱", 95.0, "万元", "基本支出表"),
    ("水费多少", 24.0, "万元", "基本支出表"),
    ("取暖费是多少", 50.0, "万元", "基本支出表"),
    ("供暖费多少", 50.0, "万元", "基本支出表"),
    ("2040220预算多少", 40.0, "万元", "支出总表"),
    ("执法办案多少钱", 40.0, "万元", "支出总表"),
    ("公共安全支出是多少", 4327.18, "万元", "支出总表"),
    ("收入总计", 5983.18, "万元", "收支总表"),
    ("本年支出合计多少", 5983.18, "万元", "收支总表"),
    ("基本支出一共多少", 3824.5, "万元", "支出总表"),
    ("人员经费多少", 3632.5, "万元", "基本支出表"),
    ("公用经费是多少", 192.0, "万元", "基本支出表"),
    ("一般行政管理事务的基本支出", 3824.5, "万元", "支出总表"),
    ("城乡社区支出的项目支出多少", 1656.0, "万元", "支出总表"),
    ("上年结转多少", 0.0, "万元", "收入总表"),
    ("三公经费是多少", 0.0, "万元", "三公"),
    ("公务接待费多少", 0.0, "万元", "三公"),
    ("政府采购一共多少钱", 217.0, "万元", "政府采购"),
    ("制服采购数量", 1000.0, "套", "政府采购"),
    ("固定资产总额", 6781.29, "万元", "固定资产"),
    ("专用设备价值多少", 3271.13, "万元", "固定资产"),
    ("汽车有几辆", 37.0, "辆", "固定资产"),
    ("破案率目标是多少", 25.0, "%", "办案及维稳经费"),
    ("体检经费在职人数指标", 516.0, "人", "体检经费"),
    ("体检覆盖多少人", 516.0, "人", "体检经费"),
    ("摄像头建多少个", 34.0, "个", "大学生公寓村"),
    ("破案率目标", 25.0, "%", "办案及维稳经费"),
    ("水费和电费合计", 119.0, "万元", "基本支出表"),
    ("水电费一共多少", 119.0, "万元", "基本支出表"),
    ("电费和水费哪个多", 95.0, "万元", "基本支出表"),
    ("水费和取暖费哪个少", 24.0, "万元", "基本支出表"),
    ("电费是水费的几倍", 3.96, "倍", "基本支出表"),
    ("公用经费除了电费还有多少", 97.0, "万元", "基本支出表"),
    ("水费占公用经费的比重", 12.5, "%", "基本支出表"),
    ("人员经费比上年增加了多少", 893.84, "万元", "总体情况"),
    ("2022年人员经费是多少", 2738.66, "万元", "总体情况"),
    ("去年的日常公用经费是多少", 197.0, "万元", "机关运行经费"),
]

CZJ = [
    ("电费多少", 9.4, "万元", "基本支出表"),
    ("邮电费预算", 3.2, "万元", "基本支出表"),
    ("奖金多少钱", 46.2, "万元", "基本支出表"),
    ("其他收入多少", 18.0, "万元", "收"),
    ("三公经费合计多少", 10.2, "万元", "三公"),
    ("公务用车购置费多少", 0.0, "万元", "三公"),
    ("便携式计算机单价", 0.85, "万元", "政府采购"),
    ("复印纸买多少箱", 150.0, "箱", "政府采购"),
    ("房屋价值", 935.6, "万元", "固定资产"),
    ("项目支出占支出总计的比例", 29.42, "%", "支出总表"),
    ("2022年公务接待费多少", 3.0, "万元", "经费"),
    ("住房公积金多少", 41.03, "万元", "基本支出表"),
]

# asked how many / how large / per unit: never the money total
COUNTS = [
    ("汽车有几辆", 37.0, "辆"),
    ("专用设备有几台", 6512.0, "台"),
    ("汽车多少钱一辆", 15.87, "万元"),
    ("制服多少钱一套", 0.03, "万元"),
    ("高清球机每台多少钱", 0.87, "万元"),
    ("高清球机买几台", 38.0, "台"),
    ("配电箱多少个", 38.0, "个"),
    ("分局有多少个派出所", 4.0, "个"),
    ("有几个科室", 20.0, "个"),
    ("有几个项目", 13.0, "项"),
    ("公用经费有几项", 4.0, "项"),
    ("警用服装购置多少钱", 30.0, "万元"),
]
NOT_MONEY = ["房屋面积多大", "支出总表有几行", "每个科室多少钱", "有几个绩效目标表", "图书资料有多少册"]

REFUSE = [
    "2024年电费多少", "2019年的收入总计", "局长工资多少", "物业管理服务是哪家公司中标的",
    "今天天气怎么样", "你好", "SELECT * FROM cells", "asdf qwer", "电费的决算数是多少",
    "汽车是什么品牌", "明年的预算是多少", "",
    # narrower than a whole-year unit budget: months, quarters, spending so far, one section of the unit
    "电费3月份是多少", "一季度的电费", "上半年人员经费", "电费执行了多少", "电费还剩多少", "电费已经花了多少",
    "刑警大队的电费是多少", "指挥中心人员经费多少",
    # operations the documents give no basis for
    "电费每人多少", "电费开方",
    # look-alikes of a subject that ask for something else (quantity, rate, price)
    "用电量是多少", "电费率是多少", "水价多少", "用电度数", "绿化费是多少",
]


@pytest.fixture(scope="module")
def gongan(gongan_store):
    return Assistant(gongan_store)


@pytest.fixture(scope="module")
def both(both_store):
    return Assistant(both_store)


def _check(a: Assistant, q: str, value: float, unit: str, table: str) -> None:
    a.reset()
    ans = a.ask(q)
    assert ans.status == "answered", (q, ans.text)
    have = ans.value * {"元": 1, "万元": 1e4, "亿元": 1e8}.get(ans.unit, 1) / {"元": 1, "万元": 1e4, "亿元": 1e8}.get(unit, 1) \
        if ans.unit in ("元", "万元", "亿元") and unit in ("元", "万元", "亿元") else ans.value
    assert have == pytest.approx(value, abs=0.006), (q, ans.text)
    assert any(table in c.table for c in ans.citations), (q, [c.table for c in ans.citations])


@pytest.mark.parametrize("q,value,unit,table", GONGAN, ids=[r[0] for r in GONGAN])
def test_gongan_figures(gongan, q, value, unit, table):
    _check(gongan, q, value, unit, table)


@pytest.mark.parametrize("q,value,unit,table", CZJ, ids=[r[0] for r in CZJ])
def test_czj_figures_in_a_two_unit_store(both, q, value, unit, table):
    # two units in the store: the question names the 财政局 so the answer is that unit's
    _check(both, "财政局的" + q if not q.startswith("2022") else "2022年财政局" + q[5:], value, unit, table)


@pytest.mark.parametrize("q", REFUSE, ids=[r or "<empty>" for r in REFUSE])
def test_refusals(gongan, q):
    gongan.reset()
    ans = gongan.ask(q)
    assert ans.status != "answered", (q, ans.text)
    assert ans.value is None


@pytest.mark.parametrize("q", ["电费多少", "水费多少", "电费是多少元"])
def test_two_units_without_a_unit_named_is_ambiguous(both, q):
    both.reset()
    ans = both.ask(q)
    assert ans.status == "ambiguous", ans.text
    assert "财政局" in ans.text and "公安局" in ans.text


@pytest.mark.parametrize("q,unit_word", [("奖金多少", "财政局"), ("取暖费多少", "公安")])
def test_subject_in_one_unit_only_is_answered_and_says_which(both, q, unit_word):
    both.reset()
    ans = both.ask(q)
    assert ans.status == "answered", ans.text
    assert unit_word in ans.text


@pytest.mark.parametrize("q,words", [
    ("电费为什么增加", ["用电设备"]),
    ("电费增加的原因", ["用电设备"]),
    ("什么是基本支出", ["正常运转"]),
    ("机关运行费是什么意思", ["公用经费"]),
    ("单位规格是什么", ["副处"]),
    ("公用经费包括哪些", ["水费", "电费", "取暖费", "租赁费"]),
    ("有哪些项目", ["办案及维稳经费", "体检经费"]),
    ("警用服装购置的绩效目标是什么", ["按时着装"]),
    ("分局职责是什么", ["副县级"]),
    ("基本支出表里哪项最多", []),
    ("视频监控维护采购的是什么", ["硬件运维服务"]),
])
def test_text_answers(gongan, q, words):
    gongan.reset()
    ans = gongan.ask(q)
    assert ans.status == "answered", ans.text
    for w in words:
        assert w in ans.text, (q, ans.text)


@pytest.mark.parametrize("q,value,unit", COUNTS, ids=[c[0] for c in COUNTS])
def test_counts_and_unit_prices(gongan, q, value, unit):
    gongan.reset()
    ans = gongan.ask(q)
    assert ans.status == "answered", ans.text
    assert ans.value == pytest.approx(value, abs=0.006) and ans.unit == unit, ans.text


@pytest.mark.parametrize("q", NOT_MONEY)
def test_a_count_question_never_gets_a_money_figure(gongan, q):
    gongan.reset()
    ans = gongan.ask(q)
    assert not (ans.status == "answered" and ans.unit in ("元", "万元", "亿元")), ans.text


# questions about another unit's document: this store must not answer them with its own figures
ELSEWHERE = [
    "财政局设了几个科室",          # no 财政局 in this store
    "教育局的培训费是多少",
    "学前教育项目新增学位数目标",    # a project this unit does not have
    "培训教师人次是多少",
    "上年结转的86.5万元是什么资金",  # quotes a figure this document does not state
    "奖金是多少",
    "台式计算机单价多少",
]


@pytest.mark.parametrize("q", ELSEWHERE)
def test_questions_about_other_documents_are_refused(gongan, q):
    gongan.reset()
    ans = gongan.ask(q)
    assert ans.status != "answered", ans.text


@pytest.fixture(scope="module")
def czj(czj_doc, tmp_path_factory):
    from askbudget import build_store

    db = tmp_path_factory.mktemp("czj") / "czj.db"
    build_store([czj_doc], db)
    return Assistant(db)


@pytest.mark.parametrize("q", ["警用服装使用人满意度要求多少", "分局有哪些大队", "租赁费预算多少",
                               "高清球机单价多少", "破案率目标"])
def test_gongan_questions_on_the_czj_store_are_refused(czj, q):
    czj.reset()
    ans = czj.ask(q)
    assert ans.status != "answered", ans.text


def test_one_name_under_several_codes_is_ambiguous(tmp_path):
    """行政运行 is a 项 under many 款: the question must say which."""
    from askbudget import build_store

    src = (Path(__file__).parent / "data" / "gaoxin-jiaoyu-2024.txt").read_text(encoding="utf-8")
    doc = tmp_path / "twins-2024.txt"
    doc.write_text(src.replace("2050102\t一般行政管理事务", "2050102\t行政运行"), encoding="utf-8")
    db = tmp_path / "twins.db"
    build_store([doc], db)
    a = Assistant(db)
    ans = a.ask("行政运行多少")
    assert ans.status == "ambiguous" and "2050101" in ans.text and "2050102" in ans.text
    a.reset()
    ans = a.ask("2050102预算多少")
    assert ans.status == "answered" and ans.value == 80.0


@pytest.fixture(scope="module")
def jiaoyu(tmp_path_factory):
    from askbudget import build_store

    db = tmp_path_factory.mktemp("jiaoyu") / "jiaoyu.db"
    build_store([Path(__file__).parent / "data" / "gaoxin-jiaoyu-2024.txt"], db)
    return Assistant(db)


@pytest.mark.parametrize("q,words", [
    ("人员经费和公用经费各多少", ["330.00", "40.00"]),
    ("基本支出和项目支出分别是多少", ["370.00", "200.00"]),
    ("学前教育项目采购了什么", ["幼儿桌椅", "多媒体教学设备"]),
    ("因公出国费为啥增加", ["考察"]),
    ("因公出国（境）费增加的原因", ["考察"]),
    ("有哪些科室", ["基础教育科"]),
    ("单位规格", ["正科级"]),
])
def test_jiaoyu_text_answers(jiaoyu, q, words):
    jiaoyu.reset()
    ans = jiaoyu.ask(q)
    assert ans.status == "answered", ans.text
    for w in words:
        assert w in ans.text, ans.text


@pytest.mark.parametrize("q,value,unit", [
    ("三公经费里公务接待费多少", 3.0, "万元"),
    ("总共收入多少", 570.0, "万元"),
    ("学前教育的上年结转", 40.0, "万元"),
    ("学前教育的财政拨款", 60.0, "万元"),
    ("去年公务接待费多少", 4.5, "万元"),
    ("会议费减少了多少", 2.0, "万元"),
    ("入园率目标", 92.0, "%"),
    ("新增多少学位", 300.0, "个"),
    ("幼儿桌椅多少钱一套", 0.05, "万元"),
    ("事业收入占收入总计的比例", 3.51, "%"),
])
def test_jiaoyu_figures(jiaoyu, q, value, unit):
    jiaoyu.reset()
    ans = jiaoyu.ask(q)
    assert ans.status == "answered", ans.text
    assert ans.value == pytest.approx(value, abs=0.006) and ans.unit == unit, ans.text


@pytest.mark.parametrize("q,value", [
    ("分局电费的一半是多少", 47.5),
    ("财政局电费乘以2是多少", 18.8),
    ("分局和财政局的电费合计", 104.4),
    ("分局电费比财政局多多少", 85.6),
    ("财政局的差旅费是多少", 6.5),
    ("二〇二二年财政局的差旅费是多少", 6.9),
    ("22年财政局三公经费是多少", 11.6),
])
def test_operations_and_units_in_a_two_unit_store(both, q, value):
    both.reset()
    ans = both.ask(q)
    assert ans.status == "answered", ans.text
    assert ans.value == pytest.approx(value, abs=0.006), ans.text


@pytest.mark.parametrize("q", ["24年分局电费预算是多少", "二〇二一年分局电费", "21年财政局差旅费", "明年分局的电费"])
def test_years_the_store_does_not_hold(both, q):
    both.reset()
    assert both.ask(q).status != "answered"


def test_which_unit_then_the_unit(both):
    both.reset()
    assert both.ask("电费多少").status == "ambiguous"
    ans = both.ask("财政局的")
    assert ans.status == "answered" and ans.value == pytest.approx(9.4)


def test_two_years_of_one_unit(tmp_path, gongan_doc):
    """A unit's 2022 and 2023 documents side by side: the year picks the document; none named → the latest."""
    from askbudget import build_store

    old = gongan_doc.read_text(encoding="utf-8").replace("预算年度：2023", "预算年度：2022").replace(
        "6\t30206\t电费\t95.00\t\t95.00", "6\t30206\t电费\t88.00\t\t88.00")
    p = tmp_path / "gaoxin-gongan-2022.txt"
    p.write_text(old, encoding="utf-8")
    db = tmp_path / "years.db"
    build_store([gongan_doc, p], db)
    a = Assistant(db)
    for q, want in [("电费多少", 95.0), ("2023年电费", 95.0), ("2022年电费是多少", 88.0), ("去年电费多少", 88.0),
                    ("分局去年的电费", 88.0), ("今年分局电费", 95.0)]:
        a.reset()
        ans = a.ask(q)
        assert ans.status == "answered" and ans.value == pytest.approx(want), (q, ans.text)
        assert str(2022 if want == 88.0 else 2023) in ans.text


# every way a question may write a unit: full name with/without (本级)/（本级）, short forms, unit code
GA_NAMES = ["唐山市公安局高新技术产业开发区分局(本级)", "唐山市公安局高新技术产业开发区分局（本级）",
            "唐山市公安局高新技术产业开发区分局", "公安分局", "分局", "公安分局本级", "分局（本级）", "122001",
            "122001单位", "唐山市公安局高新区分局", "唐山市公安局高新区分局(本级)"]
CZJ_NAMES = ["唐山市高新技术产业开发区财政局(本级)", "唐山市高新技术产业开发区财政局（本级）",
             "唐山市高新技术产业开发区财政局", "财政局", "财政局(本级)", "财政局本级", "121001", "唐山市高新区财政局(本级)",
             "高新技术产业开发区财政局"]
UNIT_FIGURES = [(n, s, v, "唐山市公安局") for n in GA_NAMES for s, v in [("电费", 95.0), ("人员经费", 3632.50)]] + \
               [(n, s, v, "财政局") for n in CZJ_NAMES for s, v in [("电费", 9.40), ("人员经费", 573.74)]]


@pytest.mark.parametrize("name,subject,value,unit_word", UNIT_FIGURES)
@pytest.mark.parametrize("pattern", ["{n}的{s}", "{n}{s}是多少", "请问{n}的{s}预算多少"])
def test_a_unit_however_written_is_a_filter(both, name, subject, value, unit_word, pattern):
    """A unit's name is never read as a fact question and never falls back to another unit."""
    both.reset()
    ans = both.ask(pattern.format(n=name, s=subject))
    assert ans.status == "answered", ans.text
    assert ans.value == pytest.approx(value)
    assert all(unit_word in c.unit for c in ans.citations) and ans.citations


@pytest.mark.parametrize("q,has,lacks", [
    ("唐山市高新技术产业开发区财政局(本级)的公用经费都包括哪些", "办公费", "取暖费"),
    ("121001的公用经费包括哪些", "邮电费", "取暖费"),
    ("唐山市公安局高新技术产业开发区分局（本级）的公用经费有哪些", "取暖费", "邮电费"),
])
def test_a_unit_named_in_full_lists_its_own_items(both, q, has, lacks):
    both.reset()
    ans = both.ask(q)
    assert ans.status == "answered" and has in ans.text and lacks not in ans.text, ans.text


@pytest.mark.parametrize("q", ["唐山市高新技术产业开发区财政局(本级)的取暖费", "121001的租赁费", "财政局的执法办案",
                               "唐山市高新技术产业开发区财政局的警用服装购置的数量指标"])
def test_a_unit_named_never_falls_back_to_another(both, q):
    """The figure lives only in the 分局's document: the 财政局's question is not found, never answered."""
    both.reset()
    ans = both.ask(q)
    assert ans.status != "answered" and ans.value is None, ans.text


@pytest.mark.parametrize("q", ["121001的电费", "999999单位的水费", "123456的人员经费"])
def test_a_unit_code_the_store_lacks_is_not_found(gongan, q):
    gongan.reset()
    ans = gongan.ask(q)
    assert ans.status == "not_found" and ans.value is None, ans.text


@pytest.mark.parametrize("q,value,unit_word", [
    ("高新区分局电费", 95.0, "公安局"), ("高新区公安局的电费", 95.0, "公安局"), ("唐山高新区公安分局水费", 24.0, "公安局"),
    ("唐山市高新区财政局电费", 9.40, "财政局"),
    ("唐山高新区财政局的水费", 1.60, "财政局"), ("高新区财政局电费", 9.40, "财政局"),
    ("唐山市高新技术产业开发区财政局的人员经费", 573.74, "财政局")])
def test_place_words_before_a_unit_are_part_of_its_name(both, q, value, unit_word):
    both.reset()
    ans = both.ask(q)
    assert ans.status == "answered" and ans.value == pytest.approx(value), ans.text
    assert all(unit_word in c.unit for c in ans.citations)


@pytest.mark.parametrize("q,name", [
    ("唐山市财政局的电费", "唐山市财政局"), ("唐山市公安局的电费", "唐山市公安局"), ("路南区财政局的水费", "路南区财政局"),
    ("石家庄市高新区财政局的电费", "石家庄市高新区财政局"), ("唐山市路北区公安分局的电费", "唐山市路北区公安分局"),
    ("河北省财政局电费多少", "河北省财政局")])
def test_a_place_that_is_not_the_units_names_another_unit(both, q, name):
    """唐山市财政局 is the city's bureau, not the 高新区's: refused by its whole name, never answered."""
    both.reset()
    ans = both.ask(q)
    assert ans.status == "not_found" and ans.value is None and f"“{name}”" in ans.text, ans.text


@pytest.mark.parametrize("q,name", [("中医院的电费", "中医院"), ("住建局的水费多少", "住建局"),
                                    ("唐山市民政局的电费", "民政局"), ("公案局的电费", "公案局")])
def test_a_unit_the_store_lacks_is_refused_by_its_whole_name(gongan, q, name):
    gongan.reset()
    ans = gongan.ask(q)
    assert ans.status == "not_found" and ans.value is None and f"“{name}”" in ans.text, ans.text


def _suggested_names(ans) -> list[str]:
    import re

    return [re.sub(r"^.*?的", "", s).removesuffix("多少？").removesuffix("是") for s in ans.suggestions if s.endswith("多少？")]


@pytest.mark.parametrize("q,whole", [("月球基地建设费多少", "月球基地建设费"), ("中转站建设费多少", "中转站建设费"),
                                     ("公安分局的月球基地建设费", "月球基地建设费"), ("分局的星际旅行补贴多少", "星际旅行补贴")])
def test_not_found_quotes_the_whole_name(both, q, whole):
    both.reset()
    ans = both.ask(q)
    assert ans.status != "answered" and whole in ans.text, ans.text


@pytest.mark.parametrize("q", ["电废多少", "电费呢", "办公费多少", "政府采购多少", "公安的电费", "财政的电费", "唐山市电废"])
def test_suggestions_name_whole_units_and_subjects(both, q):
    """Did-you-mean texts quote a unit by a whole short name and a subject as the store writes it."""
    both.reset()
    ans = both.ask(q)
    shorts = {k for d in both.vocab.docs for k in d.keys}
    for s in ans.suggestions:
        if "的" in s and s.endswith("多少？"):
            assert s.split("的", 1)[0] in shorts, s
    for name in _suggested_names(ans):
        assert name in both.vocab.words or any(name in lab for labs in both.vocab.labels.values() for lab in labs), name
        assert "(本级)" not in name and "局" not in name[:2]


# a "when" question is answered by the project's 时效 indicator, never by a rate or the project's money
WHEN = [("警用服装什么时候完成", "2023 年 11 月 15 日前完成"), ("警用服装购置什么时候完成", "11 月 15 日"),
        ("警用服装何时完成", "11 月 15 日"), ("警用服装的完成时间", "11 月 15 日"),
        ("体检什么时候完成", "2023 年 12 月底"), ("体检经费何时完成", "12 月底"),
        ("唐丰路派出所建设项目什么时候完工", "不迟于 2023 年 12 月底")]


@pytest.mark.parametrize("q,words", WHEN)
def test_when_questions_get_the_time_indicator(gongan, q, words):
    gongan.reset()
    ans = gongan.ask(q)
    assert ans.status == "answered" and words in ans.text and ans.unit not in ("万元", "元", "%"), ans.text
    assert any("时效" in ans.text or "时间" in c.row or "时限" in c.row for c in ans.citations)


@pytest.mark.parametrize("q", ["电费什么时候交", "水费何时支付"])
def test_when_without_a_time_indicator_is_not_a_figure(gongan, q):
    gongan.reset()
    ans = gongan.ask(q)
    assert ans.status != "answered" and ans.value is None, ans.text


@pytest.mark.parametrize("q,value", [("电费几", 95.0), ("电费是几", 95.0), ("电费几？", 95.0), ("水费是几呢", 24.0),
                                     ("取暖费几", 50.0)])
def test_a_bare_ji_after_a_money_subject_asks_its_amount(gongan, q, value):
    gongan.reset()
    ans = gongan.ask(q)
    assert ans.status == "answered" and ans.value == pytest.approx(value) and ans.unit == "万元", ans.text


@pytest.mark.parametrize("q", ["公务用车有几辆", "公务车几辆", "公车有几辆", "有几辆公务用车", "公务用车多少辆", "公务用车保有量",
                               "汽车有几", "公务用车有几"])
def test_official_cars_are_not_the_asset_tables_cars(gongan, q):
    """The 固定资产 汽车 count is not the number of 公务用车 unless the document says so: refused."""
    gongan.reset()
    ans = gongan.ask(q)
    assert ans.status != "answered" and ans.value is None, ans.text


@pytest.mark.parametrize("q", ["公务用车有几辆", "公务用车多少辆", "有几辆公务用车", "公务用车保有量", "公务用车保有量是多少辆"])
def test_official_cars_the_narrative_counts(czj_only, q):
    """The 财政局 document states 公务用车保有量由3辆减少至2辆: the stock, quoted — never the 报废 1 辆."""
    czj_only.reset()
    ans = czj_only.ask(q)
    assert ans.status == "answered" and ans.value == 2 and ans.unit == "辆" and "保有量" in ans.text, ans.text


@pytest.fixture(scope="module")
def czj_only(czj_doc, tmp_path_factory):
    db = tmp_path_factory.mktemp("czjonly") / "czj.db"
    build_store([czj_doc], db)
    return Assistant(db)


@pytest.mark.parametrize("q,value,unit,project", [
    ("监控故障多久排除", 24.0, "小时", "视频监控维护"), ("视频监控维护的故障多少小时内排除", 24.0, "小时", "视频监控维护"),
    ("执法六必系统故障多久排除", 48.0, "小时", "执法六必"), ("涉案财物多久移交", 24.0, "小时", "涉案财物"),
    ("涉案物品多长时间内要移交入监管中心", 24.0, "小时", "涉案财物"), ("大学生公寓村视频存储多少天", 90.0, "天", "大学生公寓村")])
def test_duration_questions_with_few_shared_words(gongan, q, value, unit, project):
    """Project words and indicator words together pick one 时效 indicator, in the unit asked."""
    gongan.reset()
    ans = gongan.ask(q)
    assert ans.status == "answered" and ans.value == pytest.approx(value) and ans.unit == unit, ans.text
    assert project in ans.text


@pytest.mark.parametrize("q", ["故障多久排除", "多久完成"])
def test_a_duration_of_no_named_project_is_not_guessed(gongan, q):
    gongan.reset()
    ans = gongan.ask(q)
    assert ans.status != "answered" or ans.value is None, ans.text


@pytest.mark.parametrize("q", ["中小企业的份额", "预留给中小企业的份额是多少", "给小微企业预留了多少", "政府采购中小企业份额"])
def test_the_small_business_share_however_asked(gongan, q):
    gongan.reset()
    ans = gongan.ask(q)
    assert ans.status == "answered" and ans.value == pytest.approx(217.0), ans.text


# --- generalisation rules found with the 丰南区卫健局 2024 bank and the paraphrase banks -------------

WEIJIAN_DOC = Path(__file__).resolve().parent / "data" / "fengnan-weijian-2024.txt"


@pytest.fixture(scope="module")
def weijian(tmp_path_factory):
    db = tmp_path_factory.mktemp("weijian") / "w.db"
    build_store([WEIJIAN_DOC], db)
    return Assistant(db)


@pytest.mark.parametrize("q,value", [
    # "A在B中占": the whole is the mention the 中/里 follows, whichever comes first
    ("电费在公用经费中占多少比例", 49.48),
    ("水费在公用经费里占比多少", 12.5),
    ("取暖费在商品和服务支出中占多大比重", 26.04),
    ("公用经费中电费占多少", 49.48),
])
def test_share_whole_is_the_one_marked_by_zhong(gongan, q, value):
    _check(gongan, q, value, "%", "")


@pytest.mark.parametrize("q,value", [
    ("公务用车购置费在三公经费里占多少", 69.77),
    ("电费在公用经费中占比", 15.2),
    ("三公经费中公务接待费占比多少", 6.98),
])
def test_share_whole_on_another_document(weijian, q, value):
    _check(weijian, q, value, "%", "")


@pytest.mark.parametrize("q,value,table", [
    # "前一年" is a year, never "the top one"
    ("一般公共预算拨款比前一年减少多少", 843.38, "总体情况"),
    ("日常公用经费比前一年少了多少", 5.0, ""),
    ("前一年的日常公用经费是多少", 197.0, "机关运行经费"),
])
def test_qian_yi_nian_is_last_year(gongan, q, value, table):
    _check(gongan, q, value, "万元", table)


@pytest.mark.parametrize("q", ["要采购什么", "采购了哪些物品", "政府采购包括哪些物品", "政府采购买了些什么"])
def test_which_items_with_no_item_named_lists_the_procurement(gongan, q):
    ans = gongan.ask(q)
    assert ans.status == "answered" and ans.value is None, (q, ans.text)
    assert all(w in ans.text for w in ("制服", "硬件运维服务", "软件运维服务")), (q, ans.text)


@pytest.mark.parametrize("q", ["要采购什么", "采购了哪些物品", "政府采购都买了些什么"])
def test_which_items_never_reads_a_name_column_as_money(weijian, q):
    ans = weijian.ask(q)
    assert ans.value is None and "服务器" in ans.text and "复印纸" in ans.text, (q, ans.text)


@pytest.mark.parametrize("q", ["租房子一年多少钱", "租房花多少", "分局租房子要多少钱"])
def test_renting_words_are_the_rent_line(gongan, q):
    _check(gongan, q, 23.0, "万元", "基本支出表")


@pytest.mark.parametrize("q", ["上年结转的30万元是哪来的", "上年结转30万用途是什么", "上年结转的30万元是什么资金"])
def test_what_a_sum_is_prefers_the_sentence_stating_it(weijian, q):
    ans = weijian.ask(q)
    assert ans.status == "answered" and "基本公共卫生服务" in ans.text, (q, ans.text)


@pytest.mark.parametrize("q", ["上年结转的86.5万是什么钱", "上年结转的86.5万元是哪里来的", "上年结转86.5万元的用途"])
def test_what_a_sum_is_on_another_document(czj, q):
    ans = czj.ask(q)
    assert ans.status == "answered" and "一体化" in ans.text, (q, ans.text)


@pytest.mark.parametrize("q,value,table", [
    # a unit named by its usual abbreviation (lexicon kind orgshort: 卫生健康局 -> 卫健局)
    ("卫健局的差旅费多少", 5.4, "基本支出表"),
    ("丰南区卫健局水费是多少", 1.2, "基本支出表"),
    ("卫健局培训费打算花多少", 2.5, "基本支出表"),
    # talk words around a subject (给职工发的, 打算花, 下来的钱, 这一款) are not unexplained words
    ("给职工发的津贴补贴有多少", 168.9, "基本支出表"),
    ("邮电费打算花多少", 2.6, "基本支出表"),
    ("计划生育事务这一款一共多少", 38.0, "支出总表"),
    ("上年结转下来的资金有多少", 30.0, "收"),
    # buying fixed assets is the planned purchase, never the stock held
    ("今年准备购置多少固定资产", 38.3, "国有资产信息"),
    ("新购置固定资产多少钱", 38.3, "国有资产信息"),
    ("购买固定资产的金额", 38.3, "国有资产信息"),
    # 上年末固定资产 names its own date: this document's stock
    ("上年末固定资产有多少", 2135.6, ""),
    ("上年末的固定资产金额", 2135.6, ""),
])
def test_weijian_generalisation(weijian, q, value, table):
    _check(weijian, q, value, "万元", table)


@pytest.mark.parametrize("q", ["卫健局设了几个股室", "有多少个股室", "处室有几个"])
def test_gushi_counts_the_sections(weijian, q):
    _check(weijian, q, 7, "个", "")


@pytest.mark.parametrize("q", ["住建局的电费", "人社局差旅费多少", "发改局的办公费"])
def test_other_abbreviated_units_are_refused(weijian, q):
    assert weijian.ask(q).status != "answered", q


@pytest.mark.parametrize("q,value", [("今年购买固定资产多少钱", 19.2), ("上年末固定资产金额", 1286.45), ("拟购置的固定资产总额", 19.2)])
def test_fixed_asset_purchase_and_stock_on_another_document(czj, q, value):
    _check(czj, q, value, "万元", "国有资产信息")


@pytest.mark.parametrize("q,value,table", [
    # words beside a code that describe its own row are explained by it
    ("彩票公益金2296002多少", 20.0, "支出总表"),
    ("2100409重大公共卫生多少", 56.5, "支出总表"),
    ("计划生育2100717预算多少", 38.0, "支出总表"),
    # a column word no row has may name the row's table ("一般公共预算财政拨款里，X")
    ("一般公共预算财政拨款中卫生健康管理事务是多少", 468.96, "一般公共预算财政拨款支出表"),
    ("一般公共预算财政拨款里，公共卫生是多少", 236.5, "一般公共预算财政拨款支出表"),
])
def test_code_words_and_table_named_as_column(weijian, q, value, table):
    _check(weijian, q, value, "万元", table)


@pytest.mark.parametrize("q,value", [("一般公共预算财政拨款里，一般行政管理事务是多少", 121.1),
                                     ("一般公共预算财政拨款中其他财政事务支出多少", 122.5)])
def test_table_named_as_column_on_another_document(czj, q, value):
    _check(czj, q, value, "万元", "一般公共预算财政拨款支出表")


@pytest.mark.parametrize("q,value,unit,project", [
    # plain descriptions of an indicator with talk words (要覆盖, 控制在…水平) and limits (最多多少天)
    ("老年人健康管理要覆盖多少人", 18000, "人", "基本公共卫生服务补助"),
    ("结核病筛查要覆盖多少人", 3000, "人", "重大传染病防控"),
    ("信息平台最多多少天内上线", None, None, ""),
])
def test_indicator_talk_words(weijian, q, value, unit, project):
    ans = weijian.ask(q)
    if value is None:
        assert ans.status != "answered" or ans.value is None or ans.unit != "万元", (q, ans.text)
        return
    assert ans.status == "answered" and ans.value == value and ans.unit == unit, (q, ans.text)
    assert any(project in c.table for c in ans.citations), (q, ans.citations)


@pytest.mark.parametrize("q,value,unit", [
    ("评审报告最多多少天出具", 15, "天"),
    ("投诉最多多少个工作日处理完", 30, "工作日"),
    ("故障响应最长几小时", 2, "小时"),
])
def test_a_limit_is_not_a_ranking(czj, q, value, unit):
    ans = czj.ask(q)
    assert ans.status == "answered" and ans.value == value, (q, ans.text)


@pytest.mark.parametrize("q,value,table", [
    ("今年买公车预算多少钱", 18.0, "三公"),
    ("购车预算多少", 18.0, "三公"),
    ("给退休职工的钱有多少", 12.4, "基本支出表"),
    ("有没有安排因公出国经费", 0.0, "三公"),
])
def test_colloquial_subjects(weijian, q, value, table):
    _check(weijian, q, value, "万元", table)


@pytest.mark.parametrize("q,items", [
    ("卫生健康支出下面有哪几款", ["卫生健康管理事务", "公共卫生", "计划生育事务", "行政事业单位医疗"]),
    ("公共卫生下面有哪几项", ["基本公共卫生服务", "重大公共卫生服务"]),
    ("社会保障和就业支出下面有哪几类", ["行政事业单位养老支出"]),
])
def test_which_ones_under_a_subject(weijian, q, items):
    ans = weijian.ask(q)
    assert ans.status == "answered" and all(i in ans.text for i in items), (q, ans.text)


@pytest.mark.parametrize("q,value,unit", [
    # an item's distinctive tail names it (冷藏箱 = 医用冷藏箱, 记录仪 = 执法记录仪)
    ("冷藏箱一共多少钱", 4.8, "万元"),
    ("冷藏箱买几台", 6, "台"),
    ("记录仪单价", 0.35, "万元"),
    # 百分点 asks the rate of change
    ("公务接待费下降了多少个百分点", 21.74, "%"),
    ("三公经费增长了几个百分点", 189.89, "%"),
])
def test_item_tails_and_percentage_points(weijian, q, value, unit):
    _check(weijian, q, value, unit, "")


def test_a_tail_two_items_share_names_neither(czj):
    assert czj.ask("计算机多少台").status != "answered"


@pytest.mark.parametrize("q,value,unit", [
    ("服务器一共买几台", 2, "台"),
    ("医用冷藏箱总共几台", 6, "台"),
    ("执法记录仪一共要采购几台", 10, "台"),
])
def test_a_count_word_is_not_a_second_subject_to_add(weijian, q, value, unit):
    _check(weijian, q, value, unit, "政府采购")


@pytest.mark.parametrize("q,value,unit", [
    # words no name covers before a count describe an indicator, never the list of projects
    ("监督检查多少个采购项目", 80, "个"),
    ("资产清查多少个单位", 35, "个"),
    # the exact unit asked picks between 次 and 人次
    ("培训多少次", 6, "次"),
    ("培训多少人次", 400, "人次"),
])
def test_czj_indicators_by_description(czj, q, value, unit):
    ans = czj.ask(q)
    assert ans.status == "answered" and ans.value == value and ans.unit == unit, (q, ans.text)


@pytest.mark.parametrize("q,value", [("土地房屋价值", 968.2), ("土地和房屋价值多少", 968.2), ("房屋价值", 935.6)])
def test_land_and_buildings_is_the_class(czj, q, value):
    _check(czj, q, value, "万元", "固定资产")


@pytest.mark.parametrize("q", ["公车购置费多少", "买公车多少钱", "公车运维费"])
def test_an_alias_of_a_subject_of_an_empty_table_is_zero(gongan, q):
    _check(gongan, q, 0.0, "万元", "三公")


@pytest.mark.parametrize("q,value,table", [
    # a project named with nothing else asks its money, never one of its indicators
    ("重大传染病防控经费多少", 56.5, "总体情况"),
    ("执法执勤用车购置多少钱", 18.0, ""),
    ("卫生健康信息化建设多少钱", 40.0, ""),
    # 减去/扣掉/去掉 take one figure from another
    ("基本支出减去人员经费", 51.3, ""),
    ("基本支出去掉人员经费是多少", 51.3, ""),
    ("支出总计减去项目支出", 544.3, ""),
])
def test_project_money_and_subtraction(weijian, q, value, table):
    _check(weijian, q, value, "万元", table)


@pytest.mark.parametrize("q,value", [("财政信息化系统运维费多少", 36.0), ("机关物业管理费多少钱", 28.8), ("办公设备购置多少", 19.2)])
def test_project_money_on_another_document(czj, q, value):
    _check(czj, q, value, "万元", "")


@pytest.mark.parametrize("q,value", [
    # two column subjects are still two subjects to add or compare (only count words are not)
    ("人员经费和公用经费一共", 544.3),
    ("人员经费比公用经费多多少", 441.7),
    ("基本支出和项目支出合计", 921.8),
])
def test_two_column_subjects_add_up(weijian, q, value):
    _check(weijian, q, value, "万元", "")


@pytest.mark.parametrize("q,value,table", [
    # every column cue must be the figure's column or the table's name ("一般公共预算的项目支出")
    ("一般公共预算的项目支出是多少", 342.5, "一般公共预算财政拨款支出表"),
    ("一般公共预算财政拨款的项目支出", 342.5, "一般公共预算财政拨款支出表"),
    ("一般公共预算的基本支出", 544.3, "一般公共预算财政拨款支出表"),
    # a cue fitting several sub-columns alike names their 合计
    ("财政拨款本年支出合计", 906.8, "财政拨款收支总表"),
    ("财政拨款支出总计", 906.8, "财政拨款收支总表"),
])
def test_column_cues_all_met(weijian, q, value, table):
    _check(weijian, q, value, "万元", table)


def test_a_cue_naming_several_tables_with_different_figures_is_not_answered(weijian):
    ans = weijian.ask("财政拨款的项目支出")
    assert ans.status != "answered" or ans.value in (342.5, 362.5), ans.text


@pytest.mark.parametrize("q,value", [("财政拨款本年支出合计", 871.34), ("一般公共预算的项目支出", 243.6)])
def test_column_cues_on_another_document(czj, q, value):
    _check(czj, q, value, "万元", "")


@pytest.mark.parametrize("q", [
    "疾控中心的电费", "人民医院差旅费多少", "卫生院经费多少",   # other units, however they are written
    "全市卫生健康支出", "全区的三公经费", "全省电费",            # not this unit's figures
    "上上年电费", "大前年的差旅费",                             # years the document cannot reach
    "医保基金多少", "医生工资多少",
])
def test_weijian_refusals(weijian, q):
    assert weijian.ask(q).status != "answered", q


@pytest.mark.parametrize("q", [
    "分局罚款收入", "分局的罚没收入多少", "分局的捐赠收入",      # a word before 收入 narrows it to what the document lacks
    "派出所的电费", "刑警大队的办公经费", "治安大队差旅费多少",  # parts of the unit have no figures of their own
    "辅警工资多少",
])
def test_narrowed_totals_and_parts_of_the_unit_are_refused(gongan, q):
    assert gongan.ask(q).status != "answered", q


@pytest.mark.parametrize("q", ["房屋出租收入多少", "财政局利息收入多少"])
def test_narrowed_income_on_another_document(czj, q):
    assert czj.ask(q).status != "answered", q


@pytest.mark.parametrize("q,value", [("分局收入总计", 5983.18), ("分局有几个派出所", 4)])
def test_the_unit_whole_and_its_list_still_answer(gongan, q, value):
    ans = gongan.ask(q)
    assert ans.status == "answered" and ans.value == pytest.approx(value), (q, ans.text)


@pytest.mark.parametrize("q,value", [
    # a project named loosely: its unknown words are made of the project name's own characters
    ("资产清查经费多少", 15.6),
    ("政府采购监管经费", 12.5),
    ("一体化系统建设花了多少", 86.5),
    ("培训宣传经费", 18.0),
    # 涨/降 ask a change
    ("人员经费涨了多少", 25.24),
    ("办公费降了多少", 2.0),
])
def test_loose_project_names_and_change_words(czj, q, value):
    _check(czj, q, value, "万元", "")


@pytest.mark.parametrize("q,value", [("传染病防控经费多少", 56.5), ("公共卫生服务补助多少", 180.0), ("信息化建设经费", 40.0)])
def test_loose_project_names_on_another_document(weijian, q, value):
    _check(weijian, q, value, "万元", "")


@pytest.mark.parametrize("q", ["预算管理一体化系统建设项目多少钱", "视频监控维护要多少钱", "警用服装购置经费"])
def test_another_documents_project_is_not_matched_loosely(weijian, q):
    assert weijian.ask(q).status != "answered", q


@pytest.mark.parametrize("q", ["车辆养护多少", "车辆维修多少", "车辆加油多少钱", "房屋装修多少钱", "电费缴纳时间"])
def test_an_unknown_word_right_after_the_subject_is_not_ignored(czj, q):
    ans = czj.ask(q)
    assert ans.status != "answered" or ans.unit != "万元" or ans.value is None, (q, ans.text)


@pytest.mark.parametrize("q,value", [("给员工交的公积金", 41.03), ("车子养护多少", 7.8), ("财政局其他杂费", 10.3),
                                     ("汽车资产价值是多少", 38.6)])
def test_colloquial_words_on_czj(czj, q, value):
    _check(czj, q, value, "万元", "")


@pytest.mark.parametrize("q,unit", [("在职人员工资", "万元"), ("退休人员的退休费", "万元"), ("在职人员有多少", "人")])
def test_a_money_word_beside_a_staff_fact_asks_money(weijian, q, unit):
    ans = weijian.ask(q)
    assert ans.status == "answered" and ans.unit == unit, (q, ans.text)


@pytest.mark.parametrize("q,value", [
    # a project with no money figure of its own is answered by its 成本指标 (the budget cap), said as such
    ("唐丰路派出所搬家费多少", 30.0),
    ("体检经费多少", 28.0),
    ("唐丰路派出所建设项目多少钱", 500.0),
])
def test_a_projects_cost_indicator_when_it_has_no_other_money(gongan, q, value):
    ans = gongan.ask(q)
    assert ans.status == "answered" and ans.value == value and "成本指标" in ans.text, (q, ans.text)


@pytest.mark.parametrize("q", ["体检人数", "体检经费的人数", "科防二期的人数"])
def test_a_named_projects_question_is_never_answered_from_another_project(gongan, q):
    ans = gongan.ask(q)
    assert ans.status != "answered" or all("警用服装" not in c.table for c in ans.citations), (q, ans.text)


@pytest.mark.parametrize("q", ["三公经费为什么增加", "政府采购预算为什么增加"])
def test_a_reason_is_never_found_by_a_generic_word_alone(weijian, q):
    ans = weijian.ask(q)
    assert ans.status != "answered" or "人员经费增加" not in ans.text, (q, ans.text)


@pytest.mark.parametrize("q,value", [("三公经费同比增长", 16.9), ("差旅费同比下降多少", 0.9), ("电费同比增加多少", 0.5)])
def test_tongbi_asks_the_change(weijian, q, value):
    _check(weijian, q, value, "万元", "")


@pytest.mark.parametrize("q", ["数量最多的采购物品", "采购数量最多的是什么", "买得最多的物品是哪个"])
def test_a_quantity_ranking_is_never_answered_by_money(weijian, q):
    ans = weijian.ask(q)
    assert ans.status != "answered" or ans.unit != "万元", (q, ans.text)


@pytest.mark.parametrize("q,value", [("最贵的采购物品", 18.0), ("政府采购中单价最高的", 18.0), ("公用经费里最多的一项", 9.6)])
def test_rankings_still_answer(weijian, q, value):
    _check(weijian, q, value, "万元", "")


@pytest.mark.parametrize("q,value", [("彩票公益金多少", 20.0), ("彩票公益金支出预算", 20.0), ("彩票公益金安排了多少钱", 20.0)])
def test_lottery_fund_words(weijian, q, value):
    _check(weijian, q, value, "万元", "")


@pytest.mark.parametrize("q", ["民警工资多少", "警察的工资", "辅警工资多少"])
def test_a_groups_wages_are_not_the_units_total(gongan, q):
    assert gongan.ask(q).status != "answered", q


@pytest.fixture(scope="module")
def sanzhong(tmp_path_factory):
    from askbudget import build_store

    db = tmp_path_factory.mktemp("sanzhong") / "sanzhong.db"
    build_store([Path(__file__).parent / "data" / "lunan-sanzhong-2025.txt"], db)
    return Assistant(db)


@pytest.mark.parametrize("q,value", [
    ("学校电费预算多少", 18.0), ("我校取暖费多少", 15.0), ("本校的水费是多少", 6.0), ("这所中学的助学金有多少", 12.0),
])
def test_a_school_is_called_by_its_kind(sanzhong, q, value):
    """学校/中学/我校 name the stored unit when the unit's own name is a school's."""
    _check(sanzhong, q, value, "万元", "基本支出表")


@pytest.mark.parametrize("q", ["学校电费预算多少", "医院电费多少"])
def test_a_kind_the_unit_is_not_is_still_another_unit(gongan, q):
    assert gongan.ask(q).status != "answered", q


@pytest.mark.parametrize("q,value", [
    ("课后服务要覆盖多少学生", 600), ("课后服务覆盖多少人", 600), ("课后服务能惠及几名学生", 600),
])
def test_a_count_of_people_is_never_a_rate(sanzhong, q, value):
    sanzhong.reset()
    ans = sanzhong.ask(q)
    assert ans.unit != "%", (q, ans.text)
    if ans.status == "answered":
        assert ans.value == pytest.approx(value), (q, ans.text)


@pytest.mark.parametrize("q", ["课后服务覆盖率是多少", "课后服务覆盖率多少"])
def test_a_rate_asked_is_still_a_rate(sanzhong, q):
    sanzhong.reset()
    ans = sanzhong.ask(q)
    assert ans.status == "answered" and ans.unit == "%" and ans.value == pytest.approx(100), (q, ans.text)


@pytest.mark.parametrize("q", ["校长工资多少", "校长的工资是多少", "食堂经营收入每月多少", "食堂收入多少"])
def test_a_persons_or_a_canteens_money_is_refused(sanzhong, q):
    assert sanzhong.ask(q).status != "answered", q


@pytest.mark.parametrize("q", ["公务接待费为啥减少", "公务接待费为什么减少", "公务接待费下降的原因", "公务接待费减少的原因是什么"])
def test_the_reason_two_sentences_after_the_item(sanzhong, q):
    """"（二）公务接待费。安排…。原因是…" answers it; "公用经费减少是因为压减…公务接待费" (the item as a cause) does not."""
    sanzhong.reset()
    ans = sanzhong.ask(q)
    assert ans.status == "answered" and "接待标准" in ans.text, (q, ans.text)


@pytest.mark.parametrize("q", ["公务接待费为什么减少", "公务接待费下降的原因"])
def test_the_reason_two_sentences_after_the_item_jiaoyu(jiaoyu, q):
    jiaoyu.reset()
    ans = jiaoyu.ask(q)
    assert ans.status == "answered" and "接待范围" in ans.text, (q, ans.text)


@pytest.mark.parametrize("turns,value", [
    (["水费多少", "电费呢", "两项一共多少"], 24.0),
    (["助学金多少", "奖励金呢", "这两项加起来多少"], 15.0),
    (["办公费多少", "取暖费呢", "这两笔合计多少"], 35.0),
])
def test_two_items_said_as_a_pair(sanzhong, turns, value):
    sanzhong.reset()
    for q in turns:
        ans = sanzhong.ask(q)
    assert ans.status == "answered" and ans.value == pytest.approx(value), ans.text


@pytest.mark.parametrize("q", ["课后服务每周几天", "课后服务每周提供几天", "课后服务每周服务几天"])
def test_a_per_week_indicator_is_not_divided(sanzhong, q):
    """每周 read as ÷52 must not hide an indicator that is itself counted per week (每周服务天数)."""
    sanzhong.reset()
    ans = sanzhong.ask(q)
    assert ans.status == "answered" and ans.value == pytest.approx(5) and ans.unit == "天", (q, ans.text)


@pytest.mark.parametrize("q", ["课后服务每月几天", "学生家长满意度每月多少"])
def test_another_period_than_the_indicators_is_not_answered(sanzhong, q):
    sanzhong.reset()
    assert sanzhong.ask(q).status != "answered", q


@pytest.mark.parametrize("q,value", [
    ("小学课后服务每周几天", 5), ("小学课后服务的家长满意度", 95), ("小学课后服务要有多少学生参加", 600),
])
def test_a_project_said_without_its_tail_is_the_project(sanzhong, q, value):
    """小学课后服务 (of 小学课后服务项目) is the project, never an unknown unit 小学."""
    sanzhong.reset()
    ans = sanzhong.ask(q)
    assert ans.status == "answered" and ans.value == pytest.approx(value), (q, ans.text)


@pytest.mark.parametrize("q", ["经营收入主要是什么收入", "经营收入是哪来的", "经营收入的来源是什么"])
def test_what_the_money_is_comes_from_the_passage_that_says_so(sanzhong, q):
    """"…收入主要为食堂对外服务收入" answers where the money comes from; its 15.00万元 does not."""
    sanzhong.reset()
    ans = sanzhong.ask(q)
    assert ans.status == "answered" and "食堂" in ans.text, (q, ans.text)


@pytest.mark.parametrize("q,project", [
    ("课桌椅是哪个项目买的", "校舍维修改造项目"), ("智能平板是用哪个项目的钱买的", "智慧课堂建设项目"),
    ("台式计算机属于什么项目", "办公设备购置"),
])
def test_which_project_buys_an_item(sanzhong, q, project):
    """"哪个项目买的" asks the 政府采购 row's 项目名称, never the item's money."""
    sanzhong.reset()
    ans = sanzhong.ask(q)
    assert ans.status == "answered" and project in ans.text and ans.value is None, (q, ans.text)


@pytest.mark.parametrize("q", ["幼儿桌椅是哪个项目采购的", "多媒体教学设备属于哪个项目"])
def test_which_project_buys_an_item_jiaoyu(jiaoyu, q):
    jiaoyu.reset()
    ans = jiaoyu.ask(q)
    assert ans.status == "answered" and "学前教育项目" in ans.text and ans.value is None, (q, ans.text)


@pytest.mark.parametrize("q", ["第二中学的电费", "实验小学电费", "路北区中学电费多少", "第十中学助学金多少"])
def test_another_school_of_the_same_kind_is_refused(sanzhong, q):
    """学校/中学 alone is the stored school; 第二中学 or 实验小学 is a school the store lacks."""
    sanzhong.reset()
    assert sanzhong.ask(q).status != "answered", q


@pytest.mark.parametrize("q", ["经营收入的利润", "经营收入利润多少", "经营收入的成本是多少", "事业收入的净额"])
def test_an_unknown_word_after_a_column_subject_is_not_the_subject(sanzhong, q):
    """"经营收入的利润" is not 经营收入: the word after it (with or without 的) asks about something else."""
    sanzhong.reset()
    assert sanzhong.ask(q).status != "answered", q


@pytest.mark.parametrize("q", ["差旅费为什么减少", "差旅费下降的原因", "绩效工资增加原因", "绩效工资为什么增加"])
def test_an_item_named_only_as_a_cause_has_no_reason_of_its_own(sanzhong, q):
    """"公用经费减少是因为压减差旅费" says why 公用经费 fell, not why 差旅费 did: no reason is due."""
    sanzhong.reset()
    assert sanzhong.ask(q).status != "answered", q


@pytest.mark.parametrize("q,words", [
    ("人员经费为什么增加", "新招聘教师"), ("日常公用经费为什么减少", "压减差旅费"), ("项目支出增加的原因", "校舍维修改造"),
])
def test_the_item_explained_keeps_its_reason(sanzhong, q, words):
    sanzhong.reset()
    ans = sanzhong.ask(q)
    assert ans.status == "answered" and words in ans.text, (q, ans.text)


@pytest.mark.parametrize("q,words", [
    ("台式计算机用的什么资金", "一般公共预算拨款6.00万元"), ("课桌椅的资金来源", "一般公共预算拨款12.00万元"),
    ("智能平板用什么钱买", "一般公共预算拨款24.00万元"),
])
def test_an_items_funds_are_its_funding_columns(sanzhong, q, words):
    """"用的什么资金" names the 政府采购 row's funding columns, not a bare total."""
    sanzhong.reset()
    ans = sanzhong.ask(q)
    assert ans.status == "answered" and words in ans.text and ans.value is None, (q, ans.text)


def test_an_items_funds_jiaoyu(jiaoyu):
    jiaoyu.reset()
    ans = jiaoyu.ask("幼儿桌椅用的什么资金")
    assert ans.status == "answered" and "一般公共预算拨款10.00万元" in ans.text, ans.text


@pytest.mark.parametrize("q", ["政府性基金支出", "政府性基金支出多少", "基金预算支出是多少", "政府性基金拨款支出"])
def test_an_empty_fund_table_said_shortly_is_zero(sanzhong, q):
    """政府性基金支出 is the 政府性基金预算财政拨款支出表's total: 0 when that table is 空表列示."""
    _check(sanzhong, q, 0.0, "万元", "政府基金预算")


@pytest.mark.parametrize("q", ["奖励金发给谁", "退休费发给谁", "助学金给哪些学生", "谁能领助学金"])
def test_who_receives_money_is_not_its_amount(sanzhong, q):
    """The document gives 助学金's amount, never who receives it: no figure answers "发给谁"."""
    sanzhong.reset()
    assert sanzhong.ask(q).status != "answered", q


@pytest.mark.parametrize("q,value,unit", [
    ("教职工有多少人", 115, "人"), ("在职人员多少", 115, "人"), ("学校有多少在校学生", 1860, "人"),
    ("在校生人数", 1860, "人"), ("有几个处室", 4, "个"), ("核定编制多少", 120, "名"), ("退休人员几个", 12, "人"),
])
def test_staffing_counts_come_from_the_stated_facts(sanzhong, q, value, unit):
    sanzhong.reset()
    ans = sanzhong.ask(q)
    assert ans.status == "answered" and ans.value == pytest.approx(value) and ans.unit == unit, (q, ans.text)
    assert any("职责" in c.table or "机构" in c.table for c in ans.citations), (q, [c.table for c in ans.citations])


# ---- two stored years of one unit (财政局 2022 from tests/data, 2023 from the corpus) ----
CZJ_2022 = Path(__file__).resolve().parent / "data" / "tangshan-gaoxin-czj-2022.txt"


@pytest.fixture(scope="module")
def czj_years(czj_doc, tmp_path_factory):
    db = tmp_path_factory.mktemp("store") / "czj-years.db"
    build_store([CZJ_2022, czj_doc], db)
    return Assistant(db)


@pytest.fixture(scope="module")
def czj_years_and_gongan(czj_doc, gongan_doc, tmp_path_factory):
    db = tmp_path_factory.mktemp("store") / "czj-years-gongan.db"
    build_store([CZJ_2022, czj_doc, gongan_doc], db)
    return Assistant(db)


# (question, value, unit, the years the answer must say): each year's figure comes from that year's own
# document; none named → the latest; 去年 → the latest − 1; a change/sum/which-year is computed from the
# two printed figures and says both years
TWO_YEARS = [
    ("电费多少", 9.40, "万元", (2023,)),
    ("电费预算是多少", 9.40, "万元", (2023,)),
    ("今年办公费", 12.80, "万元", (2023,)),
    ("2023年差旅费", 6.50, "万元", (2023,)),
    ("2022年电费", 9.00, "万元", (2022,)),
    ("二〇二二年的电费是多少", 9.00, "万元", (2022,)),
    ("22年的办公费", 14.80, "万元", (2022,)),
    ("去年的电费", 9.00, "万元", (2022,)),
    ("上年办公费多少", 14.80, "万元", (2022,)),
    ("奖金去年多少", 44.00, "万元", (2022,)),
    ("去年预算收入总计", 767.36, "万元", (2022,)),
    ("2022年日常公用经费", 57.40, "万元", (2022,)),
    ("预算管理一体化系统建设2022年安排多少", 95.00, "万元", (2022,)),
    ("电费比去年增加了多少", 0.40, "万元", (2022, 2023)),
    ("电费增长了多少", 0.40, "万元", (2022, 2023)),
    ("差旅费比上年减少多少", 0.40, "万元", (2022, 2023)),
    ("人员经费较上年增加多少", 25.24, "万元", (2022, 2023)),
    ("三公经费比去年减少了多少", 1.40, "万元", (2022, 2023)),
    ("电费增长率", 4.44, "%", (2022, 2023)),
    ("2022年电费比2023年少多少", 0.40, "万元", (2022, 2023)),
    ("两年电费合计", 18.40, "万元", (2022, 2023)),
    ("2022年和2023年三公经费合计", 21.80, "万元", (2022, 2023)),
    ("哪年电费多", 9.40, "万元", (2022, 2023)),
    ("哪一年三公经费少", 10.20, "万元", (2022, 2023)),
    ("2022年的三公经费是多少", 11.60, "万元", (2022,)),
    ("今年三公经费", 10.20, "万元", (2023,)),
    ("2022年政府采购预算", 103.40, "万元", (2022,)),
    ("政府采购预算一共多少", 90.20, "万元", (2023,)),
    ("2022年复印纸买多少箱", 180.0, "箱", (2022,)),
    ("复印纸采购数量", 150.0, "箱", (2023,)),
    ("2022年监督检查采购项目数量", 70.0, "个", (2022,)),
    ("监督检查采购项目数量指标", 80.0, "个", (2023,)),
    ("去年和今年的电费合计", 18.40, "万元", (2022, 2023)),
    ("今年电费比去年多多少", 0.40, "万元", (2022, 2023)),
    ("两年平均电费", 9.20, "万元", (2022, 2023)),
    ("今年电费是去年的几倍", 1.04, "倍", (2022, 2023)),
    ("2023年电费占2022年电费的比例", 104.44, "%", (2022, 2023)),
    ("两年的电费和水费合计", 21.60, "万元", (2022, 2023)),
]


@pytest.mark.parametrize("q,value,unit,years", TWO_YEARS, ids=[r[0] for r in TWO_YEARS])
def test_two_stored_years_of_one_unit(czj_years, q, value, unit, years):
    czj_years.reset()
    ans = czj_years.ask(q)
    assert ans.status == "answered" and ans.unit == unit, (q, ans.status, ans.text)
    assert ans.value == pytest.approx(value, abs=0.006), (q, ans.text)
    for y in years:
        assert str(y) in ans.text, (q, y, ans.text)
    # every figure is read from the document of its own year, never estimated from the other year's narrative
    assert {c.year for c in ans.citations} == set(years), (q, [(c.year, c.table) for c in ans.citations])
    assert "推算" not in ans.text, (q, ans.text)
    if len(years) == 2:
        assert ans.derivation, (q, ans.text)


@pytest.mark.parametrize("q,missing", [("2021年电费", 2021), ("前年电费", 2021), ("2024年电费", 2024),
                                       ("二〇二一年的办公费是多少", 2021)])
def test_a_year_the_store_lacks_names_the_years_held(czj_years, q, missing):
    czj_years.reset()
    ans = czj_years.ask(q)
    assert ans.status == "not_found" and ans.value is None, (q, ans.text)
    assert str(missing) in ans.text and "2023" in ans.text, (q, ans.text)


@pytest.mark.parametrize("q", ["2022年便携式计算机单价", "2022年便携式计算机数量", "22年台式计算机买几台"])
def test_a_figure_only_in_one_year_is_not_found_in_the_other(czj_years, q):
    czj_years.reset()
    ans = czj_years.ask(q)
    assert ans.status == "not_found" and ans.value is None, q
    assert "2022" in ans.text and "2023年的文件中有" in ans.text, (q, ans.text)  # says which year has it


@pytest.mark.parametrize("turns,value,year", [
    (["电费多少", "去年呢"], 9.00, 2022),
    (["电费多少", "2022年呢"], 9.00, 2022),
    (["2022年电费", "2023年呢"], 9.40, 2023),
    (["办公费", "上年呢"], 14.80, 2022),
    (["2022年三公经费", "今年呢"], 10.20, 2023),
])
def test_a_year_follow_up_reads_that_years_document(czj_years, turns, value, year):
    czj_years.reset()
    for q in turns:
        ans = czj_years.ask(q)
    assert ans.status == "answered" and ans.value == pytest.approx(value), (turns, ans.text)
    assert {c.year for c in ans.citations} == {year} and str(year) in ans.text, (turns, ans.text)


def test_two_years_then_their_sum(czj_years):
    czj_years.reset()
    czj_years.ask("电费多少")
    czj_years.ask("去年呢")
    ans = czj_years.ask("两年合计")
    assert ans.status == "answered" and ans.value == pytest.approx(18.40), ans.text


# a unit and a year combine: the store holds 财政局 2022 + 2023 and 分局 2023 only
@pytest.mark.parametrize("turns,value,year", [
    (["财政局2022年电费"], 9.00, 2022),
    (["2022年财政局电费"], 9.00, 2022),
    (["财政局去年的电费"], 9.00, 2022),
    (["财政局的电费"], 9.40, 2023),
    (["分局电费"], 95.00, 2023),
    (["财政局电费比去年增加多少"], 0.40, None),
    (["财政局两年电费合计"], 18.40, None),
    (["财政局电费", "去年呢"], 9.00, 2022),
    (["电费多少", "财政局的"], 9.40, 2023),
    (["2023年分局和财政局的电费合计"], 104.40, 2023),
])
def test_unit_and_year_filters_combine(czj_years_and_gongan, turns, value, year):
    a = czj_years_and_gongan
    a.reset()
    for q in turns:
        ans = a.ask(q)
    assert ans.status == "answered" and ans.value == pytest.approx(value), (turns, ans.text)
    assert all("财政局" in c.unit for c in ans.citations) or value in (95.00, 104.40), (turns, ans.citations)
    if year is not None:
        assert {c.year for c in ans.citations} == {year}, (turns, ans.citations)


@pytest.mark.parametrize("q", ["分局2022年电费", "分局去年的电费", "财政局2021年电费",
                               # a year named for two units: neither is replaced by its other year
                               "分局和财政局2022年电费合计", "2022年分局和财政局的电费", "分局和财政局去年的电费合计"])
def test_a_unit_year_pair_the_store_lacks_is_not_found(czj_years_and_gongan, q):
    a = czj_years_and_gongan
    a.reset()
    ans = a.ask(q)
    assert ans.status == "not_found" and ans.value is None, (q, ans.text)


def test_no_unit_named_with_two_units_is_still_ambiguous(czj_years_and_gongan):
    a = czj_years_and_gongan
    a.reset()
    for q in ("电费多少", "2022年电费", "两年电费合计"):
        a.reset()
        ans = a.ask(q)
        assert ans.status in ("ambiguous", "answered"), (q, ans.text)
        if ans.status == "answered":  # only 财政局 has 2022: answered for it, saying so
            assert all("财政局" in c.unit for c in ans.citations), (q, ans.text)


@pytest.mark.parametrize("q,status", [
    ("2022年电费比2021年增加多少", "not_found"),  # the 2023 narrative compares 2023 with 2022 only
    ("2022年电费比上年增加多少", "not_found"),
    ("2021年和2022年电费合计", "not_found"),
    ("电费比去年多几倍", "ambiguous"),  # 是几倍 or 增加了几倍
])
def test_a_comparison_with_a_year_not_held_is_never_answered(czj_years, q, status):
    czj_years.reset()
    ans = czj_years.ask(q)
    assert ans.status == status and ans.value is None, (q, ans.text)


@pytest.mark.parametrize("q", ["2022年差旅费比2021年增加多少", "2022年电费比上年增长多少"])
def test_one_document_never_answers_a_change_between_other_years(czj_only, q):
    czj_only.reset()
    ans = czj_only.ask(q)
    assert ans.status == "not_found" and ans.value is None, (q, ans.text)


@pytest.mark.parametrize("q,words", [
    ("项目支出为什么减少", "大型信息化建设项目"), ("项目支出减少的原因是什么", "大型信息化建设项目"),
    ("为什么项目支出比上年少", "大型信息化建设项目"), ("人员经费增加原因", "辅警工资"),
    ("为什么人员经费增加了", "辅警工资"), ("人员经费为啥涨了", "辅警工资"),
])
def test_a_reason_names_its_subject_the_short_way(gongan, q, words):
    """Narratives shorten a subject at the head of its cause ("项目减少是由于…", "人员由于…增加"):
    the reason is still found, from the clause that starts with the short form."""
    gongan.reset()
    ans = gongan.ask(q)
    assert ans.status == "answered" and words in ans.text, (q, ans.text)
    assert any("总体情况" in c.table for c in ans.citations)



@pytest.mark.parametrize("q", ["智慧平安社区项目覆盖几个小区", "视频监控项目一共建了几个机房", "警用服装项目发给几个派出所"])
def test_a_count_with_unexplained_words_is_never_the_number_of_projects(gongan, q):
    """Words no name covers ("…覆盖几个小区") describe an indicator or something the documents lack:
    the answer is never the count of the document's projects."""
    gongan.reset()
    ans = gongan.ask(q)
    assert not (ans.status == "answered" and ans.unit == "项"), (q, ans.text)


@pytest.mark.parametrize("q", ["有几个绩效项目", "一共有几个项目", "公用经费有几项"])
def test_a_plain_count_still_counts_the_members(gongan, q):
    gongan.reset()
    ans = gongan.ask(q)
    assert ans.status == "answered" and ans.unit == "项", (q, ans.text)


@pytest.mark.logged_errors
def test_an_exception_inside_answering_is_logged_never_silent(gongan_store, monkeypatch, logged_errors):
    """A bug inside answering gives the user a one-line answer and the log a traceback (web log; CLI --debug)."""
    a = Assistant(gongan_store)

    def boom(*args, **kwargs):
        raise TypeError("unsupported operand type(s) for +: 'int' and 'NoneType'")

    monkeypatch.setattr(a._answerer, "answer", boom)
    ans = a.ask("电费多少")
    assert ans.status == "out_of_scope" and "TypeError" in ans.text
    assert len(logged_errors) == 1 and logged_errors[0].exc_info and "电费多少" in logged_errors[0].getMessage()


@pytest.mark.logged_errors
def test_cli_debug_prints_the_traceback_on_stderr(gongan_store, monkeypatch, capsys):
    """`ask --debug`: an error inside answering shows its traceback on stderr; the answer stays one line."""
    import logging

    from askbudget import answers, cli

    def boom(*args, **kwargs):
        raise TypeError("unsupported operand type(s) for +: 'int' and 'NoneType'")

    monkeypatch.setattr(answers.Answerer, "answer", boom)
    logger = logging.getLogger("askbudget")
    before, level = list(logger.handlers), logger.level
    try:
        assert cli.run(["ask", "--debug", "--db", str(gongan_store), "电费多少"]) == 1
    finally:
        for h in logger.handlers[len(before):]:
            logger.removeHandler(h)
        logger.setLevel(level)
    out, err = capsys.readouterr()
    assert "没能回答（TypeError）" in out and "Traceback" not in out
    assert "Traceback" in err and "TypeError" in err and "电费多少" in err


# question -> the interpretation line (how it was read), on the real document
INTERPRETATIONS = [
    ("电费多少", "电费 · 预算数 · 2023年 · 唐山市公安局高新技术产业开发区分局(本级)"),
    ("电费多少元", "电费 · 预算数 · 以元计 · 2023年 · 唐山市公安局高新技术产业开发区分局(本级)"),
    ("水费和电费加起来多少", "水费、电费 · 合计 · 预算数 · 2023年 · 唐山市公安局高新技术产业开发区分局(本级)"),
    ("政府采购多少", "政府采购 · 预算数 · 2023年 · 唐山市公安局高新技术产业开发区分局(本级)"),
    ("电梯的电费多少", "电费 · 2023年 · 唐山市公安局高新技术产业开发区分局(本级) · 未读懂：电梯"),
    ("电费是多少美元", "电费 · 2023年 · 唐山市公安局高新技术产业开发区分局(本级) · 运算词：美元"),
    ("今天天气怎么样", "未读成关于预算文件的问题"),
]


@pytest.mark.parametrize("q,line", INTERPRETATIONS, ids=[q for q, _ in INTERPRETATIONS])
def test_interpretation_says_how_the_question_was_read(gongan_store, q, line):
    a = Assistant(gongan_store)
    ans = a.ask(q)
    assert ans.interpretation == line
    assert ans.to_dict()["interpretation"] == line


@pytest.mark.parametrize("q,value", [
    ("项目支出预算合计是多少", 2158.68), ("项目支出的预算合计", 2158.68), ("一般公共预算支出预算合计是多少", 4327.18),
    ("支出预算合计是多少", 5983.18),
])
def test_a_subject_cut_by_an_alias_is_read_whole(gongan, q, value):
    """支出预算合计 is the 支出总计; 项目 before it is no filler but the head of 项目支出: the question asks the
    项目支出's 合计, never the 支出总计 with 项目 dropped."""
    gongan.reset()
    ans = gongan.ask(q)
    assert ans.status == "answered" and ans.value == pytest.approx(value), (q, ans.text)


@pytest.mark.parametrize("q, value, asks", [
    ("分局项目支出占支出预算的比重", 36.08, ""),  # the side's words alone: its 总计 (2158.68 ÷ 5983.18)
    ("分局项目支出占全部支出的比例", 36.08, ""),
    ("分局电费占比多少", None, "电费占商品和服务支出的比例是多少？"),  # a share of what? asked, the wholes offered
    ("分局项目支出占比", None, "项目支出占支出总计的比例是多少？"),
])
def test_a_share_names_its_whole_or_is_asked_of_what(gongan: Assistant, q: str, value: float | None, asks: str) -> None:
    gongan.reset()
    got = gongan.ask(q.removeprefix("分局"))
    if value is not None:
        assert got.status == "answered" and got.value == pytest.approx(value), got.text
    else:
        assert got.status == "ambiguous" and got.value is None and "没有找到" not in got.text, got.text
        assert asks in got.suggestions, got.suggestions

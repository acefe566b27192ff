"""normalize / read_number / chinese_numerals_to_digits: tables of inputs → outputs, plus properties."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from askbudget.normalize import chinese_numerals_to_digits, normalize, read_number

NORMALIZE = [
    # full-width digits, letters, punctuation
    ("ＡＢＣ１２３", "abc123"),
    ("电费多少？", "电费多少?"),
    ("收入，支出：（万元）；！", "收入,支出:(万元);!"),
    ("“三公”经费", '"三公"经费'),
    ("‘电费’", "'电费'"),
    ("２０２３年电费", "2023年电费"),
    ("１，２３４．５万元", "1,234.5万元"),
    ("因公出国（境）费", "因公出国(境)费"),
    # traditional → simplified
    ("電費多少", "电费多少"),
    ("收入總計是多少？", "收入总计是多少?"),
    ("公務接待費預算", "公务接待费预算"),
    ("財政撥款", "财政拨款"),
    # white space
    ("  电 费  多少 ", "电费多少"),
    ("电\u3000费", "电费"),
    ("电\t费\n多少", "电费多少"),
    ("30206 是什么", "30206是什么"),
    ("2023 年 电费", "2023年电费"),
    ("Hello   World", "hello world"),
    ("30206 30205", "30206 30205"),
    ("电费 abc", "电费 abc"),
    # invisible, control and odd characters
    ("电费\x00多少", "电费多少"),
    ("a\x00b", "ab"),
    ("\ud800电费", "电费"),
    ("电费\udfff", "电费"),
    ("\u200f电费\u200e", "电费"),
    ("电\u200b费\u2060", "电费"),
    ("\ufeff电费", "电费"),
    ("\u202e电费\u202c", "电费"),
    ("电费😀多少", "电费多少"),
    ("电费👍🏻", "电费"),
    ("★电费✓", "电费"),
    ("电费\ue000", "电费"),
    ("电费—多少", "电费-多少"),
    # Latin lower-cased, empty stays empty
    ("SQL Select", "sql select"),
    ("", ""),
    ("   ", ""),
]


@pytest.mark.parametrize(("text", "expected"), NORMALIZE, ids=[repr(t) for t, _ in NORMALIZE])
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected


@given(st.text())
@settings(max_examples=300, deadline=None)
def test_normalize_never_raises_and_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert isinstance(once, str)
    assert normalize(once) == once
    assert "\x00" not in once


@given(st.text(alphabet=st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF) | st.characters()))
@settings(max_examples=100, deadline=None)
def test_normalize_survives_lone_surrogates(text: str) -> None:
    out = normalize(text)
    out.encode("utf-8")  # no lone surrogate left


READ_NUMBER = [
    ("95", 95.0),
    ("1,234.5", 1234.5),
    ("0.87", 0.87),
    (".5", 0.5),
    ("１２３", 123.0),
    ("1.2万", 12000.0),
    ("3千", 3000.0),
    ("2亿", 200_000_000.0),
    ("5%", 5.0),
    ("百分之五", 5.0),
    ("百分之十二点五", 12.5),
    ("一千五百一十四", 1514.0),
    ("两百", 200.0),
    ("三十", 30.0),
    ("十五", 15.0),
    ("一十五", 15.0),
    ("二十", 20.0),
    ("一百零五", 105.0),
    ("一千零五", 1005.0),
    ("一万零五百", 10500.0),
    ("一万二", 12000.0),
    ("两千五", 2500.0),
    ("三百五", 350.0),
    ("三万五千", 35000.0),
    ("一亿二千万", 120_000_000.0),
    ("零点八", 0.8),
    ("三点一四", 3.14),
    ("一点二万", 12000.0),
    ("二〇二二", 2022.0),
    ("二零二二", 2022.0),
    ("壹仟伍佰", 1500.0),
    ("负三", -3.0),
    ("-2.5", -2.5),
    ("七", 7.0),
    ("零", 0.0),
]


@pytest.mark.parametrize(("token", "expected"), READ_NUMBER, ids=[t for t, _ in READ_NUMBER])
def test_read_number(token: str, expected: float) -> None:
    assert read_number(token) == pytest.approx(expected, abs=1e-9)


NOT_A_NUMBER = ["", "abc", "万", "百", "万元", "五三百", "点五", "三公", "一般", "1.2.3", "百分之", "--3", "电费"]


@pytest.mark.parametrize("token", NOT_A_NUMBER)
def test_read_number_rejects(token: str) -> None:
    assert read_number(token) is None


@given(st.text(max_size=20))
@settings(max_examples=300, deadline=None)
def test_read_number_never_raises(token: str) -> None:
    value = read_number(token)
    assert value is None or isinstance(value, float)


def test_read_number_is_exact_decimal() -> None:
    # 1.2 * 10000 in binary floats is not always 12000; Decimal arithmetic is
    assert read_number("1.1万") == 11000.0
    assert read_number("0.07万") == 700.0


# numerals that are quantities: rewritten
REWRITE = [
    ("前三", "前3"),
    ("金额最大的前三个项目", "金额最大的前3个项目"),
    ("两千", "2000"),
    ("二〇二二年的电费", "2022年的电费"),
    ("二零二二年", "2022年"),
    ("一千五百一十四件", "1514件"),
    ("三个", "3个"),
    ("两辆车", "2辆车"),
    ("近三年", "近3年"),
    ("共五项", "共5项"),
    ("前十名", "前10名"),
    ("排名前三的项目", "排名前3的项目"),
    ("前三?", "前3?"),
    ("零点八", "0.8"),
    ("增长百分之五", "增长5%"),
    ("百分之十二点五", "12.5%"),
    ("三万元", "30000元"),
    ("收入一千二百三十四点五万元", "收入1234.5万元"),
    ("去年三十万", "去年300000"),
    ("一百二十台", "120台"),
]


@pytest.mark.parametrize(("text", "expected"), REWRITE, ids=[t for t, _ in REWRITE])
def test_numerals_rewritten(text: str, expected: str) -> None:
    assert chinese_numerals_to_digits(text) == expected


# words that merely contain numeral characters: untouched
KEEP = [
    "三公经费",
    "“三公”经费",
    "一般公共预算",
    "一般行政管理事务",
    "一、",
    "一、一般公共预算拨款收入",
    "十二、城乡社区支出",
    "二十、住房保障支出",
    "第一部分",
    "第三",
    "统一",
    "万元",
    "单位：万元",
    "之一",
    "万一",
    "千万不要",
    "十分",
    "两者合计呢",
    "一是加强管理",
    "一体化",
    "唯一",
    "一线",
    "一级项目",
    "五险一金",
    "三峡",
    "九、其他收入",
    "电费",
    "上一年",
    "同一项目",
    "每一个",
    "这一次",
    "一次性",
    "一系列",
    "合计一般公共预算",
    "共一般",
    "(十二)管理",
    "(一)",
]


@pytest.mark.parametrize("text", KEEP)
def test_numerals_left_alone(text: str) -> None:
    assert chinese_numerals_to_digits(text) == text


@given(st.text(alphabet="零〇一二两三四五六七八九十百千万亿点个年、第前三公经费元", max_size=15))
@settings(max_examples=300, deadline=None)
def test_numeral_rewriting_never_raises(text: str) -> None:
    assert isinstance(chinese_numerals_to_digits(text), str)

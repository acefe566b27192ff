"""Answers from a real 决算 read from page text (石泉路街道 2025, tests/data/putuo-shiquan-2025-final.txt): the
narrative's sections as the document heads them, 年初预算 and 完成年初预算 the narrative states, and a row's
基本/项目 split proven by another table where the page text lost it (issue 8 round 4)."""
from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from askbudget import build_store
from askbudget.assistant import Assistant

DOC = Path(__file__).parent / "data" / "putuo-shiquan-2025-final.txt"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("shiquan") / "s.db"
    build_store([DOC], db, quiet=True)
    return db


@pytest.fixture(scope="module")
def a(store: Path) -> Assistant:
    return Assistant(store, warm=False)


def test_a_wrapped_item_line_opening_a_page_is_no_heading(store: Path) -> None:
    """"“社会保障和就业支出（类）其他生活救助（款）其他" opens a page inside the list of items: it is text of the
    （三） section, never a heading (nor the root of every section after it)."""
    conn = sqlite3.connect(store)
    heads = [h for (h,) in conn.execute("SELECT heading FROM sections")]
    assert not [h for h in heads if re.search(r"[（(](类|款|项)[)）]", h)], heads
    text = conn.execute("SELECT text FROM sections WHERE heading LIKE '（三）一般公共预算财政拨款支出决算具体情况'").fetchone()[0]
    assert "其他生活救助（款）其他" in text and "市民综合帮扶" in text


ANSWERED = [
    ("其他城市生活救助年初预算多少", 30.0, ["年初预算"]),     # the item the page break cut in two
    ("一般公共预算支出完成年初预算的百分之几", 87.1, ["87.1"]),  # 一般公共预算财政拨款支出, as the narrative says
    ("一般公共预算支出年初预算多少", 21864.85, []),
    ("行政运行的基本支出", 1690.05, []),                       # the 支出决算表 lost it; the 一般公共预算 table proves it
    ("行政运行的项目支出是多少", 25.0, []),
    ("行政运行决算数是多少？算基本支出吗", 1715.05, ["不全是", "基本支出1690.05", "项目支出25.00"]),
    ("购房补贴决算数是多少？算基本支出吗", 417.16, ["是"]),
    ("其他城市生活救助是基本支出还是项目支出", 30.0, ["是项目支出"]),
    # the 决算 states 机关运行经费支出 627.04 万元: its own words, not the 公用经费 an alias leads to (2,195.60)
    ("机关运行经费多少", 627.04, []),
]


@pytest.mark.parametrize("q,value,has", ANSWERED, ids=[c[0] for c in ANSWERED])
def test_answered(a: Assistant, q: str, value: float, has: list[str]) -> None:
    a.reset()
    ans = a.ask(q)
    assert ans.status == "answered" and ans.value == pytest.approx(value, abs=0.006), ans.text
    for w in has:
        assert w in ans.text, (w, ans.text)
    assert not any("（类）" in c.table for c in ans.citations), ans.citations


@pytest.mark.parametrize("q", ["群众文化的基本支出", "群众文化决算数是多少？算基本支出吗"])
def test_a_split_no_table_proves_is_still_refused(a: Assistant, q: str) -> None:
    """群众文化's 基本/项目 columns are lost in both tables that print it: no figure."""
    a.reset()
    ans = a.ask(q)
    assert ans.status != "answered" and ans.value is None, ans.text

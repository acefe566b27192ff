"""What a question writes beside its subject is read, never dropped (issue 8 round 5): a side word (收入/支出)
after a two-sided subject selects that side's figure or the answer is refused; a period (每月, 每天) asked of a
单价 is the 单价 itself when it is the row's 计量单位, else refused; a text turn about a subject keeps that subject
for the 其中X after it; "这笔钱是干什么用的" is the narrative sentence about that very figure first.

Figures read off the documents by hand: 财政局 2023 财政拨款收支总表 `本年支出合计 871.34` (its 一般公共预算财政拨款
column) beside the 收入 row `一、一般公共预算拨款 784.84`; its 政府采购 row `物业管理服务 … 月 12 2.40 28.80`; the
分局's 制服 `套 1000 0.03`; 建管委 `城市建设支出 279,285.70` (项目支出 only) under the whole 项目支出 320,409.02.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from askbudget import Assistant, build_store

DATA = Path(__file__).parent / "data"
ROOT = DATA.parent.parent
DOCS = {
    "czj": DATA / "tangshan-gaoxin-czj-2023.txt",
    "gongan": ROOT / "data" / "gaoxin-gongan-2023.txt",
    "fengnan": DATA / "fengnan-weijian-2024.txt",
    "jg": DATA / "putuo-jianguanwei-2026.txt",
}
REFUSED = "refused"


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Assistant]:
    out = {}
    for name, doc in DOCS.items():
        db = tmp_path_factory.mktemp(name) / "s.db"
        build_store([doc], db, quiet=True)
        out[name] = Assistant(db, warm=False)
    return out


# (store, turns, expected figure of the last turn or REFUSED, a word its text must hold)
CASES = [
    # ---- a side word after a subject: that side's figure, or refused — never the other side's row
    ("czj", ["一般公共预算拨款支出多少"], 871.34, ""),
    ("czj", ["一般公共预算拨款的支出是多少"], 871.34, ""),
    ("czj", ["一般公共预算拨款收入多少"], 784.84, ""),
    ("czj", ["财政拨款支出多少"], 871.34, ""),
    ("czj", ["上年结转的支出多少"], REFUSED, "是收入"),
    ("czj", ["其他收入支出多少"], REFUSED, "是收入"),  # the spending of 其他收入, never the 其他支出 row (0.00)
    ("czj", ["其他收入多少"], 18.0, ""),
    ("gongan", ["接待费收入是多少"], REFUSED, "不是收入"),
    ("fengnan", ["接待费支出在三公经费中占多大比例"], 6.98, ""),
    ("fengnan", ["接待费收入在三公经费中占多大比例"], REFUSED, "不是收入"),  # a share: its part checked too
    # last year's total derived from the sentence of the side asked (a balanced budget: the same sum)
    ("gongan", ["2022年支出总计是多少"], 5847.56, "人员经费"),
    ("gongan", ["2022年收入总计是多少"], 5847.56, "一般公共预算拨款"),
    # ---- a period asked of a 单价: its own 计量单位, else refused saying what it is per
    ("czj", ["物业管理服务每个月单价多少"], 2.40, ""),
    ("czj", ["物业管理服务单价多少"], 2.40, ""),
    ("czj", ["物业管理服务每天单价多少"], REFUSED, "每月"),
    ("gongan", ["制服每个月单价多少"], REFUSED, "每套"),
    ("gongan", ["汽车每个月平均每辆价值多少万元"], REFUSED, "每辆"),  # a price worked out (价值 ÷ 数量)
    ("gongan", ["汽车平均每辆价值多少万元"], 15.87, ""),
    # ---- a text turn about a subject keeps it for 其中X
    ("jg", ["城市建设支出安排了多少", "主要用来做什么", "其中项目支出多少"], 279285.70, "城市建设支出"),
    ("jg", ["城市建设支出主要用来做什么", "其中项目支出多少"], 279285.70, "城市建设支出"),
    ("jg", ["城市建设支出安排了多少", "主要用来做什么", "其中基本支出多少"], 0.0, "城市建设支出"),
    ("jg", ["其中项目支出多少"], 320409.0202, ""),  # without a subject before: the document's whole
    ("czj", ["财政事务多少", "主要用来做什么", "其中项目支出多少"], REFUSED, ""),  # no text answer: never the whole
]


@pytest.mark.parametrize("store,turns,want,has", CASES, ids=[" → ".join(c[1]) for c in CASES])
def test_what_is_written_beside_the_subject_is_read(stores: dict[str, Assistant], store: str, turns: list[str],
                                                   want: float | str, has: str) -> None:
    a = stores[store]
    a.reset()
    for t in turns[:-1]:
        a.ask(t)
    ans = a.ask(turns[-1])
    if want == REFUSED:
        assert ans.status != "answered" and ans.value is None, ans.text
    else:
        assert ans.status == "answered" and ans.value == pytest.approx(want, abs=0.005), ans.text
    assert has in ans.text, ans.text


def test_the_money_just_given_is_what_the_narrative_says_it_is_first(stores: dict[str, Assistant]) -> None:
    """上年结转 86.50 → 这笔钱是干什么用的: the 其他需要说明的事项 sentence about those 86.50万元, cited, before the
    term's 名词解释."""
    a = stores["czj"]
    a.reset()
    assert a.ask("上年结转多少").value == pytest.approx(86.5)
    ans = a.ask("这笔钱是干什么用的")
    assert ans.status == "answered", ans.text
    said, defined = ans.text.find("上年结转86.50万元为2022年预算管理一体化系统建设项目"), ans.text.find("上年结转：")
    assert 0 <= said < defined, ans.text
    assert "其他需要说明的事项" in ans.citations[0].table, ans.citations

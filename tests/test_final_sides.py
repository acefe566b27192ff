"""A 决算's 收入决算表 row of a subject is the income the year brought for it, never what was spent on it: the
carry-overs make the two differ (a 湖北 决算: 城乡社区支出 收入 3,171.75, 支出 3,334.75). The document below is
生态环境局 2025 (tests/data/putuo-shengtai-2025-final.txt) with its 支出决算表 left out — as a 决算 whose
spending table could not be read — and its income for two 项 moved between them, so that the sides differ."""
from __future__ import annotations

from pathlib import Path

import pytest

from askbudget import build_store
from askbudget.assistant import Assistant

DOC = Path(__file__).parent / "data" / "putuo-shengtai-2025-final.txt"
SPENDING = ("\f支出决算表\n", "注：本表反映部门本年度各项支出情况。")  # a page each
GENERAL = ("\f一般公共预算财政拨款支出决算表\n", "注：本表反映部门本年度一般公共预算财政拨款支出情况。")


def _without(text: str, start: str, end: str) -> str:
    i = text.index(start)
    j = text.index(end, i) + len(end)
    return text[:i] + text[j:]


def _income(text: str, old: str, new: str) -> str:
    assert text.count(old) >= 1
    return text.replace(old, new, 1)  # the 收入决算表 is the first table listing the subjects


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    text = DOC.read_text(encoding="utf-8")
    text = _income(text, "2110302 水体 213.10 213.10", "2110302 水体 200.00 200.00")
    text = _income(text, "2110301 大气 379.96 379.96", "2110301 大气 393.06 393.06")  # 污染防治 still adds up
    no_spending = _without(text, *SPENDING)
    neither = _without(no_spending, *GENERAL)
    out = {}
    for name, body in (("no-spending", no_spending), ("neither", neither)):
        d = tmp_path_factory.mktemp(name)
        src = d / "putuo-shengtai-2025-final.txt"
        src.write_text(body, encoding="utf-8")
        out[name] = d / "s.db"
        build_store([src], out[name], quiet=True)
    return out


@pytest.mark.parametrize("q, value, table", [
    ("节能环保支出决算多少", 3742.47, "收入支出决算总表"),  # the 收支总表's 支出 side before the 收入决算表
    ("节能环保支出花了多少", 3742.47, "收入支出决算总表"),
    ("211支出多少", 3742.47, "收入支出决算总表"),
    ("水体决算多少", 213.10, "一般公共预算财政拨款支出决算表"),  # its income 200.00
    ("大气花了多少", 379.96, "一般公共预算财政拨款支出决算表"),  # its income 393.06
    ("节能环保支出收入决算多少", None, None),  # 收入 of a subject named 支出: refused, never either side's figure
])
def test_a_subjects_spending_never_comes_from_the_income_table(stores: dict[str, Path], q: str, value: float | None,
                                                               table: str | None) -> None:
    got = Assistant(stores["no-spending"], warm=False).ask(q)
    if value is None:
        assert got.status != "answered", got.text
        return
    assert got.status == "answered" and got.value == pytest.approx(value), got.text
    assert got.citations[0].table.endswith(table), got.citations


def test_with_no_spending_table_at_all_the_income_is_said_as_income(stores: dict[str, Path]) -> None:
    a = Assistant(stores["neither"], warm=False)
    got = a.ask("水体决算多少")
    assert got.status == "not_found" and got.value is None
    assert "200.00" in got.text and "收入" in got.text and "不是支出" in got.text, got.text
    a.reset()
    asked = a.ask("水体收入决算多少")  # 收入 asked: the 收入决算表's figure, or the candidates — never refused as spending
    assert "不是支出" not in asked.text and (asked.value == pytest.approx(200.0) or "水体200.00万元" in asked.text), asked.text

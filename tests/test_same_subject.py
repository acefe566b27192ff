"""The same question in other words gets the same reading (CheckList INV, STYLE.md rule 15), on real documents of
three regions (河北, 上海, 中央) and both kinds:

- a subject written by its code (7-digit 项, 5-digit 款, 3-digit 类; bare, in brackets after its name, with 科目) reads
  as its name does, whatever follows it (支出合计, 基本支出, 项目支出, 合计, the kind's own 预算数/决算数);
- a year written right before the subject (2024年收支总计, 2025年度支出合计) is read as the year, then the subject;
- a note in brackets after the question (（单位：万元）, （含上年结转）) is read as its words would be outside them.

Each case: the plain question and its rewrites come back with the same status and the same figure.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from askbudget import build_store
from askbudget.assistant import Assistant

DATA = Path(__file__).resolve().parent / "data"
ROOT = DATA.parent.parent
DOCS = {
    "gaoxin-gongan-2023": ROOT / "data" / "gaoxin-gongan-2023.txt",  # 河北 预算
    "putuo-wenlvju-2026": DATA / "putuo-wenlvju-2026.txt",  # 上海 预算
    "putuo-wenlv-2025-final": DATA / "putuo-wenlv-2025-final.txt",  # 上海 决算
    "zhongyang-kejiju-2023-final": DATA / "zhongyang-kejiju-2023-final.txt",  # 中央 决算
}
_STORES: dict[str, Path] = {}


def _store(name: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    if name not in _STORES:
        db = tmp_path_factory.mktemp("same") / f"{name}.db"
        build_store([DOCS[name]], db)
        _STORES[name] = db
    return _STORES[name]


def _reading(a: Assistant, q: str) -> tuple[str, float | None]:
    a.reset()
    got = a.ask(q)
    return got.status, (round(got.value, 6) if isinstance(got.value, (int, float)) else None)


def _differences(a: Assistant, cases: list[tuple[str, list[str]]]) -> tuple[list[str], int]:
    """For each (plain question, its rewrites): the rewrites read otherwise than the plain question (another status or
    figure), and how many rewrites were asked. A plain question that is ambiguous has no one reading to keep."""
    bad, n = [], 0
    for plain, rewrites in cases:
        want = _reading(a, plain)
        if want[0] == "ambiguous":
            continue
        for q in rewrites:
            n += 1
            got = _reading(a, q)
            if got != want:
                bad.append(f"{q} -> {got}, but {plain} -> {want}")
    return bad, n


def _coded_rows(db: Path) -> list[tuple[str, str]]:
    """The function-classification rows (code 2…) whose label names one code only: (code, label)."""
    con = sqlite3.connect(db)
    try:
        rows = con.execute("SELECT code, label FROM rows WHERE code LIKE '2%' AND label != '' "
                           "GROUP BY code, label").fetchall()
    finally:
        con.close()
    codes_of: dict[str, set[str]] = {}
    for code, label in rows:
        codes_of.setdefault(label, set()).add(code)
    return sorted((code, label) for code, label in rows if len(codes_of[label]) == 1)


def _code_forms(code: str, label: str, tail: str) -> list[str]:
    return [f"{code}{tail}", f"{code}科目{tail}", f"{code}的{tail}", f"{label}（{code}）{tail}",
            f"{label}科目（{code}）{tail}", f"科目{code}的{tail}", f"{code}这个科目{tail}", f"{code}号科目的{tail}"]


@pytest.mark.parametrize("name", list(DOCS))
def test_a_code_reads_as_its_name(name: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Every coded row of the document, asked by name with each tail, and by its code in each way a question writes
    one: the same status and the same figure (never 支出合计 read as a second subject, the 支出总计)."""
    db = _store(name, tmp_path_factory)
    a = Assistant(db)
    kind_word = "决算数" if name.endswith("final") else "预算数"
    tails = ("支出合计多少", "基本支出多少", "项目支出多少", "合计是多少", kind_word, "支出", kind_word[:2] + "支出",
             kind_word[:2] + "支出合计")
    bad, n = _differences(a, [(label + tail, _code_forms(code, label, tail))
                              for code, label in _coded_rows(db) for tail in tails])
    assert n > 100
    assert not bad, f"{len(bad)}/{n}:\n" + "\n".join(bad[:40])


# what the rows say, cell by cell, so the table cannot pass on a reading that is merely consistent
CODE_TABLE = [
    ("gaoxin-gongan-2023", "执法办案支出合计多少", ["2040220支出合计多少", "执法办案科目（2040220）支出合计多少",
                                                 "2040220科目支出合计是多少"], 40.0),
    ("gaoxin-gongan-2023", "公安基本支出多少", ["20402基本支出多少", "公安（20402）的基本支出"], 3824.5),
    ("gaoxin-gongan-2023", "公共安全支出合计", ["204支出合计", "204科目合计"], 4327.18),
    # 预算支出 after a subject is its spending, never 支出总计 beside it (5,983.18, or 40.00 + 5,983.18 = 6,023.18)
    ("gaoxin-gongan-2023", "执法办案支出", ["执法办案预算支出", "执法办案的预算支出合计", "2040220的预算支出合计"], 40.0),
    ("putuo-wenlvju-2026", "群众文化支出合计多少", ["2070109支出合计多少", "群众文化科目（2070109）支出合计多少"], None),
    ("putuo-wenlvju-2026", "文化和旅游项目支出", ["20701项目支出", "（20701）项目支出"], None),
    ("putuo-wenlv-2025-final", "群众文化决算数", ["2070109决算数", "群众文化（2070109）决算数"], 4540.23),
    ("putuo-wenlv-2025-final", "群众文化支出合计多少", ["2070109支出合计多少", "群众文化决算支出合计",
                                                     "2070109决算支出合计"], 4540.23),
    ("putuo-wenlv-2025-final", "群众文化项目支出", ["2070109项目支出"], 2752.92),
    # 科学技术支出|决算|支出合计, never 科学技术|支出决算 (the narrative's 支出决算总计) added to it: 52,859.52
    ("zhongyang-kejiju-2023-final", "科学技术支出", ["科学技术支出决算支出合计", "科学技术支出决算", "206决算支出合计"],
     25714.34),
]


@pytest.mark.parametrize("name,plain,rewrites,value", CODE_TABLE, ids=[r[1] for r in CODE_TABLE])
def test_code_table(name: str, plain: str, rewrites: list[str], value: float | None,
                    tmp_path_factory: pytest.TempPathFactory) -> None:
    a = Assistant(_store(name, tmp_path_factory))
    want = _reading(a, plain)
    assert want[0] == "answered" and (value is None or want[1] == value), want
    for q in rewrites:
        assert _reading(a, q) == want, q


# ---- a year written before the subject: the store's own year, as 年 or 年度, glued to the words after it
YEAR_TAILS = ("收入总计", "支出合计是多少", "收支总计是多少", "基本支出", "项目支出多少", "人员经费", "公用经费", "电费多少",
              "电废多少", "上年结转", "一般公共预算拨款收入", "三公经费")


@pytest.mark.parametrize("name", list(DOCS))
def test_a_year_is_read_before_the_words_after_it(name: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    """"2024年收支总计", "2025年度电废多少": the year is read, then the subject — the same reading as the subject alone
    in a store of that one year (never 年收|支总计, never 度电 of 年度电费 read as a measure in kWh)."""
    a = Assistant(_store(name, tmp_path_factory))
    year = a.vocab.latest_year
    bad, _ = _differences(a, [(tail, [f"{year}年{tail}", f"{year}年度{tail}", f"请问{year}年度的{tail}"])
                              for tail in YEAR_TAILS])
    assert not bad, "\n".join(bad)


# ---- a note in brackets after the question: its words read as the same words outside the brackets
NOTE_COLUMNS = ("基本支出", "项目支出", "上年结转", "事业收入", "财政拨款收入", "一般公共预算财政拨款")


@pytest.mark.parametrize("name", list(DOCS))
def test_a_column_in_a_note_selects_it(name: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    """"群众文化是多少（基本支出）" is "群众文化的基本支出是多少" — for every coded row and every column word, whatever the
    question word and punctuation before the note."""
    db = _store(name, tmp_path_factory)
    a = Assistant(db)
    bad, n = _differences(a, [(f"{label}的{col}是多少", [f"{label}是多少（{col}）", f"{label}有多少？（{col}）",
                                                          f"{label}多少钱（{col}）"])
                              for _, label in _coded_rows(db) for col in NOTE_COLUMNS])
    assert n > 100
    assert not bad, f"{len(bad)}/{n}:\n" + "\n".join(bad[:40])


NOTE_TABLE = [
    # (document, question, status, value, unit)
    ("gaoxin-gongan-2023", "电费是多少（单位：元）", "answered", 950000.0, "元"),
    ("gaoxin-gongan-2023", "电费是多少？（单位:元）", "answered", 950000.0, "元"),
    ("gaoxin-gongan-2023", "电费是多少（单位：万元）", "answered", 95.0, "万元"),
    ("gaoxin-gongan-2023", "电费比水费多多少（单位：元）", "answered", 710000.0, "元"),
    ("gaoxin-gongan-2023", "公安是多少（基本支出）", "answered", 3824.5, "万元"),
    ("gaoxin-gongan-2023", "电费是多少（电梯）", "not_found", None, None),  # 电梯的电费: unread, refused
    ("gaoxin-gongan-2023", "公安是多少（含上年结转）", "not_found", None, None),  # 含 is not read
    ("putuo-wenlv-2025-final", "群众文化支出是多少（单位：元）", "answered", 45402300.0, "元"),
    ("putuo-wenlv-2025-final", "群众文化支出是多少（项目支出）", "answered", 2752.92, "万元"),
    ("putuo-wenlv-2025-final", "群众文化支出是多少（星际）", "not_found", None, None),
    ("putuo-wenlv-2025-final", "群众文化支出电梯是多少", "not_found", None, None),  # a side word is the subject's
    ("putuo-wenlvju-2026", "图书馆支出是多少（单位：元）", "answered", 30953134.0, "元"),
]


@pytest.mark.parametrize("name,q,status,value,unit", NOTE_TABLE, ids=[r[1] for r in NOTE_TABLE])
def test_note_table(name: str, q: str, status: str, value: float | None, unit: str | None,
                    tmp_path_factory: pytest.TempPathFactory) -> None:
    a = Assistant(_store(name, tmp_path_factory))
    got = a.ask(q)
    assert (got.status, got.value if value is None else round(got.value or 0, 2), got.unit if value else None) \
        == (status, value, unit), got.text

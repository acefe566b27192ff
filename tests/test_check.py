"""``askbudget check``: the real document's genuine mistake is found, the consistent synthetic document
is clean, and each rule fires when one figure of the synthetic document is altered."""
from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from askbudget.check import run_checks
from askbudget.ingest import build_store

ROOT = Path(__file__).resolve().parent.parent


def test_real_document_mistakes(gongan_store: Path) -> None:
    """The fixed-asset classes add up to 6781.30, the 合计 prints 6781.29: six figures printed to 0.01 may
    add up to three cents off their exact total, so a one-cent gap is a rounding note (rule 舍入), not a
    mismatch."""
    conn = sqlite3.connect(gongan_store)
    found = run_checks(conn)
    assert [(m.rule, m.table_title, m.row, m.column, m.expected, m.actual) for m in found] == [
        ("舍入", "单位固定资产占用情况表", "合计", "价值", 6781.30, 6781.29)]
    assert "within the rounding of the 6 figures" in found[0].message and "[合计=Σ行]" in found[0].message
    stored = conn.execute("SELECT rule, table_title, [row], [column], expected, actual FROM checks").fetchall()
    assert stored == [("舍入", "单位固定资产占用情况表", "合计", "价值", 6781.30, 6781.29)]
    conn.close()


@pytest.mark.parametrize("terms,a,b,rule", [
    (2, 10.00, 10.01, "舍入"),  # two rounded figures: up to a cent off their printed total
    (2, 10.00, 10.02, "合计=Σ行"),  # two cents off two figures: a mismatch
    (6, 6781.30, 6781.29, "舍入"),
    (6, 6781.30, 6781.33, "舍入"),
    (6, 6781.30, 6781.34, "合计=Σ行"),
    (1, 5.00, 5.01, "合计=Σ行"),  # one figure printed twice: no rounding between them
])
def test_a_gap_within_rounding_is_a_note(terms: int, a: float, b: float, rule: str) -> None:
    from askbudget.check import _Out

    out = _Out(1)
    assert not out.within(a, b, terms)
    out.add("合计=Σ行", "表", "合计", "合计", a, b, "the sum", terms=terms)
    assert [m.rule for m in out.items] == [rule]
    assert out.within(a, a, terms)
    # no state is carried from a comparison to a later finding: an add of its own is a mismatch, never a note
    out.add("完成率", "叙述", "", "", a, b, "")
    assert out.items[-1].rule == "完成率"


def test_synthetic_document_is_clean(tmp_path: Path, czj_doc: Path) -> None:
    db = tmp_path / "c.db"
    report = build_store([czj_doc], db, quiet=True)
    assert report.mismatches == 0
    conn = sqlite3.connect(db)
    assert run_checks(conn) == []
    conn.close()


# one altered figure of the synthetic document -> rules that must report it (altered by more than the
# rounding of the figures its sums add: a one-cent gap in a sum of n ≥ 2 printed figures is a rounding note)
MUTATIONS = [
    ("支出总表 row", "4\t2010601\t行政运行\t484.04\t484.04\t\t", "4\t2010601\t行政运行\t484.14\t484.04\t\t",
     {"合计=Σ列", "款=Σ项", "同数异表"}),
    ("基本支出表 电费", "30206\t电费\t9.40\t\t9.40", "30206\t电费\t9.50\t\t9.50", {"类=Σ款", "叙述≠表格"}),
    ("采购 单价", "箱\t150\t0.02", "箱\t150\t0.05", {"数量×单价"}),
    ("收入总计", "34\t收入总计\t889.34", "34\t收入总计\t889.44", {"收支合计", "收入=支出", "同数异表"}),
    ("narrative 水费", "水费1.60万元", "水费1.70万元", {"叙述≠表格", "包括=Σ明细"}),
    ("科室数", "设有 8 个科室", "设有 9 个科室", {"科室数"}),
    ("三公 合计", "1\t合计\t10.20\t10.20", "1\t合计\t10.30\t10.30", {"合计=Σ行", "叙述≠表格"}),
    ("采购 合计", "合计\t\t\t\t\t\t\t90.20\t90.20", "合计\t\t\t\t\t\t\t90.30\t90.30", {"采购合计", "叙述≠表格"}),
    ("资产 合计", "合计\t--\t1286.45", "合计\t--\t1286.55", {"合计=Σ行", "叙述≠表格"}),
    ("财政拨款 fund column", "一、一般公共服务支出\t727.64\t727.64", "一、一般公共服务支出\t727.64\t727.74",
     {"合计=Σ列", "同数异表"}),
    ("收入总表 小计", "2010602\t一般行政管理 事务\t139.10\t139.10\t121.10\t\t\t\t\t\t18.00",
     "2010602\t一般行政管理 事务\t139.10\t139.10\t121.10\t\t\t\t\t\t18.10", {"合计=Σ列"}),
    ("narrative percent", "下降12.07%", "下降13.07%", {"增减"}),
    ("narrative base value", "2022年的日常公用经费57.40万元", "2022年的日常公用经费58.40万元", {"增减"}),
    ("基本支出 合计 vs 一般公共预算", "1\t\t合计\t627.74\t573.74\t54.00", "1\t\t合计\t627.84\t573.84\t54.00",
     {"同数异表", "合计=Σ行"}),
]


@pytest.mark.parametrize("what,old,new,rules", MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_each_rule_fires(what: str, old: str, new: str, rules: set[str], tmp_path: Path, czj_doc: Path) -> None:
    text = czj_doc.read_text(encoding="utf-8")
    assert text.count(old) == 1, what
    bad = tmp_path / "czj-altered.txt"
    bad.write_text(text.replace(old, new), encoding="utf-8")
    db = tmp_path / "m.db"
    build_store([bad], db, quiet=True)
    conn = sqlite3.connect(db)
    found = {m.rule for m in run_checks(conn)}
    conn.close()
    assert rules <= found, found


def test_rounded_unit_price_is_not_a_mismatch(tmp_path: Path, czj_doc: Path) -> None:
    # 1000 × 0.03 = 30 is the real document's own line; 160 × 0.02 = 3.20 against a printed 3.00 is
    # within 160 × 0.005 = 0.80 of a unit price rounded to 0.01
    text = czj_doc.read_text(encoding="utf-8").replace("箱\t150\t0.02", "箱\t160\t0.02")
    p = tmp_path / "r.txt"
    p.write_text(text, encoding="utf-8")
    db = tmp_path / "r.db"
    build_store([p], db, quiet=True)
    conn = sqlite3.connect(db)
    assert [m.rule for m in run_checks(conn)] == []
    conn.close()


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "askbudget", *args], capture_output=True, text=True, cwd=ROOT)


def test_cli_check(gongan_store: Path, tmp_path: Path, czj_doc: Path) -> None:
    r = _cli("check", "--db", str(gongan_store))
    assert r.returncode == 0  # a rounding note is no mismatch
    lines = r.stdout.strip().split("\n")
    assert lines[0].startswith("gaoxin-gongan-2023: rounding note: 单位固定资产占用情况表 · 合计 · 价值: printed 6781.29")
    assert lines[-1] == "check: 1 document, 0 mismatches, 1 rounding note"
    db = tmp_path / "c.db"
    build_store([czj_doc], db, quiet=True)
    r = _cli("check", "--db", str(db))
    assert (r.returncode, r.stdout.strip()) == (0, "check: 1 document, 0 mismatches")


def test_cli_ingest_summary(tmp_path: Path, gongan_doc: Path) -> None:
    r = _cli("ingest", str(gongan_doc), "--db", str(tmp_path / "i.db"))
    assert r.returncode == 0
    lines = r.stdout.strip().splitlines()
    assert lines[0] == ("gaoxin-gongan-2023: 唐山市公安局高新技术产业开发区分局(本级) 2023 预算 — template tangshan: "
                        "9 of 9 tables (missing: none), 25 read; 493 cells (171 figures), 0 uncertain")
    assert lines[-1] == "ingested 1 document (gaoxin-gongan-2023): 493 cells, 0 warnings; check: 0 mismatches"


def test_narrative_figures_lexicon_loads() -> None:
    """The shipped lexicon/narrative_figures.tsv is valid; every kind it names is a table kind."""
    from askbudget.check import narrative_figures
    from askbudget.ingest.kinds import KINDS

    figs = narrative_figures()
    assert figs and all(k is None or k in KINDS for specs in figs.values() for k, _, _ in specs)


@pytest.mark.parametrize("body,line,reason", [
    ("预算收入\t收支总\t收入总计\n", 2, "unknown table kind"),
    ("预算收入\t收支总表\t收入总计\n预算收入\t收支总表\t收入总计\n", 3, "twice"),
    ("预算收入\t收支总表\t收入总计\t合计\t多余\n", 2, "fields"),
    ("\t收支总表\t收入总计\n", 2, "empty field"),
])
def test_narrative_figures_bad_line_is_named(tmp_path: Path, body: str, line: int, reason: str) -> None:
    from askbudget.check import NARRATIVE_FIGURES_FILE, narrative_figures
    from askbudget.errors import LexiconError

    (tmp_path / NARRATIVE_FIGURES_FILE).write_text("subject\tkind\trow\tcolumn\n" + body, encoding="utf-8")
    with pytest.raises(LexiconError) as ei:
        narrative_figures(str(tmp_path))
    assert ei.value.line == line and reason in str(ei.value)


@pytest.mark.parametrize("written,flagged", [
    ("902000元", False),       # the same figure in 元: agrees with the 万元 table
    ("0.0090亿元", False),     # 亿元 to 4 decimals: within its own precision
    ("903000元", True),        # 1 000 元 off: a real mismatch
    ("0.01亿元", False),       # 90.20 万元 rounded to 0.01 亿元 is 0.01 亿元
    ("0.02亿元", True),        # 200 万元 is not 90.20 万元 even to 0.01 亿元's precision
])
def test_a_narrative_figure_in_another_unit_is_compared_in_wanyuan(tmp_path: Path, czj_doc: Path, written: str,
                                                                    flagged: bool) -> None:
    """The tables are stored in 万元 (docs/schema.md); a figure the text writes in 元/亿元 is compared
    in 万元 to the precision it was written with — never skipped as 'another unit', never a false alarm."""
    text = czj_doc.read_text(encoding="utf-8")
    old = "安排政府采购预算90.20万元"
    assert text.count(old) == 1
    p = tmp_path / "n.txt"
    p.write_text(text.replace(old, f"安排政府采购预算{written}"), encoding="utf-8")
    db = tmp_path / "n.db"
    build_store([p], db, quiet=True)
    conn = sqlite3.connect(db)
    rules = [(m.rule, m.row) for m in run_checks(conn)]
    conn.close()
    assert (("叙述≠表格", "政府采购预算") in rules) == flagged, rules

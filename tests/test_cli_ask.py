"""`ask` as a user runs it: a subprocess, checking stdout, stderr and the exit status (0/1/2)."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run([sys.executable, "-m", "askbudget", "ask", *args], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=60)


@pytest.mark.parametrize("q,want", [
    ("电费多少", "95.00万元"),
    ("电费多少元", "950,000元"),
    ("電費多少？", "95.00万元"),
    ("公用经费里哪项最多", "电费"),
])
def test_answer_text_and_sources(gongan_store, q, want):
    p = run("--db", str(gongan_store), q)
    assert p.returncode == 0, p.stderr
    assert want in p.stdout
    assert "来源" in p.stdout
    assert "Traceback" not in p.stderr


@pytest.mark.parametrize("q", ["固定资产有哪些", "公用经费都包括哪些", "公用经费里哪项最多"])
def test_list_items_are_written_as_the_answer_writes_them(gongan_store, q):
    """Every money item of a list with the decimals of the answer sentence ("1656.00 万元", never "1656
    万元" beside "391.30 万元"), the figures right-aligned."""
    p = run("--db", str(gongan_store), q)
    assert p.returncode == 0, p.stderr
    text, *rest = p.stdout.splitlines()
    items = [l for l in rest[: rest.index("来源：")] if l.endswith(" 万元")]
    assert len(items) >= 3
    values = [l[: -len(" 万元")].split()[-1] for l in items]
    assert all(re.fullmatch(r"\d+\.\d\d", v) for v in values), items
    assert f"{values[0]}万元" in text or f"{max(values, key=float)}万元" in text
    assert len({len(l) for l in items}) == 1, items  # labels padded, values right-aligned


def test_yuan_figures_are_grouped(gongan_store):
    p = run("--db", str(gongan_store), "收入总计多少元")
    assert p.returncode == 0 and re.search(r"\d{1,3}(,\d{3})+元", p.stdout), p.stdout


def test_json_shape(gongan_store):
    p = run("--db", str(gongan_store), "--json", "电费多少")
    assert p.returncode == 0
    d = json.loads(p.stdout)
    assert d["status"] == "answered" and d["value"] == 95.0 and d["unit"] == "万元"
    assert any("基本支出表" in c["table"] for c in d["citations"])


def test_sql_flag_shows_sql(gongan_store):
    p = run("--db", str(gongan_store), "--sql", "电费多少")
    assert p.returncode == 0 and "SELECT" in p.stdout


@pytest.mark.parametrize("q", ["2024年电费多少", "你好", "asdkjh qwe"])
def test_not_answered_exits_1(gongan_store, q):
    p = run("--db", str(gongan_store), q)
    assert p.returncode == 1
    assert p.stdout.strip() and "Traceback" not in p.stderr


def test_json_refusal(gongan_store):
    p = run("--db", str(gongan_store), "--json", "局长工资多少")
    assert p.returncode == 1
    d = json.loads(p.stdout)
    assert d["status"] in ("not_found", "out_of_scope") and d["value"] is None


@pytest.mark.parametrize("args", [("--db", "x.db", ""), ("--bogus", "电费")])
def test_usage_errors_exit_2(args):
    p = run(*args)
    assert p.returncode == 2


def test_missing_store_is_a_clean_error(tmp_path):
    p = run("--db", str(tmp_path / "nope.db"), "电费多少")
    assert p.returncode == 1
    assert "error" in p.stderr and "Traceback" not in p.stderr

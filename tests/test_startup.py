"""What the one-shot ``ask`` does not pay for: patterns compiled before use, jieba's HMM tables,
platformdirs, sqlite-utils. Timings are measured by bench/bench_ask.py; these tests pin the mechanisms."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from askbudget import lazyre
from askbudget.resources import user_dir

ROOT = Path(__file__).resolve().parent.parent

PATTERNS = [
    (r"(?<!\d)((?:19|20)\d{2})(?:年|年度)", 0, ["2023年电费", "去年", "12023年", "2022年度和2023年"]),
    (r"\b(select|drop)\b|--", re.IGNORECASE, ["SELECT * FROM t", "电费--", "drop", "无"]),
    (r"(?:[\u4e00-\u9fff]{1,5}?(?:省|市|县|区))+$", 0, ["河北省唐山市", "唐山市高新区", "abc"]),
    (r"(?P<n>\d+)\s*(万元|元)", 0, ["电费95万元，水费3 元", "none"]),
]


@pytest.mark.parametrize("source,flags,texts", PATTERNS, ids=[p[0][:20] for p in PATTERNS])
def test_lazy_pattern_answers_as_re_pattern(source: str, flags: int, texts: list[str]) -> None:
    lazy, real = lazyre.compile(source, flags), re.compile(source, flags)
    assert lazy.pattern == real.pattern and lazy.groups == real.groups and lazy.groupindex == real.groupindex
    def same(a: re.Match[str] | None, b: re.Match[str] | None) -> bool:
        return (a and (a.span(), a.groups())) == (b and (b.span(), b.groups()))

    for t in texts:
        for name in ("search", "match", "fullmatch"):
            assert same(getattr(lazy, name)(t), getattr(real, name)(t)), (name, t)
            assert same(getattr(lazy, name)(t, 1), getattr(real, name)(t, 1)), (name, t)
        assert [m.span() for m in lazy.finditer(t)] == [m.span() for m in real.finditer(t)]
        assert lazy.findall(t) == real.findall(t)
        assert lazy.split(t) == real.split(t)
        assert lazy.sub("#", t) == real.sub("#", t) and lazy.subn("#", t, 1) == real.subn("#", t, 1)
    assert lazy.flags == real.flags and lazy.compiled is lazy.compiled


def test_lazy_pattern_compiles_on_first_use_only() -> None:
    p = lazyre.compile(r"[\u4e00-\u9fff]+")
    assert p._rx is None
    assert p.pattern == r"[\u4e00-\u9fff]+" and p._rx is None  # reading the source compiles nothing
    assert p.search("ab电费").group() == "电费"
    assert isinstance(p._rx, re.Pattern)


def test_lazy_pattern_bad_source_fails_on_use() -> None:
    p = lazyre.compile("(unclosed")
    with pytest.raises(re.error):
        p.search("x")


def _fresh(code: str) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT,
                         timeout=120, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_one_question_loads_no_hmm_tables_no_platformdirs_no_sqlite_utils(gongan_store: Path) -> None:
    """A question answered in a fresh process: jieba's HMM tables (finalseg) stay unloaded, and neither
    platformdirs (the cache path is known) nor sqlite-utils (reading needs plain sqlite3) is imported."""
    got = _fresh(
        "import json, sys\n"
        "from askbudget.assistant import Assistant\n"
        f"a = Assistant({str(gongan_store)!r}, warm=False)\n"
        "ans = a.ask('电费多少')\n"
        "print(json.dumps({'text': ans.text, 'mods': [m for m in ('jieba.finalseg.prob_emit', 'platformdirs',"
        " 'sqlite_utils') if m in sys.modules]}))")
    assert "95.00万元" in got["text"]
    assert got["mods"] == []


def test_hmm_still_works_when_asked_for() -> None:
    """The deferred HMM module loads on first use: a tokenizer asked for HMM=True still finds new words."""
    got = _fresh(
        "import json, sys\n"
        "from askbudget.vocab import _import_jieba\n"
        "jieba = _import_jieba()\n"
        "t = jieba.Tokenizer()\n"
        "before = 'jieba.finalseg.prob_emit' in sys.modules\n"
        "toks = t.lcut('他来到了网易杭研大厦', HMM=True)\n"
        "print(json.dumps({'before': before, 'toks': toks, 'after': 'jieba.finalseg.prob_emit' in sys.modules}))")
    assert got["before"] is False and got["after"] is True
    assert "杭研" in got["toks"]  # a word no dictionary holds: only the HMM finds it


@pytest.mark.parametrize("kind", ["cache", "data"])
@pytest.mark.parametrize("xdg", [None, "", "   ", "/tmp/xdg-somewhere"])
def test_user_dir_is_where_platformdirs_puts_it(kind: str, xdg: str | None, monkeypatch: pytest.MonkeyPatch) -> None:
    platformdirs = pytest.importorskip("platformdirs")
    var = f"XDG_{kind.upper()}_HOME"
    if xdg is None:
        monkeypatch.delenv(var, raising=False)
    else:
        monkeypatch.setenv(var, xdg)
    want = platformdirs.user_cache_dir("askbudget") if kind == "cache" else platformdirs.user_data_dir("askbudget")
    assert user_dir(kind) == Path(want)


def test_ingest_imports_no_sqlite_utils(gongan_doc: Path, tmp_path: Path) -> None:
    """Ingest writes with plain sqlite3: sqlite-utils' import (with its plugin scan) cost more than the write."""
    got = _fresh(
        "import json, sys\n"
        "from askbudget import build_store\n"
        f"r = build_store([{str(gongan_doc)!r}], {str(tmp_path / 's.db')!r})\n"
        "print(json.dumps({'cells': r.cells, 'mods': [m for m in ('sqlite_utils', 'numpy') if m in sys.modules]}))")
    assert got["cells"] > 400 and got["mods"] == []


def test_ingest_schema_is_the_documented_one(gongan_store: Path) -> None:
    """The DDL written with plain sqlite3: every table and column of SCHEMA with its type, key and
    references, and every index of INDEXES."""
    import sqlite3

    from askbudget.store import INDEXES, SCHEMA

    types = {int: "INTEGER", str: "TEXT", float: "REAL"}
    with sqlite3.connect(gongan_store) as c:
        for table, spec in SCHEMA.items():
            cols = {r[1]: (r[2], r[5]) for r in c.execute(f"PRAGMA table_info([{table}])")}
            assert cols == {col: (types[t], 1 if col == spec["pk"] else 0) for col, t in spec["columns"].items()}
            fks = {(r[3], r[2], r[4]) for r in c.execute(f"PRAGMA foreign_key_list([{table}])")}
            assert fks == {(col, other, "id") for col, other in spec["fks"]}
        have = {(r[0], r[1]) for r in c.execute("SELECT tbl_name, name FROM sqlite_master WHERE type = 'index'")}
        for table, cols in INDEXES:
            assert (table, f"idx_{table}_{'_'.join(cols)}") in have

"""The vocabulary: built from the store at load time, cached on disk, never stale."""
from __future__ import annotations

import os
import shutil
import time

import pytest
from pathlib import Path

from askbudget import build_store
from askbudget.assistant import Assistant
from askbudget.store import open_readonly
from askbudget.vocab import _unit_keys, build_vocab, vocab_for

DATA = Path(__file__).parent / "data" / "gaoxin-jiaoyu-2024.txt"


def test_store_names_join_the_vocabulary(gongan_store):
    v = build_vocab(open_readonly(gongan_store))
    for word, kind in [("电费", "row"), ("制服", "item"), ("警用服装购置", "project"), ("上年结转", "gloss"),
                       ("公安分局", "unit"), ("基本支出表", "table"), ("为什么", "cue")]:
        assert kind in {k for k, _ in v.words.get(word, [])}, (word, v.words.get(word))


def test_disk_cache_follows_the_store(tmp_path, gongan_doc):
    """Rebuilding a store at the same path must give the new document's vocabulary, not the cached one."""
    db = tmp_path / "s.db"
    build_store([gongan_doc], db)
    a = Assistant(db)
    assert a.ask("电费多少").answered
    assert not a.ask("培训费多少").answered
    os.remove(db)
    time.sleep(0.01)
    build_store([DATA], db)
    b = Assistant(db)
    assert b.ask("培训费多少").answered
    assert "培训费" in {w for w in vocab_for(str(db), open_readonly(db)).labels}


def test_unit_keys():
    assert _unit_keys("唐山市公安局高新技术产业开发区分局(本级)")[:3] == ("公安分局", "公安局", "分局")
    assert _unit_keys("唐山市高新技术产业开发区财政局(本级)")[0] == "财政局"


@pytest.mark.parametrize("name,abbr", [
    ("唐山市路南区第三中学", ["三中", "3中", "唐山市路南区三中"]),
    ("唐山市第十二中学", ["十二中", "12中"]),
    ("唐山市路北区第二小学", ["二小", "2小"]),
    ("唐山市丰南区卫生健康局(本级)", ["卫健局", "唐山市丰南区卫健局"]),
])
def test_unit_keys_with_the_usual_abbreviations(name, abbr):
    """lexicon kind orgshort: 卫生健康局 -> 卫健局, and numbered organisations by pattern (第N中学 -> N中)."""
    from askbudget.vocab import load_terms

    keys = _unit_keys(name, load_terms().get("orgshort"))
    assert all(a in keys for a in abbr), keys
    assert "中" not in keys and "第中学" not in keys


def test_private_tokenizer_uses_the_vocabulary(gongan_store):
    v = build_vocab(open_readonly(gongan_store))
    toks = v.tokens("一般行政管理事务的项目支出是多少")
    assert "一般行政管理事务" in toks and "项目支出" in toks
    import jieba

    assert v.tokenizer() is not jieba.dt  # never the global tokenizer


@pytest.mark.parametrize("typo,word", [("电废", "电费"), ("三工经费", "三公经费"), ("政府彩购", "政府采购"),
                                       ("dianfei", "电费")])
def test_the_speller_is_fuzzy_speller_only(gongan_store, typo, word):
    """spell.py adapts askbudget.fuzzy.Speller; it has no pinyin/rapidfuzz speller of its own."""
    from askbudget import spell
    from askbudget.fuzzy import Speller

    v = build_vocab(open_readonly(gongan_store))
    got = spell.suggest(v, typo)
    assert got is not None and got[0] == word
    assert isinstance(spell._speller(v), Speller)
    imports = [ln for ln in Path(spell.__file__).read_text(encoding="utf-8").splitlines()
               if ln.lstrip().startswith(("import ", "from "))]
    assert not [ln for ln in imports if "pypinyin" in ln or "rapidfuzz" in ln]


@pytest.mark.parametrize("target", ["dictionary", "jieba cache", "both"])
@pytest.mark.parametrize("how", ["truncated", "garbage", "empty"])
def test_a_damaged_tokenizer_dictionary_is_rebuilt(gongan_store, tmp_path, monkeypatch, target, how):
    """The jieba dictionary and jieba's prefix cache are derived data: damage means rewrite, never a
    traceback and never a tokenizer missing words."""
    monkeypatch.setenv("ASKBUDGET_CACHE_DIR", str(tmp_path / "cache"))
    v = build_vocab(open_readonly(gongan_store))
    v.tokenizer()
    jdir = tmp_path / "cache" / "jieba"
    files = {"dictionary": list(jdir.glob("vocab-*.txt")), "jieba cache": list(jdir.glob("jieba.u*.cache"))}
    files["both"] = files["dictionary"] + files["jieba cache"]
    assert files[target], list(jdir.iterdir())
    for p in files[target]:
        data = p.read_bytes()
        p.write_bytes({"truncated": data[: len(data) // 3], "garbage": b"garbage\n\x00\xff", "empty": b""}[how])
    again = build_vocab(open_readonly(gongan_store))
    toks = again.tokens("一般行政管理事务的项目支出是多少")
    assert "一般行政管理事务" in toks and "项目支出" in toks
    assert "唐丰路派出所建设项目" in again.tokens("唐丰路派出所建设项目成本控制")

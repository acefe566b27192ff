"""The public API is exactly what README documents (httpx-style pinned __all__)."""
from __future__ import annotations

import askbudget


def test_all_is_pinned():
    assert sorted(askbudget.__all__) == sorted([
        "Answer", "AskBudgetError", "Assistant", "Citation", "IngestError", "Item", "LexiconError",
        "QueryError", "StoreError", "build_store"])


def test_assistant_is_importable_lazily(gongan_store):
    a = askbudget.Assistant(str(gongan_store))
    d = a.ask("电费多少").to_dict()
    assert set(d) >= {"question", "status", "text", "value", "unit", "citations", "sql", "suggestions"}
    assert d["status"] == "answered" and d["value"] == 95.0 and d["unit"] == "万元"
    assert {"document", "unit", "year", "table", "row", "column"} <= set(d["citations"][0])
    assert "?" not in d["sql"] and "SELECT" in d["sql"]


import json
import pickle

import pytest

# (turns before the hand-over, the follow-up asked on another Assistant, its value)
HANDOVERS = [
    (["财政局的水费"], "电费呢", 9.40),
    (["财政局的水费", "电费呢"], "两者合计呢", 11.00),
    (["分局的电费多少", "水费呢"], "二者相差多少", 71.00),
    (["公安分局的人员经费"], "去年呢", 2738.66),
]


@pytest.mark.parametrize("turns,follow,value", HANDOVERS, ids=[" / ".join(h[0] + [h[1]]) for h in HANDOVERS])
@pytest.mark.parametrize("codec", ["json", "pickle"])
def test_context_carries_a_conversation_to_another_assistant(both_store, turns, follow, value, codec):
    a, b = askbudget.Assistant(both_store), askbudget.Assistant(both_store)
    for t in turns:
        assert a.ask(t).answered
    snap = a.context
    snap = json.loads(json.dumps(snap)) if codec == "json" else pickle.loads(pickle.dumps(snap))
    assert len(json.dumps(snap)) < 20000
    b.restore(snap)
    ans = b.ask(follow)
    assert ans.status == "answered" and ans.value == pytest.approx(value, abs=0.006), ans.text


@pytest.mark.parametrize("bad", [None, "junk", 42, {}, {"v": 2, "store": "other"}, {"v": 999},
                                 {"v": 1, "store": None, "ctx": {"$": "os.system"}},
                                 {"v": 2, "store": None, "ctx": {"$": "os.system"}},
                                 {"v": 2, "store": None, "ctx": [99, 0]}, {"v": 2, "store": None, "ctx": [0, 1]},
                                 {"v": 2, "store": None, "ctx": [0, 2**40, "x"]}, {"v": 2, "store": None, "ctx": [True, 0]},
                                 {"v": 2, "store": None, "ctx": [3, 1, "电费"]}])
def test_restoring_nothing_or_a_bad_snapshot_starts_afresh(both_store, bad):
    a = askbudget.Assistant(both_store)
    a.ask("财政局的水费")
    if isinstance(bad, dict) and "ctx" in bad:
        bad = {**bad, "store": a.context["store"]}
    a.restore(bad)
    assert a.ask("电费呢").status == "ambiguous"  # no previous unit: two units fit


@pytest.mark.parametrize("code,q,value", [("122001", "电费多少", 95.0), ("121001", "电费多少", 9.40),
                                          ("121001", "水费是多少", 1.60), ("122001", "人员经费", 3632.50)])
def test_set_scope_pins_a_unit(both_store, code, q, value):
    a = askbudget.Assistant(both_store)
    a.set_scope(unit_code=code)
    ans = a.ask(q)
    assert ans.status == "answered" and ans.value == pytest.approx(value), ans.text
    a.reset()  # a new conversation keeps the pin
    assert a.ask(q).value == pytest.approx(value)
    other = "财政局" if code == "122001" else "分局"
    assert a.ask(f"{other}的{q}").value != pytest.approx(value)  # naming another unit still wins
    assert json.loads(json.dumps(a.context))["scope"]["unit_code"] == code
    a.set_scope()
    a.reset()
    assert a.ask(q).status == "ambiguous"


@pytest.mark.parametrize("kwargs", [{"unit_code": "999999"}, {"year": 1999}, {"unit_code": "122001", "year": 2030}])
def test_set_scope_refuses_what_the_store_lacks(both_store, kwargs):
    a = askbudget.Assistant(both_store)
    with pytest.raises(askbudget.QueryError):
        a.set_scope(**kwargs)

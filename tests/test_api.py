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

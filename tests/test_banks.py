"""Question banks end to end: our own third document (tests/data, a 教育局 2024 with other subjects,
non-empty 三公, 上年结转, 事业收入, procurement and indicators) and, where present, the public banks.

Accuracy must be ≥ 0.95 and no answer may be wrong (a definite answer that is not the expected one).
The judging follows ../shared/tools/qa_eval.py (value within tol after 元/万元/亿元 conversion, a
citation naming an expected table, the expected words in the text, refusals not answered).
"""
from __future__ import annotations

import json
import math
import unicodedata
from pathlib import Path

import pytest

from askbudget import build_store
from askbudget.assistant import Assistant

DATA = Path(__file__).resolve().parent / "data"
CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
SCALE = {"元": 1.0, "万元": 1e4, "亿元": 1e8}


def _banks() -> list[tuple[Path, Path]]:
    """Every bank of tests/data (the project's own, and copies of the public ones), then any bank of
    ../shared/corpus not copied here (an extra, present in CI). A bank's document is the .txt beside
    it, else the one its "doc" field names, in tests/data, data/ or the corpus."""
    out, seen = [], set()
    for d in (DATA, CORPUS):
        for bank in sorted(d.glob("*.questions.jsonl")) if d.is_dir() else []:
            if bank.name in seen:
                continue
            seen.add(bank.name)
            first = next((l for l in bank.read_text(encoding="utf-8").splitlines() if l.strip()), "")
            stem = json.loads(first).get("doc", "") if first else ""
            for doc in (bank.with_name(bank.name.replace(".questions.jsonl", ".txt")),
                        DATA / f"{stem}.txt", DATA.parent.parent / "data" / f"{stem}.txt", CORPUS / f"{stem}.txt"):
                if doc.is_file():
                    out.append((bank, doc))
                    break
    return out


def _n(s: str) -> str:
    return unicodedata.normalize("NFKC", s or "").replace(" ", "")


def judge(exp: dict, got: dict) -> str:
    if exp["status"] == "refuse":
        return "wrong" if got["status"] == "answered" else "ok"
    if got["status"] != "answered":
        return "missed"
    want = exp.get("value")
    if want is not None:
        have = got.get("value")
        if not isinstance(have, (int, float)):
            return "wrong"
        if exp.get("unit") in SCALE and got.get("unit") in SCALE:
            have = have * SCALE[got["unit"]] / SCALE[exp["unit"]]
        if exp.get("abs"):
            have, want = abs(have), abs(want)
        if not math.isclose(have, want, abs_tol=exp.get("tol", 0.005) + 1e-9):
            return "wrong"
    titles = [_n(c["table"]) for c in got["citations"]]
    if exp.get("table_any") and not any(_n(w) in t for w in exp["table_any"] for t in titles):
        return "wrong"
    text = _n(got["text"])
    if not all(_n(s) in text for s in exp.get("text_has", []) + exp.get("list_has", [])):
        return "wrong"
    return "ok"


def ask_bank(bank: Path, db: Path) -> dict[str, list[str]]:
    """Ask every question of ``bank`` of the store ``db`` (a conversation per ``conv``): the
    questions by outcome, ``ok`` / ``wrong`` / ``missed``."""
    a = Assistant(db)
    qs = [json.loads(l) for l in bank.read_text(encoding="utf-8").splitlines() if l.strip()]
    outcomes: dict[str, list[str]] = {"ok": [], "wrong": [], "missed": []}
    conv = object()
    for q in qs:
        if q.get("conv") != conv or q.get("conv") is None:
            a.reset()
        conv = q.get("conv")
        got = a.ask(q["q"]).to_dict()
        outcomes[judge(q["expect"], got)].append(f"{q['q']} -> {got['status']} {got['value']} {got['unit']} {got['text'][:60]}")
    return outcomes


@pytest.mark.parametrize("bank,doc", _banks(), ids=[b.name for b, _ in _banks()])
def test_bank(bank: Path, doc: Path, tmp_path: Path) -> None:
    db = tmp_path / "bank.db"
    build_store([doc], db)
    outcomes = ask_bank(bank, db)
    assert not outcomes["wrong"], outcomes["wrong"]
    # questions in citizens' words (polite, long-winded, colloquial, in conversations, a fifth unanswerable)
    # aim at 0.90, as does a real document of another region read from page text (issue 9); every other
    # bank at 0.95 — and no bank may ever get a wrong answer
    floor = 0.90 if bank.name.startswith("citizen-") or "\f" in doc.read_text(encoding="utf-8") else 0.95
    assert len(outcomes["ok"]) / sum(map(len, outcomes.values())) >= floor, outcomes["missed"]


def test_warming_builds_the_first_use_caches(gongan_store: Path) -> None:
    """The first indicator/unit question must not pay for a regex compile or the indicator load
    (~5 ms, the bank's p99): the Assistant builds them when it starts."""
    a = Assistant(gongan_store)
    assert getattr(a._answerer, "_filler_rx", None) is not None
    assert getattr(a._answerer, "_ind_cache", None)
    assert getattr(a.vocab, "_unit_re", None) is not None
    assert getattr(a.vocab, "_speller", None) is not None

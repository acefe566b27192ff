"""Question banks end to end, through `askbudget eval` as a help desk runs it: the project's own banks
(tests/data: our third and later documents, and copies of the public banks) and, where present, any
other bank of ../shared/corpus. No answer may be wrong (exit status 0) and accuracy must be ≥ 0.95
(0.90 for questions in citizens' words and for page-text documents).

The judging is askbudget.evaluate's (the one judge; it follows ../shared/tools/qa_eval.py, and where that
script is present a test checks that both judge every case and score every public bank alike).
"""
from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from askbudget.assistant import Assistant
from askbudget.errors import BankError
from askbudget.evaluate import EvalReport, evaluate, judge, load_bank

from conftest import SHARED_CORPUS

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
QA_EVAL = ROOT.parent / "shared" / "tools" / "qa_eval.py"
SUMMARY = re.compile(r"^accuracy (\d\.\d{3}) \((\d+)/(\d+)\) wrong (\d+) missed (\d+) error (\d+) "
                     r"median \d+\.\d\d ms p99 \d+\.\d\d ms$")


def _banks() -> list[tuple[Path, tuple[Path, ...]]]:
    """Every bank of tests/data (the project's own, and copies of the public ones), then any bank of
    ../shared/corpus not copied here (an extra, present in CI). A bank's document is the .txt beside
    it, else the one its "doc" field names, in tests/data, data/ or the corpus; a bank asked of one store
    holding several documents (units, years) names them all in its "docs" field."""
    out, seen = [], set()
    for d in (DATA, SHARED_CORPUS):
        for bank in sorted(d.glob("*.questions.jsonl")) if d.is_dir() else []:
            if bank.name in seen:
                continue
            seen.add(bank.name)
            first = next((l for l in bank.read_text(encoding="utf-8").splitlines() if l.strip()), "")
            head = json.loads(first) if first else {}
            if head.get("docs"):
                docs = tuple(next((p for p in (DATA / f"{s}.txt", ROOT / "data" / f"{s}.txt", SHARED_CORPUS / f"{s}.txt")
                                   if p.is_file()), DATA / f"{s}.txt") for s in head["docs"])
                out.append((bank, docs))
                continue
            stem = head.get("doc", "")
            for doc in (bank.with_name(bank.name.replace(".questions.jsonl", ".txt")),
                        DATA / f"{stem}.txt", ROOT / "data" / f"{stem}.txt", SHARED_CORPUS / f"{stem}.txt"):
                if doc.is_file():
                    out.append((bank, (doc,)))
                    break
    return out


def eval_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run([sys.executable, "-m", "askbudget", "eval", *args], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=300)


@pytest.mark.parametrize("bank,docs", _banks(), ids=[b.name for b, _ in _banks()])
def test_bank(bank: Path, docs: tuple[Path, ...], tmp_path: Path) -> None:
    out = tmp_path / "outcomes.jsonl"
    p = eval_cli(str(bank), "--docs", *map(str, docs), "--fail", "--json", str(out))
    outcomes = [json.loads(l) for l in out.read_text(encoding="utf-8").splitlines()]
    wrong = [f"{o['q']} -> {o['why']} | {o['text'][:60]}" for o in outcomes if o["outcome"] in ("wrong", "error")]
    assert not wrong, wrong
    assert p.returncode == 0, p.stderr
    m = SUMMARY.match(p.stdout.splitlines()[-1])
    assert m and int(m.group(3)) == len(outcomes) == len(load_bank(bank))
    missed = [o["q"] for o in outcomes if o["outcome"] == "missed"]
    # questions in citizens' words (polite, long-winded, colloquial, in conversations, a fifth unanswerable)
    # aim at 0.90, as does a real document of another region read from page text (issue 9); every other
    # bank at 0.95 — and no bank may ever get a wrong answer
    floor = 0.90 if bank.name.startswith("citizen-") or any("\f" in d.read_text(encoding="utf-8") for d in docs) else 0.95
    assert float(m.group(1)) >= floor, missed


# ------------------------------------------------------------------------------------------ the judge

AMOUNT = {"status": "answered", "value": 95.0, "unit": "万元", "tol": 0.005, "table_any": ["基本支出表"],
          "text_has": [], "list_has": []}


def got(status: str = "answered", value: Any = 95.0, unit: str | None = "万元", table: str = "单位预算基本支出表",
        text: str = "电费（30206）预算95.00万元。") -> dict[str, Any]:
    return {"status": status, "value": value, "unit": unit, "text": text,
            "citations": [{"document": "d", "unit": "u", "year": 2023, "table": table, "row": "", "column": ""}]}


JUDGED = [
    ("exact", AMOUNT, got(), "ok"),
    ("in 元", AMOUNT, got(value=950000.0, unit="元"), "ok"),
    ("in 亿元", AMOUNT, got(value=0.0095, unit="亿元"), "ok"),
    ("within tol", AMOUNT, got(value=95.004), "ok"),
    ("outside tol", AMOUNT, got(value=95.01), "wrong"),
    ("wrong unit scale", AMOUNT, got(value=95.0, unit="元"), "wrong"),
    ("unknown unit, same number", {**AMOUNT, "unit": "个"}, got(value=95.0, unit="%"), "ok"),
    ("no value", AMOUNT, got(value=None), "wrong"),
    ("a bool is no value", {**AMOUNT, "value": 1.0}, got(value=True), "wrong"),
    ("text value", AMOUNT, got(value="95"), "wrong"),
    ("other table", AMOUNT, got(table="收支总表"), "wrong"),
    ("table in NFKC", {**AMOUNT, "table_any": ["基本支出表"]}, got(table="基本 支出表"), "ok"),
    ("not found", AMOUNT, got(status="not_found"), "missed"),
    ("ambiguous", AMOUNT, got(status="ambiguous"), "missed"),
    ("refusal refused", {"status": "refuse"}, got(status="out_of_scope"), "ok"),
    ("refusal ambiguous", {"status": "refuse"}, got(status="ambiguous"), "ok"),
    ("refusal answered", {"status": "refuse"}, got(), "wrong"),
    ("abs change", {**AMOUNT, "value": -5.0, "abs": True}, got(value=5.0), "ok"),
    ("sign matters", {**AMOUNT, "value": -5.0}, got(value=5.0), "wrong"),
    ("text_has", {**AMOUNT, "text_has": ["电费"]}, got(), "ok"),
    ("text_has missing", {**AMOUNT, "text_has": ["水费"]}, got(), "wrong"),
    ("list_has full-width", {**AMOUNT, "list_has": ["ＡＢＣ"]}, got(text="ABC 95"), "ok"),
    ("no value expected", {"status": "answered", "text_has": ["电费"]}, got(value=None, table="x"), "ok"),
]


@pytest.mark.parametrize("expect,answer,outcome", [c[1:] for c in JUDGED], ids=[c[0] for c in JUDGED])
def test_judge(expect: dict[str, Any], answer: dict[str, Any], outcome: str) -> None:
    assert judge(expect, answer)[0] == outcome


def _qa_eval() -> Any:
    if not QA_EVAL.is_file():
        pytest.skip(f"{QA_EVAL} is absent (the public scorer lives beside the clone in CI)")
    spec = importlib.util.spec_from_file_location("qa_eval", QA_EVAL)
    mod = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return mod


def test_judge_is_the_public_scorers() -> None:
    theirs = _qa_eval().judge
    for name, expect, answer, _ in JUDGED:
        assert judge(expect, answer) == theirs(expect, answer), name


@pytest.mark.parametrize("name", ["gaoxin-gongan-2023", "tangshan-gaoxin-czj-2023"])
def test_eval_scores_the_public_banks_as_the_public_scorer(name: str) -> None:
    _qa_eval()
    bank, doc = SHARED_CORPUS / f"{name}.questions.jsonl", SHARED_CORPUS / f"{name}.txt"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    theirs = subprocess.run([sys.executable, str(QA_EVAL), str(bank), "--docs", str(doc)], capture_output=True,
                            text=True, env=env, cwd=ROOT, timeout=300).stdout.splitlines()
    ours = eval_cli(str(bank), "--docs", str(doc)).stdout.splitlines()
    drop_times = lambda lines: [re.sub(r" median .*$", "", l) for l in lines]  # noqa: E731
    assert drop_times(ours) == drop_times(theirs)


# ------------------------------------------------------------------------------------------ the command

def _write_bank(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def test_a_wrong_answer_exits_1_and_is_named(tmp_path: Path, gongan_doc: Path) -> None:
    bank = _write_bank(tmp_path / "b.jsonl", [
        {"id": "ok-1", "cat": "amount", "q": "电费多少", "expect": AMOUNT},
        {"id": "bad-1", "cat": "amount", "q": "水费多少", "expect": {**AMOUNT, "value": 25.0}},
        {"id": "miss-1", "cat": "refuse", "q": "月球基地建设费多少", "expect": {"status": "answered", "value": 1.0}},
    ])
    p = eval_cli(str(bank), "--docs", str(gongan_doc), "--fail")
    assert p.returncode == 1
    lines = p.stdout.splitlines()
    assert lines[0].startswith("wrong  bad-1") and "value 24.0 '万元' != 25.0 '万元'" in lines[0]
    assert lines[1].startswith("missed miss-1")
    assert "  amount          1/2   " in lines and "  refuse          0/1   " in lines
    assert SUMMARY.match(lines[-1]) and lines[-1].startswith("accuracy 0.333 (1/3) wrong 1 missed 1 error 0")


def test_missed_alone_exits_0(tmp_path: Path, gongan_doc: Path) -> None:
    bank = _write_bank(tmp_path / "b.jsonl", [{"q": "月球基地建设费多少", "expect": {"status": "answered"}}])
    p = eval_cli(str(bank), "--docs", str(gongan_doc))
    assert p.returncode == 0 and "missed 1" in p.stdout


def test_conversations_by_conv(tmp_path: Path, gongan_doc: Path) -> None:
    """Turns sharing a conv id are one conversation; a new id (or none) starts afresh."""
    both = {**AMOUNT, "value": 119.0}  # 电费 95 + 水费 24
    bank = _write_bank(tmp_path / "b.jsonl", [
        {"id": "c1", "q": "电费多少", "conv": "a", "expect": AMOUNT},
        {"id": "c2", "q": "水费呢", "conv": "a", "expect": {**AMOUNT, "value": 24.0}},
        {"id": "c3", "q": "两者合计呢", "conv": "a", "expect": both},
        {"id": "c4", "q": "电费多少", "conv": "b", "expect": AMOUNT},
        {"id": "c5", "q": "水费多少", "conv": "c", "expect": {**AMOUNT, "value": 24.0}},
        {"id": "c5b", "q": "两者合计呢", "conv": "c", "expect": {"status": "refuse"}},  # 电费 was another conv
        {"id": "c6", "q": "电费多少", "conv": None, "expect": AMOUNT},
        {"id": "c7", "q": "两者合计呢", "conv": None, "expect": {"status": "refuse"}},
    ])
    report = evaluate(bank, [gongan_doc])
    assert [o.outcome for o in report.outcomes] == ["ok"] * 8, [(o.question.id, o.why) for o in report.outcomes]


def test_db_and_only(tmp_path: Path, gongan_store: Path) -> None:
    bank = _write_bank(tmp_path / "b.jsonl", [
        {"cat": "amount", "q": "电费多少", "expect": AMOUNT},
        {"cat": "refuse", "q": "局长工资多少", "expect": {"status": "refuse"}},
    ])
    p = eval_cli(str(bank), "--db", str(gongan_store), "--only", "refuse")
    assert p.returncode == 0 and p.stdout.splitlines()[-1].startswith("accuracy 1.000 (1/1)")


@pytest.mark.parametrize("line,why", [
    ("{not json", ":2: not JSON"),
    ('["电费多少"]', ":2: each line must be a JSON object"),
    ('{"expect": {"status": "answered"}}', ':2: no question: "q"'),
    ('{"q": "电费多少"}', ':2: "expect" must be an object'),
    ('{"q": "电费多少", "expect": {"status": "maybe"}}', ':2: "expect" must be an object'),
    ('{"q": "电费多少", "expect": {"status": "answered", "value": "95"}}', ":2: \"expect.value\" must be a number"),
    ('{"q": "电费多少", "expect": {"status": "answered", "table_any": "基本支出表"}}', ":2: \"expect.table_any\""),
])
def test_a_bad_bank_line_exits_2_naming_it(tmp_path: Path, gongan_doc: Path, line: str, why: str) -> None:
    bank = tmp_path / "b.jsonl"
    bank.write_text(json.dumps({"q": "电费多少", "expect": AMOUNT}, ensure_ascii=False) + "\n" + line + "\n",
                    encoding="utf-8")
    with pytest.raises(BankError):
        load_bank(bank)
    p = eval_cli(str(bank), "--docs", str(gongan_doc))
    assert p.returncode == 2 and p.stdout == ""
    assert p.stderr.strip().splitlines() == [p.stderr.strip()] and why in p.stderr and str(bank) in p.stderr


@pytest.mark.parametrize("case", ["missing bank", "empty bank", "bad document", "no such store", "only nothing",
                                  "json unwritable"])
def test_cannot_run_exits_2(tmp_path: Path, gongan_doc: Path, case: str) -> None:
    bank = _write_bank(tmp_path / "b.jsonl", [{"cat": "amount", "q": "电费多少", "expect": AMOUNT}])
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n", encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_text("not a disclosure\n", encoding="utf-8")
    args = {"missing bank": [str(tmp_path / "none.jsonl"), "--docs", str(gongan_doc)],
            "empty bank": [str(empty), "--docs", str(gongan_doc)],
            "bad document": [str(bank), "--docs", str(bad)],
            "no such store": [str(bank), "--db", str(tmp_path / "none.db")],
            "only nothing": [str(bank), "--docs", str(gongan_doc), "--only", "nothing"],
            "json unwritable": [str(bank), "--docs", str(gongan_doc), "--json", str(bad / "out.jsonl")]}[case]
    p = eval_cli(*args)
    assert p.returncode == 2 and p.stderr.startswith("error: ") and len(p.stderr.strip().splitlines()) == 1
    assert "Traceback" not in p.stderr


@pytest.mark.parametrize("args", [[], ["b.jsonl"], ["b.jsonl", "--docs", "x.txt", "--db", "s.db"]])
def test_usage_errors_exit_2(args: list[str]) -> None:
    p = eval_cli(*args)
    assert p.returncode == 2 and "usage:" in p.stderr


def test_an_exception_is_an_error_outcome(tmp_path: Path, gongan_store: Path) -> None:
    class Broken(Assistant):
        def ask(self, text: object) -> Any:
            if text == "水费多少":
                raise RuntimeError("boom")
            return super().ask(text)

    from askbudget.evaluate import run_bank

    bank = _write_bank(tmp_path / "b.jsonl", [{"q": "电费多少", "expect": AMOUNT},
                                               {"q": "水费多少", "expect": AMOUNT}])
    report: EvalReport = run_bank(load_bank(bank), Broken(gongan_store))
    assert [o.outcome for o in report.outcomes] == ["ok", "error"] and "RuntimeError: boom" in report.outcomes[1].why
    assert not report.passed and report.summary().startswith("accuracy 0.500 (1/2) wrong 0 missed 0 error 1")


def test_warming_builds_the_first_use_caches(gongan_store: Path) -> None:
    """The first indicator/unit question must not pay for a regex compile (~5 ms, the bank's p99): the
    first Assistant of a process builds them when it starts, for every Assistant of the store (issue 11:
    one warm-up per process)."""
    a = Assistant(gongan_store)
    assert getattr(a.vocab, "_warmed", False)
    assert getattr(a.vocab, "_filler_rx", None) is not None
    assert getattr(a.vocab, "_unit_re", None) is not None
    assert getattr(a.vocab, "_speller", None) is not None

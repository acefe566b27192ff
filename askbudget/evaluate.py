"""Score the assistant against a question bank: ``askbudget eval BANK.jsonl --docs FILE…``.

A help desk keeps its own questions with the answers it expects (a bank, format in docs/eval.md) and
runs them after every new document. The documents are ingested into a fresh temporary store (or
``--db`` names a store), one Assistant asks every question in order — a new ``conv`` id starts a new
conversation — and each answer is judged:

    ok       the expectation holds
    wrong    a definite answer that is not the expected one (wrong figure, no expected source, missing
             words, or an answer where the bank expects a refusal): the outcome that must never happen
    missed   no definite answer where one is expected (not_found / ambiguous / out_of_scope)
    error    asking raised an exception (a bug)

The judging and the printed summary are those of the public scorer (``../shared/tools/qa_eval.py``),
so both give the same numbers on the same bank. Exit status: 0 no answer wrong and no error, 1 at least
one wrong answer or error, 2 usage error or the bank/documents/store could not be read.

    load_bank(path) -> list[BankQuestion]       BankError naming file:line for a bad line
    judge(expect, got) -> (outcome, why)         one answer (Answer.to_dict()) against one expectation
    run_bank(questions, assistant) -> EvalReport
    evaluate(bank, docs=..., db=...) -> EvalReport
"""
from __future__ import annotations

import json
import math
import os
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

from .errors import AskBudgetError, BankError

__all__ = ["BankQuestion", "EvalReport", "Outcome", "OUTCOMES", "evaluate", "judge", "load_bank", "run_bank"]

OUTCOMES = ("ok", "wrong", "missed", "error")
UNIT_SCALE = {"元": 1.0, "万元": 1e4, "亿元": 1e8}
_EXPECT_STATUSES = ("answered", "refuse")


@dataclass(frozen=True)
class BankQuestion:
    """One line of a bank: the question as a user types it and what its answer must be."""

    id: str
    q: str
    expect: dict[str, Any]
    conv: Any = None
    cat: str = "?"
    line: int = 0


@dataclass(frozen=True)
class Outcome:
    question: BankQuestion
    outcome: str
    why: str
    answer: dict[str, Any]
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        """The per-question record ``--json`` writes (the fields qa_eval.py writes)."""
        a = self.answer
        return {"id": self.question.id, "q": self.question.q, "outcome": self.outcome, "why": self.why,
                "status": a.get("status"), "value": a.get("value"), "unit": a.get("unit"),
                "text": (a.get("text") or "")[:200]}


@dataclass(frozen=True)
class EvalReport:
    outcomes: tuple[Outcome, ...] = field(default_factory=tuple)

    def count(self, outcome: str) -> int:
        return sum(1 for o in self.outcomes if o.outcome == outcome)

    @property
    def accuracy(self) -> float:
        return self.count("ok") / len(self.outcomes) if self.outcomes else 0.0

    @property
    def passed(self) -> bool:
        """No answer wrong and no question raised: what the exit status 0 means."""
        return self.count("wrong") == 0 and self.count("error") == 0

    def by_category(self) -> dict[str, tuple[int, int]]:
        """category -> (ok, asked), sorted by category."""
        out: dict[str, list[int]] = {}
        for o in self.outcomes:
            c = out.setdefault(o.question.cat, [0, 0])
            c[0] += o.outcome == "ok"
            c[1] += 1
        return {k: (v[0], v[1]) for k, v in sorted(out.items())}

    def summary(self) -> str:
        """The last line: accuracy, wrong, missed, error and the median/p99 time per question."""
        n = len(self.outcomes)
        times = sorted(o.seconds for o in self.outcomes)
        med = times[len(times) // 2] * 1e3 if times else 0.0
        p99 = times[min(len(times) - 1, int(len(times) * 0.99))] * 1e3 if times else 0.0
        return (f"accuracy {self.accuracy:.3f} ({self.count('ok')}/{n}) wrong {self.count('wrong')} "
                f"missed {self.count('missed')} error {self.count('error')} median {med:.2f} ms p99 {p99:.2f} ms")

    def lines(self, failures: bool = False) -> list[str]:
        """What ``askbudget eval`` prints: (with ``failures``) each question not ok, the categories, the summary."""
        out = []
        if failures:
            out += [f"{o.outcome:6} {o.question.id:<14} {o.question.q}  -> {o.why} | "
                    f"{(o.answer.get('text') or '')[:120]!r}" for o in self.outcomes if o.outcome != "ok"]
        out += [f"  {cat:<12} {ok:>4}/{n:<4}" for cat, (ok, n) in self.by_category().items()]
        out.append(self.summary())
        return out


# ------------------------------------------------------------------------------------------ the bank

def load_bank(path: str | os.PathLike[str]) -> list[BankQuestion]:
    """Read a bank (JSON Lines, one question per line; blank lines skipped). A line that is not a
    JSON object with a string ``q`` and an ``expect`` object whose ``status`` is answered/refuse is a
    BankError naming the file and line: a bank that cannot be read is never half scored."""
    file = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise BankError(file, None, f"cannot read the bank: {getattr(e, 'strerror', None) or e}") from None
    out: list[BankQuestion] = []
    for n, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            continue
        try:
            d = json.loads(raw)
        except ValueError as e:
            raise BankError(file, n, f"not JSON ({e.msg})") from None
        if not isinstance(d, dict):
            raise BankError(file, n, "each line must be a JSON object")
        q, expect = d.get("q"), d.get("expect")
        if not isinstance(q, str) or not q.strip():
            raise BankError(file, n, 'no question: "q" must be a non-empty string')
        if not isinstance(expect, dict) or expect.get("status") not in _EXPECT_STATUSES:
            raise BankError(file, n, '"expect" must be an object whose "status" is "answered" or "refuse"')
        if expect.get("value") is not None and (not isinstance(expect["value"], (int, float))
                                                or isinstance(expect["value"], bool)):
            raise BankError(file, n, '"expect.value" must be a number')
        for key in ("table_any", "text_has", "list_has"):
            v = expect.get(key)
            if v is not None and not (isinstance(v, list) and all(isinstance(s, str) for s in v)):
                raise BankError(file, n, f'"expect.{key}" must be a list of strings')
        out.append(BankQuestion(id=str(d.get("id", f"line-{n}")), q=q, expect=expect, conv=d.get("conv"),
                                cat=str(d.get("cat", "?")), line=n))
    if not out:
        raise BankError(file, None, "the bank holds no questions")
    return out


# ------------------------------------------------------------------------------------------ judging

def _norm(s: str) -> str:
    return unicodedata.normalize("NFKC", s or "").replace(" ", "")


def _value_matches(exp: dict[str, Any], got: dict[str, Any]) -> bool:
    want = exp.get("value")
    if want is None:
        return True
    have = got.get("value")
    if not isinstance(have, (int, float)) or isinstance(have, bool):
        return False
    tol = exp.get("tol", 0.005)
    wu, hu = exp.get("unit"), got.get("unit")
    if wu in UNIT_SCALE and hu in UNIT_SCALE:
        have = have * UNIT_SCALE[hu] / UNIT_SCALE[wu]
    if exp.get("abs"):  # a change whose direction the answer states in words (增加/减少)
        have, want = abs(have), abs(want)
    return math.isclose(have, want, abs_tol=tol + 1e-9)


def _cites(exp: dict[str, Any], got: dict[str, Any]) -> bool:
    wanted = exp.get("table_any") or []
    if not wanted:
        return True
    titles = []
    for c in got.get("citations") or []:
        if isinstance(c, dict):
            titles.append(_norm(" ".join(str(c.get(k, "")) for k in ("table", "section", "title"))))
        else:
            titles.append(_norm(str(c)))
    return any(_norm(w) in t for w in wanted for t in titles)


def _texts(exp: dict[str, Any], got: dict[str, Any]) -> bool:
    text = _norm(got.get("text", ""))
    return all(_norm(s) in text for s in (exp.get("text_has") or []) + (exp.get("list_has") or []))


def judge(expect: dict[str, Any], got: dict[str, Any]) -> tuple[str, str]:
    """(outcome, why) for one answer ``got`` (``Answer.to_dict()``) against one expectation."""
    status = got.get("status")
    if expect.get("status") == "refuse":
        if status == "answered":
            return "wrong", "answered where a refusal was expected"
        return "ok", ""
    if status != "answered":
        return "missed", f"status {status!r}"
    problems = []
    if not _value_matches(expect, got):
        problems.append(f"value {got.get('value')!r} {got.get('unit')!r} != "
                        f"{expect.get('value')!r} {expect.get('unit')!r}")
    if not _cites(expect, got):
        problems.append(f"no citation naming any of {expect.get('table_any')}")
    if not _texts(expect, got):
        problems.append(f"text lacks {(expect.get('text_has') or []) + (expect.get('list_has') or [])}")
    return ("wrong", "; ".join(problems)) if problems else ("ok", "")


# ------------------------------------------------------------------------------------------ running

def run_bank(questions: Sequence[BankQuestion], assistant: Any) -> EvalReport:
    """Ask every question in order on ``assistant`` (a new ``conv`` starts a new conversation)."""
    out = []
    conv: Any = object()
    for q in questions:
        if q.conv != conv or q.conv is None:
            assistant.reset()
        conv = q.conv
        t = time.perf_counter()
        try:
            got = assistant.ask(q.q).to_dict()
            outcome, why = judge(q.expect, got)
        except Exception as e:  # noqa: BLE001 - an exception is an outcome to report, not a crash
            got, outcome, why = {}, "error", f"{type(e).__name__}: {e}"
        out.append(Outcome(q, outcome, why, got, time.perf_counter() - t))
    return EvalReport(tuple(out))


def evaluate(bank: str | os.PathLike[str], docs: Iterable[str | os.PathLike[str]] = (),
             db: str | os.PathLike[str] | None = None, only: str | None = None) -> EvalReport:
    """Score ``bank`` on a fresh store of ``docs`` (or on the store ``db``); ``only`` keeps one category."""
    from .assistant import Assistant

    questions = load_bank(bank)
    if only:
        questions = [q for q in questions if q.cat == only]
        if not questions:
            raise BankError(str(bank), None, f"no question of category {only!r}")
    if db is not None:
        with Assistant(db) as a:
            return run_bank(questions, a)
    from .ingest import build_store

    with tempfile.TemporaryDirectory(prefix="askbudget-eval-") as tmp:
        path = Path(tmp) / "eval.db"
        build_store([str(d) for d in docs], str(path), quiet=True)
        with Assistant(path) as a:
            return run_bank(questions, a)


def cli_eval(bank: str, docs: Sequence[str], db: str | None, failures: bool = False, only: str | None = None,
             json_out: str | None = None) -> int:
    """``askbudget eval``: print the report; exit 0 (nothing wrong), 1 (a wrong answer or an error),
    2 (the bank, the documents or the store could not be read)."""
    try:
        report = evaluate(bank, docs, db=db, only=only)
    except AskBudgetError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    if json_out:
        try:
            Path(json_out).write_text("".join(json.dumps(o.to_dict(), ensure_ascii=False) + "\n"
                                              for o in report.outcomes), encoding="utf-8")
        except OSError as e:
            print(f"error: cannot write {json_out}: {e.strerror or e}", file=sys.stderr)
            return 2
    for line in report.lines(failures):
        print(line)
    return 0 if report.passed else 1

"""The banks' questions as conversations, and a runner that asks them and prints what a worker sends back.

``bank_turns()`` gives, per store (the documents of the banks of tests/data), the banks' questions in
order with their conversations; ``chains()`` random follow-up chains over them: a bank question, then
follow-ups (the ones the banks ask inside their conversations, and a few generic ones) and other
questions of the same store. Used by test_determinism.py.

    python tests/determinism_util.py SPEC.json [--plant-set-order]

asks each store's turns (``[{"db": store, "turns": [[conv, question], ...]}, ...]``; a turn whose
``conv`` differs from the one before, or is None, starts a new conversation) and prints one JSON line a
turn: the Answer's ``to_dict()`` and the conversation state after it (what the web service signs into
its token). ``--plant-set-order`` passes the suggestions through a set (the test's proof that it can fail).
"""
from __future__ import annotations

import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# follow-ups every store can be asked, beside the ones the banks ask inside their conversations; those
# combining the last two answers are asked most (they reach furthest back into the conversation)
COMBINING = ("两者合计呢", "相差多少", "是几倍", "占比多少", "哪个多", "占支出总计的比例呢")
GENERIC_FOLLOW_UPS = (*COMBINING, "其中最大的一项", "为什么", "去年呢", "这个数是哪年的", "执行率呢", "比去年多多少",
                      "各是多少", "财政局的")


def bank_turns() -> dict[tuple[Path, ...], list[tuple[str | None, str]]]:
    """(conversation, question) of every bank of tests/data, by the documents the bank is asked of."""
    from askbudget.evaluate import load_bank
    from test_banks import DATA, _banks

    out: dict[tuple[Path, ...], list[tuple[str | None, str]]] = {}
    for bank, docs in _banks():
        if bank.parent != DATA:
            continue
        turns = out.setdefault(tuple(docs), [])
        for q in load_bank(bank):
            turns.append((f"{bank.name}:{q.conv}" if q.conv is not None else None, q.q))
    return out


def follow_ups(all_turns: dict[tuple[Path, ...], list[tuple[str | None, str]]]) -> list[str]:
    """The questions the banks ask after the first of a conversation, and the generic ones."""
    out: list[str] = list(GENERIC_FOLLOW_UPS)
    for turns in all_turns.values():
        before: str | None = None
        for conv, q in turns:
            if conv is not None and conv == before:
                out.append(q)
            before = conv
    return list(dict.fromkeys(out))


def chains(turns: list[tuple[str | None, str]], follow: list[str], seed: int, share: float = 1.0) -> list[list[str]]:
    """A conversation around each question of the store (a random ``share`` of them): another of its
    questions, then that one, then a follow-up — half the time one combining the two answers (两者合计呢,
    相差多少 …), else any follow-up."""
    rnd = random.Random(seed)
    questions = sorted({q for _, q in turns})
    middle = rnd.sample(questions, max(1, round(len(questions) * share)))
    return [[rnd.choice(questions), q, rnd.choice(COMBINING if rnd.random() < 0.5 else follow)] for q in middle]


def main(spec_path: str, plant: bool = False) -> None:
    from askbudget import Assistant

    if plant:  # the test's own check that it can fail: suggestions passed through a set of strings
        from askbudget.plan import Resolver

        suggest = Resolver.suggest
        Resolver.suggest = lambda self, it: list(set(suggest(self, it)))  # type: ignore[method-assign]

    out = sys.stdout
    for store in json.loads(Path(spec_path).read_text(encoding="utf-8")):
        with Assistant(store["db"]) as a:
            conv: object = object()
            for tag, question in store["turns"]:
                if tag is None or tag != conv:
                    a.reset()
                conv = tag
                turn = {"db": Path(store["db"]).name, "q": question, "answer": a.ask(question).to_dict(),
                        "state": a.context}
                out.write(json.dumps(turn, ensure_ascii=False, sort_keys=True) + "\n")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main(sys.argv[1], plant="--plant-set-order" in sys.argv[2:])

"""Metamorphic tests, generated over every answered question of the banks in tests/data (CheckList's
INV and DIR, STYLE.md rule 15).

INV — a rewrite that keeps the meaning keeps the figure: 请问 / 帮我查一下 / 你好， in front, 是多少 / 有多少 at
the end, ？ or ?, spaces, full-width digits, traditional characters.
DIR — a rewrite that changes the meaning never returns the same figure as ``answered``: a part word
before the subject (电梯的), a negation (不是), a foreign measure (美元), a year the store lacks, a unit the
store lacks, an unknown word beside the subject.

Each bank's questions are asked once plainly (the base figure), then once per rewrite: thousands of
cases in a few seconds. A failure lists the rewritten questions and what came back.
"""
from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from askbudget import build_store
from askbudget.assistant import Assistant
from askbudget.parse import parse, side_named
from askbudget.plan import asks_non_money
from askbudget.vocab import key, norm

DATA = Path(__file__).resolve().parent / "data"
ROOT = DATA.parent.parent
_ENDING = re.compile(r"(是多少钱|有多少钱|多少钱|是多少|有多少|多少)[?？。]*$")
_FULL = str.maketrans("0123456789", "０１２３４５６７８９")


def _doc(bank: Path) -> tuple[Path, ...] | None:
    """The documents of the bank's store: the .txt beside it or the one its "doc" names, or all its "docs"."""
    first = next((l for l in bank.read_text(encoding="utf-8").splitlines() if l.strip()), "")
    head = json.loads(first) if first else {}
    if head.get("docs"):
        docs = tuple(DATA / f"{s}.txt" for s in head["docs"])
        return docs if all(p.is_file() for p in docs) else None
    stem = head.get("doc", "")
    for p in (bank.with_name(bank.name.replace(".questions.jsonl", ".txt")), DATA / f"{stem}.txt", ROOT / "data" / f"{stem}.txt"):
        if p.is_file():
            return (p,)
    return None


BANKS = [b for b in sorted(DATA.glob("*.questions.jsonl")) if _doc(b) is not None]
_CACHE: dict[Path, tuple[Assistant, list[tuple[str, float, str]]]] = {}


def _base(bank: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Assistant, list[tuple[str, float, str]]]:
    """The bank's store and its stand-alone questions the assistant answers with a figure (question, value, unit)."""
    if bank not in _CACHE:
        doc = _doc(bank)
        assert doc is not None
        db = tmp_path_factory.mktemp("meta") / f"{doc[0].stem}-{len(doc)}.db"
        if not db.exists():
            build_store(list(doc), db)
        a = Assistant(db)
        base = []
        for line in bank.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            q = json.loads(line)
            if q.get("conv") is not None or q["expect"].get("status") != "answered":
                continue
            a.reset()
            got = a.ask(q["q"])
            if got.answered and isinstance(got.value, (int, float)) and got.value != 0:
                base.append((q["q"], float(got.value), got.unit or ""))
        _CACHE[bank] = (a, base)
    return _CACHE[bank]


def _subject_at(a: Assistant, q: str) -> int | None:
    """Where the first subject the parser reads starts in the question as typed (normalised)."""
    it = parse(q, a.vocab)
    text = norm(q)
    for m in it.subjects:
        if m.how == "code":
            continue
        i = text.find(m.text)
        if i >= 0:
            return i
    return None


def _insert(a: Assistant, q: str, word: str) -> str | None:
    i = _subject_at(a, q)
    if i is None:
        return None
    text = norm(q)
    return text[:i] + word + text[i:]


def _year_written(a: Assistant, q: str, suffix: str, front: bool) -> str | None:
    """The question with the store's latest year written in it (none when it names a year or a unit of its own:
    another unit's latest year may be another)."""
    if re.search(r"年|\d{4}", q) or len({d.unit_name for d in a.vocab.docs}) > 1 or a.vocab.latest_year is None:
        return None
    year = f"{a.vocab.latest_year}{suffix}"
    if front:
        return year + q
    i = _subject_at(a, q)
    text = norm(q)
    if i is None or i and text[i - 1] not in "的，, " and not any(
            kind == "unit" for kind, _ in a.vocab.words.get(key(text[:i]), ())):
        return None  # (inside a phrase: 面向中小企业预留 is no place for a year)
    return text[:i] + year + text[i:]


def _money_note(a: Assistant, q: str, note: str) -> str | None:
    """The question with a money unit noted after it (none when it is answered with a count, a share or a rate)."""
    if asks_non_money(q) or _ask_fresh(a, q).unit not in ("元", "万元", "亿元"):
        return None
    return q.rstrip("?？。") + note


def _ending(q: str, new: str) -> str | None:
    m = _ENDING.search(q)
    if m is None or m.group(1) == new or "钱" in m.group(1):
        return None
    if q[: m.start()][-1:] in set("多少了增减降涨高低大小长短差"):
        return None  # "比水费多多少", "下降了多少": the 多少 belongs to a change, not to a plain figure
    return q[: m.start()] + new


@functools.lru_cache(maxsize=1)
def _s2t() -> Callable[[str], str] | None:
    try:
        import opencc
    except ImportError:
        return None
    return opencc.OpenCC("s2t").convert


def _traditional(q: str) -> str | None:
    conv = _s2t()
    t = conv(q) if conv else q
    return t if t != q else None


INV: dict[str, Callable[[Assistant, str], str | None]] = {
    "请问": lambda a, q: "请问" + q,
    "帮我查一下": lambda a, q: "帮我查一下" + q,
    "你好，": lambda a, q: "你好，" + q,
    "是多少": lambda a, q: _ending(q, "是多少"),
    "有多少": lambda a, q: _ending(q, "有多少"),
    "？": lambda a, q: q.rstrip("?？") + "？",
    "?": lambda a, q: q.rstrip("?？") + "?",
    "空格": lambda a, q: " ".join(q[i:i + 2] for i in range(0, len(q), 2)),
    "全角数字": lambda a, q: q.translate(_FULL) if re.search(r"\d", q) else None,
    "繁体": lambda a, q: _traditional(q),
    # the store's own year written first, or right before the subject: read as the year, then the words after it
    # (2024年收支总计 is never 年收|支总计)
    "年份在前": lambda a, q: _year_written(a, q, "年", front=True),
    "年度在主题前": lambda a, q: _year_written(a, q, "年度", front=False),
    # a note in brackets after the question, read as the same words would be outside them
    "括注单位": lambda a, q: _money_note(a, q, "（单位：万元）"),
    "括注单位元": lambda a, q: _money_note(a, q, "？（单位：元）"),
}

DIR: dict[str, Callable[[Assistant, str], str | None]] = {
    "部分词": lambda a, q: _insert(a, q, "电梯的"),
    "否定": lambda a, q: _insert(a, q, "不是"),
    "外币": lambda a, q: q.rstrip("?？。") + "，换算成美元是多少",
    "另一年": lambda a, q: "2015年" + q if not re.search(r"(19|20)\d\d", q) else None,
    "另一单位": lambda a, q: "北京市海淀区民政局的" + q,
    "生词": lambda a, q: _insert(a, q, "星际"),
    "括注生词": lambda a, q: q.rstrip("?？。") + "（星际）",
    "括注部分词": lambda a, q: q.rstrip("?？。") + "？（电梯用的）",
}


def _same(value: float | None, base: float, unit: str | None, base_unit: str) -> bool:
    scale = {"元": 1.0, "万元": 1e4, "亿元": 1e8}
    if not isinstance(value, (int, float)):
        return False
    if unit in scale and base_unit in scale:
        value = value * scale[unit] / scale[base_unit]
    return math.isclose(value, base, rel_tol=1e-9, abs_tol=1e-6)


def _rewrites(bank: Path, rewrite: Callable[[Assistant, str], str | None], keeps: bool,
              tmp_path_factory: pytest.TempPathFactory) -> None:
    """Ask every rewrite of the bank's answered questions; ``keeps``: the figure must come back (INV),
    else it must never come back as answered (DIR)."""
    a, base = _base(bank, tmp_path_factory)
    bad, n = [], 0
    for q, value, unit in base:
        r = rewrite(a, q)
        if r is None or r == q:
            continue
        n += 1
        a.reset()
        got = a.ask(r)
        same = got.answered and _same(got.value, value, got.unit, unit)
        if same != keeps:
            bad.append(f"{r} -> {got.status} {got.value} {got.unit} (was {value} {unit}) {got.text[:50]}")
    assert not bad, f"{len(bad)}/{n}:\n" + "\n".join(bad)


@pytest.mark.parametrize("bank", BANKS, ids=[b.name.replace(".questions.jsonl", "") for b in BANKS])
@pytest.mark.parametrize("name", list(INV))
def test_meaning_kept_keeps_the_figure(bank: Path, name: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    _rewrites(bank, INV[name], True, tmp_path_factory)


@pytest.mark.parametrize("bank", BANKS, ids=[b.name.replace(".questions.jsonl", "") for b in BANKS])
@pytest.mark.parametrize("name", list(DIR))
def test_meaning_changed_never_gets_the_same_figure(bank: Path, name: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    _rewrites(bank, DIR[name], False, tmp_path_factory)


# ---- the classes of wrong answers of issue 8 round 5, searched over every bank (each a rewrite of every answered
# question): a side word after the subject, a period asked of a 单价 or a 数量, a text turn before a 其中 follow-up

def _after_subject(a: Assistant, q: str, word: str, sided: bool = True) -> str | None:
    """The question with ``word`` written right after its first subject (None when no subject is read, or,
    with ``sided`` False, when that subject's own name ends in a side: 项目支出收入 is no question)."""
    it = parse(q, a.vocab)
    text = norm(q)
    for m in it.subjects:
        i = text.find(m.text) if m.how != "code" else -1
        if i >= 0:
            if not sided and side_named(m.text):
                return None
            return text[:i + len(m.text)] + word + text[i + len(m.text):]
    return None


def _ask_fresh(a: Assistant, q: str):  # type: ignore[no-untyped-def]
    a.reset()
    return a.ask(q)


@pytest.mark.parametrize("bank", BANKS, ids=[b.name.replace(".questions.jsonl", "") for b in BANKS])
def test_a_side_word_is_never_dropped(bank: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    """"X收入" and "X支出" are two different things: at most one of them is X's figure (the other is another
    figure or refused) — "一般公共预算拨款支出" is never the 收入 row 一般公共预算拨款. A side word already written
    after the subject, swapped (收入↔支出), never gets the same figure."""
    a, base = _base(bank, tmp_path_factory)
    bad, n = [], 0
    for q, value, unit in base:
        it = parse(q, a.vocab)
        if it.sides:
            t, side = it.sides[0]
            other = {"收入": "支出", "支出": "收入"}[side]
            r = norm(q).replace(t + side, t + other, 1).replace(t + "的" + side, t + "的" + other, 1)
            got = _ask_fresh(a, r)
            n += 1
            if got.answered and _same(got.value, value, got.unit, unit):
                bad.append(f"{r} -> {got.value} {got.unit} (the figure of {q})")
            continue
        pair = [_after_subject(a, q, w, sided=False) for w in ("收入", "支出")]
        if None in pair or unit not in ("万元", "元", "亿元", "%"):  # money, or a share of money
            continue
        n += 1
        got = [_ask_fresh(a, r) for r in pair]
        # both the base figure from the same cell: the side word was dropped (a balanced 政府性基金 budget may
        # print the same figure as its 收入 row and its 支出 table — two cells, two sides)
        if all(g.answered and _same(g.value, value, g.unit, unit) for g in got) \
                and got[0].citations[:1] == got[1].citations[:1] and got[0].text == got[1].text:
            bad.append(f"{' / '.join(pair)} -> both {value} {unit} from {got[0].citations[:1]}")
    assert not bad, f"{len(bad)}/{n}:\n" + "\n".join(bad)


@pytest.mark.parametrize("bank", BANKS, ids=[b.name.replace(".questions.jsonl", "") for b in BANKS])
def test_a_period_never_divides_a_price_or_a_count(bank: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    """每个月/每天 written into a question answered with a 单价 or a 数量: the answer is that same 单价 (the period is
    its own 计量单位) or a refusal — never the 单价 or the count divided by 12 or 365."""
    a, base = _base(bank, tmp_path_factory)
    bad, n = [], 0
    for q, value, unit in base:
        cols = {c.column for c in _ask_fresh(a, q).citations}
        if not cols & {"单价", "数量"}:
            continue
        for per in ("每个月", "每天"):
            r = _after_subject(a, q, per)
            if r is None:
                continue
            n += 1
            got = _ask_fresh(a, r)
            if got.answered and got.value is not None and ("数量" in cols or not _same(got.value, value, got.unit, unit)):
                bad.append(f"{r} -> {got.value} {got.unit} (was {value} {unit}) {got.text[:60]}")
    assert not bad, f"{len(bad)}/{n}:\n" + "\n".join(bad)


_PARTS = ("其中项目支出多少", "其中基本支出多少")


def _conversation(a: Assistant, turns: list[str]):  # type: ignore[no-untyped-def]
    a.reset()
    got = None
    for t in turns:
        got = a.ask(t)
    return got


def _bank_conversations(bank: Path) -> list[list[str]]:
    """The bank's conversations cut right before each of their 其中 turns (that turn last)."""
    convs: dict[str, list[str]] = {}
    out = []
    for line in bank.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        q = json.loads(line)
        if q.get("conv") is None:
            continue
        turns = convs.setdefault(q["conv"], [])
        turns.append(q["q"])
        if "其中" in q["q"] and len(turns) > 1:
            out.append(list(turns))
    return out


@pytest.mark.parametrize("bank", BANKS, ids=[b.name.replace(".questions.jsonl", "") for b in BANKS])
def test_a_text_turn_keeps_the_subject(bank: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    """"X多少" → "主要用来做什么" → "其中项目支出多少": the text turn in between changes nothing — the part is X's
    (the same figure as without it) or refused, never the document's whole 项目支出."""
    a, base = _base(bank, tmp_path_factory)
    cases = [[q, part] for q, _, _ in base for part in _PARTS] + _bank_conversations(bank)
    bad = []
    for turns in cases:
        plain = _conversation(a, turns)
        got = _conversation(a, turns[:-1] + ["主要用来做什么"] + turns[-1:])
        if got.answered and got.value is not None and not (plain.answered and _same(got.value, plain.value or 0.0,
                                                                                      got.unit, plain.unit or "")):
            bad.append(f"{' → '.join(turns[:-1])} → 主要用来做什么 → {turns[-1]} -> {got.value} {got.unit} "
                       f"(without the text turn: {plain.status} {plain.value}) {got.text[:50]}")
    assert not bad, f"{len(bad)}/{len(cases)}:\n" + "\n".join(bad)

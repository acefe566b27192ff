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
from askbudget.parse import parse
from askbudget.vocab import norm

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
}

DIR: dict[str, Callable[[Assistant, str], str | None]] = {
    "部分词": lambda a, q: _insert(a, q, "电梯的"),
    "否定": lambda a, q: _insert(a, q, "不是"),
    "外币": lambda a, q: q.rstrip("?？。") + "，换算成美元是多少",
    "另一年": lambda a, q: "2015年" + q if not re.search(r"(19|20)\d\d", q) else None,
    "另一单位": lambda a, q: "北京市海淀区民政局的" + q,
    "生词": lambda a, q: _insert(a, q, "星际"),
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

"""Operators: the closed set of words that change what a question asks (negation, exclusion, part-of,
foreign currencies, physical measures, arithmetic, ranking, classification levels, seasons).

The words are data (``lexicon/operators.tsv``: word, operator, example); each operator has one handler
here. After a question is answered, every operator word the parser read is checked by its handler
against the answer: it is either carried out by that answer or the answer is refused, with the reason
the handler gives — an operator word is never dropped. Handlers are plain functions of
(word, intent, answer, levels) -> the reason it was not carried out, or "" when it was.

    load_operators(directory=None) -> dict[key(word), operator]   validated, cached (plain words)
    circumfixes(directory=None) -> ((opener, closer, word, operator), …)  the words written with …
    unmet(intent, answer, levels) -> (word, reason) | None        the first operator not carried out
    OPERATORS                                                     operator -> (handler, cue or "")
"""
from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from .errors import LexiconError

if TYPE_CHECKING:
    from .answer import Answer
    from .parse import Intent

OPERATORS_FILE = "operators.tsv"
Levels = Callable[[str], set[int]]  # a row label -> the classification levels it has in the store (1 类, 2 款, 3 项)
Handler = Callable[[str, "Intent", "Answer", Levels], str]

_MONEY = frozenset({"元", "万元", "亿元"})
_LEVEL = {"类": 1, "款": 2, "项": 3}
_SEASONAL = {"冬天": ("取暖", "供暖", "暖气", "采暖"), "冬季": ("取暖", "供暖", "暖气", "采暖")}


def _computed(a: "Answer") -> bool:
    return bool(a.derivation or a.items or a.value is None)


def _negate(word: str, it: "Intent", a: "Answer", levels: Levels) -> str:
    """非X / 不是X的: a quoted passage (a text answer) carries a negation, and so does Y − X when the question
    names the whole it is taken out of ("不是电费的公用经费"); never a figure of one subject."""
    if a.value is None or (it.what == "exclude" and it.exclude_by == word and "−" in a.derivation):
        return ""
    return f"没有读懂“{word}”要排除的是什么：文件只列出各项本身的数，不能把“{word}…”当作其中一项回答"


def _exclude(word: str, it: "Intent", a: "Answer", levels: Levels) -> str:
    """Y除了X / 不含X: carried by Y − X with its formula; one subject alone is refused."""
    if it.what == "exclude" and a.derivation:
        return ""
    if a.value is None and a.items:
        return ""
    return f"没有读懂“{word}”要从哪一项里去掉哪一项，请把两项都说出来，例如“公用经费除去电费是多少”"


def _remainder(word: str, it: "Intent", a: "Answer", levels: Levels) -> str:
    """还剩/剩下: what an exclusion leaves (Y − X); otherwise a balance the budget does not hold."""
    if it.what == "exclude" and a.derivation:
        return ""
    return "公开文件只有全年的预算、决算数，没有年内的执行进度和余额"


def _part(word: str, it: "Intent", a: "Answer", levels: Levels) -> str:
    """其中/部分/用在: a part named as a subject of its own is carried; a part word alone narrows nothing read."""
    named = [m for m in it.subjects if m.how != "code"]
    if len(named) >= 2 or a.value is None or it.followup:
        return ""
    return f"文件只有这一项的总数，没有按“{word}”再分开的数"


def _currency(word: str, it: "Intent", a: "Answer", levels: Levels) -> str:
    """美元/欧元: the documents hold 人民币 figures only; no exchange rate is assumed."""
    if a.value is None and not a.unit:
        return ""
    return f"文件的金额都以人民币（元/万元）列示，没有按“{word}”换算的数"


def _physical(word: str, it: "Intent", a: "Answer", levels: Levels) -> str:
    """多少度/吨/千瓦时: carried only by a figure stated in that unit (an indicator); a money figure is refused."""
    if not re.search(r"(多少|几|是|为|合|折合|用了?)\s*" + re.escape(word) + r"|" + re.escape(word) + r"(电|水|气)", it.text):
        return ""  # 满意度, 年度: the word is part of another word, not a measure asked
    if a.unit and word in a.unit:
        return ""
    if a.value is None and not a.unit:
        return ""
    return f"文件只有预算金额，没有以“{word}”计的用量"


def _arith(word: str, it: "Intent", a: "Answer", levels: Levels) -> str:
    """加起来/相差/占/最多/比…多: carried by an answer that computes, lists or compares; a lone figure of
    one of two subjects named drops the operation."""
    named = [m for m in it.subjects if m.how != "code"]
    if _computed(a) or it.what not in ("figure", "text", "total"):
        return ""
    if re.search(re.escape(word) + r"了?(多少钱|多少万|几万|多少元)", it.text) and a.unit in _MONEY and len(a.citations) >= 1 \
            and it.what == "figure" and a.value is not None:
        return ""  # "A里B占多少钱": the amount of the part inside the whole
    if len(named) >= 2 or (not named and it.followup and not it.leftover):  # two named, or "合起来呢" on the last two
        return f"没有按“{word}”算出结果：只读到其中一项的数"
    return ""


def _rank(word: str, it: "Intent", a: "Answer", levels: Levels) -> str:
    """最多/最少: carried by a ranking — the items compared, or a figure a rank picked — or by a passage that
    ranks itself (the word is in it); a definition or any other passage ranks nothing ("这笔结转用在哪个科目最多"
    answered with what 上年结转 means drops the question)."""
    if a.items or a.derivation or (a.value is not None and it.what == "rank") or (a.value is None and word in a.text):
        return ""
    if a.value is None:
        return f"没有按“{word}”比较出结果：文件中没有找到可以逐项比较的数"
    return _arith(word, it, a, levels)


def _compare(word: str, it: "Intent", a: "Answer", levels: Levels) -> str:
    """比…多/少: carried by a difference, a comparison or a change; never by one subject's plain figure."""
    if not re.search(r"比.{0,20}" + re.escape(word), it.text):
        return ""
    if it.what in ("diff", "compare", "yoy", "rank", "ratio") or _computed(a) or it.followup:
        return ""
    return f"没有读懂“比…{word}”比的是哪两项"


def _level(word: str, it: "Intent", a: "Answer", levels: Levels) -> str:
    """类级/款级/项级: the 科目 answered must be of the level asked."""
    want = next((n for ch, n in _LEVEL.items() if ch in word), None)
    if want is None or a.value is None:
        return ""
    have: set[int] = set()
    for c in a.citations:
        have |= levels(c.row)
    if not have or want in have:
        return ""
    name = {1: "类", 2: "款", 3: "项"}
    return f"问的是{name[want]}级科目，文件中这一项是{'、'.join(name[n] for n in sorted(have))}级"


def _season(word: str, it: "Intent", a: "Answer", levels: Levels) -> str:
    """冬天/夏季: the budget is for the whole year; only a seasonal subject itself (取暖费 in winter) carries it."""
    hay = a.text + "".join(c.row for c in a.citations)
    if any(w in hay for w in _SEASONAL.get(word, ())):
        return ""
    if a.value is None and not a.items:
        return ""
    kind = next((c.kind for c in a.citations if c.kind), "预算")
    return f"文件只有全年{kind}，没有“{word}”单独的数"


def _threshold(word: str, it: "Intent", a: "Answer", levels: Levels) -> str:
    """是否超过100万 / 低于: a yes-or-no against a number the question gives; the figure is stated, the
    comparison is left to the reader (never a figure given as if it were the answer)."""
    if a.value is None or it.what in ("diff", "compare", "yoy", "rank", "list", "count"):
        return ""
    return f"文件只给出这一项的数，不替您判断是否“{word}”某个数"


# operator -> (handler, the question cue it also is, or "")
OPERATORS: dict[str, tuple[Handler, str]] = {
    "negate": (_negate, ""),
    "exclude": (_exclude, "exclude"),
    "remainder": (_remainder, ""),
    "part": (_part, ""),
    "currency": (_currency, ""),
    "physical": (_physical, ""),
    "sum": (_arith, "sum"),
    "diff": (_arith, "diff"),
    "share": (_arith, "share"),
    "max": (_rank, "max"),
    "min": (_rank, "min"),
    "more": (_compare, ""),
    "less": (_compare, ""),
    "level": (_level, ""),
    "season": (_season, ""),
    "threshold": (_threshold, ""),
}


CIRCUMFIX = "…"


@functools.lru_cache(maxsize=4)
def _load(directory: str | None) -> tuple[dict[str, str], tuple[tuple[str, str, str, str], ...]]:
    from .lexicon import read_tsv
    from .vocab import key, norm

    out: dict[str, str] = {}
    circ: dict[str, tuple[str, str, str, str]] = {}
    for lineno, r in read_tsv(OPERATORS_FILE, ("word", "operator", "example"), directory=directory):
        word = r["word"]
        if r["operator"] not in OPERATORS:
            raise LexiconError(OPERATORS_FILE, lineno, f"unknown operator {r['operator']!r} (known: {', '.join(OPERATORS)})")
        if CIRCUMFIX in word:
            opener, _, closer = word.partition(CIRCUMFIX)
            if not closer or CIRCUMFIX in closer or key(opener) != opener or norm(closer) != closer:
                raise LexiconError(OPERATORS_FILE, lineno, f"{word!r}: a circumfix is written opener…closer "
                                   "(the opener may be empty), one … and plain words on each side (a closer may be in brackets: …(款))")
            if word in circ:
                raise LexiconError(OPERATORS_FILE, lineno, f"{word!r} is listed twice")
            circ[word] = (opener, closer, word, r["operator"])
            continue
        k = key(word)
        if k in out:
            raise LexiconError(OPERATORS_FILE, lineno, f"{word!r} is listed twice")
        out[k] = r["operator"]
    # the longest opener and closer first: 除了…以外 is tried before 除…外
    order = sorted(circ.values(), key=lambda c: (len(c[0]) + len(c[1]), len(c[0])), reverse=True)
    return out, tuple(order)


def load_operators(directory: str | None = None) -> dict[str, str]:
    """lexicon/operators.tsv's plain words as {matching key of the word: operator}; a bad line raises LexiconError."""
    return _load(directory)[0]


def circumfixes(directory: str | None = None) -> tuple[tuple[str, str, str, str], ...]:
    """The operators written around their subject (除…以外, 除了…之外) or after it (…以外的), as
    (opener, closer, word, operator), longest first."""
    return _load(directory)[1]


def unmet(it: "Intent", a: "Answer", levels: Levels) -> tuple[str, str] | None:
    """The first operator word of the question that the answer did not carry out, and why."""
    for word, op in it.ops:
        handler = OPERATORS[op][0]
        why = handler(word, it, a, levels)
        if why:
            return word, why
    return None

"""Did the user mean a vocabulary word? IME typos (电废 -> 电费) and near misses.

Uses the lexicon helper's ``askbudget.fuzzy.Speller`` when it is there; otherwise a small
fallback: same toneless pinyin (pypinyin, imported only when a question has an unknown span),
then a close rapidfuzz ratio for longer spans. Only words of the vocabulary are ever proposed,
and a span must be mostly covered by the word, so garbage stays garbage.
"""
from __future__ import annotations

import threading
from typing import Any

from .vocab import Vocab

_LOCK = threading.Lock()


def _index(v: Vocab) -> dict[str, Any]:
    idx = getattr(v, "_spell_index", None)
    if idx is not None:
        return idx
    with _LOCK:
        idx = getattr(v, "_spell_index", None)
        if idx is not None:
            return idx
        words = v.spelling_words()
        idx = {"words": words, "pinyin": None, "speller": None}
        try:
            from .fuzzy import Speller  # type: ignore[attr-defined]

            idx["speller"] = Speller(words)
        except Exception:  # noqa: BLE001
            idx["speller"] = None
        v._spell_index = idx  # type: ignore[attr-defined]
        return idx


def _pinyin_index(v: Vocab, idx: dict[str, Any]) -> dict[tuple[str, ...], str]:
    if idx["pinyin"] is None:
        from pypinyin import lazy_pinyin

        py: dict[tuple[str, ...], str] = {}
        for w in idx["words"]:
            if 2 <= len(w) <= 16:
                py.setdefault(tuple(lazy_pinyin(w)), w)
        idx["pinyin"] = py
    return idx["pinyin"]


def suggest(v: Vocab, run: str) -> tuple[str, str] | None:
    """The word ``run`` (or its longest part) most likely meant, with how it was found; else None."""
    if len(run) < 2 or len(run) > 24:
        return None
    cache = getattr(v, "_spell_cache", None)
    if cache is None:
        cache = {}
        v._spell_cache = cache  # type: ignore[attr-defined]
    if run in cache:
        return cache[run]
    got = _suggest(v, run)
    if len(cache) < 20000:
        cache[run] = got
    return got


def _suggest(v: Vocab, run: str) -> tuple[str, str] | None:
    idx = _index(v)
    sp = idx.get("speller")
    if sp is not None:
        spans = [run] + ([run[1:], run[:-1]] if len(run) >= 4 else [])
        for span in spans:
            try:
                s = sp.best(span, 80)
            except Exception:  # noqa: BLE001
                s = None
            if s is not None and s.word in v.words and s.word != span:
                return s.word, s.how
        # one character mistyped in a longer name (其他收人 -> 其他收入), when only one word is that close
        if len(run) >= 4:
            try:
                got = sp.suggest(run)
            except Exception:  # noqa: BLE001
                got = []
            if got and got[0].score >= 75 and got[0].word in v.words and \
                    (len(got) == 1 or got[1].score < got[0].score) and len(got[0].word) == len(run):
                return got[0].word, got[0].how
        return None
    try:
        py = _pinyin_index(v, idx)
        from pypinyin import lazy_pinyin

        pr = lazy_pinyin(run)
        n = len(run)
        for length in range(n, 1, -1):
            for i in range(0, n - length + 1):
                w = py.get(tuple(pr[i:i + length]))
                if w and w != run[i:i + length] and (length >= 3 or length == n):
                    return w, "pinyin"
    except Exception:  # noqa: BLE001
        pass
    if len(run) >= 4:
        try:
            from rapidfuzz import fuzz, process

            best = process.extractOne(run, idx["words"], scorer=fuzz.ratio, score_cutoff=86)
            if best and abs(len(best[0]) - len(run)) <= 1:
                return best[0], "fuzzy"
        except Exception:  # noqa: BLE001
            pass
    return None

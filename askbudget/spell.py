"""Did the user mean a vocabulary word? IME typos (电废 -> 电费) and near misses.

A thin adapter over the one speller of the package, ``askbudget.fuzzy.Speller`` (pinyin and
rapidfuzz live there, once): this module only builds one Speller per vocabulary, caches its
answers per span, and keeps a proposal only when it is a vocabulary word that covers the span,
so garbage stays garbage.
"""
from __future__ import annotations

import threading

from .fuzzy import Speller
from .vocab import Vocab

_LOCK = threading.Lock()
_CACHE_MAX = 20000


def _speller(v: Vocab) -> Speller:
    """The vocabulary's Speller, built once (per Vocab object) under a lock."""
    sp = getattr(v, "_speller", None)
    if sp is not None:
        return sp
    with _LOCK:
        sp = getattr(v, "_speller", None)
        if sp is None:
            sp = Speller(v.spelling_words())
            v._speller = sp  # type: ignore[attr-defined]
        return sp


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
    if len(cache) < _CACHE_MAX:
        cache[run] = got
    return got


def _suggest(v: Vocab, run: str) -> tuple[str, str] | None:
    sp = _speller(v)
    spans = [run] + ([run[1:], run[:-1]] if len(run) >= 4 else [])
    for span in spans:
        s = sp.best(span, 80)
        if s is not None and s.word in v.words and s.word != span and not _phrase_edit(s.word, s.how):
            return s.word, s.how
    # one character mistyped in a longer name (其他收人 -> 其他收入), when only one word is that close
    if len(run) >= 4:
        got = sp.suggest(run)
        if got and got[0].score >= 75 and got[0].word in v.words and not _phrase_edit(got[0].word, got[0].how) and \
                (len(got) == 1 or got[1].score < got[0].score) and len(got[0].word) == len(run):
            return got[0].word, got[0].how
    return None


def _phrase_edit(word: str, how: str) -> bool:
    """A colloquial phrase (开车的钱, 公车的钱) is never reached by editing a character of its words: 开会的钱 and
    用气的钱 are other things, not 开车's. Names are; phrases are matched as written or by their sound."""
    return how not in ("pinyin", "exact") and "的" in word

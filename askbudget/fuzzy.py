"""Find the vocabulary word a mistyped span meant: IME (pinyin) typos first, then small edits.

Why pinyin: Chinese users type with a pinyin IME, so the typical typo is a character with the same
sound (电废 → 电费, 三工经费 → 三公经费, 政府彩购 → 政府采购), or a near sound (zh/z, n/l, an/ang…),
not a neighbouring key. Plain edit distance cannot tell 电废 (a typo of 电费) from 水费 (another
word), but the sound can.

    Speller(vocabulary)                          words the parser can understand
    .suggest(span, limit=5) -> list[Suggestion]  best first; [] when nothing is close
    .best(span, min_score=80) -> Suggestion | None  the top suggestion if it is unambiguous

Scores (0..100, deterministic; ties broken by word):

    100  exact          the span is a vocabulary word
    95   pinyin         one character differs, same pinyin (toneless); -5 per extra such character
    85   near_pinyin    one character differs with a near pinyin (zh/z, ch/c, sh/s, n/l, f/h, r/l,
                        an/ang, en/eng, in/ing); -5 per same-pinyin character besides it
    90   pinyin         the span is the full toneless pinyin of a word typed in Latin ("dianfei")
    78   edit           one character substituted (words of 3+ characters)
    75   edit           one character inserted or deleted (both 3+ characters)
    65   edit           two edits (both 8+ characters)
    70   initials       the span is the pinyin initials of a word of 3+ characters ("sgjf")

Sound-alike scores (≥ 80) are safe to act on when unique (:meth:`Speller.best`); edit and
initials scores (< 80) are "did you mean" material only.

Cost: pypinyin's package import is ~150 ms, so only its character table (``pinyin_dict.py``,
~25 ms) is loaded, on the first suggest() of the process; per-word data is built on the first
suggest() of each Speller. After that a suggest() for a 3,000-word vocabulary takes well under
2 ms: rapidfuzz (C) prefilters candidates of equal length by Hamming distance, Python only
inspects the few that remain.
"""
from __future__ import annotations

import importlib.util
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

EXACT = "exact"
PINYIN = "pinyin"
NEAR_PINYIN = "near_pinyin"
EDIT = "edit"
INITIALS = "initials"


@dataclass(frozen=True, order=True)
class Suggestion:
    """A vocabulary word a span may have meant, how sure (0..100), and which rule found it."""

    word: str
    score: int
    how: str


# --------------------------------------------------------------------------- pinyin table

_PINYIN_TABLE: dict[int, str] | None = None
_CHAR_READINGS: dict[str, frozenset[str]] = {}


def _load_pinyin_table() -> dict[int, str]:
    """pypinyin's code point → "zhòng,chóng" table, without importing the pypinyin package."""
    global _PINYIN_TABLE
    if _PINYIN_TABLE is None:
        table: dict[int, str] = {}
        try:
            spec = importlib.util.find_spec("pypinyin")
            if spec is None or spec.origin is None:
                raise ImportError("pypinyin")
            path = Path(spec.origin).parent / "pinyin_dict.py"
            mspec = importlib.util.spec_from_file_location("_askbudget_pinyin_dict", path)
            if mspec is None or mspec.loader is None:
                raise ImportError(str(path))
            module = importlib.util.module_from_spec(mspec)
            mspec.loader.exec_module(module)
            table = dict(module.pinyin_dict)
        except Exception:  # noqa: BLE001 - fall back to the ordinary (slower) import
            try:
                from pypinyin.pinyin_dict import pinyin_dict

                table = dict(pinyin_dict)
            except Exception:  # noqa: BLE001 - no pinyin at all: edits still work
                table = {}
        _PINYIN_TABLE = table
    return _PINYIN_TABLE


def _toneless(syllable: str) -> str:
    """'lǜ' → 'lv', 'zhòng' → 'zhong'."""
    out = []
    for ch in unicodedata.normalize("NFD", syllable):
        if ch == "\u0308":  # diaeresis: ü
            if out and out[-1] == "u":
                out[-1] = "v"
            continue
        if unicodedata.combining(ch):
            continue
        out.append(ch)
    return "".join(out).replace("ü", "v")


def _readings(ch: str) -> frozenset[str]:
    """All toneless pinyin readings of one character (empty for non-Han characters)."""
    cached = _CHAR_READINGS.get(ch)
    if cached is None:
        raw = _load_pinyin_table().get(ord(ch), "")
        cached = frozenset(_toneless(r) for r in raw.split(",") if r)
        _CHAR_READINGS[ch] = cached
    return cached


_INITIALS = ("zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j", "q", "x",
             "r", "z", "c", "s", "y", "w")
_NEAR_INITIAL = {"zh": "z", "ch": "c", "sh": "s", "l": "n", "h": "f", "r": "n"}
_NEAR_FINAL = (("iang", "ian"), ("uang", "uan"), ("ang", "an"), ("eng", "en"), ("ing", "in"))


def _split(syllable: str) -> tuple[str, str]:
    for ini in _INITIALS:
        if syllable.startswith(ini) and len(syllable) > len(ini):
            return ini, syllable[len(ini):]
    return "", syllable


def _near_key(syllable: str) -> str:
    """A coarse key: syllables confusable on a pinyin IME share it (zhang ~ zan, lu ~ nu)."""
    ini, fin = _split(syllable)
    ini = _NEAR_INITIAL.get(ini, ini)
    for long, short in _NEAR_FINAL:
        if fin.endswith(long):
            fin = fin[: -len(long)] + short
            break
    return ini + fin


def _near_keys(ch: str) -> frozenset[str]:
    return frozenset(_near_key(r) for r in _readings(ch))


# --------------------------------------------------------------------------- speller


class Speller:
    """Suggest vocabulary words for mistyped spans. Build one per vocabulary and reuse it."""

    def __init__(self, vocabulary: Iterable[str]) -> None:
        words = sorted({w.strip() for w in vocabulary if w and w.strip()})
        self._words: tuple[str, ...] = tuple(words)
        self._set = frozenset(words)
        self._by_len: dict[int, list[str]] | None = None
        self._latin: dict[str, dict[str, list[str]]] | None = None

    @property
    def vocabulary(self) -> tuple[str, ...]:
        return self._words

    def __contains__(self, word: object) -> bool:
        return word in self._set

    def _buckets(self) -> dict[int, list[str]]:
        if self._by_len is None:
            _load_pinyin_table()
            by_len: dict[int, list[str]] = {}
            for w in self._words:
                by_len.setdefault(len(w), []).append(w)
            self._by_len = by_len
        return self._by_len

    def _latin_index(self) -> dict[str, dict[str, list[str]]]:
        if self._latin is None:
            full: dict[str, list[str]] = {}
            initials: dict[str, list[str]] = {}
            for w in self._words:
                readings = [sorted(_readings(ch)) for ch in w]
                if not all(readings):
                    continue
                # every reading of a heteronym (行: hang/xing), up to 16 spellings per word
                spellings = [""]
                for options in readings:
                    spellings = [p + r for p in spellings for r in options][:16]
                for spelling in spellings:
                    full.setdefault(spelling, []).append(w)
                if len(w) >= 3:
                    inits = {""}
                    for options in readings:
                        inits = set(sorted(p + r[0] for p in inits for r in options)[:16])
                    for i in sorted(inits):
                        initials.setdefault(i, []).append(w)
            self._latin = {"full": full, "initials": initials}
        return self._latin

    # -- the rules

    def _sound_alike(self, span: str, candidates: Iterable[str]) -> dict[str, tuple[int, str]]:
        found: dict[str, tuple[int, str]] = {}
        n = len(span)
        for word in candidates:
            same = near = 0
            for a, b in zip(span, word):
                if a == b:
                    continue
                ra, rb = _readings(a), _readings(b)
                if ra and ra & rb:
                    same += 1
                elif ra and rb and _near_keys(a) & _near_keys(b):
                    near += 1
                else:
                    break
            else:
                changed = same + near
                if changed == 0 or near > 1:
                    continue
                if changed > max(1, n // 2) or (n <= 3 and changed > 1):
                    continue
                if near:
                    found[word] = (85 - 5 * same, NEAR_PINYIN)
                else:
                    found[word] = (95 - 5 * (same - 1), PINYIN)
        return found

    def suggest(self, span: str, limit: int = 5) -> list[Suggestion]:
        """Vocabulary words ``span`` may have meant, best first (at most ``limit``); [] if none."""
        span = span.strip()
        if not span or limit <= 0:
            return []
        if span in self._set:
            return [Suggestion(span, 100, EXACT)]
        from rapidfuzz import process
        from rapidfuzz.distance import Hamming, Levenshtein

        found: dict[str, tuple[int, str]] = {}

        def add(word: str, score: int, how: str) -> None:
            if word not in found or found[word][0] < score:
                found[word] = (score, how)

        if span.isascii():
            letters = span.replace(" ", "").replace("'", "")
            if letters.isalpha() and len(letters) >= 2:
                index = self._latin_index()
                for w in index["full"].get(letters, ()):
                    add(w, 90, PINYIN)
                for w in index["initials"].get(letters, ()):
                    add(w, 70, INITIALS)
            return _ranked(found, limit)

        buckets = self._buckets()
        n = len(span)
        if n >= 2:
            same_len = buckets.get(n, [])
            max_subst = max(1, n // 2)
            for word, _dist, _ in process.extract_iter(
                span, same_len, scorer=Hamming.distance, score_cutoff=max_subst
            ):
                for w, (score, how) in self._sound_alike(span, (word,)).items():
                    add(w, score, how)
        if n >= 3:
            for length in (n - 1, n, n + 1):
                if length < 3:
                    continue
                cutoff = 2 if min(n, length) >= 8 else 1
                for word, dist, _ in process.extract_iter(
                    span, buckets.get(length, []), scorer=Levenshtein.distance, score_cutoff=cutoff
                ):
                    if dist == 1:
                        add(word, 78 if length == n else 75, EDIT)
                    elif dist == 2:
                        add(word, 65, EDIT)
        return _ranked(found, limit)

    def best(self, span: str, min_score: int = 80) -> Suggestion | None:
        """The single best suggestion if it scores at least ``min_score`` and no other ties it."""
        top = self.suggest(span, limit=2)
        if not top or top[0].score < min_score:
            return None
        if len(top) > 1 and top[1].score == top[0].score:
            return None
        return top[0]


def _ranked(found: dict[str, tuple[int, str]], limit: int) -> list[Suggestion]:
    items = sorted(found.items(), key=lambda kv: (-kv[1][0], len(kv[0]), kv[0]))
    return [Suggestion(w, score, how) for w, (score, how) in items[:limit]]


__all__ = ["EDIT", "EXACT", "INITIALS", "NEAR_PINYIN", "PINYIN", "Speller", "Suggestion"]
